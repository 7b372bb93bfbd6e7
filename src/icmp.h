/* SPDX-License-Identifier: GPL-2.0 */
/* icmp.c: ICMP errors about our segments. */
#ifndef _XTCP_ICMP_H
#define _XTCP_ICMP_H

#include "xtcp.h"

unsigned int xtcp_icmp_rcv(struct net *net, struct sk_buff *skb);
void xtcp_mtu_reduced(struct sock *sk);

#endif /* _XTCP_ICMP_H */
