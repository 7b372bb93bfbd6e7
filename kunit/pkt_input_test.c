// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): the hook (src/hook.c) and the RFC 9293
 * input path (src/input.c). Each case opens a real connection with a fake
 * peer, feeds it segments through the hook and checks what xtcp sent back,
 * its state, its queues and its counters.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "packet.h"
#include "rtxq.h"
#include "suites.h"
#include "timer.h"

/* In-order text is queued for the reader and, early on, ACKed at once. */
static void input_text_in_order(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *ack;
	u32 start;

	xtcp_peer_init(&p, 41001);
	sock = xtcp_test_established(test, &p, NULL);
	start = p.seq;
	KUNIT_ASSERT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_ACK |
					     XTCP_FLAG_PSH, 100),
			(unsigned int)NF_STOLEN);
	/* a new connection's first segments are ACKed at once (quick ACKs) */
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, ack->seg.payload_len, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, p.seq);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sock->sk->sk_receive_queue), 1U);
	xtcp_test_expect_read(test, sock, start, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Text beyond a hole goes to the out-of-order queue and is answered at once
 * by a duplicate ACK with a SACK block for it (RFC 5681 §4.2, RFC 2018 §4);
 * the segment that fills the hole is ACKed at once, past both.
 */
static void input_out_of_order_sack(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	struct xtcp_pkt *ack;
	long ofo = xtcp_test_stat(XTCP_STAT_OFO_QUEUE);
	u32 start;

	xtcp_peer_init(&p, 41002);
	sock = xtcp_test_established(test, &p, NULL);
	start = p.seq;
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start + 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);

	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start);
	KUNIT_EXPECT_TRUE(test, ack->seg.opt.present & XTCP_OPTF_SACK);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.num_sacks, 1);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].start, start + 100);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].end, start + 200);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_OFO_QUEUE), ofo + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, start);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sock->sk->sk_receive_queue));

	/* the hole filled: both in order, one ACK for both, no SACK left */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start + 200);
	KUNIT_EXPECT_FALSE(test, ack->seg.opt.present & XTCP_OPTF_SACK);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, start + 200);
	xtcp_test_expect_read(test, sock, start, 200);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Text that continues a segment waiting beyond a hole joins it
 * (tcp_data_queue_ofo()'s coalescing, TCPRcvCoalesce): one skb in the
 * out-of-order queue, its truesize charged once; the hole filled, all of it is
 * read in order.
 */
static void input_ofo_coalesced(struct kunit *test)
{
	long coalesced = xtcp_test_stat(XTCP_STAT_RCV_COALESCE);
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;
	struct sk_buff *skb;
	struct xtcp_sock *xs;
	u32 start, i;

	xtcp_peer_init(&p, 41031);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	start = p.seq;
	for (i = 1; i <= 3; i++) {
		s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
		s.seq = start + 100 * i;
		KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
				(unsigned int)NF_STOLEN);
		xtcp_test_expect(test, XTCP_FLAG_ACK);
	}
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RCV_COALESCE),
			coalesced + 2);
	lock_sock(sock->sk);
	skb = skb_rb_first(&xs->ofo);
	KUNIT_EXPECT_PTR_NE(test, skb, NULL);
	if (skb) {
		KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, start + 100);
		KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, start + 400);
		KUNIT_EXPECT_PTR_EQ(test, skb_rb_next(skb), NULL);
	}
	release_sock(sock->sk);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, start + 400);
	xtcp_test_expect_read(test, sock, start, 400);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * SACK compression (Linux 4.18 on): out of quick-ACK mode, the first three
 * duplicate ACKs since RCV.NXT last moved go at once, the next are held and
 * one goes when the compression timer fires, its SACK block covering them
 * all; TCPAckCompressed counts the ACKs not sent.
 */
