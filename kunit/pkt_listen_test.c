// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): listeners and their children (src/listen.c)
 * and what the two SYNs agree on (src/syn.c).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <net/sock.h>

#include "acceptq.h"
#include "hash.h"
#include "packet.h"
#include "request.h"
#include "suites.h"
#include "timer.h"

/*
 * A SYN for a listener makes a request in SYN-RECV (request.h), which
 * answers with a SYN+ACK: ACK of the SYN, our MSS, window scale,
 * SACK-permitted and a timestamp echoing the peer's (RFC 7323 §3.2). The
 * ACK makes the child, which has what the SYN+ACK offered, and is counted
 * in PassiveOpens then, as tcp_create_openreq_child() counts it.
 */
static void listen_syn_gets_synack(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *lsock;
	struct xtcp_sock *lxs, *xs;
	struct xtcp_pkt *synack;
	struct xtcp_request *req;
	long opens = xtcp_test_stat(XTCP_STAT_PASSIVE_OPENS);

	xtcp_peer_init(&p, 42001);
	lsock = xtcp_test_listener(test, 8, &p);
	lxs = xtcp_sk(lsock->sk);
	p.ts = true;
	s = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
	s.opt.present |= XTCP_OPTF_MSS | XTCP_OPTF_WSCALE | XTCP_OPTF_SACK_PERM;
	s.opt.mss = XTCP_TEST_MSS;
	s.opt.wscale = 7;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);

	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	req = xtcp_test_request(test, lsock->sk);
	XTCP_EXPECT_SEG(test, synack, XTCP_FLAG_SYN | XTCP_FLAG_ACK, req->iss,
			p.isn + 1);
	KUNIT_EXPECT_EQ(test, synack->saddr, p.xaddr);
	KUNIT_EXPECT_EQ(test, synack->daddr, p.addr);
	KUNIT_EXPECT_EQ(test, synack->seg.sport, ntohs(p.xport));
	KUNIT_EXPECT_EQ(test, synack->seg.dport, ntohs(p.port));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			      XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP));
	KUNIT_EXPECT_GT(test, synack->seg.opt.mss, (u16)XTCP_TEST_MSS); /* lo */
	KUNIT_EXPECT_EQ(test, synack->seg.opt.tsecr, s.opt.tsval);
	/* tcp_openreq_init_rwin(): a multiple of the MSS less the timestamp */
	KUNIT_EXPECT_EQ(test, synack->seg.window,
			xtcp_test_syn_window(lsock->sk,
					     synack->seg.opt.mss - 12));
	KUNIT_EXPECT_EQ(test, synack->seg.window, req->rcv_wnd);
	KUNIT_EXPECT_EQ(test, synack->seg.opt.wscale,
			xtcp_test_wscale(xtcp_rmem(&init_net, 2)));
	KUNIT_EXPECT_EQ(test, synack->seg.payload_len, 0U);

	KUNIT_EXPECT_EQ(test, (int)xtcp_req_sk(req)->sk_state,
			XTCP_NEW_SYN_RECV);
	KUNIT_EXPECT_TRUE(test, hrtimer_active(&req->timer));
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 1U);
	KUNIT_EXPECT_EQ(test, lxs->accept_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PASSIVE_OPENS), opens);
	KUNIT_EXPECT_EQ(test, (int)lsock->sk->sk_state, XTCP_LISTEN);
	XTCP_EXPECT_NO_SEGMENT(test);

	p.seq++;	/* the SYN's */
	xtcp_peer_saw(&p, synack);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	xs = xtcp_sk(xtcp_test_child(test, &p));
	KUNIT_EXPECT_EQ(test, (int)xs->inet.sk.sk_state, XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, xs->iss, synack->seg.seq);
	KUNIT_EXPECT_EQ(test, synack->seg.opt.mss, xs->adv_mss);
	KUNIT_EXPECT_EQ(test, synack->seg.opt.wscale, xs->rcv_wscale);
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, lxs->accept_count, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PASSIVE_OPENS), opens + 1);
}

/* The final ACK: the child ESTABLISHED, on the accept queue, accepted. */
static void listen_ack_establishes(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock, *sock;
	struct xtcp_sock *lxs;
	struct sock *child;

	xtcp_peer_init(&p, 42002);
	lsock = xtcp_test_listener(test, 8, &p);
	lxs = xtcp_sk(lsock->sk);
	child = xtcp_test_passive(test, lsock, &p, 42002);
	KUNIT_EXPECT_EQ(test, xtcp_sk(child)->snd_una, p.ack);
	KUNIT_EXPECT_EQ(test, xtcp_sk(child)->rcv_nxt, p.seq);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xtcp_sk(child),
						    XTCP_TIMER_RETRANS));
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, lxs->accept_count, 1U);
	XTCP_EXPECT_NO_SEGMENT(test);

	sock = xtcp_test_accept(test, lsock);
	KUNIT_EXPECT_PTR_EQ(test, sock->sk, child);
	KUNIT_EXPECT_EQ(test, lxs->accept_count, 0U);
	KUNIT_EXPECT_EQ(test, (int)sock->state, (int)SS_CONNECTED);
}

