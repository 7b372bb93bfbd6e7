/* SPDX-License-Identifier: GPL-2.0 */
/*
 * delack.h: when a receiver acknowledges at once and when it may wait (RFC
 * 1122 §4.2.3.2, RFC 5681 §4.2, RFC 9293 §3.8.6.3), decided as Linux's
 * __tcp_ack_snd_check() decides it. Protocol logic only: no socket.
 *
 * An ACK goes at once when more than one full-sized segment is unacknowledged
 * (so at least every second one is) and the window it carries is not smaller
 * than the last (else the reader's recvmsg() sends it), when the segment just filled the hole
 * in the out-of-order queue, and while in quick-ACK mode: the first segments
 * of a connection, or after the peer was silent longer than an RTO, when the
 * peer is in slow start and each ACK opens its window. Otherwise, while the
 * out-of-order queue holds data, the sender needs duplicate ACKs and SACK
 * blocks to repair: the first XTCP_DUPACKS_AT_ONCE since RCV.NXT last moved go
 * at once, and the rest are compressed (Linux's SACK compression, 4.18 on):
 * one ACK after 5 % of the RTT, at most comp_sack_delay_ns, or at once after
 * comp_sack_nr left unsent. Otherwise the ACK waits the delayed-ACK time (the
 * ATO, rwin.h) for a segment of ours to ride on, or for more data.
 */
#ifndef _XTCP_DELACK_H
#define _XTCP_DELACK_H

#include <linux/minmax.h>
#include <linux/time64.h>
#include <linux/types.h>

#define XTCP_MAX_QUICKACKS	16	/* TCP_MAX_QUICKACKS */
#define XTCP_DUPACKS_AT_ONCE	3	/* TCP_FASTRETRANS_THRESH */

struct xtcp_ack_input {
	u32 unacked;		/* RCV.NXT minus what our last segment acknowledged */
	u32 rcv_mss;		/* the peer's full-sized segment */
	bool window_ok;		/* the window would not shrink (or SO_RCVLOWAT) */
	bool quick;		/* in quick-ACK mode */
	bool ofo;		/* the out-of-order queue holds data */
	bool hole_filled;	/* this segment made the out-of-order queue drain */
};

enum xtcp_ack_when {
	XTCP_ACK_DELAY,		/* the delayed-ACK timer may wait */
	XTCP_ACK_NOW,		/* acknowledge now */
	XTCP_ACK_OFO,		/* a duplicate ACK: now, or compressed */
};

static inline enum xtcp_ack_when xtcp_ack_when(const struct xtcp_ack_input *in)
{
	if ((in->unacked > in->rcv_mss && in->window_ok) || in->hole_filled ||
	    in->quick)
		return XTCP_ACK_NOW;
	return in->ofo ? XTCP_ACK_OFO : XTCP_ACK_DELAY;
}

/*
 * How long compressed SACKs wait: 5 % of the round trip (the receiver's
 * estimate, or the sender's if shorter), at most @max_ns, as
 * __tcp_ack_snd_check() arms its compressed_ack_timer.
 */
static inline u64 xtcp_comp_sack_delay_ns(u32 rcv_rtt_us, u32 srtt_us,
					  u32 max_ns)
{
	u32 rtt = rcv_rtt_us;

	if (srtt_us && srtt_us < rtt)
		rtt = srtt_us;
	return min_t(u64, max_ns, (u64)rtt * NSEC_PER_USEC / 20);
}

/*
 * How many ACKs quick-ACK mode sends at once: enough for the peer's window
 * to open, half the receive window in full segments (each ACK covers one
 * segment), 2 when that is none, at most XTCP_MAX_QUICKACKS
 * (tcp_incr_quickack()).
 */
static inline u8 xtcp_quickacks(u32 rcv_wnd, u32 rcv_mss)
{
	u32 n = rcv_mss ? rcv_wnd / (2 * rcv_mss) : 0;

	return n ? min_t(u32, n, XTCP_MAX_QUICKACKS) : 2;
}

#endif /* _XTCP_DELACK_H */
