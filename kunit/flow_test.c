// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the sender's and the receiver's small decisions: when an ACK goes at
 * once (delack.h, RFC 5681 §4.2), when Nagle holds a segment (nagle.h, RFC
 * 896 as Linux's Minshall variant), the urgent pointer out and in (urgent.h,
 * RFC 9293 §3.8.5 with RFC 6093), PAWS (seq.h, RFC 7323 §5) and the buffer
 * sizes autotuning aims at (autotune.h, as tcp_rcv_space_adjust() and
 * tcp_sndbuf_expand()).
 */
#include <kunit/test.h>

#include "autotune.h"
#include "delack.h"
#include "nagle.h"
#include "rwin.h"
#include "urgent.h"
#include "suites.h"

#define MSS	1448

/* One full segment may wait; the second one is acknowledged at once. */
static void delack_every_second_segment(struct kunit *test)
{
	struct xtcp_ack_input in = { .rcv_mss = MSS, .window_ok = true };

	in.unacked = MSS;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_DELAY);
	in.unacked = MSS + 1;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_NOW);
	in.unacked = 2 * MSS;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_NOW);
	/* small segments wait too, up to more than a full one in all */
	in.unacked = 100;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_DELAY);
	/* an ACK that would shrink the window waits for the reader */
	in.unacked = 2 * MSS;
	in.window_ok = false;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_DELAY);
}

/* RFC 5681 §4.2: the segment filling the hole at once; out-of-order data by the SACK compression rules. */
static void delack_not_for_ofo(struct kunit *test)
{
	struct xtcp_ack_input in = {
		.rcv_mss = MSS, .unacked = 10, .window_ok = true,
	};

	in.ofo = true;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_OFO);
	in.unacked = MSS + 1;	/* more than a segment owed: at once */
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_NOW);
	in.unacked = 10;
	in.ofo = false;
	in.hole_filled = true;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_NOW);
	in.hole_filled = false;
	in.quick = true;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_NOW);
	in.quick = false;
	KUNIT_EXPECT_EQ(test, xtcp_ack_when(&in), XTCP_ACK_DELAY);
}

/* 5 % of the shorter round trip, at most the sysctl's delay. */
static void delack_comp_sack_delay(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_comp_sack_delay_ns(2000, 0, NSEC_PER_MSEC),
			100000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_comp_sack_delay_ns(2000, 1000, NSEC_PER_MSEC),
			50000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_comp_sack_delay_ns(200000, 0, NSEC_PER_MSEC),
			(u64)NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, xtcp_comp_sack_delay_ns(0, 500, NSEC_PER_MSEC), 0ULL);
}

/* tcp_incr_quickack(): half the window in segments, 2 for none, at most 16 */
static void delack_quickacks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(65535, 536), XTCP_MAX_QUICKACKS);
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(8 * MSS, MSS), 4);
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(3 * MSS, MSS), 1);
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(MSS, MSS), 2);
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(0, MSS), 2);
	KUNIT_EXPECT_EQ(test, xtcp_quickacks(1000, 0), 2);
}

/*
 * __tcp_select_window() with Linux 6.1's defaults: a 131072-byte buffer worth
 * 65536, clamped to 64088 (less a 1448-byte segment), on scale 7.
 */
