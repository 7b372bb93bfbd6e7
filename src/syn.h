/* SPDX-License-Identifier: GPL-2.0 */
/* syn.c: what the two SYNs agree on. */
#ifndef _XTCP_SYN_H
#define _XTCP_SYN_H

#include <net/sock.h>

#include "protocol.h"

void xtcp_options_from_sysctls(struct sock *sk);
void xtcp_syn_options(struct sk_buff *skb, struct xtcp_options *opt);
void xtcp_syn_learn(struct sock *sk, struct sk_buff *skb);
void xtcp_syn_learn_opts(struct sock *sk, const struct xtcp_options *opt,
			 u32 irs, u16 window);

#endif /* _XTCP_SYN_H */
