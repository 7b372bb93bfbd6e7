/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rwin.h: the receive window we advertise, and the delayed-ACK timeout (ATO),
 * as Linux 6.1 computes them. Protocol logic only: no socket; output.c,
 * ack.c and autotune.c feed it the socket's state.
 *
 * The window is the free receive buffer's worth (tcp_space()), but no more
 * than rcv_ssthresh, which starts at the SYN's window clamped to window_clamp
 * (the whole buffer's worth less one segment, tcp_init_buffer_space()) and
 * grows by two segments for each segment whose memory cost the buffer can
 * carry (tcp_grow_window()). With less than half the buffer free, a window
 * smaller than a segment or than 1/16 of the buffer is offered as zero
 * (__tcp_select_window()). The right edge never moves left
 * (tcp_select_window()).
 *
 * The ATO starts at TCP_ATO_MIN with the first text and follows the gaps
 * between the peer's segments (tcp_event_data_recv()); a delayed-ACK timer
 * that fired doubles it, up to the RTO (tcp_delack_timer_handler()). The
 * timer waits the ATO, bounded by the round trip and by TCP_DELACK_MAX in
 * interactive mode or after a pushed segment, else by HZ/2
 * (tcp_send_delayed_ack()).
 */
#ifndef _XTCP_RWIN_H
#define _XTCP_RWIN_H

#include <linux/align.h>
#include <linux/jiffies.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/types.h>

#define XTCP_ATO_MIN		(HZ / 25)	/* TCP_ATO_MIN, jiffies */
#define XTCP_DELACK_MIN_J	(HZ / 25)	/* TCP_DELACK_MIN, jiffies */
#define XTCP_DELACK_MAX_J	(HZ / 5)	/* TCP_DELACK_MAX, jiffies */

struct xtcp_rwin_input {
	int free_space;		/* tcp_space(): the free buffer's worth */
	int allowed_space;	/* tcp_full_space(): the whole buffer's worth */
	u32 window_clamp;
	u32 rcv_ssthresh;
	u32 rcv_wnd;		/* last advertised */
	u32 rcv_mss;		/* the peer's segment size, as we guess it */
	u32 advmss;		/* ours, less the timestamp option */
	u8 rcv_wscale;
	bool pressure;		/* xtcp's memory is under pressure */
};

struct xtcp_rwin_output {
	u32 window;		/* the window, bytes, before never-shrink */
	u32 rcv_ssthresh;	/* lowered under memory pressure */
	bool low;		/* less than half free: quick ACKs end */
};

/* __tcp_select_window(), without tcp_shrink_window (off by default). */
static inline void xtcp_rwin_select(const struct xtcp_rwin_input *in,
				    struct xtcp_rwin_output *out)
{
	int mss = in->rcv_mss, free_space = in->free_space;
	int full_space = min_t(int, in->window_clamp, in->allowed_space);
	u32 window;

	out->rcv_ssthresh = in->rcv_ssthresh;
	out->low = false;
	out->window = 0;
	if (unlikely(mss > full_space)) {
		mss = full_space;
		if (mss <= 0)
			return;
	}
	if (free_space < (full_space >> 1)) {
		out->low = true;
		/* tcp_adjust_rcv_ssthresh(): no reserved memory in xtcp */
		if (in->pressure)
			out->rcv_ssthresh = min(out->rcv_ssthresh,
						4U * in->advmss);
		free_space = round_down(free_space, 1 << in->rcv_wscale);
		if (free_space < (in->allowed_space >> 4) || free_space < mss)
			return;
	}
	if (free_space > (int)out->rcv_ssthresh)
		free_space = out->rcv_ssthresh;
	if (in->rcv_wscale) {
		/* enough that the scale does not round it away */
		window = ALIGN(free_space, 1 << in->rcv_wscale);
	} else {
		/* a multiple of the MSS, kept while within one of the free space */
		window = in->rcv_wnd;
		if (window <= free_space - mss || window > free_space)
			window = rounddown(free_space, mss);
		else if (mss == full_space &&
			 free_space > window + (full_space >> 1))
			window = free_space;
	}
	out->window = window;
}

/*
 * tcp_select_window()'s rule: a window @new below what is left of the
 * advertised one, @cur, is @cur, on the scale.
 */
static inline u32 xtcp_rwin_no_shrink(u32 new, u32 cur, u8 rcv_wscale)
{
	return new < cur ? ALIGN(cur, 1U << rcv_wscale) : new;
}

/*
 * tcp_init_buffer_space()'s window clamp: the whole buffer's worth @maxwin,
 * less 1/2^@app_win of it (tcp_app_win, 31 by default: nothing), less one
 * segment kept for the application.
 */
static inline u32 xtcp_rwin_clamp_init(u32 clamp, int maxwin, int app_win,
				       u32 advmss)
{
	if (clamp >= maxwin) {
		clamp = maxwin;
		if (app_win && maxwin > 4 * advmss)
			clamp = max_t(u32, maxwin - (maxwin >> app_win),
				      4 * advmss);
	}
	if (app_win && clamp > 2 * advmss && clamp + advmss > maxwin)
		clamp = max_t(u32, 2 * advmss, maxwin - advmss);
	return clamp;
}

/*
 * tcp_grow_window()'s increment for a segment of @len bytes that costs
 * @truesize of memory (both as the buffer's worth, @win_truesize being
 * tcp_win_from_space(@truesize) and @win_rmem2 that of tcp_rmem[2]): two
 * segments (or two of @len), when a buffer of such segments fills no more
 * than the window; 0 when it would overfill it.
 */
static inline u32 xtcp_rwin_grow(u32 rcv_ssthresh, u32 len, int win_truesize,
				 int win_rmem2, u32 advmss, u32 rcv_mss)
{
	int truesize, window;
	u32 incr = 0;

	if (win_truesize <= (int)len) {
		incr = 2 * advmss;
	} else {
		truesize = win_truesize >> 1;
		window = win_rmem2 >> 1;
		while ((int)rcv_ssthresh <= window) {
			if (truesize <= (int)len) {
				incr = 2 * rcv_mss;
				break;
			}
			truesize >>= 1;
			window >>= 1;
		}
	}
	return incr ? max(incr, 2 * len) : 0;
}

/*
 * tcp_event_data_recv(): the ATO after text that came @m jiffies after the
 * peer's last, with an RTO of @rto jiffies. (The first text, ATO 0, sets
 * TCP_ATO_MIN; a gap longer than the RTO leaves it and brings quick ACKs.)
 */
static inline u32 xtcp_ato_update(u32 ato, u32 m, u32 rto)
{
	if (!ato)
		return XTCP_ATO_MIN;
	if (m <= XTCP_ATO_MIN / 2)
		return (ato >> 1) + XTCP_ATO_MIN / 2;
	if (m < ato)
		return min((ato >> 1) + m, rto);
	return ato;
}

/*
 * tcp_send_delayed_ack(): how long, in jiffies, the ACK may wait. @pushed:
 * a short segment came since our last ACK (ICSK_ACK_PUSHED); @srtt_us: 0
 * when no round trip was measured.
 */
static inline u32 xtcp_delack_time(u32 ato, bool pingpong, bool pushed,
				      u32 srtt_us, u32 delack_max)
{
	if (ato > XTCP_DELACK_MIN_J) {
		u32 max_ato = HZ / 2;

		if (pingpong || pushed)
			max_ato = XTCP_DELACK_MAX_J;
		if (srtt_us) {
			u32 rtt = max_t(u32, usecs_to_jiffies(srtt_us),
					XTCP_DELACK_MIN_J);

			max_ato = min(max_ato, rtt);
		}
		ato = min(ato, max_ato);
	}
	return min(ato, delack_max);
}

#endif /* _XTCP_RWIN_H */