static void rwin_select(struct kunit *test)
{
	struct xtcp_rwin_input in = {
		.free_space = 65536, .allowed_space = 65536,
		.window_clamp = 64088, .rcv_ssthresh = 64088,
		.rcv_wnd = 65160, .rcv_mss = 536, .advmss = MSS,
		.rcv_wscale = 7,
	};
	struct xtcp_rwin_output out;

	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 64128U);	/* 501 << 7 */
	KUNIT_EXPECT_FALSE(test, out.low);
	/* free space under rcv_ssthresh, rounded up to the scale */
	in.free_space = 40000;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 40064U);
	/* less than half free: a window under 1/16 of the buffer is zero */
	in.free_space = 4000;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 0U);
	KUNIT_EXPECT_TRUE(test, out.low);
	in.free_space = 4200;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 4096U);
	/* under memory pressure rcv_ssthresh falls to four segments */
	in.pressure = true;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.rcv_ssthresh, 4U * MSS);
	in.pressure = false;
	/* unscaled: a multiple of the MSS, kept while within one of it */
	in.rcv_wscale = 0;
	in.rcv_mss = 1000;
	in.free_space = 30500;
	in.rcv_wnd = 20000;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 30000U);
	in.rcv_wnd = 30000;
	in.free_space = 30900;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 30000U);
	/* a buffer smaller than a segment: its whole worth is the MSS */
	in.allowed_space = 1152;
	in.window_clamp = 1152;
	in.free_space = 1152;
	in.rcv_wnd = 1152;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 1152U);
	in.free_space = 500;
	xtcp_rwin_select(&in, &out);
	KUNIT_EXPECT_EQ(test, out.window, 0U);
}

/* tcp_select_window(): the right edge never moves left, on the scale. */
static void rwin_no_shrink(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rwin_no_shrink(1000, 2000, 0), 2000U);
	KUNIT_EXPECT_EQ(test, xtcp_rwin_no_shrink(1000, 2001, 7), 2048U);
	KUNIT_EXPECT_EQ(test, xtcp_rwin_no_shrink(3000, 2000, 7), 3000U);
}

/* tcp_init_buffer_space(): the buffer's worth less a segment, at least two. */
static void rwin_clamp_init(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rwin_clamp_init(65535U << 7, 65536, 31, MSS),
			65536U - MSS);
	KUNIT_EXPECT_EQ(test, xtcp_rwin_clamp_init(4096, 4096, 31, 1460),
			2920U);
	/* no room to reserve a segment: the buffer's worth */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_clamp_init(1152, 1152, 31, 1460),
			1152U);
	/* tcp_app_win 0: no reservation at all */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_clamp_init(65535U << 7, 65536, 0, MSS),
			65536U);
	/* tcp_app_win 2: a quarter kept for the application */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_clamp_init(65535U << 7, 65536, 2, MSS),
			49152U);
}

/* tcp_grow_window(): two segments for a segment whose memory fits. */
static void rwin_grow(struct kunit *test)
{
	/* truesize's worth under the length: two of our segments */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_grow(10000, 1448, 1400, 3145728, MSS,
					     1448), 2U * MSS);
	/* costlier: two of the peer's, while rcv_ssthresh is small */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_grow(10000, 1000, 1152, 3145728, MSS,
					     1000), 2000U);
	/* at least twice the segment */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_grow(10000, 1000, 1152, 3145728, MSS,
					     536), 2000U);
	/* a tiny segment in a big skb: no growth past a small window */
	KUNIT_EXPECT_EQ(test, xtcp_rwin_grow(100000, 10, 1152, 3145728, MSS,
					     536), 0U);
}

/* tcp_event_data_recv(): the ATO follows the gaps between segments. */
static void rwin_ato(struct kunit *test)
{
	u32 rto = HZ / 5;

	KUNIT_EXPECT_EQ(test, xtcp_ato_update(0, 1000, rto), XTCP_ATO_MIN);
	KUNIT_EXPECT_EQ(test, xtcp_ato_update(XTCP_ATO_MIN, 0, rto),
			XTCP_ATO_MIN);
	KUNIT_EXPECT_EQ(test, xtcp_ato_update(4 * XTCP_ATO_MIN, 1, rto),
			2 * XTCP_ATO_MIN + XTCP_ATO_MIN / 2);
	KUNIT_EXPECT_EQ(test, xtcp_ato_update(2 * XTCP_ATO_MIN, XTCP_ATO_MIN,
					      rto), 2 * XTCP_ATO_MIN);
	KUNIT_EXPECT_EQ(test, xtcp_ato_update(4 * rto, 2 * rto, rto), rto);
	/* longer than the ATO: it stays */
	KUNIT_EXPECT_EQ(test, xtcp_ato_update(2 * XTCP_ATO_MIN,
					      3 * XTCP_ATO_MIN, rto),
			2 * XTCP_ATO_MIN);
}

