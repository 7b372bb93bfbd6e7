// SPDX-License-Identifier: GPL-2.0
/*
 * ack.c: when the ACK for received text goes.
 *
 * At once, or owed for the delayed-ACK time (ATO): the decisions are the
 * core's (delack.h, tcp_ack_snd_check()'s rules; rwin.h, the ATO); this file
 * feeds them the socket's state and sends (output.c) or arms the delayed-ACK
 * timer (timer.c).
 */
#include <net/tcp.h>

#include "ack.h"
#include "autotune.h"
#include "delack.h"
#include "output.h"
#include "rwin.h"
#include "timer.h"
#include "xtcp.h"

/*
 * tcp_measure_rcv_mss(): a segment of at least rcv_mss raises it (to our
 * advmss at most); a shorter one that looks whole (a header's worth of
 * options, or no PSH) twice in a row sets it; any other marks the ACK owed
 * as pushed (ICSK_ACK_PUSHED, ICSK_ACK_PUSHED2 for the second), and so
 * does a full segment with PSH.
 */
static void measure_rcv_mss(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 lss = xs->last_seg_size;
	u32 len = skb_shinfo(skb)->gso_size ?: skb->len;
	u8 flags = XTCP_SKB_CB(skb)->flags;

	xs->last_seg_size = 0;
	if (len >= xs->rcv_mss) {
		xs->rcv_mss = min_t(u32, len, xtcp_advmss(xs));
		if (flags & XTCP_FLAG_PSH)
			xs->ack_pushed = 1;
		return;
	}
	len += skb->data - skb_transport_header(skb);
	if (len >= XTCP_DEFAULT_MSS + sizeof(struct tcphdr) ||
	    (len >= TCP_MIN_MSS + sizeof(struct tcphdr) &&
	     !(flags & (XTCP_FLAG_URG | XTCP_FLAG_PSH | XTCP_FLAG_RST |
			XTCP_FLAG_SYN | XTCP_FLAG_FIN)))) {
		len -= sizeof(struct tcphdr) +
		       (xs->ts_ok ? XTCP_OLEN_TIMESTAMP + 2 : 0);
		xs->last_seg_size = len;
		if (len == lss) {
			xs->rcv_mss = len;
			return;
		}
	}
	if (xs->ack_pushed)
		xs->ack_pushed2 = 1;
	xs->ack_pushed = 1;
}

/*
 * Text arrived. In order (tcp_event_data_recv()): learn the peer's segment
 * size; the first text starts the delayed-ACK time at TCP_ATO_MIN with quick
 * ACKs, later text moves it with the gap since the last (rwin.h), and after
 * a gap longer than an RTO quick ACKs come back, as the peer's window starts
 * small again. Any text may time the round trip.
 */
void xtcp_ack_text_received(struct sock *sk, const struct sk_buff *skb,
			    bool in_order)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = jiffies, m = now - xs->lrcv_time;
	u32 rto = msecs_to_jiffies(xs->rto_ms);

	xtcp_sock_assert_locked(sk);
	xs->text_seen = 1;
	xtcp_rcv_rtt_sample(sk, skb);
	if (!in_order)
		return;
	measure_rcv_mss(sk, skb);
	if (!xs->ato || (m > XTCP_ATO_MIN / 2 && m >= xs->ato && m > rto))
		xs->quickack = max_t(u8, xs->quickack,
				     xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss));
	xs->ato = xtcp_ato_update(xs->ato, m, rto);
	xs->lrcv_time = now;
}

/*
 * Text of ours went out, new or again: a reply sent within the delayed-ACK
 * time of the peer's last text makes the connection interactive, and its
 * ACKs wait to ride on the next reply (tcp_event_data_sent()). The ATO is 0
 * until the first text came in.
 */
void xtcp_ack_data_sent(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if ((u32)jiffies - xs->lrcv_time < xs->ato)
		xs->pingpong = 1;
}

/*
 * Text we had already came again: our ACK was lost, or came late. It is
 * answered at once (the caller does), and the next ones too: quick-ACK mode
 * and no longer interactive (tcp_send_dupack()'s tcp_enter_quickack_mode(),
 * counted as DelayedACKLost).
 */
void xtcp_ack_dup_text(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_DELAYED_ACK_LOST);
	xs->quickack = max_t(u8, xs->quickack,
			     xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss));
	xs->pingpong = 0;
	xs->ato = XTCP_ATO_MIN;
}

/*
 * The out-of-order queue holds data and the ACK is not otherwise due: a
 * duplicate ACK with SACK blocks, at once for the first XTCP_DUPACKS_AT_ONCE
 * since RCV.NXT last moved, else compressed into one sent later (delack.h).
 */
/*
 * net.xtcp.comp_sack_delay_ns, or net.ipv4.tcp_comp_sack_delay_ns (an
 * unsigned long there), at most the second the override allows.
 */
static u32 xtcp_comp_sack_delay(const struct xtcp_net *xn)
{
	int ns = READ_ONCE(xn->comp_sack_delay_ns);

	if (ns != XTCP_FOLLOW_TCP)
		return ns;
	return min_t(unsigned long, NSEC_PER_SEC,
		     READ_ONCE(xn->net->ipv4.sysctl_tcp_comp_sack_delay_ns));
}