static void input_ofo_sack_compressed(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *ack;
	long compressed = xtcp_test_stat(XTCP_STAT_ACK_COMPRESSED);
	u32 start, i;

	xtcp_peer_init(&p, 41005);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	/* a delay of 1 s (5 % of a 30 s round trip, capped): the test looks first */
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->comp_sack_delay_ns,
			 NSEC_PER_SEC);
	lock_sock(sock->sk);
	xs->quickack = 0;
	/*
	 * the window fully open: queued text grows it no further, which would
	 * ask for quick ACKs (tcp_grow_window())
	 */
	xs->rcv_ssthresh = xs->window_clamp;
	/* text just came: no silence longer than an RTO re-arms quick ACKs */
	xs->lrcv_time = jiffies;
	xs->rto_ms = 60 * MSEC_PER_SEC;
	/* the shorter of the two round trips counts: both 30 s */
	xs->rcv_rtt_us = 30 * USEC_PER_SEC;
	xs->rtt.srtt_us = 30 * USEC_PER_SEC;
	release_sock(sock->sk);
	start = p.seq;
	for (i = 1; i <= 5; i++) {
		s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
		s.seq = start + 100 * i;
		KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
				(unsigned int)NF_STOLEN);
		if (i > 3) {
			XTCP_EXPECT_NO_SEGMENT(test);
			continue;
		}
		ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
		XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start);
		KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].end, start + 100 * (i + 1));
	}
	KUNIT_EXPECT_EQ(test, xs->compressed_ack, 2U);
	KUNIT_ASSERT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_SACK));

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_SACK);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.num_sacks, 1);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].start, start + 100);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].end, start + 600);
	KUNIT_EXPECT_EQ(test, xs->compressed_ack, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_COMPRESSED),
			compressed + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* Text already received is a duplicate: ACKed, counted, not queued again. */
static void input_duplicate_text(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	long dup = xtcp_test_stat(XTCP_STAT_DUP_DATA);

	xtcp_peer_init(&p, 41003);
	sock = xtcp_test_established(test, &p, NULL);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	xtcp_test_expect(test, XTCP_FLAG_ACK);

	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DUP_DATA), dup + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, p.seq);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sock->sk->sk_receive_queue), 1U);
}

/* The one SACK block of @ack is [@from, @to). */
#define EXPECT_ONE_SACK(test, ack, from, to) do {			\
	KUNIT_EXPECT_TRUE(test, (ack)->seg.opt.present & XTCP_OPTF_SACK); \
	KUNIT_EXPECT_EQ(test, (ack)->seg.opt.num_sacks, 1);		\
	KUNIT_EXPECT_EQ(test, (ack)->seg.opt.sacks[0].start, (u32)(from)); \
	KUNIT_EXPECT_EQ(test, (ack)->seg.opt.sacks[0].end, (u32)(to));	\
} while (0)

/*
 * A duplicate is answered by an ACK whose first SACK block names it, a
 * D-SACK (RFC 2883 §4.1.1), counted in TCPDSACKOldSent; one partly below
 * RCV.NXT names that part (tcp_data_queue()). Once: the next ACK has none.
 * With net.xtcp.dsack=0 a duplicate gets a plain ACK.
 */
static void input_duplicate_dsack(struct kunit *test)
{
	long old = xtcp_test_stat(XTCP_STAT_DSACK_OLD_SENT);
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *ack;
	u32 start;

	xtcp_peer_init(&p, 41032);
	sock = xtcp_test_established(test, &p, NULL);
	start = p.seq;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_FALSE(test, ack->seg.opt.present & XTCP_OPTF_SACK);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start + 100);
	EXPECT_ONE_SACK(test, ack, start, start + 100);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OLD_SENT), old + 1);
	/* sent, so no longer owed */
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_sacks.dsack, 0);

	/* [50,150): 50 to 100 again, 100 to 150 new */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start + 50;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start + 150);
	EXPECT_ONE_SACK(test, ack, start + 50, start + 100);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OLD_SENT), old + 2);

	/* sent once: new text's ACK has no SACK block */
	p.seq = start + 150;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start + 250);
	KUNIT_EXPECT_FALSE(test, ack->seg.opt.present & XTCP_OPTF_SACK);

	/* net.xtcp.dsack=0: a plain ACK, nothing counted */
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->dsack, 0);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start + 150;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start + 250);
	KUNIT_EXPECT_FALSE(test, ack->seg.opt.present & XTCP_OPTF_SACK);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OLD_SENT), old + 2);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A segment the out-of-order queue holds already: its duplicate ACK carries
 * the D-SACK block first, then the SACK block of what is held (RFC 2883
 * §4.1.2), counted in TCPDSACKOfoSent.
 */
