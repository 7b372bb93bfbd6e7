/* SPDX-License-Identifier: GPL-2.0 */
/* child.c: a listener's segments, and the children they make. */
#ifndef _XTCP_CHILD_H
#define _XTCP_CHILD_H

#include <net/sock.h>

void xtcp_child_listener_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_child_established(struct sock *sk);
struct xtcp_request;
void xtcp_child_from_req(struct sock *sk, struct xtcp_request *req,
			 struct sk_buff *skb);

#endif /* _XTCP_CHILD_H */
