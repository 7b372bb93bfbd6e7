// SPDX-License-Identifier: GPL-2.0
/*
 * output.c: building segments with the protocol core and sending them.
 *
 * Segments of a socket go out through ip_queue_xmit() on the socket's route
 * (its TTL, DF, mark and priority), with the checksum left to the device or
 * the core's software fallback (CHECKSUM_PARTIAL). Segments without a full
 * socket (a RST answering a stray segment, the ACK of a TIME_WAIT bucket) go
 * through the namespace's control socket with ip_build_and_send_pkt().
 *
 * Data waits in sk->sk_write_queue as MSS-sized skbs, each with its sequence
 * numbers in XTCP_SKB_CB, until first sent; then it moves to the retransmission
 * queue, an rbtree by sequence number (rtxq.h, sk->tcp_rtx_queue), until
 * acknowledged, as in Linux 6.1. What is sent is a clone (or a copy, while an
 * earlier clone is still in flight) with the header pushed into the headroom,
 * as the kernel's TCP does.
 *
 * In a kernel with KUnit, xmit_captured() is the one seam before both
 * transmits: the packet-path suites (kunit/packet.c) set xtcp_xmit_capture to
 * take the segments instead of the IP layer (xmit_capture.h). Unset, it costs
 * one unlikely NULL test; without CONFIG_KUNIT it is compiled out.
 */
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp.h>

#include "ack.h"
#include "addrs.h"
#include "delack.h"
#include "hook.h"
#include "icmp.h"
#include "ecn.h"
#include "isn.h"
#include "mem.h"
#include "nagle.h"
#include "output.h"
#include "parse.h"
#include "recovery.h"
#include "rtxq.h"
#include "rwin.h"
#include "seq.h"
#include "timer.h"
#include "urgent.h"
#include "xmit_capture.h"
#include "xtcp.h"

/*
 * TCP small queues (Linux 6.1's tcp_small_queue_check(), tcp_wfree() and its
 * per-CPU tasklet): a socket keeps below itself, in qdiscs and devices, no
 * more than about 1 ms of its pacing rate, at least two of its skbs, at most
 * net.ipv4.tcp_limit_output_bytes (unless fq paces it), counted as
 * sk_wmem_alloc, the truesize of its skbs not yet freed. write_xmit() stops
 * there and marks the socket XTCP_TSQ_THROTTLED; when a device frees one of
 * its skbs, xtcp_wfree() (their destructor) moves a throttled socket to this
 * CPU's list and schedules the list's tasklet, which sends on
 * (tsq_handler()), or leaves it to release_cb if the user owns the socket.
 * Linux's tasklet is not exported: this is xtcp's own, the same. A socket on
 * a list keeps one unit of sk_wmem_alloc, as in Linux, so it is not freed
 * (nor the module, which every socket holds) before the tasklet has taken it
 * off and let go of that unit with sk_free().
 */
struct xtcp_tsq {
	struct tasklet_struct tasklet;
	struct list_head head;		/* xtcp_sock.tsq_node, XTCP_TSQ_QUEUED */
};

static DEFINE_PER_CPU(struct xtcp_tsq, xtcp_tsq);

/*
 * tcp_wfree(), the destructor of what a socket transmits: its truesize back,
 * and a socket write_xmit() throttled queued for the tasklet. Any context, a
 * device's completion or a qdisc's drop (hard IRQs too: irqs off around the
 * list). Linux's one more condition, to wait while this CPU's ksoftirqd runs
 * it, xtcp cannot test (ksoftirqd is not exported).
 */
static void xtcp_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long flags, nval, oval;

	/* one unit stays, for sk_free() below or for the tasklet's */
	WARN_ON(refcount_sub_and_test(skb->truesize - 1, &sk->sk_wmem_alloc));
	for (oval = READ_ONCE(xs->deferred);; oval = nval) {
		struct xtcp_tsq *tsq;
		bool empty;

		if (!(oval & BIT(XTCP_TSQ_THROTTLED)) ||
		    (oval & BIT(XTCP_TSQ_QUEUED)))
			break;
		nval = (oval & ~BIT(XTCP_TSQ_THROTTLED)) | BIT(XTCP_TSQ_QUEUED);
		nval = cmpxchg(&xs->deferred, oval, nval);
		if (nval != oval)
			continue;
		local_irq_save(flags);
		tsq = this_cpu_ptr(&xtcp_tsq);
		empty = list_empty(&tsq->head);
		list_add(&xs->tsq_node, &tsq->head);
		if (empty)
			tasklet_schedule(&tsq->tasklet);
		local_irq_restore(flags);
		return;		/* the list keeps the unit: tsq_tasklet() puts it */
	}
	sk_free(sk);		/* the skb's last unit of sk_wmem_alloc */
}

/*
 * What __tcp_transmit_skb() does instead of skb_set_owner_w(): @skb's
 * truesize charged to @sk until xtcp_wfree(). A pure ACK keeps the plain
 * sock_wfree(), as Linux gives one __sock_wfree(): it wakes nobody; and it
 * weighs 2 bytes, as Linux's (skb_set_tcp_pure_ack()), so that ACKs do not
 * take the data's room below the socket.
 */
static void set_owner_tsq(struct sk_buff *skb, struct sock *sk, bool pure_ack)
{
	if (pure_ack) {
		skb->truesize = 2;
		skb_set_owner_w(skb, sk);
		return;
	}
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = xtcp_wfree;
	skb_set_hash_from_sk(skb, sk);
	refcount_add(skb->truesize, &sk->sk_wmem_alloc);
}

#if IS_ENABLED(CONFIG_KUNIT)
xtcp_xmit_capture_t xtcp_xmit_capture;
EXPORT_SYMBOL_IF_KUNIT(xtcp_xmit_capture);

/*
 * A GSO skb offered to @capture as the segments software GSO would cut it
 * into (tcp_gso_segment()): gso_size bytes each, the header copied, its
 * sequence number moved on, CWR on the first only, PSH and FIN on the last
 * only. Taken whole, or not at all (another namespace's: it goes out).
 */
static bool capture_segments(xtcp_xmit_capture_t capture, struct net *net,
			     const struct xtcp_addrs *addrs,
			     struct sk_buff *skb)
{
	unsigned int hlen = tcp_hdrlen(skb), off = hlen, segs, i;
	u32 mss = skb_shinfo(skb)->gso_size, seq = ntohl(tcp_hdr(skb)->seq);
	struct sk_buff *seg;
	struct tcphdr *th;

	segs = skb_shinfo(skb)->gso_segs;
	for (i = 0; i < segs && off < skb->len; i++) {
		u32 len = min_t(u32, mss, skb->len - off);

		seg = alloc_skb(MAX_TCP_HEADER + hlen + len, GFP_ATOMIC);
		if (!seg)
			break;
		skb_reserve(seg, MAX_TCP_HEADER);
		skb_put_data(seg, skb->data, hlen);
		if (skb_copy_bits(skb, off, skb_put(seg, len), len)) {
			kfree_skb(seg);
			break;
		}
		skb_reset_transport_header(seg);
		th = tcp_hdr(seg);
		th->seq = htonl(seq);
		if (i)
			th->cwr = 0;
		if (off + len < skb->len)
			th->fin = th->psh = 0;
		/* a GSO skb is a socket's (transmit()) */
		xtcp_sk(skb->sk)->af->send_check(skb->sk, seg);
		/* what a test holds, TCP small queues count (xtcp_wfree()) */
		set_owner_tsq(seg, skb->sk, false);
		if (!capture(net, addrs, seg)) {
			kfree_skb(seg);
			if (!i)
				return false;
			break;
		}
		off += len;
		seq += len;
	}
	consume_skb(skb);
	return true;
}

/* KUnit took @skb (xmit_capture.h): it counts as sent. */
static bool xmit_captured(struct net *net, const struct xtcp_addrs *addrs,
			  struct sk_buff *skb)
{
	xtcp_xmit_capture_t capture;
	bool taken = false;

	if (likely(!READ_ONCE(xtcp_xmit_capture)))
		return false;
	rcu_read_lock();
	capture = READ_ONCE(xtcp_xmit_capture);
	if (capture && skb_is_gso(skb))
		taken = capture_segments(capture, net, addrs, skb);
	else if (capture)
		taken = capture(net, addrs, skb);
	rcu_read_unlock();
	return taken;
}
#else
static inline bool xmit_captured(struct net *net,
				 const struct xtcp_addrs *addrs,
				 struct sk_buff *skb)
{
	return false;
}
#endif

/*
 * The window the free receive buffer is worth (tcp_space()), and the whole
 * buffer (tcp_full_space()); rwin.h decides from them.
 */
int xtcp_rcv_space(const struct sock *sk)
{
	return xtcp_win_from_space(sk, READ_ONCE(sk->sk_rcvbuf) -
				   READ_ONCE(sk->sk_backlog.len) -
				   atomic_read(&sk->sk_rmem_alloc));
}

/* The window the buffer would offer now (__tcp_select_window()). */
u32 xtcp_rwin_now(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rwin_input in = {
		.free_space = xtcp_rcv_space(sk),
		.allowed_space = xtcp_win_from_space(sk, READ_ONCE(sk->sk_rcvbuf)),
		.window_clamp = xs->window_clamp,
		.rcv_ssthresh = xs->rcv_ssthresh,
		.rcv_wnd = xs->rcv_wnd,
		.rcv_mss = xs->rcv_mss,
		.advmss = xtcp_advmss(xs),
		.rcv_wscale = xs->rcv_wscale,
		.pressure = sk_under_memory_pressure(sk),
	};
	struct xtcp_rwin_output out;

	if (!xs->window_clamp)
		return xs->rcv_wnd;	/* the SYN's, until established */
	xtcp_rwin_select(&in, &out);
	xs->rcv_ssthresh = out.rcv_ssthresh;
	if (out.low)
		xs->quickack = 0;
	return out.window;
}

/*
 * The window to advertise, and remember it (tcp_select_window()): what the
 * buffer offers (rwin.h), but never moving the right edge left (RFC 9293
 * §3.8.6: shrinking the window is strongly discouraged), and on the scale
 * the peer agreed to.
 */
u16 xtcp_select_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 win;

	win = xtcp_rwin_no_shrink(xtcp_rwin_now(sk), xtcp_rcv_window_now(sk),
				  xs->rcv_wscale);
	xs->rcv_wnd = win;
	xs->rcv_wup = xs->rcv_nxt;
	if (!xs->rcv_wscale &&
	    READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_workaround_signed_windows))
		win = min_t(u32, win, MAX_TCP_WINDOW);
	else
		win = min_t(u32, win, 65535U << xs->rcv_wscale);
	return win >> xs->rcv_wscale;
}

/*
 * The largest window the receive buffer allows, and its limit: what
 * tcp_connect_init() and tcp_openreq_init_rwin() give
 * tcp_select_initial_window() as the space and the window clamp. The clamp
 * is TCP_WINDOW_CLAMP's if set (a listener's for its children), else the
 * largest scaled window; with SO_RCVBUF set, no more than the buffer's worth.
 */
static u32 initial_space(const struct sock *sk, u32 *clamp)
{
	u32 space = max(xtcp_win_from_space(sk, READ_ONCE(sk->sk_rcvbuf)), 0);
	u32 opt = READ_ONCE(xtcp_sk(sk)->clamp_opt);

	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK && (!opt || opt > space))
		*clamp = space;
	else
		*clamp = opt ?: 65535U << XTCP_MAX_WSCALE;
	return min(space, *clamp);
}

