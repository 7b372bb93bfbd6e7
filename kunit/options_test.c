// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: TCP options, parsed and built (src/parse.c). RFC 9293 MUST-4..7,
 * 14, 64, 65, 68, 69; RFC 7323 window scale and timestamps; RFC 2018 SACK.
 *
 * Every option block is copied into a kunit_kzalloc()ed buffer of exactly its
 * length, so that KASAN turns any read past it into a failure.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "parse.h"
#include "suites.h"

static enum xtcp_parse_err popt(struct kunit *test, const u8 *bytes,
				unsigned int len, bool syn,
				struct xtcp_options *out)
{
	u8 *b = kunit_kzalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	if (len)
		memcpy(b, bytes, len);
	return xtcp_parse_options(b, len, syn, out);
}

#define PARSE(test, syn, out, ...) ({					\
	static const u8 __b[] = { __VA_ARGS__ };			\
	popt(test, __b, sizeof(__b), syn, out);				\
})

static void must4_eol_ends_list(struct kunit *test)
{
	struct xtcp_options o;

	/* after EOL, even an illegal option is not looked at */
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 4, 5, 180, 0, 2, 0, 0),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 0), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, 0);
}

static void must4_nop_skipped(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 1, 1, 1), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, 0);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 1, 1, 3, 3, 9), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.wscale, 9);
}

/* MUST-4 and MUST-14: MSS received on a SYN. */
static void must14_mss_received_on_syn(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 4, 0x05, 0xB4), XTCP_PARSE_OK);
	KUNIT_EXPECT_TRUE(test, o.present & XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 4, 0xFF, 0xFF), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 65535);
}

/* An MSS on a non-SYN is length-checked and then ignored; MSS 0 means none. */
static void mss_ignored_off_syn_and_zero(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 2, 4, 0x05, 0xB4), XTCP_PARSE_OK);
	KUNIT_EXPECT_FALSE(test, o.present & XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 4, 0, 0), XTCP_PARSE_OK);
	KUNIT_EXPECT_FALSE(test, o.present & XTCP_OPTF_MSS);
}

/* RFC 7323 §2.3: a shift above 14 is used as 14. */
static void wscale_on_syn_clamped_to_14(struct kunit *test)
{
	struct xtcp_options o;
	u8 shift;

	for (shift = 0; shift < 255; shift++) {
		const u8 b[] = { 3, 3, shift, 0 };

		KUNIT_ASSERT_EQ(test, popt(test, b, sizeof(b), true, &o), XTCP_PARSE_OK);
		KUNIT_EXPECT_TRUE(test, o.present & XTCP_OPTF_WSCALE);
		KUNIT_EXPECT_EQ(test, o.wscale, min_t(u8, shift, 14));
	}
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 3, 3, 7, 0), XTCP_PARSE_OK);
	KUNIT_EXPECT_FALSE(test, o.present & XTCP_OPTF_WSCALE);
}

static void sack_permitted_on_syn(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 4, 2, 1, 1), XTCP_PARSE_OK);
	KUNIT_EXPECT_TRUE(test, o.present & XTCP_OPTF_SACK_PERM);
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 4, 2, 1, 1), XTCP_PARSE_OK);
	KUNIT_EXPECT_FALSE(test, o.present & XTCP_OPTF_SACK_PERM);
}

/* SACK with 1, 2, 3 and 4 blocks, values in order. */
static void sack_blocks_one_to_four(struct kunit *test)
{
	struct xtcp_options o;
	u8 b[2 + 4 * 8];
	unsigned int n, i;

	for (n = 1; n <= 4; n++) {
		b[0] = XTCP_OPT_SACK;
		b[1] = 2 + n * 8;
		for (i = 0; i < n; i++) {
			put_unaligned_be32(0xFFFFFFF0u + i * 0x100, b + 2 + i * 8);
			put_unaligned_be32(0xFFFFFFF0u + i * 0x100 + 0x80, b + 6 + i * 8);
		}
		KUNIT_ASSERT_EQ(test, popt(test, b, 2 + n * 8, false, &o), XTCP_PARSE_OK);
		KUNIT_EXPECT_TRUE(test, o.present & XTCP_OPTF_SACK);
		KUNIT_ASSERT_EQ(test, (unsigned int)o.num_sacks, n);
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_EQ(test, o.sacks[i].start, 0xFFFFFFF0u + i * 0x100);
			KUNIT_EXPECT_EQ(test, o.sacks[i].end,
					0xFFFFFFF0u + i * 0x100 + 0x80);
		}
	}
}

