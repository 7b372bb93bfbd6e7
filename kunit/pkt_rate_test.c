// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): what the sender measures of itself, as
 * TCP_INFO and congestion control see it. The chronographs (src/chrono.h)
 * run at Linux's places: a write starts busy, the peer's window holding
 * back the send head makes it rwnd limited (tcp_write_xmit()), a writer out
 * of send buffer with all sent makes it sndbuf limited
 * (tcp_cwnd_validate()), room in the buffer (tcp_check_space()) and the ACK
 * of all end them. The rate sample of each ACK says whether the ACK was
 * likely delayed (src/rate.h, FLAG_ACK_MAYBE_DELAYED) to the algorithm's
 * cong_control, and the windowed minimum RTT leaves such an ACK's longer
 * round trip out (tcp_update_rtt_min()); an ACK below SND.UNA, or with
 * nothing in flight, gives cong_control no sample (tcp_ack()). The
 * tracepoint xtcp_probe shows each acceptable ACK once.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/xtcp_cong.h>

#include "packet.h"
#include "rtxq.h"
#include "sockopt.h"
#include "suites.h"

/* What a test lets pass before it reads the figures, in ms. */
#define PAUSE_MS	40
/* The least the figures may show of it: half, in us (tick and TCG's slack). */
#define PAUSE_MIN_US	((u64)PAUSE_MS * USEC_PER_MSEC / 2)

/* The next segment xtcp sent, whatever it is, seen by the peer. */
static void saw_next(struct kunit *test, struct xtcp_peer *p)
{
	struct xtcp_pkt *pkt = xtcp_test_pop(test);

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	xtcp_peer_saw(p, pkt);
}

/*
 * Everything captured meanwhile (a tail loss probe may fire while a test
 * sleeps with data in flight), seen by the peer.
 */
static void saw_all(struct kunit *test, struct xtcp_peer *p)
{
	while (xtcp_test_captured())
		saw_next(test, p);
}

static int chrono_type(struct socket *sock)
{
	return xtcp_sk(sock->sk)->chrono.type;
}

/*
 * A write into a closed window: rwnd limited from the write on, nothing in
 * flight, until a window update lets it all go; busy then until the ACK of
 * all, which stops the chronographs: their figures no longer grow.
 * tcpi_busy_time is the sum of all.
 */
static void rate_chrono_rwnd(struct kunit *test)
{
	const u32 mss = XTCP_TEST_MSS;
	struct tcp_info a, b;
	unsigned long j0, j1;
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 43020);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_UNSPEC);
	p.window = 0;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_ASSERT_EQ(test, xtcp_sk(sock->sk)->snd_wnd, 0U);

	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 2 * mss, 0), (int)(2 * mss));
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_RWND_LIMITED);
	msleep(PAUSE_MS);
	p.window = 65535;
	j0 = jiffies;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	saw_next(test, &p);
	saw_next(test, &p);
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_BUSY);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	j1 = jiffies;
	KUNIT_EXPECT_TRUE(test, xtcp_queues_empty(sock->sk));
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_UNSPEC);

	xtcp_get_info(sock->sk, &a, NULL);
	KUNIT_EXPECT_GE(test, a.tcpi_rwnd_limited, PAUSE_MIN_US);
	KUNIT_EXPECT_EQ(test, a.tcpi_sndbuf_limited, 0ULL);
	KUNIT_EXPECT_GE(test, a.tcpi_busy_time, a.tcpi_rwnd_limited);
	/*
	 * busy beyond the closed window: from the window update to the last
	 * ACK, as the test's own jiffies saw it (a guest short of CPU may take
	 * ticks over it), give or take the tick either end falls in
	 */
	KUNIT_EXPECT_LE(test, a.tcpi_busy_time - a.tcpi_rwnd_limited,
			(u64)jiffies_to_usecs(j1 - j0 + 2));
	msleep(2 * 1000 / HZ + 1);
	xtcp_get_info(sock->sk, &b, NULL);
	KUNIT_EXPECT_EQ(test, b.tcpi_busy_time, a.tcpi_busy_time);
	KUNIT_EXPECT_EQ(test, b.tcpi_rwnd_limited, a.tcpi_rwnd_limited);
}

/*
 * A small send buffer (SO_SNDBUF) and a non-blocking write bigger than it:
 * what was queued goes at once (the congestion window, 10, does not limit
 * it), and the writer is out of room with nothing left unsent: sndbuf
 * limited, until the ACK that frees the buffer wakes the writer and, all
 * acknowledged, stops the chronographs.
 */
