// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: TCP header parsing and validation (src/parse.c), on buffers and on
 * sk_buffs laid out as at NF_INET_LOCAL_IN.
 *
 * Buffers are kunit_kzalloc()ed at exactly the length handed to the parser, so
 * that under KASAN a read past the end fails the test.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <asm/unaligned.h>

#include "parse.h"
#include "suites.h"

#define F_ALL	(XTCP_FLAG_FIN | XTCP_FLAG_SYN | XTCP_FLAG_RST | XTCP_FLAG_PSH | \
		 XTCP_FLAG_ACK | XTCP_FLAG_URG | XTCP_FLAG_ECE | XTCP_FLAG_CWR)

/* A @len-byte segment, header of @doff words (NOP options), given @flags. */
static u8 *mkseg(struct kunit *test, unsigned int len, u8 doff, u8 flags)
{
	u8 *b = kunit_kzalloc(test, len ? len : 1, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	if (len >= XTCP_HDR_LEN) {
		put_unaligned_be16(40000, b + XTCP_OFF_SPORT);
		put_unaligned_be16(80, b + XTCP_OFF_DPORT);
		put_unaligned_be32(0x01020304, b + XTCP_OFF_SEQ);
		put_unaligned_be32(0xA0B0C0D0, b + XTCP_OFF_ACK);
		b[XTCP_OFF_DOFF] = doff << 4;
		b[XTCP_OFF_FLAGS] = flags;
		put_unaligned_be16(0xFFFF, b + XTCP_OFF_WINDOW);
		put_unaligned_be16(0x1234, b + XTCP_OFF_CHECK);
		put_unaligned_be16(7, b + XTCP_OFF_URG);
	}
	for (i = XTCP_HDR_LEN; i < doff * 4 && i < len; i++)
		b[i] = XTCP_OPT_NOP;
	return b;
}

static enum xtcp_parse_err parse(struct kunit *test, unsigned int len, u8 doff,
				 u8 flags, struct xtcp_segment *seg)
{
	return xtcp_parse_header(mkseg(test, len, doff, flags), len, seg);
}

static void header_fields_extracted(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_ASSERT_EQ(test, parse(test, 20, 5, XTCP_FLAG_ACK | XTCP_FLAG_PSH, &seg),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.sport, 40000);
	KUNIT_EXPECT_EQ(test, seg.dport, 80);
	KUNIT_EXPECT_EQ(test, seg.seq, 0x01020304u);
	KUNIT_EXPECT_EQ(test, seg.ack, 0xA0B0C0D0u);
	KUNIT_EXPECT_EQ(test, seg.doff, 5);
	KUNIT_EXPECT_EQ(test, seg.flags, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, seg.check, 0x1234);
	KUNIT_EXPECT_EQ(test, seg.urg_ptr, 7);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 0u);
	KUNIT_EXPECT_EQ(test, seg.opt.present, 0);
	KUNIT_EXPECT_EQ(test, xtcp_seg_hdr_len(&seg), 20u);
}

/* MUST-1: the window is an unsigned 16-bit number. */
static void must1_window_unsigned(struct kunit *test)
{
	static const u16 wins[] = { 0, 1, 0x7FFF, 0x8000, 0xFFFF };
	struct xtcp_segment seg;
	unsigned int i;
	u8 *b;

	for (i = 0; i < ARRAY_SIZE(wins); i++) {
		b = mkseg(test, 20, 5, XTCP_FLAG_ACK);
		put_unaligned_be16(wins[i], b + XTCP_OFF_WINDOW);
		KUNIT_ASSERT_EQ(test, xtcp_parse_header(b, 20, &seg), XTCP_PARSE_OK);
		KUNIT_EXPECT_EQ(test, (u32)seg.window, (u32)wins[i]);
	}
}

/* Every length below the fixed header is rejected, reading nothing past it. */
static void header_truncated_every_length(struct kunit *test)
{
	struct xtcp_segment seg;
	unsigned int len;

	for (len = 0; len < XTCP_HDR_LEN; len++)
		KUNIT_EXPECT_EQ(test, parse(test, len, 5, XTCP_FLAG_ACK, &seg),
				XTCP_PARSE_TRUNCATED);
}

