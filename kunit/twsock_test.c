// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): TIME-WAIT between sockets (src/twsock.c).
 * A connection is closed actively until its socket gives way to a bucket;
 * the test then plays the peer's segments for the 4-tuple and checks, against
 * the state table's TIME-WAIT row and Linux 6.1's
 * tcp_timewait_state_process(), what the bucket answers, whether its 2 MSL
 * restarts, whether it goes, and what net.xtcp.invalid_ratelimit holds back.
 * xtcp_tw_classify() is also checked on its own, segment by segment.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/net.h>
#include <linux/netfilter.h>
#include <net/sock.h>

#include "packet.h"
#include "seq.h"
#include "suites.h"
#include "twsock.h"

/* More than one tick of the wheel (134 ms): a restart moves the expiry. */
#define TW_TICKS_MS	300

static struct xtcp_tw_table *tw_table(void)
{
	return &xtcp_net(&init_net)->tw;
}

static int tw_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

/* The test's bucket goes with the test, so that its port is free again. */
static void tw_res_free(struct kunit_resource *res)
{
	struct xtcp_tw_bucket *tw = res->data;

	xtcp_tw_kill(tw_table(), tw);
	xtcp_tw_put(tw);
}

/*
 * @p's bucket, whatever its device, with a reference the test keeps; NULL if
 * there is none.
 */
static struct xtcp_tw_bucket *tw_find(const struct xtcp_peer *p)
{
	return xtcp_tw_lookup(tw_table(), &init_net, p->xaddr, p->xport,
			      p->addr, p->port, -1, 0);
}

static bool tw_hashed(const struct xtcp_peer *p)
{
	struct xtcp_tw_bucket *tw = tw_find(p);

	if (tw)
		xtcp_tw_put(tw);
	return tw;
}

/* The wheel tick @tw expires at; 0 if it is off the wheel. */
static u32 tw_expires(struct xtcp_tw_bucket *tw)
{
	struct xtcp_tw_table *tbl = tw_table();
	u32 e = 0;

	spin_lock_bh(&tbl->wheel_lock);
	if (!list_empty(&tw->wheel))
		e = tw->expires;
	spin_unlock_bh(&tbl->wheel_lock);
	return e;
}

/* Keep @tw for the test; dropped (and killed) when it ends. */
static void tw_keep(struct kunit *test, struct xtcp_tw_bucket *tw)
{
	if (!kunit_alloc_resource(test, tw_res_init, tw_res_free, GFP_KERNEL,
				  tw)) {
		xtcp_tw_put(tw);
		KUNIT_ASSERT_FAILURE(test, "no memory for a bucket resource");
	}
}

/*
 * From @sock, ESTABLISHED with @p: shutdown(SHUT_WR), our FIN; the peer's
 * FIN that acknowledges it, one XTCP_EV_FIN_ACK: our ACK, TIME-WAIT, and the
 * socket gone for a bucket, which is returned (kept for the test).
 */
static struct xtcp_tw_bucket *tw_close(struct kunit *test,
				       struct socket *sock,
				       struct xtcp_peer *p)
{
	struct xtcp_tw_bucket *tw;
	long created = xtcp_test_stat(XTCP_STAT_TW_CREATED);

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	xtcp_peer_saw(p, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	KUNIT_ASSERT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT1);
	xtcp_peer_send(test, p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p->ack, p->seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_TW_CREATED), created + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
	tw = tw_find(p);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	tw_keep(test, tw);
	KUNIT_EXPECT_EQ(test, tw->st.rcv_nxt, p->seq);
	KUNIT_EXPECT_EQ(test, tw->st.snd_nxt, p->ack);
	return tw;
}

/* An active open to @p at @port, closed into TIME-WAIT; @ts: timestamps. */
static struct xtcp_tw_bucket *tw_enter(struct kunit *test, struct xtcp_peer *p,
				       u16 port, bool ts)
{
	static const struct xtcp_options ts_opt = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_TIMESTAMP,
		.mss = XTCP_TEST_MSS,
	};

	xtcp_peer_init(p, port);
	return tw_close(test, xtcp_test_established(test, p,
						    ts ? &ts_opt : NULL), p);
}

