/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt.h: the retransmission timeout of RFC 6298 from round-trip samples.
 * Pure arithmetic on one struct, no socket, so that KUnit drives it directly
 * (kunit/rtt_test.c).
 *
 * The first sample R sets SRTT = R and RTTVAR = R/2; each later one
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| then SRTT = 7/8 SRTT + 1/8 R (§2.2,
 * §2.3). RTO = SRTT + max(G, 4 RTTVAR), where Linux puts its 200 ms minimum
 * (tcp_rto_min) in place of the clock granularity G; then at most 120 s
 * (§2.4, §2.5). Before any sample the RTO is 1 s (§2.1), 3 s once the SYN had
 * to be sent again (§5.7). Callers feed only samples that Karn's algorithm
 * allows (§3): none from a segment sent more than once, unless a timestamp
 * echo says which transmission was answered (RFC 7323 §4).
 */
#ifndef _XTCP_RTT_H
#define _XTCP_RTT_H

#include <linux/jiffies.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <linux/win_minmax.h>

#define XTCP_RTO_MIN_MS		200	/* as TCP_RTO_MIN */
#define XTCP_RTO_MAX_MS		120000	/* as TCP_RTO_MAX */
#define XTCP_TIMEOUT_INIT_MS	1000	/* RFC 6298 §2.1 */
#define XTCP_TIMEOUT_FALLBACK_MS 3000	/* RFC 6298 §5.7: the SYN was lost */

struct xtcp_rtt {
	struct minmax min;	/* windowed minimum (tp->rtt_min), complemented */
	u32 srtt_us;		/* 0: no sample yet */
	u32 rttvar_us;
	u32 ack_rtt_us;		/* the last sample, until the ACK's rate sample takes it */
};

/* Take one round-trip sample, in microseconds (0 counts as 1). */
static inline void xtcp_rtt_sample(struct xtcp_rtt *r, u32 sample_us)
{
	u32 err;

	sample_us = max_t(u32, sample_us, 1);
	r->ack_rtt_us = sample_us;
	if (!r->srtt_us) {
		r->srtt_us = sample_us;
		r->rttvar_us = sample_us / 2;
		return;
	}
	err = r->srtt_us > sample_us ? r->srtt_us - sample_us
				     : sample_us - r->srtt_us;
	r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + err / 4;
	r->srtt_us = r->srtt_us - r->srtt_us / 8 + sample_us / 8;
	r->srtt_us = max_t(u32, r->srtt_us, 1);
}

/* tcp_min_rtt(): the windowed minimum, ~0U before any sample. */
static inline u32 xtcp_rtt_min_us(const struct xtcp_rtt *r)
{
	return r->srtt_us ? ~minmax_get(&r->min) : ~0U;
}

/*
 * The least round trip of the last @win jiffies (tcp_update_rtt_min(), over
 * net.ipv4.tcp_min_rtt_wlen): @sample_us, taken at @now (jiffies), goes in
 * before xtcp_rtt_sample() takes it; the first sample starts the filter. A
 * sample of 0 counts as a jiffy, as there. The sample of an ACK the receiver
 * likely delayed (@maybe_delayed, FLAG_ACK_MAYBE_DELAYED) is left out when
 * it is above the minimum: a peer that keeps delaying its ACKs would
 * otherwise raise the minimum once the true one expires. Linux 6.1 exports
 * only the running maximum of lib/win_minmax.c to modules: the filter keeps
 * the samples' complements, whose running maximum is the samples' minimum.
 */
static inline void xtcp_rtt_min_sample(struct xtcp_rtt *r, u32 win, u32 now,
				       u32 sample_us, bool maybe_delayed)
{
	if (maybe_delayed && sample_us > xtcp_rtt_min_us(r))
		return;
	sample_us = sample_us ?: jiffies_to_usecs(1);
	if (!r->srtt_us)
		minmax_reset(&r->min, now, ~sample_us);
	else
		minmax_running_max(&r->min, win, now, ~sample_us);
}

/* The RTO for the next transmission, in milliseconds (no back-off). */
static inline u32 xtcp_rtt_rto_ms(const struct xtcp_rtt *r, bool syn_lost)
{
	u64 rto_us;

	if (!r->srtt_us)
		return syn_lost ? XTCP_TIMEOUT_FALLBACK_MS : XTCP_TIMEOUT_INIT_MS;
	rto_us = (u64)r->srtt_us + max_t(u64, 4ULL * r->rttvar_us,
					 XTCP_RTO_MIN_MS * 1000ULL);
	return clamp_t(u64, DIV_ROUND_UP_ULL(rto_us, 1000), XTCP_RTO_MIN_MS,
		       XTCP_RTO_MAX_MS);
}

#endif /* _XTCP_RTT_H */
