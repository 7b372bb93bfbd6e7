// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SYN cookies. Their arithmetic (src/cookie.c), and a listener that
 * answers with them and rebuilds children from their ACKs (src/child.c,
 * through the packet-path harness, packet.h).
 */
#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "cookie.h"
#include "packet.h"
#include "suites.h"

#define SADDR	htonl(0x0a000001)
#define DADDR	htonl(0x0a000002)
#define SPORT	htons(40000)
#define DPORT	htons(80)

/* Each MSS comes back as the largest of the table not above it. */
static void cookie_mss_round_trip(struct kunit *test)
{
	static const u16 in[] = { 100, 536, 1000, 1300, 1439, 1440, 1459,
				  1460, 9000 };
	static const u16 out[] = { 536, 536, 536, 1300, 1300, 1440, 1440,
				   1460, 1460 };
	u32 seq = 0xfffffff0, cookie;
	int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		u16 mss = in[i];

		cookie = xtcp_cookie_seq_at(SADDR, DADDR, SPORT, DPORT, seq,
					    &mss, 1000);
		KUNIT_EXPECT_EQ(test, mss, out[i]);
		/* the ACK's sequence number is the SYN's plus one */
		KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT,
							   DPORT, seq + 1,
							   cookie, 1000),
				out[i]);
	}
}

/* A cookie lives through its minute and the next, and no longer. */
static void cookie_ages_out(struct kunit *test)
{
	u16 mss = 1460;
	u32 cookie = xtcp_cookie_seq_at(SADDR, DADDR, SPORT, DPORT, 7, &mss,
					500);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8, cookie, 501), 1460);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8, cookie, 502), 0);
	/* nor from the future */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8, cookie, 499), 0);
}

/* Another tuple, sequence number or cookie: not ours. */
static void cookie_bound_to_tuple(struct kunit *test)
{
	u16 mss = 1460;
	u32 cookie = xtcp_cookie_seq_at(SADDR, DADDR, SPORT, DPORT, 7, &mss,
					42);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8, cookie, 42), 1460);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(DADDR, SADDR, SPORT, DPORT,
						   8, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, DPORT, SPORT,
						   8, cookie, 42), 0);
	/*
	 * The SYN's sequence number is added in, as in Linux's: one a little
	 * off shifts the MSS index (off by 4 or more from 1460's, out of the
	 * table), one off by 2^24 the minute.
	 */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8 + 4, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8 - 1, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8 + (1 << 24), cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT,
						   8, cookie + 1, 42), 0);
}

/*
 * A cookie TSval is never ahead of the clock nor more than 63 ms behind, and
 * what its low bits say (window scale, SACK, ECN) comes back from the echo.
 */
static void cookie_tsval_carries_options(struct kunit *test)
{
	static const struct xtcp_cookie_opts cases[] = {
		{ .wscale_ok = true, .snd_wscale = 7, .sack_ok = true },
		{ .wscale_ok = true, .snd_wscale = 0, .sack_ok = false },
		{ .wscale_ok = true, .snd_wscale = 14, .sack_ok = true },
		{ .wscale_ok = false, .sack_ok = true },
		{ .wscale_ok = false, .sack_ok = false },
		{ .wscale_ok = true, .snd_wscale = 7, .sack_ok = true,
		  .ecn_ok = true },
		{ .wscale_ok = false, .sack_ok = false, .ecn_ok = true },
	};
	static const u32 clocks[] = { 0x40, 0x12345678, 0xffffffc5, 1000 };
	struct xtcp_cookie_opts o;
	int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 0; j < ARRAY_SIZE(clocks); j++) {
			u32 ts = xtcp_cookie_tsval(clocks[j], &cases[i]);

			KUNIT_EXPECT_LE(test, ts, clocks[j]);
			KUNIT_EXPECT_LT(test, clocks[j] - ts, 64U);
			KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(ts, true,
								      true, &o));
			KUNIT_EXPECT_EQ(test, o.wscale_ok, cases[i].wscale_ok);
			if (cases[i].wscale_ok)
				KUNIT_EXPECT_EQ(test, o.snd_wscale,
						cases[i].snd_wscale);
			KUNIT_EXPECT_EQ(test, o.sack_ok, cases[i].sack_ok);
			KUNIT_EXPECT_EQ(test, o.ecn_ok, cases[i].ecn_ok);
		}
	}
}

