// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the state machine table (src/state.c). One case per edge of the
 * RFC 9293 Figure 5 diagram (diagram_*), then the scenarios every TCP test
 * suite checks (simultaneous open and close, RST in each state, challenge
 * ACKs, TIME-WAIT), then properties of the whole table (reachability, no RST
 * for a RST, every user call defined). Documentation/state-machine.rst maps
 * each transition to its case here.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <net/tcp_states.h>

#include "state.h"
#include "suites.h"

#define ACTIVE	false
#define PASSIVE	true

static void expect_t(struct kunit *test, enum xtcp_state s, enum xtcp_event ev,
		     bool passive, enum xtcp_state next, u32 actions, int err)
{
	struct xtcp_transition t = xtcp_state_next(s, ev, passive);

	KUNIT_EXPECT_EQ_MSG(test, t.next, next, "%s%s + %s: next %s",
			    xtcp_state_name(s), passive ? "(passive)" : "",
			    xtcp_event_name(ev), xtcp_state_name(t.next));
	KUNIT_EXPECT_EQ_MSG(test, t.actions, actions, "%s%s + %s: actions",
			    xtcp_state_name(s), passive ? "(passive)" : "",
			    xtcp_event_name(ev));
	KUNIT_EXPECT_EQ_MSG(test, t.err, err, "%s%s + %s: err",
			    xtcp_state_name(s), passive ? "(passive)" : "",
			    xtcp_event_name(ev));
}

/* Feed @n events from @s; returns the final state and ORs the actions. */
static enum xtcp_state run(enum xtcp_state s, bool *passive,
			   const enum xtcp_event *evs, unsigned int n,
			   u32 *acts)
{
	unsigned int i;

	*acts = 0;
	for (i = 0; i < n; i++) {
		struct xtcp_transition t = xtcp_state_next(s, evs[i], *passive);

		*acts |= t.actions;
		if (t.actions & XTCP_ACT_NEW_CHILD)
			*passive = true;
		else if (t.next != XTCP_SYN_RECV)
			*passive = false;
		s = t.next;
	}
	return s;
}

static const enum xtcp_state all_states[] = {
	XTCP_ESTABLISHED, XTCP_SYN_SENT, XTCP_SYN_RECV, XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2, XTCP_TIME_WAIT, XTCP_CLOSE, XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK, XTCP_LISTEN, XTCP_CLOSING,
};

static const enum xtcp_state sync_states[] = {
	XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CLOSE_WAIT,
	XTCP_CLOSING, XTCP_LAST_ACK, XTCP_TIME_WAIT,
};

/*
 * The synchronized states with a socket: TIME-WAIT, a bucket, answers as
 * Linux's tcp_timewait_state_process() does (time_wait_* cases below).
 */
static const enum xtcp_state conn_states[] = {
	XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CLOSE_WAIT,
	XTCP_CLOSING, XTCP_LAST_ACK,
};

/* --- RFC 9293 Figure 5, edge by edge --- */

static void diagram_closed_passive_open_listen(struct kunit *test)
{
	expect_t(test, XTCP_CLOSE, XTCP_EV_LISTEN, ACTIVE, XTCP_LISTEN, 0, 0);
}

static void diagram_closed_active_open_syn_sent(struct kunit *test)
{
	expect_t(test, XTCP_CLOSE, XTCP_EV_CONNECT, ACTIVE, XTCP_SYN_SENT,
		 XTCP_ACT_SYN, 0);
}

static void diagram_listen_close_closed(struct kunit *test)
{
	expect_t(test, XTCP_LISTEN, XTCP_EV_CLOSE, ACTIVE, XTCP_CLOSE, 0, 0);
}

static void diagram_listen_rcv_syn_syn_recv(struct kunit *test)
{
	expect_t(test, XTCP_LISTEN, XTCP_EV_SYN, ACTIVE, XTCP_SYN_RECV,
		 XTCP_ACT_SYNACK | XTCP_ACT_NEW_CHILD, 0);
}

/* The diagram's LISTEN --SEND--> SYN-SENT edge: refused, as Linux does. */
static void diagram_listen_send_refused(struct kunit *test)
{
	expect_t(test, XTCP_LISTEN, XTCP_EV_SEND, ACTIVE, XTCP_LISTEN, 0, -EPIPE);
	expect_t(test, XTCP_LISTEN, XTCP_EV_CONNECT, ACTIVE, XTCP_LISTEN, 0, -EISCONN);
}

static void diagram_syn_recv_rcv_ack_established(struct kunit *test)
{
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_ACK_OF_SYN, PASSIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_CONNECTED, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_ACK_OF_SYN, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_CONNECTED, 0);
}

static void diagram_syn_recv_close_fin_wait1(struct kunit *test)
{
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_CLOSE, PASSIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_CLOSE, ACTIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
}

