// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_gentle: Reno with a gentler decrease, the algorithm that
 * Documentation/tutorial.rst ("Change TCP in an afternoon") writes, builds,
 * loads and measures against Linux's own Reno.
 *
 * Reno (RFC 5681 §3.1) halves its window when it meets a loss. This one
 * keeps beta of it, a module parameter in 1024ths: 717 (about 0.7, the share
 * CUBIC keeps) by default, 512 for Reno's half. It grows as Reno does, one
 * segment a round trip past slow start, and undoes a reduction found
 * spurious as Reno does. The window it had when it last reduced (Reno's
 * and CUBIC's W_max) is its probe_value: the tracepoint xtcp_probe shows it
 * on every ACK as cc_value, and tools/xtcp-probe plots it.
 *
 *	insmod xtcp_gentle.ko [beta=N]
 *	setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "gentle", 6)
 *	echo 600 > /sys/module/xtcp_gentle/parameters/beta	(any time)
 */
#include <linux/minmax.h>
#include <linux/module.h>
#include <net/xtcp_cong.h>

static int beta = 717;
module_param(beta, int, 0644);
MODULE_PARM_DESC(beta, "share of cwnd kept on a loss, in 1024ths (1-1024; 512 is Reno's)");

/* On entering a reduction (loss, ECN): the new slow-start threshold. */
static u32 gentle_ssthresh(struct sock *sk)
{
	struct xtcp_cc *cc = xtcp_cc(sk);
	u32 keep = clamp_t(int, READ_ONCE(beta), 1, 1024);

	cc->probe_value = cc->cwnd;	/* W_max, for cc_value */
	return max_t(u32, (u64)cc->cwnd * keep / 1024, 2);
}

static struct xtcp_congestion_ops xtcp_gentle = {
	.name		= "gentle",
	.owner		= THIS_MODULE,
	.api_version	= XTCP_CONG_API_VERSION,
	.ssthresh	= gentle_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
};

static int __init gentle_register(void)
{
	return xtcp_register_congestion_control(&xtcp_gentle);
}

static void __exit gentle_unregister(void)
{
	xtcp_unregister_congestion_control(&xtcp_gentle);
}

module_init(gentle_register);
module_exit(gentle_unregister);
MODULE_AUTHOR("xtcp example");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Reno with a gentler decrease, for xtcp (the tutorial's example)");