/*
 * A full accept queue (backlog 1 holds two, as sk_acceptq_is_full() lets
 * Linux's) drops the next SYN unanswered, counted in ListenOverflows and
 * ListenDrops.
 */
static void listen_backlog_full_drops_syn(struct kunit *test)
{
	struct xtcp_peer p, p2, q;
	struct socket *lsock;
	long drops, overflows;

	xtcp_peer_init(&p, 42003);
	lsock = xtcp_test_listener(test, 1, &p);
	xtcp_test_passive(test, lsock, &p, 42003);
	xtcp_test_passive(test, lsock, &p2, 42013);
	drops = xtcp_test_stat(XTCP_STAT_LISTEN_DROPS);
	overflows = xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS);

	xtcp_peer_init(&q, 42004);
	q.xaddr = p.xaddr;
	q.xport = p.xport;
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &q, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_DROPS), drops + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS),
			overflows + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 2U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* An ACK for no child: <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.2). */
static void listen_stray_ack_reset(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct xtcp_pkt *rst;
	long rsts = xtcp_test_stat(XTCP_STAT_OUT_RSTS);

	xtcp_peer_init(&p, 42005);
	xtcp_test_listener(test, 8, &p);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.ack = 0x12345678;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s), (unsigned int)NF_STOLEN);
	rst = xtcp_test_expect(test, XTCP_FLAG_RST);
	XTCP_EXPECT_SEG(test, rst, XTCP_FLAG_RST, 0x12345678, 0);
	KUNIT_EXPECT_EQ(test, rst->saddr, p.xaddr);
	KUNIT_EXPECT_EQ(test, rst->daddr, p.addr);
	KUNIT_EXPECT_EQ(test, rst->seg.dport, ntohs(p.port));
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_OUT_RSTS), rsts + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* Closing a listener resets its requests (in SYN-RECV). */
static void listen_close_resets_children(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock;
	struct xtcp_pkt *synack;
	u32 iss;

	xtcp_peer_init(&p, 42006);
	lsock = xtcp_test_listener(test, 8, &p);
	xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0);
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	iss = synack->seg.seq;
	xtcp_test_release(test, lsock);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST | XTCP_FLAG_ACK),
			XTCP_FLAG_RST | XTCP_FLAG_ACK, iss + 1, p.seq);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* An ifindex no device has: a socket bound to it hears nothing. */
#define NO_SUCH_IFINDEX	0x7ffe

static void bind_dev(struct sock *sk, int ifindex)
{
	lock_sock(sk);
	WRITE_ONCE(sk->sk_bound_dev_if, ifindex);
	release_sock(sk);
}

/*
 * SO_BINDTODEVICE: a listener bound to another device than the one a SYN
 * came in on (the harness's segments come in on lo) is not found, and the
 * SYN is left to the kernel's TCP, as __inet_lookup_listener() leaves it
 * unmatched; bound to lo, it answers.
 */
static void listen_bound_device(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock;

	xtcp_peer_init(&p, 42007);
	lsock = xtcp_test_listener(test, 8, &p);
	bind_dev(lsock->sk, NO_SUCH_IFINDEX);
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);

	bind_dev(lsock->sk, LOOPBACK_IFINDEX);
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_STOLEN);
	xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	KUNIT_EXPECT_EQ(test,
			READ_ONCE(xtcp_req_sk(xtcp_test_request(test, lsock->sk))->sk_bound_dev_if),
			LOOPBACK_IFINDEX);
}

/*
 * A connection bound to another device does not hear its 4-tuple's segments
 * from this one (INET_MATCH()). With its listener bound there too (else the
 * listener would take them, and answer with a RST, as Linux's does) they are
 * the kernel's TCP's, and the connection's state is untouched; bound back, it
 * takes them again.
 */
static void listen_child_bound_device(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *lsock;
	struct sock *child;
	u32 rcv_nxt;

	xtcp_peer_init(&p, 42008);
	lsock = xtcp_test_listener(test, 8, &p);
	child = xtcp_test_passive(test, lsock, &p, 42008);
	rcv_nxt = xtcp_sk(child)->rcv_nxt;
	bind_dev(lsock->sk, NO_SUCH_IFINDEX);
	bind_dev(child, NO_SUCH_IFINDEX);
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100),
			(unsigned int)NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(xtcp_sk(child)->rcv_nxt), rcv_nxt);
	XTCP_EXPECT_NO_SEGMENT(test);

	bind_dev(child, LOOPBACK_IFINDEX);
	p.seq -= 100;	/* the same text again */
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, READ_ONCE(xtcp_sk(child)->rcv_nxt), rcv_nxt + 100);
}

