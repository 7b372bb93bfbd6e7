/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's tracepoints, system "xtcp": /sys/kernel/tracing/events/xtcp/, perf
 * (xtcp:xtcp_state_change, ...) and bpftrace (tracepoint:xtcp:...).
 *
 *   xtcp_state_change    a socket moves from one state to another
 *   xtcp_segment_send    a segment leaves (from a socket or, for RSTs and
 *   xtcp_segment_recv    TIME_WAIT ACKs, the control socket); one arrives
 *   xtcp_retransmit      a segment is sent again by the retransmission timer
 *   xtcp_drop            a malformed segment is dropped, with the reason
 *   xtcp_tw_create       a TIME_WAIT bucket takes a closed connection's place,
 *   xtcp_tw_reuse        gives way to a new SYN or connect(),
 *   xtcp_tw_kill         is killed by a RST (net.xtcp.rfc1337=0),
 *   xtcp_tw_expire       or ends when its 2MSL runs out
 *   xtcp_probe           a connection has taken an ACK: its window, RTT, rate
 *                        sample, pacing rate and recovery state (tcp_probe)
 *
 * Addresses are the local end's first (saddr:sport) for every event but
 * xtcp_segment_recv, which shows the segment as it was on the wire (source
 * first). Each end is kept as a sockaddr_in or sockaddr_in6 in a
 * sockaddr_in6-sized array (saddr, daddr) and printed %pISpc, as
 * include/trace/events/tcp.h's events: 10.77.0.1:80, [fd77::1]:80; sport
 * and dport stay fields of their own (host order), for filters. Sequence numbers are absolute; tools/xtcp-ladder makes them relative.
 * Each event carries the namespace's inode number (as in /proc/PID/ns/net) so
 * that the two ends of a connection between namespaces can be told apart.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tracepoint.h>
#include <net/net_namespace.h>
#include <linux/sock_diag.h>
#include <net/sock.h>

#include "addrs.h"
#include "protocol.h"
#include "timewait.h"

/* a request (request.h, XTCP_NEW_SYN_RECV: 12) shows as SYN_RECV, as in /proc */
#define xtcp_trace_state_name(s)					\
	__print_symbolic(s,						\
			 { 1, "ESTABLISHED" }, { 2, "SYN_SENT" },	\
			 { 3, "SYN_RECV" }, { 4, "FIN_WAIT1" },		\
			 { 5, "FIN_WAIT2" }, { 6, "TIME_WAIT" },	\
			 { 7, "CLOSE" }, { 8, "CLOSE_WAIT" },		\
			 { 9, "LAST_ACK" }, { 10, "LISTEN" },		\
			 { 11, "CLOSING" }, { 12, "SYN_RECV" })

#define xtcp_trace_flags(f)						\
	__print_flags(f, "|",						\
		      { XTCP_FLAG_FIN, "FIN" }, { XTCP_FLAG_SYN, "SYN" },	\
		      { XTCP_FLAG_RST, "RST" }, { XTCP_FLAG_PSH, "PSH" },	\
		      { XTCP_FLAG_ACK, "ACK" }, { XTCP_FLAG_URG, "URG" },	\
		      { XTCP_FLAG_ECE, "ECE" }, { XTCP_FLAG_CWR, "CWR" })

TRACE_EVENT(xtcp_state_change,
	TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	TP_ARGS(sk, oldstate, newstate),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__field(u16, sport)
		__field(u16, dport)
		__field(int, oldstate)
		__field(int, newstate)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		__entry->netns = sock_net(sk)->ns.inum;
		__entry->sport = sk->sk_num;
		__entry->dport = ntohs(sk->sk_dport);
		xtcp_sk_addrs_store(__entry->saddr, __entry->daddr, sk);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),
	TP_printk("netns=%u sk=%p src=%pISpc dst=%pISpc %s -> %s",
		  __entry->netns, __entry->skaddr, __entry->saddr,
		  __entry->daddr,
		  xtcp_trace_state_name(__entry->oldstate),
		  xtcp_trace_state_name(__entry->newstate))
);

