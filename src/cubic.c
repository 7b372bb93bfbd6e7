// SPDX-License-Identifier: GPL-2.0
/*
 * cubic.c: the built-in "cubic", a port of Linux 6.1's net/ipv4/tcp_cubic.c
 * (CUBIC with HyStart, by Sangtae Ha, Injong Rhee, Lisong Xu and Stephen
 * Hemminger) onto xtcp's congestion API, so that an xtcp connection's window
 * moves as Linux's would: the same integer arithmetic, the same clocks
 * (jiffies for the cubic epoch, tp->tcp_mstamp's microseconds for HyStart),
 * the same parameters (module parameters cubic_*) and counters
 * (TCPHystart*). The port's only changes: tcp_sk(sk)'s fields are struct
 * xtcp_cc's, or xtcp_sock's (lsndtime); NET_*_STATS are xtcp's counters;
 * the cwnd-limited test of cubictcp_cong_avoid() is the stack's, which calls
 * cong_avoid only when cwnd limited the sender.
 */
#include <linux/math64.h>
#include <linux/module.h>

#include "compat.h"
#include "cong.h"
#include "xtcp.h"

#define BICTCP_BETA_SCALE    1024	/* Scale factor beta calculation
					 * max_cwnd = snd_cwnd * beta
					 */
#define	BICTCP_HZ		10	/* BIC HZ 2^10 = 1024 */

/* Two methods of hybrid slow start */
#define HYSTART_ACK_TRAIN	0x1
#define HYSTART_DELAY		0x2

/* Number of delay samples for detecting the increase of delay */
#define HYSTART_MIN_SAMPLES	8
#define HYSTART_DELAY_MIN	(4000U)	/* 4 ms */
#define HYSTART_DELAY_MAX	(16000U)	/* 16 ms */
#define HYSTART_DELAY_THRESH(x)	clamp(x, HYSTART_DELAY_MIN, HYSTART_DELAY_MAX)

static int fast_convergence __read_mostly = 1;
static int beta __read_mostly = 717;	/* = 717/1024 (BICTCP_BETA_SCALE) */
static int initial_ssthresh __read_mostly;
static int bic_scale __read_mostly = 41;
static int tcp_friendliness __read_mostly = 1;

static int hystart __read_mostly = 1;
static int hystart_detect __read_mostly = HYSTART_ACK_TRAIN | HYSTART_DELAY;
static int hystart_low_window __read_mostly = 16;
static int hystart_ack_delta_us __read_mostly = 2000;

static u32 cube_rtt_scale __read_mostly;
static u32 beta_scale __read_mostly;
static u64 cube_factor __read_mostly;

/*
 * Linux's parameters of tcp_cubic, with its permissions, as xtcp's cubic_*
 * (/sys/module/xtcp/parameters/cubic_beta ...). As there, the ones used
 * for precomputing scale factors are read-only.
 */
module_param_named(cubic_fast_convergence, fast_convergence, int, 0644);
MODULE_PARM_DESC(cubic_fast_convergence, "cubic: turn on/off fast convergence");
module_param_named(cubic_beta, beta, int, 0644);
MODULE_PARM_DESC(cubic_beta, "cubic: beta for multiplicative increase");
module_param_named(cubic_initial_ssthresh, initial_ssthresh, int, 0644);
MODULE_PARM_DESC(cubic_initial_ssthresh, "cubic: initial value of slow start threshold");
module_param_named(cubic_bic_scale, bic_scale, int, 0444);
MODULE_PARM_DESC(cubic_bic_scale, "cubic: scale (scaled by 1024) value for bic function (bic_scale/1024)");
module_param_named(cubic_tcp_friendliness, tcp_friendliness, int, 0644);
MODULE_PARM_DESC(cubic_tcp_friendliness, "cubic: turn on/off tcp friendliness");
module_param_named(cubic_hystart, hystart, int, 0644);
MODULE_PARM_DESC(cubic_hystart, "cubic: turn on/off hybrid slow start algorithm");
module_param_named(cubic_hystart_detect, hystart_detect, int, 0644);
MODULE_PARM_DESC(cubic_hystart_detect,
		 "cubic: hybrid slow start detection mechanisms 1: packet-train 2: delay 3: both packet-train and delay");