/*
 * A SYN that reopens a TIME-WAIT 4-tuple (RFC 6191: beyond the old RCV.NXT)
 * goes on to the listener, past a full SYN queue, and the child's ISN is the
 * old SND.NXT + 65537 (tcp_timewait_state_process()'s tcp_tw_isn), not a
 * SYN cookie nor the secure ISN.
 */
static void listen_tw_reopen_isn(struct kunit *test)
{
	struct xtcp_tw_table *tbl = &xtcp_net(&init_net)->tw;
	struct xtcp_tw_state st = {};
	struct xtcp_peer p, q;
	struct xtcp_tw_bucket *tw;
	struct xtcp_pkt *synack;
	struct socket *lsock;

	xtcp_peer_init(&p, 42009);
	lsock = xtcp_test_listener(test, 1, &p);
	/* a request in SYN-RECV fills the SYN queue of backlog 1 */
	xtcp_peer_init(&q, 42019);
	q.xaddr = p.xaddr;
	q.xport = p.xport;
	xtcp_peer_send(test, &q, XTCP_FLAG_SYN, 0);
	xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	KUNIT_ASSERT_TRUE(test, xtcp_synq_full(lsock->sk));

	st.saddr = p.xaddr;
	st.sport = p.xport;
	st.daddr = p.addr;
	st.dport = p.port;
	st.snd_nxt = 0x10000000;
	st.rcv_nxt = p.isn - 1000;
	tw = xtcp_tw_insert(tbl, &st);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tw));
	xtcp_tw_put(tw);

	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_STOLEN);
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, synack, XTCP_FLAG_SYN | XTCP_FLAG_ACK,
			0x10000000 + 65537, p.isn + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 2U);
	tw = xtcp_tw_lookup(tbl, &init_net, p.xaddr, p.xport, p.addr, p.port,
			    -1, 0);
	KUNIT_EXPECT_NULL(test, tw);
	if (tw)
		xtcp_tw_put(tw);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case listen_cases[] = {
	KUNIT_CASE(listen_syn_gets_synack),
	KUNIT_CASE(listen_ack_establishes),
	KUNIT_CASE(listen_backlog_full_drops_syn),
	KUNIT_CASE(listen_stray_ack_reset),
	KUNIT_CASE(listen_close_resets_children),
	KUNIT_CASE(listen_bound_device),
	KUNIT_CASE(listen_child_bound_device),
	KUNIT_CASE(listen_tw_reopen_isn),
	{}
};

static struct kunit_suite listen_suite = {
	.name = "xtcp_pkt_listen",
	.init = xtcp_test_init,
	.test_cases = listen_cases,
};

/* ---- requests (request.c) ---- */

/* The SYN from @p to listener @lsock, and its SYN+ACK, seen by @p. */
static struct xtcp_pkt *req_syn(struct kunit *test, struct socket *lsock,
				struct xtcp_peer *p, u16 port)
{
	struct xtcp_pkt *synack;

	xtcp_peer_init(p, port);
	p->xaddr = inet_sk(lsock->sk)->inet_rcv_saddr;
	p->xport = inet_sk(lsock->sk)->inet_sport;
	p->ts = true;
	KUNIT_ASSERT_EQ(test, xtcp_peer_send(test, p, XTCP_FLAG_SYN, 0),
			(unsigned int)NF_STOLEN);
	synack = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	xtcp_peer_saw(p, synack);
	return synack;
}

/*
 * What the table holds for @p: its request (with a reference the caller
 * puts), or NULL if there is none; a socket there fails the test.
 */
static struct xtcp_request *req_lookup(struct kunit *test,
				       const struct xtcp_peer *p)
{
	struct sock *sk;

	sk = xtcp_lookup_established(&init_net, p->xaddr, p->xport, p->addr,
				     p->port, -1, 0);
	if (!sk)
		return NULL;
	if (!xtcp_is_request(sk)) {
		sock_put(sk);
		KUNIT_FAIL(test, "a socket in the table, not a request");
		return NULL;
	}
	return xtcp_req(sk);
}

/*
 * A SYN makes a request, not a socket: no xtcp socket is allocated, the
 * table holds the request in SYN-RECV (XTCP_NEW_SYN_RECV), and it is no
 * bigger than Linux's request sock (struct tcp_request_sock, 320 bytes in
 * Debian's 6.1), where a child socket (struct xtcp_sock) is 1680.
 */
