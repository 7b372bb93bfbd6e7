// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c: every timer of a socket, on one soft hrtimer.
 *
 * A socket has one deadline per reason (enum xtcp_timer_event): retransmission
 * of the oldest unacknowledged SYN, SYN+ACK, data or FIN, which also probes a
 * closed window and pushes out corked data at the latest; a delayed ACK; a
 * keep-alive probe; the FIN-WAIT-2 time-out of an orphan. The hrtimer is set
 * to the earliest deadline. Clearing a deadline leaves the hrtimer alone (as
 * the kernel's TCP leaves its delayed-ACK timer, INET_CSK_CLEAR_TIMERS off): it
 * fires, finds nothing due, and sets itself to the next deadline or stops. A
 * later deadline does not move the hrtimer either. So a busy connection, whose
 * retransmission deadline moves with every ACK, wakes its timer once per RTO,
 * not once per ACK. (TIME-WAIT has no socket and no timer of its own: the
 * bucket store's wheel serves every bucket of a namespace.)
 *
 * The rest of xtcp arms nothing itself: it reports what happened
 * (xtcp_timer_syn_sent(), xtcp_timer_data_sent(), xtcp_timer_data_acked(),
 * xtcp_timer_ack_owed(), ...) and this file decides which deadline that sets
 * or clears, as WireGuard's timers.c does. The expiry handlers are here too
 * (retrans_fire(), fin_wait2_fire(), xtcp_keepalive_timeout(); the delayed
 * ACK's is ack.c's xtcp_delack_timeout()).
 *
 * References: the timer holds one reference on the socket while it is queued
 * or its callback may still run (xs->timer_ref). Programming an idle timer
 * takes it; it is dropped only once the timer is idle again with nothing
 * pending: stopped before it ran, or left unprogrammed by the work of its
 * expiry (the callback, or release_cb if the user owned the socket).
 * hrtimer_try_to_cancel() cannot tell a callback waiting for the socket lock
 * from one that is done, so the reference is not counted per expiry but kept
 * in one flag, read and written only by whoever holds the socket: its owner,
 * or bh_lock_sock() when there is no owner.
 *
 * The callback runs in softirq. It takes bh_lock_sock(); if the user owns the
 * socket it leaves a bit for release_cb (xtcp_timer_deferred()) to act on.
 * Nobody cancels the timer with hrtimer_cancel() while holding the socket
 * spinlock, which the callback takes: xtcp_timer_stop() only tries.
 */
#include <linux/hrtimer.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#include "ack.h"
#include "delack.h"
#include "output.h"
#include "recovery.h"
#include "rtxq.h"
#include "sock.h"
#include "state.h"
#include "timer.h"
#include "xtcp.h"

static void timer_arm(struct sock *sk, enum xtcp_timer_event ev, u32 ms);
static void timer_clear(struct sock *sk, enum xtcp_timer_event ev);

/*
 * The retries an orphan gets (tcp_orphan_retries()): net.xtcp.orphan_retries,
 * whose 0 means 8 while the RTO is still short of its maximum (the peer
 * answered lately) and none once it is there, or after an ICMP error.
 */
static int orphan_retries(const struct sock *sk, bool alive)
{
	int retries = xtcp_sysctl(sock_net(sk), orphan_retries,
				  sysctl_tcp_orphan_retries);

	if (READ_ONCE(sk->sk_err_soft) && !alive)
		retries = 0;
	if (!retries && alive)
		retries = 8;
	return retries;
}

/* The RTO has not backed off to its maximum: the peer answered lately. */
static bool rto_alive(const struct xtcp_sock *xs)
{
	return xs->rto_ms < XTCP_RTO_MAX_MS;
}

/*
 * TCP_SYNCNT or net.xtcp.syn_retries while the handshake is ours (SYN-SENT,
 * and the SYN-RECV of a simultaneous open); retries2 after it, or an
 * orphan's (tcp_write_timeout()).
 */
static int retry_limit(const struct sock *sk)
{
	const struct net *net = sock_net(sk);

	switch (sk->sk_state) {
	case XTCP_SYN_SENT:
	case XTCP_SYN_RECV:
		return READ_ONCE(xtcp_sk(sk)->syn_retries) ?:
		       xtcp_sysctl(net, syn_retries, sysctl_tcp_syn_retries);
	default:
		if (sock_flag(sk, SOCK_DEAD))
			return orphan_retries(sk, rto_alive(xtcp_sk(sk)));
		return xtcp_sysctl(net, retries2, sysctl_tcp_retries2);
	}
}

/*
 * An orphan whose peer keeps its window shut answers every probe, which
 * keeps xs->retries at 0 (input.c): tcp_probe_timer() gives it up all the
 * same once the RTO has backed off to its maximum and past orphan_retries
 * doublings, or a peer could hold it, and its send buffer, for ever.
 */
static bool orphan_stalled(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return sock_flag(sk, SOCK_DEAD) && sk->sk_state != XTCP_SYN_SENT &&
	       sk->sk_state != XTCP_SYN_RECV && !rto_alive(xs) &&
	       xs->backoff >= orphan_retries(sk, false);
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

/*
 * The connection timed out (retransmissions or keep-alive probes went
 * unanswered): ETIMEDOUT, or the soft error an ICMP message left (tcp_write_err()).
 */
void xtcp_write_err(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_transition t;
	int err;

	t = xtcp_state_next(sk->sk_state, XTCP_EV_USER_TIMEOUT, xs->passive);
	if (sk->sk_state == XTCP_SYN_SENT)
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ATTEMPT_FAILS);
	else if (sk->sk_state != XTCP_SYN_RECV)
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_ABORT_ON_TIMEOUT);
	err = READ_ONCE(sk->sk_err_soft) ?: -t.err;
	WRITE_ONCE(sk->sk_err, err);
	if (!xs->passive || sk->sk_state != XTCP_SYN_RECV)
		sk_error_report(sk);
	xtcp_done(sk);
}

/*
 * Linear time-outs for a thin stream (tcp_retransmit_timer()): with
 * TCP_THIN_LINEAR_TIMEOUTS or net.ipv4.tcp_thin_linear_timeouts, an
 * established connection with fewer than four segments out and past its
 * initial slow start (tcp_stream_is_thin()) waits the RTO without back-off
 * after each of its first TCP_THIN_LINEAR_RETRIES retransmissions.
 */
static bool thin_linear(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return sk->sk_state == XTCP_ESTABLISHED &&
	       (xs->thin_lto ||
		READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_thin_linear_timeouts)) &&
	       xs->packets_out < 4 && xs->cc.ssthresh < XTCP_INFINITE_SSTHRESH &&
	       xs->retries <= TCP_THIN_LINEAR_RETRIES;
}

