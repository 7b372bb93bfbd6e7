// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c: the one timer of a socket, a soft hrtimer.
 *
 * It is armed for one reason at a time (enum xtcp_timer_event): retransmission
 * of the oldest unacknowledged SYN, SYN+ACK, data or FIN; or the FIN-WAIT-2
 * time-out of an orphan. (TIME-WAIT has no socket and no timer of its own: the
 * bucket store's wheel serves every bucket of a namespace.)
 *
 * References: the timer holds one reference on the socket while it is queued
 * or its callback may still run (xs->timer_ref). Arming an idle timer takes
 * it; it is dropped only once the timer is idle again: stopped before it ran,
 * or left unarmed by the work of its expiry (the callback, or release_cb if
 * the user owned the socket). hrtimer_try_to_cancel() cannot tell a callback
 * waiting for the socket lock from one that is done, so the reference is not
 * counted per expiry but kept in one flag, read and written only by whoever
 * holds the socket: its owner, or bh_lock_sock() when there is no owner.
 *
 * The callback runs in softirq. It takes bh_lock_sock(); if the user owns the
 * socket it leaves a bit for release_cb (xtcp_timer_deferred()) to act on.
 * Nobody cancels the timer with hrtimer_cancel() while holding the socket
 * spinlock, which the callback takes: xtcp_timer_stop() only tries.
 */
#include <linux/hrtimer.h>
#include <net/tcp_states.h>

#include "state.h"
#include "xtcp.h"

/* net.xtcp.syn_retries, synack_retries or retries2, for the socket's state */
static int retry_limit(const struct sock *sk)
{
	const struct xtcp_net *xn = xtcp_net(sock_net(sk));

	switch (sk->sk_state) {
	case XTCP_SYN_SENT:
		return READ_ONCE(xn->syn_retries);
	case XTCP_SYN_RECV:
		return READ_ONCE(xn->synack_retries);
	default:
		return READ_ONCE(xn->retries2);
	}
}

/*
 * Time to abort: TCP_USER_TIMEOUT, when set, instead of the retry count
 * (tcp(7): data unacknowledged, or unsent for a closed window, that long),
 * for data and FIN; the retry limit otherwise.
 */
static bool gave_up(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->user_timeout && sk->sk_state != XTCP_SYN_SENT &&
	    sk->sk_state != XTCP_SYN_RECV)
		return ktime_get_ns() - xs->stall_start_ns >=
		       (u64)xs->user_timeout * NSEC_PER_MSEC;
	return xs->retries >= retry_limit(sk);
}

/* The next RTO, cut to what TCP_USER_TIMEOUT leaves (tcp_clamp_rto_to_user_timeout()). */
static u32 next_rto(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u64 spent, left;

	if (!xs->user_timeout || sk->sk_state == XTCP_SYN_SENT ||
	    sk->sk_state == XTCP_SYN_RECV)
		return xs->rto_ms;
	spent = div_u64(ktime_get_ns() - xs->stall_start_ns, NSEC_PER_MSEC);
	left = spent < xs->user_timeout ? xs->user_timeout - spent : 1;
	return min_t(u64, xs->rto_ms, max_t(u64, left, 1));
}

