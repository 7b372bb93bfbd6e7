// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): the user calls that open and close a
 * connection (src/conn.c) and a socket's life (src/sock.c): the segments
 * connect(), shutdown() and close() send, and what the end of a connection
 * leaves behind.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/netfilter.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "hash.h"
#include "packet.h"
#include "rtxq.h"
#include "sock.h"
#include "suites.h"
#include "timer.h"

/*
 * connect() sends a SYN at the ISN with every option the namespace's
 * sysctls allow (all, by default), from 127.0.0.1 and a port of its own.
 */
static void conn_connect_sends_syn(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;
	struct xtcp_pkt *syn;
	long opens = xtcp_test_stat(XTCP_STAT_ACTIVE_OPENS);

	xtcp_peer_init(&p, 45001);
	sock = xtcp_test_connect(test, &p);
	xs = xtcp_sk(sock->sk);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	XTCP_EXPECT_SEG(test, syn, XTCP_FLAG_SYN, xs->iss, 0);
	KUNIT_EXPECT_EQ(test, syn->saddr, htonl(INADDR_LOOPBACK));
	KUNIT_EXPECT_EQ(test, syn->daddr, p.addr);
	KUNIT_EXPECT_EQ(test, syn->seg.dport, ntohs(p.port));
	KUNIT_EXPECT_NE(test, syn->seg.sport, 0);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_WSCALE |
			      XTCP_OPTF_SACK_PERM | XTCP_OPTF_TIMESTAMP));
	KUNIT_EXPECT_EQ(test, syn->seg.opt.mss, xs->adv_mss);
	/* tcp_select_initial_window()'s, from tcp_rmem[2] and the buffer */
	KUNIT_EXPECT_EQ(test, syn->seg.opt.wscale,
			xtcp_test_wscale(xtcp_rmem(&init_net, 2)));
	KUNIT_EXPECT_EQ(test, syn->seg.opt.tsecr, 0U);
	KUNIT_EXPECT_EQ(test, syn->seg.window,
			xtcp_test_syn_window(sock->sk, xs->adv_mss));
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, xs->iss + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, (int)sock->state, (int)SS_CONNECTING);
	KUNIT_EXPECT_TRUE(test, xtcp_timer_pending(xs, XTCP_TIMER_RETRANS));
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ACTIVE_OPENS), opens + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * The window scale follows the largest receive buffer, as
 * tcp_select_initial_window() takes it from net.ipv4.tcp_rmem[2]: 16 MiB
 * asks for 9 (7 at Linux's 6 MiB default), unless net.core.rmem_max is
 * larger still; net.xtcp.rmem, set, overrides tcp_rmem: 256 KiB, 3.
 */
static void conn_syn_wscale_follows_rmem(struct kunit *test)
{
	int *xrmem = xtcp_net(&init_net)->rmem;
	struct xtcp_peer p;
	struct xtcp_pkt *syn;

	KUNIT_ASSERT_EQ(test, xrmem[2], XTCP_FOLLOW_TCP);
	xtcp_test_sysctl(test, &init_net.ipv4.sysctl_tcp_rmem[2], 16 << 20);
	xtcp_peer_init(&p, 45011);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_TRUE(test, syn->seg.opt.present & XTCP_OPTF_WSCALE);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.wscale, xtcp_test_wscale(16 << 20));
	KUNIT_EXPECT_GE(test, syn->seg.opt.wscale, 9);

	/* the override: its max, below net.core.rmem_max's 208 KiB or not */
	xtcp_test_sysctl(test, &xrmem[0], 4096);
	xtcp_test_sysctl(test, &xrmem[1], 131072);
	xtcp_test_sysctl(test, &xrmem[2], 256 << 10);
	xtcp_peer_init(&p, 45013);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.wscale, xtcp_test_wscale(256 << 10));
	KUNIT_EXPECT_LE(test, syn->seg.opt.wscale, 7);
}

/*
 * net.ipv4.tcp_timestamps=2: timestamps without the random offset, TSval
 * the bare millisecond clock (secure_tcp_seq_and_ts_off()); with 1, the
 * offset is the 4-tuple's (at most a 2^-32 chance that it is 0).
 */