/* @state: the socket's state, TIME_WAIT for a bucket, 0 for none */
DECLARE_EVENT_CLASS(xtcp_segment_class,
	TP_PROTO(const struct net *net, const struct xtcp_addrs *addrs,
		 const struct xtcp_segment *seg, int state),
	TP_ARGS(net, addrs, seg, state),
	TP_STRUCT__entry(
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, ack)
		__field(u32, len)
		__field(u16, window)
		__field(u8, flags)
		__field(u8, state)
		__field(u16, opts)
		__field(u8, wscale)
		__field(u16, mss)
		__field(u32, tsval)
		__field(u32, tsecr)
	),
	TP_fast_assign(
		__entry->netns = net->ns.inum;
		__entry->sport = seg->sport;
		__entry->dport = seg->dport;
		xtcp_addrs_store(__entry->saddr, addrs, true, seg->sport);
		xtcp_addrs_store(__entry->daddr, addrs, false, seg->dport);
		__entry->seq = seg->seq;
		__entry->ack = seg->ack;
		__entry->len = seg->payload_len;
		__entry->window = seg->window;
		__entry->flags = seg->flags;
		__entry->state = state;
		__entry->opts = seg->opt.present;
		__entry->wscale = seg->opt.wscale;
		__entry->mss = seg->opt.mss;
		__entry->tsval = seg->opt.tsval;
		__entry->tsecr = seg->opt.tsecr;
	),
	TP_printk("netns=%u src=%pISpc dst=%pISpc flags=%s seq=%u ack=%u len=%u win=%u opts=%s mss=%u wscale=%u tsval=%u tsecr=%u state=%s",
		  __entry->netns, __entry->saddr, __entry->daddr,
		  xtcp_trace_flags(__entry->flags), __entry->seq, __entry->ack,
		  __entry->len, __entry->window,
		  __print_flags(__entry->opts, ",",
				{ 0x01, "mss" }, { 0x02, "wscale" },
				{ 0x04, "sackOK" }, { 0x08, "sack" },
				{ 0x10, "ts" }),
		  __entry->mss, __entry->wscale, __entry->tsval,
		  __entry->tsecr, xtcp_trace_state_name(__entry->state))
);

DEFINE_EVENT(xtcp_segment_class, xtcp_segment_send,
	TP_PROTO(const struct net *net, const struct xtcp_addrs *addrs,
		 const struct xtcp_segment *seg, int state),
	TP_ARGS(net, addrs, seg, state)
);

DEFINE_EVENT(xtcp_segment_class, xtcp_segment_recv,
	TP_PROTO(const struct net *net, const struct xtcp_addrs *addrs,
		 const struct xtcp_segment *seg, int state),
	TP_ARGS(net, addrs, seg, state)
);

/* @retries: this retransmission's number; @rto_ms: the timeout armed next */
TRACE_EVENT(xtcp_retransmit,
	TP_PROTO(const struct sock *sk, u32 seq, u32 len, u32 retries,
		 u32 rto_ms),
	TP_ARGS(sk, seq, len, retries, rto_ms),
	TP_STRUCT__entry(
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, len)
		__field(u32, retries)
		__field(u32, rto_ms)
		__field(int, state)
	),
	TP_fast_assign(
		__entry->netns = sock_net(sk)->ns.inum;
		__entry->sport = sk->sk_num;
		__entry->dport = ntohs(sk->sk_dport);
		xtcp_sk_addrs_store(__entry->saddr, __entry->daddr, sk);
		__entry->seq = seq;
		__entry->len = len;
		__entry->retries = retries;
		__entry->rto_ms = rto_ms;
		__entry->state = sk->sk_state;
	),
	TP_printk("netns=%u src=%pISpc dst=%pISpc seq=%u len=%u retries=%u rto_ms=%u state=%s",
		  __entry->netns, __entry->saddr, __entry->daddr,
		  __entry->seq, __entry->len, __entry->retries, __entry->rto_ms,
		  xtcp_trace_state_name(__entry->state))
);

/* a segment for xtcp dropped before any socket saw it, and why */
TRACE_EVENT(xtcp_drop,
	TP_PROTO(const struct net *net, const struct xtcp_addrs *addrs,
		 const char *reason),
	TP_ARGS(net, addrs, reason),
	TP_STRUCT__entry(
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__string(reason, reason)
	),
	TP_fast_assign(
		__entry->netns = net->ns.inum;
		xtcp_addrs_store(__entry->saddr, addrs, true, 0);
		xtcp_addrs_store(__entry->daddr, addrs, false, 0);
		__assign_str(reason, reason);
	),
	TP_printk("netns=%u src=%pISc dst=%pISc reason=%s", __entry->netns,
		  __entry->saddr, __entry->daddr, __get_str(reason))
);

