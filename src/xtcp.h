/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: module-wide declarations shared by the socket glue and its subsystems.
 * Protocol logic (seq.h, parse.h, state.h, ...) does not include this file.
 */
#ifndef _XTCP_XTCP_H
#define _XTCP_XTCP_H

#include <net/inet_sock.h>
#include "compat.h"

/*
 * An xtcp socket. struct inet_sock must stay first: ip_queue_xmit() and the
 * inet_sk() helpers treat the sock as one.
 */
struct xtcp_sock {
	struct inet_sock inet;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/* af_xtcp.c: the socket family. */
int xtcp_af_init(void);
void xtcp_af_exit(void);
int xtcp_family_number(void);

#endif /* _XTCP_XTCP_H */