/* MUST-10: simultaneous open, the SYN-SENT side of it. */
static void diagram_must10_syn_sent_rcv_syn_syn_recv(struct kunit *test)
{
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_SYN, ACTIVE, XTCP_SYN_RECV,
		 XTCP_ACT_SYNACK, 0);
}

static void diagram_syn_sent_rcv_synack_established(struct kunit *test)
{
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_SYN_ACK, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_ACK | XTCP_ACT_CONNECTED, 0);
}

static void diagram_syn_sent_close_closed(struct kunit *test)
{
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_CLOSE, ACTIVE, XTCP_CLOSE, 0, 0);
}

static void diagram_established_close_fin_wait1(struct kunit *test)
{
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_CLOSE, ACTIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
}

static void diagram_established_rcv_fin_close_wait(struct kunit *test)
{
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_FIN, ACTIVE, XTCP_CLOSE_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_EOF, 0);
}

static void diagram_fin_wait1_rcv_ack_fin_wait2(struct kunit *test)
{
	expect_t(test, XTCP_FIN_WAIT1, XTCP_EV_ACK_OF_FIN, ACTIVE, XTCP_FIN_WAIT2, 0, 0);
}

static void diagram_fin_wait1_rcv_fin_closing(struct kunit *test)
{
	expect_t(test, XTCP_FIN_WAIT1, XTCP_EV_FIN, ACTIVE, XTCP_CLOSING,
		 XTCP_ACT_ACK | XTCP_ACT_EOF, 0);
}

static void diagram_fin_wait2_rcv_fin_time_wait(struct kunit *test)
{
	expect_t(test, XTCP_FIN_WAIT2, XTCP_EV_FIN, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_EOF | XTCP_ACT_TW_TIMER, 0);
}

static void diagram_closing_rcv_ack_time_wait(struct kunit *test)
{
	expect_t(test, XTCP_CLOSING, XTCP_EV_ACK_OF_FIN, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_TW_TIMER, 0);
}

/* MUST-13: TIME-WAIT ends when its 2 MSL timer does. */
static void diagram_must13_time_wait_2msl_closed(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_TIMEWAIT_EXPIRED, ACTIVE, XTCP_CLOSE,
		 0, 0);
}

static void diagram_close_wait_close_last_ack(struct kunit *test)
{
	expect_t(test, XTCP_CLOSE_WAIT, XTCP_EV_CLOSE, ACTIVE, XTCP_LAST_ACK,
		 XTCP_ACT_FIN, 0);
}

static void diagram_last_ack_rcv_ack_closed(struct kunit *test)
{
	expect_t(test, XTCP_LAST_ACK, XTCP_EV_ACK_OF_FIN, ACTIVE, XTCP_CLOSE, 0, 0);
}

/* --- scenarios --- */

/* MUST-10: both ends connect at once; the crossing SYN+ACK or an ACK completes. */
static void must10_simultaneous_open(struct kunit *test)
{
	static const enum xtcp_event by_synack[] = {
		XTCP_EV_CONNECT, XTCP_EV_SYN, XTCP_EV_SYN_ACK,
	};
	static const enum xtcp_event by_ack[] = {
		XTCP_EV_CONNECT, XTCP_EV_SYN, XTCP_EV_ACK_OF_SYN,
	};
	bool passive = false;
	u32 acts;

	KUNIT_EXPECT_EQ(test, run(XTCP_CLOSE, &passive, by_synack, 3, &acts),
			XTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, acts, XTCP_ACT_SYN | XTCP_ACT_SYNACK | XTCP_ACT_ACK |
			XTCP_ACT_CONNECTED);
	KUNIT_EXPECT_FALSE(test, passive);
	KUNIT_EXPECT_EQ(test, run(XTCP_CLOSE, &passive, by_ack, 3, &acts),
			XTCP_ESTABLISHED);
}

/* Both ends close at once: FIN-WAIT-1 -> CLOSING -> TIME-WAIT -> CLOSED. */
static void simultaneous_close(struct kunit *test)
{
	static const enum xtcp_event evs[] = {
		XTCP_EV_CLOSE, XTCP_EV_FIN, XTCP_EV_ACK_OF_FIN,
		XTCP_EV_TIMEWAIT_EXPIRED,
	};
	bool passive = false;
	u32 acts;

	KUNIT_EXPECT_EQ(test, run(XTCP_ESTABLISHED, &passive, evs, 2, &acts),
			XTCP_CLOSING);
	KUNIT_EXPECT_EQ(test, run(XTCP_ESTABLISHED, &passive, evs, 3, &acts),
			XTCP_TIME_WAIT);
	KUNIT_EXPECT_TRUE(test, acts & XTCP_ACT_TW_TIMER);
	KUNIT_EXPECT_EQ(test, run(XTCP_ESTABLISHED, &passive, evs, 4, &acts),
			XTCP_CLOSE);
}

/* A FIN that also acknowledges our FIN goes straight to TIME-WAIT. */
static void fin_ack_in_fin_wait1_time_wait(struct kunit *test)
{
	expect_t(test, XTCP_FIN_WAIT1, XTCP_EV_FIN_ACK, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_EOF | XTCP_ACT_TW_TIMER, 0);
}

