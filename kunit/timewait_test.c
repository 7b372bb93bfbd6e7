// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the TIME_WAIT bucket store (src/timewait.c), MUST-13 (TIME-WAIT lasts
 * 2MSL), the restart of 2MSL on a retransmitted FIN, and the bounds the design
 * promises (72-byte buckets, 96 for IPv6, bounded work per timer run, max
 * buckets), and
 * the bound device a lookup and a bind() match as Linux's inet_match() and
 * inet_bind_conflict() do.
 *
 * Expiry is driven with an injected clock through xtcp_tw_expire(), so only
 * real_timer_expires_buckets sleeps. Every table is a test resource: it is
 * destroyed (timer stopped, buckets freed) even when an assertion fails.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "timewait.h"
#include "suites.h"

#define TICK_NS		(1ULL << XTCP_TW_TICK_SHIFT)
/*
 * A bucket lives 2MSL, plus the rest of the tick it ends in, plus one more
 * tick when the table's real timer has moved the wheel's clock into the next
 * tick while the bucket went in (tw_wheel_add() never schedules behind the
 * clock): at most two ticks beyond 2MSL.
 */
#define LATE_NS		(2 * TICK_NS)
#define LEN_MS		60000
#define LEN_NS		((u64)LEN_MS * NSEC_PER_MSEC)

struct tw_params {
	unsigned int hash_size, max, len_ms;
};

static int tw_table_res_init(struct kunit_resource *res, void *context)
{
	const struct tw_params *p = context;
	struct xtcp_tw_table *tbl;
	int err;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	err = xtcp_tw_table_init(tbl, p->hash_size, p->max, p->len_ms);
	if (err) {
		kfree(tbl);
		return err;
	}
	res->data = tbl;
	return 0;
}

static void tw_table_res_free(struct kunit_resource *res)
{
	struct xtcp_tw_table *tbl = res->data;

	if (tbl->hash)	/* not destroyed by the test itself */
		xtcp_tw_table_destroy(tbl);
	kfree(tbl);
}

static struct xtcp_tw_table *new_table(struct kunit *test,
				       unsigned int hash_size,
				       unsigned int max, unsigned int len_ms)
{
	struct tw_params p = { hash_size, max, len_ms };
	struct xtcp_tw_table *tbl;

	tbl = kunit_alloc_resource(test, tw_table_res_init, tw_table_res_free,
				   GFP_KERNEL, &p);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tbl);
	return tbl;
}

/* Connection i: 10.0.0.1:80 <-> 10.1.x.y:port, all distinct up to 2^32. */
static struct xtcp_tw_state tuple(u32 i)
{
	return (struct xtcp_tw_state){
		.saddr = cpu_to_be32(0x0a000001),
		.daddr = cpu_to_be32(0x0a010000 | (i >> 16)),
		.sport = cpu_to_be16(80),
		.dport = cpu_to_be16(i & 0xffff),
		.snd_nxt = 1000 + i,
		.rcv_nxt = 2000 + i,
		.ts_recent = 3000 + i,
		.ts_recent_stamp = 4000 + i,
		.last_oow_ack_time = 5000 + i,
		.rcv_wnd = (u16)(600 + i),
	};
}

/* The bucket of a 4-tuple whatever the device, as connect() looks. */
static struct xtcp_tw_bucket *lookup_any(struct xtcp_tw_table *tbl,
					 __be32 saddr, __be16 sport,
					 __be32 daddr, __be16 dport)
{
	return xtcp_tw_lookup(tbl, &init_net, saddr, sport, daddr, dport, -1,
			      0);
}

/* Insert connection i and drop the caller's reference. */
static void insert_n(struct kunit *test, struct xtcp_tw_table *tbl,
		     u32 first, u32 n)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_tw_state st;
	u32 i;

	for (i = first; i < first + n; i++) {
		st = tuple(i);
		tw = xtcp_tw_insert(tbl, &st);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
		xtcp_tw_put(tw);
		/* a non-preemptible KASAN kernel: long loops must yield */
		cond_resched();
	}
}

static bool present(struct xtcp_tw_table *tbl, u32 i)
{
	struct xtcp_tw_state st = tuple(i);
	struct xtcp_tw_bucket *tw;

	tw = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	if (tw)
		xtcp_tw_put(tw);
	return tw;
}

