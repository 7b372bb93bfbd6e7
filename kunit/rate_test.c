// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the delivery-rate sampling of rate.h against tcp_rate.c's rules,
 * with values worked out by hand: the interval is the longer of the send and
 * the ACK phase, a sample shorter than the minimum RTT is none, the sample
 * starts from the skb sent last, a SACKed skb counts once, and TCP_INFO keeps
 * the last sample that is not app-limited or a higher app-limited one; a
 * sample's ACK likely delayed. And the sender's chronographs of chrono.h,
 * which TCP_INFO reports beside the rate.
 */
#include <kunit/test.h>

#include "chrono.h"
#include "rate.h"
#include "suites.h"

#define MSS	1000

/* Segment @i (of MSS bytes from 0) sent at @t us with @out unacknowledged. */
static void sent(struct xtcp_rate *r, struct xtcp_skb_cb *cb, u32 i, u64 t,
		 u32 out, u32 delivered)
{
	memset(cb, 0, sizeof(*cb));
	cb->seq = i * MSS;
	cb->end_seq = cb->seq + MSS;
	cb->tx_ns = t * NSEC_PER_USEC;
	xtcp_rate_skb_sent(r, cb, t, out, delivered);
}

static void acked(struct xtcp_rate *r, struct xtcp_skb_cb *cb,
		  struct rate_sample *rs)
{
	xtcp_rate_skb_delivered(r, cb, div_u64(cb->tx_ns, NSEC_PER_USEC),
				false, rs);
}

/*
 * Four segments sent in a burst 0..300 us, ACKed one by one 10 ms later at
 * 10000..10300: the first ACK's sample starts from the connection's start,
 * later ones span the ACK phase from the previous delivery.
 */
static void ack_phase(struct kunit *test)
{
	struct xtcp_rate r;
	struct xtcp_skb_cb cb[4];
	struct rate_sample rs;
	u32 delivered = 0, i;

	xtcp_rate_init(&r);
	for (i = 0; i < 4; i++)
		sent(&r, &cb[i], i, i * 100, i, delivered);
	KUNIT_EXPECT_EQ(test, cb[3].tx_first_us, 0ULL);
	KUNIT_EXPECT_EQ(test, cb[3].tx_delivered_us, 0ULL);

	/* skb 0 at 10000: prior_mstamp 0 would be "no sample": as Linux */
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &cb[0], &rs);
	delivered++;
	xtcp_rate_gen(&r, delivered, 10000, 5000, 1, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.delivered, -1);
	KUNIT_EXPECT_EQ(test, rs.interval_us, -1L);
	KUNIT_EXPECT_EQ(test, rs.acked_sacked, 1U);
	KUNIT_EXPECT_EQ(test, r.delivered_us, 10000ULL);
	KUNIT_EXPECT_EQ(test, r.first_tx_us, 0ULL);

	/* a connection whose clock starts at 1 us: all later ones are valid */
	xtcp_rate_init(&r);
	delivered = 0;
	for (i = 0; i < 4; i++)
		sent(&r, &cb[i], i, 1 + i * 100, i, delivered);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &cb[0], &rs);
	xtcp_rate_gen(&r, ++delivered, 10001, 5000, 1, 0, false, &rs);
	/* send phase 0, ACK phase 10000 us: 1 segment in 10 ms */
	KUNIT_EXPECT_EQ(test, rs.delivered, 1);
	KUNIT_EXPECT_EQ(test, rs.snd_interval_us, 0U);
	KUNIT_EXPECT_EQ(test, rs.rcv_interval_us, 10000U);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 10000L);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 1U);
	KUNIT_EXPECT_EQ(test, r.rate_interval_us, 10000U);
	/* the mark a socket starts with (tcp_init_sock()) goes with it */
	KUNIT_EXPECT_EQ(test, (u32)r.rate_app_limited, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, MSS), 100000ULL);

	/* skbs 1 and 2 on one ACK at 10201: from skb 2's snapshot */
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &cb[1], &rs);
	acked(&r, &cb[2], &rs);
	delivered += 2;
	xtcp_rate_gen(&r, delivered, 10201, 5000, 2, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 0U);
	KUNIT_EXPECT_EQ(test, rs.delivered, 3);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 10200L);
	KUNIT_EXPECT_EQ(test, rs.last_end_seq, 3U * MSS);
	KUNIT_EXPECT_EQ(test, r.first_tx_us, 201ULL);
}

