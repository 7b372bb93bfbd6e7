/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: module-wide declarations shared by the socket glue and its subsystems:
 * struct xtcp_sock, the per-namespace struct xtcp_net and its counters. Each
 * file's functions are declared in its own header (output.h, timer.h, ...).
 * Protocol logic (seq.h, parse.h, state.h, ...) does not include this file.
 *
 * Locking, as in the kernel's TCP:
 *  - A connection's state is under its socket lock: the owner lock taken by
 *    lock_sock() in process context, or bh_lock_sock() in softirq when the
 *    socket is not owned by a user (segments for an owned socket go to its
 *    backlog; timer work for one is deferred to release_cb). Functions that need
 *    it say so with xtcp_sock_assert_locked().
 *  - A listener's queues (syn_queue of requests, accept_queue of children) are
 *    under its accept_lock (a _bh spinlock); nothing is transmitted while
 *    holding it, and the connection table's chain locks nest inside it.
 *  - The hash tables (hash.c) have per-chain _bh spinlocks for writers, RCU for
 *    readers; every xtcp socket is SOCK_RCU_FREE so that a reader may take a
 *    reference with refcount_inc_not_zero().
 *
 * References on a socket: the user's (its struct socket, or for a child not yet
 * accepted, the listener's queue), one while hashed, one while its timer is
 * queued or its callback may run (timer_ref, timer.c). Skbs in flight hold
 * sk_wmem_alloc, not the refcount.
 */
#ifndef _XTCP_XTCP_H
#define _XTCP_XTCP_H

#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "chrono.h"
#include "compat.h"
#include "cong.h"
#include "isn.h"
#include "protocol.h"
#include "ofo.h"
#include "ratelimit.h"
#include "rate.h"
#include "rtt.h"
#include "skb_cb.h"
#include "timewait.h"
#include "xtcp_trace.h"

struct xtcp_port;
struct nf_hook_state;
struct seq_file;


/* The reasons the socket's timer is set, each with its own deadline (timer.c). */
enum xtcp_timer_event {
	/* SYN, SYN+ACK, data or FIN unacknowledged; a closed window's probe */
	XTCP_TIMER_RETRANS,
	XTCP_TIMER_DELACK,	/* a delayed ACK is owed */
	XTCP_TIMER_KEEPALIVE,	/* SO_KEEPALIVE: probe an idle peer */
	XTCP_TIMER_FIN_WAIT2,	/* an orphan waits for the peer's FIN */
	XTCP_TIMER_SACK,	/* compressed SACKs: the ACK that ends them */
	/*
	 * a tail loss probe (RFC 8985 §7): instead of XTCP_TIMER_RETRANS,
	 * never beside it, as ICSK_TIME_LOSS_PROBE takes icsk_pending
	 */
	XTCP_TIMER_LOSS_PROBE,
	/*
	 * RACK's reordering window ran out (RFC 8985 §6.3): instead of the
	 * two above, as ICSK_TIME_REO_TIMEOUT takes icsk_pending
	 */
	XTCP_TIMER_REO,
	XTCP_TIMER_MAX,
};

/* Where loss recovery is (xs->ca_state), numbered as TCP_CA_* for TCP_INFO. */
enum xtcp_ca_state {
	XTCP_CA_OPEN = 0,
	XTCP_CA_DISORDER = 1,	/* segments SACKed, lost or sent again, no reduction */
	XTCP_CA_CWR = 2,	/* the window falls for an ECN echo (ecn.c) */
	XTCP_CA_RECOVERY = 3,	/* fast recovery after duplicate ACKs or SACKs */
	XTCP_CA_LOSS = 4,	/* after a retransmission time-out */
};

/* Work a softirq could not do because the user owned the socket. */
#define XTCP_DEFER_TIMER	0
#define XTCP_DEFER_MTU		1	/* an ICMP message lowered the path MTU */
#define XTCP_DEFER_TSQ		2	/* TCP small queues: room below (output.c) */
/*
 * TCP small queues (output.c), in the same word, as Linux keeps TSQ_THROTTLED
 * and TSQ_QUEUED beside its deferred bits in sk_tsq_flags: write_xmit()
 * stopped at the limit of bytes below the socket; xtcp_wfree() put the socket
 * on a CPU's list for its tasklet.
 */
#define XTCP_TSQ_THROTTLED	3
#define XTCP_TSQ_QUEUED		4