static void sack_bad_lengths_rejected(struct kunit *test)
{
	static const u8 lens[] = { 2, 3, 9, 11, 17, 25, 33, 35, 38 };
	struct xtcp_options o;
	u8 b[40] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		b[0] = XTCP_OPT_SACK;
		b[1] = lens[i];
		KUNIT_EXPECT_EQ_MSG(test, popt(test, b, 40, false, &o),
				    XTCP_PARSE_OPT_BAD_LEN, "sack length %u", lens[i]);
	}
}

/* MUST-5: options in any segment; timestamps on SYN and non-SYN alike. */
static void must5_timestamps_any_segment(struct kunit *test)
{
	struct xtcp_options o;
	bool syn;

	for (syn = false; ; syn = true) {
		KUNIT_EXPECT_EQ(test, PARSE(test, syn, &o, 1, 1, 8, 10,
					    0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 1),
				XTCP_PARSE_OK);
		KUNIT_EXPECT_TRUE(test, o.present & XTCP_OPTF_TIMESTAMP);
		KUNIT_EXPECT_EQ(test, o.tsval, 0xDEADBEEFu);
		KUNIT_EXPECT_EQ(test, o.tsecr, 1u);
		if (syn)
			break;
	}
}

/* MUST-6: unknown kinds are skipped by their length. */
static void must6_unknown_options_skipped(struct kunit *test)
{
	struct xtcp_options o;

	/* kind 30 (MPTCP) 6 bytes, kind 254 (experimental) 2 bytes, then MSS */
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 30, 6, 0, 0, 0, 0, 254, 2,
				    2, 4, 0x02, 0x18), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
	/* an unknown option filling the whole area */
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 99, 8, 1, 2, 3, 4, 5, 6),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, 0);
}

static void must7_option_length_zero_rejected(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 0, 0, 0), XTCP_PARSE_OPT_LEN_SHORT);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 99, 0, 1, 1), XTCP_PARSE_OPT_LEN_SHORT);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 1, 8, 0), XTCP_PARSE_OPT_LEN_SHORT);
}

static void must7_option_length_one_rejected(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 3, 1, 1, 1), XTCP_PARSE_OPT_LEN_SHORT);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 77, 1), XTCP_PARSE_OPT_LEN_SHORT);
}

static void must7_option_length_past_end_rejected(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 5, 0, 0), XTCP_PARSE_OPT_OVERRUN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0),
			XTCP_PARSE_OPT_OVERRUN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 99, 255, 0, 0), XTCP_PARSE_OPT_OVERRUN);
}

/* MUST-68: every kind but EOL and NOP has a length byte; none here. */
static void must68_kind_without_length_rejected(struct kunit *test)
{
	struct xtcp_options o;
	u8 kind;

	for (kind = 2; kind < 255; kind++) {
		const u8 b[] = { 1, 1, 1, kind };

		KUNIT_EXPECT_EQ_MSG(test, popt(test, b, sizeof(b), true, &o),
				    XTCP_PARSE_OPT_OVERRUN, "kind %u", kind);
	}
}

