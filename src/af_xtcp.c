// SPDX-License-Identifier: GPL-2.0
/*
 * af_xtcp.c: the AF_XTCP socket family and its proto_ops.
 *
 * Userland sees a SOCK_STREAM socket with TCP's semantics that takes plain
 * struct sockaddr_in addresses. Each call answers what the same call on a TCP
 * socket answers; where the kernel's TCP code decides an errno, the function
 * here follows its structure (inet_stream_connect, inet_accept,
 * tcp_sendmsg_locked, tcp_recvmsg_locked, inet_shutdown, tcp_close).
 *
 * Lifetime: the family's and the proto_ops' .owner pin the module while any
 * AF_XTCP socket exists, so rmmod fails with EBUSY until the last one is closed.
 * A closed connection lives on as an orphan (no struct socket) until its close
 * sequence ends; every socket, orphan or not, holds the module through
 * xtcp_prot.owner (sk_alloc), so rmmod waits for the last one.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sockios.h>
#include <linux/termios.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/xtcp.h>

#include "delack.h"
#include "isn.h"
#include "nagle.h"
#include "seq.h"
#include "state.h"
#include "urgent.h"
#include "xtcp.h"

static int family = AF_XTCP;
module_param(family, int, 0444);
MODULE_PARM_DESC(family, "socket family number to register (default 18, AF_ASH); must be free and below 46");

int xtcp_family_number(void)
{
	return family;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_family_number);

/* Work deferred while the user owned the socket (tcp_release_cb()). */
static void xtcp_release_cb(struct sock *sk)
{
	if (test_and_clear_bit(XTCP_DEFER_MTU, &xtcp_sk(sk)->deferred))
		xtcp_mtu_reduced(sk);
	xtcp_timer_deferred(sk);
}

/*
 * SO_KEEPALIVE, under the socket lock, before SOCK_KEEPOPEN changes
 * (tcp_set_keepalive()).
 */
static void xtcp_set_keepalive(struct sock *sk, int val)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	if (val && !sock_flag(sk, SOCK_KEEPOPEN)) {
		sock_set_flag(sk, SOCK_KEEPOPEN);
		xtcp_keepalive_reset(sk);
	} else if (!val) {
		xtcp_timer_clear(sk, XTCP_TIMER_KEEPALIVE);
	}
}

/*
 * Every xtcp socket from allocation to its (RCU-deferred) destruction, hashed
 * or not: what /proc/net/xtcp_sockets shows, to find a socket that something
 * still holds after its connection is over.
 */
static LIST_HEAD(all_sockets);
static DEFINE_SPINLOCK(all_sockets_lock);

int xtcp_sockets_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct xtcp_sock *xs;

	seq_puts(seq, "state refcnt wmem_alloc rmem_alloc dead hashed timer deferred parent local remote\n");
	spin_lock_bh(&all_sockets_lock);
	list_for_each_entry(xs, &all_sockets, all_node) {
		struct sock *sk = &xs->inet.sk;

		/* the initial namespace sees all, also of namespaces gone */
		if (!net_eq(sock_net(sk), net) && !net_eq(net, &init_net))
			continue;
		seq_printf(seq, "%02X %d %d %d %d %d %d %lx %d %pI4:%u %pI4:%u\n",
			   sk->sk_state, refcount_read(&sk->sk_refcnt),
			   refcount_read(&sk->sk_wmem_alloc),
			   atomic_read(&sk->sk_rmem_alloc),
			   sock_flag(sk, SOCK_DEAD), xs->hashed,
			   xs->timer_pending, xs->deferred, !!xs->parent,
			   &sk->sk_rcv_saddr, ntohs(inet_sk(sk)->inet_sport),
			   &sk->sk_daddr, ntohs(sk->sk_dport));
	}
	spin_unlock_bh(&all_sockets_lock);
	return 0;
}

static void xtcp_destruct(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	spin_lock_bh(&all_sockets_lock);
	list_del(&xs->all_node);
	spin_unlock_bh(&all_sockets_lock);

	WARN_ON_ONCE(xs->port || xs->hashed || xs->parent);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ofo_purge(&xs->ofo);
	__skb_queue_purge(&sk->sk_write_queue);
	sk_wmem_queued_add(sk, -sk->sk_wmem_queued);
	xtcp_cong_put(xs->ca_ops);
	dst_release(rcu_dereference_protected(sk->sk_dst_cache, 1));
	RCU_INIT_POINTER(sk->sk_dst_cache, NULL);
}

/* sk_stream_write_space(), which 6.1 does not export. */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

static struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	.backlog_rcv	= xtcp_backlog_rcv,
	.release_cb	= xtcp_release_cb,
	.keepalive	= xtcp_set_keepalive,
};

/* A fresh socket in CLOSE, for socket() or for a listener's child. */
struct sock *xtcp_sk_alloc(struct net *net, gfp_t gfp, int kern)
{
	struct xtcp_sock *xs;
	struct sock *sk;