/*
 * The window clamp tcp_select_initial_window() leaves: TCP_WINDOW_CLAMP's,
 * or the buffer's worth with SO_RCVBUF set, at most the largest window on
 * our scale; but TCP_WINDOW_CLAMP's as it is when set in SYN-SENT, after
 * tcp_connect_init() (tcp_set_window_clamp()).
 */
u32 xtcp_initial_window_clamp(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 clamp;

	if (xs->clamp_raw && xs->clamp_opt)
		return xs->clamp_opt;
	initial_space(sk, &clamp);
	return min_t(u32, clamp, 65535U << xtcp_sk(sk)->rcv_wscale);
}

/**
 * xtcp_initial_rcv_wnd - the window of our SYN or SYN+ACK
 * @sk: the connecting socket, or a listener's child (which has its
 *	listener's receive buffer and SO_RCVBUF lock), or the listener itself
 * @mss: the MSS the window is a multiple of: the MSS option we send, less
 *	the timestamp option on a passive open that has timestamps
 *	(tcp_openreq_init_rwin())
 * @init_rcv_wnd: the route's initrwnd in segments, 0 for none
 *
 * As tcp_select_initial_window(): the buffer's worth rounded down to a
 * multiple of @mss, at most 65535 (32767 with
 * net.ipv4.tcp_workaround_signed_windows), at most @init_rcv_wnd segments.
 * A SYN's window is never scaled (RFC 7323 §2.2): this is the receive window
 * until the first window update.
 */
u32 xtcp_initial_rcv_wnd(const struct sock *sk, u32 mss, u32 init_rcv_wnd)
{
	u32 clamp, space = initial_space(sk, &clamp), win;

	if (mss && space > mss)
		space = rounddown(space, mss);
	if (READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_workaround_signed_windows))
		win = min_t(u32, space, MAX_TCP_WINDOW);
	else
		win = min_t(u32, space, U16_MAX);
	if (init_rcv_wnd)
		win = min(win, init_rcv_wnd * mss);
	return win;
}

/**
 * xtcp_initial_rcv_wscale - the window scale our SYN or SYN+ACK offers
 * @sk: as for xtcp_initial_rcv_wnd()
 *
 * As tcp_select_initial_window(): large enough for the largest buffer the
 * socket could grow to, max(net.ipv4.tcp_rmem[2], net.core.rmem_max), or
 * for its SO_RCVBUF when that is set. 7 for Linux 6.1's defaults (6 MiB).
 */
u8 xtcp_initial_rcv_wscale(const struct sock *sk)
{
	u32 clamp, space = initial_space(sk, &clamp);

	space = max_t(u32, space, xtcp_rmem(sock_net(sk), 2));
	space = max_t(u32, space, READ_ONCE(sysctl_rmem_max));
	space = max_t(u32, min(space, clamp), 1);
	return clamp_t(int, ilog2(space) - 15, 0, XTCP_MAX_WSCALE);
}

/*
 * The MSS for a path MTU of @pmtu (tcp_sync_mss()): the MTU less the IP and
 * TCP headers, no more than the peer's MSS option and TCP_MAXSEG allow, less
 * the timestamp option each segment carries; and no more than half the
 * largest window the peer offered (tcp_bound_to_half_wnd()), so that a
 * window hardly larger than a segment (loopback's 64 KiB MSS against a
 * 64 KiB buffer) still takes two at a time, not one and then a partial one
 * sent by the probe timer.
 */
void xtcp_sync_mss(struct sock *sk, u32 pmtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->mss = xtcp_mss_for(sk, pmtu, xs->ts_ok);
	xs->pmtu_cookie = pmtu;
}

/*
 * xtcp_sync_mss()'s MSS for @pmtu, the timestamp option counted in each
 * segment if @ts.
 */
u32 xtcp_mss_for(const struct sock *sk, u32 pmtu, bool ts)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = pmtu - min_t(u32, pmtu, xs->af->net_header_len + XTCP_HDR_LEN);
	u32 opts = ts ? XTCP_OLEN_TIMESTAMP + 2 : 0;
	u32 cutoff = xs->max_snd_wnd;

	if (xs->peer_mss)
		mss = min_t(u32, mss, xs->peer_mss);
	if (xs->user_mss)
		mss = min_t(u32, mss, xs->user_mss);
	mss = max_t(u32, mss - min(mss, opts), 64);
	if (cutoff > TCP_MSS_DEFAULT)
		cutoff >>= 1;
	if (cutoff && mss > cutoff)
		mss = max_t(u32, cutoff, 68 - XTCP_HDR_LEN - opts);
	return mss;
}

/* The receive window the peer may still fill, as last advertised. */
u32 xtcp_rcv_window_now(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	s32 win = xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt;

	return win > 0 ? win : 0;
}

/* What a SYN's window is a multiple of: @mss, less the timestamp option if @ts. */
static u32 syn_wnd_mss(u32 mss, bool ts)
{
	return ts ? mss - min_t(u32, mss, XTCP_OLEN_TIMESTAMP + 2) : mss;
}

/*
 * The window of our SYN or SYN+ACK (xtcp_initial_rcv_wnd()) for @sk, whose
 * MSS option is set: tcp_connect_init() rounds to the MSS option,
 * tcp_openreq_init_rwin() to the MSS option less the timestamp option when
 * the peer's SYN had one.
 */
u32 xtcp_syn_rcv_wnd(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	return xtcp_initial_rcv_wnd(sk, syn_wnd_mss(xs->adv_mss,
						    xs->passive && xs->ts_ok),
				    xs->init_rcv_wnd);
}

/*
 * MSS to announce on our SYN or SYN+ACK, for IPv4 (xs->af->route_mss): the
 * route's MTU minus the headers.
 * The MTU is remembered as the one our own MSS is for (xtcp_sync_mss()), the
 * route's initrwnd as our SYN's window limit (xtcp_syn_rcv_wnd()).
 */
static u16 ipv4_route_mss(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct flowi4 fl4;
	struct rtable *rt;
	u32 mtu = 1500;

	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, inet->inet_daddr,
				   inet->inet_saddr, inet->inet_dport,
				   inet->inet_sport, IPPROTO_TCP, 0,
				   sk->sk_bound_dev_if);
	xtcp_sk(sk)->init_rcv_wnd = 0;
	if (!IS_ERR(rt)) {
		mtu = dst_mtu(&rt->dst);
		xtcp_sk(sk)->init_rcv_wnd = dst_metric(&rt->dst, RTAX_INITRWND);
		ip_rt_put(rt);
	}
	xtcp_sk(sk)->pmtu_cookie = min_t(u32, mtu, 65535);
	mtu = min_t(u32, mtu - sizeof(struct iphdr) - XTCP_HDR_LEN, 65535);
	if (xtcp_sk(sk)->user_mss)
		mtu = min_t(u32, mtu, xtcp_sk(sk)->user_mss);
	return mtu;
}

/* __tcp_v4_send_check(): the checksum's pseudo-header part, the rest offloaded */
static void ipv4_send_check(struct sock *sk, struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);

	tcp_hdr(skb)->check = ~tcp_v4_check(skb->len, inet->inet_saddr,
					    inet->inet_daddr, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
}

/* on the socket's route, its TTL, TOS, DF, mark and priority */
static int ipv4_queue_xmit(struct sock *sk, struct sk_buff *skb)
{
	return ip_queue_xmit(sk, skb, &inet_sk(sk)->cork.fl);
}

const struct xtcp_af_ops xtcp_ipv4_ops = {
	.family		= AF_INET,
	.net_header_len	= sizeof(struct iphdr),
	.gso_type	= SKB_GSO_TCPV4,
	.queue_xmit	= ipv4_queue_xmit,
	.send_check	= ipv4_send_check,
	.mtu_reduced	= xtcp_mtu_reduced,
	.route_mss	= ipv4_route_mss,
};

/*
 * The SACK blocks of an ACK: the D-SACK first, if there is one, then those of
 * the out-of-order queue; xtcp_build_options() writes as many as fit (the
 * D-SACK always does). The D-SACK is sent once.
 */
static void sacks_out(struct xtcp_rcv_sacks *rs, struct xtcp_options *opt)
{
	unsigned int n = 0;

	if (rs->dsack) {
		opt->sacks[n++] = rs->dup;
		rs->dsack = 0;
	}
	memcpy(opt->sacks + n, rs->blocks,
	       min_t(unsigned int, rs->num, XTCP_MAX_SACKS - n) *
	       sizeof(opt->sacks[0]));
	opt->num_sacks = n + min_t(unsigned int, rs->num, XTCP_MAX_SACKS - n);
	opt->present |= XTCP_OPTF_SACK;
}

/* The addresses @sk's segments go from and to. */
static struct xtcp_addrs xmit_addrs(const struct sock *sk)
{
	return xtcp_addrs4(inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_daddr);
}

/*
 * The trace event of each segment sent: of a GSO skb, each of the @segs
 * segments of @size bytes its device or software GSO cuts it into.
 */
static void trace_send(struct sock *sk, const struct xtcp_segment *seg,
		       unsigned int segs, unsigned int size)
{
	const struct xtcp_addrs a = xmit_addrs(sk);
	struct xtcp_segment one = *seg;
	u32 left = seg->payload_len;
	unsigned int i;

	if (!trace_xtcp_segment_send_enabled())
		return;
	if (segs == 1) {
		trace_xtcp_segment_send(sock_net(sk), &a, seg, sk->sk_state);
		return;
	}
	for (i = 0; i < segs; i++) {
		one.payload_len = min(left, size);
		one.flags = seg->flags;
		if (i)
			one.flags &= ~XTCP_FLAG_CWR;
		if (i < segs - 1)
			one.flags &= ~(XTCP_FLAG_PSH | XTCP_FLAG_FIN);
		trace_xtcp_segment_send(sock_net(sk), &a, &one, sk->sk_state);
		one.seq += one.payload_len;
		left -= one.payload_len;
	}
}

/*
 * sk_setup_caps() gives a TCP socket GSO whatever its device offers
 * (software GSO cuts the skbs where the device cannot): Linux TCP queues and
 * sends GSO skbs with tun0's offloads off too. An xtcp socket's family is
 * not AF_INET, so it gets the same here, once ip_queue_xmit() has routed it:
 * the device's gso_max_size (at most 64 KiB for IPv4, less the headers'
 * room) and gso_max_segs. Not through an IPsec tunnel (dst->header_len).
 */
static void gso_caps(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);

	if (!dst || (sk->sk_route_caps & NETIF_F_GSO) || sk->sk_gso_disabled ||
	    dst->header_len)
		return;
	sk->sk_route_caps |= NETIF_F_GSO | NETIF_F_GSO_SOFTWARE | NETIF_F_SG |
			     NETIF_F_HW_CSUM;
	sk->sk_gso_max_size = min_t(u32, READ_ONCE(dst->dev->gso_max_size),
				    GSO_LEGACY_MAX_SIZE) - (MAX_TCP_HEADER + 1);
	sk->sk_gso_max_segs = max_t(u32, READ_ONCE(dst->dev->gso_max_segs), 1);
}

