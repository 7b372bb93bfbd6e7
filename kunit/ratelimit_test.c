// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the challenge-ACK budget (src/ratelimit.h, RFC 5961 §7), and the
 * out-of-window answers' interval (net.xtcp.invalid_ratelimit).
 */
#include <kunit/test.h>

#include "ratelimit.h"
#include "suites.h"

static u32 spend(struct xtcp_ratelimit *rl, u32 now, u32 limit, u32 rnd)
{
	u32 n = 0;

	while (n < 10 * limit + 10 && xtcp_ratelimit_take(rl, now, limit, rnd))
		n++;
	return n;
}

/* A second's budget is between limit/2 and 3*limit/2 - 1, set by @rnd. */
static void budget_is_drawn_around_the_limit(struct kunit *test)
{
	struct xtcp_ratelimit rl = {};

	KUNIT_EXPECT_EQ(test, spend(&rl, 1, 1000, 0), 500U);
	KUNIT_EXPECT_EQ(test, spend(&rl, 2, 1000, 999), 1499U);
	KUNIT_EXPECT_EQ(test, spend(&rl, 3, 1000, 1000), 500U);
	KUNIT_EXPECT_EQ(test, spend(&rl, 4, 1, 12345), 1U);
}

/* Spent is spent until the next second; then the budget is new. */
static void budget_refills_each_second(struct kunit *test)
{
	struct xtcp_ratelimit rl = {};

	KUNIT_EXPECT_EQ(test, spend(&rl, 7, 4, 1), 3U);
	KUNIT_EXPECT_FALSE(test, xtcp_ratelimit_take(&rl, 7, 4, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_ratelimit_take(&rl, 8, 4, 0));
	KUNIT_EXPECT_EQ(test, spend(&rl, 8, 4, 0), 1U);
}

/* A limit of 0 sends none. */
static void zero_limit_sends_none(struct kunit *test)
{
	struct xtcp_ratelimit rl = {};

	KUNIT_EXPECT_FALSE(test, xtcp_ratelimit_take(&rl, 1, 0, 5));
	KUNIT_EXPECT_FALSE(test, xtcp_ratelimit_take(&rl, 2, 0, 5));
}

/*
 * Out-of-window answers (xtcp_oow_rate_limited()): one per interval; the
 * first ever goes; an interval of 0 limits none; a clock "before" the last
 * answer lets it through, as Linux's __tcp_oow_rate_limited().
 */
static void oow_one_per_interval(struct kunit *test)
{
	u32 last = 0;

	KUNIT_EXPECT_FALSE(test, xtcp_oow_rate_limited(&last, 1000, 50));
	KUNIT_EXPECT_EQ(test, last, 1000U);
	KUNIT_EXPECT_TRUE(test, xtcp_oow_rate_limited(&last, 1000, 50));
	KUNIT_EXPECT_TRUE(test, xtcp_oow_rate_limited(&last, 1049, 50));
	KUNIT_EXPECT_EQ(test, last, 1000U);
	KUNIT_EXPECT_FALSE(test, xtcp_oow_rate_limited(&last, 1050, 50));
	KUNIT_EXPECT_EQ(test, last, 1050U);
	KUNIT_EXPECT_FALSE(test, xtcp_oow_rate_limited(&last, 1050, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_oow_rate_limited(&last, 1000, 50));
	KUNIT_EXPECT_EQ(test, last, 1000U);
}

static struct kunit_case ratelimit_cases[] = {
	KUNIT_CASE(oow_one_per_interval),
	KUNIT_CASE(budget_is_drawn_around_the_limit),
	KUNIT_CASE(budget_refills_each_second),
	KUNIT_CASE(zero_limit_sends_none),
	{}
};

static struct kunit_suite ratelimit_suite = {
	.name = "xtcp_ratelimit",
	.test_cases = ratelimit_cases,
};

XTCP_KUNIT_SUITES(ratelimit, &ratelimit_suite);