static void conn_timestamps_2_no_offset(struct kunit *test)
{
	struct netns_ipv4 *ipv4 = &init_net.ipv4;
	struct inet_sock *inet;
	struct socket *sock;
	struct xtcp_peer p;
	struct xtcp_pkt *syn;
	u32 before, after, off;

	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_timestamps, 2);
	xtcp_peer_init(&p, 45030);
	before = xtcp_isn_tsval(0);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	after = xtcp_isn_tsval(0);
	KUNIT_ASSERT_TRUE(test, syn->seg.opt.present & XTCP_OPTF_TIMESTAMP);
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(before, syn->seg.opt.tsval) &&
				xtcp_seq_leq(syn->seg.opt.tsval, after));

	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_timestamps, 1);
	xtcp_peer_init(&p, 45031);
	before = xtcp_isn_tsval(0);
	sock = xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	after = xtcp_isn_tsval(0);
	inet = inet_sk(sock->sk);
	off = xtcp_isn_ts_off(inet->inet_saddr, inet->inet_daddr,
			      inet->inet_sport, inet->inet_dport);
	KUNIT_EXPECT_NE(test, off, 0U);
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(before, syn->seg.opt.tsval - off) &&
				xtcp_seq_leq(syn->seg.opt.tsval - off, after));
}

/*
 * net.ipv4.tcp_timestamps, tcp_sack and tcp_window_scaling govern what the
 * SYN offers, as tcp_syn_options() reads them; net.xtcp.timestamps, set,
 * overrides its namesake both ways.
 */
static void conn_syn_options_follow_tcp_sysctls(struct kunit *test)
{
	struct xtcp_net *xn = xtcp_net(&init_net);
	struct netns_ipv4 *ipv4 = &init_net.ipv4;
	struct socket *sock;
	struct xtcp_peer p;
	struct xtcp_pkt *syn;

	KUNIT_ASSERT_EQ(test, xn->timestamps, XTCP_FOLLOW_TCP);
	KUNIT_ASSERT_EQ(test, xn->sack, XTCP_FOLLOW_TCP);
	KUNIT_ASSERT_EQ(test, xn->window_scaling, XTCP_FOLLOW_TCP);
	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_timestamps, 0);
	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_sack, 0);
	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_window_scaling, 0);
	xtcp_peer_init(&p, 45014);
	sock = xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.present, (u16)XTCP_OPTF_MSS);
	/* without window scaling, our own window is not scaled either */
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_wscale, 0);

	/* only sack back on, through TCP's sysctl */
	xtcp_test_sysctl_u8(test, &ipv4->sysctl_tcp_sack, 1);
	xtcp_peer_init(&p, 45015);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM));

	/* net.xtcp.timestamps=1 overrides tcp_timestamps=0 ... */
	xtcp_test_sysctl(test, &xn->timestamps, 1);
	xtcp_peer_init(&p, 45016);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM |
			      XTCP_OPTF_TIMESTAMP));

	/* ... and net.xtcp.sack=0 overrides tcp_sack=1 */
	xtcp_test_sysctl(test, &xn->sack, 0);
	xtcp_peer_init(&p, 45017);
	xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.present,
			(u16)(XTCP_OPTF_MSS | XTCP_OPTF_TIMESTAMP));
}

/*
 * The TCP_NOTSENT_LOWAT mark (tcp_notsent_lowat()): net.ipv4.tcp_notsent_lowat
 * (UINT_MAX, no mark, by default), the net.xtcp.notsent_lowat override once
 * set, the socket's option over both. sk_stream_memory_free(), which sendmsg()
 * asks, goes through xtcp_prot's .stream_memory_free: with nothing unsent
 * there is room under any mark but 0.
 */
