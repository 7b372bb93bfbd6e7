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
#include "packet.h"
#include "suites.h"
#include "timer.h"

/*
 * A SYN for a listener makes a child in SYN-RECV, which answers with a
 * SYN+ACK: ACK of the SYN, our MSS, window scale, SACK-permitted and a
 * timestamp echoing the peer's (RFC 7323 §3.2).
 */
static void listen_syn_gets_synack(struct kunit *test)
{
	struct xtcp_peer p;
	struct xtcp_test_seg s;
	struct socket *lsock;
	struct xtcp_sock *lxs, *xs;
	struct xtcp_pkt *synack;
	struct sock *child;
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
	child = xtcp_test_syn_child(test, lsock->sk);
	xs = xtcp_sk(child);
	XTCP_EXPECT_SEG(test, synack, XTCP_FLAG_SYN | XTCP_FLAG_ACK, xs->iss,
			p.isn + 1);
	KUNIT_EXPECT_EQ(test, synack->saddr, p.xaddr);
	KUNIT_EXPECT_EQ(test, synack->daddr, p.addr);
	KUNIT_EXPECT_EQ(test, synack->seg.sport, ntohs(p.xport));
	KUNIT_EXPECT_EQ(test, synack->seg.dport, ntohs(p.port));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			      XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.mss, xs->adv_mss);
	KUNIT_EXPECT_GT(test, synack->seg.opt.mss, (u16)XTCP_TEST_MSS); /* lo */
	KUNIT_EXPECT_EQ(test, synack->seg.opt.wscale, xs->rcv_wscale);
	KUNIT_EXPECT_EQ(test, synack->seg.opt.tsecr, s.opt.tsval);
	/* tcp_openreq_init_rwin(): a multiple of the MSS less the timestamp */
	KUNIT_EXPECT_EQ(test, synack->seg.window,
			xtcp_test_syn_window(child, xs->adv_mss - 12));
	KUNIT_EXPECT_EQ(test, synack->seg.opt.wscale,
			xtcp_test_wscale(xtcp_rmem(&init_net, 2)));
	KUNIT_EXPECT_EQ(test, synack->seg.payload_len, 0U);

	KUNIT_EXPECT_EQ(test, (int)child->sk_state, XTCP_SYN_RECV);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	KUNIT_EXPECT_EQ(test, lxs->syn_count, 1U);
	KUNIT_EXPECT_EQ(test, lxs->accept_count, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_PASSIVE_OPENS), opens + 1);
	KUNIT_EXPECT_EQ(test, (int)lsock->sk->sk_state, XTCP_LISTEN);
	XTCP_EXPECT_NO_SEGMENT(test);
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

/* Closing a listener resets its children still in SYN-RECV. */
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
			READ_ONCE(xtcp_test_syn_child(test, lsock->sk)->sk_bound_dev_if),
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
	/* a child in SYN-RECV fills the SYN queue of backlog 1 */
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
	tw = xtcp_tw_lookup(tbl, p.xaddr, p.xport, p.addr, p.port);
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

XTCP_KUNIT_SUITES(pkt_listen, &listen_suite, &syn_suite);
