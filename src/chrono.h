/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chrono.h: the sender's chronographs, as Linux 6.1 keeps them
 * (tcp_chrono_start(), tcp_chrono_stop() in tcp_output.c,
 * tcp_get_info_chrono_stats() in tcp.c): how long the connection had data
 * queued or in flight (busy), and how long of that the peer's receive window
 * (rwnd limited) or the writer, stuck on a full send buffer (sndbuf limited),
 * held it back. TCP_INFO reports them as tcpi_busy_time, tcpi_rwnd_limited
 * and tcpi_sndbuf_limited, in microseconds; busy is the sum of the three.
 *
 * One runs at a time: the highest of the conditions that hold
 * (SNDBUF_LIMITED over RWND_LIMITED over BUSY). A condition that starts
 * takes over from a lower one; one that stops hands back to BUSY if it was
 * the one running, or to none once nothing is queued or in flight. Callers
 * report the events at Linux's places (output.c, stream.c): the write queue
 * gains its first skb, tcp_write_xmit() ends, the send buffer gains room,
 * the retransmission queue empties, the queues are purged.
 *
 * Pure arithmetic on struct xtcp_chrono and the time in jiffies (tcp_jiffies32,
 * Linux's clock for them: its granularity is the tick), so that KUnit
 * (kunit/rate_test.c) drives it without a socket.
 */
#ifndef _XTCP_CHRONO_H
#define _XTCP_CHRONO_H

#include <linux/jiffies.h>
#include <linux/time64.h>
#include <linux/types.h>

/* enum tcp_chrono, in its order of precedence */
enum xtcp_chrono_type {
	XTCP_CHRONO_UNSPEC,		/* nothing queued or in flight */
	XTCP_CHRONO_BUSY,		/* data queued or in flight */
	XTCP_CHRONO_RWND_LIMITED,	/* held back by the peer's window */
	XTCP_CHRONO_SNDBUF_LIMITED,	/* all sent, the writer out of buffer */
	XTCP_CHRONO_MAX,
};

/* tcp_sock's chrono_start, chrono_stat[] and chrono_type */
struct xtcp_chrono {
	u32 start;			/* jiffies: the running one began */
	u32 stat[XTCP_CHRONO_MAX - 1];	/* jiffies each ran before, from BUSY */
	u8 type;			/* the one running, XTCP_CHRONO_* */
};

/* tcp_chrono_set(): @type runs from @now, the one running stops. */
static inline void xtcp_chrono_set(struct xtcp_chrono *c,
				   enum xtcp_chrono_type type, u32 now)
{
	if (c->type > XTCP_CHRONO_UNSPEC)
		c->stat[c->type - 1] += now - c->start;
	c->start = now;
	c->type = type;
}

/* tcp_chrono_start(): condition @type begins at @now; it runs if higher. */
static inline void xtcp_chrono_start(struct xtcp_chrono *c,
				     enum xtcp_chrono_type type, u32 now)
{
	if (type > c->type)
		xtcp_chrono_set(c, type, now);
}

/*
 * tcp_chrono_stop(): condition @type ends at @now. With nothing queued or
 * in flight (@idle), none runs; else BUSY takes over if @type was running.
 */
static inline void xtcp_chrono_stop(struct xtcp_chrono *c,
				    enum xtcp_chrono_type type, bool idle,
				    u32 now)
{
	if (idle)
		xtcp_chrono_set(c, XTCP_CHRONO_UNSPEC, now);
	else if (type == c->type)
		xtcp_chrono_set(c, XTCP_CHRONO_BUSY, now);
}

/*
 * The microseconds @type ran until @now, the running one's time so far
 * included (tcp_get_info_chrono_stats()); the busy time is the sum of all.
 */
static inline u64 xtcp_chrono_us(const struct xtcp_chrono *c,
				 enum xtcp_chrono_type type, u32 now)
{
	u64 t;

	if (type <= XTCP_CHRONO_UNSPEC || type >= XTCP_CHRONO_MAX)
		return 0;
	t = c->stat[type - 1];
	if (type == c->type)
		t += now - c->start;
	return t * (USEC_PER_SEC / HZ);
}

#endif /* _XTCP_CHRONO_H */
