/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checksum.h: the TCP checksum over the IPv4 pseudo-header (RFC 9293 §3.1,
 * MUST-2 generate, MUST-3 verify) and the IPv6 one (RFC 8200 §8.1), on linear
 * buffers and received sk_buffs.
 *
 * The checksum is the 16-bit ones' complement of the ones' complement sum of
 * the pseudo-header (IPv4: saddr, daddr, zero, protocol 6, 16-bit TCP length;
 * IPv6: saddr, daddr, 32-bit upper-layer length, three zero bytes, next
 * header 6) and the whole
 * segment, header and text, with the checksum field itself counted as zero
 * when generating. A received segment is intact when the same sum, taken with
 * the checksum field as received, folds to zero.
 */
#ifndef _XTCP_CHECKSUM_H
#define _XTCP_CHECKSUM_H

#include <linux/types.h>

struct in6_addr;
struct sk_buff;

__sum16 xtcp_csum(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr);
void xtcp_csum_fill(u8 *seg, unsigned int len, __be32 saddr, __be32 daddr);
bool xtcp_csum_ok(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr);
bool xtcp_csum_skb_ok(struct sk_buff *skb);

__sum16 xtcp_csum6(const u8 *seg, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr);
void xtcp_csum_fill6(u8 *seg, unsigned int len, const struct in6_addr *saddr,
		     const struct in6_addr *daddr);
bool xtcp_csum_ok6(const u8 *seg, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr);
bool xtcp_csum_skb_ok6(struct sk_buff *skb);

#endif /* _XTCP_CHECKSUM_H */
