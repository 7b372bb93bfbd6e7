// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control (src/cong.c, src/cubic.c). Reno's window is
 * worked by hand from RFC 5681; cubic's numbers are Linux 6.1 tcp_cubic.c's,
 * its integer arithmetic worked through (BICTCP_BETA_SCALE 1024, beta 717,
 * bic_scale 41: cube_factor 2^40 / 410, beta_scale 15), and its HyStart is
 * driven by RTT samples and ACK times as tcp_clean_rtx_queue() gives them.
 */
#include <kunit/test.h>

#include "cong.h"
#include "packet.h"
#include "suites.h"

/*
 * A socket whose congestion state is @cwnd and @ssthresh, with @ops's
 * per-socket state set up; the hooks are called directly, as the stack would.
 */
static struct sock *fresh(struct kunit *test,
			  const struct xtcp_congestion_ops *ops, u32 cwnd,
			  u32 ssthresh)
{
	struct sock *sk = xtcp_test_socket(test)->sk;
	struct xtcp_cc *cc = xtcp_cc(sk);

	memset(cc, 0, sizeof(*cc));
	cc->cwnd = cwnd;
	cc->ssthresh = ssthresh;
	if (ops->init)
		ops->init(sk);
	return sk;
}

/* RFC 5681 §3.1: slow start doubles the window each round trip. */
static void reno_slow_start(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 10, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);
	int i;

	for (i = 0; i < 10; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 20U);
	xtcp_reno.cong_avoid(sk, 0, 20);	/* a stretch ACK */
	KUNIT_EXPECT_EQ(test, cc->cwnd, 40U);
}

/* Slow start stops at ssthresh; the rest of the ACK goes to avoidance. */
static void reno_ssthresh_crossing(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 10, 16);
	struct xtcp_cc *cc = xtcp_cc(sk);

	xtcp_reno.cong_avoid(sk, 0, 10);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 16U);
	KUNIT_EXPECT_EQ(test, cc->cwnd_cnt, 4U);
}

/* RFC 5681 §3.1 (3): one segment per window of ACKs in avoidance. */
static void reno_avoidance(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 20, 10);
	struct xtcp_cc *cc = xtcp_cc(sk);
	int i;

	for (i = 0; i < 19; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 20U);
	xtcp_reno.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, cc->cwnd, 21U);
	for (i = 0; i < 21 * 10; i++)
		xtcp_reno.cong_avoid(sk, 0, 1);
	/* 21 + 22 + ... : ten windows' worth of ACKs, under 10 more segments */
	KUNIT_EXPECT_GE(test, cc->cwnd, 29U);
	KUNIT_EXPECT_LE(test, cc->cwnd, 31U);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS), as Linux's cwnd / 2. */
static void reno_loss(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_reno, 40, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);

	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(sk), 20U);
	cc->cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_reno.ssthresh(sk), 2U);
}

static struct xtcp_bictcp *cubic_ca(struct sock *sk)
{
	return XTCP_CC_PRIV(xtcp_cc(sk), struct xtcp_bictcp);
}

/*
 * Linux's cubic_root(): a table lookup and one Newton-Raphson step, so not
 * floor(cbrt()): 7 gives 2, 2^40 gives 10323 (cbrt is 10321.3).
 */
static void cubic_root(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(7), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(27), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(63), 4U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1000), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1000000000ULL), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1ULL << 40), 10323U);
	/* K for Wmax - cwnd = 30: cube_factor * 30, in 1/1024 s */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(2681735677ULL * 30), 4316U);
}

/*
 * cubictcp_recalc_ssthresh(): cwnd * 717 / 1024, at least 2; the epoch ends;
 * Wmax is the window, or with fast convergence, when the window fell below
 * the last Wmax, cwnd * (1024 + 717) / 2048.
 */
static void cubic_loss(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = cubic_ca(sk);

	ca->epoch_start = 12345;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 70U);
	KUNIT_EXPECT_EQ(test, ca->last_max_cwnd, 100U);
	KUNIT_EXPECT_EQ(test, ca->epoch_start, 0U);
	cc->cwnd = 80;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 56U);
	KUNIT_EXPECT_EQ(test, ca->last_max_cwnd, 68U);
	cc->cwnd = 90;		/* above Wmax: no fast convergence */
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 63U);
	KUNIT_EXPECT_EQ(test, ca->last_max_cwnd, 90U);
	cc->cwnd = 3;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.ssthresh(sk), 2U);
	/* undo is tcp_reno_undo_cwnd()'s: the larger of cwnd and prior_cwnd */
	cc->prior_cwnd = 100;
	KUNIT_EXPECT_EQ(test, xtcp_cubic.undo_cwnd(sk), 100U);
}