/**
 * xtcp_route_child - route a passive open's socket as it is established
 * @sk: the new connection
 *
 * As tcp_v4_syn_recv_sock() routes its child (inet_csk_route_child_sock(),
 * sk_setup_caps()): its first write is then queued for GSO already, not cut
 * to the MSS as for a route that cannot take it. Where the route is not
 * found here, ip_queue_xmit() looks again.
 */
void xtcp_route_child(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable *rt;

	xtcp_sock_assert_locked(sk);
	if (!__sk_dst_check(sk, 0)) {
		rt = ip_route_output_ports(sock_net(sk), &inet->cork.fl.u.ip4,
					   sk, inet->inet_daddr,
					   inet->inet_saddr, inet->inet_dport,
					   inet->inet_sport, IPPROTO_TCP,
					   RT_CONN_FLAGS(sk),
					   sk->sk_bound_dev_if);
		if (IS_ERR(rt))
			return;
		sk_setup_caps(sk, &rt->dst);
	}
	gso_caps(sk);
}

/*
 * tcp_update_skb_after_send(): @len bytes of text went, the departure time
 * last set at @prior_wstamp. Paced (by fq or by xtcp, sk_pacing_status), the
 * next skb's departure is later by their time at the pacing rate, less up to
 * half of it for the time the departure was late (OS jitter); the first ten
 * segments of a connection go unpaced, as the original sch_fq let them.
 */
static void paced(struct sock *sk, u32 len, u64 prior_wstamp)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long rate = READ_ONCE(sk->sk_pacing_rate);
	u64 len_ns, credit;

	if (READ_ONCE(sk->sk_pacing_status) == SK_PACING_NONE ||
	    rate == ~0UL || !rate || xs->data_segs_out < 10)
		return;
	len_ns = div64_ul((u64)len * NSEC_PER_SEC, rate);
	credit = xs->wstamp_ns - prior_wstamp;
	len_ns -= min_t(u64, len_ns / 2, credit);
	xs->wstamp_ns += len_ns;
}

/*
 * Push the header for @flags at @seq onto @skb and send it. Consumes @skb,
 * which may be a GSO skb (xmit_run()): the header is its first segment's.
 */
static int transmit(struct sock *sk, struct sk_buff *skb, u8 flags, u32 seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	unsigned int segs = 1, size = skb->len;
	struct xtcp_segment seg = {};
	struct xtcp_addrs addrs;
	u8 hdr[XTCP_HDR_MAX_LEN];
	struct tcphdr *th;
	u64 prior_wstamp;
	int hlen, err;

	xtcp_sock_assert_locked(sk);
	if (skb_is_gso(skb)) {
		segs = skb_shinfo(skb)->gso_segs;
		size = skb_shinfo(skb)->gso_size;
	}
	seg.sport = ntohs(inet->inet_sport);
	seg.dport = ntohs(inet->inet_dport);
	seg.seq = seq;
	seg.flags = flags;
	if (flags & XTCP_FLAG_ACK)
		seg.ack = xs->rcv_nxt;
	if (flags & XTCP_FLAG_SYN) {
		seg.opt.present = XTCP_OPTF_MSS;
		if (!xs->adv_mss)
			xs->adv_mss = xs->af->route_mss(sk);
		seg.opt.mss = xs->adv_mss;
		/* the first SYN's, kept for its retransmissions */
		if (!xs->rcv_wnd)
			xs->rcv_wnd = xtcp_syn_rcv_wnd(sk);
		seg.window = min_t(u32, xs->rcv_wnd, XTCP_SYN_WINDOW);
		if (xs->wscale_ok) {
			seg.opt.present |= XTCP_OPTF_WSCALE;
			seg.opt.wscale = xs->rcv_wscale;
		}
		if (xs->sack_ok)
			seg.opt.present |= XTCP_OPTF_SACK_PERM;
	} else if (!(flags & XTCP_FLAG_RST)) {
		seg.window = xtcp_select_window(sk);
	}
	if (xs->ts_ok) {
		seg.opt.present |= XTCP_OPTF_TIMESTAMP;
		seg.opt.tsval = xtcp_isn_tsval(xs->ts_off);
		seg.opt.tsecr = xs->ts_recent;
	}
	/*
	 * What the out-of-order queue holds, as SACK blocks (RFC 2018 §4), on
	 * every segment, with text or not (tcp_established_options(); the
	 * text made room for them, xtcp_current_mss()). As many as fit, latest
	 * first; a D-SACK block before them, once (RFC 2883 §4,
	 * tcp_options_write()).
	 */
	if (xs->sack_ok && !(flags & (XTCP_FLAG_SYN | XTCP_FLAG_RST)) &&
	    (xs->rcv_sacks.num || xs->rcv_sacks.dsack))
		sacks_out(&xs->rcv_sacks, &seg.opt);
	/* every segment before the urgent data's end points at it (urgent.h) */
	if (xtcp_urg_mode(xs) && !(flags & (XTCP_FLAG_SYN | XTCP_FLAG_RST)) &&
	    xtcp_urg_ptr_out(xs->snd_up, seq, xs->snd_nxt, &seg.urg_ptr))
		seg.flags |= XTCP_FLAG_URG;
	xtcp_ecn_send(sk, &seg, skb->len);
	hlen = xtcp_build_header(hdr, sizeof(hdr), &seg);
	if (WARN_ON_ONCE(hlen < 0)) {
		kfree_skb(skb);
		return hlen;
	}
	seg.payload_len = skb->len;
	/* time the first transmission of a SYN, or of new data (Karn) */
	if (!xs->rtt_timing && !(flags & XTCP_FLAG_RST) &&
	    ((flags & XTCP_FLAG_SYN) ? !xs->retries :
	     (skb->len || (flags & XTCP_FLAG_FIN)) &&
	     !xtcp_seq_before(seq, xs->snd_nxt))) {
		xs->rtt_timing = 1;
		/* of a GSO skb, its first segment */
		xs->rtt_seq = seq + (segs > 1 ? size : xtcp_seg_seq_len(&seg));
		xs->rtt_start_ns = ktime_get_ns();
	}
	trace_send(sk, &seg, segs, size);
	/* any segment with an ACK is the ACK owed (tcp_event_ack_sent()) */
	if (flags & XTCP_FLAG_ACK)
		xtcp_ack_sent(sk);
	th = skb_push(skb, hlen);
	memcpy(th, hdr, hlen);
	skb_reset_transport_header(skb);

	xs->af->send_check(sk, skb);
	if (segs > 1 && (seg.flags & XTCP_FLAG_CWR))
		skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_ECN;
	set_owner_tsq(skb, sk, !seg.payload_len && flags == XTCP_FLAG_ACK);
	/*
	 * the IP layer reads its own control block from skb->cb: ours must go,
	 * as much of it as either version's takes (__tcp_transmit_skb())
	 */
	memset(skb->cb, 0, max(sizeof(struct inet_skb_parm),
			       sizeof(struct inet6_skb_parm)));

	/* segments, a GSO skb's each (tcp_skb_pcount()) */
	xtcp_add_stat(sock_net(sk), XTCP_STAT_OUT_SEGS, segs);
	if (flags & XTCP_FLAG_RST)
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_OUT_RSTS);
	xs->segs_out += segs;
	/*
	 * every segment, ACKs too, leaves at its departure time
	 * (__tcp_transmit_skb()'s tcp_wstamp_ns), given to fq as the skb's
	 * earliest departure
	 */
	prior_wstamp = xs->wstamp_ns;
	xs->wstamp_ns = max(xs->wstamp_ns, ktime_get_ns());
	skb_set_delivery_time(skb, xs->wstamp_ns, true);
	/* where the last skb of new data began (rtx_empty_or_single()) */
	if (seg.payload_len && !xtcp_seq_before(seq, xs->snd_nxt))
		xs->xmit_seq = seq;
	if (seg.payload_len) {
		/*
		 * tcp_event_data_sent(): text after nothing was in flight
		 * starts the sender again, told before lsndtime moves (cubic
		 * shifts its epoch by the idle time)
		 */
		if (!xtcp_pipe(xs))
			xtcp_ca_event(sk, CA_EVENT_TX_START);
		xs->lsndtime = tcp_jiffies32;
		xtcp_ack_data_sent(sk);
		xs->data_segs_out += segs;
		xs->bytes_sent += seg.payload_len;
	}
	addrs = xmit_addrs(sk);
	if (xmit_captured(sock_net(sk), &addrs, skb)) {
		err = 0;
	} else {
		/* net_xmit_eval() is a macro that reads its argument twice */
		err = xs->af->queue_xmit(sk, skb);
		err = net_xmit_eval(err);
		gso_caps(sk);
	}
	if (!err && seg.payload_len)
		paced(sk, seg.payload_len, prior_wstamp);
	return err;
}

static struct sk_buff *alloc_ctl_skb(gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER, gfp);

	if (skb)
		skb_reserve(skb, MAX_TCP_HEADER);
	return skb;
}

static int send_ctl(struct sock *sk, u8 flags, u32 seq, gfp_t gfp)
{
	struct sk_buff *skb = alloc_ctl_skb(gfp);

	if (!skb)
		return -ENOBUFS;
	return transmit(sk, skb, flags, seq);
}

int xtcp_send_syn(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	/* from connect() (may sleep) or the retransmission timer (softirq) */
	return send_ctl(sk, XTCP_FLAG_SYN, xtcp_sk(sk)->iss, gfp_any());
}

int xtcp_send_synack(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	return send_ctl(sk, XTCP_FLAG_SYN | XTCP_FLAG_ACK, xtcp_sk(sk)->iss,
			GFP_ATOMIC);
}

void xtcp_send_ack(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	send_ctl(sk, XTCP_FLAG_ACK, xtcp_sk(sk)->snd_nxt, GFP_ATOMIC);
}

/* net.xtcp.invalid_ratelimit, else net.ipv4.tcp_invalid_ratelimit (jiffies) */
static u32 invalid_ratelimit_ms(struct net *net)
{
	int ms = READ_ONCE(xtcp_net(net)->invalid_ratelimit);

	if (ms == XTCP_FOLLOW_TCP)
		ms = jiffies_to_msecs(READ_ONCE(net->ipv4.sysctl_tcp_invalid_ratelimit));
	return ms;
}

/*
 * RFC 5961 §3-§5: ACK what we expect instead of acting on a doubtful RST, SYN
 * or ACK, limited as Linux 6.1's tcp_send_challenge_ack() limits it: first
 * per connection, one per net.xtcp.invalid_ratelimit shared with the dup-ACKs
 * for segments out of window (held back: TCPACKSkippedChallenge); then, unless
 * net.xtcp.challenge_ack_limit is INT_MAX (the default, as 6.1's), within that
 * many a second per namespace (§7; held back: ChallengeACKsLimited). Those
 * sent count in ChallengeACKs. xtcp_challenge_ack_ok() says whether one may
 * go, *@last the sender's clock (a socket's, or a request's as in
 * tcp_reqsk_send_challenge_ack()).
 */
