/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nagle.h: whether the sender may send the segment at the head of what is
 * unsent now, or holds it to grow (RFC 896, RFC 1122 §4.2.3.4, RFC 9293
 * §3.8.6.2.1), decided as Linux's tcp_nagle_test() decides it: Minshall's
 * variant, which holds a small segment only while an earlier small segment
 * is unacknowledged, so that it never waits on a delayed ACK of a full one.
 * Protocol logic only: no socket.
 *
 * Only the last segment of the queue can be held (one in the middle cannot
 * grow any more), and only when it is smaller than the MSS. TCP_CORK (and
 * MSG_MORE for one call) holds it whatever is in flight; TCP_NODELAY sends
 * it at once; a push (uncorking, setting TCP_NODELAY) sends it once. A FIN
 * and urgent data are never held.
 */
#ifndef _XTCP_NAGLE_H
#define _XTCP_NAGLE_H

#include <linux/bits.h>
#include <linux/types.h>

#define XTCP_NAGLE_OFF		BIT(0)	/* TCP_NODELAY */
#define XTCP_NAGLE_CORK		BIT(1)	/* TCP_CORK, or MSG_MORE */
#define XTCP_NAGLE_PUSH		BIT(2)	/* send what is held, this once */

struct xtcp_nagle_input {
	u32 len;		/* text of the segment */
	u32 mss;
	bool last;		/* the last segment queued */
	bool fin;		/* it carries our FIN */
	bool urgent;		/* urgent data is outstanding */
	bool small_in_flight;	/* a small segment is sent and unacknowledged */
	u8 nonagle;		/* XTCP_NAGLE_* */
};

/* True: send it now; false: hold it. */
static inline bool xtcp_nagle_ok(const struct xtcp_nagle_input *in)
{
	if (!in->last || (in->nonagle & XTCP_NAGLE_PUSH) || in->fin ||
	    in->urgent || in->len >= in->mss)
		return true;
	if (in->nonagle & XTCP_NAGLE_CORK)
		return false;
	if (in->nonagle & XTCP_NAGLE_OFF)
		return true;
	return !in->small_in_flight;
}

#endif /* _XTCP_NAGLE_H */
