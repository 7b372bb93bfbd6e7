// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_vegas: TCP Vegas for xtcp, an example of a congestion control built
 * out of tree against include/net/xtcp_cong.h (Documentation/user-guide.rst,
 * "Congestion control modules").
 *
 * Vegas (Brakmo and Peterson, 1994) is delay-based: once per round trip it
 * compares the rate the window would give at the path's base RTT (the
 * smallest RTT ever seen) with the rate it gets at the RTT of the last round
 * (the smallest sample in it). Their difference, in segments,
 *
 *	diff = cwnd * (rtt - base_rtt) / base_rtt
 *
 * is how many of our segments sit in queues. Vegas keeps it between alpha
 * and beta: one more segment per RTT below alpha, one less above beta. In
 * slow start it leaves as soon as diff exceeds gamma. Losses are Reno's.
 *
 * This is Linux's net/ipv4/tcp_vegas.c, ported. The changes are the port's
 * whole recipe:
 *	tcp_sk(sk)->snd_cwnd, ->snd_ssthresh, ->snd_nxt	-> xtcp_cc(sk)->...
 *	inet_csk_ca(sk)					-> xtcp_ca(sk)
 *	tcp_slow_start(tp, ...), tcp_reno_*()		-> xtcp_slow_start(cc, ...), xtcp_reno_*()
 *	struct tcp_congestion_ops			-> struct xtcp_congestion_ops
 *							   (+ .api_version)
 *	tcp_register_congestion_control()		-> xtcp_register_congestion_control()
 */
#include <linux/module.h>
#include <net/xtcp_cong.h>

static int alpha = 2;	/* fewest segments we want queued */
static int beta = 4;	/* most */
static int gamma = 1;	/* leave slow start beyond this many */
module_param(alpha, int, 0644);
MODULE_PARM_DESC(alpha, "lower bound of packets in network");
module_param(beta, int, 0644);
MODULE_PARM_DESC(beta, "upper bound of packets in network");
module_param(gamma, int, 0644);
MODULE_PARM_DESC(gamma, "limit on increase (scale by 2)");

/* Per-socket state: it lives in xtcp_cc(sk)->priv, 104 bytes at most. */
struct vegas {
	u32 beg_snd_nxt;	/* the round ends when this is ACKed */
	u32 base_rtt;		/* us: the smallest RTT ever (propagation) */
	u32 min_rtt;		/* us: the smallest RTT of this round */
	u32 cnt_rtt;		/* RTT samples this round */
	u8 doing_vegas_now;	/* off in recovery: Reno's rules there */
};

/* A new round begins now: from what we have sent so far. */
static void vegas_enable(struct sock *sk)
{
	struct vegas *v = xtcp_ca(sk);

	v->doing_vegas_now = 1;
	v->beg_snd_nxt = xtcp_cc(sk)->snd_nxt;
	v->cnt_rtt = 0;
	v->min_rtt = 0x7fffffff;
}

static void vegas_init(struct sock *sk)
{
	struct vegas *v = xtcp_ca(sk);

	BUILD_BUG_ON(sizeof(struct vegas) > XTCP_CA_PRIV_SIZE);
	v->base_rtt = 0x7fffffff;
	vegas_enable(sk);
}

/* Every ACK that took data: its RTT sample, if it has one. */
static void vegas_pkts_acked(struct sock *sk, const struct ack_sample *sample)
{
	struct vegas *v = xtcp_ca(sk);
	u32 vrtt;

	if (sample->rtt_us < 0)
		return;
	vrtt = sample->rtt_us + 1;	/* never zero */
	v->base_rtt = min(v->base_rtt, vrtt);
	v->min_rtt = min(v->min_rtt, vrtt);
	v->cnt_rtt++;
}

/* Vegas only in the Open state; recovery and loss are Reno's. */
static void vegas_state(struct sock *sk, u8 ca_state)
{
	struct vegas *v = xtcp_ca(sk);

	if (ca_state == TCP_CA_Open)
		vegas_enable(sk);
	else
		v->doing_vegas_now = 0;
}