/*
 * Time-outs that may be the route's fault (tcp_write_timeout()): our SYN's
 * second and later, or a connection's past net.ipv4.tcp_retries1 (counted
 * in time-outs, as retries2 is here). The socket's cached route goes if it
 * came from a redirect or is an exception that expires, so that the next
 * segment looks it up again (__dst_negative_advice()); any other stays.
 */
static void route_advice(struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (sk->sk_state == XTCP_SYN_SENT || sk->sk_state == XTCP_SYN_RECV) {
		/* a listener's child is Linux's request sock: no advice */
		if (xs->retries && !xs->passive)
			__dst_negative_advice(sk);
		return;
	}
	if (xs->retries &&
	    xs->retries >= READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_retries1))
		__dst_negative_advice(sk);
}

static void retrans_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (sk->sk_state == XTCP_CLOSE || sk->sk_state == XTCP_LISTEN)
		return;
	if (sk->sk_state != XTCP_SYN_SENT && sk->sk_state != XTCP_SYN_RECV &&
	    xtcp_queues_empty(sk))
		return;

	route_advice(sk);
	if (gave_up(sk) || orphan_stalled(sk)) {
		xtcp_write_err(sk);
		return;
	}
	WRITE_ONCE(xs->retries, xs->retries + 1);
	WRITE_ONCE(xs->rto_ms, min(xs->rto_ms * 2, (u32)XTCP_RTO_MAX_MS));
	xs->backoff = min_t(u32, xs->backoff + 1, U8_MAX);
	if (sk->sk_state == XTCP_SYN_SENT || sk->sk_state == XTCP_SYN_RECV) {
		xs->rtt_timing = 0;	/* Karn */
		xs->syn_lost = 1;	/* RFC 6298 §5.7 */
	}

	switch (sk->sk_state) {
	case XTCP_SYN_SENT:
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_RETRANS_SEGS);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYN_RETRANS);
		trace_xtcp_retransmit(sk, xs->iss, 0, xs->retries, xs->rto_ms);
		xtcp_send_syn(sk);
		break;
	case XTCP_SYN_RECV:
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_RETRANS_SEGS);
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_SYN_RETRANS);
		trace_xtcp_retransmit(sk, xs->iss, 0, xs->retries, xs->rto_ms);
		xtcp_send_synack(sk);
		break;
	default:
		xtcp_retransmit_timeout(sk);
		break;
	}
	if (thin_linear(sk)) {
		xs->backoff = 0;
		WRITE_ONCE(xs->rto_ms, xtcp_rtt_rto_ms(&xs->rtt, false));
	}
	timer_arm(sk, XTCP_TIMER_RETRANS, next_rto(sk));
}

