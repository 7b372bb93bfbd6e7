/* SPDX-License-Identifier: GPL-2.0 */
/* syn.c: what the two SYNs agree on. */
#ifndef _XTCP_SYN_H
#define _XTCP_SYN_H

#include <net/sock.h>

void xtcp_options_from_sysctls(struct sock *sk);
void xtcp_syn_learn(struct sock *sk, struct sk_buff *skb);

#endif /* _XTCP_SYN_H */
