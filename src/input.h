/* SPDX-License-Identifier: GPL-2.0 */
/* input.c: a segment for a locked socket. */
#ifndef _XTCP_INPUT_H
#define _XTCP_INPUT_H

#include <net/sock.h>

int xtcp_rcv(struct sock *sk, struct sk_buff *skb);

#endif /* _XTCP_INPUT_H */