/* A loss at 100 segments; avoidance from ssthresh (70) on. */
static struct sock *after_loss(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 100, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);

	cc->ssthresh = xtcp_cubic.ssthresh(sk);
	cc->cwnd = cc->ssthresh;
	return sk;
}

/*
 * The first ACK of avoidance after the loss starts the epoch: K =
 * cubic_root(cube_factor * (100 - 70)) = 4316 (4.21 s), the origin 100, the
 * Reno estimate at the window. At t = 0 the curve is at 100 - (410 * 4316^3
 * >> 40) = 71: one more segment over the window, cnt 70.
 */
static u32 start_epoch(struct sock *sk)
{
	struct xtcp_bictcp *ca = cubic_ca(sk);
	u32 j;

	do {
		j = tcp_jiffies32;
		ca->epoch_start = 0;
		ca->last_cwnd = 0;
		xtcp_cubic.cong_avoid(sk, 0, 1);
	} while (j != tcp_jiffies32);
	return j;
}

static void cubic_epoch(struct kunit *test)
{
	struct sock *sk = after_loss(test);
	struct xtcp_bictcp *ca = cubic_ca(sk);
	u32 j = start_epoch(sk);

	KUNIT_EXPECT_EQ(test, ca->epoch_start, j);
	KUNIT_EXPECT_EQ(test, ca->last_time, j);
	KUNIT_EXPECT_EQ(test, ca->bic_K, 4316U);
	KUNIT_EXPECT_EQ(test, ca->bic_origin_point, 100U);
	KUNIT_EXPECT_EQ(test, ca->tcp_cwnd, 70U);
	KUNIT_EXPECT_EQ(test, ca->ack_cnt, 1U);
	KUNIT_EXPECT_EQ(test, ca->cnt, 70U);
	KUNIT_EXPECT_EQ(test, xtcp_cc(sk)->cwnd, 70U);
}

/*
 * ca->cnt with the window at @cwnd, @elapsed jiffies into the epoch, the
 * last update a second ago (bictcp_update() recomputes at most once per
 * jiffy); again if a jiffy passed meanwhile.
 */
static u32 cnt_at(struct sock *sk, u32 cwnd, u32 elapsed)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = cubic_ca(sk);
	u32 j;

	do {
		j = tcp_jiffies32;
		ca->epoch_start = j - elapsed;
		ca->last_time = j - HZ;
		cc->cwnd = cwnd;
		cc->cwnd_cnt = 0;
		xtcp_cubic.cong_avoid(sk, 0, 1);
	} while (j != tcp_jiffies32);
	return ca->cnt;
}

/*
 * Along the curve, in half seconds (t in 1/1024 s: HZ / 2 jiffies is 512):
 * concave up to K = 4.21 s, where it sits at Wmax (100), convex past it; cnt
 * is cwnd / (target - cwnd), 100 cwnd at or above the target, at least 2.
 */
static void cubic_curve(struct kunit *test)
{
	struct sock *sk = after_loss(test);

	start_epoch(sk);
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 70, HZ), 4U);		/* target 87 */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 90, HZ), 9000U);
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 90, 2 * HZ), 15U);	/* 96 */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 70, 2 * HZ), 2U);	/* at most 1.5x */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 99, 4 * HZ), 99U);	/* 100 */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 100, 4 * HZ), 10000U);
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 100, 6 * HZ), 50U);	/* 102 */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 100, 7 * HZ), 12U);	/* 108 */
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 100, 8 * HZ), 4U);	/* 121 */
	KUNIT_EXPECT_EQ(test, cubic_ca(sk)->bic_K, 4316U);
}

/* No loss yet (Wmax 0): the curve starts flat, cnt capped at 20 (5%/RTT). */
static void cubic_first_epoch(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 50, 50);
	struct xtcp_bictcp *ca = cubic_ca(sk);

	xtcp_cubic.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, ca->bic_K, 0U);
	KUNIT_EXPECT_EQ(test, ca->bic_origin_point, 50U);
	KUNIT_EXPECT_EQ(test, ca->cnt, 20U);
	/* with a Wmax at the window, no cap: 100 * cwnd */
	ca->last_max_cwnd = 50;
	KUNIT_EXPECT_EQ(test, cnt_at(sk, 50, 0), 5000U);
}

/*
 * TCP friendliness: the Reno estimate gains a segment per cwnd * beta_scale
 * / 8 ACKs (20 * 15 >> 3 = 37); ahead of the window by 2, it caps cnt at
 * cwnd / 2 = 10. Off (cubic_tcp_friendliness=0) it would stay 2000.
 */
