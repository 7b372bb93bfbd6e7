/* SPDX-License-Identifier: GPL-2.0 */
/* netns.c: per-namespace state, the netfilter hook, sysctls, counters. */
#ifndef _XTCP_NETNS_H
#define _XTCP_NETNS_H

#include "xtcp.h"

int xtcp_net_init(void);
void xtcp_net_exit(void);
void xtcp_cong_default(struct xtcp_net *xn, char *name);
const char *xtcp_stat_name(enum xtcp_stat s);
long xtcp_read_stat(const struct net *net, enum xtcp_stat s);

#endif /* _XTCP_NETNS_H */