/* Known kinds at the wrong length (Linux skips them; we reject). */
static void known_option_wrong_length_rejected(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 3, 5, 0), XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 6, 5, 180, 0, 0),
			XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 3, 2, 0, 0), XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 3, 4, 7, 0), XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 4, 3, 0, 0), XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 8, 8, 0, 0, 0, 0, 0, 0),
			XTCP_PARSE_OPT_BAD_LEN);
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
			XTCP_PARSE_OPT_BAD_LEN);
	/* checked on non-SYN too, where the value itself is ignored */
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 2, 3, 5, 0), XTCP_PARSE_OPT_BAD_LEN);
}

/* MUST-64: options at any offset, no alignment assumed. */
static void must64_unaligned_options(struct kunit *test)
{
	struct xtcp_options o;

	/* MSS at 1, WS at 5, SACK-perm at 8, TS at 10, then EOL, all odd/even */
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 2, 4, 0x05, 0x78, 3, 3, 2,
				    4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_EQ(test, o.mss, 1400);
	KUNIT_EXPECT_EQ(test, o.wscale, 2);
	KUNIT_EXPECT_EQ(test, o.tsval, 5u);
	KUNIT_EXPECT_EQ(test, o.tsecr, 6u);
	/* and from an odd address */
	KUNIT_EXPECT_EQ(test, PARSE(test, false, &o, 1, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.num_sacks, 1);
	KUNIT_EXPECT_EQ(test, o.sacks[0].end, 2u);
}

/* An empty area, and one that is all EOL padding. */
static void empty_and_eol_padding(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, popt(test, NULL, 0, true, &o), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, 0);
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 3, 3, 1, 0, 0, 0, 0, 0),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.present, XTCP_OPTF_WSCALE);
}

/* A later copy of an option overrides an earlier one (as in Linux). */
static void duplicate_option_last_wins(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 2, 4, 0, 100, 2, 4, 0, 200),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 200);
}

/* MUST-15: with no MSS option received, the send MSS is 536 (IPv4), 1220 (IPv6). */
static void must15_default_mss(struct kunit *test)
{
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, XTCP_DEFAULT_MSS, 536);
	KUNIT_EXPECT_EQ(test, XTCP_DEFAULT_MSS_V6, 1220);
	/* a SYN without MSS leaves it unset, for the caller to default */
	KUNIT_EXPECT_EQ(test, PARSE(test, true, &o, 1, 3, 3, 0), XTCP_PARSE_OK);
	KUNIT_EXPECT_FALSE(test, o.present & XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
}

/* --- the builder --- */

static int build(struct kunit *test, const struct xtcp_options *in, bool syn,
		 u8 *out)
{
	int len = xtcp_build_options(out, XTCP_OPT_MAX_LEN, in, syn);

	KUNIT_EXPECT_GE(test, len, 0);
	KUNIT_EXPECT_EQ(test, len % 4, 0);
	KUNIT_EXPECT_LE(test, len, XTCP_OPT_MAX_LEN);
	return len;
}

static void expect_bytes(struct kunit *test, const u8 *got, int len,
			 const u8 *want, int want_len)
{
	int i;

	KUNIT_ASSERT_EQ(test, len, want_len);
	for (i = 0; i < len; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %d", i);
}

/*
 * MUST-14 (send): a full SYN as Linux 6.1's tcp_options_write() lays it out:
 * MSS; SACK-permitted in the place of the NOPs before the timestamp; NOP and
 * the window scale. 20 bytes, no padding.
 */
static void build_syn_layout(struct kunit *test)
{
	static const u8 want[] = {
		2, 4, 0x05, 0xB4,
		4, 2, 8, 10,
		0x11, 0x22, 0x33, 0x44,
		0, 0, 0, 0,
		1, 3, 3, 7,
	};
	struct xtcp_options in = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM |
			   XTCP_OPTF_TIMESTAMP | XTCP_OPTF_WSCALE,
		.mss = 1460, .wscale = 7, .tsval = 0x11223344,
	};
	u8 out[XTCP_OPT_MAX_LEN];

	expect_bytes(test, out, build(test, &in, true, out), want, sizeof(want));
}

