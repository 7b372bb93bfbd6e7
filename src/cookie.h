/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cookie.h: SYN cookies (RFC 4987 §3.6), in the format of Linux 6.1's
 * net/ipv4/syncookies.c, so that on the wire a cookie SYN+ACK of xtcp's is
 * one of Linux's.
 *
 * A listener whose SYN queue is full (or net.xtcp.syncookies = 2) keeps no
 * state for a SYN: its SYN+ACK's sequence number is the cookie
 *
 *	ISN = H0(tuple) + peer's ISN + (minute << 24)
 *	      + ((H1(tuple, minute) + mss index) mod 2^24)
 *
 * H0, H1 SipHash under keys drawn once; the minute counts since boot. An ACK
 * whose acknowledgment number minus one is a cookie no older than two minutes
 * rebuilds the connection: the mss index (one of 536, 1300, 1440, 1460) says
 * what MSS the SYN offered. With timestamps, the low six bits of the SYN+ACK's
 * TSval (before the connection's offset) carry the rest of the SYN's options:
 * its window scale (0xf: none), SACK-permitted and ECN, echoed back in TSecr.
 */
#ifndef _XTCP_COOKIE_H
#define _XTCP_COOKIE_H

#include <linux/jiffies.h>
#include <linux/time.h>
#include <linux/types.h>

struct in6_addr;

/* A cookie is valid for this many minutes (MAX_SYNCOOKIE_AGE). */
#define XTCP_COOKIE_MAX_AGE	2
#define XTCP_COOKIE_PERIOD	(60 * HZ)
/* How long after a cookie went out its ACK is looked for. */
#define XTCP_COOKIE_VALID	(XTCP_COOKIE_MAX_AGE * XTCP_COOKIE_PERIOD)

/* What the low bits of a cookie TSval say of the SYN's options. */
struct xtcp_cookie_opts {
	bool wscale_ok;
	u8 snd_wscale;
	bool sack_ok;
	bool ecn_ok;		/* the SYN asked for ECN and we agreed */
};

/*
 * The cookie for a SYN from @saddr:@sport to @daddr:@dport with sequence
 * number @seq. *@mss: the MSS the SYN offered, in; the MSS the cookie keeps
 * (the largest of the table not above it), out.
 */
u32 xtcp_cookie_seq(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		    u32 seq, u16 *mss);
/*
 * An ACK from @saddr:@sport with sequence number @seq and acknowledgment
 * number @cookie + 1: the MSS its cookie keeps, or 0 if it is no cookie of
 * ours, or too old.
 */
u16 xtcp_cookie_check(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
		      u32 seq, u32 cookie);

/*
 * The same for IPv6 (net/ipv6/syncookies.c): keys of their own and the MSS
 * table 1220, 1420, 1440, 8940.
 */
u32 xtcp_cookie_seq6(const struct in6_addr *saddr,
		     const struct in6_addr *daddr, __be16 sport, __be16 dport,
		     u32 seq, u16 *mss);
u16 xtcp_cookie_check6(const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 seq, u32 cookie);

/* The TSval (before the offset) of a cookie SYN+ACK sent at @now_ts. */
u32 xtcp_cookie_tsval(u32 now_ts, const struct xtcp_cookie_opts *o);
/*
 * The options of a TSecr that echoes a cookie TSval (offset taken off), as
 * far as this namespace's sysctls allow them; false if it names one they
 * turn off (cookie_timestamp_decode()).
 */
bool xtcp_cookie_ts_decode(u32 tsecr, bool sack_on, bool wscale_on,
			   struct xtcp_cookie_opts *o);

/*
 * Has the listener that stamped @last_overflow (jiffies) sent a cookie
 * recently enough that an ACK may bear one? As tcp_synq_no_recent_overflow(),
 * with a second's slack for a racing stamp.
 */
static inline bool xtcp_cookie_recent(u32 last_overflow)
{
	u32 now = jiffies;

	return time_between32(now, last_overflow - HZ,
			      last_overflow + XTCP_COOKIE_VALID);
}

/* The stamp to store for a cookie sent now: written at most once a second. */
static inline bool xtcp_cookie_stamp_stale(u32 last_overflow)
{
	u32 now = jiffies;

	return !time_between32(now, last_overflow, last_overflow + HZ);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* The same, with the minute handed in. */
u32 xtcp_cookie_seq_at(__be32 saddr, __be32 daddr, __be16 sport,
		       __be16 dport, u32 seq, u16 *mss, u32 minute);
u16 xtcp_cookie_check_at(__be32 saddr, __be32 daddr, __be16 sport,
			 __be16 dport, u32 seq, u32 cookie, u32 minute);
u32 xtcp_cookie_seq6_at(const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 sport,
			__be16 dport, u32 seq, u16 *mss, u32 minute);
u16 xtcp_cookie_check6_at(const struct in6_addr *saddr,
			  const struct in6_addr *daddr, __be16 sport,
			  __be16 dport, u32 seq, u32 cookie, u32 minute);
#endif

#endif /* _XTCP_COOKIE_H */