static void rate_chrono_sndbuf(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct tcp_info info;
	int sent;

	xtcp_peer_init(&p, 43021);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_SOCKET, SO_SNDBUF,
						   1), 0);
	sent = xtcp_test_sendmsg(sock, 20 * XTCP_TEST_MSS, 0);
	KUNIT_ASSERT_GT(test, sent, 0);
	KUNIT_ASSERT_LT(test, sent, 20 * XTCP_TEST_MSS);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_send_head(sock->sk), NULL);
	KUNIT_EXPECT_TRUE(test, test_bit(SOCK_NOSPACE, &sock->flags));
	KUNIT_EXPECT_LT(test, xtcp_sk(sock->sk)->packets_out,
			xtcp_sk(sock->sk)->cc.cwnd);
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_SNDBUF_LIMITED);
	msleep(PAUSE_MS);
	saw_all(test, &p);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_TRUE(test, xtcp_queues_empty(sock->sk));
	KUNIT_EXPECT_FALSE(test, test_bit(SOCK_NOSPACE, &sock->flags));
	KUNIT_EXPECT_EQ(test, chrono_type(sock), XTCP_CHRONO_UNSPEC);
	xtcp_get_info(sock->sk, &info, NULL);
	KUNIT_EXPECT_GE(test, info.tcpi_sndbuf_limited, PAUSE_MIN_US);
	KUNIT_EXPECT_EQ(test, info.tcpi_rwnd_limited, 0ULL);
	KUNIT_EXPECT_GE(test, info.tcpi_busy_time, info.tcpi_sndbuf_limited);
}

/* The rate samples an algorithm's cong_control was given, as it saw them. */
static int samples, delayed_samples;
static bool registered;		/* record_ops is in the list */

static void record_cong_control(struct sock *sk, const struct rate_sample *rs)
{
	samples++;
	delayed_samples += rs->is_ack_delayed;
}

static u32 keep_ssthresh(struct sock *sk)
{
	return xtcp_cc(sk)->ssthresh;
}

static u32 keep_cwnd(struct sock *sk)
{
	return xtcp_cc(sk)->cwnd;
}

static struct xtcp_congestion_ops record_ops = {
	.name		= "kunit_rs",
	.api_version	= XTCP_CONG_API_VERSION,
	.ssthresh	= keep_ssthresh,
	.cong_control	= record_cong_control,
	.undo_cwnd	= keep_cwnd,
};

static int set_cc(struct socket *sock, const char *name)
{
	char buf[XTCP_CA_NAME_MAX];

	strscpy(buf, name, sizeof(buf));
	return sock->ops->setsockopt(sock, SOL_TCP, TCP_CONGESTION,
				     KERNEL_SOCKPTR(buf), strlen(buf));
}

/*
 * @writes writes of @len bytes each (TCP_NODELAY: a segment each), seen by
 * the peer, then ACKed at once: did the ACK's rate sample, as cong_control
 * got it, say "delayed"?
 */
static bool ack_delayed(struct kunit *test, struct socket *sock,
			struct xtcp_peer *p, u32 len, int writes)
{
	int before = delayed_samples, n = samples, i;

	for (i = 0; i < writes; i++) {
		KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, len, 0), (int)len);
		saw_next(test, p);
	}
	XTCP_EXPECT_NO_SEGMENT(test);
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, samples, n + 1);
	KUNIT_EXPECT_EQ(test, (bool)xtcp_sk(sock->sk)->rs.is_ack_delayed,
			delayed_samples > before);
	return delayed_samples > before;
}

/*
 * rs->is_ack_delayed (tcp_clean_rtx_queue()'s FLAG_ACK_MAYBE_DELAYED), as
 * cong_control reads it: the ACK of one runt segment alone is likely
 * delayed; of a full segment, or of two runts, it is not. Without SACK it
 * never is: Linux judges before it counts a NewReno ACK's delivery.
 */