	sk = sk_alloc(net, family, gfp, &xtcp_prot, kern);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	xs = xtcp_sk(sk);
	sk->sk_protocol = IPPROTO_TCP;
	sk->sk_type = SOCK_STREAM;
	sk->sk_destruct = xtcp_destruct;
	sk->sk_write_space = xtcp_write_space;
	sk->sk_backlog_rcv = xtcp_backlog_rcv;
	sock_set_flag(sk, SOCK_RCU_FREE);
	/* inet_create() defaults: kernel-default TTL, PMTU discovery (DF). */
	inet_sk(sk)->uc_ttl = -1;
	inet_sk(sk)->pmtudisc = IP_PMTUDISC_WANT;
	inet_sk(sk)->mc_ttl = 1;
	spin_lock_init(&xs->accept_lock);
	INIT_LIST_HEAD(&xs->syn_queue);
	INIT_LIST_HEAD(&xs->accept_queue);
	INIT_LIST_HEAD(&xs->child_node);
	INIT_HLIST_NODE(&xs->listen_node);
	xs->mss = XTCP_DEFAULT_MSS;
	/*
	 * net.xtcp.rmem[1] and wmem[1], as tcp_init_sock() takes tcp_rmem[1]
	 * and tcp_wmem[1]; autotune.c grows them as the connection needs.
	 */
	sk->sk_rcvbuf = READ_ONCE(xtcp_net(net)->rmem[1]);
	sk->sk_sndbuf = READ_ONCE(xtcp_net(net)->wmem[1]);
	/* 65535 << 7 covers the largest tcp_rmem a peer could fill */
	xs->rcv_wscale = 7;
	xtcp_cc_start(sk, &xtcp_reno);	/* until xtcp_cc_default() */
	xtcp_timer_init(sk);
	xtcp_state_store(sk, XTCP_CLOSE);
	spin_lock_bh(&all_sockets_lock);
	list_add_tail(&xs->all_node, &all_sockets);
	spin_unlock_bh(&all_sockets_lock);
	return sk;
}

/*
 * The connection is over: out of the tables, timer stopped, queued data
 * dropped, the port given back unless the user bound it and still holds the
 * socket. Idempotent. Wakes whoever waits.
 */
void xtcp_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool was_syn_recv = sk->sk_state == XTCP_SYN_RECV;
	struct sock *parent = xs->parent;

	xtcp_sock_assert_locked(sk);
	xtcp_set_state(sk, XTCP_CLOSE);
	xtcp_timer_stop(sk);
	xtcp_unhash(sk);
	xtcp_ofo_purge(&xs->ofo);
	xtcp_write_queue_purge(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	/* A child that dies before accept() leaves its listener's SYN queue. */
	if (parent && was_syn_recv) {
		struct xtcp_sock *lxs = xtcp_sk(parent);
		bool unlinked = false;

		spin_lock_bh(&lxs->accept_lock);
		if (!list_empty(&xs->child_node)) {
			list_del_init(&xs->child_node);
			lxs->syn_count--;
			unlinked = true;
		}
		spin_unlock_bh(&lxs->accept_lock);
		xtcp_port_release(sk);
		if (unlinked) {
			xs->parent = NULL;
			sock_put(parent);
			__sock_put(sk);		/* the queue's reference */
		}
		return;
	}

	if (!sock_flag(sk, SOCK_DEAD) &&
	    (sk->sk_userlocks & SOCK_BINDPORT_LOCK) && xs->port) {
		/* bound by the user: stays bound, and listed, in CLOSE */
		xtcp_hash_listener(sk);
	} else {
		xtcp_port_release(sk);
		if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
			inet_sk(sk)->inet_rcv_saddr = 0;
			inet_sk(sk)->inet_saddr = 0;
		}
		inet_sk(sk)->inet_num = 0;
		inet_sk(sk)->inet_sport = 0;
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/* Abort a listener's children, accepted-but-not-yet or still in SYN-RECV. */
static void listener_close(struct sock *sk)
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

/* Unread data, or SO_LINGER with a zero time: close() aborts with a RST. */
static bool close_aborts(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->rcv_nxt != xs->copied_seq &&
	    !skb_queue_empty(&sk->sk_receive_queue))
		return true;
	return sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime;
}

