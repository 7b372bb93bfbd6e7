// SPDX-License-Identifier: GPL-2.0
/*
 * rcvq.c: the memory of the receive and out-of-order queues, held to the
 * receive buffer as the kernel's TCP holds it (tcp_input.c of 6.1).
 *
 * The window is counted in sequence space, the buffer in truesize: a peer
 * sending one-byte segments inside the window would otherwise make each byte
 * cost a whole sk_buff. So in-order text joins the tail of the receive queue
 * when it can (tcp_try_coalesce()), and when the queues outgrow the buffer and
 * it may grow no further, their small skbs are copied into compact ones
 * (tcp_collapse()), then the out-of-order queue is cut from its highest
 * sequence numbers down (tcp_prune_ofo_queue()); text accepted in order is
 * never dropped. Only then is the new segment refused (tcp_prune_queue()'s
 * -1). The same happens when xtcp as a whole is out of memory (net.xtcp.mem,
 * mem.c): every skb is charged to it before it is queued (sk_rmem_schedule()).
 * Every function here runs under the socket lock.
 */
#include <linux/skbuff.h>
#include <net/tcp.h>

#include "autotune.h"
#include "mem.h"
#include "rcvq.h"
#include "seq.h"
#include "xtcp.h"

/* Where the text of a queued skb ends (end_seq may count a FIN). */
static u32 text_end(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->seq + skb->len;
}

/* SYN and FIN are never merged or collapsed: a FIN's skb is read for it. */
static bool has_control(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN);
}

/*
 * @from, in order right after @to (the receive queue's tail, or a segment of
 * the out-of-order queue), merged into @to
 * (tcp_try_coalesce()): its bytes copied into @to's tailroom or its pages
 * given to @to (skb_try_coalesce()), @to charged the difference of truesize.
 * True: merged, and @from freed. False: @from is untouched.
 */
bool xtcp_rcvq_coalesce(struct sock *sk, struct sk_buff *to,
			struct sk_buff *from)
{
	struct xtcp_skb_cb *tcb = XTCP_SKB_CB(to);
	bool fragstolen;
	int delta;

	xtcp_sock_assert_locked(sk);
	if (XTCP_SKB_CB(from)->seq != text_end(to) ||
	    has_control(to) || has_control(from))
		return false;
	if (!skb_try_coalesce(to, from, &fragstolen, &delta))
		return false;
	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_RCV_COALESCE);
	tcb->end_seq = text_end(to);
	tcb->ack = XTCP_SKB_CB(from)->ack;
	tcb->flags |= XTCP_SKB_CB(from)->flags;
	kfree_skb_partial(from, fragstolen);
	return true;
}

static bool over(const struct sock *sk, u32 need)
{
	return (u64)atomic_read(&sk->sk_rmem_alloc) + need >
	       (u64)READ_ONCE(sk->sk_rcvbuf);
}

/*
 * @skb's truesize charged ahead against xtcp's memory and the socket's
 * memory cgroup (sk_rmem_schedule()); skb_set_owner_r() then takes it from
 * what was charged. False: over net.xtcp.mem's max, or the cgroup's limit.
 */
static bool charge_ahead(struct sock *sk, const struct sk_buff *skb)
{
	return __sk_rmem_schedule(sk, skb->truesize, skb_pfmemalloc(skb));
}

/* Room for @skb both in the receive buffer and in memory. */
static bool fits(struct sock *sk, const struct sk_buff *skb)
{
	return !over(sk, skb->truesize) && charge_ahead(sk, skb);
}

/* The skb after @skb in @list, or in the rb-tree when @list is NULL. */
static struct sk_buff *next_of(struct sk_buff *skb, struct sk_buff_head *list)
{
	if (list)
		return skb_queue_is_last(list, skb) ? NULL : skb->next;
	return skb_rb_next(skb);
}

/* Free @skb, whose bytes were copied; returns the one after it. */
static struct sk_buff *collapse_one(struct sock *sk, struct sk_buff *skb,
				    struct sk_buff_head *list,
				    struct rb_root *root)
{
	struct sk_buff *next = next_of(skb, list);

	if (list)
		__skb_unlink(skb, list);
	else
		rb_erase(&skb->rbnode, root);
	kfree_skb(skb);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_RCV_COLLAPSED);
	return next;
}

