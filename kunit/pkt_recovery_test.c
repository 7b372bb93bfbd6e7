// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): loss recovery (src/recovery.c) and the
 * retransmission timer (src/timer.c). Timers do not run by the clock here:
 * xtcp_test_fire() does a timer's work at once, through its own callback.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/xtcp_cong.h>

#include "packet.h"
#include "recovery.h"
#include "request.h"
#include "rtxq.h"
#include "sockopt.h"
#include "suites.h"
#include "timer.h"

#define MSS	XTCP_TEST_MSS

/* @n full segments written and captured; the first one's sequence number. */
static u32 send_segments(struct kunit *test, struct socket *sock,
			 struct xtcp_peer *p, u32 n)
{
	u32 seq = xtcp_sk(sock->sk)->snd_nxt, i;

	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, n * MSS, 0), (int)(n * MSS));
	for (i = 0; i < n; i++) {
		struct xtcp_pkt *pkt = xtcp_test_pop(test);

		KUNIT_ASSERT_NOT_NULL(test, pkt);
		KUNIT_EXPECT_EQ(test, pkt->seg.seq, seq + i * MSS);
		KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, MSS);
	}
	XTCP_EXPECT_NO_SEGMENT(test);
	return seq;
}

/* A duplicate ACK of @una from @p, SACKing [@sack_start, @sack_end) if set. */
static void dup_ack(struct kunit *test, struct xtcp_peer *p, u32 una,
		    u32 sack_start, u32 sack_end)
{
	struct xtcp_test_seg s = xtcp_peer_seg(p, XTCP_FLAG_ACK, 0);

	s.ack = una;
	if (sack_end != sack_start) {
		s.opt.present |= XTCP_OPTF_SACK;
		s.opt.num_sacks = 1;
		s.opt.sacks[0].start = sack_start;
		s.opt.sacks[0].end = sack_end;
	}
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, &s), (unsigned int)NF_STOLEN);
}

/* The head segment, sent again, and nothing else. */
static void expect_retransmit(struct kunit *test, struct xtcp_peer *p,
			      u32 seq)
{
	struct xtcp_pkt *pkt = xtcp_test_expect(test, XTCP_FLAG_ACK);

	XTCP_EXPECT_SEG(test, pkt, XTCP_FLAG_ACK, seq, p->seq);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, MSS);
	KUNIT_EXPECT_EQ(test, pkt->data[0], xtcp_test_pattern(seq));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * With SACK (RFC 6675): three segments SACKed above the head make it lost
 * (IsLost, DupThresh 3): fast recovery, the head sent again at once.
 */
static void recovery_sack_fast_retransmit(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	long retrans, sackrec;
	u32 seq;

	xtcp_peer_init(&p, 44001);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_TRUE(test, xs->sack_ok);
	seq = send_segments(test, sock, &p, 5);
	retrans = xtcp_test_stat(XTCP_STAT_RETRANS_SEGS);
	sackrec = xtcp_test_stat(XTCP_STAT_SACK_RECOVERY);

	dup_ack(test, &p, seq, seq + MSS, seq + 2 * MSS);
	dup_ack(test, &p, seq, seq + MSS, seq + 3 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);

	dup_ack(test, &p, seq, seq + MSS, seq + 4 * MSS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 3U);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, 1U);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 5 * MSS);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RETRANS_SEGS), retrans + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SACK_RECOVERY),
			sackrec + 1);

	/* everything acknowledged: recovery is over, cwnd from ssthresh on */
	p.ack = seq + 5 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_GE(test, xs->cc.cwnd, xs->cc.ssthresh);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * SACK reneging (RFC 2018 §8): the peer SACKs the second and third segments,
 * then acknowledges only the first: it threw the others away. The
 * retransmission timer comes after max(SRTT/2, 10 ms), not an RTO
 * (tcp_check_sack_reneging()), and then sends the SACKed head again, every
 * SACK mark forgotten (tcp_timeout_mark_lost()). Before, the head stayed
 * SACKed and was never sent again.
 */
static void recovery_sack_reneging(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	long reneg;
	u64 left_ns;
	u32 seq, ms;

	xtcp_peer_init(&p, 44004);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_TRUE(test, xs->sack_ok);
	seq = send_segments(test, sock, &p, 3);
	reneg = xtcp_test_stat(XTCP_STAT_SACK_RENEGING);

	dup_ack(test, &p, seq, seq + MSS, seq + 3 * MSS);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2U);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.ack = seq + MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_ASSERT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	ms = max_t(u32, xs->rtt.srtt_us / 2 / USEC_PER_MSEC, 10);
	left_ns = xs->timer_due[XTCP_TIMER_RETRANS] - ktime_get_ns();
	KUNIT_EXPECT_LE(test, left_ns, (u64)ms * NSEC_PER_MSEC);
	KUNIT_EXPECT_LT(test, ms, xs->rto_ms);

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq + MSS);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SACK_RENEGING), reneg + 1);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 2U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
}

/*
 * Without SACK (RFC 5681 §3.2, NewReno RFC 6582): two duplicate ACKs are not
 * enough, the third sends the head again.
 */
static void recovery_three_dupacks(struct kunit *test)
{
	const struct xtcp_options mss_only = {
		.present = XTCP_OPTF_MSS,
		.mss = MSS,
	};
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	long renorec;
	u32 seq;

	xtcp_peer_init(&p, 44002);
	sock = xtcp_test_established(test, &p, &mss_only);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_FALSE(test, xs->sack_ok);
	seq = send_segments(test, sock, &p, 5);
	renorec = xtcp_test_stat(XTCP_STAT_RENO_RECOVERY);

	dup_ack(test, &p, seq, 0, 0);
	dup_ack(test, &p, seq, 0, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->dupacks, 2);

	dup_ack(test, &p, seq, 0, 0);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RENO_RECOVERY),
			renorec + 1);

	/* a partial ACK (RFC 6582 §3.2): the next hole goes at once */
	p.ack = seq + MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	expect_retransmit(test, &p, seq + MSS);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
}

/* A duplicate ACK that carries text or a window change is no duplicate. */
static void recovery_dupack_with_text_not_counted(struct kunit *test)
{
	const struct xtcp_options mss_only = {
		.present = XTCP_OPTF_MSS,
		.mss = MSS,
	};
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, i;

	xtcp_peer_init(&p, 44003);
	sock = xtcp_test_established(test, &p, &mss_only);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 5);
	p.ack = seq;
	for (i = 0; i < 3; i++) {
		xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 10);
		/* our ACK of the text, not a retransmission */
		XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
				XTCP_FLAG_ACK, seq + 5 * MSS, p.seq);
	}
	KUNIT_EXPECT_EQ(test, xs->dupacks, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A duplicate ACK of @una from @p with the @n SACK blocks @b (segment numbers from @seq). */
static void sack_ack(struct kunit *test, struct xtcp_peer *p, u32 una, u32 seq,
		     const u32 (*b)[2], int n)
{
	struct xtcp_test_seg s = xtcp_peer_seg(p, XTCP_FLAG_ACK, 0);
	int i;

	s.ack = una;
	s.opt.present |= XTCP_OPTF_SACK;
	s.opt.num_sacks = n;
	for (i = 0; i < n; i++) {
		s.opt.sacks[i].start = seq + b[i][0] * MSS;
		s.opt.sacks[i].end = seq + b[i][1] * MSS;
	}
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, &s), (unsigned int)NF_STOLEN);
}

/*
 * skbs the scoreboard may look at for one new block of an ACK, beyond those
 * it newly marks: an rbtree search (a red-black tree of 1024 is at most 20
 * deep), the walk's two ends, and a few steps of IsLost.
 */
#define SACK_SEARCH_MAX		32
#define SACK_SEGS		1024

/* The skbs of the retransmission queue, marked as @sacked and @lost say (segment numbers). */
static void expect_scoreboard(struct kunit *test, struct sock *sk, u32 seq,
			      const unsigned long *sacked, const unsigned long *lost)
{
	struct sk_buff *skb;
	u32 k = 0;

	lock_sock(sk);
	for (skb = xtcp_rtx_head(sk); skb; skb = xtcp_rtx_next(skb), k++) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		KUNIT_EXPECT_EQ(test, cb->seq, seq + k * MSS);
		KUNIT_EXPECT_EQ_MSG(test, (bool)cb->sacked, test_bit(k, sacked),
				    "segment %u", k);
		KUNIT_EXPECT_EQ_MSG(test, (bool)cb->lost, test_bit(k, lost),
				    "segment %u", k);
	}
	release_sock(sk);
	KUNIT_EXPECT_EQ(test, k, (u32)SACK_SEGS);
}

/*
 * An established socket from @p (port @port) with SACK, SACK_SEGS segments in
 * flight at once and no time-out while the test runs; the scoreboard's
 * bitmaps in *@sacked and *@lost. Returns the first segment's sequence number.
 */
static u32 sack_setup(struct kunit *test, struct xtcp_peer *p, u16 port,
		      struct socket **sockp, unsigned long **sacked,
		      unsigned long **lost)
{
	const struct xtcp_options wscale = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM | XTCP_OPTF_WSCALE,
		.mss = MSS,
		.wscale = 7,
	};
	struct xtcp_sock *xs;
	struct sock *sk;
	u32 seq, i;

	*sacked = kunit_kzalloc(test, BITS_TO_LONGS(SACK_SEGS) * sizeof(long),
				GFP_KERNEL);
	*lost = kunit_kzalloc(test, BITS_TO_LONGS(SACK_SEGS) * sizeof(long),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *sacked);
	KUNIT_ASSERT_NOT_NULL(test, *lost);
	xtcp_peer_init(p, port);
	*sockp = xtcp_test_established(test, p, &wscale);
	sk = (*sockp)->sk;
	xs = xtcp_sk(sk);
	KUNIT_ASSERT_TRUE(test, xs->sack_ok);
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);	/* 8 MB of window */
	XTCP_EXPECT_NO_SEGMENT(test);
	lock_sock(sk);
	WRITE_ONCE(sk->sk_sndbuf, 64 << 20);
	sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	xs->cc.cwnd = 2 * SACK_SEGS;
	xs->rto_ms = 120 * MSEC_PER_SEC;
	release_sock(sk);
	seq = send_segments(test, *sockp, p, 64);
	for (i = 64; i < SACK_SEGS; i += 64)
		send_segments(test, *sockp, p, 64);
	KUNIT_ASSERT_EQ(test, xs->packets_out, (u32)SACK_SEGS);
	return seq;
}

