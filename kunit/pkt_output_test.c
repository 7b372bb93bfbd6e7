// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): what goes out. The byte stream's writes
 * (src/stream.c) become segments (src/output.c) under the peer's window and
 * Nagle's rule; TCP_NODELAY (src/sockopt.c) lifts it; received text is
 * acknowledged at once or after the delayed-ACK timer (src/ack.c).
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <net/sock.h>

#include "delack.h"
#include "packet.h"
#include "rtxq.h"
#include "rwin.h"
#include "suites.h"
#include "timer.h"

/* One captured data segment: flags, sequence, length, ACK, and its text. */
static void expect_data(struct kunit *test, struct xtcp_peer *p, u8 flags,
			u32 seq, u32 len)
{
	struct xtcp_pkt *pkt = xtcp_test_expect(test, flags);
	u32 i;

	XTCP_EXPECT_SEG(test, pkt, flags, seq, p->seq);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, len);
	for (i = 0; i < pkt->seg.payload_len; i++)
		if (pkt->data[i] != xtcp_test_pattern(seq + i))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, pkt->seg.payload_len,
			    "byte %u of the text differs", i);
	xtcp_peer_saw(p, pkt);
}

/*
 * A write of three and a bit segments: MSS-sized segments in sequence, PSH
 * on the last only (tcp_push()), all at once (cwnd 10, window 65535).
 */
static void output_write_mss_segments(struct kunit *test)
{
	const u32 mss = XTCP_TEST_MSS, len = 3 * mss + 100;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, i;

	xtcp_peer_init(&p, 43001);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, xs->mss, (u16)mss);
	/*
	 * the SYN+ACK's round trip set the pacing rate, which sizes the GSO
	 * packets: unlimited, the whole write is one, whatever the guest's load
	 */
	WRITE_ONCE(sock->sk->sk_pacing_rate, ~0UL);
	seq = xs->snd_nxt;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, len, 0), (int)len);
	for (i = 0; i < 3; i++)
		expect_data(test, &p, XTCP_FLAG_ACK, seq + i * mss, mss);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + 3 * mss, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, seq + len);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 4U);
	KUNIT_EXPECT_EQ(test, xs->data_segs_out, 4U);
}

/*
 * The peer's window holds back what does not fit; the ACK that opens it
 * lets the rest go. Each burst is one GSO packet of two segments, and
 * __tcp_transmit_skb() forces PSH on every GSO packet, which segmentation
 * leaves on its last segment: the window's edge carries PSH.
 */
static void output_peer_window_limits(struct kunit *test)
{
	const u32 mss = XTCP_TEST_MSS;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_peer_init(&p, 43002);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	p.window = 2 * mss;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);	/* a window update */
	KUNIT_ASSERT_EQ(test, xs->snd_wnd, 2 * mss);
	XTCP_EXPECT_NO_SEGMENT(test);

	seq = xs->snd_nxt;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 4 * mss, 0), (int)(4 * mss));
	expect_data(test, &p, XTCP_FLAG_ACK, seq, mss);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + mss, mss);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_PTR_NE(test, xtcp_send_head(sock->sk), NULL);

	p.window = 65535;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	expect_data(test, &p, XTCP_FLAG_ACK, seq + 2 * mss, mss);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + 3 * mss, mss);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Nagle (RFC 896, Minshall's variant): a second small segment waits while
 * the first is unacknowledged; TCP_NODELAY sends it at once.
 */
static void output_nagle_and_nodelay(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	u32 seq;

	xtcp_peer_init(&p, 43003);
	sock = xtcp_test_established(test, &p, NULL);
	seq = xtcp_sk(sock->sk)->snd_nxt;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq, 10);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 20, 0), 20);
	XTCP_EXPECT_NO_SEGMENT(test);	/* held: a small one is in flight */

	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + 10, 20);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * shutdown(SHUT_WR) with the last write held back by Nagle: the FIN is set
 * on that unsent segment (tcp_send_fin()), which keeps its PSH and goes at
 * once (Nagle never holds a FIN); one skb carries both, in the tree, the
 * FIN's sequence number counted once.
 */
static void output_fin_on_held_segment(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct sk_buff *tail;
	u32 seq;

	xtcp_peer_init(&p, 43015);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = xs->snd_nxt;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq, 10);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 20, 0), 20);
	XTCP_EXPECT_NO_SEGMENT(test);	/* held: a small one is in flight */

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH | XTCP_FLAG_FIN,
		    seq + 10, 20);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, p.ack, seq + 31);
	KUNIT_EXPECT_EQ(test, xs->write_seq, seq + 31);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, seq + 31);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 2U);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_send_head(sock->sk), NULL);
	tail = xtcp_rtx_tail(sock->sk);
	KUNIT_ASSERT_PTR_NE(test, tail, NULL);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(tail)->seq, seq + 10);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(tail)->end_seq, seq + 31);
	KUNIT_EXPECT_EQ(test, tail->len, 20U);

	/* the text acknowledged, not the FIN: it stays, whole */
	p.ack = seq + 30;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT1);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_rtx_tail(sock->sk), tail);
	p.ack = seq + 31;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT2);
	KUNIT_EXPECT_TRUE(test, xtcp_queues_empty(sock->sk));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* Every segment advertises the window it computes, on the agreed scale. */