static void rate_ack_delayed(struct kunit *test)
{
	static const struct xtcp_options no_sack = {
		.present = XTCP_OPTF_MSS,
		.mss = XTCP_TEST_MSS,
	};
	struct xtcp_peer p, q;
	struct socket *sock, *reno;

	KUNIT_ASSERT_EQ(test, xtcp_register_congestion_control(&record_ops), 0);
	registered = true;
	xtcp_peer_init(&p, 43022);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_TRUE(test, xtcp_sk(sock->sk)->sack_ok);
	KUNIT_ASSERT_EQ(test, set_cc(sock, "kunit_rs"), 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	KUNIT_EXPECT_TRUE(test, ack_delayed(test, sock, &p, 100, 1));
	KUNIT_EXPECT_FALSE(test, ack_delayed(test, sock, &p, XTCP_TEST_MSS, 1));
	KUNIT_EXPECT_FALSE(test, ack_delayed(test, sock, &p, 100, 2));
	KUNIT_EXPECT_TRUE(test, ack_delayed(test, sock, &p, 1, 1));

	xtcp_peer_init(&q, 43023);
	reno = xtcp_test_established(test, &q, &no_sack);
	KUNIT_ASSERT_FALSE(test, xtcp_sk(reno->sk)->sack_ok);
	KUNIT_ASSERT_EQ(test, set_cc(reno, "kunit_rs"), 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(reno, SOL_TCP, TCP_NODELAY,
						   1), 0);
	KUNIT_EXPECT_FALSE(test, ack_delayed(test, reno, &q, 100, 1));
}

/*
 * tcp_ack(): an old ACK, below SND.UNA, goes to old_ack:, which only tags
 * its SACKs, and one with nothing in flight before it to no_queue:; neither
 * makes a rate sample (tcp_rate_gen()) nor calls cong_control. The ACKs of
 * new data around them do.
 */
static void rate_no_sample_old_ack(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	u32 start, una, next;
	int n;

	KUNIT_ASSERT_EQ(test, xtcp_register_congestion_control(&record_ops), 0);
	registered = true;
	xtcp_peer_init(&p, 43024);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, set_cc(sock, "kunit_rs"), 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	start = p.ack;
	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	saw_next(test, &p);
	una = p.ack;
	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	saw_next(test, &p);
	next = p.ack;

	/* the first segment ACKed: a sample */
	n = samples;
	p.ack = una;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, samples, n + 1);
	KUNIT_ASSERT_EQ(test, xs->snd_una, una);

	/* an ACK below SND.UNA, acceptable (within what was ACKed): none */
	n = samples;
	p.ack = start;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, samples, n);
	KUNIT_EXPECT_EQ(test, xs->snd_una, una);

	/* the second segment ACKed: a sample */
	p.ack = next;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, samples, n + 1);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);

	/* nothing in flight: a window update gives none */
	n = samples;
	p.window /= 2;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, samples, n);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* How long the peer holds an ACK back in the next test, in ms. */
#define HOLD_MS		30

/*
 * @len bytes written and seen by the peer, which ACKs them after @hold_ms:
 * was the ACK taken as likely delayed? Leaves the windowed minimum RTT in
 * @min_us.
 */
static bool ack_after(struct kunit *test, struct socket *sock,
		      struct xtcp_peer *p, u32 len, u32 hold_ms, u32 *min_us)
{
	struct xtcp_sock *xs = xtcp_sk(sock->sk);

	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, len, 0), (int)len);
	saw_next(test, p);
	if (hold_ms)
		msleep(hold_ms);
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	*min_us = xtcp_rtt_min_us(&xs->rtt);
	return xs->rs.is_ack_delayed;
}

/*
 * tcp_update_rtt_min(): the round trip of an ACK that was likely delayed
 * (FLAG_ACK_MAYBE_DELAYED) does not go into the windowed minimum when it is
 * longer than the minimum; of an ACK that was not, it does. With
 * tcp_min_rtt_wlen 0 the window is shorter than a jiffy, so that a sample
 * taken replaces the minimum at once.
 */
static void rate_min_rtt_delayed_ack(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	u32 min_us;

	xtcp_peer_init(&p, 43025);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	xtcp_test_sysctl(test,
			 &sock_net(sock->sk)->ipv4.sysctl_tcp_min_rtt_wlen, 0);
	/* a full segment ACKed at once: the minimum is short */
	KUNIT_EXPECT_FALSE(test, ack_after(test, sock, &p, XTCP_TEST_MSS, 0,
					   &min_us));
	KUNIT_ASSERT_LT(test, min_us, HOLD_MS * USEC_PER_MSEC / 2);

	/* a runt ACKed late: likely delayed, longer, left out */
	KUNIT_EXPECT_TRUE(test, ack_after(test, sock, &p, 100, HOLD_MS,
					  &min_us));
	KUNIT_EXPECT_LT(test, min_us, HOLD_MS * USEC_PER_MSEC / 2);
	KUNIT_EXPECT_GE(test, xtcp_sk(sock->sk)->rs.rtt_us,
			(long)HOLD_MS * USEC_PER_MSEC);

	/* a full segment ACKed as late: taken, the window being over */
	KUNIT_EXPECT_FALSE(test, ack_after(test, sock, &p, XTCP_TEST_MSS,
					   HOLD_MS, &min_us));
	KUNIT_EXPECT_GE(test, min_us, HOLD_MS * USEC_PER_MSEC);
}