/*
 * A thousand segments in flight and SACK blocks far from the head: each ACK
 * costs the scoreboard one rbtree search per block and the skbs it newly
 * marks (tcp_sacktag_write_queue()), never a walk from SND.UNA; blocks the
 * previous ACK had are skipped (recv_sack_cache); IsLost goes on from where
 * it stopped (lost_skb_hint). Before, every block of every ACK walked the
 * queue from its head. And the scoreboard is exactly what RFC 6675 says.
 */
static void recovery_sack_walk_bounded(struct kunit *test)
{
	static const u32 blocks[][2] = {
		{ 1000, 1001 }, { 1002, 1003 }, { 1004, 1005 }, { 1006, 1007 },
	};
	unsigned long *sacked, *lost;
	u32 seq, steps, b[4][2], i;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct sock *sk;

	seq = sack_setup(test, &p, 44005, &sock, &sacked, &lost);
	sk = sock->sk;
	xs = xtcp_sk(sk);
	/* recovery sends nothing: the scoreboard alone is under test */
	lock_sock(sk);
	xs->cc.cwnd = 20;
	release_sock(sk);

	/* one block far from the head: one search */
	steps = xs->sack_steps;
	sack_ack(test, &p, seq, seq, blocks, 1);
	KUNIT_EXPECT_LE(test, xs->sack_steps - steps, (u32)SACK_SEARCH_MAX);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 1U);
	__set_bit(1000, sacked);

	/* the same again and a new one: only the new one is walked */
	steps = xs->sack_steps;
	sack_ack(test, &p, seq, seq, blocks, 2);
	KUNIT_EXPECT_LE(test, xs->sack_steps - steps, (u32)SACK_SEARCH_MAX);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
	__set_bit(1002, sacked);

	/*
	 * A third SACKed segment: DupThresh of them above the first thousand
	 * makes those lost, and recovery begins. The one long walk marks them.
	 */
	steps = xs->sack_steps;
	sack_ack(test, &p, seq, seq, blocks, 3);
	KUNIT_EXPECT_LE(test, xs->sack_steps - steps, 1002U + SACK_SEARCH_MAX);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 3U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1000U);
	__set_bit(1004, sacked);
	bitmap_set(lost, 0, 1000);

	/* a fourth: IsLost goes on from where it stopped, 1001 is lost */
	steps = xs->sack_steps;
	sack_ack(test, &p, seq, seq, blocks, 4);
	KUNIT_EXPECT_LE(test, xs->sack_steps - steps, (u32)SACK_SEARCH_MAX);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 4U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1001U);
	__set_bit(1006, sacked);
	__set_bit(1001, lost);

	/* a flood of the same ACK: next to nothing each */
	for (i = 0; i < 100; i++) {
		steps = xs->sack_steps;
		sack_ack(test, &p, seq, seq, blocks, 4);
		KUNIT_EXPECT_LE(test, xs->sack_steps - steps, 4U);
	}

	/*
	 * A receiver's ACKs as the holes above fill, newest block first, the
	 * block before it growing (RFC 2018 §4): each new segment costs a
	 * search or two, whatever lies below.
	 */
	for (i = 0; i < 8; i++) {
		b[0][0] = 1008 + 2 * i;
		b[0][1] = 1009 + 2 * i;
		b[1][0] = 1000;
		b[1][1] = 1001;
		b[2][0] = 1002;
		b[2][1] = 1003;
		b[3][0] = 1004;
		b[3][1] = 1007;		/* 1005 came */
		steps = xs->sack_steps;
		sack_ack(test, &p, seq, seq, (const u32 (*)[2])b, 4);
		KUNIT_EXPECT_LE(test, xs->sack_steps - steps,
				4U * SACK_SEARCH_MAX);
		__set_bit(1008 + 2 * i, sacked);
		/*
		 * IsLost: 1003 at once, 1005 came; then the hole three
		 * SACKed segments below the newest (none the second time)
		 */
		if (i != 1)
			__set_bit(1003 + 2 * i, lost);
	}
	__set_bit(1005, sacked);
	/*
	 * As SACKs and losses drained the pipe below cwnd, the holes went
	 * again from the head on (RFC 6675 NextSeg() rule 1), till it filled.
	 */
	for (i = 0; xtcp_test_captured(); i++) {
		struct xtcp_pkt *pkt = xtcp_test_pop(test);

		KUNIT_ASSERT_NOT_NULL(test, pkt);
		XTCP_EXPECT_SEG(test, pkt, XTCP_FLAG_ACK, seq + i * MSS, p.seq);
		KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, MSS);
	}
	KUNIT_EXPECT_GT(test, i, 0U);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, i);
	KUNIT_EXPECT_EQ(test, xs->packets_out - xs->sacked_out - xs->lost_out +
			xs->retrans_out, xs->cc.cwnd);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 13U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, (u32)bitmap_weight(lost, SACK_SEGS));
	expect_scoreboard(test, sk, seq, sacked, lost);

	/* all acknowledged: the queue is empty, recovery over */
	p.ack = seq + SACK_SEGS * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_TRUE(test, xtcp_rtx_empty(sk));
}

/*
 * A peer whose blocks alternate, ACK after ACK, over segments it SACKed
 * already (a SACK flood), so that the last ACK's blocks (recv_sack_cache) do
 * not cover them: Linux walks its merged skbs (tcp_shift_skb_data()); xtcp
 * walks a run of SACKed skbs once, then jumps it in a search or two, wherever
 * a block starts in it. Before, each such ACK walked every segment its blocks
 * covered, some 500 skbs here.
 */
static void recovery_sack_alternating_blocks(struct kunit *test)
{
	static const u32 all[][2] = { { 1, SACK_SEGS } };
	static const u32 even[][2] = { { 1, 250 }, { 500, 750 } };
	static const u32 odd[][2] = { { 250, 500 }, { 750, 1000 } };
	static const u32 mid[][2] = { { 100, 900 }, { 910, 1020 } };
	unsigned long *sacked, *lost;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, steps, i;
	struct sock *sk;

	seq = sack_setup(test, &p, 44009, &sock, &sacked, &lost);
	sk = sock->sk;
	xs = xtcp_sk(sk);
	lock_sock(sk);
	xs->cc.cwnd = 1;	/* the scoreboard alone is under test */
	release_sock(sk);

	/* all but the head SACKed: it is lost, recovery sends it again */
	sack_ack(test, &p, seq, seq, all, 1);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, (u32)SACK_SEGS - 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1U);
	bitmap_set(sacked, 1, SACK_SEGS - 1);
	__set_bit(0, lost);
	while (xtcp_test_captured())
		xtcp_test_pop(test);

	/*
	 * The first of these lies inside the last ACK's block (recv_sack_cache);
	 * then a first pass over each run walks it, and the runs' ends are learnt.
	 */
	sack_ack(test, &p, seq, seq, even, 2);
	sack_ack(test, &p, seq, seq, odd, 2);
	sack_ack(test, &p, seq, seq, even, 2);
	for (i = 0; i < 100; i++) {
		steps = xs->sack_steps;
		sack_ack(test, &p, seq, seq, (i & 1) ? odd : even, 2);
		KUNIT_EXPECT_LE_MSG(test, xs->sack_steps - steps,
				    2U * 2 * SACK_SEARCH_MAX, "ACK %u", i);
	}
	/* blocks that start and end inside the runs: as cheap after once */
	sack_ack(test, &p, seq, seq, mid, 2);
	for (i = 0; i < 10; i++) {
		steps = xs->sack_steps;
		sack_ack(test, &p, seq, seq, (i & 1) ? mid : even, 2);
		KUNIT_EXPECT_LE_MSG(test, xs->sack_steps - steps,
				    2U * 4 * SACK_SEARCH_MAX, "ACK %u", i);
	}
	KUNIT_EXPECT_EQ(test, xs->sacked_out, (u32)SACK_SEGS - 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1U);
	expect_scoreboard(test, sk, seq, sacked, lost);
	XTCP_EXPECT_NO_SEGMENT(test);

	/* all acknowledged: nothing is left of the marks */
	p.ack = seq + SACK_SEGS * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_EXPECT_TRUE(test, xtcp_rtx_empty(sk));
}

/*
 * D-SACK blocks (RFC 2883) received: one below the ACK names text the peer
 * got twice and marks nothing, however often it comes (no recovery from it);
 * one within the second block marks only what that block does. Counted as
 * tcp_check_dsack() counts them (TCPDSACKRecv, TCPDSACKOfoRecv).
 */
static void recovery_dsack_marks_nothing(struct kunit *test)
{
	static const u32 old[][2] = { { 0, 1 } };
	static const u32 ofo[][2] = { { 3, 4 }, { 3, 5 } };
	long recv = xtcp_test_stat(XTCP_STAT_DSACK_RECV);
	long ofo_recv = xtcp_test_stat(XTCP_STAT_DSACK_OFO_RECV);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, i;

	xtcp_peer_init(&p, 44006);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_TRUE(test, xs->sack_ok);
	seq = send_segments(test, sock, &p, 5);

	/* two segments ACKed, the first of them D-SACKed: a spurious resend */
	sack_ack(test, &p, seq + 2 * MSS, seq, old, 1);
	KUNIT_EXPECT_EQ(test, xs->snd_una, seq + 2 * MSS);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_RECV), recv + 1);
	/* and again, as duplicate ACKs: still nothing SACKed, nothing lost */
	for (i = 0; i < 3; i++)
		sack_ack(test, &p, seq + 2 * MSS, seq, old, 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_RECV), recv + 4);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	XTCP_EXPECT_NO_SEGMENT(test);

	/* a D-SACK of segment 3 within a block of 3 and 4: those two SACKed */
	sack_ack(test, &p, seq + 2 * MSS, seq, ofo, 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OFO_RECV),
			ofo_recv + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_RECV), recv + 4);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
}

