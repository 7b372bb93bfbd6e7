// SPDX-License-Identifier: GPL-2.0
/*
 * port.c: ports shared with the kernel's TCP.
 *
 * An xtcp socket that binds (explicitly, or implicitly by connect()) holds a
 * kernel TCP socket bound to the same address and port, which never connects
 * and never takes a segment; while the xtcp socket listens, it is marked
 * listening for the kernel's bind checks. The kernel's TCP then refuses that
 * port to its own sockets, and its bind() gives xtcp exactly the answers TCP
 * gives: EADDRINUSE, EADDRNOTAVAIL, EACCES below ip_unprivileged_port_start
 * without CAP_NET_BIND_SERVICE, EINVAL or EAFNOSUPPORT for a bad address, an
 * ephemeral port from ip_local_port_range for port 0. The checks run with the caller's
 * credentials, as they would for its own bind().
 *
 * Children of a listener share the listener's kernel socket: each holds a
 * reference on it, as the kernel's TCP children inherit their listener's bind
 * bucket, so the port stays held while any of them lives.
 *
 * connect() without bind() picks its port here as the kernel's
 * __inet_hash_connect() does, and shares it as TCP shares the bind bucket it
 * makes (fastreuse -1): another connect() may take the same port for a
 * different 4-tuple, so a namespace runs out of 4-tuples, not of ports. One
 * kernel socket, bound to the source address and the port, holds such a port
 * for all the connections on it (refcounted; a table per namespace finds it),
 * and only for sharers that agree on the device and on SO_REUSEADDR, since it
 * answers the kernel's bind checks for all of them. A 4-tuple in use or in
 * TIME-WAIT is passed over, unless net.xtcp.tw_reuse lets the connection take
 * a TIME-WAIT 4-tuple over (tcp_twsk_unique()). Where this differs from TCP:
 * the kernel's TCP, whose connect() passes over every port whose bucket bind()
 * made, never shares a port xtcp holds, nor xtcp one TCP holds, and a TCP
 * bind() to a port xtcp connections hold on another address of the same
 * namespace succeeds as it does beside TCP connections (bind checks go by
 * address), but TCP's connect() from that other address passes the port over.
 *
 * A TIME-WAIT bucket holds its port too, as the kernel's TCP keeps a bind
 * bucket for its own: the socket that leaves a bucket behind parks its
 * reference on a per-namespace list (one entry a port), and so does a listener
 * closed while buckets of its children remain. A sweep, every eighth of 2MSL
 * while the list is not empty, drops the parked references of ports no bucket
 * is on any more. A parked port connect() chose stays shared: the bucket
 * holds its 4-tuple only, and other 4-tuples on the port are free.
 */
#include <linux/bitmap.h>
#include <linux/llist.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/sock.h>

#include "hash.h"
#include "port.h"
#include "request.h"
#include "xtcp.h"

struct xtcp_port {
	struct socket *sock;
	refcount_t ref;			/* the sockets on it, and its parking */
	struct llist_node node;		/* release_list */
	struct list_head parked;	/* xtcp_net.parked, parked_lock */
	struct hlist_node shared;	/* xtcp_net.ports, ports_lock */
	struct xtcp_net *xn;		/* set: connect() chose it, it is shared */
	__be32 saddr;			/* the shared port's address */
	u32 gen;			/* sweep generation when last parked */
	u16 num;			/* the port, host order */
	bool is_parked;			/* parked_lock */
};

static void port_put(struct xtcp_port *port);

/* A kernel TCP socket, not bound yet, for @sk, which must have none. */
static struct xtcp_port *port_create(struct sock *sk)
{
	struct xtcp_port *port;
	int err;

	xtcp_sock_assert_locked(sk);
	if (xtcp_sk(sk)->port)
		return ERR_PTR(-EINVAL);
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOBUFS);
	refcount_set(&port->ref, 1);
	err = sock_create_kern(sock_net(sk), AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &port->sock);
	if (err) {
		kfree(port);
		return ERR_PTR(err);
	}
	port->sock->sk->sk_bound_dev_if = sk->sk_bound_dev_if;
	/* SO_REUSEADDR as the user set it: the kernel's TCP applies its rules */
	port->sock->sk->sk_reuse = sk->sk_reuse;
	return port;
}

