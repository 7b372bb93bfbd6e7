// SPDX-License-Identifier: GPL-2.0
/*
 * input.c: a segment for a locked socket, through RFC 9293 §3.10.7.
 *
 * xtcp_rcv() is called by the hook (hook.c) in softirq under bh_lock_sock(),
 * or from the socket's backlog by release_sock(): either way with the socket
 * locked. It turns the segment into events in the RFC's order (SYN-SENT,
 * then for synchronized states PAWS, RST, the sequence check, SYN, ACK, URG,
 * text, FIN) and lets the state table (state.c) say what each one does.
 * A listener's segments go to child.c; ACK processing calls down into
 * recovery.c and output.c, in-order text into the receive queue and ack.c.
 */
#include <net/ip.h>
#include <net/tcp.h>

#include "ack.h"
#include "autotune.h"
#include "child.h"
#include "isn.h"
#include "mem.h"
#include "delack.h"
#include "hook.h"
#include "ecn.h"
#include "input.h"
#include "output.h"
#include "parse.h"
#include "rcvq.h"
#include "recovery.h"
#include "rtxq.h"
#include "seq.h"
#include "sock.h"
#include "state.h"
#include "syn.h"
#include "timer.h"
#include "twsock.h"
#include "urgent.h"
#include "xtcp.h"

/* The RTO from the estimate, without back-off (tcp_set_rto()). */
static void rto_afresh(struct xtcp_sock *xs)
{
	WRITE_ONCE(xs->rto_ms, xtcp_rtt_rto_ms(&xs->rtt, xs->syn_lost));
	xs->backoff = 0;
}

/*
 * An ACK that takes SND.UNA to @ack: a round-trip sample from the segment
 * being timed, if this ACK covers it, else from the timestamp echo (RFC 7323
 * §4: it names the transmission answered, so a retransmitted segment may
 * serve). Only a sample sets the RTO afresh, undoing any back-off (RFC 6298
 * §5, tcp_ack_update_rtt()): an ACK of retransmitted data without
 * timestamps keeps the backed-off RTO (Karn). The sample of the ACK of our
 * SYN (@syn) goes into the windowed minimum too, as tcp_ack_update_rtt()
 * puts it there for FLAG_SYN_ACKED; a later ACK's minimum is its rate
 * sample's round trip, xtcp_ack_recovery()'s. Returns whether it sampled.
 */
static bool rtt_ack(struct sock *sk, u32 ack, const struct xtcp_skb_cb *cb,
		    bool syn)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ms, us, wlen;

	xtcp_sock_assert_locked(sk);
	if (xs->rtt_timing && !xtcp_seq_before(ack, xs->rtt_seq)) {
		xs->rtt_timing = 0;
		us = div_u64(ktime_get_ns() - xs->rtt_start_ns, NSEC_PER_USEC);
	} else if (xs->ts_ok && cb->has_ts && cb->tsecr) {
		ms = xtcp_isn_tsval(xs->ts_off) - cb->tsecr;
		if (ms >= XTCP_RTO_MAX_MS)
			return false;
		us = ms * USEC_PER_MSEC;
	} else {
		return false;
	}
	if (syn) {
		wlen = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_min_rtt_wlen) * HZ;
		xtcp_rtt_min_sample(&xs->rtt, wlen, tcp_jiffies32, us, false);
	}
	xtcp_rtt_sample(&xs->rtt, us);
	rto_afresh(xs);
	return true;
}

/* What deliver() did with a segment's text. */
enum deliver_result {
	DELIVER_NONE,		/* nothing taken: the caller still owns @skb */
	DELIVER_QUEUED,		/* @skb is on the receive queue */
	DELIVER_MERGED,		/* its text joined the tail skb: @skb is freed */
};

/*
 * Text in order at rcv_nxt: to the receive queue, into its tail skb if it can
 * join it (xtcp_rcvq_coalesce()). As tcp_data_queue(), an empty queue always
 * takes it, else it needs room in the receive buffer (xtcp_rcvq_room()),
 * which may collapse or prune the queues, and within xtcp's memory
 * (net.xtcp.mem); without memory it is dropped (TCPRcvQDrop), RCV.NXT stays
 * and an ACK goes at once. @charged: @skb comes from the
 * out-of-order queue, whose memory it holds already. A segment with a FIN is
 * never merged: rcv_fin() reads it after.
 */
static enum deliver_result deliver(struct sock *sk, struct sk_buff *skb,
				   bool charged)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sk_buff *tail;
	u32 off;

	xtcp_sock_assert_locked(sk);
	if (!skb->len)
		return DELIVER_NONE;
	if (xtcp_seq_after(cb->seq, xs->rcv_nxt))
		return DELIVER_NONE;	/* out of order: ofo_queue()'s */
	off = xs->rcv_nxt - cb->seq;
	if (off >= skb->len)
		return DELIVER_NONE;
	/*
	 * The text we have already goes first (Linux queues it and skips it
	 * when reading). pskb_pull() may give the skb a new head, and leaves
	 * an owned skb's truesize as it was (pskb_expand_head()): an skb
	 * charged already, from the out-of-order queue, gives its charge back
	 * for the pull and is charged its new truesize whatever the limits (it
	 * held all but the head's growth). Else its truesize would lie, and a
	 * later merge of it (skb_try_coalesce()) warn and miscount.
	 */
	if (off) {
		if (charged)
			skb_orphan(skb);
		if (!pskb_pull(skb, off))
			return DELIVER_NONE;
		if (charged)
			xtcp_forced_mem_schedule(sk, skb->truesize);
	}
	/*
	 * Over the buffer: collapse and prune to make room. In-window text is
	 * taken even if that was not enough: the window we advertised promised
	 * room for it, and a sender whose text we dropped would time out
	 * against a window that looks open. What its skbs' truesize adds
	 * beyond the promise (a sender's half-empty skbs on loopback) stays
	 * until the reader takes it; the window stays closed meanwhile.
	 */
	if (!charged && !xtcp_rcvq_admit(sk, skb)) {
		/* out of memory: tell the peer now, wake the reader */
		xtcp_trace_drop_skb(sock_net(sk), skb, "rcvq-no-memory");
		xtcp_send_ack(sk);
		sk->sk_data_ready(sk);
		return DELIVER_NONE;
	}
	cb->seq = xs->rcv_nxt;
	WRITE_ONCE(xs->rcv_nxt, xs->rcv_nxt + skb->len);
	xs->bytes_received += skb->len;
	tail = skb_peek_tail(&sk->sk_receive_queue);
	if (tail && xtcp_rcvq_coalesce(sk, tail, skb))
		return DELIVER_MERGED;
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	return DELIVER_QUEUED;
}

