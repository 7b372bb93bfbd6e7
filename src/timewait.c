// SPDX-License-Identifier: GPL-2.0
/*
 * timewait.c: the TIME_WAIT bucket store: a hash for lookup, a time wheel for
 * expiry, one soft hrtimer per table.
 *
 * Locking. A chain is protected by its chain lock (tbl->locks[hash &
 * lock_mask]); the wheel lists, tw->wheel, tw->expires, count, overflows and
 * clock by tbl->wheel_lock, which nests inside a chain lock and never the
 * other way round. Both are taken with BH disabled, since the timer runs in
 * softirq. No path holds two chain locks.
 *
 * Lifetimes. A bucket is freed when its refcount drops to zero. Being hashed
 * holds one reference, the table's; insert and lookup hand the caller one more
 * (dropped with xtcp_tw_put()). Whoever unlinks a bucket from its chain, under
 * the chain lock, owns the table's reference and drops it: so a bucket is
 * unhashed and its reference dropped exactly once, by kill, expiry or destroy.
 * Insert and kill change hash and wheel together under both locks, so a bucket
 * on the wheel is hashed and alive; expiry relies on that to take a reference
 * under wheel_lock alone before it drops the lock to unhash. Buckets are never
 * read without a lock or a reference, so there is no RCU and no rcu_head.
 *
 * The wheel. Slot s holds buckets whose expiry tick is s modulo the number of
 * slots, in the order they were added. Expiry ticks are handed out from a
 * non-decreasing sequence (max of the monotonic clock and the wheel's own),
 * so each slot is sorted: expiry pops a slot's head while it is due and stops
 * at the first bucket that is not, whatever the wheel size. tbl->clock is the
 * next tick whose slot has not been emptied of due buckets.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <net/inet_sock.h>
#include <net/ipv6.h>

#include "compat.h"
#include "state.h"
#include "timewait.h"
#include "xtcp_trace.h"

#define TW_TICK_NS		(1ULL << XTCP_TW_TICK_SHIFT)
/* Chain locks: enough that CPUs rarely meet on one, few enough to be cheap. */
#define TW_MAX_LOCKS		1024
#define TW_MAX_HASH		(1U << 24)
/* Buckets collected under wheel_lock at a time; the array is on the stack. */
#define TW_BATCH		32
/* A budget-limited timer run comes back this soon. */
#define TW_RESCHED_NS		(100 * NSEC_PER_USEC)

/*
 * Created at module load, before any table; destroyed after the last. One
 * cache a layout: IPv4 buckets stay 72 bytes beside IPv6's 96.
 */
static struct kmem_cache *tw_cache;
static struct kmem_cache *tw6_cache;

/* The layouts agree on everything before the addresses. */
#define TW_SAME(f)							\
	BUILD_BUG_ON(offsetof(struct xtcp_tw_bucket, f) !=		\
		     offsetof(struct xtcp_tw_bucket6, f))