bool xtcp_challenge_ack_ok(struct net *net, u32 *last)
{
	struct xtcp_net *xn = xtcp_net(net);
	int limit = xtcp_sysctl(net, challenge_ack_limit,
				sysctl_tcp_challenge_ack_limit);

	if (xtcp_oow_rate_limited(last, jiffies,
				  msecs_to_jiffies(invalid_ratelimit_ms(net)))) {
		xtcp_inc_stat(net, XTCP_STAT_ACK_SKIPPED_CHALLENGE);
		return false;
	}
	if (limit != INT_MAX &&
	    !xtcp_ratelimit_take(&xn->challenge_rl, jiffies / HZ, limit,
				 get_random_u32())) {
		xtcp_inc_stat(net, XTCP_STAT_CHALLENGE_ACKS_LIMITED);
		return false;
	}
	xtcp_inc_stat(net, XTCP_STAT_CHALLENGE_ACKS);
	return true;
}

void xtcp_send_challenge_ack(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	if (xtcp_challenge_ack_ok(sock_net(sk), &xtcp_sk(sk)->last_oow_ack_time))
		xtcp_send_ack(sk);
}

/*
 * Must the answer to an out-of-window segment be skipped (Linux 6.1's
 * tcp_oow_rate_limited())? The dup-ACK for a PAWS reject or an unacceptable
 * sequence, and every ACK of a TIME-WAIT bucket, go at most once per
 * net.ipv4.tcp_invalid_ratelimit (net.xtcp.invalid_ratelimit) per connection
 * or bucket (*@last), so that two ends that disagree on the sequence space
 * cannot ACK each other in a loop.
 * Text without a SYN is always answered: no ACK loop carries text, and its
 * sender needs to hear that it came. A skipped answer is counted in @stat.
 */
bool xtcp_oow_ack_limited(struct net *net, const struct xtcp_skb_cb *cb,
			  enum xtcp_stat stat, u32 *last)
{
	u32 ms = invalid_ratelimit_ms(net);

	if (cb->seq != cb->end_seq && !(cb->flags & XTCP_FLAG_SYN))
		return false;
	if (!xtcp_oow_rate_limited(last, jiffies, msecs_to_jiffies(ms)))
		return false;
	xtcp_inc_stat(net, stat);
	return true;
}

/*
 * A keep-alive probe (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6): an ACK one below
 * SND.UNA, which the peer cannot accept and so must answer with an ACK.
 */
int xtcp_send_keepalive_probe(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	return send_ctl(sk, XTCP_FLAG_ACK, xtcp_sk(sk)->snd_una - 1,
			GFP_ATOMIC);
}

/* ABORT: a RST at SND.NXT (RFC 9293 §3.10.5). */
void xtcp_send_active_rst(struct sock *sk, gfp_t gfp)
{
	xtcp_sock_assert_locked(sk);
	send_ctl(sk, XTCP_FLAG_RST | XTCP_FLAG_ACK, xtcp_sk(sk)->snd_nxt, gfp);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_send_active_rst);

/*
 * Split @skb after @len bytes of text (tcp_fragment()): the rest becomes a
 * new skb after it, with the same marks, and counts as a segment of its own.
 * So no segment goes out bigger than the MSS once the path MTU fell.
 */
static int fragment(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb), *ncb;
	u32 nsize = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	struct sk_buff *nskb;
	u32 nlen, truesize;

	/*
	 * A clone in flight keeps its own length: ours gets a head of its
	 * own first, its memory as charged (skb_unclone_keeptruesize()).
	 */
	if (skb_cloned(skb)) {
		truesize = skb->truesize;
		if (pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
			return -ENOMEM;
		skb->truesize = truesize;
	}
	nskb = alloc_skb_fclone(MAX_TCP_HEADER + nsize, GFP_ATOMIC);
	if (!nskb)
		return -ENOMEM;
	/* charged whatever the limits, as tcp_fragment() charges it */
	xtcp_forced_mem_schedule(sk, nskb->truesize);
	skb_reserve(nskb, MAX_TCP_HEADER);
	nskb->ip_summed = CHECKSUM_PARTIAL;
	xtcp_wmem_charge_skb(sk, nskb);
	/* the page fragments move, not copied, their memory with them */
	nlen = skb->len - len - nsize;
	skb_split(skb, nskb, len);
	nskb->truesize += nlen;
	skb->truesize -= nlen;
	ncb = XTCP_SKB_CB(nskb);
	*ncb = *cb;
	ncb->seq = cb->seq + len;
	cb->end_seq = ncb->seq;
	/* a FIN, and PSH, stay with the last part (tcp_fragment()) */
	cb->flags &= ~(XTCP_FLAG_FIN | XTCP_FLAG_PSH);
	cb->goal_end = 0;
	cb->eor = 0;
	if (skb == xtcp_send_head(sk)) {
		__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	} else {
		/* sent before: the rest goes in the tree after it */
		xtcp_rtx_insert(sk, nskb);
		/* a part may now lie inside a block of the last ACK */
		xtcp_sack_cache_reset(xs);
		xs->packets_out++;
		xs->lost_out += ncb->lost;
		xs->retrans_out += ncb->retrans;
	}
	return 0;
}

/**
 * xtcp_current_mss - the text a segment sent now may carry
 * @sk: a connected socket
 *
 * As tcp_current_mss(): the MSS, less the room of the SACK blocks (a
 * D-SACK's too) that every segment carries while the out-of-order queue
 * holds text (tcp_established_options()): as many as fit beside the
 * timestamp, 8 bytes each and 4 for the option's kind, length and two NOPs.
 */
u32 xtcp_current_mss(struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 n = xs->rcv_sacks.num + xs->rcv_sacks.dsack;
	u32 room = MAX_TCP_OPTION_SPACE -
		   (xs->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0);

	if (!xs->sack_ok || !n)
		return xs->mss;
	n = min(n, (room - TCPOLEN_SACK_BASE_ALIGNED) / TCPOLEN_SACK_PERBLOCK);
	return xs->mss - (TCPOLEN_SACK_BASE_ALIGNED + n * TCPOLEN_SACK_PERBLOCK);
}

/* Make @skb fit @mss (xtcp_current_mss()) before it goes out. */
static int fit_mss(struct sock *sk, struct sk_buff *skb, u32 mss)
{
	return skb->len > mss ? fragment(sk, skb, mss) : 0;
}

/* Transmit one queued skb, a clone when possible. */
static int transmit_queued(struct sock *sk, struct sk_buff *skb, gfp_t gfp)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sk_buff *nskb;
	u8 flags = XTCP_FLAG_ACK;

	if (skb_cloned(skb))
		nskb = pskb_copy(skb, gfp);
	else
		nskb = skb_clone(skb, gfp);
	if (!nskb)
		return -ENOBUFS;
	/* the tree's links share their memory with dev (rtxq.h) */
	nskb->dev = NULL;
	cb->tx_ns = ktime_get_ns();	/* for the RTO's and the probe's timing */
	/* and the delivery state, for the rate sample of its ACK (rate.h) */
	xtcp_rate_skb_sent(&xs->rate, cb, div_u64(cb->tx_ns, NSEC_PER_USEC),
			   xs->packets_out, xs->delivered);
	if (xtcp_seq_before(cb->seq, xtcp_sk(sk)->snd_nxt)) {
		xtcp_sk(sk)->bytes_retrans += nskb->len;
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_RETRANS_SEGS);
		trace_xtcp_retransmit(sk, cb->seq, nskb->len,
				      xtcp_sk(sk)->retries,
				      xtcp_sk(sk)->rto_ms);
	}
	/* FIN, and PSH where the write ended (stream.c, tcp_mark_push()) */
	flags |= cb->flags & (XTCP_FLAG_FIN | XTCP_FLAG_PSH);
	return transmit(sk, nskb, flags, cb->seq);
}

/* tcp_chrono_start() on @sk's chronographs (chrono.h). */
void xtcp_sk_chrono_start(struct sock *sk, enum xtcp_chrono_type type)
{
	xtcp_sock_assert_locked(sk);
	xtcp_chrono_start(&xtcp_sk(sk)->chrono, type, tcp_jiffies32);
}

/* tcp_chrono_stop(): none runs once nothing is queued or in flight. */
void xtcp_sk_chrono_stop(struct sock *sk, enum xtcp_chrono_type type)
{
	xtcp_sock_assert_locked(sk);
	xtcp_chrono_stop(&xtcp_sk(sk)->chrono, type, xtcp_queues_empty(sk),
			 tcp_jiffies32);
}

/*
 * tcp_add_write_queue_tail(): @skb, charged already, joins the write queue;
 * the first of an empty one starts the busy time.
 */
void xtcp_add_write_queue_tail(struct sock *sk, struct sk_buff *skb)
{
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (skb_queue_is_first(&sk->sk_write_queue, skb))
		xtcp_sk_chrono_start(sk, XTCP_CHRONO_BUSY);
}

/*
 * tcp_check_space(): there is room in the send buffer now (skbs freed by an
 * ACK), or fewer bytes unsent (under TCP_NOTSENT_LOWAT, the unsent bytes
 * shrink as they go out, not as they are acknowledged): a writer that found
 * no room (SOCK_NOSPACE, which poll and sendmsg() set) may have some. Once
 * it has, the send buffer no longer limits the sender.
 */
void xtcp_check_space(struct sock *sk)
{
	/* pairs with xtcp_poll()'s barrier after it sets SOCK_NOSPACE */
	smp_mb();
	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		sk->sk_write_space(sk);
		if (!test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
			xtcp_sk_chrono_stop(sk, XTCP_CHRONO_SNDBUF_LIMITED);
	}
}

/*
 * @skb, the send head, went out for the first time: it moves from the write
 * queue to the retransmission queue (tcp_event_new_data_sent()).
 */
static void sent_new(struct xtcp_sock *xs, struct sk_buff *skb, u32 mss)
{
	struct sock *sk = &xs->inet.sk;

	/* poll reads it unlocked (xtcp_stream_memory_free()) */
	if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->snd_nxt))
		WRITE_ONCE(xs->snd_nxt, XTCP_SKB_CB(skb)->end_seq);
	/* Minshall's Nagle remembers the last small one (tcp_minshall_update()) */
	if (skb->len < mss)
		xs->snd_sml = XTCP_SKB_CB(skb)->end_seq;
	__skb_unlink(skb, &sk->sk_write_queue);
	xtcp_rtx_insert(sk, skb);
	if (!xs->packets_out++)
		xs->stall_start_ns = ktime_get_ns();
}

/*
 * tcp_rate_check_app_limited(), on a write: less than a segment unsent,
 * nothing of ours in the qdisc or the device, room in the congestion window
 * and every lost segment sent again: the sender waits for the application,
 * which leaves a bubble in the pipe. Rate samples are app-limited until what
 * is delivered and in flight now has been delivered.
 */
void xtcp_rate_check_app_limited(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (xs->write_seq - xs->snd_nxt < xs->mss &&
	    sk_wmem_alloc_get(sk) < SKB_TRUESIZE(1) &&
	    xtcp_pipe(xs) < xs->cc.cwnd &&
	    xs->lost_out <= xs->retrans_out)
		xs->rate.app_limited = (xs->delivered + xtcp_pipe(xs)) ?: 1;
}

/* A small segment is in flight (tcp_minshall_check()). */
static bool small_in_flight(const struct xtcp_sock *xs)
{
	return xs->packets_out && xtcp_seq_after(xs->snd_sml, xs->snd_una) &&
	       xtcp_seq_leq(xs->snd_sml, xs->snd_nxt);
}

/* The socket's standing Nagle mode, from TCP_NODELAY and TCP_CORK. */
static u8 nonagle_of(const struct xtcp_sock *xs)
{
	return (xs->nodelay ? XTCP_NAGLE_OFF : 0) |
	       (xs->cork ? XTCP_NAGLE_CORK : 0);
}

