// SPDX-License-Identifier: GPL-2.0
/*
 * state.c: the TCP state machine, one table.
 *
 * table[state][event] = { next state, actions, errno }. Sources, per cell:
 * RFC 9293 §3.10 (event processing) and Figure 5; RFC 5961 (RST and SYN
 * challenge ACKs, ACK bounds); RFC 6191 (SYN in TIME-WAIT); where the RFC
 * leaves room, what Linux 6.1 does (inet_stream_connect(), inet_shutdown(),
 * tcp_close(), tcp_reset(), tcp_check_req()), said so in a comment.
 *
 * Every user-call cell is written out. A segment or timer cell left out means
 * "not possible in this state, or nothing to do": stay, no action. The
 * deliberate no-ops the RFC spells out are written out too.
 *
 * SYN-RECV has two rows, by origin (MUST-11): XTCP_SYN_RECV for a simultaneous
 * open (from SYN-SENT) and ROW_SYN_RECV_PASSIVE for a child of a listener.
 *
 * Documentation/state-machine.rst draws this table and lists, per transition,
 * the KUnit case in kunit/state_test.c that pins it.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "compat.h"
#include "state.h"

#define ROW_SYN_RECV_PASSIVE	(XTCP_STATE_MAX + 1)
#define NR_ROWS			(XTCP_STATE_MAX + 2)

static const struct xtcp_transition table[NR_ROWS][XTCP_EV_MAX] = {
	/* No connection: user calls; any segment but a RST is answered by one. */
	[XTCP_CLOSE] = {
		[XTCP_EV_CONNECT]	= { XTCP_SYN_SENT, XTCP_ACT_SYN },
		[XTCP_EV_LISTEN]	= { XTCP_LISTEN, 0 },
		[XTCP_EV_SEND]		= { XTCP_CLOSE, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_CLOSE, 0, -ENOTCONN },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SYN]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN_ACK]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN_NEWER]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_ACK_OF_SYN]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_ACK]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_BAD_ACK]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_FIN]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_FIN_ACK]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_DATA]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_RST]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_RST_INEXACT]	= { XTCP_CLOSE, 0 },
	},

	/*
	 * LISTEN: a SYN makes a child in SYN-RECV; any ACK is bad here and
	 * gets a RST; a RST is ignored. Linux refuses connect() and send() on
	 * a listener, so RFC 9293's LISTEN --SEND--> SYN-SENT edge is absent.
	 */
	[XTCP_LISTEN] = {
		[XTCP_EV_CONNECT]	= { XTCP_LISTEN, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_LISTEN, 0 },
		[XTCP_EV_SEND]		= { XTCP_LISTEN, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_LISTEN, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SYN]		= { XTCP_SYN_RECV,
					    XTCP_ACT_SYNACK | XTCP_ACT_NEW_CHILD },
		[XTCP_EV_SYN_NEWER]	= { XTCP_SYN_RECV,
					    XTCP_ACT_SYNACK | XTCP_ACT_NEW_CHILD },
		[XTCP_EV_SYN_ACK]	= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_ACK_OF_SYN]	= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_ACK]		= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_BAD_ACK]	= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_FIN]		= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_FIN_ACK]	= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_DATA]		= { XTCP_LISTEN, XTCP_ACT_RST },
		[XTCP_EV_RST]		= { XTCP_LISTEN, 0 },
		[XTCP_EV_RST_INEXACT]	= { XTCP_LISTEN, 0 },
	},

	/*
	 * SYN-SENT: SYN+ACK completes, a bare SYN is a simultaneous open, a
	 * RST counts only with an acceptable ACK (connection refused).
	 */
	[XTCP_SYN_SENT] = {
		[XTCP_EV_CONNECT]	= { XTCP_SYN_SENT, 0, -EALREADY },
		[XTCP_EV_LISTEN]	= { XTCP_SYN_SENT, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_SYN_SENT, XTCP_ACT_QUEUE },
		[XTCP_EV_CLOSE]		= { XTCP_CLOSE, 0 },
		/* Linux: inet_shutdown() disconnects a connecting socket. */
		[XTCP_EV_SHUTDOWN]	= { XTCP_CLOSE, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SYN]		= { XTCP_SYN_RECV, XTCP_ACT_SYNACK },
		[XTCP_EV_SYN_NEWER]	= { XTCP_SYN_RECV, XTCP_ACT_SYNACK },
		[XTCP_EV_SYN_ACK]	= { XTCP_ESTABLISHED,
					    XTCP_ACT_ACK | XTCP_ACT_CONNECTED },
		/* Neither SYN nor RST: drop (RFC 9293 §3.10.7.3 fifth). */
		[XTCP_EV_ACK_OF_SYN]	= { XTCP_SYN_SENT, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_SYN_SENT, XTCP_ACT_RST },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNREFUSED },
		[XTCP_EV_RST_INEXACT]	= { XTCP_SYN_SENT, 0 },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/*
	 * SYN-RECV after a simultaneous open (active origin): a RST is
	 * "connection refused"; a SYN follows the synchronized-state rule.
	 * Any unacceptable segment, typically the peer's SYN again because our
	 * SYN+ACK was lost, is answered with our SYN+ACK, not a bare ACK the
	 * SYN-SENT peer could not use (Linux tcp_check_req() does the same).
	 */
	[XTCP_SYN_RECV] = {
		[XTCP_EV_CONNECT]	= { XTCP_SYN_RECV, 0, -EALREADY },
		[XTCP_EV_LISTEN]	= { XTCP_SYN_RECV, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_SYN_RECV, XTCP_ACT_QUEUE },
		[XTCP_EV_CLOSE]		= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_SHUTDOWN]	= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_SYN_RECV, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_SYN_RECV, XTCP_ACT_CHALLENGE },
		/* Linux tcp_validate_incoming(): the crossing SYN+ACK. */
		[XTCP_EV_SYN_ACK]	= { XTCP_ESTABLISHED,
					    XTCP_ACT_ACK | XTCP_ACT_CONNECTED },
		[XTCP_EV_ACK_OF_SYN]	= { XTCP_ESTABLISHED, XTCP_ACT_CONNECTED },
		[XTCP_EV_BAD_ACK]	= { XTCP_SYN_RECV, XTCP_ACT_RST },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNREFUSED },
		[XTCP_EV_RST_INEXACT]	= { XTCP_SYN_RECV, XTCP_ACT_CHALLENGE },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_SYN_RECV, XTCP_ACT_SYNACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/*
	 * SYN-RECV, child of a listener (passive origin): a RST, an in-window
	 * SYN (answered with a RST), or giving up on our SYN+ACK returns it to
	 * LISTEN, that is, the request goes and the listener never hears of it.
	 * A segment out of window gets an ACK (tcp_check_req()); the peer's SYN
	 * again, our SYN+ACK again (request.c, before this table).
	 */
	[ROW_SYN_RECV_PASSIVE] = {
		[XTCP_EV_CONNECT]	= { XTCP_SYN_RECV, 0, -EALREADY },
		[XTCP_EV_LISTEN]	= { XTCP_SYN_RECV, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_SYN_RECV, XTCP_ACT_QUEUE },
		[XTCP_EV_CLOSE]		= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_SHUTDOWN]	= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_LISTEN,
					    XTCP_ACT_DROP_CHILD | XTCP_ACT_RST },
		[XTCP_EV_SYN_NEWER]	= { XTCP_LISTEN,
					    XTCP_ACT_DROP_CHILD | XTCP_ACT_RST },
		[XTCP_EV_SYN_ACK]	= { XTCP_ESTABLISHED,
					    XTCP_ACT_ACK | XTCP_ACT_CONNECTED },
		[XTCP_EV_ACK_OF_SYN]	= { XTCP_ESTABLISHED, XTCP_ACT_CONNECTED },
		[XTCP_EV_BAD_ACK]	= { XTCP_SYN_RECV, XTCP_ACT_RST },
		[XTCP_EV_RST]		= { XTCP_LISTEN, XTCP_ACT_DROP_CHILD },
		[XTCP_EV_RST_INEXACT]	= { XTCP_SYN_RECV, XTCP_ACT_CHALLENGE },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_SYN_RECV, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_LISTEN, XTCP_ACT_DROP_CHILD },
	},

	[XTCP_ESTABLISHED] = {
		[XTCP_EV_CONNECT]	= { XTCP_ESTABLISHED, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_ESTABLISHED, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_ESTABLISHED, XTCP_ACT_XMIT },
		[XTCP_EV_CLOSE]		= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_SHUTDOWN]	= { XTCP_FIN_WAIT1, XTCP_ACT_FIN },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_ESTABLISHED, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_ESTABLISHED, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_ESTABLISHED, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_ESTABLISHED, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_ESTABLISHED, XTCP_ACT_CHALLENGE },
		[XTCP_EV_FIN]		= { XTCP_CLOSE_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_EOF },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNRESET },
		[XTCP_EV_RST_INEXACT]	= { XTCP_ESTABLISHED, XTCP_ACT_CHALLENGE },
		[XTCP_EV_DATA]		= { XTCP_ESTABLISHED,
					    XTCP_ACT_DELIVER | XTCP_ACT_ACK },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_ESTABLISHED, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/* Our FIN sent, not yet acknowledged; the peer may still send. */
	[XTCP_FIN_WAIT1] = {
		[XTCP_EV_CONNECT]	= { XTCP_FIN_WAIT1, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_FIN_WAIT1, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_FIN_WAIT1, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_FIN_WAIT1, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_FIN_WAIT1, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_FIN_WAIT1, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_FIN_WAIT1, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_FIN_WAIT1, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_FIN_WAIT1, 0 },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_FIN_WAIT2, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_FIN_WAIT1, XTCP_ACT_CHALLENGE },
		/* simultaneous close */
		[XTCP_EV_FIN]		= { XTCP_CLOSING,
					    XTCP_ACT_ACK | XTCP_ACT_EOF },
		[XTCP_EV_FIN_ACK]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_EOF |
					    XTCP_ACT_TW_TIMER },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNRESET },
		[XTCP_EV_RST_INEXACT]	= { XTCP_FIN_WAIT1, XTCP_ACT_CHALLENGE },
		[XTCP_EV_DATA]		= { XTCP_FIN_WAIT1,
					    XTCP_ACT_DELIVER | XTCP_ACT_ACK },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_FIN_WAIT1, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/* Our FIN acknowledged; half-closed, the peer's data still flows. */
	[XTCP_FIN_WAIT2] = {
		[XTCP_EV_CONNECT]	= { XTCP_FIN_WAIT2, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_FIN_WAIT2, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_FIN_WAIT2, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_FIN_WAIT2, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_FIN_WAIT2, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_FIN_WAIT2, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_FIN_WAIT2, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_FIN_WAIT2, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_FIN_WAIT2, 0 },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_FIN_WAIT2, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_FIN_WAIT2, XTCP_ACT_CHALLENGE },
		[XTCP_EV_FIN]		= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_EOF |
					    XTCP_ACT_TW_TIMER },
		[XTCP_EV_FIN_ACK]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_EOF |
					    XTCP_ACT_TW_TIMER },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNRESET },
		[XTCP_EV_RST_INEXACT]	= { XTCP_FIN_WAIT2, XTCP_ACT_CHALLENGE },
		[XTCP_EV_DATA]		= { XTCP_FIN_WAIT2,
					    XTCP_ACT_DELIVER | XTCP_ACT_ACK },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_FIN_WAIT2, XTCP_ACT_ACK },
		/* also the orphan FIN-WAIT-2 timeout (Linux tcp_fin_timeout) */
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/* The peer's FIN received; we may still send. */
	[XTCP_CLOSE_WAIT] = {
		[XTCP_EV_CONNECT]	= { XTCP_CLOSE_WAIT, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_CLOSE_WAIT, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_CLOSE_WAIT, XTCP_ACT_XMIT },
		[XTCP_EV_CLOSE]		= { XTCP_LAST_ACK, XTCP_ACT_FIN },
		[XTCP_EV_SHUTDOWN]	= { XTCP_LAST_ACK, XTCP_ACT_FIN },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, XTCP_ACT_RST },
		[XTCP_EV_SYN]		= { XTCP_CLOSE_WAIT, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_CLOSE_WAIT, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_CLOSE_WAIT, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_CLOSE_WAIT, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_CLOSE_WAIT, XTCP_ACT_CHALLENGE },
		/* RFC 9293: remain; text after the FIN is ignored. */
		[XTCP_EV_FIN]		= { XTCP_CLOSE_WAIT, 0 },
		[XTCP_EV_DATA]		= { XTCP_CLOSE_WAIT, 0 },
		/* Linux tcp_reset(): EPIPE once the peer has closed. */
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED, -EPIPE },
		[XTCP_EV_RST_INEXACT]	= { XTCP_CLOSE_WAIT, XTCP_ACT_CHALLENGE },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_CLOSE_WAIT, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/* Both FINs sent, ours not yet acknowledged (simultaneous close). */
	[XTCP_CLOSING] = {
		[XTCP_EV_CONNECT]	= { XTCP_CLOSING, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_CLOSING, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_CLOSING, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_CLOSING, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_CLOSING, 0 },
		/* RFC 9293 ABORT: no RST once both sides have sent FIN. */
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SYN]		= { XTCP_CLOSING, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_CLOSING, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_CLOSING, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_CLOSING, 0 },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_TIME_WAIT, XTCP_ACT_TW_TIMER },
		[XTCP_EV_BAD_ACK]	= { XTCP_CLOSING, XTCP_ACT_CHALLENGE },
		[XTCP_EV_FIN]		= { XTCP_CLOSING, 0 },
		[XTCP_EV_FIN_ACK]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_TW_TIMER },
		[XTCP_EV_DATA]		= { XTCP_CLOSING, 0 },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNRESET },
		[XTCP_EV_RST_INEXACT]	= { XTCP_CLOSING, XTCP_ACT_CHALLENGE },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_CLOSING, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/* The peer's FIN received, then ours sent: wait for its ACK. */
	[XTCP_LAST_ACK] = {
		[XTCP_EV_CONNECT]	= { XTCP_LAST_ACK, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_LAST_ACK, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_LAST_ACK, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_LAST_ACK, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_LAST_ACK, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		[XTCP_EV_SYN]		= { XTCP_LAST_ACK, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_ACK]	= { XTCP_LAST_ACK, XTCP_ACT_CHALLENGE },
		[XTCP_EV_SYN_NEWER]	= { XTCP_LAST_ACK, XTCP_ACT_CHALLENGE },
		[XTCP_EV_ACK]		= { XTCP_LAST_ACK, 0 },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_CLOSE, 0 },
		[XTCP_EV_BAD_ACK]	= { XTCP_LAST_ACK, XTCP_ACT_CHALLENGE },
		[XTCP_EV_FIN]		= { XTCP_LAST_ACK, 0 },
		[XTCP_EV_FIN_ACK]	= { XTCP_CLOSE, 0 },
		[XTCP_EV_DATA]		= { XTCP_LAST_ACK, 0 },
		[XTCP_EV_RST]		= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ECONNRESET },
		[XTCP_EV_RST_INEXACT]	= { XTCP_LAST_ACK, XTCP_ACT_CHALLENGE },
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_LAST_ACK, XTCP_ACT_ACK },
		[XTCP_EV_USER_TIMEOUT]	= { XTCP_CLOSE, XTCP_ACT_ABORTED,
					    -ETIMEDOUT },
	},

	/*
	 * TIME-WAIT, 2 MSL (MUST-13), a bucket in twsock.c, whose
	 * xtcp_tw_classify() feeds this row. Its window is empty: what is not
	 * a bare segment at RCV.NXT is out of window and answered with an
	 * ACK, which, as every ACK of a bucket, passes net.xtcp.invalid_ratelimit
	 * (the caller's, as tcp_timewait_check_oow_rate_limit()). As Linux
	 * tcp_timewait_state_process(): an answered segment with the ACK bit
	 * restarts 2 MSL, one without does not (an ACK-less SYN below RCV.NXT
	 * may be a new connection's with a random ISN). RFC 6191 lets a newer
	 * SYN in. A RST at RCV.NXT ends it (RFC 1337 protection, if wanted, is
	 * the caller's: it then does not feed the RST).
	 */
	[XTCP_TIME_WAIT] = {
		[XTCP_EV_CONNECT]	= { XTCP_TIME_WAIT, 0, -EISCONN },
		[XTCP_EV_LISTEN]	= { XTCP_TIME_WAIT, 0, -EINVAL },
		[XTCP_EV_SEND]		= { XTCP_TIME_WAIT, 0, -EPIPE },
		[XTCP_EV_CLOSE]		= { XTCP_TIME_WAIT, 0 },
		[XTCP_EV_SHUTDOWN]	= { XTCP_TIME_WAIT, 0 },
		[XTCP_EV_ABORT]		= { XTCP_CLOSE, 0 },
		/* Linux: an ACK, not a challenge ACK; 2 MSL not restarted */
		[XTCP_EV_SYN]		= { XTCP_TIME_WAIT, XTCP_ACT_ACK },
		/* Linux: it has the ACK bit, so 2 MSL restarts too */
		[XTCP_EV_SYN_ACK]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_TW_TIMER },
		[XTCP_EV_SYN_NEWER]	= { XTCP_CLOSE, XTCP_ACT_REOPEN },
		/* Linux: the in-window bare ACK restarts 2 MSL, unanswered */
		[XTCP_EV_ACK]		= { XTCP_TIME_WAIT, XTCP_ACT_TW_TIMER },
		[XTCP_EV_ACK_OF_FIN]	= { XTCP_TIME_WAIT, 0 },
		/* the ACK bit off: Linux answers, without restarting 2 MSL */
		[XTCP_EV_BAD_ACK]	= { XTCP_TIME_WAIT, XTCP_ACT_ACK },
		[XTCP_EV_FIN]		= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_TW_TIMER },
		[XTCP_EV_FIN_ACK]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_TW_TIMER },
		[XTCP_EV_DATA]		= { XTCP_TIME_WAIT, 0 },
		[XTCP_EV_RST]		= { XTCP_CLOSE, 0 },
		/* Linux: an inexact RST is ignored, no challenge ACK */
		[XTCP_EV_RST_INEXACT]	= { XTCP_TIME_WAIT, 0 },
		/* out of window, or PAWS: Linux restarts 2 MSL as it answers */
		[XTCP_EV_UNACCEPTABLE]	= { XTCP_TIME_WAIT,
					    XTCP_ACT_ACK | XTCP_ACT_TW_TIMER },
		[XTCP_EV_TIMEWAIT_EXPIRED] = { XTCP_CLOSE, 0 },
	},
};

