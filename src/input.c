// SPDX-License-Identifier: GPL-2.0
/*
 * input.c: segments in, from the netfilter hook to the state machine.
 *
 * The hook (NF_INET_LOCAL_IN, after the filter table) looks every IPv4 TCP
 * segment up in xtcp's tables: a connection's 4-tuple, a TIME_WAIT bucket, a
 * listener's port. What xtcp owns it steals (NF_STOLEN); the rest goes on to
 * the kernel's TCP untouched. A stolen segment is validated by the protocol
 * core (header, options, checksum); a bad one is counted and dropped.
 *
 * Then the kernel's socket discipline: in softirq under bh_lock_sock(); when
 * the user owns the socket, onto its backlog, which release_sock() hands to
 * xtcp_backlog_rcv(). Either way xtcp_rcv() runs with the socket locked.
 *
 * xtcp_rcv() follows RFC 9293 §3.10.7: it turns the segment into events in the
 * RFC's order and lets the state table (state.c) say what each one does.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/tcp.h>

#include "checksum.h"
#include "delack.h"
#include "isn.h"
#include "parse.h"
#include "seq.h"
#include "state.h"
#include "urgent.h"
#include "xtcp.h"


/* Re-read the options of a SYN (they do not fit in the skb's cb). */
static void syn_options(struct sk_buff *skb, struct xtcp_options *opt)
{
	const u8 *th = skb_transport_header(skb);
	unsigned int hlen = (th[XTCP_OFF_DOFF] >> 4) * 4;

	memset(opt, 0, sizeof(*opt));
	if (xtcp_parse_options(th + XTCP_HDR_LEN, hlen - XTCP_HDR_LEN, true, opt))
		memset(opt, 0, sizeof(*opt));
}

/*
 * The options our SYN or SYN+ACK offers: net.xtcp.timestamps, sack and
 * window_scaling of the socket's namespace, as tcp_syn_options() reads
 * TCP's. Without window scaling we never scale our own window either.
 */
void xtcp_options_from_sysctls(struct sock *sk)
{
	const struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ts_ok = !!READ_ONCE(xn->timestamps);
	xs->sack_ok = !!READ_ONCE(xn->sack);
	xs->wscale_ok = !!READ_ONCE(xn->window_scaling);
	xs->rcv_wscale = xs->wscale_ok ? 7 : 0;
}

/*
 * An ACK that takes SND.UNA to @ack: a round-trip sample from the segment
 * being timed, if this ACK covers it, else from the timestamp echo (RFC 7323
 * §4: it names the transmission answered, so a retransmitted segment may
 * serve); then the RTO from the estimate, undoing any back-off (RFC 6298 §5).
 */
static void rtt_ack(struct sock *sk, u32 ack, const struct xtcp_skb_cb *cb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ms;

	if (xs->rtt_timing && !xtcp_seq_before(ack, xs->rtt_seq)) {
		xs->rtt_timing = 0;
		xtcp_rtt_sample(&xs->rtt, div_u64(ktime_get_ns() -
						  xs->rtt_start_ns,
						  NSEC_PER_USEC));
	} else if (xs->ts_ok && cb->has_ts && cb->tsecr) {
		ms = xtcp_isn_tsval(xs->ts_off) - cb->tsecr;
		if (ms < XTCP_RTO_MAX_MS)
			xtcp_rtt_sample(&xs->rtt, ms * USEC_PER_MSEC);
	}
	xs->rto_ms = xtcp_rtt_rto_ms(&xs->rtt, xs->syn_lost);
}

/* Settle what the two SYNs agreed on (RFC 7323 §1.3, RFC 9293 §3.7.1). */
static void negotiate(struct sock *sk, const struct xtcp_options *opt)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->peer_mss = (opt->present & XTCP_OPTF_MSS) && opt->mss ?
		       opt->mss : XTCP_DEFAULT_MSS;
	if (xs->wscale_ok && (opt->present & XTCP_OPTF_WSCALE)) {
		xs->snd_wscale = opt->wscale;
	} else {
		xs->wscale_ok = 0;
		xs->snd_wscale = 0;
		xs->rcv_wscale = 0;
	}
	xs->ts_ok = xs->ts_ok && (opt->present & XTCP_OPTF_TIMESTAMP);
	if (xs->ts_ok) {
		xs->ts_recent = opt->tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}
	xs->sack_ok = xs->sack_ok && (opt->present & XTCP_OPTF_SACK_PERM);

	/* a passive child's SYN+ACK is still to come: its MSS option now */
	if (!xs->adv_mss)
		xs->adv_mss = xtcp_advertised_mss(sk);
	xtcp_sync_mss(sk, xs->pmtu_cookie);
}

