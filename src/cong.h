/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cong.h: congestion control, behind a small ops struct so that an
 * experimenter can add an algorithm (from another module, too) and pick it per
 * socket with TCP_CONGESTION or per namespace with net.xtcp.congestion_control.
 *
 * An algorithm sees only struct xtcp_cc, the congestion state of one
 * connection counted in segments, never the socket: the loss-recovery
 * machinery (recovery.c) decides when a window was lost, and calls in.
 * Two come built in: "reno" (RFC 5681, NewReno's recovery is the machinery's,
 * RFC 6582) and "cubic" (RFC 9438).
 *
 * Callbacks run under the socket lock; they must not sleep.
 */
#ifndef _XTCP_CONG_H
#define _XTCP_CONG_H

#include <linux/list.h>
#include <linux/types.h>

#define XTCP_CA_NAME_MAX	16	/* as TCP_CA_NAME_MAX */
#define XTCP_INIT_CWND		10	/* RFC 6928, as TCP_INIT_CWND */
#define XTCP_INFINITE_SSTHRESH	0x7fffffff

/* One connection's congestion state, in segments. */
struct xtcp_cc {
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_cnt;		/* segments ACKed towards the next increase */
	u64 priv[6];		/* the algorithm's own (XTCP_CC_PRIV) */
};

#define XTCP_CC_PRIV(cc, type) ({					\
	BUILD_BUG_ON(sizeof(type) > sizeof_field(struct xtcp_cc, priv));	\
	(type *)(cc)->priv;						\
})

struct xtcp_cong_ops {
	struct list_head list;
	char name[XTCP_CA_NAME_MAX];
	struct module *owner;
	/* a connection starts (cwnd and ssthresh are set already); optional */
	void (*init)(struct xtcp_cc *cc);
	/* a window was lost: the new ssthresh (RFC 5681 (4)); required */
	u32 (*ssthresh)(struct xtcp_cc *cc);
	/* @acked segments newly ACKed at @now_us, with cwnd the limit; required */
	void (*cong_avoid)(struct xtcp_cc *cc, u32 acked, u64 now_us,
			   u32 srtt_us);
};

/* Helpers for algorithms (cong.c). */
u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked);
void xtcp_cc_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked);
u32 xtcp_cc_icbrt(u64 x);

/* The registry. */
int xtcp_cong_register(struct xtcp_cong_ops *ops);
void xtcp_cong_unregister(struct xtcp_cong_ops *ops);
const struct xtcp_cong_ops *xtcp_cong_get(const char *name);
void xtcp_cong_put(const struct xtcp_cong_ops *ops);
bool xtcp_cong_exists(const char *name);
int xtcp_cong_list(char *buf, size_t size);
int xtcp_cong_init(void);
void xtcp_cong_exit(void);

extern struct xtcp_cong_ops xtcp_reno;
extern struct xtcp_cong_ops xtcp_cubic;

#endif /* _XTCP_CONG_H */