static void port_free(struct xtcp_port *port)
{
	sock_release(port->sock);
	kfree(port);
}

/* The kernel socket is bound: the xtcp socket takes its address and port. */
static int port_install(struct sock *sk, struct xtcp_port *port)
{
	struct sockaddr_in local;
	int err;

	err = kernel_getsockname(port->sock, (struct sockaddr *)&local);
	if (err < 0)
		return err;
	xtcp_sk(sk)->port = port;
	port->num = ntohs(local.sin_port);
	inet_sk(sk)->inet_rcv_saddr = local.sin_addr.s_addr;
	inet_sk(sk)->inet_saddr = local.sin_addr.s_addr;
	inet_sk(sk)->inet_num = port->num;
	inet_sk(sk)->inet_sport = local.sin_port;
	return 0;
}

int xtcp_port_bind(struct sock *sk, struct sockaddr_in *addr, int addr_len)
{
	struct xtcp_port *port;
	int err;

	port = port_create(sk);
	if (IS_ERR(port))
		return PTR_ERR(port);
	err = kernel_bind(port->sock, (struct sockaddr *)addr, addr_len);
	if (!err)
		err = port_install(sk, port);
	if (err)
		port_free(port);
	return err;
}

/*
 * Does xtcp have saddr:num -> daddr:dport open, or in TIME-WAIT? For a
 * TIME-WAIT 4-tuple, *@tw holds the bucket (a reference).
 */
static bool tuple_taken(struct net *net, __be32 saddr, u16 num, __be32 daddr,
			__be16 dport, struct xtcp_tw_bucket **tw)
{
	struct sock *other;

	*tw = xtcp_tw_lookup(&xtcp_net(net)->tw, net, saddr, htons(num),
			     daddr, dport, -1, 0);
	if (*tw)
		return true;
	other = xtcp_lookup_established(net, saddr, htons(num), daddr, dport,
					-1, 0);
	if (other) {
		xtcp_sk_put(other);
		return true;
	}
	return false;
}

/*
 * May a new connection take this TIME-WAIT 4-tuple over (tcp_twsk_unique())?
 * net.xtcp.tw_reuse 1, or 2 (the default) with a loopback address at either
 * end; and the old connection had timestamps, the last more than a second
 * old, so that the peer's PAWS tells the two incarnations apart (RFC 6191).
 */
static bool tw_reusable(struct net *net, const struct xtcp_tw_bucket *tw)
{
	int reuse = xtcp_sysctl(net, reuse_tw, sysctl_tcp_tw_reuse);
	u32 stamp = READ_ONCE(tw->st.ts_recent_stamp);

	if (reuse == 2 && !ipv4_is_loopback(tw->st.saddr) &&
	    !ipv4_is_loopback(tw->st.daddr))
		reuse = 0;

	return reuse && stamp && (s32)(ktime_get_seconds() - stamp) > 0;
}

/*
 * The port connect() chose as @num on @saddr that @sk may share, with a
 * reference for the caller; NULL if none. Only a port connect() chose: one
 * bind() took stays its binder's, as __inet_hash_connect() passes over ports
 * whose bind bucket bind() made (fastreuse >= 0). The kernel socket answers
 * the kernel's bind checks for all its sharers, so they must agree on what it
 * says: the same device and the same SO_REUSEADDR.
 */
static struct xtcp_port *shared_get(struct sock *sk, __be32 saddr, u16 num)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_port *port, *found = NULL;

	spin_lock_bh(&xn->ports_lock);
	hash_for_each_possible(xn->ports, port, shared, num) {
		struct sock *ksk = port->sock->sk;

		if (port->num != num || port->saddr != saddr ||
		    ksk->sk_bound_dev_if != sk->sk_bound_dev_if ||
		    ksk->sk_reuse != sk->sk_reuse)
			continue;
		if (refcount_inc_not_zero(&port->ref)) {
			found = port;
			break;
		}
	}
	spin_unlock_bh(&xn->ports_lock);
	return found;
}