/*
 * What @skb's text costs for the window's growth (truesize_adjust()): with
 * @adjust, a head-less skb's head, which merging into the queue frees, not.
 */
static u32 grow_truesize(const struct sk_buff *skb, bool adjust)
{
	u32 truesize = skb->truesize;

	if (adjust && !skb_headlen(skb)) {
		truesize -= SKB_TRUESIZE(skb_end_offset(skb));
		if ((int)truesize < (int)skb->len)
			truesize = skb->truesize;
	}
	return truesize;
}

/* The states whose segments' text goes to the user (RFC 9293 §3.10.7.4). */
static bool receiving(const struct sock *sk)
{
	return xtcp_state_next(sk->sk_state, XTCP_EV_DATA,
			       xtcp_sk(sk)->passive).actions & XTCP_ACT_DELIVER;
}

static bool apply(struct sock *sk, enum xtcp_event ev, struct sk_buff *skb);

/*
 * @skb's FIN, if it is next in sequence: consumed once (not in CLOSE-WAIT+).
 * Returns true if it was. *@fin_ack: its ACK covered our FIN and rcv_ack()
 * left that to us: the two are one XTCP_EV_FIN_ACK (cleared once fed).
 */
static bool rcv_fin(struct sock *sk, struct sk_buff *skb, bool *fin_ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	enum xtcp_state st = sk->sk_state;

	xtcp_sock_assert_locked(sk);
	if (!(cb->flags & XTCP_FLAG_FIN) || cb->end_seq - 1 != xs->rcv_nxt)
		return false;
	if (st != XTCP_ESTABLISHED && st != XTCP_FIN_WAIT1 &&
	    st != XTCP_FIN_WAIT2 && st != XTCP_SYN_RECV)
		return false;
	WRITE_ONCE(xs->rcv_nxt, xs->rcv_nxt + 1);
	xtcp_ofo_purge(&xs->ofo);	/* nothing can follow a FIN */
	xtcp_sacks_reset(&xs->rcv_sacks);
	apply(sk, *fin_ack ? XTCP_EV_FIN_ACK : XTCP_EV_FIN, skb);
	*fin_ack = false;
	return true;
}

/*
 * D-SACK (RFC 2883), as Linux 6.1 sends it: text that arrives again is named
 * in a SACK block of its own, the first of the next ACK (output.c), once;
 * with SACK agreed on and net.ipv4.tcp_dsack (net.xtcp.dsack) set. Counted as
 * tcp_dsack_set() counts it, by where it starts: below RCV.NXT
 * (TCPDSACKOldSent), else in the out-of-order queue (TCPDSACKOfoSent).
 */
static bool dsack_on(struct sock *sk)
{
	return xtcp_sk(sk)->sack_ok &&
	       xtcp_sysctl(sock_net(sk), dsack, sysctl_tcp_dsack);
}

static void dsack_count(struct sock *sk, u32 seq)
{
	xtcp_inc_stat(sock_net(sk),
		      xtcp_seq_before(seq, xtcp_sk(sk)->rcv_nxt) ?
		      XTCP_STAT_DSACK_OLD_SENT : XTCP_STAT_DSACK_OFO_SENT);
}

static void dsack_set(struct sock *sk, u32 seq, u32 end_seq)
{
	if (!dsack_on(sk))
		return;
	dsack_count(sk, seq);
	xtcp_dsack_set(&xtcp_sk(sk)->rcv_sacks, seq, end_seq);
}

static void dsack_extend(struct sock *sk, u32 seq, u32 end_seq)
{
	struct xtcp_rcv_sacks *s = &xtcp_sk(sk)->rcv_sacks;

	if (!dsack_on(sk))
		return;
	if (!s->dsack)
		dsack_count(sk, seq);
	xtcp_dsack_extend(s, seq, end_seq);
}

/*
 * A segment answered by a duplicate ACK, out of window or stale by PAWS
 * (tcp_send_dupack()): what it carries below RCV.NXT is a D-SACK.
 */
static void dsack_dupack(struct sock *sk, const struct xtcp_skb_cb *cb)
{
	u32 rcv_nxt = xtcp_sk(sk)->rcv_nxt;

	if (cb->seq != cb->end_seq && xtcp_seq_before(cb->seq, rcv_nxt)) {
		xtcp_ack_dup_text(sk);
		dsack_set(sk, cb->seq, xtcp_seq_after(cb->end_seq, rcv_nxt) ?
			  rcv_nxt : cb->end_seq);
	}
}