/* Expire until nothing is due at now_ns; returns how many went. */
static unsigned int expire_all(struct xtcp_tw_table *tbl, u64 now_ns)
{
	unsigned int n, total = 0;

	do {
		n = xtcp_tw_expire(tbl, now_ns);
		total += n;
		cond_resched();
	} while (n);
	return total;
}

static void bucket_fits_72_bytes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct xtcp_tw_bucket), 72);
	/* The layout Documentation/timewait.rst describes. */
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, wheel), 8);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, expires), 24);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, refcnt), 28);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, st.family), 32);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, st.rcv_wnd), 34);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, st.saddr), 36);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket, st.bound_dev_if),
			48);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket,
				       st.last_oow_ack_time), 68);
}

/* The IPv6 layout: 96 bytes, its family byte where the IPv4 one's is. */
static void bucket6_fits_96_bytes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct xtcp_tw_bucket6), 96);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, expires), 24);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, st.family), 32);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, st.tclass), 33);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, st.saddr), 36);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, st.daddr), 52);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6, st.sport), 68);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6,
				       st.bound_dev_if), 72);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcp_tw_bucket6,
				       st.last_oow_ack_time), 92);
}

/* Connection i over IPv6: [fd00::1]:80 <-> [fd01::i]:port. */
static struct xtcp_tw_state6 tuple6(u32 i)
{
	struct xtcp_tw_state6 st = {
		.family = XTCP_TW_INET6,
		.tclass = 0x20,
		.sport = cpu_to_be16(80),
		.dport = cpu_to_be16(i & 0xffff),
		.snd_nxt = 1000 + i,
		.rcv_nxt = 2000 + i,
		.ts_recent = 3000 + i,
		.ts_recent_stamp = 4000 + i,
		.last_oow_ack_time = 5000 + i,
		.rcv_wnd = (u16)(600 + i),
	};

	st.saddr.s6_addr32[0] = cpu_to_be32(0xfd000000);
	st.saddr.s6_addr32[3] = cpu_to_be32(1);
	st.daddr.s6_addr32[0] = cpu_to_be32(0xfd010000);
	st.daddr.s6_addr32[3] = cpu_to_be32(i >> 16);
	return st;
}

static struct xtcp_tw_bucket *lookup6_any(struct xtcp_tw_table *tbl,
					  const struct xtcp_tw_state6 *st)
{
	return xtcp_tw_lookup6(tbl, &init_net, &st->saddr, st->sport,
			       &st->daddr, st->dport, -1, 0);
}

/*
 * IPv6 buckets beside IPv4 ones in one table: each found by its own
 * version's lookup with every field it was given, neither by the other's
 * (not even an IPv4 bucket by its v4-mapped tuple), a duplicate refused,
 * and a bound device matched as for IPv4.
 */
