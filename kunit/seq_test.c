// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sequence-number comparison modulo 2^32, with wraparound; the RFC 9293
 * §3.10.7.4 acceptability test in its four cases; ACK and RST classification
 * with the RFC 5961 bounds. Every check is also made across 0xFFFFFFFF -> 0.
 */
#include <kunit/test.h>

#include "seq.h"
#include "suites.h"

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

/*
 * Half the space away is the edge: 2^31 - 1 ahead is after, 2^31 + 1 ahead is
 * before. Exactly 2^31 apart, the sign of the difference is INT_MIN whichever
 * way round, so each number is "before" the other: the kernel's before() and
 * after() behave the same, and TCP's windows (< 2^30) never come near it.
 */
static void seq_half_space_edge(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x7FFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(0x7FFFFFFFu, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0x80000001u, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0x80000001u, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0x80000000u, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0, 0x80000000u));
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

/* <= and >= are reflexive, and agree with < and > across the wrap. */
static void seq_leq_geq_wrap(struct kunit *test)
{
	static const u32 pts[] = { 0, 1, 0x7FFFFFFFu, 0x80000000u,
				   0xFFFFFFFEu, 0xFFFFFFFFu };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pts); i++) {
		u32 a = pts[i];

		KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(a, a));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(a, a));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(a, a + 1));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(a + 1, a));
		KUNIT_EXPECT_FALSE(test, xtcp_seq_leq(a + 1, a));
		KUNIT_EXPECT_FALSE(test, xtcp_seq_geq(a, a + 1));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_between(a, a, a));
		KUNIT_EXPECT_FALSE(test, xtcp_seq_between(a + 1, a, a));
	}
}

static void seq_in_window_wraps(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(0xFFFFFFF0u, 0xFFFFFFF0u, 32));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(0, 0xFFFFFFF0u, 32));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(15, 0xFFFFFFF0u, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(16, 0xFFFFFFF0u, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(0xFFFFFFEFu, 0xFFFFFFF0u, 32));
	/* a zero window holds nothing, not even RCV.NXT */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(5, 5, 0));
}

/* Case 1: SEG.LEN = 0, RCV.WND = 0: only SEG.SEQ = RCV.NXT. */
static void acceptable_len0_wnd0_only_rcv_nxt(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 0, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(101, 0, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(99, 0, 100, 0));
	/* at the wrap */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0, 0, 0xFFFFFFFFu, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0, 0, 0, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xFFFFFFFFu, 0, 0, 0));
}

/* Case 2: SEG.LEN = 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND. */
static void acceptable_len0_wnd_open(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 0, 100, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(109, 0, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(110, 0, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(99, 0, 100, 10));
	/* window [0xFFFFFFFB, 5) straddles 0 */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFFBu, 0, 0xFFFFFFFBu, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFFFu, 0, 0xFFFFFFFBu, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0, 0, 0xFFFFFFFBu, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(4, 0, 0xFFFFFFFBu, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(5, 0, 0xFFFFFFFBu, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xFFFFFFFAu, 0, 0xFFFFFFFBu, 10));
}

/* Case 3: SEG.LEN > 0, RCV.WND = 0: never, not even at RCV.NXT. */
static void acceptable_len_pos_wnd0_never(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 1, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 1000, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(99, 2, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xFFFFFFFFu, 1, 0xFFFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xFFFFFFFFu, 2, 0, 0));
}

/* Case 4: SEG.LEN > 0, RCV.WND > 0: first or last octet in the window. */
static void acceptable_len_pos_wnd_open(struct kunit *test)
{
	/* wholly inside */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 10, 100, 100));
	/* starts before, last octet inside: a partial retransmission */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(90, 11, 100, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(90, 10, 100, 100));
	/* starts inside, runs past the right edge */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(199, 50, 100, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(200, 50, 100, 100));
	/* the same across the wrap: window [0xFFFFFFF6, 0x5A) */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFF6u, 20, 0xFFFFFFF6u, 100));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFECu, 11, 0xFFFFFFF6u, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xFFFFFFECu, 10, 0xFFFFFFF6u, 100));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0x59, 50, 0xFFFFFFF6u, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0x5A, 50, 0xFFFFFFF6u, 100));
	/* a segment whose octets cross 0 themselves */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xFFFFFFF0u, 0x20, 0x8, 100));
}

/*
 * All four cases against a reference computed in 64-bit arithmetic, where
 * nothing wraps, for every small offset around 2^32.
 */
static bool ref_acceptable(u64 seq, u64 len, u64 nxt, u64 wnd)
{
	if (!wnd)
		return !len && seq == nxt;
	if (!len)
		return nxt <= seq && seq < nxt + wnd;
	return (nxt <= seq && seq < nxt + wnd) ||
	       (nxt <= seq + len - 1 && seq + len - 1 < nxt + wnd);
}

static void acceptable_matches_unwrapped_reference(struct kunit *test)
{
	const u64 base = 0xFFFFFFE0ull;
	unsigned int s, n, len, wnd, bad = 0;

	for (n = 16; n < 48; n += 3)
		for (s = 0; s < 64; s++)
			for (len = 0; len < 6; len++)
				for (wnd = 0; wnd < 8; wnd += 3) {
					u64 seq = base + s, nxt = base + n;

					if (xtcp_seq_acceptable((u32)seq, len, (u32)nxt,
								wnd) !=
					    ref_acceptable(seq, len, nxt, wnd))
						bad++;
				}
	KUNIT_EXPECT_EQ(test, bad, 0u);
}

