/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timewait.h: the TIME_WAIT bucket store (RFC 9293 §3.6.1, MUST-13; RFC 6191;
 * RFC 7323 PAWS). Documentation/timewait.rst has the design.
 *
 * A connection that enters TIME-WAIT gives up its socket and leaves a bucket
 * behind, 72 bytes for IPv4 and 96 for IPv6 (two layouts, one table): the 4-tuple and the device it was bound to, the sequence and
 * window state needed to ACK a retransmitted FIN or to judge a new SYN, and
 * the timestamp state PAWS needs. Buckets live
 * in a per-table hash (lookup) and on a per-table time wheel (expiry), both
 * O(1); one soft hrtimer per table drives the wheel.
 *
 * Naming: "s" is our side, "d" the peer, as in sk_rcv_saddr/sk_daddr. For a
 * received segment: saddr = iph->daddr, sport = th->dest, daddr = iph->saddr,
 * dport = th->source.
 */
#ifndef _XTCP_TIMEWAIT_H
#define _XTCP_TIMEWAIT_H

#include <linux/hrtimer.h>
#include <linux/container_of.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct net;

/*
 * The wheel turns once per 2^27 ns (134 ms, ~7.5 ticks a second). A bucket
 * lives at least its table's tw_len and at most one tick (plus timer slack)
 * longer: 0.2% of a 60 s 2MSL, with the timer waking ~7.5 times a second
 * whatever the number of buckets. Coarser ticks would not save memory (the wheel
 * is 16 bytes a slot); finer ones only wake the timer more often.
 */
#define XTCP_TW_TICK_SHIFT	27
#define XTCP_TW_LEN_MS		60000	/* default 2MSL, as TCP_TIMEWAIT_LEN */
#define XTCP_TW_LEN_MAX_MS	600000	/* bounds the wheel: 8192 slots */
/* Buckets freed per xtcp_tw_expire() call, i.e. per timer run. */
#define XTCP_TW_EXPIRE_BUDGET	256

/*
 * The layout a bucket's state has, its first byte (st.family): the IPv4 one
 * for an AF_XTCP socket's connection, and for an IPv6 socket's over IPv4
 * (v4-mapped: listed with the IPv6 sockets), the IPv6 one for the rest.
 */
#define XTCP_TW_INET		0
#define XTCP_TW_MAPPED		1
#define XTCP_TW_INET6		2

/*
 * What a connection leaves behind in TIME-WAIT, IPv4: 40 bytes. Its first
 * four bytes and the fields after the ports are struct xtcp_tw_state6's, at
 * offsets of their own.
 */
struct xtcp_tw_state {
	u8 family;		/* XTCP_TW_INET or XTCP_TW_MAPPED */
	u8 tclass;		/* IPv6's traffic class; 0 here */
	/*
	 * The window field of its ACKs: the receive window the socket last
	 * advertised and the peer may still fill, on the socket's scale,
	 * Linux's tw_rcv_wnd >> tw_rcv_wscale. Shifted once here: it is all
	 * the bucket ever sends of it.
	 */
	u16 rcv_wnd;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	/*
	 * The socket's sk_bound_dev_if (SO_BINDTODEVICE, or a VRF's), 0 for
	 * none: a segment that comes in on another device does not find the
	 * bucket, as inet_match() compares Linux's tw_bound_dev_if; its ACKs
	 * are routed out through it.
	 */
	int bound_dev_if;
	u32 snd_nxt;		/* a new incarnation's ISN goes beyond this */
	u32 rcv_nxt;		/* the peer's FIN is rcv_nxt - 1 */
	/*
	 * TS.Recent and when it was set, in seconds (0: no timestamps). A
	 * bare ACK at RCV.NXT moves them on while hashed, lockless
	 * (READ_ONCE/WRITE_ONCE), as Linux's tw_ts_recent(_stamp).
	 */
	u32 ts_recent;
	u32 ts_recent_stamp;
	/*
	 * jiffies, when the last out-of-window ACK went (0: none), for
	 * net.xtcp.invalid_ratelimit: written while hashed, lockless
	 * (READ_ONCE/WRITE_ONCE), as Linux's tw_last_oow_ack_time.
	 * Our TSval offset is not kept: xtcp_ts_off() of the 4-tuple
	 * gives it back.
	 */
	u32 last_oow_ack_time;
};

/* The same, IPv6: 64 bytes; the fields as xtcp_tw_state's. */
struct xtcp_tw_state6 {
	u8 family;		/* XTCP_TW_INET6 */
	u8 tclass;		/* the traffic class of its ACKs */
	u16 rcv_wnd;
	struct in6_addr saddr;
	struct in6_addr daddr;
	__be16 sport;
	__be16 dport;
	int bound_dev_if;
	u32 snd_nxt;
	u32 rcv_nxt;
	u32 ts_recent;
	u32 ts_recent_stamp;
	u32 last_oow_ack_time;
};

/* Either, told apart by the first byte. */
union xtcp_tw_any {
	struct xtcp_tw_state v4;	/* family XTCP_TW_INET, _MAPPED */
	struct xtcp_tw_state6 v6;	/* family XTCP_TW_INET6 */
};

/*
 * A bucket's first 32 bytes, the same in both layouts: the hash chain is
 * singly linked (8 bytes, not 16): a chain is walked for lookup anyway, so
 * unlinking costs what a lookup costs.
 */
#define XTCP_TW_BUCKET_HEAD						\
	struct xtcp_tw_bucket *hnext;	/* hash chain, chain lock */	\
	struct list_head wheel;		/* wheel slot, wheel_lock; empty: off */ \
	u32 expires;			/* wheel tick, low 32 bits; wheel_lock */ \
	refcount_t refcnt