static void insert6_then_lookup6(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 4, 64, LEN_MS);
	struct xtcp_tw_state6 st6 = tuple6(7), other = tuple6(8);
	struct xtcp_tw_state st4 = tuple(7);
	struct xtcp_tw_state6 mapped = {};
	struct xtcp_tw_bucket *tw6, *tw4, *found;

	tw6 = xtcp_tw_insert6(tbl, &st6);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw6);
	tw4 = xtcp_tw_insert(tbl, &st4);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw4);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 2);
	KUNIT_EXPECT_EQ(test, tw6->st.family, XTCP_TW_INET6);

	found = lookup6_any(tbl, &st6);
	KUNIT_EXPECT_PTR_EQ(test, found, tw6);
	if (found) {
		const struct xtcp_tw_state6 *f = &xtcp_tw6(found)->st;

		KUNIT_EXPECT_EQ(test, f->snd_nxt, st6.snd_nxt);
		KUNIT_EXPECT_EQ(test, f->rcv_nxt, st6.rcv_nxt);
		KUNIT_EXPECT_EQ(test, f->ts_recent, st6.ts_recent);
		KUNIT_EXPECT_EQ(test, f->ts_recent_stamp, st6.ts_recent_stamp);
		KUNIT_EXPECT_EQ(test, f->last_oow_ack_time,
				st6.last_oow_ack_time);
		KUNIT_EXPECT_EQ(test, f->rcv_wnd, st6.rcv_wnd);
		KUNIT_EXPECT_EQ(test, f->tclass, 0x20);
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&f->daddr, &st6.daddr));
		xtcp_tw_put(found);
	}
	KUNIT_EXPECT_NULL(test, lookup6_any(tbl, &other));
	/* the ports the other way round: another 4-tuple */
	other = st6;
	swap(other.sport, other.dport);
	KUNIT_EXPECT_NULL(test, lookup6_any(tbl, &other));

	/* an IPv4 lookup does not see the IPv6 bucket, nor the reverse */
	found = lookup_any(tbl, st4.saddr, st4.sport, st4.daddr, st4.dport);
	KUNIT_EXPECT_PTR_EQ(test, found, tw4);
	if (found)
		xtcp_tw_put(found);
	ipv6_addr_set_v4mapped(st4.saddr, &mapped.saddr);
	ipv6_addr_set_v4mapped(st4.daddr, &mapped.daddr);
	mapped.sport = st4.sport;
	mapped.dport = st4.dport;
	KUNIT_EXPECT_NULL(test, lookup6_any(tbl, &mapped));

	KUNIT_EXPECT_EQ(test, PTR_ERR(xtcp_tw_insert6(tbl, &st6)), -EEXIST);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 2);

	/* bound to device 3: found from 3 only */
	other = tuple6(9);
	other.bound_dev_if = 3;
	found = xtcp_tw_insert6(tbl, &other);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, found);
	xtcp_tw_put(found);
	found = xtcp_tw_lookup6(tbl, &init_net, &other.saddr, other.sport,
				&other.daddr, other.dport, 3, 0);
	KUNIT_EXPECT_NOT_NULL(test, found);
	if (found)
		xtcp_tw_put(found);
	KUNIT_EXPECT_NULL(test, xtcp_tw_lookup6(tbl, &init_net, &other.saddr,
						other.sport, &other.daddr,
						other.dport, 4, 0));

	KUNIT_EXPECT_TRUE(test, xtcp_tw_kill(tbl, tw6));
	KUNIT_EXPECT_NULL(test, lookup6_any(tbl, &st6));
	xtcp_tw_put(tw6);
	xtcp_tw_put(tw4);
}

/* IPv6 buckets expire as IPv4 ones do, each freed to its own cache. */
static void expire6_frees_both_layouts(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 1000, LEN_MS);
	u64 now = ktime_get_ns();
	struct xtcp_tw_bucket *tw;
	struct xtcp_tw_state6 st;
	u32 i;

	for (i = 0; i < 100; i++) {
		st = tuple6(i);
		tw = xtcp_tw_insert6(tbl, &st);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
		xtcp_tw_put(tw);
	}
	insert_n(test, tbl, 0, 100);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 200);
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(tbl, now + LEN_NS / 2), 0);
	/* the last went in later than the first: KASAN's inserts are slow */
	now = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(tbl, now + LEN_NS + LATE_NS), 200);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	st = tuple6(5);
	KUNIT_EXPECT_NULL(test, lookup6_any(tbl, &st));
}

/*
 * The walk gives each family only to whom asks for it, with the layout's
 * own fields; the port map has both.
 */
static void walk_and_ports_by_family(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 8, 1000, LEN_MS);
	unsigned int chain = 0, offset = 0, ms, n4 = 0, n6 = 0;
	struct xtcp_tw_state6 st6;
	struct xtcp_tw_bucket *tw;
	union xtcp_tw_any st;
	unsigned long *ports;
	u32 i;

	for (i = 0; i < 20; i++) {
		st6 = tuple6(100 + i);
		st6.sport = cpu_to_be16(443);
		tw = xtcp_tw_insert6(tbl, &st6);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
		xtcp_tw_put(tw);
	}
	insert_n(test, tbl, 0, 30);
	while (xtcp_tw_walk(tbl, &chain, &offset, BIT(XTCP_TW_INET), &st,
			    &ms)) {
		KUNIT_EXPECT_EQ(test, st.v4.family, XTCP_TW_INET);
		KUNIT_EXPECT_LT(test, st.v4.snd_nxt - 1000, 30U);
		n4++;
	}
	chain = 0;
	offset = 0;
	while (xtcp_tw_walk(tbl, &chain, &offset, BIT(XTCP_TW_INET6), &st,
			    &ms)) {
		KUNIT_EXPECT_EQ(test, st.v6.family, XTCP_TW_INET6);
		KUNIT_EXPECT_EQ(test, ntohs(xtcp_tw_sport(&st)), 443);
		KUNIT_EXPECT_EQ(test, xtcp_tw_snd_nxt(&st) - 1100,
				xtcp_tw_rcv_nxt(&st) - 2100);
		KUNIT_EXPECT_LT(test, st.v6.snd_nxt - 1100, 20U);
		n6++;
	}
	KUNIT_EXPECT_EQ(test, n4, 30U);
	KUNIT_EXPECT_EQ(test, n6, 20U);

	ports = kunit_kzalloc(test, BITS_TO_LONGS(65536) * sizeof(long),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ports);
	xtcp_tw_ports(tbl, ports);
	KUNIT_EXPECT_EQ(test, bitmap_weight(ports, 65536), 2U);
	KUNIT_EXPECT_TRUE(test, test_bit(80, ports));
	KUNIT_EXPECT_TRUE(test, test_bit(443, ports));
}