/*
 * Text or a FIN beyond RCV.NXT: held in the out-of-order queue, charged to
 * the receive buffer (which grows to hold it, up to rmem[2], else the queues
 * are collapsed: xtcp_rcvq_room()), and answered with a duplicate ACK (RFC
 * 5681 §4.2) that carries SACK blocks, at once or compressed (ack.c). One
 * dropped for want of room gets none, as in tcp_data_queue_ofo(). Consumes
 * @skb.
 */
static void ofo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	u32 seq = XTCP_SKB_CB(skb)->seq, end_seq = XTCP_SKB_CB(skb)->end_seq;
	u32 len, truesize;
	struct sk_buff *prev;

	xtcp_sock_assert_locked(sk);
	if (!xtcp_rcvq_room(sk, skb, true)) {
		xtcp_inc_stat(net, XTCP_STAT_OFO_DROP);
		xtcp_trace_drop_skb(net, skb, "ofo-no-room");
		kfree_skb(skb);
		return;	/* no ACK for it, as tcp_data_queue_ofo() sends none */
	}
	skb_dst_drop(skb);
	/*
	 * Into the queued segment it continues, as tcp_data_queue_ofo() does
	 * (TCPRcvCoalesce): a run of small segments beyond a hole costs what
	 * one does, not a truesize each.
	 */
	prev = xtcp_ofo_ending_at(&xs->ofo, seq, end_seq);
	len = skb->len;
	truesize = grow_truesize(skb, true);
	if (prev && xtcp_rcvq_coalesce(sk, prev, skb)) {
		xtcp_inc_stat(net, XTCP_STAT_OFO_QUEUE);
		/* without SACK the window stays, for the duplicate ACKs */
		if (xs->sack_ok)
			xtcp_grow_window(sk, len, truesize);
		goto sack;
	}
	if (xs->sack_ok)
		xtcp_grow_window(sk, len, grow_truesize(skb, false));
	skb_set_owner_r(skb, sk);
	/* what it repeats of the queue: a D-SACK (none was left: rcv_synchronized()) */
	if (xtcp_ofo_insert(&xs->ofo, skb, dsack_on(sk) ? &xs->rcv_sacks :
			    NULL) == XTCP_OFO_QUEUED) {
		xtcp_inc_stat(net, XTCP_STAT_OFO_QUEUE);
	} else {
		xtcp_inc_stat(net, XTCP_STAT_DUP_DATA);
		kfree_skb(skb);
	}
	if (xs->rcv_sacks.dsack)
		xtcp_inc_stat(net, XTCP_STAT_DSACK_OFO_SENT);
sack:
	/* a duplicate too: its block is reported first again */
	if (xs->sack_ok)
		xtcp_sacks_add(&xs->rcv_sacks, seq, end_seq);
	xtcp_ack_ofo_queued(sk);
}

/*
 * RCV.NXT moved: what waited in the out-of-order queue and now connects goes
 * to the receive queue, and a FIN with it (*@fin set). Returns true if text
 * was queued. What a queued segment repeats of the text just received (below
 * RCV.NXT as it was on entry) is a D-SACK, as tcp_ofo_queue() reports it.
 */
static bool ofo_drain(struct sock *sk, bool *fin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 dsack_high = xs->rcv_nxt;
	struct sk_buff *skb;
	bool queued = false, fin_ack = false;

	xtcp_sock_assert_locked(sk);
	while (!*fin && (skb = xtcp_ofo_pop(&xs->ofo, xs->rcv_nxt))) {
		enum deliver_result res = DELIVER_NONE;
		u32 seq = XTCP_SKB_CB(skb)->seq, end = XTCP_SKB_CB(skb)->end_seq;

		if (xtcp_seq_before(seq, dsack_high))
			dsack_extend(sk, seq, xtcp_seq_before(end, dsack_high) ?
				     end : dsack_high);

		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->rcv_nxt)) {
			res = deliver(sk, skb, true);
			queued |= res != DELIVER_NONE;
			/* a merged skb is gone, and never had a FIN */
			if (res != DELIVER_MERGED)
				*fin = rcv_fin(sk, skb, &fin_ack);
		}
		if (res == DELIVER_NONE)
			kfree_skb(skb);
	}
	return queued;
}

/*
 * A new urgent pointer (tcp_check_urg()): the reader is told (SIGURG), and
 * recv() will stop at it. One urgent byte is kept at a time: a later pointer
 * replaces an earlier one whose byte the reader has not taken, and the
 * earlier byte, if the reader stands on it, is dropped from the stream (it
 * was out of band).
 */
static void check_urg(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 ptr = xtcp_urg_seq_in(cb->seq, cb->urg_ptr);

	xtcp_sock_assert_locked(sk);
	if (xtcp_seq_after(xs->copied_seq, ptr) ||	/* read already */
	    xtcp_seq_before(ptr, xs->rcv_nxt) ||	/* not replayed */
	    (xs->urg_data && !xtcp_seq_after(ptr, xs->urg_seq)))
		return;
	sk_send_sigurg(sk);
	if (xs->urg_seq == xs->copied_seq && xs->urg_data &&
	    !sock_flag(sk, SOCK_URGINLINE) && xs->copied_seq != xs->rcv_nxt) {
		struct sk_buff *head = skb_peek(&sk->sk_receive_queue);

		WRITE_ONCE(xs->copied_seq, xs->copied_seq + 1);
		if (head && xs->copied_seq - XTCP_SKB_CB(head)->seq >= head->len) {
			__skb_unlink(head, &sk->sk_receive_queue);
			kfree_skb(head);
		}
	}
	WRITE_ONCE(xs->urg_data, XTCP_URG_NOTYET);
	WRITE_ONCE(xs->urg_seq, ptr);
}

