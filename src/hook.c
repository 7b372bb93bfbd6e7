// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c: where segments come in: the netfilter hook.
 *
 * The hook (NF_INET_LOCAL_IN, last before conntrack's confirmation: see
 * netns.c) looks every IPv4 TCP segment up in xtcp's tables: a connection's
 * 4-tuple (a socket, or a listener's request: then the listener's segment),
 * a TIME_WAIT bucket, a listener's port. What xtcp owns it steals
 * (NF_STOLEN); the rest goes on to the kernel's TCP untouched. A stolen
 * segment is validated by the protocol core (header, options, checksum); a
 * bad one is counted and dropped.
 *
 * Every other LOCAL_IN hook has seen the segment by then (filter, firewalld's
 * chains, security, SELinux, conntrack helpers). Before a socket gets it,
 * admit() asks what tcp_v4_rcv() asks, in its order: the IPsec policy, then
 * the socket's filter (cgroup-BPF, the LSM's sock_rcv_skb, SO_ATTACH_FILTER).
 *
 * Then the kernel's socket discipline: in softirq under bh_lock_sock(); when
 * the user owns the socket, onto its backlog, which release_sock() hands to
 * xtcp_rcv() (input.c). Either way xtcp_rcv() runs with the socket locked.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/tcp.h>
#include <net/xfrm.h>

#include "checksum.h"
#include "hash.h"
#include "hook.h"
#include "icmp.h"
#include "input.h"
#include "output.h"
#include "parse.h"
#include "request.h"
#include "sock.h"
#include "twsock.h"
#include "xtcp.h"

/* Fill the cb from the parsed header; skb->data moves to the text. */
static void fill_cb(struct sk_buff *skb, const struct xtcp_segment *seg,
		    int iif)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct rtable *rt = skb_rtable(skb);
	/* what its route said, before the route is dropped */
	bool bcast = rt && (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST));

	memset(cb, 0, sizeof(*cb));
	cb->bcast = bcast;
	cb->iif = iif;
	cb->seq = seg->seq;
	cb->end_seq = seg->seq + xtcp_seg_seq_len(seg);
	cb->ack = seg->ack;
	cb->window = seg->window;
	cb->flags = seg->flags;
	if (seg->flags & XTCP_FLAG_URG)
		cb->urg_ptr = seg->urg_ptr;
	if (seg->opt.present & XTCP_OPTF_SACK)
		cb->has_sack = 1;
	if (seg->opt.present & XTCP_OPTF_TIMESTAMP) {
		cb->has_ts = 1;
		cb->tsval = seg->opt.tsval;
		cb->tsecr = seg->opt.tsecr;
	}
}

/*
 * Conntrack saw the segment at PRE_ROUTING but confirms a new flow only at the
 * end of LOCAL_IN, which a stolen segment never reaches: confirm it here, or
 * our SYN+ACK would be INVALID to a "ct state invalid drop" rule.
 */
static void confirm_conntrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_ct_hook *ct_hook;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	/* as nf_conntrack_confirm(): only a new, unconfirmed entry */
	if (!ct || nf_ct_is_confirmed(ct))
		return;
	rcu_read_lock();
	ct_hook = rcu_dereference(nf_ct_hook);
	if (ct_hook && ct_hook->confirm)
		ct_hook->confirm(skb);
	rcu_read_unlock();
#endif
}

static void drop_bad(struct net *net, struct sk_buff *skb, enum xtcp_stat s,
		     const char *why)
{
	xtcp_trace_drop_skb(net, skb, why);
	xtcp_inc_stat(net, XTCP_STAT_IN_ERRS);
	if (s != XTCP_STAT_IN_ERRS)
		xtcp_inc_stat(net, s);
	kfree_skb(skb);
}

static void drop_policy(struct net *net, struct sock *sk, struct sk_buff *skb,
			enum skb_drop_reason reason, const char *why)
{
	xtcp_trace_drop_skb(net, skb, why);
	if (sk)
		sk_drops_add(sk, skb);
	kfree_skb_reason(skb, reason);
}

