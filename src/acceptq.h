/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acceptq.h: a listener's two queues.
 *
 * The SYN queue holds its requests (request.h), which are no sockets; the
 * ACK that completes a handshake makes the child, which joins the accept
 * queue, whence accept() takes it. Both lists and their counts are guarded
 * by the listener's accept_lock, a _bh spinlock that nests inside either
 * socket's lock and under which nothing is transmitted; the connection
 * table's chain locks nest inside it (request.c), so that a request leaves
 * the table and the SYN queue at once. These helpers and request.c are the
 * only code that takes it. The accept queue holds a reference on each
 * child, the child one on its listener (xs->parent).
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
 * The SYN queue holds the backlog's worth of requests
 * (inet_csk_reqsk_queue_is_full()): the next SYN gets a cookie, or nothing.
 * Read without the lock, as the kernel reads its queue length.
 */
static inline bool xtcp_synq_full(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->syn_count) >=
	       READ_ONCE(sk->sk_max_ack_backlog);
}

/*
 * A new child, whose first reference the queue takes over, to the accept
 * queue: in SYN-RECV still, its ACK about to establish it, as
 * inet_csk_complete_hashdance() queues a child. False if the listener closed.
 */
static inline bool xtcp_acceptq_add(struct xtcp_sock *lxs,
				    struct xtcp_sock *xs)
{
	bool added;

	spin_lock_bh(&lxs->accept_lock);
	added = !lxs->accept_closed;
	if (added) {
		list_add_tail(&xs->child_node, &lxs->accept_queue);
		WRITE_ONCE(lxs->accept_count, lxs->accept_count + 1);
	}
	spin_unlock_bh(&lxs->accept_lock);
	return added;
}

/*
 * A child dying in SYN-RECV leaves the accept queue. True if it was still on
 * it: the caller then owns the queue's reference.
 */
static inline bool xtcp_acceptq_unlink(struct xtcp_sock *lxs,
				       struct xtcp_sock *xs)
{
	bool unlinked = false;

	spin_lock_bh(&lxs->accept_lock);
	if (!list_empty(&xs->child_node)) {
		list_del_init(&xs->child_node);
		WRITE_ONCE(lxs->accept_count, lxs->accept_count - 1);
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

/* listen() opens the queues, close() closes them: no child joins after. */
static inline void xtcp_queues_set_closed(struct xtcp_sock *lxs, bool closed)
{
	spin_lock_bh(&lxs->accept_lock);
	lxs->accept_closed = closed;
	spin_unlock_bh(&lxs->accept_lock);
}

#endif /* _XTCP_ACCEPTQ_H */
