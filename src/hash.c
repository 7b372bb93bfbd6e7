// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c: the tables the input path looks sockets up in.
 *
 *  - Connections (every state from SYN-SENT to LAST-ACK) by 4-tuple, through
 *    sk->sk_node, and a listener's requests (request.h), which begin with
 *    a struct sock_common as sockets do: chains mix the two, as the
 *    kernel's ehash mixes sockets and request_socks, and the lookup returns
 *    either. 2^16 chains: 100k connections average 1.5 per chain.
 *    Connections on the IPv6 wire (a socket whose af is IPv6's, a request
 *    with its ipv6 bit) are in a table of their own, ehash6, keyed on
 *    sk_v6_rcv_saddr and sk_v6_daddr; v4-mapped ones stay in ehash, keyed
 *    on their IPv4 fields, where the IPv4 hook finds them
 *    (Documentation/design-ipv6.rst, "Tables").
 *  - Bound sockets by local port, through xtcp_sock.listen_node: listeners,
 *    and sockets bound but idle (state CLOSE), which /proc/net/xtcp lists.
 *
 * Both tables are module-wide, with the namespace in the key, as the kernel's
 * TCP does. Writers take the chain's _bh spinlock, readers only RCU: every
 * xtcp socket is SOCK_RCU_FREE, so a socket found under rcu_read_lock() stays
 * readable and refcount_inc_not_zero() decides whether it may be used (a
 * request is freed after a grace period, too). Being in a table holds one
 * reference.
 */
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "hash.h"
#include "request.h"
#include "xtcp.h"

#define EHASH_BITS	16
#define BHASH_BITS	10
#define LOCK_BITS	10

struct xtcp_table {
	struct hlist_head *heads;
	spinlock_t *locks;
	u32 mask;
};

static struct xtcp_table ehash, ehash6, bhash;
static u32 hash_seed __read_mostly;

static int table_init(struct xtcp_table *t, unsigned int bits)
{
	unsigned int i, nlocks = 1U << min_t(unsigned int, bits, LOCK_BITS);

	t->heads = kvcalloc(1U << bits, sizeof(*t->heads), GFP_KERNEL);
	t->locks = kvcalloc(nlocks, sizeof(*t->locks), GFP_KERNEL);
	if (!t->heads || !t->locks) {
		kvfree(t->heads);
		kvfree(t->locks);
		return -ENOMEM;
	}
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&t->locks[i]);
	t->mask = (1U << bits) - 1;
	return 0;
}

static void table_destroy(struct xtcp_table *t)
{
	unsigned int i;

	for (i = 0; i <= t->mask; i++)
		WARN_ON(!hlist_empty(&t->heads[i]));
	kvfree(t->heads);
	kvfree(t->locks);
}

static spinlock_t *chain_lock(struct xtcp_table *t, u32 h)
{
	return &t->locks[h & (t == &bhash ? t->mask : (1U << LOCK_BITS) - 1)];
}

int xtcp_hash_init(void)
{
	int err;

	hash_seed = get_random_u32();
	err = table_init(&ehash, EHASH_BITS);
	if (err)
		return err;
	err = table_init(&ehash6, EHASH_BITS);
	if (err)
		goto err_ehash;
	err = table_init(&bhash, BHASH_BITS);
	if (err)
		goto err_ehash6;
	return 0;

err_ehash6:
	table_destroy(&ehash6);
err_ehash:
	table_destroy(&ehash);
	return err;
}

void xtcp_hash_exit(void)
{
	table_destroy(&bhash);
	table_destroy(&ehash6);
	table_destroy(&ehash);
}

static u32 ehashfn(const struct net *net, __be32 saddr, __be16 sport,
		   __be32 daddr, __be16 dport)
{
	u32 ports = (__force u32)sport << 16 | (__force u32)dport;

	return jhash_3words((__force u32)saddr, (__force u32)daddr, ports,
			    hash_seed ^ net_hash_mix(net)) & ehash.mask;
}

/* ehashfn()'s over IPv6 addresses: both, then the ports, under one seed */
static u32 ehashfn6(const struct net *net, const struct in6_addr *saddr,
		    __be16 sport, const struct in6_addr *daddr, __be16 dport)
{
	u32 seed = hash_seed ^ net_hash_mix(net);
	u32 ports = (__force u32)sport << 16 | (__force u32)dport;

	return jhash_3words(jhash2((__force const u32 *)saddr->s6_addr32, 4,
				   seed),
			    jhash2((__force const u32 *)daddr->s6_addr32, 4,
				   seed),
			    ports, seed) & ehash6.mask;
}

static u32 bhashfn(const struct net *net, u16 port)
{
	return jhash_1word(port, hash_seed ^ net_hash_mix(net)) & bhash.mask;
}