/* What the peer's SYN tells: its options, its ISN, its (unscaled) window. */
static void learn_syn(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_options opt;

	syn_options(skb, &opt);
	negotiate(sk, &opt);
	xs->irs = cb->seq;
	xs->rcv_nxt = cb->seq + 1;
	xs->copied_seq = xs->rcv_nxt;
	xs->rcv_wup = xs->rcv_nxt;
	/* the window of a SYN is never scaled (RFC 7323 §2.2) */
	xs->snd_wnd = cb->window;
	xs->max_snd_wnd = xs->snd_wnd;
	xs->snd_wl1 = cb->seq;
}

void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

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

/* Text in order at rcv_nxt: to the receive queue. Returns true if queued. */
static bool deliver(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 off;

	if (!skb->len)
		return false;
	if (xtcp_seq_after(cb->seq, xs->rcv_nxt))
		return false;	/* out of order: ofo_queue()'s */
	off = xs->rcv_nxt - cb->seq;
	if (off >= skb->len)
		return false;
	if (off && !pskb_pull(skb, off))
		return false;
	cb->seq = xs->rcv_nxt;
	xs->rcv_nxt += skb->len;
	xs->bytes_received += skb->len;
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	return true;
}

/* The states whose segments' text goes to the user (RFC 9293 §3.10.7.4). */
static bool receiving(const struct sock *sk)
{
	return xtcp_state_next(sk->sk_state, XTCP_EV_DATA,
			       xtcp_sk(sk)->passive).actions & XTCP_ACT_DELIVER;
}

static bool apply(struct sock *sk, enum xtcp_event ev, struct sk_buff *skb);

/*
 * @skb's FIN, if it is next in sequence: consumed once (not in CLOSE-WAIT+).
 * Returns true if it was.
 */
static bool rcv_fin(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	enum xtcp_state st = sk->sk_state;

	if (!(cb->flags & XTCP_FLAG_FIN) || cb->end_seq - 1 != xs->rcv_nxt)
		return false;
	if (st != XTCP_ESTABLISHED && st != XTCP_FIN_WAIT1 &&
	    st != XTCP_FIN_WAIT2 && st != XTCP_SYN_RECV)
		return false;
	xs->rcv_nxt++;
	xtcp_ofo_purge(&xs->ofo);	/* nothing can follow a FIN */
	apply(sk, XTCP_EV_FIN, skb);
	return true;
}

/*
 * Text or a FIN beyond RCV.NXT: held in the out-of-order queue, charged to
 * the receive buffer (which grows to hold it, up to rmem[2]), and
 * acknowledged at once with a duplicate ACK (RFC 5681 §4.2) that carries SACK
 * blocks. Consumes @skb.
 */
static void ofo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	u32 seq = XTCP_SKB_CB(skb)->seq;

	if (atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    READ_ONCE(sk->sk_rcvbuf) &&
	    !xtcp_rcvbuf_make_room(sk, skb->truesize)) {
		xtcp_inc_stat(net, XTCP_STAT_OFO_DROP);
		trace_xtcp_drop(net, ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
				"ofo-no-room");
		kfree_skb(skb);
	} else {
		skb_dst_drop(skb);
		skb_set_owner_r(skb, sk);
		/* the peer repairs: its ACKs go at once (tcp_enter_quickack_mode()) */
		xs->quickack = max_t(u8, xs->quickack,
				     xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss));
		if (xtcp_ofo_insert(&xs->ofo, skb) == XTCP_OFO_QUEUED) {
			xtcp_inc_stat(net, XTCP_STAT_OFO_QUEUE);
			xs->ofo_recent = seq;
		} else {
			xtcp_inc_stat(net, XTCP_STAT_DUP_DATA);
			kfree_skb(skb);
		}
	}
	xtcp_send_ack(sk);
}

/*
 * RCV.NXT moved: what waited in the out-of-order queue and now connects goes
 * to the receive queue, and a FIN with it (*@fin set). Returns true if text
 * was queued.
 */
