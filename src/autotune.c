// SPDX-License-Identifier: GPL-2.0
/*
 * autotune.c: a connection's buffers sized to its path (autotune.h), between
 * net.xtcp.rmem / wmem ("min default max", as tcp_rmem and tcp_wmem): a new
 * socket starts at the default, and a connection grows its buffers up to the
 * max as the path needs. SO_RCVBUF or SO_SNDBUF fix that buffer for good
 * (SOCK_RCVBUF_LOCK, SOCK_SNDBUF_LOCK), as for TCP. Every function here runs
 * under the socket lock.
 */
#include <linux/skbuff.h>
#include <net/tcp.h>

#include "autotune.h"
#include "isn.h"
#include "mem.h"
#include "output.h"
#include "recovery.h"
#include "rwin.h"
#include "xtcp.h"

/* The memory a queued full segment costs (tcp_sndbuf_expand()'s per_mss). */
static u32 per_segment(const struct xtcp_sock *xs)
{
	u32 per = max_t(u32, xs->peer_mss, xs->mss) + MAX_TCP_HEADER +
		  SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	return roundup_pow_of_two(per) + SKB_DATA_ALIGN(sizeof(struct sk_buff));
}

/*
 * Grow the send buffer to two congestion windows' worth, at most wmem[2];
 * not under memory pressure (tcp_should_expand_sndbuf()).
 */
void xtcp_sndbuf_expand(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 want;

	xtcp_sock_assert_locked(sk);
	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || !xtcp_mem_may_grow(sk))
		return;
	/* twice the window's segments, or what the algorithm multiplies by */
	want = xtcp_sndbuf_for(xs->cc.cwnd, xs->reordering, per_segment(xs)) / 2 *
	       xtcp_ca_sndbuf_expand(sk);
	want = min_t(u64, want, xtcp_wmem(sock_net(sk), 2));
	if (want > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, want);
	/*
	 * tcp_new_space(): a writer waits for room, and the window is not
	 * full: the window is in use (RFC 2861's clock starts again)
	 */
	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags) &&
	    xtcp_pipe(xs) < xs->cc.cwnd)
		xs->snd_cwnd_stamp = tcp_jiffies32;
}

/*
 * The connection is established (tcp_init_buffer_space()): the send buffer
 * for the initial window; the window clamp, the buffer's worth less a
 * segment, and the window's start, the SYN's window within it (rwin.h); and
 * the first round of the receive measure.
 */
void xtcp_init_buffer_space(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int maxwin = xtcp_win_from_space(sk, READ_ONCE(sk->sk_rcvbuf));
	u32 clamp = xtcp_initial_window_clamp(sk);

	xtcp_sock_assert_locked(sk);
	xtcp_sndbuf_expand(sk);
	if (!xs->wscale_ok)
		clamp = min(clamp, 65535U);
	xs->window_clamp = xtcp_rwin_clamp_init(clamp, maxwin,
		READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_app_win),
		xtcp_advmss(xs));
	xs->rcv_ssthresh = min(xs->rcv_wnd, xs->window_clamp);
	xs->rcvq_space = min3(xs->rcv_ssthresh, xs->rcv_wnd,
			      XTCP_INIT_CWND * xtcp_advmss(xs));
	xs->rcvq_seq = xs->copied_seq;
	xs->rcvq_time = ktime_get_ns();
}

/*
 * In-order or out-of-order text of @len bytes, costing @truesize, was queued
 * (tcp_grow_window()): the window may open further by two segments, up to
 * what the buffer allows, if a buffer of such segments would not cost more
 * than the window promises; under memory pressure it opens no further than
 * four segments.
 */
