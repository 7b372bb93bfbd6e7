// SPDX-License-Identifier: GPL-2.0
/*
 * request.c: a listener's connection requests (request.h), as Linux 6.1's
 * request_sock: made by a SYN (child.c's __rcv_listen_syn(), tcp_conn_request()),
 * hashed and counted on the SYN queue (inet_csk_reqsk_queue_hash_add()),
 * its SYN+ACK retransmitted by its own timer until net.xtcp.synack_retries,
 * or fewer times once the queue is over half full of old requests
 * (reqsk_timer_handler()), and its segments judged as tcp_check_req() judges
 * them, through the state table's passive SYN-RECV row: the ACK of our SYN
 * makes the child (child.c), a RST or SYN in the window ends the request, a
 * bad ACK is answered with a RST, anything out of the window with our SYN+ACK.
 *
 * Segments for a request are handled under its listener's lock (hook.c
 * hands them to the listener, child.c looks the request up again), so a request
 * never has two of them at once. Its timer takes no socket lock: it and the
 * segment path agree through the table (xtcp_unhash_request()), as Linux's
 * timer and tcp_check_req() do.
 */
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "child.h"
#include "compat.h"
#include "ecn.h"
#include "hash.h"
#include "hook.h"
#include "isn.h"
#include "output.h"
#include "request.h"
#include "rtt.h"
#include "seq.h"
#include "skb_cb.h"
#include "state.h"
#include "xtcp.h"

/* the first SYN+ACK's time-out, doubled for each retransmission (TCP_TIMEOUT_INIT) */
#define REQ_TIMEOUT_MS	1000

static struct kmem_cache *req_cache;

int xtcp_req_init(void)
{
	/* a request is found as a socket: its sock_common first */
	BUILD_BUG_ON(offsetof(struct xtcp_request, common) != 0);
	req_cache = kmem_cache_create("xtcp_request",
				      sizeof(struct xtcp_request), 0, 0, NULL);
	return req_cache ? 0 : -ENOMEM;
}

void xtcp_req_exit(void)
{
	rcu_barrier();		/* the last requests' req_free_rcu() */
	kmem_cache_destroy(req_cache);
}

static void req_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(req_cache,
			container_of(head, struct xtcp_request, rcu));
}