module_param_named(cubic_hystart_low_window, hystart_low_window, int, 0644);
MODULE_PARM_DESC(cubic_hystart_low_window, "cubic: lower bound cwnd for hybrid slow start");
module_param_named(cubic_hystart_ack_delta_us, hystart_ack_delta_us, int, 0644);
MODULE_PARM_DESC(cubic_hystart_ack_delta_us, "cubic: spacing between ack's indicating train (usecs)");

/* BIC TCP Parameters: struct xtcp_bictcp (cong.h), Linux's struct bictcp */

static inline struct xtcp_bictcp *bictcp(const struct sock *sk)
{
	return XTCP_CC_PRIV(xtcp_cc(sk), struct xtcp_bictcp);
}

static inline void bictcp_reset(struct xtcp_bictcp *ca)
{
	memset(ca, 0, offsetof(struct xtcp_bictcp, unused));
	ca->found = 0;
}

/* tp->tcp_mstamp */
static inline u32 bictcp_clock_us(const struct sock *sk)
{
	return xtcp_cc(sk)->mstamp_us;
}

static inline void bictcp_hystart_reset(struct sock *sk)
{
	struct xtcp_bictcp *ca = bictcp(sk);

	ca->round_start = ca->last_ack = bictcp_clock_us(sk);
	ca->end_seq = xtcp_cc(sk)->snd_nxt;
	ca->curr_rtt = ~0U;
	ca->sample_cnt = 0;
}

static void cubictcp_init(struct sock *sk)
{
	struct xtcp_bictcp *ca = bictcp(sk);

	bictcp_reset(ca);

	if (hystart)
		bictcp_hystart_reset(sk);

	if (!hystart && initial_ssthresh)
		xtcp_cc(sk)->ssthresh = initial_ssthresh;
}

static void cubictcp_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	if (event == CA_EVENT_TX_START) {
		struct xtcp_bictcp *ca = bictcp(sk);
		u32 now = tcp_jiffies32;
		s32 delta;

		delta = now - xtcp_sk(sk)->lsndtime;

		/* We were application limited (idle) for a while.
		 * Shift epoch_start to keep cwnd growth to cubic curve.
		 */
		if (ca->epoch_start && delta > 0) {
			ca->epoch_start += delta;
			if (after(ca->epoch_start, now))
				ca->epoch_start = now;
		}
		return;
	}
}

/* calculate the cubic root of x using a table lookup followed by one
 * Newton-Raphson iteration.
 * Avg err ~= 0.195%
 */
u32 xtcp_cubic_root(u64 a)
{
	u32 x, b, shift;
	/*
	 * cbrt(x) MSB values for x MSB values in [0..63].
	 * Precomputed then refined by hand - Willy Tarreau
	 *
	 * For x in [0..63],
	 *   v = cbrt(x << 18) - 1
	 *   cbrt(x) = (v[x] + 10) >> 6
	 */
	static const u8 v[] = {
		/* 0x00 */    0,   54,   54,   54,  118,  118,  118,  118,
		/* 0x08 */  123,  129,  134,  138,  143,  147,  151,  156,
		/* 0x10 */  157,  161,  164,  168,  170,  173,  176,  179,
		/* 0x18 */  181,  185,  187,  190,  192,  194,  197,  199,
		/* 0x20 */  200,  202,  204,  206,  209,  211,  213,  215,
		/* 0x28 */  217,  219,  221,  222,  224,  225,  227,  229,
		/* 0x30 */  231,  232,  234,  236,  237,  239,  240,  242,
		/* 0x38 */  244,  245,  246,  248,  250,  251,  252,  254,
	};

	b = fls64(a);
	if (b < 7) {
		/* a in [0..63] */
		return ((u32)v[(u32)a] + 35) >> 6;
	}

	b = ((b * 84) >> 8) - 1;
	shift = (a >> (b * 3));

	x = ((u32)(((u32)v[shift] + 10) << b)) >> 6;

	/*
	 * Newton-Raphson iteration
	 *                         2
	 * x    = ( 2 * x  +  a / x  ) / 3
	 *  k+1          k         k
	 */
	x = (2 * x + (u32)div64_u64(a, (u64)x * (u64)(x - 1)));
	x = ((x * 341) >> 10);
	return x;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cubic_root);