static bool ofo_drain(struct sock *sk, bool *fin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool queued = false;

	while (!*fin && (skb = xtcp_ofo_pop(&xs->ofo, xs->rcv_nxt))) {
		bool mine = false;

		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->rcv_nxt)) {
			mine = deliver(sk, skb);
			queued |= mine;
			*fin = rcv_fin(sk, skb);
		}
		if (!mine)
			kfree_skb(skb);
	}
	return queued;
}

/*
 * Text arrived: learn the peer's segment size (tcp_measure_rcv_mss()), and
 * after a silence longer than an RTO go back to quick ACKs, as the peer's
 * window starts small again (tcp_event_data_recv()).
 */
static void data_received(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len = skb_shinfo(skb)->gso_size ?: skb->len;
	u32 now = jiffies;

	if (len > xs->rcv_mss)
		xs->rcv_mss = min_t(u32, len, xs->adv_mss ?: len);
	if (now - xs->lrcv_time > msecs_to_jiffies(xs->rto_ms))
		xs->quickack = max_t(u8, xs->quickack,
				     xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss));
	xs->lrcv_time = now;
	xtcp_rcv_rtt_sample(sk, skb);
}

/*
 * In-order text was queued: acknowledge it now or owe the ACK for up to
 * XTCP_DELACK_MS (delack.h). @filled: it drained the out-of-order queue.
 */
static void ack_data(struct sock *sk, bool filled)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_ack_input in = {
		.unacked = xs->rcv_nxt - xs->rcv_wup,
		.rcv_mss = xs->rcv_mss,
		.quick = xs->quickack && !xs->pingpong,
		.ofo = !RB_EMPTY_ROOT(&xs->ofo),
		.hole_filled = filled,
	};

	if (xtcp_ack_now(&in)) {
		if (xs->quickack)
			xs->quickack--;
		xtcp_send_ack(sk);
		return;
	}
	xs->ack_owed = 1;
	if (!xtcp_timer_pending(xs, XTCP_TIMER_DELACK))
		xtcp_timer_arm(sk, XTCP_TIMER_DELACK, XTCP_DELACK_MS);
}

/* The delayed-ACK timer: the ACK owed goes out alone. */
void xtcp_delack_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ack_owed || ((1 << sk->sk_state) &
			      (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		return;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_DELAYED_ACKS);
	xtcp_send_ack(sk);
}

/* TCP_QUICKACK: the ACK owed, if any, goes now. */
void xtcp_ack_owed_now(struct sock *sk)
{
	if (xtcp_sk(sk)->ack_owed &&
	    ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		xtcp_send_ack(sk);
}

/*
 * A new urgent pointer (tcp_check_urg()): the reader is told (SIGURG), and
 * recv() will stop at it. One urgent byte is kept at a time: a later pointer
 * replaces an earlier one whose byte the reader has not taken, and the
 * earlier byte, if the reader stands on it, is dropped from the stream (it
 * was out of band).
 */
static void check_urg(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 ptr = xtcp_urg_seq_in(cb->seq, cb->urg_ptr);

	if (xtcp_seq_after(xs->copied_seq, ptr) ||	/* read already */
	    xtcp_seq_before(ptr, xs->rcv_nxt) ||	/* not replayed */
	    (xs->urg_data && !xtcp_seq_after(ptr, xs->urg_seq)))
		return;
	sk_send_sigurg(sk);
	if (xs->urg_seq == xs->copied_seq && xs->urg_data &&
	    !sock_flag(sk, SOCK_URGINLINE) && xs->copied_seq != xs->rcv_nxt) {
		struct sk_buff *head = skb_peek(&sk->sk_receive_queue);

		WRITE_ONCE(xs->copied_seq, xs->copied_seq + 1);
		if (head && xs->copied_seq - XTCP_SKB_CB(head)->seq >= head->len) {
			__skb_unlink(head, &sk->sk_receive_queue);
			kfree_skb(head);
		}
	}
	WRITE_ONCE(xs->urg_data, XTCP_URG_NOTYET);
	WRITE_ONCE(xs->urg_seq, ptr);
}

/* The sixth check of RFC 9293 §3.10.7.4, the URG bit (tcp_urg()). */
static void rcv_urg(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 off;
	u8 c;

	if (cb->flags & XTCP_FLAG_URG)
		check_urg(sk, skb);
	if (xs->urg_data != XTCP_URG_NOTYET)
		return;
	/* is the byte in this segment? (skb->data is at its text) */
	off = xs->urg_seq - cb->seq - !!(cb->flags & XTCP_FLAG_SYN);
	if (off < skb->len && !skb_copy_bits(skb, off, &c, 1)) {
		/* poll() reads urg_data without the lock: EPOLLPRI */
		smp_wmb();
		WRITE_ONCE(xs->urg_data, XTCP_URG_VALID | c);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	}
}

/*
 * RFC 7323 §5.3 R1, before anything else is believed (tcp_validate_incoming()):
 * a segment with an older timestamp than TS.Recent is an old duplicate, and
 * is answered with an ACK and dropped. A RST is not judged so; nor a pure
 * duplicate ACK that changes nothing, which a reordering network may deliver
 * after a newer one (tcp_disordered_ack()).
 */
static bool paws_reject(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (!xs->ts_ok || !cb->has_ts || (cb->flags & XTCP_FLAG_RST) ||
	    xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
			 ktime_get_seconds(), XTCP_PAWS_WINDOW))
		return false;
	if ((cb->flags & XTCP_FLAG_ACK) && cb->seq == cb->end_seq &&
	    cb->seq == xs->rcv_nxt && cb->ack == xs->snd_una &&
	    ((u32)cb->window << xs->snd_wscale) == xs->snd_wnd &&
	    (s32)(xs->ts_recent - cb->tsval) <= (s32)xs->rto_ms)
		return false;
	return true;
}

