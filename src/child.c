// SPDX-License-Identifier: GPL-2.0
/*
 * child.c: a listener's segments, and the children they make.
 *
 * A SYN for a listener makes no socket: a request (request.c, Linux's
 * request_sock), hashed as a connection and counted on the listener's SYN
 * queue (acceptq.h), which answers with its SYN+ACK. When the peer's ACK
 * completes the handshake, the child socket is made (new_child()), takes the
 * request's place in the table, joins the accept queue in SYN-RECV and
 * takes the ACK (input.c), which establishes it; accept() (listen.c) takes
 * it from there. A SYN cookie's ACK makes its child the same way. Any other
 * segment to a listener is answered as the state table says: a RST, or
 * nothing.
 */
#include <linux/filter.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "acceptq.h"
#include "child.h"
#include "cookie.h"
#include "hook.h"
#include "ecn.h"
#include "hash.h"
#include "input.h"
#include "isn.h"
#include "mem.h"
#include "output.h"
#include "port.h"
#include "recovery.h"
#include "request.h"
#include "sock.h"
#include "state.h"
#include "syn.h"
#include "timer.h"
#include "xtcp.h"

/*
 * A passive child is established: its listener, on whose accept queue it
 * waits (new_child()), is told.
 */
void xtcp_child_established(struct sock *sk)
{
	struct sock *parent = xtcp_sk(sk)->parent;

	xtcp_sock_assert_locked(sk);
	if (parent)
		parent->sk_data_ready(parent);
}

static void __rcv_listen_syn(struct sock *sk, struct sk_buff *skb);

/*
 * A new connection for a listener: a request. Runs in softirq, or from the
 * listener's backlog in process context with BHs enabled: BHs are held off
 * around the transmit of the SYN+ACK, as for any segment sent under a
 * socket spinlock.
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

/*
 * A child of listener @sk for the peer of @skb (the ACK that completes the
 * handshake of request @req, or of a SYN cookie when @req is NULL), in
 * SYN-RECV: what the SYN said in @opt and @irs, our ISN @iss. Hashed (in
 * @req's place), on the accept queue, which holds its first reference, and
 * returned locked (bh_lock_sock_nested()); NULL when there is none (counted
 * in ListenDrops). Counted in PassiveOpens, as tcp_create_openreq_child()
 * counts a child.
 */
static struct sock *new_child(struct sock *sk, struct sk_buff *skb,
			      const struct xtcp_options *opt, u32 irs,
			      u16 window, u32 iss, struct xtcp_request *req)
{
	struct xtcp_sock *lxs = xtcp_sk(sk), *xs;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *child;

	xtcp_sock_assert_locked(sk);
	child = xtcp_sk_alloc(sock_net(sk), sk->sk_family, GFP_ATOMIC, !sk->sk_net_refcnt);
	if (!child)
		goto drop;
	if (!inherit_filter(child, sk)) {
		sock_put(child);
		goto drop;
	}
	xs = xtcp_sk(child);
	/* its memory, queued from now on, charged to its listener's cgroup */
	xtcp_mem_inherit_memcg(child, sk);
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
	sock_set_flag(child, SOCK_RCU_FREE);
	xs->user_mss = lxs->user_mss;
	xs->nodelay = lxs->nodelay;
	xs->cork = lxs->cork;
	xs->pingpong = lxs->pingpong;
	xs->keepidle = lxs->keepidle;
	xs->keepintvl = lxs->keepintvl;
	xs->keepcnt = lxs->keepcnt;
	xs->user_timeout = lxs->user_timeout;
	xs->notsent_lowat = lxs->notsent_lowat;
	xs->recvmsg_inq = lxs->recvmsg_inq;
	xs->thin_lto = lxs->thin_lto;
	xs->syn_retries = lxs->syn_retries;
	xs->linger2 = lxs->linger2;
	/* the listener's TCP_WINDOW_CLAMP bounds the SYN+ACK and the child */
	xs->clamp_opt = READ_ONCE(lxs->clamp_opt);
	xs->clamp_raw = 0;
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
	xtcp_syn_learn_opts(child, opt, irs, window);
	xs->iss = iss;
	xs->ts_off = xtcp_ts_off(sock_net(child), iph->daddr, iph->saddr,
				 th->dest, th->source);
	WRITE_ONCE(xs->snd_una, xs->iss);
	xs->snd_nxt = xs->iss + 1;
	WRITE_ONCE(xs->write_seq, xs->snd_nxt);
	xs->pushed_seq = xs->write_seq;
	/* a child starts as its listener's clone, as in inet_csk_clone_lock() */
	trace_xtcp_state_change(child, XTCP_LISTEN, XTCP_SYN_RECV);
	xtcp_state_store(child, XTCP_SYN_RECV);

	/* what the SYN+ACK advertised (request.c, send_cookie()) */
	xs->rcv_wnd = req ? req->rcv_wnd : xtcp_syn_rcv_wnd(child);
	if (req) {
		/*
		 * The SYN+ACK's round trip, if it went once (Karn), as
		 * tcp_synack_rtt_meas() takes it; else the ACK's timestamp
		 * echo gives it (input.c). Its losses count as a SYN's.
		 */
		xs->rtt_timing = !req->retrans;
		xs->rtt_seq = iss + 1;
		xs->rtt_start_ns = req->synack_ns;
		xs->syn_lost = !!req->retrans;
	}

	bh_lock_sock_nested(child);
	if (req ? !xtcp_req_complete(req, child) : xtcp_hash_connection(child)) {
		bh_unlock_sock(child);
		xtcp_state_store(child, XTCP_CLOSE);
		sock_put(child);
		goto drop;
	}
	xtcp_port_share(child, sk);
	sock_hold(sk);
	xs->parent = sk;
	if (!xtcp_acceptq_add(lxs, xs)) {
		/* not while we hold the listener: its close takes it */
		xs->parent = NULL;
		sock_put(sk);
		xtcp_done(child);
		bh_unlock_sock(child);
		sock_put(child);
		goto drop;
	}
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_PASSIVE_OPENS);
	return child;