/* An echo naming an option our sysctls turn off fails, as Linux's does. */
static void cookie_ts_decode_obeys_sysctls(struct kunit *test)
{
	struct xtcp_cookie_opts sack = { .sack_ok = true };
	struct xtcp_cookie_opts ws = { .wscale_ok = true, .snd_wscale = 2 };
	struct xtcp_cookie_opts o;

	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(xtcp_cookie_tsval(4096, &sack),
						       false, true, &o));
	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(xtcp_cookie_tsval(4096, &ws),
						       true, false, &o));
	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(xtcp_cookie_tsval(4096, &ws),
						      false, true, &o));
}

/* ---- over IPv6 (net/ipv6/syncookies.c) ---- */

static const struct in6_addr saddr6 = {
	{ { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr daddr6 = {
	{ { 0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } } };

/* IPv6's table: each MSS back as the largest of 1220, 1420, 1440, 8940. */
static void cookie6_mss_round_trip(struct kunit *test)
{
	static const u16 in[] = { 100, 536, 1219, 1220, 1419, 1420, 1439,
				  1440, 1460, 8939, 8940, 65535 };
	static const u16 out[] = { 1220, 1220, 1220, 1220, 1220, 1420, 1420,
				   1440, 1440, 1440, 8940, 8940 };
	u32 seq = 0xfffffff0, cookie;
	int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		u16 mss = in[i];

		cookie = xtcp_cookie_seq6_at(&saddr6, &daddr6, SPORT, DPORT,
					     seq, &mss, 1000);
		KUNIT_EXPECT_EQ(test, mss, out[i]);
		KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6,
							    SPORT, DPORT,
							    seq + 1, cookie,
							    1000),
				out[i]);
	}
}

/* Two minutes, as over IPv4; the minute wraps at 2^8 without harm. */
static void cookie6_ages_out(struct kunit *test)
{
	u16 mss = 1440;
	u32 cookie = xtcp_cookie_seq6_at(&saddr6, &daddr6, SPORT, DPORT, 7,
					 &mss, 255);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie, 255), 1440);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie, 256), 1440);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie, 257), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie, 254), 0);
}

/*
 * Bound to every byte of both addresses, to each port and to the SYN's
 * sequence number; and no IPv4 cookie of the mapped tuple, nor an IPv6
 * cookie of the mapped addresses checked as IPv4 (keys of their own).
 */
static void cookie6_bound_to_tuple(struct kunit *test)
{
	struct in6_addr ms, md;
	unsigned int i, passed = 0;
	u16 mss = 1440, mss4 = 1460;
	u32 cookie = xtcp_cookie_seq6_at(&saddr6, &daddr6, SPORT, DPORT, 7,
					 &mss, 42);
	u32 cookie4;

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie, 42), 1440);
	for (i = 0; i < 16; i++) {
		struct in6_addr s = saddr6, d = daddr6;

		s.s6_addr[i] ^= 0x20;
		d.s6_addr[i] ^= 0x02;
		passed += !!xtcp_cookie_check6_at(&s, &daddr6, SPORT, DPORT, 8,
						  cookie, 42);
		passed += !!xtcp_cookie_check6_at(&saddr6, &d, SPORT, DPORT, 8,
						  cookie, 42);
	}
	KUNIT_EXPECT_EQ(test, passed, 0u);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&daddr6, &saddr6, SPORT,
						    DPORT, 8, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, DPORT,
						    SPORT, 8, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8 + 4, cookie, 42), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8 + (1 << 24), cookie,
						    42), 0);
	/* 1440 is index 2: two more leave the table (one more is 8940's) */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie + 1, 42), 8940);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&saddr6, &daddr6, SPORT,
						    DPORT, 8, cookie + 2, 42), 0);

	ipv6_addr_set_v4mapped(SADDR, &ms);
	ipv6_addr_set_v4mapped(DADDR, &md);
	cookie4 = xtcp_cookie_seq_at(SADDR, DADDR, SPORT, DPORT, 7, &mss4, 42);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT, 8,
						   cookie4, 42), 1460);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6_at(&ms, &md, SPORT, DPORT, 8,
						    cookie4, 42), 0);
	mss = 1440;
	cookie = xtcp_cookie_seq6_at(&ms, &md, SPORT, DPORT, 7, &mss, 42);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check_at(SADDR, DADDR, SPORT, DPORT, 8,
						   cookie, 42), 0);
}

