/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtxq.h: the retransmission queue, the skbs sent and not yet acknowledged
 * (as Linux 6.1's tcp_rtx_queue_*() in include/net/tcp.h).
 *
 * A sender's data is in two places, as in the kernel's TCP: sk->sk_write_queue
 * holds what was never sent, its head the next to go (xtcp_send_head());
 * sk->tcp_rtx_queue, an rbtree of skbs by first sequence number, holds what
 * went out. An skb moves from the one to the other when it is first sent
 * (output.c), and leaves the tree when acknowledged. The skbs of the tree are
 * disjoint and follow each other, so that seq and end_seq both grow along it:
 * the SACK scoreboard (recovery.c) finds the skb at a sequence number in
 * O(log n) instead of walking from SND.UNA.
 *
 * skb->rbnode shares its memory with skb->next, prev and dev: an skb is in one
 * of the two at a time, and a clone of a tree skb must clear dev before it is
 * sent (as __tcp_transmit_skb() does).
 */
#ifndef _XTCP_RTXQ_H
#define _XTCP_RTXQ_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "seq.h"
#include "skb_cb.h"

/* The next skb to send for the first time (tcp_send_head()), or NULL. */
static inline struct sk_buff *xtcp_send_head(const struct sock *sk)
{
	return skb_peek(&sk->sk_write_queue);
}

static inline struct sk_buff *xtcp_rtx_head(const struct sock *sk)
{
	return skb_rb_first(&sk->tcp_rtx_queue);
}

static inline struct sk_buff *xtcp_rtx_tail(const struct sock *sk)
{
	return skb_rb_last(&sk->tcp_rtx_queue);
}

static inline struct sk_buff *xtcp_rtx_next(const struct sk_buff *skb)
{
	return skb_rb_next(skb);
}

static inline bool xtcp_rtx_empty(const struct sock *sk)
{
	return RB_EMPTY_ROOT(&sk->tcp_rtx_queue);
}

/* Nothing sent and unacknowledged, nothing waiting to be sent. */
static inline bool xtcp_queues_empty(const struct sock *sk)
{
	return xtcp_rtx_empty(sk) && skb_queue_empty(&sk->sk_write_queue);
}

/* Put @skb in the tree by its sequence number (tcp_rbtree_insert()). */
static inline void xtcp_rtx_insert(struct sock *sk, struct sk_buff *skb)
{
	struct rb_node **p = &sk->tcp_rtx_queue.rb_node, *parent = NULL;
	u32 seq = XTCP_SKB_CB(skb)->seq;

	while (*p) {
		parent = *p;
		if (xtcp_seq_before(seq, XTCP_SKB_CB(rb_to_skb(parent))->seq))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &sk->tcp_rtx_queue);
}

static inline void xtcp_rtx_unlink(struct sock *sk, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &sk->tcp_rtx_queue);
}

/*
 * The first skb of the tree that ends after @seq: the one that holds @seq, or
 * the first one after it; NULL if none. O(log n), end_seq growing with seq.
 * *@visited counts the nodes looked at.
 */
static inline struct sk_buff *xtcp_rtx_find(const struct sock *sk, u32 seq,
					    u32 *visited)
{
	struct rb_node *p = sk->tcp_rtx_queue.rb_node;
	struct sk_buff *found = NULL;

	while (p) {
		struct sk_buff *skb = rb_to_skb(p);

		(*visited)++;
		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, seq)) {
			found = skb;
			p = p->rb_left;
		} else {
			p = p->rb_right;
		}
	}
	return found;
}

#endif /* _XTCP_RTXQ_H */