/*
 * Compute congestion window to use.
 */
static inline void bictcp_update(struct xtcp_bictcp *ca, u32 cwnd, u32 acked)
{
	u32 delta, bic_target, max_cnt;
	u64 offs, t;

	ca->ack_cnt += acked;	/* count the number of ACKed packets */

	if (ca->last_cwnd == cwnd &&
	    (s32)(tcp_jiffies32 - ca->last_time) <= HZ / 32)
		return;

	/* The CUBIC function can update ca->cnt at most once per jiffy.
	 * On all cwnd reduction events, ca->epoch_start is set to 0,
	 * which will force a recalculation of ca->cnt.
	 */
	if (ca->epoch_start && tcp_jiffies32 == ca->last_time)
		goto tcp_friendliness;

	ca->last_cwnd = cwnd;
	ca->last_time = tcp_jiffies32;

	if (ca->epoch_start == 0) {
		ca->epoch_start = tcp_jiffies32;	/* record beginning */
		ca->ack_cnt = acked;			/* start counting */
		ca->tcp_cwnd = cwnd;			/* syn with cubic */

		if (ca->last_max_cwnd <= cwnd) {
			ca->bic_K = 0;
			ca->bic_origin_point = cwnd;
		} else {
			/* Compute new K based on
			 * (wmax-cwnd) * (srtt>>3 / HZ) / c * 2^(3*bictcp_HZ)
			 */
			ca->bic_K = xtcp_cubic_root(cube_factor
						    * (ca->last_max_cwnd - cwnd));
			ca->bic_origin_point = ca->last_max_cwnd;
		}
	}

	/* cubic function - calc*/
	/* calculate c * time^3 / rtt,
	 *  while considering overflow in calculation of time^3
	 * (so time^3 is done by using 64 bit)
	 * and without the support of division of 64bit numbers
	 * (so all divisions are done by using 32 bit)
	 *  also NOTE the unit of those veriables
	 *	  time  = (t - K) / 2^bictcp_HZ
	 *	  c = bic_scale >> 10
	 * rtt  = (srtt >> 3) / HZ
	 * !!! The following code does not have overflow problems,
	 * if the cwnd < 1 million packets !!!
	 */

	t = (s32)(tcp_jiffies32 - ca->epoch_start);
	t += usecs_to_jiffies(ca->delay_min);
	/* change the unit from HZ to bictcp_HZ */
	t <<= BICTCP_HZ;
	do_div(t, HZ);

	if (t < ca->bic_K)		/* t - K */
		offs = ca->bic_K - t;
	else
		offs = t - ca->bic_K;

	/* c/rtt * (t-K)^3 */
	delta = (cube_rtt_scale * offs * offs * offs) >> (10 + 3 * BICTCP_HZ);
	if (t < ca->bic_K)                            /* below origin*/
		bic_target = ca->bic_origin_point - delta;
	else                                          /* above origin*/
		bic_target = ca->bic_origin_point + delta;

	/* cubic function - calc bictcp_cnt*/
	if (bic_target > cwnd)
		ca->cnt = cwnd / (bic_target - cwnd);
	else
		ca->cnt = 100 * cwnd;              /* very small increment*/

	/*
	 * The initial growth of cubic function may be too conservative
	 * when the available bandwidth is still unknown.
	 */
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;	/* increase cwnd 5% per RTT */

tcp_friendliness:
	/* TCP Friendly */
	if (tcp_friendliness) {
		u32 scale = beta_scale;

		delta = (cwnd * scale) >> 3;
		while (ca->ack_cnt > delta) {		/* update tcp cwnd */
			ca->ack_cnt -= delta;
			ca->tcp_cwnd++;
		}

		if (ca->tcp_cwnd > cwnd) {	/* if bic is slower than tcp */
			delta = ca->tcp_cwnd - cwnd;
			max_cnt = cwnd / delta;
			if (ca->cnt > max_cnt)
				ca->cnt = max_cnt;
		}
	}

	/* The maximum rate of cwnd increase CUBIC allows is 1 packet per
	 * 2 packets ACKed, meaning cwnd grows at 1.5x per RTT.
	 */
	ca->cnt = max(ca->cnt, 2U);
}

