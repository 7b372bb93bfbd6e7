/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ofo.h: the out-of-order queue, segments that arrived beyond RCV.NXT and wait
 * for the hole before them to fill (RFC 9293 §3.10.7.4, "seventh").
 *
 * An rbtree of skbs by first sequence number, as the kernel's TCP keeps its
 * out_of_order_queue. Insertion drops what is already held and replaces what
 * the new segment covers; a partial overlap stays, to be trimmed when the
 * segment reaches RCV.NXT. The FIN bit travels with its segment, so a FIN that
 * arrives ahead of missing data waits for it.
 *
 * Works on sk_buffs and their XTCP_SKB_CB() only: no socket, no locks (the
 * caller holds the socket's), so KUnit drives it with skbs of its own.
 */
#ifndef _XTCP_OFO_H
#define _XTCP_OFO_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>

#include "protocol.h"

enum xtcp_ofo_result {
	XTCP_OFO_QUEUED,	/* the queue owns the skb now */
	XTCP_OFO_DUPLICATE,	/* all of it is queued already: caller frees */
};

struct xtcp_rcv_sacks;

enum xtcp_ofo_result xtcp_ofo_insert(struct rb_root *q, struct sk_buff *skb,
				     struct xtcp_rcv_sacks *dup);
struct sk_buff *xtcp_ofo_ending_at(struct rb_root *q, u32 seq, u32 end_seq);
struct sk_buff *xtcp_ofo_pop(struct rb_root *q, u32 rcv_nxt);
void xtcp_ofo_purge(struct rb_root *q);

/*
 * The SACK blocks a receiver reports (RFC 2018 §4), kept up to date as
 * segments arrive, as the kernel's TCP keeps selective_acks[]: the block the
 * latest out-of-order segment joined comes first, the others follow by how
 * recently they grew, and a fifth block pushes the oldest out. Each arrival
 * costs a few comparisons, however long the queue.
 */
struct xtcp_rcv_sacks {
	struct xtcp_sack_block blocks[XTCP_MAX_SACKS];
	u8 num;
	/*
	 * A D-SACK block (RFC 2883): text that arrived twice, below RCV.NXT
	 * or in the queue already, reported once, first, on the next ACK and
	 * forgotten (tp->rx_opt.dsack, tp->duplicate_sack[0]).
	 */
	u8 dsack;
	struct xtcp_sack_block dup;
};

void xtcp_sacks_add(struct xtcp_rcv_sacks *s, u32 seq, u32 end_seq);
void xtcp_sacks_remove(struct xtcp_rcv_sacks *s, u32 rcv_nxt);
void xtcp_dsack_extend(struct xtcp_rcv_sacks *s, u32 seq, u32 end_seq);

/* [@seq, @end_seq) arrived twice: the D-SACK block to send (tcp_dsack_set()). */
static inline void xtcp_dsack_set(struct xtcp_rcv_sacks *s, u32 seq,
				  u32 end_seq)
{
	s->dsack = 1;
	s->dup.start = seq;
	s->dup.end = end_seq;
}

/*
 * Forget every block, the D-SACK too (tcp_sack_reset()): a FIN purged the
 * queue, or it was pruned, or the connection starts anew.
 */
static inline void xtcp_sacks_reset(struct xtcp_rcv_sacks *s)
{
	s->num = 0;
	s->dsack = 0;
}

#endif /* _XTCP_OFO_H */
