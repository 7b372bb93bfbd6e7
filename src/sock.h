/* SPDX-License-Identifier: GPL-2.0 */
/* sock.c: an xtcp socket's life. */
#ifndef _XTCP_SOCK_H
#define _XTCP_SOCK_H

#include <net/sock.h>

struct seq_file;

extern struct proto xtcp_prot;
void xtcp_mem_init_prot(void);
struct sock *xtcp_sk_alloc(struct net *net, int family, gfp_t gfp, int kern);
void xtcp_done(struct sock *sk);
bool xtcp_orphan_add(struct sock *sk);
void xtcp_set_state(struct sock *sk, int state);
int xtcp_sockets_show(struct seq_file *seq, void *v);

/*
 * What a socket's backlog may hold while its owner runs: tcp_add_backlog()'s
 * limit, twice the receive buffer, half the send buffer and 64 KiB of room
 * (only the owner collapses or prunes), in 64 bits so that buffers of up to
 * INT_MAX (net.xtcp.rmem and wmem have no upper bound, as tcp_rmem has
 * none) cannot wrap it.
 */
static inline unsigned int xtcp_backlog_limit(const struct sock *sk)
{
	u64 limit = (u64)(u32)READ_ONCE(sk->sk_rcvbuf) << 1;

	limit += (u32)READ_ONCE(sk->sk_sndbuf) >> 1;
	limit += 64 * 1024;
	return min_t(u64, limit, UINT_MAX);
}

bool xtcp_sk_receive(struct sock *sk, struct sk_buff *skb, int subclass);

#endif /* _XTCP_SOCK_H */