static void request_made_small(struct kunit *test)
{
	struct percpu_counter *socks;
	struct xtcp_request *req;
	struct socket *lsock;
	struct xtcp_peer p;
	s64 before;

	kunit_info(test, "struct xtcp_request: %zu bytes, struct xtcp_sock: %zu\n",
		   sizeof(struct xtcp_request), sizeof(struct xtcp_sock));
	KUNIT_EXPECT_LE(test, sizeof(struct xtcp_request), (size_t)320);
	xtcp_peer_init(&p, 42031);
	lsock = xtcp_test_listener(test, 8, &p);
	socks = lsock->sk->sk_prot->sockets_allocated;
	before = percpu_counter_sum(socks);
	req_syn(test, lsock, &p, 42031);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(socks), before);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_PTR_EQ(test, req, xtcp_test_request(test, lsock->sk));
	KUNIT_EXPECT_PTR_EQ(test, req->listener, lsock->sk);
	KUNIT_EXPECT_EQ(test, req->irs, p.isn);
	KUNIT_EXPECT_EQ(test, req->iss + 1, p.ack);
	KUNIT_EXPECT_TRUE(test, req->ts_ok);
	xtcp_req_put(req);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A listener's TCP_SYNCNT comes before net.xtcp.synack_retries for its
 * requests, as its icsk_syn_retries does in reqsk_timer_handler(): 1 here,
 * where the sysctl says 5. Its children inherit it.
 */
static void request_synack_retries_syncnt(struct kunit *test)
{
	struct xtcp_request *req;
	struct socket *lsock;
	struct xtcp_peer p;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->synack_retries, 5);
	xtcp_peer_init(&p, 42040);
	lsock = xtcp_test_listener(test, 8, &p);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(lsock, SOL_TCP, TCP_SYNCNT,
						   1), 0);
	req_syn(test, lsock, &p, 42040);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);
	xtcp_req_fire(req);
	xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, req->retrans, (u8)1);
	xtcp_req_fire(req);		/* past TCP_SYNCNT */
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	xtcp_req_put(req);

	/* a child made now takes the listener's count */
	xtcp_peer_init(&p, 42041);
	KUNIT_EXPECT_EQ(test, xtcp_sk(xtcp_test_passive(test, lsock, &p,
							 42041))->syn_retries,
			1);
}

/*
 * The request's timer sends the SYN+ACK again, its time-out doubled each
 * time (1 s, 2 s, 4 s: reqsk_timeout()), net.xtcp.synack_retries times;
 * the next expiry ends it quietly, and the peer's late ACK then meets the
 * listener, which answers it with a RST.
 */
static void request_synack_backoff_expiry(struct kunit *test)
{
	struct xtcp_pkt *synack;
	struct xtcp_request *req;
	struct socket *lsock;
	struct xtcp_peer p;
	long retrans;
	int i;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->synack_retries, 2);
	xtcp_peer_init(&p, 42032);
	lsock = xtcp_test_listener(test, 8, &p);
	synack = req_syn(test, lsock, &p, 42032);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_LE(test, xtcp_req_timer_left_ms(req), 1000U);
	KUNIT_EXPECT_GT(test, xtcp_req_timer_left_ms(req), 500U);
	retrans = xtcp_test_stat(XTCP_STAT_RETRANS_SEGS);
	for (i = 1; i <= 2; i++) {
		xtcp_req_fire(req);
		XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_SYN |
						       XTCP_FLAG_ACK),
				XTCP_FLAG_SYN | XTCP_FLAG_ACK, synack->seg.seq,
				p.seq);
		KUNIT_EXPECT_EQ(test, req->retrans, (u8)i);
		KUNIT_EXPECT_LE(test, xtcp_req_timer_left_ms(req), 1000U << i);
		KUNIT_EXPECT_GT(test, xtcp_req_timer_left_ms(req),
				(1000U << i) - 500);
	}
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RETRANS_SEGS), retrans + 2);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_young, 0U);

	xtcp_req_fire(req);		/* past synack_retries */
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&req->timer));
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	/* an old request's end leaves the young count alone */
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_young, 0U);
	xtcp_req_put(req);		/* ours: the last */
	KUNIT_EXPECT_NULL(test, req_lookup(test, &p));

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST),
			XTCP_FLAG_RST, p.ack, 0);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 0U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The peer's SYN again (our SYN+ACK was lost): the same SYN+ACK again, from
 * the same request, whose count and timer are untouched (a segment out of
 * its window, tcp_check_req()).
 */
