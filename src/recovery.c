// SPDX-License-Identifier: GPL-2.0
/*
 * recovery.c: the sender's side of loss: the SACK scoreboard (RFC 2018), fast
 * retransmit and recovery (RFC 5681 §3.2, RFC 6675 with SACK, NewReno's
 * RFC 6582 without), the retransmission time-out's go-back (RFC 5681 §3.1,
 * RFC 6298 §5), and the calls into the congestion control (cong.h).
 *
 * Accounting, in segments (each skb of the retransmission queue, rtxq.h, is
 * one), as the kernel's TCP keeps it:
 *   packets_out	sent and not cumulatively acknowledged
 *   sacked_out		of those, SACKed (without SACK: one per duplicate ACK)
 *   lost_out		of those, deemed lost
 *   retrans_out	of the lost, sent again and not yet acknowledged
 * and pipe, what the network holds, = packets_out - sacked_out - lost_out +
 * retrans_out (RFC 6675 §4). New or repaired segments go out while pipe is
 * below cwnd. Every function here runs under the socket lock.
 *
 * The work per ACK is bounded as Linux's is, not by the data in flight: each
 * SACK block costs a search of the rbtree, O(log n), and a walk of the skbs
 * it covers that no block of the previous ACK covered (tcp_sacktag_write_queue()
 * with recv_sack_cache); IsLost and the search for the next segment to repair
 * go on from where they stopped (lost_skb_hint, retransmit_skb_hint), so that
 * a recovery walks the queue about once. A block over segments SACKed already
 * jumps the run they form (sacked_run_end()): Linux merges SACKed skbs
 * (tcp_shift_skb_data()), so that its walk over them is short; xtcp keeps one
 * skb per segment and remembers where each run ends instead, so that blocks
 * that alternate between ACKs over the same segments cost a search or two,
 * not a walk. Only rare events walk the whole queue, as in Linux: a time-out
 * (xtcp_enter_loss()), reneging, a smaller path MTU.
 */
#include <linux/ktime.h>
#include <net/tcp.h>

#include "cong.h"
#include "ecn.h"
#include "isn.h"
#include "netns.h"
#include "output.h"
#include "recovery.h"
#include "rtxq.h"
#include "seq.h"
#include "timer.h"
#include "xtcp.h"

u32 xtcp_pipe(const struct xtcp_sock *xs)
{
	s64 pipe = (s64)xs->packets_out - xs->sacked_out - xs->lost_out +
		   xs->retrans_out;

	return WARN_ON_ONCE(pipe < 0) ? 0 : pipe;
}

/*
 * Congestion state of a new socket: @ops (its module held) or the default.
 * The algorithm's init comes once the connection is established
 * (xtcp_ca_init(), as tcp_init_transfer() calls tcp_init_congestion_control()).
 */
void xtcp_cc_start(struct sock *sk, const struct xtcp_congestion_ops *ops)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ca_ops = ops;
	xs->ca_initialized = 0;
	memset(&xs->cc, 0, sizeof(xs->cc));
	xs->cc.cwnd = XTCP_INIT_CWND;
	xs->cc.ssthresh = XTCP_INFINITE_SSTHRESH;
	/* tcp_init_sock() */
	xs->reordering = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_reordering);
	xs->undo_marker = 0;
	xs->undo_retrans = -1;
	/* tcp_init_sock(), and for a child tcp_create_openreq_child() */
	xs->reord_seen = 0;
	memset(&xs->rack, 0, sizeof(xs->rack));
	xs->rack.reo_wnd_steps = 1;
	xtcp_rate_init(&xs->rate);
}

/* net.xtcp.congestion_control for a new socket, or reno if it went away. */
void xtcp_cc_default(struct sock *sk)
{
	const struct xtcp_congestion_ops *ops;
	char name[XTCP_CA_NAME_MAX];

	xtcp_cong_default(xtcp_net(sock_net(sk)), name);
	ops = xtcp_cong_get(name) ?: &xtcp_reno;
	xtcp_cong_put(xtcp_sk(sk)->ca_ops);
	xtcp_cc_start(sk, ops);
}

/*
 * Switch to @ops (TCP_CONGESTION, tcp_reinit_congestion_control()): the old
 * algorithm releases its state and its module; the windows stay, the new
 * one's state starts afresh, and its init runs at once unless the socket is
 * yet to connect (or listens), when it waits for the connection.
 */
void xtcp_cc_switch(struct sock *sk, const struct xtcp_congestion_ops *ops)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_congestion_ops *old = xs->ca_ops;

	xtcp_sock_assert_locked(sk);
	xtcp_ca_release(sk);
	xs->ca_ops = ops;
	xs->ca_initialized = 0;
	memset(xs->cc.priv, 0, sizeof(xs->cc.priv));
	xs->cc.cwnd_cnt = 0;
	if (sk->sk_state != XTCP_CLOSE && sk->sk_state != XTCP_LISTEN)
		xtcp_ca_init(sk);
	xtcp_cong_put(old);
}

/*
 * Data from @low_seq was delivered after data above it, up to @fack: the
 * network reorders by that many segments (tcp_check_sack_reordering()'s
 * metric, in whole MSS). IsLost then waits for as many SACKed segments above
 * a hole (RFC 6675 §5's DupThresh made adaptive, as tp->reordering is in
 * Linux's TCP), so that reordering is not taken for loss. Reorder counts
 * the times it grew.
 */
static void reorder_to(struct xtcp_sock *xs, u32 low_seq, u32 fack)
{
	u32 d;

	if (!xtcp_seq_before(low_seq, fack))
		return;
	d = DIV_ROUND_UP(fack - low_seq, max_t(u32, xs->mss, 1));
	d = min_t(u32, d, READ_ONCE(sock_net(&xs->inet.sk)->ipv4.sysctl_tcp_max_reordering));
	if (d > xs->reordering) {
		xs->reordering = d;
		xtcp_inc_stat(sock_net(&xs->inet.sk), XTCP_STAT_REORDER);
	}
}

/*
 * @skb arrived after segments sent after it were SACKed (@sacked: this ACK
 * SACKs it; else it is cumulatively ACKed): reordering, unless it was ever
 * sent again (TCPCB_RETRANS: its copies prove nothing). The SACK path is
 * Linux's tcp_sacktag_write_queue(), which judges none in the Loss state
 * without an undo pending; the cumulative one tcp_clean_rtx_queue(), which
 * judges in every state. The distance is from the segment's start to the
 * highest SACK before this ACK (Linux's prior_fack, or the fack the walk
 * has reached).
 */
static void reordered(struct xtcp_sock *xs, const struct sk_buff *skb,
		      bool sacked)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->ever_retrans || !xs->sacked_out ||
	    !xtcp_seq_before(cb->end_seq, xs->highest_sack))
		return;
	if (sacked && xs->ca_state == XTCP_CA_LOSS && !xs->undo_marker)
		return;
	reorder_to(xs, cb->seq, xs->highest_sack);
	/* one event per ACK and path (tcp_check_sack_reordering()) */
	if (sacked)
		xs->reord_sacked = 1;
	else
		xs->reord_acked = 1;
}

/* net.ipv4.tcp_recovery, or net.xtcp.recovery: TCP_RACK_* bits */
static int recovery_bits(const struct sock *sk)
{
	return xtcp_sysctl(sock_net(sk), recovery, sysctl_tcp_recovery);
}

/* tcp_is_rack(): losses are RACK's to find (RFC 8985 §6) */
static bool is_rack(const struct sock *sk)
{
	return recovery_bits(sk) & TCP_RACK_LOSS_DETECTION;
}

/* tcp_skb_sent_after(): @t1 and @seq1 went out after @t2 and @seq2. */
static bool rack_sent_after(u64 t1, u64 t2, u32 seq1, u32 seq2)
{
	return t1 > t2 || (t1 == t2 && xtcp_seq_after(seq1, seq2));
}

/*
 * tcp_rack_advance() (RFC 8985 §6.2 step 2): @skb was ACKed or SACKed now;
 * RACK remembers the latest transmission of those delivered, and the round
 * trip of the last delivered. One sent again and answered sooner than the
 * minimum RTT may be answered for an earlier copy: it proves nothing.
 */
static void rack_advance(struct xtcp_sock *xs, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u64 now = ktime_get_ns();
	u32 rtt_us;

	rtt_us = now > cb->tx_ns ? div_u64(now - cb->tx_ns, NSEC_PER_USEC) : 0;
	if (rtt_us < xtcp_rtt_min_us(&xs->rtt) && cb->ever_retrans)
		return;
	xs->rack.advanced = 1;
	xs->rack.rtt_us = rtt_us;
	if (rack_sent_after(cb->tx_ns, xs->rack.mstamp_ns, cb->end_seq,
			    xs->rack.end_seq)) {
		xs->rack.mstamp_ns = cb->tx_ns;
		xs->rack.end_seq = cb->end_seq;
	}
}

/*
 * tcp_skb_spurious_retrans(): @cb went out again, and the ACK echoes a TSval
 * older than that copy's: the original was answered.
 */
static bool spurious_retrans(const struct xtcp_sock *xs,
			     const struct xtcp_skb_cb *cb)
{
	/* that copy's TSval, as xtcp_isn_tsval() gave it then */
	u32 tsval = (u32)div_u64(cb->tx_ns, NSEC_PER_MSEC) + xs->ts_off;

	return cb->ever_retrans && xs->saw_tsecr &&
	       xtcp_seq_before(xs->rcv_tsecr, tsval);
}

/*
 * @cb, newly SACKed or cumulatively ACKed and not SACKed before, went once
 * only and before high_seq: the ACK has FLAG_ORIG_SACK_ACKED
 * (tcp_sacktag_one(), tcp_clean_rtx_queue()), which F-RTO reads.
 */
static void orig_delivered(struct xtcp_sock *xs, const struct xtcp_skb_cb *cb)
{
	if (!cb->ever_retrans && !xtcp_seq_after(cb->end_seq, xs->high_seq))
		xs->orig_acked = 1;
}