/* The sixth check of RFC 9293 §3.10.7.4, the URG bit (tcp_urg()). */
static void rcv_urg(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 off;
	u8 c;

	xtcp_sock_assert_locked(sk);
	if (cb->flags & XTCP_FLAG_URG)
		check_urg(sk, skb);
	if (xs->urg_data != XTCP_URG_NOTYET)
		return;
	/* is the byte in this segment? (skb->data is at its text) */
	off = xs->urg_seq - cb->seq - !!(cb->flags & XTCP_FLAG_SYN);
	if (off < skb->len && !skb_copy_bits(skb, off, &c, 1)) {
		/* poll() reads urg_data without the lock: EPOLLPRI */
		smp_wmb();
		WRITE_ONCE(xs->urg_data, XTCP_URG_VALID | c);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	}
}

/*
 * RFC 7323 §5.3 R1, before anything else is believed (tcp_validate_incoming()):
 * a segment with an older timestamp than TS.Recent is an old duplicate, and
 * is answered with an ACK and dropped. A RST is not judged so; nor a pure
 * duplicate ACK that changes nothing, which a reordering network may deliver
 * after a newer one (tcp_disordered_ack()).
 */
static bool paws_reject(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	xtcp_sock_assert_locked(sk);
	if (!xs->ts_ok || !cb->has_ts || (cb->flags & XTCP_FLAG_RST) ||
	    xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
			 ktime_get_seconds(), XTCP_PAWS_WINDOW))
		return false;
	if ((cb->flags & XTCP_FLAG_ACK) && cb->seq == cb->end_seq &&
	    cb->seq == xs->rcv_nxt && cb->ack == xs->snd_una &&
	    ((u32)cb->window << xs->snd_wscale) == xs->snd_wnd &&
	    (s32)(xs->ts_recent - cb->tsval) <= (s32)xs->rto_ms)
		return false;
	return true;
}

/*
 * Apply one event. Returns false when processing of the segment must stop
 * (the connection is gone, or the segment was answered and dropped).
 */
