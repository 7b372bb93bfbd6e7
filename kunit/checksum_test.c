// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the TCP checksum over the IPv4 and IPv6 pseudo-headers
 * (src/checksum.c), MUST-2 (generate) and MUST-3 (verify).
 *
 * Known answers: computed with RFC 1071 in Python, twice, two ways (16-bit
 * big-endian words summed with end-around carry; and 32-bit little-endian
 * accumulation folded and byte-swapped, as csum_partial() does), which agreed.
 * The second vector worked by hand, for the record:
 *
 *   pseudo-header  0a00 0001 0a00 0002 0006 0019          sum 0x1422
 *   TCP header     1388 1770 ffff fff0 0000 0010 5018 01f6 0000 0000
 *   text "hello"   6865 6c6c 6f00 (odd length: padded with a zero byte)
 *   total 0x3d4f8 -> folded 0xd4f8 + 0x3 = 0xd4fb -> complement 0x2b04
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <net/ipv6.h>

#include "checksum.h"
#include "protocol.h"
#include "suites.h"

/*
 * 192.0.2.1:49152 -> 198.51.100.2:80, SYN, seq 0x12345678, window 64240,
 * options MSS 1460, SACK-permitted, TS 0x00010203/0, NOP, WS 7. Checksum 0x35d7.
 */
static const u8 kat_syn[40] = {
	0xc0, 0x00, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x35, 0xd7, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
	0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x03, 0x07,
};

#define KAT_SYN_SADDR	cpu_to_be32(0xc0000201)	/* 192.0.2.1 */
#define KAT_SYN_DADDR	cpu_to_be32(0xc6336402)	/* 198.51.100.2 */

/*
 * 10.0.0.1:5000 -> 10.0.0.2:6000, PSH+ACK, seq 0xfffffff0, ack 0x10,
 * window 502, text "hello" (25 bytes, odd). Checksum 0x2b04.
 */
static const u8 kat_data[25] = {
	0x13, 0x88, 0x17, 0x70, 0xff, 0xff, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x10,
	0x50, 0x18, 0x01, 0xf6, 0x2b, 0x04, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c,
	0x6f,
};

#define KAT_DATA_SADDR	cpu_to_be32(0x0a000001)
#define KAT_DATA_DADDR	cpu_to_be32(0x0a000002)

static u8 *dup_exact(struct kunit *test, const u8 *src, unsigned int len)
{
	u8 *b = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	memcpy(b, src, len);
	return b;
}

/* MUST-2: generating over the SYN vector gives the known checksum bytes. */
static void must2_known_answer_syn(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_syn, sizeof(kat_syn));

	b[XTCP_OFF_CHECK] = 0xEE;	/* whatever was there is replaced */
	b[XTCP_OFF_CHECK + 1] = 0xEE;
	xtcp_csum_fill(b, sizeof(kat_syn), KAT_SYN_SADDR, KAT_SYN_DADDR);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK], 0x35);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK + 1], 0xd7);
}

/* MUST-2 with an odd length: the last byte is padded with zero. */
static void must2_known_answer_odd_length(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_data, sizeof(kat_data));

	xtcp_csum_fill(b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK], 0x2b);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK + 1], 0x04);
}

/* MUST-3: both vectors verify as they are. */
static void must3_known_answers_verify(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(dup_exact(test, kat_syn, sizeof(kat_syn)),
					     sizeof(kat_syn), KAT_SYN_SADDR,
					     KAT_SYN_DADDR));
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(dup_exact(test, kat_data, sizeof(kat_data)),
					     sizeof(kat_data), KAT_DATA_SADDR,
					     KAT_DATA_DADDR));
	/*
	 * The sum is commutative: swapped addresses go unnoticed (a known limit
	 * of the Internet checksum); a changed address does not.
	 */
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(dup_exact(test, kat_data, sizeof(kat_data)),
					     sizeof(kat_data), KAT_DATA_DADDR,
					     KAT_DATA_SADDR));
	KUNIT_EXPECT_FALSE(test, xtcp_csum_ok(dup_exact(test, kat_data, sizeof(kat_data)),
					      sizeof(kat_data), KAT_DATA_SADDR,
					      cpu_to_be32(0x0a000003)));
}