/* An skb leaves the write queue acknowledged: out of every count it is in. */
void xtcp_skb_acked(struct xtcp_sock *xs, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	/* its snapshot to the ACK's rate sample (tcp_clean_rtx_queue()) */
	xtcp_rate_skb_delivered(&xs->rate, cb, div_u64(cb->tx_ns, NSEC_PER_USEC),
				false, &xs->rs);
	if (!cb->sacked) {
		orig_delivered(xs, cb);
		reordered(xs, skb, false);
		/* without SACK, xtcp_ack_recovery() counts them */
		if (xs->sack_ok) {
			xs->delivered++;
			/* tcp_clean_rtx_queue(): not a spurious retransmission */
			if (!spurious_retrans(xs, cb))
				rack_advance(xs, skb);
		}
	}
	/* one sent again, reported twice by this ACK's D-SACK */
	if (unlikely(xs->dsack_acked_seq != xs->dsack_acked_end) &&
	    cb->ever_retrans && xtcp_seq_geq(cb->seq, xs->dsack_acked_seq) &&
	    xtcp_seq_leq(cb->end_seq, xs->dsack_acked_end) &&
	    xtcp_seq_after(cb->end_seq, xs->undo_marker))
		xs->dsack_acked++;
	xs->packets_out--;
	if (cb->sacked)
		xs->sacked_out--;
	if (cb->lost)
		xs->lost_out--;
	if (cb->retrans)
		xs->retrans_out--;
	if (xs->lost_hint == skb)
		xs->lost_hint = NULL;
	/* acknowledged from the head on: it lies before the mark hint */
	if (xs->mark_hint == skb)
		xs->mark_hint = NULL;
	else if (xs->mark_hint && cb->sacked)
		xs->mark_hint_sacked--;
}

/* Forget where the scoreboard's walks stopped: they start again from the head. */
static void hints_reset(struct xtcp_sock *xs)
{
	xs->lost_hint = NULL;
	xs->mark_hint = NULL;
	xs->mark_hint_sacked = 0;
}

/*
 * SACK marks were taken back, or an skb of the tree was split: a block of
 * the previous ACK no longer says that what it covers is marked.
 */
void xtcp_sack_cache_reset(struct xtcp_sock *xs)
{
	xs->sack_cache_num = 0;
}

void xtcp_recovery_reset(struct xtcp_sock *xs)
{
	xs->packets_out = 0;
	xs->sacked_out = 0;
	xs->lost_out = 0;
	xs->retrans_out = 0;
	hints_reset(xs);
	xtcp_sack_cache_reset(xs);
	xtcp_ca_set_state(&xs->inet.sk, XTCP_CA_OPEN);
	xs->dupacks = 0;
	xs->tlp_high_seq = 0;
	xs->tlp_retrans = 0;
	xs->undo_marker = 0;	/* tcp_clear_retrans() */
	xs->undo_retrans = -1;
	xs->retrans_stamp = 0;
}

static void mark_lost(struct xtcp_sock *xs, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->lost || cb->sacked)
		return;
	cb->lost = 1;
	xs->lost_out++;
	xs->lost++;
	/* xtcp_next_lost() must not pass it (tcp_verify_retransmit_hint()) */
	if (xs->lost_hint &&
	    xtcp_seq_before(cb->seq, XTCP_SKB_CB(xs->lost_hint)->seq))
		xs->lost_hint = skb;
}

static void mark_sacked(struct xtcp_sock *xs, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->sacked)
		return;
	reordered(xs, skb, true);
	orig_delivered(xs, cb);
	if (cb->lost) {
		cb->lost = 0;
		xs->lost_out--;
	}
	if (cb->retrans) {
		cb->retrans = 0;
		xs->retrans_out--;
	}
	rack_advance(xs, skb);
	cb->sacked = 1;
	cb->sack_run = cb->end_seq;
	xs->sacked_out++;
	xs->delivered++;
	/* its snapshot to the ACK's rate sample, once (tcp_sacktag_walk()) */
	xtcp_rate_skb_delivered(&xs->rate, cb, div_u64(cb->tx_ns, NSEC_PER_USEC),
				true, &xs->rs);
	if (xs->mark_hint &&
	    xtcp_seq_before(cb->seq, XTCP_SKB_CB(xs->mark_hint)->seq))
		xs->mark_hint_sacked++;
}

/*
 * The next segment to repair: lost, not sent again yet, not SACKed. The hint
 * remembers where the last search ended, so that a recovery walks the queue
 * once (a newly lost segment resets it).
 */
struct sk_buff *xtcp_next_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xs->lost_hint ?: xtcp_rtx_head(sk);

	xtcp_sock_assert_locked(sk);
	if (xs->lost_out <= xs->retrans_out)
		return NULL;
	for (; skb; skb = xtcp_rtx_next(skb)) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		xs->sack_steps++;
		if (cb->lost && !cb->retrans && !cb->sacked) {
			xs->lost_hint = skb;
			return skb;
		}
	}
	return NULL;
}

/*
 * A lost segment went out again (tcp_retransmit_skb()): the first of an
 * episode stamps it with its TSval, which an echo older than it proves
 * spurious (packet_delayed()); each one is a D-SACK to wait for before an
 * undo (undo_retrans).
 */
void xtcp_lost_sent(struct xtcp_sock *xs, struct sk_buff *skb)
{
	XTCP_SKB_CB(skb)->retrans = 1;
	XTCP_SKB_CB(skb)->ever_retrans = 1;
	xs->retrans_out++;
	xs->total_retrans++;
	if (!xs->retrans_stamp)
		xs->retrans_stamp = xtcp_isn_tsval(xs->ts_off) ?: 1;
	if (xs->undo_retrans < 0)
		xs->undo_retrans = 0;
	xs->undo_retrans++;
}

/*
 * From the SACKed @skb, the next skb of its run: the one its run's known end
 * starts, found in the tree, or the one after it.
 */
static struct sk_buff *sacked_run_step(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (xtcp_seq_after(cb->sack_run, cb->end_seq))
		return xtcp_rtx_find(sk, cb->sack_run, &xtcp_sk(sk)->sack_steps);
	return xtcp_rtx_next(skb);
}

/*
 * The first skb from the SACKed @skb on that is not SACKed, or starts at or
 * beyond @to; NULL at the tail. Each SACKed skb keeps a lower bound of the
 * end of its run of SACKed skbs (sack_run), and a jump there costs a search,
 * O(log n), not a step per skb. Every skb passed then learns the end found
 * (path compression, as in a union-find), so that a run walked once is
 * jumped from then on, wherever a block starts in it. Marks are only added,
 * but for sack_reneged() and a time-out, which take them all (and a new mark
 * sets sack_run afresh), so an end once learnt stays true.
 */
static struct sk_buff *sacked_run_end(struct sock *sk, struct sk_buff *skb,
				      u32 to)
{
	struct sk_buff *p = skb;
	u32 reach = XTCP_SKB_CB(skb)->seq;

	while (skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!cb->sacked || !xtcp_seq_before(cb->seq, to))
			break;
		xtcp_sk(sk)->sack_steps++;
		reach = xtcp_seq_after(cb->sack_run, cb->end_seq) ?
			cb->sack_run : cb->end_seq;
		skb = sacked_run_step(sk, skb);
	}
	/* the same way again: each skb passed now knows the run reaches @reach */
	while (p && xtcp_seq_before(XTCP_SKB_CB(p)->seq, reach)) {
		struct sk_buff *next = sacked_run_step(sk, p);

		XTCP_SKB_CB(p)->sack_run = reach;
		p = next;
	}
	return skb;
}

/*
 * Mark what the block [@start, @end) covers whole, looking only at the skbs
 * that reach into [@from, @to), a part of it that no block of the previous ACK
 * covered (tcp_sacktag_walk()): the first found in the tree, O(log n), then
 * those after it up to @to, runs of SACKed ones jumped.
 */
static void sack_walk(struct sock *sk, u32 start, u32 end, u32 from, u32 to)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xtcp_rtx_find(sk, from, &xs->sack_steps);

	while (skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		xs->sack_steps++;
		if (!xtcp_seq_before(cb->seq, to))
			break;
		if (cb->sacked) {
			skb = sacked_run_end(sk, skb, to);
			continue;
		}
		if (xtcp_seq_geq(cb->seq, start) && xtcp_seq_leq(cb->end_seq, end))
			mark_sacked(xs, skb);
		skb = xtcp_rtx_next(skb);
	}
}

/*
 * Walk block @b but for the parts that blocks of the previous ACK covered: what
 * lies wholly inside those is marked already (tcp_sacktag_write_queue() with
 * recv_sack_cache). A peer that repeats its blocks, or grows them, costs
 * O(log n) per block and the skbs newly covered.
 */
static void sack_block(struct sock *sk, const struct xtcp_sack_block *b)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 from = b->start;
	int j;

	for (j = 0; j < xs->sack_cache_num; j++) {
		const struct xtcp_sack_block *c = &xs->sack_cache[j];

		if (!xtcp_seq_after(c->end, from))
			continue;		/* before what is left */
		if (!xtcp_seq_before(c->start, b->end))
			break;			/* this and the rest after it */
		if (xtcp_seq_before(from, c->start))
			sack_walk(sk, b->start, b->end, from, c->start);
		from = c->end;
		if (!xtcp_seq_before(from, b->end))
			return;
	}
	sack_walk(sk, b->start, b->end, from, b->end);
}

/*
 * An ACK that takes SND.UNA forward is about to clean the queue, with
 * @opt's SACK blocks (or none): a first block below @ack may be a D-SACK of
 * segments this ACK takes, which check_dsack() then counts as Linux's
 * tcp_sacktag_one() does, for it still finds them in its queue (tcp_ack()
 * cleans it after tcp_sacktag_write_queue()). xtcp_skb_acked() notes them.
 */
void xtcp_dsack_acked_start(struct sock *sk, const struct xtcp_options *opt,
			    u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_sack_block *b = opt ? opt->sacks : NULL;

	xtcp_sock_assert_locked(sk);
	xs->dsack_acked = 0;
	xs->dsack_acked_seq = 0;
	xs->dsack_acked_end = 0;
	if (!b || !(opt->present & XTCP_OPTF_SACK) || !opt->num_sacks ||
	    !xtcp_seq_before(b[0].start, ack) ||
	    !xtcp_seq_before(b[0].start, b[0].end))
		return;
	xs->dsack_acked_seq = b[0].start;
	xs->dsack_acked_end = b[0].end;
}

