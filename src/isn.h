/* SPDX-License-Identifier: GPL-2.0 */
/*
 * isn.h: initial sequence numbers and timestamp offsets (RFC 6528, RFC 7323
 * §5.4, RFC 6191).
 *
 *	ISN    = M + F(local addr, remote addr, local port, remote port, key)
 *	TSval  = ms clock + F'(same tuple, same key)
 *
 * F is SipHash-2-4 under a random key drawn at module load (MUST-9: nobody
 * outside can compute it), M a 4-microsecond clock (MUST-8). For one 4-tuple
 * both values keep growing with time across connections ("incarnations"), so a
 * peer still in TIME-WAIT from our previous connection accepts the new SYN
 * (RFC 6191); different 4-tuples start at unrelated points.
 */
#ifndef _XTCP_ISN_H
#define _XTCP_ISN_H

#include <linux/siphash.h>
#include <linux/types.h>

struct in6_addr;

/* ISN clock: one tick per 2^12 ns, 4.096 us (RFC 6528 §3 suggests 4 us). */
#define XTCP_ISN_CLOCK_SHIFT	12

void xtcp_isn_init(void);
u32 xtcp_isn_seq(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport);
u32 xtcp_isn_ts_off(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport);
u32 xtcp_isn_tsval(u32 ts_off);
/* IPv6 4-tuples, with the same key and clocks. */
u32 xtcp_isn_seq6(const struct in6_addr *laddr, const struct in6_addr *raddr,
		  __be16 lport, __be16 rport);
u32 xtcp_isn_ts_off6(const struct in6_addr *laddr,
		     const struct in6_addr *raddr, __be16 lport, __be16 rport);

#if IS_ENABLED(CONFIG_KUNIT)
/* The same, with the key and the clock handed in. */
u32 xtcp_isn_seq_at(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		    __be16 lport, __be16 rport, u64 now_ns);
u32 xtcp_isn_ts_off_with(const siphash_key_t *key, __be32 laddr,
			 __be32 raddr, __be16 lport, __be16 rport);
u32 xtcp_isn_tsval_at(u32 ts_off, u64 now_ns);
u32 xtcp_isn_seq6_at(const siphash_key_t *key, const struct in6_addr *laddr,
		     const struct in6_addr *raddr, __be16 lport, __be16 rport,
		     u64 now_ns);
u32 xtcp_isn_ts_off6_with(const siphash_key_t *key,
			  const struct in6_addr *laddr,
			  const struct in6_addr *raddr, __be16 lport,
			  __be16 rport);
/* Test hooks: read or replace the module's key. */
void xtcp_isn_get_key(siphash_key_t *key);
void xtcp_isn_set_key(const siphash_key_t *key);
#endif

#endif /* _XTCP_ISN_H */