/* FIN_ACK is the same as ACK_OF_FIN then FIN, wherever the TCB survives. */
static void fin_ack_equals_ack_then_fin(struct kunit *test)
{
	static const enum xtcp_state states[] = {
		XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CLOSING, XTCP_TIME_WAIT,
	};
	static const enum xtcp_event two[] = { XTCP_EV_ACK_OF_FIN, XTCP_EV_FIN };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		struct xtcp_transition one =
			xtcp_state_next(states[i], XTCP_EV_FIN_ACK, false);
		bool passive = false;
		u32 acts;

		KUNIT_EXPECT_EQ_MSG(test, run(states[i], &passive, two, 2, &acts),
				    one.next, "from %s", xtcp_state_name(states[i]));
		KUNIT_EXPECT_EQ_MSG(test, acts, one.actions, "from %s",
				    xtcp_state_name(states[i]));
	}
	/* LAST-ACK: the ACK deletes the TCB, so the pair is one event */
	expect_t(test, XTCP_LAST_ACK, XTCP_EV_FIN_ACK, ACTIVE, XTCP_CLOSE, 0, 0);
}

/*
 * Half-close: data still flows to the side that sent its FIN, and out of the
 * side that received one.
 */
static void half_close_data_flows(struct kunit *test)
{
	expect_t(test, XTCP_FIN_WAIT2, XTCP_EV_DATA, ACTIVE, XTCP_FIN_WAIT2,
		 XTCP_ACT_DELIVER | XTCP_ACT_ACK, 0);
	expect_t(test, XTCP_FIN_WAIT1, XTCP_EV_DATA, ACTIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_DELIVER | XTCP_ACT_ACK, 0);
	expect_t(test, XTCP_CLOSE_WAIT, XTCP_EV_SEND, ACTIVE, XTCP_CLOSE_WAIT,
		 XTCP_ACT_XMIT, 0);
	expect_t(test, XTCP_CLOSE_WAIT, XTCP_EV_DATA, ACTIVE, XTCP_CLOSE_WAIT, 0, 0);
	expect_t(test, XTCP_FIN_WAIT2, XTCP_EV_SEND, ACTIVE, XTCP_FIN_WAIT2, 0, -EPIPE);
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_SHUTDOWN, ACTIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
	expect_t(test, XTCP_CLOSE_WAIT, XTCP_EV_SHUTDOWN, ACTIVE, XTCP_LAST_ACK,
		 XTCP_ACT_FIN, 0);
}

/* MUST-11: SYN-RECV from LISTEN returns to LISTEN on RST, quietly. */
static void must11_syn_recv_passive_rst_to_listen(struct kunit *test)
{
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_RST, PASSIVE, XTCP_LISTEN,
		 XTCP_ACT_DROP_CHILD, 0);
	/* an in-window SYN is reset as well (tcp_check_req()) */
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SYN, PASSIVE, XTCP_LISTEN,
		 XTCP_ACT_DROP_CHILD | XTCP_ACT_RST, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_USER_TIMEOUT, PASSIVE, XTCP_LISTEN,
		 XTCP_ACT_DROP_CHILD, 0);
}

/* MUST-11: SYN-RECV from SYN-SENT is refused on RST. */
static void must11_syn_recv_active_rst_refused(struct kunit *test)
{
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_RST, ACTIVE, XTCP_CLOSE,
		 XTCP_ACT_ABORTED, -ECONNREFUSED);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SYN, ACTIVE, XTCP_SYN_RECV,
		 XTCP_ACT_CHALLENGE, 0);
}

/* SYN-SENT: RST only with an acceptable ACK: refused. */
static void rst_syn_sent_acceptable_ack_refused(struct kunit *test)
{
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_RST, ACTIVE, XTCP_CLOSE,
		 XTCP_ACT_ABORTED, -ECONNREFUSED);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_RST_INEXACT, ACTIVE, XTCP_SYN_SENT, 0, 0);
}

static void rst_listen_ignored(struct kunit *test)
{
	expect_t(test, XTCP_LISTEN, XTCP_EV_RST, ACTIVE, XTCP_LISTEN, 0, 0);
	expect_t(test, XTCP_LISTEN, XTCP_EV_RST_INEXACT, ACTIVE, XTCP_LISTEN, 0, 0);
}

