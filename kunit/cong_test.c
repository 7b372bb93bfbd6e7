// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control (src/cong.c). Reno's window is worked by hand from
 * RFC 5681; CUBIC's is driven through simulated round trips and checked
 * against RFC 9438's curve: back to the old maximum at t = K, concave before,
 * convex after.
 */
#include <kunit/test.h>

#include "cong.h"
#include "packet.h"
#include "suites.h"

/*
 * A socket whose congestion state is @cwnd and @ssthresh, with @ops's
 * per-socket state set up; the hooks are called directly, as the stack would.
 */
static struct sock *fresh(struct kunit *test,
			  const struct xtcp_congestion_ops *ops, u32 cwnd,
			  u32 ssthresh)
{
	struct sock *sk = xtcp_test_socket(test)->sk;
	struct xtcp_cc *cc = xtcp_cc(sk);

	memset(cc, 0, sizeof(*cc));
	cc->cwnd = cwnd;
	cc->ssthresh = ssthresh;
	if (ops->init)
		ops->init(sk);
	return sk;
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
	struct sock *sk = fresh(test, &xtcp_reno, 10, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);
	int i;

	for (i = 0; i < 10; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 20U);
	xtcp_reno.cong_avoid(sk, 0, 20);	/* a stretch ACK */
	KUNIT_EXPECT_EQ(test, cc->cwnd, 40U);
}

/* Slow start stops at ssthresh; the rest of the ACK goes to avoidance. */
static void reno_ssthresh_crossing(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 10, 16);
	struct xtcp_cc *cc = xtcp_cc(sk);

	xtcp_reno.cong_avoid(sk, 0, 10);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 16U);
	KUNIT_EXPECT_EQ(test, cc->cwnd_cnt, 4U);
}

/* RFC 5681 §3.1 (3): one segment per window of ACKs in avoidance. */
static void reno_avoidance(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 20, 10);
	struct xtcp_cc *cc = xtcp_cc(sk);
	int i;

	for (i = 0; i < 19; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 20U);
	xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 21U);
	for (i = 0; i < 21 * 10; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	/* 21 + 22 + ... : ten windows' worth of ACKs, under 10 more segments */
	KUNIT_EXPECT_GE(test, cc->cwnd, 29U);
	KUNIT_EXPECT_LE(test, cc->cwnd, 31U);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS), as Linux's cwnd / 2. */
static void reno_loss(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 40, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);

	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(sk), 20U);
	cc->cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(sk), 2U);
}

/* RFC 9438 §4.6: beta = 0.7; §4.7 fast convergence lowers Wmax. */
static void cubic_loss(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);

	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 70U);
	cc->cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 2U);
}

/* One round trip of @srtt_us: an ACK per segment of the window. */
static void round_trip(struct sock *sk, u64 *now_us, u32 srtt_us)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	u32 i, n = cc->cwnd;

	cc->mstamp_us = *now_us;
	cc->srtt_us = srtt_us;
	for (i = 0; i < n; i++)
		xtcp_cubic.cong_avoid(sk, 0, 1);
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
	struct sock *sk = fresh(test, &xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);
	const u32 rtt = 100000;
	u64 start = 1000000, now = start;
	u32 at_1s = 0, at_3s = 0, at_k = 0, at_6s = 0, at_8s = 0;

	cc->ssthresh = xtcp_cubic.ssthresh(sk);
	cc->cwnd = cc->ssthresh;
	while (now - start < 8000000) {
		round_trip(sk, &now, rtt);
		switch ((u32)((now - start) / rtt)) {
		case 10:
			at_1s = cc->cwnd;
			break;
		case 30:
			at_3s = cc->cwnd;
			break;
		case 42:
			at_k = cc->cwnd;
			break;
		case 60:
			at_6s = cc->cwnd;
			break;
		case 80:
			at_8s = cc->cwnd;
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
	struct sock *sk = fresh(test, &xtcp_cubic, 50, 50);
	struct xtcp_cc *cc = xtcp_cc(sk);
	u64 now = 1000000;
	int i;

	for (i = 0; i < 30; i++)
		round_trip(sk, &now, 100000);
	KUNIT_EXPECT_GT(test, cc->cwnd, 50U);
}

/* A do-nothing algorithm for the registry's tests. */
static u32 test_ssthresh(struct sock *sk)
{
	return 2;
}

static void test_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
}

static u32 test_undo(struct sock *sk)
{
	return xtcp_cc(sk)->cwnd;
}

/*
 * An algorithm built against another API version is refused, and one that
 * lacks a required hook (tcp_validate_congestion_control()); a good one is
 * listed (net.xtcp.available_congestion_control) until unregistered, and
 * its name is taken meanwhile.
 */
static void cong_register(struct kunit *test)
{
	struct xtcp_congestion_ops ops = {
		.name		= "kunit_cc",
		.api_version	= XTCP_CONG_API_VERSION + 1,
		.ssthresh	= test_ssthresh,
		.cong_avoid	= test_cong_avoid,
		.undo_cwnd	= test_undo,
	};
	struct xtcp_congestion_ops dup = ops;
	char list[256];

	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));
	ops.api_version = 0;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);

	ops.api_version = XTCP_CONG_API_VERSION;
	ops.undo_cwnd = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	ops.undo_cwnd = test_undo;
	ops.cong_avoid = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	ops.cong_avoid = test_cong_avoid;
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));

	KUNIT_ASSERT_EQ(test, xtcp_register_congestion_control(&ops), 0);
	KUNIT_EXPECT_TRUE(test, xtcp_cong_exists("kunit_cc"));
	xtcp_cong_list(list, sizeof(list));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "kunit_cc"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "reno"));
	dup.api_version = XTCP_CONG_API_VERSION;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&dup), -EEXIST);
	xtcp_unregister_congestion_control(&ops);
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));
}

/* Room for the algorithm's state: Linux's ICSK_CA_PRIV_SIZE, 104 bytes. */
static void cong_priv_size(struct kunit *test)
{
	KUNIT_EXPECT_GE(test, sizeof_field(struct xtcp_cc, priv), (size_t)104);
	KUNIT_EXPECT_EQ(test, XTCP_CA_PRIV_SIZE, (size_t)104);
}

static struct kunit_case cong_cases[] = {
	KUNIT_CASE(cong_register),
	KUNIT_CASE(cong_priv_size),
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
	.init = xtcp_test_init,
	.test_cases = cong_cases,
};

XTCP_KUNIT_SUITES(cong, &cong_suite);
