// SPDX-License-Identifier: GPL-2.0
/*
 * cookie.c: SYN cookies, as net/ipv4/syncookies.c and net/ipv6/syncookies.c
 * make and check them (cookie.h). xtcp keeps its own keys rather than the
 * kernel's: those are private to a kernel that may not even be built with CONFIG_SYN_COOKIES, and
 * only we ever check what we made.
 */
#include <linux/bits.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <linux/stddef.h>

#include "compat.h"
#include "cookie.h"

#define COOKIE_BITS	24	/* the upper 8 bits keep the minute */
#define COOKIE_MASK	(((u32)1 << COOKIE_BITS) - 1)

/*
 * In a cookie TSval's low bits (syncookies.c's TS_OPT_*).
 */
#define TS_OPT_WSCALE_MASK	0xf
#define TS_OPT_SACK		BIT(4)
#define TS_OPT_ECN		BIT(5)
#define TS_BITS			6

static siphash_aligned_key_t cookie_keys[2];

/*
 * The MSS a cookie can say, sorted (Alcock and Nelson's 2011 survey, as
 * syncookies.c's msstab): most SYNs offer 1460, 1300-odd behind tunnels,
 * 1440/1452 behind PPPoE, and 536 is the floor.
 */
static const u16 msstab[] = { 536, 1300, 1440, 1460 };

/*
 * IPv6's own keys and table (net/ipv6/syncookies.c's syncookie6_secret and
 * msstab): 1220 is IPV6_MIN_MTU less 60, then 1480, 1500 and 9000 less 60.
 */
static siphash_aligned_key_t cookie6_keys[2];
static const u16 msstab6[] = { 1220, 1420, 1440, 8940 };

static u32 cookie_hash(__be32 saddr, __be32 daddr, __be16 sport,
		       __be16 dport, u32 count, int c)
{
	net_get_random_once(cookie_keys, sizeof(cookie_keys));
	return siphash_4u32((__force u32)saddr, (__force u32)daddr,
			    (__force u32)sport << 16 | (__force u32)dport,
			    count, &cookie_keys[c]);
}

/* Minutes since boot (tcp_cookie_time()). */
static u32 cookie_minute(void)
{
	u64 val = get_jiffies_64();

	do_div(val, XTCP_COOKIE_PERIOD);
	return val;
}

/*
 * The arithmetic both versions share (cookie_v4_init_sequence()'s
 * secure_tcp_syn_cookie()): the SYN's sequence number and the first hash,
 * the minute above COOKIE_BITS, and below them the MSS index plus the
 * second hash (of that minute).
 */
static u32 cookie_make(u32 h0, u32 h1, u32 seq, u32 minute, u32 idx)
{
	return h0 + seq + (minute << COOKIE_BITS) + ((h1 + idx) & COOKIE_MASK);
}

/*
 * Undo cookie_make()'s first part: @cookie less the first hash and the
 * SYN's sequence number (the ACK's less one) keeps (H1 + index) mod 2^24
 * below COOKIE_BITS; returns how many minutes before @minute it was made
 * (XTCP_COOKIE_MAX_AGE or more: too old to take).
 */
static u32 cookie_age(u32 *cookie, u32 h0, u32 seq, u32 minute)
{
	*cookie -= h0 + seq - 1;
	return (minute - (*cookie >> COOKIE_BITS)) & ((u32)-1 >> COOKIE_BITS);
}

/* The MSS of @tab the rest of the cookie names, less @h1 of its minute; or 0. */
static u16 cookie_mss(u32 cookie, u32 h1, const u16 *tab, unsigned int n)
{
	u32 idx = (cookie - h1) & COOKIE_MASK;

	return idx < n ? tab[idx] : 0;
}

/* The index of the largest MSS of @tab not above *@mss, which becomes it. */
static unsigned int mss_index(const u16 *tab, unsigned int n, u16 *mss)
{
	unsigned int i;

	for (i = n - 1; i; i--)
		if (*mss >= tab[i])
			break;
	*mss = tab[i];
	return i;
}

VISIBLE_IF_KUNIT u32 xtcp_cookie_seq_at(__be32 saddr, __be32 daddr,
					__be16 sport, __be16 dport, u32 seq,
					u16 *mss, u32 minute)
{
	u32 i = mss_index(msstab, ARRAY_SIZE(msstab), mss);

	return cookie_make(cookie_hash(saddr, daddr, sport, dport, 0, 0),
			   cookie_hash(saddr, daddr, sport, dport, minute, 1),
			   seq, minute, i);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_seq_at);

u32 xtcp_cookie_seq(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		    u32 seq, u16 *mss)
{
	return xtcp_cookie_seq_at(saddr, daddr, sport, dport, seq, mss,
				  cookie_minute());
}