/* An acceptable RST in every state, errno as Linux tcp_reset() reports it. */
static void rst_in_each_state(struct kunit *test)
{
	static const struct {
		enum xtcp_state s;
		bool passive;
		enum xtcp_state next;
		u32 acts;
		int err;
	} c[] = {
		{ XTCP_CLOSE, 0, XTCP_CLOSE, 0, 0 },
		{ XTCP_LISTEN, 0, XTCP_LISTEN, 0, 0 },
		{ XTCP_SYN_SENT, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNREFUSED },
		{ XTCP_SYN_RECV, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNREFUSED },
		{ XTCP_SYN_RECV, 1, XTCP_LISTEN, XTCP_ACT_DROP_CHILD, 0 },
		{ XTCP_ESTABLISHED, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNRESET },
		{ XTCP_FIN_WAIT1, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNRESET },
		{ XTCP_FIN_WAIT2, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNRESET },
		{ XTCP_CLOSE_WAIT, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -EPIPE },
		{ XTCP_CLOSING, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNRESET },
		{ XTCP_LAST_ACK, 0, XTCP_CLOSE, XTCP_ACT_ABORTED, -ECONNRESET },
		{ XTCP_TIME_WAIT, 0, XTCP_CLOSE, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		expect_t(test, c[i].s, XTCP_EV_RST, c[i].passive, c[i].next,
			 c[i].acts, c[i].err);
}

/* RFC 5961 §3.2: an in-window, inexact RST earns a challenge ACK, no reset. */
static void rst_inexact_challenge_ack(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(conn_states); i++)
		expect_t(test, conn_states[i], XTCP_EV_RST_INEXACT, ACTIVE,
			 conn_states[i], XTCP_ACT_CHALLENGE, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_RST_INEXACT, PASSIVE, XTCP_SYN_RECV,
		 XTCP_ACT_CHALLENGE, 0);
}

/* RFC 9293 §3.10.7: a RST is never answered with a RST, in any state. */
static void rst_never_answered_with_rst(struct kunit *test)
{
	unsigned int i, p;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		for (p = 0; p <= 1; p++) {
			struct xtcp_transition a =
				xtcp_state_next(all_states[i], XTCP_EV_RST, p);
			struct xtcp_transition b =
				xtcp_state_next(all_states[i], XTCP_EV_RST_INEXACT, p);

			KUNIT_EXPECT_FALSE(test, a.actions & XTCP_ACT_RST);
			KUNIT_EXPECT_FALSE(test, b.actions & XTCP_ACT_RST);
		}
}

/*
 * RFC 5961 §4: any SYN in a synchronized state -> challenge ACK, no reset;
 * TIME-WAIT's bucket answers with its own ACK instead (time_wait_syn_*).
 */
static void syn_in_synchronized_state_challenge_ack(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sync_states); i++)
		KUNIT_EXPECT_TRUE(test, xtcp_state_synchronized(sync_states[i]));
	for (i = 0; i < ARRAY_SIZE(conn_states); i++) {
		expect_t(test, conn_states[i], XTCP_EV_SYN, ACTIVE, conn_states[i],
			 XTCP_ACT_CHALLENGE, 0);
		expect_t(test, conn_states[i], XTCP_EV_SYN_ACK, ACTIVE, conn_states[i],
			 XTCP_ACT_CHALLENGE, 0);
	}
	KUNIT_EXPECT_FALSE(test, xtcp_state_synchronized(XTCP_SYN_RECV));
	KUNIT_EXPECT_FALSE(test, xtcp_state_synchronized(XTCP_LISTEN));
}

/*
 * RFC 6191: TIME-WAIT yields to a SYN that is newer; another SYN gets an ACK
 * (Linux: no challenge ACK, and 2 MSL not restarted), a SYN+ACK an ACK and
 * 2 MSL again.
 */
static void time_wait_syn_newer_reopens(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_SYN_NEWER, ACTIVE, XTCP_CLOSE,
		 XTCP_ACT_REOPEN, 0);
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_SYN, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK, 0);
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_SYN_ACK, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_TW_TIMER, 0);
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_SYN_NEWER, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_CHALLENGE, 0);
}

/* Outside TIME-WAIT, a SYN that RFC 6191 would call newer is just a SYN. */
static void syn_newer_is_syn_outside_time_wait(struct kunit *test)
{
	unsigned int i, p;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		for (p = 0; p <= 1; p++) {
			struct xtcp_transition a, b;

			if (all_states[i] == XTCP_TIME_WAIT)
				continue;
			a = xtcp_state_next(all_states[i], XTCP_EV_SYN, p);
			b = xtcp_state_next(all_states[i], XTCP_EV_SYN_NEWER, p);
			KUNIT_EXPECT_EQ_MSG(test, a.next, b.next, "%s",
					    xtcp_state_name(all_states[i]));
			KUNIT_EXPECT_EQ_MSG(test, a.actions, b.actions, "%s",
					    xtcp_state_name(all_states[i]));
			KUNIT_EXPECT_EQ(test, a.err, b.err);
		}
}

/* SYN-RECV: a SYN+ACK acknowledging our SYN completes, whatever the origin. */
static void syn_recv_crossing_synack_established(struct kunit *test)
{
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SYN_ACK, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_ACK | XTCP_ACT_CONNECTED, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SYN_ACK, PASSIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_ACK | XTCP_ACT_CONNECTED, 0);
}