static void ack_new_dup_bounds(struct kunit *test)
{
	/* SND.UNA = 1000, SND.NXT = 2000, MAX.SND.WND = 500 */
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(1001, 1000, 2000, 500), XTCP_ACK_NEW);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(2000, 1000, 2000, 500), XTCP_ACK_NEW);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(1000, 1000, 2000, 500), XTCP_ACK_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(500, 1000, 2000, 500), XTCP_ACK_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(499, 1000, 2000, 500), XTCP_ACK_TOO_OLD);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(2001, 1000, 2000, 500), XTCP_ACK_AHEAD);
	KUNIT_EXPECT_TRUE(test, xtcp_ack_acceptable(XTCP_ACK_NEW));
	KUNIT_EXPECT_TRUE(test, xtcp_ack_acceptable(XTCP_ACK_DUP));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_acceptable(XTCP_ACK_TOO_OLD));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_acceptable(XTCP_ACK_AHEAD));
}

/* RFC 5961 §5.2 bound, every edge placed across 0xFFFFFFFF -> 0. */
static void ack_rfc5961_bound_wraps(struct kunit *test)
{
	/* SND.UNA = 0x10, SND.NXT = 0x100, MAX.SND.WND = 0x20: bound 0xFFFFFFF0 */
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0xFFFFFFF0u, 0x10, 0x100, 0x20),
			XTCP_ACK_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0xFFFFFFEFu, 0x10, 0x100, 0x20),
			XTCP_ACK_TOO_OLD);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0, 0x10, 0x100, 0x20), XTCP_ACK_DUP);
	/* SND.UNA = 0xFFFFFFF0, SND.NXT = 0x10: acks across the wrap are new */
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0xFFFFFFFFu, 0xFFFFFFF0u, 0x10, 0),
			XTCP_ACK_NEW);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0, 0xFFFFFFF0u, 0x10, 0), XTCP_ACK_NEW);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0x10, 0xFFFFFFF0u, 0x10, 0), XTCP_ACK_NEW);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0x11, 0xFFFFFFF0u, 0x10, 0),
			XTCP_ACK_AHEAD);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0xFFFFFFF0u, 0xFFFFFFF0u, 0x10, 0),
			XTCP_ACK_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ack_classify(0xFFFFFFEFu, 0xFFFFFFF0u, 0x10, 0),
			XTCP_ACK_TOO_OLD);
}

/* SYN-SENT: ISS < SEG.ACK =< SND.NXT, also when ISS = 0xFFFFFFFF. */
static void ack_of_syn_acceptable_wraps(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_ack_of_syn_acceptable(101, 100, 101));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_of_syn_acceptable(100, 100, 101));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_of_syn_acceptable(102, 100, 101));
	KUNIT_EXPECT_TRUE(test, xtcp_ack_of_syn_acceptable(0, 0xFFFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_of_syn_acceptable(0xFFFFFFFFu, 0xFFFFFFFFu, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_of_syn_acceptable(1, 0xFFFFFFFFu, 0));
}

/* RFC 5961 §3.2: exact -> reset, in window -> challenge, else drop. */
static void rst_exact_challenge_drop(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(100, 100, 50), XTCP_RST_RESET);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(101, 100, 50), XTCP_RST_CHALLENGE);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(149, 100, 50), XTCP_RST_CHALLENGE);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(150, 100, 50), XTCP_RST_DROP);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(99, 100, 50), XTCP_RST_DROP);
	/* zero window: only the exact one */
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(100, 100, 0), XTCP_RST_RESET);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(101, 100, 0), XTCP_RST_DROP);
}

static void rst_classify_wraps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(0xFFFFFFFFu, 0xFFFFFFFFu, 16),
			XTCP_RST_RESET);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(0, 0xFFFFFFFFu, 16), XTCP_RST_CHALLENGE);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(14, 0xFFFFFFFFu, 16), XTCP_RST_CHALLENGE);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(15, 0xFFFFFFFFu, 16), XTCP_RST_DROP);
	KUNIT_EXPECT_EQ(test, xtcp_rst_classify(0xFFFFFFFEu, 0xFFFFFFFFu, 16),
			XTCP_RST_DROP);
}

static struct kunit_case seq_cases[] = {
	KUNIT_CASE(seq_before_after_plain),
	KUNIT_CASE(seq_wraparound_at_zero),
	KUNIT_CASE(seq_half_space_edge),
	KUNIT_CASE(seq_between_wraps),
	KUNIT_CASE(seq_sweep_consistent),
	KUNIT_CASE(seq_leq_geq_wrap),
	KUNIT_CASE(seq_in_window_wraps),
	KUNIT_CASE(acceptable_len0_wnd0_only_rcv_nxt),
	KUNIT_CASE(acceptable_len0_wnd_open),
	KUNIT_CASE(acceptable_len_pos_wnd0_never),
	KUNIT_CASE(acceptable_len_pos_wnd_open),
	KUNIT_CASE(acceptable_matches_unwrapped_reference),
	KUNIT_CASE(ack_new_dup_bounds),
	KUNIT_CASE(ack_rfc5961_bound_wraps),
	KUNIT_CASE(ack_of_syn_acceptable_wraps),
	KUNIT_CASE(rst_exact_challenge_drop),
	KUNIT_CASE(rst_classify_wraps),
	{}
};

static struct kunit_suite seq_suite = {
	.name = "xtcp_seq",
	.test_cases = seq_cases,
};
XTCP_KUNIT_SUITES(seq, &seq_suite);