static void conn_notsent_lowat_follows(struct kunit *test)
{
	struct xtcp_net *xn = xtcp_net(&init_net);
	struct socket *sock = xtcp_test_socket(test);
	struct sock *sk = sock->sk;

	KUNIT_ASSERT_EQ(test, xn->notsent_lowat, XTCP_FOLLOW_TCP);
	KUNIT_ASSERT_TRUE(test, xtcp_prot.stream_memory_free != NULL);
	xtcp_test_sysctl(test, (int *)&init_net.ipv4.sysctl_tcp_notsent_lowat,
			 -1);
	KUNIT_EXPECT_EQ(test, xtcp_notsent_lowat(sk), UINT_MAX);
	xtcp_test_sysctl(test, (int *)&init_net.ipv4.sysctl_tcp_notsent_lowat,
			 4096);
	KUNIT_EXPECT_EQ(test, xtcp_notsent_lowat(sk), 4096U);
	KUNIT_EXPECT_TRUE(test, sk_stream_memory_free(sk));
	xtcp_test_sysctl(test, &xn->notsent_lowat, 8192);
	KUNIT_EXPECT_EQ(test, xtcp_notsent_lowat(sk), 8192U);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP,
						   TCP_NOTSENT_LOWAT, 100), 0);
	KUNIT_EXPECT_EQ(test, xtcp_notsent_lowat(sk), 100U);
	/* a mark of 0, from the sysctl: never room, as TCP's */
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP,
						   TCP_NOTSENT_LOWAT, 0), 0);
	xtcp_test_sysctl(test, &xn->notsent_lowat, 0);
	KUNIT_EXPECT_EQ(test, xtcp_notsent_lowat(sk), 0U);
	KUNIT_EXPECT_FALSE(test, sk_stream_memory_free(sk));
	KUNIT_EXPECT_FALSE(test, __sk_stream_is_writeable(sk, 1));
}

/*
 * SO_RCVBUF before connect() caps the window and its scale at what the
 * buffer holds (tcp_connect_init()'s window_clamp): 4096 bytes asked, 8192
 * granted, a 4096-byte window, smaller than lo's MSS, scale 0 (still
 * offered: the peer's windows may be scaled).
 */
static void conn_syn_rcvbuf_locked(struct kunit *test)
{
	struct socket *sock = xtcp_test_socket(test);
	struct xtcp_peer p;
	struct xtcp_pkt *syn;

	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_SOCKET, SO_RCVBUF,
						   4096), 0);
	KUNIT_ASSERT_EQ(test, sock->sk->sk_rcvbuf, 8192);
	xtcp_peer_init(&p, 45012);
	xtcp_test_connect_sock(test, sock, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_TRUE(test, syn->seg.opt.present & XTCP_OPTF_WSCALE);
	KUNIT_EXPECT_EQ(test, syn->seg.opt.wscale, 0);
	KUNIT_EXPECT_EQ(test, syn->seg.window, (u16)4096);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->rcv_wnd, 4096U);
}

/*
 * The SYN+ACK: ESTABLISHED, the ACK of it sent, CurrEstab up; a second
 * connect() then reports the connection made (as inet_stream_connect()).
 */
static void conn_synack_establishes(struct kunit *test)
{
	struct xtcp_peer p;
	struct sockaddr_in sin;
	struct socket *sock;
	struct xtcp_pkt *syn;
	long estab = xtcp_test_stat(XTCP_STAT_CURR_ESTAB);

	xtcp_peer_init(&p, 45002);
	sock = xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	xtcp_peer_saw(&p, syn);
	xtcp_peer_send(test, &p, XTCP_FLAG_SYN | XTCP_FLAG_ACK, 0);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, syn->seg.seq + 1, p.isn + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->snd_una, syn->seg.seq + 1);
	KUNIT_EXPECT_FALSE(test, xtcp_timer_pending(xtcp_sk(sock->sk),
						    XTCP_TIMER_RETRANS));
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_CURR_ESTAB), estab + 1);

	sin = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = p.port,
				    .sin_addr.s_addr = p.addr };
	KUNIT_EXPECT_EQ(test, kernel_connect(sock, (struct sockaddr *)&sin,
					     sizeof(sin), O_NONBLOCK), 0);
	KUNIT_EXPECT_EQ(test, (int)sock->state, (int)SS_CONNECTED);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A RST that acknowledges our SYN: refused (ECONNREFUSED, AttemptFails). */