static void cubic_friendliness(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 20, 20);
	struct xtcp_bictcp *ca = cubic_ca(sk);

	ca->last_max_cwnd = 20;		/* K = 0, origin 20: flat at t = 0 */
	start_epoch(sk);
	KUNIT_EXPECT_EQ(test, ca->cnt, 2000U);
	KUNIT_EXPECT_EQ(test, ca->tcp_cwnd, 20U);
	/* a jiffy more or less moves this curve by nothing: no retry */
	ca->ack_cnt = 74;		/* + 1: 75 = 2 * 37 + 1 */
	ca->epoch_start = tcp_jiffies32;
	ca->last_time = ca->epoch_start - HZ;
	xtcp_cc(sk)->cwnd_cnt = 0;
	xtcp_cubic.cong_avoid(sk, 0, 1);
	KUNIT_EXPECT_EQ(test, ca->cnt, 10U);
	KUNIT_EXPECT_EQ(test, ca->tcp_cwnd, 22U);
	KUNIT_EXPECT_EQ(test, ca->ack_cnt, 1U);
}

/*
 * CA_EVENT_TX_START after an idle time shifts the epoch by it (lsndtime to
 * now), never past now; without an epoch, or for another event, nothing.
 */
static void cubic_tx_start(struct kunit *test)
{
	struct sock *sk = fresh(test, &xtcp_cubic, 50, 20);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_bictcp *ca = cubic_ca(sk);
	u32 j;

	do {
		j = tcp_jiffies32;
		ca->epoch_start = j - 10 * HZ;
		xs->lsndtime = j - 2 * HZ;
		xtcp_cubic.cwnd_event(sk, CA_EVENT_TX_START);
	} while (j != tcp_jiffies32);
	KUNIT_EXPECT_EQ(test, ca->epoch_start, j - 8 * HZ);

	do {
		j = tcp_jiffies32;
		ca->epoch_start = j - HZ;
		xs->lsndtime = j - 5 * HZ;
		xtcp_cubic.cwnd_event(sk, CA_EVENT_TX_START);
	} while (j != tcp_jiffies32);
	KUNIT_EXPECT_EQ(test, ca->epoch_start, j);

	ca->epoch_start = tcp_jiffies32 - 10 * HZ;
	xs->lsndtime = tcp_jiffies32 - 2 * HZ;
	j = ca->epoch_start;
	xtcp_cubic.cwnd_event(sk, CA_EVENT_CWND_RESTART);
	KUNIT_EXPECT_EQ(test, ca->epoch_start, j);
	ca->epoch_start = 0;
	xtcp_cubic.cwnd_event(sk, CA_EVENT_TX_START);
	KUNIT_EXPECT_EQ(test, ca->epoch_start, 0U);
}

/* TCP_CA_Loss forgets everything, Wmax and delay_min too, and restarts HyStart. */
static void cubic_loss_state(struct kunit *test)
{
	struct sock *sk = after_loss(test);
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = cubic_ca(sk);

	ca->delay_min = 5000;
	ca->found = 1;
	cc->mstamp_us = 7000000;
	cc->snd_nxt = 4242;
	xtcp_cubic.set_state(sk, TCP_CA_Recovery);
	KUNIT_EXPECT_EQ(test, ca->last_max_cwnd, 100U);
	KUNIT_EXPECT_EQ(test, ca->found, 1);
	xtcp_cubic.set_state(sk, TCP_CA_Loss);
	KUNIT_EXPECT_EQ(test, ca->last_max_cwnd, 0U);
	KUNIT_EXPECT_EQ(test, ca->delay_min, 0U);
	KUNIT_EXPECT_EQ(test, ca->found, 0);
	KUNIT_EXPECT_EQ(test, ca->round_start, 7000000U);
	KUNIT_EXPECT_EQ(test, ca->last_ack, 7000000U);
	KUNIT_EXPECT_EQ(test, ca->end_seq, 4242U);
	KUNIT_EXPECT_EQ(test, ca->curr_rtt, ~0U);
}

static void ack(struct sock *sk, u64 now_us, s32 rtt_us)
{
	struct ack_sample sample = { .pkts_acked = 1, .rtt_us = rtt_us };

	xtcp_cc(sk)->mstamp_us = now_us;
	xtcp_cubic.pkts_acked(sk, &sample);
}