/*
 * The orphan's FIN-WAIT-2 time is up. Linux has by then made it a FIN-WAIT-2
 * TIME_WAIT bucket (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)), which ends
 * without a word: so does xtcp's orphan.
 */
static void fin_wait2_fire(struct sock *sk)
{
	if (sk->sk_state == XTCP_FIN_WAIT2)
		xtcp_done(sk);
}

/*
 * Keep-alive settings (seconds): the socket's TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPCNT, or the namespace's net.xtcp.keepalive_* overrides, or its
 * net.ipv4.tcp_keepalive_* (TCP keeps the time and interval in jiffies).
 */
static u32 keepalive_secs(int override, int tcp_jiffies)
{
	return override != XTCP_FOLLOW_TCP ? override : tcp_jiffies / HZ;
}

u32 xtcp_keepalive_time(const struct sock *sk)
{
	const struct net *net = sock_net(sk);

	return xtcp_sk(sk)->keepidle ?:
	       keepalive_secs(READ_ONCE(xtcp_net(net)->keepalive_time),
			      READ_ONCE(net->ipv4.sysctl_tcp_keepalive_time));
}

u32 xtcp_keepalive_intvl(const struct sock *sk)
{
	const struct net *net = sock_net(sk);

	return xtcp_sk(sk)->keepintvl ?:
	       keepalive_secs(READ_ONCE(xtcp_net(net)->keepalive_intvl),
			      READ_ONCE(net->ipv4.sysctl_tcp_keepalive_intvl));
}

u32 xtcp_keepalive_probes(const struct sock *sk)
{
	return xtcp_sk(sk)->keepcnt ?:
	       xtcp_sysctl(sock_net(sk), keepalive_probes,
			   sysctl_tcp_keepalive_probes);
}

/* Keep-alive applies: SO_KEEPALIVE on a connection that is synchronized. */
static bool keepalive_on(const struct sock *sk)
{
	return sock_flag(sk, SOCK_KEEPOPEN) &&
	       !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN |
					TCPF_SYN_SENT | TCPF_SYN_RECV));
}

/*
 * (Re)start the keep-alive timer from the time the peer was last heard
 * from: at connection set-up, when SO_KEEPALIVE is set and when
 * TCP_KEEPIDLE changes (tcp_set_keepalive(), tcp_sock_set_keepidle_locked()).
 */
void xtcp_keepalive_reset(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 idle = xtcp_keepalive_time(sk) * MSEC_PER_SEC;
	u32 elapsed = jiffies_to_msecs((u32)jiffies - xs->rcv_tstamp);

	if (!keepalive_on(sk)) {
		timer_clear(sk, XTCP_TIMER_KEEPALIVE);
		return;
	}
	timer_arm(sk, XTCP_TIMER_KEEPALIVE,
		       elapsed < idle ? idle - elapsed : 0);
}

/*
 * tcp_keepalive_timer(): after TCP_KEEPIDLE of silence from the peer, a probe
 * every TCP_KEEPINTVL; after TCP_KEEPCNT unanswered ones (or, with
 * TCP_USER_TIMEOUT, once that long has passed), the connection is reset and
 * the user gets ETIMEDOUT. Any acceptable ACK answers (xs->probes_out = 0).
 * Data in flight or waiting has the retransmission timer watching instead.
 */
