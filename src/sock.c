// SPDX-License-Identifier: GPL-2.0
/*
 * sock.c: an xtcp socket's life, from allocation to destruction.
 *
 * xtcp_sk_alloc() makes a socket in CLOSE, for socket() or for a listener's
 * child; xtcp_done() ends a connection (out of the tables, timers stopped,
 * queues purged, the port given back); the destructor frees what is left when
 * the last reference goes. xtcp_set_state() is the one place a socket's state
 * changes, with tcp_set_state()'s counters. Every socket, orphan or not, holds
 * the module through xtcp_prot.owner (sk_alloc), so rmmod waits for the last
 * one. Part of the socket glue: called by the socket calls, and today also
 * by the packet path (xtcp_done(), xtcp_set_state(): the known upward calls
 * of Documentation/packet-path.rst).
 */
#include <linux/module.h>
#include <linux/seq_file.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "acceptq.h"
#include "hash.h"
#include "icmp.h"
#include "input.h"
#include "mem.h"
#include "output.h"
#include "port.h"
#include "recovery.h"
#include "sock.h"
#include "state.h"
#include "timer.h"
#include "xtcp.h"

/* Work deferred while the user owned the socket (tcp_release_cb()). */
static void xtcp_release_cb(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	xtcp_tsq_deferred(sk);	/* first, as tcp_release_cb() */
	if (test_and_clear_bit(XTCP_DEFER_MTU, &xtcp_sk(sk)->deferred))
		xtcp_sk(sk)->af->mtu_reduced(sk);
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
		xtcp_timer_keepalive_off(sk);
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

	seq_puts(seq, "state refcnt wmem_alloc rmem_alloc rcvbuf wmem_queued sndbuf dead hashed timer deferred parent local remote\n");
	spin_lock_bh(&all_sockets_lock);
	list_for_each_entry(xs, &all_sockets, all_node) {
		struct sock *sk = &xs->inet.sk;

		/* the initial namespace sees all, also of namespaces gone */
		if (!net_eq(sock_net(sk), net) && !net_eq(net, &init_net))
			continue;
		seq_printf(seq, "%02X %d %d %d %d %d %d %d %d %d %lx %d %pI4:%u %pI4:%u\n",
			   sk->sk_state, refcount_read(&sk->sk_refcnt),
			   refcount_read(&sk->sk_wmem_alloc),
			   atomic_read(&sk->sk_rmem_alloc),
			   READ_ONCE(sk->sk_rcvbuf),
			   READ_ONCE(sk->sk_wmem_queued),
			   READ_ONCE(sk->sk_sndbuf),
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
	xtcp_sacks_reset(&xs->rcv_sacks);
	xtcp_write_queue_free(sk);
	/* every page back to xtcp's total (sk_stream_kill_queues()) */
	sk_mem_reclaim_final(sk);
	WARN_ON_ONCE(sk->sk_forward_alloc);
	WARN_ON_ONCE(sk->sk_wmem_queued);
	sk_sockets_allocated_dec(sk);
	xtcp_ca_release(sk);	/* tcp_cleanup_congestion_control() */
	xtcp_cong_put(xs->ca_ops);
	dst_release(rcu_dereference_protected(sk->sk_dst_cache, 1));
	RCU_INIT_POINTER(sk->sk_dst_cache, NULL);
	/* IP_OPTIONS, as inet_sock_destruct() frees them */
	kfree(rcu_dereference_protected(inet_sk(sk)->inet_opt, 1));
	RCU_INIT_POINTER(inet_sk(sk)->inet_opt, NULL);
}

/*
 * tcp_stream_memory_free(), as xtcp_prot's .stream_memory_free: room for
 * more only while fewer than TCP_NOTSENT_LOWAT bytes are unsent. The kernel's
 * sk_stream_memory_free() asks it (@wake 0) for sendmsg() and its wait,
 * sk_stream_wait_memory(); poll and xtcp_write_space() ask with @wake 1,
 * and so report POLLOUT only once the unsent bytes are below half the mark,
 * as sock_def_write_space() waits for half the buffer.
 */
static bool xtcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 notsent = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);

	return (notsent << wake) < xtcp_notsent_lowat(sk);
}

/* sk_stream_write_space(), which 6.1 does not export. */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !__sk_stream_is_writeable(sk, 1))
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

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	.backlog_rcv	= xtcp_rcv,
	.release_cb	= xtcp_release_cb,
	.keepalive	= xtcp_set_keepalive,
	.stream_memory_free	= xtcp_stream_memory_free,
	/* tcp_prot's memory accounting, on xtcp's own counters (mem.c) */
	.enter_memory_pressure	= xtcp_enter_memory_pressure,
	.leave_memory_pressure	= xtcp_leave_memory_pressure,
	.sockets_allocated	= &xtcp_sockets_allocated,
	.memory_allocated	= &xtcp_memory_allocated,
	.per_cpu_fw_alloc	= &xtcp_memory_per_cpu_fw_alloc,
	.memory_pressure	= &xtcp_memory_pressure,
	.sysctl_mem		= xtcp_sysctl_mem,
	/* .sysctl_rmem_offset, .sysctl_wmem_offset: xtcp_mem_init_prot() */
};
EXPORT_SYMBOL_IF_KUNIT(xtcp_prot);