DECLARE_EVENT_CLASS(xtcp_tw_class,
	TP_PROTO(unsigned int netns, const union xtcp_tw_any *st),
	TP_ARGS(netns, st),
	TP_STRUCT__entry(
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, snd_nxt)
		__field(u32, rcv_nxt)
	),
	TP_fast_assign(
		struct xtcp_addrs a = xtcp_addrs4(st->v4.saddr, st->v4.daddr);

		if (st->v4.family == XTCP_TW_INET6) {
			a.family = AF_INET6;
			a.v6.saddr = st->v6.saddr;
			a.v6.daddr = st->v6.daddr;
		}
		__entry->netns = netns;
		__entry->sport = ntohs(xtcp_tw_sport(st));
		__entry->dport = ntohs(xtcp_tw_dport(st));
		xtcp_addrs_store(__entry->saddr, &a, true, __entry->sport);
		xtcp_addrs_store(__entry->daddr, &a, false, __entry->dport);
		__entry->snd_nxt = xtcp_tw_snd_nxt(st);
		__entry->rcv_nxt = xtcp_tw_rcv_nxt(st);
	),
	TP_printk("netns=%u src=%pISpc dst=%pISpc snd_nxt=%u rcv_nxt=%u",
		  __entry->netns, __entry->saddr, __entry->daddr,
		  __entry->snd_nxt, __entry->rcv_nxt)
);

DEFINE_EVENT(xtcp_tw_class, xtcp_tw_create,
	TP_PROTO(unsigned int netns, const union xtcp_tw_any *st),
	TP_ARGS(netns, st)
);

DEFINE_EVENT(xtcp_tw_class, xtcp_tw_reuse,
	TP_PROTO(unsigned int netns, const union xtcp_tw_any *st),
	TP_ARGS(netns, st)
);

DEFINE_EVENT(xtcp_tw_class, xtcp_tw_kill,
	TP_PROTO(unsigned int netns, const union xtcp_tw_any *st),
	TP_ARGS(netns, st)
);

DEFINE_EVENT(xtcp_tw_class, xtcp_tw_expire,
	TP_PROTO(unsigned int netns, const union xtcp_tw_any *st),
	TP_ARGS(netns, st)
);

/*
 * xtcp_probe: Linux's tcp_probe (include/trace/events/tcp.h) and more, once
 * for every acceptable ACK a synchronized connection takes (a segment of the
 * peer's text carries one too), after the ACK did its work (the queue
 * cleaned, the rate sample made, the window set) and before anything is sent
 * on it. tcp_probe fires for every segment in ESTABLISHED, before tcp_ack():
 * xtcp_probe shows what the ACK left, with the rate sample it made, and keeps
 * firing while the connection closes (FIN_WAIT1...), for the last flight.
 *
 * As tcp_probe's: the ends (the local one first), mark (the segment's),
 * data_len (its text), snd_nxt, snd_una, snd_cwnd and ssthresh (in segments;
 * ssthresh as TCP_INFO gives it, 2147483647 before any loss, not
 * tcp_current_ssthresh()), snd_wnd and rcv_wnd (bytes), srtt (us) and
 * sock_cookie. Then the rate sample (struct rate_sample): delivered and
 * interval_us (-1 when the ACK made none: an old ACK, nothing in flight
 * before it, or an interval below the minimum RTT), rtt_us (-1: none),
 * losses, app_limited; the connection's delivered total (segments),
 * bytes_acked, total_retrans, mss; sk_pacing_rate (bytes/s, ~0 unset); the
 * windowed min_rtt (us, 4294967295 before a sample); ca_state (TCP_CA_Open 0,
 * CWR 2, Recovery 3, Loss 4) and cc_value, what the algorithm put in
 * xtcp_cc.probe_value (include/net/xtcp_cong.h), 0 if it puts nothing.
 */