/*
 * TIME-WAIT: a retransmitted FIN is ACKed again and restarts 2 MSL; so does
 * any out-of-window segment with the ACK bit, or a PAWS reject (Linux).
 */
static void time_wait_fin_acked_timer_restarted(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_FIN, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_TW_TIMER, 0);
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_UNACCEPTABLE, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK | XTCP_ACT_TW_TIMER, 0);
}

/* TIME-WAIT: the in-window bare ACK restarts 2 MSL, unanswered (Linux). */
static void time_wait_bare_ack_restarts_timer(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_ACK, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_TW_TIMER, 0);
}

/* TIME-WAIT: the ACK bit off: answered, 2 MSL not restarted (Linux). */
static void time_wait_no_ack_bit_acked(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_BAD_ACK, ACTIVE, XTCP_TIME_WAIT,
		 XTCP_ACT_ACK, 0);
}

/*
 * TIME-WAIT: a RST at RCV.NXT ends it; an inexact one is ignored, no
 * challenge ACK (Linux); 2 MSL run out ends it too (MUST-13).
 */
static void time_wait_rst_exact_ends_inexact_ignored(struct kunit *test)
{
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_RST, ACTIVE, XTCP_CLOSE, 0, 0);
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_RST_INEXACT, ACTIVE,
		 XTCP_TIME_WAIT, 0, 0);
	expect_t(test, XTCP_TIME_WAIT, XTCP_EV_TIMEWAIT_EXPIRED, ACTIVE,
		 XTCP_CLOSE, 0, 0);
}

/*
 * SEND: data goes in ESTABLISHED and CLOSE-WAIT, waits for the handshake in
 * SYN-SENT and SYN-RECV (sendmsg() waits, as Linux's sk_stream_wait_connect()),
 * and fails with EPIPE everywhere else, CLOSED and LISTEN too (Linux).
 */
static void send_decided_by_state(struct kunit *test)
{
	static const enum xtcp_state epipe[] = {
		XTCP_CLOSE, XTCP_LISTEN, XTCP_FIN_WAIT1, XTCP_FIN_WAIT2,
		XTCP_CLOSING, XTCP_LAST_ACK, XTCP_TIME_WAIT,
	};
	unsigned int i;

	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_SEND, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_XMIT, 0);
	expect_t(test, XTCP_CLOSE_WAIT, XTCP_EV_SEND, ACTIVE, XTCP_CLOSE_WAIT,
		 XTCP_ACT_XMIT, 0);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_SEND, ACTIVE, XTCP_SYN_SENT,
		 XTCP_ACT_QUEUE, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SEND, ACTIVE, XTCP_SYN_RECV,
		 XTCP_ACT_QUEUE, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SEND, PASSIVE, XTCP_SYN_RECV,
		 XTCP_ACT_QUEUE, 0);
	for (i = 0; i < ARRAY_SIZE(epipe); i++)
		expect_t(test, epipe[i], XTCP_EV_SEND, ACTIVE, epipe[i], 0, -EPIPE);
}

/* LISTEN: anything with an ACK gets a RST; SYN-SENT: a bad ACK gets a RST. */
static void ack_in_listen_and_bad_ack_in_syn_sent_reset(struct kunit *test)
{
	expect_t(test, XTCP_LISTEN, XTCP_EV_ACK, ACTIVE, XTCP_LISTEN, XTCP_ACT_RST, 0);
	expect_t(test, XTCP_LISTEN, XTCP_EV_SYN_ACK, ACTIVE, XTCP_LISTEN, XTCP_ACT_RST, 0);
	expect_t(test, XTCP_LISTEN, XTCP_EV_FIN, ACTIVE, XTCP_LISTEN, XTCP_ACT_RST, 0);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_BAD_ACK, ACTIVE, XTCP_SYN_SENT,
		 XTCP_ACT_RST, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_BAD_ACK, PASSIVE, XTCP_SYN_RECV,
		 XTCP_ACT_RST, 0);
	/* RFC 5961 §5.2: synchronized states challenge an unacceptable ACK */
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_BAD_ACK, ACTIVE, XTCP_ESTABLISHED,
		 XTCP_ACT_CHALLENGE, 0);
}

/* SYN-SENT: an ACK without SYN or RST is dropped. */
static void syn_sent_ack_without_syn_dropped(struct kunit *test)
{
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_ACK_OF_SYN, ACTIVE, XTCP_SYN_SENT, 0, 0);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_DATA, ACTIVE, XTCP_SYN_SENT, 0, 0);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_FIN, ACTIVE, XTCP_SYN_SENT, 0, 0);
}

/* Out-of-window segments are ACKed; in SYN-RECV our SYN+ACK is repeated. */
static void unacceptable_segment_acked(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(conn_states); i++)
		expect_t(test, conn_states[i], XTCP_EV_UNACCEPTABLE, ACTIVE,
			 conn_states[i], XTCP_ACT_ACK, 0);
	/*
	 * a request answers with an ACK (tcp_check_req()); its SYN again,
	 * request.c answers before the table
	 */
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_UNACCEPTABLE, PASSIVE, XTCP_SYN_RECV,
		 XTCP_ACT_ACK, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_UNACCEPTABLE, ACTIVE, XTCP_SYN_RECV,
		 XTCP_ACT_SYNACK, 0);
}

