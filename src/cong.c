// SPDX-License-Identifier: GPL-2.0
/*
 * cong.c: the congestion control registry and the two built-in algorithms,
 * "reno" (RFC 5681) and "cubic" (RFC 9438). See cong.h.
 */
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "compat.h"
#include "cong.h"

#define XTCP_CWND_MAX		(1U << 20)

/* RFC 5681 §3.1 slow start, tcp_slow_start(): returns the ACKs left over. */
u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked)
{
	u32 cwnd = min(cc->cwnd + acked, cc->ssthresh);

	acked -= cwnd - cc->cwnd;
	cc->cwnd = min(cwnd, XTCP_CWND_MAX);
	return acked;
}
EXPORT_SYMBOL_GPL(xtcp_cc_slow_start);

/* One more segment per @w segments ACKed, tcp_cong_avoid_ai(). */
void xtcp_cc_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked)
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
EXPORT_SYMBOL_GPL(xtcp_cc_cong_avoid_ai);

/* floor(cbrt(x)), by bisection on the bits. */
#define ICBRT_U64_MAX	2642245U	/* floor(cbrt(2^64 - 1)) */

u32 xtcp_cc_icbrt(u64 x)
{
	u64 r = 0;
	int b;

	for (b = 21; b >= 0; b--) {	/* cbrt(2^64) < 2^22 */
		u64 t = r | (1ULL << b);

		/* t^3 would overflow past the largest cube root there is */
		if (t <= ICBRT_U64_MAX && t * t * t <= x)
			r = t;
	}
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cc_icbrt);

/* Reno: RFC 5681. The recovery (fast retransmit, NewReno) is the caller's. */
static u32 reno_ssthresh(struct xtcp_cc *cc)
{
	return max(cc->cwnd >> 1U, 2U);
}

static void reno_cong_avoid(struct xtcp_cc *cc, u32 acked, u64 now_us,
			    u32 srtt_us)
{
	if (cc->cwnd < cc->ssthresh) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	xtcp_cc_cong_avoid_ai(cc, cc->cwnd, acked);
}

struct xtcp_cong_ops xtcp_reno = {
	.name		= "reno",
	.ssthresh	= reno_ssthresh,
	.cong_avoid	= reno_cong_avoid,
};
EXPORT_SYMBOL_IF_KUNIT(xtcp_reno);

/*
 * CUBIC, RFC 9438: after a loss the window grows as W(t) = C (t - K)^3 + Wmax,
 * concave up to the old maximum, convex beyond, with C = 0.4, beta = 0.7;
 * never slower than Reno would (§4.3), fast convergence on (§4.7).
 * Time in ms; C (t - K)^3 with t in ms is 4 d^3 / 10^10.
 */
#define CUBIC_BETA_NUM		7	/* beta_cubic = 7/10 */
#define CUBIC_BETA_DEN		10
#define CUBIC_ALPHA_SHIFT	20
/* alpha_cubic = 3 (1 - beta) / (1 + beta) = 9/17, times 2^20 */
#define CUBIC_ALPHA		((9ULL << CUBIC_ALPHA_SHIFT) / 17)
#define CUBIC_D_MAX_MS		300000

struct cubic {
	u64 epoch_us;		/* start of this growth epoch, 0: none */
	u64 w_est;		/* Reno-friendly estimate, << CUBIC_ALPHA_SHIFT */
	u32 w_max;		/* window before the last reduction */
	u32 origin;		/* the plateau W(K) */
	u32 k_ms;
};

static void cubic_init(struct xtcp_cc *cc)
{
	struct cubic *c = XTCP_CC_PRIV(cc, struct cubic);

	memset(c, 0, sizeof(*c));
}

static u32 cubic_ssthresh(struct xtcp_cc *cc)
{
	struct cubic *c = XTCP_CC_PRIV(cc, struct cubic);

	c->epoch_us = 0;
	/* §4.7: release bandwidth faster when the maximum keeps falling */
	if (cc->cwnd < c->w_max)
		c->w_max = cc->cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) /
			   (2 * CUBIC_BETA_DEN);
	else
		c->w_max = cc->cwnd;
	return max(cc->cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN, 2U);
}

/* W_cubic(t) in segments, t in ms since the epoch began (§4.2). */
static u32 cubic_w(const struct cubic *c, u64 t_ms)
{
	u64 d, inc;

	if (t_ms >= c->k_ms) {
		d = min_t(u64, t_ms - c->k_ms, CUBIC_D_MAX_MS);
		inc = div64_u64(4 * d * d * d, 10000000000ULL);
		return min_t(u64, (u64)c->origin + inc, XTCP_CWND_MAX);
	}
	d = min_t(u64, c->k_ms - t_ms, CUBIC_D_MAX_MS);
	inc = div64_u64(4 * d * d * d, 10000000000ULL);
	return inc >= c->origin ? 1 : c->origin - inc;
}