/*
 * tcp_options_write() for each SYN Linux can send: every combination of
 * timestamps, SACK-permitted and window scale beside the MSS, byte for byte.
 * (tcpdump shows them as <mss 1460,sackOK,TS ...,nop,wscale 8>,
 * <mss 1460,nop,nop,sackOK,nop,wscale 8>, <mss 1460,nop,nop,TS ...> ...)
 */
static void build_syn_linux_layouts(struct kunit *test)
{
	static const struct {
		u16 present;
		u8 len;
		u8 want[20];
	} cases[] = {
		{ 0, 4, { 2, 4, 5, 0xB4 } },
		{ XTCP_OPTF_WSCALE, 8, { 2, 4, 5, 0xB4, 1, 3, 3, 8 } },
		{ XTCP_OPTF_SACK_PERM, 8, { 2, 4, 5, 0xB4, 1, 1, 4, 2 } },
		{ XTCP_OPTF_SACK_PERM | XTCP_OPTF_WSCALE, 12,
		  { 2, 4, 5, 0xB4, 1, 1, 4, 2, 1, 3, 3, 8 } },
		{ XTCP_OPTF_TIMESTAMP, 16,
		  { 2, 4, 5, 0xB4, 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 } },
		{ XTCP_OPTF_TIMESTAMP | XTCP_OPTF_WSCALE, 20,
		  { 2, 4, 5, 0xB4, 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
		    1, 3, 3, 8 } },
		{ XTCP_OPTF_TIMESTAMP | XTCP_OPTF_SACK_PERM, 16,
		  { 2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 } },
		{ XTCP_OPTF_TIMESTAMP | XTCP_OPTF_SACK_PERM | XTCP_OPTF_WSCALE, 20,
		  { 2, 4, 5, 0xB4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
		    1, 3, 3, 8 } },
	};
	u8 out[XTCP_OPT_MAX_LEN];
	unsigned int i;
	int len, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct xtcp_options in = {
			.present = XTCP_OPTF_MSS | cases[i].present,
			.mss = 1460, .wscale = 8, .tsval = 5, .tsecr = 6,
		};

		len = build(test, &in, true, out);
		KUNIT_ASSERT_EQ_MSG(test, len, cases[i].len, "case %u", i);
		for (j = 0; j < len; j++)
			KUNIT_EXPECT_EQ_MSG(test, out[j], cases[i].want[j],
					    "case %u byte %d", i, j);
	}
}

/* MUST-14 send, MUST-65: MSS only on a SYN; WS and SACK-perm likewise. */
static void must65_no_mss_on_non_syn(struct kunit *test)
{
	static const u8 want[] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8 };
	struct xtcp_options in = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM |
			   XTCP_OPTF_TIMESTAMP | XTCP_OPTF_WSCALE,
		.mss = 1460, .wscale = 7, .tsval = 9, .tsecr = 8,
	}, back;
	u8 out[XTCP_OPT_MAX_LEN];
	int len = build(test, &in, false, out);

	expect_bytes(test, out, len, want, sizeof(want));
	KUNIT_ASSERT_EQ(test, xtcp_parse_options(out, len, true, &back), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, back.present, XTCP_OPTF_TIMESTAMP);

	in.present = XTCP_OPTF_MSS;
	KUNIT_EXPECT_EQ(test, build(test, &in, false, out), 0);
	KUNIT_EXPECT_EQ(test, build(test, &in, true, out), 4);
}

/*
 * MUST-69: the options end on a word boundary. Linux's layout fills every
 * word with NOPs ahead of an option, so there is never padding, and never
 * an EOL, at the end: MSS, NOP NOP sackOK, NOP wscale.
 */
