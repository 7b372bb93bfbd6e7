// SPDX-License-Identifier: GPL-2.0
/*
 * mem.c: the memory of all xtcp sockets together (mem.h), as net/ipv4/tcp.c
 * keeps TCP's: tcp_memory_allocated, tcp_memory_pressure, tcp_sockets_allocated
 * and sysctl_tcp_mem, here xtcp's own, so that each stack is held to its own
 * limit and /proc/net/protocols shows both.
 *
 * net.xtcp.mem is global, as tcp_mem is (only the initial namespace sees it):
 * "min pressure max" in pages. Below min every charge succeeds; above
 * pressure xtcp is under memory pressure (buffers stop growing, windows
 * close to four segments) until it falls back below min; above max a charge
 * fails unless the socket holds less than rmem[0] or wmem[0] (the socket
 * layer's __sk_mem_raise_allocated() decides all of that).
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "mem.h"
#include "xtcp.h"

atomic_long_t xtcp_memory_allocated ____cacheline_aligned_in_smp;
EXPORT_SYMBOL_IF_KUNIT(xtcp_memory_allocated);
DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
long xtcp_sysctl_mem[3] __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(xtcp_sysctl_mem);
unsigned long xtcp_memory_pressure __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(xtcp_memory_pressure);
struct percpu_counter xtcp_sockets_allocated ____cacheline_aligned_in_smp;

/*
 * Pressure starts (tcp_enter_memory_pressure()): the flag holds when it
 * started, counted once in TCPMemoryPressures.
 */
void xtcp_enter_memory_pressure(struct sock *sk)
{
	unsigned long val;

	if (READ_ONCE(xtcp_memory_pressure))
		return;
	val = jiffies;
	if (!val)
		val--;
	if (!cmpxchg(&xtcp_memory_pressure, 0, val))
		xtcp_inc_stat(sock_net(sk), XTCP_STAT_MEMORY_PRESSURES);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_enter_memory_pressure);

/* Pressure ends: its length, in ms, to TCPMemoryPressuresChrono. */
void xtcp_leave_memory_pressure(struct sock *sk)
{
	unsigned long val;

	if (!READ_ONCE(xtcp_memory_pressure))
		return;
	val = xchg(&xtcp_memory_pressure, 0);
	if (val)
		this_cpu_add(xtcp_net(sock_net(sk))->mib->mibs[XTCP_STAT_MEMORY_PRESSURES_CHRONO],
			     jiffies_to_msecs(jiffies - val));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_leave_memory_pressure);

static bool memcg_charged(const struct sock *sk)
{
#ifdef CONFIG_MEMCG
	return mem_cgroup_sockets_enabled && sk->sk_memcg;
#else
	return false;
#endif
}

/*
 * @size bytes charged whatever the limits (sk_forced_mem_schedule(), which
 * 6.1 does not export): what a socket must be able to hold to make progress
 * at all, its first skb of text in, a FIN or a split segment out. The pages
 * go on xtcp's total. A socket of a memory cgroup is charged the ordinary
 * way if it can be; else it owes the pages (sk_forward_alloc below zero)
 * until its next charge pays them, since its cgroup can be charged only
 * through mem_cgroup_charge_skmem(), which modules cannot call.
 */
void xtcp_forced_mem_schedule(struct sock *sk, int size)
{
	int delta = size - sk->sk_forward_alloc, amt;

	if (!sk_has_account(sk) || delta <= 0)
		return;
	if (memcg_charged(sk)) {
		__sk_mem_schedule(sk, delta, SK_MEM_RECV);
		return;
	}
	amt = sk_mem_pages(delta);
	sk_forward_alloc_add(sk, amt << PAGE_SHIFT);
	atomic_long_add(amt, &xtcp_memory_allocated);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_forced_mem_schedule);

/*
 * A listener's child, made in softirq where sk_alloc() finds no task and so
 * no memory cgroup, charged to its listener's cgroup, as sk_clone_lock() did
 * in older kernels (6.1 charges the accepting task's at accept(), through
 * mem_cgroup_sk_alloc(), which is not exported). sk_free() puts it back.
 */
void xtcp_mem_inherit_memcg(struct sock *child, const struct sock *parent)
{
#ifdef CONFIG_MEMCG
	if (!mem_cgroup_sockets_enabled || child->sk_memcg || !parent->sk_memcg)
		return;
	css_get(&parent->sk_memcg->css);
	child->sk_memcg = parent->sk_memcg;
#endif
}

static struct ctl_table mem_table[] = {
	{
		.procname	= "mem",
		.data		= &xtcp_sysctl_mem,
		.maxlen		= sizeof(xtcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	{ }
};

static struct ctl_table_header *mem_table_hdr;

/*
 * The defaults tcp_init_mem() gives tcp_mem, from the memory free at load:
 * max 9.4%, pressure 6.25%, min 4.7% of the buffer pages.
 */
int xtcp_mem_init(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 16, 128UL);
	int err;

	xtcp_sysctl_mem[0] = limit / 4 * 3;
	xtcp_sysctl_mem[1] = limit;
	xtcp_sysctl_mem[2] = xtcp_sysctl_mem[0] * 2;
	atomic_long_set(&xtcp_memory_allocated, 0);
	xtcp_memory_pressure = 0;
	err = percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
	if (err)
		return err;
	mem_table_hdr = register_net_sysctl(&init_net, "net/xtcp", mem_table);
	if (!mem_table_hdr) {
		percpu_counter_destroy(&xtcp_sockets_allocated);
		return -ENOMEM;
	}
	return 0;
}

/* After the last socket: proto_unregister() came first. */
void xtcp_mem_exit(void)
{
	unregister_net_sysctl_table(mem_table_hdr);
	WARN_ON_ONCE(percpu_counter_sum(&xtcp_sockets_allocated));
	percpu_counter_destroy(&xtcp_sockets_allocated);
}