/* MUST-3: every single-bit error in the segment is detected. */
static void must3_single_bit_flips_detected(struct kunit *test)
{
	const u8 *vec[] = { kat_syn, kat_data };
	const unsigned int len[] = { sizeof(kat_syn), sizeof(kat_data) };
	const __be32 sa[] = { KAT_SYN_SADDR, KAT_DATA_SADDR };
	const __be32 da[] = { KAT_SYN_DADDR, KAT_DATA_DADDR };
	unsigned int v, bit, missed = 0;

	for (v = 0; v < ARRAY_SIZE(vec); v++) {
		u8 *b = dup_exact(test, vec[v], len[v]);

		for (bit = 0; bit < len[v] * 8; bit++) {
			b[bit / 8] ^= BIT(bit % 8);
			missed += xtcp_csum_ok(b, len[v], sa[v], da[v]);
			b[bit / 8] ^= BIT(bit % 8);
		}
		KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(b, len[v], sa[v], da[v]));
	}
	KUNIT_EXPECT_EQ(test, missed, 0u);
}

/* MUST-3: every single-bit error in the pseudo-header addresses, too. */
static void must3_pseudo_header_bit_flips_detected(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_syn, sizeof(kat_syn));
	unsigned int bit, missed = 0;

	for (bit = 0; bit < 32; bit++) {
		__be32 flip = cpu_to_be32(BIT(bit));

		missed += xtcp_csum_ok(b, sizeof(kat_syn), KAT_SYN_SADDR ^ flip,
				       KAT_SYN_DADDR);
		missed += xtcp_csum_ok(b, sizeof(kat_syn), KAT_SYN_SADDR,
				       KAT_SYN_DADDR ^ flip);
	}
	KUNIT_EXPECT_EQ(test, missed, 0u);
}

/* The TCP length is in the pseudo-header: a trailing zero byte is noticed. */
static void pseudo_header_length_counts(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, sizeof(kat_syn) + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	memcpy(b, kat_syn, sizeof(kat_syn));
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(b, sizeof(kat_syn), KAT_SYN_SADDR,
					     KAT_SYN_DADDR));
	KUNIT_EXPECT_FALSE(test, xtcp_csum_ok(b, sizeof(kat_syn) + 1, KAT_SYN_SADDR,
					      KAT_SYN_DADDR));
}

/* Fill then verify, every length 20..1500 and an unaligned start. */
static void fill_verify_round_trip(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 1501, GFP_KERNEL);
	unsigned int len, bad = 0;
	u8 *b = buf + 1;	/* odd address */

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (len = 20; len <= 1500; len++) {
		b[len - 1] = len * 7;
		xtcp_csum_fill(b, len, KAT_DATA_SADDR, KAT_DATA_DADDR);
		bad += !xtcp_csum_ok(b, len, KAT_DATA_SADDR, KAT_DATA_DADDR);
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
}

/*
 * A segment whose checksum is 0x0000: it is sent as 0x0000 (TCP, unlike UDP,
 * does not map it to 0xffff), and the other zero, 0xffff, verifies as well.
 */
static void checksum_zero_both_forms_verify(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_data, sizeof(kat_data));
	__sum16 c;

	/* put ~sum in the urgent pointer: the sum becomes 0xffff */
	memset(b + XTCP_OFF_CHECK, 0, 2);
	c = xtcp_csum(b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	memcpy(b + XTCP_OFF_URG, &c, 2);
	xtcp_csum_fill(b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK], 0);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK + 1], 0);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(b, sizeof(kat_data), KAT_DATA_SADDR,
					     KAT_DATA_DADDR));
	memset(b + XTCP_OFF_CHECK, 0xff, 2);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok(b, sizeof(kat_data), KAT_DATA_SADDR,
					     KAT_DATA_DADDR));
}