/* Nagle's rule (nagle.h) for @skb, the next new segment. */
static bool nagle_ok(const struct sock *sk, const struct sk_buff *skb,
		     u8 nonagle, u32 mss)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_nagle_input in = {
		.len = skb->len,
		.mss = mss,
		.last = skb_queue_is_last(&sk->sk_write_queue, skb),
		.fin = cb->flags & XTCP_FLAG_FIN,
		.urgent = xtcp_urg_mode(xs),
		.small_in_flight = small_in_flight(xs),
		.nonagle = nonagle,
	};

	return xtcp_nagle_ok(&in);
}

void xtcp_push(struct sock *sk)
{
	xtcp_push_mode(sk, 0);
}

/*
 * The final FIN in one segment, on its own or with the last text: the
 * congestion window does not hold it (tcp_cwnd_test()).
 */
static bool final_fin(const struct sk_buff *skb, u32 mss)
{
	return (XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN) && skb->len <= mss;
}

/*
 * Does the peer's window take @skb (tcp_snd_wnd_test())? All its sequence
 * space, a FIN's included: a FIN waits for a window as text does. Of an skb
 * bigger than the MSS, only the first segment that fit_mss() cuts.
 */
static bool snd_wnd_ok(const struct xtcp_sock *xs, const struct sk_buff *skb,
		       u32 mss)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 end_seq = skb->len > mss ? cb->seq + mss : cb->end_seq;

	return !xtcp_seq_after(end_seq, xs->snd_una + xs->snd_wnd);
}

/**
 * xtcp_size_goal - the bytes one skb may carry on this socket's route
 * @sk: a connected socket
 *
 * As tcp_xmit_size_goal(): where the route can take GSO skbs (sk_can_gso(),
 * from sk_setup_caps() when ip_queue_xmit() routed the socket), as many
 * whole segments as the device's gso_max_size (less the headers' room) and
 * gso_max_segs allow, no more than half the peer's largest window; else, or
 * in urgent mode (whose pointer each segment carries differently), one MSS.
 */
u32 xtcp_size_goal(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xtcp_current_mss(sk), goal = sk->sk_gso_max_size;

	if (!sk_can_gso(sk) || xtcp_urg_mode(xs))
		return mss;
	if (xs->max_snd_wnd > TCP_MSS_DEFAULT && goal > xs->max_snd_wnd >> 1)
		goal = max_t(u32, xs->max_snd_wnd >> 1, 68 - XTCP_HDR_LEN);
	else if (xs->max_snd_wnd && goal > xs->max_snd_wnd)
		goal = max_t(u32, xs->max_snd_wnd, 68 - XTCP_HDR_LEN);
	goal = min_t(u32, goal / mss, sk->sk_gso_max_segs) * mss;
	return max(goal, mss);
}

/*
 * tcp_tso_segs(): the segments one GSO skb carries, from the pacing rate
 * (tcp_tso_autosize()): what the rate sends in 2^-sk_pacing_shift seconds
 * (1 ms by default), plus gso_max_size >> (min RTT / 2^tcp_tso_rtt_log us) on
 * short paths, at most gso_max_size; at least the algorithm's min_tso_segs,
 * else net.ipv4.tcp_min_tso_segs; at most gso_max_segs. An active opener's
 * first flight is sized by the rate its SYN+ACK set (rcv_syn_sent()): with
 * a long first round trip, skbs of min_tso_segs, as Linux's.
 */
static u32 tso_segs(struct sock *sk, u32 mss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	unsigned long bytes;
	u32 r, min_tso;

	min_tso = xtcp_ca_min_tso_segs(sk,
				       READ_ONCE(net->ipv4.sysctl_tcp_min_tso_segs));
	bytes = READ_ONCE(sk->sk_pacing_rate) >> READ_ONCE(sk->sk_pacing_shift);
	r = xtcp_rtt_min_us(&xs->rtt) >>
	    READ_ONCE(net->ipv4.sysctl_tcp_tso_rtt_log);
	if (r < BITS_PER_TYPE(sk->sk_gso_max_size))
		bytes += sk->sk_gso_max_size >> r;
	bytes = min_t(unsigned long, bytes, sk->sk_gso_max_size);
	return min_t(u32, max_t(u32, bytes / mss, min_tso),
		     sk->sk_gso_max_segs);
}

/*
 * The page fragments @skb's would add to one that ends with page @*page at
 * offset @*end, where they continue each other (skb_can_coalesce()).
 */
static unsigned int frags_added(const struct sk_buff *skb, struct page **page,
				unsigned int *end)
{
	unsigned int i, n = 0;

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		if (skb_frag_page(f) != *page || skb_frag_off(f) != *end)
			n++;
		*page = skb_frag_page(f);
		*end = skb_frag_off(f) + skb_frag_size(f);
	}
	return n;
}

/*
 * How many segments from the send head @skb (which may go) go together in
 * one GSO skb (tcp_write_xmit() with tcp_tso_segs() and tcp_cwnd_test()):
 * at most @quota, the room the congestion window has, the size goal's
 * segments and @max_segs (tso_segs()); each but the last a full MSS without
 * PSH or FIN, within one of Linux's size-goal skbs (goal_end: a GSO packet
 * takes one skb), each one the peer's window and Nagle's rule let go as
 * they would let it go on its own; all of their page fragments in one skb.
 * A FIN's segment goes on its own, held by neither window.
 */
static u32 run_len(struct sock *sk, struct sk_buff *skb, u8 nonagle,
		   u32 quota, u32 mss, u32 max_segs)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	struct page *page = NULL;
	unsigned int end = 0, frags;
	u32 n = 1;

	quota = min3(quota, xtcp_size_goal(sk) / mss, max_segs);
	frags = frags_added(skb, &page, &end);
	while (n < quota && skb->len == mss && !skb_headlen(skb) &&
	       !(XTCP_SKB_CB(skb)->flags & (XTCP_FLAG_PSH | XTCP_FLAG_FIN)) &&
	       !XTCP_SKB_CB(skb)->goal_end &&
	       !skb_queue_is_last(&sk->sk_write_queue, skb)) {
		struct page *npage = page;
		unsigned int nend = end, nfrags;

		skb = skb_queue_next(&sk->sk_write_queue, skb);
		nfrags = frags + frags_added(skb, &npage, &nend);
		if (skb->len > mss || skb_headlen(skb) ||
		    (XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN) ||
		    nfrags > MAX_SKB_FRAGS || !snd_wnd_ok(xs, skb, mss) ||
		    !nagle_ok(sk, skb, nonagle, mss))
			break;
		frags = nfrags;
		page = npage;
		end = nend;
		n++;
	}
	return n;
}

/*
 * Send the @n segments from the send head @first as one GSO skb (as
 * tcp_write_xmit() sends a TSO skb): a header-only skb whose page fragments
 * are theirs, referenced, not copied; gso_size the MSS, so that the device
 * or software GSO (tcp_gso_segment()) cuts it into exactly these segments.
 * Each then moves to the retransmission queue on its own (sent_new()), so
 * that recovery goes on counting one skb there as one segment.
 */
static int xmit_run(struct sock *sk, struct sk_buff *first, u32 n, u32 mss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb, *piece = first, *next;
	u8 flags = XTCP_FLAG_ACK;
	u64 now;
	u32 i, j;
	int err;

	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, MAX_TCP_HEADER);
	for (i = 0; i < n; i++) {
		for (j = 0; j < skb_shinfo(piece)->nr_frags; j++) {
			const skb_frag_t *f = &skb_shinfo(piece)->frags[j];
			unsigned int k = skb_shinfo(skb)->nr_frags;

			if (skb_can_coalesce(skb, k, skb_frag_page(f),
					     skb_frag_off(f))) {
				skb_frag_size_add(&skb_shinfo(skb)->frags[k - 1],
						  skb_frag_size(f));
			} else {
				skb_fill_page_desc(skb, k, skb_frag_page(f),
						   skb_frag_off(f),
						   skb_frag_size(f));
				get_page(skb_frag_page(f));
			}
		}
		skb_len_add(skb, piece->len);
		if (i < n - 1)
			piece = skb_queue_next(&sk->sk_write_queue, piece);
	}
	/*
	 * PSH on every GSO packet, for the receiver's GRO to flush
	 * (__tcp_transmit_skb()); GSO leaves it on the last segment only
	 * (tcp_gso_segment())
	 */
	flags |= XTCP_FLAG_PSH;
	skb->ip_summed = CHECKSUM_PARTIAL;
	/* its text in its truesize, as Linux's skbs carry it (tcp_sendmsg()) */
	skb->truesize += skb->data_len;
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_segs = n;
	skb_shinfo(skb)->gso_type = sk->sk_gso_type;
	now = ktime_get_ns();
	err = transmit(sk, skb, flags, XTCP_SKB_CB(first)->seq);
	if (err)
		return err;
	for (piece = first, i = 0; i < n; i++, piece = next) {
		next = i < n - 1 ? skb_queue_next(&sk->sk_write_queue, piece) :
				   NULL;
		XTCP_SKB_CB(piece)->tx_ns = now;
		/* one GSO skb: one snapshot, as tcp_rate_skb_sent() takes */
		xtcp_rate_skb_sent(&xs->rate, XTCP_SKB_CB(piece),
				   div_u64(now, NSEC_PER_USEC), xs->packets_out,
				   xs->delivered);
		sent_new(xs, piece, mss);
		xtcp_prr_sent(xs);
	}
	xtcp_timer_data_sent(sk);
	return 0;
}

/*
 * tcp_is_cwnd_limited(): the congestion window limited the sender in its
 * last flight, or, in slow start, is less than twice the most it had out.
 * What the last cwnd_validate() left: an ACK asks before it sends anything
 * (tcp_cong_control() before tcp_data_snd_check()).
 */
bool xtcp_is_cwnd_limited(const struct xtcp_sock *xs)
{
	if (xs->is_cwnd_limited)
		return true;
	return xtcp_in_slow_start(&xs->cc) &&
	       xs->cc.cwnd < 2 * xs->max_packets_out;
}

/*
 * tcp_cwnd_validate(), after a burst (@cwnd_limited: the window is full):
 * whether the window limited this flight, else the most segments it had
 * out, kept until SND.UNA passes the flight's end (or the window fills, or
 * more go out than before). A sender the window did not limit that sent all
 * it had while the writer waits for room in the send buffer
 * (SOCK_NOSPACE) is limited by that buffer. A window that was not filled
 * for an RTO (snd_cwnd_stamp) goes down towards what was used
 * (xtcp_cwnd_application_limited()).
 */