/*
 * What tcp_v4_rcv() asks of a segment before its socket @sk (NULL for a
 * TIME_WAIT bucket) gets it, in the same order: the IPsec policy
 * (xfrm4_policy_check(), which counts its refusals in /proc/net/xfrm_stat),
 * then conntrack is let go, then the socket's filter (sk_filter_trim_cap():
 * cgroup-BPF ingress, the LSM's sock_rcv_skb, the SO_ATTACH_FILTER program),
 * which sees skb->data at the TCP header and may trim the text but never the
 * header. TCP counts neither refusal in its MIB: the drop reason and the
 * socket's sk_drops say it; so here, and the xtcp_drop trace event.
 *
 * @skb: skb->data at the TCP header, IPCB() and the route still there (the
 *	policy reads both); @seg parsed from it, parsed again if the filter
 *	trimmed the text. Returns false when @skb was dropped (and freed).
 */
static bool admit(struct net *net, struct sock *sk, struct sk_buff *skb,
		  struct xtcp_segment *seg)
{
	unsigned int len;

	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb)) {
		drop_policy(net, sk, skb, SKB_DROP_REASON_XFRM_POLICY,
			    "IPsec policy");
		return false;
	}
	/* the policy read the conntrack entry (NAT's reverse mapping): now done */
	nf_reset_ct(skb);
	if (!sk)
		return true;
	len = skb->len;
	if (sk_filter_trim_cap(sk, skb, xtcp_seg_hdr_len(seg))) {
		drop_policy(net, sk, skb, SKB_DROP_REASON_SOCKET_FILTER,
			    "socket filter");
		return false;
	}
	if (skb->len != len && xtcp_parse_skb(skb, seg) != XTCP_PARSE_OK) {
		/* cannot happen: the cap keeps the header whole */
		drop_policy(net, sk, skb, SKB_DROP_REASON_SOCKET_FILTER,
			    "socket filter trimmed the header");
		return false;
	}
	return true;
}

/*
 * A segment for a connection of the kernel's TCP, in its table or in
 * TIME-WAIT, on an xtcp listener's port: a TCP socket bound there with
 * SO_REUSEADDR beside the listener's port-holding socket (port.c), which
 * never listens, so TCP lets it. Its segments are TCP's, never the
 * listener's, which would answer them with a RST.
 */
static bool tcp_owns(struct net *net, const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *tsk;

	tsk = __inet_lookup_established(net, &tcp_hashinfo, iph->saddr,
					th->source, iph->daddr, ntohs(th->dest),
					inet_iif(skb), inet_sdif(skb));
	if (!tsk)
		return false;
	sock_gen_put(tsk);	/* the lookup's */
	return true;
}