static void doff_below_5_rejected(struct kunit *test)
{
	struct xtcp_segment seg;
	u8 doff;

	for (doff = 0; doff < 5; doff++)
		KUNIT_EXPECT_EQ(test, parse(test, 60, doff, XTCP_FLAG_ACK, &seg),
				XTCP_PARSE_DOFF_SMALL);
}

static void doff_5_minimum_accepted(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_ACK, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.doff, 5);
}

static void doff_15_maximum_accepted(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, parse(test, 60, 15, XTCP_FLAG_ACK, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.doff, 15);
	KUNIT_EXPECT_EQ(test, xtcp_seg_hdr_len(&seg), 60u);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 0u);
}

/* doff * 4 == segment length: a header with no text, every doff. */
static void doff_equals_len_accepted(struct kunit *test)
{
	struct xtcp_segment seg;
	u8 doff;

	for (doff = 5; doff <= 15; doff++) {
		KUNIT_EXPECT_EQ(test, parse(test, doff * 4, doff, XTCP_FLAG_ACK, &seg),
				XTCP_PARSE_OK);
		KUNIT_EXPECT_EQ(test, seg.payload_len, 0u);
	}
}

/* doff * 4 > segment length, by one byte to a whole word, every doff. */
static void doff_beyond_len_rejected(struct kunit *test)
{
	struct xtcp_segment seg;
	unsigned int short_by;
	u8 doff;

	for (doff = 6; doff <= 15; doff++)
		for (short_by = 1; short_by <= 4; short_by++)
			KUNIT_EXPECT_EQ(test, parse(test, doff * 4 - short_by, doff,
						    XTCP_FLAG_ACK, &seg),
					XTCP_PARSE_DOFF_BEYOND);
}

static void payload_len_and_seq_len(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_ASSERT_EQ(test, parse(test, 24 + 100, 6, XTCP_FLAG_ACK, &seg),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 100u);
	KUNIT_EXPECT_EQ(test, xtcp_seg_seq_len(&seg), 100u);
	KUNIT_ASSERT_EQ(test, parse(test, 20 + 5, 5, XTCP_FLAG_ACK | XTCP_FLAG_FIN, &seg),
			XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, xtcp_seg_seq_len(&seg), 6u);
	KUNIT_ASSERT_EQ(test, parse(test, 20, 5, XTCP_FLAG_SYN, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, xtcp_seg_seq_len(&seg), 1u);
}

/* The parser's flag rule, written independently of src/parse.c. */
static enum xtcp_parse_err flag_rule(u8 f)
{
	bool syn = f & XTCP_FLAG_SYN, rst = f & XTCP_FLAG_RST;
	bool fin = f & XTCP_FLAG_FIN, ack = f & XTCP_FLAG_ACK;

	if (syn && rst)
		return XTCP_PARSE_SYN_RST;
	if (syn && fin)
		return XTCP_PARSE_SYN_FIN;
	if (!syn && !ack && !rst)
		return XTCP_PARSE_NO_CONTROL;
	return XTCP_PARSE_OK;
}

/* Each control bit alone. */
static void flags_each_alone(struct kunit *test)
{
	static const struct { u8 flag; enum xtcp_parse_err want; } cases[] = {
		{ XTCP_FLAG_FIN, XTCP_PARSE_NO_CONTROL },
		{ XTCP_FLAG_SYN, XTCP_PARSE_OK },
		{ XTCP_FLAG_RST, XTCP_PARSE_OK },
		{ XTCP_FLAG_PSH, XTCP_PARSE_NO_CONTROL },
		{ XTCP_FLAG_ACK, XTCP_PARSE_OK },
		{ XTCP_FLAG_URG, XTCP_PARSE_NO_CONTROL },
		{ XTCP_FLAG_ECE, XTCP_PARSE_NO_CONTROL },
		{ XTCP_FLAG_CWR, XTCP_PARSE_NO_CONTROL },
	};
	struct xtcp_segment seg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test, parse(test, 20, 5, cases[i].flag, &seg),
				    cases[i].want, "flag 0x%02x", cases[i].flag);
	}
}

/* All 256 combinations, and the flags come back unchanged when accepted. */
static void flags_all_combinations(struct kunit *test)
{
	struct xtcp_segment seg;
	unsigned int f;

	for (f = 0; f <= F_ALL; f++) {
		enum xtcp_parse_err got = parse(test, 20, 5, f, &seg);

		KUNIT_EXPECT_EQ_MSG(test, got, flag_rule(f), "flags 0x%02x", f);
		if (got == XTCP_PARSE_OK)
			KUNIT_EXPECT_EQ(test, (unsigned int)seg.flags, f);
	}
}

