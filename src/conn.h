/* SPDX-License-Identifier: GPL-2.0 */
/* conn.c: bind, connect, getname, shutdown and close. */
#ifndef _XTCP_CONN_H
#define _XTCP_CONN_H

#include <net/sock.h>

int xtcp_release(struct socket *sock);
int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len);
int xtcp_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
		 int flags);
int xtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int xtcp_shutdown(struct socket *sock, int how);

#endif /* _XTCP_CONN_H */
