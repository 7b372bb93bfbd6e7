// SPDX-License-Identifier: GPL-2.0
/*
 * isn.c: keyed, clock-driven ISNs and timestamp offsets, modelled on the
 * kernel's secure_tcp_seq_and_ts_off() and secure_tcpv6_seq_and_ts_off()
 * (net/core/secure_seq.c): one SipHash of the 4-tuple gives 64 bits, the low
 * half offsets the ISN and the high half is the timestamp offset, so both are
 * per-tuple and neither reveals the other.
 *
 * Clocks: the ISN clock is wall time (ktime_get_real_ns(), as the kernel's),
 * so that ISNs also grow across a reboot of this host; the timestamp clock is
 * the monotonic millisecond clock the kernel's TCP uses for TSval.
 */
#include <linux/in6.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "isn.h"

/*
 * Written once by xtcp_isn_init() before any socket exists (and by the KUnit
 * hook, which runs with no xtcp connection); read-only afterwards.
 */
static siphash_aligned_key_t isn_key;

/* Call from module init, before the first connection. */
void xtcp_isn_init(void)
{
	get_random_bytes(&isn_key, sizeof(isn_key));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_init);

static u64 tuple_hash(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		      __be16 lport, __be16 rport)
{
	u32 ports = (__force u32)lport << 16 | (__force u32)rport;

	return siphash_3u32((__force u32)laddr, (__force u32)raddr, ports, key);
}

VISIBLE_IF_KUNIT u32 xtcp_isn_seq_at(const siphash_key_t *key, __be32 laddr,
				     __be32 raddr, __be16 lport, __be16 rport,
				     u64 now_ns)
{
	u32 offset = (u32)tuple_hash(key, laddr, raddr, lport, rport);

	return offset + (u32)(now_ns >> XTCP_ISN_CLOCK_SHIFT);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_seq_at);

VISIBLE_IF_KUNIT u32 xtcp_isn_ts_off_with(const siphash_key_t *key,
					  __be32 laddr, __be32 raddr,
					  __be16 lport, __be16 rport)
{
	return tuple_hash(key, laddr, raddr, lport, rport) >> 32;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_ts_off_with);

VISIBLE_IF_KUNIT u32 xtcp_isn_tsval_at(u32 ts_off, u64 now_ns)
{
	return (u32)div_u64(now_ns, NSEC_PER_MSEC) + ts_off;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_tsval_at);

/* ISN for a new connection; addresses and ports of this end first. */
u32 xtcp_isn_seq(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport)
{
	return xtcp_isn_seq_at(&isn_key, laddr, raddr, lport, rport,
			       ktime_get_real_ns());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_seq);

/* Per-connection TSval offset, fixed for the connection's life. */
u32 xtcp_isn_ts_off(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport)
{
	return xtcp_isn_ts_off_with(&isn_key, laddr, raddr, lport, rport);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_ts_off);

/* TSval to send now on a connection with offset @ts_off (1 ms ticks). */
u32 xtcp_isn_tsval(u32 ts_off)
{
	return xtcp_isn_tsval_at(ts_off, ktime_get_ns());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_tsval);

/*
 * IPv6: one SipHash over both addresses and the ports, laid out as
 * secure_tcpv6_seq_and_ts_off() lays them out (36 bytes, network order, so
 * the hash is the same on any machine), this end first as for IPv4.
 */
static u64 tuple_hash6(const siphash_key_t *key, const struct in6_addr *laddr,
		       const struct in6_addr *raddr, __be16 lport,
		       __be16 rport)
{
	const struct {
		struct in6_addr laddr;
		struct in6_addr raddr;
		__be16 lport;
		__be16 rport;
	} __aligned(SIPHASH_ALIGNMENT) combined = {
		.laddr = *laddr,
		.raddr = *raddr,
		.lport = lport,
		.rport = rport,
	};

	return siphash(&combined, offsetofend(typeof(combined), rport), key);
}

VISIBLE_IF_KUNIT u32 xtcp_isn_seq6_at(const siphash_key_t *key,
				      const struct in6_addr *laddr,
				      const struct in6_addr *raddr,
				      __be16 lport, __be16 rport, u64 now_ns)
{
	u32 offset = (u32)tuple_hash6(key, laddr, raddr, lport, rport);

	return offset + (u32)(now_ns >> XTCP_ISN_CLOCK_SHIFT);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_seq6_at);

VISIBLE_IF_KUNIT u32 xtcp_isn_ts_off6_with(const siphash_key_t *key,
					   const struct in6_addr *laddr,
					   const struct in6_addr *raddr,
					   __be16 lport, __be16 rport)
{
	return tuple_hash6(key, laddr, raddr, lport, rport) >> 32;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_ts_off6_with);

/* ISN for a new IPv6 connection: same key, same 4.096 us wall clock. */
u32 xtcp_isn_seq6(const struct in6_addr *laddr, const struct in6_addr *raddr,
		  __be16 lport, __be16 rport)
{
	return xtcp_isn_seq6_at(&isn_key, laddr, raddr, lport, rport,
				ktime_get_real_ns());
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_seq6);

/* Per-connection TSval offset of an IPv6 4-tuple. */
u32 xtcp_isn_ts_off6(const struct in6_addr *laddr,
		     const struct in6_addr *raddr, __be16 lport, __be16 rport)
{
	return xtcp_isn_ts_off6_with(&isn_key, laddr, raddr, lport, rport);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_ts_off6);

#if IS_ENABLED(CONFIG_KUNIT)
void xtcp_isn_get_key(siphash_key_t *key)
{
	memcpy(key, &isn_key, sizeof(*key));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_get_key);

void xtcp_isn_set_key(const siphash_key_t *key)
{
	memcpy(&isn_key, key, sizeof(isn_key));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_set_key);
#endif