/*
 * Does the D-SACK [@start, @end) name segments the scoreboard may still
 * hold (tcp_is_sackblock_valid() with is_dsack)? One above SND.UNA, within
 * what was sent; one below it only with an undo pending, wholly below, and
 * not wholly below the undo marker (one that crosses it by no more than the
 * largest window).
 */
static bool dsack_valid(const struct xtcp_sock *xs, u32 start, u32 end)
{
	if (xtcp_seq_after(end, xs->snd_nxt) || !xtcp_seq_before(start, end) ||
	    !xtcp_seq_before(start, xs->snd_nxt))
		return false;
	if (xtcp_seq_after(start, xs->snd_una))
		return true;
	if (!xs->undo_marker || xtcp_seq_after(end, xs->snd_una))
		return false;
	if (!xtcp_seq_before(start, xs->undo_marker))
		return true;
	if (!xtcp_seq_after(end, xs->undo_marker))
		return false;
	return !xtcp_seq_before(start, end - xs->max_snd_wnd);
}

/*
 * A segment still queued that the D-SACK reports twice (tcp_sacktag_one()
 * with dup_sack): sent again, it is a retransmission of the episode that
 * was not needed (undo_retrans); SACKed before, its other copy came late,
 * and that is reordering, from its start to the highest SACK (as Linux's
 * state->reord), unless after a time-out with no undo pending. A copy
 * still counted in flight is not: mark_sacked() takes it out of
 * retrans_out as the block's walk marks it.
 */
static void dsack_one(struct xtcp_sock *xs, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (!cb->ever_retrans)
		return;
	if (xs->undo_marker && xs->undo_retrans > 0 &&
	    xtcp_seq_after(cb->end_seq, xs->undo_marker))
		xs->undo_retrans--;
	if (cb->sacked && xtcp_seq_before(cb->seq, xs->highest_sack) &&
	    (xs->ca_state != XTCP_CA_LOSS || xs->undo_marker)) {
		reorder_to(xs, cb->seq, xs->highest_sack);
		xs->reord_sacked = 1;
	}
}

/*
 * The segments a valid D-SACK [@start, @end) names, whole (tcp_sacktag_walk()
 * with dup_sack): above SND.UNA, those still queued; between SND.UNA before
 * this ACK and after it, those the ACK took, counted as they left.
 */
static void dsack_walk(struct sock *sk, u32 start, u32 end, u32 prior_snd_una)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	if (!dsack_valid(xs, start, end) || !xtcp_seq_after(end, prior_snd_una))
		return;
	if (!xtcp_seq_after(start, xs->snd_una)) {
		if (start == xs->dsack_acked_seq && end == xs->dsack_acked_end &&
		    xs->undo_marker && xs->undo_retrans > 0)
			xs->undo_retrans = max_t(int, 0, xs->undo_retrans -
						 xs->dsack_acked);
		return;
	}
	for (skb = xtcp_rtx_find(sk, start, &xs->sack_steps); skb;
	     skb = xtcp_rtx_next(skb)) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		xs->sack_steps++;
		if (!xtcp_seq_before(cb->seq, end))
			break;
		if (xtcp_seq_geq(cb->seq, start) && xtcp_seq_leq(cb->end_seq, end))
			dsack_one(xs, skb);
	}
}

/*
 * Is the first block a D-SACK (RFC 2883 §4; tcp_check_dsack())? It is if it
 * starts below the ACK field, or lies within the second block: the receiver
 * got that text twice. Counted (TCPDSACKRecv, TCPDSACKOfoRecv), and against
 * the retransmissions an undo waits for (undo_retrans, try_undo_dsack()).
 * Returns 0 for none, else XTCP_ACKF_DSACKING (tcp_sacktag_write_queue()'s
 * FLAG_DSACKING_ACK), with XTCP_ACKF_DSACK_TLP if it reports the last segment
 * of a tail loss probe, up to tlp_high_seq, twice (tcp_dsack_seen()'s
 * FLAG_DSACK_TLP): original and probe both arrived. *@dup: the segments it
 * reports, delivered (again).
 */
static int check_dsack(struct sock *sk, const struct xtcp_options *opt,
		       u32 ack, u32 prior_snd_una, u32 *dup)
{
	const struct xtcp_sack_block *b = opt->sacks;
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len = b[0].end - b[0].start;
	int dsack_tlp;
	u32 dup_segs;

	if (!opt->num_sacks)
		return 0;
	if (xtcp_seq_before(b[0].start, ack))
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_DSACK_RECV);
	else if (opt->num_sacks > 1 && !xtcp_seq_after(b[0].end, b[1].end) &&
		 !xtcp_seq_before(b[0].start, b[1].start))
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_DSACK_OFO_RECV);
	else
		return 0;
	/*
	 * The segments it reports twice (tcp_dsack_seen()): none if it is
	 * empty or larger than any window; one of a loss probe's segment
	 * says the probe was not needed. Those beyond what we ever sent again
	 * count for nothing more. One below SND.UNA as it was, above the undo
	 * marker, reports a retransmission of this episode that was not
	 * needed (tcp_check_dsack()'s "dumb counting").
	 */
	if (!xtcp_seq_before(b[0].start, b[0].end) || len > xs->max_snd_wnd)
		return 0;
	dsack_tlp = xs->tlp_high_seq && b[0].end == xs->tlp_high_seq &&
		    len <= xs->mss ? XTCP_ACKF_DSACK_TLP : 0;
	dup_segs = DIV_ROUND_UP(len, max_t(u32, xs->mss, 1));
	xs->dsack_dups += dup_segs;
	if (xs->dsack_dups > xs->total_retrans)
		return dsack_tlp;
	/*
	 * RACK widens its window for D-SACKs that reordering may explain:
	 * not without reordering seen, nor for a loss probe's
	 */
	if (xs->reord_seen && !dsack_tlp)
		xs->rack.dsack_seen = 1;
	*dup = dup_segs;
	if (xs->undo_marker && xs->undo_retrans > 0 &&
	    !xtcp_seq_after(b[0].end, prior_snd_una) &&
	    xtcp_seq_after(b[0].end, xs->undo_marker))
		xs->undo_retrans = max_t(int, 0, xs->undo_retrans - dup_segs);
	/* the segments it names, one by one (tcp_sacktag_one()) */
	dsack_walk(sk, b[0].start, b[0].end, prior_snd_una);
	return XTCP_ACKF_DSACKING | dsack_tlp;
}

/*
 * SACK blocks of an ACK onto the scoreboard (RFC 2018 §5). A block is used
 * only if it lies between SND.UNA and SND.NXT and is not empty: a D-SACK
 * below the ACK (so below SND.UNA, which took the ACK's value, or is past an
 * old ACK's) reports a duplicate and marks nothing, as in Linux, where the
 * segments it names have left the queue. One within the second block marks
 * what that block marks anyway, as Linux's marks it. A segment is SACKed when
 * a block covers all of it. The blocks used are sorted and kept for the next
 * ACK, as Linux keeps recv_sack_cache. Returns check_dsack()'s flags.
 */
static int sack_mark(struct sock *sk, const struct xtcp_options *opt, u32 ack,
		     u32 prior_snd_una, u32 *dup)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sack_block sp[XTCP_MAX_SACKS];
	u32 highest = xs->highest_sack;
	int i, j, n = 0;
	int dsack;

	/*
	 * an old value means nothing now; reordered() judges the blocks
	 * against it, which is SND.UNA for a first SACK (Linux's prior_fack)
	 */
	if (!xs->sacked_out || xtcp_seq_before(highest, xs->snd_una)) {
		highest = xs->snd_una;
		xs->highest_sack = highest;
	}
	/* nothing SACKed: the blocks of the last ACK are past (as Linux's) */
	if (!xs->sacked_out)
		xtcp_sack_cache_reset(xs);
	dsack = check_dsack(sk, opt, ack, prior_snd_una, dup);
	xs->dsack_acked_seq = 0;
	xs->dsack_acked_end = 0;
	for (i = 0; i < opt->num_sacks && i < XTCP_MAX_SACKS; i++) {
		struct xtcp_sack_block b = opt->sacks[i];

		if (!xtcp_seq_before(b.start, b.end) ||
		    xtcp_seq_before(b.start, xs->snd_una) ||
		    xtcp_seq_after(b.end, xs->snd_nxt))
			continue;
		if (xtcp_seq_after(b.end, highest))
			highest = b.end;
		/* insertion sort by start: four blocks at most */
		for (j = n; j > 0 && xtcp_seq_before(b.start, sp[j - 1].start); j--)
			sp[j] = sp[j - 1];
		sp[j] = b;
		n++;
	}
	for (i = 0; i < n; i++)
		sack_block(sk, &sp[i]);
	memcpy(xs->sack_cache, sp, n * sizeof(sp[0]));
	xs->sack_cache_num = n;
	/* after the blocks: reordering is judged against the SACKs before */
	xs->highest_sack = highest;
	return dsack;
}

/*
 * RFC 6675 IsLost(): a segment not SACKed with DupThresh (reordering) SACKed
 * segments above it is lost. The walk stops once fewer than that are left
 * above, and the next one goes on from there (tcp_mark_head_lost() with
 * lost_skb_hint and lost_cnt_hint): what lies before the hint is marked
 * already, and stays so, so that a recovery walks the queue once.
 */
static void sack_mark_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xs->mark_hint;
	u32 seen = xs->mark_hint_sacked;

	if (!skb) {
		skb = xtcp_rtx_head(sk);
		seen = 0;
	}
	for (; skb; skb = xtcp_rtx_next(skb)) {
		xs->sack_steps++;
		if (xs->sacked_out - seen < xs->reordering)
			break;
		if (XTCP_SKB_CB(skb)->sacked)
			seen++;
		else
			mark_lost(xs, skb);
	}
	xs->mark_hint = skb;
	xs->mark_hint_sacked = skb ? seen : 0;
}