/* @port, just bound by connect(), may be shared from now on. */
static void shared_add(struct sock *sk, struct xtcp_port *port, __be32 saddr,
		       u16 num)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	port->xn = xn;
	port->saddr = saddr;
	port->num = num;
	spin_lock_bh(&xn->ports_lock);
	hash_add(xn->ports, &port->shared, num);
	spin_unlock_bh(&xn->ports_lock);
}

/*
 * Take TIME-WAIT bucket @tw over (the bucket goes: TimeWaitRecycled, the
 * xtcp_tw_reuse tracepoint). Consumes the caller's reference on @tw; *@st
 * gets what the bucket knew. False if the bucket expired meanwhile.
 */
static bool tw_take_over(struct net *net, struct xtcp_tw_bucket *tw,
			 struct xtcp_tw_state *st)
{
	struct xtcp_net *xn = xtcp_net(net);
	bool killed = xtcp_tw_kill(&xn->tw, tw);

	if (killed) {
		*st = tw->st;
		xtcp_inc_stat(net, XTCP_STAT_TW_RECYCLED);
		trace_xtcp_tw_reuse(xn->tw.netns, xtcp_tw_st(tw));
	}
	xtcp_tw_put(tw);
	return killed;
}

/*
 * connect() on an unbound socket, after routing: a local port from
 * ip_local_port_range as __inet_hash_connect() picks one, from a random
 * offset, ports of the range's low parity first (bind() to port 0 starts with
 * the others), skipping reserved ports. A port another connect() chose is
 * shared if this 4-tuple is free on it (neither in use nor in TIME-WAIT,
 * unless tw_reuse lets the connection take the TIME-WAIT 4-tuple over), as
 * __inet_check_established() allows; a port no connect() holds is reserved
 * in the kernel's TCP by binding a kernel socket to saddr:port, which fails
 * on ports the kernel's TCP or an xtcp bind() holds. Keeps inet_saddr.
 * EADDRNOTAVAIL when there is none, as TCP says. The caller holds
 * xtcp_net.connect_lock until the 4-tuple is hashed, so that two connect()s
 * cannot pick the same free 4-tuple.
 */
int xtcp_port_connect(struct sock *sk, __be32 daddr, __be16 dport,
		      struct xtcp_tw_state *reused)
{
	__be32 saddr = inet_sk(sk)->inet_saddr;
	struct sockaddr_in local = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = saddr,
	};
	struct xtcp_port *port = NULL, *fresh = NULL;
	struct net *net = sock_net(sk);
	struct xtcp_tw_bucket *tw;
	u32 remaining, offset, i;
	int low, high, err;
	u16 num = 0;

	xtcp_sock_assert_locked(sk);
	lockdep_assert_held(&xtcp_net(net)->connect_lock);
	if (xtcp_sk(sk)->port)
		return -EINVAL;
	reused->ts_recent_stamp = 0;
	reused->snd_nxt = 0;

	inet_get_local_port_range(net, &low, &high);
	remaining = high - low + 1;
	if (likely(remaining > 1))
		remaining &= ~1U;
	offset = get_random_u32_below(remaining) & ~1U;
	err = -EADDRNOTAVAIL;
	for (i = 0; i < remaining; i++) {
		/* even steps from the offset first, then the odd ones */
		u32 k = i < remaining / 2 ? 2 * i : 2 * (i - remaining / 2) + 1;

		num = low + (offset + k) % remaining;
		cond_resched();
		if (inet_is_local_reserved_port(net, num))
			continue;
		if (tuple_taken(net, saddr, num, daddr, dport, &tw)) {
			if (!tw)
				continue;
			if (!tw_reusable(net, tw)) {
				xtcp_tw_put(tw);
				continue;
			}
			/* the bucket's socket had the port: it is kept */
			port = shared_get(sk, saddr, num);
			if (!port) {
				xtcp_tw_put(tw);
				continue;
			}
			if (tw_take_over(net, tw, reused))
				break;
			port_put(port);
			port = NULL;
			continue;
		}
		port = shared_get(sk, saddr, num);
		if (port)
			break;
		if (!fresh) {
			fresh = port_create(sk);
			if (IS_ERR(fresh))
				return PTR_ERR(fresh);
		}
		local.sin_port = htons(num);
		err = kernel_bind(fresh->sock, (struct sockaddr *)&local,
				  sizeof(local));
		if (err == -EADDRINUSE) {
			err = -EADDRNOTAVAIL;
			continue;
		}
		if (err)
			break;
		port = fresh;
		fresh = NULL;
		shared_add(sk, port, saddr, num);
		break;
	}
	if (fresh)
		port_free(fresh);
	if (!port)
		return err;
	xtcp_sk(sk)->port = port;
	inet_sk(sk)->inet_num = num;
	inet_sk(sk)->inet_sport = htons(num);
	return 0;
}