static void request_syn_retransmitted(struct kunit *test)
{
	long skipped, synretrans;
	struct xtcp_pkt *synack;
	struct xtcp_request *req;
	struct socket *lsock;
	struct xtcp_peer p;

	xtcp_peer_init(&p, 42033);
	lsock = xtcp_test_listener(test, 8, &p);
	synack = req_syn(test, lsock, &p, 42033);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);
	p.seq = p.isn;
	xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_SYN |
					       XTCP_FLAG_ACK),
			XTCP_FLAG_SYN | XTCP_FLAG_ACK, synack->seg.seq,
			p.isn + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_test_request(test, lsock->sk), req);
	KUNIT_EXPECT_FALSE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_EQ(test, req->retrans, 0);
	/* the next one at once: rate-limited as Linux's (TCPACKSkippedSynRecv) */
	skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SYN_RECV);
	synretrans = xtcp_test_stat(XTCP_STAT_SYN_RETRANS);
	p.seq = p.isn;
	xtcp_peer_send(test, &p, XTCP_FLAG_SYN, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SYN_RECV),
			skipped + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_SYN_RETRANS), synretrans);
	KUNIT_EXPECT_FALSE(test, sk_unhashed(xtcp_req_sk(req)));
	xtcp_req_put(req);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * tcp_check_req()'s other answers: a segment out of the window gets an ACK
 * (not our SYN+ACK), rate-limited; an ACK of what we never sent, the
 * listener's RST, even out of window; a SYN in the window (not the first
 * one's sequence number) a RST, and the request ends (EmbryonicRsts).
 */
static void request_out_of_window(struct kunit *test)
{
	long skipped, embryonic, fails;
	struct xtcp_test_seg s;
	struct xtcp_request *req;
	struct xtcp_pkt *synack;
	struct socket *lsock;
	struct xtcp_peer p;

	xtcp_peer_init(&p, 42039);
	lsock = xtcp_test_listener(test, 8, &p);
	synack = req_syn(test, lsock, &p, 42039);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.seq = p.seq + req->rcv_wnd + 1000;
	xtcp_test_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, synack->seg.seq + 1, p.seq);
	skipped = xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SYN_RECV);
	xtcp_test_feed(test, &p, &s);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACK_SKIPPED_SYN_RECV),
			skipped + 1);

	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.seq = p.seq + req->rcv_wnd + 1000;
	s.ack = synack->seg.seq + 7;
	xtcp_test_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST),
			XTCP_FLAG_RST, s.ack, 0);
	KUNIT_EXPECT_FALSE(test, sk_unhashed(xtcp_req_sk(req)));

	embryonic = xtcp_test_stat(XTCP_STAT_EMBRYONIC_RSTS);
	fails = xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS);
	s = xtcp_peer_seg(&p, XTCP_FLAG_SYN, 0);
	s.seq = p.seq + 10;
	xtcp_test_feed(test, &p, &s);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST |
					       XTCP_FLAG_ACK),
			XTCP_FLAG_RST | XTCP_FLAG_ACK, 0, s.seq + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_EMBRYONIC_RSTS),
			embryonic + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS), fails + 1);
	xtcp_req_put(req);
}

/*
 * A RST at RCV.NXT ends the request quietly (the passive SYN-RECV row's
 * "return to LISTEN"); one elsewhere in the window gets a challenge ACK
 * (RFC 5961 §3.2) and the request stays.
 */
static void request_rst(struct kunit *test)
{
	struct xtcp_test_seg s;
	struct xtcp_request *req;
	struct socket *lsock;
	struct xtcp_peer p;
	struct xtcp_pkt *ack;

	xtcp_peer_init(&p, 42034);
	lsock = xtcp_test_listener(test, 8, &p);
	req_syn(test, lsock, &p, 42034);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);

	s = xtcp_peer_seg(&p, XTCP_FLAG_RST, 0);
	s.seq = p.seq + 100;
	xtcp_test_feed(test, &p, &s);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_TRUE(test, ack->seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_young, 1U);
	KUNIT_EXPECT_FALSE(test, sk_unhashed(xtcp_req_sk(req)));

	s = xtcp_peer_seg(&p, XTCP_FLAG_RST, 0);
	xtcp_test_feed(test, &p, &s);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_young, 0U);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&req->timer));
	xtcp_req_put(req);
	KUNIT_EXPECT_NULL(test, req_lookup(test, &p));
}

/*
 * The ACK that completes the handshake carries text and a FIN: the child
 * made from the request takes them all (CLOSE-WAIT, the text queued), on the
 * accept queue, in the request's place in the table; the request is gone.
 * The FIN made the child interactive (tcp_fin()): its ACK is owed, sent by
 * the delayed-ACK timer.
 */