/*
 * A window in flight, the last ACK come at @delivered_us, of a skb sent at
 * 500; two skbs sent at 2000 and 22000, both ACKed at 23000: send phase
 * 21500, ACK phase 23000 - @delivered_us.
 */
static void two_acked(struct xtcp_rate *r, struct rate_sample *rs,
		      u64 delivered_us)
{
	struct xtcp_skb_cb a, b;

	xtcp_rate_init(r);
	r->first_tx_us = 500;
	r->delivered_us = delivered_us;
	sent(r, &a, 10, 2000, 5, 10);
	sent(r, &b, 11, 22000, 6, 10);
	xtcp_rate_ack_start(r, rs);
	acked(r, &a, rs);
	acked(r, &b, rs);
	xtcp_rate_gen(r, 12, 23000, 1000, 2, 0, false, rs);
}

/*
 * The interval is the longer of the two phases: the ACK phase, or the send
 * phase when the ACKs come bunched (ACK compression).
 */
static void send_phase(struct kunit *test)
{
	struct xtcp_rate r;
	struct rate_sample rs;

	/* ACK phase 22000, send phase 21500: the ACK phase */
	two_acked(&r, &rs, 1000);
	KUNIT_EXPECT_EQ(test, rs.snd_interval_us, 21500U);
	KUNIT_EXPECT_EQ(test, rs.rcv_interval_us, 22000U);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 22000L);

	/* the same, the ACK phase short: now the send phase wins */
	two_acked(&r, &rs, 21000);
	KUNIT_EXPECT_EQ(test, rs.snd_interval_us, 21500U);
	KUNIT_EXPECT_EQ(test, rs.rcv_interval_us, 2000U);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 21500L);
	KUNIT_EXPECT_EQ(test, rs.delivered, 2);
}

/* Shorter than the minimum RTT: no sample, TCP_INFO's rate unchanged. */
static void below_min_rtt(struct kunit *test)
{
	struct xtcp_rate r;
	struct xtcp_skb_cb a;
	struct rate_sample rs;

	xtcp_rate_init(&r);
	r.rate_delivered = 7;
	r.rate_interval_us = 7000;
	r.rate_app_limited = 0;
	r.first_tx_us = 100;
	r.delivered_us = 100;
	sent(&r, &a, 0, 200, 1, 3);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	/* 900 us after the last delivery, min RTT 1000 */
	xtcp_rate_gen(&r, 4, 1000, 1000, 1, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.interval_us, -1L);
	KUNIT_EXPECT_EQ(test, rs.delivered, 1);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 7U);
	KUNIT_EXPECT_EQ(test, r.rate_interval_us, 7000U);
	/* exactly the minimum is a sample */
	sent(&r, &a, 1, 1000, 1, 4);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	xtcp_rate_gen(&r, 5, 2000, 1000, 1, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 1000L);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 1U);
	KUNIT_EXPECT_EQ(test, r.rate_interval_us, 1000U);
	/* reneging makes any sample invalid */
	sent(&r, &a, 2, 3000, 1, 5);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	xtcp_rate_gen(&r, 6, 9000, 1000, 1, 2, true, &rs);
	KUNIT_EXPECT_EQ(test, rs.delivered, -1);
	KUNIT_EXPECT_EQ(test, rs.interval_us, -1L);
	KUNIT_EXPECT_EQ(test, rs.losses, 2);
}

