// SPDX-License-Identifier: GPL-2.0
/*
 * checksum.c: generate and verify the TCP checksum (MUST-2, MUST-3), over the
 * IPv4 pseudo-header and the IPv6 one (RFC 8200 §8.1).
 *
 * Buffers go through csum_partial() and csum_tcpudp_magic() or
 * csum_ipv6_magic(), the arch-optimised helpers tcp_v4_check() and
 * tcp_v6_check() are made of; sk_buffs through skb_checksum_init() as
 * tcp_v4_rcv() and tcp_v6_rcv() do, so hardware-verified
 * (CHECKSUM_UNNECESSARY, COMPLETE) and locally generated (CHECKSUM_PARTIAL)
 * packets are not summed again.
 */
#include <linux/in.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "checksum.h"
#include "compat.h"
#include "protocol.h"

/**
 * xtcp_csum - fold the pseudo-header and segment sum
 * @seg: the segment, TCP header first
 * @len: header plus text; also the TCP length of the pseudo-header
 * @saddr: IPv4 source, network order
 * @daddr: IPv4 destination, network order
 *
 * Return: the checksum of @seg as it stands, in network order: the value to
 * store if the checksum field is zero, and 0 if the field holds a correct
 * checksum.
 */
__sum16 xtcp_csum(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr)
{
	return csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TCP,
				 csum_partial(seg, len, 0));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum);

/* Generate (MUST-2): zero the field, sum, store. @len >= 20. */
void xtcp_csum_fill(u8 *seg, unsigned int len, __be32 saddr, __be32 daddr)
{
	__sum16 sum;

	memset(seg + XTCP_OFF_CHECK, 0, sizeof(sum));
	sum = xtcp_csum(seg, len, saddr, daddr);
	memcpy(seg + XTCP_OFF_CHECK, &sum, sizeof(sum));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_fill);

/* Verify (MUST-3). */
bool xtcp_csum_ok(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr)
{
	return !xtcp_csum(seg, len, saddr, daddr);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_ok);

/**
 * xtcp_csum_skb_ok - verify the checksum of a received segment
 * @skb: skb->data at the TCP header (the IP header pulled, as
 *	ip_local_deliver_finish() leaves it), network header set, skb->len the
 *	TCP length
 *
 * May sum the packet and mark it verified (skb->csum_valid), as
 * tcp_v4_rcv() followed by tcp_checksum_complete() would.
 */
bool xtcp_csum_skb_ok(struct sk_buff *skb)
{
	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo))
		return false;
	return skb_csum_unnecessary(skb) || !__skb_checksum_complete(skb);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_skb_ok);

/**
 * xtcp_csum6 - fold the IPv6 pseudo-header and segment sum
 * @seg: the segment, TCP header first
 * @len: header plus text; also the upper-layer length of the pseudo-header
 * @saddr: IPv6 source
 * @daddr: IPv6 destination
 *
 * The pseudo-header of RFC 8200 §8.1: both addresses, the 32-bit upper-layer
 * length, three zero bytes and next header 6, as tcp_v6_check() sums it.
 *
 * Return: as xtcp_csum(): the value to store over a zero checksum field, 0
 * for a segment whose field holds a correct checksum.
 */
__sum16 xtcp_csum6(const u8 *seg, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	return csum_ipv6_magic(saddr, daddr, len, IPPROTO_TCP,
			       csum_partial(seg, len, 0));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum6);

/* Generate over IPv6 (MUST-2): zero the field, sum, store. @len >= 20. */
void xtcp_csum_fill6(u8 *seg, unsigned int len, const struct in6_addr *saddr,
		     const struct in6_addr *daddr)
{
	__sum16 sum;

	memset(seg + XTCP_OFF_CHECK, 0, sizeof(sum));
	sum = xtcp_csum6(seg, len, saddr, daddr);
	memcpy(seg + XTCP_OFF_CHECK, &sum, sizeof(sum));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_fill6);

/* Verify over IPv6 (MUST-3). */
bool xtcp_csum_ok6(const u8 *seg, unsigned int len,
		   const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	return !xtcp_csum6(seg, len, saddr, daddr);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_ok6);

/**
 * xtcp_csum_skb_ok6 - verify the checksum of a received IPv6 segment
 * @skb: skb->data at the TCP header, network header at the IPv6 header (its
 *	addresses are the pseudo-header's), skb->len the TCP length
 *
 * As xtcp_csum_skb_ok(), with ip6_compute_pseudo() as tcp_v6_rcv() has it.
 */
bool xtcp_csum_skb_ok6(struct sk_buff *skb)
{
	if (skb_checksum_init(skb, IPPROTO_TCP, ip6_compute_pseudo))
		return false;
	return skb_csum_unnecessary(skb) || !__skb_checksum_complete(skb);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_csum_skb_ok6);