static void request_ack_with_data(struct kunit *test)
{
	struct xtcp_request *req;
	struct xtcp_pkt *ack;
	struct socket *lsock, *sock;
	struct xtcp_sock *xs;
	struct xtcp_peer p;
	u32 seq;

	xtcp_peer_init(&p, 42035);
	lsock = xtcp_test_listener(test, 8, &p);
	req_syn(test, lsock, &p, 42035);
	req = req_lookup(test, &p);
	KUNIT_ASSERT_NOT_NULL(test, req);
	seq = p.seq;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK | XTCP_FLAG_PSH | XTCP_FLAG_FIN,
		       100);
	XTCP_EXPECT_NO_SEGMENT(test);
	ack = xtcp_test_wait(test, 1000);
	KUNIT_ASSERT_NOT_NULL_MSG(test, ack, "no delayed ACK within 1 s");
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, seq + 101);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&req->timer));
	xtcp_req_put(req);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_young, 0U);
	KUNIT_ASSERT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 1U);
	sock = xtcp_test_accept(test, lsock);
	KUNIT_EXPECT_PTR_EQ(test, sock->sk, xtcp_test_child(test, &p));
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, xs->rcv_nxt, seq + 101);
	KUNIT_EXPECT_EQ(test, xs->snd_una, p.ack);
	KUNIT_EXPECT_TRUE(test, xs->ts_ok);
	xtcp_test_expect_read(test, sock, seq, 100);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The ACK finds the accept queue full (backlog 2 holds three): as Linux's
 * tcp_check_req() with tcp_abort_on_overflow 0, the ACK is dropped unanswered
 * (ListenOverflows, ListenDrops) and the request kept; once accept() made
 * room, the peer's next ACK makes the child.
 */
static void request_ack_acceptq_full(struct kunit *test)
{
	struct xtcp_peer p, q[3];
	struct xtcp_request *req;
	struct socket *lsock;
	long drops, overflows;
	int i;

	xtcp_peer_init(&p, 42036);
	lsock = xtcp_test_listener(test, 2, &p);
	req_syn(test, lsock, &p, 42036);
	for (i = 0; i < 3; i++)
		xtcp_test_passive(test, lsock, &q[i], 42037 + i);
	KUNIT_ASSERT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 3U);
	drops = xtcp_test_stat(XTCP_STAT_LISTEN_DROPS);
	overflows = xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_OVERFLOWS),
			overflows + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_LISTEN_DROPS), drops + 1);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 3U);
	req = req_lookup(test, &p);
	KUNIT_EXPECT_NOT_NULL(test, req);
	if (req)
		xtcp_req_put(req);

	xtcp_test_accept(test, lsock);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)xtcp_test_child(test, &p)->sk_state,
			XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->syn_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sk(lsock->sk)->accept_count, 3U);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The peer's ACK and, right behind it, its FIN wait in the listener's backlog
 * while its owner runs: the ACK makes the child, and the FIN, which the hook
 * found for the request, goes to the child (tcp_v4_rcv()'s req_stolen),
 * which acknowledges it from CLOSE-WAIT. No RST.
 */
static void request_fin_behind_ack_in_backlog(struct kunit *test)
{
	struct xtcp_test_seg ack, fin;
	struct socket *lsock;
	struct xtcp_peer p;
	u32 seq;

	xtcp_peer_init(&p, 42040);
	lsock = xtcp_test_listener(test, 8, &p);
	req_syn(test, lsock, &p, 42040);
	seq = p.seq;
	ack = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	fin = xtcp_peer_seg(&p, XTCP_FLAG_ACK | XTCP_FLAG_FIN, 0);
	lock_sock(lsock->sk);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &p, &ack),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed(test, &p, &fin),
			(unsigned int)NF_STOLEN);
	XTCP_EXPECT_NO_SEGMENT(test);
	release_sock(lsock->sk);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, seq + 1);
	KUNIT_EXPECT_EQ(test, (int)xtcp_test_child(test, &p)->sk_state,
			XTCP_CLOSE_WAIT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Keep request @req's own timer from firing while the test runs (a minute
 * off), so that only xtcp_req_fire() ages it: a slow guest must not make a
 * young request old behind the test's back. The timer keeps its reference.
 */
static void req_hold_timer(struct xtcp_request *req)
{
	if (hrtimer_try_to_cancel(&req->timer) == 1)
		hrtimer_start(&req->timer, ms_to_ktime(60 * MSEC_PER_SEC),
			      HRTIMER_MODE_REL_SOFT);
}

/*
 * reqsk_timer_handler()'s pruning, played out. A listener of backlog
 * @backlog, net.xtcp.synack_retries 5 (Linux's default), holds @old
 * requests that have timed out once and @young that have not, then the one
 * watched, young too; its timer is run till the request ends, which it must
 * do after exactly @resends SYN+ACKs again. The numbers in the callers are
 * worked out from Linux's loop: while qlen << 1 > max(8, backlog), one
 * retry less (down to 2) for each doubling of young << 1 that qlen reaches.
 */