/*
 * RACK's reordering window (tcp_rack_reo_wnd(), RFC 8985 §6.2 step 4), in
 * microseconds: none while no reordering was seen, in recovery or once
 * DupThresh segments are SACKed (unless TCP_RACK_NO_DUPTHRESH), so that
 * loss is declared at once as the classic rule would; else a quarter of the
 * minimum RTT per step, D-SACKs adding steps, at most the smoothed RTT.
 */
static u32 rack_reo_wnd(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xtcp_rack_reo_wnd_us(xtcp_rtt_min_us(&xs->rtt), xs->rtt.srtt_us,
				    xs->rack.reo_wnd_steps, xs->reord_seen,
				    xs->ca_state == XTCP_CA_RECOVERY ||
				    xs->ca_state == XTCP_CA_LOSS,
				    xs->sacked_out >= xs->reordering &&
				    !(recovery_bits(sk) & TCP_RACK_NO_DUPTHRESH));
}

/*
 * tcp_rack_skb_timeout(): microseconds left before @skb, sent before the
 * last segment delivered, is lost (RFC 8985 §6.2 step 5): RACK's round trip
 * and @reo_wnd after it went; 0 or less once that passed.
 */
static s64 rack_skb_timeout(const struct xtcp_sock *xs,
			    const struct sk_buff *skb, u32 reo_wnd, u64 now)
{
	u64 tx = XTCP_SKB_CB(skb)->tx_ns;
	u64 since = now > tx ? div_u64(now - tx, NSEC_PER_USEC) : 0;

	return (s64)xs->rack.rtt_us + reo_wnd - (s64)since;
}

/*
 * tcp_mark_skb_lost(): a copy sent again that is lost again goes back to
 * what is to be repaired (TCPLostRetransmit); any other is lost as usual.
 */
static void rack_mark_skb_lost(struct xtcp_sock *xs, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->sacked)
		return;
	if (!cb->lost) {
		mark_lost(xs, skb);
		return;
	}
	if (!cb->retrans)
		return;
	cb->retrans = 0;
	xs->retrans_out--;
	xs->lost++;
	xtcp_inc_stat(sock_net(&xs->inet.sk), XTCP_STAT_LOST_RETRANSMIT);
	if (xs->lost_hint &&
	    xtcp_seq_before(cb->seq, XTCP_SKB_CB(xs->lost_hint)->seq))
		xs->lost_hint = skb;
}

/*
 * tcp_rack_detect_loss() (RFC 8985 §6.2 step 5): every segment in flight,
 * not SACKed and not waiting for its repair, that went out before the last
 * one delivered is lost once RACK's round trip and the reordering window
 * have passed since it went; for those not yet, returns the most
 * microseconds left (0: none). Linux walks its segments in the order they
 * were sent and stops at the first sent after the last delivered; xtcp
 * walks them in sequence order, jumping SACKed runs, and stops at the first
 * segment sent once only that went after it: every one above it went later
 * still, for new data goes out in sequence order.
 */
static u32 rack_detect_loss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xtcp_rtx_head(sk);
	u32 reo_wnd = rack_reo_wnd(sk), timeout = 0;
	u64 now = ktime_get_ns();

	while (skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		s64 left;

		xs->sack_steps++;
		if (cb->sacked) {
			skb = sacked_run_end(sk, skb, xs->snd_nxt);
			continue;
		}
		if (cb->lost && !cb->retrans) {
			skb = xtcp_rtx_next(skb);
			continue;
		}
		if (!rack_sent_after(xs->rack.mstamp_ns, cb->tx_ns,
				     xs->rack.end_seq, cb->end_seq)) {
			if (!cb->ever_retrans)
				break;
			skb = xtcp_rtx_next(skb);
			continue;
		}
		left = rack_skb_timeout(xs, skb, reo_wnd, now);
		if (left <= 0)
			rack_mark_skb_lost(xs, skb);
		else
			timeout = max_t(u32, timeout, min_t(s64, left, U32_MAX));
		skb = xtcp_rtx_next(skb);
	}
	return timeout;
}

/*
 * tcp_rack_mark_lost(): on an ACK that delivered something (RACK advanced),
 * mark what RACK finds lost; if some may still be only reordered, RACK's
 * timer waits for them in the RTO's place. Returns whether it was armed.
 */
static bool rack_mark_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 timeout;

	if (!xs->rack.advanced)
		return false;
	xs->rack.advanced = 0;
	timeout = rack_detect_loss(sk);
	if (timeout)
		xtcp_timer_reo(sk, timeout);
	return timeout;
}

/*
 * tcp_rack_update_reo_wnd(), after each ACK: a D-SACK seen since the window
 * last grew, and more than a round trip after that, widens it by a step (at
 * most 255), held for 16 recoveries (TCP_RACK_RECOVERY_THRESH); once those
 * pass without another, it is one step again. Not with
 * TCP_RACK_STATIC_REO_WND, nor on an ACK that delivered nothing (its rate
 * sample, rate.h, has no prior_delivered).
 */
static void rack_update_reo_wnd(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if ((recovery_bits(sk) & TCP_RACK_STATIC_REO_WND) ||
	    !xs->rs.prior_delivered)
		return;
	if (xtcp_seq_before(xs->rs.prior_delivered, xs->rack.last_delivered))
		xs->rack.dsack_seen = 0;
	if (xs->rack.dsack_seen) {
		xs->rack.reo_wnd_steps = min_t(u32, 0xFF,
					       xs->rack.reo_wnd_steps + 1);
		xs->rack.dsack_seen = 0;
		xs->rack.last_delivered = xs->delivered;
		xs->rack.reo_wnd_persist = TCP_RACK_RECOVERY_THRESH;
	} else if (!xs->rack.reo_wnd_persist) {
		xs->rack.reo_wnd_steps = 1;
	}
}

/*
 * The window is to fall (tcp_init_cwnd_reduction()): the congestion control
 * says how far, but cwnd does not fall at once; Proportional Rate Reduction
 * (RFC 6937, prr_reduction()) takes it down to ssthresh over the next round
 * trip, as ACKs come. With ECN, our next new data says so with CWR.
 */
static void init_cwnd_reduction(struct xtcp_sock *xs)
{
	xs->high_seq = xs->snd_nxt;
	xs->tlp_high_seq = 0;
	xs->cc.cwnd_cnt = 0;
	xs->prior_cwnd = xs->cc.cwnd;
	xs->prr_delivered = 0;
	xs->prr_out = 0;
	xs->cc.ssthresh = xtcp_ca_ssthresh(&xs->inet.sk);
	xtcp_ecn_queue_cwr(xs);
}

/* The window falls, by PRR (tcp_in_cwnd_reduction()). */
static bool in_cwnd_reduction(const struct xtcp_sock *xs)
{
	return xs->ca_state == XTCP_CA_CWR || xs->ca_state == XTCP_CA_RECOVERY;
}

/*
 * The ssthresh an undo goes back to (tcp_current_ssthresh()): outside a
 * reduction, three quarters of cwnd if that is more, for the sender was
 * at least that far from congestion.
 */
static u32 current_ssthresh(const struct xtcp_sock *xs)
{
	if (in_cwnd_reduction(xs))
		return xs->cc.ssthresh;
	return max(xs->cc.ssthresh, (xs->cc.cwnd >> 1) + (xs->cc.cwnd >> 2));
}

/*
 * Text is queued after the sender was idle (tcp_slow_start_after_idle_check(),
 * RFC 5681 §4.1): with nothing in flight and nothing sent for an RTO, cwnd
 * restarts from the initial window, halved once per further RTO of
 * idleness down to it (tcp_cwnd_restart()), ssthresh kept at three quarters
 * of the old window at least. Under net.ipv4.tcp_slow_start_after_idle (1 by
 * default); not for a congestion control that sets cwnd itself.
 */
void xtcp_idle_restart_check(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 rto, cwnd, restart;
	s32 delta;

	xtcp_sock_assert_locked(sk);
	if (!READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle) ||
	    xs->packets_out || xs->ca_ops->cong_control)
		return;
	rto = msecs_to_jiffies(xs->rto_ms);
	delta = tcp_jiffies32 - xs->lsndtime;
	if (delta <= (s32)rto)
		return;
	xtcp_ca_event(sk, CA_EVENT_CWND_RESTART);
	xs->cc.ssthresh = current_ssthresh(xs);
	cwnd = xs->cc.cwnd;
	restart = min_t(u32, XTCP_INIT_CWND, cwnd);
	while ((delta -= rto) > 0 && cwnd > restart)
		cwnd >>= 1;
	xs->cc.cwnd = max(cwnd, restart);
	xs->snd_cwnd_stamp = tcp_jiffies32;
	xs->snd_cwnd_used = 0;
}

/*
 * tcp_cwnd_application_limited() (RFC 2861 §3): the sender, open, has not
 * filled its window for an RTO, for want of data to send, not of room in
 * the send buffer: cwnd goes halfway down to the most it used (at least
 * the initial window), ssthresh keeping three quarters of the old one.
 * Called by cwnd_validate() (output.c) under tcp_slow_start_after_idle, for
 * a congestion control that does not set cwnd itself.
 */
void xtcp_cwnd_application_limited(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 used;

	xtcp_sock_assert_locked(sk);
	if (xs->ca_state == XTCP_CA_OPEN && sk->sk_socket &&
	    !test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		used = max_t(u32, xs->snd_cwnd_used, XTCP_INIT_CWND);
		if (used < xs->cc.cwnd) {
			xs->cc.ssthresh = current_ssthresh(xs);
			xs->cc.cwnd = (xs->cc.cwnd + used) >> 1;
		}
		xs->snd_cwnd_used = 0;
	}
	xs->snd_cwnd_stamp = tcp_jiffies32;
}

/*
 * Is a segment in flight sent again (tcp_any_retrans_done())? The head
 * stands for those acknowledged since, as in Linux.
 */