/* tcp_is_cwnd_limited() is the stack's: it calls this only when it holds */
static void cubictcp_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = bictcp(sk);

	if (xtcp_in_slow_start(cc)) {
		acked = xtcp_slow_start(cc, acked);
		if (!acked)
			return;
	}
	bictcp_update(ca, cc->cwnd, acked);
	xtcp_cong_avoid_ai(cc, ca->cnt, acked);
}

static u32 cubictcp_recalc_ssthresh(struct sock *sk)
{
	const struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = bictcp(sk);

	ca->epoch_start = 0;	/* end of epoch */

	/* Wmax and fast convergence */
	if (cc->cwnd < ca->last_max_cwnd && fast_convergence)
		ca->last_max_cwnd = (cc->cwnd * (BICTCP_BETA_SCALE + beta))
			/ (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = cc->cwnd;

	return max((cc->cwnd * beta) / BICTCP_BETA_SCALE, 2U);
}

static void cubictcp_state(struct sock *sk, u8 new_state)
{
	if (new_state == TCP_CA_Loss) {
		bictcp_reset(bictcp(sk));
		bictcp_hystart_reset(sk);
	}
}

/* Account for TSO/GRO delays.
 * Otherwise short RTT flows could get too small ssthresh, since during
 * slow start we begin with small TSO packets and ca->delay_min would
 * not account for long aggregation delay when TSO packets get bigger.
 * Ideally even with a very small RTT we would like to have at least one
 * TSO packet being sent and received by GRO, and another one in qdisc layer.
 * We apply another 100% factor because @rate is doubled at this point.
 * We cap the cushion to 1ms.
 */
static u32 hystart_ack_delay(const struct sock *sk)
{
	unsigned long rate;

	rate = READ_ONCE(sk->sk_pacing_rate);
	if (!rate)
		return 0;
	return min_t(u64, USEC_PER_MSEC,
		     div64_ul((u64)sk->sk_gso_max_size * 4 * USEC_PER_SEC, rate));
}

static void hystart_update(struct sock *sk, u32 delay)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = bictcp(sk);
	u32 threshold;

	if (after(cc->snd_una, ca->end_seq))
		bictcp_hystart_reset(sk);

	/* hystart triggers when cwnd is larger than some threshold */
	if (cc->cwnd < hystart_low_window)
		return;

	if (hystart_detect & HYSTART_ACK_TRAIN) {
		u32 now = bictcp_clock_us(sk);

		/* first detection parameter - ack-train detection */
		if ((s32)(now - ca->last_ack) <= hystart_ack_delta_us) {
			ca->last_ack = now;

			threshold = ca->delay_min + hystart_ack_delay(sk);

			/* Hystart ack train triggers if we get ack past
			 * ca->delay_min/2.
			 * Pacing might have delayed packets up to RTT/2
			 * during slow start.
			 */
			if (sk->sk_pacing_status == SK_PACING_NONE)
				threshold >>= 1;

			if ((s32)(now - ca->round_start) > threshold) {
				ca->found = 1;
				pr_debug("hystart_ack_train (%u > %u) delay_min %u (+ ack_delay %u) cwnd %u\n",
					 now - ca->round_start, threshold,
					 ca->delay_min, hystart_ack_delay(sk), cc->cwnd);
				xtcp_inc_stat(sock_net(sk),
					      XTCP_STAT_HYSTART_TRAIN_DETECT);
				xtcp_add_stat(sock_net(sk),
					      XTCP_STAT_HYSTART_TRAIN_CWND,
					      cc->cwnd);
				cc->ssthresh = cc->cwnd;
			}
		}
	}

	if (hystart_detect & HYSTART_DELAY) {
		/* obtain the minimum delay of more than sampling packets */
		if (ca->curr_rtt > delay)
			ca->curr_rtt = delay;
		if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
			ca->sample_cnt++;
		} else {
			if (ca->curr_rtt > ca->delay_min +
			    HYSTART_DELAY_THRESH(ca->delay_min >> 3)) {
				ca->found = 1;
				xtcp_inc_stat(sock_net(sk),
					      XTCP_STAT_HYSTART_DELAY_DETECT);
				xtcp_add_stat(sock_net(sk),
					      XTCP_STAT_HYSTART_DELAY_CWND,
					      cc->cwnd);
				cc->ssthresh = cc->cwnd;
			}
		}
	}
}