static void cwnd_validate(struct sock *sk, bool cwnd_limited)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_seq_before(xs->snd_una, xs->cwnd_usage_seq) || cwnd_limited ||
	    (!xs->is_cwnd_limited && xs->packets_out > xs->max_packets_out)) {
		xs->is_cwnd_limited = cwnd_limited;
		xs->max_packets_out = xs->packets_out;
		xs->cwnd_usage_seq = xs->snd_nxt;
	}
	if (xtcp_is_cwnd_limited(xs)) {
		/* the network is fed fully */
		xs->snd_cwnd_used = 0;
		xs->snd_cwnd_stamp = tcp_jiffies32;
		return;
	}
	/* it starves: for an RTO, and the window goes down (RFC 2861) */
	xs->snd_cwnd_used = max(xs->snd_cwnd_used, xs->packets_out);
	if (READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle) &&
	    (s32)(tcp_jiffies32 - xs->snd_cwnd_stamp) >=
	    (s32)msecs_to_jiffies(xs->rto_ms) &&
	    !xs->ca_ops->cong_control)
		xtcp_cwnd_application_limited(sk);
	if (!xtcp_send_head(sk) && sk->sk_socket &&
	    test_bit(SOCK_NOSPACE, &sk->sk_socket->flags) &&
	    (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
		xtcp_sk_chrono_start(sk, XTCP_CHRONO_SNDBUF_LIMITED);
}

/*
 * The segments one GSO packet may take of the congestion window
 * (tcp_cwnd_test()): its room, at most half of it, so that at least two
 * packets are in flight; 1 for a final FIN past a full window (@cwnd_room
 * false).
 */
static u32 cwnd_quota(const struct xtcp_sock *xs, bool cwnd_room)
{
	if (!cwnd_room)
		return 1;
	return min(max(xs->cc.cwnd >> 1, 1U), xs->cc.cwnd - xtcp_pipe(xs));
}

/*
 * The rest of the size-goal skb of Linux's that the send head @skb is part
 * of (goal_end, stream.c): its length from @skb on, and through @last its
 * last MSS skb here.
 */
static u32 goal_skb_len(struct sock *sk, struct sk_buff *skb,
			struct sk_buff **last)
{
	u32 len = skb->len;

	while (!XTCP_SKB_CB(skb)->goal_end &&
	       !skb_queue_is_last(&sk->sk_write_queue, skb)) {
		skb = skb_queue_next(&sk->sk_write_queue, skb);
		len += skb->len;
	}
	*last = skb;
	return len;
}

/* tcp_max_tso_deferred_mss() */
#define XTCP_MAX_TSO_DEFERRED_MSS 3

/*
 * tcp_tso_should_defer(): hold the send head's skb of more than one
 * segment back, for the ACK expected soon to let more of it go in one
 * GSO packet, when the windows let only a part of it go now. Not in
 * recovery, nor when the last segment left over a millisecond ago. Sets
 * @cwnd_limited or @rwnd_limited when that window holds it back.
 */
static bool tso_should_defer(struct sock *sk, struct sk_buff *skb, u32 mss,
			     u32 max_segs, bool *cwnd_limited,
			     bool *rwnd_limited)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 send_win, cong_win, limit, len, div, in_flight = xtcp_pipe(xs);
	u64 now = ktime_get_ns(), srtt_ns, threshold;
	struct sk_buff *last, *head;
	s64 how_far;

	if (xs->ca_state >= XTCP_CA_RECOVERY || xs->cc.cwnd <= in_flight ||
	    (s64)(now - xs->wstamp_ns - NSEC_PER_MSEC) > 0)
		return false;
	send_win = xs->snd_una + xs->snd_wnd - XTCP_SKB_CB(skb)->seq;
	cong_win = (xs->cc.cwnd - in_flight) * mss;
	limit = min(send_win, cong_win);
	/* a full GSO packet goes (before walking the skb: bulk's usual case) */
	if (limit >= max_segs * mss)
		return false;
	/* one segment is for Nagle to hold; all of an skb that will not grow goes */
	len = goal_skb_len(sk, skb, &last);
	if (len <= mss ||
	    (!skb_queue_is_last(&sk->sk_write_queue, last) && limit >= len))
		return false;
	div = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_tso_win_divisor);
	if (div) {
		if (limit >= min(xs->snd_wnd, xs->cc.cwnd * mss) / div)
			return false;
	} else if (limit > XTCP_MAX_TSO_DEFERRED_MSS * mss) {
		return false;
	}
	head = xtcp_rtx_head(sk);
	if (!head)
		return false;
	/* the ACK is due too late (beyond min(srtt / 2, 1 ms)): no waiting */
	srtt_ns = (u64)xs->rtt.srtt_us * NSEC_PER_USEC;
	threshold = min_t(u64, srtt_ns >> 1, NSEC_PER_MSEC);
	how_far = XTCP_SKB_CB(head)->tx_ns + srtt_ns - now;
	if (how_far - (s64)threshold > 0)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= len) {
			*cwnd_limited = true;
			return true;
		}
	} else if (send_win <= len) {
		*rwnd_limited = true;
		return true;
	}
	/* the application's limit: wait, unless the skb will get no more */
	return !(XTCP_SKB_CB(last)->flags & XTCP_FLAG_FIN) &&
	       !XTCP_SKB_CB(last)->eor;
}

/*
 * tcp_rtx_queue_empty_or_single_skb(): nothing in flight, or what is went
 * out in one skb. xtcp's retransmission queue holds a GSO skb's segments
 * each in its own skb: all in flight went in one when the oldest is of the
 * last skb of new data sent (xs->xmit_seq, transmit()).
 */
static bool rtx_empty_or_single(const struct sock *sk)
{
	const struct sk_buff *head = xtcp_rtx_head(sk);

	return !head || !xtcp_seq_before(XTCP_SKB_CB(head)->seq,
					 xtcp_sk(sk)->xmit_seq);
}

/*
 * tcp_small_queue_check(): whether to hold back an skb of @truesize (shifted
 * by @factor: 1 doubles the limit, for repairs) because the socket has enough
 * below it already (TCP small queues, above): max(two such skbs, the pacing
 * rate >> sk_pacing_shift, ~1 ms), at most net.ipv4.tcp_limit_output_bytes
 * unless fq paces the socket. Never with nothing or one skb in flight. Sets
 * XTCP_TSQ_THROTTLED for xtcp_wfree(), then looks again: a completion may
 * have come between.
 */
static bool small_queue_check(struct sock *sk, unsigned int truesize,
			      unsigned int factor)
{
	unsigned long limit;

	limit = max_t(unsigned long, 2 * truesize,
		      READ_ONCE(sk->sk_pacing_rate) >>
		      READ_ONCE(sk->sk_pacing_shift));
	if (READ_ONCE(sk->sk_pacing_status) == SK_PACING_NONE)
		limit = min_t(unsigned long, limit,
			      READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_limit_output_bytes));
	limit <<= factor;
	if (refcount_read(&sk->sk_wmem_alloc) > limit) {
		if (rtx_empty_or_single(sk))
			return false;
		set_bit(XTCP_TSQ_THROTTLED, &xtcp_sk(sk)->deferred);
		/* the flag before the count, against xtcp_wfree()'s order */
		smp_mb__after_atomic();
		if (refcount_read(&sk->sk_wmem_alloc) > limit)
			return true;
	}
	return false;
}

/*
 * The truesize of what @n segments from @skb go out as: a clone of @skb, or
 * a GSO skb of their text (xmit_run()).
 */
static unsigned int run_truesize(const struct sock *sk,
				 const struct sk_buff *skb, u32 n)
{
	unsigned int size = SKB_TRUESIZE(MAX_TCP_HEADER);

	if (n == 1)
		return skb->truesize;
	for (;;) {
		size += skb->len;
		if (!--n)
			return size;
		skb = skb_queue_next(&sk->sk_write_queue, skb);
	}
}

/*
 * tcp_pacing_check(): with internal pacing (SK_PACING_NEEDED: set by
 * SO_MAX_PACING_RATE or an algorithm that asks for it, while no fq qdisc
 * paces the socket, which sets SK_PACING_FQ), nothing goes before the
 * departure time paced() set: the pacing timer is armed for it.
 */
static bool pacing_check(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* the timer is armed, and its reference taken, by the lock's holder */
	xtcp_sock_assert_locked(sk);
	/* pairs with sch_fq's smp_store_release() of SK_PACING_FQ */
	if (smp_load_acquire(&sk->sk_pacing_status) != SK_PACING_NEEDED)
		return false;
	if (xs->wstamp_ns <= ktime_get_ns())
		return false;
	if (!hrtimer_is_queued(&xs->pacing_timer)) {
		hrtimer_start(&xs->pacing_timer, ns_to_ktime(xs->wstamp_ns),
			      HRTIMER_MODE_ABS_PINNED_SOFT);
		sock_hold(sk);	/* put by pace_kick() or xtcp_pacing_stop() */
	}
	return true;
}

/*
 * Send what the congestion window (pipe < cwnd, recovery.c), the peer's
 * window and Nagle's rule (@nonagle: XTCP_NAGLE_*) allow: segments deemed
 * lost first, then new ones from the send head on. As in Linux's
 * tcp_write_xmit(), a segment with our FIN goes even with the congestion
 * window full, and is never held by Nagle; the peer's window holds it as any
 * other. @push_one as tcp_write_xmit()'s: 1 (tcp_push_one()) sends one
 * packet of new data, one GSO skb or a segment, and no repair; 2 (a loss
 * probe) one new segment, the congestion window full or not, and no repair.
 * Without @repair, only new segments go (tcp_write_xmit() alone).
 */
static void write_xmit(struct sock *sk, u8 nonagle, int push_one, bool repair)
{
	bool probe = push_one == 2;
	struct xtcp_sock *xs = xtcp_sk(sk);
	/* new data is cut to the MSS of the call's start (tcp_write_xmit()) */
	u32 mss = xtcp_current_mss(sk), n, sent = 0;
	/* a GSO packet's most segments, once a call (tcp_write_xmit()) */
	u32 max_segs = tso_segs(sk, mss);
	bool rwnd_limited = false, cwnd_limited = false, cwnd_full;
	struct sk_buff *skb;

	for (;;) {
		bool cwnd_room = probe || xtcp_pipe(xs) < xs->cc.cwnd;

		/* each skb at its time (tcp_write_xmit(), tcp_xmit_retransmit_queue()) */
		if (pacing_check(sk))
			break;
		/* repairs first (RFC 6675 §5 NextSeg() rule 1), then new data */
		skb = cwnd_room && !push_one && repair ? xtcp_next_lost(sk) : NULL;
		if (skb) {
			if (small_queue_check(sk, skb->truesize, 1))
				break;
			/* each to the MSS of its time (__tcp_retransmit_skb()) */
			if (fit_mss(sk, skb, xtcp_current_mss(sk)) ||
			    transmit_queued(sk, skb, GFP_ATOMIC))
				break;
			xtcp_lost_sent(xs, skb);
			xtcp_prr_sent(xs);
			xtcp_timer_data_sent(sk);
			continue;
		}
		skb = xtcp_send_head(sk);
		if (!skb || (!cwnd_room && !final_fin(skb, mss)))
			break;
		if (!snd_wnd_ok(xs, skb, mss)) {
			rwnd_limited = true;
			break;
		}
		/*
		 * Nagle's rule for an skb of one segment, TSO deferral for a
		 * bigger one (an skb of Linux's, goal_end): only a last,
		 * short segment may fail the first
		 */
		if (!nagle_ok(sk, skb, nonagle, mss))
			break;
		if (!push_one &&
		    tso_should_defer(sk, skb, mss, max_segs, &cwnd_limited,
				     &rwnd_limited))
			break;
		if (fit_mss(sk, skb, mss))
			break;
		n = probe ? 1 : run_len(sk, skb, nonagle, cwnd_quota(xs, cwnd_room),
					mss, max_segs);
		if (small_queue_check(sk, run_truesize(sk, skb, n), 0))
			break;
		if (n > 1) {
			if (xmit_run(sk, skb, n, mss))
				break;
			sent += n;
			if (push_one)
				break;
			continue;
		}
		if (transmit_queued(sk, skb, GFP_ATOMIC))
			break;
		sent_new(xs, skb, mss);
		xtcp_prr_sent(xs);
		xtcp_timer_data_sent(sk);
		sent++;
		if (push_one)
			break;
	}
	/* the end of tcp_write_xmit() */
	if (rwnd_limited)
		xtcp_sk_chrono_start(sk, XTCP_CHRONO_RWND_LIMITED);
	else
		xtcp_sk_chrono_stop(sk, XTCP_CHRONO_RWND_LIMITED);
	/* tcp_event_new_data_sent()'s, once for the burst: it has a full barrier */
	if (sent)
		xtcp_check_space(sk);
	cwnd_full = cwnd_limited || xtcp_pipe(xs) >= xs->cc.cwnd;
	if (sent || cwnd_full)
		cwnd_validate(sk, cwnd_full);
}