/*
 * Before proto_register(): the least a socket may hold under memory pressure
 * (__sk_mem_raise_allocated()): the socket's namespace's net.ipv4.tcp_rmem[0]
 * and tcp_wmem[0], read through the same offsets into struct net as TCP's
 * (sk_get_rmem0()). The kernel reads them itself, so net.xtcp.rmem[0] and
 * wmem[0] cannot override them (Documentation/user-guide.rst).
 */
void xtcp_mem_init_prot(void)
{
	xtcp_prot.sysctl_rmem_offset = offsetof(struct net,
						 ipv4.sysctl_tcp_rmem);
	xtcp_prot.sysctl_wmem_offset = offsetof(struct net,
						 ipv4.sysctl_tcp_wmem);
}

/* A fresh socket in CLOSE, for socket() or for a listener's child. */
struct sock *xtcp_sk_alloc(struct net *net, int family, gfp_t gfp, int kern)
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
	/*
	 * IPv4, the only version yet (struct xtcp_af_ops), and its GSO skbs
	 * (tcp_v4_connect(), and a child's in tcp_v4_syn_recv_sock(), which
	 * it inherits here); sk_setup_caps() says whether the route takes
	 * them when ip_queue_xmit() routes us.
	 */
	xs->af = &xtcp_ipv4_ops;
	sk->sk_gso_type = xs->af->gso_type;
	sk->sk_destruct = xtcp_destruct;
	sk->sk_write_space = xtcp_write_space;
	sk->sk_backlog_rcv = xtcp_rcv;
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
	 * tcp_rmem[1] and tcp_wmem[1] (or the net.xtcp.rmem, wmem overrides),
	 * as tcp_init_sock() takes them; autotune.c grows them as the
	 * connection needs.
	 */
	sk_sockets_allocated_inc(sk);
	sk->sk_rcvbuf = xtcp_rmem(net, 1);
	sk->sk_sndbuf = xtcp_wmem(net, 1);
	/* until a connect() or a SYN settles it (xtcp_options_from_sysctls()) */
	xs->rcv_wscale = xtcp_initial_rcv_wscale(sk);
	xtcp_cc_start(sk, &xtcp_reno);	/* until xtcp_cc_default() */
	xtcp_timer_init(sk);
	xtcp_pacing_init(sk);
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
/*
 * close() left @sk to finish on its own: one more orphan of its namespace
 * (tcp_orphan_count). False when that makes more than net.xtcp.max_orphans
 * (tcp_check_oom()): the caller resets it. xtcp_done() counts it out.
 */
bool xtcp_orphan_add(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	xs->orphan_counted = 1;
	if (atomic_inc_return(&xn->orphans) <= READ_ONCE(xn->max_orphans))
		return true;
	net_info_ratelimited("too many orphaned sockets\n");
	return false;
}

void xtcp_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool was_syn_recv = sk->sk_state == XTCP_SYN_RECV;
	struct sock *parent = xs->parent;

	xtcp_sock_assert_locked(sk);
	if (xs->orphan_counted) {
		xs->orphan_counted = 0;
		atomic_dec(&xtcp_net(sock_net(sk))->orphans);
	}
	xtcp_set_state(sk, XTCP_CLOSE);
	xtcp_timer_stop(sk);
	xtcp_pacing_stop(sk);
	xtcp_unhash(sk);
	xtcp_ofo_purge(&xs->ofo);
	xtcp_sacks_reset(&xs->rcv_sacks);
	xtcp_write_queue_purge(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	/*
	 * A child that dies in SYN-RECV (before the ACK that made it could
	 * establish it) leaves its listener's accept queue.
	 */
	if (parent && was_syn_recv) {
		bool unlinked = xtcp_acceptq_unlink(xtcp_sk(parent), xs);

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
EXPORT_SYMBOL_IF_KUNIT(xtcp_done);

void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	xtcp_sock_assert_locked(sk);
	if (old == state)
		return;
	/* tcp_set_state()'s bookkeeping, so the counters read like TCP's */
	if (state == XTCP_ESTABLISHED)
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_CURR_ESTAB);
	else if (old == XTCP_ESTABLISHED)
		xtcp_dec_stat(sock_net(sk), XTCP_STAT_CURR_ESTAB);
	/* straight to CLOSE from a synchronized open state: an abort */
	if (state == XTCP_CLOSE &&
	    (old == XTCP_ESTABLISHED || old == XTCP_CLOSE_WAIT))
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ESTAB_RESETS);
	trace_xtcp_state_change(sk, old, state);
	xtcp_state_store(sk, state);
}

/*
 * Give @skb to @sk, which the caller found for it and holds, as tcp_v4_rcv()
 * gives a segment to its socket: at once under the socket's spinlock, unless
 * its owner runs; then onto the backlog that release_sock() hands to
 * xtcp_backlog_rcv() (tcp_add_backlog()). False if the backlog is full:
 * counted (TCPBacklogDrop, and the socket's drops, not InErrs, as Linux
 * counts it), and @skb is the caller's to free. @subclass is lockdep's:
 * SINGLE_DEPTH_NESTING while the caller owns a listener. BHs off.
 */
bool xtcp_sk_receive(struct sock *sk, struct sk_buff *skb, int subclass)
{
	bool taken = true;

	lockdep_assert(in_softirq());	/* the hook's softirq, or BHs off */
	spin_lock_nested(&sk->sk_lock.slock, subclass);
	if (!sock_owned_by_user(sk)) {
		xtcp_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, xtcp_backlog_limit(sk))) {
		sk_drops_add(sk, skb);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_BACKLOG_DROPS);
		taken = false;
	}
	bh_unlock_sock(sk);
	return taken;
}