/* MUST-12: "closed" by a FIN and "aborted" by a RST are told apart. */
static void must12_eof_distinct_from_reset(struct kunit *test)
{
	unsigned int i, e;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		for (e = XTCP_EV_FIRST_SEGMENT; e < XTCP_EV_MAX; e++) {
			struct xtcp_transition t =
				xtcp_state_next(all_states[i], e, false);

			/* never both, and an abort always carries its errno */
			KUNIT_EXPECT_FALSE(test, (t.actions & XTCP_ACT_EOF) &&
					   (t.actions & XTCP_ACT_ABORTED));
			KUNIT_EXPECT_EQ(test, !!(t.actions & XTCP_ACT_ABORTED),
					t.err != 0);
		}
	KUNIT_EXPECT_TRUE(test, xtcp_state_next(XTCP_ESTABLISHED, XTCP_EV_FIN,
						false).actions & XTCP_ACT_EOF);
	KUNIT_EXPECT_TRUE(test, xtcp_state_next(XTCP_ESTABLISHED, XTCP_EV_RST,
						false).actions & XTCP_ACT_ABORTED);
}

/* ABORT sends a RST exactly where the peer may still hold state to reset. */
static void abort_resets_where_synchronized(struct kunit *test)
{
	static const enum xtcp_state rst[] = {
		XTCP_SYN_RECV, XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_FIN_WAIT2,
		XTCP_CLOSE_WAIT,
	};
	static const enum xtcp_state quiet[] = {
		XTCP_CLOSE, XTCP_LISTEN, XTCP_SYN_SENT, XTCP_CLOSING,
		XTCP_LAST_ACK, XTCP_TIME_WAIT,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rst); i++)
		expect_t(test, rst[i], XTCP_EV_ABORT, ACTIVE, XTCP_CLOSE, XTCP_ACT_RST, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_ABORT, PASSIVE, XTCP_CLOSE, XTCP_ACT_RST, 0);
	for (i = 0; i < ARRAY_SIZE(quiet); i++)
		expect_t(test, quiet[i], XTCP_EV_ABORT, ACTIVE, XTCP_CLOSE, 0, 0);
}

/* MUST-20: giving up on retransmission aborts with ETIMEDOUT. */
static void must20_user_timeout_aborts(struct kunit *test)
{
	static const enum xtcp_state s[] = {
		XTCP_SYN_SENT, XTCP_SYN_RECV, XTCP_ESTABLISHED, XTCP_FIN_WAIT1,
		XTCP_FIN_WAIT2, XTCP_CLOSE_WAIT, XTCP_CLOSING, XTCP_LAST_ACK,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		expect_t(test, s[i], XTCP_EV_USER_TIMEOUT, ACTIVE, XTCP_CLOSE,
			 XTCP_ACT_ABORTED, -ETIMEDOUT);
}

/* User calls refused with the errnos the kernel's TCP returns. */
static void user_call_errnos(struct kunit *test)
{
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_CONNECT, ACTIVE, XTCP_ESTABLISHED,
		 0, -EISCONN);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_CONNECT, ACTIVE, XTCP_SYN_SENT, 0,
		 -EALREADY);
	expect_t(test, XTCP_ESTABLISHED, XTCP_EV_LISTEN, ACTIVE, XTCP_ESTABLISHED,
		 0, -EINVAL);
	expect_t(test, XTCP_CLOSE, XTCP_EV_SEND, ACTIVE, XTCP_CLOSE, 0, -EPIPE);
	expect_t(test, XTCP_CLOSE, XTCP_EV_SHUTDOWN, ACTIVE, XTCP_CLOSE, 0, -ENOTCONN);
	expect_t(test, XTCP_LAST_ACK, XTCP_EV_SEND, ACTIVE, XTCP_LAST_ACK, 0, -EPIPE);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_SEND, ACTIVE, XTCP_SYN_SENT,
		 XTCP_ACT_QUEUE, 0);
	expect_t(test, XTCP_LISTEN, XTCP_EV_LISTEN, ACTIVE, XTCP_LISTEN, 0, 0);
	expect_t(test, XTCP_SYN_SENT, XTCP_EV_SHUTDOWN, ACTIVE, XTCP_CLOSE, 0, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SHUTDOWN, ACTIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
	expect_t(test, XTCP_SYN_RECV, XTCP_EV_SHUTDOWN, PASSIVE, XTCP_FIN_WAIT1,
		 XTCP_ACT_FIN, 0);
}