/*
 * 72 bytes, see Documentation/timewait.rst for the offsets; what a lookup
 * reads (hnext, the family, the 4-tuple, the device) is in bytes 0-8 and
 * 32-52. The chains hold buckets of both layouts: an IPv6 one is a struct
 * xtcp_tw_bucket6 (xtcp_tw6()), its st.family XTCP_TW_INET6.
 */
struct xtcp_tw_bucket {
	XTCP_TW_BUCKET_HEAD;
	struct xtcp_tw_state st;	/* constant once hashed, but three fields */
};

/* 96 bytes: the IPv6 layout (bytes 32-76 for a lookup). */
struct xtcp_tw_bucket6 {
	XTCP_TW_BUCKET_HEAD;
	struct xtcp_tw_state6 st;
};

/* An IPv4 layout's state as the union of both. */
static inline const union xtcp_tw_any *
xtcp_tw_any4(const struct xtcp_tw_state *st)
{
	return container_of(st, const union xtcp_tw_any, v4);
}

/* A bucket's state, whichever its layout (st is at 32 in both). */
static inline const union xtcp_tw_any *
xtcp_tw_st(const struct xtcp_tw_bucket *tw)
{
	return xtcp_tw_any4(&tw->st);
}

/* @tw, whose st.family is XTCP_TW_INET6, as what it is. */
static inline struct xtcp_tw_bucket6 *xtcp_tw6(struct xtcp_tw_bucket *tw)
{
	return (struct xtcp_tw_bucket6 *)tw;
}

struct xtcp_tw_table {
	struct xtcp_tw_bucket **hash;	/* hash_mask + 1 chain heads */
	spinlock_t *locks;		/* chain i is under locks[i & lock_mask] */
	u32 hash_mask;
	u32 lock_mask;
	u32 hash_seed;
	u32 len_ticks;			/* 2MSL in ticks, rounded up */
	u64 len_ns;			/* 2MSL, fixed at init */
	unsigned int netns;		/* the owner's ns inode, for tracing */

	spinlock_t wheel_lock;		/* nests inside a chain lock */
	struct list_head *wheel;	/* wheel_mask + 1 slots */
	u32 wheel_mask;
	unsigned int count;		/* buckets on the wheel */
	unsigned int max;
	unsigned long overflows;	/* inserts refused for max */
	u64 clock;			/* next tick to expire */
	struct hrtimer timer;
};

int xtcp_tw_init(void);
void xtcp_tw_exit(void);

int xtcp_tw_table_init(struct xtcp_tw_table *tbl, unsigned int hash_size,
		       unsigned int max_buckets, unsigned int tw_len_ms);
void xtcp_tw_table_destroy(struct xtcp_tw_table *tbl);

struct xtcp_tw_bucket *xtcp_tw_insert(struct xtcp_tw_table *tbl,
				      const struct xtcp_tw_state *st);
struct xtcp_tw_bucket *xtcp_tw_insert6(struct xtcp_tw_table *tbl,
				       const struct xtcp_tw_state6 *st);
struct xtcp_tw_bucket *xtcp_tw_lookup(struct xtcp_tw_table *tbl,
				      struct net *net,
				      __be32 saddr, __be16 sport,
				      __be32 daddr, __be16 dport,
				      int dif, int sdif);
struct xtcp_tw_bucket *xtcp_tw_lookup6(struct xtcp_tw_table *tbl,
				       struct net *net,
				       const struct in6_addr *saddr, __be16 sport,
				       const struct in6_addr *daddr, __be16 dport,
				       int dif, int sdif);
int xtcp_tw_restart(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw);
bool xtcp_tw_kill(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw);
void xtcp_tw_put(struct xtcp_tw_bucket *tw);
unsigned int xtcp_tw_count(const struct xtcp_tw_table *tbl);
unsigned long xtcp_tw_overflows(const struct xtcp_tw_table *tbl);
bool xtcp_tw_port_busy(struct xtcp_tw_table *tbl, __be32 saddr, __be16 sport,
		       int bound_dev_if);
bool xtcp_tw_port_busy6(struct xtcp_tw_table *tbl,
			const struct in6_addr *saddr, __be16 sport,
			int bound_dev_if, bool v6only);
void xtcp_tw_ports(struct xtcp_tw_table *tbl, unsigned long *ports);
int xtcp_tw_set_len(struct xtcp_tw_table *tbl, unsigned int tw_len_ms);
bool xtcp_tw_walk(struct xtcp_tw_table *tbl, unsigned int *chain,
		  unsigned int *offset, unsigned int families,
		  union xtcp_tw_any *st, unsigned int *expires_ms);

/* The fields both layouts have, from either (trace events, walks). */
static inline __be16 xtcp_tw_sport(const union xtcp_tw_any *st)
{
	return st->v4.family == XTCP_TW_INET6 ? st->v6.sport : st->v4.sport;
}

static inline __be16 xtcp_tw_dport(const union xtcp_tw_any *st)
{
	return st->v4.family == XTCP_TW_INET6 ? st->v6.dport : st->v4.dport;
}

static inline u32 xtcp_tw_snd_nxt(const union xtcp_tw_any *st)
{
	return st->v4.family == XTCP_TW_INET6 ? st->v6.snd_nxt : st->v4.snd_nxt;
}

static inline u32 xtcp_tw_rcv_nxt(const union xtcp_tw_any *st)
{
	return st->v4.family == XTCP_TW_INET6 ? st->v6.rcv_nxt : st->v4.rcv_nxt;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* Expire with an injected clock, so tests do not sleep. */
unsigned int xtcp_tw_expire(struct xtcp_tw_table *tbl, u64 now_ns);
#endif

#endif /* _XTCP_TIMEWAIT_H */