/* --- sk_buffs: data at the TCP header, IP header just behind --- */

static struct sk_buff *mkskb(struct kunit *test, const u8 *tcp,
			     unsigned int len, __be32 saddr, __be32 daddr)
{
	struct sk_buff *skb = alloc_skb(64 + sizeof(struct iphdr) + len,
					GFP_KERNEL);
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	skb_pull(skb, sizeof(*iph));	/* as ip_local_deliver_finish() */
	skb_reset_transport_header(skb);
	skb_put_data(skb, tcp, len);
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

static void skb_software_verify(struct kunit *test)
{
	u8 *big = kunit_kzalloc(test, 1000, GFP_KERNEL);
	struct sk_buff *skb;

	skb = mkskb(test, kat_data, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);

	/* longer than CHECKSUM_BREAK (76): the deferred full sum */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, big);
	memcpy(big, kat_syn, sizeof(kat_syn));
	big[999] = 0x5a;
	xtcp_csum_fill(big, 1000, KAT_SYN_SADDR, KAT_SYN_DADDR);
	skb = mkskb(test, big, 1000, KAT_SYN_SADDR, KAT_SYN_DADDR);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);

	big[500] ^= 0x10;
	skb = mkskb(test, big, 1000, KAT_SYN_SADDR, KAT_SYN_DADDR);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);
}

static void skb_corrupt_rejected(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_data, sizeof(kat_data));
	struct sk_buff *skb;

	b[20] ^= 1;
	skb = mkskb(test, b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);
}

/* Verified by hardware, or generated here (loopback): not summed again. */
static void skb_offloaded_trusted(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_data, sizeof(kat_data));
	struct sk_buff *skb;

	b[20] ^= 1;
	skb = mkskb(test, b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);

	skb = mkskb(test, b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb);
	skb->csum_offset = XTCP_OFF_CHECK;
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);
}

/*
 * CHECKSUM_COMPLETE: the device's sum of the packet is checked against the
 * pseudo-header; a corrupted packet, summed truthfully, is still rejected.
 */
static void skb_checksum_complete_checked(struct kunit *test)
{
	u8 *b = dup_exact(test, kat_data, sizeof(kat_data));
	struct sk_buff *skb;

	skb = mkskb(test, b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	skb->ip_summed = CHECKSUM_COMPLETE;
	skb->csum = csum_partial(b, sizeof(kat_data), 0);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);

	b[21] ^= 0x40;
	skb = mkskb(test, b, sizeof(kat_data), KAT_DATA_SADDR, KAT_DATA_DADDR);
	skb->ip_summed = CHECKSUM_COMPLETE;
	skb->csum = csum_partial(b, sizeof(kat_data), 0);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok(skb));
	kfree_skb(skb);
}

/*
 * --- IPv6 (RFC 8200 §8.1) ---
 *
 * Known answers computed on the host with Python, the same two ways as the
 * IPv4 ones (16-bit big-endian words with end-around carry; 16-bit
 * little-endian words folded and byte-swapped), which agreed; each filled
 * vector was then summed again to 0xffff. The second, by hand:
 *
 *   pseudo-header  fd77 0000 .. 0001  fd77 0000 .. 0002
 *                  0000 0019 0000 0006                     sum 0xfb11
 *   TCP header and "hello" as kat_data, checksum zero      sum 0xc0d9
 *   0xfb11 + 0xc0d9 = 0x1bbea -> 0xbbeb -> complement 0x4414
 */

/*
 * [2001:db8::1]:49152 -> [2001:db8:0:1::2]:80, SYN, seq 0x12345678, window
 * 64240, options MSS 1440, SACK-permitted, TS 0x00010203/0, NOP, WS 7.
 * Checksum 0xc6ac.
 */
