// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): Explicit Congestion Notification (RFC 3168,
 * src/ecn.c) as Linux 6.1 does it. The SYNs agree on it, new data goes out
 * ECT(0) and nothing else does, CE is echoed with ECE until CWR, and an echo
 * enters the CWR state once per window (src/recovery.c). The ECN field of
 * what xtcp sends is the socket's TOS at the capture point, which
 * ip_queue_xmit() writes into the IP header.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <net/inet_ecn.h>
#include <net/sock.h>

#include "ecn.h"
#include "netns.h"
#include "packet.h"
#include "suites.h"
#include "timer.h"

static u8 ecn_of(const struct xtcp_pkt *pkt)
{
	return pkt->tos & INET_ECN_MASK;
}

/*
 * An active open to @p that asks for ECN (net.xtcp.ecn 1), answered by a
 * SYN+ACK with @synack_ecn (ECE to agree): established, its ACK popped.
 */
static struct socket *ecn_established(struct kunit *test, struct xtcp_peer *p,
				      u8 synack_ecn)
{
	struct socket *sock;
	struct xtcp_test_seg s;
	struct xtcp_pkt *syn;

	xtcp_test_sysctl(test, &xtcp_net(&init_net)->ecn, 1);
	sock = xtcp_test_connect(test, p);
	syn = xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ECE |
				     XTCP_FLAG_CWR);
	KUNIT_EXPECT_EQ(test, ecn_of(syn), INET_ECN_NOT_ECT);
	xtcp_peer_saw(p, syn);
	s = xtcp_peer_seg(p, XTCP_FLAG_SYN | XTCP_FLAG_ACK | synack_ecn, 0);
	s.opt.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM;
	s.opt.mss = XTCP_TEST_MSS;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, &s),
			(unsigned int)NF_STOLEN);
	p->seq++;
	xtcp_peer_saw(p, xtcp_test_expect(test, XTCP_FLAG_ACK));
	KUNIT_ASSERT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	return sock;
}

/*
 * tcp_ecn=1 asks; ECE on the SYN+ACK agrees: new data is ECT(0), an ACK
 * and a retransmission Not-ECT (tcp_ecn_send()).
 */
static void ecn_agreed_ect0_on_new_data_only(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_pkt *pkt;

	xtcp_peer_init(&p, 47101);
	sock = ecn_established(test, &p, XTCP_FLAG_ECE);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->ecn_flags, XTCP_ECN_OK);

	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_ECT_0);

	/*
	 * the peer's text, not acknowledging ours, acknowledged at once
	 * (quick ACKs): Not-ECT
	 */
	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 100);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 0U);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_NOT_ECT);

	/* the text again, by the retransmission timer: Not-ECT */
	xtcp_test_fire(test, sock->sk, XTCP_TIMER_RETRANS);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, pkt->seg.payload_len, 100U);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_NOT_ECT);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * A SYN+ACK without ECE (or with CWR too) declines: no ECN, and the SYN of
 * a socket whose namespace says 2 (or net.xtcp.ecn 0 over
 * net.ipv4.tcp_ecn 1) does not ask.
 */
static void ecn_declined_or_not_asked(struct kunit *test)
{
	struct xtcp_peer p, q;
	struct socket *sock;
	struct xtcp_pkt *pkt;

	xtcp_peer_init(&p, 47102);
	sock = ecn_established(test, &p, XTCP_FLAG_ECE | XTCP_FLAG_CWR);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->ecn_flags, 0);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 100, 0), 100);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_NOT_ECT);

	xtcp_test_sysctl_u8(test, &init_net.ipv4.sysctl_tcp_ecn, 1);
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->ecn, 0);
	xtcp_peer_init(&q, 47103);
	xtcp_test_connect(test, &q);
	xtcp_test_expect(test, XTCP_FLAG_SYN);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * CE on text: ECE on every segment until the peer's CWR
 * (__tcp_ecn_check_ce(), tcp_ecn_accept_cwr()).
 */