VISIBLE_IF_KUNIT u16 xtcp_cookie_check_at(__be32 saddr, __be32 daddr,
					  __be16 sport, __be16 dport, u32 seq,
					  u32 cookie, u32 minute)
{
	u32 diff = cookie_age(&cookie,
			      cookie_hash(saddr, daddr, sport, dport, 0, 0),
			      seq, minute);

	if (diff >= XTCP_COOKIE_MAX_AGE)
		return 0;
	return cookie_mss(cookie, cookie_hash(saddr, daddr, sport, dport,
					      minute - diff, 1),
			  msstab, ARRAY_SIZE(msstab));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_check_at);

u16 xtcp_cookie_check(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 seq, u32 cookie)
{
	return xtcp_cookie_check_at(saddr, daddr, sport, dport, seq, cookie,
				    cookie_minute());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_check);

/*
 * IPv6 (net/ipv6/syncookies.c): SipHash over the 40 bytes
 * {saddr, daddr, count, sport, dport} of struct cookie6_tuple, under the
 * IPv6 keys; the cookie's arithmetic is IPv4's (cookie_make()).
 */
struct cookie6_tuple {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u32 count;
	__be16 sport;
	__be16 dport;
} __aligned(SIPHASH_ALIGNMENT);

static u32 cookie_hash6(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 sport,
			__be16 dport, u32 count, int c)
{
	const struct cookie6_tuple t = {
		.saddr = *saddr,
		.daddr = *daddr,
		.count = count,
		.sport = sport,
		.dport = dport,
	};

	net_get_random_once(cookie6_keys, sizeof(cookie6_keys));
	return siphash(&t, offsetofend(struct cookie6_tuple, dport),
		       &cookie6_keys[c]);
}

VISIBLE_IF_KUNIT u32 xtcp_cookie_seq6_at(const struct in6_addr *saddr,
					 const struct in6_addr *daddr,
					 __be16 sport, __be16 dport, u32 seq,
					 u16 *mss, u32 minute)
{
	u32 i = mss_index(msstab6, ARRAY_SIZE(msstab6), mss);

	return cookie_make(cookie_hash6(saddr, daddr, sport, dport, 0, 0),
			   cookie_hash6(saddr, daddr, sport, dport, minute, 1),
			   seq, minute, i);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_seq6_at);

/* __cookie_v6_init_sequence(): the cookie for an IPv6 SYN. */
u32 xtcp_cookie_seq6(const struct in6_addr *saddr,
		     const struct in6_addr *daddr, __be16 sport, __be16 dport,
		     u32 seq, u16 *mss)
{
	return xtcp_cookie_seq6_at(saddr, daddr, sport, dport, seq, mss,
				   cookie_minute());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_seq6);

VISIBLE_IF_KUNIT u16 xtcp_cookie_check6_at(const struct in6_addr *saddr,
					   const struct in6_addr *daddr,
					   __be16 sport, __be16 dport,
					   u32 seq, u32 cookie, u32 minute)
{
	u32 diff = cookie_age(&cookie,
			      cookie_hash6(saddr, daddr, sport, dport, 0, 0),
			      seq, minute);

	if (diff >= XTCP_COOKIE_MAX_AGE)
		return 0;
	return cookie_mss(cookie, cookie_hash6(saddr, daddr, sport, dport,
					       minute - diff, 1),
			  msstab6, ARRAY_SIZE(msstab6));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_check6_at);

/* __cookie_v6_check(): the MSS an IPv6 ACK's cookie keeps, or 0. */
u16 xtcp_cookie_check6(const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 seq, u32 cookie)
{
	return xtcp_cookie_check6_at(saddr, daddr, sport, dport, seq, cookie,
				     cookie_minute());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_check6);

/*
 * cookie_init_timestamp(): the options in the low bits, and never a TSval
 * ahead of the clock (the connection's later ones would then go backwards).
 */
u32 xtcp_cookie_tsval(u32 now_ts, const struct xtcp_cookie_opts *o)
{
	u32 options = o->wscale_ok ? o->snd_wscale : TS_OPT_WSCALE_MASK;
	u32 ts;

	if (o->sack_ok)
		options |= TS_OPT_SACK;
	if (o->ecn_ok)
		options |= TS_OPT_ECN;
	ts = (now_ts >> TS_BITS) << TS_BITS | options;
	if (ts > now_ts)
		ts -= 1U << TS_BITS;
	return ts;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_tsval);

bool xtcp_cookie_ts_decode(u32 tsecr, bool sack_on, bool wscale_on,
			   struct xtcp_cookie_opts *o)
{
	o->sack_ok = tsecr & TS_OPT_SACK;
	o->ecn_ok = tsecr & TS_OPT_ECN;		/* the caller asks the sysctl */
	o->wscale_ok = false;
	o->snd_wscale = 0;
	if (o->sack_ok && !sack_on)
		return false;
	if ((tsecr & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK)
		return true;	/* the SYN offered no window scale */
	o->wscale_ok = true;
	o->snd_wscale = tsecr & TS_OPT_WSCALE_MASK;
	return wscale_on;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_ts_decode);