/* A passive child is established: on to the listener's accept queue. */
static void child_established(struct sock *sk)
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

/*
 * Apply one event. Returns false when processing of the segment must stop
 * (the connection is gone, or the segment was answered and dropped).
 */
static bool apply(struct sock *sk, enum xtcp_event ev, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_transition t;
	int old = sk->sk_state;

	t = xtcp_state_next(old, ev, xs->passive);

	if (t.actions & XTCP_ACT_RST) {
		xtcp_send_reset(sock_net(sk), skb);
		return false;
	}
	if (t.actions & XTCP_ACT_CHALLENGE) {
		xtcp_send_challenge_ack(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_DROP_CHILD) {
		xtcp_done(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_ABORTED) {
		WRITE_ONCE(sk->sk_err, -t.err);
		if (old == XTCP_SYN_SENT)
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_ATTEMPT_FAILS);
		sk_error_report(sk);
		xtcp_done(sk);
		return false;
	}
	if (t.actions & XTCP_ACT_TW_TIMER) {
		/* seen by tracing; a bucket takes the socket's place at once */
		xtcp_set_state(sk, XTCP_TIME_WAIT);
		if (t.actions & XTCP_ACT_ACK)
			xtcp_send_ack(sk);
		xtcp_time_wait(sk);
		return false;
	}
	if (t.next == XTCP_CLOSE && old != XTCP_CLOSE) {
		xtcp_done(sk);		/* LAST-ACK: our FIN acknowledged */
		return false;
	}

	xtcp_set_state(sk, t.next);
	if (t.actions & XTCP_ACT_SYNACK)
		xtcp_send_synack(sk);
	if (t.actions & XTCP_ACT_EOF) {
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		sk->sk_state_change(sk);
		if (sk->sk_socket)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
	if (t.actions & XTCP_ACT_ACK)
		xtcp_send_ack(sk);
	if (t.actions & XTCP_ACT_CONNECTED) {
		xs->retries = 0;
		/* tcp_initialize_rcv_mss(), quick ACKs while the peer starts */
		xs->rcv_mss = clamp_t(u32, min_t(u32, xs->adv_mss ?: xs->mss,
						 XTCP_DEFAULT_MSS),
				      TCP_MIN_MSS, xs->mss);
		xs->quickack = xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss);
		xs->lrcv_time = jiffies;
		xs->rcv_tstamp = jiffies;
		xs->snd_sml = xs->snd_una;
		xs->snd_up = xs->snd_una;
		if (sock_flag(sk, SOCK_KEEPOPEN))
			xtcp_keepalive_reset(sk);
		xtcp_init_buffer_space(sk);
		if (xs->passive) {
			child_established(sk);
		} else {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		if (sk->sk_state == XTCP_ESTABLISHED)
			xtcp_push(sk);
	}
	if (t.next == XTCP_FIN_WAIT2 && old != XTCP_FIN_WAIT2 &&
	    sock_flag(sk, SOCK_DEAD))
		xtcp_timer_arm(sk, XTCP_TIMER_FIN_WAIT2, XTCP_FIN_TIMEOUT_MS);
	return sk->sk_state != XTCP_CLOSE;
}

/* SYN-SENT (RFC 9293 §3.10.7.3). */
static void rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	bool ack_ok = false;

	if (cb->flags & XTCP_FLAG_ACK) {
		ack_ok = xtcp_ack_of_syn_acceptable(cb->ack, xs->iss,
						    xs->snd_nxt);
		if (!ack_ok) {
			if (!(cb->flags & XTCP_FLAG_RST))
				apply(sk, XTCP_EV_BAD_ACK, skb);
			return;
		}
	}
	if (cb->flags & XTCP_FLAG_RST) {
		apply(sk, ack_ok ? XTCP_EV_RST : XTCP_EV_RST_INEXACT, skb);
		return;
	}
	if (!(cb->flags & XTCP_FLAG_SYN))
		return;

	learn_syn(sk, skb);
	xs->snd_wl2 = cb->ack;
	if (ack_ok) {
		xs->snd_una = cb->ack;
		rtt_ack(sk, cb->ack, cb);
		xtcp_timer_clear(sk, XTCP_TIMER_RETRANS);
		apply(sk, XTCP_EV_SYN_ACK, skb);
	} else {
		apply(sk, XTCP_EV_SYN, skb);	/* simultaneous open */
	}
}

/* The SACK blocks of an ACK, if it has any and SACK was agreed on. */
static const struct xtcp_options *ack_sacks(struct sock *sk,
					    struct sk_buff *skb,
					    struct xtcp_options *opt)
{
	const u8 *th = skb_transport_header(skb);
	unsigned int hlen = (th[XTCP_OFF_DOFF] >> 4) * 4;

	if (!XTCP_SKB_CB(skb)->has_sack || !xtcp_sk(sk)->sack_ok)
		return NULL;
	if (xtcp_parse_options(th + XTCP_HDR_LEN, hlen - XTCP_HDR_LEN, false,
			       opt) || !(opt->present & XTCP_OPTF_SACK))
		return NULL;
	return opt;
}

/* The fifth check: what the ACK field says (state is synchronized or SYN-RECV). */
static bool rcv_ack(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_options *sack;
	enum xtcp_ack_class class;
	struct xtcp_options opt;
	u32 acked, prior_packets, prior_wnd;
	bool fin_acked;

	if (sk->sk_state == XTCP_SYN_RECV) {
		if (!xtcp_ack_of_syn_acceptable(cb->ack, xs->iss, xs->snd_nxt))
			return apply(sk, XTCP_EV_BAD_ACK, skb);
		xs->snd_una = cb->ack;
		xs->snd_wnd = (u32)cb->window << xs->snd_wscale;
		xs->max_snd_wnd = max(xs->max_snd_wnd, xs->snd_wnd);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = cb->ack;
		rtt_ack(sk, cb->ack, cb);
		xtcp_timer_clear(sk, XTCP_TIMER_RETRANS);
		if (!apply(sk, XTCP_EV_ACK_OF_SYN, skb))
			return false;
	}

	class = xtcp_ack_classify(cb->ack, xs->snd_una, xs->snd_nxt,
				  xs->max_snd_wnd);
	if (!xtcp_ack_acceptable(class))
		return apply(sk, XTCP_EV_BAD_ACK, skb);
	/* the peer is alive and heard us (tcp_ack()); an old ACK proves neither */
	if (!xtcp_seq_before(cb->ack, xs->snd_una)) {
		WRITE_ONCE(sk->sk_err_soft, 0);
		xs->probes_out = 0;
		xs->rcv_tstamp = jiffies;
	}

	/* window update (RFC 9293 §3.10.7.4, SND.WL1/SND.WL2) */
	prior_wnd = xs->snd_wnd;
	if (xtcp_seq_before(xs->snd_wl1, cb->seq) ||
	    (xs->snd_wl1 == cb->seq && xtcp_seq_leq(xs->snd_wl2, cb->ack))) {
		xs->snd_wnd = (u32)cb->window << xs->snd_wscale;
		xs->max_snd_wnd = max(xs->max_snd_wnd, xs->snd_wnd);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = cb->ack;
	}
	/*
	 * A peer that answers while its window is closed is alive: the probes
	 * (the timer's retransmissions into the zero window) go on, backing
	 * off, for as long as it answers; only unanswered ones count towards
	 * retries2, as TCP counts icsk_probes_out.
	 */
	if (!xs->snd_wnd)
		xs->retries = 0;
	sack = ack_sacks(sk, skb, &opt);
	if (class != XTCP_ACK_NEW) {
		/* RFC 5681 §2 (a)-(d): what counts as a duplicate ACK */
		bool dup = !skb->len && cb->ack == xs->snd_una &&
			   xs->snd_una != xs->snd_nxt &&
			   !(cb->flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN));

		/*
		 * The window opened and nothing is acknowledged: what went into
		 * the closed window (the probes) was refused. It goes again now,
		 * the back-off forgotten, not after an RTO grown to minutes
		 * (tcp_ack_probe() clears the probe timer's back-off).
		 */
		if (xs->probing && !prior_wnd && xs->snd_wnd && xs->packets_out) {
			xs->probing = 0;
			xs->retries = 0;
			xs->rto_ms = xtcp_rtt_rto_ms(&xs->rtt, xs->syn_lost);
			xtcp_enter_loss(sk);
			xtcp_timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
			dup = false;
		}

		xtcp_ack_recovery(sk, 0, xs->packets_out, dup, sack);
		xtcp_push(sk);
		return apply(sk, XTCP_EV_ACK, skb);
	}

	rtt_ack(sk, cb->ack, cb);
	xs->bytes_acked += cb->ack - xs->snd_una;
	xs->snd_una = cb->ack;
	prior_packets = xs->packets_out;
	acked = xtcp_clean_rtx_queue(sk, cb->ack);
	xs->probing = 0;
	if (xs->urg_mode && !xtcp_seq_before(xs->snd_una, xs->snd_up))
		xs->urg_mode = 0;	/* the urgent data is through */
	xtcp_ack_recovery(sk, acked, prior_packets, false, sack);
	xtcp_sndbuf_expand(sk);		/* the window grew: the buffer with it */
	xs->retries = 0;
	xs->stall_start_ns = ktime_get_ns();	/* progress */
	if (xs->snd_una == xs->snd_nxt && !xs->send_head)
		xtcp_timer_clear(sk, XTCP_TIMER_RETRANS);
	else
		xtcp_timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
	fin_acked = xs->fin_queued && cb->ack == xs->write_seq;
	sk->sk_write_space(sk);
	xtcp_push(sk);
	return apply(sk, fin_acked ? XTCP_EV_ACK_OF_FIN : XTCP_EV_ACK, skb);
}

