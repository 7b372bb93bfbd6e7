/* SPDX-License-Identifier: GPL-2.0 */
/* ack.c: when the ACK for received text goes. */
#ifndef _XTCP_ACK_H
#define _XTCP_ACK_H

#include <net/sock.h>

void xtcp_ack_text_received(struct sock *sk, const struct sk_buff *skb,
			    bool in_order);
void xtcp_ack_text_queued(struct sock *sk, bool filled);
void xtcp_ack_ofo_queued(struct sock *sk);
void xtcp_sack_compress_timeout(struct sock *sk);
void xtcp_ack_sent(struct sock *sk);
void xtcp_delack_timeout(struct sock *sk);
void xtcp_ack_owed_now(struct sock *sk);
void xtcp_ack_fin_received(struct sock *sk);
void xtcp_ack_data_sent(struct sock *sk);
void xtcp_ack_dup_text(struct sock *sk);

#endif /* _XTCP_ACK_H */
