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

#endif /* _XTCP_SOCK_H */