/*
 * Closing a kernel TCP socket sleeps (lock_sock), so a port given up in
 * softirq (a connection reset, a TIME_WAIT reached) is released by a work item.
 * Kernel sockets do not pin their namespace: xtcp_port_flush() runs before a
 * namespace goes, and at unload.
 */
static LLIST_HEAD(release_list);

static void port_release_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&release_list);
	struct xtcp_port *port, *tmp;

	llist_for_each_entry_safe(port, tmp, list, node)
		port_free(port);
}

static DECLARE_WORK(release_work, port_release_work);

/*
 * The last reference frees the kernel socket, which sleeps (tcp_close()
 * takes its socket lock): at once where that is allowed, so that a close()
 * gives the port back before it returns; else from a work item. in_task()
 * alone is not enough: a task may hold BHs off (a listener's backlog, a
 * release_cb) or a spinlock, which preemptible() sees (both Debian's and the
 * debug kernel count preemption; without PREEMPT_COUNT every put would wait
 * for the work item).
 */
static void port_put(struct xtcp_port *port)
{
	if (!refcount_dec_and_test(&port->ref))
		return;
	if (port->xn) {
		spin_lock_bh(&port->xn->ports_lock);
		hash_del(&port->shared);
		spin_unlock_bh(&port->xn->ports_lock);
	}
	if (preemptible()) {
		port_free(port);
		return;
	}
	llist_add(&port->node, &release_list);
	schedule_work(&release_work);
}

/*
 * @sk listens: its kernel socket takes TCP_LISTEN for the kernel's bind
 * checks, then passes them again, as inet_csk_listen_start() has a listener
 * do. So @sk's listen() fails with EADDRINUSE where a TCP listen() would (a
 * kernel TCP listener already on the port), and a kernel TCP socket that
 * binds the port afterwards meets a listener: EADDRINUSE, SO_REUSEADDR or
 * not, as beside a TCP listener. The kernel socket is never hashed for
 * lookups and never takes a segment. (inet_sk_state_store() is not exported:
 * its store, without its tracepoint.)
 */
int xtcp_port_listen(struct sock *sk)
{
	struct xtcp_port *port = xtcp_sk(sk)->port;
	struct sock *ksk;
	int err;

	xtcp_sock_assert_locked(sk);
	if (!port)
		return -EINVAL;
	ksk = port->sock->sk;
	lock_sock(ksk);
	/* released: the bind checks read it under the bind hash lock only */
	smp_store_release(&ksk->sk_state, TCP_LISTEN);
	err = ksk->sk_prot->get_port(ksk, port->num);
	if (err)	/* as above */
		smp_store_release(&ksk->sk_state, TCP_CLOSE);
	release_sock(ksk);
	return err;
}

/*
 * @sk no longer listens: its kernel socket neither. What stays on the port
 * (children, TIME-WAIT buckets) lets a kernel TCP socket with SO_REUSEADDR
 * bind it again, as a TCP listener's children do.
 */
