// SPDX-License-Identifier: GPL-2.0
/*
 * child.c: a listener's segments, and the children they make.
 *
 * A SYN for a listener makes a child in SYN-RECV, hashed as a connection and
 * on the listener's SYN queue (acceptq.h); the child answers with its SYN+ACK.
 * When the peer's ACK completes the handshake (input.c), the child moves to
 * the accept queue, whence accept() (listen.c) takes it. Any other segment to
 * a listener is answered as the state table says: a RST, or nothing.
 */
#include <linux/filter.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "acceptq.h"
#include "child.h"
#include "isn.h"
#include "sock.h"
#include "state.h"
#include "syn.h"
#include "xtcp.h"

/* A passive child is established: on to the listener's accept queue. */
void xtcp_child_established(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sock *parent = xs->parent;

	xtcp_sock_assert_locked(sk);
	if (!parent)
		return;
	if (!xtcp_synq_to_acceptq(xtcp_sk(parent), xs)) {
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

	xtcp_sock_assert_locked(sk);
	if (xtcp_acceptq_full(sk)) {
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
	/*
	 * A child that inherits SO_TIMESTAMP holds the receive timestamps on
	 * for itself, as sk_clone_lock() does: its destruction turns them off
	 * once.
	 */
	if (child->sk_flags & SK_FLAGS_TIMESTAMP)
		net_enable_timestamp();
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
	xtcp_inet_id_init(inet_sk(child));

	xs->passive = 1;
	xtcp_options_from_sysctls(child);
	xtcp_syn_learn(child, skb);
	xs->iss = xtcp_isn_seq(iph->daddr, iph->saddr, th->dest, th->source);
	xs->ts_off = xtcp_isn_ts_off(iph->daddr, iph->saddr, th->dest,
				     th->source);
	WRITE_ONCE(xs->snd_una, xs->iss);
	xs->snd_nxt = xs->iss + 1;
	WRITE_ONCE(xs->write_seq, xs->snd_nxt);
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
	xtcp_synq_add(lxs, xs);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_PASSIVE_OPENS);

	xtcp_send_synack(child);
	xtcp_timer_syn_sent(child);
	bh_unlock_sock(child);
}

void xtcp_child_listener_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	enum xtcp_event ev;

	xtcp_sock_assert_locked(sk);
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