/* close(): tcp_close(). */
static int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct xtcp_transition t;
	int state;

	if (!sk)
		return 0;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	state = sk->sk_state;
	if (state == XTCP_LISTEN) {
		xtcp_set_state(sk, XTCP_CLOSE);
		xtcp_unhash(sk);
		listener_close(sk);
		/* its children's TIME_WAIT buckets keep the port, as in TCP */
		if (xtcp_tw_port_busy(&xtcp_net(sock_net(sk))->tw,
				      sk->sk_rcv_saddr, inet_sk(sk)->inet_sport))
			xtcp_port_park(sk);
		xtcp_done(sk);
	} else if (state == XTCP_CLOSE) {
		/* never connected, or over */
	} else if (close_aborts(sk)) {
		t = xtcp_state_next(state, XTCP_EV_ABORT, xtcp_sk(sk)->passive);
		if (t.actions & XTCP_ACT_RST)
			xtcp_send_active_rst(sk, GFP_KERNEL);
		xtcp_done(sk);
	} else {
		t = xtcp_state_next(state, XTCP_EV_CLOSE, xtcp_sk(sk)->passive);
		if (t.next == XTCP_CLOSE) {
			xtcp_done(sk);
		} else {
			xtcp_set_state(sk, t.next);
			if (t.actions & XTCP_ACT_FIN) {
				xtcp_queue_fin(sk);
				xtcp_push(sk);
			}
		}
	}
	__skb_queue_purge(&sk->sk_receive_queue);

	if (sock_flag(sk, SOCK_LINGER) && sk->sk_lingertime &&
	    sk->sk_state != XTCP_CLOSE)
		sk_stream_wait_close(sk, sk->sk_lingertime);

	sock_orphan(sk);
	if (sk->sk_state == XTCP_FIN_WAIT2 &&
	    !xtcp_timer_pending(xtcp_sk(sk), XTCP_TIMER_FIN_WAIT2))
		xtcp_timer_arm(sk, XTCP_TIMER_FIN_WAIT2, XTCP_FIN_TIMEOUT_MS);
	if (sk->sk_state == XTCP_CLOSE)
		xtcp_done(sk);		/* gives the port back */
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static int check_sin(struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	return 0;
}

/* bind(): the kernel's TCP checks the address and port for us (port.c). */
static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	int err;

	err = check_sin(uaddr, addr_len);
	if (err)
		return err;
	lock_sock(sk);
	if (sk->sk_state != XTCP_CLOSE || inet_sk(sk)->inet_num) {
		err = -EINVAL;
		goto out;
	}
	/*
	 * What the kernel's TCP would find in its bind bucket and ours are
	 * not in it: a TIME_WAIT bucket holds the port against binders without
	 * SO_REUSEADDR, a listener against everyone.
	 */
	err = -EADDRINUSE;
	if (sin->sin_family == AF_INET && sin->sin_port &&
	    ((!sk->sk_reuse &&
	      xtcp_tw_port_busy(&xtcp_net(sock_net(sk))->tw,
				sin->sin_addr.s_addr, sin->sin_port)) ||
	     xtcp_listener_at(sock_net(sk), sin->sin_addr.s_addr,
			      ntohs(sin->sin_port), sk)))
		goto out;
	err = xtcp_port_bind(sk, sin, addr_len);
	if (err)
		goto out;
	if (sin->sin_addr.s_addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	xtcp_hash_listener(sk);
out:
	release_sock(sk);
	return err;
}

/*
 * A port the user bound whose 4-tuple is still in TIME_WAIT: the bucket gives
 * way to the new incarnation (RFC 6191: its ISN and timestamps are newer).
 * An ephemeral port never lands on one (xtcp_port_connect()).
 */
static void tw_give_way(struct sock *sk)
{
	struct xtcp_tw_table *tbl = &xtcp_net(sock_net(sk))->tw;
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_tw_bucket *tw;

	tw = xtcp_tw_lookup(tbl, inet->inet_saddr, inet->inet_sport,
			    inet->inet_daddr, inet->inet_dport);
	if (!tw)
		return;
	if (xtcp_tw_kill(tbl, tw)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_TW_RECYCLED);
		trace_xtcp_tw_reuse(tbl->netns, &tw->st);
	}
	xtcp_tw_put(tw);
}