static void timer_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	enum xtcp_timer_event ev = xs->timer_event;
	struct xtcp_transition t;

	xtcp_sock_assert_locked(sk);
	xs->timer_event = XTCP_TIMER_NONE;

	switch (ev) {
	case XTCP_TIMER_RETRANS:
		break;
	case XTCP_TIMER_FIN_WAIT2:
		if (sk->sk_state == XTCP_FIN_WAIT2) {
			xtcp_send_active_rst(sk, GFP_ATOMIC);
			xtcp_done(sk);
		}
		return;
	default:
		return;
	}

	if (sk->sk_state == XTCP_CLOSE || sk->sk_state == XTCP_LISTEN)
		return;
	if (sk->sk_state != XTCP_SYN_SENT && sk->sk_state != XTCP_SYN_RECV &&
	    skb_queue_empty(&sk->sk_write_queue))
		return;

	if (gave_up(sk)) {
		t = xtcp_state_next(sk->sk_state, XTCP_EV_USER_TIMEOUT,
				    xs->passive);
		if (sk->sk_state == XTCP_SYN_SENT)
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_ATTEMPT_FAILS);
		WRITE_ONCE(sk->sk_err, -t.err);
		if (!xs->passive || sk->sk_state != XTCP_SYN_RECV)
			sk_error_report(sk);
		xtcp_done(sk);
		return;
	}
	xs->retries++;
	xs->rto_ms = min(xs->rto_ms * 2, (u32)XTCP_RTO_MAX_MS);
	if (sk->sk_state == XTCP_SYN_SENT || sk->sk_state == XTCP_SYN_RECV) {
		xs->rtt_timing = 0;	/* Karn */
		xs->syn_lost = 1;	/* RFC 6298 §5.7 */
	}

	switch (sk->sk_state) {
	case XTCP_SYN_SENT:
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_RETRANS_SEGS);
		trace_xtcp_retransmit(sk, xs->iss, 0, xs->retries, xs->rto_ms);
		xtcp_send_syn(sk);
		break;
	case XTCP_SYN_RECV:
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_RETRANS_SEGS);
		trace_xtcp_retransmit(sk, xs->iss, 0, xs->retries, xs->rto_ms);
		xtcp_send_synack(sk);
		break;
	default:
		xtcp_retransmit_timeout(sk);
		break;
	}
	xtcp_timer_arm(sk, XTCP_TIMER_RETRANS, next_rto(sk));
}

/*
 * The timer's work is done and it was not armed again: give back its
 * reference, unless a callback may still run (it will give it back then).
 * Returns whether the caller must drop it, after unlocking.
 */
static bool timer_ref_release(struct xtcp_sock *xs, bool in_callback)
{
	struct hrtimer *t = &xs->timer;

	if (!xs->timer_ref ||
	    (in_callback ? hrtimer_is_queued(t) : hrtimer_active(t)))
		return false;
	xs->timer_ref = 0;
	return true;
}

static enum hrtimer_restart timer_callback(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, timer);
	struct sock *sk = &xs->inet.sk;
	bool put = false;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		set_bit(XTCP_DEFER_TIMER, &xs->deferred);
	} else {
		/* armed again while we waited for the lock: that expiry acts */
		if (!hrtimer_is_queued(t))
			timer_fire(sk);
		put = timer_ref_release(xs, true);
	}
	bh_unlock_sock(sk);
	if (put)
		sock_put(sk);
	return HRTIMER_NORESTART;
}

void xtcp_timer_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_init(&xs->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	xs->timer.function = timer_callback;
	xs->rto_ms = XTCP_TIMEOUT_INIT_MS;
}

void xtcp_timer_arm(struct sock *sk, enum xtcp_timer_event ev, u32 ms)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	if (!xs->timer_ref) {
		xs->timer_ref = 1;
		sock_hold(sk);
	}
	xs->timer_event = ev;
	hrtimer_start_range_ns(&xs->timer, ms_to_ktime(ms),
			       ms * (NSEC_PER_MSEC / 16), HRTIMER_MODE_REL_SOFT);
}

/*
 * Stop the timer. A callback already running (or waiting for the lock) finds
 * timer_event cleared, does nothing, and gives the reference back itself.
 */
void xtcp_timer_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->timer_event = XTCP_TIMER_NONE;
	if (hrtimer_try_to_cancel(&xs->timer) >= 0 && xs->timer_ref) {
		xs->timer_ref = 0;
		__sock_put(sk);		/* the caller holds one */
	}
}

/*
 * release_cb: timer work that found the socket owned by the user. Runs under
 * the socket spinlock with the socket still owned.
 */
void xtcp_timer_deferred(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!test_and_clear_bit(XTCP_DEFER_TIMER, &xs->deferred))
		return;
	/* armed again meanwhile: its own expiry will do the work */
	if (!hrtimer_active(&xs->timer))
		timer_fire(sk);
	if (timer_ref_release(xs, false))
		__sock_put(sk);		/* the owner holds one */
}