/*
 * What differs between the IP versions a connection may run on
 * (Documentation/design-ipv6.rst), as Linux's icsk_af_ops: a socket's
 * xs->af, set at its birth (xtcp_sk_alloc()). Only IPv4 yet: xtcp_ipv4_ops
 * (output.c). What has no socket (a request's segments, a RST, a TIME_WAIT
 * bucket's ACK) goes by its addresses' family instead (struct xtcp_addrs).
 */
struct xtcp_af_ops {
	sa_family_t family;		/* AF_INET or AF_INET6 */
	u16 net_header_len;		/* the IP header, without options */
	int gso_type;			/* SKB_GSO_TCPV4: into sk->sk_gso_type */
	/* a segment out, skb->cb cleared: ip_queue_xmit() */
	int (*queue_xmit)(struct sock *sk, struct sk_buff *skb);
	/* the pseudo-header's sum, CHECKSUM_PARTIAL (__tcp_v4_send_check()) */
	void (*send_check)(struct sock *sk, struct sk_buff *skb);
	/* the path MTU fell to xs->mtu_info (tcp_v4_mtu_reduced()) */
	void (*mtu_reduced)(struct sock *sk);
	/* the MSS option of our SYN or SYN+ACK, from the route */
	u16 (*route_mss)(struct sock *sk);
};

/*
 * An xtcp socket. struct inet_sock must stay first: ip_queue_xmit() and the
 * inet_sk() helpers treat the sock as one. The state is sk->sk_state, in the
 * kernel's TCP numbering (enum xtcp_state).
 */
struct xtcp_sock {
	struct inet_sock inet;
	const struct xtcp_af_ops *af;	/* the IP version it runs on */

	/*
	 * The connection, under the socket lock (xtcp_sock_assert_locked()),
	 * written by the packet path (input.c, output.c, recovery.c, timer.c)
	 * and by the socket calls that hold the lock. Fields that poll(),
	 * ioctl() or /proc read without the lock are written with
	 * WRITE_ONCE() and read there with READ_ONCE(): rcv_nxt, copied_seq,
	 * snd_una, write_seq, urg_data, urg_seq, retries, rto_ms,
	 * timer_pending, timer_due.
	 */

	/* send sequence space (RFC 9293 §3.3.1) */
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;		/* scaled */
	u32 max_snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 write_seq;		/* end of what the user has queued */
	u32 pushed_seq;		/* write_seq when PSH was last marked */
	u32 goal_seq;		/* where the size-goal skb being filled began */
	/* receive sequence space */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wnd;		/* last advertised, scaled */
	u32 rcv_wup;		/* rcv_nxt when rcv_wnd was advertised */
	u32 rcv_ssthresh;	/* the window opens no further now (rwin.h) */
	u32 window_clamp;	/* nor ever further; 0 until established */
	u32 clamp_opt;		/* TCP_WINDOW_CLAMP given before then; 0: none */
	u32 copied_seq;		/* next byte the user reads */

	/* what the handshake settled (syn.c), and the path (icmp.c) */
	u16 mss;		/* largest text we send in a segment */
	u16 peer_mss;		/* the peer's MSS option */
	u16 adv_mss;		/* the MSS option we sent */
	u16 pmtu_cookie;	/* the path MTU the MSS is for */
	u16 mtu_info;		/* the MTU an ICMP message gave (icmp.c) */
	u32 init_rcv_wnd;	/* the route's initrwnd, in segments (0: none) */
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 passive:1;		/* SYN-RECV came from LISTEN */
	u8 orphan_counted:1;	/* in xtcp_net.orphans (sock.c) */
	u8 wscale_ok:1;
	u8 ts_ok:1;
	u8 sack_ok:1;
	u8 fin_queued:1;	/* FIN is at the tail of the write queue */
	u8 hashed:1;		/* in the connection or listener hash (hash.c) */
	u8 urg_mode:1;		/* urgent data sent and not yet acknowledged */
	u8 rtt_timing:1;	/* rtt_seq's segment is being timed (Karn) */
	u8 syn_lost:1;		/* our SYN or SYN+ACK was sent again */
	u8 ack_owed:1;		/* data received and not yet acknowledged */
	u8 ack_now:1;		/* the next ACK goes at once (ICSK_ACK_NOW) */
	u8 clamp_raw:1;		/* clamp_opt set in SYN-SENT: taken as it is */
	u8 ecn_flags;		/* XTCP_ECN_* (ecn.h), as tp->ecn_flags */