/* The active open of tcp_v4_connect(): route, port, ISN, SYN. */
static int active_open(struct sock *sk, struct sockaddr_in *usin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_tw_state tw = {};
	struct net *net = sock_net(sk);
	bool autobound = false;
	struct flowi4 *fl4;
	struct rtable *rt;
	int err;

	fl4 = &inet->cork.fl.u.ip4;
	rt = ip_route_output_ports(net, fl4, sk, usin->sin_addr.s_addr,
				   inet->inet_saddr, usin->sin_port,
				   inet->inet_sport, IPPROTO_TCP,
				   RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		if (err == -ENETUNREACH)
			IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr) {
		inet->inet_saddr = fl4->saddr;
		inet->inet_rcv_saddr = fl4->saddr;
	}
	if (!inet->inet_num) {
		err = xtcp_port_connect(sk, usin->sin_addr.s_addr,
					usin->sin_port, &tw);
		if (err) {
			ip_rt_put(rt);
			goto err_addr;
		}
		autobound = true;
		rt = ip_route_newports(fl4, rt, 0, usin->sin_port,
				       inet->inet_sport, usin->sin_port, sk);
		if (IS_ERR(rt)) {
			err = PTR_ERR(rt);
			goto err_port;
		}
	}
	inet->inet_daddr = usin->sin_addr.s_addr;
	inet->inet_dport = usin->sin_port;
	sk_setup_caps(sk, &rt->dst);
	if (!autobound)
		tw_give_way(sk);

	xs->iss = xtcp_isn_seq(inet->inet_saddr, inet->inet_daddr,
			       inet->inet_sport, inet->inet_dport);
	xs->ts_off = xtcp_isn_ts_off(inet->inet_saddr, inet->inet_daddr,
				     inet->inet_sport, inet->inet_dport);
	/* a TIME-WAIT 4-tuple taken over: start beyond the old sequence space */
	if (tw.ts_recent_stamp)
		xs->iss = tw.snd_nxt + 65535 + 2;
	xs->snd_una = xs->iss;
	xs->snd_nxt = xs->iss + 1;
	xs->write_seq = xs->snd_nxt;
	xs->pushed_seq = xs->write_seq;
	xtcp_options_from_sysctls(sk);
	xs->adv_mss = 0;	/* from this route */
	xs->rcv_wnd = 0;
	xs->retries = 0;
	xs->rto_ms = XTCP_TIMEOUT_INIT_MS;
	xs->rtt = (struct xtcp_rtt){};	/* a socket may connect() again */
	xs->rtt_timing = 0;
	xs->syn_lost = 0;

	xtcp_unhash(sk);
	xtcp_set_state(sk, XTCP_SYN_SENT);
	err = xtcp_hash_connection(sk);
	if (err)
		goto err_state;
	xtcp_inc_stat(net, XTCP_STAT_ACTIVE_OPENS);
	err = xtcp_send_syn(sk);
	xtcp_timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
	/* a SYN the device refused is retried by the timer, like a lost one */
	return 0;

err_state:
	xtcp_set_state(sk, XTCP_CLOSE);
	sk_dst_reset(sk);
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	if (!autobound) {
		xtcp_hash_listener(sk);
		return err;
	}
err_port:
	xtcp_port_release(sk);
	inet->inet_num = 0;
	inet->inet_sport = 0;
err_addr:
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	return err;
}

static long wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return timeo;
}

/* connect(): __inet_stream_connect(). */
static int xtcp_connect(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		/* disconnect: as tcp_disconnect() on a connecting socket */
		err = -EINVAL;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_CLOSE)) {
			if (sk->sk_state == XTCP_SYN_SENT)
				xtcp_done(sk);
			sock->state = SS_UNCONNECTED;
			err = 0;
		}
		goto out;
	}

	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != XTCP_CLOSE)
			goto out;
		err = check_sin(uaddr, addr_len);
		if (err)
			goto out;
		if (usin->sin_family != AF_INET) {
			err = -EAFNOSUPPORT;
			goto out;
		}
		err = active_open(sk, usin);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			goto out;
		timeo = wait_for_connect(sk, timeo);
		/* still connecting: time out keeps err, a signal interrupts */
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
			if (signal_pending(current))
				err = sock_intr_errno(timeo);
			goto out;
		}
	}

	if (sk->sk_state == XTCP_CLOSE) {
		err = sock_error(sk) ?: -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* listen(): inet_listen(). */
static int xtcp_listen(struct socket *sock, int backlog)
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
static int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
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

static int xtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) &&
		     peer == 1)) {
			release_sock(sk);
			return -ENOTCONN;
		}
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = inet->inet_rcv_saddr ?: inet->inet_saddr;
	}
	release_sock(sk);
	memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	return sizeof(*sin);
}

/* tcp_poll(). */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  struct poll_table_struct *wait)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	__poll_t mask = 0;
	int state;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == XTCP_LISTEN)
		return READ_ONCE(xs->accept_count) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == XTCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != XTCP_SYN_SENT && state != XTCP_SYN_RECV) {
		u32 avail = READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq);
		u16 urg_data = READ_ONCE(xs->urg_data);

		/* at the mark, the urgent byte read out of band is no data */
		if (unlikely(urg_data) && !sock_flag(sk, SOCK_URGINLINE) &&
		    READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq))
			avail -= min_t(u32, avail, 1);
		if (sock_flag(sk, SOCK_DONE))
			avail -= min_t(u32, avail, 1);	/* the FIN */
		if (avail && !skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		/* pairs with the smp_wmb() in rcv_urg() (input.c) */
		smp_rmb();
		if (urg_data & XTCP_URG_VALID)
			mask |= EPOLLPRI;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* NOSPACE before the re-check: pairs with the
				 * barrier in xtcp_write_space()'s wake-up (tcp_poll)
				 */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* sk_err is set before the state change that woke us (tcp_poll) */
	smp_rmb();
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

/* shutdown(): inet_shutdown() and tcp_shutdown(). */
static int xtcp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct xtcp_transition t;
	int err = 0;

	how++;	/* SHUT_RD/WR/RDWR to RCV_SHUTDOWN/SEND_SHUTDOWN/both */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;

	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) &
		    (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}

	switch (sk->sk_state) {
	case XTCP_CLOSE:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case XTCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		xtcp_set_state(sk, XTCP_CLOSE);
		listener_close(sk);
		xtcp_done(sk);
		sock->state = SS_UNCONNECTED;
		break;
	case XTCP_SYN_SENT:
		xtcp_done(sk);
		/* a connecting socket may connect() again */
		WRITE_ONCE(sk->sk_shutdown, 0);
		sock->state = SS_UNCONNECTED;
		break;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		if (!(how & SEND_SHUTDOWN))
			break;
		if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_RECV |
					     TCPF_CLOSE_WAIT)))
			break;
		t = xtcp_state_next(sk->sk_state, XTCP_EV_SHUTDOWN,
				    xtcp_sk(sk)->passive);
		xtcp_set_state(sk, t.next);
		if (t.actions & XTCP_ACT_FIN) {
			xtcp_queue_fin(sk);
			xtcp_push(sk);
		}
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * PSH as Linux places it: on the last segment of each write (not with
 * MSG_MORE), and on the current one once more than half the peer's largest
 * window has gone unpushed (forced_push(), tcp_mark_push()).
 */