static void must69_no_padding_needed(struct kunit *test)
{
	struct xtcp_options in = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM | XTCP_OPTF_WSCALE,
		.mss = 536, .wscale = 14,
	};
	static const u8 want[] = { 2, 4, 2, 0x18, 1, 1, 4, 2, 1, 3, 3, 14 };
	u8 out[XTCP_OPT_MAX_LEN];

	memset(out, 0xAA, sizeof(out));
	expect_bytes(test, out, build(test, &in, true, out), want, sizeof(want));

	in.present = XTCP_OPTF_WSCALE;
	memset(out, 0xAA, sizeof(out));
	KUNIT_ASSERT_EQ(test, build(test, &in, true, out), 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out), 0x0103030Eu);
}

/* A non-SYN starts NOP NOP TS: the layout Linux's header prediction wants. */
static void build_ts_first_aligned(struct kunit *test)
{
	struct xtcp_options in = {
		.present = XTCP_OPTF_TIMESTAMP, .tsval = 1, .tsecr = 2,
	};
	u8 out[XTCP_OPT_MAX_LEN];

	KUNIT_ASSERT_EQ(test, build(test, &in, false, out), 12);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out), 0x0101080Au);
	/* on a SYN without SACK-perm: MSS, NOP NOP TS */
	in.present |= XTCP_OPTF_MSS;
	in.mss = 1000;
	KUNIT_ASSERT_EQ(test, build(test, &in, true, out), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + 4), 0x0101080Au);
}

/* SACK blocks: 4 fit alone, 3 beside a timestamp; never on a SYN. */
static void build_sack_blocks_fit(struct kunit *test)
{
	struct xtcp_options in = { .present = XTCP_OPTF_SACK, .num_sacks = 4 }, back;
	u8 out[XTCP_OPT_MAX_LEN];
	unsigned int i;
	int len;

	for (i = 0; i < 4; i++) {
		in.sacks[i].start = i * 1000;
		in.sacks[i].end = i * 1000 + 500;
	}
	len = build(test, &in, false, out);
	KUNIT_EXPECT_EQ(test, len, 36);
	/* tcp_options_write(): NOP NOP SACK len, then the blocks */
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out), 0x01010522u);
	KUNIT_ASSERT_EQ(test, xtcp_parse_options(out, len, false, &back), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, back.num_sacks, 4);
	KUNIT_EXPECT_EQ(test, back.sacks[3].end, 3500u);

	in.present |= XTCP_OPTF_TIMESTAMP;
	len = build(test, &in, false, out);
	KUNIT_EXPECT_EQ(test, len, 40);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out), 0x0101080Au);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + 12), 0x0101051Au);
	KUNIT_ASSERT_EQ(test, xtcp_parse_options(out, len, false, &back), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, back.num_sacks, 3);
	KUNIT_EXPECT_EQ(test, back.sacks[2].start, 2000u);

	KUNIT_EXPECT_EQ(test, build(test, &in, true, out), 12);	/* TS only */
	in.num_sacks = 0;
	in.present = XTCP_OPTF_SACK;
	KUNIT_EXPECT_EQ(test, build(test, &in, false, out), 0);
}

static void build_wscale_clamped(struct kunit *test)
{
	struct xtcp_options in = { .present = XTCP_OPTF_WSCALE, .wscale = 200 };
	u8 out[XTCP_OPT_MAX_LEN];

	KUNIT_ASSERT_EQ(test, build(test, &in, true, out), 4);
	KUNIT_EXPECT_EQ(test, out[3], XTCP_MAX_WSCALE);	/* NOP, kind, length, scale */
}

static void build_enospc(struct kunit *test)
{
	struct xtcp_options in = { .present = XTCP_OPTF_TIMESTAMP };
	u8 out[XTCP_OPT_MAX_LEN];

	KUNIT_EXPECT_EQ(test, xtcp_build_options(out, 11, &in, false), -ENOSPC);
	KUNIT_EXPECT_EQ(test, xtcp_build_options(out, 12, &in, false), 12);
	in.present = 0;
	KUNIT_EXPECT_EQ(test, xtcp_build_options(out, 0, &in, false), 0);
}