static bool match_tuple(const struct sock *sk, const struct net *net,
			__be32 saddr, __be16 sport, __be32 daddr, __be16 dport)
{
	/* sock_common's fields only: a request (request.h) is matched too */
	return sk->sk_rcv_saddr == saddr && sk->sk_daddr == daddr &&
	       sk->sk_num == ntohs(sport) && sk->sk_dport == dport &&
	       net_eq(sock_net(sk), net);
}

/* inet6_match()'s fields */
static bool match_tuple6(const struct sock *sk, const struct net *net,
			 const struct in6_addr *saddr, __be16 sport,
			 const struct in6_addr *daddr, __be16 dport)
{
	return sk->sk_num == ntohs(sport) && sk->sk_dport == dport &&
	       ipv6_addr_equal(&sk->sk_v6_rcv_saddr, saddr) &&
	       ipv6_addr_equal(&sk->sk_v6_daddr, daddr) &&
	       net_eq(sock_net(sk), net);
}

/* Is @sk (a socket or a request) a connection on the IPv6 wire? */
static bool wire6(const struct sock *sk)
{
	if (xtcp_is_request(sk))
		return xtcp_req(sk)->ipv6;
	return xtcp_sk(sk)->af->family == AF_INET6;
}

/* The connection table of @sk, and its chain there into *@h. */
static struct xtcp_table *ehash_of(const struct sock *sk, u32 *h)
{
	if (wire6(sk)) {
		*h = ehashfn6(sock_net(sk), &sk->sk_v6_rcv_saddr,
			      htons(sk->sk_num), &sk->sk_v6_daddr,
			      sk->sk_dport);
		return &ehash6;
	}
	*h = ehashfn(sock_net(sk), sk->sk_rcv_saddr, htons(sk->sk_num),
		     sk->sk_daddr, sk->sk_dport);
	return &ehash;
}

/* Another connection of @sk's 4-tuple in chain @h of @t, under its lock. */
static bool chain_has_tuple(struct xtcp_table *t, u32 h, const struct sock *sk)
{
	__be16 sport = htons(sk->sk_num);
	struct sock *o;

	hlist_for_each_entry(o, &t->heads[h], sk_node) {
		if (t == &ehash6 ?
		    match_tuple6(o, sock_net(sk), &sk->sk_v6_rcv_saddr, sport,
				 &sk->sk_v6_daddr, sk->sk_dport) :
		    match_tuple(o, sock_net(sk), sk->sk_rcv_saddr, sport,
				sk->sk_daddr, sk->sk_dport))
			return true;
	}
	return false;
}

/*
 * A socket bound to a device (SO_BINDTODEVICE, or a VRF's) sees only what
 * comes in on it: @dif the device, @sdif its L3 master's slave (0 if none),
 * as INET_MATCH() compares them for the kernel's TCP. @dif < 0: any device
 * (a 4-tuple is unique in the table whatever the device, see
 * xtcp_hash_connection()).
 */
static bool match_established(const struct sock *sk, struct net *net,
			      __be32 saddr, __be16 sport, __be32 daddr,
			      __be16 dport, int dif, int sdif)
{
	return match_tuple(sk, net, saddr, sport, daddr, dport) &&
	       (dif < 0 ||
		inet_sk_bound_dev_eq(net, READ_ONCE(sk->sk_bound_dev_if), dif,
				     sdif));
}

/*
 * Insert a connecting or connected socket. -EADDRNOTAVAIL if its 4-tuple is
 * taken (as connect() says when no 4-tuple is free).
 */
int xtcp_hash_connection(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_table *t;
	spinlock_t *lock;
	u32 h;

	xtcp_sock_assert_locked(sk);
	t = ehash_of(sk, &h);
	lock = chain_lock(t, h);
	spin_lock_bh(lock);
	if (chain_has_tuple(t, h, sk)) {
		spin_unlock_bh(lock);
		return -EADDRNOTAVAIL;
	}
	sock_hold(sk);
	hlist_add_head_rcu(&sk->sk_node, &t->heads[h]);
	xtcp_sk(sk)->hashed = 1;
	spin_unlock_bh(lock);
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_hash_connection);

static spinlock_t *ehash_lock_of(const struct sock *sk)
{
	struct xtcp_table *t;
	u32 h;

	t = ehash_of(sk, &h);
	return chain_lock(t, h);
}

/*
 * Insert a request (request.c), whose reference the caller has counted for
 * the table. -EADDRNOTAVAIL if its 4-tuple is taken.
 */
