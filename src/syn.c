// SPDX-License-Identifier: GPL-2.0
/*
 * syn.c: what the two SYNs agree on.
 *
 * The options our SYN or SYN+ACK offers (from the namespace's sysctls), and
 * what the peer's SYN tells: its options, its ISN, its window. Used by the
 * active open (input.c, SYN-SENT) and by a listener's child (listen.c).
 */
#include <net/tcp.h>

#include "output.h"
#include "parse.h"
#include "syn.h"
#include "xtcp.h"

/* Re-read the options of a SYN (they do not fit in the skb's cb). */
void xtcp_syn_options(struct sk_buff *skb, struct xtcp_options *opt)
{
	const u8 *th = skb_transport_header(skb);
	unsigned int hlen = (th[XTCP_OFF_DOFF] >> 4) * 4;

	memset(opt, 0, sizeof(*opt));
	if (xtcp_parse_options(th + XTCP_HDR_LEN, hlen - XTCP_HDR_LEN, true, opt))
		memset(opt, 0, sizeof(*opt));
}

/*
 * The options our SYN or SYN+ACK offers: net.ipv4.tcp_timestamps, tcp_sack
 * and tcp_window_scaling of the socket's namespace, as tcp_syn_options()
 * reads them (or the net.xtcp.* overrides). Without window scaling we never scale our own window either; with
 * it, the scale is tcp_select_initial_window()'s (xtcp_initial_rcv_wscale()).
 */
void xtcp_options_from_sysctls(struct sock *sk)
{
	const struct net *net = sock_net(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ts_ok = !!xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps);
	xs->sack_ok = !!xtcp_sysctl(net, sack, sysctl_tcp_sack);
	xs->wscale_ok = !!xtcp_sysctl(net, window_scaling,
				       sysctl_tcp_window_scaling);
	xs->rcv_wscale = xs->wscale_ok ? xtcp_initial_rcv_wscale(sk) : 0;
}

/* Settle what the two SYNs agreed on (RFC 7323 §1.3, RFC 9293 §3.7.1). */
static void negotiate(struct sock *sk, const struct xtcp_options *opt)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->peer_mss = (opt->present & XTCP_OPTF_MSS) && opt->mss ?
		       opt->mss : XTCP_DEFAULT_MSS;
	if (xs->wscale_ok && (opt->present & XTCP_OPTF_WSCALE)) {
		xs->snd_wscale = opt->wscale;
	} else {
		xs->wscale_ok = 0;
		xs->snd_wscale = 0;
		xs->rcv_wscale = 0;
	}
	xs->ts_ok = xs->ts_ok && (opt->present & XTCP_OPTF_TIMESTAMP);
	if (xs->ts_ok) {
		xs->ts_recent = opt->tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}
	xs->sack_ok = xs->sack_ok && (opt->present & XTCP_OPTF_SACK_PERM);

	/* a passive child's SYN+ACK is still to come: its MSS option now */
	if (!xs->adv_mss)
		xs->adv_mss = xs->af->route_mss(sk);
	xtcp_sync_mss(sk, xs->pmtu_cookie);
}

/*
 * What the peer's SYN told: its options @opt, its ISN @irs, its (unscaled)
 * window. A SYN cookie's ACK (child.c) tells the same, rebuilt.
 */
void xtcp_syn_learn_opts(struct sock *sk, const struct xtcp_options *opt,
			 u32 irs, u16 window)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	negotiate(sk, opt);
	xs->irs = irs;
	WRITE_ONCE(xs->rcv_nxt, irs + 1);
	WRITE_ONCE(xs->copied_seq, xs->rcv_nxt);
	xs->rcv_wup = xs->rcv_nxt;
	/* the window of a SYN is never scaled (RFC 7323 §2.2) */
	xs->snd_wnd = window;
	xs->max_snd_wnd = xs->snd_wnd;
	xs->snd_wl1 = irs;
	xtcp_sync_mss(sk, xs->pmtu_cookie);	/* half that window at most */
}

/* What the peer's SYN @skb tells. */
void xtcp_syn_learn(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_options opt;

	xtcp_syn_options(skb, &opt);
	xtcp_syn_learn_opts(sk, &opt, cb->seq, cb->window);
}
