// SPDX-License-Identifier: GPL-2.0
/*
 * twsock.c: TIME-WAIT between sockets and the bucket store (timewait.c).
 *
 * A connection that reaches TIME-WAIT leaves a bucket in its namespace's table
 * and its socket goes (xtcp_done()), as the kernel's TCP replaces a socket by
 * an inet_timewait_sock. Segments for the 4-tuple that come in on the device
 * the socket was bound to (any, if it was not) then meet the bucket:
 *
 *  - the peer's FIN again (our last ACK was lost): ACK it again, 2MSL restarts
 *    (RFC 9293 §3.10.7.4, seventh check, TIME-WAIT);
 *  - a SYN that is clearly new (sequence beyond RCV.NXT, or a newer timestamp,
 *    RFC 6191): the bucket goes and the SYN goes on to the listener;
 *  - a RST at exactly RCV.NXT: the bucket goes (Linux's default), unless
 *    net.xtcp.rfc1337 is 1 (RFC 1337: ignore RSTs in TIME-WAIT);
 *  - other segments with text or out of sequence: an ACK, nothing delivered.
 *
 * Over net.xtcp.max_tw_buckets the connection closes without TIME-WAIT and the
 * overflow is counted (TimeWaitOverflow), as tcp_max_tw_buckets does.
 */
#include <net/tcp.h>

#include "output.h"
#include "port.h"
#include "seq.h"
#include "sock.h"
#include "state.h"
#include "twsock.h"
#include "xtcp.h"

void xtcp_time_wait(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	struct xtcp_tw_bucket *tw;
	struct xtcp_tw_state st = {
		.saddr = sk->sk_rcv_saddr,
		.daddr = sk->sk_daddr,
		.sport = inet_sk(sk)->inet_sport,
		.dport = sk->sk_dport,
		.bound_dev_if = READ_ONCE(sk->sk_bound_dev_if),
		.snd_nxt = xs->snd_nxt,
		.rcv_nxt = xs->rcv_nxt,
		.ts_recent = xs->ts_recent,
		.ts_recent_stamp = xs->ts_ok ? max_t(u32, xs->ts_recent_stamp, 1)
					     : 0,
		/* tcp_time_wait(): tcp_receive_window(), on rcv_wscale */
		.rcv_wnd = xtcp_rcv_window_now(sk) >> xs->rcv_wscale,
	};

	xtcp_sock_assert_locked(sk);
	tw = xtcp_tw_insert(&xtcp_net(net)->tw, &st);
	if (IS_ERR(tw)) {
		if (PTR_ERR(tw) == -ENOSPC)
			xtcp_inc_stat(net, XTCP_STAT_TW_OVERFLOW);
	} else {
		xtcp_inc_stat(net, XTCP_STAT_TW_CREATED);
		trace_xtcp_tw_create(net->ns.inum, xtcp_tw_any4(&st));
		xtcp_tw_put(tw);
		xtcp_port_park(sk);	/* the bucket holds the port now */
	}
	xtcp_done(sk);
}

/*
 * What a segment is to a TIME-WAIT bucket, in the order of Linux 6.1's
 * tcp_timewait_state_process() (RFC 9293 §3.10.7.4 with RFC 7323 PAWS, RFC
 * 6191, RFC 1337). TIME-WAIT's window is empty: the one acceptable segment is
 * a bare one at RCV.NXT; every other is out of window and answered with an
 * ACK, the retransmitted FIN first among them.
 *
 *  - a RST at RCV.NXT: XTCP_EV_RST, unless net.xtcp.rfc1337 is 1, then it
 *    is not fed at all (XTCP_EV_MAX, RFC 1337: the bucket ignores it); any
 *    other RST: XTCP_EV_RST_INEXACT;
 *  - an older timestamp than TS.Recent (PAWS, counted in PAWSEstab):
 *    XTCP_EV_UNACCEPTABLE;
 *  - a bare segment at RCV.NXT: XTCP_EV_ACK;
 *  - a SYN without ACK: XTCP_EV_SYN_NEWER if RFC 6191 lets it in (sequence
 *    beyond RCV.NXT, or a newer timestamp), else XTCP_EV_SYN; with ACK:
 *    XTCP_EV_SYN_ACK;
 *  - the ACK bit off: XTCP_EV_BAD_ACK;
 *  - the peer's FIN again (its end at RCV.NXT): XTCP_EV_FIN;
 *  - anything else (text, a new FIN, an ACK off RCV.NXT):
 *    XTCP_EV_UNACCEPTABLE.
 */
