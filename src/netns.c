// SPDX-License-Identifier: GPL-2.0
/*
 * netns.c: what xtcp keeps per network namespace, and its lifetime.
 *
 * For each namespace: the netfilter hook that steals xtcp's segments, a
 * control socket for replies without a socket, the TIME_WAIT bucket table
 * with its timer, the net.xtcp.* sysctls, /proc/net/xtcp and counters.
 *
 * A namespace goes only when no user socket is left in it (each holds a
 * reference on it); its buckets and their timer go with the table, and the
 * kernel TCP sockets that held ports are closed before it (port.c).
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/sysctl.h>
#include <net/inet_common.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/tcp.h>

#include "delack.h"
#include "hook.h"
#include "netns.h"
#include "port.h"
#include "proc.h"
#include "xtcp.h"

unsigned int xtcp_net_id __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(xtcp_net_id);

static const char * const stat_names[XTCP_STAT_MAX] = {
	[XTCP_STAT_IN_SEGS]		= "InSegs",
	[XTCP_STAT_OUT_SEGS]		= "OutSegs",
	[XTCP_STAT_IN_ERRS]		= "InErrs",
	[XTCP_STAT_IN_CSUM_ERRORS]	= "InCsumErrors",
	[XTCP_STAT_OUT_RSTS]		= "OutRsts",
	[XTCP_STAT_ACTIVE_OPENS]	= "ActiveOpens",
	[XTCP_STAT_PASSIVE_OPENS]	= "PassiveOpens",
	[XTCP_STAT_ATTEMPT_FAILS]	= "AttemptFails",
	[XTCP_STAT_ESTAB_RESETS]	= "EstabResets",
	[XTCP_STAT_RETRANS_SEGS]	= "RetransSegs",
	[XTCP_STAT_TW_CREATED]		= "TimeWaitCreated",
	[XTCP_STAT_TW_OVERFLOW]		= "TimeWaitOverflow",
	[XTCP_STAT_TW_RECYCLED]		= "TimeWaitRecycled",
	[XTCP_STAT_CHALLENGE_ACKS]	= "ChallengeACKs",
	[XTCP_STAT_CHALLENGE_ACKS_LIMITED] = "ChallengeACKsLimited",
	[XTCP_STAT_LISTEN_DROPS]	= "ListenDrops",
	[XTCP_STAT_BACKLOG_DROPS]	= "BacklogDrops",
	[XTCP_STAT_BAD_OPTIONS]		= "BadOptions",
	[XTCP_STAT_CURR_ESTAB]		= "CurrEstab",
	[XTCP_STAT_OFO_QUEUE]		= "OfoQueue",
	[XTCP_STAT_OFO_DROP]		= "OfoDrop",
	[XTCP_STAT_DUP_DATA]		= "DupData",
	[XTCP_STAT_SACK_RECOVERY]	= "SackRecovery",
	[XTCP_STAT_RENO_RECOVERY]	= "RenoRecovery",
	[XTCP_STAT_REORDER]		= "Reorder",
	[XTCP_STAT_SACK_REORDER]	= "TCPSACKReorder",
	[XTCP_STAT_TS_REORDER]		= "TCPTSReorder",
	[XTCP_STAT_DELAYED_ACKS]	= "DelayedACKs",
	[XTCP_STAT_KEEPALIVE]		= "KeepAlive",
	[XTCP_STAT_ABORT_ON_TIMEOUT]	= "AbortOnTimeout",
	[XTCP_STAT_ABORT_ON_DATA]	= "AbortOnData",
	[XTCP_STAT_ABORT_ON_LINGER]	= "AbortOnLinger",
	[XTCP_STAT_PAWS_ESTAB]		= "PAWSEstab",
	[XTCP_STAT_OUT_OF_WINDOW_ICMPS]	= "OutOfWindowIcmps",
	[XTCP_STAT_RCV_COALESCE]	= "TCPRcvCoalesce",
	[XTCP_STAT_RCV_COLLAPSED]	= "TCPRcvCollapsed",
	[XTCP_STAT_RCVQ_DROP]		= "TCPRcvQDrop",
	[XTCP_STAT_PRUNE_CALLED]	= "PruneCalled",
	[XTCP_STAT_RCV_PRUNED]		= "RcvPruned",
	[XTCP_STAT_OFO_PRUNED]		= "OfoPruned",
	[XTCP_STAT_SYNCOOKIES_SENT]	= "SyncookiesSent",
	[XTCP_STAT_SYNCOOKIES_RECV]	= "SyncookiesRecv",
	[XTCP_STAT_SYNCOOKIES_FAILED]	= "SyncookiesFailed",
	[XTCP_STAT_LISTEN_OVERFLOWS]	= "ListenOverflows",
	[XTCP_STAT_REQQ_FULL_DO_COOKIES] = "TCPReqQFullDoCookies",
	[XTCP_STAT_REQQ_FULL_DROP]	= "TCPReqQFullDrop",
	[XTCP_STAT_ABORT_ON_MEMORY]	= "AbortOnMemory",
	[XTCP_STAT_SACK_RENEGING]	= "TCPSACKReneging",
	[XTCP_STAT_ACK_COMPRESSED]	= "TCPAckCompressed",
	[XTCP_STAT_ACK_SKIPPED_PAWS]	= "TCPACKSkippedPAWS",
	[XTCP_STAT_ACK_SKIPPED_SEQ]	= "TCPACKSkippedSeq",
	[XTCP_STAT_ACK_SKIPPED_TIME_WAIT] = "TCPACKSkippedTimeWait",
	[XTCP_STAT_MEMORY_PRESSURES]	= "TCPMemoryPressures",
	[XTCP_STAT_MEMORY_PRESSURES_CHRONO] = "TCPMemoryPressuresChrono",
	[XTCP_STAT_SYN_CHALLENGE]	= "TCPSYNChallenge",
	[XTCP_STAT_ACK_SKIPPED_CHALLENGE] = "TCPACKSkippedChallenge",
	[XTCP_STAT_ACK_SKIPPED_SYN_RECV] = "TCPACKSkippedSynRecv",
	[XTCP_STAT_EMBRYONIC_RSTS]	= "EmbryonicRsts",
	[XTCP_STAT_DEFER_ACCEPT_DROP]	= "DeferAcceptDrop",
	[XTCP_STAT_SYN_RETRANS]		= "TCPSynRetrans",
	[XTCP_STAT_DSACK_OLD_SENT]	= "TCPDSACKOldSent",
	[XTCP_STAT_DSACK_OFO_SENT]	= "TCPDSACKOfoSent",
	[XTCP_STAT_DSACK_RECV]		= "TCPDSACKRecv",
	[XTCP_STAT_DSACK_OFO_RECV]	= "TCPDSACKOfoRecv",
	[XTCP_STAT_WIN_PROBE]		= "TCPWinProbe",
	[XTCP_STAT_DELAYED_ACK_LOST]	= "DelayedACKLost",
	[XTCP_STAT_LOSS_PROBES]		= "TCPLossProbes",
	[XTCP_STAT_LOSS_PROBE_RECOVERY]	= "TCPLossProbeRecovery",
	[XTCP_STAT_FULL_UNDO]		= "TCPFullUndo",
	[XTCP_STAT_PARTIAL_UNDO]	= "TCPPartialUndo",
	[XTCP_STAT_DSACK_UNDO]		= "TCPDSACKUndo",
	[XTCP_STAT_LOSS_UNDO]		= "TCPLossUndo",
	[XTCP_STAT_LOST_RETRANSMIT]	= "TCPLostRetransmit",
	[XTCP_STAT_SPURIOUS_RTOS]	= "TCPSpuriousRTOs",
	[XTCP_STAT_HYSTART_TRAIN_DETECT] = "TCPHystartTrainDetect",
	[XTCP_STAT_HYSTART_TRAIN_CWND]	= "TCPHystartTrainCwnd",
	[XTCP_STAT_HYSTART_DELAY_DETECT] = "TCPHystartDelayDetect",
	[XTCP_STAT_HYSTART_DELAY_CWND]	= "TCPHystartDelayCwnd",
};

const char *xtcp_stat_name(enum xtcp_stat s)
{
	return s < XTCP_STAT_MAX ? stat_names[s] : "?";
}

/* The sum over CPUs; CurrEstab's ups and downs may be on different ones. */
long xtcp_read_stat(const struct net *net, enum xtcp_stat s)
{
	struct xtcp_mib __percpu *mib = xtcp_net(net)->mib;
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(mib, cpu)->mibs[s]);
	return (long)sum;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_read_stat);

