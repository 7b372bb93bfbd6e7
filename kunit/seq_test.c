// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sequence-number comparison modulo 2^32, with wraparound.
 */
#include <kunit/test.h>

#include "seq.h"

static void seq_before_after_plain(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(5, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(2, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(5, 5));
}

/* 0xFFFFFFFF is one before 0: the comparison must follow the wrap. */
static void seq_wraparound_at_zero(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xFFFFFFFFu, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0, 0xFFFFFFFFu));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xFFFFFF00u, 0x100));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x100, 0xFFFFFF00u));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(0xFFFFFFFFu, 0xFFFFFFFFu));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(0, 0xFFFFFFFFu));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_geq(0xFFFFFFFFu, 0));
}

/* Half the space away is the edge: 2^31 - 1 ahead is after, 2^31 is not. */
static void seq_half_space_edge(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x7FFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0x80000000u, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0x80000000u, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x80000000u + 5, 6));
}

static void seq_between_wraps(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 1, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(1, 1, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 1, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(11, 1, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0, 1, 10));
	/* a window that straddles 0 */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xFFFFFFFEu, 0xFFFFFFF0u, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0, 0xFFFFFFF0u, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0x10, 0xFFFFFFF0u, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0x11, 0xFFFFFFF0u, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xFFFFFFEFu, 0xFFFFFFF0u, 0x10));
}

/* Every comparison agrees with its mirror across a sweep through the wrap. */
static void seq_sweep_consistent(struct kunit *test)
{
	u32 base = 0xFFFFFF00u;
	u32 i;

	for (i = 1; i < 0x200; i++) {
		u32 a = base, b = base + i;

		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(a, b));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_after(b, a));
		KUNIT_EXPECT_EQ(test, xtcp_seq_leq(a, b), !xtcp_seq_after(a, b));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_between(b - 1, a, b));
	}
}

static struct kunit_case seq_cases[] = {
	KUNIT_CASE(seq_before_after_plain),
	KUNIT_CASE(seq_wraparound_at_zero),
	KUNIT_CASE(seq_half_space_edge),
	KUNIT_CASE(seq_between_wraps),
	KUNIT_CASE(seq_sweep_consistent),
	{}
};

static struct kunit_suite seq_suite = {
	.name = "xtcp_seq",
	.test_cases = seq_cases,
};
kunit_test_suite(seq_suite);