TRACE_EVENT(xtcp_probe,
	TP_PROTO(const struct sock *sk, const struct sk_buff *skb),
	TP_ARGS(sk, skb),
	TP_STRUCT__entry(
		__field(unsigned int, netns)
		__array(u8, saddr, sizeof(struct sockaddr_in6))
		__array(u8, daddr, sizeof(struct sockaddr_in6))
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, mark)
		__field(u32, data_len)
		__field(u8, state)
		__field(u8, ca_state)
		__field(u8, app_limited)
		__field(u32, snd_nxt)
		__field(u32, snd_una)
		__field(u32, snd_cwnd)
		__field(u32, ssthresh)
		__field(u32, snd_wnd)
		__field(u32, srtt)
		__field(u32, rcv_wnd)
		__field(u64, sock_cookie)
		__field(s32, delivered)
		__field(s32, interval_us)
		__field(s32, rtt_us)
		__field(s32, losses)
		__field(u32, delivered_total)
		__field(u64, bytes_acked)
		__field(u32, total_retrans)
		__field(u32, mss)
		__field(u64, pacing_rate)
		__field(u32, min_rtt)
		__field(u64, cc_value)
	),
	TP_fast_assign(
		const struct xtcp_sock *xs = xtcp_sk(sk);
		u32 cookie[2];

		__entry->netns = sock_net(sk)->ns.inum;
		__entry->sport = sk->sk_num;
		__entry->dport = ntohs(sk->sk_dport);
		xtcp_sk_addrs_store(__entry->saddr, __entry->daddr, sk);
		__entry->mark = skb->mark;
		__entry->data_len = skb->len;
		__entry->state = sk->sk_state;
		__entry->ca_state = xs->ca_state;
		__entry->app_limited = xs->rs.is_app_limited;
		__entry->snd_nxt = xs->snd_nxt;
		__entry->snd_una = xs->snd_una;
		__entry->snd_cwnd = xs->cc.cwnd;
		__entry->ssthresh = xs->cc.ssthresh;
		__entry->snd_wnd = xs->snd_wnd;
		__entry->srtt = xs->rtt.srtt_us;
		__entry->rcv_wnd = xs->rcv_wnd;
		sock_diag_save_cookie((struct sock *)sk, cookie);
		__entry->sock_cookie = (u64)cookie[1] << 32 | cookie[0];
		__entry->delivered = xs->rs.delivered;
		__entry->interval_us = xs->rs.interval_us;
		__entry->rtt_us = xs->rs.rtt_us;
		__entry->losses = xs->rs.losses;
		__entry->delivered_total = xs->delivered;
		__entry->bytes_acked = xs->bytes_acked;
		__entry->total_retrans = xs->total_retrans;
		__entry->mss = xs->mss;
		__entry->pacing_rate = READ_ONCE(sk->sk_pacing_rate);
		__entry->min_rtt = xtcp_rtt_min_us(&xs->rtt);
		__entry->cc_value = xs->cc.probe_value;
	),
	TP_printk("netns=%u src=%pISpc dst=%pISpc mark=%#x data_len=%u snd_nxt=%u snd_una=%u snd_cwnd=%u ssthresh=%u snd_wnd=%u srtt=%u rcv_wnd=%u sock_cookie=%llx delivered=%d interval_us=%d rtt_us=%d losses=%d app_limited=%u delivered_total=%u bytes_acked=%llu total_retrans=%u mss=%u pacing_rate=%llu min_rtt=%u ca_state=%u cc_value=%llu state=%s",
		  __entry->netns, __entry->saddr, __entry->daddr, __entry->mark,
		  __entry->data_len, __entry->snd_nxt, __entry->snd_una,
		  __entry->snd_cwnd, __entry->ssthresh, __entry->snd_wnd,
		  __entry->srtt, __entry->rcv_wnd, __entry->sock_cookie,
		  __entry->delivered, __entry->interval_us, __entry->rtt_us,
		  __entry->losses, __entry->app_limited,
		  __entry->delivered_total, __entry->bytes_acked,
		  __entry->total_retrans, __entry->mss, __entry->pacing_rate,
		  __entry->min_rtt, __entry->ca_state, __entry->cc_value,
		  xtcp_trace_state_name(__entry->state))
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xtcp_trace
#include <trace/define_trace.h>