static void syn_rst_rejected(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_SYN | XTCP_FLAG_RST, &seg),
			XTCP_PARSE_SYN_RST);
	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_SYN | XTCP_FLAG_RST |
				    XTCP_FLAG_ACK, &seg), XTCP_PARSE_SYN_RST);
	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, F_ALL, &seg), XTCP_PARSE_SYN_RST);
}

static void syn_fin_rejected(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_SYN | XTCP_FLAG_FIN, &seg),
			XTCP_PARSE_SYN_FIN);
	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_SYN | XTCP_FLAG_FIN |
				    XTCP_FLAG_ACK | XTCP_FLAG_PSH, &seg),
			XTCP_PARSE_SYN_FIN);
}

/* The null scan, and every segment without SYN, ACK or RST (xmas, FIN scan). */
static void no_control_bits_rejected(struct kunit *test)
{
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, 0, &seg), XTCP_PARSE_NO_CONTROL);
	KUNIT_EXPECT_EQ(test, parse(test, 20, 5, XTCP_FLAG_FIN | XTCP_FLAG_PSH |
				    XTCP_FLAG_URG, &seg), XTCP_PARSE_NO_CONTROL);
	KUNIT_EXPECT_EQ(test, parse(test, 40, 5, XTCP_FLAG_PSH | XTCP_FLAG_FIN, &seg),
			XTCP_PARSE_NO_CONTROL);
}

/* What stays legal for the state machine to judge. */
static void legal_combinations_accepted(struct kunit *test)
{
	static const u8 ok[] = {
		XTCP_FLAG_SYN | XTCP_FLAG_ACK,
		XTCP_FLAG_SYN | XTCP_FLAG_ECE | XTCP_FLAG_CWR,
		XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_ECE,
		XTCP_FLAG_FIN | XTCP_FLAG_ACK,
		XTCP_FLAG_FIN | XTCP_FLAG_ACK | XTCP_FLAG_PSH | XTCP_FLAG_URG,
		XTCP_FLAG_RST | XTCP_FLAG_ACK,
		XTCP_FLAG_RST | XTCP_FLAG_FIN,
		XTCP_FLAG_ACK | XTCP_FLAG_URG,
		XTCP_FLAG_ACK | XTCP_FLAG_CWR | XTCP_FLAG_ECE,
	};
	struct xtcp_segment seg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		KUNIT_EXPECT_EQ_MSG(test, parse(test, 20, 5, ok[i], &seg),
				    XTCP_PARSE_OK, "flags 0x%02x", ok[i]);
}