/* Defaults of xtcp's own net.xtcp.* (Documentation/user-guide.rst lists them). */
#define XTCP_MAX_TW_BUCKETS	262144
#define XTCP_TW_HASH_SIZE	16384

static int tw_timeout_min = 100, tw_timeout_max = XTCP_TW_LEN_MAX_MS;
static int syn_retries_min = 1, syn_retries_max = 127;
static int retries_max = 255;
static int keepidle_max = MAX_TCP_KEEPIDLE, keepintvl_max = MAX_TCP_KEEPINTVL;
static int keepcnt_max = MAX_TCP_KEEPCNT;
static int comp_sack_nr_max = 255;
static int comp_sack_delay_max = NSEC_PER_SEC;
/* the longest gap between out-of-window answers: a minute */
static int invalid_ratelimit_max = 60000;
/* tcp_early_retrans' range: 3 and 4 send tail loss probes, 0 to 2 do not */
static int early_retrans_max = 4;
/* tcp_recovery is a u8 of TCP_RACK_* bits */
static int recovery_max = U8_MAX;
/* tcp_frto is a u8 too: any value but 0 turns F-RTO on */
static int frto_max = U8_MAX;

/*
 * A net.xtcp.* override of a net.ipv4.tcp_* sysctl (xtcp_sysctl()): -1, where
 * it starts, follows the namesake; any other value must lie within the
 * bounds (.extra1, .extra2), as proc_dointvec_minmax() checks them. An array
 * (rmem, wmem) is written whole or not at all, each element -1 or in bounds.
 */