static void output_window_advertised(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *ack;

	xtcp_peer_init(&p, 43004);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 1000);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, xs->rcv_wup, p.seq);
	KUNIT_EXPECT_EQ(test, (u32)ack->seg.window, xs->rcv_wnd >> xs->rcv_wscale);
	KUNIT_EXPECT_GT(test, xs->rcv_wnd, 0U);
	KUNIT_EXPECT_EQ(test, xs->segs_out, 3U);	/* SYN, its ACK, this ACK */
	KUNIT_EXPECT_EQ(test, xs->segs_in, 2U);
}

/* The next segment xtcp sent carries @len bytes of text; the peer sees it. */
static void expect_text(struct kunit *test, struct xtcp_peer *p, u32 len)
{
	struct xtcp_pkt *pkt = xtcp_test_pop(test);

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, len);
	xtcp_peer_saw(p, pkt);
}

/*
 * No segment over half the largest window the peer offered
 * (tcp_bound_to_half_wnd()): a SYN+ACK window of 2000 makes the MSS 1000,
 * not the 1460 its MSS option allows, so that two segments fill the window;
 * a larger window later lets the MSS grow back (tcp_ack_update_window()).
 */
static void output_mss_half_window(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;

	xtcp_peer_init(&p, 43017);
	p.window = 2000;
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_EQ(test, xs->mss, 1000U);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 3000, 0), 3000);
	expect_text(test, &p, 1000);
	expect_text(test, &p, 1000);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.window = 20000;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->mss, (u32)XTCP_TEST_MSS);
	expect_text(test, &p, 1000);
}

/*
 * TCP small queues (tcp_small_queue_check()): with
 * net.ipv4.tcp_limit_output_bytes at 3 MSS (more than one sent segment's
 * truesize, about 2.7 KB here, less than two) and what went out held below
 * the socket, as by a device that has not sent it yet, a segment goes with
 * nothing in flight, a second with one skb in flight, and no third, though
 * both windows have room: the socket is throttled. Each time the device
 * frees what it held, xtcp_wfree() has the tasklet send on, until all is
 * out. (At 1 byte, the unit of sk_wmem_alloc the tasklet's list holds would
 * throttle the socket again, in Linux too.)
 */
static void output_small_queues(struct kunit *test)
{
	const u32 mss = XTCP_TEST_MSS, n = 6;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *pkt;
	u32 seq, next, i;

	xtcp_peer_init(&p, 43007);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	xtcp_test_sysctl(test, &init_net.ipv4.sysctl_tcp_limit_output_bytes,
			 3 * mss);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	xtcp_test_hold();
	seq = xs->snd_nxt;
	/* a skb each, with PSH: each goes on its own */
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, mss, 0), (int)mss);
	for (i = 0; i < 2; i++)
		expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH,
			    seq + i * mss, mss);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, seq + 2 * mss);
	KUNIT_EXPECT_LT(test, xs->packets_out, xs->cc.cwnd);
	KUNIT_EXPECT_GE(test, xs->snd_wnd, n * mss);
	KUNIT_EXPECT_TRUE(test, test_bit(XTCP_TSQ_THROTTLED, &xs->deferred));
	KUNIT_EXPECT_GT(test, refcount_read(&sock->sk->sk_wmem_alloc), 1U);

	/* what the device had, freed: the tasklet sends on, in order */
	next = seq + 2 * mss;
	for (i = 0; i < n && next != seq + n * mss; i++) {
		KUNIT_ASSERT_GT(test, xtcp_test_free_held(), 0U);
		pkt = xtcp_test_wait(test, 2000);
		KUNIT_ASSERT_NOT_NULL_MSG(test, pkt, "nothing sent on at %u",
					  next - seq);
		do {
			KUNIT_EXPECT_EQ(test, pkt->seg.seq, next);
			next += pkt->seg.payload_len;
			xtcp_peer_saw(&p, pkt);
		} while ((pkt = xtcp_test_pop(test)));
	}
	KUNIT_EXPECT_EQ(test, next, seq + n * mss);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, seq + n * mss);
	KUNIT_EXPECT_EQ(test, xs->write_seq, xs->snd_nxt);
	xtcp_test_free_held();
}