static const u8 kat6_syn[40] = {
	0xc0, 0x00, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0xc6, 0xac, 0x00, 0x00, 0x02, 0x04, 0x05, 0xa0,
	0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x03, 0x07,
};

static const struct in6_addr kat6_syn_saddr = {
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr kat6_syn_daddr = {
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2 } } };

/* [fd77::1]:5000 -> [fd77::2]:6000, kat_data's segment. Checksum 0x4414. */
static const u8 kat6_data[25] = {
	0x13, 0x88, 0x17, 0x70, 0xff, 0xff, 0xff, 0xf0, 0x00, 0x00, 0x00, 0x10,
	0x50, 0x18, 0x01, 0xf6, 0x44, 0x14, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c,
	0x6f,
};

static const struct in6_addr kat6_data_saddr = {
	{ { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr kat6_data_daddr = {
	{ { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } };

/* MUST-2 over IPv6: both vectors' checksum bytes, whatever the field held. */
static void must2_v6_known_answers(struct kunit *test)
{
	u8 *b = dup_exact(test, kat6_syn, sizeof(kat6_syn));
	u8 *d = dup_exact(test, kat6_data, sizeof(kat6_data));

	b[XTCP_OFF_CHECK] = 0xEE;
	b[XTCP_OFF_CHECK + 1] = 0xEE;
	xtcp_csum_fill6(b, sizeof(kat6_syn), &kat6_syn_saddr, &kat6_syn_daddr);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK], 0xc6);
	KUNIT_EXPECT_EQ(test, b[XTCP_OFF_CHECK + 1], 0xac);

	memset(d + XTCP_OFF_CHECK, 0, 2);
	KUNIT_EXPECT_EQ(test, (__force u16)xtcp_csum6(d, sizeof(kat6_data),
						      &kat6_data_saddr,
						      &kat6_data_daddr),
			(__force u16)cpu_to_be16(0x4414));
	xtcp_csum_fill6(d, sizeof(kat6_data), &kat6_data_saddr, &kat6_data_daddr);
	KUNIT_EXPECT_EQ(test, d[XTCP_OFF_CHECK], 0x44);
	KUNIT_EXPECT_EQ(test, d[XTCP_OFF_CHECK + 1], 0x14);
}

/*
 * MUST-3 over IPv6: both vectors verify as they are, not under the IPv4
 * pseudo-header, and not with a changed address.
 */
static void must3_v6_known_answers_verify(struct kunit *test)
{
	struct in6_addr other = kat6_data_daddr;
	u8 *b = dup_exact(test, kat6_syn, sizeof(kat6_syn));
	u8 *d = dup_exact(test, kat6_data, sizeof(kat6_data));

	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok6(b, sizeof(kat6_syn), &kat6_syn_saddr,
					      &kat6_syn_daddr));
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok6(d, sizeof(kat6_data), &kat6_data_saddr,
					      &kat6_data_daddr));
	KUNIT_EXPECT_FALSE(test, xtcp_csum_ok(d, sizeof(kat6_data), KAT_DATA_SADDR,
					      KAT_DATA_DADDR));
	/* swapped addresses go unnoticed, as over IPv4; a changed one does not */
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok6(d, sizeof(kat6_data), &kat6_data_daddr,
					      &kat6_data_saddr));
	other.s6_addr[15] = 3;
	KUNIT_EXPECT_FALSE(test, xtcp_csum_ok6(d, sizeof(kat6_data), &kat6_data_saddr,
					       &other));
}

