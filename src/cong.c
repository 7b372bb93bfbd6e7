// SPDX-License-Identifier: GPL-2.0
/*
 * cong.c: congestion control: the registry (as tcp_cong.c), the stack's calls
 * into a socket's algorithm, the helpers algorithms use, and the two built-in
 * ones: "reno" (RFC 5681) here, "cubic" (Linux's tcp_cubic.c) in cubic.c.
 * See include/net/xtcp_cong.h for the API.
 */
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "compat.h"
#include "cong.h"
#include "recovery.h"
#include "xtcp.h"

#define XTCP_CWND_MAX		(1U << 20)

/* The socket's congestion state (the API's tcp_sk(sk), in part). */
struct xtcp_cc *xtcp_cc(const struct sock *sk)
{
	return &xtcp_sk(sk)->cc;
}
EXPORT_SYMBOL_GPL(xtcp_cc);

/* RFC 5681 §3.1 slow start, tcp_slow_start(): returns the ACKs left over. */
u32 xtcp_slow_start(struct xtcp_cc *cc, u32 acked)
{
	u32 cwnd = min(cc->cwnd + acked, cc->ssthresh);

	acked -= cwnd - cc->cwnd;
	cc->cwnd = min(cwnd, XTCP_CWND_MAX);
	return acked;
}
EXPORT_SYMBOL_GPL(xtcp_slow_start);

/* One more segment per @w segments ACKed, tcp_cong_avoid_ai(). */
void xtcp_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked)
{
	w = max(w, 1U);
	if (cc->cwnd_cnt >= w) {
		cc->cwnd_cnt = 0;
		cc->cwnd++;
	}
	cc->cwnd_cnt += acked;
	if (cc->cwnd_cnt >= w) {
		u32 delta = cc->cwnd_cnt / w;

		cc->cwnd_cnt -= delta * w;
		cc->cwnd += delta;
	}
	cc->cwnd = min(cc->cwnd, XTCP_CWND_MAX);
}
EXPORT_SYMBOL_GPL(xtcp_cong_avoid_ai);

/*
 * Reno: RFC 5681. The recovery (fast retransmit, NewReno) is the caller's.
 * The stack calls cong_avoid only when cwnd limited the sender, so that,
 * unlike tcp_reno_cong_avoid(), it need not check tcp_is_cwnd_limited().
 */
u32 xtcp_reno_ssthresh(struct sock *sk)
{
	return max(xtcp_cc(sk)->cwnd >> 1U, 2U);
}
EXPORT_SYMBOL_GPL(xtcp_reno_ssthresh);

void xtcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_cc *cc = xtcp_cc(sk);

	if (xtcp_in_slow_start(cc)) {
		acked = xtcp_slow_start(cc, acked);
		if (!acked)
			return;
	}
	xtcp_cong_avoid_ai(cc, cc->cwnd, acked);
}
EXPORT_SYMBOL_GPL(xtcp_reno_cong_avoid);

/* The window before the reduction, if larger (tcp_reno_undo_cwnd()). */
u32 xtcp_reno_undo_cwnd(struct sock *sk)
{
	const struct xtcp_cc *cc = xtcp_cc(sk);

	return max(cc->cwnd, cc->prior_cwnd);
}
EXPORT_SYMBOL_GPL(xtcp_reno_undo_cwnd);

/* Built in: no owner, as Linux's built-ins (THIS_MODULE is NULL there). */
struct xtcp_congestion_ops xtcp_reno = {
	.name		= "reno",
	.api_version	= XTCP_CONG_API_VERSION,
	.ssthresh	= xtcp_reno_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
};
EXPORT_SYMBOL_IF_KUNIT(xtcp_reno);

/* The registry: a list under a spinlock; a socket holds its module. */
static DEFINE_SPINLOCK(cong_lock);
static LIST_HEAD(cong_list);

static struct xtcp_congestion_ops *find(const char *name)
{
	struct xtcp_congestion_ops *ops;

