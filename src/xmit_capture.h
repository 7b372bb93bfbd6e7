/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xmit_capture.h: KUnit's capture point in the transmit path (output.c).
 *
 * Only in a kernel with KUnit: when xtcp_xmit_capture is set, every segment
 * xtcp transmits, a socket's or the control socket's, is offered to it just
 * before ip_queue_xmit() or ip_build_and_send_pkt(), with the header built,
 * counted and its checksum set up. Returning true, it has taken the skb (at
 * the TCP header; its checksum may be CHECKSUM_PARTIAL) and the transmit
 * counts as sent; false sends it on. Set and cleared by kunit/packet.c, which
 * waits for an RCU grace period after clearing it: callers hold rcu_read_lock().
 */
#ifndef _XTCP_XMIT_CAPTURE_H
#define _XTCP_XMIT_CAPTURE_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct net;
struct sk_buff;
struct xtcp_addrs;

#if IS_ENABLED(CONFIG_KUNIT)
/* @addrs: where the segment goes from and to (IPv4 or IPv6, addrs.h) */
typedef bool (*xtcp_xmit_capture_t)(struct net *net,
				    const struct xtcp_addrs *addrs,
				    struct sk_buff *skb);
extern xtcp_xmit_capture_t xtcp_xmit_capture;
#endif

#endif /* _XTCP_XMIT_CAPTURE_H */