/* Drop a reference; the last one frees the request after a grace period. */
void xtcp_req_put(struct xtcp_request *req)
{
	struct sock *rsk = xtcp_req_sk(req);

	if (!refcount_dec_and_test(&rsk->sk_refcnt))
		return;
	WARN_ON_ONCE(!sk_unhashed(rsk));
	sock_put(req->listener);	/* the request's */
	call_rcu(&req->rcu, req_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_req_put);

/* How long the SYN+ACK waits for its ACK now (reqsk_timeout()). */
static u32 req_timeout_ms(const struct xtcp_request *req)
{
	return min_t(u32, REQ_TIMEOUT_MS << min_t(u8, req->retrans, 8),
		     XTCP_RTO_MAX_MS);
}

/*
 * A segment of the request's connection: its SYN+ACK, the ACK that answers
 * a segment out of window (tcp_v4_reqsk_send_ack()), or the RST that ends it;
 * with what the SYN+ACK offered, from the listener's route and with its TTL,
 * TOS, mark and priority (tcp_v4_send_synack()).
 */
static void req_send(struct xtcp_request *req, u8 flags)
{
	struct sock *rsk = xtcp_req_sk(req);
	struct xtcp_segment seg = {};
	struct xtcp_addrs a;
	/* as the child will have it (xtcp_syn_learn_opts()) */
	u8 rcv_wscale = req->wscale_ok ?
			xtcp_initial_rcv_wscale(req->listener) : 0;

	seg.sport = rsk->sk_num;
	seg.dport = ntohs(rsk->sk_dport);
	seg.seq = (flags & XTCP_FLAG_SYN) ? req->iss : req->iss + 1;
	seg.ack = req->irs + 1;
	seg.flags = flags;
	if (flags & XTCP_FLAG_SYN) {
		/* never scaled (RFC 7323 §2.2); MSS and window the route's */
		seg.opt.present = XTCP_OPTF_MSS;
		if (req->wscale_ok) {
			seg.opt.present |= XTCP_OPTF_WSCALE;
			seg.opt.wscale = rcv_wscale;
		}
		if (req->sack_ok)
			seg.opt.present |= XTCP_OPTF_SACK_PERM;
		if (req->ecn_ok)	/* tcp_ecn_make_synack() */
			seg.flags |= XTCP_FLAG_ECE;
	} else if (!(flags & XTCP_FLAG_RST)) {
		/* tcp_v4_reqsk_send_ack(): rsk_rcv_wnd, scaled */
		seg.window = req->rcv_wnd >> rcv_wscale;
	}
	if (req->ts_ok) {
		seg.opt.present |= XTCP_OPTF_TIMESTAMP;
		seg.opt.tsval = xtcp_isn_tsval(req->ts_off);
		seg.opt.tsecr = READ_ONCE(req->ts_recent);
	}
	a = xtcp_sk_addrs(rsk);
	xtcp_send_as(req->listener, &a, &seg, XTCP_SYN_RECV);
	if (flags & XTCP_FLAG_SYN)
		req->rcv_wnd = seg.window;
}

/*
 * Out of the table and off the SYN queue, both at once under the listener's
 * accept_lock; or, with @child, the child in its place in the table
 * (inet_csk_complete_hashdance()). True for the one caller that did it: it
 * owns the table's reference.
 */
static bool req_unlink(struct xtcp_request *req, struct sock *child)
{
	struct xtcp_sock *lxs = xtcp_sk(req->listener);
	struct sock *rsk = xtcp_req_sk(req);
	bool was;

	spin_lock_bh(&lxs->accept_lock);
	was = child ? xtcp_hash_replace(rsk, child) : xtcp_unhash_request(rsk);
	if (was) {
		list_del_init(&req->synq_node);
		WRITE_ONCE(lxs->syn_count, lxs->syn_count - 1);
		/* reqsk_queue_removed(): young till its first time-out */
		if (!req->retrans)
			WRITE_ONCE(lxs->syn_young, lxs->syn_young - 1);
	}
	spin_unlock_bh(&lxs->accept_lock);
	return was;
}

/* The request is over: its timer's reference too, if it was only queued. */
static void req_end(struct xtcp_request *req)
{
	if (hrtimer_try_to_cancel(&req->timer) == 1)
		xtcp_req_put(req);	/* the timer's */
	xtcp_req_put(req);		/* the table's */
}

/*
 * End a request (its timer gave up, a RST or a SYN in its window, its
 * listener closed, an ICMP error): out of the table and the SYN queue. A
 * running timer finds it gone and drops its own reference. The caller holds
 * one. True if this call ended it.
 */
bool xtcp_req_drop(struct xtcp_request *req)
{
	if (!req_unlink(req, NULL))
		return false;
	req_end(req);
	return true;
}

/*
 * The child @child, locked, takes the request's place (child.c). False if
 * the request was gone already: the child is not hashed then.
 */
bool xtcp_req_complete(struct xtcp_request *req, struct sock *child)
{
	if (!req_unlink(req, child))
		return false;
	req_end(req);
	return true;
}

/*
 * Our SYN+ACK sent again, by the timer or for the peer's SYN again
 * (tcp_rtx_synack()): counted in RetransSegs and TCPSynRetrans, traced.
 */
static void req_synack_again(struct xtcp_request *req)
{
	struct net *net = sock_net(req->listener);

	xtcp_inc_stat(net, XTCP_STAT_RETRANS_SEGS);
	xtcp_inc_stat(net, XTCP_STAT_SYN_RETRANS);
	/* its sock_common is all the event reads */
	trace_xtcp_retransmit(xtcp_req_sk(req), req->iss, 0, req->retrans,
			      req_timeout_ms(req));
	req_send(req, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
}

/*
 * How many times a request of listener @sk may send its SYN+ACK again:
 * net.xtcp.synack_retries, fewer while the SYN queue is more than half full
 * and its young requests (whose timer never fired) are too few, as
 * reqsk_timer_handler() prunes it:
 * half the queue is kept for the young, and the old, whose SYN+ACK went
 * unanswered for a second already (a SYN flood's, mostly), are given up
 * early, down to 2 retries, lest they clog it. One retry less for each
 * doubling of twice the young count that qlen still reaches. The listener's
 * TCP_SYNCNT comes before the sysctl, as its icsk_syn_retries does.
 */
static int req_max_retries(const struct sock *sk)
{
	const struct xtcp_sock *lxs = xtcp_sk(sk);
	int retries = READ_ONCE(lxs->syn_retries) ?:
		      xtcp_sysctl(sock_net(sk), synack_retries,
				  sysctl_tcp_synack_retries);
	u32 qlen = READ_ONCE(lxs->syn_count);
	u32 young;

	if ((qlen << 1) <= max(8U, READ_ONCE(sk->sk_max_ack_backlog)))
		return retries;
	young = READ_ONCE(lxs->syn_young) << 1;
	while (retries > 2 && qlen >= young) {
		retries--;
		young <<= 1;
	}
	return retries;
}

/*
 * The request timed out and lives on: one more time-out (num_timeout), and
 * on its first it is young no more; unless it left the SYN queue meanwhile,
 * which counted it then. Under accept_lock, as req_unlink() reads it.
 */
static void req_timed_out(struct xtcp_request *req)
{
	struct xtcp_sock *lxs = xtcp_sk(req->listener);

	spin_lock_bh(&lxs->accept_lock);
	if (!req->retrans && !list_empty(&req->synq_node))
		WRITE_ONCE(lxs->syn_young, lxs->syn_young - 1);
	WRITE_ONCE(req->retrans, req->retrans + 1);
	spin_unlock_bh(&lxs->accept_lock);
}

/*
 * The timer's work (reqsk_timer_handler()): the SYN+ACK again, the time-out
 * doubled, until req_max_retries(); then, or if the listener stopped
 * listening, the request ends. Nothing counts the pruning: the request just
 * ends sooner, as in Linux. Under TCP_DEFER_ACCEPT (syn_ack_recalc()), a
 * request whose peer sent its bare ACK lives on until the deferral is over
 * too, and its SYN+ACK goes again only at its last time-out, for a last ACK
 * or data to complete it. True if the timer is to run again (it keeps its
 * reference); false when it has dropped it.
 */
static bool req_expire(struct xtcp_request *req)
{
	struct sock *sk = req->listener;
	u8 defer = READ_ONCE(xtcp_sk(sk)->defer_accept);
	int max = req_max_retries(sk);
	bool expire, resend;

	if (sk_unhashed(xtcp_req_sk(req)))
		goto put;	/* ended meanwhile */
	if (!defer) {
		expire = req->retrans >= max;
		resend = true;
	} else {
		expire = req->retrans >= max &&
			 (!req->acked || req->retrans >= defer);
		resend = !req->acked || req->retrans >= defer - 1;
	}
	if (READ_ONCE(sk->sk_state) != XTCP_LISTEN || expire) {
		xtcp_req_drop(req);
		goto put;
	}
	req_timed_out(req);
	if (resend)
		req_synack_again(req);
	return true;
put:
	xtcp_req_put(req);	/* the timer's */
	return false;
}

static enum hrtimer_restart req_timer_fn(struct hrtimer *t)
{
	struct xtcp_request *req = container_of(t, struct xtcp_request, timer);

	if (!req_expire(req))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ms_to_ktime(req_timeout_ms(req)));
	return HRTIMER_RESTART;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit: the timer's work now, if it is pending; it is re-armed as it would be. */
void xtcp_req_fire(struct xtcp_request *req)
{
	if (hrtimer_try_to_cancel(&req->timer) != 1)
		return;
	local_bh_disable();
	if (req_expire(req))
		hrtimer_start(&req->timer, ms_to_ktime(req_timeout_ms(req)),
			      HRTIMER_MODE_REL_SOFT);
	local_bh_enable();
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_req_fire);
#endif

/* What is left of the request's time-out, for /proc/net/xtcp. */
u32 xtcp_req_timer_left_ms(struct xtcp_request *req)
{
	s64 ns = ktime_to_ns(hrtimer_get_remaining(&req->timer));

	return ns > 0 ? div_u64(ns, NSEC_PER_MSEC) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_req_timer_left_ms);

/*
 * A request of listener @sk, locked, for the SYN @skb, whose options are
 * @opt; our ISN @iss: hashed, on the SYN queue, its timer running, and its
 * SYN+ACK sent. Returns it with a reference for the caller, or NULL (4-tuple
 * taken, no memory, or the listener closing).
 */
struct xtcp_request *xtcp_req_create(struct sock *sk, struct sk_buff *skb,
				     const struct xtcp_options *opt, u32 iss)
{
	const struct net *net = sock_net(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct xtcp_request *req;
	struct sock *rsk;
	int err;

	xtcp_sock_assert_locked(sk);
	req = kmem_cache_zalloc(req_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!req)
		return NULL;
	rsk = xtcp_req_sk(req);
	rsk->sk_family = sk->sk_family;
	rsk->sk_rcv_saddr = iph->daddr;
	rsk->sk_daddr = iph->saddr;
	rsk->sk_num = ntohs(th->dest);
	rsk->sk_dport = th->source;
	rsk->sk_bound_dev_if = READ_ONCE(sk->sk_bound_dev_if);
	write_pnet(&rsk->sk_net, sock_net(sk));
	rsk->sk_state = XTCP_NEW_SYN_RECV;
	req->listener = sk;
	INIT_LIST_HEAD(&req->synq_node);

	/* what the SYN offered, as far as our sysctls take it up */
	req->iss = iss;
	req->irs = cb->seq;
	req->window = cb->window;
	req->mss = (opt->present & XTCP_OPTF_MSS) ? opt->mss : 0;
	req->wscale_ok = (opt->present & XTCP_OPTF_WSCALE) &&
			 xtcp_sysctl(net, window_scaling,
				     sysctl_tcp_window_scaling);
	req->snd_wscale = req->wscale_ok ? opt->wscale : 0;
	req->sack_ok = (opt->present & XTCP_OPTF_SACK_PERM) &&
		       xtcp_sysctl(net, sack, sysctl_tcp_sack);
	req->ts_ok = (opt->present & XTCP_OPTF_TIMESTAMP) &&
		     xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps);
	if (req->ts_ok) {
		req->ts_recent = opt->tsval;
		req->ts_recent_stamp = ktime_get_seconds();
	}
	req->ecn_ok = xtcp_ecn_req_ok(net, skb);
	req->ts_off = xtcp_ts_off(net, iph->daddr, iph->saddr, th->dest,
				  th->source);
	hrtimer_init(&req->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	req->timer.function = req_timer_fn;

	/* the table's, the timer's and the caller's; the listener's for it */
	refcount_set(&rsk->sk_refcnt, 3);
	sock_hold(sk);
	spin_lock_bh(&lxs->accept_lock);
	err = lxs->accept_closed ? -EINVAL : xtcp_hash_request(rsk);
	if (!err) {
		list_add_tail(&req->synq_node, &lxs->syn_queue);
		/* reqsk_queue_added(): counted, and young */
		WRITE_ONCE(lxs->syn_count, lxs->syn_count + 1);
		WRITE_ONCE(lxs->syn_young, lxs->syn_young + 1);
	}
	spin_unlock_bh(&lxs->accept_lock);
	if (err) {
		sock_put(sk);
		kmem_cache_free(req_cache, req);	/* never seen */
		return NULL;
	}
	/*
	 * Whatever ends it before this (only a forged ICMP error could) leaves
	 * the timer to find it unhashed and drop the timer's reference.
	 */
	hrtimer_start(&req->timer, ms_to_ktime(req_timeout_ms(req)),
		      HRTIMER_MODE_REL_SOFT);
	req->synack_ns = ktime_get_ns();
	req_send(req, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	return req;
}

/* What the SYN said, for the child (xtcp_syn_learn_opts()). */
void xtcp_req_options(const struct xtcp_request *req, struct xtcp_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	if (req->mss) {
		opt->present |= XTCP_OPTF_MSS;
		opt->mss = req->mss;
	}
	if (req->wscale_ok) {
		opt->present |= XTCP_OPTF_WSCALE;
		opt->wscale = req->snd_wscale;
	}
	if (req->sack_ok)
		opt->present |= XTCP_OPTF_SACK_PERM;
	if (req->ts_ok) {
		opt->present |= XTCP_OPTF_TIMESTAMP;
		opt->tsval = READ_ONCE(req->ts_recent);
	}
}

/*
 * RFC 7323 §5.3 R1 against the SYN's timestamp, as paws_reject() in input.c
 * judges a child's segments: an older TSval is an old duplicate. Not a RST.
 */
static bool req_paws_reject(const struct xtcp_request *req,
			    const struct xtcp_skb_cb *cb)
{
	return req->ts_ok && cb->has_ts && !(cb->flags & XTCP_FLAG_RST) &&
	       !xtcp_paws_ok(READ_ONCE(req->ts_recent), req->ts_recent_stamp,
			     cb->tsval, ktime_get_seconds(), XTCP_PAWS_WINDOW);
}

/*
 * Our SYN+ACK again, for the peer's SYN again (tcp_check_req() with
 * inet_rtx_syn_ack()): counted as a retransmission, and the timer restarted
 * with its present time-out, as mod_timer_pending() does. Not a time-out:
 * neither the back-off nor the retries left change.
 */
static void req_rtx_synack(struct xtcp_request *req)
{
	req_synack_again(req);
	/* only a queued timer: a running one re-arms itself, a done one is gone */
	if (hrtimer_try_to_cancel(&req->timer) == 1)
		hrtimer_start(&req->timer, ms_to_ktime(req_timeout_ms(req)),
			      HRTIMER_MODE_REL_SOFT);
}

/*
 * tcp_in_window() against the request's window: the segment ends at or after
 * RCV.NXT and starts at or before its right edge.
 */
static bool req_in_window(const struct xtcp_skb_cb *cb, u32 rcv_nxt, u32 wnd)
{
	return !xtcp_seq_before(cb->end_seq, rcv_nxt) &&
	       !xtcp_seq_after(cb->seq, rcv_nxt + wnd);
}

/*
 * A segment for request @req of listener @sk, which is locked, judged in
 * tcp_check_req()'s order: the peer's SYN again, an ACK of what we never
 * sent, PAWS and the window, RST and SYN, then the ACK that completes the
 * handshake. The events are the state table's passive SYN-RECV row; the
 * answers out of window, like Linux's, are rate-limited per request
 * (TCPACKSkippedSynRecv). Consumes @skb.
 */
void xtcp_req_rcv(struct sock *sk, struct xtcp_request *req,
		  struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 flg = cb->flags & (XTCP_FLAG_RST | XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	struct net *net = sock_net(sk);
	u32 rcv_nxt = req->irs + 1;
	struct xtcp_transition t;
	enum xtcp_event ev;
	bool paws;

	xtcp_sock_assert_locked(sk);
	paws = req_paws_reject(req, cb);
	/* our SYN+ACK was lost: the same SYN again */
	if (cb->seq == req->irs && flg == XTCP_FLAG_SYN && !paws) {
		if (!xtcp_oow_ack_limited(net, cb,
					  XTCP_STAT_ACK_SKIPPED_SYN_RECV,
					  &req->last_oow_ack_time))
			req_rtx_synack(req);
		goto free;
	}
	if ((flg & XTCP_FLAG_ACK) && !(flg & XTCP_FLAG_RST) &&
	    !xtcp_ack_of_syn_acceptable(cb->ack, req->iss, req->iss + 1)) {
		ev = XTCP_EV_BAD_ACK;	/* the listener's RST */
		goto decide;
	}
	if (paws || !req_in_window(cb, rcv_nxt, req->rcv_wnd)) {
		if (paws) {
			xtcp_inc_stat(net, XTCP_STAT_PAWS_ESTAB);
			xtcp_trace_drop_skb(net, skb, "paws");
		} else if (skb->len && xtcp_seq_leq(cb->end_seq, rcv_nxt)) {
			xtcp_inc_stat(net, XTCP_STAT_DUP_DATA);
		}
		if (flg & XTCP_FLAG_RST)
			goto free;
		ev = XTCP_EV_UNACCEPTABLE;
		goto decide;
	}
	/* the SYN's own sequence number: only its ACK counts (RFC 793 fig. 8) */
	if (cb->seq == req->irs)
		flg &= ~XTCP_FLAG_SYN;
	if (flg & XTCP_FLAG_RST)
		ev = cb->seq == rcv_nxt ? XTCP_EV_RST : XTCP_EV_RST_INEXACT;
	else if (flg & XTCP_FLAG_SYN)
		ev = XTCP_EV_SYN;
	else if (flg & XTCP_FLAG_ACK)
		ev = XTCP_EV_ACK_OF_SYN;
	else
		goto free;

decide:
	t = xtcp_state_next(XTCP_SYN_RECV, ev, true);
	/*
	 * tcp_check_req(): while TCP_DEFER_ACCEPT holds, a bare ACK (no text,
	 * no FIN) does not complete the request; it is dropped, and counted
	 */
	if ((t.actions & XTCP_ACT_CONNECTED) && cb->end_seq == rcv_nxt &&
	    READ_ONCE(req->retrans) < READ_ONCE(xtcp_sk(sk)->defer_accept)) {
		req->acked = 1;
		xtcp_inc_stat(net, XTCP_STAT_DEFER_ACCEPT_DROP);
		goto free;
	}
	if (t.actions & XTCP_ACT_CONNECTED) {
		/* the handshake is done: the child takes the segment */
		xtcp_child_from_req(sk, req, skb);
		return;
	}
	if ((t.actions & XTCP_ACT_ACK) && ev == XTCP_EV_UNACCEPTABLE &&
	    xtcp_oow_ack_limited(net, cb, XTCP_STAT_ACK_SKIPPED_SYN_RECV,
				 &req->last_oow_ack_time))
		t.actions &= ~XTCP_ACT_ACK;
	if (t.actions & XTCP_ACT_RST)
		xtcp_send_reset(net, skb);
	if ((t.actions & XTCP_ACT_CHALLENGE) &&
	    xtcp_challenge_ack_ok(net, &req->last_oow_ack_time))
		req_send(req, XTCP_FLAG_ACK);
	if (t.actions & XTCP_ACT_ACK)
		req_send(req, XTCP_FLAG_ACK);
	if (t.actions & XTCP_ACT_DROP_CHILD) {
		xtcp_inc_stat(net, XTCP_STAT_ATTEMPT_FAILS);
		if (xtcp_req_drop(req))
			xtcp_inc_stat(net, XTCP_STAT_EMBRYONIC_RSTS);
	}
free:
	kfree_skb(skb);
}

/*
 * Listener @sk closes (xtcp_listener_close()): each request ends with a RST,
 * as its child in SYN-RECV would have been reset, and its timer is waited
 * for, so that none holds the listener after.
 */
void xtcp_reqs_close(struct sock *sk)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct xtcp_request *req;

	xtcp_sock_assert_locked(sk);
	for (;;) {
		spin_lock_bh(&lxs->accept_lock);
		req = list_first_entry_or_null(&lxs->syn_queue,
					       struct xtcp_request, synq_node);
		/* queued means hashed: the table's reference is there */
		if (req)
			refcount_inc(&xtcp_req_sk(req)->sk_refcnt);
		spin_unlock_bh(&lxs->accept_lock);
		if (!req)
			break;
		if (xtcp_req_drop(req))
			req_send(req, XTCP_FLAG_RST | XTCP_FLAG_ACK);
		/* a callback that was running may have queued it again */
		if (hrtimer_cancel(&req->timer))
			xtcp_req_put(req);	/* the timer's */
		xtcp_req_put(req);	/* ours */
	}
}
