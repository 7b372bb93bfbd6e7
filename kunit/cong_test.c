// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control (src/cong.c). Reno's window is worked by hand from
 * RFC 5681; CUBIC's is driven through simulated round trips and checked
 * against RFC 9438's curve: back to the old maximum at t = K, concave before,
 * convex after.
 */
#include <kunit/test.h>

#include "cong.h"
#include "suites.h"

static struct xtcp_cc fresh(const struct xtcp_cong_ops *ops, u32 cwnd,
			    u32 ssthresh)
{
	struct xtcp_cc cc = { .cwnd = cwnd, .ssthresh = ssthresh };

	if (ops->init)
		ops->init(&cc);
	return cc;
}

static void icbrt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(1), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(7), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(8), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(26), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(27), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(1000000000ULL), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(999999999ULL), 999U);
	/* K for Wmax - cwnd = 30 segments: cbrt(30 / 0.4) s = 4.217 s */
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(30ULL * 2500000000ULL), 4217U);
	KUNIT_EXPECT_EQ(test, xtcp_cc_icbrt(U64_MAX), 2642245U);
}

/* RFC 5681 §3.1: slow start doubles the window each round trip. */
static void reno_slow_start(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_reno, 10, XTCP_INFINITE_SSTHRESH);
	int i;

	for (i = 0; i < 10; i++)
		xtcp_reno.cong_avoid(&cc, 1, 0, 100000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20U);
	xtcp_reno.cong_avoid(&cc, 20, 0, 100000);	/* a stretch ACK */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40U);
}

/* Slow start stops at ssthresh; the rest of the ACK goes to avoidance. */
static void reno_ssthresh_crossing(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_reno, 10, 16);

	xtcp_reno.cong_avoid(&cc, 10, 0, 100000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16U);
	KUNIT_EXPECT_EQ(test, cc.cwnd_cnt, 4U);
}

/* RFC 5681 §3.1 (3): one segment per window of ACKs in avoidance. */
static void reno_avoidance(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_reno, 20, 10);
	int i;

	for (i = 0; i < 19; i++)
		xtcp_reno.cong_avoid(&cc, 1, 0, 100000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20U);
	xtcp_reno.cong_avoid(&cc, 1, 0, 100000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 21U);
	for (i = 0; i < 21 * 10; i++)
		xtcp_reno.cong_avoid(&cc, 1, 0, 100000);
	/* 21 + 22 + ... : ten windows' worth of ACKs, under 10 more segments */
	KUNIT_EXPECT_GE(test, cc.cwnd, 29U);
	KUNIT_EXPECT_LE(test, cc.cwnd, 31U);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS), as Linux's cwnd / 2. */
static void reno_loss(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_reno, 40, XTCP_INFINITE_SSTHRESH);

	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(&cc), 20U);
	cc.cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(&cc), 2U);
}

/* RFC 9438 §4.6: beta = 0.7; §4.7 fast convergence lowers Wmax. */
static void cubic_loss(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);

	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(&cc), 70U);
	cc.cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(&cc), 2U);
}

/* One round trip of @srtt_us: an ACK per segment of the window. */
static void round_trip(struct xtcp_cc *cc, u64 *now_us, u32 srtt_us)
{
	u32 i, n = cc->cwnd;

	for (i = 0; i < n; i++)
		xtcp_cubic.cong_avoid(cc, 1, *now_us, srtt_us);
	*now_us += srtt_us;
}

/*
 * After a loss at 100 segments the window (70) grows back to 100 at t = K =
 * 4.217 s: fast at first, flat near 100 (concave), faster again beyond
 * (convex). 100 ms round trips: the Reno-friendly estimate (~ +0.53 segment
 * per RTT) stays below the cubic curve all along.
 */
static void cubic_curve(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);
	const u32 rtt = 100000;
	u64 start = 1000000, now = start;
	u32 at_1s = 0, at_3s = 0, at_k = 0, at_6s = 0, at_8s = 0;

	cc.ssthresh = xtcp_cubic.ssthresh(&cc);
	cc.cwnd = cc.ssthresh;
	while (now - start < 8000000) {
		round_trip(&cc, &now, rtt);
		switch ((u32)((now - start) / rtt)) {
		case 10:
			at_1s = cc.cwnd;
			break;
		case 30:
			at_3s = cc.cwnd;
			break;
		case 42:
			at_k = cc.cwnd;
			break;
		case 60:
			at_6s = cc.cwnd;
			break;
		case 80:
			at_8s = cc.cwnd;
			break;
		}
	}
	kunit_info(test, "cwnd at 1 s %u, 3 s %u, K %u, 6 s %u, 8 s %u",
		   at_1s, at_3s, at_k, at_6s, at_8s);
	/* concave: most of the way back in the first second */
	KUNIT_EXPECT_GE(test, at_1s, 85U);
	KUNIT_EXPECT_LT(test, at_1s, 100U);
	KUNIT_EXPECT_LE(test, at_3s - at_1s, at_1s - 70);
	/* the plateau: Wmax at K, within a segment or two */
	KUNIT_EXPECT_GE(test, at_k, 98U);
	KUNIT_EXPECT_LE(test, at_k, 102U);
	/* convex: growth speeds up past K */
	KUNIT_EXPECT_GT(test, at_6s, 100U);
	KUNIT_EXPECT_GT(test, at_8s - at_6s, at_6s - at_k);
}

/* Before any loss (no Wmax) the epoch starts at the current window. */
static void cubic_no_loss_grows(struct kunit *test)
{
	struct xtcp_cc cc = fresh(&xtcp_cubic, 50, 50);
	u64 now = 1000000;
	int i;

	for (i = 0; i < 30; i++)
		round_trip(&cc, &now, 100000);
	KUNIT_EXPECT_GT(test, cc.cwnd, 50U);
}

static struct kunit_case cong_cases[] = {
	KUNIT_CASE(icbrt),
	KUNIT_CASE(reno_slow_start),
	KUNIT_CASE(reno_ssthresh_crossing),
	KUNIT_CASE(reno_avoidance),
	KUNIT_CASE(reno_loss),
	KUNIT_CASE(cubic_loss),
	KUNIT_CASE(cubic_curve),
	KUNIT_CASE(cubic_no_loss_grows),
	{}
};

static struct kunit_suite cong_suite = {
	.name = "xtcp_cong",
	.test_cases = cong_cases,
};

XTCP_KUNIT_SUITES(cong, &cong_suite);