/* Every subset of options, SYN and not: what is built parses back. */
static void build_parse_round_trip_all_subsets(struct kunit *test)
{
	struct xtcp_options in = {
		.mss = 1234, .wscale = 5, .tsval = 0xFFFFFFFF, .tsecr = 7,
		.num_sacks = 2,
		.sacks = { { 1, 2 }, { 3, 4 } },
	}, back;
	u8 out[XTCP_OPT_MAX_LEN];
	unsigned int set;
	int len, syn;

	for (syn = 0; syn <= 1; syn++)
		for (set = 0; set < 32; set++) {
			u16 want = set;

			in.present = set;
			if (syn)
				want &= ~XTCP_OPTF_SACK;
			else
				want &= ~(XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
					  XTCP_OPTF_SACK_PERM);
			len = build(test, &in, syn, out);
			KUNIT_ASSERT_EQ(test, xtcp_parse_options(out, len, syn, &back),
					XTCP_PARSE_OK);
			KUNIT_EXPECT_EQ_MSG(test, back.present, want, "set %u syn %d",
					    set, syn);
			if (want & XTCP_OPTF_MSS)
				KUNIT_EXPECT_EQ(test, back.mss, 1234);
			if (want & XTCP_OPTF_WSCALE)
				KUNIT_EXPECT_EQ(test, back.wscale, 5);
			if (want & XTCP_OPTF_TIMESTAMP)
				KUNIT_EXPECT_EQ(test, back.tsval, 0xFFFFFFFFu);
			if (want & XTCP_OPTF_SACK)
				KUNIT_EXPECT_EQ(test, back.sacks[1].end, 4u);
		}
}

/*
 * MUST-7 fuzz: 10 000 random option blocks of every length 0..40, and 10 000
 * random whole headers (doff 5..15), each in a buffer of exactly its length.
 * Half are pure noise; half are built from plausible kinds with random lengths,
 * which reaches the per-option checks far more often than noise does. Nothing
 * may be read past the buffer (KASAN), and whatever is accepted must be sane.
 */
#define FUZZ_ROUNDS	10000

/* A plausible length for @kind half the time, noise the other half. */
static u8 fuzz_len(u8 kind, u32 r)
{
	if (r & 1)
		return (r >> 1) % 14;
	switch (kind) {
	case XTCP_OPT_MSS:
		return XTCP_OLEN_MSS;
	case XTCP_OPT_WSCALE:
		return XTCP_OLEN_WSCALE;
	case XTCP_OPT_SACK_PERM:
		return XTCP_OLEN_SACK_PERM;
	case XTCP_OPT_SACK:
		return 2 + 8 * (1 + (r >> 1) % 4);
	case XTCP_OPT_TIMESTAMP:
		return XTCP_OLEN_TIMESTAMP;
	default:
		return 2 + (r >> 1) % 7;
	}
}