/*
 * Many random tuples: every cookie checks, and a random 32-bit number almost
 * never does (4 good index values of 2^24, two minutes: about 2^-21 each).
 */
static void cookie6_random_round_trip(struct kunit *test)
{
	unsigned int i, bad = 0, forged = 0;

	for (i = 0; i < 2000; i++) {
		struct in6_addr s, d;
		__be16 sp, dp;
		u32 seq = get_random_u32(), minute = get_random_u32();
		u16 mss = get_random_u32() & 0xffff, want;
		u32 cookie;

		get_random_bytes(&s, sizeof(s));
		get_random_bytes(&d, sizeof(d));
		get_random_bytes(&sp, sizeof(sp));
		get_random_bytes(&dp, sizeof(dp));
		cookie = xtcp_cookie_seq6_at(&s, &d, sp, dp, seq, &mss, minute);
		want = mss;
		bad += xtcp_cookie_check6_at(&s, &d, sp, dp, seq + 1, cookie,
					     minute + 1) != want;
		forged += !!xtcp_cookie_check6_at(&s, &d, sp, dp, seq + 1,
						  get_random_u32(), minute);
	}
	KUNIT_EXPECT_EQ(test, bad, 0u);
	KUNIT_EXPECT_LE(test, forged, 1u);
}

/* The live calls: what xtcp_cookie_seq6() makes, xtcp_cookie_check6() takes. */
static void cookie6_live_round_trip(struct kunit *test)
{
	u16 mss = 1500;
	u32 cookie = xtcp_cookie_seq6(&saddr6, &daddr6, SPORT, DPORT, 99, &mss);

	KUNIT_EXPECT_EQ(test, mss, 1440);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6(&saddr6, &daddr6, SPORT, DPORT,
						 100, cookie), 1440);
	/* a sequence number 4 off moves the index out of the table */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check6(&saddr6, &daddr6, SPORT, DPORT,
						 100 + 4, cookie), 0);
}

static struct kunit_case cookie_cases[] = {
	KUNIT_CASE(cookie_mss_round_trip),
	KUNIT_CASE(cookie_ages_out),
	KUNIT_CASE(cookie_bound_to_tuple),
	KUNIT_CASE(cookie_tsval_carries_options),
	KUNIT_CASE(cookie_ts_decode_obeys_sysctls),
	KUNIT_CASE(cookie6_mss_round_trip),
	KUNIT_CASE(cookie6_ages_out),
	KUNIT_CASE(cookie6_bound_to_tuple),
	KUNIT_CASE(cookie6_random_round_trip),
	KUNIT_CASE(cookie6_live_round_trip),
	{}
};

static struct kunit_suite cookie_suite = {
	.name = "xtcp_cookie",
	.test_cases = cookie_cases,
};

/* ---- a listener's cookies, on the packet path ---- */

/* Each test sets net.xtcp.syncookies as it needs, for itself. */
static void set_syncookies(struct kunit *test, int val)
{
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->syncookies, val);
}

/* The peer's SYN, as Linux's: MSS 1460, SACK-permitted, timestamps, scale 7. */
static struct xtcp_pkt *send_syn(struct kunit *test, struct xtcp_peer *p,
				 bool ts)
{
	struct xtcp_test_seg s;
	struct xtcp_pkt *synack;

	p->ts = ts;
	s = xtcp_peer_seg(p, XTCP_FLAG_SYN, 0);
	s.opt.present |= XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM | XTCP_OPTF_WSCALE;
	s.opt.mss = XTCP_TEST_MSS;
	s.opt.wscale = 7;
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, p, &s), (unsigned int)NF_STOLEN);
	p->seq++;
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	xtcp_peer_saw(p, synack);
	return synack;
}

