// SPDX-License-Identifier: GPL-2.0
/*
 * icmp.c: ICMP errors about xtcp's segments, as tcp_v4_err() takes them.
 *
 * The kernel hands ICMP errors quoting a TCP header to the kernel's TCP,
 * which finds no socket of its own for an xtcp connection. So the LOCAL_IN
 * hook shows each ICMP error to xtcp first: one quoting an xtcp connection's
 * segment is xtcp's (NF_STOLEN); every other goes on to the kernel.
 *
 *  - Fragmentation needed (RFC 1191): the route's path MTU is lowered (for
 *    every socket to that destination, as the kernel's TCP lowers it), and
 *    the MSS with it; segments in flight that are now too big are split and
 *    sent again at once (tcp_v4_mtu_reduced(), tcp_simple_retransmit()).
 *  - Unreachable, time exceeded, parameter problem: while connecting, a hard
 *    error that ends the attempt (connect() fails with it); once connected, a
 *    soft error (RFC 1122 §4.2.3.9, RFC 5461), kept in sk_err_soft, which
 *    SO_ERROR reads and a later time-out reports instead of ETIMEDOUT, and
 *    which any ACK from the peer clears. With IP_RECVERR it is reported at
 *    once, as TCP does.
 *  - Source quench is ignored (RFC 6633).
 * A message whose quoted sequence number is outside SND.UNA..SND.NXT is
 * ignored and counted (OutOfWindowIcmps): a blind attacker does not know it
 * (RFC 5927).
 */
#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <net/icmp.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <net/tcp.h>

#include "hash.h"
#include "icmp.h"
#include "output.h"
#include "request.h"
#include "seq.h"
#include "sock.h"
#include "xtcp.h"

/*
 * The path MTU fell to xs->mtu_info (tcp_v4_mtu_reduced()). Runs with the
 * socket locked, from the hook or, if the user owned the socket, from
 * release_cb.
 */
void xtcp_mtu_reduced(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;
	u32 mtu;

	xtcp_sock_assert_locked(sk);
	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	mtu = READ_ONCE(xs->mtu_info);
	dst = inet_csk_update_pmtu(sk, mtu);
	if (!dst)
		return;
	/* a route that does not take the new MTU: the segment cannot pass */
	if (mtu < dst_mtu(dst) && ip_dont_fragment(sk, dst))
		WRITE_ONCE(sk->sk_err_soft, EMSGSIZE);
	mtu = dst_mtu(dst);
	if (inet_sk(sk)->pmtudisc != IP_PMTUDISC_DONT &&
	    ip_sk_accept_pmtu(sk) && xs->pmtu_cookie > mtu) {
		xtcp_sync_mss(sk, mtu);
		xtcp_simple_retransmit(sk);
	}
}

/* A hard or soft error for @sk, locked (the end of tcp_v4_err()). */
static void icmp_error(struct sock *sk, int err, bool fatal)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	switch (sk->sk_state) {
	case XTCP_SYN_RECV:
		/*
		 * A child nobody has accepted: no one to tell (POSIX wants no
		 * network errors from accept()), so it goes quietly when the
		 * error is fatal (tcp_req_err()).
		 */
		if (xs->passive) {
			if (fatal && !sock_owned_by_user(sk))
				xtcp_done(sk);
			return;
		}
		fallthrough;
	case XTCP_SYN_SENT:
		if (!sock_owned_by_user(sk)) {
			if (sk->sk_state == XTCP_SYN_SENT)
				xtcp_inc_stat(sock_net(sk),
					      XTCP_STAT_ATTEMPT_FAILS);
			WRITE_ONCE(sk->sk_err, err);
			sk_error_report(sk);
			xtcp_done(sk);
		} else {
			WRITE_ONCE(sk->sk_err_soft, err);
		}
		return;
	}
	if (!sock_owned_by_user(sk) && inet_sk(sk)->recverr) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/* @sk is locked and the ICMP message quotes its segment at @seq. */
static void icmp_for(struct sock *sk, const struct icmphdr *icmph, u32 seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	bool fatal = false;
	int err;

	if (sk->sk_state == XTCP_CLOSE)
		return;
	if (!xtcp_seq_between(seq, xs->snd_una, xs->snd_nxt)) {
		xtcp_inc_stat(net, XTCP_STAT_OUT_OF_WINDOW_ICMPS);
		return;
	}
	switch (icmph->type) {
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		break;
	case ICMP_DEST_UNREACH:
		if (icmph->code > NR_ICMP_UNREACH)
			return;
		if (icmph->code == ICMP_FRAG_NEEDED) {
			/* ip_no_pmtu_disc 2 and 3: the MTU in ICMP is not believed */
			if (READ_ONCE(net->ipv4.sysctl_ip_no_pmtu_disc) >= 2)
				return;
			WRITE_ONCE(xs->mtu_info, ntohs(icmph->un.frag.mtu));
			if (!sock_owned_by_user(sk))
				xtcp_mtu_reduced(sk);
			else
				set_bit(XTCP_DEFER_MTU, &xs->deferred);
			return;
		}
		err = icmp_err_convert[icmph->code].errno;
		fatal = icmp_err_convert[icmph->code].fatal;
		break;
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		break;
	default:
		return;
	}
	icmp_error(sk, err, fatal);
}