/* Samples within a second of the epoch's start are not taken, nor -1. */
static void cubic_samples_after_recovery(struct kunit *test)
{
	struct sock *sk = after_loss(test);
	struct xtcp_bictcp *ca = cubic_ca(sk);

	xtcp_cubic.cong_avoid(sk, 0, 1);	/* the epoch starts */
	ack(sk, 1000000, 5000);
	KUNIT_EXPECT_EQ(test, ca->delay_min, 0U);
	ca->epoch_start = tcp_jiffies32 - HZ;
	ack(sk, 1000000, -1);
	KUNIT_EXPECT_EQ(test, ca->delay_min, 0U);
	ack(sk, 1000000, 5000);
	KUNIT_EXPECT_EQ(test, ca->delay_min, 5000U);
	ack(sk, 1000000, 0);
	KUNIT_EXPECT_EQ(test, ca->delay_min, 1U);
}

/* A socket in slow start at @cwnd, unpaced, one round of one ACK (10 ms) in. */
static struct sock *hystart_socket(struct kunit *test, u32 cwnd, u64 now)
{
	struct sock *sk = fresh(test, &xtcp_cubic, cwnd, XTCP_INFINITE_SSTHRESH);
	struct xtcp_cc *cc = xtcp_cc(sk);

	WRITE_ONCE(sk->sk_pacing_rate, 0);
	sk->sk_pacing_status = SK_PACING_NONE;
	cc->snd_una = 1;		/* past end_seq (0): a new round */
	cc->snd_nxt = 100;
	ack(sk, now, 10000);
	KUNIT_EXPECT_EQ(test, cubic_ca(sk)->delay_min, 10000U);
	KUNIT_EXPECT_EQ(test, cubic_ca(sk)->end_seq, 100U);
	return sk;
}

/* A new round at @now: SND.UNA past the last round's end. */
static void new_round(struct sock *sk)
{
	struct xtcp_cc *cc = xtcp_cc(sk);

	cc->snd_una = cc->snd_nxt + 1;
	cc->snd_nxt += 100;
}

/*
 * HyStart's delay detection: the round's least RTT of more than 8 samples
 * above delay_min + clamp(delay_min / 8, 4 ms, 16 ms) ends slow start
 * (ssthresh = cwnd), counted in TCPHystartDelayDetect and, by the window,
 * TCPHystartDelayCwnd. ACKs 3 ms apart: no ACK train.
 */
static void cubic_hystart_delay(struct kunit *test)
{
	long detect = xtcp_test_stat(XTCP_STAT_HYSTART_DELAY_DETECT);
	long cwnd = xtcp_test_stat(XTCP_STAT_HYSTART_DELAY_CWND);
	u64 now = 1000000;
	struct sock *sk = hystart_socket(test, 16, now);
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = cubic_ca(sk);
	int i;

	/* at the threshold (14 ms), not above: nothing */
	new_round(sk);
	for (i = 0; i < 12; i++)
		ack(sk, now += 3000, 14000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, ca->sample_cnt, 8);

	new_round(sk);
	for (i = 0; i < 8; i++)
		ack(sk, now += 3000, 15000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, ca->found, 0);
	ack(sk, now += 3000, 15000);
	KUNIT_EXPECT_EQ(test, ca->found, 1);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, 16U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_HYSTART_DELAY_DETECT),
			detect + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_HYSTART_DELAY_CWND),
			cwnd + 16);
}

/* Below cubic_hystart_low_window (16) HyStart does nothing. */
static void cubic_hystart_low_window(struct kunit *test)
{
	u64 now = 1000000;
	struct sock *sk = hystart_socket(test, 15, now);
	struct xtcp_cc *cc = xtcp_cc(sk);
	int i;

	new_round(sk);
	for (i = 0; i < 20; i++)
		ack(sk, now += 3000, 30000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_EQ(test, cubic_ca(sk)->found, 0);
}

/*
 * HyStart's ACK train: ACKs at most 2 ms apart (hystart_ack_delta_us) that
 * go on past delay_min / 2 (unpaced; 5 ms) from the round's start end slow
 * start, counted in TCPHystartTrainDetect and TCPHystartTrainCwnd.
 */
static void cubic_hystart_ack_train(struct kunit *test)
{
	long detect = xtcp_test_stat(XTCP_STAT_HYSTART_TRAIN_DETECT);
	long cwnd = xtcp_test_stat(XTCP_STAT_HYSTART_TRAIN_CWND);
	u64 start = 1000000, now;
	struct sock *sk = hystart_socket(test, 20, start);
	struct xtcp_cc *cc = xtcp_cc(sk);

	for (now = start + 1000; now <= start + 5000; now += 1000)
		ack(sk, now, 10000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);
	ack(sk, start + 6000, 10000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, 20U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_HYSTART_TRAIN_DETECT),
			detect + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_HYSTART_TRAIN_CWND),
			cwnd + 20);
}

