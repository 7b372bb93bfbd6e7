/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ecn.h: Explicit Congestion Notification (RFC 3168), classic ECN as Linux
 * 6.1's TCP does it by default (ecn.c).
 */
#ifndef _XTCP_ECN_H
#define _XTCP_ECN_H

#include "xtcp.h"

/* xs->ecn_flags, as tp->ecn_flags (TCP_ECN_*, include/net/tcp.h) */
#define XTCP_ECN_OK		1	/* both SYNs agreed on ECN */
#define XTCP_ECN_QUEUE_CWR	2	/* CWR goes on the next new data */
#define XTCP_ECN_DEMAND_CWR	4	/* CE came in: ECE until the peer's CWR */
#define XTCP_ECN_SEEN		8	/* ECT or CE came in */

/* net.xtcp.ecn, else net.ipv4.tcp_ecn: 0 off, 1 ask and accept, 2 accept */
int xtcp_ecn_mode(const struct net *net);

/* Our segment @seg with @len bytes of text at @seq goes out: its ECN marks. */
void xtcp_ecn_send(struct sock *sk, struct xtcp_segment *seg, u32 len);

/* The peer's SYN+ACK, or SYN (simultaneous open), with @flags came in. */
void xtcp_ecn_rcv_syn(struct sock *sk, u8 flags);

/* Would a request for SYN @skb take up ECN (tcp_ecn_create_request())? */
bool xtcp_ecn_req_ok(const struct net *net, const struct sk_buff *skb);

/* In-window text @skb came in: its IP ECN field (tcp_ecn_check_ce()). */
void xtcp_ecn_check_ce(struct sock *sk, const struct sk_buff *skb);

/* An ACK with @flags came in: is it an ECN echo (tcp_ecn_rcv_ecn_echo())? */
static inline bool xtcp_ecn_echo(const struct xtcp_sock *xs, u8 flags)
{
	return (flags & XTCP_FLAG_ECE) && !(flags & XTCP_FLAG_SYN) &&
	       (xs->ecn_flags & XTCP_ECN_OK);
}

/* The ACK @skb may carry the peer's CWR (tcp_ecn_accept_cwr()). */
void xtcp_ecn_accept_cwr(struct sock *sk, const struct sk_buff *skb);

/* The window falls: CWR on the next new data (tcp_ecn_queue_cwr()). */
static inline void xtcp_ecn_queue_cwr(struct xtcp_sock *xs)
{
	if (xs->ecn_flags & XTCP_ECN_OK)
		xs->ecn_flags |= XTCP_ECN_QUEUE_CWR;
}

/* The reduction was undone: no CWR after all (tcp_ecn_withdraw_cwr()). */
static inline void xtcp_ecn_withdraw_cwr(struct xtcp_sock *xs)
{
	xs->ecn_flags &= ~XTCP_ECN_QUEUE_CWR;
}

#endif /* _XTCP_ECN_H */
