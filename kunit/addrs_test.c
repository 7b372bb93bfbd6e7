// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: struct xtcp_addrs (src/addrs.h) and the readers of a received
 * segment's IP header (src/hook.h): the ends as the trace events print them
 * (%pISpc, as before for IPv4; bracketed for IPv6), a reply's addresses, an
 * IPv4 and an IPv6 header read the same way.
 */
#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "addrs.h"
#include "hook.h"
#include "suites.h"

#define A4	cpu_to_be32(0x0a4d0001)		/* 10.77.0.1 */
#define B4	cpu_to_be32(0x0a4d0002)		/* 10.77.0.2 */

/* fd77::1, fd77::2 */
static const struct in6_addr a6 = { { { 0xfd, 0x77, [15] = 1 } } };
static const struct in6_addr b6 = { { { 0xfd, 0x77, [15] = 2 } } };

static void print_end(char *buf, size_t len, const struct xtcp_addrs *a,
		      bool src, u16 port, const char *fmt)
{
	u8 sa[sizeof(struct sockaddr_in6)];

	memset(sa, 0xa5, sizeof(sa));	/* whatever the ring buffer held */
	xtcp_addrs_store(sa, a, src, port);
	snprintf(buf, len, fmt, sa);
}

/* An IPv4 end prints as the events printed it before (%pI4:%u). */
static void ipv4_prints_as_before(struct kunit *test)
{
	const struct xtcp_addrs a = xtcp_addrs4(A4, B4);
	const struct xtcp_addrs none = xtcp_addrs4(0, 0);
	char got[64], want[64];

	print_end(got, sizeof(got), &a, true, 59088, "%pISpc");
	snprintf(want, sizeof(want), "%pI4:%u", &a.v4.saddr, 59088);
	KUNIT_EXPECT_STREQ(test, got, want);
	KUNIT_EXPECT_STREQ(test, got, "10.77.0.1:59088");
	print_end(got, sizeof(got), &a, false, 7001, "%pISpc");
	KUNIT_EXPECT_STREQ(test, got, "10.77.0.2:7001");
	/* a listener's unset peer */
	print_end(got, sizeof(got), &none, false, 0, "%pISpc");
	KUNIT_EXPECT_STREQ(test, got, "0.0.0.0:0");
	/* xtcp_drop's, without ports */
	print_end(got, sizeof(got), &a, true, 0, "%pISc");
	KUNIT_EXPECT_STREQ(test, got, "10.77.0.1");
}

/* An IPv6 end prints bracketed and compressed; a v4-mapped one too. */
static void ipv6_prints_bracketed(struct kunit *test)
{
	struct xtcp_addrs a = { .family = AF_INET6 };
	char got[64];

	a.v6.saddr = a6;
	a.v6.daddr = b6;
	print_end(got, sizeof(got), &a, true, 80, "%pISpc");
	KUNIT_EXPECT_STREQ(test, got, "[fd77::1]:80");
	print_end(got, sizeof(got), &a, false, 40000, "%pISpc");
	KUNIT_EXPECT_STREQ(test, got, "[fd77::2]:40000");
	print_end(got, sizeof(got), &a, false, 0, "%pISc");
	KUNIT_EXPECT_STREQ(test, got, "fd77::2");
	ipv6_addr_set_v4mapped(A4, &a.v6.saddr);
	print_end(got, sizeof(got), &a, true, 80, "%pISpc");
	KUNIT_EXPECT_STREQ(test, got, "[::ffff:10.77.0.1]:80");
}

/* A reply's addresses are the segment's the other way round. */
static void swap_both_versions(struct kunit *test)
{
	struct xtcp_addrs a = xtcp_addrs4(A4, B4), r;

	r = xtcp_addrs_swap(&a);
	KUNIT_EXPECT_EQ(test, r.family, (sa_family_t)AF_INET);
	KUNIT_EXPECT_EQ(test, r.v4.saddr, B4);
	KUNIT_EXPECT_EQ(test, r.v4.daddr, A4);
	a = (struct xtcp_addrs){ .family = AF_INET6 };
	a.v6.saddr = a6;
	a.v6.daddr = b6;
	r = xtcp_addrs_swap(&a);
	KUNIT_EXPECT_EQ(test, r.family, (sa_family_t)AF_INET6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&r.v6.saddr, &b6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&r.v6.daddr, &a6));
}

/* xtcp_skb_addrs() and xtcp_skb_dsfield() read either header. */
static void skb_headers_either_version(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct ipv6hdr *ip6;
	struct xtcp_addrs a;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0x2b;		/* DSCP 10, ECT(1) */
	iph->saddr = A4;
	iph->daddr = B4;
	a = xtcp_skb_addrs(skb);
	KUNIT_EXPECT_EQ(test, a.family, (sa_family_t)AF_INET);
	KUNIT_EXPECT_EQ(test, a.v4.saddr, A4);
	KUNIT_EXPECT_EQ(test, a.v4.daddr, B4);
	KUNIT_EXPECT_EQ(test, xtcp_skb_dsfield(skb), 0x2b);

	skb_trim(skb, 0);
	skb_reset_network_header(skb);
	ip6 = skb_put_zero(skb, sizeof(*ip6));
	ip6->version = 6;
	ipv6_change_dsfield(ip6, 0, 0x2b);
	ip6->saddr = a6;
	ip6->daddr = b6;
	a = xtcp_skb_addrs(skb);
	KUNIT_EXPECT_EQ(test, a.family, (sa_family_t)AF_INET6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&a.v6.saddr, &a6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&a.v6.daddr, &b6));
	KUNIT_EXPECT_EQ(test, xtcp_skb_dsfield(skb), 0x2b);
	kfree_skb(skb);
}

static struct kunit_case addrs_cases[] = {
	KUNIT_CASE(ipv4_prints_as_before),
	KUNIT_CASE(ipv6_prints_bracketed),
	KUNIT_CASE(swap_both_versions),
	KUNIT_CASE(skb_headers_either_version),
	{}
};

static struct kunit_suite addrs_suite = {
	.name = "xtcp_addrs",
	.test_cases = addrs_cases,
};

XTCP_KUNIT_SUITES(addrs, &addrs_suite);