static int proc_override(struct ctl_table *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos)
{
	int vals[3], n = table->maxlen / sizeof(int), *data = table->data;
	const int *min = table->extra1, *max = table->extra2;
	struct ctl_table tmp = *table;
	int err, i;

	if (!write)
		return proc_dointvec(table, write, buffer, lenp, ppos);
	if (WARN_ON_ONCE(n > ARRAY_SIZE(vals)))
		return -EINVAL;
	for (i = 0; i < n; i++)
		vals[i] = READ_ONCE(data[i]);
	tmp.data = vals;
	err = proc_dointvec(&tmp, write, buffer, lenp, ppos);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (vals[i] != XTCP_FOLLOW_TCP &&
		    ((min && vals[i] < *min) || (max && vals[i] > *max)))
			return -EINVAL;
	for (i = 0; i < n; i++)
		WRITE_ONCE(data[i], vals[i]);
	return 0;
}

static int proc_tw_timeout(struct ctl_table *table, int write, void *buffer,
			   size_t *lenp, loff_t *ppos)
{
	struct xtcp_net *xn = container_of(table->data, struct xtcp_net,
					   tw_timeout_ms);
	int err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write)
		err = xtcp_tw_set_len(&xn->tw, xn->tw_timeout_ms);
	return err;
}

static int proc_max_tw(struct ctl_table *table, int write, void *buffer,
		       size_t *lenp, loff_t *ppos)
{
	struct xtcp_net *xn = container_of(table->data, struct xtcp_net,
					   max_tw_buckets);
	int err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write)
		WRITE_ONCE(xn->tw.max, xn->max_tw_buckets);
	return err;
}

