// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: module load and unload. Each subsystem is brought up in order and torn
 * down in exact reverse order; a failure unwinds only what was brought up.
 */
#include <linux/module.h>
#include <uapi/linux/xtcp.h>

#include "af_xtcp.h"
#include "hash.h"
#include "isn.h"
#include "mem.h"
#include "netns.h"
#include "output.h"
#include "request.h"
#include "timewait.h"
#include "xtcp.h"

static int __init xtcp_init(void)
{
	int err;

	/* Secrets first: no socket may exist before its ISN key does. */
	xtcp_isn_init();
	xtcp_tsq_init();	/* TCP small queues' tasklets */

	err = xtcp_tw_init();
	if (err)
		return err;

	err = xtcp_hash_init();
	if (err)
		goto err_tw;

	err = xtcp_req_init();
	if (err)
		goto err_hash;

	err = xtcp_cong_init();
	if (err)
		goto err_req;

	err = xtcp_net_init();
	if (err)
		goto err_cong;

	err = xtcp_mem_init();
	if (err)
		goto err_net;

	err = xtcp_af_init();
	if (err)
		goto err_mem;

	pr_info("version %s loaded: socket family %d\n", XTCP_VERSION,
		xtcp_family_number());
	return 0;

err_mem:
	xtcp_mem_exit();
err_net:
	xtcp_net_exit();
err_cong:
	xtcp_cong_exit();
err_req:
	xtcp_req_exit();
err_hash:
	xtcp_hash_exit();
err_tw:
	xtcp_tw_exit();
	xtcp_tsq_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	xtcp_af_exit();
	xtcp_mem_exit();
	xtcp_net_exit();
	xtcp_cong_exit();
	xtcp_req_exit();
	xtcp_hash_exit();
	xtcp_tw_exit();
	xtcp_tsq_exit();
	pr_info("unloaded\n");
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xtcp authors");
MODULE_DESCRIPTION("xtcp: an experimental TCP under its own socket family (AF_XTCP)");
MODULE_VERSION(XTCP_VERSION);
MODULE_ALIAS_NETPROTO(AF_XTCP);
