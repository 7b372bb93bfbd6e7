// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c: /proc/net/xtcp, every socket and TIME_WAIT bucket of the namespace
 * in the format of /proc/net/tcp (same columns, same state codes), so that
 * the habits and scripts that read one read the other.
 *
 * Sockets come first (bound and listening, then connections and requests,
 * which show as SYN_RECV as Linux's show), then buckets.
 * Each line is a snapshot taken under the chain's lock or with a reference;
 * reading resumes where the last read stopped, so a million buckets cost a
 * million lines and not a million squared.
 *
 * /proc/net/xtcp_info: what `ss -ti` shows of a TCP socket, for xtcp's,
 * which ss cannot list (inet_diag knows no other family): every socket (no
 * request, no bucket) with its congestion control's name and its struct
 * tcp_info as TCP_INFO would give its owner, in hexadecimal; xtcpstat -i
 * prints it with ss's field names.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "cong.h"
#include "hash.h"
#include "netns.h"
#include "proc.h"
#include "request.h"
#include "sock.h"
#include "sockopt.h"
#include "mem.h"
#include "timer.h"
#include "xtcp.h"

struct line {
	__be32 saddr, daddr;
	__be16 sport, dport;
	u8 state;
	u8 timer;		/* /proc/net/tcp "tr": 1 retransmit, 3 TIME_WAIT */
	u32 tx_queue, rx_queue;
	long when;		/* jiffies left */
	u32 retrans;
	kuid_t uid;
	unsigned long ino;
	int refcnt;
	u32 rto;
	/* /proc/net/xtcp_info's */
	struct tcp_info info;
	char ca_name[XTCP_CA_NAME_MAX];
};

struct iter {
	struct seq_net_private p;
	int phase;		/* 0 sockets, 1 buckets, 2 end */
	bool info;		/* /proc/net/xtcp_info: sockets, with tcp_info */
	unsigned int bucket, offset;
	loff_t next_pos;	/* the position the cursor is at */
	struct line line;
};

static void snap_sock(struct sock *sk, struct line *l)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(l, 0, sizeof(*l));
	l->saddr = sk->sk_rcv_saddr;
	l->sport = inet_sk(sk)->inet_sport;
	l->daddr = sk->sk_daddr;
	l->dport = sk->sk_dport;
	l->state = inet_sk_state_load(sk);
	if (l->state == XTCP_LISTEN) {
		l->rx_queue = READ_ONCE(xs->accept_count);
		l->tx_queue = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		l->tx_queue = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		l->rx_queue = max_t(int, READ_ONCE(xs->rcv_nxt) -
				    READ_ONCE(xs->copied_seq), 0);
	}
	/*
	 * as get_tcp4_sock(): 1 retransmission, loss probe or RACK's
	 * reordering timer (one at a time), 2 keep-alive or FIN-WAIT-2
	 */
	if (xtcp_timer_pending(xs, XTCP_TIMER_RETRANS) ||
	    xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE) ||
	    xtcp_timer_pending(xs, XTCP_TIMER_REO)) {
		enum xtcp_timer_event ev = XTCP_TIMER_RETRANS;

		if (xtcp_timer_pending(xs, XTCP_TIMER_LOSS_PROBE))
			ev = XTCP_TIMER_LOSS_PROBE;
		else if (xtcp_timer_pending(xs, XTCP_TIMER_REO))
			ev = XTCP_TIMER_REO;
		l->timer = 1;
		l->when = msecs_to_jiffies(xtcp_timer_left_ms(xs, ev));
	} else if (xtcp_timer_pending(xs, XTCP_TIMER_KEEPALIVE) ||
		   xtcp_timer_pending(xs, XTCP_TIMER_FIN_WAIT2)) {
		l->timer = 2;
		l->when = msecs_to_jiffies(xtcp_timer_left_ms(xs,
				xtcp_timer_pending(xs, XTCP_TIMER_KEEPALIVE) ?
				XTCP_TIMER_KEEPALIVE : XTCP_TIMER_FIN_WAIT2));
	}
	l->retrans = READ_ONCE(xs->retries);
	l->uid = sock_i_uid(sk);
	l->ino = sock_i_ino(sk);
	l->refcnt = refcount_read(&sk->sk_refcnt) - 1;
	l->rto = READ_ONCE(xs->rto_ms);
}

/*
 * A request, as get_openreq4() prints one: SYN_RECV, its SYN+ACK's timer
 * and retransmissions, its listener's uid, no inode nor reference count.
 */