/*
 * Segments deemed lost go again, as the congestion window allows, and
 * nothing new (tcp_xmit_retransmit_queue(), for RACK's timer).
 */
void xtcp_xmit_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	xtcp_sock_assert_locked(sk);
	while (xtcp_pipe(xs) < xs->cc.cwnd && (skb = xtcp_next_lost(sk))) {
		if (pacing_check(sk) || small_queue_check(sk, skb->truesize, 1))
			break;
		if (fit_mss(sk, skb, xtcp_current_mss(sk)) ||
		    transmit_queued(sk, skb, GFP_ATOMIC))
			break;
		xtcp_lost_sent(xs, skb);
		xtcp_prr_sent(xs);
		xtcp_timer_data_sent(sk);
	}
}

/*
 * tcp_tsq_write(): a throttled socket with room below it again sends what
 * the windows allow, repairs first, as write_xmit() would from an ACK.
 */
static void tsq_write(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 prior_nxt = xs->snd_nxt;

	xtcp_sock_assert_locked(sk);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				     TCPF_CLOSING | TCPF_CLOSE_WAIT |
				     TCPF_LAST_ACK)))
		return;
	if (xs->lost_out > xs->retrans_out && xs->cc.cwnd > xtcp_pipe(xs))
		xtcp_xmit_lost(sk);
	write_xmit(sk, nonagle_of(xs), 0, false);
	if (xs->snd_nxt != prior_nxt)
		xtcp_timer_loss_probe(sk, false);
}

/* release_cb: a tasklet's sending that found the socket owned by the user. */
void xtcp_tsq_deferred(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	if (!test_and_clear_bit(XTCP_DEFER_TSQ, &xtcp_sk(sk)->deferred))
		return;
	tsq_write(sk);
	__sock_put(sk);		/* tsq_handler()'s; the owner holds one */
}

/* tcp_tsq_handler(): send now, or when the user lets go of the socket. */
static void tsq_handler(struct sock *sk)
{
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk))
		tsq_write(sk);
	else if (!test_and_set_bit(XTCP_DEFER_TSQ, &xtcp_sk(sk)->deferred))
		sock_hold(sk);	/* put by xtcp_tsq_deferred() */
	bh_unlock_sock(sk);
}

/*
 * tcp_pace_kick(): the departure time pacing_check() waited for has come;
 * send as the TCP small queues' tasklet does.
 */
static enum hrtimer_restart pace_kick(struct hrtimer *timer)
{
	struct xtcp_sock *xs = container_of(timer, struct xtcp_sock,
					    pacing_timer);
	struct sock *sk = &xs->inet.sk;

	tsq_handler(sk);
	sock_put(sk);		/* pacing_check()'s */
	return HRTIMER_NORESTART;
}

void xtcp_pacing_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_init(&xs->pacing_timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_ABS_PINNED_SOFT);
	xs->pacing_timer.function = pace_kick;
}

/* tcp_clear_xmit_timers()'s part: the connection is over. */
void xtcp_pacing_stop(struct sock *sk)
{
	xtcp_sock_assert_locked(sk);
	if (hrtimer_try_to_cancel(&xtcp_sk(sk)->pacing_timer) == 1)
		__sock_put(sk);		/* pacing_check()'s; the caller holds one */
}

/*
 * tcp_tasklet_func(): the sockets xtcp_wfree() queued on this CPU. The list
 * is taken with irqs off, as a completion in a hard IRQ may add to it.
 */
static void tsq_tasklet(struct tasklet_struct *t)
{
	struct xtcp_tsq *tsq = from_tasklet(tsq, t, tasklet);
	struct xtcp_sock *xs, *tmp;
	unsigned long flags;
	LIST_HEAD(list);

	local_irq_save(flags);
	list_splice_init(&tsq->head, &list);
	local_irq_restore(flags);
	list_for_each_entry_safe(xs, tmp, &list, tsq_node) {
		struct sock *sk = &xs->inet.sk;

		list_del(&xs->tsq_node);
		/* off the list before xtcp_wfree() may see it is not queued */
		smp_mb__before_atomic();
		clear_bit(XTCP_TSQ_QUEUED, &xs->deferred);
		tsq_handler(sk);
		/*
		 * the unit of sk_wmem_alloc xtcp_wfree() kept for the list; the
		 * last, a SOCK_RCU_FREE socket's (and the module's reference)
		 * goes after an RCU grace period, past this softirq
		 */
		sk_free(sk);
	}
}

void xtcp_tsq_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct xtcp_tsq *tsq = per_cpu_ptr(&xtcp_tsq, cpu);

		INIT_LIST_HEAD(&tsq->head);
		tasklet_setup(&tsq->tasklet, tsq_tasklet);
	}
}

/*
 * Module unload: no socket is left (each holds the module), so no list holds
 * one; a tasklet may still be finishing the sk_free() of the last.
 */
void xtcp_tsq_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct xtcp_tsq *tsq = per_cpu_ptr(&xtcp_tsq, cpu);

		tasklet_kill(&tsq->tasklet);
		WARN_ON_ONCE(!list_empty(&tsq->head));
	}
}

/*
 * Send what the windows and Nagle's rule (with the socket's TCP_NODELAY and
 * TCP_CORK, and @extra XTCP_NAGLE_* for this call) allow (write_xmit()).
 * New data sent schedules a tail loss probe, one per burst, where one may go
 * (tcp_write_xmit()'s tcp_schedule_loss_probe()).
 * If the window or Nagle stops us with nothing in flight, the timer sends the
 * head at the latest after an RTO: a probe of the closed window, or the
 * ceiling on how long corked data waits.
 */
static void push(struct sock *sk, u8 extra, int push_one)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 prior_nxt = xs->snd_nxt;
	bool frto_new;

	xtcp_sock_assert_locked(sk);
	frto_new = xs->frto_new;
	xs->frto_new = 0;
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE |
				   TCPF_LISTEN))
		return;
	/*
	 * F-RTO's step 2b (recovery.c, tcp_xmit_recovery()'s REXMIT_NEW): new
	 * data, Nagle aside, instead of the next repairs; if none could go,
	 * F-RTO is over and the repairs go as usual
	 */
	if (frto_new) {
		write_xmit(sk, XTCP_NAGLE_OFF, 0, false);
		if (!xtcp_seq_after(xs->snd_nxt, xs->high_seq))
			xs->frto = 0;
	}
	write_xmit(sk, nonagle_of(xs) | extra, push_one,
		   !frto_new || !xs->frto);
	if (xs->snd_nxt != prior_nxt)
		xtcp_timer_loss_probe(sk, false);
	if (xtcp_send_head(sk) && xs->snd_una == xs->snd_nxt)
		xtcp_timer_send_blocked(sk);
}

void xtcp_push_mode(struct sock *sk, u8 extra)
{
	push(sk, extra, 0);
}

/*
 * A write filled the send head's size-goal skb: one packet of it goes now,
 * one GSO skb or a segment, Nagle's rule aside (tcp_push_one()).
 */
void xtcp_push_one(struct sock *sk)
{
	push(sk, XTCP_NAGLE_PUSH, 1);
}

/*
 * The probe timeout passed (RFC 8985 §7.3, tcp_send_loss_probe()): one
 * segment goes, new if the peer's window takes the send head (Nagle and cork
 * set aside, the congestion window too), else the last one sent, again (its
 * last MSS, if it grew bigger). At most one probe is out at a time: its ACK
 * ends the episode (xtcp_ack_recovery()). Counted in TCPLossProbes; a probe
 * sent or not, the RTO takes over (xtcp_timer_probe_done()).
 */
void xtcp_send_loss_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 prior_packets = xs->packets_out;
	struct sk_buff *skb;

	xtcp_sock_assert_locked(sk);
	if (xs->tlp_high_seq)
		goto rearm;
	xs->tlp_retrans = 0;
	skb = xtcp_send_head(sk);
	if (skb && snd_wnd_ok(xs, skb, xtcp_current_mss(sk))) {
		write_xmit(sk, XTCP_NAGLE_OFF, 2, false);
		if (xs->packets_out > prior_packets)
			goto sent;
		goto rearm;
	}
	skb = xtcp_rtx_tail(sk);
	if (WARN_ON_ONCE(!skb))
		return;
	if (skb->len > xtcp_current_mss(sk)) {
		if (fragment(sk, skb, rounddown(skb->len - 1,
						 xtcp_current_mss(sk))))
			goto rearm;
		skb = xtcp_rtx_next(skb);
	}
	if (transmit_queued(sk, skb, GFP_ATOMIC))
		goto rearm;
	XTCP_SKB_CB(skb)->ever_retrans = 1;
	xs->total_retrans++;
	/* Karn: the segment timed may be this one */
	if (xs->rtt_timing && xtcp_seq_after(xs->rtt_seq, XTCP_SKB_CB(skb)->seq))
		xs->rtt_timing = 0;
	xs->tlp_retrans = 1;
sent:
	xs->tlp_high_seq = xs->snd_nxt;
	xtcp_inc_stat(sock_net(sk), XTCP_STAT_LOSS_PROBES);
	xtcp_timer_probe_done(sk, true);
	return;
rearm:
	xtcp_timer_probe_done(sk, false);
}

/*
 * Nothing in flight and data held (tcp_write_wakeup()): if the peer's window
 * takes any of the send head, what it takes goes, at most an MSS, with PSH;
 * else a bare ACK one below SND.UNA (after one at SND.UNA in urgent mode),
 * which the peer answers with its window (tcp_xmit_probe_skb(); RFC 9293
 * §3.8.6.1 allows it): a zero-window probe, counted in TCPWinProbe. The data
 * stays unsent; the probe timer goes on until the window opens.
 */
