/* SPDX-License-Identifier: GPL-2.0 */
/* listen.c: listeners and their children. */
#ifndef _XTCP_LISTEN_H
#define _XTCP_LISTEN_H

#include <net/sock.h>

int xtcp_listen(struct socket *sock, int backlog);
int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
		bool kern);
void xtcp_listener_close(struct sock *sk);
void xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_listen_child_established(struct sock *sk);

#endif /* _XTCP_LISTEN_H */
