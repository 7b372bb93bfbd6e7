/* SPDX-License-Identifier: GPL-2.0 */
/* sockopt.c: socket options and TCP_INFO. */
#ifndef _XTCP_SOCKOPT_H
#define _XTCP_SOCKOPT_H

#include <linux/tcp.h>
#include <net/sock.h>

int xtcp_setsockopt(struct socket *sock, int level, int optname,
		    sockptr_t optval, unsigned int optlen);
int xtcp_getsockopt(struct socket *sock, int level, int optname,
		    char __user *optval, int __user *optlen);
void xtcp_get_info(struct sock *sk, struct tcp_info *info, char *ca_name);

#endif /* _XTCP_SOCKOPT_H */
