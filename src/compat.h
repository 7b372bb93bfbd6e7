/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel-version differences live. Differences are detected
 * by feature where the kernel allows it, so that more LTS kernels can follow 6.1
 * by adding to this file only.
 *
 * Baseline: Linux 6.1.y as Debian bookworm ships it (6.1.192 when written).
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

/*
 * VISIBLE_IF_KUNIT / EXPORT_SYMBOL_IF_KUNIT: mainline 6.2, backported to the 6.1.y
 * releases Debian ships; all later LTS kernels have it.
 */
#include <kunit/visibility.h>

#include <linux/random.h>
#include <net/inet_sock.h>

/*
 * The IP ID counter of a connection's DF segments starts at random, as
 * tcp_v4_connect() and tcp_v4_syn_recv_sock() start it. inet_id is an
 * atomic_t since 6.1.y took mainline's fix of its data race (6.1.192 has it);
 * a kernel from before that had a __u16.
 */
static inline void xtcp_inet_id_init(struct inet_sock *inet)
{
	atomic_set(&inet->inet_id, get_random_u16());
}

#endif /* _XTCP_COMPAT_H */
