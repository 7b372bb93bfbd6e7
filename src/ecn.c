// SPDX-License-Identifier: GPL-2.0
/*
 * ecn.c: Explicit Congestion Notification (RFC 3168), classic ECN as Linux
 * 6.1's TCP does it by default.
 *
 * The SYNs agree on it: our SYN asks with ECE|CWR when net.ipv4.tcp_ecn
 * (net.xtcp.ecn) is 1 (tcp_ecn_send_syn()); a SYN that asks is answered by a
 * SYN+ACK with ECE when it is 1 or 2 (tcp_ecn_create_request(),
 * tcp_ecn_make_synack()), 2 being Linux's default. Once agreed, our new data
 * goes as ECT(0), and nothing else does: not ACKs, not retransmissions, not
 * the SYNs (tcp_ecn_send(), INET_ECN_xmit()/INET_ECN_dontxmit() on the
 * socket's TOS, which ip_queue_xmit() writes into the IP header). Text that
 * comes in marked CE is echoed with ECE on every segment we send until the
 * peer's CWR says it reduced (__tcp_ecn_check_ce(), tcp_ecn_accept_cwr()); an
 * echo reduces our window once per window of data, in the CWR state
 * (recovery.c, tcp_enter_cwr()), and our next new data carries CWR.
 *
 * Not followed: the route feature RTAX_FEATURE_ECN (`ip route ... features
 * ecn`), which asks or accepts for one route whatever the sysctl, and
 * congestion controls that want ECN (DCTCP): xtcp has neither.
 */
#include <net/inet_ecn.h>
#include <net/tcp.h>

#include "delack.h"
#include "ecn.h"
#include "hook.h"
#include "seq.h"
#include "skb_cb.h"

int xtcp_ecn_mode(const struct net *net)
{
	return xtcp_sysctl(net, ecn, sysctl_tcp_ecn);
}

/*
 * Our SYN asks for ECN with ECE|CWR when the sysctl is 1, decided on its
 * first transmission (tcp_ecn_send_syn()); its retransmissions do not ask,
 * in case a middlebox drops such SYNs, while net.ipv4.tcp_ecn_fallback is
 * on (tcp_ecn_clear_syn(), RFC 3168 §6.1.1.1). The SYN+ACK of a simultaneous
 * open carries ECE if our SYN asked and the peer's did (tcp_ecn_send_synack()).
 */
static void ecn_send_syn(struct sock *sk, struct xtcp_segment *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct net *net = sock_net(sk);

	if (seg->flags & XTCP_FLAG_ACK) {
		if (xs->ecn_flags & XTCP_ECN_OK)
			seg->flags |= XTCP_FLAG_ECE;
		return;
	}
	if (!xs->retries)
		xs->ecn_flags = xtcp_ecn_mode(net) == 1 ? XTCP_ECN_OK : 0;
	if ((xs->ecn_flags & XTCP_ECN_OK) &&
	    (!xs->retries || !READ_ONCE(net->ipv4.sysctl_tcp_ecn_fallback)))
		seg->flags |= XTCP_FLAG_ECE | XTCP_FLAG_CWR;
}

/*
 * tcp_ecn_send(): new data is ECT(0), with CWR the first time after our
 * window fell; an ACK, a retransmission or a bare FIN is Not-ECT. Every
 * segment carries ECE while CE came in and the peer's CWR did not.
 */
void xtcp_ecn_send(struct sock *sk, struct xtcp_segment *seg, u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);

	if (seg->flags & XTCP_FLAG_SYN) {
		ecn_send_syn(sk, seg);
		return;
	}
	if (!(xs->ecn_flags & XTCP_ECN_OK))
		return;
	if (len && !xtcp_seq_before(seg->seq, xs->snd_nxt)) {
		inet->tos |= INET_ECN_ECT_0;	/* INET_ECN_xmit(), IPv4 */
		if (xs->ecn_flags & XTCP_ECN_QUEUE_CWR) {
			xs->ecn_flags &= ~XTCP_ECN_QUEUE_CWR;
			seg->flags |= XTCP_FLAG_CWR;
		}
	} else {
		inet->tos &= ~INET_ECN_MASK;	/* INET_ECN_dontxmit(), IPv4 */
	}
	if (xs->ecn_flags & XTCP_ECN_DEMAND_CWR)
		seg->flags |= XTCP_FLAG_ECE;
}

/*
 * Our SYN asked: a SYN+ACK agrees with ECE and without CWR
 * (tcp_ecn_rcv_synack()), the SYN of a simultaneous open with both
 * (tcp_ecn_rcv_syn()). Anything else, and ECN is off for the connection.
 */
void xtcp_ecn_rcv_syn(struct sock *sk, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 ecn = flags & (XTCP_FLAG_ECE | XTCP_FLAG_CWR);
	u8 want = (flags & XTCP_FLAG_ACK) ? XTCP_FLAG_ECE :
		  XTCP_FLAG_ECE | XTCP_FLAG_CWR;

	if (ecn != want)
		xs->ecn_flags &= ~XTCP_ECN_OK;
}

/*
 * tcp_ecn_create_request(): an ECN-setup SYN (ECE|CWR) that is not itself
 * ECT, or that sets a reserved bit (a later extension, such as AccECN, which
 * falls back to classic ECN), is answered with ECE unless the sysctl is 0.
 * An ECT SYN is refused: RFC 3168 §6.1.1 forbids it, so it was bleached or
 * rewritten on the way.
 */
bool xtcp_ecn_req_ok(const struct net *net, const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);

	if (!th->ece || !th->cwr)
		return false;
	if (!INET_ECN_is_not_ect(xtcp_skb_dsfield(skb)) && !th->res1)
		return false;
	return xtcp_ecn_mode(net) != 0;
}

/*
 * tcp_enter_quickack_mode(sk, 2): the next two ACKs go at once, for the
 * sender may have a window of a segment or two.
 */
static void quickack(struct xtcp_sock *xs)
{
	xs->quickack = max_t(u8, xs->quickack,
			     min_t(u8, xtcp_quickacks(xs->rcv_wnd, xs->rcv_mss),
				   2));
	xs->pingpong = 0;
}

/*
 * __tcp_ecn_check_ce(): CE asks for ECE on our segments until the peer's
 * CWR, and for quick ACKs the first time; Not-ECT after ECT or CE was seen
 * is likely a retransmission (not ECT): quick ACKs too.
 */
void xtcp_ecn_check_ce(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!(xs->ecn_flags & XTCP_ECN_OK))
		return;
	switch (xtcp_skb_dsfield(skb) & INET_ECN_MASK) {
	case INET_ECN_NOT_ECT:
		if (xs->ecn_flags & XTCP_ECN_SEEN)
			quickack(xs);
		break;
	case INET_ECN_CE:
		if (!(xs->ecn_flags & XTCP_ECN_DEMAND_CWR)) {
			quickack(xs);
			xs->ecn_flags |= XTCP_ECN_DEMAND_CWR;
		}
		fallthrough;
	default:
		xs->ecn_flags |= XTCP_ECN_SEEN;
		break;
	}
}

/*
 * The peer reduced its window: no more ECE. Linux takes CWR on any ACK, not
 * only on data as RFC 3168 says, and answers data with CWR at once, as the
 * peer's window may be a segment (tcp_ecn_accept_cwr()).
 */
void xtcp_ecn_accept_cwr(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (!(cb->flags & XTCP_FLAG_CWR))
		return;
	xs->ecn_flags &= ~XTCP_ECN_DEMAND_CWR;
	if (cb->seq != cb->end_seq)
		xs->ack_now = 1;
}