/**
 * xtcp_state_next - look up one transition
 * @state: the connection's state
 * @ev: what happened
 * @passive: in SYN-RECV, the connection came from LISTEN (MUST-11)
 *
 * Return: the next state, the actions and an errno. For a segment or timer
 * cell the table leaves out: stay, no action. For an invalid @state or @ev:
 * stay, -EINVAL.
 */
struct xtcp_transition xtcp_state_next(enum xtcp_state state,
				       enum xtcp_event ev, bool passive)
{
	struct xtcp_transition stay = { .next = state };
	unsigned int row = state;

	if (row < 1 || row > XTCP_STATE_MAX || (unsigned int)ev >= XTCP_EV_MAX) {
		stay.err = -EINVAL;
		return stay;
	}
	if (state == XTCP_SYN_RECV && passive)
		row = ROW_SYN_RECV_PASSIVE;
	if (table[row][ev].next)
		return table[row][ev];
	if (ev < XTCP_EV_FIRST_SEGMENT)
		stay.err = -EOPNOTSUPP;	/* not reached: every user call is set */
	return stay;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_state_next);

/* The names netstat prints and the kernel's enum uses (TCP_ dropped). */
static const char * const state_names[XTCP_STATE_MAX + 1] = {
	[XTCP_ESTABLISHED]	= "ESTABLISHED",
	[XTCP_SYN_SENT]		= "SYN_SENT",
	[XTCP_SYN_RECV]		= "SYN_RECV",
	[XTCP_FIN_WAIT1]	= "FIN_WAIT1",
	[XTCP_FIN_WAIT2]	= "FIN_WAIT2",
	[XTCP_TIME_WAIT]	= "TIME_WAIT",
	[XTCP_CLOSE]		= "CLOSE",
	[XTCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[XTCP_LAST_ACK]		= "LAST_ACK",
	[XTCP_LISTEN]		= "LISTEN",
	[XTCP_CLOSING]		= "CLOSING",
};

const char *xtcp_state_name(int state)
{
	if (state < 1 || state > XTCP_STATE_MAX)
		return "UNKNOWN";
	return state_names[state];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_state_name);

static const char * const event_names[XTCP_EV_MAX] = {
	[XTCP_EV_CONNECT]		= "connect",
	[XTCP_EV_LISTEN]		= "listen",
	[XTCP_EV_SEND]			= "send",
	[XTCP_EV_CLOSE]			= "close",
	[XTCP_EV_SHUTDOWN]		= "shutdown",
	[XTCP_EV_ABORT]			= "abort",
	[XTCP_EV_SYN]			= "syn",
	[XTCP_EV_SYN_ACK]		= "syn_ack",
	[XTCP_EV_SYN_NEWER]		= "syn_newer",
	[XTCP_EV_ACK_OF_SYN]		= "ack_of_syn",
	[XTCP_EV_ACK_OF_FIN]		= "ack_of_fin",
	[XTCP_EV_ACK]			= "ack",
	[XTCP_EV_BAD_ACK]		= "bad_ack",
	[XTCP_EV_FIN]			= "fin",
	[XTCP_EV_FIN_ACK]		= "fin_ack",
	[XTCP_EV_RST]			= "rst",
	[XTCP_EV_RST_INEXACT]		= "rst_inexact",
	[XTCP_EV_DATA]			= "data",
	[XTCP_EV_UNACCEPTABLE]		= "unacceptable",
	[XTCP_EV_TIMEWAIT_EXPIRED]	= "timewait_expired",
	[XTCP_EV_USER_TIMEOUT]		= "user_timeout",
};

const char *xtcp_event_name(enum xtcp_event ev)
{
	if ((unsigned int)ev >= XTCP_EV_MAX)
		return "unknown";
	return event_names[ev];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_event_name);

static const char * const action_names[XTCP_ACT_COUNT] = {
	"syn", "synack", "ack", "challenge", "fin", "rst", "xmit", "queue",
	"deliver", "tw_timer", "connected", "eof", "aborted", "new_child",
	"drop_child", "reopen",
};

/* Name of action bit @bit (0 for XTCP_ACT_SYN, ...). */
const char *xtcp_action_name(unsigned int bit)
{
	if (bit >= XTCP_ACT_COUNT)
		return "unknown";
	return action_names[bit];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_action_name);