/*
 * A connection with SACK on reno (ssthresh cwnd/2, so that the proportions
 * come out whole) with room for all that the tests write at once; the
 * SYN+ACK's options @o (NULL: the default, MSS and SACK-permitted).
 */
static struct socket *reno_established(struct kunit *test, struct xtcp_peer *p,
				       u16 port, const struct xtcp_options *o)
{
	struct socket *sock;
	struct sock *sk;

	xtcp_peer_init(p, port);
	sock = xtcp_test_established(test, p, o);
	sk = sock->sk;
	/* SACK as the SYN+ACK offers it */
	KUNIT_ASSERT_EQ(test, (bool)xtcp_sk(sk)->sack_ok,
			!o || (o->present & XTCP_OPTF_SACK_PERM));
	KUNIT_ASSERT_EQ(test, sock->ops->setsockopt(sock, SOL_TCP, TCP_CONGESTION,
						    KERNEL_SOCKPTR("reno"), 4), 0);
	lock_sock(sk);
	WRITE_ONCE(sk->sk_sndbuf, 1 << 20);
	sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	release_sock(sk);
	KUNIT_ASSERT_EQ(test, xtcp_sk(sk)->cc.cwnd, 10U);
	return sock;
}

static struct socket *prr_established(struct kunit *test, struct xtcp_peer *p,
				      u16 port)
{
	return reno_established(test, p, port, NULL);
}

/* The same with timestamps; the MSS option leaves room for them. */
static struct socket *ts_established(struct kunit *test, struct xtcp_peer *p,
				     u16 port)
{
	static const struct xtcp_options ts = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM |
			   XTCP_OPTF_TIMESTAMP,
		.mss = MSS + TCPOLEN_TSTAMP_ALIGNED,
	};
	struct socket *sock = reno_established(test, p, port, &ts);

	KUNIT_ASSERT_TRUE(test, xtcp_sk(sock->sk)->ts_ok);
	return sock;
}

/*
 * A long round trip, for the ACK of what is in flight not to be due for a
 * while: TSO deferral (tcp_tso_should_defer()) then holds nothing back that
 * the windows let go. The test's own round trips are microseconds.
 */
static void ack_not_due(struct xtcp_sock *xs)
{
	xs->rtt.srtt_us = 100 * USEC_PER_MSEC;
}

/* Exactly the segments @k (numbers from @seq) go out, in that order, full. */
static void expect_segs(struct kunit *test, struct xtcp_peer *p, u32 seq,
			const u32 *k, u32 n, int line)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct xtcp_pkt *pkt = xtcp_test_pop(test);

		KUNIT_ASSERT_NOT_NULL_MSG(test, pkt, "line %d: segment %u",
					  line, k[i]);
		KUNIT_EXPECT_EQ_MSG(test, pkt->seg.seq, seq + k[i] * MSS,
				    "line %d: segment %u", line, k[i]);
		KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, MSS);
	}
	KUNIT_EXPECT_EQ_MSG(test, xtcp_test_captured(), 0U,
			    "line %d: more segments than expected", line);
	while (xtcp_test_captured())
		xtcp_test_pop(test);
}

#define EXPECT_SEGS(test, p, seq, ...) do {				\
	const u32 k_[] = { __VA_ARGS__ };				\
	expect_segs(test, p, seq, k_, ARRAY_SIZE(k_), __LINE__);	\
} while (0)

/* An ACK of @una (segment number) SACKing segments [@from, @to). */
static void prr_ack(struct kunit *test, struct xtcp_peer *p, u32 seq, u32 una,
		    u32 from, u32 to)
{
	const u32 b[1][2] = { { from, to } };

	sack_ack(test, p, seq + una * MSS, seq, b, 1);
}

/*
 * Ten segments out, eight more written behind them (sent as the window
 * lets them), then SACKs of segments 1, 2 and 3 above the hole at 0: the
 * first two send segments 10 and 11 (Disorder), the third starts recovery
 * and sends the hole again. Returns the first segment's sequence number.
 */
static u32 sack_three_recovery(struct kunit *test, struct socket *sock,
			       struct xtcp_peer *p)
{
	struct xtcp_sock *xs = xtcp_sk(sock->sk);
	u32 seq = send_segments(test, sock, p, 10);

	ack_not_due(xs);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 8 * MSS, 0), (int)(8 * MSS));
	XTCP_EXPECT_NO_SEGMENT(test);
	prr_ack(test, p, seq, 0, 1, 2);
	EXPECT_SEGS(test, p, seq, 10);
	prr_ack(test, p, seq, 0, 1, 3);
	EXPECT_SEGS(test, p, seq, 11);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
	prr_ack(test, p, seq, 0, 1, 4);
	EXPECT_SEGS(test, p, seq, 0);
	return seq;
}

/*
 * Ten segments out, the first lost: SACKs of the second, of up to the third,
 * then of up to segment @last begin recovery and the hole goes again (its
 * retransmission alone, checked). Returns the first segment's sequence.
 */
static u32 one_hole_recovery(struct kunit *test, struct socket *sock,
			     struct xtcp_peer *p, u32 last)
{
	u32 seq = send_segments(test, sock, p, 10);

	prr_ack(test, p, seq, 0, 1, 2);
	prr_ack(test, p, seq, 0, 1, 3);
	prr_ack(test, p, seq, 0, 1, last);
	EXPECT_SEGS(test, p, seq, 0);
	return seq;
}

/*
 * Proportional Rate Reduction (RFC 6937), as Linux's tcp_cwnd_reduction():
 * ten segments in flight, the first lost, SACKs one by one, new data to send.
 * Each SACK before recovery lets one new segment out (the pipe fell below
 * cwnd). The third begins recovery: ssthresh 5 of a prior cwnd of 10, the
 * pipe above it, so the sender sends ceil(5/10 * delivered) - sent: the
 * fast retransmit, then one new segment per two SACKs. Once the pipe is
 * down to ssthresh, packet conservation: one for one. The ACK that ends
 * recovery leaves cwnd at ssthresh. Before, cwnd fell to ssthresh at once
 * and nothing went out till the pipe had drained below it.
 */
static void recovery_prr_proportional(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, i;

	sock = prr_established(test, &p, 44020);
	xs = xtcp_sk(sock->sk);
	seq = sack_three_recovery(test, sock, &p);
	/* pipe 8 > ssthresh 5: ceil(5 * 1 / 10) - 0 = 1, the retransmission */
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 5U);
	KUNIT_EXPECT_EQ(test, xs->prior_cwnd, 10U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 9U);
	KUNIT_EXPECT_EQ(test, xs->prr_delivered, 1U);
	KUNIT_EXPECT_EQ(test, xs->prr_out, 1U);

	/* one new segment per two SACKed: ceil(5 * d / 10) - prr_out */
	prr_ack(test, &p, seq, 0, 1, 5);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 8U);
	prr_ack(test, &p, seq, 0, 1, 6);
	EXPECT_SEGS(test, &p, seq, 12);
	prr_ack(test, &p, seq, 0, 1, 7);
	XTCP_EXPECT_NO_SEGMENT(test);
	prr_ack(test, &p, seq, 0, 1, 8);
	EXPECT_SEGS(test, &p, seq, 13);
	KUNIT_EXPECT_EQ(test, xs->prr_delivered, 5U);
	KUNIT_EXPECT_EQ(test, xs->prr_out, 3U);
	prr_ack(test, &p, seq, 0, 1, 9);
	XTCP_EXPECT_NO_SEGMENT(test);

	/* the pipe at ssthresh (5): nothing; below it, one for one */
	prr_ack(test, &p, seq, 0, 1, 10);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->packets_out - xs->sacked_out - xs->lost_out +
			xs->retrans_out, 5U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	for (i = 11; i <= 14; i++) {
		prr_ack(test, &p, seq, 0, 1, i);
		EXPECT_SEGS(test, &p, seq, i + 3);
		KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	}
	KUNIT_EXPECT_EQ(test, xs->prr_out, 7U);

	/* the retransmission arrives: recovery over, cwnd = ssthresh */
	p.ack = seq + 14 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 5U);
	XTCP_EXPECT_NO_SEGMENT(test);	/* no more data to send */
	KUNIT_EXPECT_EQ(test, xs->packets_out, 4U);
}

/*
 * PRR's slow-start reduction bound: six of ten segments lost, so that the
 * pipe (1) is far below ssthresh (5) when recovery begins. A SACK sends as
 * much as was delivered (one); an ACK that moves SND.UNA with no new loss
 * one more (two: slow start), never past ssthresh.
 */
