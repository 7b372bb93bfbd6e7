/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state.h: the TCP state machine as data (RFC 9293 §3.3.2 and §3.10, with
 * RFC 5961 and RFC 6191). The whole machine is one table in state.c; this
 * header names its inputs (events) and outputs (next state, actions, errno).
 *
 * The input path turns one received segment into events, in RFC 9293 §3.10.7
 * order, using the tests in seq.h, and stops at the first event whose actions
 * end processing (a reset, a challenge ACK, a drop):
 *
 *  1. RST: XTCP_EV_RST if acceptable (SEG.SEQ = RCV.NXT; in SYN-SENT, an
 *     acceptable ACK), XTCP_EV_RST_INEXACT if only in the window (in SYN-SENT,
 *     no acceptable ACK); outside the window nothing at all.
 *  2. In SYN-RECV, a SYN+ACK that repeats the peer's SYN and acknowledges ours
 *     (the crossing of a simultaneous open): XTCP_EV_SYN_ACK.
 *  3. Synchronized states: a segment failing xtcp_seq_acceptable():
 *     XTCP_EV_UNACCEPTABLE. TIME-WAIT, a bucket, classifies in twsock.c
 *     (xtcp_tw_classify(), Linux's order): a PAWS reject or any segment
 *     outside its empty window is XTCP_EV_UNACCEPTABLE, the retransmitted
 *     FIN XTCP_EV_FIN, the bare segment at RCV.NXT XTCP_EV_ACK, one without
 *     the ACK bit XTCP_EV_BAD_ACK.
 *  4. SYN: XTCP_EV_SYN, XTCP_EV_SYN_ACK (its ACK covers our SYN), or in
 *     TIME-WAIT XTCP_EV_SYN_NEWER if RFC 6191 lets a new incarnation in.
 *  5. ACK: XTCP_EV_BAD_ACK if not acceptable, else XTCP_EV_ACK_OF_SYN,
 *     XTCP_EV_ACK_OF_FIN or XTCP_EV_ACK. A FIN taken in order whose ACK
 *     covers our FIN is fed as one XTCP_EV_FIN_ACK instead of
 *     XTCP_EV_ACK_OF_FIN + XTCP_EV_FIN (input.c).
 *  6. Text: XTCP_EV_DATA.  7. FIN: XTCP_EV_FIN.
 *
 * A SYN-RECV connection remembers whether it came from LISTEN (passive) or
 * SYN-SENT (active), MUST-11: the caller passes that to xtcp_state_next().
 *
 * XTCP_ACT_ACK answering an out-of-window segment (XTCP_EV_UNACCEPTABLE, and
 * every ACK of TIME-WAIT) passes net.xtcp.invalid_ratelimit, which the
 * caller applies as Linux's tcp_oow_rate_limited() (xtcp_oow_ack_limited()).
 */
#ifndef _XTCP_STATE_H
#define _XTCP_STATE_H

#include <linux/bits.h>
#include <linux/types.h>

#include "protocol.h"

enum xtcp_event {
	/* user calls */
	XTCP_EV_CONNECT,	/* active OPEN: connect() */
	XTCP_EV_LISTEN,		/* passive OPEN: listen() */
	XTCP_EV_SEND,		/* SEND: sendmsg() */
	XTCP_EV_CLOSE,		/* CLOSE: close() */
	XTCP_EV_SHUTDOWN,	/* shutdown(SHUT_WR) */
	XTCP_EV_ABORT,		/* ABORT: SO_LINGER 0, or close() with unread data */
	/* received segments, classified as above */
	XTCP_EV_SYN,
	XTCP_EV_SYN_ACK,
	XTCP_EV_SYN_NEWER,
	XTCP_EV_ACK_OF_SYN,
	XTCP_EV_ACK_OF_FIN,
	XTCP_EV_ACK,
	XTCP_EV_BAD_ACK,
	XTCP_EV_FIN,
	XTCP_EV_FIN_ACK,
	XTCP_EV_RST,
	XTCP_EV_RST_INEXACT,
	XTCP_EV_DATA,
	XTCP_EV_UNACCEPTABLE,
	/* timers */
	XTCP_EV_TIMEWAIT_EXPIRED,	/* 2 MSL in TIME-WAIT (MUST-13) */
	XTCP_EV_USER_TIMEOUT,		/* retransmission gave up (R2, MUST-20) */
	XTCP_EV_MAX,
};

#define XTCP_EV_FIRST_SEGMENT	XTCP_EV_SYN
#define XTCP_EV_FIRST_TIMER	XTCP_EV_TIMEWAIT_EXPIRED

/* Actions; several may come with one transition, done in bit order. */
#define XTCP_ACT_SYN		BIT(0)	/* send SYN */
#define XTCP_ACT_SYNACK		BIT(1)	/* send (or resend) SYN+ACK */
#define XTCP_ACT_ACK		BIT(2)	/* acknowledge (now, or delayed) */
#define XTCP_ACT_CHALLENGE	BIT(3)	/* RFC 5961 challenge ACK (no rate limit yet) */
#define XTCP_ACT_FIN		BIT(4)	/* send FIN after queued data */
#define XTCP_ACT_RST		BIT(5)	/* send RST (never in answer to a RST) */
#define XTCP_ACT_XMIT		BIT(6)	/* transmit the user's data */
#define XTCP_ACT_QUEUE		BIT(7)	/* SEND waits until ESTABLISHED */
#define XTCP_ACT_DELIVER	BIT(8)	/* queue segment text for the user */
#define XTCP_ACT_TW_TIMER	BIT(9)	/* start or restart the 2 MSL timer */
#define XTCP_ACT_CONNECTED	BIT(10)	/* wake connect(); passive: to accept queue */
#define XTCP_ACT_EOF		BIT(11)	/* peer closed: reads end with 0 (MUST-12) */
#define XTCP_ACT_ABORTED	BIT(12)	/* connection aborted: report err (MUST-12) */
#define XTCP_ACT_NEW_CHILD	BIT(13)	/* next is a new child's; listener stays */
#define XTCP_ACT_DROP_CHILD	BIT(14)	/* passive SYN-RECV to LISTEN: free quietly */
#define XTCP_ACT_REOPEN		BIT(15)	/* TIME-WAIT yields: hand SYN to listener */
#define XTCP_ACT_COUNT		16

struct xtcp_transition {
	enum xtcp_state next;
	u32 actions;		/* XTCP_ACT_* */
	int err;		/* user call: its return; segment: sk_err */
};

struct xtcp_transition xtcp_state_next(enum xtcp_state state,
				       enum xtcp_event ev, bool passive);
const char *xtcp_state_name(int state);
const char *xtcp_event_name(enum xtcp_event ev);
const char *xtcp_action_name(unsigned int bit);

/* RFC 9293 "synchronized" states: SYN answered by a challenge ACK. */
static inline bool xtcp_state_synchronized(enum xtcp_state state)
{
	switch (state) {
	case XTCP_ESTABLISHED:
	case XTCP_FIN_WAIT1:
	case XTCP_FIN_WAIT2:
	case XTCP_CLOSE_WAIT:
	case XTCP_CLOSING:
	case XTCP_LAST_ACK:
	case XTCP_TIME_WAIT:
		return true;
	default:
		return false;
	}
}

#endif /* _XTCP_STATE_H */
