// SPDX-License-Identifier: GPL-2.0
/*
 * ack.c: when the ACK for received text goes.
 *
 * At once, or owed for up to XTCP_DELACK_MS: the decision is the core's
 * (delack.h, tcp_ack_snd_check()'s rules); this file feeds it the socket's
 * state and sends (output.c) or arms the delayed-ACK timer (timer.c).
 */
#include <net/tcp.h>

#include "ack.h"
#include "autotune.h"
#include "delack.h"
#include "output.h"
#include "timer.h"
#include "xtcp.h"

/*
 * Text arrived: learn the peer's segment size (tcp_measure_rcv_mss()), and
 * after a silence longer than an RTO go back to quick ACKs, as the peer's
 * window starts small again (tcp_event_data_recv()).
 */
void xtcp_ack_text_received(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len = skb_shinfo(skb)->gso_size ?: skb->len;
	u32 now = jiffies;

	xtcp_sock_assert_locked(sk);
	if (len > xs->rcv_mss)
		xs->rcv_mss = min_t(u32, len, xs->adv_mss ?: len);
	if (now - xs->lrcv_time > msecs_to_jiffies(xs->rto_ms))
		xs->quickack = max_t(u8, xs->quickack,
				     xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss));
	xs->lrcv_time = now;
	xtcp_rcv_rtt_sample(sk, skb);
}

/*
 * In-order text was queued: acknowledge it now or owe the ACK for up to
 * XTCP_DELACK_MS (delack.h). @filled: it drained the out-of-order queue.
 */
void xtcp_ack_text_queued(struct sock *sk, bool filled)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ack_input in = {
		.unacked = xs->rcv_nxt - xs->rcv_wup,
		.rcv_mss = xs->rcv_mss,
		.quick = xs->quickack && !xs->pingpong,
		.ofo = !RB_EMPTY_ROOT(&xs->ofo),
		.hole_filled = filled,
	};

	xtcp_sock_assert_locked(sk);
	if (xtcp_ack_now(&in)) {
		if (xs->quickack)
			xs->quickack--;
		xtcp_send_ack(sk);
		return;
	}
	xs->ack_owed = 1;
	xtcp_timer_ack_owed(sk);
}

/* The delayed-ACK timer: the ACK owed goes out alone. */
void xtcp_delack_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (!xs->ack_owed || ((1 << sk->sk_state) &
			      (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		return;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_DELAYED_ACKS);
	xtcp_send_ack(sk);
}

/* TCP_QUICKACK: the ACK owed, if any, goes now. */
void xtcp_ack_owed_now(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	if (xtcp_sk(sk)->ack_owed &&
	    ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		xtcp_send_ack(sk);
}
