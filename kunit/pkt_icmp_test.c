// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): ICMP errors about xtcp's segments
 * (src/icmp.c), fed through the hook as the IPv4 stack hands them over.
 * (Fragmentation needed is left to the wire tests: it changes the route's
 * path MTU for every later test's 127.0.0.2.)
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <net/sock.h>

#include "packet.h"
#include "suites.h"

/* Host unreachable while connecting: connect() fails with EHOSTUNREACH. */
static void icmp_unreachable_fails_connect(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *syn;
	long fails = xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS);

	xtcp_peer_init(&p, 46001);
	sock = xtcp_test_connect(test, &p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed_icmp(test, &p, ICMP_DEST_UNREACH,
						  ICMP_HOST_UNREACH, 0,
						  syn->seg.seq),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, EHOSTUNREACH);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_ATTEMPT_FAILS), fails + 1);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * Once connected, the same error is soft (RFC 1122 §4.2.3.9): kept in
 * sk_err_soft, the connection untouched, cleared by the peer's next ACK.
 */
static void icmp_soft_error_when_established(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *data;

	xtcp_peer_init(&p, 46002);
	sock = xtcp_test_established(test, &p, NULL);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	data = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed_icmp(test, &p, ICMP_DEST_UNREACH,
						  ICMP_HOST_UNREACH, 0,
						  data->seg.seq),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err_soft, EHOSTUNREACH);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, 0);

	xtcp_peer_saw(&p, data);
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 0);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err_soft, 0);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * An error quoting a sequence number outside SND.UNA..SND.NXT is ignored
 * and counted (RFC 5927); one quoting no xtcp connection is the kernel's.
 */
static void icmp_out_of_window_ignored(struct kunit *test)
{
	struct xtcp_peer p, q;
	struct socket *sock;
	long oow = xtcp_test_stat(XTCP_STAT_OUT_OF_WINDOW_ICMPS);
	u32 una;

	xtcp_peer_init(&p, 46003);
	sock = xtcp_test_connect(test, &p);
	una = xtcp_test_expect(test, XTCP_FLAG_SYN)->seg.seq;
	KUNIT_EXPECT_EQ(test, xtcp_test_feed_icmp(test, &p, ICMP_DEST_UNREACH,
						  ICMP_HOST_UNREACH, 0,
						  una + 100000),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_OUT_OF_WINDOW_ICMPS),
			oow + 1);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, 0);

	q = p;
	q.port = htons(9);
	KUNIT_EXPECT_EQ(test, xtcp_test_feed_icmp(test, &q, ICMP_DEST_UNREACH,
						  ICMP_HOST_UNREACH, 0, una),
			(unsigned int)NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_state, XTCP_SYN_SENT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

static struct kunit_case icmp_cases[] = {
	KUNIT_CASE(icmp_unreachable_fails_connect),
	KUNIT_CASE(icmp_soft_error_when_established),
	KUNIT_CASE(icmp_out_of_window_ignored),
	{}
};

static struct kunit_suite icmp_suite = {
	.name = "xtcp_pkt_icmp",
	.init = xtcp_test_init,
	.test_cases = icmp_cases,
};

XTCP_KUNIT_SUITES(pkt_icmp, &icmp_suite);