/*
 * RFC 2861 §3 (tcp_cwnd_application_limited() from tcp_cwnd_validate()): a
 * sender that has not filled its window for an RTO since the window last
 * proved itself (snd_cwnd_stamp, backdated here) takes cwnd halfway down to
 * what it used, at least the initial window, at its next transmit, and
 * ssthresh three quarters of the old window if that is more. Not again
 * within an RTO; not with tcp_slow_start_after_idle 0. An ACK of data
 * stamps the window as tcp_cong_avoid() does, whether it grew it or not.
 * (Not while a writer waits for room, SOCK_NOSPACE, either: a send clears
 * that bit before it gets there, so it is not set up here.)
 */
static void output_app_limited_decay(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 rto, j0;

	xtcp_peer_init(&p, 43030);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	WRITE_ONCE(sock->sk->sk_pacing_rate, ~0UL);
	/* each small write a segment, whatever is unacknowledged */
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	xs->cc.cwnd = 20;
	xs->cc.ssthresh = 10;
	rto = msecs_to_jiffies(xs->rto_ms);
	xs->lsndtime = tcp_jiffies32;	/* no idle restart */
	xs->snd_cwnd_stamp = tcp_jiffies32 - rto - 1;

	j0 = tcp_jiffies32;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, xs->snd_nxt - 100,
		    100);
	/* (20 + max(1 used, 10)) / 2; ssthresh max(10, 20 * 3 / 4) */
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 15U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 15U);
	KUNIT_EXPECT_EQ(test, xs->snd_cwnd_used, 0U);
	KUNIT_EXPECT_GE(test, (s32)(xs->snd_cwnd_stamp - j0), 0);

	/* within an RTO of the stamp (set again, lest a stall pass for one) */
	xs->snd_cwnd_stamp = tcp_jiffies32;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, xs->snd_nxt - 100,
		    100);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 15U);
	KUNIT_EXPECT_EQ(test, xs->snd_cwnd_used, 2U);

	/* the ACK of both stamps the window, cwnd not limited or not */
	xs->snd_cwnd_stamp = tcp_jiffies32 - rto - 1;
	j0 = tcp_jiffies32;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_GE(test, (s32)(xs->snd_cwnd_stamp - j0), 0);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 15U);

	/* net.ipv4.tcp_slow_start_after_idle 0: no decay */
	xtcp_test_sysctl_u8(test,
			    &init_net.ipv4.sysctl_tcp_slow_start_after_idle, 0);
	xs->lsndtime = tcp_jiffies32;
	xs->snd_cwnd_stamp = tcp_jiffies32 - rto - 1;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	expect_data(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, xs->snd_nxt - 100,
		    100);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 15U);
}

static struct kunit_case output_cases[] = {
	KUNIT_CASE(output_write_mss_segments),
	KUNIT_CASE(output_app_limited_decay),
	KUNIT_CASE(output_peer_window_limits),
	KUNIT_CASE(output_nagle_and_nodelay),
	KUNIT_CASE(output_fin_on_held_segment),
	KUNIT_CASE(output_window_advertised),
	KUNIT_CASE(output_mss_half_window),
	KUNIT_CASE(output_small_queues),
	{}
};

static struct kunit_suite output_suite = {
	.name = "xtcp_pkt_output",
	.init = xtcp_test_init,
	.test_cases = output_cases,
};

/*
 * A new connection acknowledges its first segments at once: quick-ACK mode
 * starts with the first text, not with the handshake, and with it the
 * delayed-ACK time, TCP_ATO_MIN (tcp_event_data_recv()'s
 * tcp_incr_quickack()); each ACK sent counts one down
 * (tcp_dec_quickack_mode()).
 */
static void ack_quick_at_start(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u8 quick;

	xtcp_peer_init(&p, 43010);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_EQ(test, xs->quickack, 0);
	KUNIT_EXPECT_EQ(test, xs->ato, 0U);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xs->ato, XTCP_ATO_MIN);
	quick = xs->quickack;
	KUNIT_EXPECT_GE(test, quick, 1);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xs->quickack, quick - 1);
}

/*
 * Out of quick-ACK mode (TCP_QUICKACK 0), one small segment is not ACKed at
 * once: the delayed-ACK timer sends the ACK, no sooner than TCP_ATO_MIN
 * (the first text's ATO, rwin.h) later, counted in DelayedACKs. This case waits for the real timer.
 */