int xtcp_hash_request(struct sock *req)
{
	struct xtcp_table *t;
	spinlock_t *lock;
	u32 h;

	t = ehash_of(req, &h);
	lock = chain_lock(t, h);
	spin_lock_bh(lock);
	if (chain_has_tuple(t, h, req)) {
		spin_unlock_bh(lock);
		return -EADDRNOTAVAIL;
	}
	hlist_add_head_rcu(&req->sk_node, &t->heads[h]);
	spin_unlock_bh(lock);
	return 0;
}

/*
 * A request out of the table. True for the one caller that took it out: it
 * owns the table's reference. Its readers may still hold it.
 */
bool xtcp_unhash_request(struct sock *req)
{
	spinlock_t *lock = ehash_lock_of(req);
	bool was;

	spin_lock_bh(lock);
	was = !sk_unhashed(req);
	if (was)
		hlist_del_init_rcu(&req->sk_node);
	spin_unlock_bh(lock);
	return was;
}

/*
 * The child @sk takes request @req's place in the table, as
 * inet_ehash_nolisten() replaces a request_sock: a reader walking the chain
 * meets one or the other, never neither. False if @req was gone already (its
 * timer gave up): then @sk is not hashed. On success the caller owns the
 * table's reference on @req.
 */
bool xtcp_hash_replace(struct sock *req, struct sock *sk)
{
	spinlock_t *lock = ehash_lock_of(req);
	bool was;

	xtcp_sock_assert_locked(sk);
	spin_lock_bh(lock);
	was = !sk_unhashed(req);
	if (was) {
		sock_hold(sk);
		hlist_replace_rcu(&req->sk_node, &sk->sk_node);
		req->sk_node.pprev = NULL;	/* sk_unhashed() */
		xtcp_sk(sk)->hashed = 1;
	}
	spin_unlock_bh(lock);
	if (was)
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return was;
}

