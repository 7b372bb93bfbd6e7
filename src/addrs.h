/* SPDX-License-Identifier: GPL-2.0 */
/*
 * addrs.h: the two addresses of a segment or a connection, of either IP
 * version (Documentation/design-ipv6.rst), for what only passes them on:
 * the trace events, KUnit's capture, the sends without a socket. A
 * received segment's are read by xtcp_skb_addrs() (hook.h). No sk_buff
 * here: the protocol core's trace events (timewait.c) take it too.
 *
 * Only IPv4 is on the wire yet: every xtcp_addrs made today is AF_INET.
 */
#ifndef _XTCP_ADDRS_H
#define _XTCP_ADDRS_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/sock.h>

/* source and destination: a segment's as on the wire, a socket's local first */
struct xtcp_addrs {
	union {
		struct {
			__be32 saddr;
			__be32 daddr;
		} v4;
		struct {
			struct in6_addr saddr;
			struct in6_addr daddr;
		} v6;
	};
	sa_family_t family;	/* AF_INET or AF_INET6 */
};

static inline struct xtcp_addrs xtcp_addrs4(__be32 saddr, __be32 daddr)
{
	return (struct xtcp_addrs){
		.v4 = { .saddr = saddr, .daddr = daddr },
		.family = AF_INET,
	};
}

/* @a the other way round: a reply's addresses from a segment's */
static inline struct xtcp_addrs xtcp_addrs_swap(const struct xtcp_addrs *a)
{
	struct xtcp_addrs r = { .family = a->family };

	if (a->family == AF_INET6) {
		r.v6.saddr = a->v6.daddr;
		r.v6.daddr = a->v6.saddr;
	} else {
		r.v4.saddr = a->v4.daddr;
		r.v4.daddr = a->v4.saddr;
	}
	return r;
}

/*
 * A connection's addresses, the local end's first, from its sock_common
 * (a socket, a request): IPv4 ones, the only wire version yet.
 */
static inline struct xtcp_addrs xtcp_sk_addrs(const struct sock *sk)
{
	return xtcp_addrs4(sk->sk_rcv_saddr, sk->sk_daddr);
}

/*
 * One end of @a, the source or not, with @port (host order), as the
 * sockaddr_in or sockaddr_in6 that %pISpc prints, into @sa, which holds a
 * sockaddr_in6 (include/trace/events/tcp.h's TP_STORE_ADDR_PORTS).
 */
static inline void xtcp_addrs_store(void *sa, const struct xtcp_addrs *a,
				    bool src, u16 port)
{
	memset(sa, 0, sizeof(struct sockaddr_in6));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *v6 = sa;

		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		v6->sin6_addr = src ? a->v6.saddr : a->v6.daddr;
	} else {
		struct sockaddr_in *v4 = sa;

		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		v4->sin_addr.s_addr = src ? a->v4.saddr : a->v4.daddr;
	}
}

/* @sk's ends, the local one first, with their ports, into two sockaddr_in6 */
static inline void xtcp_sk_addrs_store(void *saddr, void *daddr,
				       const struct sock *sk)
{
	const struct xtcp_addrs a = xtcp_sk_addrs(sk);

	xtcp_addrs_store(saddr, &a, true, sk->sk_num);
	xtcp_addrs_store(daddr, &a, false, ntohs(sk->sk_dport));
}

#endif /* _XTCP_ADDRS_H */
