/* SPDX-License-Identifier: GPL-2.0 */
/* recovery.c: loss recovery and the congestion window. */
#ifndef _XTCP_RECOVERY_H
#define _XTCP_RECOVERY_H

#include "xtcp.h"

/*
 * RACK's reordering window in microseconds (tcp_rack_reo_wnd()): none while
 * no reordering was seen (@reord_seen) if the connection is in recovery or
 * the classic DupThresh rule holds (@dupthresh); else a quarter of the
 * minimum RTT per step, at most the smoothed RTT. u32 arithmetic, as Linux's.
 */
static inline u32 xtcp_rack_reo_wnd_us(u32 min_rtt_us, u32 srtt_us, u8 steps,
				       u32 reord_seen, bool in_recovery,
				       bool dupthresh)
{
	if (!reord_seen && (in_recovery || dupthresh))
		return 0;
	return min((min_rtt_us >> 2) * steps, srtt_us);
}

void xtcp_cc_start(struct sock *sk, const struct xtcp_congestion_ops *ops);
void xtcp_cc_switch(struct sock *sk, const struct xtcp_congestion_ops *ops);
void xtcp_cc_default(struct sock *sk);
u32 xtcp_pipe(const struct xtcp_sock *xs);
void xtcp_cwnd_application_limited(struct sock *sk);
void xtcp_skb_acked(struct xtcp_sock *xs, struct sk_buff *skb);
void xtcp_recovery_reset(struct xtcp_sock *xs);
void xtcp_sack_cache_reset(struct xtcp_sock *xs);
struct sk_buff *xtcp_next_lost(struct sock *sk);
void xtcp_lost_sent(struct xtcp_sock *xs, struct sk_buff *skb);
/* what an ACK did, for xtcp_ack_recovery() (tcp_ack()'s FLAG_*) */
#define XTCP_ACKF_UNA_ADVANCED	BIT(0)	/* it took SND.UNA forward */
#define XTCP_ACKF_NOT_DUP	BIT(1)	/* it carries text, or updates the window */
#define XTCP_ACKF_DATA_SACKED	BIT(2)	/* recovery.c: it SACKed new segments */
#define XTCP_ACKF_DSACK_TLP	BIT(3)	/* recovery.c: a D-SACK of a loss probe */
#define XTCP_ACKF_ECE		BIT(4)	/* it echoes a CE mark (ecn.c) */
/* recovery.c: it (S)ACKed segments sent once, before high_seq */
#define XTCP_ACKF_ORIG_SACK_ACKED	BIT(5)
#define XTCP_ACKF_DSACKING	BIT(6)	/* recovery.c: it carries a D-SACK */

bool xtcp_ack_recovery(struct sock *sk, u32 ack, u32 prior_snd_una, u32 acked,
		       u32 prior_packets, u32 prior_delivered, bool dup,
		       int flag, const struct xtcp_options *opt);
void xtcp_dsack_acked_start(struct sock *sk, const struct xtcp_options *opt,
			    u32 ack);
void xtcp_prr_sent(struct xtcp_sock *xs);
void xtcp_enter_loss(struct sock *sk);
void xtcp_idle_restart_check(struct sock *sk);
bool xtcp_sack_reneging(struct sock *sk);
void xtcp_rack_reo_timeout(struct sock *sk);

#endif /* _XTCP_RECOVERY_H */
