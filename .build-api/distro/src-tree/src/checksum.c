// SPDX-License-Identifier: GPL-2.0
/*
 * checksum.c: generate and verify the TCP checksum (MUST-2, MUST-3).
 *
 * Buffers go through csum_partial() and csum_tcpudp_magic(), the arch-optimised
 * helpers tcp_v4_check() is made of; sk_buffs through skb_checksum_init() as
 * tcp_v4_rcv() does, so hardware-verified (CHECKSUM_UNNECESSARY, COMPLETE) and
 * locally generated (CHECKSUM_PARTIAL) packets are not summed again.
 */
#include <linux/in.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <net/ip.h>

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
