/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratelimit.h: the budget of RFC 5961 §7 for challenge ACKs, as Linux 6.1
 * keeps it (tcp_send_challenge_ack()): per namespace and per second, drawn at
 * random between half the limit and one and a half times it, so that an
 * off-path attacker cannot count the ACKs a connection spent. No socket here:
 * the caller passes the clock and the random number, so KUnit can too.
 */
#ifndef _XTCP_RATELIMIT_H
#define _XTCP_RATELIMIT_H

#include <linux/compiler.h>
#include <linux/types.h>

struct xtcp_ratelimit {
	u32 stamp;	/* the second the budget is for */
	u32 count;	/* what is left of it */
};

/*
 * May one more go out in second @now? @limit is the mean budget a second (0:
 * none), @rnd a random number. Lockless, as Linux's: racing callers may
 * spend a little more than the budget, never much more.
 */
static inline bool xtcp_ratelimit_take(struct xtcp_ratelimit *rl, u32 now,
				       u32 limit, u32 rnd)
{
	u32 count;

	if (now != READ_ONCE(rl->stamp)) {
		WRITE_ONCE(rl->stamp, now);
		WRITE_ONCE(rl->count, limit ? (limit + 1) / 2 + rnd % limit : 0);
	}
	count = READ_ONCE(rl->count);
	if (!count)
		return false;
	WRITE_ONCE(rl->count, count - 1);
	return true;
}

/*
 * Out-of-window answers, as Linux 6.1's __tcp_oow_rate_limited(): at most one
 * dup-ACK per @interval (jiffies, net.xtcp.invalid_ratelimit) for a
 * connection or a TIME-WAIT bucket, whose last one went at *@last (jiffies; 0:
 * none yet). True if this one must be skipped; otherwise *@last becomes @now.
 * An answer that comes "before" *@last (the clock wrapped, or *@last is stale
 * by half the u32 range) is let through, as in Linux. Lockless, as Linux's.
 */
static inline bool xtcp_oow_rate_limited(u32 *last, u32 now, u32 interval)
{
	u32 prev = READ_ONCE(*last);

	if (prev) {
		s32 elapsed = (s32)(now - prev);

		if (elapsed >= 0 && elapsed < (s32)interval)
			return true;
	}
	WRITE_ONCE(*last, now);
	return false;
}

#endif /* _XTCP_RATELIMIT_H */