static void ack_ofo(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	if (!xs->sack_ok ||
	    xs->compressed_ack >= (u32)xtcp_sysctl(xn->net, comp_sack_nr,
						   sysctl_tcp_comp_sack_nr))
		goto now;
	if (xs->compressed_ack_rcv_nxt != xs->rcv_nxt) {
		xs->compressed_ack_rcv_nxt = xs->rcv_nxt;
		xs->dup_acks_sent = 0;
	}
	if (xs->dup_acks_sent < XTCP_DUPACKS_AT_ONCE) {
		xs->dup_acks_sent++;
		goto now;
	}
	xs->compressed_ack++;
	if (!xtcp_timer_pending(xs, XTCP_TIMER_SACK))
		xtcp_timer_sack_compressed(sk,
			xtcp_comp_sack_delay_ns(xs->rcv_rtt_us, xs->rtt.srtt_us,
						xtcp_comp_sack_delay(xn)));
	return;
now:
	xtcp_send_ack(sk);
}

/*
 * The ACK is owed (tcp_send_delayed_ack()): it waits the ATO, bounded
 * (rwin.h); a timer already running keeps its earlier deadline, and one
 * due within a quarter of the ATO is not waited for.
 */
static void send_delayed_ack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ato = xtcp_delack_time(xs->ato, xs->pingpong, xs->ack_pushed,
				   xs->rtt.srtt_us, XTCP_DELACK_MAX_J);
	u32 ms = jiffies_to_msecs(ato);

	if (xs->ack_owed && xtcp_timer_pending(xs, XTCP_TIMER_DELACK)) {
		u32 left = xtcp_timer_left_ms(xs, XTCP_TIMER_DELACK);

		if (left <= jiffies_to_msecs(ato >> 2)) {
			xtcp_send_ack(sk);
			return;
		}
		ms = min(ms, left);
	}
	xs->ack_owed = 1;
	xtcp_timer_ack_owed(sk, ms);
}

/* Now, owed, or by the out-of-order rules (__tcp_ack_snd_check()). */
static void ack_check(struct sock *sk, bool filled)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ack_input in = {
		.unacked = xs->rcv_nxt - xs->rcv_wup,
		.rcv_mss = xs->rcv_mss,
		.window_ok = true,
		.quick = xs->quickack && !xs->pingpong,
		.ofo = !RB_EMPTY_ROOT(&xs->ofo),
		/* or the peer's CWR came with text (ecn.c, ICSK_ACK_NOW) */
		.hole_filled = filled || xs->ack_now,
	};

	/* a scheduled ACK (inet_csk_schedule_ack()) */
	xs->ack_owed = 1;
	if (in.unacked > in.rcv_mss)
		in.window_ok = xs->rcv_nxt - xs->copied_seq <
			       READ_ONCE(sk->sk_rcvlowat) ||
			       xtcp_rwin_now(sk) >= xs->rcv_wnd;
	switch (xtcp_ack_when(&in)) {
	case XTCP_ACK_NOW:
		xtcp_send_ack(sk);
		break;
	case XTCP_ACK_OFO:
		ack_ofo(sk);
		break;
	case XTCP_ACK_DELAY:
		send_delayed_ack(sk);
		break;
	}
}

/*
 * In-order text was queued: acknowledge it now or owe the ACK for the
 * delayed-ACK time (delack.h, rwin.h). @filled: it drained the out-of-order queue.
 */
void xtcp_ack_text_queued(struct sock *sk, bool filled)
{
	xtcp_sock_assert_locked(sk);
	ack_check(sk, filled);
}

/* Text was queued out of order (or was there already): its duplicate ACK. */
void xtcp_ack_ofo_queued(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	ack_check(sk, false);
}

/*
 * The SACK compression timer: one ACK for those left unsent (of which it is
 * one, as tcp_compressed_ack_kick() counts them).
 */
void xtcp_sack_compress_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (!xs->compressed_ack ||
	    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		return;
	xs->compressed_ack--;
	xtcp_send_ack(sk);
}

/*
 * Any ACK went out: it stands for the ACKs compressed so far
 * (tcp_event_ack_sent()).
 */
void xtcp_ack_sent(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* tcp_dec_quickack_mode(): leaving quick-ACK mode resets the ATO */
	if (xs->quickack && xs->ack_owed && !--xs->quickack)
		xs->ato = XTCP_ATO_MIN;
	xs->ack_owed = 0;
	xs->ack_now = 0;
	xs->ack_pushed = 0;
	xs->ack_pushed2 = 0;
	if (unlikely(xs->compressed_ack)) {
		xtcp_add_stat(sock_net(sk), XTCP_STAT_ACK_COMPRESSED,
			      xs->compressed_ack);
		xs->compressed_ack = 0;
	}
	xtcp_timer_ack_sent(sk);
}

/*
 * The peer's FIN took us to CLOSE-WAIT: the connection turns interactive
 * (tcp_fin()), so that its ACK waits, by the delayed-ACK rules, for the FIN
 * or reply the user is likely to send at once. A peer that goes from
 * FIN-WAIT-1 to TIME-WAIT on one FIN+ACK never stands in FIN-WAIT-2.
 */
void xtcp_ack_fin_received(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	xs->pingpong = 1;
	/* no text came before it: Linux's ATO is still 0, its timer due now */
	if (!xs->text_seen) {
		xtcp_send_ack(sk);
		return;
	}
	ack_check(sk, false);
}

/*
 * The delayed-ACK timer: the ACK owed goes out alone, and the ATO doubles,
 * up to the RTO; an interactive connection whose reply did not come in time
 * is one no longer, its ATO back to TCP_ATO_MIN (tcp_delack_timer_handler()).
 */
void xtcp_delack_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (!xs->ack_owed || ((1 << sk->sk_state) &
			      (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		return;
	if (!xs->pingpong) {
		xs->ato = min_t(u32, xs->ato << 1,
				msecs_to_jiffies(xs->rto_ms));
	} else {
		xs->pingpong = 0;
		xs->ato = XTCP_ATO_MIN;
	}
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