/*
 * bind() beside buckets of both versions: an IPv4 binder meets only IPv4
 * ones; an IPv6 binder IPv6 ones on its address (any on ::) and, unless
 * v6-only, IPv4 ones on the address it maps (any on ::).
 */
static void port_busy6_judges_overlap(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 16, 16, LEN_MS);
	struct xtcp_tw_state6 st6 = tuple6(1);
	struct xtcp_tw_state st4 = tuple(1);
	struct in6_addr any = {}, a6 = st6.saddr, other6 = st6.saddr, m4;
	__be16 p6 = cpu_to_be16(443), p4 = st4.sport;
	struct xtcp_tw_bucket *tw;

	st6.sport = p6;
	tw = xtcp_tw_insert6(tbl, &st6);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	xtcp_tw_put(tw);
	tw = xtcp_tw_insert(tbl, &st4);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	xtcp_tw_put(tw);
	other6.s6_addr32[3] = cpu_to_be32(2);
	ipv6_addr_set_v4mapped(st4.saddr, &m4);

	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &any, p6, 0, true));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &a6, p6, 0, false));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy6(tbl, &other6, p6, 0, false));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy6(tbl, &a6, p4, 0, false));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, 0, p6, 0));

	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &any, p4, 0, false));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy6(tbl, &any, p4, 0, true));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &m4, p4, 0, false));
	m4.s6_addr32[3] = cpu_to_be32(0x0a000002);
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy6(tbl, &m4, p4, 0, false));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, 0, p4, 0));

	/* devices as for IPv4: a bucket on 3 is not in the way of a binder on 4 */
	st6 = tuple6(2);
	st6.sport = cpu_to_be16(8443);
	st6.bound_dev_if = 3;
	tw = xtcp_tw_insert6(tbl, &st6);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	xtcp_tw_put(tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &any, st6.sport, 3,
						   true));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy6(tbl, &any, st6.sport, 0,
						   true));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy6(tbl, &any, st6.sport, 4,
						    true));
}

static void insert_then_lookup_finds_exact_tuple(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(7);
	struct xtcp_tw_bucket *tw, *found;

	tw = xtcp_tw_insert(tbl, &st);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 1);

	found = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	KUNIT_EXPECT_PTR_EQ(test, found, tw);
	if (found) {
		KUNIT_EXPECT_EQ(test, found->st.snd_nxt, st.snd_nxt);
		KUNIT_EXPECT_EQ(test, found->st.rcv_nxt, st.rcv_nxt);
		KUNIT_EXPECT_EQ(test, found->st.ts_recent, st.ts_recent);
		KUNIT_EXPECT_EQ(test, found->st.ts_recent_stamp,
				st.ts_recent_stamp);
		KUNIT_EXPECT_EQ(test, found->st.last_oow_ack_time,
				st.last_oow_ack_time);
		KUNIT_EXPECT_EQ(test, found->st.rcv_wnd, st.rcv_wnd);
		KUNIT_EXPECT_EQ(test, found->st.bound_dev_if, 0);
		xtcp_tw_put(found);
	}
	xtcp_tw_put(tw);
}