/* What xtcp_probe showed a probe of the test's own. */
static struct {
	struct sock *sk;
	unsigned int hits;
	u32 snd_una;
	long interval_us;
	int delivered;
	u32 data_len;
} seen;
static bool probing;

static void probe_hit(void *data, const struct sock *sk,
		      const struct sk_buff *skb)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (sk != seen.sk)
		return;
	seen.hits++;
	seen.snd_una = xs->snd_una;
	seen.interval_us = xs->rs.interval_us;
	seen.delivered = xs->rs.delivered;
	seen.data_len = skb->len;
}

/*
 * The tracepoint xtcp_probe fires once for each acceptable ACK, new, old,
 * a window update or on the peer's text, after the ACK's work: SND.UNA
 * where it took it, the rate sample made or marked absent (-1). An ACK
 * of what was never sent is refused, and shown not.
 */
static void rate_probe_once_per_ack(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	u32 start, una, next;

	xtcp_peer_init(&p, 43026);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	memset(&seen, 0, sizeof(seen));
	seen.sk = sock->sk;
	KUNIT_ASSERT_EQ(test, register_trace_xtcp_probe(probe_hit, NULL), 0);
	probing = true;
	start = p.ack;
	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	saw_next(test, &p);
	una = p.ack;
	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	saw_next(test, &p);
	next = p.ack;
	KUNIT_EXPECT_EQ(test, seen.hits, 0U);

	p.ack = una;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 1U);
	KUNIT_EXPECT_EQ(test, seen.snd_una, una);

	/* below SND.UNA: shown, with no sample */
	p.ack = start;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 2U);
	KUNIT_EXPECT_EQ(test, seen.snd_una, una);
	KUNIT_EXPECT_EQ(test, seen.interval_us, -1L);
	KUNIT_EXPECT_EQ(test, seen.delivered, -1);

	p.ack = next;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 3U);
	KUNIT_EXPECT_EQ(test, seen.snd_una, next);

	/* nothing in flight: a window update, shown, with no sample */
	p.window /= 2;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 4U);
	KUNIT_EXPECT_EQ(test, seen.interval_us, -1L);

	/* an ACK of what was never sent: refused (a challenge ACK), not shown */
	p.ack = next + 1000;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 4U);
	saw_all(test, &p);

	/* the peer's text carries an ACK: one event, its length */
	p.ack = next;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 50);
	KUNIT_EXPECT_EQ(test, seen.hits, 5U);
	KUNIT_EXPECT_EQ(test, seen.data_len, 50U);
}

/*
 * After each test, pass or fail: kunit_rs leaves the list. Sockets that
 * still use it hold a pointer to it, valid until this module goes, and are
 * released first, with the test's resources.
 */
static void rate_pkt_exit(struct kunit *test)
{
	if (probing) {
		unregister_trace_xtcp_probe(probe_hit, NULL);
		tracepoint_synchronize_unregister();
	}
	probing = false;
	if (registered)
		xtcp_unregister_congestion_control(&record_ops);
	registered = false;
}

static struct kunit_case rate_pkt_cases[] = {
	KUNIT_CASE(rate_chrono_rwnd),
	KUNIT_CASE(rate_chrono_sndbuf),
	KUNIT_CASE(rate_ack_delayed),
	KUNIT_CASE(rate_no_sample_old_ack),
	KUNIT_CASE(rate_min_rtt_delayed_ack),
	KUNIT_CASE(rate_probe_once_per_ack),
	{}
};

static struct kunit_suite rate_pkt_suite = {
	.name = "xtcp_pkt_rate",
	.init = xtcp_test_init,
	.exit = rate_pkt_exit,
	.test_cases = rate_pkt_cases,
};

XTCP_KUNIT_SUITES(pkt_rate, &rate_pkt_suite);