static void tw_feed(struct kunit *test, struct xtcp_peer *p,
		    const struct xtcp_test_seg *s)
{
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, s),
			(unsigned int)NF_STOLEN);
}

/*
 * The peer's FIN again (it did not hear our ACK): ACKed again, 2 MSL
 * restarted. A FIN uses sequence space, so net.xtcp.invalid_ratelimit never
 * holds its ACK back (tcp_oow_rate_limited()).
 */
static void tw_fin_again_acked_timer_restarted(struct kunit *test)
{
	long skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_TIME_WAIT);
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	u32 e0;

	tw = tw_enter(test, &p, 47001, false);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 60000);
	e0 = tw_expires(tw);
	KUNIT_ASSERT_NE(test, e0, 0U);
	msleep(TW_TICKS_MS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	s.seq = p.seq - 1;
	tw_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_GT(test, (s32)(tw_expires(tw) - e0), 0);
	tw_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_TIME_WAIT),
			skipped);
	KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* The in-window bare ACK at RCV.NXT: unanswered, 2 MSL restarted (Linux). */
static void tw_bare_ack_restarts_timer(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_peer p;
	u32 e0;

	tw = tw_enter(test, &p, 47002, false);
	e0 = tw_expires(tw);
	msleep(TW_TICKS_MS);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_GT(test, (s32)(tw_expires(tw) - e0), 0);
	KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
}

/* A RST at RCV.NXT ends TIME-WAIT (net.xtcp.rfc1337 0, the default). */
static void tw_rst_exact_kills(struct kunit *test)
{
	struct xtcp_peer p;

	tw_enter(test, &p, 47003, false);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->rfc1337, 0);
	xtcp_peer_send(test, &p, XTCP_FLAG_RST, 0);
	KUNIT_EXPECT_FALSE(test, tw_hashed(&p));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* RFC 1337 (net.xtcp.rfc1337 1): the same RST is ignored, 2 MSL untouched. */
