/* SPDX-License-Identifier: GPL-2.0 */
/* proc.c: /proc/net/xtcp and its kin, per namespace. */
#ifndef _XTCP_PROC_H
#define _XTCP_PROC_H

#include "xtcp.h"

int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);

#endif /* _XTCP_PROC_H */