static void recovery_prr_slow_start_bound(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = prr_established(test, &p, 44021);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 10);
	ack_not_due(xs);

	prr_ack(test, &p, seq, 0, 6, 7);
	prr_ack(test, &p, seq, 0, 6, 8);
	XTCP_EXPECT_NO_SEGMENT(test);
	prr_ack(test, &p, seq, 0, 6, 9);
	EXPECT_SEGS(test, &p, seq, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 6U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);		/* pipe 1 + 1 */
	/* new data now waits behind the holes */
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10 * MSS, 0), (int)(10 * MSS));
	XTCP_EXPECT_NO_SEGMENT(test);

	/* a SACK, SND.UNA still: as much as delivered */
	prr_ack(test, &p, seq, 0, 6, 10);
	EXPECT_SEGS(test, &p, seq, 1);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);

	/* ACKs of the repairs: delivered + 1 each, slow start */
	prr_ack(test, &p, seq, 1, 6, 10);
	EXPECT_SEGS(test, &p, seq, 2, 3);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 3U);
	prr_ack(test, &p, seq, 2, 6, 10);
	EXPECT_SEGS(test, &p, seq, 4, 5);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 4U);
	prr_ack(test, &p, seq, 3, 6, 10);
	EXPECT_SEGS(test, &p, seq, 10, 11);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);

	/* ssthresh reached: the bound holds it there, one for one */
	prr_ack(test, &p, seq, 4, 6, 10);
	EXPECT_SEGS(test, &p, seq, 12);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	prr_ack(test, &p, seq, 5, 6, 10);
	EXPECT_SEGS(test, &p, seq, 13);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);

	/* all that was in flight when it began: over, cwnd = ssthresh */
	ack_not_due(xs);
	p.ack = seq + 10 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	EXPECT_SEGS(test, &p, seq, 14);
}


/*
 * Undo by the timestamps (tcp_try_undo_recovery(), tcp_packet_delayed()):
 * the ACK that ends recovery echoes a TSval older than the retransmission's
 * (retrans_stamp): the original arrived, the reduction was spurious. Reno's
 * undo_cwnd gives back the window before (10), ssthresh its value before
 * (infinite), and slow start goes on from there (17). TCPFullUndo. Before,
 * cwnd stayed at ssthresh (5).
 */
static void recovery_undo_timestamps(struct kunit *test)
{
	long full = xtcp_test_stat(XTCP_STAT_FULL_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = ts_established(test, &p, 44022);
	xs = xtcp_sk(sock->sk);
	seq = one_hole_recovery(test, sock, &p, 4);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, seq);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 1);
	KUNIT_EXPECT_EQ(test, xs->prior_ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_ASSERT_NE(test, xs->retrans_stamp, 0U);

	p.tsecr = xs->retrans_stamp - 1;
	p.ack = seq + 10 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 17U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_FULL_UNDO), full + 1);
}

/*
 * Undo by D-SACK after recovery ended (tcp_check_dsack()'s count of
 * undo_retrans, tcp_try_undo_dsack()). Without timestamps the ACK that ends
 * recovery proves nothing: cwnd = ssthresh = 5, five new segments go. A
 * D-SACK of the retransmission then shows it was not needed: cwnd back to
 * 10, ssthresh infinite, the other five go. TCPDSACKUndo. A second D-SACK
 * of it undoes nothing more (the marker is gone).
 */
static void recovery_undo_dsack(struct kunit *test)
{
	static const u32 dsack[][2] = { { 0, 1 } };
	long full = xtcp_test_stat(XTCP_STAT_FULL_UNDO);
	long dundo = xtcp_test_stat(XTCP_STAT_DSACK_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = prr_established(test, &p, 44023);
	xs = xtcp_sk(sock->sk);
	seq = one_hole_recovery(test, sock, &p, 10);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);

	p.ack = seq + 10 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 5U);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_FULL_UNDO), full);
	ack_not_due(xs);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10 * MSS, 0), (int)(10 * MSS));
	EXPECT_SEGS(test, &p, seq, 10, 11, 12, 13, 14);

	sack_ack(test, &p, seq + 10 * MSS, seq, dsack, 1);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 0);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 10U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_UNDO), dundo + 1);
	EXPECT_SEGS(test, &p, seq, 15, 16, 17, 18, 19);

	sack_ack(test, &p, seq + 10 * MSS, seq, dsack, 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_UNDO), dundo + 1);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 10U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * D-SACKs of segments still queued (tcp_sacktag_one() with dup_sack): two
 * holes, the first and third segments, both sent again (undo_retrans 2).
 * The third's original fills its hole, then its copy is reported twice
 * inside the SACKed range (TCPDSACKOfoRecv): that retransmission is off
 * undo_retrans (1), and the segment, SACKed before, arrived twice: reordering
 * from it to the highest SACK, eight segments. The ACK that ends recovery
 * undoes nothing (one retransmission unreported): cwnd 5. The D-SACK of the
 * first then comes with nothing in flight (tcp_ack()'s no_queue path): undone
 * in the Open state, cwnd 10, TCPDSACKUndo.
 */
static void recovery_undo_dsack_in_window(struct kunit *test)
{
	static const u32 holes[][2] = { { 1, 2 }, { 3, 10 } };
	static const u32 ofo[][2] = { { 2, 3 }, { 1, 10 } };
	static const u32 first[][2] = { { 0, 1 } };
	long ofo_recv = xtcp_test_stat(XTCP_STAT_DSACK_OFO_RECV);
	long dundo = xtcp_test_stat(XTCP_STAT_DSACK_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = prr_established(test, &p, 44041);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 10);
	ack_not_due(xs);
	sack_ack(test, &p, seq, seq, holes, 2);
	EXPECT_SEGS(test, &p, seq, 0, 2);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 2);
	KUNIT_EXPECT_EQ(test, xs->reordering, 3U);

	prr_ack(test, &p, seq, 0, 1, 10);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 2);
	sack_ack(test, &p, seq, seq, ofo, 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_OFO_RECV),
			ofo_recv + 1);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 1);
	KUNIT_EXPECT_EQ(test, xs->reordering, 8U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.ack = seq + 10 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, seq);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);

	sack_ack(test, &p, seq + 10 * MSS, seq, first, 1);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 0);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 10U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_DSACK_UNDO), dundo + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The ACK that ends recovery D-SACKs the retransmission it acknowledges
 * (its ACK of the original was lost): the segment is still queued when
 * Linux tags the blocks, so tcp_sacktag_one() counts it (undo_retrans 0) and
 * tcp_try_undo_recovery() undoes at once: cwnd 10, then slow start by the
 * two delivered (the segment and its copy), 12; TCPFullUndo. A D-SACK of
 * segments never sent again counts for nothing.
 */
static void recovery_undo_dsack_acked(struct kunit *test)
{
	static const u32 dsack[][2] = { { 0, 1 } };
	long full = xtcp_test_stat(XTCP_STAT_FULL_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = prr_established(test, &p, 44042);
	xs = xtcp_sk(sock->sk);
	seq = one_hole_recovery(test, sock, &p, 10);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 1);

	sack_ack(test, &p, seq + 10 * MSS, seq, dsack, 1);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 12U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_FULL_UNDO), full + 1);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10 * MSS, 0), (int)(10 * MSS));
	EXPECT_SEGS(test, &p, seq, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);

	/* again, but the D-SACK names a segment sent once: no undo */
	p.ack = seq + 20 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, send_segments(test, sock, &p, 10), seq + 20 * MSS);
	prr_ack(test, &p, seq, 20, 21, 22);
	prr_ack(test, &p, seq, 20, 21, 23);
	prr_ack(test, &p, seq, 20, 21, 30);
	EXPECT_SEGS(test, &p, seq, 20);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	{
		static const u32 once[][2] = { { 21, 22 } };

		sack_ack(test, &p, seq + 30 * MSS, seq, once, 1);
	}
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->undo_retrans, 1);
	KUNIT_EXPECT_NE(test, xs->undo_marker, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_FULL_UNDO), full + 1);
}

/*
 * A partial ACK whose echo is older than the retransmission
 * (tcp_try_undo_partial()): the hole was filled by the original. With the
 * retransmission acknowledged too, none is left in flight: undone, nothing
 * lost, open again. TCPPartialUndo. The hole filled late is reordering up to
 * what the ACK delivered, four segments (tcp_check_sack_reordering(sk,
 * prior_snd_una, 1)): reordering 4, one event, TCPTSReorder.
 */
static void recovery_undo_partial(struct kunit *test)
{
	long partial = xtcp_test_stat(XTCP_STAT_PARTIAL_UNDO);
	long tsreord = xtcp_test_stat(XTCP_STAT_TS_REORDER);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = ts_established(test, &p, 44024);
	xs = xtcp_sk(sock->sk);
	seq = one_hole_recovery(test, sock, &p, 4);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 7U);

	p.tsecr = xs->retrans_stamp - 1;
	p.ack = seq + 4 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->undo_marker, 0U);
	/* the window before, 10, then slow start by the one delivered */
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 11U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PARTIAL_UNDO),
			partial + 1);
	KUNIT_EXPECT_EQ(test, xs->reordering, 4U);
	KUNIT_EXPECT_EQ(test, xs->reord_seen, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_TS_REORDER), tsreord + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Reordering judged by a cumulative ACK in the Loss state, as
 * tcp_clean_rtx_queue() judges it in every state: the fifth segment SACKed,
 * a time-out, then an ACK of the first two. The first went again after the
 * time-out (ever retransmitted: its copies prove nothing); the second never
 * did and came after the fifth: reordering 4 (from its start to the highest
 * SACK), one event, TCPSACKReorder. Before, xtcp judged none in Loss.
 */
static void recovery_reorder_after_timeout(struct kunit *test)
{
	long sackreord = xtcp_test_stat(XTCP_STAT_SACK_REORDER);
	long reord = xtcp_test_stat(XTCP_STAT_REORDER);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_peer_init(&p, 44028);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 5);
	dup_ack(test, &p, seq, seq + 4 * MSS, seq + 5 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->reordering, 3U);
	KUNIT_EXPECT_EQ(test, xs->reord_seen, 0U);

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq);
	KUNIT_ASSERT_EQ(test, xs->ca_state, XTCP_CA_LOSS);

	p.ack = seq + 2 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->reordering, 4U);
	KUNIT_EXPECT_EQ(test, xs->reord_seen, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SACK_REORDER),
			sackreord + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_REORDER), reord + 1);
	/* what the Loss state sends next is the time-out cases' concern */
	while (xtcp_test_captured())
		xtcp_test_pop(test);
}

