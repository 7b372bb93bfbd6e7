// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ISNs and timestamp offsets (src/isn.c), RFC 6528 (MUST-8, MUST-9),
 * RFC 6191 (growth across incarnations of one 4-tuple). The clock and the key
 * are handed in, so nothing here depends on timing.
 */
#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/ktime.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>

#include "isn.h"
#include "seq.h"
#include "xtcp.h"
#include "suites.h"

#define TICK_NS		BIT_ULL(XTCP_ISN_CLOCK_SHIFT)

static const siphash_key_t key_a = { { 0x0123456789abcdefull, 0xfedcba9876543210ull } };
static const siphash_key_t key_b = { { 0x0123456789abcdefull, 0xfedcba9876543211ull } };

#define LA	cpu_to_be32(0x0a000001)
#define RA	cpu_to_be32(0x0a000002)
#define LP	cpu_to_be16(40000)
#define RP	cpu_to_be16(80)

static u32 isn(const siphash_key_t *k, u64 t)
{
	return xtcp_isn_seq_at(k, LA, RA, LP, RP, t);
}

/* MUST-8: the ISN follows a clock that ticks every 4.096 us. */
static void must8_isn_advances_with_4us_clock(struct kunit *test)
{
	/* about 50 years of ns, on a tick boundary */
	u64 t = (1000000000ull * 3600 * 24 * 365 * 50) & ~(TICK_NS - 1);
	u32 base = isn(&key_a, t);

	KUNIT_EXPECT_EQ(test, isn(&key_a, t + TICK_NS - 1), base);
	KUNIT_EXPECT_EQ(test, isn(&key_a, t + TICK_NS), base + 1);
	KUNIT_EXPECT_EQ(test, isn(&key_a, t + 250000 * TICK_NS), base + 250000);
}

/* Monotonic for one 4-tuple: later connections get later ISNs, across 2^32. */
static void isn_monotonic_for_one_tuple(struct kunit *test)
{
	u64 t = 0;
	u32 prev = isn(&key_a, t);
	unsigned int i, bad = 0;

	/* steps of ~1 s for ~5.5 hours: the ISN wraps 2^32 at least once */
	for (i = 0; i < 20000; i++) {
		u32 next;

		t += NSEC_PER_SEC + i;
		next = isn(&key_a, t);
		bad += !xtcp_seq_after(next, prev);
		prev = next;
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
	KUNIT_EXPECT_GT(test, t >> XTCP_ISN_CLOCK_SHIFT, 1ull << 32);
}

/*
 * Known answers. The 64-bit hashes were computed outside the kernel with the
 * reference SipHash-2-4 (checked against the paper's test vectors) over the
 * 12 bytes xtcp hashes on a little-endian machine: local address, remote
 * address, remote port, local port, each in network order (siphash_3u32()
 * of laddr, raddr and lport << 16 | rport as stored). The kernel's generic
 * siphash() over those bytes must agree, and xtcp's ISN must be exactly the
 * low half plus the 4.096 us clock, modulo 2^32; its timestamp offset exactly
 * the high half.
 */
static const struct isn_vector {
	const siphash_key_t *key;
	u8 bytes[12];
	__be32 laddr, raddr;
	__be16 lport, rport;
	u64 hash;
	u64 now_ns;
	u32 isn;
} isn_vectors[] = {
	/* 10.0.0.1:40000 -> 10.0.0.2:80 at t = 0, 1 s, 2^44 - 1 ns, 2^44 + 4095 ns */
	{ &key_a, { 10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0x9c, 0x40 },
	  LA, RA, LP, RP, 0x3373f9e340241ef2ull, 0, 0x40241ef2 },
	/* + 10^9 >> 12 = 244140 ticks */
	{ &key_a, { 10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0x9c, 0x40 },
	  LA, RA, LP, RP, 0x3373f9e340241ef2ull, NSEC_PER_SEC, 0x4027d89e },
	/* 2^32 - 1 ticks: one below the offset */
	{ &key_a, { 10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0x9c, 0x40 },
	  LA, RA, LP, RP, 0x3373f9e340241ef2ull, BIT_ULL(44) - 1, 0x40241ef1 },
	/* 2^32 ticks: the clock term wraps to 0 */
	{ &key_a, { 10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 0x9c, 0x40 },
	  LA, RA, LP, RP, 0x3373f9e340241ef2ull, BIT_ULL(44) + 4095, 0x40241ef2 },
	/*
	 * 192.168.1.20:80 -> 10.0.0.2:51234 under key_b at 1700000000 s of wall
	 * time: 1.7e18 >> 12 = 415039062500000 ticks = 0xcfe362a0 mod 2^32,
	 * plus 0xf5ce4615 is 0xc5b1a8b5 mod 2^32.
	 */
	{ &key_b, { 192, 168, 1, 20, 10, 0, 0, 2, 0xc8, 0x22, 0, 80 },
	  cpu_to_be32(0xc0a80114), RA, cpu_to_be16(80), cpu_to_be16(51234),
	  0xc1a52d0df5ce4615ull, 1700000000ull * NSEC_PER_SEC, 0xc5b1a8b5 },
};

static void isn_known_answers(struct kunit *test)
{
	unsigned int i;

	/*
	 * siphash_3u32() of the raw big-endian words lays the bytes out as
	 * above only on a little-endian machine; elsewhere the answers differ.
	 */
	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		kunit_skip(test, "known answers are for a little-endian machine");

	for (i = 0; i < ARRAY_SIZE(isn_vectors); i++) {
		const struct isn_vector *v = &isn_vectors[i];

		KUNIT_EXPECT_EQ_MSG(test, siphash(v->bytes, sizeof(v->bytes), v->key),
				    v->hash, "vector %u: reference hash", i);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_isn_seq_at(v->key, v->laddr, v->raddr,
							  v->lport, v->rport, v->now_ns),
				    v->isn, "vector %u: ISN", i);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_isn_ts_off_with(v->key, v->laddr, v->raddr,
							       v->lport, v->rport),
				    (u32)(v->hash >> 32), "vector %u: timestamp offset", i);
	}
}

