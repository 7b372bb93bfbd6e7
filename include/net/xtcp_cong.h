/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp_cong.h: the congestion-control API of xtcp, for modules built out of
 * tree (examples/ has one). It is shaped like Linux 6.1's struct
 * tcp_congestion_ops (include/net/tcp.h): the same hooks, with the same
 * meaning, called at the places tcp_input.c and tcp_output.c call them where
 * xtcp has that place (Documentation/user-guide.rst, "Congestion control
 * modules", lists where it has not). The types they pass are the kernel's own:
 * struct rate_sample, struct ack_sample, enum tcp_ca_event, the CA_ACK_* flags,
 * the TCP_CA_* states and union tcp_cc_info.
 *
 * What differs from writing a Linux module: an algorithm reaches the
 * connection's congestion state through xtcp_cc(sk) (struct xtcp_cc below, in
 * place of tcp_sk(sk)->snd_cwnd and the others) and its own per-socket state
 * through xtcp_ca(sk) (inet_csk_ca(sk)); it sets .api_version to
 * XTCP_CONG_API_VERSION and registers with
 * xtcp_register_congestion_control(). Every hook runs under the socket lock,
 * in process or softirq context: none may sleep.
 */
#ifndef _NET_XTCP_CONG_H
#define _NET_XTCP_CONG_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/inet_diag.h>
#include <net/tcp.h>

/*
 * The version of this API. It changes whenever struct xtcp_cc or struct
 * xtcp_congestion_ops change shape; xtcp refuses to register an algorithm
 * built against another version (-EINVAL, and says so in the kernel log).
 */
#define XTCP_CONG_API_VERSION	2	/* 2: xtcp_cc.probe_value */

#define XTCP_CA_NAME_MAX	16	/* as TCP_CA_NAME_MAX */
#define XTCP_CA_PRIV_SIZE	(13 * sizeof(u64))	/* as ICSK_CA_PRIV_SIZE */
#define XTCP_INFINITE_SSTHRESH	0x7fffffff	/* TCP_INFINITE_SSTHRESH */

/*
 * One connection's congestion state, in segments. The first four fields are
 * the algorithm's to change, the first three as tcp_sock's; the rest is the
 * stack's, current whenever a hook is called, and read-only.
 */
struct xtcp_cc {
	u32 cwnd;		/* tp->snd_cwnd */
	u32 ssthresh;		/* tp->snd_ssthresh */
	u32 cwnd_cnt;		/* tp->snd_cwnd_cnt: ACKed towards the next increase */
	/*
	 * anything the algorithm wants to see over time (its target rate, its
	 * queue estimate...): the tracepoint xtcp_probe shows it on every ACK
	 * as cc_value. The stack sets it to 0 when an algorithm takes the
	 * socket, and never touches it otherwise. No Linux counterpart.
	 */
	u64 probe_value;

	u64 mstamp_us;		/* tp->tcp_mstamp: now, for this event */
	u32 srtt_us;		/* smoothed RTT in us (tp->srtt_us >> 3); 0: none */
	u32 mss;		/* tp->mss_cache */
	u32 snd_una;		/* tp->snd_una */
	u32 snd_nxt;		/* tp->snd_nxt */
	u32 in_flight;		/* tcp_packets_in_flight() */
	u32 prior_cwnd;		/* tp->prior_cwnd: cwnd when a reduction began */
	u32 delivered;		/* tp->delivered */
	u8 ca_state;		/* TCP_CA_Open ... TCP_CA_Loss */

	/* the algorithm's own: inet_csk(sk)->icsk_ca_priv */
	u64 priv[XTCP_CA_PRIV_SIZE / sizeof(u64)] __aligned(8);
};

struct xtcp_congestion_ops {
	/* return slow start threshold, on entering a reduction (required) */
	u32 (*ssthresh)(struct sock *sk);
	/*
	 * grow cwnd by @acked segments newly (S)ACKed (required, or
	 * cong_control); called only when cwnd limited the sender
	 * (tcp_is_cwnd_limited()) and outside a reduction
	 */
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	/*
	 * called before changing ca_state (optional): TCP_CA_Open,
	 * TCP_CA_Disorder, TCP_CA_CWR, TCP_CA_Recovery, TCP_CA_Loss
	 */
	void (*set_state)(struct sock *sk, u8 new_state);
	/* a cwnd event (optional) */
	void (*cwnd_event)(struct sock *sk, enum tcp_ca_event ev);
	/* an acceptable ACK arrives, CA_ACK_* flags (optional) */
	void (*in_ack_event)(struct sock *sk, u32 flags);
	/* segments cumulatively ACKed, with the RTT sample or -1 (optional) */
	void (*pkts_acked)(struct sock *sk, const struct ack_sample *sample);
	/* override net.ipv4.tcp_min_tso_segs (optional) */
	u32 (*min_tso_segs)(struct sock *sk);
	/* set cwnd itself after all of an ACK's recovery work (optional) */
	void (*cong_control)(struct sock *sk, const struct rate_sample *rs);
	/* the cwnd to go back to when a reduction proves spurious (required) */
	u32 (*undo_cwnd)(struct sock *sk);
	/* the multiplier of the send buffer's segments (optional, 2) */
	u32 (*sndbuf_expand)(struct sock *sk);
	/* fill @info for TCP_CC_INFO, set *@attr, return its size (optional) */
	size_t (*get_info)(struct sock *sk, u32 ext, int *attr,
			   union tcp_cc_info *info);

	char name[XTCP_CA_NAME_MAX];
	struct module *owner;		/* THIS_MODULE */
	u32 api_version;		/* XTCP_CONG_API_VERSION */
	u32 flags;			/* none defined yet: 0 */
	struct list_head list;		/* the registry's */

	/* per-socket state: set up (connection established or switched) */
	void (*init)(struct sock *sk);
	/* and torn down (the socket goes, or switches away) (optional) */
	void (*release)(struct sock *sk);
};

/* Registration (GPL). */
int xtcp_register_congestion_control(struct xtcp_congestion_ops *ops);
void xtcp_unregister_congestion_control(struct xtcp_congestion_ops *ops);

/* The socket's congestion state, and the algorithm's private part. */
struct xtcp_cc *xtcp_cc(const struct sock *sk);

static inline void *xtcp_ca(const struct sock *sk)
{
	return xtcp_cc(sk)->priv;
}

/* Is the window below ssthresh (tcp_in_slow_start())? */
static inline bool xtcp_in_slow_start(const struct xtcp_cc *cc)
{
	return cc->cwnd < cc->ssthresh;
}

/* Helpers, as tcp_cong.c exports them (on struct xtcp_cc, not tcp_sock). */
u32 xtcp_slow_start(struct xtcp_cc *cc, u32 acked);
void xtcp_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked);
u32 xtcp_reno_ssthresh(struct sock *sk);
void xtcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked);
u32 xtcp_reno_undo_cwnd(struct sock *sk);

#endif /* _NET_XTCP_CONG_H */