static void ack_delayed_by_timer(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *ack;
	long delayed;
	u64 start;

	xtcp_peer_init(&p, 43011);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   0), 0);
	delayed = xtcp_test_stat(XTCP_STAT_DELAYED_ACKS);
	start = ktime_get_ns();
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, xs->ack_owed);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_DELACK));

	ack = xtcp_test_wait(test, 1000);
	KUNIT_ASSERT_NOT_NULL_MSG(test, ack, "no delayed ACK within 1 s");
	KUNIT_EXPECT_GE(test, ktime_get_ns() - start,
			(u64)jiffies_to_msecs(XTCP_ATO_MIN) * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, xs->ato, XTCP_ATO_MIN);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_FALSE(test, xs->ack_owed);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DELAYED_ACKS),
			delayed + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Interactive mode (tcp_event_data_sent()): a reply within the delayed-ACK
 * time of the peer's text makes the next text's ACK wait for the timer,
 * whose firing ends the mode (tcp_delack_timer_handler()); quick ACKs go on.
 */
static void ack_interactive_after_reply(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;

	xtcp_peer_init(&p, 43014);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_FALSE(test, xs->pingpong);
	/* a reply before any text came: not interactive */
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH));
	KUNIT_EXPECT_FALSE(test, xs->pingpong);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, 10);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	/* the reply at once: a guest's stalls under load are not the case's */
	xs->lrcv_time = jiffies;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH));
	KUNIT_EXPECT_TRUE(test, xs->pingpong);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, 10);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, xs->ack_owed);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_DELACK);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_FALSE(test, xs->pingpong);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, 10);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The peer's FIN after its text (tcp_fin()): interactive, so the FIN's ACK
 * is owed, and the FIN our close() sends carries it: one segment, not two.
 * A FIN with no text before it is acknowledged at once (Linux's ATO is still
 * 0 then). Text that comes again ends interactive mode (tcp_send_dupack(),
 * DelayedACKLost).
 */
static void ack_fin_rides_on_our_fin(struct kunit *test)
{
	long lost = xtcp_test_stat(XTCP_STAT_DELAYED_ACK_LOST);
	struct xtcp_test_seg s;
	struct xtcp_peer p, q;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct sock *sk;
	u32 start;

	xtcp_peer_init(&p, 43018);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	start = p.seq;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH, 10);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   0), 0);
	KUNIT_EXPECT_TRUE(test, xs->pingpong);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 10);
	s.seq = start;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_FALSE(test, xs->pingpong);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DELAYED_ACK_LOST),
			lost + 1);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_FIN, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE_WAIT);
	KUNIT_EXPECT_TRUE(test, xs->pingpong);
	KUNIT_EXPECT_TRUE(test, xs->ack_owed);
	xtcp_test_expect_read(test, sock, start, 10);
	sk = xtcp_test_close(test, sock);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_FIN),
			XTCP_FLAG_ACK | XTCP_FLAG_FIN, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, (int)sk->sk_state, XTCP_LAST_ACK);
	XTCP_EXPECT_NO_SEGMENT(test);

	/* no text before the FIN: its ACK at once */
	xtcp_peer_init(&q, 43016);
	sock = xtcp_test_established(test, &q, NULL);
	xtcp_peer_send(test, &q, XTCP_FLAG_ACK | XTCP_FLAG_FIN, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, q.ack, q.seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE_WAIT);
	KUNIT_EXPECT_TRUE(test, xtcp_sk(sock->sk)->pingpong);
}

/*
 * Delayed ACKs still go for every second full-sized segment (RFC 1122), when
 * the window they carry does not shrink or the reader waits for more than
 * is queued (__tcp_ack_snd_check()). Unread, the segments would shrink the
 * window here (the buffer's worth is not above the window advertised), and
 * the ACK would wait for the reader: SO_RCVLOWAT above two segments.
 */
static void ack_every_second_full_segment(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 43012);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   0), 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_SOCKET,
						   SO_RCVLOWAT,
						   3 * XTCP_TEST_MSS), 0);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, XTCP_TEST_MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, XTCP_TEST_MSS);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_FALSE(test, xtcp_sk(sock->sk)->ack_owed);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* TCP_QUICKACK 1 sends the ACK owed at once; so does the timer's work. */
static void ack_owed_sent_now(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 43013);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   0), 0);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   1), 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);

	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_QUICKACK,
						   0), 0);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_DELACK);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case ack_cases[] = {
	KUNIT_CASE(ack_quick_at_start),
	KUNIT_CASE(ack_delayed_by_timer),
	KUNIT_CASE(ack_interactive_after_reply),
	KUNIT_CASE(ack_fin_rides_on_our_fin),
	KUNIT_CASE(ack_every_second_full_segment),
	KUNIT_CASE(ack_owed_sent_now),
	{}
};

static struct kunit_suite ack_suite = {
	.name = "xtcp_pkt_ack",
	.init = xtcp_test_init,
	.test_cases = ack_cases,
};

XTCP_KUNIT_SUITES(pkt_output, &output_suite, &ack_suite);