/*
 * A request's SYN+ACK is quoted (tcp_req_err()): out of window unless at its
 * ISN; a fatal error ends it quietly, as it ends a child in SYN-RECV (nobody
 * accepted it, so nobody is told).
 */
static void icmp_for_req(struct xtcp_request *req,
			 const struct icmphdr *icmph, u32 seq)
{
	struct net *net = sock_net(xtcp_req_sk(req));

	if (seq != req->iss) {
		xtcp_inc_stat(net, XTCP_STAT_OUT_OF_WINDOW_ICMPS);
		return;
	}
	if (icmph->type == ICMP_DEST_UNREACH && icmph->code <= NR_ICMP_UNREACH &&
	    icmph->code != ICMP_FRAG_NEEDED &&
	    icmp_err_convert[icmph->code].fatal)
		xtcp_req_drop(req);
}

/*
 * The IPsec policy, as icmp_rcv() asks it: an error the policy refuses may
 * still pass when the SA it came through allows ICMP (XFRM_STATE_ICMP) and
 * the policy accepts the datagram it quotes.
 */
static bool icmp_policy_ok(struct sk_buff *skb)
{
#ifdef CONFIG_XFRM
	struct sec_path *sp;
	int nh;
	bool ok;

	if (xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		return true;
	sp = skb_sec_path(skb);
	if (!(sp && sp->xvec[sp->len - 1]->props.flags & XFRM_STATE_ICMP))
		return false;
	/* the quoted header, pulled by the caller, as the network header */
	nh = skb_network_offset(skb);
	skb_set_network_header(skb, skb_transport_offset(skb) +
			       sizeof(struct icmphdr));
	ok = xfrm4_policy_check_reverse(NULL, XFRM_POLICY_IN, skb);
	skb_set_network_header(skb, nh);
	return ok;
#else
	return true;
#endif
}

/*
 * From the hook: an ICMP message. Returns NF_STOLEN (and frees @skb) if it is
 * an error about an xtcp connection, else NF_ACCEPT.
 */
unsigned int xtcp_icmp_rcv(struct net *net, struct sk_buff *skb)
{
	unsigned int off = skb_transport_offset(skb);
	const struct icmphdr *icmph;
	const struct tcphdr *th;
	const struct iphdr *iph;
	struct sock *sk;
	unsigned int ihl;

	if (!pskb_may_pull(skb, off + sizeof(*icmph) + sizeof(*iph)))
		return NF_ACCEPT;
	/*
	 * What icmp_rcv() would refuse, xtcp does not act on either: errors
	 * sent to a broadcast or multicast address, and a bad checksum (left to
	 * icmp_rcv() to count).
	 */
	if (skb_rtable(skb) &&
	    (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return NF_ACCEPT;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_fold(skb_checksum(skb, off, skb->len - off, 0)))
		return NF_ACCEPT;
	icmph = (const struct icmphdr *)(skb->data + off);
	switch (icmph->type) {
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
	case ICMP_SOURCE_QUENCH:
		break;
	default:
		return NF_ACCEPT;
	}
	iph = (const struct iphdr *)(icmph + 1);
	ihl = iph->ihl * 4;
	if (iph->protocol != IPPROTO_TCP || ihl < sizeof(*iph))
		return NF_ACCEPT;
	/* RFC 792: the quoted datagram's header and 8 bytes: ports and seq */
	if (!pskb_may_pull(skb, off + sizeof(*icmph) + ihl + 8))
		return NF_ACCEPT;
	icmph = (const struct icmphdr *)(skb->data + off);
	iph = (const struct iphdr *)(icmph + 1);
	th = (const struct tcphdr *)((const u8 *)iph + ihl);

	/* we sent the quoted segment: its source is our end */
	sk = xtcp_lookup_established(net, iph->saddr, th->source, iph->daddr,
				     th->dest, inet_iif(skb), 0);
	if (!sk)
		return NF_ACCEPT;
	if (!icmp_policy_ok(skb)) {
		xtcp_sk_put(sk);
		kfree_skb_reason(skb, SKB_DROP_REASON_XFRM_POLICY);
		return NF_STOLEN;
	}
	if (xtcp_is_request(sk)) {
		icmp_for_req(xtcp_req(sk), icmph, ntohl(th->seq));
		xtcp_req_put(xtcp_req(sk));	/* the lookup's */
		consume_skb(skb);
		return NF_STOLEN;
	}
	bh_lock_sock(sk);
	icmp_for(sk, icmph, ntohl(th->seq));
	bh_unlock_sock(sk);
	sock_put(sk);
	consume_skb(skb);
	return NF_STOLEN;
}