static void lookup_misses_other_tuples(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(7);
	__be32 other = cpu_to_be32(0x0a0000ff);

	insert_n(test, tbl, 7, 1);
	KUNIT_EXPECT_NULL(test, lookup_any(tbl, other, st.sport,
					   st.daddr, st.dport));
	KUNIT_EXPECT_NULL(test, lookup_any(tbl, st.saddr, st.sport,
					   other, st.dport));
	KUNIT_EXPECT_NULL(test, lookup_any(tbl, st.saddr, htons(81),
					   st.daddr, st.dport));
	KUNIT_EXPECT_NULL(test, lookup_any(tbl, st.saddr, st.sport,
					   st.daddr, htons(8)));
	/* The same endpoints seen from the other side. */
	KUNIT_EXPECT_NULL(test, lookup_any(tbl, st.daddr, st.dport,
					   st.saddr, st.sport));
	KUNIT_EXPECT_TRUE(test, present(tbl, 7));
}

/*
 * net.ipv4.tcp_l3mdev_accept as inet_sk_bound_dev_eq() reads it: whether an
 * unbound socket hears what comes in through a VRF.
 */
static bool l3mdev_accept(void)
{
#if IS_ENABLED(CONFIG_NET_L3_MASTER_DEV)
	return READ_ONCE(init_net.ipv4.sysctl_tcp_l3mdev_accept);
#else
	return true;
#endif
}

/* Does a segment for @st's 4-tuple in on @dif (@sdif) find its bucket? */
static bool found_from(struct xtcp_tw_table *tbl,
		       const struct xtcp_tw_state *st, int dif, int sdif)
{
	struct xtcp_tw_bucket *tw;

	tw = xtcp_tw_lookup(tbl, &init_net, st->saddr, st->sport, st->daddr,
			    st->dport, dif, sdif);
	if (tw)
		xtcp_tw_put(tw);
	return tw;
}

/*
 * SO_BINDTODEVICE, as inet_match() finds Linux's timewait socks: an unbound
 * bucket is found from any device; one bound to device 2 only from device 2,
 * or through a VRF (@sdif, the L3 master's slave) when 2 is that slave; the
 * 4-tuple alone (dif -1) finds both.
 */
static void lookup_matches_bound_device(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1), bound = tuple(2);
	struct xtcp_tw_bucket *tw;

	bound.bound_dev_if = 2;
	tw = xtcp_tw_insert(tbl, &bound);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	KUNIT_EXPECT_EQ(test, tw->st.bound_dev_if, 2);
	xtcp_tw_put(tw);
	insert_n(test, tbl, 1, 1);

	KUNIT_EXPECT_TRUE(test, found_from(tbl, &st, 1, 0));
	KUNIT_EXPECT_TRUE(test, found_from(tbl, &st, 2, 0));
	KUNIT_EXPECT_TRUE(test, found_from(tbl, &st, 7, 0));
	KUNIT_EXPECT_TRUE(test, found_from(tbl, &st, -1, 0));
	KUNIT_EXPECT_EQ(test, found_from(tbl, &st, 5, 2), l3mdev_accept());

	KUNIT_EXPECT_TRUE(test, found_from(tbl, &bound, 2, 0));
	KUNIT_EXPECT_FALSE(test, found_from(tbl, &bound, 1, 0));
	KUNIT_EXPECT_FALSE(test, found_from(tbl, &bound, 3, 0));
	KUNIT_EXPECT_TRUE(test, found_from(tbl, &bound, 5, 2));
	KUNIT_EXPECT_FALSE(test, found_from(tbl, &bound, 5, 3));
	KUNIT_EXPECT_TRUE(test, found_from(tbl, &bound, -1, 0));
}

static void insert_duplicate_tuple_refused(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);

	insert_n(test, tbl, 1, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(xtcp_tw_insert(tbl, &st)), -EEXIST);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 1);
}

/* MUST-13: one nanosecond short of 2MSL the bucket is still there. */
static void expire_before_2msl_keeps_bucket(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	u64 t0 = ktime_get_ns();

	insert_n(test, tbl, 1, 1);
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t0 + LEN_NS - 1), 0);
	KUNIT_EXPECT_TRUE(test, present(tbl, 1));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 1);
}