/* Every state from SYN-RECV on (RFC 9293 §3.10.7.4). Consumes @skb. */
static void rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 seglen = cb->end_seq - cb->seq;
	u32 wnd = xtcp_rcv_window_now(sk);
	bool queued = false;

	/*
	 * The crossing SYN+ACK of a simultaneous open. A listener's child never
	 * sent a SYN of its own, so for it (as in tcp_check_req()) a SYN+ACK
	 * goes through the checks below and is answered, never accepted.
	 */
	if (sk->sk_state == XTCP_SYN_RECV && !xs->passive &&
	    (cb->flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_RST)) ==
	    (XTCP_FLAG_SYN | XTCP_FLAG_ACK) && cb->seq == xs->irs &&
	    xtcp_ack_of_syn_acceptable(cb->ack, xs->iss, xs->snd_nxt)) {
		xs->snd_una = cb->ack;
		xtcp_timer_clear(sk, XTCP_TIMER_RETRANS);
		apply(sk, XTCP_EV_SYN_ACK, skb);
		goto drop;
	}

	if (paws_reject(sk, skb)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_PAWS_ESTAB);
		trace_xtcp_drop(sock_net(sk), ip_hdr(skb)->saddr,
				ip_hdr(skb)->daddr, "paws");
		xtcp_send_ack(sk);
		goto drop;
	}

	if (cb->flags & XTCP_FLAG_RST) {
		switch (xtcp_rst_classify(cb->seq, xs->rcv_nxt, max(wnd, 1U))) {
		case XTCP_RST_RESET:
			apply(sk, XTCP_EV_RST, skb);
			break;
		case XTCP_RST_CHALLENGE:
			apply(sk, XTCP_EV_RST_INEXACT, skb);
			break;
		default:
			break;
		}
		goto drop;
	}

	if (!xtcp_seq_acceptable(cb->seq, seglen, xs->rcv_nxt, wnd)) {
		/* text we have already: a duplicate (retransmitted, or the network's) */
		if (skb->len && xtcp_seq_leq(cb->end_seq, xs->rcv_nxt))
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_DUP_DATA);
		apply(sk, XTCP_EV_UNACCEPTABLE, skb);
		goto drop;
	}

	/* RFC 7323 §4.3: TS.Recent from a segment at Last.ACK.sent, never older */
	if (cb->has_ts && xs->ts_ok && xtcp_seq_leq(cb->seq, xs->rcv_wup) &&
	    xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
			 ktime_get_seconds(), 0)) {
		xs->ts_recent = cb->tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}

	if (cb->flags & XTCP_FLAG_SYN) {
		apply(sk, XTCP_EV_SYN, skb);
		goto drop;
	}
	if (!(cb->flags & XTCP_FLAG_ACK))
		goto drop;
	if (!rcv_ack(sk, skb))
		goto drop;

	/*
	 * New text after close(): nobody will read it. RFC 1122 §4.2.2.13 says
	 * the peer must learn it from a RST; the connection is over (as
	 * tcp_rcv_state_process() does it, counted as AbortOnData).
	 */
	if ((sk->sk_shutdown & RCV_SHUTDOWN) && skb->len &&
	    ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) &&
	    xtcp_seq_after(cb->end_seq - !!(cb->flags & XTCP_FLAG_FIN),
			   xs->rcv_nxt)) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_DATA);
		xtcp_send_reset(sock_net(sk), skb);
		WRITE_ONCE(sk->sk_err, ECONNRESET);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
		xtcp_done(sk);
		goto drop;
	}

	if (unlikely((cb->flags & XTCP_FLAG_URG) ||
		     xs->urg_data == XTCP_URG_NOTYET) && receiving(sk))
		rcv_urg(sk, skb);

	if ((skb->len || (cb->flags & XTCP_FLAG_FIN)) && receiving(sk)) {
		bool text = skb->len, fin, filled = false;

		if (text)
			data_received(sk, skb);
		if (xtcp_seq_after(cb->seq, xs->rcv_nxt)) {
			ofo_queue(sk, skb);
			return;
		}
		queued = deliver(sk, skb);
		if (queued)
			sk->sk_data_ready(sk);
		fin = rcv_fin(sk, skb);
		if (!fin && !RB_EMPTY_ROOT(&xs->ofo)) {
			if (ofo_drain(sk, &fin))
				sk->sk_data_ready(sk);
			filled = RB_EMPTY_ROOT(&xs->ofo);
		}
		/* a FIN's own transition acknowledges the text before it */
		if (text && !fin)
			ack_data(sk, filled);
	} else if (cb->flags & XTCP_FLAG_FIN) {
		rcv_fin(sk, skb);
	}
	if (queued)
		return;