VISIBLE_IF_KUNIT enum xtcp_event xtcp_tw_classify(struct net *net,
						  const struct xtcp_tw_state *st,
						  const struct xtcp_skb_cb *cb)
{
	bool bare = cb->seq == cb->end_seq && cb->seq == st->rcv_nxt;
	u32 ts_recent = READ_ONCE(st->ts_recent);
	bool ts = READ_ONCE(st->ts_recent_stamp) && cb->has_ts;

	if (cb->flags & XTCP_FLAG_RST) {
		if (cb->seq != st->rcv_nxt)
			return XTCP_EV_RST_INEXACT;
		return xtcp_sysctl(net, rfc1337, sysctl_tcp_rfc1337) ?
		       XTCP_EV_MAX : XTCP_EV_RST;
	}
	if (ts && !xtcp_paws_ok(ts_recent, READ_ONCE(st->ts_recent_stamp), cb->tsval,
				ktime_get_seconds(), XTCP_PAWS_WINDOW)) {
		xtcp_inc_stat(net, XTCP_STAT_PAWS_ESTAB);
		return XTCP_EV_UNACCEPTABLE;
	}
	if (bare)
		return XTCP_EV_ACK;
	if (cb->flags & XTCP_FLAG_SYN) {
		if (cb->flags & XTCP_FLAG_ACK)
			return XTCP_EV_SYN_ACK;
		if (xtcp_seq_after(cb->seq, st->rcv_nxt) ||
		    (ts && xtcp_seq_after(cb->tsval, ts_recent)))
			return XTCP_EV_SYN_NEWER;
		return XTCP_EV_SYN;
	}
	if (!(cb->flags & XTCP_FLAG_ACK))
		return XTCP_EV_BAD_ACK;
	if ((cb->flags & XTCP_FLAG_FIN) && cb->end_seq == st->rcv_nxt)
		return XTCP_EV_FIN;
	return XTCP_EV_UNACCEPTABLE;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_classify);

/*
 * A segment for a bucket (the caller holds a reference): classified, and the
 * state table's TIME-WAIT row says what to do. Returns true if it is a SYN
 * that reopens the 4-tuple (XTCP_ACT_REOPEN) and must go on to the listener;
 * otherwise the segment is consumed.
 */
bool xtcp_tw_rcv(struct net *net, struct xtcp_tw_bucket *tw,
		 struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_net(net);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_tw_state *st = &tw->st;
	enum xtcp_event ev = xtcp_tw_classify(net, st, cb);
	struct xtcp_transition t;

	if (ev == XTCP_EV_MAX)
		goto consumed;	/* RFC 1337 */
	t = xtcp_state_next(XTCP_TIME_WAIT, ev, false);
	if (t.actions & XTCP_ACT_REOPEN) {
		if (xtcp_tw_kill(&xn->tw, tw)) {
			xtcp_inc_stat(net, XTCP_STAT_TW_RECYCLED);
			trace_xtcp_tw_reuse(net->ns.inum, xtcp_tw_any4(st));
		}
		return true;
	}
	if (t.next == XTCP_CLOSE) {
		if (xtcp_tw_kill(&xn->tw, tw))
			trace_xtcp_tw_kill(net->ns.inum, xtcp_tw_any4(st));
		goto consumed;
	}
	if (t.actions & XTCP_ACT_TW_TIMER)
		xtcp_tw_restart(&xn->tw, tw);
	/*
	 * The one acceptable segment, a bare ACK at RCV.NXT that passed PAWS,
	 * moves TS.Recent on, as tcp_timewait_state_process() does: a later
	 * segment is judged, and our ACKs echo, against it.
	 */
	if (ev == XTCP_EV_ACK && cb->has_ts && READ_ONCE(st->ts_recent_stamp)) {
		WRITE_ONCE(st->ts_recent, cb->tsval);
		WRITE_ONCE(st->ts_recent_stamp,
			   max_t(u32, ktime_get_seconds(), 1));
	}
	/* its ACK echoes TS.Recent, never the segment's own TSval */
	if ((t.actions & XTCP_ACT_ACK) &&
	    !xtcp_oow_ack_limited(net, cb, XTCP_STAT_ACK_SKIPPED_TIME_WAIT,
				  &st->last_oow_ack_time))
		xtcp_send_tw_ack(net, st);
consumed:
	kfree_skb(skb);
	return false;
}