/* Each element of the 4-tuple, and its direction, changes the ISN. */
static void isn_differs_across_4tuples(struct kunit *test)
{
	const u64 t = 42;
	u32 base = isn(&key_a, t);

	KUNIT_EXPECT_NE(test, xtcp_isn_seq_at(&key_a, cpu_to_be32(0x0a000003), RA, LP, RP, t),
			base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq_at(&key_a, LA, cpu_to_be32(0x0a000003), LP, RP, t),
			base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq_at(&key_a, LA, RA, cpu_to_be16(40001), RP, t),
			base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq_at(&key_a, LA, RA, LP, cpu_to_be16(81), t),
			base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq_at(&key_a, RA, LA, RP, LP, t), base);
}

/* Neighbouring ports land far apart: no visible structure (MUST-9). */
static void isn_spread_over_ports(struct kunit *test)
{
	unsigned int port, close = 0;
	u32 prev = isn(&key_a, 0);

	for (port = 1; port < 1000; port++) {
		u32 v = xtcp_isn_seq_at(&key_a, LA, RA, cpu_to_be16(port), RP, 0);

		close += (u32)(v - prev) < 0x10000 || (u32)(prev - v) < 0x10000;
		prev = v;
	}
	/* ~1000 * 2^17 / 2^32 = 0.03 expected by chance */
	KUNIT_EXPECT_LE(test, close, 2u);
}

/* MUST-9: the secret changes everything, ISN and timestamp offset alike. */
static void must9_isn_differs_across_secrets(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, isn(&key_a, 0), isn(&key_b, 0));
	KUNIT_EXPECT_NE(test, isn(&key_a, 1ull << 40), isn(&key_b, 1ull << 40));
	KUNIT_EXPECT_NE(test, xtcp_isn_ts_off_with(&key_a, LA, RA, LP, RP),
			xtcp_isn_ts_off_with(&key_b, LA, RA, LP, RP));
}

/* MUST-9: the module draws a key at load (xtcp_isn_init() from module init). */
static void must9_module_key_is_random(struct kunit *test)
{
	siphash_key_t k;

	xtcp_isn_get_key(&k);
	KUNIT_EXPECT_FALSE_MSG(test, siphash_key_is_zero(&k),
			       "xtcp_isn_init() was not called at module load");
}

