/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cong.h: congestion control inside xtcp. The API an algorithm sees, and
 * registers with, is include/net/xtcp_cong.h (shaped as Linux's struct
 * tcp_congestion_ops); this adds the registry's internals and the calls the
 * stack makes into the socket's algorithm (xtcp_ca_*()), each after bringing
 * struct xtcp_cc's read-only part up to date.
 *
 * The loss-recovery machinery (recovery.c) decides when a window was lost,
 * and calls in. Two come built in: "reno" (RFC 5681, NewReno's recovery is
 * the machinery's, RFC 6582) and "cubic" (cubic.c, a port of Linux 6.1's
 * tcp_cubic.c with HyStart).
 */
#ifndef _XTCP_CONG_H
#define _XTCP_CONG_H

#include <net/xtcp_cong.h>

#define XTCP_INIT_CWND		10	/* RFC 6928, as TCP_INIT_CWND */

#define XTCP_CC_PRIV(cc, type) ({					\
	BUILD_BUG_ON(sizeof(type) > sizeof_field(struct xtcp_cc, priv));	\
	(type *)(cc)->priv;						\
})

/*
 * cubic's per-socket state (cubic.c), Linux's struct bictcp field for field;
 * here for the KUnit suite, which reads it and moves its clock.
 */
struct xtcp_bictcp {
	u32	cnt;		/* increase cwnd by 1 after ACKs */
	u32	last_max_cwnd;	/* last maximum snd_cwnd */
	u32	last_cwnd;	/* the last snd_cwnd */
	u32	last_time;	/* time when updated last_cwnd */
	u32	bic_origin_point;/* origin point of bic function */
	u32	bic_K;		/* time to origin point
				 * from the beginning of the current epoch
				 */
	u32	delay_min;	/* min delay (usec) */
	u32	epoch_start;	/* beginning of an epoch */
	u32	ack_cnt;	/* number of acks */
	u32	tcp_cwnd;	/* estimated tcp cwnd */
	u16	unused;
	u8	sample_cnt;	/* number of samples to decide curr_rtt */
	u8	found;		/* the exit point is found? */
	u32	round_start;	/* beginning of each round */
	u32	end_seq;	/* end_seq of the round */
	u32	last_ack;	/* last time when the ACK spacing is close */
	u32	curr_rtt;	/* the minimum rtt of current round */
};

u32 xtcp_cubic_root(u64 a);
void xtcp_cubic_setup(void);

/* The registry. */
const struct xtcp_congestion_ops *xtcp_cong_get(const char *name);
void xtcp_cong_put(const struct xtcp_congestion_ops *ops);
bool xtcp_cong_exists(const char *name);
int xtcp_cong_list(char *buf, size_t size);
int xtcp_cong_init(void);
void xtcp_cong_exit(void);

extern struct xtcp_congestion_ops xtcp_reno;
extern struct xtcp_congestion_ops xtcp_cubic;

/* The stack's calls into the socket's algorithm (cong.c), socket locked. */
void xtcp_ca_sync(struct sock *sk);
void xtcp_ca_init(struct sock *sk);
void xtcp_ca_release(struct sock *sk);
u32 xtcp_ca_ssthresh(struct sock *sk);
u32 xtcp_ca_undo_cwnd(struct sock *sk);
void xtcp_ca_cong_avoid(struct sock *sk, u32 ack, u32 acked);
void xtcp_ca_set_state(struct sock *sk, u8 state);
void xtcp_ca_event(struct sock *sk, enum tcp_ca_event ev);
void xtcp_ca_in_ack_event(struct sock *sk, u32 flags);
void xtcp_ca_pkts_acked(struct sock *sk, u32 pkts_acked, s32 rtt_us,
			u32 in_flight);
u32 xtcp_ca_min_tso_segs(struct sock *sk, u32 dflt);
void xtcp_set_pacing_rate(struct sock *sk, u32 mss);
void xtcp_update_pacing_rate(struct sock *sk);
u32 xtcp_ca_sndbuf_expand(struct sock *sk);
size_t xtcp_ca_get_info(struct sock *sk, int *attr, union tcp_cc_info *info);

#endif /* _XTCP_CONG_H */