static void tw_rst_exact_rfc1337_ignored(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_peer p;
	u32 e0;

	tw = tw_enter(test, &p, 47004, false);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->rfc1337, 1);
	e0 = tw_expires(tw);
	msleep(TW_TICKS_MS);
	xtcp_peer_send(test, &p, XTCP_FLAG_RST | XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
	KUNIT_EXPECT_EQ(test, tw_expires(tw), e0);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A RST off RCV.NXT is ignored, with net.xtcp.rfc1337 0 or 1: no challenge
 * ACK in TIME-WAIT, as Linux.
 */
static void tw_rst_inexact_ignored(struct kunit *test)
{
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	int rfc1337;

	tw_enter(test, &p, 47005, false);
	for (rfc1337 = 0; rfc1337 <= 1; rfc1337++) {
		xtcp_test_sysctl(test, &xtcp_net(&init_net)->rfc1337, rfc1337);
		s = xtcp_peer_seg(&p, XTCP_FLAG_RST, 0);
		s.seq = p.seq + 100;
		tw_feed(test, &p, &s);
		s.seq = p.seq - 1;
		tw_feed(test, &p, &s);
		KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
		XTCP_EXPECT_NO_SEGMENT(test);
	}
}

/*
 * RFC 6191: a SYN beyond RCV.NXT reopens the 4-tuple: the bucket goes
 * (TimeWaitRecycled) and the SYN goes on to the listener, which answers it.
 */
static void tw_syn_newer_reopens(struct kunit *test)
{
	long recycled = xtcp_test_stat(XTCP_STAT_TW_RECYCLED);
	struct socket *lsock, *child;
	struct xtcp_test_seg s;
	struct xtcp_pkt *synack;
	struct xtcp_peer p;

	lsock = xtcp_test_listener(test, 4, &p);
	xtcp_test_passive(test, lsock, &p, 47006);
	child = xtcp_test_accept(test, lsock);
	tw_close(test, child, &p);

	s = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
	s.seq = p.seq + 100000;
	tw_feed(test, &p, &s);
	KUNIT_EXPECT_FALSE(test, tw_hashed(&p));
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_TW_RECYCLED),
			recycled + 1);
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, synack->seg.ack, s.seq + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A SYN that is not newer (below RCV.NXT, no newer timestamp): answered with
 * an ACK, the bucket stays, and, without the ACK bit, 2 MSL is not restarted
 * (it may be a new connection's SYN with a random ISN, as Linux reasons).
 */
static void tw_syn_old_acked_timer_kept(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	u32 e0;

	tw = tw_enter(test, &p, 47007, false);
	e0 = tw_expires(tw);
	msleep(TW_TICKS_MS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
	s.seq = p.seq - 1000;
	tw_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, tw_expires(tw), e0);
	KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Every ACK of a bucket passes net.xtcp.invalid_ratelimit, per bucket: one
 * per interval, the others counted in TCPACKSkippedTimeWait; 0 sends all.
 */
static void tw_acks_rate_limited(struct kunit *test)
{
	int *rl = &xtcp_net(&init_net)->invalid_ratelimit;
	struct xtcp_test_seg syn, ack;
	struct xtcp_peer p;
	long skipped;

	tw_enter(test, &p, 47008, false);
	xtcp_test_sysctl(test, rl, 60000);
	skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_TIME_WAIT);
	syn = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
	syn.seq = p.seq - 1000;
	ack = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	ack.seq = p.seq + 5;

	tw_feed(test, &p, &syn);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	tw_feed(test, &p, &syn);
	tw_feed(test, &p, &ack);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_TIME_WAIT),
			skipped + 2);

	WRITE_ONCE(*rl, 0);
	tw_feed(test, &p, &syn);
	tw_feed(test, &p, &ack);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_TIME_WAIT),
			skipped + 2);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * PAWS in TIME-WAIT: an older timestamp than TS.Recent is counted in
 * PAWSEstab, answered with an ACK (echoing TS.Recent's peer) and restarts
 * 2 MSL, as Linux; even a bare segment at RCV.NXT.
 */
static void tw_paws_reject_counted(struct kunit *test)
{
	long paws = xtcp_test_stat(XTCP_STAT_PAWS_ESTAB);
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_pkt *ack;
	struct xtcp_peer p;
	u32 e0;

	tw = tw_enter(test, &p, 47009, true);
	KUNIT_ASSERT_NE(test, tw->st.ts_recent_stamp, 0U);
	e0 = tw_expires(tw);
	msleep(TW_TICKS_MS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.opt.tsval = tw->st.ts_recent - 100;
	tw_feed(test, &p, &s);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PAWS_ESTAB), paws + 1);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_TRUE(test, ack->seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_GT(test, (s32)(tw_expires(tw) - e0), 0);
	KUNIT_EXPECT_TRUE(test, tw_hashed(&p));
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A bare ACK at RCV.NXT with a newer timestamp moves TS.Recent on, as
 * tcp_timewait_state_process() does; the bucket's ACKs echo TS.Recent
 * (tcp_v4_timewait_ack()), never the TSval of the segment they answer.
 */
static void tw_bare_ack_moves_ts_recent(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_pkt *ack;
	struct xtcp_peer p;
	u32 ts0;

	tw = tw_enter(test, &p, 47010, true);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 0);
	KUNIT_ASSERT_NE(test, tw->st.ts_recent_stamp, 0U);
	ts0 = tw->st.ts_recent;
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.opt.tsval = ts0 + 50;
	tw_feed(test, &p, &s);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tw->st.ts_recent), ts0 + 50);

	/* text, outside TIME-WAIT's empty window: an ACK echoing TS.Recent */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 10);
	s.opt.tsval = ts0 + 60;
	tw_feed(test, &p, &s);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_TRUE(test, ack->seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.tsecr, ts0 + 50);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tw->st.ts_recent), ts0 + 50);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* An ifindex no device has. */
#define NO_SUCH_IFINDEX	0x7ffe