static void input_ofo_duplicate_dsack(struct kunit *test)
{
	long ofo = xtcp_test_stat(XTCP_STAT_DSACK_OFO_SENT);
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct xtcp_pkt *ack;
	u32 start;

	xtcp_peer_init(&p, 41033);
	xtcp_test_established(test, &p, NULL);
	start = p.seq;
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start + 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start);
	EXPECT_ONE_SACK(test, ack, start + 100, start + 200);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.seq = start + 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, start);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.num_sacks, 2);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].start, start + 100);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[0].end, start + 200);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[1].start, start + 100);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.sacks[1].end, start + 200);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OFO_SENT), ofo + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A RST at exactly RCV.NXT resets the connection (RFC 5961 §3.2). */
static void input_rst_exact_aborts(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	long resets;

	xtcp_peer_init(&p, 41004);
	sock = xtcp_test_established(test, &p, NULL);
	resets = xtcp_test_stat(XTCP_STAT_ESTAB_RESETS);
	KUNIT_ASSERT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_RST, 0),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, ECONNRESET);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ESTAB_RESETS), resets + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A RST in the window but not at RCV.NXT gets a challenge ACK and changes
 * nothing (RFC 5961 §3.2); one beyond the window is dropped silently.
 */
static void input_rst_inexact_challenged(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	long challenges = xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS);

	xtcp_peer_init(&p, 41005);
	sock = xtcp_test_established(test, &p, NULL);
	s = xtcp_peer_seg(&p, XTCP_FLAG_RST, 0);
	s.seq = p.seq + 1;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS),
			challenges + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);

	s.seq = p.seq + 0x40000000;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
}

/*
 * A SYN outside the window is still a SYN in a synchronized state: a
 * challenge ACK (tcp_validate_incoming()'s syn_challenge), not a dup-ACK,
 * counted in TCPSYNChallenge and, in ESTABLISHED, InErrs; the connection
 * stays. As tcp_send_challenge_ack(), one per net.xtcp.invalid_ratelimit per
 * connection: the second SYN's is held back (TCPACKSkippedChallenge).
 */
static void input_syn_out_of_window_challenged(struct kunit *test)
{
	long challenges = xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS);
	long syn = xtcp_test_stat(XTCP_STAT_SYN_CHALLENGE);
	long inerrs = xtcp_test_stat(XTCP_STAT_IN_ERRS);
	long seq = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SEQ);
	long held = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_CHALLENGE);
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;
	int i;

	xtcp_peer_init(&p, 41030);
	sock = xtcp_test_established(test, &p, NULL);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 60000);
	for (i = 0; i < 2; i++) {
		s = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
		s.seq = p.seq + 0x40000000;
		KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
				(unsigned int)NF_STOLEN);
		if (!i)
			XTCP_EXPECT_SEG(test,
					xtcp_test_expect(test, XTCP_FLAG_ACK),
					XTCP_FLAG_ACK, p.ack, p.seq);
		XTCP_EXPECT_NO_SEGMENT(test);
	}
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS),
			challenges + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_CHALLENGE),
			held + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYN_CHALLENGE), syn + 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_ERRS), inerrs + 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SEQ), seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
}

/* The peer's FIN: CLOSE-WAIT, the FIN ACKed, the reader sees EOF. */
static void input_fin_close_wait(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 41006);
	sock = xtcp_test_established(test, &p, NULL);
	xtcp_peer_send(test, &p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE_WAIT);
	KUNIT_EXPECT_TRUE(test, sock->sk->sk_shutdown & RCV_SHUTDOWN);
}

/* An ACK of our text frees it from the write queue and stops the timer. */
static void input_ack_cleans_write_queue(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;

	xtcp_peer_init(&p, 41007);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH));
	KUNIT_EXPECT_EQ(test, xs->packets_out, 1U);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->snd_una, p.ack);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_TRUE(test, xtcp_queues_empty(sock->sk));
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * RFC 5961 §5.2 as tcp_ack() bounds it: an ACK below SND.UNA by no more than
 * the peer's window, but by more than all it has acknowledged (the SYN only),
 * acknowledges bytes never sent: a challenge ACK, not a duplicate ACK.
 */