/*
 * The application leaves a bubble: samples from skbs sent while it lasts are
 * app-limited; one lower than TCP_INFO's does not replace it, a higher one
 * does; the mark goes once what was delivered and in flight is delivered.
 */
static void app_limited(struct kunit *test)
{
	struct xtcp_rate r;
	struct xtcp_skb_cb a;
	struct rate_sample rs;

	xtcp_rate_init(&r);
	r.rate_app_limited = 0;
	r.rate_delivered = 10;
	r.rate_interval_us = 1000;	/* 10 segments per ms */
	r.first_tx_us = 1;
	r.delivered_us = 1;
	r.app_limited = 20 + 2;		/* delivered 20, 2 in flight */
	sent(&r, &a, 0, 100, 2, 20);
	KUNIT_EXPECT_EQ(test, (u32)a.tx_app_limited, 1U);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	/* 1 segment in 2 ms: lower, app-limited: kept out */
	xtcp_rate_gen(&r, 21, 2001, 100, 1, 0, false, &rs);
	KUNIT_EXPECT_TRUE(test, rs.is_app_limited);
	KUNIT_EXPECT_EQ(test, rs.delivered, 1);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 10U);
	KUNIT_EXPECT_EQ(test, (u32)r.rate_app_limited, 0U);
	/* delivered 21 is not past 22: still marked */
	KUNIT_EXPECT_EQ(test, r.app_limited, 22U);

	/* an app-limited sample as high as TCP_INFO's replaces it */
	sent(&r, &a, 1, 2001, 2, 21);
	r.delivered_us = 2001;
	a.tx_delivered = 1;		/* 20 delivered since it went */
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	xtcp_rate_gen(&r, 21, 4001, 100, 1, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.delivered, 20);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 2000L);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 20U);
	KUNIT_EXPECT_EQ(test, (u32)r.rate_app_limited, 1U);

	/* past the bubble: the mark goes, the next skb is not app-limited */
	xtcp_rate_ack_start(&r, &rs);
	xtcp_rate_gen(&r, 23, 5000, 100, 0, 0, false, &rs);
	KUNIT_EXPECT_EQ(test, r.app_limited, 0U);
	sent(&r, &a, 2, 5000, 2, 23);
	KUNIT_EXPECT_EQ(test, (u32)a.tx_app_limited, 0U);
	/* and its sample replaces TCP_INFO's even when lower */
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &a, &rs);
	xtcp_rate_gen(&r, 24, 9000, 100, 1, 0, false, &rs);
	KUNIT_EXPECT_FALSE(test, rs.is_app_limited);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 1U);
	KUNIT_EXPECT_EQ(test, (u32)r.rate_app_limited, 0U);
}

/*
 * A SACKed skb gives its snapshot to its SACK's sample and not again to the
 * cumulative ACK's; the sample starts from the skb sent last, which with
 * equal send times is the one with the higher sequence; RTTs come from
 * segments sent once.
 */