/*
 * SO_BINDTODEVICE: a connection bound to lo leaves a bucket bound to lo, as
 * tcp_time_wait() keeps tw_bound_dev_if. The peer's FIN again, in on another
 * device, does not find it (inet_match()): left to the kernel's TCP,
 * unanswered, the bucket untouched; in on lo, it is answered.
 */
static void tw_bound_device_matched(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct socket *sock;
	struct xtcp_test_seg s;
	struct xtcp_peer p;
	u32 e0;

	xtcp_peer_init(&p, 47011);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, sock_bindtoindex(sock->sk, LOOPBACK_IFINDEX,
					       true), 0);
	tw = tw_close(test, sock, &p);
	KUNIT_EXPECT_EQ(test, tw->st.bound_dev_if, LOOPBACK_IFINDEX);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 0);
	e0 = tw_expires(tw);
	msleep(TW_TICKS_MS);

	s = xtcp_peer_seg(&p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	s.seq = p.seq - 1;
	s.ifindex = NO_SUCH_IFINDEX;
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_ACCEPT);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, tw_expires(tw), e0);

	s.ifindex = LOOPBACK_IFINDEX;
	tw_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_GT(test, (s32)(tw_expires(tw) - e0), 0);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A connection bound to no device leaves a bucket that hears every device. */
static void tw_unbound_any_device(struct kunit *test)
{
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_peer p;

	tw = tw_enter(test, &p, 47012, false);
	KUNIT_EXPECT_EQ(test, tw->st.bound_dev_if, 0);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 0);
	s = xtcp_peer_seg(&p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	s.seq = p.seq - 1;
	s.ifindex = NO_SUCH_IFINDEX;
	tw_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The bucket's ACKs carry the window the socket last advertised, on its
 * scale: tcp_time_wait() keeps tcp_receive_window() and rcv_wscale, and
 * tcp_v4_timewait_ack() sends tw_rcv_wnd >> tw_rcv_wscale. With window
 * scaling (the peer's wscale 7) and 1000 bytes left unread, the ACK of the
 * peer's FIN and the bucket's ACKs of it again (a retransmitted FIN, text out
 * of window) carry one and the same window, not 0.
 */
static void tw_ack_window_last_advertised(struct kunit *test)
{
	static const struct xtcp_options ws_opt = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_WSCALE,
		.mss = XTCP_TEST_MSS,
		.wscale = 7,
	};
	struct xtcp_tw_bucket *tw;
	struct xtcp_test_seg s;
	struct xtcp_sock *xs;
	struct socket *sock;
	struct xtcp_pkt *ack;
	struct xtcp_peer p;
	u16 win;

	xtcp_peer_init(&p, 47013);
	sock = xtcp_test_established(test, &p, &ws_opt);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_GT(test, xs->rcv_wscale, 0);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 1000);	/* quick ACKed */
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->invalid_ratelimit, 0);

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK));
	xtcp_peer_send(test, &p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	win = ack->seg.window;
	KUNIT_EXPECT_GT(test, win, 0);
	/* tcp_receive_window() of the socket, on its scale, is what it sent */
	KUNIT_EXPECT_EQ(test, (u32)win,
			(xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt) >>
			xs->rcv_wscale);
	tw = tw_find(&p);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	tw_keep(test, tw);
	KUNIT_EXPECT_EQ(test, tw->st.rcv_wnd, win);

	s = xtcp_peer_seg(&p, XTCP_FLAG_FIN | XTCP_FLAG_ACK, 0);
	s.seq = p.seq - 1;
	tw_feed(test, &p, &s);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, ack->seg.window, win);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 10);
	tw_feed(test, &p, &s);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, ack->seg.window, win);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* xtcp_tw_classify(), one segment at a time, against a made-up bucket. */
