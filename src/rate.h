/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rate.h: delivery-rate sampling, as Linux 6.1's net/ipv4/tcp_rate.c does it
 * (after draft-cheng-iccrg-delivery-rate-estimation). Each transmission of
 * an skb snapshots the connection's delivery state into it
 * (xtcp_rate_skb_sent()); each skb (S)ACKed offers that snapshot to the ACK's
 * sample, which keeps the one of the skb sent last
 * (xtcp_rate_skb_delivered()); once per ACK the sample is made
 * (xtcp_rate_gen()): the segments delivered since that skb went, over the
 * longer of the send phase (between the transmissions of the skb the sample
 * starts from and of the one just delivered) and the ACK phase (between the
 * delivery that the snapshot saw and now), no sample if that is shorter than
 * the minimum RTT. A sample taken while the application left the pipe less
 * than full (app_limited, set by xtcp_rate_check_app_limited() on a write)
 * says so, and TCP_INFO's delivery rate keeps the last sample that is not
 * app-limited or the highest that is. A sample also says whether its ACK was
 * likely delayed by the receiver (xtcp_rate_ack_maybe_delayed()).
 *
 * Pure arithmetic on the connection's state and the skb's control block, so
 * that KUnit (kunit/rate_test.c) drives it without a socket. Times are
 * microseconds of ktime_get_ns(), as tp->tcp_mstamp's are of tcp_clock_us().
 */
#ifndef _XTCP_RATE_H
#define _XTCP_RATE_H

#include <linux/minmax.h>
#include <net/tcp.h>

#include "seq.h"
#include "skb_cb.h"

/* The connection's side of tcp_rate.c (tcp_sock's fields of the same use). */
struct xtcp_rate {
	u64 first_tx_us;	/* tp->first_tx_mstamp: the last (S)ACKed skb's send */
	u64 delivered_us;	/* tp->delivered_mstamp: when delivered last grew */
	u32 delivered_ce;	/* tp->delivered_ce: delivered with an ECN echo */
	/* tp->app_limited: delivered + in flight when the app left a bubble, 0: none */
	u32 app_limited;
	/* for TCP_INFO: the sample it reports (tp->rate_*) */
	u32 rate_delivered;
	u32 rate_interval_us;
	u8 rate_app_limited:1;
	/*
	 * of the ACK being processed, for its round trip (tcp_clean_rtx_queue()'s
	 * last_ackt and sack->last_sackt): the send of the last skb it ACKed,
	 * and of the last it SACKed, that never went again; whether it ACKed
	 * one that did (FLAG_RETRANS_DATA_ACKED), and one SACKed before
	 */
	u64 ackt_us;
	u64 sackt_us;
	u8 retrans_acked:1;
	u8 sacked_acked:1;
};

/* Samples carry at most this much of delivered_ce, as TCPCB_DELIVERED_CE_MASK. */
#define XTCP_RATE_CE_MASK	((1U << 20) - 1)

/* A new connection: samples are app-limited until the first (tcp_init_sock()). */
static inline void xtcp_rate_init(struct xtcp_rate *r)
{
	*r = (struct xtcp_rate){ .rate_app_limited = 1 };
}

/*
 * tcp_rate_skb_sent(): the skb of @cb goes out at @now_us, with
 * @packets_out segments unacknowledged before it and @delivered delivered so
 * far. With nothing in flight, the sample's clocks start now.
 */
static inline void xtcp_rate_skb_sent(struct xtcp_rate *r,
				      struct xtcp_skb_cb *cb, u64 now_us,
				      u32 packets_out, u32 delivered)
{
	if (!packets_out) {
		r->first_tx_us = now_us;
		r->delivered_us = now_us;
	}
	cb->tx_first_us = r->first_tx_us;
	cb->tx_delivered_us = r->delivered_us;
	cb->tx_delivered = delivered;
	cb->tx_delivered_ce = r->delivered_ce & XTCP_RATE_CE_MASK;
	cb->tx_app_limited = !!r->app_limited;
}

/* tcp_stamp_us_delta(): @t1 - @t0, 0 if @t1 is earlier. */
static inline u32 xtcp_rate_us_delta(u64 t1, u64 t0)
{
	return max_t(s64, t1 - t0, 0);
}

/* tcp_skb_sent_after(): was (@t1, @seq1) sent after (@t2, @seq2)? */
static inline bool xtcp_rate_sent_after(u64 t1, u64 t2, u32 seq1, u32 seq2)
{
	return t1 > t2 || (t1 == t2 && xtcp_seq_after(seq1, seq2));
}

/*
 * tcp_rate_skb_delivered(): the skb of @cb, last sent at @tx_us, is ACKed
 * (@sacked false) or SACKed (@sacked true) by the ACK whose sample is @rs.
 * The sample starts from the skb sent last among those; a SACKed one gives
 * its snapshot once, not again when the cumulative ACK covers it.
 */
static inline void xtcp_rate_skb_delivered(struct xtcp_rate *r,
					   struct xtcp_skb_cb *cb, u64 tx_us,
					   bool sacked, struct rate_sample *rs)
{
	/* a cumulative ACK of a SACKed skb says nothing of the round trip */
	if (!sacked && cb->sacked)
		r->sacked_acked = 1;
	if (cb->ever_retrans)
		r->retrans_acked |= !sacked;
	else if (sacked)
		r->sackt_us = tx_us;
	else if (!cb->sacked)
		r->ackt_us = tx_us;
	if (!cb->tx_delivered_us)
		return;
	if (!rs->prior_delivered ||
	    xtcp_rate_sent_after(tx_us, r->first_tx_us, cb->end_seq,
				 rs->last_end_seq)) {
		rs->prior_delivered_ce = cb->tx_delivered_ce;
		rs->prior_delivered = cb->tx_delivered;
		rs->prior_mstamp = cb->tx_delivered_us;
		rs->is_app_limited = cb->tx_app_limited;
		rs->is_retrans = cb->ever_retrans;
		rs->last_end_seq = cb->end_seq;
		/* the send of the skb delivered last */
		r->first_tx_us = tx_us;
		/* the send phase of this window */
		rs->interval_us = xtcp_rate_us_delta(tx_us, cb->tx_first_us);
	}
	if (sacked)
		cb->tx_delivered_us = 0;
}

