/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb_cb.h: what xtcp keeps in skb->cb of a received or queued segment.
 * Shared by the glue and by the protocol code that works on sk_buffs without a
 * socket (ofo.c), so that KUnit can build such skbs itself.
 */
#ifndef _XTCP_SKB_CB_H
#define _XTCP_SKB_CB_H

#include <linux/build_bug.h>
#include <linux/skbuff.h>

struct xtcp_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + SYN + FIN + text */
	union {
		/* a received segment's header */
		struct {
			u32 ack;
			u32 tsval;
			u32 tsecr;
			u16 window;	/* unscaled, as received */
			u16 urg_ptr;	/* as received, if flags has URG */
		};
		/*
		 * write queue: the delivery state when it was last sent
		 * (tcp_skb_cb's tx, rate.h): tp->first_tx_mstamp and
		 * tp->delivered_mstamp then, in us; delivered_us 0 once
		 * its SACK gave it to a rate sample
		 */
		struct {
			u64 tx_first_us;
			u64 tx_delivered_us;
		};
	};
	union {
		/* received reopening SYN: our ISN (tcp_tw_isn); 0: none */
		u32 tw_isn;
		/*
		 * write queue, if sacked: [seq, sack_run) is SACKed whole, a
		 * lower bound of the end of the SACKed run (recovery.c)
		 */
		u32 sack_run;
	};
	u8 flags;		/* XTCP_FLAG_* */
	u8 has_ts:1;
	u8 has_sack:1;		/* carries SACK blocks (re-read from the header) */
	u8 sacked:1;		/* write queue: the peer SACKed all of it */
	u8 lost:1;		/* write queue: deemed lost (recovery.c) */
	u8 retrans:1;		/* write queue: lost and sent again */
	u8 ever_retrans:1;	/* write queue: sent again, once or more */
	u8 bcast:1;		/* to a broadcast or multicast address */
	/* write queue: ends a size-goal skb of Linux's (stream.c) */
	u8 goal_end:1;
	/* write queue: ends a write sent with MSG_EOR (tcp_skb_cb's eor) */
	u8 eor:1;
	/* write queue: ktime_get_ns() of its last transmission (skb_mstamp_ns) */
	u64 tx_ns;
	union {
		/*
		 * write queue: tp->delivered and delivered_ce, app-limited,
		 * then (also RACK's reordering window's, recovery.c)
		 */
		u32 tx_delivered;
		/*
		 * received: the device it came in on (inet_iif(), as the
		 * hook's lookups had it), before the route is dropped
		 */
		int iif;
	};
	u32 tx_delivered_ce:20;
	u32 tx_app_limited:1;
};

#define XTCP_SKB_CB(skb) ((struct xtcp_skb_cb *)&((skb)->cb[0]))

static_assert(sizeof(struct xtcp_skb_cb) <= sizeof_field(struct sk_buff, cb));

#endif /* _XTCP_SKB_CB_H */