static bool any_retrans_done(struct sock *sk)
{
	struct sk_buff *head = xtcp_rtx_head(sk);

	return xtcp_sk(sk)->retrans_out ||
	       (head && XTCP_SKB_CB(head)->ever_retrans);
}

/*
 * A reduction begins that may prove spurious (tcp_init_undo()): what is
 * sent again from here on, and any retransmission still in flight, the
 * loss probe's too, must be reported twice by D-SACKs before an undo.
 */
static void init_undo(struct xtcp_sock *xs)
{
	xs->undo_marker = xs->snd_una;
	xs->undo_retrans = xs->retrans_out;
	if (xs->tlp_high_seq && xs->tlp_retrans)
		xs->undo_retrans++;
	if (!xs->undo_retrans)
		xs->undo_retrans = -1;	/* 0 means "undo now" */
}

/*
 * Fast recovery begins (tcp_enter_recovery()): the window falls, unless it
 * is falling already for an ECN echo (CWR), whose reduction goes on; an
 * undo then may restore the window of before, unless this ACK echoes a CE
 * mark (@ece), which proves the congestion. The first retransmission
 * starts the clock the timestamps' undo reads.
 */
static void enter_recovery(struct sock *sk, bool ece)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!any_retrans_done(sk))
		xs->retrans_stamp = 0;
	xs->prior_ssthresh = 0;
	init_undo(xs);
	if (!in_cwnd_reduction(xs)) {
		if (!ece)
			xs->prior_ssthresh = current_ssthresh(xs);
		init_cwnd_reduction(xs);
	}
	xtcp_ca_set_state(sk, XTCP_CA_RECOVERY);
	xs->rtt_timing = 0;	/* Karn: the timed segment may be sent again */
	xtcp_inc_stat(sock_net(sk), xs->sack_ok ? XTCP_STAT_SACK_RECOVERY :
		      XTCP_STAT_RENO_RECOVERY);
}

/*
 * The peer echoed a CE mark (RFC 3168 §6.1.2): the window falls as in fast
 * recovery, by PRR, but nothing is lost (tcp_enter_cwr()). Once per window:
 * the CWR state lasts until what was sent before it is acknowledged.
 */
static void enter_cwr(struct xtcp_sock *xs)
{
	xs->prior_ssthresh = 0;		/* the congestion is proven: no undo */
	if (xs->ca_state >= XTCP_CA_CWR)
		return;
	xs->undo_marker = 0;
	init_cwnd_reduction(xs);
	xtcp_ca_set_state(&xs->inet.sk, XTCP_CA_CWR);
}

/*
 * No reduction going on (tcp_try_keep_open()): Disorder while segments are
 * SACKed, lost or sent again (or the head was), else Open. A change of state
 * starts a new episode at SND.NXT (high_seq).
 */
static void try_keep_open(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 state = XTCP_CA_OPEN;

	if (xs->sacked_out || xs->lost_out || any_retrans_done(sk))
		state = XTCP_CA_DISORDER;
	if (xs->ca_state != state) {
		xtcp_ca_set_state(sk, state);
		xs->high_seq = xs->snd_nxt;
	}
}

/*
 * A dubious ACK that starts no recovery (tcp_try_to_open()): the
 * timestamps' undo forgets a retransmission no longer in flight, an ECN
 * echo starts CWR, else Open or Disorder.
 */
static void try_to_open(struct sock *sk, int flag)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!any_retrans_done(sk))
		xs->retrans_stamp = 0;
	if (flag & XTCP_ACKF_ECE)
		enter_cwr(xs);
	if (xs->ca_state != XTCP_CA_CWR)
		try_keep_open(sk);
}

/*
 * A reduction ends (tcp_end_cwnd_reduction()): cwnd to ssthresh, the
 * algorithm told, if @reset (a CWR, or a recovery not undone: Linux's
 * "state == CWR || undo_marker"). One that sets cwnd itself (cong_control)
 * keeps its own.
 */
static void end_cwnd_reduction(struct sock *sk, bool reset)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_ops->cong_control)
		return;
	if (reset && xs->cc.ssthresh < XTCP_INFINITE_SSTHRESH) {
		xs->cc.cwnd = xs->cc.ssthresh;
		xs->snd_cwnd_stamp = tcp_jiffies32;
	}
	xtcp_ca_event(sk, CA_EVENT_COMPLETE_CWR);
}

/*
 * Was the reduction spurious, by the timestamps (tcp_packet_delayed())? The
 * ACK echoes a TSval older than the first retransmission: the original
 * arrived. With nothing sent again, nothing was lost either, but for a
 * NewReno sender at its recovery point, which Linux does not undo.
 */
static bool packet_delayed(const struct xtcp_sock *xs)
{
	if (xs->retrans_stamp)
		return xs->saw_tsecr &&
		       xtcp_seq_before(xs->rcv_tsecr, xs->retrans_stamp);
	return xs->sack_ok || xtcp_seq_before(xs->snd_una, xs->high_seq);
}

/* tcp_may_undo(): every retransmission D-SACKed, or the timestamps say so. */
static bool may_undo(const struct xtcp_sock *xs)
{
	return xs->undo_marker && (!xs->undo_retrans || packet_delayed(xs));
}

/*
 * Undo (tcp_undo_cwnd_reduction()): the congestion control gives back its
 * window (undo_cwnd: reno and cubic, the larger of cwnd and the window
 * before), ssthresh its value before, and a CWR still to send is withdrawn.
 * @unmark_loss: the segments deemed lost are not (a loss undo, a partial
 * one).
 */
static void undo_cwnd_reduction(struct sock *sk, bool unmark_loss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (unmark_loss) {
		struct sk_buff *skb;

		for (skb = xtcp_rtx_head(sk); skb; skb = xtcp_rtx_next(skb))
			XTCP_SKB_CB(skb)->lost = 0;
		xs->lost_out = 0;
		hints_reset(xs);
	}
	if (xs->prior_ssthresh) {
		xs->cc.cwnd = xtcp_ca_undo_cwnd(sk);
		if (xs->prior_ssthresh > xs->cc.ssthresh) {
			xs->cc.ssthresh = xs->prior_ssthresh;
			xtcp_ecn_withdraw_cwr(xs);
		}
	}
	xs->snd_cwnd_stamp = tcp_jiffies32;
	xs->undo_marker = 0;
	xs->rack.advanced = 1;	/* RACK looks at the segments again */
}

/*
 * A NewReno sender at exactly its recovery point stays in recovery (or
 * loss) until something above it is acknowledged: a duplicate ACK then
 * must not start a false fast retransmit (RFC 6582 §3.2 step 3,
 * tcp_is_non_sack_preventing_reopen()).
 */
static bool non_sack_preventing_reopen(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->sack_ok || xs->snd_una != xs->high_seq)
		return false;
	if (!any_retrans_done(sk))
		xs->retrans_stamp = 0;
	return true;
}

/*
 * Everything sent before recovery (or a time-out) began is acknowledged
 * (tcp_try_undo_recovery()): undone if it proves spurious (TCPFullUndo,
 * TCPLossUndo), then open, but for a NewReno sender at its recovery
 * point. Returns whether the state holds.
 */
static bool try_undo_recovery(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (may_undo(xs)) {
		undo_cwnd_reduction(sk, false);
		xtcp_inc_stat(sock_net(sk), xs->ca_state == XTCP_CA_LOSS ?
			      XTCP_STAT_LOSS_UNDO : XTCP_STAT_FULL_UNDO);
	} else if (xs->rack.reo_wnd_persist) {
		/* a recovery that was needed: RACK's wider window ages */
		xs->rack.reo_wnd_persist--;
	}
	if (non_sack_preventing_reopen(sk))
		return true;
	xtcp_ca_set_state(sk, XTCP_CA_OPEN);
	return false;
}

/*
 * D-SACKs reported every retransmission of the episode (tcp_try_undo_dsack()):
 * none was needed. TCPDSACKUndo.
 */
static bool try_undo_dsack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->undo_marker || xs->undo_retrans)
		return false;
	/* reordering fooled RACK: its wider window holds a while longer */
	xs->rack.reo_wnd_persist = min_t(u32, TCP_RACK_RECOVERY_THRESH,
					 xs->rack.reo_wnd_persist + 1);
	undo_cwnd_reduction(sk, false);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_DSACK_UNDO);
	return true;
}

/*
 * After a time-out, an ACK that moved SND.UNA and whose echo says the
 * original arrived, or one F-RTO found to show the time-out spurious
 * (@frto_undo; tcp_try_undo_loss()): nothing is lost, and with SACK or
 * F-RTO the connection is open again (a NewReno one waits for its recovery
 * point). TCPLossUndo, and TCPSpuriousRTOs for F-RTO's.
 */
static bool try_undo_loss(struct sock *sk, bool frto_undo)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!frto_undo && !may_undo(xs))
		return false;
	undo_cwnd_reduction(sk, true);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_LOSS_UNDO);
	if (frto_undo)
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_SPURIOUS_RTOS);
	WRITE_ONCE(xs->retries, 0);
	if (non_sack_preventing_reopen(sk))
		return true;
	if (frto_undo || xs->sack_ok)
		xtcp_ca_set_state(sk, XTCP_CA_OPEN);
	return true;
}

/* What F-RTO made of an ACK (frto_ack()). */
enum frto_verdict {
	FRTO_GO_ON,	/* the conventional recovery goes on */
	FRTO_UNDONE,	/* the time-out was spurious, and is undone */
	FRTO_NEW,	/* new data is to go first (step 2b) */
};

/*
 * F-RTO (RFC 5682 §3.1, its SACK-enhanced version, as tcp_process_loss()
 * runs it) on an acceptable ACK in the Loss state, with @flag as
 * xtcp_ack_recovery()'s, @num_dupack whether Linux counts it a duplicate
 * and @recovered whether SND.UNA reached the recovery point. Segments sent
 * only once and before the time-out (or before step 2b) that are (S)ACKed
 * prove it spurious (step 3b): undone. Once new data went, a SACK or a
 * duplicate ACK says the loss was real (step 3a). The first ACK that moves
 * SND.UNA lets new data go instead of the next repairs, if the peer's window
 * takes some and there is some (step 2b); else the conventional recovery
 * takes over (step 2a).
 */
