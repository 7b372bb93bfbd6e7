// SPDX-License-Identifier: GPL-2.0
/*
 * ofo.c: the out-of-order queue (see ofo.h), after tcp_data_queue_ofo() and
 * tcp_ofo_queue() of the kernel's TCP, without their coalescing.
 */
#include "compat.h"
#include "ofo.h"
#include "seq.h"
#include "skb_cb.h"

static u32 seq_of(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->seq;
}

static u32 end_of(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->end_seq;
}

/*
 * Queue @skb, which starts beyond RCV.NXT. Segments it covers whole are freed;
 * a segment that covers it whole means it is a duplicate (the caller frees it
 * and counts it).
 */
enum xtcp_ofo_result xtcp_ofo_insert(struct rb_root *q, struct sk_buff *skb)
{
	struct rb_node **p = &q->rb_node, *parent = NULL;
	u32 seq = seq_of(skb), end = end_of(skb);
	struct sk_buff *skb1;

	while (*p) {
		parent = *p;
		skb1 = rb_to_skb(parent);
		if (xtcp_seq_before(seq, seq_of(skb1))) {
			p = &parent->rb_left;
			continue;
		}
		if (xtcp_seq_before(seq, end_of(skb1))) {
			if (xtcp_seq_leq(end, end_of(skb1)))
				return XTCP_OFO_DUPLICATE;
			if (seq == seq_of(skb1)) {
				/* same start, longer: it takes skb1's place */
				rb_replace_node(&skb1->rbnode, &skb->rbnode, q);
				kfree_skb(skb1);
				goto covered;
			}
			/* a partial overlap: both stay, trimmed at delivery */
		}
		p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, q);
covered:
	/* free what follows and lies within the new segment */
	while ((skb1 = skb_rb_next(skb)) && xtcp_seq_after(end, seq_of(skb1))) {
		if (xtcp_seq_before(end, end_of(skb1)))
			break;
		rb_erase(&skb1->rbnode, q);
		kfree_skb(skb1);
	}
	return XTCP_OFO_QUEUED;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_insert);

/*
 * The first queued segment if it starts at or before @rcv_nxt, taken off the
 * queue: it may still lie wholly before @rcv_nxt (the caller drops it) or
 * overlap it (the caller trims it), as tcp_ofo_queue() does.
 */
struct sk_buff *xtcp_ofo_pop(struct rb_root *q, u32 rcv_nxt)
{
	struct sk_buff *skb = skb_rb_first(q);

	if (!skb || xtcp_seq_after(seq_of(skb), rcv_nxt))
		return NULL;
	rb_erase(&skb->rbnode, q);
	skb->next = NULL;
	skb->prev = NULL;
	skb->dev = NULL;
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_pop);

/* skb_rbtree_purge(), which 6.1 does not export. */
void xtcp_ofo_purge(struct rb_root *q)
{
	struct rb_node *p = rb_first(q);

	while (p) {
		struct sk_buff *skb = rb_to_skb(p);

		p = rb_next(p);
		rb_erase(&skb->rbnode, q);
		kfree_skb(skb);
	}
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_purge);

/*
 * The SACK blocks the queue makes (RFC 2018 §4): each a run of contiguous
 * queued data. The block that holds @recent, the segment that arrived last,
 * goes first (§4: "the first SACK block MUST specify the contiguous block of
 * data containing the segment which triggered this ACK"), then the others from
 * the lowest up, as many as @max allows. Returns how many were written.
 */
unsigned int xtcp_ofo_sacks(const struct rb_root *q, u32 recent,
			    struct xtcp_sack_block *blocks, unsigned int max)
{
	struct xtcp_sack_block b, first = {};
	struct sk_buff *skb = skb_rb_first(q);
	unsigned int n = 0;
	bool have_first = false;

	if (!max)
		return 0;
	while (skb) {
		b.start = seq_of(skb);
		b.end = end_of(skb);
		for (skb = skb_rb_next(skb);
		     skb && xtcp_seq_leq(seq_of(skb), b.end);
		     skb = skb_rb_next(skb))
			if (xtcp_seq_after(end_of(skb), b.end))
				b.end = end_of(skb);
		if (!have_first && xtcp_seq_geq(recent, b.start) &&
		    xtcp_seq_before(recent, b.end)) {
			first = b;
			have_first = true;
			continue;
		}
		/* room for the others: all but the first's slot */
		if (n < max - 1)
			blocks[1 + n++] = b;
	}
	if (have_first) {
		blocks[0] = first;
		return n + 1;
	}
	/* nothing holds @recent: the others move up one slot */
	memmove(blocks, blocks + 1, n * sizeof(*blocks));
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_sacks);