static void input_old_ack_bound_by_bytes_acked(struct kunit *test)
{
	long challenges = xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS);
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 41008);
	sock = xtcp_test_established(test, &p, NULL);
	/* the SYN only, as Linux's tcp_ack() counts it */
	KUNIT_ASSERT_EQ(test, xtcp_sk(sock->sk)->bytes_acked, 1ULL);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.ack = p.ack - 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_CHALLENGE_ACKS),
			challenges + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * TS.Recent moves only for a segment whose ACK is acceptable: one that
 * acknowledges what was never sent, with a newer TSval, leaves it (and gets
 * a challenge ACK echoing the old one); the next good segment moves it.
 */
static void input_ts_recent_needs_acceptable_ack(struct kunit *test)
{
	static const struct xtcp_options ts = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_TIMESTAMP,
		.mss = XTCP_TEST_MSS,
	};
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 recent;

	xtcp_peer_init(&p, 41009);
	p.ts = true;
	sock = xtcp_test_established(test, &p, &ts);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_TRUE(test, xs->ts_ok);
	recent = xs->ts_recent;

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.ack = p.ack + 1000;
	s.opt.tsval = recent + 1000;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_expect(test, XTCP_FLAG_ACK)->seg.opt.tsecr,
			recent);
	KUNIT_EXPECT_EQ(test, xs->ts_recent, recent);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.opt.tsval = recent + 2000;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xs->ts_recent, recent + 2000);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * An unacceptable sequence is answered by a dup-ACK at most once per
 * net.xtcp.invalid_ratelimit (tcp_validate_incoming()): the next bare one
 * is counted in TCPACKSkippedSeq; old text is always answered (no ACK loop
 * carries text); with the sysctl at 0, every one is answered.
 */
static void input_oow_dupack_rate_limited(struct kunit *test)
{
	int *rl = &xtcp_net(&init_net)->invalid_ratelimit;
	struct xtcp_test_seg bare, old;
	struct xtcp_peer p;
	long skipped;

	xtcp_peer_init(&p, 41020);
	xtcp_test_established(test, &p, NULL);
	xtcp_test_sysctl(test, rl, 60000);
	skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SEQ);
	bare = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	bare.seq = p.seq + 1000000;
	old = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	old.seq = p.seq - 200;

	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &bare), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &bare), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SEQ),
			skipped + 1);
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &old), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);

	WRITE_ONCE(*rl, 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &bare), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SEQ),
			skipped + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The dup-ACK for a PAWS reject passes the same interval: counted in
 * PAWSEstab each time, the second answer skipped (TCPACKSkippedPAWS).
 */
static void input_paws_dupack_rate_limited(struct kunit *test)
{
	static const struct xtcp_options ts = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_TIMESTAMP,
		.mss = XTCP_TEST_MSS,
	};
	long paws = xtcp_test_stat(XTCP_STAT_PAWS_ESTAB), skipped;
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 41021);
	sock = xtcp_test_established(test, &p, &ts);
	KUNIT_ASSERT_TRUE(test, xtcp_sk(sock->sk)->ts_ok);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 60000);
	skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_PAWS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.opt.tsval = xtcp_sk(sock->sk)->ts_recent - 100000;

	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PAWS_ESTAB), paws + 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_PAWS),
			skipped + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
}

/*
 * A FIN whose ACK covers our FIN is one XTCP_EV_FIN_ACK: FIN-WAIT-1 straight
 * to TIME-WAIT, our ACK sent, the socket replaced by a bucket. A FIN that
 * comes out of order with that ACK leaves FIN-WAIT-2 to the ACK alone.
 */