static bool forced_push(const struct xtcp_sock *xs)
{
	return xtcp_seq_after(xs->write_seq,
			      xs->pushed_seq + (xs->max_snd_wnd >> 1));
}

static void mark_push(struct xtcp_sock *xs, struct sk_buff *skb)
{
	XTCP_SKB_CB(skb)->flags |= XTCP_FLAG_PSH;
	xs->pushed_seq = xs->write_seq;
}

/*
 * The end of a send call (tcp_push()): its last segment carries PSH,
 * MSG_OOB makes its last byte urgent (urgent.h), MSG_MORE holds a small
 * tail as TCP_CORK would, for this call.
 */
static void send_done(struct sock *sk, int flags, int copied)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (!copied)
		return;
	if (tail && (!(flags & MSG_MORE) || forced_push(xs)))
		mark_push(xs, tail);
	if (flags & MSG_OOB) {
		xs->snd_up = xs->write_seq;
		xs->urg_mode = 1;
	}
	xtcp_push_mode(sk, (flags & MSG_MORE) ? XTCP_NAGLE_CORK : 0);
}

/* sendmsg(): tcp_sendmsg_locked(), without its zero-copy and Fast Open. */
static int xtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags, copied = 0, err, new_segs = 0;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);

	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto do_error;
	}
	sk_clear_bit(SOCKWQ_ASYNC_NOSPACE, sk);
	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto do_error;

	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		int copy;

		if (!skb || !xs->send_head || skb->len >= xs->mss ||
		    (XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN) ||
		    !skb_tailroom(skb)) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			/*
			 * ACKs that came in while we copy wait in the backlog:
			 * let them in now and then (tcp_sendmsg_locked()), so
			 * that the window keeps moving under a long write.
			 */
			if (++new_segs % 16 == 0 && sk_flush_backlog(sk)) {
				err = -EPIPE;
				if (sk->sk_err ||
				    (sk->sk_shutdown & SEND_SHUTDOWN) ||
				    !((1 << sk->sk_state) &
				      (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
					goto do_error;
				continue;
			}
			skb = alloc_skb_fclone(MAX_TCP_HEADER + xs->mss,
					       sk->sk_allocation);
			if (!skb)
				goto wait_for_space;
			skb_reserve(skb, MAX_TCP_HEADER);
			XTCP_SKB_CB(skb)->seq = xs->write_seq;
			XTCP_SKB_CB(skb)->end_seq = xs->write_seq;
			XTCP_SKB_CB(skb)->flags = 0;
			__skb_queue_tail(&sk->sk_write_queue, skb);
			sk_wmem_queued_add(sk, skb->truesize);
			if (!xs->send_head)
				xs->send_head = skb;
		}
		/* a write that goes on in the tail moves its PSH to its own end */
		if (!copied)
			XTCP_SKB_CB(skb)->flags &= ~XTCP_FLAG_PSH;
		copy = min_t(int, msg_data_left(msg), xs->mss - skb->len);
		copy = min_t(int, copy, skb_tailroom(skb));
		if (!copy_from_iter_full(skb_put(skb, copy), copy,
					 &msg->msg_iter)) {
			skb_trim(skb, skb->len - copy);
			err = -EFAULT;
			goto do_error;
		}
		XTCP_SKB_CB(skb)->end_seq += copy;
		xs->write_seq += copy;
		copied += copy;
		/* the end of the write: send_done() marks PSH, then pushes */
		if (!msg_data_left(msg))
			break;
		if (skb->len < xs->mss)
			continue;
		if (forced_push(xs)) {
			mark_push(xs, skb);
			xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		} else if (skb == xs->send_head) {
			/* a full segment at the head goes at once (tcp_push_one()) */
			xtcp_push(sk);
		}
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		if (copied)
			mark_push(xs, skb_peek_tail(&sk->sk_write_queue));
		xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN) ||
		    !((1 << sk->sk_state) & (TCPF_ESTABLISHED |
					     TCPF_CLOSE_WAIT)))
			goto do_error;
	}
	send_done(sk, flags, copied);
	release_sock(sk);
	return copied;

