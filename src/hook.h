/* SPDX-License-Identifier: GPL-2.0 */
/* hook.c: where segments come in; their addresses read after it. */
#ifndef _XTCP_HOOK_H
#define _XTCP_HOOK_H

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/sock.h>

#include "addrs.h"
#include "xtcp_trace.h"

struct nf_hook_state;

/*
 * The addresses of a received segment, at its network header, whichever IP
 * version: what comes after the hook reads them here, not from ip_hdr().
 */
static inline struct xtcp_addrs xtcp_skb_addrs(const struct sk_buff *skb)
{
	struct xtcp_addrs a = {};

	if (ip_hdr(skb)->version == 6) {
		a.family = AF_INET6;
		a.v6.saddr = ipv6_hdr(skb)->saddr;
		a.v6.daddr = ipv6_hdr(skb)->daddr;
		return a;
	}
	return xtcp_addrs4(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr);
}

/* The DS field of a received segment: IPv4's TOS, IPv6's traffic class. */
static inline u8 xtcp_skb_dsfield(const struct sk_buff *skb)
{
	if (ip_hdr(skb)->version == 6)
		return ipv6_get_dsfield(ipv6_hdr(skb));
	return ipv4_get_dsfield(ip_hdr(skb));
}

/* xtcp_drop of a received @skb, its addresses read only when it is traced */
static inline void xtcp_trace_drop_skb(const struct net *net,
				       const struct sk_buff *skb,
				       const char *why)
{
	if (trace_xtcp_drop_enabled()) {
		const struct xtcp_addrs a = xtcp_skb_addrs(skb);

		trace_xtcp_drop(net, &a, why);
	}
}

unsigned int xtcp_nf_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

#endif /* _XTCP_HOOK_H */