	list_for_each_entry(ops, &cong_list, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/*
 * Add @ops to the registry (tcp_register_congestion_control()): built
 * against this API's version, with the hooks Linux requires
 * (tcp_validate_congestion_control()) and a name not taken.
 */
int xtcp_register_congestion_control(struct xtcp_congestion_ops *ops)
{
	int err = 0;

	if (ops->api_version != XTCP_CONG_API_VERSION) {
		pr_err("congestion control %.*s: built for API version %u, this xtcp has %u: rebuild it against this xtcp's include/net/xtcp_cong.h\n",
		       XTCP_CA_NAME_MAX, ops->name, ops->api_version,
		       XTCP_CONG_API_VERSION);
		return -EINVAL;
	}
	if (!ops->ssthresh || !ops->undo_cwnd ||
	    !(ops->cong_avoid || ops->cong_control)) {
		pr_err("congestion control %.*s does not implement required ops\n",
		       XTCP_CA_NAME_MAX, ops->name);
		return -EINVAL;
	}
	if (!ops->name[0] || strnlen(ops->name, XTCP_CA_NAME_MAX) == XTCP_CA_NAME_MAX)
		return -EINVAL;
	spin_lock(&cong_lock);
	if (find(ops->name))
		err = -EEXIST;
	else
		list_add_tail(&ops->list, &cong_list);
	spin_unlock(&cong_lock);
	if (err)
		pr_notice("congestion control %s already registered\n", ops->name);
	else
		pr_debug("congestion control %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(xtcp_register_congestion_control);

/* Sockets using @ops hold its module, so none is left when this runs. */
void xtcp_unregister_congestion_control(struct xtcp_congestion_ops *ops)
{
	spin_lock(&cong_lock);
	list_del(&ops->list);
	spin_unlock(&cong_lock);
}
EXPORT_SYMBOL_GPL(xtcp_unregister_congestion_control);

/* The algorithm called @name, its module held; NULL if none. */
const struct xtcp_congestion_ops *xtcp_cong_get(const char *name)
{
	struct xtcp_congestion_ops *ops;

	spin_lock(&cong_lock);
	ops = find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	spin_unlock(&cong_lock);
	return ops;
}

void xtcp_cong_put(const struct xtcp_congestion_ops *ops)
{
	if (ops)
		module_put(ops->owner);
}

bool xtcp_cong_exists(const char *name)
{
	bool ret;

	spin_lock(&cong_lock);
	ret = find(name);
	spin_unlock(&cong_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_exists);

/* "reno cubic ...", as tcp_available_congestion_control. */
int xtcp_cong_list(char *buf, size_t size)
{
	struct xtcp_congestion_ops *ops;
	size_t off = 0;

	buf[0] = '\0';
	spin_lock(&cong_lock);
	list_for_each_entry(ops, &cong_list, list)
		off += scnprintf(buf + off, size - off, "%s%s",
				 off ? " " : "", ops->name);
	spin_unlock(&cong_lock);
	return off;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_list);

int xtcp_cong_init(void)
{
	int err;

	xtcp_cubic_setup();
	err = xtcp_register_congestion_control(&xtcp_reno);
	if (err)
		return err;
	err = xtcp_register_congestion_control(&xtcp_cubic);
	if (err)
		goto err_reno;
	return 0;

err_reno:
	xtcp_unregister_congestion_control(&xtcp_reno);
	return err;
}

void xtcp_cong_exit(void)
{
	xtcp_unregister_congestion_control(&xtcp_cubic);
	xtcp_unregister_congestion_control(&xtcp_reno);
}

/*
 * The stack's calls into the socket's algorithm. Each brings the read-only
 * part of struct xtcp_cc up to date first, so that the algorithm sees what
 * tcp_sock would show it.
 */
void xtcp_ca_sync(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cc *cc = &xs->cc;

	cc->mstamp_us = div_u64(ktime_get_ns(), NSEC_PER_USEC);
	cc->srtt_us = xs->rtt.srtt_us;
	cc->mss = xs->mss;
	cc->snd_una = xs->snd_una;
	cc->snd_nxt = xs->snd_nxt;
	cc->in_flight = xtcp_pipe(xs);
	cc->prior_cwnd = xs->prior_cwnd;
	cc->delivered = xs->delivered;
	cc->ca_state = xs->ca_state;
}

/* tcp_init_congestion_control(): the connection is established, or switched. */
void xtcp_ca_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ca_initialized = 1;
	xs->rtt.ack_rtt_us = 0;		/* the handshake's is no ACK's of data */
	xs->cc.probe_value = 0;		/* the last algorithm's is not this one's */
	if (xs->ca_ops->init) {
		xtcp_ca_sync(sk);
		xs->ca_ops->init(sk);
	}
}

/* tcp_cleanup_congestion_control(), without the module_put(). */
void xtcp_ca_release(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_ops->release) {
		xtcp_ca_sync(sk);
		xs->ca_ops->release(sk);
	}
}

u32 xtcp_ca_ssthresh(struct sock *sk)
{
	xtcp_ca_sync(sk);
	return xtcp_sk(sk)->ca_ops->ssthresh(sk);
}

/* A reduction found spurious: the window to go back to (undo_cwnd). */
u32 xtcp_ca_undo_cwnd(struct sock *sk)
{
	xtcp_ca_sync(sk);
	return xtcp_sk(sk)->ca_ops->undo_cwnd(sk);
}

void xtcp_ca_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	xtcp_ca_sync(sk);
	xtcp_sk(sk)->ca_ops->cong_avoid(sk, ack, acked);
}

/* tcp_set_ca_state(): the algorithm hears of it before the state changes. */
void xtcp_ca_set_state(struct sock *sk, u8 state)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_ops->set_state) {
		xtcp_ca_sync(sk);
		xs->ca_ops->set_state(sk, state);
	}
	xs->ca_state = state;
}