drop:
	kfree_skb(skb);
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

	child = xtcp_sk_alloc(sock_net(sk), GFP_ATOMIC, !sk->sk_net_refcnt);
	if (!child) {
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_LISTEN_DROPS);
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
	learn_syn(child, skb);
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

static void rcv_listen(struct sock *sk, struct sk_buff *skb)
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

/* A segment for @sk, which is locked. Consumes @skb. */
static int xtcp_rcv(struct sock *sk, struct sk_buff *skb)
{
	xtcp_sock_assert_locked(sk);
	xtcp_sk(sk)->segs_in++;
	if (skb->len)
		xtcp_sk(sk)->data_segs_in++;
	switch (sk->sk_state) {
	case XTCP_LISTEN:
		rcv_listen(sk, skb);
		break;
	case XTCP_SYN_SENT:
		rcv_syn_sent(sk, skb);
		break;
	case XTCP_CLOSE:
		/* gone since the lookup: answer as a closed port would */
		xtcp_send_reset(sock_net(sk), skb);
		break;
	default:
		rcv_synchronized(sk, skb);
		return 0;
	}
	kfree_skb(skb);
	return 0;
}

int xtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	return xtcp_rcv(sk, skb);
}

/* Fill the cb from the parsed header; skb->data moves to the text. */
static void fill_cb(struct sk_buff *skb, const struct xtcp_segment *seg)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	memset(cb, 0, sizeof(*cb));
	cb->seq = seg->seq;
	cb->end_seq = seg->seq + xtcp_seg_seq_len(seg);
	cb->ack = seg->ack;
	cb->window = seg->window;
	cb->flags = seg->flags;
	if (seg->flags & XTCP_FLAG_URG)
		cb->urg_ptr = seg->urg_ptr;
	if (seg->opt.present & XTCP_OPTF_SACK)
		cb->has_sack = 1;
	if (seg->opt.present & XTCP_OPTF_TIMESTAMP) {
		cb->has_ts = 1;
		cb->tsval = seg->opt.tsval;
		cb->tsecr = seg->opt.tsecr;
	}
}