do_error:
	if (copied) {
		send_done(sk, flags, copied);
		release_sock(sk);
		return copied;
	}
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/*
 * After the user read @copied bytes: tell the peer if the window at least
 * doubled (tcp_cleanup_rbuf()), so that a sender stalled on a small or closed
 * window resumes without waiting for its timer; and only by as much as the
 * receiver's silly window avoidance allows, min(MSS, half the buffer) (RFC
 * 9293 §3.8.6.2.2; half, since the window is half the free buffer).
 */
static void window_update(struct sock *sk, int copied)
{
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	int space = rcvbuf - atomic_read(&sk->sk_rmem_alloc);
	u32 now = xtcp_rcv_window_now(sk);
	u32 could = space > 0 ? space / 2 : 0;
	u32 step = min_t(u32, xtcp_sk(sk)->mss, rcvbuf / 4);

	if (copied <= 0 || (sk->sk_shutdown & RCV_SHUTDOWN))
		return;
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				     TCPF_FIN_WAIT2)))
		return;
	if (could >= 2 * now && could - now >= max(step, 1U))
		xtcp_send_ack(sk);
}

/*
 * sk_wait_data(), also woken by the end of the stream or an error: a FIN or
 * RST queues nothing here (TCP queues the FIN's skb).
 */
static void wait_data(struct sock *sk, long *timeo, struct sk_buff *last)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	sk_set_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	sk_wait_event(sk, timeo,
		      skb_peek_tail(&sk->sk_receive_queue) != last ||
		      READ_ONCE(sk->sk_err) ||
		      (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
		      READ_ONCE(sk->sk_state) == XTCP_CLOSE, &wait);
	sk_clear_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/*
 * recv(MSG_OOB): the urgent byte, once, never blocking (tcp_recv_urg()).
 * EINVAL when there is none to read or it comes inline (SO_OOBINLINE).
 */
static int recv_urg(struct sock *sk, struct msghdr *msg, size_t len,
		    int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	char c;

	if (sock_flag(sk, SOCK_URGINLINE) || !xs->urg_data ||
	    xs->urg_data == XTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == XTCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (xs->urg_data & XTCP_URG_VALID) {
		c = xs->urg_data;
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(xs->urg_data, XTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &c, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

/* recvmsg(): tcp_recvmsg_locked(), urgent data included, zero-copy not. */
static int xtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			int flags)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0, target, err;
	long timeo;

	if (flags & MSG_ERRQUEUE)
		return sock_recv_errqueue(sk, msg, len, SOL_IP, IP_RECVERR);

	lock_sock(sk);
	err = -ENOTCONN;
	if (sk->sk_state == XTCP_LISTEN)
		goto out;
	if (flags & MSG_OOB) {
		err = recv_urg(sk, msg, len, flags);
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	seq = &xs->copied_seq;
	if (flags & MSG_PEEK) {
		peek_seq = xs->copied_seq;
		seq = &peek_seq;
	}
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	do {
		struct sk_buff *skb, *last;
		u32 offset = 0;
		bool found = false;
		size_t used;

		/* at the urgent mark: a read stops there (SIOCATMARK) */
		if (unlikely(xs->urg_data) && xs->urg_seq == *seq) {
			if (copied)
				break;
			if (signal_pending(current)) {
				copied = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}

		last = skb_peek_tail(&sk->sk_receive_queue);
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			offset = *seq - XTCP_SKB_CB(skb)->seq;
			if (offset < skb->len) {
				found = true;
				break;
			}
		}
		if (found) {
			used = min_t(size_t, skb->len - offset, len - copied);
			/* the urgent byte: skipped unless inline, and a read ends before it */
			if (unlikely(xs->urg_data)) {
				u32 urg_offset = xs->urg_seq - *seq;

				if (urg_offset < used) {
					if (urg_offset) {
						used = urg_offset;
					} else if (!sock_flag(sk, SOCK_URGINLINE)) {
						WRITE_ONCE(*seq, *seq + 1);
						offset++;
						used--;
					}
				}
			}
			if (used && skb_copy_datagram_msg(skb, offset, msg, used)) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
			WRITE_ONCE(*seq, *seq + used);
			copied += used;
			if (unlikely(xs->urg_data) &&
			    xtcp_seq_after(xs->copied_seq, xs->urg_seq))
				WRITE_ONCE(xs->urg_data, 0);
			if (!(flags & MSG_PEEK) && offset + used == skb->len) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				kfree_skb(skb);
				xtcp_rcv_space_adjust(sk);
				window_update(sk, copied);
			}
			continue;
		}

		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == XTCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == XTCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		window_update(sk, copied);
		wait_data(sk, &timeo, last);
	} while (copied < len);
	window_update(sk, copied);
	err = copied;
out:
	release_sock(sk);
	return err;
}

/*
 * TCP_CONGESTION: an algorithm by name, as tcp_set_congestion_control()
 * takes it (EINVAL for an empty name, ENOENT for an unknown one), at any time;
 * a connection keeps its window and the algorithm starts afresh on it.
 */
static int set_congestion(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	const struct xtcp_cong_ops *ops;
	char name[XTCP_CA_NAME_MAX];
	long len;

	if (optlen < 1)
		return -EINVAL;
	len = strncpy_from_sockptr(name, optval,
				   min_t(unsigned int, optlen,
					 sizeof(name) - 1));
	if (len < 0)
		return -EFAULT;
	name[len] = '\0';
	ops = xtcp_cong_get(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	xtcp_cc_switch(sk, ops);
	release_sock(sk);
	return 0;
}

static int xtcp_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, err = 0;

	if (level == SOL_IP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION)
		return set_congestion(sk, optval, optlen);
	switch (optname) {
	case TCP_NODELAY:
	case TCP_CORK:
	case TCP_QUICKACK:
	case TCP_MAXSEG:
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
	case TCP_USER_TIMEOUT:
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	/* __tcp_sock_set_nodelay(): what Nagle held goes now */
	case TCP_NODELAY:
		xs->nodelay = !!val;
		if (val)
			xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		break;
	/* __tcp_sock_set_cork(): uncorking sends what is held, Nagle allowing */
	case TCP_CORK:
		xs->cork = !!val;
		if (!val)
			xtcp_push_mode(sk, xs->nodelay ? XTCP_NAGLE_PUSH : 0);
		break;
	/* __tcp_sock_set_quickack(): 0 delays every ACK, 1 sends the owed one */
	case TCP_QUICKACK:
		xs->pingpong = !(val & 1);
		if (val & 1)
			xtcp_ack_owed_now(sk);
		break;
	case TCP_MAXSEG:
		/* tcp_setsockopt(): 0 resets, else TCP_MIN_MSS..MAX_TCP_WINDOW */
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW)) {
			err = -EINVAL;
			break;
		}
		xs->user_mss = val;
		break;
	/* the keep-alive knobs, with tcp_setsockopt()'s ranges, inherited by accepted sockets */
	/* a running keep-alive timer counts the new idle time from the last ACK */
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE) {
			err = -EINVAL;
		} else {
			xs->keepidle = val;
			if (sock_flag(sk, SOCK_KEEPOPEN))
				xtcp_keepalive_reset(sk);
		}
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			err = -EINVAL;
		else
			xs->keepintvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			err = -EINVAL;
		else
			xs->keepcnt = val;
		break;
	/* ms that data may stay unacknowledged before ETIMEDOUT; 0: retries2 */
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			xs->user_timeout = val;
		break;
	}
	release_sock(sk);
	return err;
}

