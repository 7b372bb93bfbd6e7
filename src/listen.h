/* SPDX-License-Identifier: GPL-2.0 */
/* listen.c: listen() and accept(). */
#ifndef _XTCP_LISTEN_H
#define _XTCP_LISTEN_H

#include <net/sock.h>

int xtcp_listen(struct socket *sock, int backlog);
int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
		bool kern);
void xtcp_listener_close(struct sock *sk);

#endif /* _XTCP_LISTEN_H */
