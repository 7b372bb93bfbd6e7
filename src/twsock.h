/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twsock.h: TIME-WAIT between sockets and the bucket store (twsock.c): a
 * socket turned into a bucket, and segments for a bucket, decided by the
 * state table's TIME-WAIT row.
 */
#ifndef _XTCP_TWSOCK_H
#define _XTCP_TWSOCK_H

#include <linux/types.h>

#include "skb_cb.h"
#include "state.h"
#include "timewait.h"

struct net;
struct sk_buff;
struct sock;

void xtcp_time_wait(struct sock *sk);
bool xtcp_tw_rcv(struct net *net, struct xtcp_tw_bucket *tw,
		 struct sk_buff *skb);
#if IS_ENABLED(CONFIG_KUNIT)
enum xtcp_event xtcp_tw_classify(struct net *net,
				 const struct xtcp_tw_state *st,
				 const struct xtcp_skb_cb *cb);
#endif

#endif /* _XTCP_TWSOCK_H */