static void sacked_once(struct kunit *test)
{
	struct xtcp_rate r;
	struct xtcp_skb_cb a, b;
	struct rate_sample rs;

	xtcp_rate_init(&r);
	sent(&r, &a, 0, 1, 0, 0);
	sent(&r, &b, 1, 1, 1, 0);
	b.tx_delivered = 5;		/* to tell it from a's */
	xtcp_rate_ack_start(&r, &rs);
	xtcp_rate_skb_delivered(&r, &b, 1, true, &rs);
	KUNIT_EXPECT_EQ(test, b.tx_delivered_us, 0ULL);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 5U);
	KUNIT_EXPECT_EQ(test, xtcp_rate_ack_rtt(&r, 801), 800L);
	/* a, sent at the same time with a lower sequence, does not take over */
	rs.prior_delivered = 5;
	xtcp_rate_skb_delivered(&r, &a, 1, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 5U);
	KUNIT_EXPECT_EQ(test, rs.last_end_seq, 2U * MSS);

	/* the cumulative ACK of b later: no snapshot, no round trip */
	xtcp_rate_ack_start(&r, &rs);
	b.sacked = 1;
	xtcp_rate_skb_delivered(&r, &b, 1, false, &rs);
	KUNIT_EXPECT_EQ(test, rs.prior_mstamp, 0ULL);
	KUNIT_EXPECT_EQ(test, xtcp_rate_ack_rtt(&r, 900), -1L);

	/* a retransmitted skb ACKed: no round trip, the sample says so */
	sent(&r, &a, 0, 1000, 1, 2);
	a.ever_retrans = 1;
	xtcp_rate_ack_start(&r, &rs);
	xtcp_rate_skb_delivered(&r, &a, 1000, false, &rs);
	KUNIT_EXPECT_TRUE(test, rs.is_retrans);
	KUNIT_EXPECT_EQ(test, xtcp_rate_ack_rtt(&r, 1500), -1L);
}

/* TCP_INFO's bytes per second, as tcp_compute_delivery_rate(). */
static void bytes_per_second(struct kunit *test)
{
	struct xtcp_rate r;

	xtcp_rate_init(&r);
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, 1448), 0ULL);
	KUNIT_EXPECT_EQ(test, (u32)r.rate_app_limited, 1U);
	r.rate_delivered = 100;
	r.rate_interval_us = 40000;
	/* 100 * 1448 B in 40 ms */
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, 1448), 3620000ULL);
	/* no overflow at 10 Gb/s-like counts */
	r.rate_delivered = 1000000;
	r.rate_interval_us = 1000000;
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, 65483), 65483000000ULL);
}

/*
 * One runt segment, sent once, ACKed alone with nothing else delivered
 * since it went: likely a delayed ACK (FLAG_ACK_MAYBE_DELAYED); any one
 * condition otherwise, and it is not.
 */
static void ack_maybe_delayed(struct kunit *test)
{
	struct xtcp_rate r;
	struct xtcp_skb_cb cb;
	struct rate_sample rs;

	xtcp_rate_init(&r);
	sent(&r, &cb, 0, 1, 0, 7);
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &cb, &rs);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 7U);
	/* 100 bytes of one segment, delivered 7 then, 8 now */
	KUNIT_EXPECT_TRUE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							    MSS, 0, 8, false));
	/* a full segment; two; something SACKed before; more delivered */
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, MSS,
							     MSS, 0, 8, false));
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 2, 100,
							     MSS, 0, 8, false));
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 1, 8, false));
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 0, 9, false));
	/* not counted yet (a NewReno ACK's delivery comes after): as Linux */
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 0, 7, false));
	/* it SACKed, D-SACKed or echoed CE */
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 0, 8, true));

	/* the segment went twice: Karn, no round trip, no judgement */
	xtcp_rate_ack_start(&r, &rs);
	cb.ever_retrans = 1;
	acked(&r, &cb, &rs);
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 0, 8, false));
	/* it was SACKed before: sacked_out counted it */
	sent(&r, &cb, 1, 2, 0, 7);
	cb.sacked = 1;
	xtcp_rate_ack_start(&r, &rs);
	acked(&r, &cb, &rs);
	KUNIT_EXPECT_EQ(test, (u32)r.sacked_acked, 1U);
	KUNIT_EXPECT_FALSE(test, xtcp_rate_ack_maybe_delayed(&r, &rs, 1, 100,
							     MSS, 0, 8, false));
}

#define TICK_US	(USEC_PER_SEC / HZ)

/*
 * The chronographs (chrono.h, tcp_chrono_start()/stop()): the highest
 * condition runs; one that ends hands back to busy if it ran, else changes
 * nothing; with nothing queued or in flight, none runs. TCP_INFO's figures
 * include the running one's time so far.
 */
