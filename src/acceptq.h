/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acceptq.h: a listener's two queues of children.
 *
 * A child in SYN-RECV is on the listener's SYN queue; once established it
 * moves to the accept queue, whence accept() takes it. Both lists and their
 * counts are guarded by the listener's accept_lock, a _bh spinlock that
 * nests inside either socket's lock and under which nothing is transmitted.
 * These helpers are the only code that takes it. The queue holds a
 * reference on each child, the child one on its listener (xs->parent).
 */
#ifndef _XTCP_ACCEPTQ_H
#define _XTCP_ACCEPTQ_H

#include "xtcp.h"

/*
 * The accept queue is past the backlog (sk_acceptq_is_full(): backlog 0 still
 * holds one child), or closed: no child may join it.
 */
static inline bool xtcp_acceptq_full(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	bool full;

	spin_lock_bh(&lxs->accept_lock);
	full = lxs->accept_closed ||
	       lxs->accept_count > READ_ONCE(sk->sk_max_ack_backlog);
	spin_unlock_bh(&lxs->accept_lock);
	return full;
}

/*
 * The SYN queue holds the backlog's worth of children in SYN-RECV
 * (inet_csk_reqsk_queue_is_full()): the next SYN gets a cookie, or nothing.
 * Read without the lock, as the kernel reads its queue length.
 */
static inline bool xtcp_synq_full(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->syn_count) >=
	       READ_ONCE(sk->sk_max_ack_backlog);
}

/* A new child in SYN-RECV, whose reference the queue takes over. */
static inline void xtcp_synq_add(struct xtcp_sock *lxs, struct xtcp_sock *xs)
{
	spin_lock_bh(&lxs->accept_lock);
	list_add_tail(&xs->child_node, &lxs->syn_queue);
	WRITE_ONCE(lxs->syn_count, lxs->syn_count + 1);
	spin_unlock_bh(&lxs->accept_lock);
}

/*
 * A child's handshake completed: to the accept queue. False if the listener
 * closed, or the child is no longer queued (the listener took it to abort).
 */
static inline bool xtcp_synq_to_acceptq(struct xtcp_sock *lxs,
					struct xtcp_sock *xs)
{
	bool moved;

	spin_lock_bh(&lxs->accept_lock);
	moved = !lxs->accept_closed && !list_empty(&xs->child_node);
	if (moved) {
		list_move_tail(&xs->child_node, &lxs->accept_queue);
		WRITE_ONCE(lxs->syn_count, lxs->syn_count - 1);
		WRITE_ONCE(lxs->accept_count, lxs->accept_count + 1);
	}
	spin_unlock_bh(&lxs->accept_lock);
	return moved;
}

/*
 * A child dying in SYN-RECV leaves the SYN queue. True if it was still on it:
 * the caller then owns the queue's reference.
 */
static inline bool xtcp_synq_unlink(struct xtcp_sock *lxs,
				    struct xtcp_sock *xs)
{
	bool unlinked = false;

	spin_lock_bh(&lxs->accept_lock);
	if (!list_empty(&xs->child_node)) {
		list_del_init(&xs->child_node);
		WRITE_ONCE(lxs->syn_count, lxs->syn_count - 1);
		unlinked = true;
	}
	spin_unlock_bh(&lxs->accept_lock);
	return unlinked;
}

/* The first child of @queue, off it (and @count) with its reference. */
static inline struct xtcp_sock *xtcp_queue_pop(struct xtcp_sock *lxs,
					       struct list_head *queue,
					       u32 *count)
{
	struct xtcp_sock *xs;

	spin_lock_bh(&lxs->accept_lock);
	xs = list_first_entry_or_null(queue, struct xtcp_sock, child_node);
	if (xs) {
		list_del_init(&xs->child_node);
		WRITE_ONCE(*count, *count - 1);
	}
	spin_unlock_bh(&lxs->accept_lock);
	return xs;
}

/* The oldest established child, off the accept queue with its reference. */
static inline struct xtcp_sock *xtcp_acceptq_pop(struct xtcp_sock *lxs)
{
	return xtcp_queue_pop(lxs, &lxs->accept_queue, &lxs->accept_count);
}

/* Any child, established ones first, off its queue with its reference. */
static inline struct xtcp_sock *xtcp_queues_pop_any(struct xtcp_sock *lxs)
{
	return xtcp_acceptq_pop(lxs) ?:
	       xtcp_queue_pop(lxs, &lxs->syn_queue, &lxs->syn_count);
}

/* listen() opens the queues, close() closes them: no child joins after. */
static inline void xtcp_queues_set_closed(struct xtcp_sock *lxs, bool closed)
{
	spin_lock_bh(&lxs->accept_lock);
	lxs->accept_closed = closed;
	spin_unlock_bh(&lxs->accept_lock);
}

#endif /* _XTCP_ACCEPTQ_H */