void xtcp_keepalive_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 idle = xtcp_keepalive_time(sk) * MSEC_PER_SEC;
	u32 elapsed, next;

	if (!keepalive_on(sk))
		return;
	elapsed = jiffies_to_msecs((u32)jiffies - xs->rcv_tstamp);
	if (xs->packets_out || xtcp_send_head(sk)) {
		next = idle;
	} else if (elapsed >= idle) {
		if ((xs->user_timeout && elapsed >= xs->user_timeout &&
		     xs->probes_out) ||
		    (!xs->user_timeout &&
		     xs->probes_out >= xtcp_keepalive_probes(sk))) {
			xtcp_send_active_rst(sk, GFP_ATOMIC);
			xtcp_write_err(sk);
			return;
		}
		if (!xtcp_send_keepalive_probe(sk)) {
			xs->probes_out++;
			xtcp_inc_stat(sock_net(sk), XTCP_STAT_KEEPALIVE);
			next = xtcp_keepalive_intvl(sk) * MSEC_PER_SEC;
		} else {
			next = 500;	/* TCP_RESOURCE_PROBE_INTERVAL */
		}
	} else {
		next = idle - elapsed;
	}
	timer_arm(sk, XTCP_TIMER_KEEPALIVE, next);
}

/* tcp_write_timer_handler()'s ICSK_TIME_LOSS_PROBE: the probe (output.c) */
static void loss_probe_fire(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT |
				   TCPF_SYN_RECV))
		return;
	xtcp_send_loss_probe(sk);
}

/* tcp_write_timer_handler()'s ICSK_TIME_REO_TIMEOUT (recovery.c) */
static void reo_fire(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT |
				   TCPF_SYN_RECV))
		return;
	xtcp_rack_reo_timeout(sk);
}

static void (*const timer_fire[XTCP_TIMER_MAX])(struct sock *sk) = {
	[XTCP_TIMER_RETRANS]	= retrans_fire,
	[XTCP_TIMER_LOSS_PROBE]	= loss_probe_fire,
	[XTCP_TIMER_REO]	= reo_fire,
	[XTCP_TIMER_DELACK]	= xtcp_delack_timeout,
	[XTCP_TIMER_KEEPALIVE]	= xtcp_keepalive_timeout,
	[XTCP_TIMER_FIN_WAIT2]	= fin_wait2_fire,
	[XTCP_TIMER_SACK]	= xtcp_sack_compress_timeout,
};

/*
 * Set the hrtimer to the earliest deadline, unless it fires no later anyway
 * (it then sets itself again). Takes the timer's reference when it was idle.
 */
static void timer_program(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long pending = xs->timer_pending;
	u64 due = U64_MAX, now, slack;
	int ev;

	for_each_set_bit(ev, &pending, XTCP_TIMER_MAX)
		due = min(due, xs->timer_due[ev]);
	if (due == U64_MAX)
		return;
	/*
	 * Slack: a sixteenth of the wait, at most 100 ms, so that timers of
	 * many sockets coalesce. A queued hrtimer may fire as late as its hard
	 * expiry: it serves only if that is within this deadline's own slack.
	 */
	now = ktime_get_ns();
	slack = due > now ? min_t(u64, (due - now) / 16, 100 * NSEC_PER_MSEC) : 0;
	if (hrtimer_is_queued(&xs->timer) &&
	    ktime_to_ns(hrtimer_get_expires(&xs->timer)) <= due + slack)
		return;
	if (!xs->timer_ref) {
		xs->timer_ref = 1;
		sock_hold(sk);
	}
	hrtimer_start_range_ns(&xs->timer, ns_to_ktime(due), slack,
			       HRTIMER_MODE_ABS_SOFT);
}

/* Do the work of every deadline that has passed; then program the next. */
static void timer_run(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now = ktime_get_ns();
	int ev;

	xtcp_sock_assert_locked(sk);
	for (ev = 0; ev < XTCP_TIMER_MAX; ev++) {
		if (!(xs->timer_pending & BIT(ev)) || xs->timer_due[ev] > now)
			continue;
		WRITE_ONCE(xs->timer_pending, xs->timer_pending & ~BIT(ev));
		timer_fire[ev](sk);
	}
	timer_program(sk);
}

/*
 * The timer's work is done and nothing is pending: give back its reference,
 * unless a callback may still run (it will give it back then). Returns
 * whether the caller must drop it, after unlocking.
 */