drop:
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
	return NULL;
}

/*
 * The SYN queue is full, or cookies are always on: a cookie, or nothing
 * (tcp_syn_flood_action()). The first time, and not when net.xtcp.syncookies
 * is 2, the kernel log says so.
 */
static bool syn_flood_action(struct sock *sk, int syncookies)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct net *net = sock_net(sk);

	xtcp_inc_stat(net, syncookies ? XTCP_STAT_REQQ_FULL_DO_COOKIES :
			   XTCP_STAT_REQQ_FULL_DROP);
	if (!READ_ONCE(lxs->synflood_warned) && syncookies != 2 &&
	    xchg(&lxs->synflood_warned, 1) == 0)
		net_info_ratelimited("Possible SYN flooding on port %u. %s.  Check SNMP counters.\n",
				     inet_sk(sk)->inet_num,
				     syncookies ? "Sending cookies" :
						  "Dropping request");
	return syncookies;
}

/*
 * Answer a SYN with a cookie and keep nothing (cookie_init_sequence() and a
 * TCP_SYNACK_COOKIE SYN+ACK): the options a child would offer, but without
 * the SYN's timestamps only the MSS, for only a timestamp can carry the rest
 * back to us.
 */
static void send_cookie(struct sock *sk, struct sk_buff *skb,
			const struct xtcp_options *opt)
{
	const struct net *net = sock_net(sk);
	struct xtcp_sock *lxs = xtcp_sk(sk);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_cookie_opts co = {};
	struct xtcp_segment seg = {};
	struct xtcp_addrs a;
	u16 mss;
	u32 now;

	mss = (opt->present & XTCP_OPTF_MSS) && opt->mss ? opt->mss :
	      XTCP_DEFAULT_MSS;
	if (lxs->user_mss)
		mss = min(mss, lxs->user_mss);
	seg.sport = ntohs(th->dest);
	seg.dport = ntohs(th->source);
	seg.seq = xtcp_cookie_seq(iph->saddr, iph->daddr, th->source, th->dest,
				  cb->seq, &mss);
	seg.ack = cb->seq + 1;
	seg.flags = XTCP_FLAG_SYN | XTCP_FLAG_ACK;
	seg.window = 0;		/* a child's SYN+ACK's (xtcp_send_synack_stateless()) */
	seg.opt.present = XTCP_OPTF_MSS;
	if ((opt->present & XTCP_OPTF_TIMESTAMP) &&
	    xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps)) {
		co.wscale_ok = (opt->present & XTCP_OPTF_WSCALE) &&
			       xtcp_sysctl(net, window_scaling,
					   sysctl_tcp_window_scaling);
		co.snd_wscale = co.wscale_ok ? opt->wscale : 0;
		co.sack_ok = (opt->present & XTCP_OPTF_SACK_PERM) &&
			     xtcp_sysctl(net, sack, sysctl_tcp_sack);
		if (co.wscale_ok) {
			seg.opt.present |= XTCP_OPTF_WSCALE;
			seg.opt.wscale = xtcp_initial_rcv_wscale(sk);
		}
		if (co.sack_ok)
			seg.opt.present |= XTCP_OPTF_SACK_PERM;
		/* only a timestamp carries it back (tcp_conn_request()) */
		co.ecn_ok = xtcp_ecn_req_ok(net, skb);
		if (co.ecn_ok)
			seg.flags |= XTCP_FLAG_ECE;
		now = xtcp_isn_tsval(0);
		seg.opt.present |= XTCP_OPTF_TIMESTAMP;
		seg.opt.tsval = xtcp_cookie_tsval(now, &co) +
				xtcp_ts_off(sock_net(sk), iph->daddr,
					    iph->saddr, th->dest, th->source);
		seg.opt.tsecr = opt->tsval;
	}
	if (xtcp_cookie_stamp_stale(READ_ONCE(lxs->synq_overflow_ts)))
		WRITE_ONCE(lxs->synq_overflow_ts, jiffies);
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYNCOOKIES_SENT);
	a = xtcp_addrs4(iph->daddr, iph->saddr);
	xtcp_send_as(sk, &a, &seg, XTCP_LISTEN);
}