/*
 * Conntrack saw the segment at PRE_ROUTING but confirms a new flow only at the
 * end of LOCAL_IN, which a stolen segment never reaches: confirm it here, or
 * our SYN+ACK would be INVALID to a "ct state invalid drop" rule.
 */
static void confirm_conntrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_ct_hook *ct_hook;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	/* as nf_conntrack_confirm(): only a new, unconfirmed entry */
	if (!ct || nf_ct_is_confirmed(ct))
		return;
	rcu_read_lock();
	ct_hook = rcu_dereference(nf_ct_hook);
	if (ct_hook && ct_hook->confirm)
		ct_hook->confirm(skb);
	rcu_read_unlock();
#endif
}

static void drop_bad(struct net *net, struct sk_buff *skb, enum xtcp_stat s,
		     const char *why)
{
	trace_xtcp_drop(net, ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, why);
	xtcp_inc_stat(net, XTCP_STAT_IN_ERRS);
	if (s != XTCP_STAT_IN_ERRS)
		xtcp_inc_stat(net, s);
	kfree_skb(skb);
}

unsigned int xtcp_nf_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct xtcp_tw_bucket *tw = NULL;
	struct xtcp_segment seg;
	enum xtcp_parse_err perr;
	const struct tcphdr *th;
	const struct iphdr *iph;
	struct sock *sk;

	if (skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return xtcp_icmp_rcv(net, skb);
	if (ip_hdr(skb)->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, skb_transport_offset(skb) + sizeof(*th)))
		return NF_ACCEPT;	/* the kernel's TCP counts it */
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);

	sk = xtcp_lookup_established(net, iph->daddr, th->dest, iph->saddr,
				     th->source);
	if (!sk) {
		tw = xtcp_tw_lookup(&xtcp_net(net)->tw, iph->daddr, th->dest,
				    iph->saddr, th->source);
		if (!tw) {
			sk = xtcp_lookup_listener(net, iph->daddr, th->dest);
			if (!sk)
				return NF_ACCEPT;
		}
	}

	/* Ours from here on: NF_STOLEN, whatever becomes of it. */
	confirm_conntrack(skb);
	nf_reset_ct(skb);
	xtcp_inc_stat(net, XTCP_STAT_IN_SEGS);
	perr = xtcp_parse_skb(skb, &seg);
	if (perr != XTCP_PARSE_OK) {
		drop_bad(net, skb, perr == XTCP_PARSE_OPT_LEN_SHORT ||
			 perr == XTCP_PARSE_OPT_OVERRUN ||
			 perr == XTCP_PARSE_OPT_BAD_LEN ?
			 XTCP_STAT_BAD_OPTIONS : XTCP_STAT_IN_ERRS,
			 xtcp_parse_err_name(perr));
		goto out;
	}
	__skb_pull(skb, skb_transport_offset(skb));
	if (!xtcp_csum_skb_ok(skb)) {
		drop_bad(net, skb, XTCP_STAT_IN_CSUM_ERRORS, "bad checksum");
		goto out;
	}
	trace_xtcp_segment_recv(net, ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
				&seg, tw ? XTCP_TIME_WAIT : sk->sk_state);
	__skb_pull(skb, xtcp_seg_hdr_len(&seg));
	fill_cb(skb, &seg);
	skb_dst_drop(skb);

	if (tw) {
		if (!xtcp_tw_rcv(net, tw, skb))
			goto out;	/* consumed */
		/* RFC 6191: a new SYN reopens the 4-tuple, through the listener */
		sk = xtcp_lookup_listener(net, ip_hdr(skb)->daddr,
					  tcp_hdr(skb)->dest);
		if (!sk) {
			xtcp_send_reset(net, skb);
			kfree_skb(skb);
			goto out;
		}
	}

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		xtcp_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, 2 * (READ_ONCE(sk->sk_rcvbuf) +
						READ_ONCE(sk->sk_sndbuf)))) {
		/* tcp_add_backlog()'s limit, with room for skb overhead */
		bh_unlock_sock(sk);
		drop_bad(net, skb, XTCP_STAT_BACKLOG_DROPS, "backlog full");
		goto out;
	}
	bh_unlock_sock(sk);
out:
	if (sk)
		sock_put(sk);
	if (tw)
		xtcp_tw_put(tw);
	return NF_STOLEN;
}