static void chrono_precedence(struct kunit *test)
{
	struct xtcp_chrono c = {};

	xtcp_chrono_start(&c, XTCP_CHRONO_BUSY, 1000);
	xtcp_chrono_start(&c, XTCP_CHRONO_RWND_LIMITED, 1010);
	/* a lower one starting changes nothing */
	xtcp_chrono_start(&c, XTCP_CHRONO_BUSY, 1012);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_RWND_LIMITED);
	KUNIT_EXPECT_EQ(test, c.start, 1010U);
	xtcp_chrono_start(&c, XTCP_CHRONO_SNDBUF_LIMITED, 1020);
	/* one that is not running ends: nothing changes */
	xtcp_chrono_stop(&c, XTCP_CHRONO_RWND_LIMITED, false, 1025);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_SNDBUF_LIMITED);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_SNDBUF_LIMITED,
					     1025), 5ULL * TICK_US);
	/* the running one ends with data still queued: busy again */
	xtcp_chrono_stop(&c, XTCP_CHRONO_SNDBUF_LIMITED, false, 1030);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_BUSY);
	/* all acknowledged: none */
	xtcp_chrono_stop(&c, XTCP_CHRONO_BUSY, true, 1050);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_UNSPEC);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_BUSY, 2000),
			30ULL * TICK_US);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_RWND_LIMITED, 2000),
			10ULL * TICK_US);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_SNDBUF_LIMITED,
					     2000), 10ULL * TICK_US);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_UNSPEC, 2000), 0ULL);
	/* idle, an end of any kind stops nothing more */
	xtcp_chrono_stop(&c, XTCP_CHRONO_RWND_LIMITED, true, 2100);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_BUSY, 3000),
			30ULL * TICK_US);
}

/*
 * The busy time's end with data queued (tcp_write_queue_purge() before it
 * frees the queues, tcp_clean_rtx_queue() with unsent data left): busy
 * starts afresh, its time kept; rwnd-limited goes on. The jiffies counter
 * wraps: times are differences.
 */
static void chrono_busy_goes_on(struct kunit *test)
{
	struct xtcp_chrono c = {};
	u32 t0 = (u32)-5;

	xtcp_chrono_start(&c, XTCP_CHRONO_BUSY, t0);
	xtcp_chrono_stop(&c, XTCP_CHRONO_BUSY, false, t0 + 10);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_BUSY);
	KUNIT_EXPECT_EQ(test, c.start, t0 + 10);
	KUNIT_EXPECT_EQ(test, c.stat[XTCP_CHRONO_BUSY - 1], 10U);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_BUSY, t0 + 14),
			14ULL * TICK_US);
	xtcp_chrono_start(&c, XTCP_CHRONO_RWND_LIMITED, t0 + 20);
	xtcp_chrono_stop(&c, XTCP_CHRONO_BUSY, false, t0 + 30);
	KUNIT_EXPECT_EQ(test, (int)c.type, XTCP_CHRONO_RWND_LIMITED);
	KUNIT_EXPECT_EQ(test, xtcp_chrono_us(&c, XTCP_CHRONO_RWND_LIMITED,
					     t0 + 30), 10ULL * TICK_US);
}

static struct kunit_case rate_cases[] = {
	KUNIT_CASE(ack_phase),
	KUNIT_CASE(send_phase),
	KUNIT_CASE(below_min_rtt),
	KUNIT_CASE(app_limited),
	KUNIT_CASE(sacked_once),
	KUNIT_CASE(bytes_per_second),
	KUNIT_CASE(ack_maybe_delayed),
	KUNIT_CASE(chrono_precedence),
	KUNIT_CASE(chrono_busy_goes_on),
	{}
};

static struct kunit_suite rate_suite = {
	.name = "xtcp_rate",
	.test_cases = rate_cases,
};

XTCP_KUNIT_SUITES(rate, &rate_suite);