/*
 * A segment sent again, then reported by a SACK below the highest one, is
 * not reordering (TCPCB_RETRANS in tcp_sacktag_one()): its SACK may be for
 * the copy. Three SACKed above the head: recovery, the head sent again;
 * then the head SACKed below them (a D-SACK-less SACK of the copy): the
 * reordering stays 3, no event.
 */
static void recovery_reorder_not_by_retransmission(struct kunit *test)
{
	static const u32 blocks[][2] = { { 0, 1 }, { 1, 4 } };
	long sackreord = xtcp_test_stat(XTCP_STAT_SACK_REORDER);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_peer_init(&p, 44029);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 5);
	dup_ack(test, &p, seq, seq + MSS, seq + 2 * MSS);
	dup_ack(test, &p, seq, seq + MSS, seq + 3 * MSS);
	dup_ack(test, &p, seq, seq + MSS, seq + 4 * MSS);
	expect_retransmit(test, &p, seq);
	KUNIT_ASSERT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);

	sack_ack(test, &p, seq, seq, blocks, 2);
	KUNIT_EXPECT_EQ(test, xs->reordering, 3U);
	KUNIT_EXPECT_EQ(test, xs->reord_seen, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SACK_REORDER), sackreord);
	while (xtcp_test_captured())
		xtcp_test_pop(test);
}

/*
 * NewReno (no SACK) holds recovery at an ACK of exactly its recovery point,
 * PRR still sizing cwnd, and a duplicate ACK there counts for nothing (RFC
 * 6582 §3.2 step 3, tcp_try_undo_recovery()); the next ACK above ends it with
 * cwnd = ssthresh. No undo: the retransmission was needed. Before, recovery
 * ended at the recovery point.
 */
static void recovery_newreno_holds_at_recovery_point(struct kunit *test)
{
	static const struct xtcp_options mss_only = {
		.present = XTCP_OPTF_MSS,
		.mss = MSS,
	};
	long full = xtcp_test_stat(XTCP_STAT_FULL_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = reno_established(test, &p, 44025, &mss_only);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_FALSE(test, xs->sack_ok);
	seq = send_segments(test, sock, &p, 6);
	dup_ack(test, &p, seq, 0, 0);
	dup_ack(test, &p, seq, 0, 0);
	dup_ack(test, &p, seq, 0, 0);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 6 * MSS);

	p.ack = seq + 6 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 2 * MSS, 0), (int)(2 * MSS));
	EXPECT_SEGS(test, &p, seq, 6, 7);

	dup_ack(test, &p, seq + 6 * MSS, 0, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.ack = seq + 7 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 5U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 5U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_FULL_UNDO), full);
}

/*
 * RACK's reordering window (tcp_rack_reo_wnd()): a quarter of the minimum
 * RTT per step, at most the smoothed RTT; none without reordering seen in
 * recovery or with DupThresh segments SACKed, whatever the steps.
 */
static void recovery_rack_reo_wnd(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 1, 0, false,
						   false), 25000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 1, 0, true,
						   false), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 3, 0, false,
						   true), 0U);
	/* reordering seen: the window holds in recovery, D-SACK steps widen it */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 1, 1, true,
						   true), 25000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 3, 1, false,
						   false), 75000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd_us(100000, 120000, 9, 1, false,
						   false), 120000U);
}

/*
 * RACK (net.ipv4.tcp_recovery 1): one SACK above the head, below DupThresh,
 * marks nothing yet; RACK's timer takes the RTO's place, due in its round
 * trip plus a quarter of the minimum RTT (25 ms here) plus 2 ms, less the
 * time since the head went. When it fires with that time past, the head is
 * lost (tcp_rack_reo_timeout()): fast recovery, the head again (PRR lets one
 * out), and the RTO back in its place. With net.ipv4.tcp_recovery 0 the
 * same SACK arms nothing.
 */
static void recovery_rack_reo_timer(struct kunit *test)
{
	long sackrec = xtcp_test_stat(XTCP_STAT_SACK_RECOVERY);
	struct sk_buff *skb;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, left;
	int bits;

	for (bits = 0; bits <= 1; bits++) {
		xtcp_test_sysctl(test, &xtcp_net(&init_net)->recovery, bits);
		xtcp_peer_init(&p, 44030 + bits);
		sock = xtcp_test_established(test, &p, NULL);
		xs = xtcp_sk(sock->sk);
		KUNIT_ASSERT_TRUE(test, xs->sack_ok);
		lock_sock(sock->sk);
		xs->rtt.srtt_us = 100000;
		minmax_reset(&xs->rtt.min, (u32)jiffies, ~100000U);
		release_sock(sock->sk);
		seq = send_segments(test, sock, &p, 2);
		/*
		 * sent 100 ms ago: the SACK's round trip (the rate sample's,
		 * which feeds the minimum as tcp_ack_update_rtt() does) is
		 * then no shorter than the minimum set above
		 */
		lock_sock(sock->sk);
		for (skb = xtcp_rtx_head(sock->sk); skb; skb = xtcp_rtx_next(skb))
			XTCP_SKB_CB(skb)->tx_ns -= 100 * NSEC_PER_MSEC;
		release_sock(sock->sk);

		dup_ack(test, &p, seq, seq + MSS, seq + 2 * MSS);
		XTCP_EXPECT_NO_SEGMENT(test);
		KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
		KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
		if (!bits) {
			KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_REO));
			continue;
		}
		KUNIT_ASSERT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_REO));
		KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
		KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
		left = xtcp_timer_left_ms(xs, XTCP_TIMER_REO);
		KUNIT_EXPECT_GT(test, left, 5U);
		KUNIT_EXPECT_LE(test, left, 35U);

		/* as if the head went a second ago: its time is past */
		lock_sock(sock->sk);
		XTCP_SKB_CB(xtcp_rtx_head(sock->sk))->tx_ns -= NSEC_PER_SEC;
		release_sock(sock->sk);
		xtcp_test_fire(test, sock->sk, XTCP_TIMER_REO);
		expect_retransmit(test, &p, seq);
		KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_REO));
		KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
		KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
		KUNIT_EXPECT_EQ(test, xs->lost_out, 1U);
		KUNIT_EXPECT_EQ(test, xs->retrans_out, 1U);
		KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SACK_RECOVERY),
				sackrec + 1);
	}
}

/*
 * A retransmission lost again (tcp_mark_skb_lost()): the head, sent again
 * in recovery, is found lost once a segment sent after it is SACKed and
 * RACK's time for it passed; it leaves retrans_out, counted in
 * TCPLostRetransmit, and goes a third time.
 */
static void recovery_rack_lost_retransmit(struct kunit *test)
{
	long lostre = xtcp_test_stat(XTCP_STAT_LOST_RETRANSMIT);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->recovery, 1);
	xtcp_peer_init(&p, 44032);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 4);
	/* three SACKed: RACK's window is 0, the head is lost at once */
	dup_ack(test, &p, seq, seq + MSS, seq + 4 * MSS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, 1U);

	/* new data after it, SACKed; the retransmission as if long ago */
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, MSS, 0), (int)MSS);
	while (xtcp_test_pop(test))
		;
	lock_sock(sock->sk);
	XTCP_SKB_CB(xtcp_rtx_head(sock->sk))->tx_ns -= NSEC_PER_SEC;
	XTCP_SKB_CB(xtcp_rtx_tail(sock->sk))->tx_ns = ktime_get_ns();
	release_sock(sock->sk);
	KUNIT_ASSERT_EQ(test, xs->snd_nxt, seq + 5 * MSS);
	dup_ack(test, &p, seq, seq + MSS, seq + 5 * MSS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOST_RETRANSMIT),
			lostre + 1);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, 1U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1U);
}

static void tlp_setup(struct kunit *test, struct socket *sock);

/* The states kunit_ca's set_state() was called with, in order. */
static u8 ca_states[8];
static int ca_state_calls;
static bool ca_registered;	/* state_ops is in the list */

static void record_set_state(struct sock *sk, u8 new_state)
{
	if (ca_state_calls < (int)ARRAY_SIZE(ca_states))
		ca_states[ca_state_calls] = new_state;
	ca_state_calls++;
}

/* Reno, and the states it is told of */
static struct xtcp_congestion_ops state_ops = {
	.name		= "kunit_ca",
	.api_version	= XTCP_CONG_API_VERSION,
	.ssthresh	= xtcp_reno_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
	.set_state	= record_set_state,
};

/* prr_established(), under kunit_ca, no state recorded yet */
static struct socket *state_established(struct kunit *test,
					struct xtcp_peer *p, u16 port)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, xtcp_register_congestion_control(&state_ops), 0);
	ca_registered = true;
	sock = prr_established(test, p, port);
	KUNIT_ASSERT_EQ(test, sock->ops->setsockopt(sock, SOL_TCP, TCP_CONGESTION,
						    KERNEL_SOCKPTR("kunit_ca"), 8), 0);
	ca_state_calls = 0;
	return sock;
}

/* The state TCP_INFO reports (tcpi_ca_state) */
static int info_ca_state(struct socket *sock)
{
	struct tcp_info info;

	xtcp_get_info(sock->sk, &info, NULL);
	return info.tcpi_ca_state;
}

/*
 * Linux's Disorder state (tcp_try_keep_open()): a SACK of the third
 * segment, the first two not in, starts no recovery (one SACKed, DupThresh 3)
 * but leaves Open: the congestion control hears TCP_CA_Disorder, TCP_INFO
 * reports it, high_seq is SND.NXT and cwnd stays. An ACK that moves SND.UNA
 * with a segment still SACKed stays there and arms the RTO, not a loss
 * probe (tcp_schedule_loss_probe() wants Open or CWR). The ACK that leaves
 * nothing SACKed, lost or sent again is Open again, and a probe is
 * scheduled. Loss probes on, with timer_tlp_last_segment's slow RTT.
 */
