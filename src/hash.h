/* SPDX-License-Identifier: GPL-2.0 */
/* hash.c: connection and listener tables. */
#ifndef _XTCP_HASH_H
#define _XTCP_HASH_H

#include "xtcp.h"

int xtcp_hash_init(void);
void xtcp_hash_exit(void);
int xtcp_hash_connection(struct sock *sk);
int xtcp_hash_listener(struct sock *sk);
int xtcp_hash_request(struct sock *req);
bool xtcp_unhash_request(struct sock *req);
bool xtcp_hash_replace(struct sock *req, struct sock *sk);
void xtcp_unhash(struct sock *sk);
struct sock *xtcp_lookup_established(struct net *net, __be32 saddr,
				     __be16 sport, __be32 daddr, __be16 dport,
				     int dif, int sdif);
struct sock *xtcp_lookup_established6(struct net *net,
				      const struct in6_addr *saddr, __be16 sport,
				      const struct in6_addr *daddr, __be16 dport,
				      int dif, int sdif);
struct sock *xtcp_lookup_listener(struct net *net, __be32 daddr, __be16 dport,
				  int dif, int sdif);
bool xtcp_listener_conflict(struct sock *sk);
bool xtcp_listener_at(struct net *net, __be32 saddr, u16 port,
		      const struct sock *except);
struct sock *xtcp_hash_walk(struct net *net, unsigned int *bucket,
			    unsigned int *offset);

#endif /* _XTCP_HASH_H */