static void req_prune_run(struct kunit *test, int backlog, int old, int young,
			  int resends)
{
	int n = old + young + 1, i;
	struct xtcp_request *req;
	struct xtcp_sock *lxs;
	struct xtcp_peer *p;
	struct socket *lsock;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->synack_retries, 5);
	p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	xtcp_peer_init(&p[0], 42300);
	lsock = xtcp_test_listener(test, backlog, &p[0]);
	lxs = xtcp_sk(lsock->sk);
	for (i = 0; i < n; i++) {
		req_syn(test, lsock, &p[i], 42300 + i);
		req = req_lookup(test, &p[i]);
		KUNIT_ASSERT_NOT_NULL(test, req);
		if (i < n - 1) {
			/* the table holds them: no reference of ours */
			xtcp_req_put(req);
			if (i < old) {
				xtcp_req_fire(req);
				xtcp_test_expect(test, XTCP_FLAG_SYN |
						 XTCP_FLAG_ACK);
				KUNIT_ASSERT_EQ(test, req->retrans, 1);
			}
			req_hold_timer(req);
		}
	}
	KUNIT_ASSERT_EQ(test, lxs->syn_count, (u32)n);
	KUNIT_ASSERT_EQ(test, lxs->syn_young, (u32)young + 1);

	for (i = 1; i <= resends; i++) {
		xtcp_req_fire(req);
		XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_SYN |
						       XTCP_FLAG_ACK),
				XTCP_FLAG_SYN | XTCP_FLAG_ACK, p[n - 1].ack - 1,
				p[n - 1].seq);
		KUNIT_EXPECT_EQ(test, req->retrans, (u8)i);
		/* no longer young from its first time-out on */
		KUNIT_EXPECT_EQ(test, lxs->syn_young, (u32)young);
	}
	xtcp_req_fire(req);		/* the last: it ends, quietly */
	XTCP_EXPECT_NO_SEGMENT(test);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(xtcp_req_sk(req)));
	KUNIT_EXPECT_EQ(test, lxs->syn_count, (u32)n - 1);
	KUNIT_EXPECT_EQ(test, lxs->syn_young, (u32)young);
	xtcp_req_put(req);		/* ours: the last */
}

/*
 * A SYN queue at most half full is not pruned, however old its requests:
 * 8 of backlog 16 (qlen << 1 == 16, not more), 7 of them old, and the
 * request lives through all 5 SYN+ACKs again.
 */
static void request_half_full_not_pruned(struct kunit *test)
{
	req_prune_run(test, 16, 7, 0, 5);
}

/*
 * Over half full of old requests: 9 of backlog 16, 8 of them old. Young is
 * 1 at the watched request's first time-out (young << 1 == 2: qlen 9
 * reaches 2, 4 and 8, and the 5 retries drop to 2), 0 after; so it ends
 * after 2 SYN+ACKs again, not 5.
 */
static void request_old_queue_pruned(struct kunit *test)
{
	req_prune_run(test, 16, 8, 0, 2);
}

/*
 * Over half full, but of young requests: 9 of backlog 16, none old; young
 * << 1 is 18, then 16, above qlen 9, and the request keeps all 5 retries.
 */
static void request_young_queue_not_pruned(struct kunit *test)
{
	req_prune_run(test, 16, 0, 8, 5);
}

/*
 * Between the two: 9 of backlog 16, 6 old, 2 young beside the watched one.
 * At its first time-out young << 1 is 6 (qlen 9 reaches 6, not 12: 4
 * retries), then 4 (reaches 4 and 8, not 16: 3 retries): it ends after 3.
 */
static void request_queue_pruned_by_young_share(struct kunit *test)
{
	req_prune_run(test, 16, 6, 2, 3);
}

static struct kunit_case request_cases[] = {
	KUNIT_CASE(request_made_small),
	KUNIT_CASE(request_synack_backoff_expiry),
	KUNIT_CASE(request_synack_retries_syncnt),
	KUNIT_CASE(request_syn_retransmitted),
	KUNIT_CASE(request_out_of_window),
	KUNIT_CASE(request_rst),
	KUNIT_CASE(request_ack_with_data),
	KUNIT_CASE(request_ack_acceptq_full),
	KUNIT_CASE(request_fin_behind_ack_in_backlog),
	KUNIT_CASE(request_half_full_not_pruned),
	KUNIT_CASE(request_old_queue_pruned),
	KUNIT_CASE(request_young_queue_not_pruned),
	KUNIT_CASE(request_queue_pruned_by_young_share),
	{}
};