static bool timer_ref_release(struct xtcp_sock *xs, bool in_callback)
{
	struct hrtimer *t = &xs->timer;

	if (!xs->timer_ref || xs->timer_pending ||
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
		timer_run(sk);
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

	hrtimer_init(&xs->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	xs->timer.function = timer_callback;
	WRITE_ONCE(xs->rto_ms, XTCP_TIMEOUT_INIT_MS);
}

/*
 * The retransmission timer, the loss probe's and RACK's reordering timer are
 * one, as Linux's icsk_pending: arming one replaces the others, clearing one
 * clears all three.
 */
static unsigned long timer_mask(enum xtcp_timer_event ev)
{
	if (ev == XTCP_TIMER_RETRANS || ev == XTCP_TIMER_LOSS_PROBE ||
	    ev == XTCP_TIMER_REO)
		return BIT(XTCP_TIMER_RETRANS) | BIT(XTCP_TIMER_LOSS_PROBE) |
		       BIT(XTCP_TIMER_REO);
	return BIT(ev);
}

/* Set the deadline of @ev to @ms from now (replacing an earlier one). */
static void timer_arm_ns(struct sock *sk, enum xtcp_timer_event ev, u64 ns)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	WRITE_ONCE(xs->timer_due[ev], ktime_get_ns() + ns);
	WRITE_ONCE(xs->timer_pending,
		   (xs->timer_pending & ~timer_mask(ev)) | BIT(ev));
	timer_program(sk);
}

static void timer_arm(struct sock *sk, enum xtcp_timer_event ev, u32 ms)
{
	timer_arm_ns(sk, ev, (u64)ms * NSEC_PER_MSEC);
}

/* Forget the deadline of @ev; the hrtimer, if set for it, fires idle. */
static void timer_clear(struct sock *sk, enum xtcp_timer_event ev)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sock_assert_locked(sk);
	WRITE_ONCE(xs->timer_pending, xs->timer_pending & ~timer_mask(ev));
}

/*
 * Events. The rest of xtcp says what happened; what that arms or clears is
 * decided here. Each runs with the socket locked (timer_arm() checks).
 */

/* Our SYN or SYN+ACK went out (or was refused by the device): retried on RTO. */
void xtcp_timer_syn_sent(struct sock *sk)
{
	timer_arm(sk, XTCP_TIMER_RETRANS, xtcp_sk(sk)->rto_ms);
}

/* The peer acknowledged our SYN: the handshake's retransmission is over. */
void xtcp_timer_syn_acked(struct sock *sk)
{
	timer_clear(sk, XTCP_TIMER_RETRANS);
}

/*
 * How long until the RTO of the oldest segment in flight, counted from its
 * last transmission (tcp_rto_delta_us()); may be negative.
 */
static s64 rto_delta_ns(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct sk_buff *head = xtcp_rtx_head(sk);
	u64 rto = (u64)xs->rto_ms * NSEC_PER_MSEC;

	if (!head)
		return rto;
	return (s64)(XTCP_SKB_CB(head)->tx_ns + rto - ktime_get_ns());
}

/*
 * tcp_rearm_rto() while a loss probe or RACK's reordering timer is pending:
 * the RTO comes back where it would have been, counted from the oldest
 * segment's last transmission, a jiffy away at the least.
 */
static void rearm_rto_from_head(struct sock *sk)
{
	timer_arm_ns(sk, XTCP_TIMER_RETRANS,
		     max_t(s64, rto_delta_ns(sk), TICK_NSEC));
}

/*
 * Data, a FIN or a repair went out: the oldest is timed, if nothing is; a
 * pending loss probe gives way to the RTO (tcp_event_new_data_sent()), and
 * is scheduled again after the burst (xtcp_timer_loss_probe()).
 */
void xtcp_timer_data_sent(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* RACK's timer stays (tcp_xmit_retransmit_queue()) */
	if (xtcp_timer_pending(xs, XTCP_TIMER_REO))
		return;
	if (xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE))
		rearm_rto_from_head(sk);
	else if (!xtcp_timer_pending(xs, XTCP_TIMER_RETRANS))
		timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
}

/* The tail loss probes net.xtcp.early_retrans (tcp_early_retrans) allows. */
static bool early_retrans_tlp(const struct sock *sk)
{
	int er = xtcp_sysctl(sock_net(sk), early_retrans,
			     sysctl_tcp_early_retrans);

	return er == 3 || er == 4;
}