unsigned int xtcp_nf_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct xtcp_tw_bucket *tw = NULL;
	struct inet_skb_parm ipcb = {};
	struct xtcp_segment seg;
	enum xtcp_parse_err perr;
	const struct tcphdr *th;
	const struct iphdr *iph;
	struct sock *sk;
	int dif, sdif;

	if (skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return xtcp_icmp_rcv(net, skb);
	if (ip_hdr(skb)->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, skb_transport_offset(skb) + sizeof(*th)))
		return NF_ACCEPT;	/* the kernel's TCP counts it */
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	/* the device it came in on, for sockets bound to one (SO_BINDTODEVICE) */
	dif = inet_iif(skb);
	sdif = inet_sdif(skb);

	sk = xtcp_lookup_established(net, iph->daddr, th->dest, iph->saddr,
				     th->source, dif, sdif);
	if (sk && xtcp_is_request(sk)) {
		/*
		 * A request's segment is its listener's to judge, under its
		 * lock (child.c finds the request again), and passes its
		 * listener's policy, as tcp_v4_rcv() runs tcp_filter() on the
		 * listener for a request.
		 */
		struct sock *lsk = xtcp_req(sk)->listener;

		sock_hold(lsk);
		xtcp_req_put(xtcp_req(sk));	/* the lookup's */
		sk = lsk;
	}
	if (!sk) {
		tw = xtcp_tw_lookup(&xtcp_net(net)->tw, net, iph->daddr,
				    th->dest, iph->saddr, th->source, dif,
				    sdif);
		if (!tw) {
			sk = xtcp_lookup_listener(net, iph->daddr, th->dest,
						  dif, sdif);
			if (!sk)
				return NF_ACCEPT;
			if (tcp_owns(net, skb)) {
				sock_put(sk);
				return NF_ACCEPT;
			}
		}
	}

	/* Ours from here on: NF_STOLEN, whatever becomes of it. */
	confirm_conntrack(skb);
	xtcp_inc_stat(net, XTCP_STAT_IN_SEGS);
	perr = xtcp_parse_skb(skb, &seg);
	if (perr != XTCP_PARSE_OK) {
		drop_bad(net, skb, perr == XTCP_PARSE_OPT_LEN_SHORT ||
			 perr == XTCP_PARSE_OPT_OVERRUN ||
			 perr == XTCP_PARSE_OPT_BAD_LEN ?
			 XTCP_STAT_BAD_OPTIONS : XTCP_STAT_IN_ERRS,
			 xtcp_parse_err_name(perr));
		goto out;
	}
	__skb_pull(skb, skb_transport_offset(skb));
	if (!xtcp_csum_skb_ok(skb)) {
		drop_bad(net, skb, XTCP_STAT_IN_CSUM_ERRORS, "bad checksum");
		goto out;
	}
	if (trace_xtcp_segment_recv_enabled()) {
		const struct xtcp_addrs a = xtcp_skb_addrs(skb);

		trace_xtcp_segment_recv(net, &a, &seg,
					tw ? XTCP_TIME_WAIT : sk->sk_state);
	}
	if (!admit(net, sk, skb, &seg))
		goto out;
	/* fill_cb() overwrites IPCB(), which a reopening SYN needs again */
	if (tw)
		ipcb = *IPCB(skb);
	__skb_pull(skb, xtcp_seg_hdr_len(&seg));
	fill_cb(skb, &seg, dif);

	if (tw) {
		u32 tw_isn;

		if (!xtcp_tw_rcv(net, tw, skb))
			goto out;	/* consumed */
		/*
		 * The new connection's ISN lies a window beyond the old one's
		 * last sequence number, so that no old duplicate falls in it
		 * (tcp_timewait_state_process(): tcp_tw_isn); 0 means none.
		 */
		tw_isn = tw->st.snd_nxt + 65535 + 2 ?: 1;
		/* RFC 6191: a new SYN reopens the 4-tuple, through the listener */
		sk = xtcp_lookup_listener(net, ip_hdr(skb)->daddr,
					  tcp_hdr(skb)->dest, dif, sdif);
		if (!sk) {
			xtcp_send_reset(net, skb);
			kfree_skb(skb);
			goto out;
		}
		/* and, as tcp_v4_rcv() does, past the listener's policy */
		__skb_push(skb, xtcp_seg_hdr_len(&seg));
		*IPCB(skb) = ipcb;
		if (!admit(net, sk, skb, &seg))
			goto out;
		__skb_pull(skb, xtcp_seg_hdr_len(&seg));
		fill_cb(skb, &seg, dif);
		XTCP_SKB_CB(skb)->tw_isn = tw_isn;
	}
	skb_dst_drop(skb);

	if (!xtcp_sk_receive(sk, skb, 0)) {
		xtcp_trace_drop_skb(net, skb, "backlog full");
		kfree_skb(skb);
	}
out:
	if (sk)
		sock_put(sk);
	if (tw)
		xtcp_tw_put(tw);
	return NF_STOLEN;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_nf_hook);