/* MUST-13: once 2MSL (and at most two ticks, LATE_NS) is over, the bucket goes. */
static void expire_after_2msl_frees_bucket(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);
	struct xtcp_tw_bucket *held;
	u64 t1;

	insert_n(test, tbl, 1, 1);
	held = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	KUNIT_ASSERT_NOT_NULL(test, held);
	t1 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t1 + LEN_NS + LATE_NS), 1);
	KUNIT_EXPECT_FALSE(test, present(tbl, 1));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	/* A reference taken before expiry keeps the bucket readable. */
	KUNIT_EXPECT_EQ(test, held->st.snd_nxt, st.snd_nxt);
	KUNIT_EXPECT_EQ(test, xtcp_tw_restart(tbl, held), -ENOENT);
	xtcp_tw_put(held);
}

/*
 * Half-way through 2MSL a retransmitted FIN restarts it: the bucket survives
 * the first deadline and goes a full 2MSL after the FIN. The wheel was run to
 * t0 + 2MSL/2 first, which is the wheel's "now" for the restart.
 */
static void restart_on_retransmitted_fin_extends_life(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);
	struct xtcp_tw_bucket *tw;
	u64 t0 = ktime_get_ns(), t1;

	insert_n(test, tbl, 1, 1);
	t1 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t0 + LEN_NS / 2), 0);

	tw = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_EQ(test, xtcp_tw_restart(tbl, tw), 0);
	xtcp_tw_put(tw);

	KUNIT_EXPECT_EQ(test, expire_all(tbl, t1 + LEN_NS + TICK_NS), 0);
	KUNIT_EXPECT_TRUE(test, present(tbl, 1));
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t1 + 2 * LEN_NS), 1);
	KUNIT_EXPECT_FALSE(test, present(tbl, 1));
}

/* RST or RFC 6191 reuse: gone at once, and only once. */
static void kill_removes_now(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);
	struct xtcp_tw_bucket *tw;

	insert_n(test, tbl, 2, 1);
	tw = xtcp_tw_insert(tbl, &st);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_kill(tbl, tw));
	KUNIT_EXPECT_FALSE(test, present(tbl, 1));
	KUNIT_EXPECT_TRUE(test, present(tbl, 2));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 1);
	KUNIT_EXPECT_FALSE(test, xtcp_tw_kill(tbl, tw));
	KUNIT_EXPECT_EQ(test, xtcp_tw_restart(tbl, tw), -ENOENT);
	KUNIT_EXPECT_EQ(test, tw->st.rcv_nxt, st.rcv_nxt);
	xtcp_tw_put(tw);
	/* The tuple may enter TIME-WAIT again. */
	insert_n(test, tbl, 1, 1);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 2);
}

static void max_buckets_overflow_counted(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 4, LEN_MS);
	struct xtcp_tw_state st = tuple(4);
	struct xtcp_tw_bucket *tw;

	insert_n(test, tbl, 0, 4);
	KUNIT_EXPECT_EQ(test, xtcp_tw_overflows(tbl), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(xtcp_tw_insert(tbl, &st)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, PTR_ERR(xtcp_tw_insert(tbl, &st)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, xtcp_tw_overflows(tbl), 2);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 4);
	KUNIT_EXPECT_FALSE(test, present(tbl, 4));

	st = tuple(0);
	tw = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_kill(tbl, tw));
	xtcp_tw_put(tw);
	insert_n(test, tbl, 4, 1);
	KUNIT_EXPECT_EQ(test, xtcp_tw_overflows(tbl), 2);
}

/* One call (one timer run) frees at most the budget, however much is due. */
static void expiry_work_bounded_per_call(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 4096, 10000, LEN_MS);
	unsigned int n, calls = 0;
	u64 now;

	insert_n(test, tbl, 0, 5000);
	now = ktime_get_ns() + 2 * LEN_NS;
	KUNIT_EXPECT_EQ(test, xtcp_tw_expire(tbl, now), XTCP_TW_EXPIRE_BUDGET);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl),
			5000 - XTCP_TW_EXPIRE_BUDGET);
	do {
		n = xtcp_tw_expire(tbl, now);
		KUNIT_EXPECT_LE(test, n, XTCP_TW_EXPIRE_BUDGET);
		calls++;
	} while (n && calls < 100);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	KUNIT_EXPECT_FALSE(test, present(tbl, 4999));
}

