/* SPDX-License-Identifier: GPL-2.0 */
/* port.c: ports reserved in the kernel's TCP. */
#ifndef _XTCP_PORT_H
#define _XTCP_PORT_H

#include "xtcp.h"

int xtcp_port_bind(struct sock *sk, struct sockaddr_in *addr, int addr_len);
void xtcp_port_release(struct sock *sk);
int xtcp_port_connect(struct sock *sk, __be32 daddr, __be16 dport,
		      struct xtcp_tw_state *reused);
void xtcp_port_park(struct sock *sk);
void xtcp_port_share(struct sock *child, struct sock *listener);
int xtcp_port_listen(struct sock *sk);
void xtcp_port_unlisten(struct sock *sk);
void xtcp_port_net_init(struct xtcp_net *xn);
void xtcp_port_net_exit(struct xtcp_net *xn);
void xtcp_port_flush(void);

#endif /* _XTCP_PORT_H */