/* MUST-3 over IPv6: every bit of the segment and of both addresses counts. */
static void must3_v6_bit_flips_detected(struct kunit *test)
{
	u8 *b = dup_exact(test, kat6_syn, sizeof(kat6_syn));
	unsigned int bit, missed = 0;

	for (bit = 0; bit < sizeof(kat6_syn) * 8; bit++) {
		b[bit / 8] ^= BIT(bit % 8);
		missed += xtcp_csum_ok6(b, sizeof(kat6_syn), &kat6_syn_saddr,
					&kat6_syn_daddr);
		b[bit / 8] ^= BIT(bit % 8);
	}
	for (bit = 0; bit < 128; bit++) {
		struct in6_addr sa = kat6_syn_saddr, da = kat6_syn_daddr;

		sa.s6_addr[bit / 8] ^= BIT(bit % 8);
		missed += xtcp_csum_ok6(b, sizeof(kat6_syn), &sa, &kat6_syn_daddr);
		da.s6_addr[bit / 8] ^= BIT(bit % 8);
		missed += xtcp_csum_ok6(b, sizeof(kat6_syn), &kat6_syn_saddr, &da);
	}
	KUNIT_EXPECT_EQ(test, missed, 0u);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_ok6(b, sizeof(kat6_syn), &kat6_syn_saddr,
					      &kat6_syn_daddr));
}

/*
 * The upper-layer length is 32 bits in the IPv6 pseudo-header: kat6_syn
 * followed by zeros to 70000 bytes sums to 0xb563 (host Python), and the
 * length taken mod 2^16 (4464) would give 0xb564.
 */
static void v6_length_is_32_bits(struct kunit *test)
{
	u8 *b = kvzalloc(70000, GFP_KERNEL);
	__sum16 c;

	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, kat6_syn, sizeof(kat6_syn));
	memset(b + XTCP_OFF_CHECK, 0, 2);
	c = xtcp_csum6(b, 70000, &kat6_syn_saddr, &kat6_syn_daddr);
	KUNIT_EXPECT_EQ(test, (__force u16)c, (__force u16)cpu_to_be16(0xb563));
	kvfree(b);
}

/*
 * A v4-mapped pair (::ffff:a.b.c.d) adds 0xffff twice, a ones' complement
 * zero: the IPv6 sum of such a pseudo-header is the IPv4 one. Cross-checks
 * csum_ipv6_magic() against csum_tcpudp_magic() over every length.
 */
static void v6_mapped_equals_v4(struct kunit *test)
{
	struct in6_addr sa, da;
	u8 *b = kunit_kzalloc(test, 1500, GFP_KERNEL);
	unsigned int len, differ = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	ipv6_addr_set_v4mapped(KAT_DATA_SADDR, &sa);
	ipv6_addr_set_v4mapped(KAT_DATA_DADDR, &da);
	for (len = 20; len <= 1500; len++) {
		b[len - 1] = len * 13;
		xtcp_csum_fill(b, len, KAT_DATA_SADDR, KAT_DATA_DADDR);
		differ += !xtcp_csum_ok6(b, len, &sa, &da);
	}
	KUNIT_EXPECT_EQ(test, differ, 0u);
}

/* Fill then verify over IPv6, every length 20..1500, unaligned start. */
static void v6_fill_verify_round_trip(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 1501, GFP_KERNEL);
	unsigned int len, bad = 0;
	u8 *b = buf + 1;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (len = 20; len <= 1500; len++) {
		b[len - 1] = len * 7;
		xtcp_csum_fill6(b, len, &kat6_syn_saddr, &kat6_syn_daddr);
		bad += !xtcp_csum_ok6(b, len, &kat6_syn_saddr, &kat6_syn_daddr);
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
}