static void many_buckets_all_expire(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 65536, 1 << 20, LEN_MS);
	u64 t1;

	insert_n(test, tbl, 0, 100000);
	t1 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 100000);
	KUNIT_EXPECT_TRUE(test, present(tbl, 0));
	KUNIT_EXPECT_TRUE(test, present(tbl, 99999));
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t1 + LEN_NS + LATE_NS), 100000);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	KUNIT_EXPECT_FALSE(test, present(tbl, 50000));
}

/* The wheel asleep for many turns still finds every due bucket. */
static void expire_after_many_turns_frees_all(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 1000, 1000);

	insert_n(test, tbl, 0, 100);
	KUNIT_EXPECT_EQ(test, expire_all(tbl, ktime_get_ns() + 1000 * LEN_NS),
			100);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	insert_n(test, tbl, 0, 1);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 1);
}

static void destroy_frees_everything_and_stops_timer(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 256, 10000, LEN_MS);
	struct xtcp_tw_state st = tuple(3);
	struct xtcp_tw_bucket *held;

	insert_n(test, tbl, 0, 1000);
	held = lookup_any(tbl, st.saddr, st.sport, st.daddr, st.dport);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_EXPECT_TRUE(test, hrtimer_active(&tbl->timer));

	xtcp_tw_table_destroy(tbl);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&tbl->timer));
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	/* A caller's reference outlives the table; kmemleak checks the rest. */
	KUNIT_EXPECT_EQ(test, held->st.snd_nxt, st.snd_nxt);
	xtcp_tw_put(held);
}

/* The hrtimer alone empties a table with a 50 ms 2MSL. */
static void real_timer_expires_buckets(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 1000, 50);
	int waited_ms;

	insert_n(test, tbl, 0, 300);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 300);
	for (waited_ms = 0; waited_ms < 5000 && xtcp_tw_count(tbl);
	     waited_ms += 20)
		msleep(20);
	KUNIT_EXPECT_EQ(test, xtcp_tw_count(tbl), 0);
	KUNIT_EXPECT_GE(test, waited_ms, 40);
	KUNIT_EXPECT_FALSE(test, present(tbl, 0));
}

/* net.xtcp.tw_timeout_ms: a shorter 2MSL applies to buckets entered after it. */
static void set_len_shortens_new_buckets(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, XTCP_TW_LEN_MAX_MS);
	u64 t0;

	KUNIT_ASSERT_EQ(test, xtcp_tw_set_len(tbl, 1000), 0);
	t0 = ktime_get_ns();
	insert_n(test, tbl, 1, 1);
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t0 + 500 * NSEC_PER_MSEC), 0);
	KUNIT_EXPECT_EQ(test, expire_all(tbl, t0 + 1000 * NSEC_PER_MSEC +
					 2 * TICK_NS), 1);
	KUNIT_EXPECT_FALSE(test, present(tbl, 1));
}

/* The wheel cannot serve a 2MSL longer than it was sized for, nor 0. */
static void set_len_refuses_beyond_wheel(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, 1000);

	KUNIT_EXPECT_EQ(test, xtcp_tw_set_len(tbl, XTCP_TW_LEN_MAX_MS), -EINVAL);
	KUNIT_EXPECT_EQ(test, xtcp_tw_set_len(tbl, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, xtcp_tw_set_len(tbl, 500), 0);
}

/* bind() without SO_REUSEADDR asks whether a bucket holds the local port. */
static void port_busy_matches_port_and_address(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);

	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, 0, st.sport, 0));
	insert_n(test, tbl, 1, 1);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, 0, st.sport, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, st.saddr, st.sport, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, cpu_to_be32(0x0a000002),
						   st.sport, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, 0, cpu_to_be16(81), 0));
	/* an unbound bucket holds the port against a binder on any device */
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, 0, st.sport, 3));
}

/*
 * With devices, as inet_bind_conflict(): a bucket bound to device 2 holds its
 * port against unbound binders and binders on device 2, not against a binder
 * on device 3.
 */
static void port_busy_matches_bound_device(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);
	struct xtcp_tw_bucket *tw;

	st.bound_dev_if = 2;
	tw = xtcp_tw_insert(tbl, &st);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	xtcp_tw_put(tw);
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, 0, st.sport, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_tw_port_busy(tbl, st.saddr, st.sport, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, st.saddr, st.sport, 3));
	KUNIT_EXPECT_FALSE(test, xtcp_tw_port_busy(tbl, 0, st.sport, 3));
}