static void snap_req(struct xtcp_request *req, struct line *l)
{
	struct sock *rsk = xtcp_req_sk(req);

	memset(l, 0, sizeof(*l));
	l->saddr = rsk->sk_rcv_saddr;
	l->sport = htons(rsk->sk_num);
	l->daddr = rsk->sk_daddr;
	l->dport = rsk->sk_dport;
	l->state = XTCP_SYN_RECV;
	l->timer = 1;
	l->when = msecs_to_jiffies(xtcp_req_timer_left_ms(req));
	l->retrans = READ_ONCE(req->retrans);
	l->uid = sock_i_uid(req->listener);
}

/* Move the cursor to the next line; false at the end. */
static bool advance(struct seq_file *seq)
{
	struct iter *it = seq->private;
	struct net *net = seq_file_net(seq);

	if (it->phase == 0) {
		struct sock *sk = xtcp_hash_walk(net, &it->bucket, &it->offset);

		while (it->info && sk && xtcp_is_request(sk)) {
			xtcp_req_put(xtcp_req(sk));
			sk = xtcp_hash_walk(net, &it->bucket, &it->offset);
		}
		if (sk && xtcp_is_request(sk)) {
			snap_req(xtcp_req(sk), &it->line);
			xtcp_req_put(xtcp_req(sk));
			return true;
		}
		if (sk) {
			snap_sock(sk, &it->line);
			if (it->info)
				xtcp_get_info(sk, &it->line.info,
					      it->line.ca_name);
			sock_put(sk);	/* xtcp_hash_walk()'s */
			return true;
		}
		if (it->info) {
			it->phase = 2;
			return false;
		}
		it->phase = 1;
		it->bucket = 0;
		it->offset = 0;
	}
	if (it->phase == 1) {
		union xtcp_tw_any st;
		unsigned int ms;

		/* AF_XTCP sockets' buckets: IPv6 ones go to xtcp6 */
		if (xtcp_tw_walk(&xtcp_net(net)->tw, &it->bucket, &it->offset,
				 BIT(XTCP_TW_INET), &st, &ms)) {
			memset(&it->line, 0, sizeof(it->line));
			it->line.saddr = st.v4.saddr;
			it->line.sport = st.v4.sport;
			it->line.daddr = st.v4.daddr;
			it->line.dport = st.v4.dport;
			it->line.state = XTCP_TIME_WAIT;
			it->line.timer = 3;
			it->line.when = msecs_to_jiffies(ms);
			it->line.refcnt = 1;
			return true;
		}
		it->phase = 2;
	}
	return false;
}

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct iter *it = seq->private;

	if (!*pos)
		return SEQ_START_TOKEN;
	/*
	 * The line the last read() stopped at: seq_read() took it from
	 * next() but it did not fit, and asks for it again. It is still the
	 * cursor's (a snapshot): shown as it was, as tcp_seek_last_pos()
	 * resumes /proc/net/tcp, not found again from the first line, which
	 * made each read() of a full table cost the lines before it.
	 */
	if (it->next_pos && *pos == it->next_pos - 1)
		return &it->line;
	if (*pos != it->next_pos) {
		/* a seek: start over and skip to it */
		it->phase = 0;
		it->bucket = 0;
		it->offset = 0;
		for (it->next_pos = 1; it->next_pos < *pos; it->next_pos++)
			if (!advance(seq))
				return NULL;
	}
	if (!advance(seq))
		return NULL;
	it->next_pos = *pos + 1;
	return &it->line;
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct iter *it = seq->private;

	++*pos;
	if (v == SEQ_START_TOKEN) {
		it->phase = 0;
		it->bucket = 0;
		it->offset = 0;
	}
	if (!advance(seq))
		return NULL;
	it->next_pos = *pos + 1;
	return &it->line;
}

static void xtcp_seq_stop(struct seq_file *seq, void *v)
{
}

static int xtcp_seq_show(struct seq_file *seq, void *v)
{
	struct line *l = v;

	seq_setwidth(seq, 149);
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
		seq_pad(seq, '\n');
		return 0;
	}
	seq_printf(seq, "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %u",
		   (long long)(seq->index - 1), l->saddr, ntohs(l->sport),
		   l->daddr, ntohs(l->dport), l->state, l->tx_queue,
		   l->rx_queue, l->timer, jiffies_to_clock_t(l->when),
		   l->retrans, from_kuid_munged(seq_user_ns(seq), l->uid), 0,
		   l->ino, l->refcnt, l->rto);
	seq_pad(seq, '\n');
	return 0;
}

static const struct seq_operations xtcp_seq_ops = {
	.start	= xtcp_seq_start,
	.next	= xtcp_seq_next,
	.stop	= xtcp_seq_stop,
	.show	= xtcp_seq_show,
};

static void *xtcp_info_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct iter *it = seq->private;

	it->info = true;
	return xtcp_seq_start(seq, pos);
}