static void recovery_disorder_open(struct kunit *test)
{
	static const u32 third[][2] = { { 2, 3 } };
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = state_established(test, &p, 44060);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	seq = send_segments(test, sock, &p, 4);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Open);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));

	dup_ack(test, &p, seq, seq + 2 * MSS, seq + 3 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Disorder);
	KUNIT_EXPECT_EQ(test, ca_state_calls, 1);
	KUNIT_EXPECT_EQ(test, ca_states[0], TCP_CA_Disorder);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 4 * MSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 10U);

	/* the first in, the second still missing, the third SACKed */
	sack_ack(test, &p, seq + MSS, seq, third, 1);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
	KUNIT_EXPECT_EQ(test, ca_state_calls, 1);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 1U);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));

	/* the second in: nothing SACKed, lost or sent again */
	p.ack = seq + 3 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Open);
	KUNIT_EXPECT_EQ(test, ca_state_calls, 2);
	KUNIT_EXPECT_EQ(test, ca_states[1], TCP_CA_Open);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0U);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));

	/* Open stays Open: the algorithm hears nothing more */
	p.ack = seq + 4 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, ca_state_calls, 2);
}

/*
 * Recovery ends when its recovery point is ACKed (tcp_try_undo_recovery():
 * Open); with a segment sent since SACKed above it, tcp_try_to_open() then
 * makes it Disorder at once: the congestion control hears Disorder,
 * Recovery, Open, Disorder, then Open when all is ACKed. The flow is
 * recovery_prr_proportional's.
 */
static void recovery_ends_in_disorder(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = state_established(test, &p, 44061);
	xs = xtcp_sk(sock->sk);
	seq = sack_three_recovery(test, sock, &p);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Recovery);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 12 * MSS);
	prr_ack(test, &p, seq, 0, 1, 5);
	XTCP_EXPECT_NO_SEGMENT(test);
	prr_ack(test, &p, seq, 0, 1, 6);
	EXPECT_SEGS(test, &p, seq, 12);
	prr_ack(test, &p, seq, 0, 1, 7);
	XTCP_EXPECT_NO_SEGMENT(test);
	prr_ack(test, &p, seq, 0, 1, 8);
	EXPECT_SEGS(test, &p, seq, 13);

	/* the recovery point ACKed, segment 13 SACKed beyond it */
	prr_ack(test, &p, seq, 12, 13, 14);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_DISORDER);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Disorder);
	KUNIT_EXPECT_GE(test, xs->cc.cwnd, xs->cc.ssthresh);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 14 * MSS);
	KUNIT_ASSERT_EQ(test, ca_state_calls, 4);
	KUNIT_EXPECT_EQ(test, ca_states[0], TCP_CA_Disorder);
	KUNIT_EXPECT_EQ(test, ca_states[1], TCP_CA_Recovery);
	KUNIT_EXPECT_EQ(test, ca_states[2], TCP_CA_Open);
	KUNIT_EXPECT_EQ(test, ca_states[3], TCP_CA_Disorder);
	while (xtcp_test_pop(test))
		;	/* what the window lets go now */

	p.ack = xs->snd_nxt;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, info_ca_state(sock), TCP_CA_Open);
	KUNIT_EXPECT_EQ(test, ca_state_calls, 5);
	KUNIT_EXPECT_EQ(test, ca_states[4], TCP_CA_Open);
}

static struct kunit_case recovery_cases[] = {
	KUNIT_CASE(recovery_sack_fast_retransmit),
	KUNIT_CASE(recovery_sack_reneging),
	KUNIT_CASE(recovery_three_dupacks),
	KUNIT_CASE(recovery_dupack_with_text_not_counted),
	KUNIT_CASE(recovery_sack_walk_bounded),
	KUNIT_CASE(recovery_sack_alternating_blocks),
	KUNIT_CASE(recovery_dsack_marks_nothing),
	KUNIT_CASE(recovery_prr_proportional),
	KUNIT_CASE(recovery_prr_slow_start_bound),
	KUNIT_CASE(recovery_undo_timestamps),
	KUNIT_CASE(recovery_undo_dsack),
	KUNIT_CASE(recovery_undo_dsack_in_window),
	KUNIT_CASE(recovery_undo_dsack_acked),
	KUNIT_CASE(recovery_undo_partial),
	KUNIT_CASE(recovery_reorder_after_timeout),
	KUNIT_CASE(recovery_reorder_not_by_retransmission),
	KUNIT_CASE(recovery_newreno_holds_at_recovery_point),
	KUNIT_CASE(recovery_rack_reo_wnd),
	KUNIT_CASE(recovery_rack_reo_timer),
	KUNIT_CASE(recovery_rack_lost_retransmit),
	KUNIT_CASE(recovery_disorder_open),
	KUNIT_CASE(recovery_ends_in_disorder),
	{}
};

/*
 * The cases before the RACK ones are of the classic rules (DupThresh,
 * RFC 6675's IsLost), which Linux keeps for net.ipv4.tcp_recovery 0: RACK's
 * reordering window, a quarter of KUnit's minimum RTT of a jiffy, would
 * race the debug kernel's pace. The RACK cases set it to 1.
 */
static int recovery_test_init(struct kunit *test)
{
	int err = xtcp_test_init(test);

	if (!err)
		xtcp_test_sysctl(test, &xtcp_net(&init_net)->recovery, 0);
	return err;
}

/*
 * After each case, pass or fail: kunit_ca leaves the list (sockets that
 * still use it are released after, with the case's resources).
 */
static void recovery_test_exit(struct kunit *test)
{
	if (ca_registered)
		xtcp_unregister_congestion_control(&state_ops);
	ca_registered = false;
}

static struct kunit_suite recovery_suite = {
	.name = "xtcp_pkt_recovery",
	.init = recovery_test_init,
	.exit = recovery_test_exit,
	.test_cases = recovery_cases,
};

/*
 * The retransmission timer (RFC 6298 §5.4-5.6): the oldest segment goes
 * again, alone (cwnd 1, the window lost), the RTO doubles; the ACK for it
 * lets the next lost one go (slow start).
 */
static void timer_rto_retransmits(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	long retrans;
	u32 seq, rto;

	xtcp_peer_init(&p, 44010);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 3);
	rto = xs->rto_ms;
	retrans = xtcp_test_stat(XTCP_STAT_RETRANS_SEGS);

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, xs->rto_ms, 2 * rto);
	KUNIT_EXPECT_EQ(test, xs->retries, 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 3U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RETRANS_SEGS), retrans + 1);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));

	p.ack = seq + MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->retries, 0);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);
	/* two lost ones, cwnd 2: both go */
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, seq + MSS, p.seq);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK |
					       XTCP_FLAG_PSH),
			XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + 2 * MSS, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A time-out the timestamps prove spurious (tcp_process_loss() calls
 * tcp_try_undo_loss()): the ACK of all echoes a TSval older than the
 * retransmission. Nothing is lost, cwnd goes back from 1 to the window
 * before (10, reno's undo_cwnd), ssthresh to infinite, and with SACK the
 * connection is open at once; slow start from 10 by the five delivered.
 * TCPLossUndo. Before, cwnd grew from 1.
 */
static void timer_rto_spurious_undo(struct kunit *test)
{
	long lundo = xtcp_test_stat(XTCP_STAT_LOSS_UNDO);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	sock = ts_established(test, &p, 44026);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 5);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, 5U);
	KUNIT_EXPECT_EQ(test, xs->prior_cwnd, 10U);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 5U);
	KUNIT_ASSERT_NE(test, xs->retrans_stamp, 0U);

	p.tsecr = xs->retrans_stamp - 1;
	p.ack = seq + 5 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 15U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_UNDO), lundo + 1);
}

/*
 * F-RTO's start (RFC 5682 §3.1 steps 1 and 2b, as tcp_enter_loss() and
 * tcp_process_loss() run it, net.xtcp.frto 2): five segments out, the RTO
 * sends the first again and two more written wait behind cwnd 1. The ACK
 * of the retransmission, short of the recovery point, lets those two new
 * segments go (cwnd 2 by slow start), not the next two lost ones, and makes
 * SND.NXT before them the recovery point. Returns the first segment's
 * sequence number.
 */
static u32 frto_start(struct kunit *test, struct socket *sock,
		      struct xtcp_peer *p)
{
	struct xtcp_sock *xs = xtcp_sk(sock->sk);
	u32 seq;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->frto, 2);
	seq = send_segments(test, sock, p, 5);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, p, seq);
	KUNIT_EXPECT_TRUE(test, xs->frto);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 1U);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 2 * MSS, 0), 2 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);

	p->ack = seq + MSS;
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);
	KUNIT_EXPECT_EQ(test, xs->high_seq, seq + 5 * MSS);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, seq + 5 * MSS, p->seq);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK |
					       XTCP_FLAG_PSH),
			XTCP_FLAG_ACK | XTCP_FLAG_PSH, seq + 6 * MSS, p->seq);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, xs->frto);
	/*
	 * the real retransmission timer stays armed: in a slow guest it could
	 * fire before the case's next ACK, a second time-out the case did not
	 * ask for (seen once); the cases fire it themselves when they mean to
	 */
	lock_sock(sock->sk);
	xs->timer_due[XTCP_TIMER_RETRANS] = ktime_get_ns() + 3600 * NSEC_PER_SEC;
	release_sock(sock->sk);
	return seq;
}

/*
 * F-RTO finds the time-out spurious (step 3b, tcp_try_undo_loss(sk, true)):
 * after new data went, an ACK covers segments sent only once. Undone
 * without timestamps: nothing lost, Open, reno's cwnd back to 10 and slow
 * start by the two delivered, ssthresh infinite again; TCPLossUndo and
 * TCPSpuriousRTOs. Nothing goes again.
 */