static bool apply(struct sock *sk, enum xtcp_event ev, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_transition t;
	int old = sk->sk_state;

	xtcp_sock_assert_locked(sk);
	t = xtcp_state_next(old, ev, xs->passive);
	/* the dup-ACK for an unacceptable sequence (tcp_validate_incoming()) */
	if ((t.actions & XTCP_ACT_ACK) && ev == XTCP_EV_UNACCEPTABLE &&
	    xtcp_oow_ack_limited(sock_net(sk), XTCP_SKB_CB(skb),
				 XTCP_STAT_ACK_SKIPPED_SEQ,
				 &xs->last_oow_ack_time))
		t.actions &= ~XTCP_ACT_ACK;

	if (t.actions & XTCP_ACT_RST) {
		xtcp_send_reset(sock_net(sk), skb);
		return false;
	}
	if (t.actions & XTCP_ACT_CHALLENGE) {
		/* RFC 5961 §4.2, counted as tcp_validate_incoming() counts it */
		if (XTCP_SKB_CB(skb)->flags & XTCP_FLAG_SYN) {
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYN_CHALLENGE);
			if (old == XTCP_ESTABLISHED)
				xtcp_inc_stat(sock_net(sk), XTCP_STAT_IN_ERRS);
		}
		xtcp_send_challenge_ack(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_DROP_CHILD) {
		xtcp_done(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_ABORTED) {
		WRITE_ONCE(sk->sk_err, -t.err);
		if (old == XTCP_SYN_SENT)
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_ATTEMPT_FAILS);
		sk_error_report(sk);
		xtcp_done(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_TW_TIMER) {
		/* seen by tracing; a bucket takes the socket's place at once */
		xtcp_set_state(sk, XTCP_TIME_WAIT);
		if (t.actions & XTCP_ACT_ACK)
			xtcp_send_ack(sk);
		xtcp_time_wait(sk);
		return false;
	}
	if (t.next == XTCP_CLOSE && old != XTCP_CLOSE) {
		xtcp_done(sk);		/* LAST-ACK: our FIN acknowledged */
		return false;
	}

	xtcp_set_state(sk, t.next);
	if (t.actions & XTCP_ACT_SYNACK)
		xtcp_send_synack(sk);
	if (t.actions & XTCP_ACT_EOF) {
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		sk->sk_state_change(sk);
		if (sk->sk_socket)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
	if (t.actions & XTCP_ACT_CONNECTED) {
		/*
		 * tcp_initialize_rcv_mss() and the receive window
		 * (tcp_init_buffer_space()), before the handshake's ACK
		 * carries it; quick ACKs start with the first text
		 */
		xs->rcv_mss = clamp_t(u32, min_t(u32, xs->adv_mss ?: xs->mss,
						 XTCP_DEFAULT_MSS),
				      TCP_MIN_MSS, xs->mss);
		xtcp_init_buffer_space(sk);
	}
	if (t.actions & XTCP_ACT_ACK) {
		if (ev == XTCP_EV_FIN && t.next == XTCP_CLOSE_WAIT)
			xtcp_ack_fin_received(sk);	/* by the delayed-ACK rules */
		else
			xtcp_send_ack(sk);
	}
	if (t.actions & XTCP_ACT_CONNECTED) {
		WRITE_ONCE(xs->retries, 0);
		xs->lrcv_time = jiffies;
		xs->rcv_tstamp = jiffies;
		xs->lsndtime = tcp_jiffies32;	/* tcp_init_transfer() */
		xs->snd_cwnd_stamp = tcp_jiffies32;
		/*
		 * our SYN, or SYN+ACK, is delivered: tcp_ack() counts the
		 * first in tcp_clean_rtx_queue(), tcp_rcv_state_process() the
		 * second (tp->delivered++)
		 */
		xs->delivered++;
		xs->snd_sml = xs->snd_una;
		xs->snd_up = xs->snd_una;
		if (sock_flag(sk, SOCK_KEEPOPEN))
			xtcp_keepalive_reset(sk);
		xtcp_ca_init(sk);
		/* tcp_rcv_state_process() in SYN-RECV; not the active end's */
		if (xs->passive && !xs->ca_ops->cong_control)
			xtcp_update_pacing_rate(sk);
		if (xs->passive) {
			xtcp_route_child(sk);
			xtcp_child_established(sk);
		} else {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		if (sk->sk_state == XTCP_ESTABLISHED)
			xtcp_push(sk);
	}
	if (t.next == XTCP_FIN_WAIT2 && old != XTCP_FIN_WAIT2) {
		/*
		 * tcp_rcv_state_process(): an orphan whose TCP_LINGER2 is below
		 * 0 does not wait in FIN-WAIT-2; the ACK of its FIN is answered
		 * with a RST, counted as AbortOnData
		 */
		if (sock_flag(sk, SOCK_DEAD) && READ_ONCE(xs->linger2) < 0) {
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_DATA);
			xtcp_send_reset(sock_net(sk), skb);
			xtcp_done(sk);
			return false;
		}
		xtcp_timer_fin_wait2(sk);
	}
	return sk->sk_state != XTCP_CLOSE;
}

/* SYN-SENT (RFC 9293 §3.10.7.3). */
static void rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	bool ack_ok = false, ts_offered;

	xtcp_sock_assert_locked(sk);
	if (cb->flags & XTCP_FLAG_ACK) {
		ack_ok = xtcp_ack_of_syn_acceptable(cb->ack, xs->iss,
						    xs->snd_nxt);
		if (!ack_ok) {
			if (!(cb->flags & XTCP_FLAG_RST))
				apply(sk, XTCP_EV_BAD_ACK, skb);
			return;
		}
	}
	if (cb->flags & XTCP_FLAG_RST) {
		apply(sk, ack_ok ? XTCP_EV_RST : XTCP_EV_RST_INEXACT, skb);
		return;
	}
	if (!(cb->flags & XTCP_FLAG_SYN))
		return;

	ts_offered = xs->ts_ok;
	xtcp_syn_learn(sk, skb);
	xtcp_ecn_rcv_syn(sk, cb->flags);
	xs->snd_wl2 = cb->ack;
	if (ack_ok) {
		/* our SYN counts, as tcp_ack()'s tcp_snd_una_update() counts it */
		xs->bytes_acked += cb->ack - xs->snd_una;
		WRITE_ONCE(xs->snd_una, cb->ack);
		/* no sample: the RTO afresh, the fallback if the SYN went again
		 * (tcp_init_metrics())
		 */
		if (!rtt_ack(sk, cb->ack, cb, true))
			rto_afresh(xs);
		/*
		 * tcp_ack()'s tcp_cong_control() sets the pacing rate before
		 * tcp_rcv_synsent_state_process() settles the timestamp option:
		 * in an MSS less the option our SYN offered, taken or not (its
		 * tcp_ack_update_window() synced the MSS to the peer's option
		 * and window). The first flight's skbs are sized by that rate.
		 */
		if (!xs->ca_ops->cong_control)
			xtcp_set_pacing_rate(sk, xtcp_mss_for(sk, xs->pmtu_cookie,
							      ts_offered));
		xtcp_timer_syn_acked(sk);
		apply(sk, XTCP_EV_SYN_ACK, skb);
	} else {
		apply(sk, XTCP_EV_SYN, skb);	/* simultaneous open */
	}
}

/* The SACK blocks of an ACK, if it has any and SACK was agreed on. */
static const struct xtcp_options *ack_sacks(struct sock *sk,
					    struct sk_buff *skb,
					    struct xtcp_options *opt)
{
	const u8 *th = skb_transport_header(skb);
	unsigned int hlen = (th[XTCP_OFF_DOFF] >> 4) * 4;

	if (!XTCP_SKB_CB(skb)->has_sack || !xtcp_sk(sk)->sack_ok)
		return NULL;
	if (xtcp_parse_options(th + XTCP_HDR_LEN, hlen - XTCP_HDR_LEN, false,
			       opt) || !(opt->present & XTCP_OPTF_SACK))
		return NULL;
	return opt;
}

/*
 * RFC 7323 §4.3: TS.Recent from a segment at Last.ACK.sent, never older; and,
 * as tcp_ack() takes it (FLAG_UPDATE_TS_RECENT), only from a segment whose
 * ACK proved acceptable, so that one with a forged ACK cannot move it.
 */
static void update_ts_recent(struct xtcp_sock *xs, const struct xtcp_skb_cb *cb)
{
	if (cb->has_ts && xs->ts_ok && xtcp_seq_leq(cb->seq, xs->rcv_wup) &&
	    xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
			 ktime_get_seconds(), 0)) {
		xs->ts_recent = cb->tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}
}

/*
 * May the ACK of our FIN wait for @skb's own FIN, to go with it as one
 * XTCP_EV_FIN_ACK? Only where rcv_fin() will take that FIN: it comes with
 * the text at RCV.NXT, in a state that still receives (FIN-WAIT-1).
 */