/* A peer aimed at @lsock's address and port, from port @port. */
static void peer_for(struct xtcp_peer *p, struct socket *lsock, u16 port)
{
	xtcp_peer_init(p, port);
	p->xaddr = inet_sk(lsock->sk)->inet_rcv_saddr;
	p->xport = inet_sk(lsock->sk)->inet_sport;
}

/*
 * With its SYN queue full (the backlog's worth: 1 here), a listener answers
 * the next SYN with a cookie and keeps nothing; the cookie's ACK, with text
 * on it, makes an established child that has the SYN's options back from
 * the echoed timestamp, its text queued, on the accept queue.
 */
static void cookie_when_synq_full(struct kunit *test)
{
	long sent = xtcp_test_stat(XTCP_STAT_SYNCOOKIES_SENT);
	long recv = xtcp_test_stat(XTCP_STAT_SYNCOOKIES_RECV);
	long docookies = xtcp_test_stat(XTCP_STAT_REQQ_FULL_DO_COOKIES);
	struct xtcp_peer p, q;
	struct socket *lsock, *sock;
	struct xtcp_pkt *synack;
	struct xtcp_sock *lxs, *xs;
	struct xtcp_test_seg s;

	set_syncookies(test, 1);
	xtcp_peer_init(&p, 42101);
	lsock = xtcp_test_listener(test, 1, &p);
	lxs = xtcp_sk(lsock->sk);
	send_syn(test, &p, true);		/* a request: the queue is full */
	KUNIT_ASSERT_EQ(test, lxs->syn_count, 1U);

	peer_for(&q, lsock, 42102);
	synack = send_syn(test, &q, true);
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 1U);	/* nothing kept */
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYNCOOKIES_SENT), sent + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_REQQ_FULL_DO_COOKIES),
			docookies + 1);
	KUNIT_EXPECT_EQ(test, synack->seg.ack, q.isn + 1);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(q.addr, q.xaddr, q.port, q.xport,
						q.seq, synack->seg.seq),
			(u16)1460);
	/* the options a request's SYN+ACK offers */
	KUNIT_EXPECT_EQ(test, synack->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			      XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.wscale,
			xtcp_test_wscale(xtcp_rmem(&init_net, 2)));
	KUNIT_EXPECT_GT(test, synack->seg.opt.mss, (u16)XTCP_TEST_MSS); /* lo */
	KUNIT_EXPECT_EQ(test, synack->seg.window,
			xtcp_test_syn_window(lsock->sk,
					     synack->seg.opt.mss - 12));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.tsecr, q.tsval - 1);
	XTCP_EXPECT_NO_SEGMENT(test);

	s = xtcp_peer_seg(&q, XTCP_FLAG_ACK | XTCP_FLAG_PSH, 100);
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &q, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYNCOOKIES_RECV), recv + 1);
	KUNIT_ASSERT_EQ(test, lxs->accept_count, 1U);
	sock = xtcp_test_accept(test, lsock);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, xs->iss, synack->seg.seq);
	KUNIT_EXPECT_EQ(test, xs->irs, q.isn);
	KUNIT_EXPECT_EQ(test, xs->rcv_nxt, q.seq + 100);
	KUNIT_EXPECT_EQ(test, xs->snd_una, synack->seg.seq + 1);
	KUNIT_EXPECT_EQ(test, xs->peer_mss, (u16)1460);
	KUNIT_EXPECT_TRUE(test, xs->ts_ok);
	KUNIT_EXPECT_TRUE(test, xs->sack_ok);
	KUNIT_EXPECT_TRUE(test, xs->wscale_ok);
	KUNIT_EXPECT_EQ(test, xs->snd_wscale, 7);
	KUNIT_EXPECT_EQ(test, xs->rcv_wscale, synack->seg.opt.wscale);
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, 65535U << 7);
	KUNIT_EXPECT_EQ(test, xs->ts_recent, s.opt.tsval);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_rcvbuf > 0, true);
	KUNIT_EXPECT_EQ(test, xs->rcv_wnd > 0, true);
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 1U);	/* the first request */
}