static void timer_rto_frto_spurious(struct kunit *test)
{
	long lundo = xtcp_test_stat(XTCP_STAT_LOSS_UNDO);
	long spurious = xtcp_test_stat(XTCP_STAT_SPURIOUS_RTOS);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_peer_init(&p, 44050);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = frto_start(test, sock, &p);

	p.ack = seq + 3 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 12U);
	KUNIT_EXPECT_EQ(test, xs->retries, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_UNDO), lundo + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SPURIOUS_RTOS),
			spurious + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * F-RTO finds the loss real (step 3a): after new data went, the peer SACKs
 * only that. F-RTO ends, and the conventional recovery repairs the oldest
 * hole (the pipe 1 under cwnd 2); no undo, nothing counted.
 */
static void timer_rto_frto_real_loss(struct kunit *test)
{
	long lundo = xtcp_test_stat(XTCP_STAT_LOSS_UNDO);
	long spurious = xtcp_test_stat(XTCP_STAT_SPURIOUS_RTOS);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_peer_init(&p, 44051);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = frto_start(test, sock, &p);

	dup_ack(test, &p, seq + MSS, seq + 5 * MSS, seq + 6 * MSS);
	KUNIT_EXPECT_FALSE(test, xs->frto);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);
	expect_retransmit(test, &p, seq + MSS);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_UNDO), lundo);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SPURIOUS_RTOS), spurious);
}

/*
 * net.xtcp.frto 0: the conventional recovery. The ACK of the retransmission
 * lets the next two lost segments go, not the two new ones written.
 */
static void timer_rto_frto_off(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->frto, 0);
	xtcp_peer_init(&p, 44052);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	seq = send_segments(test, sock, &p, 5);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_FALSE(test, xs->frto);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 2 * MSS, 0), 2 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.ack = seq + MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, 2U);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, seq + MSS, p.seq);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, seq + 2 * MSS, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* SYN-SENT: the SYN goes again with the same ISN (RFC 9293 §3.8.1). */
static void timer_syn_retransmit(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *syn;
	long retrans;

	xtcp_peer_init(&p, 44011);
	sock = xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	retrans = xtcp_test_stat(XTCP_STAT_RETRANS_SEGS);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_SYN),
			XTCP_FLAG_SYN, syn->seg.seq, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RETRANS_SEGS), retrans + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rto_ms, 2000U);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_SYN_SENT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* SYN-RECV: the request sends its SYN+ACK again. */
static void timer_synack_retransmit(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock;
	struct xtcp_pkt *synack;
	struct xtcp_request *req;

	xtcp_peer_init(&p, 44012);
	lsock = xtcp_test_listener(test, 8, &p);
	xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0);
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	req = xtcp_test_request(test, lsock->sk);
	xtcp_req_fire(req);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_SYN |
					       XTCP_FLAG_ACK),
			XTCP_FLAG_SYN | XTCP_FLAG_ACK, synack->seg.seq, p.seq);
	KUNIT_EXPECT_EQ(test, (int)xtcp_req_sk(req)->sk_state,
			XTCP_NEW_SYN_RECV);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * TCP_USER_TIMEOUT spent with data unacknowledged: the next expiry aborts
 * the connection with ETIMEDOUT, counted in TCPAbortOnTimeout.
 */
static void timer_user_timeout_aborts(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	long aborts;

	xtcp_peer_init(&p, 44013);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP,
						   TCP_USER_TIMEOUT, 1), 0);
	send_segments(test, sock, &p, 1);
	aborts = xtcp_test_stat(XTCP_STAT_ABORT_ON_TIMEOUT);
	/* stalled for 10 ms already: no need to wait for it */
	lock_sock(sock->sk);
	xtcp_sk(sock->sk)->stall_start_ns -= 10 * NSEC_PER_MSEC;
	release_sock(sock->sk);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ABORT_ON_TIMEOUT),
			aborts + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* The peer shuts its window: an ACK of what it has, window 0. */
static void shut_window(struct kunit *test, struct xtcp_peer *p)
{
	p->window = 0;
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
}

/*
 * The RTO fires on @sk; the peer answers what went out with a shut window.
 * A socket that gives up sends nothing (tcp_write_err() sends no RST).
 */
static void probe_answered(struct kunit *test, struct sock *sk,
			   struct xtcp_peer *p)
{
	xtcp_test_fire(test, sk, XTCP_TIMER_RETRANS);
	if (sk->sk_state == XTCP_CLOSE) {
		XTCP_EXPECT_NO_SEGMENT(test);
		return;
	}
	KUNIT_EXPECT_GT(test, xtcp_test_captured(), 0U);
	while (xtcp_test_captured())
		xtcp_test_pop(test);
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
}

/*
 * A peer that answers every probe and keeps its window shut: a socket the
 * program holds probes on for as long as it answers (RFC 9293 §3.8.6.1); an
 * orphan (closed with data unsent, in FIN-WAIT-1) gives up once its RTO has
 * backed off to the maximum, as tcp_probe_timer() gives up an orphan with
 * tcp_orphan_retries 0, instead of holding its buffers for ever.
 */
static void timer_orphan_zero_window_gives_up(struct kunit *test)
{
	long aborts = xtcp_test_stat(XTCP_STAT_ABORT_ON_TIMEOUT);
	struct socket *sock, *held;
	struct xtcp_peer p, q;
	struct sock *sk;
	int fires;

	xtcp_peer_init(&p, 44030);
	sock = xtcp_test_established(test, &p, NULL);
	xtcp_peer_init(&q, 44031);
	held = xtcp_test_established(test, &q, NULL);
	shut_window(test, &p);
	shut_window(test, &q);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(held, 1000, 0), 1000);
	XTCP_EXPECT_NO_SEGMENT(test);
	sk = xtcp_test_close(test, sock);
	KUNIT_EXPECT_EQ(test, (int)sk->sk_state, XTCP_FIN_WAIT1);

	for (fires = 0; fires < 30 && sk->sk_state != XTCP_CLOSE; fires++) {
		probe_answered(test, sk, &p);
		probe_answered(test, held->sk, &q);
	}
	KUNIT_EXPECT_EQ(test, (int)sk->sk_state, XTCP_CLOSE);
	/* 200 ms doubled to 120 s takes ten; the next fire gives up */
	KUNIT_EXPECT_LE(test, fires, 14);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ABORT_ON_TIMEOUT),
			aborts + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(held->sk)->rto_ms, (u32)XTCP_RTO_MAX_MS);
	for (; fires < 30; fires++)
		probe_answered(test, held->sk, &q);
	KUNIT_EXPECT_EQ(test, (int)held->sk->sk_state, XTCP_ESTABLISHED);
}

/*
 * The probe timer with nothing in flight (tcp_write_wakeup()): into a shut
 * window a bare ACK one below SND.UNA goes, the data stays unsent, and the
 * next comes after twice the time-out (TCPWinProbe counts them); a window
 * that takes part of the send head gets that part, with PSH; a window that
 * takes the rest releases it at once, the back-off forgotten (tcp_ack_probe()).
 */
static void timer_zero_window_probe(struct kunit *test)
{
	long probes = xtcp_test_stat(XTCP_STAT_WIN_PROBE);
	struct socket *sock, *held;
	struct xtcp_peer p, q;
	struct xtcp_pkt *pkt;
	struct xtcp_sock *xs;
	struct sock *sk;
	u32 una, rto;

	xtcp_peer_init(&p, 44032);
	sock = xtcp_test_established(test, &p, NULL);
	sk = sock->sk;
	xs = xtcp_sk(sk);
	shut_window(test, &p);
	una = xs->snd_una;
	rto = xs->rto_ms;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	XTCP_EXPECT_NO_SEGMENT(test);

	xtcp_test_fire(test, sk, XTCP_TIMER_RETRANS);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	XTCP_EXPECT_SEG(test, pkt, XTCP_FLAG_ACK, una - 1, p.seq);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, una);	/* nothing sent */
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_WIN_PROBE), probes + 1);
	KUNIT_EXPECT_GT(test, xtcp_timer_left_ms(xs, XTCP_TIMER_RETRANS), rto);

	/* the peer answers, its window still shut: a second probe, then 300 bytes */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	xtcp_test_fire(test, sk, XTCP_TIMER_RETRANS);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	XTCP_EXPECT_SEG(test, pkt, XTCP_FLAG_ACK, una - 1, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_WIN_PROBE), probes + 2);
	p.window = 300;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);	/* 1000 bytes do not fit */
	xtcp_test_fire(test, sk, XTCP_TIMER_RETRANS);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	XTCP_EXPECT_SEG(test, pkt, XTCP_FLAG_ACK | XTCP_FLAG_PSH, una, p.seq);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 300U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_WIN_PROBE), probes + 2);

	/* the 300 acknowledged, the window open: the rest at once, fresh RTO */
	p.ack = una + 300;
	p.window = 65535;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->seg.seq, una + 300);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 700U);
	KUNIT_EXPECT_EQ(test, xs->backoff, 0U);

	/* probes unanswered but by a window update: the data goes at once */
	xtcp_peer_init(&q, 44033);
	held = xtcp_test_established(test, &q, NULL);
	xs = xtcp_sk(held->sk);
	shut_window(test, &q);
	una = xs->snd_una;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(held, 500, 0), 500);
	xtcp_test_fire(test, held->sk, XTCP_TIMER_RETRANS);
	xtcp_test_fire(test, held->sk, XTCP_TIMER_RETRANS);
	KUNIT_EXPECT_EQ(test, xtcp_test_captured(), 2U);
	while (xtcp_test_captured())
		xtcp_test_pop(test);
	KUNIT_EXPECT_EQ(test, xs->backoff, 2U);
	q.window = 65535;
	xtcp_peer_send(test, &q, XTCP_FLAG_ACK, 0);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->seg.seq, una);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 500U);
	KUNIT_EXPECT_EQ(test, xs->backoff, 0U);
	KUNIT_EXPECT_LE(test, xtcp_timer_left_ms(xs, XTCP_TIMER_RETRANS),
			xs->rto_ms);
	KUNIT_EXPECT_LT(test, xs->rto_ms, 4 * rto);
}