/*
 * A gap of more than 2 ms breaks the train; paced, the train must last
 * delay_min itself (10 ms), not half of it.
 */
static void cubic_hystart_train_broken(struct kunit *test)
{
	u64 start = 1000000;
	struct sock *sk = hystart_socket(test, 20, start);
	struct xtcp_cc *cc = xtcp_cc(sk);

	ack(sk, start + 1000, 10000);
	ack(sk, start + 2000, 10000);
	ack(sk, start + 5500, 10000);
	ack(sk, start + 6500, 10000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);

	sk = hystart_socket(test, 20, start);
	cc = xtcp_cc(sk);
	sk->sk_pacing_status = SK_PACING_NEEDED;
	ack(sk, start + 2000, 10000);
	ack(sk, start + 4000, 10000);
	ack(sk, start + 6000, 10000);
	ack(sk, start + 8000, 10000);
	ack(sk, start + 10000, 10000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, XTCP_INFINITE_SSTHRESH);
	ack(sk, start + 11000, 10000);
	KUNIT_EXPECT_EQ(test, cc->ssthresh, 20U);
}

/* A do-nothing algorithm for the registry's tests. */
static u32 test_ssthresh(struct sock *sk)
{
	return 2;
}

static void test_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
}

static u32 test_undo(struct sock *sk)
{
	return xtcp_cc(sk)->cwnd;
}

/*
 * An algorithm built against another API version is refused, and one that
 * lacks a required hook (tcp_validate_congestion_control()); a good one is
 * listed (net.xtcp.available_congestion_control) until unregistered, and
 * its name is taken meanwhile.
 */
static void cong_register(struct kunit *test)
{
	struct xtcp_congestion_ops ops = {
		.name		= "kunit_cc",
		.api_version	= XTCP_CONG_API_VERSION + 1,
		.ssthresh	= test_ssthresh,
		.cong_avoid	= test_cong_avoid,
		.undo_cwnd	= test_undo,
	};
	struct xtcp_congestion_ops dup = ops;
	char list[256];

	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));
	ops.api_version = 0;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);

	ops.api_version = XTCP_CONG_API_VERSION;
	ops.undo_cwnd = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	ops.undo_cwnd = test_undo;
	ops.cong_avoid = NULL;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&ops), -EINVAL);
	ops.cong_avoid = test_cong_avoid;
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));

	KUNIT_ASSERT_EQ(test, xtcp_register_congestion_control(&ops), 0);
	KUNIT_EXPECT_TRUE(test, xtcp_cong_exists("kunit_cc"));
	xtcp_cong_list(list, sizeof(list));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "kunit_cc"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "reno"));
	dup.api_version = XTCP_CONG_API_VERSION;
	KUNIT_EXPECT_EQ(test, xtcp_register_congestion_control(&dup), -EEXIST);
	xtcp_unregister_congestion_control(&ops);
	KUNIT_EXPECT_FALSE(test, xtcp_cong_exists("kunit_cc"));
}

/* Room for the algorithm's state: Linux's ICSK_CA_PRIV_SIZE, 104 bytes. */
static void cong_priv_size(struct kunit *test)
{
	KUNIT_EXPECT_GE(test, sizeof_field(struct xtcp_cc, priv), (size_t)104);
	KUNIT_EXPECT_EQ(test, XTCP_CA_PRIV_SIZE, (size_t)104);
}

static struct kunit_case cong_cases[] = {
	KUNIT_CASE(cong_register),
	KUNIT_CASE(cong_priv_size),
	KUNIT_CASE(reno_slow_start),
	KUNIT_CASE(reno_ssthresh_crossing),
	KUNIT_CASE(reno_avoidance),
	KUNIT_CASE(reno_loss),
	KUNIT_CASE(cubic_root),
	KUNIT_CASE(cubic_loss),
	KUNIT_CASE(cubic_epoch),
	KUNIT_CASE(cubic_curve),
	KUNIT_CASE(cubic_first_epoch),
	KUNIT_CASE(cubic_friendliness),
	KUNIT_CASE(cubic_tx_start),
	KUNIT_CASE(cubic_loss_state),
	KUNIT_CASE(cubic_samples_after_recovery),
	KUNIT_CASE(cubic_hystart_delay),
	KUNIT_CASE(cubic_hystart_low_window),
	KUNIT_CASE(cubic_hystart_ack_train),
	KUNIT_CASE(cubic_hystart_train_broken),
	{}
};

static struct kunit_suite cong_suite = {
	.name = "xtcp_cong",
	.init = xtcp_test_init,
	.test_cases = cong_cases,
};

XTCP_KUNIT_SUITES(cong, &cong_suite);
