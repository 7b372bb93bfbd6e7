/* SPDX-License-Identifier: GPL-2.0 */
/*
 * request.h: a listener's connection request, from the SYN to the ACK that
 * completes the handshake (request.c).
 *
 * A SYN for a listener makes no socket: a struct xtcp_request, as Linux 6.1
 * makes a struct request_sock (include/net/request_sock.h). It starts with a
 * struct sock_common, as request_sock starts with __req_common, so that it
 * sits in the connection table's chains beside full sockets and is found by
 * the same lookup (hash.c); its skc_state is XTCP_NEW_SYN_RECV (Linux's
 * TCP_NEW_SYN_RECV), which /proc/net/xtcp shows as SYN_RECV (03), as
 * /proc/net/tcp shows a request. It answers with its SYN+ACK, retransmitted
 * by its own timer, and is counted on its listener's SYN queue (acceptq.h).
 * The ACK that completes the handshake makes the child socket (child.c),
 * which takes the request's place in the table and on the accept queue.
 * A request is 288 bytes in Debian's 6.1, where Linux's tcp_request_sock
 * is 320 and a child socket 1680 (KUnit request_made_small).
 *
 * Lifetime: skc_refcnt counts the table (while hashed), the timer (while
 * queued or running) and whoever looked the request up. Being hashed and being
 * on the SYN queue are one: both end together, under the listener's
 * accept_lock, and whoever ends them (the timer giving up, a RST, the child
 * replacing it, the listener closing) owns the table's reference. The last
 * reference drops the one the request holds on its listener and frees it
 * after an RCU grace period (the table's readers are RCU).
 */
#ifndef _XTCP_REQUEST_H
#define _XTCP_REQUEST_H

#include <linux/hrtimer.h>
#include <net/sock.h>

#include "protocol.h"

/* skc_state of a request: not one of RFC 9293's states (TCP_NEW_SYN_RECV) */
#define XTCP_NEW_SYN_RECV	12

struct xtcp_request {
	/* first, as a socket's: the 4-tuple, namespace, device, state, refcnt */
	struct sock_common common;
	struct sock *listener;		/* a reference */
	struct list_head synq_node;	/* listener's syn_queue, its accept_lock */
	struct hrtimer timer;		/* SYN+ACK retransmission (soft) */
	struct rcu_head rcu;
	u64 synack_ns;		/* the first SYN+ACK went out (RTT sample) */
	u32 iss;		/* our ISN */
	u32 irs;		/* the peer's */
	u32 ts_off;		/* our timestamps' offset (isn.c) */
	u32 ts_recent;		/* the peer's latest TSval */
	u32 ts_recent_stamp;	/* when taken, seconds */
	u32 last_oow_ack_time;	/* xtcp_oow_ack_limited() */
	u16 mss;		/* the peer's MSS option, 0: none */
	u16 window;		/* the SYN's window */
	u16 rcv_wnd;		/* the window our SYN+ACK advertised */
	u8 snd_wscale;		/* the peer's window scale */
	u8 wscale_ok:1;		/* both sides scale (RFC 7323 §2.2) */
	u8 sack_ok:1;
	u8 ts_ok:1;
	u8 ecn_ok:1;		/* the SYN asked for ECN and we agree (ecn.c) */
	u8 retrans;		/* time-outs (num_timeout), under accept_lock */
	u8 acked:1;		/* a bare ACK came while TCP_DEFER_ACCEPT held it */
	u8 ipv6:1;		/* on the IPv6 wire: in ehash6 (hash.c) */
};

static inline struct xtcp_request *xtcp_req(const struct sock *sk)
{
	return (struct xtcp_request *)sk;
}

static inline struct sock *xtcp_req_sk(struct xtcp_request *req)
{
	return (struct sock *)req;
}

/* @sk from the connection table is a request, not a socket. */
static inline bool xtcp_is_request(const struct sock *sk)
{
	return READ_ONCE(sk->sk_state) == XTCP_NEW_SYN_RECV;
}

int xtcp_req_init(void);
void xtcp_req_exit(void);
struct xtcp_request *xtcp_req_create(struct sock *sk, struct sk_buff *skb,
				     const struct xtcp_options *opt, u32 iss);
void xtcp_req_put(struct xtcp_request *req);
bool xtcp_req_drop(struct xtcp_request *req);
void xtcp_req_rcv(struct sock *sk, struct xtcp_request *req,
		  struct sk_buff *skb);
void xtcp_req_options(const struct xtcp_request *req,
		      struct xtcp_options *opt);
bool xtcp_req_complete(struct xtcp_request *req, struct sock *child);
void xtcp_reqs_close(struct sock *sk);
u32 xtcp_req_timer_left_ms(struct xtcp_request *req);

/* A reference from the connection table: a socket's, or a request's. */
static inline void xtcp_sk_put(struct sock *sk)
{
	if (xtcp_is_request(sk))
		xtcp_req_put(xtcp_req(sk));
	else
		sock_put(sk);
}

#if IS_ENABLED(CONFIG_KUNIT)
void xtcp_req_fire(struct xtcp_request *req);
#endif

#endif /* _XTCP_REQUEST_H */
