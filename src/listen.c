// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c: listen(), accept(), and a listener's close.
 *
 * The requests and children themselves are made and established on the
 * packet side (request.c, child.c); the two queues they wait on are
 * acceptq.h's. A listener's close aborts every request and every child still
 * queued.
 */
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "acceptq.h"
#include "hash.h"
#include "listen.h"
#include "output.h"
#include "port.h"
#include "request.h"
#include "sock.h"
#include "state.h"
#include "xtcp.h"

/*
 * Abort a listener's children not yet accepted, and its requests (each with a
 * RST, request.c).
 */
void xtcp_listener_close(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	xtcp_port_unlisten(sk);
	xtcp_queues_set_closed(lxs, true);
	xtcp_reqs_close(sk);
	for (;;) {
		struct xtcp_sock *xs = xtcp_acceptq_pop(lxs);
		struct sock *child;

		if (!xs)
			break;

		child = &xs->inet.sk;
		lock_sock_nested(child, SINGLE_DEPTH_NESTING);
		xs->parent = NULL;
		if (child->sk_state != XTCP_CLOSE) {
			xtcp_send_active_rst(child, GFP_KERNEL);
			xtcp_done(child);
		}
		release_sock(child);
		sock_put(child);	/* the queue's reference */
		sock_put(sk);		/* the child's on its parent */
	}
}

/* listen(): inet_listen(). */
int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct xtcp_transition t;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	/* the state table's passive OPEN: from CLOSED or LISTEN only */
	t = xtcp_state_next(sk->sk_state, XTCP_EV_LISTEN, false);
	err = t.err;
	if (err)
		goto out;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (sk->sk_state == XTCP_LISTEN) {
		err = 0;
		goto out;
	}
	if (!inet_sk(sk)->inet_num) {
		struct sockaddr_in any = { .sin_family = AF_INET };

		err = xtcp_port_bind(sk, &any, sizeof(any));
		if (err)
			goto out;
	}
	if (xtcp_listener_conflict(sk)) {
		err = -EADDRINUSE;
		goto out;
	}
	/* the kernel's TCP must see a listener on the port too */
	err = xtcp_port_listen(sk);
	if (err)
		goto out;
	xtcp_queues_set_closed(xtcp_sk(sk), false);
	xtcp_set_state(sk, t.next);
	xtcp_hash_listener(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static struct sock *accept_pop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_acceptq_pop(xtcp_sk(sk));

	return xs ? &xs->inet.sk : NULL;
}

/* accept(): inet_csk_accept() and inet_accept(). */
int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
		       bool kern)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk, *child;
	long timeo;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != XTCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	while (!(child = accept_pop(sk))) {
		err = -EAGAIN;
		if (!timeo)
			break;
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		err = -EINVAL;
		if (sk->sk_state != XTCP_LISTEN)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	if (!child)
		goto out;
	release_sock(sk);

	lock_sock(child);
	xtcp_sk(child)->parent = NULL;
	sock_reset_flag(child, SOCK_DEAD);
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(child);
	sock_put(sk);		/* the child's reference on its parent */
	return 0;
out:
	release_sock(sk);
	return err;
}