static void cubictcp_acked(struct sock *sk, const struct ack_sample *sample)
{
	const struct xtcp_cc *cc = xtcp_cc(sk);
	struct xtcp_bictcp *ca = bictcp(sk);
	u32 delay;

	/* Some calls are for duplicates without timetamps */
	if (sample->rtt_us < 0)
		return;

	/* Discard delay samples right after fast recovery */
	if (ca->epoch_start && (s32)(tcp_jiffies32 - ca->epoch_start) < HZ)
		return;

	delay = sample->rtt_us;
	if (delay == 0)
		delay = 1;

	/* first time call or link delay decreases */
	if (ca->delay_min == 0 || ca->delay_min > delay)
		ca->delay_min = delay;

	if (!ca->found && xtcp_in_slow_start(cc) && hystart)
		hystart_update(sk, delay);
}

/* Built in: no owner, as Linux's built-ins (THIS_MODULE is NULL there). */
struct xtcp_congestion_ops xtcp_cubic = {
	.name		= "cubic",
	.api_version	= XTCP_CONG_API_VERSION,
	.init		= cubictcp_init,
	.ssthresh	= cubictcp_recalc_ssthresh,
	.cong_avoid	= cubictcp_cong_avoid,
	.set_state	= cubictcp_state,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
	.cwnd_event	= cubictcp_cwnd_event,
	.pkts_acked	= cubictcp_acked,
};
EXPORT_SYMBOL_IF_KUNIT(xtcp_cubic);

/* cubictcp_register()'s precomputation, before xtcp registers "cubic". */
void xtcp_cubic_setup(void)
{
	BUILD_BUG_ON(sizeof(struct xtcp_bictcp) > XTCP_CA_PRIV_SIZE);

	/* Precompute a bunch of the scaling factors that are used per-packet
	 * based on SRTT of 100ms
	 */

	beta_scale = 8 * (BICTCP_BETA_SCALE + beta) / 3
		/ (BICTCP_BETA_SCALE - beta);

	cube_rtt_scale = (bic_scale * 10);	/* 1024*c/rtt */

	/* calculate the "K" for (wmax-cwnd) = c/rtt * K^3
	 *  so K = cubic_root( (wmax-cwnd)*rtt/c )
	 * the unit of K is bictcp_HZ=2^10, not HZ
	 *
	 *  c = bic_scale >> 10
	 *  rtt = 100ms
	 *
	 * the following code has been designed and tested for
	 * cwnd < 1 million packets
	 * RTT < 100 seconds
	 * HZ < 1,000,00  (corresponding to 10 nano-second)
	 */

	/* 1/c * 2^2*bictcp_HZ * srtt */
	cube_factor = 1ull << (10 + 3 * BICTCP_HZ); /* 2^40 */

	/* divide by bic_scale and by constant Srtt (100ms) */
	do_div(cube_factor, bic_scale * 10);
}