/*
 * Schedule a tail loss probe instead of the RTO (RFC 8985 §7.2), as
 * tcp_schedule_loss_probe() does: on a connection with SACK, segments in
 * flight, in the Open or CWR state (not in Disorder, where segments are
 * SACKed, lost or sent again, nor in recovery or loss), after
 * the probe timeout: twice the smoothed RTT, plus 200 ms (TCP_RTO_MIN, for
 * the peer's delayed ACK) with one segment in flight, else 2 ms
 * (TCP_TIMEOUT_MIN_US), rounded up to jiffies; 1 s without an RTT sample.
 * Never later than the RTO: a whole RTO from now on an ACK (@advancing_rto),
 * else what is left of the oldest segment's. Returns whether it is armed.
 */
bool xtcp_timer_loss_probe(struct sock *sk, bool advancing_rto)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long timeout;
	s64 rto_delta;

	xtcp_sock_assert_locked(sk);
	if (!early_retrans_tlp(sk) || !xs->packets_out || !xs->sack_ok ||
	    (xs->ca_state != XTCP_CA_OPEN && xs->ca_state != XTCP_CA_CWR))
		return false;
	if (xs->rtt.srtt_us) {
		u32 us = 2 * xs->rtt.srtt_us;

		us += xs->packets_out == 1 ? XTCP_RTO_MIN_MS * USEC_PER_MSEC :
		      2 * USEC_PER_MSEC;
		timeout = usecs_to_jiffies(us);
	} else {
		timeout = msecs_to_jiffies(XTCP_TIMEOUT_INIT_MS);
	}
	rto_delta = advancing_rto ? (s64)xs->rto_ms * NSEC_PER_MSEC :
		    rto_delta_ns(sk);
	if (rto_delta > 0)
		timeout = min(timeout,
			      usecs_to_jiffies(div_u64(rto_delta, NSEC_PER_USEC)));
	timer_arm_ns(sk, XTCP_TIMER_LOSS_PROBE, jiffies_to_nsecs(timeout));
	return true;
}

/*
 * The loss probe's timer fired (output.c): after a probe sent, a whole RTO
 * from now; else, the RTO where it stood (tcp_send_loss_probe()).
 */
void xtcp_timer_probe_done(struct sock *sk, bool sent)
{
	if (sent)
		timer_arm(sk, XTCP_TIMER_RETRANS, xtcp_sk(sk)->rto_ms);
	else
		rearm_rto_from_head(sk);
}

/*
 * Data waits with nothing in flight (a closed window, cork, Nagle): the
 * retransmission timer probes the window and pushes it out at the latest.
 * TCP_USER_TIMEOUT counts from here, as from Linux's first probe.
 */
void xtcp_timer_send_blocked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_timer_pending(xs, XTCP_TIMER_RETRANS))
		return;
	xs->stall_start_ns = ktime_get_ns();
	timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
}

/*
 * An ACK took SND.UNA forward: a tail loss probe is scheduled if one may go;
 * else all acknowledged and nothing waiting stops the retransmission timer,
 * and anything else restarts it (RFC 6298 §5.3), but in place of a pending
 * probe (one scheduled in Open, the state since Disorder) or RACK's timer
 * where it would have been (tcp_rearm_rto()).
 */
void xtcp_timer_data_acked(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* a tail loss probe, if one may go (tcp_set_xmit_timer()) */
	if (xtcp_timer_loss_probe(sk, true))
		return;
	if (xs->snd_una == xs->snd_nxt && !xtcp_send_head(sk))
		timer_clear(sk, XTCP_TIMER_RETRANS);
	else if (xtcp_timer_pending(xs, XTCP_TIMER_REO) ||
		 xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE))
		rearm_rto_from_head(sk);
	else
		timer_arm(sk, XTCP_TIMER_RETRANS, xs->rto_ms);
}

/*
 * RACK waits @us more for segments that may be reordered, not lost
 * (tcp_rack_mark_lost()): its timer takes the retransmission timer's place,
 * after @us and TCP_TIMEOUT_MIN_US, in jiffies, but never later than the RTO.
 */
