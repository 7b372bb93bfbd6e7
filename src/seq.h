/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq.h: TCP sequence-number arithmetic, modulo 2^32 (RFC 9293 §3.4), and the
 * tests built on it: segment acceptability (§3.10.7.4), ACK and RST
 * classification with the RFC 5961 bounds.
 *
 * Pure functions on u32 values: no socket, no sk_buff. Two sequence numbers are
 * compared by the sign of their 32-bit difference, so a comparison is only
 * meaningful for numbers less than 2^31 apart, which TCP's windows guarantee.
 */
#ifndef _XTCP_SEQ_H
#define _XTCP_SEQ_H

#include <linux/types.h>

/* a < b in sequence space */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b in sequence space */
static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* a <= b */
static inline bool xtcp_seq_leq(u32 a, u32 b)
{
	return !xtcp_seq_after(a, b);
}

/* a >= b */
static inline bool xtcp_seq_geq(u32 a, u32 b)
{
	return !xtcp_seq_before(a, b);
}

/* lo <= x <= hi, all in sequence space (the window may wrap through 0) */
static inline bool xtcp_seq_between(u32 x, u32 lo, u32 hi)
{
	return hi - lo >= x - lo;
}

/* rcv_nxt <= seq < rcv_nxt + rcv_wnd: inside a receive window, wrapping or not */
static inline bool xtcp_seq_in_window(u32 seq, u32 rcv_nxt, u32 rcv_wnd)
{
	return seq - rcv_nxt < rcv_wnd;
}

/*
 * RFC 9293 §3.10.7.4, the segment acceptability test. @seg_len is SEG.LEN, the
 * sequence space the segment occupies (text plus one for SYN and one for FIN);
 * @rcv_wnd is RCV.WND, already scaled. The four cases:
 *
 *	SEG.LEN  RCV.WND  acceptable when
 *	0        0        SEG.SEQ = RCV.NXT
 *	0        >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *	>0       0        never
 *	>0       >0       its first or its last octet lies in the window
 */
static inline bool xtcp_seq_acceptable(u32 seg_seq, u32 seg_len, u32 rcv_nxt,
				       u32 rcv_wnd)
{
	if (!rcv_wnd)
		return !seg_len && seg_seq == rcv_nxt;
	if (!seg_len)
		return xtcp_seq_in_window(seg_seq, rcv_nxt, rcv_wnd);
	return xtcp_seq_in_window(seg_seq, rcv_nxt, rcv_wnd) ||
	       xtcp_seq_in_window(seg_seq + seg_len - 1, rcv_nxt, rcv_wnd);
}

/*
 * What an ACK field is worth, RFC 9293 §3.10.7.4 fifth check with RFC 5961 §5.2:
 * an ACK is acceptable only if SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT.
 * Callers answer XTCP_ACK_TOO_OLD and XTCP_ACK_AHEAD with a
 * challenge ACK and drop the segment.
 */
enum xtcp_ack_class {
	XTCP_ACK_NEW,		/* SND.UNA < SEG.ACK =< SND.NXT: acks new data */
	XTCP_ACK_DUP,		/* SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.UNA */
	XTCP_ACK_TOO_OLD,	/* SEG.ACK < SND.UNA - MAX.SND.WND */
	XTCP_ACK_AHEAD,		/* SEG.ACK > SND.NXT: acks what was never sent */
};

static inline enum xtcp_ack_class xtcp_ack_classify(u32 seg_ack, u32 snd_una,
						    u32 snd_nxt,
						    u32 max_snd_wnd)
{
	if (xtcp_seq_after(seg_ack, snd_nxt))
		return XTCP_ACK_AHEAD;
	if (xtcp_seq_after(seg_ack, snd_una))
		return XTCP_ACK_NEW;
	if (xtcp_seq_geq(seg_ack, snd_una - max_snd_wnd))
		return XTCP_ACK_DUP;
	return XTCP_ACK_TOO_OLD;
}

static inline bool xtcp_ack_acceptable(enum xtcp_ack_class class)
{
	return class == XTCP_ACK_NEW || class == XTCP_ACK_DUP;
}

/*
 * SYN-SENT (RFC 9293 §3.10.7.3): an ACK is acceptable only if
 * ISS < SEG.ACK =< SND.NXT, that is, if it covers our SYN.
 */
static inline bool xtcp_ack_of_syn_acceptable(u32 seg_ack, u32 iss, u32 snd_nxt)
{
	return xtcp_seq_after(seg_ack, iss) && xtcp_seq_leq(seg_ack, snd_nxt);
}

/*
 * A RST in any state but SYN-SENT (RFC 9293 §3.10.7.4 second check, RFC 5961
 * §3.2): only an exact SEG.SEQ = RCV.NXT resets; elsewhere in the window it
 * earns a challenge ACK; outside it, silence (a RST is never answered by a RST).
 */
enum xtcp_rst_class {
	XTCP_RST_RESET,
	XTCP_RST_CHALLENGE,
	XTCP_RST_DROP,
};

static inline enum xtcp_rst_class xtcp_rst_classify(u32 seg_seq, u32 rcv_nxt,
						    u32 rcv_wnd)
{
	if (seg_seq == rcv_nxt)
		return XTCP_RST_RESET;
	if (xtcp_seq_in_window(seg_seq, rcv_nxt, rcv_wnd))
		return XTCP_RST_CHALLENGE;
	return XTCP_RST_DROP;
}

/*
 * PAWS (RFC 7323 §5): a segment whose TSval is older than TS.Recent by more
 * than @win (Linux allows 1 on established connections, 0 to decide whether
 * TS.Recent moves) is an old duplicate. Timestamp clocks may have wrapped
 * after 24 days without word from the peer (§5.5), so an older TS.Recent
 * judges nothing; nor does a TS.Recent of 0, which some stacks send on SYNs
 * (tcp_paws_check()). @now and @recent_stamp are in seconds.
 */
#define XTCP_PAWS_WINDOW	1
#define XTCP_PAWS_24DAYS	(60 * 60 * 24 * 24)

static inline bool xtcp_paws_ok(u32 ts_recent, u32 recent_stamp, u32 tsval,
				u32 now, int win)
{
	if ((s32)(ts_recent - tsval) <= win)
		return true;
	if ((s32)(now - (recent_stamp + XTCP_PAWS_24DAYS)) >= 0)
		return true;
	return !ts_recent;
}

#endif /* _XTCP_SEQ_H */