static void tw_classify_events(struct kunit *test)
{
	const struct xtcp_tw_state st = {
		.rcv_nxt = 5000, .snd_nxt = 9000,
		.ts_recent = 700, .ts_recent_stamp = 1,
	};
	static const struct {
		u8 flags;
		u32 seq, end_seq;
		bool has_ts;
		u32 tsval;
		int rfc1337;
		enum xtcp_event ev;
	} c[] = {
		{ XTCP_FLAG_RST, 5000, 5000, 0, 0, 0, XTCP_EV_RST },
		{ XTCP_FLAG_RST | XTCP_FLAG_ACK, 5000, 5000, 0, 0, 1, XTCP_EV_MAX },
		{ XTCP_FLAG_RST, 5001, 5001, 0, 0, 0, XTCP_EV_RST_INEXACT },
		{ XTCP_FLAG_RST, 5001, 5001, 0, 0, 1, XTCP_EV_RST_INEXACT },
		{ XTCP_FLAG_ACK, 5000, 5000, 0, 0, 0, XTCP_EV_ACK },
		{ XTCP_FLAG_ACK, 5000, 5000, 1, 701, 0, XTCP_EV_ACK },
		{ XTCP_FLAG_ACK, 5000, 5000, 1, 600, 0, XTCP_EV_UNACCEPTABLE },
		{ XTCP_FLAG_ACK, 4000, 4000, 0, 0, 0, XTCP_EV_UNACCEPTABLE },
		{ XTCP_FLAG_ACK, 5000, 5100, 0, 0, 0, XTCP_EV_UNACCEPTABLE },
		{ XTCP_FLAG_ACK | XTCP_FLAG_FIN, 4999, 5000, 0, 0, 0, XTCP_EV_FIN },
		{ XTCP_FLAG_ACK | XTCP_FLAG_FIN, 5000, 5001, 0, 0, 0,
		  XTCP_EV_UNACCEPTABLE },
		{ XTCP_FLAG_FIN, 4999, 5000, 0, 0, 0, XTCP_EV_BAD_ACK },
		{ 0, 5000, 5100, 0, 0, 0, XTCP_EV_BAD_ACK },
		{ XTCP_FLAG_SYN, 4000, 4001, 0, 0, 0, XTCP_EV_SYN },
		{ XTCP_FLAG_SYN, 6000, 6001, 0, 0, 0, XTCP_EV_SYN_NEWER },
		{ XTCP_FLAG_SYN, 4000, 4001, 1, 800, 0, XTCP_EV_SYN_NEWER },
		{ XTCP_FLAG_SYN, 6000, 6001, 1, 600, 0, XTCP_EV_UNACCEPTABLE },
		{ XTCP_FLAG_SYN | XTCP_FLAG_ACK, 6000, 6001, 0, 0, 0,
		  XTCP_EV_SYN_ACK },
	};
	int *rfc1337 = &xtcp_net(&init_net)->rfc1337;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct xtcp_skb_cb cb = {
			.seq = c[i].seq, .end_seq = c[i].end_seq,
			.flags = c[i].flags, .has_ts = c[i].has_ts,
			.tsval = c[i].tsval,
		};

		xtcp_test_sysctl(test, rfc1337, c[i].rfc1337);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_tw_classify(&init_net, &st, &cb),
				    c[i].ev, "case %u", i);
	}
}

static struct kunit_case twsock_cases[] = {
	KUNIT_CASE(tw_fin_again_acked_timer_restarted),
	KUNIT_CASE(tw_bare_ack_restarts_timer),
	KUNIT_CASE(tw_rst_exact_kills),
	KUNIT_CASE(tw_rst_exact_rfc1337_ignored),
	KUNIT_CASE(tw_rst_inexact_ignored),
	KUNIT_CASE(tw_syn_newer_reopens),
	KUNIT_CASE(tw_syn_old_acked_timer_kept),
	KUNIT_CASE(tw_acks_rate_limited),
	KUNIT_CASE(tw_paws_reject_counted),
	KUNIT_CASE(tw_bare_ack_moves_ts_recent),
	KUNIT_CASE(tw_bound_device_matched),
	KUNIT_CASE(tw_unbound_any_device),
	KUNIT_CASE(tw_ack_window_last_advertised),
	KUNIT_CASE(tw_classify_events),
	{}
};

static struct kunit_suite twsock_suite = {
	.name = "xtcp_twsock",
	.init = xtcp_test_init,
	.test_cases = twsock_cases,
};

XTCP_KUNIT_SUITES(twsock, &twsock_suite);
