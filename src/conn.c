// SPDX-License-Identifier: GPL-2.0
/*
 * conn.c: the user calls that open and close a connection: bind, connect,
 * getname, shutdown and close.
 *
 * Each answers what the same call on a TCP socket answers, following the
 * kernel's structure (inet_bind, tcp_v4_connect and inet_stream_connect,
 * inet_shutdown, tcp_close); the state table (state.c) decides what close()
 * and shutdown() do in each state.
 */
#include <linux/igmp.h>
#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <linux/sched/signal.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "conn.h"
#include "hash.h"
#include "isn.h"
#include "listen.h"
#include "output.h"
#include "port.h"
#include "seq.h"
#include "sock.h"
#include "state.h"
#include "syn.h"
#include "timer.h"
#include "xtcp.h"

/* Unread data, or SO_LINGER with a zero time: close() aborts with a RST. */
static bool close_aborts(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->rcv_nxt != xs->copied_seq &&
	    !skb_queue_empty(&sk->sk_receive_queue))
		return true;
	return sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime;
}

/*
 * Leave the multicast groups joined with IP_ADD_MEMBERSHIP, as inet_release()
 * does with ip_mc_drop_socket(), which 6.1 does not export: one
 * ip_mc_leave_group() per group, each naming the device it was joined on.
 */
static void drop_multicast(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_mc_socklist *iml;
	struct ip_mreqn imr;

	if (!rcu_access_pointer(inet->mc_list))
		return;
	rtnl_lock();
	while ((iml = rtnl_dereference(inet->mc_list))) {
		imr = iml->multi;
		if (WARN_ON_ONCE(ip_mc_leave_group(sk, &imr)))
			break;
	}
	rtnl_unlock();
}

/* close(): tcp_close(). */
int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct xtcp_transition t;
	int state;

	if (!sk)
		return 0;

	drop_multicast(sk);
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	state = sk->sk_state;
	if (state == XTCP_LISTEN) {
		xtcp_set_state(sk, XTCP_CLOSE);
		xtcp_unhash(sk);
		xtcp_listener_close(sk);
		/* its children's TIME_WAIT buckets keep the port, as in TCP */
		if (xtcp_tw_port_busy(&xtcp_net(sock_net(sk))->tw,
				      sk->sk_rcv_saddr, inet_sk(sk)->inet_sport,
				      0))
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
	if (sk->sk_state != XTCP_CLOSE && !xtcp_orphan_add(sk)) {
		/* tcp_close(): one orphan too many is reset at once */
		xtcp_send_active_rst(sk, GFP_KERNEL);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_MEMORY);
		xtcp_done(sk);
	}
	if (sk->sk_state == XTCP_FIN_WAIT2 && xtcp_sk(sk)->linger2 < 0) {
		/* tcp_close(): TCP_LINGER2 below 0 waits in FIN-WAIT-2 not at all */
		xtcp_send_active_rst(sk, GFP_KERNEL);
		xtcp_set_state(sk, XTCP_CLOSE);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_LINGER);
	}
	if (sk->sk_state == XTCP_FIN_WAIT2)
		xtcp_timer_fin_wait2(sk);
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
int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
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
				sin->sin_addr.s_addr, sin->sin_port,
				READ_ONCE(sk->sk_bound_dev_if))) ||
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
 * A port connect() chose never lands on one (xtcp_port_connect()).
 */
static void tw_give_way(struct sock *sk)
{
	struct xtcp_tw_table *tbl = &xtcp_net(sock_net(sk))->tw;
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_tw_bucket *tw;

	xtcp_sock_assert_locked(sk);
	tw = xtcp_tw_lookup(tbl, sock_net(sk), inet->inet_saddr,
			    inet->inet_sport, inet->inet_daddr,
			    inet->inet_dport, -1, 0);
	if (!tw)
		return;
	if (xtcp_tw_kill(tbl, tw)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_TW_RECYCLED);
		trace_xtcp_tw_reuse(tbl->netns, xtcp_tw_st(tw));
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
	struct xtcp_transition t;
	bool autobound = false;
	struct flowi4 *fl4;
	struct rtable *rt;
	int err;

	xtcp_sock_assert_locked(sk);
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
		/* held until the 4-tuple is hashed: ports are shared (port.c) */
		mutex_lock(&xtcp_net(net)->connect_lock);
		err = xtcp_port_connect(sk, usin->sin_addr.s_addr,
					usin->sin_port, &tw);
		if (err) {
			mutex_unlock(&xtcp_net(net)->connect_lock);
			ip_rt_put(rt);
			goto err_addr;
		}
		autobound = true;
		rt = ip_route_newports(fl4, rt, 0, usin->sin_port,
				       inet->inet_sport, usin->sin_port, sk);
		if (IS_ERR(rt)) {
			mutex_unlock(&xtcp_net(net)->connect_lock);
			err = PTR_ERR(rt);
			goto err_port;
		}
	}
	inet->inet_daddr = usin->sin_addr.s_addr;
	inet->inet_dport = usin->sin_port;
	xtcp_inet_id_init(inet);
	sk_setup_caps(sk, &rt->dst);
	if (!autobound)
		tw_give_way(sk);

	xs->iss = xtcp_isn_seq(inet->inet_saddr, inet->inet_daddr,
			       inet->inet_sport, inet->inet_dport);
	xs->ts_off = xtcp_ts_off(sock_net(sk), inet->inet_saddr,
				 inet->inet_daddr, inet->inet_sport,
				 inet->inet_dport);
	/* a TIME-WAIT 4-tuple taken over: start beyond the old sequence space */
	if (tw.ts_recent_stamp)
		xs->iss = tw.snd_nxt + 65535 + 2;
	WRITE_ONCE(xs->snd_una, xs->iss);
	xs->snd_nxt = xs->iss + 1;
	WRITE_ONCE(xs->write_seq, xs->snd_nxt);
	xs->pushed_seq = xs->write_seq;
	xtcp_options_from_sysctls(sk);
	xs->clamp_raw = 0;	/* a clamp set before bounds the SYN (output.c) */
	xs->adv_mss = 0;	/* from this route */
	xs->rcv_wnd = 0;
	WRITE_ONCE(xs->retries, 0);
	WRITE_ONCE(xs->rto_ms, XTCP_TIMEOUT_INIT_MS);
	xs->backoff = 0;
	xs->rtt = (struct xtcp_rtt){};	/* a socket may connect() again */
	xs->rtt_timing = 0;
	xs->syn_lost = 0;

	/* the state table's active OPEN: CLOSED to SYN-SENT, sending a SYN */
	t = xtcp_state_next(sk->sk_state, XTCP_EV_CONNECT, false);
	xtcp_unhash(sk);
	xtcp_set_state(sk, t.next);
	err = xtcp_hash_connection(sk);
	if (autobound)
		mutex_unlock(&xtcp_net(net)->connect_lock);
	if (err)
		goto err_state;
	xtcp_inc_stat(net, XTCP_STAT_ACTIVE_OPENS);
	if (t.actions & XTCP_ACT_SYN) {
		err = xtcp_send_syn(sk);
		xtcp_timer_syn_sent(sk);
	}
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
int xtcp_connect(struct socket *sock, struct sockaddr *uaddr,
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

int xtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
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

/* shutdown(): inet_shutdown() and tcp_shutdown(). */
int xtcp_shutdown(struct socket *sock, int how)
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
		xtcp_listener_close(sk);
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