	/* retransmission (timer.c) and the RTO (RFC 6298, rtt.h) */
	u8 retries;		/* retransmissions of the head since last ACK */
	u8 dupacks;		/* duplicate ACKs in a row (fast retransmit) */
	u32 rto_ms;		/* the RTO now, backed off by the timer */
	u8 backoff;		/* doublings of rto_ms since it was computed */
	struct xtcp_rtt rtt;	/* RFC 6298 estimator */
	u32 rtt_seq;		/* the ACK that ends the timed segment */
	u64 rtt_start_ns;
	u64 stall_start_ns;	/* data outstanding, no progress since */

	/* the timers, on one hrtimer (timer.c) */
	u8 timer_pending;	/* BIT(enum xtcp_timer_event) with a deadline */
	bool timer_ref;		/* the timer holds a reference */
	u64 timer_due[XTCP_TIMER_MAX];	/* ktime_get_ns() deadlines */
	struct hrtimer timer;
	/*
	 * XTCP_DEFER_* bits: set by softirqs, taken by release_cb (atomic);
	 * and XTCP_TSQ_*
	 */
	unsigned long deferred;
	/* on a CPU's TCP small queues list while XTCP_TSQ_QUEUED (output.c) */
	struct list_head tsq_node;

	/* ACKs of received data (ack.c, delack.h) */
	u8 quickack;		/* ACKs still sent at once, not delayed */
	u8 dup_acks_sent;	/* at once since RCV.NXT last moved (ack.c) */
	u32 compressed_ack;	/* ACKs not sent, in favour of a later one */
	u32 compressed_ack_rcv_nxt;	/* RCV.NXT when dup_acks_sent counted */
	u16 rcv_mss;		/* the largest segment the peer sent */
	u32 lrcv_time;		/* jiffies: the last text received */
	u32 lsndtime;		/* jiffies: the last text sent (tp->lsndtime) */
	/*
	 * ktime_get_ns(): the last segment's departure time (tcp_wstamp_ns),
	 * ahead of now while pacing holds the next one back
	 */
	u64 wstamp_ns;
	u32 xmit_seq;		/* the first byte of the last skb of new data sent */
	u32 ato;		/* jiffies: the delayed-ACK timeout (rwin.h) */
	u16 last_seg_size;	/* the last short segment's text, as MSS */
	u8 ack_pushed:1;	/* a short segment came since our last ACK */
	u8 ack_pushed2:1;	/* two did */

	/* Nagle (RFC 896, Minshall's variant as in Linux) */
	u32 snd_sml;		/* end of the last small segment sent */

	/* keep-alive (RFC 9293 §3.8.4) */
	u32 rcv_tstamp;		/* jiffies: the last acceptable ACK */
	u8 probes_out;		/* keep-alive probes unanswered */

	/* receive buffer autotuning (autotune.c) */
	u32 rcvq_space;		/* what the reader took in the last round trip */
	u32 rcvq_seq;		/* copied_seq when this round began */
	u64 rcvq_time;		/* ktime_get_ns() when it began */
	u32 rcv_rtt_us;		/* the receiver's round trip, from timestamps */

	/* per-connection counts, for TCP_INFO (RFC 4898 names) */
	u32 segs_out;
	u32 segs_in;
	u32 data_segs_out;
	u32 data_segs_in;
	u64 bytes_sent;		/* text sent, retransmissions included */
	u64 bytes_retrans;
	u64 bytes_acked;
	u64 bytes_received;
	struct xtcp_chrono chrono;	/* busy and limited times (chrono.h) */

	/* urgent data (urgent.h) */
	u32 snd_up;		/* the byte after our urgent data */
	u32 urg_seq;		/* the peer's urgent byte */
	u16 urg_data;		/* XTCP_URG_* and the byte; 0: none */

	/* timestamps (RFC 7323) */
	u32 ts_off;
	u32 ts_recent;
	u32 ts_recent_stamp;	/* seconds, when ts_recent was taken */
	/* jiffies: the last dup-ACK out of window or challenge ACK (ratelimit.h) */
	u32 last_oow_ack_time;