/*
 * TCP_INFO: struct tcp_info with the fields xtcp keeps; the others (pacing,
 * delivery rate, busy times) stay 0 until xtcp has them. A listener aliases tcpi_unacked and tcpi_sacked to its accept
 * queue and backlog, as tcp_get_info() does.
 */
static void xtcp_get_info(struct sock *sk, struct tcp_info *info)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;

	memset(info, 0, sizeof(*info));
	lock_sock(sk);
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == XTCP_LISTEN) {
		info->tcpi_unacked = xs->accept_count;
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		goto out;
	}
	info->tcpi_retransmits = xs->retries;
	info->tcpi_ca_state = xs->ca_state;
	info->tcpi_snd_cwnd = xs->cc.cwnd;
	info->tcpi_snd_ssthresh = xs->cc.ssthresh;
	info->tcpi_unacked = xs->packets_out;
	info->tcpi_sacked = xs->sacked_out;
	info->tcpi_lost = xs->lost_out;
	info->tcpi_retrans = xs->retrans_out;
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_reordering = xs->reordering;
	info->tcpi_rto = xs->rto_ms * USEC_PER_MSEC;
	info->tcpi_ato = XTCP_DELACK_MS * USEC_PER_MSEC;
	info->tcpi_advmss = xs->adv_mss;
	info->tcpi_segs_out = xs->segs_out;
	info->tcpi_segs_in = xs->segs_in;
	info->tcpi_data_segs_out = xs->data_segs_out;
	info->tcpi_data_segs_in = xs->data_segs_in;
	info->tcpi_bytes_sent = xs->bytes_sent;
	info->tcpi_bytes_retrans = xs->bytes_retrans;
	info->tcpi_bytes_acked = xs->bytes_acked;
	info->tcpi_bytes_received = xs->bytes_received;
	info->tcpi_rtt = xs->rtt.srtt_us;
	info->tcpi_rttvar = xs->rtt.rttvar_us;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))) {
		if (xs->ts_ok)
			info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
		if (xs->sack_ok)
			info->tcpi_options |= TCPI_OPT_SACK;
		if (xs->wscale_ok) {
			info->tcpi_options |= TCPI_OPT_WSCALE;
			info->tcpi_snd_wscale = xs->snd_wscale;
			info->tcpi_rcv_wscale = xs->rcv_wscale;
		}
		info->tcpi_snd_mss = xs->mss;
		info->tcpi_rcv_mss = xs->mss;
		info->tcpi_snd_wnd = xs->snd_wnd;
		info->tcpi_notsent_bytes = xs->write_seq - xs->snd_nxt;
	}
	dst = __sk_dst_get(sk);
	if (dst)
		info->tcpi_pmtu = dst_mtu(dst);