/* Insert a collapsed skb by its sequence number (tcp_rbtree_insert()). */
static void rb_insert_seq(struct rb_root *root, struct sk_buff *skb)
{
	struct rb_node **p = &root->rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		if (xtcp_seq_before(XTCP_SKB_CB(skb)->seq,
				    XTCP_SKB_CB(rb_to_skb(parent))->seq))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, root);
}

/*
 * The bytes @start..@end of the skbs from @head up to @tail (excluded; NULL:
 * the end) copied into skbs of at most a page, the old ones freed
 * (tcp_collapse()). Skbs that are already compact are skipped at the front;
 * a SYN or FIN ends the run.
 */
static void collapse(struct sock *sk, struct sk_buff_head *list,
		     struct rb_root *root, struct sk_buff *head,
		     struct sk_buff *tail, u32 start, u32 end)
{
	struct sk_buff *skb = head, *n, *nskb;
	struct sk_buff_head tmp;
	bool end_of_skbs;

restart:
	for (end_of_skbs = true; skb && skb != tail; skb = n) {
		n = next_of(skb, list);
		/* nothing new in it (the out-of-order queue overlaps) */
		if (!xtcp_seq_before(start, text_end(skb))) {
			skb = collapse_one(sk, skb, list, root);
			if (!skb)
				break;
			goto restart;
		}
		/* bloated (the window counts half its truesize) or read into */
		if (!has_control(skb) && (skb->truesize / 2 > skb->len ||
		    xtcp_seq_before(XTCP_SKB_CB(skb)->seq, start))) {
			end_of_skbs = false;
			break;
		}
		if (n && n != tail && text_end(skb) != XTCP_SKB_CB(n)->seq) {
			end_of_skbs = false;
			break;
		}
		start = text_end(skb);
	}
	if (end_of_skbs || has_control(skb))
		return;

	__skb_queue_head_init(&tmp);
	while (xtcp_seq_before(start, end)) {
		int copy = min_t(int, SKB_MAX_ORDER(0, 0), end - start);

		nskb = alloc_skb(copy, GFP_ATOMIC);
		if (!nskb)
			break;
		memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
		XTCP_SKB_CB(nskb)->seq = start;
		XTCP_SKB_CB(nskb)->end_seq = start;
		XTCP_SKB_CB(nskb)->flags &= ~(XTCP_FLAG_SYN | XTCP_FLAG_FIN);
		if (list)
			__skb_queue_before(list, skb, nskb);
		else
			__skb_queue_tail(&tmp, nskb);	/* the tree after */
		skb_set_owner_r(nskb, sk);

		while (copy > 0) {
			int offset = start - XTCP_SKB_CB(skb)->seq;
			int size = text_end(skb) - start;

			if (WARN_ON_ONCE(offset < 0))
				goto out;
			if (size > 0) {
				size = min(copy, size);
				if (skb_copy_bits(skb, offset,
						  skb_put(nskb, size), size))
					goto out;
				XTCP_SKB_CB(nskb)->end_seq += size;
				copy -= size;
				start += size;
			}
			if (!xtcp_seq_before(start, text_end(skb))) {
				skb = collapse_one(sk, skb, list, root);
				if (!skb || skb == tail || has_control(skb))
					goto out;
			}
		}
	}
out:
	while ((nskb = __skb_dequeue(&tmp)))
		rb_insert_seq(root, nskb);
}

/* Each run of contiguous out-of-order skbs collapsed (tcp_collapse_ofo_queue()). */
static void collapse_ofo(struct sock *sk)
{
	struct rb_root *root = &xtcp_sk(sk)->ofo;
	struct sk_buff *skb = skb_rb_first(root), *head;
	u32 start, end, range_truesize, sum_tiny = 0;

	while (skb) {
		start = XTCP_SKB_CB(skb)->seq;
		end = text_end(skb);
		range_truesize = skb->truesize;
		for (head = skb;;) {
			skb = skb_rb_next(skb);
			if (!skb || xtcp_seq_after(XTCP_SKB_CB(skb)->seq, end) ||
			    xtcp_seq_before(text_end(skb), start))
				break;
			range_truesize += skb->truesize;
			if (xtcp_seq_before(XTCP_SKB_CB(skb)->seq, start))
				start = XTCP_SKB_CB(skb)->seq;
			if (xtcp_seq_after(text_end(skb), end))
				end = text_end(skb);
		}
		/* a lone small skb is not worth a copy */
		if (range_truesize != head->truesize ||
		    end - start >= SKB_WITH_OVERHEAD(PAGE_SIZE)) {
			collapse(sk, NULL, root, head, skb, start, end);
		} else {
			sum_tiny += range_truesize;
			if (sum_tiny > READ_ONCE(sk->sk_rcvbuf) >> 3)
				return;
		}
	}
}

