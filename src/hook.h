/* SPDX-License-Identifier: GPL-2.0 */
/* hook.c: where segments come in. */
#ifndef _XTCP_HOOK_H
#define _XTCP_HOOK_H

#include <net/sock.h>

struct nf_hook_state;

unsigned int xtcp_nf_hook(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

#endif /* _XTCP_HOOK_H */
