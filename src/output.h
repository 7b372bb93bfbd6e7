/* SPDX-License-Identifier: GPL-2.0 */
/* output.c: building and sending segments. */
#ifndef _XTCP_OUTPUT_H
#define _XTCP_OUTPUT_H

#include "xtcp.h"

/*
 * The window @space bytes of receive buffer are worth: tcp_win_from_space(),
 * with net.ipv4.tcp_adv_win_scale (1 by default: half of it, the other half
 * pays for the skbs' overhead).
 */
static inline int xtcp_win_from_space(const struct sock *sk, int space)
{
	int scale = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_adv_win_scale);

	return scale <= 0 ? space >> -scale : space - (space >> scale);
}

/*
 * Our segment size as Linux's tp->advmss once the connection is established:
 * the MSS option we sent, less the timestamp option if segments carry it.
 */
static inline u32 xtcp_advmss(const struct xtcp_sock *xs)
{
	u32 mss = xs->adv_mss ?: xs->mss;

	return xs->ts_ok ? mss - min_t(u32, mss, XTCP_OLEN_TIMESTAMP + 2) : mss;
}

extern const struct xtcp_af_ops xtcp_ipv4_ops;

void xtcp_sync_mss(struct sock *sk, u32 pmtu);
u32 xtcp_mss_for(const struct sock *sk, u32 pmtu, bool ts);
void xtcp_simple_retransmit(struct sock *sk);
int xtcp_send_syn(struct sock *sk);
int xtcp_send_synack(struct sock *sk);
void xtcp_send_ack(struct sock *sk);
void xtcp_rate_check_app_limited(struct sock *sk);
void xtcp_send_challenge_ack(struct sock *sk);
bool xtcp_challenge_ack_ok(struct net *net, u32 *last);
bool xtcp_oow_ack_limited(struct net *net, const struct xtcp_skb_cb *cb,
			  enum xtcp_stat stat, u32 *last);
void xtcp_send_active_rst(struct sock *sk, gfp_t gfp);
void xtcp_send_reset(struct net *net, struct sk_buff *skb);
void xtcp_send_as(struct sock *sk, const struct xtcp_addrs *a,
		  struct xtcp_segment *seg, int state);
void xtcp_send_tw_ack(struct net *net, const struct xtcp_tw_state *st);
void xtcp_push(struct sock *sk);
void xtcp_sk_chrono_start(struct sock *sk, enum xtcp_chrono_type type);
void xtcp_sk_chrono_stop(struct sock *sk, enum xtcp_chrono_type type);
void xtcp_add_write_queue_tail(struct sock *sk, struct sk_buff *skb);
void xtcp_check_space(struct sock *sk);
void xtcp_xmit_lost(struct sock *sk);
void xtcp_tsq_deferred(struct sock *sk);
void xtcp_pacing_init(struct sock *sk);
void xtcp_pacing_stop(struct sock *sk);
void xtcp_tsq_init(void);
void xtcp_tsq_exit(void);
u32 xtcp_size_goal(struct sock *sk);
u32 xtcp_current_mss(struct sock *sk);
void xtcp_push_mode(struct sock *sk, u8 extra);
void xtcp_push_one(struct sock *sk);
void xtcp_route_child(struct sock *sk);
int xtcp_send_keepalive_probe(struct sock *sk);
void xtcp_retransmit_timeout(struct sock *sk);
void xtcp_send_loss_probe(struct sock *sk);
u32 xtcp_clean_rtx_queue(struct sock *sk, u32 ack);
void xtcp_write_queue_purge(struct sock *sk);
void xtcp_write_queue_free(struct sock *sk);
void xtcp_queue_fin(struct sock *sk);
u16 xtcp_select_window(struct sock *sk);
u32 xtcp_rwin_now(struct sock *sk);
int xtcp_rcv_space(const struct sock *sk);
u32 xtcp_initial_window_clamp(const struct sock *sk);
u32 xtcp_syn_rcv_wnd(struct sock *sk);
u32 xtcp_initial_rcv_wnd(const struct sock *sk, u32 mss, u32 init_rcv_wnd);
u8 xtcp_initial_rcv_wscale(const struct sock *sk);
u32 xtcp_rcv_window_now(struct sock *sk);
bool xtcp_is_cwnd_limited(const struct xtcp_sock *xs);

#endif /* _XTCP_OUTPUT_H */
