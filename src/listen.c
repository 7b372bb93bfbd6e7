// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c: listeners and their children.
 *
 * listen() and accept() on the socket side; on the packet side, a SYN for a
 * listener makes a child in SYN-RECV (on the listener's SYN queue), which moves
 * to the accept queue once its handshake completes. Both queues are guarded by
 * the listener's accept_lock; each child holds a reference on its listener and
 * the queue one on the child.
 */
#include <linux/filter.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "isn.h"
#include "listen.h"
#include "sock.h"
#include "state.h"
#include "syn.h"
#include "xtcp.h"

/* Abort a listener's children, accepted-but-not-yet or still in SYN-RECV. */
void xtcp_listener_close(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);

	spin_lock_bh(&lxs->accept_lock);
	lxs->accept_closed = 1;
	spin_unlock_bh(&lxs->accept_lock);

	for (;;) {
		struct xtcp_sock *xs;
		struct sock *child;

		spin_lock_bh(&lxs->accept_lock);
		xs = list_first_entry_or_null(&lxs->accept_queue,
					      struct xtcp_sock, child_node);
		if (xs) {
			lxs->accept_count--;
		} else {
			xs = list_first_entry_or_null(&lxs->syn_queue,
						      struct xtcp_sock,
						      child_node);
			if (xs)
				lxs->syn_count--;
		}
		if (xs)
			list_del_init(&xs->child_node);
		spin_unlock_bh(&lxs->accept_lock);
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
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
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
	xtcp_sk(sk)->accept_closed = 0;
	xtcp_set_state(sk, XTCP_LISTEN);
	xtcp_hash_listener(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static struct sock *accept_pop(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk), *xs;

	spin_lock_bh(&lxs->accept_lock);
	xs = list_first_entry_or_null(&lxs->accept_queue, struct xtcp_sock,
				      child_node);
	if (xs) {
		list_del_init(&xs->child_node);
		lxs->accept_count--;
	}
	spin_unlock_bh(&lxs->accept_lock);
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

/* A passive child is established: on to the listener's accept queue. */
void xtcp_listen_child_established(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sock *parent = xs->parent;
	struct xtcp_sock *lxs;
	bool refused;

	if (!parent)
		return;
	lxs = xtcp_sk(parent);
	spin_lock_bh(&lxs->accept_lock);
	refused = lxs->accept_closed || list_empty(&xs->child_node);
	if (!refused) {
		list_move_tail(&xs->child_node, &lxs->accept_queue);
		lxs->syn_count--;
		lxs->accept_count++;
	}
	spin_unlock_bh(&lxs->accept_lock);
	if (refused) {
		xtcp_send_active_rst(sk, GFP_ATOMIC);
		xtcp_done(sk);
		return;
	}
	parent->sk_data_ready(parent);
}

static void __rcv_listen_syn(struct sock *sk, struct sk_buff *skb);

/*
 * A new connection for a listener: a child in SYN-RECV. Runs in softirq, or
 * from the listener's backlog in process context with BHs enabled: BHs are
 * held off around the child's spinlock, or a loopback or veth transmit of the
 * SYN+ACK could run the receive softirq on this CPU, which would spin on that
 * same lock for the peer's answer.
 */
static void rcv_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	local_bh_disable();
	__rcv_listen_syn(sk, skb);
	local_bh_enable();
}
/*
 * A child answers to its listener's socket filter (SO_ATTACH_FILTER), as
 * sk_clone_lock() gives a TCP child its listener's: the filter shared and its
 * size charged to the child's option memory, as sk_filter_charge() (not
 * exported) does; the child's __sk_destruct() uncharges and releases it.
 * False when it cannot be charged: then, as sk_clone_lock() fails, no child.
 */
static bool inherit_filter(struct sock *child, const struct sock *sk)
{
	struct sk_filter *fp;
	bool ok = true;
	u32 size;

	rcu_read_lock();
	fp = rcu_dereference(sk->sk_filter);
	if (fp) {
		size = bpf_prog_size(fp->prog->len);
		/* sock_kmalloc()'s check, on a child that has charged nothing */
		ok = size < READ_ONCE(sysctl_optmem_max) &&
		     refcount_inc_not_zero(&fp->refcnt);
		if (ok) {
			atomic_add(size, &child->sk_omem_alloc);
			RCU_INIT_POINTER(child->sk_filter, fp);
		}
	}
	rcu_read_unlock();
	return ok;
}


static void __rcv_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *lxs = xtcp_sk(sk), *xs;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *child;
	bool full;

	spin_lock_bh(&lxs->accept_lock);
	full = lxs->accept_closed ||
	       lxs->accept_count >= READ_ONCE(sk->sk_max_ack_backlog) + 1 ||
	       lxs->syn_count >= max_t(u32, sk->sk_max_ack_backlog, 128);
	spin_unlock_bh(&lxs->accept_lock);
	if (full) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
		return;
	}

	child = xtcp_sk_alloc(sock_net(sk), sk->sk_family, GFP_ATOMIC, !sk->sk_net_refcnt);
	if (!child) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
		return;
	}
	if (!inherit_filter(child, sk)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
		sock_put(child);
		return;
	}
	xs = xtcp_sk(child);
	sock_set_flag(child, SOCK_DEAD);	/* no struct socket until accept() */
	child->sk_rcvbuf = sk->sk_rcvbuf;
	child->sk_sndbuf = sk->sk_sndbuf;
	child->sk_userlocks = sk->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	child->sk_bound_dev_if = sk->sk_bound_dev_if;
	child->sk_mark = sk->sk_mark;
	child->sk_priority = sk->sk_priority;
	sock_copy_flags(child, sk);
	sock_set_flag(child, SOCK_DEAD);
	sock_set_flag(child, SOCK_RCU_FREE);
	xs->user_mss = lxs->user_mss;
	xs->nodelay = lxs->nodelay;
	xs->cork = lxs->cork;
	xs->pingpong = lxs->pingpong;
	xs->keepidle = lxs->keepidle;
	xs->keepintvl = lxs->keepintvl;
	xs->keepcnt = lxs->keepcnt;
	xs->user_timeout = lxs->user_timeout;
	/* the listener's algorithm, whose module it holds */
	__module_get(lxs->ca_ops->owner);
	xtcp_cc_start(child, lxs->ca_ops);

	inet_sk(child)->inet_rcv_saddr = iph->daddr;
	inet_sk(child)->inet_saddr = iph->daddr;
	inet_sk(child)->inet_daddr = iph->saddr;
	inet_sk(child)->inet_num = inet_sk(sk)->inet_num;
	inet_sk(child)->inet_sport = th->dest;
	inet_sk(child)->inet_dport = th->source;

	xs->passive = 1;
	xtcp_options_from_sysctls(child);
	xtcp_syn_learn(child, skb);
	xs->iss = xtcp_isn_seq(iph->daddr, iph->saddr, th->dest, th->source);
	xs->ts_off = xtcp_isn_ts_off(iph->daddr, iph->saddr, th->dest,
				     th->source);
	xs->snd_una = xs->iss;
	xs->snd_nxt = xs->iss + 1;
	xs->write_seq = xs->snd_nxt;
	xs->pushed_seq = xs->write_seq;
	/* a child starts as its listener's clone, as in inet_csk_clone_lock() */
	trace_xtcp_state_change(child, XTCP_LISTEN, XTCP_SYN_RECV);
	xtcp_state_store(child, XTCP_SYN_RECV);

	bh_lock_sock_nested(child);
	if (xtcp_hash_connection(child)) {
		bh_unlock_sock(child);
		xtcp_state_store(child, XTCP_CLOSE);
		sock_put(child);
		return;
	}
	xtcp_port_share(child, sk);
	sock_hold(sk);
	xs->parent = sk;
	spin_lock_bh(&lxs->accept_lock);
	list_add_tail(&xs->child_node, &lxs->syn_queue);
	lxs->syn_count++;
	spin_unlock_bh(&lxs->accept_lock);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_PASSIVE_OPENS);

	xtcp_send_synack(child);
	xtcp_timer_arm(child, XTCP_TIMER_RETRANS, xs->rto_ms);
	bh_unlock_sock(child);
}

void xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	enum xtcp_event ev;

	if (cb->flags & XTCP_FLAG_RST)
		return;
	if (cb->flags & XTCP_FLAG_ACK)
		ev = (cb->flags & XTCP_FLAG_SYN) ? XTCP_EV_SYN_ACK : XTCP_EV_ACK;
	else if (cb->flags & XTCP_FLAG_SYN)
		ev = XTCP_EV_SYN;
	else
		return;
	if (xtcp_state_next(XTCP_LISTEN, ev, false).actions & XTCP_ACT_NEW_CHILD)
		rcv_listen_syn(sk, skb);
	else
		xtcp_send_reset(sock_net(sk), skb);
}
