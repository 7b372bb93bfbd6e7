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
 * the machinery's, RFC 6582) and "cubic" (RFC 9438).
 */
#ifndef _XTCP_CONG_H
#define _XTCP_CONG_H

#include <net/xtcp_cong.h>

#define XTCP_INIT_CWND		10	/* RFC 6928, as TCP_INIT_CWND */

#define XTCP_CC_PRIV(cc, type) ({					\
	BUILD_BUG_ON(sizeof(type) > sizeof_field(struct xtcp_cc, priv));	\
	(type *)(cc)->priv;						\
})

u32 xtcp_cc_icbrt(u64 x);

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