static void conn_rst_refuses(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	long fails = xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS);

	xtcp_peer_init(&p, 45003);
	sock = xtcp_test_connect(test, &p);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_SYN));
	p.seq = 0;
	xtcp_peer_send(test, &p, XTCP_FLAG_RST | XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS), fails + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/* A RST whose ACK is not for our SYN is ignored (RFC 9293 §3.10.7.3). */
static void conn_rst_bad_ack_ignored(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;

	xtcp_peer_init(&p, 45004);
	sock = xtcp_test_connect(test, &p);
	xtcp_peer_saw(&p, xtcp_test_expect(test, XTCP_FLAG_SYN));
	p.ack += 1000;
	xtcp_peer_send(test, &p, XTCP_FLAG_RST | XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_SYN_SENT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * shutdown(SHUT_WR): a FIN after the data, FIN-WAIT-1; its ACK, FIN-WAIT-2;
 * the connection still receives.
 */
static void conn_shutdown_sends_fin(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *fin;

	xtcp_peer_init(&p, 45005);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	fin = xtcp_test_expect(test, XTCP_FLAG_FIN | XTCP_FLAG_ACK);
	XTCP_EXPECT_SEG(test, fin, XTCP_FLAG_FIN | XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT1);
	xtcp_peer_saw(&p, fin);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_FIN_WAIT2);
	XTCP_EXPECT_NO_SEGMENT(test);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_ACK),
			XTCP_FLAG_ACK, p.ack, p.seq);
}

/* A socket of @sock as an IPv6 connection [fd77::1]:@lport <-> [fd77::2]:80. */
static void fake6_conn(struct socket *sock, const struct xtcp_af_ops *af,
		       u16 lport)
{
	struct sock *sk = sock->sk;

	xtcp_sk(sk)->af = af;
	ipv6_addr_set(&sk->sk_v6_rcv_saddr, htonl(0xfd770000), 0, 0, htonl(1));
	ipv6_addr_set(&sk->sk_v6_daddr, htonl(0xfd770000), 0, 0, htonl(2));
	sk->sk_num = lport;
	sk->sk_dport = htons(80);
}

static void unfake6(struct socket *sock, const struct xtcp_af_ops *af)
{
	struct sock *sk = sock->sk;

	xtcp_sk(sk)->af = af;
	memset(&sk->sk_v6_rcv_saddr, 0, sizeof(sk->sk_v6_rcv_saddr));
	memset(&sk->sk_v6_daddr, 0, sizeof(sk->sk_v6_daddr));
	sk->sk_num = 0;
	sk->sk_dport = 0;
}

/*
 * The IPv6 connection table, ehash6 (Documentation/design-ipv6.rst,
 * "Tables"; nothing makes IPv6 connections yet, so a socket plays one, its
 * af saying AF_INET6): found by its IPv6 4-tuple and by no other, nor by an
 * IPv4 lookup; a second socket of the same tuple refused; gone after
 * xtcp_unhash().
 */
static void conn_ehash6(struct kunit *test)
{
	static const struct xtcp_af_ops fake6 = { .family = AF_INET6 };
	struct socket *a = xtcp_test_socket(test), *b = xtcp_test_socket(test);
	const struct xtcp_af_ops *orig = xtcp_sk(a->sk)->af;
	struct in6_addr l, r;
	struct sock *found;
	int err;

	ipv6_addr_set(&l, htonl(0xfd770000), 0, 0, htonl(1));
	ipv6_addr_set(&r, htonl(0xfd770000), 0, 0, htonl(2));
	fake6_conn(a, &fake6, 40000);
	fake6_conn(b, &fake6, 40000);
	lock_sock(a->sk);
	err = xtcp_hash_connection(a->sk);
	release_sock(a->sk);
	KUNIT_EXPECT_EQ(test, err, 0);

	found = xtcp_lookup_established6(&init_net, &l, htons(40000), &r,
					 htons(80), -1, 0);
	KUNIT_EXPECT_PTR_EQ(test, found, a->sk);
	if (found)
		sock_put(found);
	KUNIT_EXPECT_NULL(test, xtcp_lookup_established6(&init_net, &l,
							 htons(40001), &r,
							 htons(80), -1, 0));
	KUNIT_EXPECT_NULL(test, xtcp_lookup_established6(&init_net, &r,
							 htons(40000), &l,
							 htons(80), -1, 0));
	KUNIT_EXPECT_NULL(test, xtcp_lookup_established(&init_net, 0,
							htons(40000), 0,
							htons(80), -1, 0));

	lock_sock(b->sk);
	err = xtcp_hash_connection(b->sk);
	release_sock(b->sk);
	KUNIT_EXPECT_EQ(test, err, -EADDRNOTAVAIL);

	lock_sock(a->sk);
	xtcp_unhash(a->sk);
	release_sock(a->sk);
	KUNIT_EXPECT_NULL(test, xtcp_lookup_established6(&init_net, &l,
							 htons(40000), &r,
							 htons(80), -1, 0));
	/* as they were, for their release */
	unfake6(a, orig);
	unfake6(b, orig);
}

