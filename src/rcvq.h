/* SPDX-License-Identifier: GPL-2.0 */
/* rcvq.c: the receive queues held to the receive buffer. */
#ifndef _XTCP_RCVQ_H
#define _XTCP_RCVQ_H

#include <net/sock.h>

bool xtcp_rcvq_coalesce(struct sock *sk, struct sk_buff *to,
			struct sk_buff *from);
bool xtcp_rcvq_room(struct sock *sk, const struct sk_buff *skb, bool ofo);
bool xtcp_rcvq_admit(struct sock *sk, const struct sk_buff *skb);

#endif /* _XTCP_RCVQ_H */