	/* congestion control (cong.h) and loss recovery (recovery.c) */
	const struct xtcp_congestion_ops *ca_ops;	/* its module held */
	struct xtcp_cc cc;
	u8 ca_initialized:1;	/* its init ran (xtcp_ca_init()) */
	u32 prior_in_flight;	/* the pipe before the ACK being processed */
	u32 packets_out;
	u32 sacked_out;
	u32 lost_out;
	u32 retrans_out;
	u32 total_retrans;
	u32 high_seq;		/* SND.NXT when recovery began */
	u32 delivered;		/* segments ACKed or SACKed, ever (tp->delivered) */
	/*
	 * Did the congestion window limit the sender (tcp_cwnd_validate(),
	 * output.c)? In the flight that ends at cwnd_usage_seq it did
	 * (is_cwnd_limited), or at most max_packets_out were out.
	 */
	u32 max_packets_out;
	u32 cwnd_usage_seq;
	u8 is_cwnd_limited:1;
	/*
	 * When cwnd last proved itself, used, grown or set (jiffies,
	 * tp->snd_cwnd_stamp), and the most segments out since
	 * (tp->snd_cwnd_used): a window the sender has not filled for an RTO
	 * is halved towards what it used (RFC 2861 §3,
	 * xtcp_cwnd_application_limited()).
	 */
	u32 snd_cwnd_stamp;
	u32 snd_cwnd_used;
	u32 lost;		/* segments marked lost, ever (tp->lost) */
	/*
	 * Delivery-rate sampling (rate.h): the connection's state, and the
	 * sample of the ACK being processed, which the skbs it (S)ACKs feed
	 * (xtcp_skb_acked(), mark_sacked()) until xtcp_ack_recovery() makes it
	 */
	struct xtcp_rate rate;
	struct rate_sample rs;
	/* Proportional Rate Reduction in fast recovery (RFC 6937, recovery.c) */
	u32 prior_cwnd;		/* cwnd when recovery began */
	u32 prr_delivered;	/* segments delivered since */
	u32 prr_out;		/* segments sent since, new or again */
	u32 highest_sack;	/* the highest end of a SACK block seen */
	u32 reordering;		/* segments of reordering seen, from tcp_reordering */
	u32 reord_seen;		/* reordering events seen (tp->reord_seen) */
	/* this ACK showed reordering, by a SACK, by its cumulative ACK */
	u8 reord_sacked:1, reord_acked:1;
	/*
	 * this ACK (S)ACKed segments never sent again, sent before high_seq
	 * (FLAG_ORIG_SACK_ACKED): set by orig_delivered(), taken by
	 * xtcp_ack_recovery() (FLAG_RETRANS_DATA_ACKED is rate.retrans_acked)
	 */
	u8 orig_acked:1;
	/*
	 * F-RTO (RFC 5682, tp->frto) is on for this time-out; its step 2b
	 * asks the next send to try new data before any repair (frto_new,
	 * tcp_xmit_recovery()'s REXMIT_NEW)
	 */
	u8 frto:1;
	u8 frto_new:1;
	/*
	 * RACK (RFC 8985 §6, tp->rack, recovery.c): the last transmission
	 * (ktime_get_ns()) and end of the segment sent last of those ACKed or
	 * SACKed; the round trip it took; whether that moved since the last
	 * loss detection; the reordering window in quarters of the minimum
	 * RTT, the recoveries it holds for, a D-SACK pending for it, and
	 * delivered when it last grew.
	 */
	struct {
		u64 mstamp_ns;
		u32 rtt_us;
		u32 end_seq;
		u32 last_delivered;
		u8 reo_wnd_steps;
		u8 reo_wnd_persist:5;
		u8 dsack_seen:1;
		u8 advanced:1;
	} rack;
	u8 ca_state;		/* XTCP_CA_* */
	/*
	 * Undo of a reduction found spurious (recovery.c, RFC 2883 §4 and
	 * RFC 3522's idea, as Linux's TCP does it): SND.UNA when it began, 0
	 * once undone or impossible (tp->undo_marker); retransmissions since
	 * that no D-SACK has reported yet, -1 for none sent (undo_retrans);
	 * the TSval of the first one, 0 for none (retrans_stamp); ssthresh to
	 * restore, 0 if an ECN echo proved the congestion (prior_ssthresh);
	 * segments the peer reported twice, ever (dsack_dups); the TSecr of
	 * the ACK being processed and whether it had one (rx_opt.rcv_tsecr).
	 */
	u32 undo_marker;
	int undo_retrans;
	u32 retrans_stamp;
	u32 prior_ssthresh;
	u32 dsack_dups;
	/*
	 * A first SACK block below the ACK, kept while that ACK cleans the
	 * queue, [dsack_acked_seq, dsack_acked_end) (empty: none), and the
	 * segments sent again in it that the cleaning took (dsack_acked):
	 * Linux's tcp_sacktag_one() still finds those in its queue.
	 */
	u32 dsack_acked_seq;
	u32 dsack_acked_end;
	u32 dsack_acked;
	u32 rcv_tsecr;
	u8 saw_tsecr:1;
	/* tail loss probe (RFC 8985 §7, recovery.c): SND.NXT when one went, or 0 */
	u32 tlp_high_seq;
	u8 tlp_retrans:1;	/* that probe sent the last segment again */
	struct sk_buff *lost_hint;	/* where xtcp_next_lost() goes on */
	/*
	 * Bounds on the SACK scoreboard's work per ACK (recovery.c): where
	 * sack_mark_lost() goes on and the SACKed skbs before it (Linux's
	 * lost_skb_hint and lost_cnt_hint); the previous ACK's SACK blocks,
	 * sorted (recv_sack_cache); the skbs looked at so far (for KUnit).
	 */
	struct sk_buff *mark_hint;
	u32 mark_hint_sacked;
	struct xtcp_sack_block sack_cache[XTCP_MAX_SACKS];
	u8 sack_cache_num;
	u32 sack_steps;