static void cubic_cong_avoid(struct xtcp_cc *cc, u32 acked, u64 now_us,
			     u32 srtt_us)
{
	struct cubic *c = XTCP_CC_PRIV(cc, struct cubic);
	u32 target, cnt, est;
	u64 t_ms;

	if (cc->cwnd < cc->ssthresh) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	if (!c->epoch_us) {
		c->epoch_us = now_us ?: 1;
		c->w_est = (u64)cc->cwnd << CUBIC_ALPHA_SHIFT;
		cc->cwnd_cnt = 0;
		if (c->w_max > cc->cwnd) {
			/* K = cbrt((Wmax - cwnd) / C), eq. 2, in ms */
			c->k_ms = xtcp_cc_icbrt((u64)(c->w_max - cc->cwnd) *
						2500000000ULL);
			c->origin = c->w_max;
		} else {
			c->k_ms = 0;
			c->origin = cc->cwnd;
		}
	}

	/* §4.2: the target one RTT ahead, between cwnd and 1.5 cwnd */
	t_ms = div_u64(now_us - c->epoch_us + srtt_us, USEC_PER_MSEC);
	target = cubic_w(c, t_ms);
	if (target > cc->cwnd) {
		target = min(target, cc->cwnd + cc->cwnd / 2);
		cnt = cc->cwnd / max(target - cc->cwnd, 1U);
	} else {
		cnt = 100 * cc->cwnd;	/* plateau: hardly grow */
	}

	/* §4.3: the Reno-friendly region */
	c->w_est += div_u64(CUBIC_ALPHA * acked, cc->cwnd);
	est = c->w_est >> CUBIC_ALPHA_SHIFT;
	if (est > cc->cwnd)
		cnt = min(cnt, cc->cwnd / (est - cc->cwnd));

	xtcp_cc_cong_avoid_ai(cc, max(cnt, 1U), acked);
}

struct xtcp_cong_ops xtcp_cubic = {
	.name		= "cubic",
	.init		= cubic_init,
	.ssthresh	= cubic_ssthresh,
	.cong_avoid	= cubic_cong_avoid,
};
EXPORT_SYMBOL_IF_KUNIT(xtcp_cubic);

/* The registry: a list under a spinlock; a socket holds its module. */
static DEFINE_SPINLOCK(cong_lock);
static LIST_HEAD(cong_list);

static struct xtcp_cong_ops *find(const char *name)
{
	struct xtcp_cong_ops *ops;

	list_for_each_entry(ops, &cong_list, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

int xtcp_cong_register(struct xtcp_cong_ops *ops)
{
	int err = 0;

	if (!ops->ssthresh || !ops->cong_avoid || !ops->name[0])
		return -EINVAL;
	spin_lock(&cong_lock);
	if (find(ops->name))
		err = -EEXIST;
	else
		list_add_tail(&ops->list, &cong_list);
	spin_unlock(&cong_lock);
	if (!err)
		pr_debug("congestion control %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(xtcp_cong_register);

/* Sockets using @ops hold its module, so none is left when this runs. */
void xtcp_cong_unregister(struct xtcp_cong_ops *ops)
{
	spin_lock(&cong_lock);
	list_del(&ops->list);
	spin_unlock(&cong_lock);
}
EXPORT_SYMBOL_GPL(xtcp_cong_unregister);

/* The algorithm called @name, its module held; NULL if none. */
const struct xtcp_cong_ops *xtcp_cong_get(const char *name)
{
	struct xtcp_cong_ops *ops;

	spin_lock(&cong_lock);
	ops = find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	spin_unlock(&cong_lock);
	return ops;
}

void xtcp_cong_put(const struct xtcp_cong_ops *ops)
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

/* "reno cubic ...", as tcp_available_congestion_control. */
int xtcp_cong_list(char *buf, size_t size)
{
	struct xtcp_cong_ops *ops;
	size_t off = 0;

	buf[0] = '\0';
	spin_lock(&cong_lock);
	list_for_each_entry(ops, &cong_list, list)
		off += scnprintf(buf + off, size - off, "%s%s",
				 off ? " " : "", ops->name);
	spin_unlock(&cong_lock);
	return off;
}

int xtcp_cong_init(void)
{
	int err;

	err = xtcp_cong_register(&xtcp_reno);
	if (err)
		return err;
	err = xtcp_cong_register(&xtcp_cubic);
	if (err)
		goto err_reno;
	return 0;

err_reno:
	xtcp_cong_unregister(&xtcp_reno);
	return err;
}

void xtcp_cong_exit(void)
{
	xtcp_cong_unregister(&xtcp_cubic);
	xtcp_cong_unregister(&xtcp_reno);
}
