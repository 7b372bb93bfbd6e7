/* SPDX-License-Identifier: GPL-2.0 */
/*
 * autotune.h: how big a connection's buffers should be, as Linux's TCP
 * autotunes them (tcp_rcv_space_adjust(), tcp_sndbuf_expand()). Protocol
 * logic only: no socket; autotune.c applies it.
 *
 * Receive ("dynamic right-sizing"): once a round trip, if the reader took
 * more than in the round trip before, the buffer must hold twice what it took
 * (so that one lost segment does not stall the sender for a round trip), 16
 * segments of cushion, and twice the growth again for a sender still in slow
 * start; the window being half the buffer (the other half pays for skb
 * overhead), the buffer is twice that. Send: room for two congestion windows
 * of segments (fast recovery needs the old window while the new one grows),
 * each costing what a queued segment costs in memory. Both only grow, up to
 * net.xtcp.rmem[2] and wmem[2].
 */
#ifndef _XTCP_AUTOTUNE_H
#define _XTCP_AUTOTUNE_H

#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

/*
 * The receive buffer for a reader that took @copied bytes in the last round
 * trip and @prev in the one before (both > 0), with segments of @advmss.
 */
static inline u64 xtcp_drs_rcvbuf(u32 copied, u32 prev, u32 advmss)
{
	u64 rcvwin = 2ULL * copied + 16ULL * advmss;

	if (copied > prev && prev)
		rcvwin += 2 * div_u64(rcvwin * (copied - prev), prev);
	return 2 * rcvwin;
}

/*
 * The send buffer for a congestion window of @cwnd segments (at least the
 * initial 10, and more than @reordering) of @mss bytes, each queued segment
 * costing @per_seg bytes of memory.
 */
static inline u64 xtcp_sndbuf_for(u32 cwnd, u32 reordering, u32 per_seg)
{
	u32 segs = max3(cwnd, 10U, reordering + 1);

	return 2ULL * segs * per_seg;
}

/* autotune.c: buffer sizes, for a socket. */
struct sock;
struct sk_buff;

void xtcp_sndbuf_expand(struct sock *sk);
void xtcp_init_buffer_space(struct sock *sk);
void xtcp_grow_window(struct sock *sk, u32 len, u32 truesize);
void xtcp_rcv_rtt_sample(struct sock *sk, const struct sk_buff *skb);
void xtcp_rcv_space_adjust(struct sock *sk);
bool xtcp_rcvbuf_make_room(struct sock *sk, u32 need);

#endif /* _XTCP_AUTOTUNE_H */