/*
 * Tail loss probes on (net.xtcp.early_retrans 3, Linux's default) for a
 * socket whose RTT and RTO are long, so that no timer fires by the clock
 * during the test: the probe timeout is two RTTs, cut to the RTO, 2 s.
 */
static void tlp_setup(struct kunit *test, struct socket *sock)
{
	struct xtcp_sock *xs = xtcp_sk(sock->sk);

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->early_retrans, 3);
	lock_sock(sock->sk);
	xs->rtt.srtt_us = USEC_PER_SEC;
	xs->rto_ms = 3000;
	release_sock(sock->sk);
}

/*
 * A burst of new data schedules a tail loss probe in place of the RTO
 * (tcp_schedule_loss_probe()); with nothing new to send it is the last
 * segment again (tcp_send_loss_probe()), counted in TCPLossProbes and in
 * RetransSegs, SND.NXT kept as tlp_high_seq, and the RTO armed afresh, a
 * whole one. Its ACK, at tlp_high_seq, leaves the episode open; the next
 * ACK beyond it says the probe repaired a loss: cwnd falls once to the
 * congestion control's ssthresh, no fast recovery (tcp_process_tlp_ack(),
 * TCPLossProbeRecovery).
 */
static void timer_tlp_last_segment(struct kunit *test)
{
	long probes = xtcp_test_stat(XTCP_STAT_LOSS_PROBES);
	long tlprec = xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY);
	long retrans;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *pkt;
	u32 seq;

	xtcp_peer_init(&p, 44014);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	seq = send_segments(test, sock, &p, 3);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	/* 2 x 1 s + 2 ms, cut to the 3 s RTO */
	KUNIT_EXPECT_GT(test, xtcp_timer_left_ms(xs, XTCP_TIMER_LOSS_PROBE),
			1900U);
	KUNIT_EXPECT_LE(test, xtcp_timer_left_ms(xs, XTCP_TIMER_LOSS_PROBE),
			2010U);
	retrans = xtcp_test_stat(XTCP_STAT_RETRANS_SEGS);
	/* as if the head went 2 s ago: its RTO had 1 s left */
	lock_sock(sock->sk);
	XTCP_SKB_CB(xtcp_rtx_head(sock->sk))->tx_ns -= 2 * NSEC_PER_SEC;
	release_sock(sock->sk);

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_LOSS_PROBE);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->seg.seq, seq + 2 * MSS);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBES), probes + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RETRANS_SEGS), retrans + 1);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, seq + 3 * MSS);
	KUNIT_EXPECT_TRUE(test, xs->tlp_retrans);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, 0U);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	/* a whole RTO from the probe, not the 1 s the head's had left */
	KUNIT_EXPECT_GT(test, xtcp_timer_left_ms(xs, XTCP_TIMER_RETRANS), 2000U);

	/* no ACK: the RTO after it, the head again, ends the episode */
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	expect_retransmit(test, &p, seq);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, 0U);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBES), probes + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY),
			tlprec);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
}

/*
 * The probe's ACK reaches tlp_high_seq: the episode stays open; the next ACK
 * beyond it is the sign of a loss the probe repaired: cwnd to ssthresh,
 * once, TCPLossProbeRecovery, no fast recovery.
 */
static void timer_tlp_recovery(struct kunit *test)
{
	long tlprec = xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, cwnd;

	xtcp_peer_init(&p, 44015);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	seq = send_segments(test, sock, &p, 2);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_LOSS_PROBE);
	KUNIT_EXPECT_EQ(test, xtcp_test_pop(test)->seg.seq, seq + MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	cwnd = xs->cc.cwnd;

	p.ack = seq + 2 * MSS;		/* at tlp_high_seq: no verdict yet */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, seq + 2 * MSS);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, cwnd);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY),
			tlprec);

	send_segments(test, sock, &p, 1);
	p.ack = seq + 3 * MSS;		/* beyond it: one copy was lost */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY),
			tlprec + 1);
	KUNIT_EXPECT_EQ(test, xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_LT(test, xs->cc.cwnd, cwnd);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, xs->cc.ssthresh);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A D-SACK of the probe (first block, ending at tlp_high_seq): both copies
 * arrived, there was no loss, and the episode ends without a reduction
 * (FLAG_DSACK_TLP), though the ACK that carries it goes beyond the probe.
 */
static void timer_tlp_dsack_no_loss(struct kunit *test)
{
	long tlprec = xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY);
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 seq, cwnd;

	xtcp_peer_init(&p, 44016);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	seq = send_segments(test, sock, &p, 2);
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_LOSS_PROBE);
	KUNIT_EXPECT_EQ(test, xtcp_test_pop(test)->seg.seq, seq + MSS);
	cwnd = xs->cc.cwnd;
	send_segments(test, sock, &p, 1);

	dup_ack(test, &p, seq + 3 * MSS, seq + MSS, seq + 2 * MSS);
	KUNIT_EXPECT_EQ(test, xs->snd_una, seq + 3 * MSS);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LOSS_PROBE_RECOVERY),
			tlprec);
	KUNIT_EXPECT_GE(test, xs->cc.cwnd, cwnd);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * With new data waiting for the congestion window, the probe is that data,
 * one segment past the full window (tcp_write_xmit()'s push_one 2); its ACK
 * ends the episode at once (!tlp_retrans).
 */
static void timer_tlp_new_data(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *pkt;
	u32 seq;
	int i;

	xtcp_peer_init(&p, 44017);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	lock_sock(sock->sk);
	xs->cc.cwnd = 2;
	release_sock(sock->sk);
	seq = xs->snd_nxt;
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 3 * MSS, 0), (int)(3 * MSS));
	for (i = 0; i < 2; i++) {
		pkt = xtcp_test_pop(test);
		KUNIT_ASSERT_NOT_NULL(test, pkt);
		KUNIT_EXPECT_EQ(test, pkt->seg.seq, seq + i * MSS);
	}
	XTCP_EXPECT_NO_SEGMENT(test);

	xtcp_test_fire(test, sock->sk, XTCP_TIMER_LOSS_PROBE);
	pkt = xtcp_test_pop(test);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, pkt->seg.seq, seq + 2 * MSS);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, seq + 3 * MSS);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, seq + 3 * MSS);
	KUNIT_EXPECT_FALSE(test, xs->tlp_retrans);

	p.ack = seq + 3 * MSS;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->tlp_high_seq, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* net.xtcp.early_retrans 0 (or tcp_early_retrans 0): the RTO, no probe. */
static void timer_tlp_off(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;

	xtcp_peer_init(&p, 44018);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	tlp_setup(test, sock);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->early_retrans, 0);
	send_segments(test, sock, &p, 2);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE));
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
}

static struct kunit_case timer_cases[] = {
	KUNIT_CASE(timer_tlp_last_segment),
	KUNIT_CASE(timer_tlp_recovery),
	KUNIT_CASE(timer_tlp_dsack_no_loss),
	KUNIT_CASE(timer_tlp_new_data),
	KUNIT_CASE(timer_tlp_off),
	KUNIT_CASE(timer_rto_retransmits),
	KUNIT_CASE(timer_rto_spurious_undo),
	KUNIT_CASE(timer_rto_frto_spurious),
	KUNIT_CASE(timer_rto_frto_real_loss),
	KUNIT_CASE(timer_rto_frto_off),
	KUNIT_CASE(timer_syn_retransmit),
	KUNIT_CASE(timer_synack_retransmit),
	KUNIT_CASE(timer_user_timeout_aborts),
	KUNIT_CASE(timer_orphan_zero_window_gives_up),
	KUNIT_CASE(timer_zero_window_probe),
	{}
};

static struct kunit_suite timer_suite = {
	.name = "xtcp_pkt_timer",
	.init = xtcp_test_init,
	.test_cases = timer_cases,
};

/* ---- orphans ---- */

/*
 * Past net.xtcp.max_orphans, close() resets the connection at once instead
 * of leaving one more orphan to finish (tcp_close() and tcp_check_oom()):
 * its FIN, then a RST, AbortOnMemory; the orphans within the limit live on,
 * counted.
 */
static void orphan_limit_resets(struct kunit *test)
{
	long aborts = xtcp_test_stat(XTCP_STAT_ABORT_ON_MEMORY);
	struct xtcp_net *xn = xtcp_net(&init_net);
	struct socket *a, *b;
	struct xtcp_peer p, q;
	struct sock *ska, *skb;
	int orphans = atomic_read(&xn->orphans);

	xtcp_test_sysctl(test, &xn->max_orphans, orphans + 1);
	xtcp_peer_init(&p, 44040);
	a = xtcp_test_established(test, &p, NULL);
	xtcp_peer_init(&q, 44041);
	b = xtcp_test_established(test, &q, NULL);

	ska = xtcp_test_close(test, a);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	KUNIT_EXPECT_EQ(test, (int)ska->sk_state, XTCP_FIN_WAIT1);
	KUNIT_EXPECT_EQ(test, atomic_read(&xn->orphans), orphans + 1);

	/* its FIN has gone, as tcp_close() sends it before it counts */
	skb = xtcp_test_close(test, b);
	xtcp_peer_saw(&q, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST | XTCP_FLAG_ACK),
			XTCP_FLAG_RST | XTCP_FLAG_ACK, q.ack, q.seq);
	KUNIT_EXPECT_EQ(test, (int)skb->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ABORT_ON_MEMORY),
			aborts + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&xn->orphans), orphans + 1);

	/* the first finishes (the peer ACKs its FIN, then sends its own) */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_FIN, 0);
	xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, (int)ska->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, atomic_read(&xn->orphans), orphans);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case orphan_cases[] = {
	KUNIT_CASE(orphan_limit_resets),
	{}
};

static struct kunit_suite orphan_suite = {
	.name = "xtcp_pkt_orphan",
	.init = xtcp_test_init,
	.test_cases = orphan_cases,
};

XTCP_KUNIT_SUITES(pkt_recovery, &recovery_suite, &timer_suite, &orphan_suite);