/* tcp_send_delayed_ack(): bounded by the RTT, and by 200 ms when pushed. */
static void rwin_delack_time(struct kunit *test)
{
	u32 max = XTCP_DELACK_MAX_J;

	KUNIT_EXPECT_EQ(test, xtcp_delack_time(XTCP_ATO_MIN, false, false, 0,
					       max), XTCP_ATO_MIN);
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, false, false, 0, HZ), HZ / 2);
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, true, false, 0, HZ),
			XTCP_DELACK_MAX_J);
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, false, true, 0, HZ),
			XTCP_DELACK_MAX_J);
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, false, false,
					       USEC_PER_SEC / 10, HZ),
			usecs_to_jiffies(USEC_PER_SEC / 10));
	/* a short RTT bounds it to TCP_DELACK_MIN, not less */
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, false, false, 1000, HZ),
			XTCP_DELACK_MIN_J);
	KUNIT_EXPECT_EQ(test, xtcp_delack_time(HZ, false, false, 0, max), max);
}

static bool nagle(u32 len, bool last, bool small_in_flight, u8 nonagle)
{
	struct xtcp_nagle_input in = {
		.len = len, .mss = MSS, .last = last,
		.small_in_flight = small_in_flight, .nonagle = nonagle,
	};

	return xtcp_nagle_ok(&in);
}

/* Minshall: a small segment waits only for an earlier small one. */
static void nagle_minshall(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, nagle(10, true, false, 0));
	KUNIT_EXPECT_FALSE(test, nagle(10, true, true, 0));
	/* full segments and segments in the middle of the queue always go */
	KUNIT_EXPECT_TRUE(test, nagle(MSS, true, true, 0));
	KUNIT_EXPECT_TRUE(test, nagle(10, false, true, 0));
}

static void nagle_nodelay_cork_push(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, nagle(10, true, true, XTCP_NAGLE_OFF));
	/* TCP_CORK holds a small tail even with nothing in flight */
	KUNIT_EXPECT_FALSE(test, nagle(10, true, false, XTCP_NAGLE_CORK));
	KUNIT_EXPECT_FALSE(test, nagle(10, true, false,
				       XTCP_NAGLE_CORK | XTCP_NAGLE_OFF));
	KUNIT_EXPECT_TRUE(test, nagle(MSS, true, false, XTCP_NAGLE_CORK));
	/* a push (uncork, TCP_NODELAY set) sends it */
	KUNIT_EXPECT_TRUE(test, nagle(10, true, true,
				      XTCP_NAGLE_CORK | XTCP_NAGLE_PUSH));
}

static void nagle_fin_and_urgent(struct kunit *test)
{
	struct xtcp_nagle_input in = {
		.len = 10, .mss = MSS, .last = true, .small_in_flight = true,
		.nonagle = XTCP_NAGLE_CORK,
	};

	KUNIT_EXPECT_FALSE(test, xtcp_nagle_ok(&in));
	in.fin = true;
	KUNIT_EXPECT_TRUE(test, xtcp_nagle_ok(&in));
	in.fin = false;
	in.urgent = true;
	KUNIT_EXPECT_TRUE(test, xtcp_nagle_ok(&in));
}

/* The pointer names the byte after the urgent one, within 64 KiB. */
static void urgent_pointer_out(struct kunit *test)
{
	u16 ptr = 0;

	/* send("ab", MSG_OOB) at seq 1000: SND.UP 1002, 'b' urgent */
	KUNIT_EXPECT_TRUE(test, xtcp_urg_ptr_out(1002, 1000, 1002, &ptr));
	KUNIT_EXPECT_EQ(test, ptr, 2);
	/* a later segment, at or past SND.UP, carries none */
	KUNIT_EXPECT_FALSE(test, xtcp_urg_ptr_out(1002, 1002, 1100, &ptr));
	KUNIT_EXPECT_FALSE(test, xtcp_urg_ptr_out(1002, 1500, 1600, &ptr));
	/* across the wrap of sequence space */
	KUNIT_EXPECT_TRUE(test, xtcp_urg_ptr_out(5, 0xfffffff0, 5, &ptr));
	KUNIT_EXPECT_EQ(test, ptr, 21);
	/* urgent data further than the field reaches: 65535, "ahead" */
	KUNIT_EXPECT_TRUE(test, xtcp_urg_ptr_out(200000, 1000, 1000, &ptr));
	KUNIT_EXPECT_EQ(test, ptr, 0xFFFF);
	/* ... unless byte seq + 65535 was sent: it would pass for the urgent one */
	KUNIT_EXPECT_FALSE(test, xtcp_urg_ptr_out(200000, 1000, 70000, &ptr));
}