/* Every state is reachable from CLOSED (BFS over the table), SYN-RECV both ways. */
static void every_state_reachable_from_closed(struct kunit *test)
{
	bool seen[XTCP_STATE_MAX + 1][2] = { };
	u8 queue[2 * (XTCP_STATE_MAX + 1)];
	unsigned int head = 0, tail = 0, i;
	enum xtcp_event e;

	seen[XTCP_CLOSE][0] = true;
	queue[tail++] = XTCP_CLOSE * 2;
	while (head < tail) {
		enum xtcp_state s = queue[head] / 2;
		bool passive = queue[head++] & 1;

		for (e = 0; e < XTCP_EV_MAX; e++) {
			struct xtcp_transition t = xtcp_state_next(s, e, passive);
			bool np = (t.actions & XTCP_ACT_NEW_CHILD) ||
				  (passive && t.next == XTCP_SYN_RECV);

			KUNIT_ASSERT_GE(test, (int)t.next, 1);
			KUNIT_ASSERT_LE(test, (int)t.next, XTCP_STATE_MAX);
			if (seen[t.next][np])
				continue;
			seen[t.next][np] = true;
			queue[tail++] = t.next * 2 + np;
		}
	}
	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		KUNIT_EXPECT_TRUE_MSG(test, seen[all_states[i]][0] ||
				      seen[all_states[i]][1], "%s unreachable",
				      xtcp_state_name(all_states[i]));
	KUNIT_EXPECT_TRUE(test, seen[XTCP_SYN_RECV][0]);
	KUNIT_EXPECT_TRUE(test, seen[XTCP_SYN_RECV][1]);
}

/* And CLOSED is reachable from every state: no state is a trap. */
static void closed_reachable_from_every_state(struct kunit *test)
{
	unsigned int i, p;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		for (p = 0; p <= 1; p++) {
			bool seen[XTCP_STATE_MAX + 1] = { };
			u8 queue[XTCP_STATE_MAX + 1];
			unsigned int head = 0, tail = 0;
			enum xtcp_event e;

			seen[all_states[i]] = true;
			queue[tail++] = all_states[i];
			while (head < tail) {
				enum xtcp_state s = queue[head++];

				for (e = 0; e < XTCP_EV_MAX; e++) {
					enum xtcp_state n = xtcp_state_next(s, e, p).next;

					if (!seen[n]) {
						seen[n] = true;
						queue[tail++] = n;
					}
				}
			}
			KUNIT_EXPECT_TRUE_MSG(test, seen[XTCP_CLOSE], "trapped in %s",
					      xtcp_state_name(all_states[i]));
		}
}

/* The table: every user call defined in every state; bad input refused. */
static void table_complete_and_guarded(struct kunit *test)
{
	unsigned int i, p;
	enum xtcp_event e;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		for (p = 0; p <= 1; p++)
			for (e = 0; e < XTCP_EV_FIRST_SEGMENT; e++)
				KUNIT_EXPECT_NE_MSG(test,
						    xtcp_state_next(all_states[i], e, p).err,
						    -EOPNOTSUPP, "%s + %s undefined",
						    xtcp_state_name(all_states[i]),
						    xtcp_event_name(e));
	KUNIT_EXPECT_EQ(test, xtcp_state_next(0, XTCP_EV_CLOSE, false).err, -EINVAL);
	KUNIT_EXPECT_EQ(test, xtcp_state_next(12, XTCP_EV_CLOSE, false).err, -EINVAL);
	KUNIT_EXPECT_EQ(test, xtcp_state_next(XTCP_CLOSE, XTCP_EV_MAX, false).err,
			-EINVAL);
	KUNIT_EXPECT_EQ(test, (int)xtcp_state_next(12, XTCP_EV_CLOSE, false).next, 12);
}

/* The numbering is the kernel's (and /proc/net/tcp's). */
static void state_numbers_match_linux(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, XTCP_ESTABLISHED, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, XTCP_SYN_SENT, TCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, XTCP_SYN_RECV, TCP_SYN_RECV);
	KUNIT_EXPECT_EQ(test, XTCP_FIN_WAIT1, TCP_FIN_WAIT1);
	KUNIT_EXPECT_EQ(test, XTCP_FIN_WAIT2, TCP_FIN_WAIT2);
	KUNIT_EXPECT_EQ(test, XTCP_TIME_WAIT, TCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSE, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSE_WAIT, TCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, XTCP_LAST_ACK, TCP_LAST_ACK);
	KUNIT_EXPECT_EQ(test, XTCP_LISTEN, TCP_LISTEN);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSING, TCP_CLOSING);
}

/* Names as netstat prints them. */
static void state_names_as_netstat(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_ESTABLISHED), "ESTABLISHED");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_SYN_SENT), "SYN_SENT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_SYN_RECV), "SYN_RECV");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_FIN_WAIT1), "FIN_WAIT1");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_FIN_WAIT2), "FIN_WAIT2");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_TIME_WAIT), "TIME_WAIT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_CLOSE), "CLOSE");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_CLOSE_WAIT), "CLOSE_WAIT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_LAST_ACK), "LAST_ACK");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_LISTEN), "LISTEN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(XTCP_CLOSING), "CLOSING");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(0), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(12), "UNKNOWN");
}