int xtcp_tw_init(void)
{
	BUILD_BUG_ON(sizeof(struct xtcp_tw_bucket) > 72);
	BUILD_BUG_ON(sizeof(struct xtcp_tw_bucket6) > 96);
	TW_SAME(hnext);
	TW_SAME(wheel);
	TW_SAME(expires);
	TW_SAME(refcnt);
	TW_SAME(st);
	TW_SAME(st.family);
	TW_SAME(st.rcv_wnd);
	BUILD_BUG_ON(offsetof(union xtcp_tw_any, v4.family) !=
		     offsetof(union xtcp_tw_any, v6.family));

	/*
	 * Not SLAB_HWCACHE_ALIGN: that would round 72 bytes up to 128. A
	 * lookup's fields are in the first 52 bytes (76 for IPv6), two cache
	 * lines at worst.
	 */
	tw_cache = KMEM_CACHE(xtcp_tw_bucket, 0);
	if (!tw_cache)
		return -ENOMEM;
	tw6_cache = KMEM_CACHE(xtcp_tw_bucket6, 0);
	if (!tw6_cache) {
		kmem_cache_destroy(tw_cache);
		tw_cache = NULL;
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_init);

void xtcp_tw_exit(void)
{
	kmem_cache_destroy(tw6_cache);
	tw6_cache = NULL;
	kmem_cache_destroy(tw_cache);
	tw_cache = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_exit);

static u32 tw_hash4(const struct xtcp_tw_table *tbl, __be32 saddr,
		   __be16 sport, __be32 daddr, __be16 dport)
{
	u32 ports = (__force u32)sport << 16 | (__force u32)dport;

	return jhash_3words((__force u32)saddr, (__force u32)daddr, ports,
			    tbl->hash_seed) & tbl->hash_mask;
}

/* ehashfn6()'s way: both addresses and the ports, under the same seed */
static u32 tw_hash6(const struct xtcp_tw_table *tbl,
		    const struct in6_addr *saddr, __be16 sport,
		    const struct in6_addr *daddr, __be16 dport)
{
	u32 ports = (__force u32)sport << 16 | (__force u32)dport;
	u32 h = jhash2((__force const u32 *)saddr->s6_addr32, 4,
		       tbl->hash_seed);

	return jhash_3words(h, jhash2((__force const u32 *)daddr->s6_addr32,
				      4, tbl->hash_seed),
			    ports, tbl->hash_seed) & tbl->hash_mask;
}

static bool tw_is6(const struct xtcp_tw_bucket *tw)
{
	return tw->st.family == XTCP_TW_INET6;
}

static u32 tw_bucket_hash(const struct xtcp_tw_table *tbl,
			  struct xtcp_tw_bucket *tw)
{
	if (tw_is6(tw)) {
		const struct xtcp_tw_state6 *st = &xtcp_tw6(tw)->st;

		return tw_hash6(tbl, &st->saddr, st->sport, &st->daddr,
				st->dport);
	}
	return tw_hash4(tbl, tw->st.saddr, tw->st.sport, tw->st.daddr,
		       tw->st.dport);
}

static void tw_free(struct xtcp_tw_bucket *tw)
{
	if (tw_is6(tw))
		kmem_cache_free(tw6_cache, xtcp_tw6(tw));
	else
		kmem_cache_free(tw_cache, tw);
}

static spinlock_t *tw_chain_lock(struct xtcp_tw_table *tbl, u32 h)
{
	return &tbl->locks[h & tbl->lock_mask];
}

static struct xtcp_tw_bucket *tw_chain_find(struct xtcp_tw_table *tbl, u32 h,
					    __be32 saddr, __be16 sport,
					    __be32 daddr, __be16 dport)
{
	struct xtcp_tw_bucket *tw;

	lockdep_assert_held(tw_chain_lock(tbl, h));
	for (tw = tbl->hash[h]; tw; tw = tw->hnext)
		if (!tw_is6(tw) &&
		    tw->st.saddr == saddr && tw->st.daddr == daddr &&
		    tw->st.sport == sport && tw->st.dport == dport)
			return tw;
	return NULL;
}

static struct xtcp_tw_bucket *tw_chain_find6(struct xtcp_tw_table *tbl, u32 h,
					     const struct in6_addr *saddr,
					     __be16 sport,
					     const struct in6_addr *daddr,
					     __be16 dport)
{
	struct xtcp_tw_bucket *tw;

	lockdep_assert_held(tw_chain_lock(tbl, h));
	for (tw = tbl->hash[h]; tw; tw = tw->hnext) {
		const struct xtcp_tw_state6 *st = &xtcp_tw6(tw)->st;

		if (tw_is6(tw) && st->sport == sport && st->dport == dport &&
		    ipv6_addr_equal(&st->saddr, saddr) &&
		    ipv6_addr_equal(&st->daddr, daddr))
			return tw;
	}
	return NULL;
}

/* A bucket of @tw's 4-tuple in chain @h already (either layout's). */
static bool tw_chain_has(struct xtcp_tw_table *tbl, u32 h,
			 struct xtcp_tw_bucket *tw)
{
	const struct xtcp_tw_state6 *st6 = &xtcp_tw6(tw)->st;

	if (tw_is6(tw))
		return tw_chain_find6(tbl, h, &st6->saddr, st6->sport,
				      &st6->daddr, st6->dport);
	return tw_chain_find(tbl, h, tw->st.saddr, tw->st.sport,
			     tw->st.daddr, tw->st.dport);
}

/* True if tw was hashed: the caller now owns the table's reference. */
static bool tw_chain_unlink(struct xtcp_tw_table *tbl, u32 h,
			    struct xtcp_tw_bucket *tw)
{
	struct xtcp_tw_bucket **pp;

	lockdep_assert_held(tw_chain_lock(tbl, h));
	for (pp = &tbl->hash[h]; *pp; pp = &(*pp)->hnext) {
		if (*pp == tw) {
			WRITE_ONCE(*pp, tw->hnext);
			tw->hnext = NULL;
			return true;
		}
	}
	return false;
}

static u64 tw_now_tick(u64 now_ns)
{
	return now_ns >> XTCP_TW_TICK_SHIFT;
}

/*
 * (Re)start 2MSL: the first tick at which tw_len has fully elapsed, and no
 * earlier than len_ticks past the wheel's clock, which keeps the sequence of
 * expiry ticks non-decreasing even when KUnit has run the wheel ahead.
 */
static void tw_wheel_add(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw,
			 u64 now_ns)
{
	u64 t = max(DIV_ROUND_UP_ULL(now_ns + tbl->len_ns, TW_TICK_NS),
		    tbl->clock + tbl->len_ticks);

	lockdep_assert_held(&tbl->wheel_lock);
	tw->expires = (u32)t;
	list_add_tail(&tw->wheel, &tbl->wheel[t & tbl->wheel_mask]);
}

static void tw_wheel_del(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw)
{
	lockdep_assert_held(&tbl->wheel_lock);
	list_del_init(&tw->wheel);
	WRITE_ONCE(tbl->count, tbl->count - 1);
}

/* Wake at the start of the next tick to expire, or soon if work was left. */
static void tw_arm(struct xtcp_tw_table *tbl, bool soon)
{
	s64 delay = TW_RESCHED_NS;

	lockdep_assert_held(&tbl->wheel_lock);
	if (!tbl->count)
		return;
	if (!soon)
		delay = max_t(s64, (s64)((tbl->clock << XTCP_TW_TICK_SHIFT) -
					 ktime_get_ns()), 0);
	hrtimer_start_range_ns(&tbl->timer, ns_to_ktime(delay), TW_TICK_NS / 8,
			       HRTIMER_MODE_REL_SOFT);
}

/*
 * Move up to @want due buckets off the wheel into @batch, each with a
 * reference of its own. A bucket on the wheel is hashed, so the table's
 * reference keeps it alive while we take ours.
 */
static unsigned int tw_collect(struct xtcp_tw_table *tbl, u64 now,
			       struct xtcp_tw_bucket **batch,
			       unsigned int want)
{
	struct xtcp_tw_bucket *tw;
	struct list_head *slot;
	unsigned int n = 0;

	spin_lock_bh(&tbl->wheel_lock);
	/* Asleep for a whole turn or more: every slot, once, is enough. */
	if (tbl->clock <= now && now - tbl->clock > tbl->wheel_mask)
		tbl->clock = now - tbl->wheel_mask;
	while (tbl->clock <= now) {
		slot = &tbl->wheel[tbl->clock & tbl->wheel_mask];
		while (n < want && !list_empty(slot)) {
			tw = list_first_entry(slot, struct xtcp_tw_bucket, wheel);
			if ((s32)(tw->expires - (u32)now) > 0)
				break;	/* sorted: the rest are later too */
			tw_wheel_del(tbl, tw);
			refcount_inc(&tw->refcnt);
			batch[n++] = tw;
		}
		if (n == want)
			break;	/* this slot may hold more: stay on it */
		tbl->clock++;
	}
	spin_unlock_bh(&tbl->wheel_lock);
	return n;
}

/* Drop the table's reference if nobody unhashed tw first, then ours. */
static void tw_release(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw)
{
	u32 h = tw_bucket_hash(tbl, tw);
	spinlock_t *lock = tw_chain_lock(tbl, h);
	bool unhashed;

	spin_lock_bh(lock);
	unhashed = tw_chain_unlink(tbl, h, tw);
	spin_unlock_bh(lock);
	if (unhashed)
		xtcp_tw_put(tw);
	xtcp_tw_put(tw);
}

/*
 * Free the buckets whose 2MSL has run out by @now_ns, at most
 * XTCP_TW_EXPIRE_BUDGET of them; returns how many. The timer calls it with the
 * monotonic clock, KUnit with any clock it likes. That the run-out 2MSL ends
 * TIME-WAIT is the state table's XTCP_EV_TIMEWAIT_EXPIRED cell (MUST-13).
 */
VISIBLE_IF_KUNIT unsigned int xtcp_tw_expire(struct xtcp_tw_table *tbl,
					     u64 now_ns)
{
	struct xtcp_tw_bucket *batch[TW_BATCH];
	u64 now = tw_now_tick(now_ns);
	unsigned int done = 0, n, i;

	if (xtcp_state_next(XTCP_TIME_WAIT, XTCP_EV_TIMEWAIT_EXPIRED,
			    false).next != XTCP_CLOSE)
		return 0;

	while (done < XTCP_TW_EXPIRE_BUDGET) {
		n = tw_collect(tbl, now, batch,
			       min_t(unsigned int, TW_BATCH,
				     XTCP_TW_EXPIRE_BUDGET - done));
		for (i = 0; i < n; i++) {
			trace_xtcp_tw_expire(tbl->netns, xtcp_tw_st(batch[i]));
			tw_release(tbl, batch[i]);
		}
		done += n;
		if (n < TW_BATCH)
			break;
	}
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_expire);

/*
 * Re-arms by hrtimer_start() under wheel_lock rather than returning
 * HRTIMER_RESTART, so that its decision and insert's are serialised.
 */
static enum hrtimer_restart tw_timer_fn(struct hrtimer *timer)
{
	struct xtcp_tw_table *tbl = container_of(timer, struct xtcp_tw_table,
						 timer);
	unsigned int done = xtcp_tw_expire(tbl, ktime_get_ns());

	spin_lock_bh(&tbl->wheel_lock);
	tw_arm(tbl, done == XTCP_TW_EXPIRE_BUDGET);
	spin_unlock_bh(&tbl->wheel_lock);
	return HRTIMER_NORESTART;
}

/*
 * Process context. hash_size is rounded up to a power of two; max_buckets 0
 * refuses every insert (TIME_WAIT off); tw_len_ms is 2MSL, 0 for the default.
 */
int xtcp_tw_table_init(struct xtcp_tw_table *tbl, unsigned int hash_size,
		       unsigned int max_buckets, unsigned int tw_len_ms)
{
	unsigned int i, nlocks, nslots;

	if (!tw_cache)
		return -ENODEV;
	if (!tw_len_ms)
		tw_len_ms = XTCP_TW_LEN_MS;
	if (!hash_size || hash_size > TW_MAX_HASH ||
	    tw_len_ms > XTCP_TW_LEN_MAX_MS)
		return -EINVAL;

	memset(tbl, 0, sizeof(*tbl));
	hash_size = roundup_pow_of_two(hash_size);
	tbl->hash_mask = hash_size - 1;
	tbl->hash_seed = get_random_u32();
	tbl->len_ns = (u64)tw_len_ms * NSEC_PER_MSEC;
	tbl->len_ticks = DIV_ROUND_UP_ULL(tbl->len_ns, TW_TICK_NS);
	tbl->max = max_buckets;
	tbl->clock = tw_now_tick(ktime_get_ns());
	/* A bucket added now lands at most len_ticks + 1 ahead: one turn. */
	nslots = roundup_pow_of_two(tbl->len_ticks + 2);
	tbl->wheel_mask = nslots - 1;
	nlocks = min_t(unsigned int, hash_size, TW_MAX_LOCKS);
	tbl->lock_mask = nlocks - 1;

	tbl->hash = kvcalloc(hash_size, sizeof(*tbl->hash), GFP_KERNEL);
	tbl->locks = kvmalloc_array(nlocks, sizeof(*tbl->locks), GFP_KERNEL);
	tbl->wheel = kvmalloc_array(nslots, sizeof(*tbl->wheel), GFP_KERNEL);
	if (!tbl->hash || !tbl->locks || !tbl->wheel) {
		kvfree(tbl->wheel);
		kvfree(tbl->locks);
		kvfree(tbl->hash);
		return -ENOMEM;
	}
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&tbl->locks[i]);
	for (i = 0; i < nslots; i++)
		INIT_LIST_HEAD(&tbl->wheel[i]);
	spin_lock_init(&tbl->wheel_lock);
	hrtimer_init(&tbl->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	tbl->timer.function = tw_timer_fn;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_table_init);

/*
 * Process context, once nothing else can call into the table (its netns is
 * going away). The timer is stopped first, with no lock held: its callback
 * takes them. Buckets callers still hold references to outlive the table and
 * are freed by their last xtcp_tw_put().
 */
void xtcp_tw_table_destroy(struct xtcp_tw_table *tbl)
{
	struct xtcp_tw_bucket *tw;
	spinlock_t *lock;
	u32 h;

	hrtimer_cancel(&tbl->timer);
	for (h = 0; h <= tbl->hash_mask; h++) {
		lock = tw_chain_lock(tbl, h);
		spin_lock_bh(lock);
		while ((tw = tbl->hash[h])) {
			WRITE_ONCE(tbl->hash[h], tw->hnext);
			tw->hnext = NULL;
			spin_lock(&tbl->wheel_lock);
			if (!list_empty(&tw->wheel))
				tw_wheel_del(tbl, tw);
			spin_unlock(&tbl->wheel_lock);
			xtcp_tw_put(tw);
		}
		spin_unlock_bh(lock);
	}
	WARN_ON_ONCE(tbl->count);
	kvfree(tbl->wheel);
	kvfree(tbl->locks);
	kvfree(tbl->hash);
	tbl->wheel = NULL;
	tbl->locks = NULL;
	tbl->hash = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_table_destroy);

/*
 * A connection enters TIME-WAIT: record it for 2MSL. Any context. Returns the
 * bucket with a reference for the caller, ERR_PTR(-ENOSPC) over the table's
 * max (counted in overflows), -EEXIST if the 4-tuple is already there, or
 * -ENOMEM.
 */
static bool tw_full(struct xtcp_tw_table *tbl)
{
	if (READ_ONCE(tbl->count) < tbl->max)
		return false;
	spin_lock_bh(&tbl->wheel_lock);
	WRITE_ONCE(tbl->overflows, tbl->overflows + 1);
	spin_unlock_bh(&tbl->wheel_lock);
	return true;
}

/* Hash and start @tw, whose state is set: xtcp_tw_insert()'s work. */
static struct xtcp_tw_bucket *tw_add(struct xtcp_tw_table *tbl,
				     struct xtcp_tw_bucket *tw)
{
	spinlock_t *lock;
	u64 now_ns;
	int err;
	u32 h;

	INIT_LIST_HEAD(&tw->wheel);
	refcount_set(&tw->refcnt, 2);	/* the table's and the caller's */

	h = tw_bucket_hash(tbl, tw);
	lock = tw_chain_lock(tbl, h);
	spin_lock_bh(lock);
	if (tw_chain_has(tbl, h, tw)) {
		err = -EEXIST;
		goto unlock;
	}
	spin_lock(&tbl->wheel_lock);
	if (tbl->count >= tbl->max) {
		WRITE_ONCE(tbl->overflows, tbl->overflows + 1);
		spin_unlock(&tbl->wheel_lock);
		err = -ENOSPC;
		goto unlock;
	}
	now_ns = ktime_get_ns();
	if (!tbl->count)	/* nothing due on an empty wheel: catch up */
		tbl->clock = max(tbl->clock, tw_now_tick(now_ns));
	tw_wheel_add(tbl, tw, now_ns);
	WRITE_ONCE(tbl->count, tbl->count + 1);
	if (!hrtimer_is_queued(&tbl->timer))
		tw_arm(tbl, false);
	spin_unlock(&tbl->wheel_lock);
	tw->hnext = tbl->hash[h];
	WRITE_ONCE(tbl->hash[h], tw);
	spin_unlock_bh(lock);
	return tw;

unlock:
	spin_unlock_bh(lock);
	tw_free(tw);
	return ERR_PTR(err);
}

struct xtcp_tw_bucket *xtcp_tw_insert(struct xtcp_tw_table *tbl,
				      const struct xtcp_tw_state *st)
{
	struct xtcp_tw_bucket *tw;

	if (WARN_ON_ONCE(st->family == XTCP_TW_INET6))
		return ERR_PTR(-EINVAL);
	if (tw_full(tbl))
		return ERR_PTR(-ENOSPC);
	tw = kmem_cache_alloc(tw_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!tw)
		return ERR_PTR(-ENOMEM);
	tw->st = *st;
	return tw_add(tbl, tw);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_insert);

/* The same for an IPv6 connection: a 96-byte bucket. */
struct xtcp_tw_bucket *xtcp_tw_insert6(struct xtcp_tw_table *tbl,
				       const struct xtcp_tw_state6 *st)
{
	struct xtcp_tw_bucket6 *tw;

	if (WARN_ON_ONCE(st->family != XTCP_TW_INET6))
		return ERR_PTR(-EINVAL);
	if (tw_full(tbl))
		return ERR_PTR(-ENOSPC);
	tw = kmem_cache_alloc(tw6_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!tw)
		return ERR_PTR(-ENOMEM);
	tw->st = *st;
	return tw_add(tbl, (struct xtcp_tw_bucket *)tw);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_insert6);

/*
 * @tw, the bucket of a segment's 4-tuple found under its chain lock (or
 * NULL), with a reference; NULL if it is bound to another device than the
 * one the segment came in on (@dif < 0: any), for the 4-tuple is unique: no
 * other bucket has it.
 */
static struct xtcp_tw_bucket *tw_hold_found(struct net *net,
					    struct xtcp_tw_bucket *tw,
					    int dif, int sdif)
{
	int bound;

	if (!tw)
		return NULL;
	bound = tw_is6(tw) ? xtcp_tw6(tw)->st.bound_dev_if : tw->st.bound_dev_if;
	if (dif >= 0 && !inet_sk_bound_dev_eq(net, bound, dif, sdif))
		return NULL;
	refcount_inc(&tw->refcnt);
	return tw;
}

/*
 * A segment arrived on device @dif (@sdif its L3 master's slave, 0 if none):
 * its TIME_WAIT bucket with a reference, or NULL. A bucket bound to a device
 * is found only from it, an unbound one from any (from a VRF's slave only with
 * net.ipv4.tcp_l3mdev_accept), as inet_match() finds Linux's timewait socks.
 * @dif < 0: whatever the device, for connect(), which keeps a 4-tuple unique
 * in the table (and in the connection hash) whatever the devices.
 */
struct xtcp_tw_bucket *xtcp_tw_lookup(struct xtcp_tw_table *tbl,
				      struct net *net,
				      __be32 saddr, __be16 sport,
				      __be32 daddr, __be16 dport,
				      int dif, int sdif)
{
	u32 h = tw_hash4(tbl, saddr, sport, daddr, dport);
	spinlock_t *lock = tw_chain_lock(tbl, h);
	struct xtcp_tw_bucket *tw;

	/*
	 * Every TCP segment no xtcp socket claims comes through here, the
	 * kernel's own traffic too: an empty chain is seen without its lock.
	 */
	if (!READ_ONCE(tbl->hash[h]))
		return NULL;
	spin_lock_bh(lock);
	tw = tw_hold_found(net, tw_chain_find(tbl, h, saddr, sport, daddr,
					      dport), dif, sdif);
	spin_unlock_bh(lock);
	return tw;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_lookup);

/* xtcp_tw_lookup() for an IPv6 segment: IPv6 buckets only. */
struct xtcp_tw_bucket *xtcp_tw_lookup6(struct xtcp_tw_table *tbl,
				       struct net *net,
				       const struct in6_addr *saddr, __be16 sport,
				       const struct in6_addr *daddr, __be16 dport,
				       int dif, int sdif)
{
	u32 h = tw_hash6(tbl, saddr, sport, daddr, dport);
	spinlock_t *lock = tw_chain_lock(tbl, h);
	struct xtcp_tw_bucket *tw;

	if (!READ_ONCE(tbl->hash[h]))
		return NULL;
	spin_lock_bh(lock);
	tw = tw_hold_found(net, tw_chain_find6(tbl, h, saddr, sport, daddr,
					       dport), dif, sdif);
	spin_unlock_bh(lock);
	return tw;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_lookup6);

/*
 * A retransmitted FIN arrived: 2MSL starts again. The caller holds a
 * reference. -ENOENT if the bucket is already on its way out (killed, or
 * expiring at this very moment).
 */
int xtcp_tw_restart(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw)
{
	int err = -ENOENT;

	spin_lock_bh(&tbl->wheel_lock);
	if (!list_empty(&tw->wheel)) {
		list_del(&tw->wheel);
		tw_wheel_add(tbl, tw, ktime_get_ns());
		err = 0;
	}
	spin_unlock_bh(&tbl->wheel_lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_restart);

/*
 * An acceptable RST, or a SYN that reuses the 4-tuple (RFC 6191): the bucket
 * goes now. The caller holds a reference, still to be put. False if someone
 * else removed it first.
 */
bool xtcp_tw_kill(struct xtcp_tw_table *tbl, struct xtcp_tw_bucket *tw)
{
	u32 h = tw_bucket_hash(tbl, tw);
	spinlock_t *lock = tw_chain_lock(tbl, h);
	bool killed;

	spin_lock_bh(lock);
	killed = tw_chain_unlink(tbl, h, tw);
	if (killed) {
		spin_lock(&tbl->wheel_lock);
		if (!list_empty(&tw->wheel))
			tw_wheel_del(tbl, tw);
		spin_unlock(&tbl->wheel_lock);
	}
	spin_unlock_bh(lock);
	if (killed)
		xtcp_tw_put(tw);	/* the table's reference */
	return killed;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_kill);

void xtcp_tw_put(struct xtcp_tw_bucket *tw)
{
	if (refcount_dec_and_test(&tw->refcnt))
		tw_free(tw);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_put);

unsigned int xtcp_tw_count(const struct xtcp_tw_table *tbl)
{
	return READ_ONCE(tbl->count);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_count);

unsigned long xtcp_tw_overflows(const struct xtcp_tw_table *tbl)
{
	return READ_ONCE(tbl->overflows);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_overflows);

/*
 * Change 2MSL for buckets entered from now on (net.xtcp.tw_timeout_ms). The
 * wheel was sized at init for the longest length it serves.
 */
int xtcp_tw_set_len(struct xtcp_tw_table *tbl, unsigned int tw_len_ms)
{
	u64 len_ns = (u64)tw_len_ms * NSEC_PER_MSEC;
	u32 len_ticks = DIV_ROUND_UP_ULL(len_ns, TW_TICK_NS);

	if (!tw_len_ms || len_ticks + 2 > tbl->wheel_mask + 1)
		return -EINVAL;
	spin_lock_bh(&tbl->wheel_lock);
	tbl->len_ns = len_ns;
	tbl->len_ticks = len_ticks;
	spin_unlock_bh(&tbl->wheel_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_set_len);

/*
 * For /proc/net/xtcp: copy out the bucket at (*chain, *offset) whose family
 * is in @families (BIT(XTCP_TW_INET)...) and advance the cursor; false at the
 * end. @expires_ms is the time left until it expires.
 */
bool xtcp_tw_walk(struct xtcp_tw_table *tbl, unsigned int *chain,
		  unsigned int *offset, unsigned int families,
		  union xtcp_tw_any *st, unsigned int *expires_ms)
{
	u64 now_tick = tw_now_tick(ktime_get_ns());

	for (; *chain <= tbl->hash_mask; (*chain)++, *offset = 0) {
		spinlock_t *lock = tw_chain_lock(tbl, *chain);
		struct xtcp_tw_bucket *tw;
		unsigned int n = 0;

		/* empty chains, most of them, without their lock (BHs stay on) */
		if (!READ_ONCE(tbl->hash[*chain]))
			continue;
		spin_lock_bh(lock);
		for (tw = tbl->hash[*chain]; tw; tw = tw->hnext) {
			s32 left;

			if (n++ < *offset || !(families & BIT(tw->st.family)))
				continue;
			if (tw_is6(tw))
				st->v6 = xtcp_tw6(tw)->st;
			else
				st->v4 = tw->st;
			left = (s32)(tw->expires - (u32)now_tick);
			*expires_ms = left > 0 ?
				(u32)(((u64)left << XTCP_TW_TICK_SHIFT) /
				      NSEC_PER_MSEC) : 0;
			spin_unlock_bh(lock);
			*offset = n;
			return true;
		}
		spin_unlock_bh(lock);
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_walk);

/*
 * Every bucket's state, chain by chain under the chain lock, until @fn says
 * stop; true if it did. A walk of the whole table: for the rare callers only.
 */
static bool tw_for_each(struct xtcp_tw_table *tbl,
			bool (*fn)(const union xtcp_tw_any *st, void *arg),
			void *arg)
{
	unsigned int i;

	if (!READ_ONCE(tbl->count))
		return false;
	for (i = 0; i <= tbl->hash_mask; i++) {
		spinlock_t *lock = tw_chain_lock(tbl, i);
		struct xtcp_tw_bucket *tw;
		bool stop = false;

		if (!READ_ONCE(tbl->hash[i]))
			continue;
		spin_lock_bh(lock);
		for (tw = tbl->hash[i]; tw && !stop; tw = tw->hnext)
			stop = fn(xtcp_tw_st(tw), arg);
		spin_unlock_bh(lock);
		if (stop)
			return true;
	}
	return false;
}

/* Two devices a binder and a bucket may both be on (0: none). */
static bool tw_dev_overlap(int want, int have)
{
	return !want || !have || want == have;
}

/* An IPv4 binder's: IPv6 buckets hold other addresses. */
static bool tw_on_port(const union xtcp_tw_any *any, void *arg)
{
	const struct xtcp_tw_state *want = arg, *st = &any->v4;

	return st->family != XTCP_TW_INET6 && st->sport == want->sport &&
	       (!want->saddr || st->saddr == want->saddr) &&
	       tw_dev_overlap(want->bound_dev_if, st->bound_dev_if);
}

/*
 * bind() without SO_REUSEADDR fails while a TIME_WAIT bucket holds the port,
 * as the kernel's TCP refuses it: true if one does (for @saddr, or for any
 * address if @saddr is the wildcard), unless the binder and the bucket are
 * bound to two different devices, as inet_bind_conflict() lets them be.
 * @bound_dev_if 0 (an unbound binder): a bucket on any device. A walk of the
 * table: binds are rare.
 */
bool xtcp_tw_port_busy(struct xtcp_tw_table *tbl, __be32 saddr, __be16 sport,
		       int bound_dev_if)
{
	struct xtcp_tw_state want = {
		.saddr = saddr, .sport = sport, .bound_dev_if = bound_dev_if,
	};

	return tw_for_each(tbl, tw_on_port, &want);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_port_busy);

struct tw_want6 {
	const struct in6_addr *saddr;
	__be16 sport;
	int bound_dev_if;
	bool v6only;
};

/*
 * An IPv6 binder's, as ipv6_rcv_saddr_equal() judges overlap: an IPv6 bucket
 * on its address, or any if it binds ::; an IPv4 or mapped one unless it is
 * v6-only, on the v4 address it maps, or any if it binds ::.
 */
static bool tw_on_port6(const union xtcp_tw_any *any, void *arg)
{
	const struct tw_want6 *w = arg;
	bool wild = ipv6_addr_any(w->saddr);

	if (xtcp_tw_sport(any) != w->sport)
		return false;
	if (any->v4.family == XTCP_TW_INET6)
		return (wild || ipv6_addr_equal(&any->v6.saddr, w->saddr)) &&
		       tw_dev_overlap(w->bound_dev_if, any->v6.bound_dev_if);
	if (w->v6only)
		return false;
	return (wild || (ipv6_addr_v4mapped(w->saddr) &&
			 w->saddr->s6_addr32[3] == any->v4.saddr)) &&
	       tw_dev_overlap(w->bound_dev_if, any->v4.bound_dev_if);
}

/*
 * xtcp_tw_port_busy() for an IPv6 binder on @saddr (:: for any, or a v4-mapped
 * address), v6-only or not.
 */
bool xtcp_tw_port_busy6(struct xtcp_tw_table *tbl,
			const struct in6_addr *saddr, __be16 sport,
			int bound_dev_if, bool v6only)
{
	struct tw_want6 want = {
		.saddr = saddr, .sport = sport, .bound_dev_if = bound_dev_if,
		.v6only = v6only,
	};

	return tw_for_each(tbl, tw_on_port6, &want);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_port_busy6);

static bool tw_mark_port(const union xtcp_tw_any *st, void *arg)
{
	__set_bit(ntohs(xtcp_tw_sport(st)), arg);
	return false;
}

/* Set the bit of every local port some bucket is on in @ports (65536 bits). */
void xtcp_tw_ports(struct xtcp_tw_table *tbl, unsigned long *ports)
{
	tw_for_each(tbl, tw_mark_port, ports);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tw_ports);