/* The parked-port sweep learns every local port a bucket is on, and no other. */
static void ports_marks_exactly_the_ports_in_use(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 64, 16, LEN_MS);
	struct xtcp_tw_state st = tuple(1);
	struct xtcp_tw_bucket *tw;
	unsigned long *ports;

	ports = kunit_kzalloc(test, BITS_TO_LONGS(65536) * sizeof(long),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ports);
	xtcp_tw_ports(tbl, ports);
	KUNIT_EXPECT_EQ(test, bitmap_weight(ports, 65536), 0U);

	insert_n(test, tbl, 1, 3);		/* three buckets on port 80 */
	st.sport = cpu_to_be16(40000);
	tw = xtcp_tw_insert(tbl, &st);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tw);
	xtcp_tw_put(tw);

	xtcp_tw_ports(tbl, ports);
	KUNIT_EXPECT_EQ(test, bitmap_weight(ports, 65536), 2U);
	KUNIT_EXPECT_TRUE(test, test_bit(80, ports));
	KUNIT_EXPECT_TRUE(test, test_bit(40000, ports));
}

/* /proc/net/xtcp walks every bucket exactly once, resuming by cursor. */
static void walk_visits_each_bucket_once(struct kunit *test)
{
	struct xtcp_tw_table *tbl = new_table(test, 16, 1000, LEN_MS);
	unsigned int chain = 0, offset = 0, ms, n = 0;
	union xtcp_tw_any st;
	unsigned long *seen;

	seen = kunit_kzalloc(test, BITS_TO_LONGS(300) * sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	insert_n(test, tbl, 0, 300);
	while (xtcp_tw_walk(tbl, &chain, &offset, BIT(XTCP_TW_INET), &st,
			    &ms)) {
		u32 i = st.v4.snd_nxt - 1000;

		KUNIT_ASSERT_LT(test, i, 300U);
		KUNIT_EXPECT_FALSE(test, test_and_set_bit(i, seen));
		KUNIT_EXPECT_LE(test, ms, (unsigned int)(LEN_MS + 1 +
							 LATE_NS / NSEC_PER_MSEC));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 300U);
}

static struct kunit_case timewait_cases[] = {
	KUNIT_CASE(set_len_shortens_new_buckets),
	KUNIT_CASE(set_len_refuses_beyond_wheel),
	KUNIT_CASE(port_busy_matches_port_and_address),
	KUNIT_CASE(port_busy_matches_bound_device),
	KUNIT_CASE(ports_marks_exactly_the_ports_in_use),
	KUNIT_CASE(walk_visits_each_bucket_once),
	KUNIT_CASE(bucket_fits_72_bytes),
	KUNIT_CASE(bucket6_fits_96_bytes),
	KUNIT_CASE(insert6_then_lookup6),
	KUNIT_CASE(expire6_frees_both_layouts),
	KUNIT_CASE(walk_and_ports_by_family),
	KUNIT_CASE(port_busy6_judges_overlap),
	KUNIT_CASE(insert_then_lookup_finds_exact_tuple),
	KUNIT_CASE(lookup_misses_other_tuples),
	KUNIT_CASE(lookup_matches_bound_device),
	KUNIT_CASE(insert_duplicate_tuple_refused),
	KUNIT_CASE(expire_before_2msl_keeps_bucket),
	KUNIT_CASE(expire_after_2msl_frees_bucket),
	KUNIT_CASE(restart_on_retransmitted_fin_extends_life),
	KUNIT_CASE(kill_removes_now),
	KUNIT_CASE(max_buckets_overflow_counted),
	KUNIT_CASE(expiry_work_bounded_per_call),
	KUNIT_CASE(many_buckets_all_expire),
	KUNIT_CASE(expire_after_many_turns_frees_all),
	KUNIT_CASE(destroy_frees_everything_and_stops_timer),
	KUNIT_CASE(real_timer_expires_buckets),
	{}
};

static struct kunit_suite timewait_suite = {
	.name = "xtcp_timewait",
	.test_cases = timewait_cases,
};
XTCP_KUNIT_SUITES(timewait, &timewait_suite);