/* A SYN for listener @sk: a request, a cookie, or nothing. */
static void __rcv_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	int syncookies = xtcp_sysctl(sock_net(sk), syncookies,
				     sysctl_tcp_syncookies);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_request *req;
	struct xtcp_options opt;
	bool want_cookie = false;

	xtcp_sock_assert_locked(sk);
	/* no connection to a broadcast or multicast address (tcp_v4_conn_request()) */
	if (cb->bcast)
		goto drop;
	/*
	 * The order of tcp_conn_request()'s checks, and its counters. A SYN
	 * that reopens a TIME-WAIT 4-tuple passes a full SYN queue, and uses
	 * the ISN that TIME-WAIT chose for it.
	 */
	if ((syncookies == 2 || xtcp_synq_full(sk)) && !cb->tw_isn) {
		want_cookie = syn_flood_action(sk, syncookies);
		if (!want_cookie)
			goto drop;
	}
	if (xtcp_acceptq_full(sk)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_OVERFLOWS);
		goto drop;
	}
	xtcp_syn_options(skb, &opt);
	if (want_cookie) {
		send_cookie(sk, skb, &opt);
		return;
	}
	req = xtcp_req_create(sk, skb, &opt,
			      cb->tw_isn ?: xtcp_isn_seq(iph->daddr, iph->saddr,
							 th->dest, th->source));
	if (!req)
		goto drop;
	xtcp_req_put(req);	/* xtcp_req_create()'s: the table holds it */
	return;
drop:
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
}

/*
 * The ACK that completes a handshake, of a SYN cookie (@req NULL) or of
 * request @req: a child, made with what the SYN said, takes it and any text
 * or FIN on it, which establishes it. With the accept queue full, as
 * tcp_v4_syn_recv_sock() and tcp_check_req() with tcp_abort_on_overflow 0:
 * no child and no answer (ListenOverflows, ListenDrops); a request stays,
 * and its SYN+ACK, sent again, brings the ACK again. Consumes @skb.
 */
static void child_for_ack(struct sock *sk, struct sk_buff *skb,
			  const struct xtcp_options *opt, u32 irs, u16 window,
			  u32 iss, struct xtcp_request *req, bool ecn_ok)
{
	struct sock *child;

	xtcp_sock_assert_locked(sk);
	local_bh_disable();
	if (xtcp_acceptq_full(sk)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_OVERFLOWS);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
		kfree_skb(skb);
		goto out;
	}
	child = new_child(sk, skb, opt, irs, window, iss, req);
	if (!child) {
		kfree_skb(skb);
		goto out;
	}
	/* as the SYN+ACK agreed (tcp_ecn_openreq_child()) */
	xtcp_sk(child)->ecn_flags = ecn_ok ? XTCP_ECN_OK : 0;
	/* ours across the ACK, which may end the child and the queue's ref */
	sock_hold(child);
	xtcp_rcv(child, skb);
	bh_unlock_sock(child);
	sock_put(child);	/* ours */
out:
	local_bh_enable();
}

/*
 * An ACK for listener @sk that may bear one of its SYN cookies
 * (cookie_v4_check()): then a child, made as the SYN would have made it,
 * takes the ACK (and any text on it) as its own and is established. True
 * when @skb was consumed; false when it was no cookie, and the listener
 * answers it as it would any stray ACK.
 */