/* The live path uses the module key and the wall clock, through the hook. */
static void isn_live_path_uses_key_and_clock(struct kunit *test)
{
	siphash_key_t saved;
	u64 before, after;
	u32 lo, hi, got;

	xtcp_isn_get_key(&saved);
	xtcp_isn_set_key(&key_a);
	before = ktime_get_real_ns();
	got = xtcp_isn_seq(LA, RA, LP, RP);
	after = ktime_get_real_ns();
	KUNIT_EXPECT_EQ(test, xtcp_isn_ts_off(LA, RA, LP, RP),
			xtcp_isn_ts_off_with(&key_a, LA, RA, LP, RP));
	xtcp_isn_set_key(&saved);

	lo = isn(&key_a, before);
	hi = isn(&key_a, after);
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(got, lo, hi));
}

/* The timestamp offset is per 4-tuple, and fixed for it. */
static void ts_off_per_tuple(struct kunit *test)
{
	u32 a = xtcp_isn_ts_off_with(&key_a, LA, RA, LP, RP);

	KUNIT_EXPECT_NE(test, a, xtcp_isn_ts_off_with(&key_a, LA, RA, cpu_to_be16(40001),
						      RP));
	KUNIT_EXPECT_NE(test, a, xtcp_isn_ts_off_with(&key_a, RA, LA, RP, LP));
	/* and unrelated to the ISN offset from the same hash */
	KUNIT_EXPECT_NE(test, a, isn(&key_a, 0));
}

/* TSval: 1 ms ticks from the offset, wrapping modulo 2^32. */
static void tsval_millisecond_clock(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_isn_tsval_at(100, 0), 100u);
	KUNIT_EXPECT_EQ(test, xtcp_isn_tsval_at(100, NSEC_PER_MSEC - 1), 100u);
	KUNIT_EXPECT_EQ(test, xtcp_isn_tsval_at(100, NSEC_PER_MSEC), 101u);
	KUNIT_EXPECT_EQ(test, xtcp_isn_tsval_at(0xFFFFFFFFu, 2 * NSEC_PER_MSEC), 1u);
}

/*
 * RFC 6191: a peer still in TIME-WAIT from our last connection on the same
 * 4-tuple admits our new SYN if its sequence number or its TSval is beyond
 * the old connection's. Both grow with time for a given tuple: a connection
 * at t0 and the next at t0 + 1 s (a short-lived one sent under 250 KB).
 */
static void rfc6191_isn_and_tsval_grow_across_incarnations(struct kunit *test)
{
	u64 t0 = 5ull * NSEC_PER_SEC, t1 = t0 + NSEC_PER_SEC;
	u32 off = xtcp_isn_ts_off_with(&key_a, LA, RA, LP, RP);
	u32 old_isn = isn(&key_a, t0), new_isn = isn(&key_a, t1);

	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(new_isn, old_isn + 200000));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(xtcp_isn_tsval_at(off, t1),
					       xtcp_isn_tsval_at(off, t0)));
	KUNIT_EXPECT_EQ(test, xtcp_isn_tsval_at(off, t1) - xtcp_isn_tsval_at(off, t0),
			1000u);
}

/*
 * --- IPv6 4-tuples ---
 *
 * Known answers from the same host SipHash-2-4 (it gives the paper's vectors
 * and the IPv4 hash above) over the 36 bytes secure_tcpv6_seq_and_ts_off()
 * hashes: local address, remote address, local port, remote port, each in
 * network order. Byte order independent: no skip on big-endian machines.
 */
#define LA6_INIT { { { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } }
#define RA6_INIT { { { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } }

static const struct in6_addr la6 = LA6_INIT;
static const struct in6_addr ra6 = RA6_INIT;

static u32 isn6(const siphash_key_t *k, u64 t)
{
	return xtcp_isn_seq6_at(k, &la6, &ra6, LP, RP, t);
}

static const struct isn6_vector {
	const siphash_key_t *key;
	struct in6_addr laddr, raddr;
	__be16 lport, rport;
	u64 hash;
	u64 now_ns;
	u32 isn;
} isn6_vectors[] = {
	/* [fd77::1]:40000 -> [fd77::2]:80 at t = 0, 1 s, 2^44 + 4095 ns */
	{ &key_a, LA6_INIT, RA6_INIT, LP, RP, 0xa27f0fd0794d904aull, 0, 0x794d904a },
	{ &key_a, LA6_INIT, RA6_INIT, LP, RP, 0xa27f0fd0794d904aull, NSEC_PER_SEC, 0x795149f6 },
	{ &key_a, LA6_INIT, RA6_INIT, LP, RP, 0xa27f0fd0794d904aull, BIT_ULL(44) + 4095,
	  0x794d904a },
	/* [2001:db8::20]:80 -> [2001:db8:0:1::2]:51234 under key_b at 1.7e9 s */
	{ &key_b,
	  { { { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20 } } },
	  { { { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2 } } },
	  cpu_to_be16(80), cpu_to_be16(51234), 0xa497c5906a83430cull,
	  1700000000ull * NSEC_PER_SEC, 0x3a66a5ac },
	/* [::ffff:10.0.0.1]:40000 -> [::ffff:10.0.0.2]:80 */
	{ &key_a,
	  { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1 } } },
	  { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2 } } },
	  LP, RP, 0x02aeece48a47fc84ull, 0, 0x8a47fc84 },
};