/* net.xtcp.congestion_control: the name of a registered algorithm, or ENOENT. */
static int proc_cong(struct ctl_table *table, int write, void *buffer,
		     size_t *lenp, loff_t *ppos)
{
	struct xtcp_net *xn = container_of(table->data, struct xtcp_net,
					   cong_name);
	char val[XTCP_CA_NAME_MAX];
	struct ctl_table tbl = { .data = val, .maxlen = sizeof(val) };
	int err;

	xtcp_cong_default(xn, val);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (!xtcp_cong_exists(val))
		return -ENOENT;
	spin_lock_bh(&xn->cong_lock);
	strscpy(xn->cong_name, val, sizeof(xn->cong_name));
	spin_unlock_bh(&xn->cong_lock);
	return 0;
}

/* net.xtcp.available_congestion_control, read-only. */
static int proc_cong_avail(struct ctl_table *table, int write, void *buffer,
			   size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = 256 };
	int err;

	tbl.data = kmalloc(tbl.maxlen, GFP_KERNEL);
	if (!tbl.data)
		return -ENOMEM;
	xtcp_cong_list(tbl.data, tbl.maxlen);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(tbl.data);
	return err;
}

/* The namespace's default algorithm's name, into @name. */
void xtcp_cong_default(struct xtcp_net *xn, char *name)
{
	spin_lock_bh(&xn->cong_lock);
	strscpy(name, xn->cong_name, XTCP_CA_NAME_MAX);
	spin_unlock_bh(&xn->cong_lock);
}