/* tcp_ca_event() */
void xtcp_ca_event(struct sock *sk, enum tcp_ca_event ev)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_ops->cwnd_event) {
		xtcp_ca_sync(sk);
		xs->ca_ops->cwnd_event(sk, ev);
	}
}

/* tcp_in_ack_event() */
void xtcp_ca_in_ack_event(struct sock *sk, u32 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_ops->in_ack_event) {
		xtcp_ca_sync(sk);
		xs->ca_ops->in_ack_event(sk, flags);
	}
}

/* tcp_clean_rtx_queue()'s call, after the queue was cleaned */
void xtcp_ca_pkts_acked(struct sock *sk, u32 pkts_acked, s32 rtt_us,
			u32 in_flight)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct ack_sample sample = {
		.pkts_acked = pkts_acked,
		.rtt_us = rtt_us,
		.in_flight = in_flight,
	};

	if (xs->ca_ops->pkts_acked) {
		xtcp_ca_sync(sk);
		xs->ca_ops->pkts_acked(sk, &sample);
	}
}

/* tcp_tso_segs()'s: the algorithm's minimum, else @dflt (the sysctl's). */
u32 xtcp_ca_min_tso_segs(struct sock *sk, u32 dflt)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_ops->min_tso_segs)
		return dflt;
	xtcp_ca_sync(sk);
	return xs->ca_ops->min_tso_segs(sk);
}

/**
 * xtcp_set_pacing_rate - sk_pacing_rate from the window and the RTT
 * @sk: a connected socket, or an active opener taking its SYN+ACK
 * @mss: the segment size to count the window in
 *
 * As tcp_update_pacing_rate(): MSS * cwnd / SRTT (cwnd, or the segments in
 * flight if more) times net.ipv4.tcp_pacing_ss_ratio percent in slow start
 * below half ssthresh, else net.ipv4.tcp_pacing_ca_ratio percent; at most
 * SO_MAX_PACING_RATE. The fq qdisc paces the socket's skbs by it and the
 * sender sizes its GSO skbs by it (output.c). Linux keeps SRTT in eighths of
 * a microsecond, xtcp in microseconds: the scaling is Linux's all the same.
 */
void xtcp_set_pacing_rate(struct sock *sk, u32 mss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	u64 rate;

	xtcp_sock_assert_locked(sk);
	rate = (u64)mss * ((USEC_PER_SEC / 100) << 3);
	if (xs->cc.cwnd < xs->cc.ssthresh / 2)
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ss_ratio);
	else
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ca_ratio);
	rate *= max(xs->cc.cwnd, xs->packets_out);
	if (likely(xs->rtt.srtt_us))
		rate = div64_u64(rate, (u64)xs->rtt.srtt_us << 3);
	/* unlocked readers: sch_fq, TCP_INFO */
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));
}

/* xtcp_set_pacing_rate() in the connection's MSS, as each ACK sets it. */
void xtcp_update_pacing_rate(struct sock *sk)
{
	xtcp_set_pacing_rate(sk, xtcp_sk(sk)->mss);
}

/* tcp_sndbuf_expand()'s multiplier: 2 unless the algorithm says. */
u32 xtcp_ca_sndbuf_expand(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_ops->sndbuf_expand)
		return 2;
	xtcp_ca_sync(sk);
	return xs->ca_ops->sndbuf_expand(sk);
}

/* TCP_CC_INFO (do_tcp_getsockopt()): 0 bytes if the algorithm has none. */
size_t xtcp_ca_get_info(struct sock *sk, int *attr, union tcp_cc_info *info)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_ops->get_info)
		return 0;
	xtcp_ca_sync(sk);
	return xs->ca_ops->get_info(sk, ~0U, attr, info);
}