static void isn6_known_answers(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isn6_vectors); i++) {
		const struct isn6_vector *v = &isn6_vectors[i];

		KUNIT_EXPECT_EQ_MSG(test, xtcp_isn_seq6_at(v->key, &v->laddr, &v->raddr,
							   v->lport, v->rport, v->now_ns),
				    v->isn, "vector %u: ISN", i);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_isn_ts_off6_with(v->key, &v->laddr,
								&v->raddr, v->lport,
								v->rport),
				    (u32)(v->hash >> 32), "vector %u: timestamp offset", i);
	}
}

/* MUST-8 over IPv6: the same 4.096 us clock, monotonic for one tuple. */
static void must8_isn6_advances_with_4us_clock(struct kunit *test)
{
	u64 t = (1000000000ull * 3600 * 24 * 365 * 50) & ~(TICK_NS - 1);
	u32 base = isn6(&key_a, t), prev;
	unsigned int i, bad = 0;

	KUNIT_EXPECT_EQ(test, isn6(&key_a, t + TICK_NS - 1), base);
	KUNIT_EXPECT_EQ(test, isn6(&key_a, t + TICK_NS), base + 1);
	KUNIT_EXPECT_EQ(test, isn6(&key_a, t + 250000 * TICK_NS), base + 250000);

	prev = base;
	for (i = 0; i < 20000; i++) {
		u32 next;

		t += NSEC_PER_SEC + i;
		next = isn6(&key_a, t);
		bad += !xtcp_seq_after(next, prev);
		prev = next;
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
}

/*
 * Every byte of both addresses, each port, and the direction change the ISN
 * and the timestamp offset; a v4-mapped tuple is not hashed as its IPv4 twin
 * (a mapped connection asks xtcp_isn_seq() instead, as tcp_v4_connect()).
 */
static void isn6_differs_across_4tuples(struct kunit *test)
{
	const u64 t = 42;
	u32 base = isn6(&key_a, t);
	u32 off = xtcp_isn_ts_off6_with(&key_a, &la6, &ra6, LP, RP);
	unsigned int i, same = 0, same_off = 0;
	struct in6_addr m1, m2;

	for (i = 0; i < 16; i++) {
		struct in6_addr l = la6, r = ra6;

		l.s6_addr[i] ^= 0x10;
		r.s6_addr[i] ^= 0x01;
		same += xtcp_isn_seq6_at(&key_a, &l, &ra6, LP, RP, t) == base;
		same += xtcp_isn_seq6_at(&key_a, &la6, &r, LP, RP, t) == base;
		same_off += xtcp_isn_ts_off6_with(&key_a, &l, &ra6, LP, RP) == off;
		same_off += xtcp_isn_ts_off6_with(&key_a, &la6, &r, LP, RP) == off;
	}
	KUNIT_EXPECT_EQ(test, same, 0u);
	KUNIT_EXPECT_EQ(test, same_off, 0u);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq6_at(&key_a, &la6, &ra6, cpu_to_be16(40001), RP,
					       t), base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq6_at(&key_a, &la6, &ra6, LP, cpu_to_be16(81), t),
			base);
	/* swapped ports alone, and the whole tuple seen from the other end */
	KUNIT_EXPECT_NE(test, xtcp_isn_seq6_at(&key_a, &la6, &ra6, RP, LP, t), base);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq6_at(&key_a, &ra6, &la6, RP, LP, t), base);

	ipv6_addr_set_v4mapped(LA, &m1);
	ipv6_addr_set_v4mapped(RA, &m2);
	KUNIT_EXPECT_NE(test, xtcp_isn_seq6_at(&key_a, &m1, &m2, LP, RP, t),
			xtcp_isn_seq_at(&key_a, LA, RA, LP, RP, t));
}

