// SPDX-License-Identifier: GPL-2.0
/*
 * twsock.c: TIME-WAIT between sockets and the bucket store (timewait.c).
 *
 * A connection that reaches TIME-WAIT leaves a bucket in its namespace's table
 * and its socket goes (xtcp_done()), as the kernel's TCP replaces a socket by
 * an inet_timewait_sock. Segments for the 4-tuple then meet the bucket:
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

#include "seq.h"
#include "sock.h"
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
		.snd_nxt = xs->snd_nxt,
		.rcv_nxt = xs->rcv_nxt,
		.ts_recent = xs->ts_recent,
		.ts_recent_stamp = xs->ts_ok ? max_t(u32, xs->ts_recent_stamp, 1)
					     : 0,
		.ts_off = xs->ts_off,
	};

	xtcp_sock_assert_locked(sk);
	tw = xtcp_tw_insert(&xtcp_net(net)->tw, &st);
	if (IS_ERR(tw)) {
		if (PTR_ERR(tw) == -ENOSPC)
			xtcp_inc_stat(net, XTCP_STAT_TW_OVERFLOW);
	} else {
		xtcp_inc_stat(net, XTCP_STAT_TW_CREATED);
		trace_xtcp_tw_create(net->ns.inum, &st);
		xtcp_tw_put(tw);
		xtcp_port_park(sk);	/* the bucket holds the port now */
	}
	xtcp_done(sk);
}

/*
 * A segment for a bucket (the caller holds a reference). Returns true if it
 * is a SYN that reopens the 4-tuple and must go on to the listener; otherwise
 * the segment is consumed.
 */
bool xtcp_tw_rcv(struct net *net, struct xtcp_tw_bucket *tw,
		 struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_net(net);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_tw_state *st = &tw->st;
	u8 ctl = cb->flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_RST);

	if (cb->flags & XTCP_FLAG_RST) {
		if (!READ_ONCE(xn->rfc1337) && cb->seq == st->rcv_nxt &&
		    xtcp_tw_kill(&xn->tw, tw))
			trace_xtcp_tw_kill(net->ns.inum, st);
		goto consumed;
	}
	if (ctl == XTCP_FLAG_SYN) {
		bool newer = xtcp_seq_after(cb->seq, st->rcv_nxt) ||
			     (st->ts_recent_stamp && cb->has_ts &&
			      xtcp_seq_after(cb->tsval, st->ts_recent));

		if (newer) {
			if (xtcp_tw_kill(&xn->tw, tw)) {
				xtcp_inc_stat(net, XTCP_STAT_TW_RECYCLED);
				trace_xtcp_tw_reuse(net->ns.inum, st);
			}
			return true;
		}
		xtcp_send_tw_ack(net, st, cb->has_ts ? cb->tsval : st->ts_recent);
		goto consumed;
	}
	if ((cb->flags & XTCP_FLAG_FIN) && cb->end_seq == st->rcv_nxt) {
		/* the peer did not hear our last ACK */
		xtcp_tw_restart(&xn->tw, tw);
		xtcp_send_tw_ack(net, st, cb->has_ts ? cb->tsval : st->ts_recent);
		goto consumed;
	}
	if (cb->seq != cb->end_seq || cb->seq != st->rcv_nxt)
		xtcp_send_tw_ack(net, st, cb->has_ts ? cb->tsval : st->ts_recent);
consumed:
	kfree_skb(skb);
	return false;
}