void xtcp_timer_reo(struct sock *sk, u32 us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long when = usecs_to_jiffies(us + TCP_TIMEOUT_MIN_US);

	when = min(when, msecs_to_jiffies(xs->rto_ms));
	timer_arm_ns(sk, XTCP_TIMER_REO, jiffies_to_nsecs(when));
}

/*
 * RACK's timer fired (tcp_rack_reo_timeout()): the RTO comes back counted
 * from the oldest segment's last transmission, whatever a retransmission
 * armed meanwhile (tcp_rearm_rto() with ICSK_TIME_REO_TIMEOUT still pending).
 */
void xtcp_timer_reo_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->packets_out)
		timer_clear(sk, XTCP_TIMER_RETRANS);
	else
		rearm_rto_from_head(sk);
}

/*
 * SND.UNA reached a SACKed segment (xtcp_sack_reneging()): the time-out that
 * repairs a reneging receiver comes after max(SRTT/2, 10 ms), not a whole
 * RTO, as tcp_check_sack_reneging() arms it.
 */
void xtcp_timer_sack_reneging(struct sock *sk)
{
	u32 ms = max_t(u32, xtcp_sk(sk)->rtt.srtt_us / 2 / USEC_PER_MSEC, 10);

	timer_arm(sk, XTCP_TIMER_RETRANS, ms);
}

/* The peer's window reopened after refusing our probes: a fresh RTO. */
void xtcp_timer_window_reopened(struct sock *sk)
{
	timer_arm(sk, XTCP_TIMER_RETRANS, xtcp_sk(sk)->rto_ms);
}

/* In-order text is owed an ACK: it goes after @ms (ack.c decides). */
void xtcp_timer_ack_owed(struct sock *sk, u32 ms)
{
	timer_arm(sk, XTCP_TIMER_DELACK, ms);
}

/* A segment carrying an ACK went out: no ACK is owed any more. */
void xtcp_timer_ack_sent(struct sock *sk)
{
	timer_clear(sk, XTCP_TIMER_DELACK);
	timer_clear(sk, XTCP_TIMER_SACK);
}

/* Duplicate ACKs are being compressed: one goes after @delay_ns. */
void xtcp_timer_sack_compressed(struct sock *sk, u32 delay_ns)
{
	timer_arm_ns(sk, XTCP_TIMER_SACK, delay_ns);
}

/*
 * How long an orphan waits in FIN-WAIT-2 (tcp_fin_time()): TCP_LINGER2, or
 * net.ipv4.tcp_fin_timeout (60 s by default), and at least three and a half
 * RTOs.
 */
static u32 fin_time_ms(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	int linger2 = READ_ONCE(xs->linger2);
	u32 ms = jiffies_to_msecs(linger2 > 0 ? linger2 :
				  READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_fin_timeout));

	return max(ms, (xs->rto_ms << 2) - (xs->rto_ms >> 1));
}

/*
 * The socket is in FIN-WAIT-2, having entered it or been closed in it: an
 * orphan waits there for the peer's FIN at most fin_time_ms(), as TCP's
 * orphans do; a socket the user holds waits on.
 */
void xtcp_timer_fin_wait2(struct sock *sk)
{
	if (sock_flag(sk, SOCK_DEAD) &&
	    !xtcp_timer_pending(xtcp_sk(sk), XTCP_TIMER_FIN_WAIT2))
		timer_arm(sk, XTCP_TIMER_FIN_WAIT2, fin_time_ms(sk));
}

/* SO_KEEPALIVE was turned off. */
void xtcp_timer_keepalive_off(struct sock *sk)
{
	timer_clear(sk, XTCP_TIMER_KEEPALIVE);
}

/* Milliseconds until @ev is due (0 if overdue); @ev must be pending. */
u32 xtcp_timer_left_ms(const struct xtcp_sock *xs, enum xtcp_timer_event ev)
{
	s64 left = READ_ONCE(xs->timer_due[ev]) - ktime_get_ns();

	return left > 0 ? div_u64(left, NSEC_PER_MSEC) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_left_ms);

/*
 * Stop every timer. A callback already running (or waiting for the lock)
 * finds nothing pending, does nothing, and gives the reference back itself.
 */
void xtcp_timer_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	WRITE_ONCE(xs->timer_pending, 0);
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
	timer_run(sk);
	if (timer_ref_release(xs, false))
		__sock_put(sk);		/* the owner holds one */
}