/* MUST-9 over IPv6: the secret changes the ISN and the timestamp offset. */
static void must9_isn6_differs_across_secrets(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, isn6(&key_a, 0), isn6(&key_b, 0));
	KUNIT_EXPECT_NE(test, xtcp_isn_ts_off6_with(&key_a, &la6, &ra6, LP, RP),
			xtcp_isn_ts_off6_with(&key_b, &la6, &ra6, LP, RP));
}

/* The live IPv6 calls use the module key and the wall clock. */
static void isn6_live_path_uses_key_and_clock(struct kunit *test)
{
	siphash_key_t saved;
	u64 before, after;
	u32 got, off;

	xtcp_isn_get_key(&saved);
	xtcp_isn_set_key(&key_a);
	before = ktime_get_real_ns();
	got = xtcp_isn_seq6(&la6, &ra6, LP, RP);
	after = ktime_get_real_ns();
	off = xtcp_isn_ts_off6(&la6, &ra6, LP, RP);
	xtcp_isn_set_key(&saved);

	KUNIT_EXPECT_EQ(test, off, xtcp_isn_ts_off6_with(&key_a, &la6, &ra6, LP, RP));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(got, isn6(&key_a, before),
						 isn6(&key_a, after)));
}

/*
 * xtcp_ts_off() and xtcp_ts_off6(), what the stack sends: the 4-tuple's
 * offset while net.ipv4.tcp_timestamps (or its net.xtcp override) is 1, none
 * at 2 (timestamps without random offsets) or 0, as secure_tcp_ts_off()
 * and secure_tcpv6_ts_off() give. The override is put back whatever fails.
 */
static void ts_off_follows_the_sysctl(struct kunit *test)
{
	struct xtcp_net *xn = xtcp_net(&init_net);
	int saved = READ_ONCE(xn->timestamps), v;

	WRITE_ONCE(xn->timestamps, 1);
	KUNIT_EXPECT_EQ(test, xtcp_ts_off(&init_net, LA, RA, LP, RP),
			xtcp_isn_ts_off(LA, RA, LP, RP));
	KUNIT_EXPECT_EQ(test, xtcp_ts_off6(&init_net, &la6, &ra6, LP, RP),
			xtcp_isn_ts_off6(&la6, &ra6, LP, RP));
	/* not 0 by chance for both: the offsets are 32 random bits */
	KUNIT_EXPECT_NE(test, xtcp_ts_off(&init_net, LA, RA, LP, RP) |
			xtcp_ts_off6(&init_net, &la6, &ra6, LP, RP), 0U);
	for (v = 0; v <= 2; v += 2) {
		WRITE_ONCE(xn->timestamps, v);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_ts_off(&init_net, LA, RA, LP, RP),
				    0U, "tcp_timestamps %d", v);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_ts_off6(&init_net, &la6, &ra6, LP,
						       RP),
				    0U, "tcp_timestamps %d", v);
	}
	WRITE_ONCE(xn->timestamps, saved);
}

static struct kunit_case isn_cases[] = {
	KUNIT_CASE(must8_isn_advances_with_4us_clock),
	KUNIT_CASE(isn_monotonic_for_one_tuple),
	KUNIT_CASE(isn_known_answers),
	KUNIT_CASE(isn_differs_across_4tuples),
	KUNIT_CASE(isn_spread_over_ports),
	KUNIT_CASE(must9_isn_differs_across_secrets),
	KUNIT_CASE(must9_module_key_is_random),
	KUNIT_CASE(isn_live_path_uses_key_and_clock),
	KUNIT_CASE(ts_off_per_tuple),
	KUNIT_CASE(tsval_millisecond_clock),
	KUNIT_CASE(rfc6191_isn_and_tsval_grow_across_incarnations),
	KUNIT_CASE(isn6_known_answers),
	KUNIT_CASE(must8_isn6_advances_with_4us_clock),
	KUNIT_CASE(isn6_differs_across_4tuples),
	KUNIT_CASE(must9_isn6_differs_across_secrets),
	KUNIT_CASE(isn6_live_path_uses_key_and_clock),
	KUNIT_CASE(ts_off_follows_the_sysctl),
	{}
};

static struct kunit_suite isn_suite = {
	.name = "xtcp_isn",
	.test_cases = isn_cases,
};
XTCP_KUNIT_SUITES(isn, &isn_suite);