static void event_and_action_names_complete(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < XTCP_EV_MAX; i++) {
		KUNIT_ASSERT_NOT_NULL(test, xtcp_event_name(i));
		KUNIT_EXPECT_STRNEQ(test, xtcp_event_name(i), "unknown");
	}
	for (i = 0; i < XTCP_ACT_COUNT; i++) {
		KUNIT_ASSERT_NOT_NULL(test, xtcp_action_name(i));
		KUNIT_EXPECT_STRNEQ(test, xtcp_action_name(i), "unknown");
	}
	KUNIT_EXPECT_STREQ(test, xtcp_action_name(3), "challenge");
	KUNIT_EXPECT_EQ(test, XTCP_ACT_CHALLENGE, BIT(3));
	KUNIT_EXPECT_STREQ(test, xtcp_action_name(XTCP_ACT_COUNT), "unknown");
}

static struct kunit_case state_cases[] = {
	KUNIT_CASE(diagram_closed_passive_open_listen),
	KUNIT_CASE(diagram_closed_active_open_syn_sent),
	KUNIT_CASE(diagram_listen_close_closed),
	KUNIT_CASE(diagram_listen_rcv_syn_syn_recv),
	KUNIT_CASE(diagram_listen_send_refused),
	KUNIT_CASE(diagram_syn_recv_rcv_ack_established),
	KUNIT_CASE(diagram_syn_recv_close_fin_wait1),
	KUNIT_CASE(diagram_must10_syn_sent_rcv_syn_syn_recv),
	KUNIT_CASE(diagram_syn_sent_rcv_synack_established),
	KUNIT_CASE(diagram_syn_sent_close_closed),
	KUNIT_CASE(diagram_established_close_fin_wait1),
	KUNIT_CASE(diagram_established_rcv_fin_close_wait),
	KUNIT_CASE(diagram_fin_wait1_rcv_ack_fin_wait2),
	KUNIT_CASE(diagram_fin_wait1_rcv_fin_closing),
	KUNIT_CASE(diagram_fin_wait2_rcv_fin_time_wait),
	KUNIT_CASE(diagram_closing_rcv_ack_time_wait),
	KUNIT_CASE(diagram_must13_time_wait_2msl_closed),
	KUNIT_CASE(diagram_close_wait_close_last_ack),
	KUNIT_CASE(diagram_last_ack_rcv_ack_closed),
	KUNIT_CASE(must10_simultaneous_open),
	KUNIT_CASE(simultaneous_close),
	KUNIT_CASE(fin_ack_in_fin_wait1_time_wait),
	KUNIT_CASE(fin_ack_equals_ack_then_fin),
	KUNIT_CASE(half_close_data_flows),
	KUNIT_CASE(must11_syn_recv_passive_rst_to_listen),
	KUNIT_CASE(must11_syn_recv_active_rst_refused),
	KUNIT_CASE(rst_syn_sent_acceptable_ack_refused),
	KUNIT_CASE(rst_listen_ignored),
	KUNIT_CASE(rst_in_each_state),
	KUNIT_CASE(rst_inexact_challenge_ack),
	KUNIT_CASE(rst_never_answered_with_rst),
	KUNIT_CASE(syn_in_synchronized_state_challenge_ack),
	KUNIT_CASE(time_wait_syn_newer_reopens),
	KUNIT_CASE(syn_newer_is_syn_outside_time_wait),
	KUNIT_CASE(syn_recv_crossing_synack_established),
	KUNIT_CASE(time_wait_fin_acked_timer_restarted),
	KUNIT_CASE(time_wait_bare_ack_restarts_timer),
	KUNIT_CASE(time_wait_no_ack_bit_acked),
	KUNIT_CASE(time_wait_rst_exact_ends_inexact_ignored),
	KUNIT_CASE(send_decided_by_state),
	KUNIT_CASE(ack_in_listen_and_bad_ack_in_syn_sent_reset),
	KUNIT_CASE(syn_sent_ack_without_syn_dropped),
	KUNIT_CASE(unacceptable_segment_acked),
	KUNIT_CASE(must12_eof_distinct_from_reset),
	KUNIT_CASE(abort_resets_where_synchronized),
	KUNIT_CASE(must20_user_timeout_aborts),
	KUNIT_CASE(user_call_errnos),
	KUNIT_CASE(every_state_reachable_from_closed),
	KUNIT_CASE(closed_reachable_from_every_state),
	KUNIT_CASE(table_complete_and_guarded),
	KUNIT_CASE(state_numbers_match_linux),
	KUNIT_CASE(state_names_as_netstat),
	KUNIT_CASE(event_and_action_names_complete),
	{}
};

static struct kunit_suite state_suite = {
	.name = "xtcp_state",
	.test_cases = state_cases,
};
XTCP_KUNIT_SUITES(state, &state_suite);