static bool fin_follows(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	return (cb->flags & XTCP_FLAG_FIN) && sk->sk_state == XTCP_FIN_WAIT1 &&
	       !xtcp_seq_after(cb->seq, xtcp_sk(sk)->rcv_nxt);
}

/* The peer's window takes the whole of the send head (tcp_ack_probe()). */
static bool window_takes_head(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct sk_buff *head = xtcp_send_head(sk);

	return head && !xtcp_seq_after(XTCP_SKB_CB(head)->end_seq,
				       xs->snd_una + xs->snd_wnd);
}

/*
 * The peer's window: a larger one than ever lets segments grow again, up
 * to half of it (tcp_ack_update_window()'s tcp_sync_mss()).
 */
static void snd_wnd_update(struct sock *sk, u32 wnd)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->snd_wnd = wnd;
	if (wnd > xs->max_snd_wnd) {
		xs->max_snd_wnd = wnd;
		xtcp_sync_mss(sk, xs->pmtu_cookie);
	}
}

/*
 * The fifth check: what the ACK field says (state is synchronized or
 * SYN-RECV). *@fin_ack is set instead of feeding XTCP_EV_ACK_OF_FIN when the
 * segment's FIN follows (fin_follows()): rcv_fin() feeds the pair, or, if it
 * does not take the FIN after all, the caller feeds XTCP_EV_ACK_OF_FIN.
 */
static bool rcv_ack(struct sock *sk, struct sk_buff *skb, bool *fin_ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_options *sack;
	enum xtcp_ack_class class;
	struct xtcp_options opt;
	u32 acked, prior_packets, prior_delivered, prior_snd_una, nwin;
	bool fin_acked, reo_armed;
	int flag = 0;

	xtcp_sock_assert_locked(sk);
	if (sk->sk_state == XTCP_SYN_RECV) {
		if (!xtcp_ack_of_syn_acceptable(cb->ack, xs->iss, xs->snd_nxt))
			return apply(sk, XTCP_EV_BAD_ACK, skb);
		/*
		 * A simultaneous open's SYN counts in bytes_acked; a child's
		 * SYN+ACK does not: Linux's child starts with SND.UNA past it
		 * (tcp_create_openreq_child()).
		 */
		if (!xs->passive)
			xs->bytes_acked += cb->ack - xs->snd_una;
		WRITE_ONCE(xs->snd_una, cb->ack);
		snd_wnd_update(sk, (u32)cb->window << xs->snd_wscale);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = cb->ack;
		if (!rtt_ack(sk, cb->ack, cb, true))
			rto_afresh(xs);
		xtcp_timer_syn_acked(sk);
		if (!apply(sk, XTCP_EV_ACK_OF_SYN, skb))
			return false;
	}

	/*
	 * RFC 5961 §5.2: an ACK below SND.UNA by more than the peer's largest
	 * window is refused; by no more than what it has acknowledged either
	 * (tcp_ack(): no ACK for bytes we never sent).
	 */
	class = xtcp_ack_classify(cb->ack, xs->snd_una, xs->snd_nxt,
				  min_t(u64, xs->max_snd_wnd, xs->bytes_acked));
	if (!xtcp_ack_acceptable(class))
		return apply(sk, XTCP_EV_BAD_ACK, skb);
	update_ts_recent(xs, cb);
	/* its echo, for the undo of a spurious reduction (recovery.c) */
	xs->saw_tsecr = xs->ts_ok && cb->has_ts && cb->tsecr;
	xs->rcv_tsecr = cb->tsecr;
	/* the peer is alive and heard us (tcp_ack()); an old ACK proves neither */
	if (!xtcp_seq_before(cb->ack, xs->snd_una)) {
		/* an ECN echo, and the peer's CWR, on it (tcp_ack()) */
		if (xtcp_ecn_echo(xs, cb->flags))
			flag |= XTCP_ACKF_ECE;
		xtcp_ecn_accept_cwr(sk, skb);
		WRITE_ONCE(sk->sk_err_soft, 0);
		xs->probes_out = 0;
		xs->rcv_tstamp = jiffies;
	}

	/*
	 * What tcp_ack()'s flags say of it, for the loss probe's episode:
	 * SND.UNA moves, or it is no duplicate (text, FIN, or the window it
	 * would update, tcp_may_update_window(); a larger or zero one)
	 */
	nwin = (u32)cb->window << xs->snd_wscale;
	if (xtcp_seq_after(cb->ack, xs->snd_una))
		flag |= XTCP_ACKF_UNA_ADVANCED | XTCP_ACKF_NOT_DUP;
	if (cb->seq != cb->end_seq || xtcp_seq_after(cb->seq, xs->snd_wl1) ||
	    (cb->seq == xs->snd_wl1 && (nwin > xs->snd_wnd || !nwin)))
		flag |= XTCP_ACKF_NOT_DUP;

	/* window update (RFC 9293 §3.10.7.4, SND.WL1/SND.WL2) */
	if (xtcp_seq_before(xs->snd_wl1, cb->seq) ||
	    (xs->snd_wl1 == cb->seq && xtcp_seq_leq(xs->snd_wl2, cb->ack))) {
		snd_wnd_update(sk, (u32)cb->window << xs->snd_wscale);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = cb->ack;
	}
	/*
	 * A peer that answers while its window is closed is alive: the probes
	 * (the timer's retransmissions into the zero window) go on, backing
	 * off, for as long as it answers; only unanswered ones count towards
	 * retries2, as TCP counts icsk_probes_out.
	 */
	if (!xs->snd_wnd)
		WRITE_ONCE(xs->retries, 0);
	sack = ack_sacks(sk, skb, &opt);
	/* the skbs it (S)ACKs feed its rate sample (rate.h) */
	xtcp_rate_ack_start(&xs->rate, &xs->rs);
	if (class != XTCP_ACK_NEW) {
		/* RFC 5681 §2 (a)-(d): what counts as a duplicate ACK */
		bool dup = !skb->len && cb->ack == xs->snd_una &&
			   xs->snd_una != xs->snd_nxt &&
			   !(cb->flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN));

		/*
		 * Nothing in flight, and the window now takes the send head:
		 * the probes' back-off is forgotten, and it goes now, timed by
		 * a fresh RTO, not one grown to minutes (tcp_ack_probe()).
		 */
		if (!xs->packets_out && xs->backoff && window_takes_head(sk)) {
			WRITE_ONCE(xs->retries, 0);
			rto_afresh(xs);
			xtcp_timer_window_reopened(sk);
		}

		xtcp_ack_recovery(sk, cb->ack, xs->snd_una, 0, xs->packets_out,
				  xs->delivered, dup, flag, sack);
		trace_xtcp_probe(sk, skb);
		xtcp_push(sk);
		return apply(sk, XTCP_EV_ACK, skb);
	}

	rtt_ack(sk, cb->ack, cb, false);
	prior_snd_una = xs->snd_una;
	xs->bytes_acked += cb->ack - xs->snd_una;
	WRITE_ONCE(xs->snd_una, cb->ack);
	prior_packets = xs->packets_out;
	prior_delivered = xs->delivered;
	xs->prior_in_flight = xtcp_pipe(xs);
	xtcp_dsack_acked_start(sk, sack, cb->ack);
	acked = xtcp_clean_rtx_queue(sk, cb->ack);
	if (xs->urg_mode && !xtcp_seq_before(xs->snd_una, xs->snd_up))
		xs->urg_mode = 0;	/* the urgent data is through */
	reo_armed = xtcp_ack_recovery(sk, cb->ack, prior_snd_una, acked,
				      prior_packets, prior_delivered, false,
				      flag, sack);
	trace_xtcp_probe(sk, skb);	/* what the ACK did, before we send */
	xtcp_sndbuf_expand(sk);		/* the window grew: the buffer with it */
	WRITE_ONCE(xs->retries, 0);
	xs->stall_start_ns = ktime_get_ns();	/* progress */
	/* RACK's timer, if it armed it, stays (FLAG_SET_XMIT_TIMER cleared) */
	if (xtcp_sack_reneging(sk))
		xtcp_timer_sack_reneging(sk);
	else if (!reo_armed)
		xtcp_timer_data_acked(sk);
	fin_acked = xs->fin_queued && cb->ack == xs->write_seq;
	/* tcp_data_snd_check(): what may go now, then the writer's room */
	xtcp_push(sk);
	xtcp_check_space(sk);
	if (fin_acked && fin_follows(sk, skb)) {
		*fin_ack = true;
		return true;
	}
	return apply(sk, fin_acked ? XTCP_EV_ACK_OF_FIN : XTCP_EV_ACK, skb);
}