static void urgent_pointer_in(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_urg_seq_in(1000, 2), 1001U);
	KUNIT_EXPECT_EQ(test, xtcp_urg_seq_in(1000, 1), 1000U);
	/* a pointer of 0 names the segment's first byte */
	KUNIT_EXPECT_EQ(test, xtcp_urg_seq_in(1000, 0), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_urg_seq_in(0xffffffff, 2), 0U);
}

/* RFC 7323 §5: older timestamps are old duplicates; a window of 1 on established. */
static void paws(struct kunit *test)
{
	u32 now = 1000, stamp = 990;

	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, stamp, 5000, now, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, stamp, 6000, now, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, stamp, 4999, now, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(5000, stamp, 4998, now, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(5000, stamp, 4999, now, 0));
	/* newer across the 32-bit wrap */
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(0xfffffff0, stamp, 3, now, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(3, stamp, 0xfffffff0, now, 1));
	/* TS.Recent older than 24 days judges nothing (§5.5) */
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, stamp, 10, stamp + XTCP_PAWS_24DAYS, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(5000, stamp, 10, stamp + XTCP_PAWS_24DAYS - 1, 1));
	/* nor a TS.Recent of 0 */
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(0, stamp, 0xf0000000, now, 1));
}

/* DRS: twice what the reader took, 16 segments more, twice its growth, doubled */
static void autotune_rcvbuf(struct kunit *test)
{
	/* a steady reader: 2 * (2 * 100000 + 16 * 1448) */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(100000, 100000, MSS), 446336ULL);
	/* it took twice as much as before: the window doubles on top */
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(100000, 50000, MSS), 3ULL * 446336);
	KUNIT_EXPECT_EQ(test, xtcp_drs_rcvbuf(100000, 0, MSS), 446336ULL);
}

/* two windows of segments, at least the initial window, more than reordering */
static void autotune_sndbuf(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_for(4, 3, 4352), 2ULL * 10 * 4352);
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_for(100, 3, 4352), 2ULL * 100 * 4352);
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_for(10, 40, 4352), 2ULL * 41 * 4352);
}

static struct kunit_case flow_cases[] = {
	KUNIT_CASE(delack_every_second_segment),
	KUNIT_CASE(delack_not_for_ofo),
	KUNIT_CASE(delack_comp_sack_delay),
	KUNIT_CASE(delack_quickacks),
	KUNIT_CASE(rwin_select),
	KUNIT_CASE(rwin_no_shrink),
	KUNIT_CASE(rwin_clamp_init),
	KUNIT_CASE(rwin_grow),
	KUNIT_CASE(rwin_ato),
	KUNIT_CASE(rwin_delack_time),
	KUNIT_CASE(nagle_minshall),
	KUNIT_CASE(nagle_nodelay_cork_push),
	KUNIT_CASE(nagle_fin_and_urgent),
	KUNIT_CASE(urgent_pointer_out),
	KUNIT_CASE(urgent_pointer_in),
	KUNIT_CASE(paws),
	KUNIT_CASE(autotune_rcvbuf),
	KUNIT_CASE(autotune_sndbuf),
	{}
};

static struct kunit_suite flow_suite = {
	.name = "xtcp_flow",
	.test_cases = flow_cases,
};

XTCP_KUNIT_SUITES(flow, &flow_suite);