static void write_wakeup(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xtcp_send_head(sk);
	u32 wnd_end = xs->snd_una + xs->snd_wnd, mss = xtcp_current_mss(sk);

	if (skb && xtcp_seq_before(XTCP_SKB_CB(skb)->seq, wnd_end)) {
		u32 room = min(wnd_end - XTCP_SKB_CB(skb)->seq, mss);

		/*
		 * PSH on both parts, as tcp_write_wakeup() sets it: before the
		 * split for the rest (fragment() moves PSH there), after it
		 * for the part that goes now.
		 */
		XTCP_SKB_CB(skb)->flags |= XTCP_FLAG_PSH;
		if (room < skb->len && fragment(sk, skb, room))
			return;
		XTCP_SKB_CB(skb)->flags |= XTCP_FLAG_PSH;
		if (!fit_mss(sk, skb, mss) &&
		    !transmit_queued(sk, skb, GFP_ATOMIC)) {
			sent_new(xs, skb, mss);
			xtcp_check_space(sk);
		}
		return;
	}
	if (xtcp_urg_mode(xs) && xtcp_seq_after(xs->snd_up, xs->snd_una) &&
	    xtcp_seq_before(xs->snd_up, xs->snd_una + 0xFFFF))
		send_ctl(sk, XTCP_FLAG_ACK, xs->snd_una, GFP_ATOMIC);
	if (!send_ctl(sk, XTCP_FLAG_ACK, xs->snd_una - 1, GFP_ATOMIC))
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_WIN_PROBE);
}

/*
 * The retransmission timer expired (RFC 6298 §5.4-5.6). With segments in
 * flight, the window is lost and they go again from the oldest, in slow start
 * (recovery.c); segments in flight are resent whatever the peer's window
 * says now. With none in flight, the peer's window, or cork, held everything
 * back: the timer is the probe timer (write_wakeup()).
 */
void xtcp_retransmit_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (xs->packets_out) {
		xtcp_enter_loss(sk);
		xtcp_push(sk);
		return;
	}
	write_wakeup(sk);
}

/*
 * Free what @ack covers; a partly acknowledged skb stays whole. Returns the
 * number of segments freed.
 */
u32 xtcp_clean_rtx_queue(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	u32 acked = 0;

	xtcp_sock_assert_locked(sk);
	while ((skb = xtcp_rtx_head(sk))) {
		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, ack))
			break;
		xtcp_rtx_unlink(sk, skb);
		xtcp_skb_acked(xs, skb);
		acked++;
		xtcp_wmem_free_skb(sk, skb);
	}
	/* all sent is acknowledged: busy only if more waits to go */
	if (!skb)
		xtcp_sk_chrono_stop(sk, XTCP_CHRONO_BUSY);
	return acked;
}

/*
 * Every skb of the write and retransmission queues freed, its memory given
 * back (skb_rbtree_purge(), which 6.1 does not export, for the tree).
 */
void xtcp_write_queue_free(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = xtcp_rtx_head(sk))) {
		xtcp_rtx_unlink(sk, skb);
		xtcp_wmem_free_skb(sk, skb);
	}
	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		xtcp_wmem_free_skb(sk, skb);
}

/* Drop the write queue: the connection is over (tcp_write_queue_purge()). */
void xtcp_write_queue_purge(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	/*
	 * before the queues go, as tcp_write_queue_purge(): with data queued
	 * the busy time goes on, as Linux's does, on the closed socket
	 */
	xtcp_sk_chrono_stop(sk, XTCP_CHRONO_BUSY);
	xtcp_write_queue_free(sk);
	sk_mem_reclaim(sk);
	xtcp_recovery_reset(xs);
}

/*
 * Our FIN, after the data (tcp_send_fin()): set on the write queue's tail
 * while that is unsent, where it takes one more sequence number, so that it
 * leaves with the last data (and that segment's PSH, or not); else, with all
 * sent, on an skb of its own, ACK|FIN, freed when acknowledged. Linux's other
 * case, a FIN put on the last sent skb under memory pressure (sent with its
 * retransmission only), is left out: ours is always sent.
 */
void xtcp_queue_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	xtcp_sock_assert_locked(sk);
	if (xs->fin_queued)
		return;
	skb = skb_peek_tail(&sk->sk_write_queue);
	if (skb) {
		XTCP_SKB_CB(skb)->flags |= XTCP_FLAG_FIN;
		XTCP_SKB_CB(skb)->end_seq++;
	} else {
		skb = alloc_skb_fclone(MAX_TCP_HEADER,
				       sk->sk_allocation | __GFP_NOFAIL);
		/* a FIN is charged whatever the limits (tcp_send_fin()) */
		xtcp_forced_mem_schedule(sk, skb->truesize);
		skb_reserve(skb, MAX_TCP_HEADER);
		XTCP_SKB_CB(skb)->seq = xs->write_seq;
		XTCP_SKB_CB(skb)->end_seq = xs->write_seq + 1;
		XTCP_SKB_CB(skb)->flags = XTCP_FLAG_FIN;
		xtcp_add_write_queue_tail(sk, skb);
		xtcp_wmem_charge_skb(sk, skb);
	}
	WRITE_ONCE(xs->write_seq, xs->write_seq + 1);
	xs->fin_queued = 1;
}

/*
 * Send a segment that belongs to no socket of its own from and to @a (IPv4),
 * on route @rt, as socket @sk: its TTL, mark and priority, and @tos.
 * Consumes @skb and @rt.
 */
static void send_built(struct net *net, const struct sock *sk,
		       const struct xtcp_addrs *a, struct sk_buff *skb,
		       struct rtable *rt, u8 tos)
{
	__be32 saddr = a->v4.saddr, daddr = a->v4.daddr;
	struct tcphdr *th = tcp_hdr(skb);

	th->check = 0;
	th->check = tcp_v4_check(skb->len, saddr, daddr,
				 csum_partial(th, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	skb_dst_set(skb, &rt->dst);
	xtcp_inc_stat(net, XTCP_STAT_OUT_SEGS);
	if (th->rst)
		xtcp_inc_stat(net, XTCP_STAT_OUT_RSTS);
	if (xmit_captured(net, a, skb))
		return;
	ip_build_and_send_pkt(skb, sk, saddr, daddr, NULL, tos);
}

/*
 * Route a reply from and to @a (IPv4) through the namespace's control
 * socket, out through @oif if not 0 (ip_send_unicast_reply()'s
 * arg->bound_dev_if).
 */
static void send_ctl_reply(struct net *net, const struct xtcp_addrs *a,
			   struct sk_buff *skb, int oif)
{
	struct tcphdr *th = tcp_hdr(skb);
	struct flowi4 fl4;
	struct rtable *rt;

	rt = ip_route_output_ports(net, &fl4, NULL, a->v4.daddr, a->v4.saddr,
				   th->dest, th->source, IPPROTO_TCP, 0, oif);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return;
	}
	send_built(net, xtcp_net(net)->ctl_sk, a, skb, rt, 0);
}

static struct sk_buff *build_reply(const struct xtcp_segment *seg)
{
	u8 hdr[XTCP_HDR_MAX_LEN];
	struct sk_buff *skb;
	int hlen;

	hlen = xtcp_build_header(hdr, sizeof(hdr), seg);
	if (WARN_ON_ONCE(hlen < 0))
		return NULL;
	skb = alloc_ctl_skb(GFP_ATOMIC);
	if (!skb)
		return NULL;
	memcpy(skb_push(skb, hlen), hdr, hlen);
	skb_reset_transport_header(skb);
	return skb;
}

/*
 * A segment of a connection that has no socket yet, from listener @sk's
 * address to its peer's, @a (IPv4, the only version yet): a SYN cookie's SYN+ACK (child.c), or a request's SYN+ACK,
 * ACK or RST (request.c). @seg has its ports, numbers, window and options
 * but, on a SYN, the MSS, which is the route's (as ipv4_route_mss()
 * finds a socket's), and the window, which follows from it (written back
 * into @seg, for the request to keep). It goes out on the listener's route with its TTL, TOS,
 * mark and priority, as tcp_v4_send_synack() sends a request's; @state is
 * what the trace event shows.
 */
void xtcp_send_as(struct sock *sk, const struct xtcp_addrs *a,
		  struct xtcp_segment *seg, int state)
{
	__be32 saddr = a->v4.saddr, daddr = a->v4.daddr;
	u16 user_mss = xtcp_sk(sk)->user_mss;
	struct net *net = sock_net(sk);
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct rtable *rt;
	u32 mss;

	rt = ip_route_output_ports(net, &fl4, sk, daddr, saddr,
				   htons(seg->dport), htons(seg->sport),
				   IPPROTO_TCP, RT_CONN_FLAGS(sk),
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return;
	if (seg->flags & XTCP_FLAG_SYN) {
		mss = min_t(u32, dst_mtu(&rt->dst) - sizeof(struct iphdr) -
			    XTCP_HDR_LEN, 65535);
		seg->opt.mss = user_mss ? min_t(u32, mss, user_mss) : mss;
		/* the window a child's SYN+ACK would have (xtcp_syn_rcv_wnd()) */
		mss = syn_wnd_mss(seg->opt.mss,
				  seg->opt.present & XTCP_OPTF_TIMESTAMP);
		seg->window = xtcp_initial_rcv_wnd(sk, mss,
						   dst_metric(&rt->dst,
							      RTAX_INITRWND));
	}
	skb = build_reply(seg);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	trace_xtcp_segment_send(net, a, seg, state);
	send_built(net, sk, a, skb, rt, inet_sk(sk)->tos);
}

/*
 * Answer a segment that belongs to no connection (RFC 9293 §3.10.7.1): never
 * a RST; with ACK, <SEQ=SEG.ACK><CTL=RST>; without,
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. @skb is the received segment,
 * transport header set.
 */
void xtcp_send_reset(struct net *net, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_segment seg = {};
	struct xtcp_addrs a;
	struct sk_buff *rst;

	if (cb->flags & XTCP_FLAG_RST)
		return;
	seg.sport = ntohs(th->dest);
	seg.dport = ntohs(th->source);
	if (cb->flags & XTCP_FLAG_ACK) {
		seg.seq = cb->ack;
		seg.flags = XTCP_FLAG_RST;
	} else {
		seg.ack = cb->end_seq;
		seg.flags = XTCP_FLAG_RST | XTCP_FLAG_ACK;
	}
	rst = build_reply(&seg);
	if (!rst)
		return;
	a = xtcp_skb_addrs(skb);
	a = xtcp_addrs_swap(&a);
	trace_xtcp_segment_send(net, &a, &seg, 0);
	send_ctl_reply(net, &a, rst, 0);
}

/*
 * A TIME_WAIT bucket acknowledges the peer's FIN again, as
 * tcp_v4_timewait_ack(): with the window the socket last advertised, out
 * through the device it was bound to.
 */
void xtcp_send_tw_ack(struct net *net, const struct xtcp_tw_state *st)
{
	const struct xtcp_addrs a = xtcp_addrs4(st->saddr, st->daddr);
	struct xtcp_segment seg = {};
	struct sk_buff *skb;

	seg.sport = ntohs(st->sport);
	seg.dport = ntohs(st->dport);
	seg.seq = st->snd_nxt;
	seg.ack = st->rcv_nxt;
	seg.window = st->rcv_wnd;
	seg.flags = XTCP_FLAG_ACK;
	if (READ_ONCE(st->ts_recent_stamp)) {
		seg.opt.present = XTCP_OPTF_TIMESTAMP;
		seg.opt.tsval = xtcp_isn_tsval(xtcp_ts_off(net, st->saddr,
							   st->daddr, st->sport,
							   st->dport));
		seg.opt.tsecr = READ_ONCE(st->ts_recent);
	}
	skb = build_reply(&seg);
	if (!skb)
		return;
	trace_xtcp_segment_send(net, &a, &seg, XTCP_TIME_WAIT);
	send_ctl_reply(net, &a, skb, st->bound_dev_if);
}