static enum frto_verdict frto_ack(struct sock *sk, int flag, bool num_dupack,
				  bool recovered)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if ((flag & XTCP_ACKF_ORIG_SACK_ACKED) && try_undo_loss(sk, true))
		return FRTO_UNDONE;
	if (xtcp_seq_after(xs->snd_nxt, xs->high_seq)) {
		if ((flag & XTCP_ACKF_DATA_SACKED) || num_dupack)
			xs->frto = 0;
	} else if ((flag & XTCP_ACKF_UNA_ADVANCED) && !recovered) {
		xs->high_seq = xs->snd_nxt;
		/* tcp_write_queue_empty(), tcp_wnd_end() */
		if (xs->write_seq != xs->snd_nxt &&
		    xtcp_seq_after(xs->snd_una + xs->snd_wnd, xs->snd_nxt)) {
			xs->frto_new = 1;	/* xtcp_push_mode() */
			return FRTO_NEW;
		}
		xs->frto = 0;
	}
	return FRTO_GO_ON;
}

/*
 * A partial ACK in fast recovery whose echo says the hole was filled by the
 * original, not by our retransmission (tcp_try_undo_partial()): with
 * retransmissions still in flight, nothing more is marked lost or sent
 * again (returns true); with none, the reduction is undone and the
 * connection Open, or in Disorder (TCPPartialUndo).
 */
static bool try_undo_partial(struct sock *sk, u32 prior_snd_una)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->undo_marker || !packet_delayed(xs))
		return false;
	/*
	 * the original filled the hole late: reordering up to what is
	 * delivered (tcp_check_sack_reordering(sk, prior_snd_una, 1))
	 */
	reorder_to(xs, prior_snd_una,
		   xs->sacked_out ? xs->highest_sack : xs->snd_una);
	xs->reord_seen++;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_TS_REORDER);
	if (xs->retrans_out)
		return true;
	if (!any_retrans_done(sk))
		xs->retrans_stamp = 0;
	undo_cwnd_reduction(sk, true);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_PARTIAL_UNDO);
	try_keep_open(sk);
	return false;
}

/*
 * RFC 6937's Proportional Rate Reduction, as tcp_cwnd_reduction() computes it,
 * on each ACK in fast recovery: @delivered segments newly ACKed or SACKed,
 * @newly_lost newly marked lost. While the pipe is above ssthresh, the sender
 * sends ssthresh/prior_cwnd of what was delivered since recovery began
 * (rounded up), so that cwnd comes down to ssthresh over a round trip,
 * ACK-clocked; once it is at or below, as much as was delivered (packet
 * conservation), one more if the ACK moved SND.UNA and nothing new was lost
 * (the slow-start reduction bound), but never beyond ssthresh. The first ACK
 * sends at least the fast retransmit. cwnd is what the pipe may hold now.
 */
static void prr_reduction(struct xtcp_sock *xs, u32 delivered, u32 newly_lost,
			  bool una_advanced)
{
	int delta = (int)xs->cc.ssthresh - (int)xtcp_pipe(xs);
	int sndcnt;

	if (!delivered || WARN_ON_ONCE(!xs->prior_cwnd))
		return;
	xs->prr_delivered += delivered;
	if (delta < 0) {
		u64 dividend = (u64)xs->cc.ssthresh * xs->prr_delivered +
			       xs->prior_cwnd - 1;

		sndcnt = (int)div_u64(dividend, xs->prior_cwnd) - (int)xs->prr_out;
	} else {
		sndcnt = max_t(int, (int)xs->prr_delivered - (int)xs->prr_out,
			       delivered);
		if (una_advanced && !newly_lost)
			sndcnt++;
		sndcnt = min(delta, sndcnt);
	}
	sndcnt = max(sndcnt, xs->prr_out ? 0 : 1);
	xs->cc.cwnd = xtcp_pipe(xs) + sndcnt;
}

/*
 * An ACK (of @ack, not below SND.UNA) during a tail loss probe episode
 * (RFC 8985 §7.4, tcp_process_tlp_ack()); @flag as xtcp_ack_recovery()'s,
 * with XTCP_ACKF_DATA_SACKED and XTCP_ACKF_DSACK_TLP. The episode ends when
 * the ACK covers the probe: at once for a probe of new data; for a segment
 * sent again, when a D-SACK or a pure duplicate ACK says both copies arrived,
 * or when the ACK goes beyond the probe, which says that one copy was lost:
 * the window is reduced as after a loss, once (tcp_init_cwnd_reduction(),
 * the CWR state, then tcp_end_cwnd_reduction(): cwnd to the congestion
 * control's ssthresh, no fast recovery; tcp_try_keep_open() leaves CWR;
 * TCPLossProbeRecovery).
 */
static void tlp_ack(struct sock *sk, u32 ack, int flag)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_seq_before(ack, xs->tlp_high_seq))
		return;
	if (!xs->tlp_retrans || (flag & XTCP_ACKF_DSACK_TLP)) {
		xs->tlp_high_seq = 0;
	} else if (xtcp_seq_after(ack, xs->tlp_high_seq)) {
		init_cwnd_reduction(xs);
		xtcp_ca_set_state(sk, XTCP_CA_CWR);
		end_cwnd_reduction(sk, true);
		try_keep_open(sk);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LOSS_PROBE_RECOVERY);
	} else if (!(flag & (XTCP_ACKF_UNA_ADVANCED | XTCP_ACKF_NOT_DUP |
			     XTCP_ACKF_DATA_SACKED))) {
		xs->tlp_high_seq = 0;
	}
}

/* A segment went out, new or again: PRR counts it (tcp_write_xmit()). */
void xtcp_prr_sent(struct xtcp_sock *xs)
{
	if (in_cwnd_reduction(xs))
		xs->prr_out++;
}

/*
 * An acceptable ACK (of @ack), after SND.UNA moved from @prior_snd_una (by
 * @acked segments, 0 for a duplicate) and the queue was cleaned; xs->delivered was @prior_delivered
 * before. @opt holds its SACK blocks, if any; @dup says it is a duplicate ACK
 * in RFC 5681's sense; @flag has XTCP_ACKF_UNA_ADVANCED, XTCP_ACKF_NOT_DUP
 * and XTCP_ACKF_ECE (it echoes a CE mark, ecn.c) as they apply. Ends a tail
 * loss probe's episode, decides recovery and sets the window, as tcp_ack()
 * does with tcp_process_tlp_ack(),
 * tcp_fastretrans_alert() and tcp_cong_control(); the caller then sends
 * (xtcp_push()).
 */