/* After an idle time the path may have changed: measure it afresh. */
static void vegas_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	if (event == CA_EVENT_CWND_RESTART || event == CA_EVENT_TX_START)
		vegas_init(sk);
}

static void vegas_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct vegas *v = xtcp_ca(sk);
	u32 rtt, diff;
	u64 target;

	if (!v->doing_vegas_now) {
		xtcp_reno_cong_avoid(sk, ack, acked);
		return;
	}
	if (!after(ack, v->beg_snd_nxt)) {
		/* within a round: slow start as usual, no other change */
		if (xtcp_in_slow_start(cc))
			xtcp_slow_start(cc, acked);
		return;
	}

	/* A round ended: the once-per-RTT decision. */
	v->beg_snd_nxt = cc->snd_nxt;
	if (v->cnt_rtt <= 2) {
		/* one or two samples: likely delayed ACKs, trust none */
		xtcp_reno_cong_avoid(sk, ack, acked);
		goto next_round;
	}
	rtt = v->min_rtt;
	/* the window that would fill the path with nothing queued */
	target = div_u64((u64)cc->cwnd * v->base_rtt, rtt);
	/* our segments sitting in queues */
	diff = cc->cwnd * (rtt - v->base_rtt) / v->base_rtt;
	/* not Linux's: for tools/xtcp-probe, which plots it as cc_value */
	cc->probe_value = diff;

	if (diff > gamma && xtcp_in_slow_start(cc)) {
		/* queues build in slow start: go to the rate we get */
		cc->cwnd = min(cc->cwnd, (u32)target + 1);
		cc->ssthresh = min(cc->ssthresh, cc->cwnd);
	} else if (xtcp_in_slow_start(cc)) {
		xtcp_slow_start(cc, acked);
	} else if (diff > beta) {
		cc->cwnd--;	/* too much queued */
		cc->ssthresh = min(cc->ssthresh, cc->cwnd);
	} else if (diff < alpha) {
		cc->cwnd++;	/* room for more */
	}
	cc->cwnd = max(cc->cwnd, 2U);
	/* tcp_current_ssthresh(): outside a reduction, 3/4 of cwnd at least */
	cc->ssthresh = max(cc->ssthresh, (cc->cwnd >> 1) + (cc->cwnd >> 2));
next_round:
	v->cnt_rtt = 0;
	v->min_rtt = 0x7fffffff;
}

/* TCP_CC_INFO: struct tcpvegas_info, as Linux's Vegas answers it. */
static size_t vegas_get_info(struct sock *sk, u32 ext, int *attr,
			     union tcp_cc_info *info)
{
	const struct vegas *v = xtcp_ca(sk);

	if (!(ext & (1 << (INET_DIAG_VEGASINFO - 1))))
		return 0;
	info->vegas.tcpv_enabled = v->doing_vegas_now;
	info->vegas.tcpv_rttcnt = v->cnt_rtt;
	info->vegas.tcpv_rtt = v->base_rtt;
	info->vegas.tcpv_minrtt = v->min_rtt;
	*attr = INET_DIAG_VEGASINFO;
	return sizeof(struct tcpvegas_info);
}

static struct xtcp_congestion_ops xtcp_vegas = {
	.name		= "vegas",
	.owner		= THIS_MODULE,
	.api_version	= XTCP_CONG_API_VERSION,
	.init		= vegas_init,
	.ssthresh	= xtcp_reno_ssthresh,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
	.cong_avoid	= vegas_cong_avoid,
	.pkts_acked	= vegas_pkts_acked,
	.set_state	= vegas_state,
	.cwnd_event	= vegas_cwnd_event,
	.get_info	= vegas_get_info,
};

static int __init vegas_register(void)
{
	return xtcp_register_congestion_control(&xtcp_vegas);
}

static void __exit vegas_unregister(void)
{
	xtcp_unregister_congestion_control(&xtcp_vegas);
}

module_init(vegas_register);
module_exit(vegas_unregister);
MODULE_AUTHOR("xtcp example, after Stephen Hemminger's tcp_vegas.c");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TCP Vegas for xtcp (an example)");