static void input_fin_ack_one_event(struct kunit *test)
{
	struct xtcp_test_seg s;
	struct xtcp_peer p, q;
	struct socket *sock;
	struct xtcp_tw_bucket *tw;

	xtcp_peer_init(&p, 41022);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	xtcp_peer_send(test, &p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	tw = xtcp_tw_lookup(&xtcp_net(&init_net)->tw, &init_net, p.xaddr,
			    p.xport, p.addr, p.port, -1, 0);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	xtcp_tw_kill(&xtcp_net(&init_net)->tw, tw);
	xtcp_tw_put(tw);

	xtcp_peer_init(&q, 41023);
	sock = xtcp_test_established(test, &q, NULL);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	xtcp_peer_saw(&q, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	s = xtcp_peer_seg(&q, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	s.seq = q.seq + 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &q, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT2);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, q.ack, q.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case input_cases[] = {
	KUNIT_CASE(input_text_in_order),
	KUNIT_CASE(input_out_of_order_sack),
	KUNIT_CASE(input_ofo_sack_compressed),
	KUNIT_CASE(input_ofo_coalesced),
	KUNIT_CASE(input_duplicate_text),
	KUNIT_CASE(input_duplicate_dsack),
	KUNIT_CASE(input_ofo_duplicate_dsack),
	KUNIT_CASE(input_rst_exact_aborts),
	KUNIT_CASE(input_rst_inexact_challenged),
	KUNIT_CASE(input_syn_out_of_window_challenged),
	KUNIT_CASE(input_fin_close_wait),
	KUNIT_CASE(input_ack_cleans_write_queue),
	KUNIT_CASE(input_old_ack_bound_by_bytes_acked),
	KUNIT_CASE(input_ts_recent_needs_acceptable_ack),
	KUNIT_CASE(input_oow_dupack_rate_limited),
	KUNIT_CASE(input_paws_dupack_rate_limited),
	KUNIT_CASE(input_fin_ack_one_event),
	{}
};

static struct kunit_suite input_suite = {
	.name = "xtcp_pkt_input",
	.init = xtcp_test_init,
	.test_cases = input_cases,
};

/* A segment for no xtcp socket is left to the kernel's TCP, uncounted. */
static void hook_not_ours_accepted(struct kunit *test)
{
	struct xtcp_peer p;
	long in = xtcp_test_stat(XTCP_STAT_IN_SEGS);

	xtcp_peer_init(&p, 41010);
	p.xaddr = htonl(INADDR_LOOPBACK);
	p.xport = htons(9);	/* discard: no xtcp socket there */
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_SEGS), in);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A bad checksum: stolen, counted (InErrs, InCsumErrors), dropped unseen. */
static void hook_bad_checksum_dropped(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	long in, errs, csum;

	xtcp_peer_init(&p, 41011);
	sock = xtcp_test_established(test, &p, NULL);
	in = xtcp_test_stat(XTCP_STAT_IN_SEGS);
	errs = xtcp_test_stat(XTCP_STAT_IN_ERRS);
	csum = xtcp_test_stat(XTCP_STAT_IN_CSUM_ERRORS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.bad_csum = true;
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_SEGS), in + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_ERRS), errs + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_CSUM_ERRORS), csum + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->segs_in, 1U);	/* the SYN+ACK */
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* An option of length 1 (MUST-7): counted as a bad option and dropped. */
static void hook_bad_option_dropped(struct kunit *test)
{
	static const u8 bad[] = { XTCP_OPT_TIMESTAMP, 1 };
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	long errs, opts;

	xtcp_peer_init(&p, 41012);
	sock = xtcp_test_established(test, &p, NULL);
	errs = xtcp_test_stat(XTCP_STAT_IN_ERRS);
	opts = xtcp_test_stat(XTCP_STAT_BAD_OPTIONS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 10);
	s.raw_opt = bad;
	s.raw_opt_len = sizeof(bad);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_IN_ERRS), errs + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_BAD_OPTIONS), opts + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A segment for a socket its user holds waits on the backlog, and is
 * processed when the user lets go (release_sock()).
 */
static void hook_owned_socket_backlog(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	u32 before;

	xtcp_peer_init(&p, 41013);
	sock = xtcp_test_established(test, &p, NULL);
	before = p.seq;
	lock_sock(sock->sk);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, before);
	KUNIT_EXPECT_EQ(test, xtcp_test_captured(), 0U);
	KUNIT_EXPECT_NOT_NULL(test, sock->sk->sk_backlog.head);
	release_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_nxt, p.seq);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
}

static struct kunit_case hook_cases[] = {
	KUNIT_CASE(hook_not_ours_accepted),
	KUNIT_CASE(hook_bad_checksum_dropped),
	KUNIT_CASE(hook_bad_option_dropped),
	KUNIT_CASE(hook_owned_socket_backlog),
	{}
};

static struct kunit_suite hook_suite = {
	.name = "xtcp_pkt_hook",
	.init = xtcp_test_init,
	.test_cases = hook_cases,
};

XTCP_KUNIT_SUITES(pkt_input, &input_suite, &hook_suite);