static bool rcv_cookie_ack(struct sock *sk, struct sk_buff *skb)
{
	const struct net *net = sock_net(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_cookie_opts co = {};
	struct xtcp_options opt = {};
	u32 tsecr;
	u16 mss;

	xtcp_sock_assert_locked(sk);
	if (!xtcp_sysctl(net, syncookies, sysctl_tcp_syncookies) ||
	    !xtcp_cookie_recent(READ_ONCE(xtcp_sk(sk)->synq_overflow_ts)))
		return false;
	mss = xtcp_cookie_check(iph->saddr, iph->daddr, th->source, th->dest,
				cb->seq, cb->ack - 1);
	if (!mss) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYNCOOKIES_FAILED);
		return false;
	}
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYNCOOKIES_RECV);
	/* the SYN's options, from what the timestamp echoes (or none) */
	if (cb->has_ts) {
		if (!xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps))
			return false;
		tsecr = cb->tsecr;
		if (tsecr)
			tsecr -= xtcp_ts_off(net, iph->daddr, iph->saddr,
					     th->dest, th->source);
		if (!xtcp_cookie_ts_decode(tsecr,
					   xtcp_sysctl(net, sack, sysctl_tcp_sack),
					   xtcp_sysctl(net, window_scaling,
						       sysctl_tcp_window_scaling),
					   &co))
			return false;
		opt.present |= XTCP_OPTF_TIMESTAMP;
		opt.tsval = cb->tsval;
		if (co.wscale_ok) {
			opt.present |= XTCP_OPTF_WSCALE;
			opt.wscale = co.snd_wscale;
		}
		if (co.sack_ok)
			opt.present |= XTCP_OPTF_SACK_PERM;
	}
	opt.present |= XTCP_OPTF_MSS;
	opt.mss = mss;

	/* cookie_ecn_ok(): if the cookie says so, and the sysctl still does */
	child_for_ack(sk, skb, &opt, cb->seq - 1, cb->window, cb->ack - 1,
		      NULL, co.ecn_ok && xtcp_ecn_mode(net));
	return true;
}

/*
 * The ACK that completes the handshake of request @req of listener @sk
 * (request.c): the child, made in the request's place, takes it (see
 * child_for_ack()). Consumes @skb.
 */
void xtcp_child_from_req(struct sock *sk, struct xtcp_request *req,
			 struct sk_buff *skb)
{
	struct xtcp_options opt;

	xtcp_req_options(req, &opt);
	child_for_ack(sk, skb, &opt, req->irs, req->window, req->iss, req,
		      req->ecn_ok);
}

/*
 * A segment the hook found for a request, which an earlier segment made into
 * child @child while this one waited in the listener's backlog (the peer's
 * ACK, then at once its FIN): the child takes it, as tcp_v4_rcv() looks the
 * 4-tuple up again when another CPU stole the request (req_stolen); it is no
 * stray segment for the listener to reset. Consumes @skb.
 */
static void rcv_for_child(struct sock *sk, struct sock *child,
			  struct sk_buff *skb)
{
	xtcp_sock_assert_locked(sk);
	local_bh_disable();
	if (!xtcp_sk_receive(child, skb, SINGLE_DEPTH_NESTING))
		kfree_skb(skb);
	local_bh_enable();
}

/*
 * A segment for listener @sk, which is locked: for one of its requests, or
 * its own. Consumes @skb.
 */
void xtcp_child_listener_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *found;
	enum xtcp_event ev;

	xtcp_sock_assert_locked(sk);
	/*
	 * The hook found a request and handed the segment to its listener,
	 * which may have kept it on its backlog meanwhile: the 4-tuple is
	 * looked up again, once, for the request or the child made from it.
	 */
	found = xtcp_lookup_established(sock_net(sk), iph->daddr, th->dest,
					iph->saddr, th->source, -1, 0);
	if (found && xtcp_is_request(found) &&
	    xtcp_req(found)->listener == sk) {
		xtcp_req_rcv(sk, xtcp_req(found), skb);
		xtcp_req_put(xtcp_req(found));	/* the lookup's */
		return;
	}
	if (found && !xtcp_is_request(found) &&
	    !(cb->flags & XTCP_FLAG_SYN)) {
		rcv_for_child(sk, found, skb);
		sock_put(found);	/* the lookup's */
		return;
	}
	if (found)
		xtcp_sk_put(found);	/* the lookup's */
	if (cb->flags & XTCP_FLAG_RST)
		goto free;
	if (cb->flags & XTCP_FLAG_ACK)
		ev = (cb->flags & XTCP_FLAG_SYN) ? XTCP_EV_SYN_ACK : XTCP_EV_ACK;
	else if (cb->flags & XTCP_FLAG_SYN)
		ev = XTCP_EV_SYN;
	else
		goto free;
	if (ev == XTCP_EV_ACK && rcv_cookie_ack(sk, skb))
		return;
	if (xtcp_state_next(XTCP_LISTEN, ev, false).actions & XTCP_ACT_NEW_CHILD)
		rcv_listen_syn(sk, skb);
	else
		xtcp_send_reset(sock_net(sk), skb);
free:
	kfree_skb(skb);
}