	/* segments beyond rcv_nxt (ofo.h); the start of the last one queued */
	struct rb_root ofo;
	struct xtcp_rcv_sacks rcv_sacks;	/* what ofo holds, as SACK blocks */

	/*
	 * Unsent data is sk->sk_write_queue, sent and unacknowledged data the
	 * rbtree sk->tcp_rtx_queue (rtxq.h).
	 */

	/*
	 * The user's settings: socket options (sockopt.c), under the socket
	 * lock; a child copies its listener's (child.c).
	 */
	u16 user_mss;		/* TCP_MAXSEG, 0 if unset */
	/* TCP_KEEPIDLE/KEEPINTVL (seconds), TCP_KEEPCNT; 0: the netns's TCP default */
	u16 keepidle;
	u16 keepintvl;
	u8 keepcnt;
	u32 user_timeout;	/* TCP_USER_TIMEOUT, ms; 0: retries2 decides */
	u8 syn_retries;		/* TCP_SYNCNT; 0: the sysctl decides */
	/* TCP_LINGER2, jiffies: an orphan's FIN-WAIT-2 time; 0: the sysctl's, <0: none */
	int linger2;
	u32 notsent_lowat;	/* TCP_NOTSENT_LOWAT, bytes; 0: the sysctl */
	u8 nodelay:1;		/* TCP_NODELAY */
	u8 cork:1;		/* TCP_CORK */
	/*
	 * interactive (inet_csk_in_pingpong_mode()): ACKs wait to ride on a
	 * reply; entered by a reply, the peer's FIN or TCP_QUICKACK 0, left
	 * when the delayed-ACK timer fires, on duplicate text or TCP_QUICKACK 1
	 */
	u8 pingpong:1;
	u8 text_seen:1;		/* text came in: the delayed-ACK engine runs */
	u8 recvmsg_inq:1;	/* TCP_INQ: recvmsg() says what is left */
	u8 thin_lto:1;		/* TCP_THIN_LINEAR_TIMEOUTS (timer.c) */

	/* the kernel TCP socket that holds our port (port.c, its own locking) */
	struct xtcp_port *port;

	/*
	 * A listener's requests (request.h) and its children not yet
	 * accepted, under accept_lock (acceptq.h); the counts are also read
	 * without it, by poll(), /proc and the SYN path.
	 */
	spinlock_t accept_lock;
	struct list_head syn_queue;
	struct list_head accept_queue;
	u32 syn_count;
	u32 syn_young;		/* requests whose timer never fired (request.c) */
	/*
	 * TCP_DEFER_ACCEPT: SYN+ACK time-outs during which a bare ACK does not
	 * complete a request (rskq_defer_accept); not inherited by children
	 */
	u8 defer_accept;
	u32 accept_count;
	bool accept_closed;	/* children are refused */
	/*
	 * A listener's SYN cookies (child.c): when it last sent one (jiffies,
	 * stamped at most once a second), and whether it has logged its SYN
	 * flood. Lockless, as the kernel's: a racing stamp is a second off.
	 */
	u32 synq_overflow_ts;
	u8 synflood_warned;
	/* the listener hash, under its chain lock and RCU (hash.c) */
	struct hlist_node listen_node;

	/* every live xtcp socket, under all_sockets_lock (sock.c) */
	struct list_head all_node;

	/*
	 * A child: its listener (a reference), set before it is hashed and
	 * cleared under its own socket lock; its place in the listener's
	 * accept queue, under the listener's accept_lock.
	 */
	struct sock *parent;
	struct list_head child_node;