/* Insert a bound socket (idle or listening) by its local port. */
int xtcp_hash_listener(struct sock *sk)
{
	u32 h = bhashfn(sock_net(sk), inet_sk(sk)->inet_num);
	spinlock_t *lock = chain_lock(&bhash, h);

	xtcp_sock_assert_locked(sk);
	if (xtcp_sk(sk)->hashed)
		return 0;
	spin_lock_bh(lock);
	sock_hold(sk);
	hlist_add_head_rcu(&xtcp_sk(sk)->listen_node, &bhash.heads[h]);
	xtcp_sk(sk)->hashed = 1;
	spin_unlock_bh(lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

/* Out of whichever table the socket is in; its readers may still hold it. */
void xtcp_unhash(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	spinlock_t *lock;
	bool bound;

	if (!xs->hashed)
		return;
	bound = !hlist_unhashed(&xs->listen_node);
	if (bound)
		lock = chain_lock(&bhash,
				  bhashfn(sock_net(sk), inet_sk(sk)->inet_num));
	else
		lock = ehash_lock_of(sk);
	spin_lock_bh(lock);
	if (bound)
		hlist_del_init_rcu(&xs->listen_node);
	else
		hlist_del_init_rcu(&sk->sk_node);
	xs->hashed = 0;
	spin_unlock_bh(lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	__sock_put(sk);		/* the caller still holds one */
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_unhash);

/*
 * The connection a received segment belongs to, with a reference, or NULL:
 * a socket, or a request (xtcp_is_request(); put it with xtcp_sk_put()).
 * @dif, @sdif: the device it came in on (inet_iif(), inet_sdif()); -1 and 0
 * for the connection of that 4-tuple on any device.
 */
struct sock *xtcp_lookup_established(struct net *net, __be32 saddr,
				     __be16 sport, __be32 daddr, __be16 dport,
				     int dif, int sdif)
{
	u32 h = ehashfn(net, saddr, sport, daddr, dport);
	struct sock *sk;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sk, &ehash.heads[h], sk_node) {
		if (match_established(sk, net, saddr, sport, daddr, dport, dif,
				      sdif) &&
		    refcount_inc_not_zero(&sk->sk_refcnt)) {
			rcu_read_unlock();
			return sk;
		}
	}
	rcu_read_unlock();
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_lookup_established);

/*
 * xtcp_lookup_established() for a segment on the IPv6 wire: the connections
 * of ehash6 (no v4-mapped one: those are the IPv4 hook's).
 */
struct sock *xtcp_lookup_established6(struct net *net,
				      const struct in6_addr *saddr, __be16 sport,
				      const struct in6_addr *daddr, __be16 dport,
				      int dif, int sdif)
{
	u32 h = ehashfn6(net, saddr, sport, daddr, dport);
	struct sock *sk;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sk, &ehash6.heads[h], sk_node) {
		if (match_tuple6(sk, net, saddr, sport, daddr, dport) &&
		    (dif < 0 ||
		     inet_sk_bound_dev_eq(net, READ_ONCE(sk->sk_bound_dev_if),
					  dif, sdif)) &&
		    refcount_inc_not_zero(&sk->sk_refcnt)) {
			rcu_read_unlock();
			return sk;
		}
	}
	rcu_read_unlock();
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_lookup_established6);

/*
 * How well listener @sk fits a segment to @daddr:@port that came in on @dif
 * (@sdif), as compute_score() in inet_hashtables.c ranks them: -1 if not at
 * all; one bound to @daddr itself before one bound to the wildcard, and at the
 * same address, one bound to the device before one that is not.
 */
static int listener_score(struct sock *sk, struct net *net, __be32 daddr,
			  u16 port, int dif, int sdif)
{
	int bound_dev_if = READ_ONCE(sk->sk_bound_dev_if);

	if (inet_sk(sk)->inet_num != port ||
	    READ_ONCE(sk->sk_state) != XTCP_LISTEN ||
	    !net_eq(sock_net(sk), net) ||
	    (sk->sk_rcv_saddr && sk->sk_rcv_saddr != daddr) ||
	    !inet_sk_bound_dev_eq(net, bound_dev_if, dif, sdif))
		return -1;
	return (sk->sk_rcv_saddr ? 2 : 0) + (bound_dev_if ? 1 : 0);
}

/*
 * The listener for a segment to daddr:dport that came in on @dif (@sdif),
 * with a reference: the best by listener_score().
 */
struct sock *xtcp_lookup_listener(struct net *net, __be32 daddr, __be16 dport,
				  int dif, int sdif)
{
	u16 port = ntohs(dport);
	struct sock *best = NULL;
	struct xtcp_sock *xs;
	int hiscore = -1;

	rcu_read_lock();
	hlist_for_each_entry_rcu(xs, &bhash.heads[bhashfn(net, port)],
				 listen_node) {
		struct sock *sk = &xs->inet.sk;
		int score = listener_score(sk, net, daddr, port, dif, sdif);

		if (score > hiscore) {
			best = sk;
			hiscore = score;
		}
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	rcu_read_unlock();
	return best;
}

/*
 * listen() on a port another xtcp listener serves at an overlapping address:
 * the kernel's TCP refuses that with EADDRINUSE even under SO_REUSEADDR.
 */
bool xtcp_listener_conflict(struct sock *sk)
{
	return xtcp_listener_at(sock_net(sk), sk->sk_rcv_saddr,
				inet_sk(sk)->inet_num, sk);
}

/*
 * An xtcp listener other than @except serves @port at an address overlapping
 * @saddr. A bind() with SO_REUSEADDR onto it fails, as onto a TCP listener.
 */
bool xtcp_listener_at(struct net *net, __be32 saddr, u16 port,
		      const struct sock *except)
{
	struct xtcp_sock *xs;
	bool clash = false;

	rcu_read_lock();
	hlist_for_each_entry_rcu(xs, &bhash.heads[bhashfn(net, port)],
				 listen_node) {
		struct sock *o = &xs->inet.sk;

		if (o == except || inet_sk(o)->inet_num != port ||
		    READ_ONCE(o->sk_state) != XTCP_LISTEN ||
		    !net_eq(sock_net(o), net))
			continue;
		if (!o->sk_rcv_saddr || !saddr || o->sk_rcv_saddr == saddr) {
			clash = true;
			break;
		}
	}
	rcu_read_unlock();
	return clash;
}

/*
 * For /proc/net/xtcp: the socket of @net at (*bucket, *offset), counting bound
 * chains first and then connection chains, with a reference (a socket or a
 * request: xtcp_sk_put()); advances the cursor past it. NULL at the end.
 */
struct sock *xtcp_hash_walk(struct net *net, unsigned int *bucket,
			    unsigned int *offset)
{
	unsigned int nb = bhash.mask + 1, n;
	struct sock *sk;

	rcu_read_lock();
	for (; *bucket < nb + ehash.mask + 1; (*bucket)++, *offset = 0) {
		n = 0;
		if (*bucket < nb) {
			struct xtcp_sock *xs;

			hlist_for_each_entry_rcu(xs, &bhash.heads[*bucket],
						 listen_node) {
				sk = &xs->inet.sk;
				if (!net_eq(sock_net(sk), net) || n++ < *offset)
					continue;
				if (refcount_inc_not_zero(&sk->sk_refcnt))
					goto found;
			}
		} else {
			hlist_for_each_entry_rcu(sk,
						 &ehash.heads[*bucket - nb],
						 sk_node) {
				if (!net_eq(sock_net(sk), net) || n++ < *offset)
					continue;
				if (refcount_inc_not_zero(&sk->sk_refcnt))
					goto found;
			}
		}
	}
	rcu_read_unlock();
	return NULL;
found:
	*offset = n;
	rcu_read_unlock();
	return sk;
}