/* Without timestamps a cookie carries the MSS only, and offers no more. */
static void cookie_without_timestamps(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock, *sock;
	struct xtcp_pkt *synack;
	struct xtcp_sock *xs;

	set_syncookies(test, 2);
	xtcp_peer_init(&p, 42103);
	lsock = xtcp_test_listener(test, 8, &p);
	synack = send_syn(test, &p, false);
	KUNIT_EXPECT_EQ(test, synack->seg.opt.present, (u16)XTCP_OPTF_MSS);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	sock = xtcp_test_accept(test, lsock);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_FALSE(test, xs->ts_ok);
	KUNIT_EXPECT_FALSE(test, xs->sack_ok);
	KUNIT_EXPECT_FALSE(test, xs->wscale_ok);
	KUNIT_EXPECT_EQ(test, xs->peer_mss, (u16)1460);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* An ACK that is no cookie of ours gets the RST a stray ACK gets. */
static void cookie_bad_ack_reset(struct kunit *test)
{
	long failed = xtcp_test_stat(XTCP_STAT_SYNCOOKIES_FAILED);
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *lsock;

	set_syncookies(test, 2);
	xtcp_peer_init(&p, 42104);
	lsock = xtcp_test_listener(test, 8, &p);
	send_syn(test, &p, true);	/* a cookie went out: ACKs are checked */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.ack = p.ack + 1;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST),
			XTCP_FLAG_RST, p.ack + 1, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYNCOOKIES_FAILED),
			failed + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* With syncookies 0, a full SYN queue drops the SYN, unanswered. */
static void cookie_off_drops(struct kunit *test)
{
	long qdrop = xtcp_test_stat(XTCP_STAT_REQQ_FULL_DROP);
	long sent = xtcp_test_stat(XTCP_STAT_SYNCOOKIES_SENT);
	long drops;
	struct xtcp_peer p, q;
	struct xtcp_test_seg s;
	struct socket *lsock;

	set_syncookies(test, 0);
	xtcp_peer_init(&p, 42105);
	lsock = xtcp_test_listener(test, 1, &p);
	send_syn(test, &p, true);
	drops = xtcp_test_stat(XTCP_STAT_LISTEN_DROPS);
	peer_for(&q, lsock, 42106);
	s = xtcp_peer_seg(&q, XTCP_FLAG_SYN, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &q, &s), (unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_REQQ_FULL_DROP), qdrop + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_DROPS), drops + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYNCOOKIES_SENT), sent);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A cookie's ACK to a listener whose accept queue is full makes no child and
 * gets no answer (tcp_v4_syn_recv_sock()): ListenOverflows.
 */
static void cookie_ack_acceptq_full(struct kunit *test)
{
	struct xtcp_peer p, q;
	struct socket *lsock;
	long overflows;

	set_syncookies(test, 2);
	xtcp_peer_init(&p, 42107);
	lsock = xtcp_test_listener(test, 0, &p);
	peer_for(&q, lsock, 42108);
	send_syn(test, &p, true);
	send_syn(test, &q, true);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_ASSERT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 1U);
	overflows = xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS);
	xtcp_peer_send(test, &q, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS),
			overflows + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 1U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case pkt_cookie_cases[] = {
	KUNIT_CASE(cookie_when_synq_full),
	KUNIT_CASE(cookie_without_timestamps),
	KUNIT_CASE(cookie_bad_ack_reset),
	KUNIT_CASE(cookie_off_drops),
	KUNIT_CASE(cookie_ack_acceptq_full),
	{}
};

static struct kunit_suite pkt_cookie_suite = {
	.name = "xtcp_pkt_cookie",
	.init = xtcp_test_init,
	.test_cases = pkt_cookie_cases,
};

XTCP_KUNIT_SUITES(pkt_cookie, &cookie_suite, &pkt_cookie_suite);
