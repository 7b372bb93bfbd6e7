// SPDX-License-Identifier: GPL-2.0
/*
 * ofo.c: the out-of-order queue (see ofo.h), after tcp_data_queue_ofo() and
 * tcp_ofo_queue() of the kernel's TCP (the caller coalesces a segment into
 * the one it continues, found by xtcp_ofo_ending_at()); and the SACK blocks a
 * receiver reports, as tcp_sack_new_ofo_skb() and tcp_sack_remove() keep
 * them.
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
 * and counts it). What it repeats of the queue goes into @dup's D-SACK block
 * (unless @dup is NULL), by tcp_data_queue_ofo()'s calls: a duplicate whole,
 * or the overlap with the segment it starts inside (set anew), then what it
 * replaces or reaches into after (extended).
 */
enum xtcp_ofo_result xtcp_ofo_insert(struct rb_root *q, struct sk_buff *skb,
				     struct xtcp_rcv_sacks *dup)
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
			if (xtcp_seq_leq(end, end_of(skb1))) {
				if (dup)
					xtcp_dsack_set(dup, seq, end);
				return XTCP_OFO_DUPLICATE;
			}
			if (seq == seq_of(skb1)) {
				/* same start, longer: it takes skb1's place */
				rb_replace_node(&skb1->rbnode, &skb->rbnode, q);
				if (dup)
					xtcp_dsack_extend(dup, seq, end_of(skb1));
				kfree_skb(skb1);
				goto covered;
			}
			/* a partial overlap: both stay, trimmed at delivery */
			if (dup)
				xtcp_dsack_set(dup, seq, end_of(skb1));
		}
		p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, q);
covered:
	/* free what follows and lies within the new segment */
	while ((skb1 = skb_rb_next(skb)) && xtcp_seq_after(end, seq_of(skb1))) {
		if (xtcp_seq_before(end, end_of(skb1))) {
			if (dup)
				xtcp_dsack_extend(dup, seq_of(skb1), end);
			break;
		}
		if (dup)
			xtcp_dsack_extend(dup, seq_of(skb1), end_of(skb1));
		rb_erase(&skb1->rbnode, q);
		kfree_skb(skb1);
	}
	return XTCP_OFO_QUEUED;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_insert);

/*
 * The queued segment that [@seq, @end_seq) continues: one that ends exactly
 * at @seq, among those on the search path for @seq (as tcp_data_queue_ofo()
 * tries ooo_last_skb and the nodes it walks past), and whose successor starts
 * at or after @end_seq, so that joining them overlaps nothing. NULL if none.
 * O(log n).
 */
struct sk_buff *xtcp_ofo_ending_at(struct rb_root *q, u32 seq, u32 end_seq)
{
	struct rb_node *p = q->rb_node;

	while (p) {
		struct sk_buff *skb = rb_to_skb(p), *next;

		if (!xtcp_seq_before(seq_of(skb), seq)) {
			p = p->rb_left;
			continue;
		}
		if (end_of(skb) == seq) {
			next = skb_rb_next(skb);
			return next && xtcp_seq_before(seq_of(next), end_seq) ?
			       NULL : skb;
		}
		p = p->rb_right;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_ending_at);

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

/* [@seq, @end_seq) touches or overlaps @b: @b grows to cover it (tcp_sack_extend()). */
static bool sack_extend(struct xtcp_sack_block *b, u32 seq, u32 end_seq)
{
	if (xtcp_seq_after(seq, b->end) || xtcp_seq_after(b->start, end_seq))
		return false;
	if (xtcp_seq_before(seq, b->start))
		b->start = seq;
	if (xtcp_seq_after(end_seq, b->end))
		b->end = end_seq;
	return true;
}

/*
 * More of the same arrival repeats what is held: the D-SACK block grows over
 * it if it touches it, or starts with it if there is none (tcp_dsack_extend()).
 */
void xtcp_dsack_extend(struct xtcp_rcv_sacks *s, u32 seq, u32 end_seq)
{
	if (!s->dsack)
		xtcp_dsack_set(s, seq, end_seq);
	else
		sack_extend(&s->dup, seq, end_seq);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_dsack_extend);

/* The first block grew: it swallows the others it now reaches (tcp_sack_maybe_coalesce()). */
static void sack_coalesce(struct xtcp_rcv_sacks *s)
{
	unsigned int i = 1, j;

	while (i < s->num) {
		if (!sack_extend(&s->blocks[0], s->blocks[i].start,
				 s->blocks[i].end)) {
			i++;
			continue;
		}
		s->num--;
		for (j = i; j < s->num; j++)
			s->blocks[j] = s->blocks[j + 1];
	}
}

/*
 * [@seq, @end_seq) was queued out of order (tcp_sack_new_ofo_skb()): the block
 * it joins, or a new one, goes first.
 */
void xtcp_sacks_add(struct xtcp_rcv_sacks *s, u32 seq, u32 end_seq)
{
	unsigned int i;

	for (i = 0; i < s->num; i++) {
		if (sack_extend(&s->blocks[i], seq, end_seq)) {
			for (; i > 0; i--)
				swap(s->blocks[i], s->blocks[i - 1]);
			sack_coalesce(s);
			return;
		}
	}
	if (s->num == XTCP_MAX_SACKS)
		s->num--;	/* the oldest is forgotten */
	for (i = s->num; i > 0; i--)
		s->blocks[i] = s->blocks[i - 1];
	s->blocks[0].start = seq;
	s->blocks[0].end = end_seq;
	s->num++;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_sacks_add);

/*
 * RCV.NXT moved to @rcv_nxt: the blocks it reached are delivered and go
 * (tcp_sack_remove()); the caller resets them all when the queue is empty.
 */
void xtcp_sacks_remove(struct xtcp_rcv_sacks *s, u32 rcv_nxt)
{
	unsigned int i = 0, j;

	while (i < s->num) {
		if (xtcp_seq_before(rcv_nxt, s->blocks[i].start)) {
			i++;
			continue;
		}
		s->num--;
		for (j = i; j < s->num; j++)
			s->blocks[j] = s->blocks[j + 1];
	}
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_sacks_remove);