/* .data points into init_net's xtcp_net; each namespace rebases it. */
static struct ctl_table xtcp_sysctl_template[] = {
	{
		.procname	= "tw_timeout_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_tw_timeout,
		.extra1		= &tw_timeout_min,
		.extra2		= &tw_timeout_max,
	},
	{
		.procname	= "max_tw_buckets",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_max_tw,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "syn_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= &syn_retries_min,
		.extra2		= &syn_retries_max,
	},
	{
		.procname	= "rfc1337",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "challenge_ack_limit",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "synack_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
		.extra2		= &retries_max,
	},
	{
		.procname	= "retries2",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
		.extra2		= &retries_max,
	},
	{
		.procname	= "timestamps",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "sack",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "window_scaling",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "tw_reuse",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
	{
		.procname	= "rmem",
		.maxlen		= sizeof(int[3]),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
	},
	{
		.procname	= "wmem",
		.maxlen		= sizeof(int[3]),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
	},
	{
		.procname	= "keepalive_time",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
		.extra2		= &keepidle_max,
	},
	{
		.procname	= "keepalive_intvl",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
		.extra2		= &keepintvl_max,
	},
	{
		.procname	= "keepalive_probes",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ONE,
		.extra2		= &keepcnt_max,
	},
	{
		.procname	= "syncookies",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
	{
		.procname	= "orphan_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &retries_max,
	},
	{
		.procname	= "max_orphans",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "congestion_control",
		.maxlen		= XTCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= proc_cong,
	},
	{
		.procname	= "available_congestion_control",
		.maxlen		= 256,
		.mode		= 0444,
		.proc_handler	= proc_cong_avail,
	},
	{
		.procname	= "invalid_ratelimit",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &invalid_ratelimit_max,
	},
	{
		.procname	= "comp_sack_nr",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &comp_sack_nr_max,
	},
	{
		.procname	= "comp_sack_delay_ns",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &comp_sack_delay_max,
	},
	{
		.procname	= "notsent_lowat",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "dsack",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "early_retrans",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &early_retrans_max,
	},
	{
		.procname	= "ecn",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
	{
		.procname	= "recovery",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &recovery_max,
	},
	{
		.procname	= "frto",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_override,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &frto_max,
	},
	{ }
};

static int sysctl_init(struct xtcp_net *xn)
{
	struct ctl_table *t;

	t = kmemdup(xtcp_sysctl_template, sizeof(xtcp_sysctl_template),
		    GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t[0].data = &xn->tw_timeout_ms;
	t[1].data = &xn->max_tw_buckets;
	t[2].data = &xn->syn_retries;
	t[3].data = &xn->rfc1337;
	t[4].data = &xn->challenge_ack_limit;
	t[5].data = &xn->synack_retries;
	t[6].data = &xn->retries2;
	t[7].data = &xn->timestamps;
	t[8].data = &xn->sack;
	t[9].data = &xn->window_scaling;
	t[10].data = &xn->reuse_tw;
	t[11].data = &xn->rmem;
	t[12].data = &xn->wmem;
	t[13].data = &xn->keepalive_time;
	t[14].data = &xn->keepalive_intvl;
	t[15].data = &xn->keepalive_probes;
	t[16].data = &xn->syncookies;
	t[17].data = &xn->orphan_retries;
	t[18].data = &xn->max_orphans;
	t[19].data = &xn->cong_name;
	t[21].data = &xn->invalid_ratelimit;
	t[22].data = &xn->comp_sack_nr;
	t[23].data = &xn->comp_sack_delay_ns;
	t[24].data = &xn->notsent_lowat;
	t[25].data = &xn->dsack;
	t[26].data = &xn->early_retrans;
	t[27].data = &xn->ecn;
	t[28].data = &xn->recovery;
	t[29].data = &xn->frto;
	xn->sysctl_hdr = register_net_sysctl(xn->net, "net/xtcp", t);
	if (!xn->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

static void sysctl_exit(struct xtcp_net *xn)
{
	struct ctl_table *t = xn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(xn->sysctl_hdr);
	kfree(t);
}

/*
 * As late in LOCAL_IN as a stolen segment allows, so that every other hook
 * judges it first, as it judges a segment for the kernel's TCP (which
 * ip_local_deliver_finish() hands over only after the last hook): iptables'
 * and nftables' filter (0), firewalld's chains (10), the security table (50),
 * SELinux's, the conntrack helpers (300), and any chain up to INT_MAX - 2.
 * Not INT_MAX itself: that is conntrack's confirmation
 * (NF_IP_PRI_CONNTRACK_CONFIRM), which a stolen segment would never reach, so
 * the hook confirms the entry itself (hook.c, confirm_conntrack()) and must
 * run just before. What xtcp steals never reaches a chain at INT_MAX, nor
 * one at INT_MAX - 1 registered after the module (the same priority runs in
 * the order of registration); no stock table or firewall uses either.
 */
static const struct nf_hook_ops xtcp_nf_ops = {
	.hook		= xtcp_nf_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	.priority	= NF_IP_PRI_CONNTRACK_CONFIRM - 1,
};

static int __net_init xtcp_net_init_one(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int err;

	xn->net = net;
	xn->tw_timeout_ms = XTCP_TW_LEN_MS;
	xn->max_tw_buckets = XTCP_MAX_TW_BUCKETS;
	/*
	 * The overrides start unset: xtcp follows the namespace's
	 * net.ipv4.tcp_* of the same meaning (xtcp_sysctl()).
	 */
	xn->syn_retries = XTCP_FOLLOW_TCP;
	xn->rfc1337 = XTCP_FOLLOW_TCP;
	xn->challenge_ack_limit = XTCP_FOLLOW_TCP;
	xn->synack_retries = XTCP_FOLLOW_TCP;
	xn->retries2 = XTCP_FOLLOW_TCP;
	xn->timestamps = XTCP_FOLLOW_TCP;
	xn->sack = XTCP_FOLLOW_TCP;
	xn->window_scaling = XTCP_FOLLOW_TCP;
	xn->reuse_tw = XTCP_FOLLOW_TCP;
	memset(xn->rmem, 0xff, sizeof(xn->rmem));	/* -1 each */
	memset(xn->wmem, 0xff, sizeof(xn->wmem));
	xn->keepalive_time = XTCP_FOLLOW_TCP;
	xn->keepalive_intvl = XTCP_FOLLOW_TCP;
	xn->keepalive_probes = XTCP_FOLLOW_TCP;
	xn->syncookies = XTCP_FOLLOW_TCP;
	xn->orphan_retries = XTCP_FOLLOW_TCP;
	xn->comp_sack_nr = XTCP_FOLLOW_TCP;
	xn->comp_sack_delay_ns = XTCP_FOLLOW_TCP;
	xn->invalid_ratelimit = XTCP_FOLLOW_TCP;
	xn->notsent_lowat = XTCP_FOLLOW_TCP;
	xn->dsack = XTCP_FOLLOW_TCP;
	xn->early_retrans = XTCP_FOLLOW_TCP;
	xn->ecn = XTCP_FOLLOW_TCP;
	xn->recovery = XTCP_FOLLOW_TCP;
	xn->frto = XTCP_FOLLOW_TCP;
	/*
	 * tcp_max_orphans' default, half the kernel TCP's connection table:
	 * TCP's own is one for all namespaces and not exported to modules.
	 */
	xn->max_orphans = (tcp_hashinfo.ehash_mask + 1) / 2;
	atomic_set(&xn->orphans, 0);
	spin_lock_init(&xn->cong_lock);
	strscpy(xn->cong_name, "cubic", sizeof(xn->cong_name));
	xtcp_port_net_init(xn);

	xn->mib = alloc_percpu(struct xtcp_mib);
	if (!xn->mib)
		return -ENOMEM;
	err = inet_ctl_sock_create(&xn->ctl_sk, PF_INET, SOCK_RAW, IPPROTO_TCP,
				   net);
	if (err)
		goto err_mib;
	/* the wheel is sized for the longest 2MSL the sysctl allows */
	err = xtcp_tw_table_init(&xn->tw, XTCP_TW_HASH_SIZE,
				 xn->max_tw_buckets, XTCP_TW_LEN_MAX_MS);
	if (err)
		goto err_ctl;
	xn->tw.netns = net->ns.inum;
	err = xtcp_tw_set_len(&xn->tw, xn->tw_timeout_ms);
	if (err)
		goto err_tw;
	err = sysctl_init(xn);
	if (err)
		goto err_tw;
	err = xtcp_proc_init_net(net);
	if (err)
		goto err_sysctl;
	err = nf_register_net_hook(net, &xtcp_nf_ops);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	xtcp_proc_exit_net(net);
err_sysctl:
	sysctl_exit(xn);
err_tw:
	xtcp_tw_table_destroy(&xn->tw);
err_ctl:
	inet_ctl_sock_destroy(xn->ctl_sk);
err_mib:
	free_percpu(xn->mib);
	return err;
}

/*
 * The hook goes first, in .pre_exit: the namespace's core then waits an RCU
 * grace period (synchronize_rcu() between .pre_exit and .exit), after which
 * no CPU is still inside xtcp_nf_hook(), which runs under nf_hook()'s RCU read
 * lock, with this namespace's tables and counters that .exit frees. On rmmod
 * unregister_pernet_subsys() does the same for every namespace.
 */
static void __net_exit xtcp_net_pre_exit_one(struct net *net)
{
	nf_unregister_net_hook(net, &xtcp_nf_ops);
}

static void __net_exit xtcp_net_exit_one(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	xtcp_proc_exit_net(net);
	sysctl_exit(xn);
	xtcp_port_net_exit(xn);
	xtcp_tw_table_destroy(&xn->tw);
	inet_ctl_sock_destroy(xn->ctl_sk);
	free_percpu(xn->mib);
	/* kernel sockets that held ports do not pin the namespace */
	xtcp_port_flush();
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init_one,
	.pre_exit = xtcp_net_pre_exit_one,
	.exit	= xtcp_net_exit_one,
	.id	= &xtcp_net_id,
	.size	= sizeof(struct xtcp_net),
};

int xtcp_net_init(void)
{
	return register_pernet_subsys(&xtcp_net_ops);
}

void xtcp_net_exit(void)
{
	unregister_pernet_subsys(&xtcp_net_ops);
	xtcp_port_flush();
}
