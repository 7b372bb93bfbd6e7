// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the RFC 6298 estimator of rtt.h, against values worked out by hand
 * from the RFC's formulas.
 */
#include <kunit/test.h>

#include "rtt.h"
#include "suites.h"

static void rto_before_any_sample(struct kunit *test)
{
	struct xtcp_rtt r = {};

	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 1000U);	/* §2.1 */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, true), 3000U);	/* §5.7 */
}

/* §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4 RTTVAR) */
static void first_sample(struct kunit *test)
{
	struct xtcp_rtt r = {};

	xtcp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 50000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 300U);
	/* a SYN lost before does not matter once there is a sample */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, true), 300U);
}

/* §2.3 with beta 1/4, alpha 1/8: RTTVAR first, from the old SRTT */
static void later_samples(struct kunit *test)
{
	struct xtcp_rtt r = {};

	xtcp_rtt_sample(&r, 100000);
	xtcp_rtt_sample(&r, 180000);
	/* RTTVAR = 3/4 50000 + 1/4 |100000 - 180000| = 37500 + 20000 */
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 57500U);
	/* SRTT = 7/8 100000 + 1/8 180000 = 87500 + 22500 */
	KUNIT_EXPECT_EQ(test, r.srtt_us, 110000U);
	/* RTO = 110 ms + 4 * 57.5 ms */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 340U);
}

/* Linux's 200 ms floor on the variance term, so a fast path still waits */
static void minimum_is_linux(struct kunit *test)
{
	struct xtcp_rtt r = {};
	int i;

	xtcp_rtt_sample(&r, 10000);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 210U);
	for (i = 0; i < 200; i++)
		xtcp_rtt_sample(&r, 50);
	KUNIT_EXPECT_LE(test, r.srtt_us, 60U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 201U);
	/* a sample of 0 (a timestamp tick not yet turned) counts as 1 us */
	r = (struct xtcp_rtt){};
	xtcp_rtt_sample(&r, 0);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 201U);
}

/* §2.5: at most 120 s */
static void maximum(struct kunit *test)
{
	struct xtcp_rtt r = {};

	xtcp_rtt_sample(&r, 100000000);	/* 100 s */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 120000U);
}

/* Steady samples: the variance decays, SRTT stays, RTO comes down to the floor */
static void converges(struct kunit *test)
{
	struct xtcp_rtt r = {};
	int i;

	xtcp_rtt_sample(&r, 300000);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 900U);
	for (i = 0; i < 100; i++)
		xtcp_rtt_sample(&r, 300000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 300000U);
	KUNIT_EXPECT_LT(test, r.rttvar_us, 50U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_rto_ms(&r, false), 500U);
}

/*
 * The windowed minimum (tcp_update_rtt_min()): sample, then smoothing; of
 * an ACK that was likely delayed (FLAG_ACK_MAYBE_DELAYED) or not
 */
static void rtt_min_sample_of(struct xtcp_rtt *r, u32 now, u32 us,
			      bool delayed)
{
	xtcp_rtt_min_sample(r, 300 * HZ, now, us, delayed);
	xtcp_rtt_sample(r, us);
}

static void rtt_min_sample(struct xtcp_rtt *r, u32 now, u32 us)
{
	rtt_min_sample_of(r, now, us, false);
}

/* ~0U before any sample; the least sample while it is in the window */
static void min_rtt_window(struct kunit *test)
{
	struct xtcp_rtt r = {};
	u32 t = 1000;

	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), ~0U);
	rtt_min_sample(&r, t, 300);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 300U);
	rtt_min_sample(&r, t + HZ, 100);
	rtt_min_sample(&r, t + 2 * HZ, 200);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 100U);
	KUNIT_EXPECT_LE(test, xtcp_rtt_min_us(&r), r.srtt_us);
	/* 300 s after the 100 us sample, only later ones count */
	rtt_min_sample(&r, t + 302 * HZ, 250);
	KUNIT_EXPECT_GE(test, xtcp_rtt_min_us(&r), 200U);
	/* a sample of 0 counts as a jiffy, as in Linux */
	rtt_min_sample(&r, t + 303 * HZ, 0);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r),
			min_t(u32, 250, jiffies_to_usecs(1)));
}

/*
 * tcp_update_rtt_min(): the sample of a likely delayed ACK above the minimum
 * is left out, so that when the minimum's window ends the filter does not
 * take the receiver's delay for the path's; one below it counts as any
 */
static void min_rtt_delayed_ack(struct kunit *test)
{
	struct xtcp_rtt r = {};
	u32 t = 1000;

	/* the first sample starts the filter, delayed or not */
	rtt_min_sample_of(&r, t, 40000, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 40000U);
	rtt_min_sample(&r, t + HZ, 1000);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 1000U);
	/* past the window, a delayed ACK's longer sample does not replace it */
	rtt_min_sample_of(&r, t + 302 * HZ, 40000, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 1000U);
	/* one not delayed does */
	rtt_min_sample(&r, t + 303 * HZ, 2000);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 2000U);
	/* a delayed ACK's sample below the minimum counts */
	rtt_min_sample_of(&r, t + 304 * HZ, 1500, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 1500U);
	/* and one equal to it */
	rtt_min_sample_of(&r, t + 605 * HZ, 1500, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_min_us(&r), 1500U);
}

static struct kunit_case rtt_cases[] = {
	KUNIT_CASE(rto_before_any_sample),
	KUNIT_CASE(first_sample),
	KUNIT_CASE(later_samples),
	KUNIT_CASE(minimum_is_linux),
	KUNIT_CASE(maximum),
	KUNIT_CASE(converges),
	KUNIT_CASE(min_rtt_window),
	KUNIT_CASE(min_rtt_delayed_ack),
	{}
};

static struct kunit_suite rtt_suite = {
	.name = "xtcp_rtt",
	.test_cases = rtt_cases,
};

XTCP_KUNIT_SUITES(rtt, &rtt_suite);
