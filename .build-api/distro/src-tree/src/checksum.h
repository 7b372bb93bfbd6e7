/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checksum.h: the TCP checksum over the IPv4 pseudo-header (RFC 9293 §3.1,
 * MUST-2 generate, MUST-3 verify), on linear buffers.
 *
 * The checksum is the 16-bit ones' complement of the ones' complement sum of
 * the pseudo-header (saddr, daddr, zero, protocol 6, TCP length) and the whole
 * segment, header and text, with the checksum field itself counted as zero
 * when generating. A received segment is intact when the same sum, taken with
 * the checksum field as received, folds to zero.
 */
#ifndef _XTCP_CHECKSUM_H
#define _XTCP_CHECKSUM_H

#include <linux/types.h>

struct sk_buff;

__sum16 xtcp_csum(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr);
void xtcp_csum_fill(u8 *seg, unsigned int len, __be32 saddr, __be32 daddr);
bool xtcp_csum_ok(const u8 *seg, unsigned int len, __be32 saddr,
		  __be32 daddr);
bool xtcp_csum_skb_ok(struct sk_buff *skb);

#endif /* _XTCP_CHECKSUM_H */
