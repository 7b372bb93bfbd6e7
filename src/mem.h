/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mem.h: xtcp's memory as a whole (mem.c), held to net.xtcp.mem as Linux's
 * TCP is held to tcp_mem: the pages every xtcp socket's queues hold, counted
 * in xtcp_prot (memory_allocated, per-CPU reserves, the pressure flag, the
 * socket count), through the socket layer's sk_rmem_schedule(),
 * sk_wmem_schedule() and sk_mem_charge(), and charged to the socket's memory
 * cgroup as that layer charges it.
 */
#ifndef _XTCP_MEM_H
#define _XTCP_MEM_H

#include <linux/percpu_counter.h>
#include <net/sock.h>

extern atomic_long_t xtcp_memory_allocated;
extern long xtcp_sysctl_mem[3];
extern unsigned long xtcp_memory_pressure;
extern struct percpu_counter xtcp_sockets_allocated;
DECLARE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);

int xtcp_mem_init(void);
void xtcp_mem_exit(void);
void xtcp_enter_memory_pressure(struct sock *sk);
void xtcp_leave_memory_pressure(struct sock *sk);
void xtcp_forced_mem_schedule(struct sock *sk, int size);
void xtcp_mem_inherit_memcg(struct sock *child, const struct sock *parent);

/*
 * Buffers may grow (tcp_should_expand_sndbuf(), tcp_clamp_window()): not
 * under memory pressure (xtcp's or the socket's memory cgroup's), nor once
 * xtcp holds more than net.xtcp.mem[0].
 */
static inline bool xtcp_mem_may_grow(const struct sock *sk)
{
	return !sk_under_memory_pressure(sk) &&
	       sk_memory_allocated(sk) < sk_prot_mem_limits(sk, 0);
}

/* A write queue skb freed, its memory given back (tcp_wmem_free_skb()). */
static inline void xtcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
	kfree_skb(skb);
}

/* A new write queue skb charged (tcp_skb_entail()): the caller queues it. */
static inline void xtcp_wmem_charge_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
}

#endif /* _XTCP_MEM_H */