static struct kunit_suite request_suite = {
	.name = "xtcp_pkt_request",
	.init = xtcp_test_init,
	.test_cases = request_cases,
};

/*
 * Window scaling and timestamps both ways: the peer's scale applies to its
 * windows, ours to what we advertise; the MSS leaves room for the timestamp;
 * the final ACK echoes the peer's TSval.
 */
static void syn_wscale_and_timestamps(struct kunit *test)
{
	const struct xtcp_options o = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			   XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP,
		.mss = XTCP_TEST_MSS,
		.wscale = 5,
	};
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *ack;

	xtcp_peer_init(&p, 42010);
	sock = xtcp_test_established(test, &p, &o);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_TRUE(test, xs->wscale_ok);
	KUNIT_EXPECT_EQ(test, xs->snd_wscale, 5);
	KUNIT_EXPECT_EQ(test, xs->rcv_wscale,
			xtcp_test_wscale(xtcp_rmem(&init_net, 2)));
	KUNIT_EXPECT_TRUE(test, xs->ts_ok);
	KUNIT_EXPECT_TRUE(test, xs->sack_ok);
	KUNIT_EXPECT_EQ(test, xs->mss, (u16)(XTCP_TEST_MSS - 12));
	/* the SYN+ACK's window is never scaled (RFC 7323 §2.2) */
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, (u32)p.window);

	/* from now on the peer's window is scaled, and so is ours */
	p.window = 100;
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 10);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, 100U << 5);
	KUNIT_EXPECT_EQ(test, (u32)ack->seg.window, xs->rcv_wnd >> xs->rcv_wscale);
	KUNIT_EXPECT_TRUE(test, ack->seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.tsecr, p.tsval - 1);
}

/*
 * A SYN+ACK without options: the default MSS of 536 (RFC 9293 MUST-15), no
 * scaling either way, no timestamps, no SACK; our segments carry no option.
 */
static void syn_no_options(struct kunit *test)
{
	const struct xtcp_options none = {};
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *ack;

	xtcp_peer_init(&p, 42011);
	sock = xtcp_test_established(test, &p, &none);
	xs = xtcp_sk(sock->sk);
	KUNIT_EXPECT_EQ(test, xs->peer_mss, (u16)XTCP_DEFAULT_MSS);
	KUNIT_EXPECT_EQ(test, xs->mss, (u16)XTCP_DEFAULT_MSS);
	KUNIT_EXPECT_FALSE(test, xs->wscale_ok);
	KUNIT_EXPECT_EQ(test, xs->rcv_wscale, 0);
	KUNIT_EXPECT_FALSE(test, xs->ts_ok);
	KUNIT_EXPECT_FALSE(test, xs->sack_ok);

	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	ack = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, ack->seg.payload_len, (u32)XTCP_DEFAULT_MSS);
	KUNIT_EXPECT_EQ(test, ack->seg.opt.present, 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_expect(test, XTCP_FLAG_ACK |
					       XTCP_FLAG_PSH)->seg.payload_len,
			1000U - XTCP_DEFAULT_MSS);
}

/* TCP_MAXSEG caps the MSS we announce and the one we send with. */
static void syn_user_mss(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *sock;
	struct sockaddr_in sin;
	struct xtcp_pkt *syn;

	xtcp_peer_init(&p, 42012);
	sock = xtcp_test_socket(test);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_MAXSEG,
						   1000), 0);
	sin = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = p.port,
				    .sin_addr.s_addr = p.addr };
	KUNIT_ASSERT_EQ(test, kernel_connect(sock, (struct sockaddr *)&sin,
					     sizeof(sin), O_NONBLOCK),
			-EINPROGRESS);
	p.xaddr = inet_sk(sock->sk)->inet_saddr;
	p.xport = inet_sk(sock->sk)->inet_sport;
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.mss, 1000);
	xtcp_peer_saw(&p, syn);
	s = xtcp_peer_seg(&p, XTCP_FLAG_SYN | XTCP_FLAG_ACK, 0);
	s.opt.present = XTCP_OPTF_MSS;
	s.opt.mss = XTCP_TEST_MSS;
	xtcp_test_feed(test, &p, &s);
	xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->mss, 1000);
}

static struct kunit_case syn_cases[] = {
	KUNIT_CASE(syn_wscale_and_timestamps),
	KUNIT_CASE(syn_no_options),
	KUNIT_CASE(syn_user_mss),
	{}
};

static struct kunit_suite syn_suite = {
	.name = "xtcp_pkt_syn",
	.init = xtcp_test_init,
	.test_cases = syn_cases,
};

XTCP_KUNIT_SUITES(pkt_listen, &listen_suite, &request_suite, &syn_suite);