bool xtcp_ack_recovery(struct sock *sk, u32 ack, u32 prior_snd_una, u32 acked,
		       u32 prior_packets, u32 prior_delivered, bool dup,
		       int flag, const struct xtcp_options *opt)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head = xtcp_rtx_head(sk);
	struct rate_sample *rs = &xs->rs;
	u32 prior_lost = xs->lost;
	u32 sack_delivered = xs->delivered;
	u32 prior_in_flight, delivered, dsacked = 0;
	bool old = xtcp_seq_before(ack, prior_snd_una);
	bool hold = false, in_recovery = false, dubious, reo_armed = false;
	long ca_rtt_us;
	u64 now_us;

	xtcp_sock_assert_locked(sk);
	/* the pipe before this ACK: the caller's, if it cleaned the queue */
	prior_in_flight = acked ? xs->prior_in_flight : xtcp_pipe(xs);
	/* the round trip this ACK measured (rtt.h), once */
	rs->rtt_us = -1;
	if (xs->rtt.ack_rtt_us) {
		rs->rtt_us = xs->rtt.ack_rtt_us;
		xs->rtt.ack_rtt_us = 0;
	}
	now_us = div_u64(ktime_get_ns(), NSEC_PER_USEC);
	if (opt && (opt->present & XTCP_OPTF_SACK))
		flag |= sack_mark(sk, opt, ack, prior_snd_una, &dsacked);
	if (xs->delivered != sack_delivered)
		flag |= XTCP_ACKF_DATA_SACKED;
	/*
	 * Segments sent once were (S)ACKed; without SACK, not if any sent
	 * again was ACKed too (the rate sample's FLAG_RETRANS_DATA_ACKED):
	 * that may have been the copy that arrived (tcp_clean_rtx_queue())
	 */
	if (xs->orig_acked && (xs->sack_ok || !xs->rate.retrans_acked))
		flag |= XTCP_ACKF_ORIG_SACK_ACKED;
	xs->orig_acked = 0;
	/* a retransmission not needed is delivered too (tcp_dsack_seen()) */
	xs->delivered += dsacked;
	/*
	 * A delayed ACK, likely (FLAG_ACK_MAYBE_DELAYED), judged where
	 * tcp_clean_rtx_queue() judges it: SACKs counted, a NewReno ACK's
	 * delivery not yet (below); for the sample (tcp_ack()'s
	 * rs.is_ack_delayed), which an algorithm's cong_control reads
	 */
	rs->is_ack_delayed =
		xtcp_rate_ack_maybe_delayed(&xs->rate, rs, acked,
					    ack - prior_snd_una, xs->mss,
					    xs->sacked_out, xs->delivered,
					    dsacked ||
					    (flag & (XTCP_ACKF_DATA_SACKED |
						     XTCP_ACKF_ECE)));
	/*
	 * this ACK's reordering: an event for its SACKs and one for what it
	 * ACKed, as Linux's two calls of tcp_check_sack_reordering() count
	 */
	xs->reord_seen += xs->reord_sacked + xs->reord_acked;
	xtcp_add_stat(sock_net(sk), XTCP_STAT_SACK_REORDER,
		      xs->reord_sacked + xs->reord_acked);
	xs->reord_sacked = 0;
	xs->reord_acked = 0;
	/* tcp_ack(): after the queue is cleaned, RACK's window */
	rack_update_reo_wnd(sk);
	/*
	 * The round trip of the last segment (S)ACKed that went once, to the
	 * microsecond, is the sample's and the minimum's, as tcp_ack_update_rtt()
	 * takes ca_rtt_us; else the one this ACK's timing or echo gave, for
	 * both. The minimum leaves out a likely delayed ACK's sample above it
	 * (tcp_update_rtt_min()). An old ACK, below SND.UNA, and one with
	 * nothing in flight before it give the minimum nothing: tcp_ack() only
	 * tags the first's SACKs (old_ack:) and skips the queue for the
	 * second (no_queue:).
	 */
	ca_rtt_us = xtcp_rate_ack_rtt(&xs->rate, now_us);
	if (ca_rtt_us >= 0)
		rs->rtt_us = ca_rtt_us;
	if (rs->rtt_us >= 0 && !old && prior_packets) {
		u32 wlen = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_min_rtt_wlen);

		xtcp_rtt_min_sample(&xs->rtt, wlen * HZ, tcp_jiffies32,
				    rs->rtt_us, rs->is_ack_delayed);
	}

	if (!xs->sack_ok) {
		u32 prior_sacked = xs->sacked_out;

		/*
		 * NewReno counts duplicate ACKs as SACKed segments; not while
		 * it holds recovery at its recovery point, nor after a
		 * time-out until new data went (tcp_fastretrans_alert() and
		 * tcp_process_loss() call tcp_add_reno_sack() only then)
		 */
		if (acked)
			xs->sacked_out -= min(xs->sacked_out, acked - 1);
		else if (dup &&
			 !(xs->ca_state == XTCP_CA_RECOVERY &&
			   xs->snd_una == xs->high_seq) &&
			 !(xs->ca_state == XTCP_CA_LOSS &&
			   !xtcp_seq_after(xs->snd_nxt, xs->high_seq)))
			xs->sacked_out++;
		/* the head is never among them, nor a lost one */
		xs->sacked_out = min(xs->sacked_out,
				     xs->packets_out -
				     min(xs->packets_out,
					 max(xs->lost_out, 1U)));
		/*
		 * delivered, as tcp_remove_reno_sacks() and tcp_add_reno_sack()
		 * count it: an ACK delivers the hole and what no duplicate
		 * counted, a duplicate ACK one segment
		 */
		if (acked)
			xs->delivered += max_t(int, (int)acked - (int)prior_sacked, 1);
		else if (xs->sacked_out > prior_sacked)
			xs->delivered += xs->sacked_out - prior_sacked;
	}
	delivered = xs->delivered - prior_delivered;
	/*
	 * tcp_clean_rtx_queue()'s pkts_acked, then tcp_in_ack_event(), for
	 * an ACK not below SND.UNA with data in flight before it
	 */
	if (prior_packets && !xtcp_seq_before(ack, xs->snd_una)) {
		xtcp_ca_pkts_acked(sk, acked, rs->rtt_us,
				   prior_in_flight * xs->mss);
		xtcp_ca_in_ack_event(sk, CA_ACK_SLOWPATH |
				     (flag & XTCP_ACKF_ECE ? CA_ACK_ECE : 0));
	}
	/* an old ACK, below SND.UNA, says nothing of the probe (tcp_ack()) */
	if (xs->tlp_high_seq && !xtcp_seq_before(ack, xs->snd_una))
		tlp_ack(sk, ack, flag);
	if (acked)
		xs->dupacks = 0;
	else if (dup)
		xs->dupacks++;

	/* an ECN echo proves the congestion: no undo (tcp_fastretrans_alert()) */
	if (flag & XTCP_ACKF_ECE)
		xs->prior_ssthresh = 0;
	/*
	 * tcp_ack() calls tcp_fastretrans_alert() only for an ACK with data
	 * in flight before it that is "dubious" (tcp_ack_is_dubious()): a
	 * duplicate, one that SACKs, D-SACKs or echoes a CE mark, or any
	 * outside the Open state. It decides the D-SACK undo in Open. With
	 * nothing in flight, only for one that D-SACKs (its no_queue path):
	 * the last retransmissions may be reported twice after all was ACKed.
	 */
	dubious = prior_packets ?
		  xs->ca_state != XTCP_CA_OPEN || !(flag & XTCP_ACKF_NOT_DUP) ||
		  dsacked || (flag & (XTCP_ACKF_DATA_SACKED | XTCP_ACKF_ECE)) :
		  !!dsacked;

	/*
	 * The state's exit, and undo, as tcp_fastretrans_alert() (its steps
	 * D and E) and tcp_process_loss() decide them. @hold: the state stays
	 * as it is, nothing more is marked lost on this ACK.
	 */
	switch (xs->ca_state) {
	case XTCP_CA_OPEN:
		xs->retrans_stamp = 0;
		break;
	case XTCP_CA_DISORDER:
		/* no exit here: tcp_try_to_open(), below */
		break;
	case XTCP_CA_CWR:
		/*
		 * Reduced: something sent after it began is acknowledged, so
		 * that our CWR reached the peer (tcp_end_cwnd_reduction())
		 */
		if (xtcp_seq_after(xs->snd_una, xs->high_seq)) {
			end_cwnd_reduction(sk, true);
			xtcp_ca_set_state(sk, XTCP_CA_OPEN);
		}
		break;
	case XTCP_CA_RECOVERY:
		if (!xtcp_seq_before(xs->snd_una, xs->high_seq)) {
			/*
			 * recovered: everything sent before it began is
			 * acknowledged; cwnd to ssthresh unless undone
			 */
			if (!xs->sack_ok)
				xs->sacked_out = 0;
			if (try_undo_recovery(sk)) {
				hold = true;	/* PRR goes on */
				break;
			}
			end_cwnd_reduction(sk, xs->undo_marker);
			xs->dupacks = 0;
			break;
		}
		/* tcp_fastretrans_alert()'s own Recovery case */
		in_recovery = true;
		if ((flag & XTCP_ACKF_UNA_ADVANCED) && try_undo_partial(sk, prior_snd_una)) {
			hold = true;
			break;
		}
		if (try_undo_dsack(sk))
			try_to_open(sk, flag);
		break;
	case XTCP_CA_LOSS:
		/* tcp_process_loss() */
		if ((flag & XTCP_ACKF_UNA_ADVANCED) && try_undo_loss(sk, false)) {
			/* NewReno stays in loss until its recovery point */
			hold = xs->ca_state == XTCP_CA_LOSS;
			break;
		}
		/* F-RTO, for an ACK not below SND.UNA (not an old one) */
		if (xs->frto && dubious && !xtcp_seq_before(ack, prior_snd_una)) {
			/* tcp_ack()'s num_dupack: no D-SACK, nothing new */
			bool num_dupack = !(flag & (XTCP_ACKF_UNA_ADVANCED |
						    XTCP_ACKF_NOT_DUP |
						    XTCP_ACKF_DSACKING));
			enum frto_verdict verdict;

			verdict = frto_ack(sk, flag, num_dupack,
					   !xtcp_seq_before(xs->snd_una,
							    xs->high_seq));
			if (verdict == FRTO_UNDONE) {
				hold = xs->ca_state == XTCP_CA_LOSS;
				break;
			}
			if (verdict == FRTO_NEW)
				break;
		}
		if (!xtcp_seq_before(xs->snd_una, xs->high_seq)) {
			/* recovered */
			if (try_undo_recovery(sk)) {
				hold = true;
				break;
			}
			xs->dupacks = 0;
			if (!xs->sack_ok)
				xs->sacked_out = 0;
		} else if (!xs->sack_ok && acked) {
			xs->sacked_out = 0;	/* tcp_reset_reno_sack() */
		}
		break;
	}

	/*
	 * Open or Disorder: D-SACKs may show the last episode spurious after it
	 * ended, for they come when the retransmissions arrive.
	 */
	if (xs->ca_state <= XTCP_CA_DISORDER && dubious)
		try_undo_dsack(sk);

	/*
	 * With SACK, IsLost(head) (RFC 6675 §5); duplicate ACKs alone do not
	 * count, as in Linux's TCP: the network duplicates ACKs too, and a
	 * SACK-capable receiver says what it holds. Without SACK, DupThresh
	 * duplicate ACKs (RFC 5681 §3.2).
	 */
	if (hold) {
		/* tcp_fastretrans_alert() returned early */
	} else if (xs->sack_ok && is_rack(sk)) {
		/*
		 * RACK (net.ipv4.tcp_recovery's TCP_RACK_LOSS_DETECTION, on
		 * by default): it alone marks losses, on each dubious ACK
		 * (tcp_identify_packet_loss()); a loss marked starts recovery
		 * (tcp_time_to_recover()'s "the loss is proven"), from Open or
		 * CWR, or from Loss when a retransmission was lost again
		 * (FLAG_LOST_RETRANS). A loss that RACK's timer finds later
		 * starts it there (xtcp_rack_reo_timeout()).
		 */
		u32 prior_retrans = xs->retrans_out;
		bool lost_retrans;

		if (dubious && head)
			reo_armed = rack_mark_lost(sk);
		lost_retrans = prior_retrans > xs->retrans_out;
		if (dubious && xs->lost_out &&
		    (xs->ca_state < XTCP_CA_RECOVERY ||
		     (xs->ca_state == XTCP_CA_LOSS && lost_retrans)))
			enter_recovery(sk, flag & XTCP_ACKF_ECE);
	} else if (xs->ca_state < XTCP_CA_RECOVERY &&
		   head && (xs->sack_ok ? xs->sacked_out >= xs->reordering :
			    xs->dupacks >= xs->reordering)) {
		if (xs->sack_ok)
			sack_mark_lost(sk);
		if (!xs->sack_ok || XTCP_SKB_CB(head)->lost) {
			mark_lost(xs, head);
			enter_recovery(sk, flag & XTCP_ACKF_ECE);
		}
	} else if (xs->ca_state == XTCP_CA_RECOVERY ||
		   xs->ca_state == XTCP_CA_LOSS) {
		/*
		 * RFC 6582 §3.2 (4): a partial ACK in recovery means the new
		 * head is lost (tcp_newreno_mark_lost()); after a time-out all
		 * was marked lost, but what an undo unmarked
		 */
		if (acked && head && xs->ca_state == XTCP_CA_RECOVERY)
			mark_lost(xs, head);
		if (xs->sack_ok)
			sack_mark_lost(sk);
	}

	/*
	 * A dubious ACK that began no recovery, in Open, Disorder or CWR (or
	 * back in Open from Loss): tcp_fastretrans_alert()'s tcp_try_to_open().
	 * An ECN echo makes the window fall there (CWR); one with nothing in
	 * flight tcp_ack() ignores, unless it D-SACKs. Else Open, or Disorder
	 * while segments are SACKed, lost or sent again. Recovery's own case
	 * (@in_recovery) opened only by a D-SACK undo, above.
	 */
	if (!hold && dubious && !in_recovery && xs->ca_state < XTCP_CA_RECOVERY)
		try_to_open(sk, flag);

	/*
	 * tcp_ack(): the rate sample (tcp_rate_gen()), then
	 * tcp_cong_control(). What an ECN echo delivered was marked on its way
	 * (tcp_count_delivered()). A peer that reneged on its SACKs gives no
	 * sample: what it SACKed before may count in it.
	 */
	if (flag & XTCP_ACKF_ECE)
		xs->rate.delivered_ce += delivered;
	/*
	 * Neither an old ACK (tcp_ack()'s old_ack:) nor one with nothing in
	 * flight before it (no_queue:) gets that far: no sample, no
	 * cong_control, the window and the pacing rate as they were.
	 */
	if (old || !prior_packets) {
		/* no sample, as tcp_rate_gen() marks one (xtcp_probe shows it) */
		rs->delivered = -1;
		rs->interval_us = -1;
		return reo_armed;
	}
	rs->prior_in_flight = prior_in_flight;
	xtcp_rate_gen(&xs->rate, xs->delivered, now_us,
		      xtcp_rtt_min_us(&xs->rtt), delivered, xs->lost - prior_lost,
		      xtcp_sack_reneging(sk), rs);
	if (xs->ca_ops->cong_control) {
		xtcp_ca_sync(sk);
		xs->ca_ops->cong_control(sk, rs);
		return reo_armed;
	}

	/*
	 * In recovery or CWR, PRR; else grow only a window that limited the
	 * sender (tcp_is_cwnd_limited(), as the last flight left it), by the
	 * segments delivered (tcp_cong_control()'s acked_sacked), on an ACK
	 * that ACKed data, or with more reordering than tcp_reordering one
	 * that SACKed some (tcp_may_raise_cwnd())
	 */
	if (in_cwnd_reduction(xs)) {
		prr_reduction(xs, delivered, xs->lost - prior_lost, acked);
	} else if (acked ||
		   (xs->reordering >
		    READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_reordering) &&
		    (flag & XTCP_ACKF_DATA_SACKED))) {
		if (xtcp_is_cwnd_limited(xs))
			xtcp_ca_cong_avoid(sk, ack, delivered);
		/*
		 * tcp_cong_avoid() marks the window in use whether the
		 * algorithm grew it or not (its tcp_is_cwnd_limited() is
		 * inside)
		 */
		xs->snd_cwnd_stamp = tcp_jiffies32;
	}
	xtcp_update_pacing_rate(sk);
	return reo_armed;
}