/* sk_buffs: data at the TCP header, the IPv6 header just behind. */
static struct sk_buff *mkskb6(struct kunit *test, const u8 *tcp,
			      unsigned int len, const struct in6_addr *saddr,
			      const struct in6_addr *daddr)
{
	struct sk_buff *skb = alloc_skb(64 + sizeof(struct ipv6hdr) + len,
					GFP_KERNEL);
	struct ipv6hdr *ip6h;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = 64;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb_pull(skb, sizeof(*ip6h));	/* as ip6_protocol_deliver_rcu() */
	skb_reset_transport_header(skb);
	skb_put_data(skb, tcp, len);
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/* Software verification, short and past CHECKSUM_BREAK; corruption caught. */
static void skb6_software_verify(struct kunit *test)
{
	u8 *big = kunit_kzalloc(test, 1000, GFP_KERNEL);
	struct sk_buff *skb;

	skb = mkskb6(test, kat6_data, sizeof(kat6_data), &kat6_data_saddr,
		     &kat6_data_daddr);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);

	/* kat_data carries the IPv4 checksum: wrong under IPv6 */
	skb = mkskb6(test, kat_data, sizeof(kat_data), &kat6_data_saddr,
		     &kat6_data_daddr);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, big);
	memcpy(big, kat6_syn, sizeof(kat6_syn));
	big[999] = 0x5a;
	xtcp_csum_fill6(big, 1000, &kat6_syn_saddr, &kat6_syn_daddr);
	skb = mkskb6(test, big, 1000, &kat6_syn_saddr, &kat6_syn_daddr);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);

	big[500] ^= 0x10;
	skb = mkskb6(test, big, 1000, &kat6_syn_saddr, &kat6_syn_daddr);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);
}

/* CHECKSUM_COMPLETE over IPv6: the device's sum against the pseudo-header. */
static void skb6_checksum_complete_checked(struct kunit *test)
{
	u8 *b = dup_exact(test, kat6_data, sizeof(kat6_data));
	struct in6_addr other = kat6_data_saddr;
	struct sk_buff *skb;

	skb = mkskb6(test, b, sizeof(kat6_data), &kat6_data_saddr,
		     &kat6_data_daddr);
	skb->ip_summed = CHECKSUM_COMPLETE;
	skb->csum = csum_partial(b, sizeof(kat6_data), 0);
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);

	/* a truthful device sum, but the pseudo-header's source differs */
	other.s6_addr[0] ^= 0x80;
	skb = mkskb6(test, b, sizeof(kat6_data), &other, &kat6_data_daddr);
	skb->ip_summed = CHECKSUM_COMPLETE;
	skb->csum = csum_partial(b, sizeof(kat6_data), 0);
	KUNIT_EXPECT_FALSE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);

	/* verified by hardware: trusted, as over IPv4 */
	b[20] ^= 1;
	skb = mkskb6(test, b, sizeof(kat6_data), &kat6_data_saddr,
		     &kat6_data_daddr);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	KUNIT_EXPECT_TRUE(test, xtcp_csum_skb_ok6(skb));
	kfree_skb(skb);
}

static struct kunit_case checksum_cases[] = {
	KUNIT_CASE(must2_known_answer_syn),
	KUNIT_CASE(must2_known_answer_odd_length),
	KUNIT_CASE(must3_known_answers_verify),
	KUNIT_CASE(must3_single_bit_flips_detected),
	KUNIT_CASE(must3_pseudo_header_bit_flips_detected),
	KUNIT_CASE(pseudo_header_length_counts),
	KUNIT_CASE(fill_verify_round_trip),
	KUNIT_CASE(checksum_zero_both_forms_verify),
	KUNIT_CASE(skb_software_verify),
	KUNIT_CASE(skb_corrupt_rejected),
	KUNIT_CASE(skb_offloaded_trusted),
	KUNIT_CASE(skb_checksum_complete_checked),
	KUNIT_CASE(must2_v6_known_answers),
	KUNIT_CASE(must3_v6_known_answers_verify),
	KUNIT_CASE(must3_v6_bit_flips_detected),
	KUNIT_CASE(v6_length_is_32_bits),
	KUNIT_CASE(v6_mapped_equals_v4),
	KUNIT_CASE(v6_fill_verify_round_trip),
	KUNIT_CASE(skb6_software_verify),
	KUNIT_CASE(skb6_checksum_complete_checked),
	{}
};

static struct kunit_suite checksum_suite = {
	.name = "xtcp_checksum",
	.test_cases = checksum_cases,
};
XTCP_KUNIT_SUITES(checksum, &checksum_suite);