void xtcp_port_unlisten(struct sock *sk)
{
	struct xtcp_port *port = xtcp_sk(sk)->port;
	struct sock *ksk;

	xtcp_sock_assert_locked(sk);
	if (!port)
		return;
	ksk = port->sock->sk;
	lock_sock(ksk);
	/* as in xtcp_port_listen() */
	smp_store_release(&ksk->sk_state, TCP_CLOSE);
	release_sock(ksk);
}

/* A listener's child: on its listener's port, while it lives. */
void xtcp_port_share(struct sock *child, struct sock *listener)
{
	struct xtcp_port *port = xtcp_sk(listener)->port;

	if (port)
		refcount_inc(&port->ref);
	xtcp_sk(child)->port = port;
}

void xtcp_port_release(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_port *port = xs->port;

	if (!port)
		return;
	xs->port = NULL;
	port_put(port);
}

void xtcp_port_flush(void)
{
	flush_work(&release_work);
}

static unsigned long sweep_delay(struct xtcp_net *xn)
{
	return msecs_to_jiffies(clamp(READ_ONCE(xn->tw_timeout_ms) / 8,
				      100, 8000));
}

/*
 * A TIME-WAIT bucket is on the socket's port: the socket's reference on it
 * becomes the parking's (or is dropped if the port is parked already).
 */
void xtcp_port_park(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_port *port = xs->port;
	bool parked;

	xtcp_sock_assert_locked(sk);
	if (!port)
		return;
	xs->port = NULL;
	spin_lock_bh(&xn->parked_lock);
	parked = port->is_parked;
	port->gen = xn->parked_gen;
	if (!parked) {
		port->is_parked = true;
		list_add_tail(&port->parked, &xn->parked);
	}
	spin_unlock_bh(&xn->parked_lock);
	if (parked)
		port_put(port);
	else
		schedule_delayed_work(&xn->parked_sweep, sweep_delay(xn));
}

/*
 * Drop the parked references of ports no bucket is on. One walk of the TIME-WAIT table
 * marks the ports in use; a port parked after the walk began is kept for the
 * next sweep, as its bucket may be on a chain the walk had passed.
 */
static void parked_sweep(struct work_struct *work)
{
	struct xtcp_net *xn = container_of(to_delayed_work(work),
					   struct xtcp_net, parked_sweep);
	struct xtcp_port *port, *tmp;
	unsigned long *in_use;
	LIST_HEAD(done);
	bool more;
	u32 gen;

	in_use = bitmap_zalloc(65536, GFP_KERNEL);
	if (!in_use) {
		schedule_delayed_work(&xn->parked_sweep, sweep_delay(xn));
		return;
	}
	spin_lock_bh(&xn->parked_lock);
	gen = ++xn->parked_gen;
	spin_unlock_bh(&xn->parked_lock);

	xtcp_tw_ports(&xn->tw, in_use);

	spin_lock_bh(&xn->parked_lock);
	list_for_each_entry_safe(port, tmp, &xn->parked, parked) {
		if (port->gen == gen || test_bit(port->num, in_use))
			continue;
		list_move_tail(&port->parked, &done);
		port->is_parked = false;
	}
	more = !list_empty(&xn->parked);
	spin_unlock_bh(&xn->parked_lock);
	bitmap_free(in_use);

	list_for_each_entry_safe(port, tmp, &done, parked)
		port_put(port);
	if (more)
		schedule_delayed_work(&xn->parked_sweep, sweep_delay(xn));
}

void xtcp_port_net_init(struct xtcp_net *xn)
{
	spin_lock_init(&xn->parked_lock);
	INIT_LIST_HEAD(&xn->parked);
	spin_lock_init(&xn->ports_lock);
	hash_init(xn->ports);
	mutex_init(&xn->connect_lock);
	INIT_DELAYED_WORK(&xn->parked_sweep, parked_sweep);
}

/* The namespace goes (its hook is gone): every parked port with it. */
void xtcp_port_net_exit(struct xtcp_net *xn)
{
	struct xtcp_port *port, *tmp;

	cancel_delayed_work_sync(&xn->parked_sweep);
	list_for_each_entry_safe(port, tmp, &xn->parked, parked)
		port_put(port);
	INIT_LIST_HEAD(&xn->parked);
}