static int xtcp_info_seq_show(struct seq_file *seq, void *v)
{
	struct line *l = v;
	size_t i;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "local_address rem_address st cong tcp_info\n");
		return 0;
	}
	seq_printf(seq, "%pI4:%u %pI4:%u %02X %s ", &l->saddr,
		   ntohs(l->sport), &l->daddr, ntohs(l->dport), l->state,
		   l->ca_name);
	/* %*ph prints up to 64 bytes at a time */
	for (i = 0; i < sizeof(l->info); i += 32)
		seq_printf(seq, "%*phN", (int)min_t(size_t, 32,
						  sizeof(l->info) - i),
			   (u8 *)&l->info + i);
	seq_putc(seq, '\n');
	return 0;
}

static const struct seq_operations xtcp_info_seq_ops = {
	.start	= xtcp_info_seq_start,
	.next	= xtcp_seq_next,
	.stop	= xtcp_seq_stop,
	.show	= xtcp_info_seq_show,
};

/* /proc/net/xtcp_stats: one "Name value" line per counter, for scripts. */
static int xtcp_stats_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	int i;

	for (i = 0; i < XTCP_STAT_MAX; i++)
		seq_printf(seq, "%s %ld\n", xtcp_stat_name(i),
			   xtcp_read_stat(net, i));
	seq_printf(seq, "TimeWaitBuckets %u\n",
		   xtcp_tw_count(&xtcp_net(net)->tw));
	seq_printf(seq, "Orphans %d\n", atomic_read(&xtcp_net(net)->orphans));
	/* all of xtcp's, as sockstat's "mem" is all of TCP's */
	seq_printf(seq, "MemPages %ld\n", proto_memory_allocated(&xtcp_prot));
	seq_printf(seq, "MemoryPressure %d\n", !!READ_ONCE(xtcp_memory_pressure));
	return 0;
}

/*
 * /proc/net/xtcp_snmp: the same counters as /proc/net/snmp's "Tcp:" and
 * /proc/net/netstat's "TcpExt:" lines print theirs, a line of names and a
 * line of values for "Xtcp:" (the RFC 4022 counters TCP has too) and for
 * "XtcpExt:" (xtcp's own), so that nstat-style parsers read it.
 */
static const enum xtcp_stat snmp_tcp[] = {
	XTCP_STAT_ACTIVE_OPENS, XTCP_STAT_PASSIVE_OPENS,
	XTCP_STAT_ATTEMPT_FAILS, XTCP_STAT_ESTAB_RESETS, XTCP_STAT_CURR_ESTAB,
	XTCP_STAT_IN_SEGS, XTCP_STAT_OUT_SEGS, XTCP_STAT_RETRANS_SEGS,
	XTCP_STAT_IN_ERRS, XTCP_STAT_OUT_RSTS, XTCP_STAT_IN_CSUM_ERRORS,
};

static const enum xtcp_stat snmp_ext[] = {
	XTCP_STAT_TW_CREATED, XTCP_STAT_TW_OVERFLOW, XTCP_STAT_TW_RECYCLED,
	XTCP_STAT_CHALLENGE_ACKS, XTCP_STAT_CHALLENGE_ACKS_LIMITED,
	XTCP_STAT_LISTEN_DROPS, XTCP_STAT_BACKLOG_DROPS, XTCP_STAT_BAD_OPTIONS,
	XTCP_STAT_OFO_QUEUE, XTCP_STAT_OFO_DROP, XTCP_STAT_DUP_DATA,
	XTCP_STAT_SACK_RECOVERY, XTCP_STAT_RENO_RECOVERY, XTCP_STAT_REORDER,
	XTCP_STAT_SACK_REORDER, XTCP_STAT_TS_REORDER,
	XTCP_STAT_DELAYED_ACKS, XTCP_STAT_KEEPALIVE, XTCP_STAT_ABORT_ON_TIMEOUT,
	XTCP_STAT_ABORT_ON_DATA, XTCP_STAT_ABORT_ON_LINGER,
	XTCP_STAT_PAWS_ESTAB, XTCP_STAT_OUT_OF_WINDOW_ICMPS,
	XTCP_STAT_RCV_COALESCE, XTCP_STAT_RCV_COLLAPSED, XTCP_STAT_RCVQ_DROP,
	XTCP_STAT_PRUNE_CALLED, XTCP_STAT_RCV_PRUNED, XTCP_STAT_OFO_PRUNED,
	XTCP_STAT_SYNCOOKIES_SENT, XTCP_STAT_SYNCOOKIES_RECV,
	XTCP_STAT_SYNCOOKIES_FAILED, XTCP_STAT_LISTEN_OVERFLOWS,
	XTCP_STAT_REQQ_FULL_DO_COOKIES, XTCP_STAT_REQQ_FULL_DROP,
	XTCP_STAT_ABORT_ON_MEMORY, XTCP_STAT_SACK_RENEGING,
	XTCP_STAT_ACK_COMPRESSED,
	XTCP_STAT_ACK_SKIPPED_PAWS, XTCP_STAT_ACK_SKIPPED_SEQ,
	XTCP_STAT_ACK_SKIPPED_TIME_WAIT, XTCP_STAT_MEMORY_PRESSURES,
	XTCP_STAT_MEMORY_PRESSURES_CHRONO, XTCP_STAT_SYN_CHALLENGE,
	XTCP_STAT_ACK_SKIPPED_CHALLENGE, XTCP_STAT_ACK_SKIPPED_SYN_RECV,
	XTCP_STAT_EMBRYONIC_RSTS, XTCP_STAT_SYN_RETRANS,
	XTCP_STAT_DEFER_ACCEPT_DROP,
	XTCP_STAT_DSACK_OLD_SENT, XTCP_STAT_DSACK_OFO_SENT,
	XTCP_STAT_DSACK_RECV, XTCP_STAT_DSACK_OFO_RECV, XTCP_STAT_WIN_PROBE,
	XTCP_STAT_DELAYED_ACK_LOST, XTCP_STAT_LOSS_PROBES,
	XTCP_STAT_LOSS_PROBE_RECOVERY, XTCP_STAT_FULL_UNDO,
	XTCP_STAT_PARTIAL_UNDO, XTCP_STAT_DSACK_UNDO, XTCP_STAT_LOSS_UNDO,
	XTCP_STAT_LOST_RETRANSMIT, XTCP_STAT_SPURIOUS_RTOS,
	XTCP_STAT_HYSTART_TRAIN_DETECT, XTCP_STAT_HYSTART_TRAIN_CWND,
	XTCP_STAT_HYSTART_DELAY_DETECT, XTCP_STAT_HYSTART_DELAY_CWND,
};