/* Every state from SYN-RECV on (RFC 9293 §3.10.7.4). Consumes @skb. */
static void rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 seglen = cb->end_seq - cb->seq;
	u32 wnd = xtcp_rcv_window_now(sk);
	enum deliver_result res = DELIVER_NONE;
	bool fin_ack = false;

	xtcp_sock_assert_locked(sk);
	/*
	 * The crossing SYN+ACK of a simultaneous open. A listener's child never
	 * sent a SYN of its own, so for it (as in tcp_check_req()) a SYN+ACK
	 * goes through the checks below and is answered, never accepted.
	 */
	if (sk->sk_state == XTCP_SYN_RECV && !xs->passive &&
	    (cb->flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_RST)) ==
	    (XTCP_FLAG_SYN | XTCP_FLAG_ACK) && cb->seq == xs->irs &&
	    xtcp_ack_of_syn_acceptable(cb->ack, xs->iss, xs->snd_nxt)) {
		xs->bytes_acked += cb->ack - xs->snd_una;	/* our SYN */
		WRITE_ONCE(xs->snd_una, cb->ack);
		xtcp_timer_syn_acked(sk);
		apply(sk, XTCP_EV_SYN_ACK, skb);
		goto drop;
	}

	if (paws_reject(sk, skb)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_PAWS_ESTAB);
		xtcp_trace_drop_skb(sock_net(sk), skb, "paws");
		if (!xtcp_oow_ack_limited(sock_net(sk), cb,
					  XTCP_STAT_ACK_SKIPPED_PAWS,
					  &xs->last_oow_ack_time)) {
			dsack_dupack(sk, cb);
			xtcp_send_ack(sk);
		}
		goto drop;
	}

	if (cb->flags & XTCP_FLAG_RST) {
		switch (xtcp_rst_classify(cb->seq, xs->rcv_nxt, max(wnd, 1U))) {
		case XTCP_RST_RESET:
			apply(sk, XTCP_EV_RST, skb);
			break;
		case XTCP_RST_CHALLENGE:
			apply(sk, XTCP_EV_RST_INEXACT, skb);
			break;
		default:
			break;
		}
		goto drop;
	}

	if (!xtcp_seq_acceptable(cb->seq, seglen, xs->rcv_nxt, wnd)) {
		/*
		 * A SYN in a synchronized state draws a challenge ACK wherever
		 * it falls (RFC 5961 §4.2; tcp_validate_incoming()'s
		 * syn_challenge), not the rate-limited dup-ACK of other
		 * segments out of window.
		 */
		if ((cb->flags & XTCP_FLAG_SYN) &&
		    xtcp_state_synchronized(sk->sk_state)) {
			apply(sk, XTCP_EV_SYN, skb);
			goto drop;
		}
		/* text we have already: a duplicate (retransmitted, or the network's) */
		if (skb->len && xtcp_seq_leq(cb->end_seq, xs->rcv_nxt))
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_DUP_DATA);
		/* not rate-limited: text always has its answer */
		dsack_dupack(sk, cb);
		apply(sk, XTCP_EV_UNACCEPTABLE, skb);
		goto drop;
	}

	if (cb->flags & XTCP_FLAG_SYN) {
		apply(sk, XTCP_EV_SYN, skb);
		goto drop;
	}
	if (!(cb->flags & XTCP_FLAG_ACK))
		goto drop;
	if (!rcv_ack(sk, skb, &fin_ack))
		goto drop;

	/*
	 * New text after close(): nobody will read it. RFC 1122 §4.2.2.13 says
	 * the peer must learn it from a RST; the connection is over (as
	 * tcp_rcv_state_process() does it, counted as AbortOnData).
	 */
	if ((sk->sk_shutdown & RCV_SHUTDOWN) && skb->len &&
	    ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) &&
	    xtcp_seq_after(cb->end_seq - !!(cb->flags & XTCP_FLAG_FIN),
			   xs->rcv_nxt)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_DATA);
		xtcp_send_reset(sock_net(sk), skb);
		WRITE_ONCE(sk->sk_err, ECONNRESET);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
		xtcp_done(sk);
		goto drop;
	}

	if (unlikely((cb->flags & XTCP_FLAG_URG) ||
		     xs->urg_data == XTCP_URG_NOTYET) && receiving(sk))
		rcv_urg(sk, skb);

	if ((skb->len || (cb->flags & XTCP_FLAG_FIN)) && receiving(sk)) {
		bool text = skb->len, fin, filled = false;
		u32 len = skb->len, truesize = grow_truesize(skb, true);

		if (text) {
			xtcp_ack_text_received(sk, skb,
					       !xtcp_seq_after(cb->seq, xs->rcv_nxt));
			xtcp_ecn_check_ce(sk, skb);
		}
		/*
		 * A D-SACK not sent yet is forgotten, as tcp_data_queue()
		 * forgets it; a new one names what lies below RCV.NXT.
		 */
		xs->rcv_sacks.dsack = 0;
		if (xtcp_seq_before(cb->seq, xs->rcv_nxt))
			dsack_set(sk, cb->seq, xs->rcv_nxt);
		if (xtcp_seq_after(cb->seq, xs->rcv_nxt)) {
			ofo_queue(sk, skb);
			return;
		}
		res = deliver(sk, skb, false);
		if (res != DELIVER_NONE && len >= 128)
			xtcp_grow_window(sk, len, truesize);	/* tcp_event_data_recv() */
		if (res != DELIVER_NONE)
			sk->sk_data_ready(sk);
		/* a merged skb is gone, and never had a FIN */
		fin = res != DELIVER_MERGED && rcv_fin(sk, skb, &fin_ack);
		if (!fin && !RB_EMPTY_ROOT(&xs->ofo)) {
			if (ofo_drain(sk, &fin))
				sk->sk_data_ready(sk);
			filled = RB_EMPTY_ROOT(&xs->ofo);
		}
		/* the blocks RCV.NXT reached go, a D-SACK stays (tcp_sack_remove()) */
		if (RB_EMPTY_ROOT(&xs->ofo))
			xs->rcv_sacks.num = 0;
		else if (xs->rcv_sacks.num)
			xtcp_sacks_remove(&xs->rcv_sacks, xs->rcv_nxt);
		/* a FIN's own transition acknowledges the text before it */
		if (text && !fin)
			xtcp_ack_text_queued(sk, filled);
		else if (fin && filled)
			xtcp_ack_owed_now(sk);	/* the hole is filled: at once */
	} else if (cb->flags & XTCP_FLAG_FIN) {
		rcv_fin(sk, skb, &fin_ack);
	}
	/* the FIN was not taken after all: our FIN's ACK on its own */
	if (fin_ack)
		apply(sk, XTCP_EV_ACK_OF_FIN, skb);
	if (res != DELIVER_NONE)
		return;		/* queued, or merged and freed */
drop:
	kfree_skb(skb);
}

/* A segment for @sk, which is locked. Consumes @skb. */
int xtcp_rcv(struct sock *sk, struct sk_buff *skb)
{
	/* a GRO'd (or a peer's GSO) skb counts its segments (tcp_segs_in()) */
	u16 segs = max_t(u16, 1, skb_shinfo(skb)->gso_segs);

	xtcp_sock_assert_locked(sk);
	xtcp_sk(sk)->segs_in += segs;
	if (skb->len)
		xtcp_sk(sk)->data_segs_in += segs;
	switch (sk->sk_state) {
	case XTCP_LISTEN:
		xtcp_child_listener_rcv(sk, skb);
		return 0;
	case XTCP_SYN_SENT:
		rcv_syn_sent(sk, skb);
		break;
	case XTCP_CLOSE:
		/* gone since the lookup: answer as a closed port would */
		xtcp_send_reset(sock_net(sk), skb);
		break;
	default:
		rcv_synchronized(sk, skb);
		return 0;
	}
	kfree_skb(skb);
	return 0;
}
