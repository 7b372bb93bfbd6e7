/* SPDX-License-Identifier: GPL-2.0 */
/* timer.c: the timers of a socket, on one hrtimer. */
#ifndef _XTCP_TIMER_H
#define _XTCP_TIMER_H

#include "xtcp.h"

void xtcp_timer_init(struct sock *sk);
/* timer.c's events: what happened; timer.c decides what to arm */
void xtcp_timer_syn_sent(struct sock *sk);
void xtcp_timer_syn_acked(struct sock *sk);
void xtcp_timer_data_sent(struct sock *sk);
void xtcp_timer_send_blocked(struct sock *sk);
void xtcp_timer_data_acked(struct sock *sk);
void xtcp_timer_reo(struct sock *sk, u32 us);
void xtcp_timer_reo_done(struct sock *sk);
bool xtcp_timer_loss_probe(struct sock *sk, bool advancing_rto);
void xtcp_timer_probe_done(struct sock *sk, bool sent);
void xtcp_timer_window_reopened(struct sock *sk);
void xtcp_timer_sack_reneging(struct sock *sk);
void xtcp_timer_ack_owed(struct sock *sk, u32 ms);
void xtcp_timer_sack_compressed(struct sock *sk, u32 delay_ns);
void xtcp_timer_ack_sent(struct sock *sk);
void xtcp_timer_fin_wait2(struct sock *sk);
void xtcp_timer_keepalive_off(struct sock *sk);
u32 xtcp_timer_left_ms(const struct xtcp_sock *xs, enum xtcp_timer_event ev);
void xtcp_timer_stop(struct sock *sk);
void xtcp_timer_deferred(struct sock *sk);
void xtcp_write_err(struct sock *sk);
void xtcp_keepalive_timeout(struct sock *sk);
void xtcp_keepalive_reset(struct sock *sk);
u32 xtcp_keepalive_time(const struct sock *sk);
u32 xtcp_keepalive_intvl(const struct sock *sk);
u32 xtcp_keepalive_probes(const struct sock *sk);

static inline bool xtcp_timer_pending(const struct xtcp_sock *xs,
				      enum xtcp_timer_event ev)
{
	/* also read without the socket lock, by /proc/net/xtcp */
	return READ_ONCE(xs->timer_pending) & BIT(ev);
}

#endif /* _XTCP_TIMER_H */