/* An ACK comes: its sample starts empty (tcp_ack()'s rs and sack_state). */
static inline void xtcp_rate_ack_start(struct xtcp_rate *r,
				       struct rate_sample *rs)
{
	memset(rs, 0, sizeof(*rs));
	r->ackt_us = 0;
	r->sackt_us = 0;
	r->retrans_acked = 0;
	r->sacked_acked = 0;
}

/*
 * tcp_clean_rtx_queue()'s FLAG_ACK_MAYBE_DELAYED, for rs->is_ack_delayed:
 * the ACK of sample @rs is likely one the receiver delayed, for a lone runt.
 * It acknowledged cumulatively one skb (@pkts_acked), sent once, fewer than
 * @mss bytes (@acked_bytes, how far SND.UNA moved), with nothing SACKed
 * before it (@prior_sacked, sacked_out after the skbs it acknowledged, and
 * none of those SACKed); that one segment is all that was delivered since
 * it went (@tp_delivered, tp->delivered as tcp_clean_rtx_queue() sees it:
 * without a NewReno ACK's own count, which comes after); and it is no alarm
 * to congestion control (@ca_alert, FLAG_CA_ALERT: it SACKed new data,
 * D-SACKed or echoed a CE mark).
 */
static inline bool xtcp_rate_ack_maybe_delayed(const struct xtcp_rate *r,
					       const struct rate_sample *rs,
					       u32 pkts_acked, u32 acked_bytes,
					       u32 mss, u32 prior_sacked,
					       u32 tp_delivered, bool ca_alert)
{
	return r->ackt_us && !r->retrans_acked && pkts_acked == 1 &&
	       !prior_sacked && !r->sacked_acked && acked_bytes < mss &&
	       rs->prior_delivered + 1 == tp_delivered && !ca_alert;
}

/*
 * The round trip of the last segment the ACK (S)ACKed that was sent once,
 * SACKed ones first, at @now_us (tcp_clean_rtx_queue()'s ca_rtt_us); -1 if
 * none: it ACKed only segments sent again, or nothing.
 */
static inline long xtcp_rate_ack_rtt(const struct xtcp_rate *r, u64 now_us)
{
	if (r->sackt_us)
		return xtcp_rate_us_delta(now_us, r->sackt_us);
	if (r->ackt_us && !r->retrans_acked)
		return xtcp_rate_us_delta(now_us, r->ackt_us);
	return -1;
}

/*
 * tcp_rate_gen(): make the ACK's sample @rs at @now_us, the ACK having
 * delivered @delivered segments and marked @lost lost; @tp_delivered is
 * tp->delivered after it, @min_rtt_us the windowed minimum RTT, @reneg
 * whether the peer reneged on its SACKs. An invalid sample has delivered and
 * interval_us -1; one shorter than the minimum RTT has interval_us -1. Keeps
 * what TCP_INFO reports (tp->rate_delivered and the others).
 */
static inline void xtcp_rate_gen(struct xtcp_rate *r, u32 tp_delivered,
				 u64 now_us, u32 min_rtt_us, u32 delivered,
				 u32 lost, bool reneg, struct rate_sample *rs)
{
	u32 snd_us, ack_us;

	/* the bubble is gone once what was in the pipe then is delivered */
	if (r->app_limited && xtcp_seq_after(tp_delivered, r->app_limited))
		r->app_limited = 0;
	if (delivered)
		r->delivered_us = now_us;
	rs->acked_sacked = delivered;
	rs->losses = lost;
	if (!rs->prior_mstamp || reneg) {
		rs->delivered = -1;
		rs->interval_us = -1;
		return;
	}
	rs->delivered = tp_delivered - rs->prior_delivered;
	rs->delivered_ce = (r->delivered_ce - rs->prior_delivered_ce) &
			   XTCP_RATE_CE_MASK;
	/* send and ACK phases of the window, the longer one (ACK compression) */
	snd_us = rs->interval_us;
	ack_us = xtcp_rate_us_delta(now_us, rs->prior_mstamp);
	rs->interval_us = max(snd_us, ack_us);
	rs->snd_interval_us = snd_us;
	rs->rcv_interval_us = ack_us;
	/* shorter than a round trip: the estimate would be too high */
	if (rs->interval_us < min_rtt_us) {
		rs->interval_us = -1;
		return;
	}
	/* the last sample not app-limited, or the highest app-limited one */
	if (!rs->is_app_limited ||
	    (u64)rs->delivered * r->rate_interval_us >=
	    (u64)r->rate_delivered * rs->interval_us) {
		r->rate_delivered = rs->delivered;
		r->rate_interval_us = rs->interval_us;
		r->rate_app_limited = rs->is_app_limited;
	}
}

/* tcp_compute_delivery_rate(): TCP_INFO's bytes per second, 0 for none. */
static inline u64 xtcp_rate_bps(const struct xtcp_rate *r, u32 mss)
{
	u64 rate = (u64)r->rate_delivered * mss * USEC_PER_SEC;

	if (!r->rate_delivered || !r->rate_interval_us)
		return 0;
	return div_u64(rate, r->rate_interval_us);
}

#endif /* _XTCP_RATE_H */