static void fill_random(struct rnd_state *rnd, u8 *b, unsigned int len,
			bool structured)
{
	static const u8 kinds[] = { 0, 1, 1, 2, 3, 4, 5, 8, 30, 254 };
	unsigned int i = 0;
	u8 olen;

	prandom_bytes_state(rnd, b, len);
	if (!structured)
		return;
	while (i < len) {
		u32 r = prandom_u32_state(rnd);

		b[i] = kinds[r % ARRAY_SIZE(kinds)];
		if (b[i] == XTCP_OPT_EOL && (r >> 8) % 4)
			b[i] = XTCP_OPT_NOP;
		if (b[i] == XTCP_OPT_EOL || b[i] == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		olen = fuzz_len(b[i], r >> 10);
		if (i + 1 < len)
			b[i + 1] = olen;
		i += max_t(unsigned int, olen, 2);
	}
}

static void check_sane(struct kunit *test, enum xtcp_parse_err err,
		       const struct xtcp_options *o)
{
	KUNIT_EXPECT_LT(test, (unsigned int)err, (unsigned int)XTCP_PARSE_ERR_MAX);
	if (err != XTCP_PARSE_OK)
		return;
	KUNIT_EXPECT_LE(test, o->num_sacks, XTCP_MAX_SACKS);
	KUNIT_EXPECT_LE(test, o->wscale, XTCP_MAX_WSCALE);
}

static void must7_fuzz_random_option_blocks(struct kunit *test)
{
	struct xtcp_segment seg;
	struct rnd_state rnd;
	unsigned int i, len, ok = 0;
	u64 seed = get_random_u64();
	u8 *b;

	kunit_info(test, "seed %llu", seed);
	prandom_seed_state(&rnd, seed);
	for (i = 0; i < FUZZ_ROUNDS; i++) {
		struct xtcp_options o;
		enum xtcp_parse_err err;

		len = prandom_u32_state(&rnd) % (XTCP_OPT_MAX_LEN + 1);
		b = kunit_kzalloc(test, len ? len : 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
		fill_random(&rnd, b, len, i & 1);
		err = xtcp_parse_options(b, len, i & 2, &o);
		check_sane(test, err, &o);
		ok += err == XTCP_PARSE_OK;
		kunit_kfree(test, b);

		len = 4 * (XTCP_DOFF_MIN + prandom_u32_state(&rnd) % 11);
		b = kunit_kzalloc(test, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
		fill_random(&rnd, b, len, false);
		b[XTCP_OFF_DOFF] = (len / 4) << 4;
		b[XTCP_OFF_FLAGS] = XTCP_FLAG_ACK | (i & 2 ? XTCP_FLAG_SYN : 0);
		fill_random(&rnd, b + XTCP_HDR_LEN, len - XTCP_HDR_LEN, i & 1);
		err = xtcp_parse_header(b, len, &seg);
		check_sane(test, err, &seg.opt);
		kunit_kfree(test, b);
	}
	/* the structured half must reach acceptance often enough to matter */
	KUNIT_EXPECT_GT(test, ok, FUZZ_ROUNDS / 50);
}

static struct kunit_case options_cases[] = {
	KUNIT_CASE(must4_eol_ends_list),
	KUNIT_CASE(must4_nop_skipped),
	KUNIT_CASE(must14_mss_received_on_syn),
	KUNIT_CASE(mss_ignored_off_syn_and_zero),
	KUNIT_CASE(wscale_on_syn_clamped_to_14),
	KUNIT_CASE(sack_permitted_on_syn),
	KUNIT_CASE(sack_blocks_one_to_four),
	KUNIT_CASE(sack_bad_lengths_rejected),
	KUNIT_CASE(must5_timestamps_any_segment),
	KUNIT_CASE(must6_unknown_options_skipped),
	KUNIT_CASE(must7_option_length_zero_rejected),
	KUNIT_CASE(must7_option_length_one_rejected),
	KUNIT_CASE(must7_option_length_past_end_rejected),
	KUNIT_CASE(must68_kind_without_length_rejected),
	KUNIT_CASE(known_option_wrong_length_rejected),
	KUNIT_CASE(must64_unaligned_options),
	KUNIT_CASE(empty_and_eol_padding),
	KUNIT_CASE(duplicate_option_last_wins),
	KUNIT_CASE(must15_default_mss),
	KUNIT_CASE(build_syn_layout),
	KUNIT_CASE(build_syn_linux_layouts),
	KUNIT_CASE(must65_no_mss_on_non_syn),
	KUNIT_CASE(must69_no_padding_needed),
	KUNIT_CASE(build_ts_first_aligned),
	KUNIT_CASE(build_sack_blocks_fit),
	KUNIT_CASE(build_wscale_clamped),
	KUNIT_CASE(build_enospc),
	KUNIT_CASE(build_parse_round_trip_all_subsets),
	KUNIT_CASE(must7_fuzz_random_option_blocks),
	{}
};

static struct kunit_suite options_suite = {
	.name = "xtcp_options",
	.test_cases = options_cases,
};
XTCP_KUNIT_SUITES(options, &options_suite);