	/* internal pacing (tcp_pacing_check()): armed for wstamp_ns */
	struct hrtimer pacing_timer;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/* Urgent data is outstanding: segments carry URG (tcp_urg_mode()). */
static inline bool xtcp_urg_mode(const struct xtcp_sock *xs)
{
	return xs->urg_mode;
}

/* The socket lock, owner or spinlock, is held (checked under lockdep). */
static inline void xtcp_sock_assert_locked(const struct sock *sk)
{
#ifdef CONFIG_LOCKDEP
	WARN_ON_ONCE(debug_locks && !lockdep_sock_is_held(sk));
#endif
}

/* inet_sk_state_store(), which 6.1 does not export. */
static inline void xtcp_state_store(struct sock *sk, int state)
{
	/* lockless readers (poll, /proc) see the state after what led to it */
	smp_store_release(&sk->sk_state, state);
}

enum xtcp_stat {
	XTCP_STAT_IN_SEGS,
	XTCP_STAT_OUT_SEGS,
	XTCP_STAT_IN_ERRS,
	XTCP_STAT_IN_CSUM_ERRORS,
	XTCP_STAT_OUT_RSTS,
	XTCP_STAT_ACTIVE_OPENS,
	XTCP_STAT_PASSIVE_OPENS,
	XTCP_STAT_ATTEMPT_FAILS,
	XTCP_STAT_ESTAB_RESETS,
	XTCP_STAT_RETRANS_SEGS,
	XTCP_STAT_TW_CREATED,
	XTCP_STAT_TW_OVERFLOW,
	XTCP_STAT_TW_RECYCLED,
	XTCP_STAT_CHALLENGE_ACKS,
	XTCP_STAT_CHALLENGE_ACKS_LIMITED,
	XTCP_STAT_LISTEN_DROPS,
	XTCP_STAT_BACKLOG_DROPS,
	XTCP_STAT_BAD_OPTIONS,
	XTCP_STAT_CURR_ESTAB,		/* a gauge: up and down */
	XTCP_STAT_OFO_QUEUE,
	XTCP_STAT_OFO_DROP,
	XTCP_STAT_DUP_DATA,
	XTCP_STAT_SACK_RECOVERY,
	XTCP_STAT_RENO_RECOVERY,
	XTCP_STAT_REORDER,
	/* ACKs that showed reordering: by SACK, by the timestamps */
	XTCP_STAT_SACK_REORDER,
	XTCP_STAT_TS_REORDER,
	XTCP_STAT_DELAYED_ACKS,
	XTCP_STAT_KEEPALIVE,
	XTCP_STAT_ABORT_ON_TIMEOUT,
	XTCP_STAT_ABORT_ON_DATA,
	XTCP_STAT_ABORT_ON_LINGER,
	XTCP_STAT_PAWS_ESTAB,
	XTCP_STAT_OUT_OF_WINDOW_ICMPS,
	XTCP_STAT_RCV_COALESCE,
	XTCP_STAT_RCV_COLLAPSED,
	XTCP_STAT_RCVQ_DROP,
	XTCP_STAT_PRUNE_CALLED,
	XTCP_STAT_RCV_PRUNED,
	XTCP_STAT_OFO_PRUNED,
	XTCP_STAT_SYNCOOKIES_SENT,
	XTCP_STAT_SYNCOOKIES_RECV,
	XTCP_STAT_SYNCOOKIES_FAILED,
	XTCP_STAT_LISTEN_OVERFLOWS,
	XTCP_STAT_REQQ_FULL_DO_COOKIES,
	XTCP_STAT_REQQ_FULL_DROP,
	XTCP_STAT_ABORT_ON_MEMORY,
	XTCP_STAT_SACK_RENEGING,
	XTCP_STAT_ACK_COMPRESSED,
	/* out-of-window answers skipped by net.xtcp.invalid_ratelimit */
	XTCP_STAT_ACK_SKIPPED_PAWS,
	XTCP_STAT_ACK_SKIPPED_SEQ,
	XTCP_STAT_ACK_SKIPPED_TIME_WAIT,
	XTCP_STAT_MEMORY_PRESSURES,
	XTCP_STAT_MEMORY_PRESSURES_CHRONO,	/* ms under pressure */
	XTCP_STAT_SYN_CHALLENGE,	/* SYNs answered by a challenge ACK */
	XTCP_STAT_ACK_SKIPPED_CHALLENGE, /* per-socket limit on those */
	XTCP_STAT_ACK_SKIPPED_SYN_RECV,	/* answers of a request skipped */
	XTCP_STAT_EMBRYONIC_RSTS,	/* requests ended by a RST or a SYN */
	XTCP_STAT_SYN_RETRANS,		/* SYNs and SYN+ACKs sent again */
	XTCP_STAT_DEFER_ACCEPT_DROP,	/* bare ACKs a deferring request dropped */
	/* D-SACK blocks (RFC 2883) sent and received */
	XTCP_STAT_DSACK_OLD_SENT,	/* text below RCV.NXT */
	XTCP_STAT_DSACK_OFO_SENT,	/* text the out-of-order queue held */
	XTCP_STAT_DSACK_RECV,		/* first block below the ACK */
	XTCP_STAT_DSACK_OFO_RECV,	/* first block within the second */
	XTCP_STAT_WIN_PROBE,		/* zero-window probes sent */
	XTCP_STAT_DELAYED_ACK_LOST,	/* text we had came again */
	XTCP_STAT_LOSS_PROBES,		/* tail loss probes sent */
	XTCP_STAT_LOSS_PROBE_RECOVERY,	/* losses a probe repaired */
	/* reductions undone, found spurious (recovery.c) */
	XTCP_STAT_FULL_UNDO,		/* at the end of fast recovery */
	XTCP_STAT_PARTIAL_UNDO,		/* on a partial ACK in it */
	XTCP_STAT_DSACK_UNDO,		/* by D-SACKs of every retransmission */
	XTCP_STAT_LOSS_UNDO,		/* after a retransmission time-out */
	XTCP_STAT_LOST_RETRANSMIT,	/* RACK: a retransmission lost again */
	XTCP_STAT_SPURIOUS_RTOS,	/* time-outs F-RTO found spurious */
	/* cubic's HyStart leaving slow start (cubic.c): times, and the cwnds */
	XTCP_STAT_HYSTART_TRAIN_DETECT,	/* by the ACK train */
	XTCP_STAT_HYSTART_TRAIN_CWND,
	XTCP_STAT_HYSTART_DELAY_DETECT,	/* by the delay increase */
	XTCP_STAT_HYSTART_DELAY_CWND,
	XTCP_STAT_MAX,
};

/* One CPU's counters: summed over CPUs when read (xtcp_read_stat()). */
struct xtcp_mib {
	unsigned long mibs[XTCP_STAT_MAX];
};

/* Per network namespace (netns.c). */
struct xtcp_net {
	struct net *net;
	struct sock *ctl_sk;		/* sends RSTs and TIME_WAIT ACKs */
	struct xtcp_tw_table tw;
	struct ctl_table_header *sysctl_hdr;
	/* net.xtcp.* */
	int tw_timeout_ms;
	int max_tw_buckets;
	int syn_retries;
	int synack_retries;
	int retries2;
	int rfc1337;
	int challenge_ack_limit;
	int timestamps;
	int sack;
	int window_scaling;
	int rmem[3];			/* min, default, max: as tcp_rmem */
	int wmem[3];			/* as tcp_wmem */
	int reuse_tw;			/* net.xtcp.tw_reuse: 0, 1, 2 (loopback) */
	int keepalive_time;		/* seconds, as tcp_keepalive_time */
	int keepalive_intvl;		/* seconds */
	int keepalive_probes;
	int syncookies;			/* 0, 1 (when the SYN queue is full), 2 */
	int orphan_retries;		/* as tcp_orphan_retries; 0: 8, or fewer */
	int max_orphans;		/* as tcp_max_orphans, for this namespace */
	int comp_sack_nr;		/* as tcp_comp_sack_nr (ack.c) */
	int comp_sack_delay_ns;		/* as tcp_comp_sack_delay_ns */
	int invalid_ratelimit;		/* ms, as tcp_invalid_ratelimit */
	int notsent_lowat;		/* bytes, as tcp_notsent_lowat */
	int dsack;			/* as tcp_dsack */
	int early_retrans;		/* as tcp_early_retrans: 3, 4 probe */
	int ecn;			/* as tcp_ecn: 0, 1, 2 (ecn.c) */
	int recovery;			/* as tcp_recovery: TCP_RACK_* bits */
	int frto;			/* as tcp_frto: F-RTO, 0 off (recovery.c) */
	atomic_t orphans;		/* closed by their programs, not done */
	spinlock_t cong_lock;
	char cong_name[XTCP_CA_NAME_MAX];	/* congestion_control */
	struct xtcp_ratelimit challenge_rl;
	/* ports held for TIME-WAIT buckets whose socket is gone (port.c) */
	spinlock_t parked_lock;
	struct list_head parked;
	u32 parked_gen;
	struct delayed_work parked_sweep;
	/* ports connect() chose, shared by 4-tuple (port.c) */
	spinlock_t ports_lock;
	DECLARE_HASHTABLE(ports, 8);
	struct mutex connect_lock;	/* a port chosen, then its 4-tuple hashed */
	/* what /proc/net/xtcp_stats and xtcp_snmp count; see netns.c */
	struct xtcp_mib __percpu *mib;
};


extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_net(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

/* Any context: a per-CPU add, as the kernel's SNMP counters. */
static inline void xtcp_inc_stat(const struct net *net, enum xtcp_stat s)
{
	this_cpu_inc(xtcp_net(net)->mib->mibs[s]);
}

static inline void xtcp_dec_stat(const struct net *net, enum xtcp_stat s)
{
	this_cpu_dec(xtcp_net(net)->mib->mibs[s]);
}

static inline void xtcp_add_stat(const struct net *net, enum xtcp_stat s,
				 unsigned long n)
{
	this_cpu_add(xtcp_net(net)->mib->mibs[s], n);
}

/*
 * The net.xtcp.* knobs that have a net.ipv4.tcp_* namesake of the same
 * meaning are overrides: XTCP_FOLLOW_TCP (-1, where they start) reads the
 * namesake of the socket's namespace, as TCP reads it; any other value is
 * xtcp's own. xtcp_sysctl(ns, knob, tcp_knob): the value in force, as an int
 * (@knob a member of struct xtcp_net, @tcp_knob one of struct netns_ipv4).
 */
#define XTCP_FOLLOW_TCP		(-1)

#define xtcp_sysctl(ns, knob, tcp_knob)					\
	({								\
		const struct net *__xnet = (ns);			\
		int __xv = READ_ONCE(xtcp_net(__xnet)->knob);		\
									\
		__xv != XTCP_FOLLOW_TCP ? __xv :			\
			(int)READ_ONCE(__xnet->ipv4.tcp_knob);		\
	})

/* The receive and send buffers' min, default, max: tcp_rmem, tcp_wmem */
static inline int xtcp_rmem(const struct net *net, int i)
{
	return xtcp_sysctl(net, rmem[i], sysctl_tcp_rmem[i]);
}

static inline int xtcp_wmem(const struct net *net, int i)
{
	return xtcp_sysctl(net, wmem[i], sysctl_tcp_wmem[i]);
}

/*
 * Our TSval offset for a 4-tuple: random for each with net.ipv4.tcp_timestamps
 * 1, none with 2, whose TSval is the bare millisecond clock
 * (secure_tcp_seq_and_ts_off()). A TIME_WAIT bucket asks again: a change of
 * the sysctl meanwhile changes its TSvals, where Linux's bucket keeps them.
 */
static inline u32 xtcp_ts_off(const struct net *net, __be32 laddr,
			      __be32 raddr, __be16 lport, __be16 rport)
{
	if (xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps) != 1)
		return 0;
	return xtcp_isn_ts_off(laddr, raddr, lport, rport);
}

/* xtcp_ts_off() for an IPv6 4-tuple. */
static inline u32 xtcp_ts_off6(const struct net *net,
			       const struct in6_addr *laddr,
			       const struct in6_addr *raddr, __be16 lport,
			       __be16 rport)
{
	if (xtcp_sysctl(net, timestamps, sysctl_tcp_timestamps) != 1)
		return 0;
	return xtcp_isn_ts_off6(laddr, raddr, lport, rport);
}

/*
 * tcp_notsent_lowat(): the most unsent bytes a writer may leave queued
 * (sock.c), TCP_NOTSENT_LOWAT or else the sysctl. TCP's is unsigned and
 * starts at UINT_MAX, which xtcp_sysctl() reads as -1: the cast gives it
 * back. The override goes up to INT_MAX, more than any send buffer holds.
 */
static inline u32 xtcp_notsent_lowat(const struct sock *sk)
{
	u32 val = READ_ONCE(xtcp_sk(sk)->notsent_lowat);

	return val ?: (u32)xtcp_sysctl(sock_net(sk), notsent_lowat,
				       sysctl_tcp_notsent_lowat);
}

#endif /* _XTCP_XTCP_H */