/*
 * The out-of-order queue cut from its highest sequence numbers down, an
 * eighth of the buffer at a time, until the queues fit (tcp_prune_ofo_queue()):
 * the hole may still be filled, and what is dropped the peer sends again
 * (and every SACK block with it, as Linux forgets them), the pages freed
 * given back, until @new fits. True if anything was dropped.
 */
static bool prune_ofo(struct sock *sk, const struct sk_buff *new)
{
	struct rb_root *root = &xtcp_sk(sk)->ofo;
	struct sk_buff *skb = skb_rb_last(root), *prev;
	int goal = READ_ONCE(sk->sk_rcvbuf) >> 3;

	if (!skb)
		return false;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_OFO_PRUNED);
	/* as tcp_prune_ofo_queue(): the blocks are reported again as they grow */
	xtcp_sacks_reset(&xtcp_sk(sk)->rcv_sacks);
	for (; skb; skb = prev) {
		prev = skb_rb_prev(skb);
		rb_erase(&skb->rbnode, root);
		goal -= skb->truesize;
		kfree_skb(skb);
		if (goal <= 0) {
			sk_mem_reclaim(sk);
			if (fits(sk, new))
				break;
			goal = READ_ONCE(sk->sk_rcvbuf) >> 3;
		}
	}
	sk_mem_reclaim(sk);
	return true;
}

/*
 * Room for @skb's truesize in the receive buffer and in xtcp's memory
 * (tcp_try_rmem_schedule(), tcp_prune_queue()): the buffer grows if it may
 * (xtcp_rcvbuf_make_room(), as tcp_clamp_window(); not under memory
 * pressure), and the memory is charged (sk_rmem_schedule()); else both queues
 * are collapsed, their freed pages given back, then, for in-order text only
 * (@ofo false), the out-of-order queue is pruned. False: no room, the
 * segment is to be dropped (RcvPruned), the text queued kept.
 */
bool xtcp_rcvq_room(struct sock *sk, const struct sk_buff *skb, bool ofo)
{
	struct net *net = sock_net(sk);
	u32 need = skb->truesize;

	xtcp_sock_assert_locked(sk);
	if ((!over(sk, need) || xtcp_rcvbuf_make_room(sk, need)) &&
	    charge_ahead(sk, skb))
		return true;
	xtcp_inc_stat(net, XTCP_STAT_PRUNE_CALLED);
	collapse_ofo(sk);
	if (!skb_queue_empty(&sk->sk_receive_queue))
		collapse(sk, &sk->sk_receive_queue, NULL,
			 skb_peek(&sk->sk_receive_queue), NULL,
			 xtcp_sk(sk)->copied_seq, xtcp_sk(sk)->rcv_nxt);
	sk_mem_reclaim(sk);
	if (fits(sk, skb))
		return true;
	if (!ofo && prune_ofo(sk, skb) && fits(sk, skb))
		return true;
	xtcp_inc_stat(net, XTCP_STAT_RCV_PRUNED);
	return false;
}

/*
 * May in-order @skb, not yet charged, join the receive queue (tcp_data_queue())?
 * An empty queue always takes it, its memory charged whatever the limits
 * (sk_forced_mem_schedule()), so that a connection always moves. Else room
 * is made as xtcp_rcvq_room() makes it; text over the receive buffer is
 * taken all the same (the window promised it: see input.c, deliver()), but
 * not over xtcp's memory: then the segment is dropped (TCPRcvQDrop) and the
 * peer sends it again.
 */
bool xtcp_rcvq_admit(struct sock *sk, const struct sk_buff *skb)
{
	xtcp_sock_assert_locked(sk);
	if (skb_queue_empty(&sk->sk_receive_queue)) {
		if (!charge_ahead(sk, skb))
			xtcp_forced_mem_schedule(sk, skb->truesize);
		return true;
	}
	if (xtcp_rcvq_room(sk, skb, false) || charge_ahead(sk, skb))
		return true;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_RCVQ_DROP);
	return false;
}