/*
 * The receiver reneged (RFC 2018 §8): it SACKed the segment now at the head
 * of the queue, which SND.UNA reached without acknowledging it, so it threw
 * away what it held out of order. Every SACK mark goes; the segments are
 * lost like the rest (tcp_timeout_mark_lost()).
 */
static bool sack_reneged(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xtcp_rtx_head(sk);

	if (!skb || !XTCP_SKB_CB(skb)->sacked)
		return false;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_SACK_RENEGING);
	for (; skb; skb = xtcp_rtx_next(skb))
		XTCP_SKB_CB(skb)->sacked = 0;
	xs->sacked_out = 0;
	hints_reset(xs);
	xtcp_sack_cache_reset(xs);
	return true;
}

/*
 * Is the head of the queue SACKed, after an ACK took SND.UNA forward? Then the
 * receiver may have reneged. As after tcp_check_sack_reneging(), the caller
 * gives it max(SRTT/2, 10 ms) to ACK the segment (xtcp_timer_sack_reneging());
 * if it does not, the retransmission time-out finds the head still SACKed and
 * sends it again (sack_reneged()).
 */
bool xtcp_sack_reneging(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head = xtcp_rtx_head(sk);

	return xs->sack_ok && head && XTCP_SKB_CB(head)->sacked;
}

/*
 * The retransmission timer expired with data in flight (RFC 5681 §3.1, RFC
 * 6298 §5.4): one window was lost. Every segment sent and not SACKed is lost
 * (every one, if the receiver reneged on its SACKs; with RACK, not those
 * sent too lately to be judged); they go again from the oldest on, in slow
 * start from one segment more than is still in flight. F-RTO may then find
 * the time-out spurious (frto_ack()).
 */
void xtcp_enter_loss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool new_recovery = xs->ca_state < XTCP_CA_RECOVERY;
	bool reneged, rack;
	struct sk_buff *skb;
	u64 now;
	u32 r;

	xtcp_sock_assert_locked(sk);
	/*
	 * ssthresh falls once a window (tcp_enter_loss()): not again for a
	 * reduction still going on, nor for a time-out after one unless an
	 * ACK moved SND.UNA since (xs->retries counts this one already). An
	 * undo may restore cwnd and ssthresh of before.
	 */
	if (xs->ca_state <= XTCP_CA_DISORDER ||
	    !xtcp_seq_after(xs->high_seq, xs->snd_una) ||
	    (xs->ca_state == XTCP_CA_LOSS && xs->retries <= 1)) {
		xs->prior_ssthresh = current_ssthresh(xs);
		xs->prior_cwnd = xs->cc.cwnd;
		xs->cc.ssthresh = xtcp_ca_ssthresh(sk);
		xtcp_ca_event(sk, CA_EVENT_LOSS);
		init_undo(xs);
	}
	xs->cc.cwnd_cnt = 0;
	reneged = xs->sack_ok && sack_reneged(sk);
	rack = is_rack(sk);
	now = ktime_get_ns();
	for (skb = xtcp_rtx_head(sk); skb; skb = xtcp_rtx_next(skb)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		/*
		 * with RACK, those sent too lately to be judged are not lost
		 * yet, but for the head (tcp_timeout_mark_lost())
		 */
		if (!reneged && rack && skb != xtcp_rtx_head(sk) &&
		    rack_skb_timeout(xs, skb, 0, now) > 0)
			continue;
		if (cb->retrans) {
			cb->retrans = 0;
			xs->retrans_out--;
		}
		mark_lost(xs, skb);
	}
	if (!xs->sack_ok)
		xs->sacked_out = 0;
	/*
	 * a time-out after DupThresh SACKs out of recovery: the reordering
	 * was over-estimated (tcp_enter_loss())
	 */
	r = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_reordering);
	if (xs->ca_state <= XTCP_CA_DISORDER && xs->sacked_out >= r)
		xs->reordering = min_t(u32, xs->reordering, r);
	/* one more than what is still in flight: the head goes again */
	xs->cc.cwnd = xtcp_pipe(xs) + 1;
	xs->snd_cwnd_stamp = tcp_jiffies32;
	hints_reset(xs);
	xs->high_seq = xs->snd_nxt;
	xs->tlp_high_seq = 0;
	xtcp_ca_set_state(sk, XTCP_CA_LOSS);
	xs->dupacks = 0;
	xs->rtt_timing = 0;	/* Karn */
	xtcp_ecn_queue_cwr(xs);
	/*
	 * F-RTO (RFC 5682 §3.1 step 1) on net.ipv4.tcp_frto (or net.xtcp.frto),
	 * unless a recovery was going on, but for a time-out again on the same
	 * SND.UNA (§3.2): xs->retries counts this one already. xtcp sends no
	 * path MTU probes, which Linux leaves F-RTO off for.
	 */
	xs->frto = xtcp_sysctl(sock_net(sk), frto, sysctl_tcp_frto) &&
		   (new_recovery || xs->retries > 1);
}

/*
 * The path MTU fell and the MSS with it (icmp.c): segments in flight bigger
 * than the new MSS were dropped on the way. They are lost and go again at
 * once, split to the MSS (tcp_simple_retransmit()); the congestion window
 * stays, for this is no sign of congestion.
 */
void xtcp_simple_retransmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	xtcp_sock_assert_locked(sk);
	for (skb = xtcp_rtx_head(sk); skb; skb = xtcp_rtx_next(skb)) {
		if (skb->len <= xs->mss)
			continue;
		if (XTCP_SKB_CB(skb)->retrans) {	/* that copy was too big too */
			XTCP_SKB_CB(skb)->retrans = 0;
			xs->retrans_out--;
		}
		mark_lost(xs, skb);
	}
	/* resent copies marked lost again may lie before the hint */
	xs->lost_hint = NULL;
	if (xs->lost_out <= xs->retrans_out)
		return;
	if (xs->ca_state != XTCP_CA_LOSS) {
		xs->high_seq = xs->snd_nxt;
		xs->ca_state = XTCP_CA_LOSS;
		xs->rtt_timing = 0;	/* Karn */
	}
	xtcp_push(sk);
}

/*
 * RACK's timer fired (tcp_rack_reo_timeout(), RFC 8985 §6.3): segments it
 * waited for are lost now. If any was, recovery begins, unless it is on,
 * the window falling as for one segment delivered (tcp_cwnd_reduction()),
 * and the lost go again, nothing new; then the RTO takes its place.
 */
void xtcp_rack_reo_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 prior_inflight = xtcp_pipe(xs);
	u32 lost = xs->lost;

	xtcp_sock_assert_locked(sk);
	rack_detect_loss(sk);
	if (prior_inflight != xtcp_pipe(xs)) {
		if (xs->ca_state != XTCP_CA_RECOVERY) {
			enter_recovery(sk, false);
			if (!xs->ca_ops->cong_control)
				prr_reduction(xs, 1, xs->lost - lost, false);
		}
		xtcp_xmit_lost(sk);
	}
	xtcp_timer_reo_done(sk);
}