void xtcp_grow_window(struct sock *sk, u32 len, u32 truesize)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int room = min_t(int, xs->window_clamp, xtcp_rcv_space(sk)) -
		   xs->rcv_ssthresh;
	u32 incr;

	xtcp_sock_assert_locked(sk);
	if (room <= 0)
		return;
	if (sk_under_memory_pressure(sk)) {
		xs->rcv_ssthresh = min(xs->rcv_ssthresh, 4 * xtcp_advmss(xs));
		return;
	}
	incr = xtcp_rwin_grow(xs->rcv_ssthresh, len,
			      xtcp_win_from_space(sk, truesize),
			      xtcp_win_from_space(sk, xtcp_rmem(sock_net(sk), 2)),
			      xtcp_advmss(xs), xs->rcv_mss);
	if (incr) {
		xs->rcv_ssthresh += min_t(u32, room, incr);
		xs->quickack |= 1;
	}
}

/*
 * A round-trip sample for the receiver, which may send nothing to time: the
 * timestamp a full data segment echoes (tcp_rcv_rtt_measure_ts()), smoothed
 * by 1/8.
 */
void xtcp_rcv_rtt_sample(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 us;

	xtcp_sock_assert_locked(sk);
	if (!xs->ts_ok || !cb->has_ts || !cb->tsecr || skb->len < xs->rcv_mss)
		return;
	us = xtcp_isn_tsval(xs->ts_off) - cb->tsecr;	/* ms, for now */
	if (us > XTCP_RTO_MAX_MS)
		return;
	us = max_t(u32, us, 1) * USEC_PER_MSEC;	/* a tick of the clock at least */
	xs->rcv_rtt_us = xs->rcv_rtt_us ? xs->rcv_rtt_us - (xs->rcv_rtt_us >> 3) +
					  (us >> 3) : us;
}

/*
 * The reader took data (recvmsg()): once a round trip, the receive buffer
 * grows to what the reader's pace needs (dynamic right-sizing, autotune.h),
 * at most rmem[2], and not under memory pressure (tcp_clamp_window()'s
 * test). The window follows the buffer (xtcp_select_window()).
 */
void xtcp_rcv_space_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 rtt_us = xs->rcv_rtt_us ?: xs->rtt.srtt_us ?: USEC_PER_MSEC;
	u64 now = ktime_get_ns(), want;
	u32 copied;

	xtcp_sock_assert_locked(sk);
	if (now - xs->rcvq_time < (u64)rtt_us * NSEC_PER_USEC)
		return;
	copied = xs->copied_seq - xs->rcvq_seq;
	if (copied > xs->rcvq_space) {
		if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
		    xtcp_mem_may_grow(sk)) {
			want = xtcp_drs_rcvbuf(copied, xs->rcvq_space,
					       xs->adv_mss ?: xs->mss);
			want = min_t(u64, want,
				     xtcp_rmem(sock_net(sk), 2));
			if (want > READ_ONCE(sk->sk_rcvbuf)) {
				WRITE_ONCE(sk->sk_rcvbuf, want);
				/* the window clamp follows along */
				xs->window_clamp = xtcp_win_from_space(sk, want);
			}
		}
		xs->rcvq_space = copied;
	}
	xs->rcvq_seq = xs->copied_seq;
	xs->rcvq_time = now;
}

/*
 * Out-of-order data outgrew the receive buffer (its skbs cost more than the
 * window, half the buffer, allowed for): the buffer grows to hold @need more,
 * as tcp_clamp_window() lets it grow to what is allocated, up to rmem[2],
 * rather than dropping what the sender was allowed to send. False: it may
 * not (SO_RCVBUF, rmem[2] reached, or memory pressure).
 */
bool xtcp_rcvbuf_make_room(struct sock *sk, u32 need)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 want = (u64)atomic_read(&sk->sk_rmem_alloc) + need;
	bool ok = true;

	xtcp_sock_assert_locked(sk);
	xs->quickack = 0;
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) || !xtcp_mem_may_grow(sk) ||
	    want > xtcp_rmem(sock_net(sk), 2))
		ok = false;
	else if (want > READ_ONCE(sk->sk_rcvbuf))
		WRITE_ONCE(sk->sk_rcvbuf, want);
	/* overfull all the same: the window starts small again */
	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf))
		xs->rcv_ssthresh = min(xs->window_clamp, 2 * xtcp_advmss(xs));
	return ok;
}