/* The four reserved bits beside doff are ignored on receipt (RFC 9293 §3.1). */
static void reserved_bits_ignored(struct kunit *test)
{
	struct xtcp_segment seg;
	u8 *b = mkseg(test, 20, 5, XTCP_FLAG_ACK);

	b[XTCP_OFF_DOFF] |= 0x0F;
	KUNIT_EXPECT_EQ(test, xtcp_parse_header(b, 20, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.doff, 5);
}

/* An option error inside a good header rejects the segment (MUST-7). */
static void option_error_rejects_segment(struct kunit *test)
{
	struct xtcp_segment seg;
	u8 *b = mkseg(test, 24, 6, XTCP_FLAG_SYN);

	b[20] = XTCP_OPT_MSS;
	b[21] = 0;
	KUNIT_EXPECT_EQ(test, xtcp_parse_header(b, 24, &seg), XTCP_PARSE_OPT_LEN_SHORT);
	b[21] = 8;
	KUNIT_EXPECT_EQ(test, xtcp_parse_header(b, 24, &seg), XTCP_PARSE_OPT_OVERRUN);
	b[21] = 4;
	put_unaligned_be16(1460, b + 22);
	KUNIT_ASSERT_EQ(test, xtcp_parse_header(b, 24, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.opt.mss, 1460);
}

/* Options are read from the header only, never from the text after it. */
static void options_not_read_from_payload(struct kunit *test)
{
	struct xtcp_segment seg;
	u8 *b = mkseg(test, 30, 5, XTCP_FLAG_ACK);

	b[20] = XTCP_OPT_MSS;
	b[21] = 0;	/* would be an illegal option, but it is payload */
	KUNIT_EXPECT_EQ(test, xtcp_parse_header(b, 30, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 10u);
}

static void err_names_distinct(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < XTCP_PARSE_ERR_MAX; i++) {
		const char *n = xtcp_parse_err_name(i);

		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_EXPECT_STRNEQ(test, n, "unknown");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, n, xtcp_parse_err_name(j));
	}
	KUNIT_EXPECT_STREQ(test, xtcp_parse_err_name(XTCP_PARSE_ERR_MAX), "unknown");
	KUNIT_EXPECT_STREQ(test, xtcp_parse_err_name(XTCP_PARSE_SYN_FIN), "syn_fin");
}

/* build -> parse gives back every field. */
static void build_header_round_trip(struct kunit *test)
{
	struct xtcp_segment in = {
		.sport = 1, .dport = 65535, .seq = 0xFFFFFFFF, .ack = 0,
		.flags = XTCP_FLAG_SYN | XTCP_FLAG_ACK, .window = 0xFFFF,
		.urg_ptr = 0x8001,
		.opt = { .present = XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
				    XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP,
			 .mss = 1460, .wscale = 7, .tsval = 1, .tsecr = 2 },
	}, out;
	u8 *b = kunit_kzalloc(test, XTCP_HDR_MAX_LEN, GFP_KERNEL);
	int hlen;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	hlen = xtcp_build_header(b, XTCP_HDR_MAX_LEN, &in);
	KUNIT_ASSERT_EQ(test, hlen, 40);
	KUNIT_ASSERT_EQ(test, xtcp_parse_header(b, hlen, &out), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, out.sport, in.sport);
	KUNIT_EXPECT_EQ(test, out.dport, in.dport);
	KUNIT_EXPECT_EQ(test, out.seq, in.seq);
	KUNIT_EXPECT_EQ(test, out.ack, in.ack);
	KUNIT_EXPECT_EQ(test, out.flags, in.flags);
	KUNIT_EXPECT_EQ(test, out.window, in.window);
	KUNIT_EXPECT_EQ(test, out.urg_ptr, in.urg_ptr);
	KUNIT_EXPECT_EQ(test, out.check, 0);
	KUNIT_EXPECT_EQ(test, out.doff, 10);
	KUNIT_EXPECT_EQ(test, out.opt.present, in.opt.present);
	KUNIT_EXPECT_EQ(test, out.opt.mss, 1460);
	KUNIT_EXPECT_EQ(test, out.opt.wscale, 7);
	KUNIT_EXPECT_EQ(test, out.opt.tsval, 1u);
	KUNIT_EXPECT_EQ(test, out.opt.tsecr, 2u);
	/* too small a buffer */
	KUNIT_EXPECT_EQ(test, xtcp_build_header(b, hlen - 1, &in), -ENOSPC);
}

/* --- sk_buffs as the LOCAL_IN hook sees them --- */

static const u8 iphdr20[20] = {
	0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, IPPROTO_TCP, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
};

/*
 * An skb with skb->data at the IP header and transport_header set; the first
 * @lin bytes of @tcp in the linear area, the rest in a page fragment.
 */
static struct sk_buff *mkskb(struct kunit *test, const u8 *tcp,
			     unsigned int len, unsigned int lin)
{
	struct sk_buff *skb = alloc_skb(128 + sizeof(iphdr20) + lin, GFP_KERNEL);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	skb_put_data(skb, iphdr20, sizeof(iphdr20));
	skb_set_transport_header(skb, sizeof(iphdr20));
	skb_put_data(skb, tcp, lin);
	if (len > lin) {
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), tcp + lin, len - lin);
		skb_add_rx_frag(skb, 0, page, 0, len - lin, PAGE_SIZE);
	}
	return skb;
}

static void skb_local_in_linear(struct kunit *test)
{
	u8 *tcp = mkseg(test, 32 + 8, 8, XTCP_FLAG_ACK);
	struct sk_buff *skb = mkskb(test, tcp, 40, 40);
	struct xtcp_segment seg;

	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, seg.sport, 40000);
	KUNIT_EXPECT_EQ(test, seg.doff, 8);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 8u);
	/* the IP header is still where it was */
	KUNIT_EXPECT_PTR_EQ(test, (void *)skb->data, (void *)skb_network_header(skb));
	kfree_skb(skb);
}