out:
	release_sock(sk);
}

static int xtcp_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, len;

	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TCP_INFO: {
		struct tcp_info info;

		xtcp_get_info(sk, &info);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}
	case TCP_CONGESTION: {
		char name[XTCP_CA_NAME_MAX] = {};

		lock_sock(sk);
		strscpy(name, xs->ca_ops->name, sizeof(name));
		release_sock(sk);
		len = min_t(unsigned int, len, sizeof(name));
		if (put_user(len, optlen) || copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	}
	case TCP_NODELAY:
		val = xs->nodelay;
		break;
	case TCP_CORK:
		val = xs->cork;
		break;
	case TCP_QUICKACK:
		val = !xs->pingpong;
		break;
	case TCP_MAXSEG:
		/* tcp_getsockopt(): the MSS in use once connected */
		if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
			val = xs->user_mss ?: TCP_MSS_DEFAULT;
		else
			val = xs->mss;
		break;
	/* unset: the namespace's net.xtcp.keepalive_*, as TCP answers its own */
	case TCP_KEEPIDLE:
		val = xtcp_keepalive_time(sk);
		break;
	case TCP_KEEPINTVL:
		val = xtcp_keepalive_intvl(sk);
		break;
	case TCP_KEEPCNT:
		val = xtcp_keepalive_probes(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = xs->user_timeout;
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* SIOCINQ and SIOCOUTQ as tcp_ioctl() answers them. */
static int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		/* tcp_inq(): up to the urgent mark, when it lies ahead */
		if (xs->urg_data && !sock_flag(sk, SOCK_URGINLINE) &&
		    !xtcp_seq_before(xs->urg_seq, xs->copied_seq) &&
		    xtcp_seq_before(xs->urg_seq, xs->rcv_nxt))
			answ = xs->urg_seq - xs->copied_seq;
		else
			answ = xs->rcv_nxt - xs->copied_seq -
			       (sock_flag(sk, SOCK_DONE) ? 1 : 0);
		answ = max(answ, 0);
		if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
			answ = skb_queue_empty(&sk->sk_receive_queue) ? 0 : answ;
		release_sock(sk);
		break;
	case SIOCATMARK:
		/* at the urgent byte: the next read would return it (sockatmark()) */
		answ = READ_ONCE(xs->urg_data) &&
		       READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV |
					      TCPF_CLOSE) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}

/*
 * .family is informational only (the socket layer dispatches on the socket's own
 * sk_family), so it names the default number even when family= picks another.
 */
static const struct proto_ops xtcp_proto_ops = {
	.family		= PF_XTCP,
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_accept,
	.getname	= xtcp_getname,
	.poll		= xtcp_poll,
	.ioctl		= xtcp_ioctl,
	.listen		= xtcp_listen,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};

static int xtcp_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct sock *sk;

	/* The errnos inet_create() gives for the same mistakes. */
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;

	sk = xtcp_sk_alloc(net, GFP_KERNEL, kern);
	if (!sk)
		return -ENOBUFS;
	xtcp_cc_default(sk);
	sock->state = SS_UNCONNECTED;
	sock->ops = &xtcp_proto_ops;
	sk_set_socket(sk, sock);
	sock->sk = sk;
	RCU_INIT_POINTER(sk->sk_wq, &sock->wq);
	sk->sk_uid = SOCK_INODE(sock)->i_uid;
	return 0;
}

static struct net_proto_family xtcp_family_ops = {
	.create	= xtcp_create,
	.owner	= THIS_MODULE,
};

int xtcp_af_init(void)
{
	int err;

	if (family <= AF_UNSPEC || family >= NPROTO) {
		pr_err("family=%d is out of range: pick a free number from 1 to %d\n",
		       family, NPROTO - 1);
		return -EINVAL;
	}
	xtcp_family_ops.family = family;

	err = proto_register(&xtcp_prot, 1);
	if (err) {
		pr_err("proto_register failed: %d\n", err);
		return err;
	}

	err = sock_register(&xtcp_family_ops);
	if (err) {
		if (err == -EEXIST)
			pr_err("socket family %d is already registered by another module; load xtcp with family=N for a free N below %d\n",
			       family, NPROTO);
		else
			pr_err("sock_register(%d) failed: %d\n", family, err);
		goto err_proto;
	}
	return 0;

err_proto:
	proto_unregister(&xtcp_prot);
	return err;
}

void xtcp_af_exit(void)
{
	sock_unregister(family);
	proto_unregister(&xtcp_prot);
}