static struct kunit_case conn_cases[] = {
	KUNIT_CASE(conn_connect_sends_syn),
	KUNIT_CASE(conn_ehash6),
	KUNIT_CASE(conn_syn_wscale_follows_rmem),
	KUNIT_CASE(conn_syn_options_follow_tcp_sysctls),
	KUNIT_CASE(conn_timestamps_2_no_offset),
	KUNIT_CASE(conn_notsent_lowat_follows),
	KUNIT_CASE(conn_syn_rcvbuf_locked),
	KUNIT_CASE(conn_synack_establishes),
	KUNIT_CASE(conn_rst_refuses),
	KUNIT_CASE(conn_rst_bad_ack_ignored),
	KUNIT_CASE(conn_shutdown_sends_fin),
	{}
};

static struct kunit_suite conn_suite = {
	.name = "xtcp_pkt_conn",
	.init = xtcp_test_init,
	.test_cases = conn_cases,
};

/*
 * An abortive close (SO_LINGER 0): a RST at SND.NXT, the connection counted
 * as reset (EstabResets) and no longer established (CurrEstab).
 */
static void sock_abortive_close(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	long resets, estab;

	xtcp_peer_init(&p, 45010);
	sock = xtcp_test_established(test, &p, NULL);
	resets = xtcp_test_stat(XTCP_STAT_ESTAB_RESETS);
	estab = xtcp_test_stat(XTCP_STAT_CURR_ESTAB);
	xtcp_test_release(test, sock);
	XTCP_EXPECT_SEG(test, xtcp_test_expect(test, XTCP_FLAG_RST | XTCP_FLAG_ACK),
			XTCP_FLAG_RST | XTCP_FLAG_ACK, p.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ESTAB_RESETS), resets + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_CURR_ESTAB), estab - 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A connection reset by the peer is over: unhashed (its next segment is not
 * xtcp's), timers stopped, unacknowledged data dropped, the port given back.
 */
static void sock_done_leaves_nothing(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_sock *xs;

	xtcp_peer_init(&p, 45011);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_ASSERT_FALSE(test, xtcp_rtx_empty(sock->sk));

	xtcp_peer_send(test, &p, XTCP_FLAG_RST, 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_FALSE(test, xs->hashed);
	KUNIT_EXPECT_EQ(test, xs->timer_pending, 0);
	KUNIT_EXPECT_TRUE(test, xtcp_queues_empty(sock->sk));
	KUNIT_EXPECT_EQ(test, sock->sk->sk_wmem_queued, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0U);
	KUNIT_EXPECT_PTR_EQ(test, xs->port, NULL);
	KUNIT_EXPECT_EQ(test, inet_sk(sock->sk)->inet_num, 0);
	KUNIT_EXPECT_EQ(test, xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 10),
			(unsigned int)NF_ACCEPT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case sock_cases[] = {
	KUNIT_CASE(sock_abortive_close),
	KUNIT_CASE(sock_done_leaves_nothing),
	{}
};

static struct kunit_suite sock_suite = {
	.name = "xtcp_pkt_sock",
	.init = xtcp_test_init,
	.test_cases = sock_cases,
};

XTCP_KUNIT_SUITES(pkt_conn, &conn_suite, &sock_suite);