static void ecn_ce_echoed_until_cwr(struct kunit *test)
{
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_test_seg s;
	struct xtcp_pkt *pkt;

	xtcp_peer_init(&p, 47104);
	sock = ecn_established(test, &p, XTCP_FLAG_ECE);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 100);
	s.tos = INET_ECN_CE;
	p.seq += 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_ECE);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->ecn_flags,
			XTCP_ECN_OK | XTCP_ECN_DEMAND_CWR | XTCP_ECN_SEEN);

	/* our data echoes it too */
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH |
				     XTCP_FLAG_ECE);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_ECT_0);
	xtcp_peer_saw(&p, pkt);

	/* CWR on the peer's text: an ACK at once, without ECE */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK | XTCP_FLAG_CWR, 100);
	s.tos = INET_ECN_ECT_0;
	p.seq += 100;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK);
	KUNIT_EXPECT_EQ(test, pkt->seg.ack, p.seq);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sock->sk)->ecn_flags,
			XTCP_ECN_OK | XTCP_ECN_SEEN);
	XTCP_EXPECT_NO_SEGMENT(test);
}

/*
 * ECE on an ACK: the CWR state, once per window (tcp_enter_cwr()), and CWR
 * on the next new data only.
 */
static void ecn_ece_reduces_once_per_window(struct kunit *test)
{
	const u32 mss = XTCP_TEST_MSS;
	struct xtcp_peer p;
	struct socket *sock;
	struct xtcp_test_seg s;
	struct xtcp_sock *xs;
	struct xtcp_pkt *pkt;
	u32 cwnd, ssthresh, high_seq, i;

	xtcp_peer_init(&p, 47105);
	sock = ecn_established(test, &p, XTCP_FLAG_ECE);
	xs = xtcp_sk(sock->sk);
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_TCP, TCP_NODELAY,
						   1), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, mss, 0), (int)mss);
		pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
		KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_ECT_0);
	}
	cwnd = xs->cc.cwnd;

	/* the first segment's ACK echoes CE: the window is to fall */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK | XTCP_FLAG_ECE, 0);
	s.ack = xs->snd_una + mss;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)xs->ca_state, XTCP_CA_CWR);
	KUNIT_EXPECT_EQ(test, xs->prior_cwnd, cwnd);
	KUNIT_EXPECT_LT(test, xs->cc.ssthresh, cwnd);
	KUNIT_EXPECT_EQ(test, xs->high_seq, xs->snd_nxt);
	KUNIT_EXPECT_TRUE(test, xs->ecn_flags & XTCP_ECN_QUEUE_CWR);
	ssthresh = xs->cc.ssthresh;
	high_seq = xs->high_seq;

	/* the next ECE within that window changes nothing */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK | XTCP_FLAG_ECE, 0);
	s.ack = xs->snd_una + mss;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)xs->ca_state, XTCP_CA_CWR);
	KUNIT_EXPECT_EQ(test, xs->cc.ssthresh, ssthresh);
	KUNIT_EXPECT_EQ(test, xs->high_seq, high_seq);

	/* new data carries CWR, once */
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH |
				     XTCP_FLAG_CWR);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_ECT_0);
	KUNIT_ASSERT_EQ(test, xtcp_test_sendmsg(sock, 10, 0), 10);
	pkt = xtcp_test_expect(test, XTCP_FLAG_ACK | XTCP_FLAG_PSH);
	KUNIT_EXPECT_EQ(test, ecn_of(pkt), INET_ECN_ECT_0);
	XTCP_EXPECT_NO_SEGMENT(test);

	/* an ACK past high_seq ends it, the window at ssthresh */
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 0);
	s.ack = high_seq + 10;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, (int)xs->ca_state, XTCP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, xs->cc.cwnd, ssthresh);
}

static struct kunit_case ecn_cases[] = {
	KUNIT_CASE(ecn_agreed_ect0_on_new_data_only),
	KUNIT_CASE(ecn_declined_or_not_asked),
	KUNIT_CASE(ecn_ce_echoed_until_cwr),
	KUNIT_CASE(ecn_ece_reduces_once_per_window),
	{}
};

static struct kunit_suite ecn_suite = {
	.name = "xtcp_pkt_ecn",
	.init = xtcp_test_init,
	.test_cases = ecn_cases,
};

XTCP_KUNIT_SUITES(pkt_ecn, &ecn_suite);