/* Only the IP header is linear: the parser pulls header and options. */
static void skb_header_in_fragment_pulled(struct kunit *test)
{
	u8 *tcp = mkseg(test, 60 + 100, 15, XTCP_FLAG_SYN);
	struct sk_buff *skb;
	struct xtcp_segment seg;

	tcp[20] = XTCP_OPT_MSS;
	tcp[21] = 4;
	put_unaligned_be16(1400, tcp + 22);
	skb = mkskb(test, tcp, 160, 0);
	KUNIT_ASSERT_EQ(test, skb_headlen(skb), 20u);
	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_GE(test, skb_headlen(skb), 80u);
	KUNIT_EXPECT_EQ(test, seg.opt.mss, 1400);
	KUNIT_EXPECT_EQ(test, seg.payload_len, 100u);
	kfree_skb(skb);
}

/* The fixed header linear, the options in the fragment: a second pull. */
static void skb_options_in_fragment_pulled(struct kunit *test)
{
	u8 *tcp = mkseg(test, 32, 8, XTCP_FLAG_ACK);
	struct sk_buff *skb;
	struct xtcp_segment seg;

	tcp[20] = XTCP_OPT_NOP;
	tcp[21] = XTCP_OPT_NOP;
	tcp[22] = XTCP_OPT_TIMESTAMP;
	tcp[23] = 10;
	put_unaligned_be32(77, tcp + 24);
	put_unaligned_be32(88, tcp + 28);
	skb = mkskb(test, tcp, 32, 20);
	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_OK);
	KUNIT_EXPECT_TRUE(test, seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_EQ(test, seg.opt.tsval, 77u);
	KUNIT_EXPECT_EQ(test, seg.opt.tsecr, 88u);
	kfree_skb(skb);
}

static void skb_truncated_and_doff_beyond(struct kunit *test)
{
	u8 *tcp = mkseg(test, 60, 15, XTCP_FLAG_ACK);
	struct sk_buff *skb;
	struct xtcp_segment seg;

	skb = mkskb(test, tcp, 19, 10);
	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_TRUNCATED);
	kfree_skb(skb);

	skb = mkskb(test, tcp, 56, 20);		/* doff says 60 */
	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_DOFF_BEYOND);
	kfree_skb(skb);

	tcp[XTCP_OFF_DOFF] = 4 << 4;
	skb = mkskb(test, tcp, 60, 0);
	KUNIT_EXPECT_EQ(test, xtcp_parse_skb(skb, &seg), XTCP_PARSE_DOFF_SMALL);
	kfree_skb(skb);
}

static struct kunit_case header_cases[] = {
	KUNIT_CASE(header_fields_extracted),
	KUNIT_CASE(must1_window_unsigned),
	KUNIT_CASE(header_truncated_every_length),
	KUNIT_CASE(doff_below_5_rejected),
	KUNIT_CASE(doff_5_minimum_accepted),
	KUNIT_CASE(doff_15_maximum_accepted),
	KUNIT_CASE(doff_equals_len_accepted),
	KUNIT_CASE(doff_beyond_len_rejected),
	KUNIT_CASE(payload_len_and_seq_len),
	KUNIT_CASE(flags_each_alone),
	KUNIT_CASE(flags_all_combinations),
	KUNIT_CASE(syn_rst_rejected),
	KUNIT_CASE(syn_fin_rejected),
	KUNIT_CASE(no_control_bits_rejected),
	KUNIT_CASE(legal_combinations_accepted),
	KUNIT_CASE(reserved_bits_ignored),
	KUNIT_CASE(option_error_rejects_segment),
	KUNIT_CASE(options_not_read_from_payload),
	KUNIT_CASE(err_names_distinct),
	KUNIT_CASE(build_header_round_trip),
	KUNIT_CASE(skb_local_in_linear),
	KUNIT_CASE(skb_header_in_fragment_pulled),
	KUNIT_CASE(skb_options_in_fragment_pulled),
	KUNIT_CASE(skb_truncated_and_doff_beyond),
	{}
};

static struct kunit_suite header_suite = {
	.name = "xtcp_header",
	.test_cases = header_cases,
};
XTCP_KUNIT_SUITES(parse, &header_suite);