/* A gauge read when shown, after a line's counters. */
struct snmp_gauge {
	const char *name;
	long val;
};

static void snmp_show(struct seq_file *seq, const char *prefix,
		      const enum xtcp_stat *ids, int n,
		      const struct snmp_gauge *gauges, int ngauges)
{
	struct net *net = seq_file_single_net(seq);
	int i;

	seq_printf(seq, "%s:", prefix);
	for (i = 0; i < n; i++)
		seq_printf(seq, " %s", xtcp_stat_name(ids[i]));
	for (i = 0; i < ngauges; i++)
		seq_printf(seq, " %s", gauges[i].name);
	seq_printf(seq, "\n%s:", prefix);
	for (i = 0; i < n; i++)
		seq_printf(seq, " %ld", xtcp_read_stat(net, ids[i]));
	for (i = 0; i < ngauges; i++)
		seq_printf(seq, " %ld", gauges[i].val);
	seq_putc(seq, '\n');
}

static int xtcp_snmp_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_net(seq_file_single_net(seq));
	const struct snmp_gauge gauges[] = {
		{ "TimeWaitBuckets", xtcp_tw_count(&xn->tw) },
		{ "Orphans", atomic_read(&xn->orphans) },
		{ "MemPages", proto_memory_allocated(&xtcp_prot) },
		{ "MemoryPressure", !!READ_ONCE(xtcp_memory_pressure) },
	};

	snmp_show(seq, "Xtcp", snmp_tcp, ARRAY_SIZE(snmp_tcp), NULL, 0);
	snmp_show(seq, "XtcpExt", snmp_ext, ARRAY_SIZE(snmp_ext), gauges,
		  ARRAY_SIZE(gauges));
	return 0;
}

int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_net("xtcp", 0444, net->proc_net, &xtcp_seq_ops,
			     sizeof(struct iter)))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_stats", 0444, net->proc_net,
				    xtcp_stats_show, NULL))
		goto err_xtcp;
	if (!proc_create_net_single("xtcp_snmp", 0444, net->proc_net,
				    xtcp_snmp_show, NULL))
		goto err_stats;
	if (!proc_create_net_single("xtcp_sockets", 0400, net->proc_net,
				    xtcp_sockets_show, NULL))
		goto err_snmp;
	if (!proc_create_net("xtcp_info", 0444, net->proc_net,
			     &xtcp_info_seq_ops, sizeof(struct iter)))
		goto err_sockets;
	return 0;

err_sockets:
	remove_proc_entry("xtcp_sockets", net->proc_net);
err_snmp:
	remove_proc_entry("xtcp_snmp", net->proc_net);
err_stats:
	remove_proc_entry("xtcp_stats", net->proc_net);
err_xtcp:
	remove_proc_entry("xtcp", net->proc_net);
	return -ENOMEM;
}

void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_info", net->proc_net);
	remove_proc_entry("xtcp_sockets", net->proc_net);
	remove_proc_entry("xtcp_snmp", net->proc_net);
	remove_proc_entry("xtcp_stats", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
