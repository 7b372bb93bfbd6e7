// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, packet path (packet.h): xtcp's memory as a whole (src/mem.c) on a
 * real connection: text charged to net.xtcp.mem, dropped and counted over
 * its max, taken again once memory comes back.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "mem.h"
#include "packet.h"
#include "suites.h"

/*
 * What a test took of xtcp's memory: net.xtcp.mem's figures it replaced, and
 * the pages it added to memory_allocated as if other sockets held them. Put
 * back when the test ends, pass or fail.
 */
struct mem_saved {
	long mem[3];
	long added;
};

static int mem_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void mem_res_free(struct kunit_resource *res)
{
	struct mem_saved *saved = res->data;

	atomic_long_sub(saved->added, &xtcp_memory_allocated);
	memcpy(xtcp_sysctl_mem, saved->mem, sizeof(saved->mem));
	kfree(saved);
}

/* net.xtcp.mem set to @min @pressure @max, and @pages held by "others". */
static struct mem_saved *mem_limit(struct kunit *test, long min, long pressure,
				   long max, long pages)
{
	struct mem_saved *saved = kzalloc(sizeof(*saved), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, saved);
	memcpy(saved->mem, xtcp_sysctl_mem, sizeof(saved->mem));
	if (!kunit_alloc_resource(test, mem_res_init, mem_res_free, GFP_KERNEL,
				  saved)) {
		kfree(saved);
		KUNIT_ASSERT_FAILURE(test, "no memory for a resource");
	}
	xtcp_sysctl_mem[0] = min;
	xtcp_sysctl_mem[1] = pressure;
	xtcp_sysctl_mem[2] = max;
	saved->added = pages;
	atomic_long_add(pages, &xtcp_memory_allocated);
	return saved;
}

/* The limits back, the "others'" pages given back. */
static void mem_unlimit(struct mem_saved *saved)
{
	atomic_long_sub(saved->added, &xtcp_memory_allocated);
	saved->added = 0;
	memcpy(xtcp_sysctl_mem, saved->mem, sizeof(saved->mem));
}

/* Every captured segment popped; the last one, or NULL. */
static struct xtcp_pkt *pop_all(struct kunit *test)
{
	struct xtcp_pkt *last = NULL;

	while (xtcp_test_captured())
		last = xtcp_test_pop(test);
	return last;
}

/*
 * A tiny net.xtcp.mem (1 2 3 pages) that others fill (1000 pages): the first
 * segment still goes to the empty receive queue (charged whatever the
 * limits, as tcp_data_queue() forces it), the following ones until the
 * socket's charged pages run out; then the queues are pruned
 * (PruneCalled), nothing is freed (no out-of-order queue, text in order is
 * kept), and the segment is dropped (RcvPruned, TCPRcvQDrop), RCV.NXT
 * staying and an ACK for it sent at once; xtcp is under memory pressure
 * (TCPMemoryPressures). When the memory comes back the peer's retransmission
 * is taken, and every byte reads back in order.
 */
static void mem_limit_drops_then_recovers(struct kunit *test)
{
	long drops = xtcp_test_stat(XTCP_STAT_RCVQ_DROP);
	long pruned = xtcp_test_stat(XTCP_STAT_RCV_PRUNED);
	long prunes = xtcp_test_stat(XTCP_STAT_PRUNE_CALLED);
	long pressures = xtcp_test_stat(XTCP_STAT_MEMORY_PRESSURES);
	struct xtcp_pkt *ack = NULL;
	struct xtcp_test_seg s;
	struct mem_saved *saved;
	struct xtcp_sock *xs;
	struct xtcp_peer p;
	struct socket *sock;
	u32 start, kept = 0;
	int i;

	xtcp_peer_init(&p, 46001);
	sock = xtcp_test_established(test, &p, NULL);
	xs = xtcp_sk(sock->sk);
	start = p.seq;
	pop_all(test);
	/* no minimum a socket keeps under pressure (tcp_rmem[0], TCP's own) */
	xtcp_test_sysctl(test, &init_net.ipv4.sysctl_tcp_rmem[0], 0);
	WRITE_ONCE(xtcp_memory_pressure, 0);
	saved = mem_limit(test, 1, 2, 3, 1000);

	xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 1000);
	KUNIT_ASSERT_EQ(test, xs->rcv_nxt, start + 1000);
	pop_all(test);
	for (i = 0; i < 32; i++) {
		u32 before = xs->rcv_nxt;

		xtcp_peer_send(test, &p, XTCP_FLAG_ACK, 1000);
		ack = pop_all(test);
		if (xs->rcv_nxt == before) {
			kept = before;
			break;
		}
	}
	KUNIT_ASSERT_NE_MSG(test, kept, 0U, "32 segments taken over the limit");
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RCVQ_DROP), drops + 1);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_RCV_PRUNED), pruned + 1);
	KUNIT_EXPECT_GT(test, xtcp_test_stat(XTCP_STAT_PRUNE_CALLED), prunes);
	KUNIT_EXPECT_EQ(test, xtcp_test_stat(XTCP_STAT_MEMORY_PRESSURES),
			pressures + 1);
	KUNIT_EXPECT_TRUE(test, sk_under_memory_pressure(sock->sk));
	KUNIT_ASSERT_NOT_NULL(test, ack);
	XTCP_EXPECT_SEG(test, ack, XTCP_FLAG_ACK, p.ack, kept);

	/* memory back: the dropped segment again, taken */
	mem_unlimit(saved);
	s = xtcp_peer_seg(&p, XTCP_FLAG_ACK, 1000);
	s.seq = kept;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, &p, &s),
			(unsigned int)NF_STOLEN);
	KUNIT_EXPECT_EQ(test, xs->rcv_nxt, kept + 1000);
	KUNIT_EXPECT_EQ(test, xs->rcv_nxt, p.seq);
	pop_all(test);
	xtcp_test_expect_read(test, sock, start, p.seq - start);
	/* the memory charged follows the queue: none left queued, little held */
	KUNIT_EXPECT_EQ(test, atomic_read(&sock->sk->sk_rmem_alloc), 0);
	KUNIT_EXPECT_LT(test, sock->sk->sk_forward_alloc, (int)PAGE_SIZE);
}

/*
 * Writes over the limit: the first skb of an empty write queue is charged
 * whatever the limits (so that every socket can send), a later one is not:
 * a non-blocking send() that finds no memory returns EAGAIN, as TCP's does,
 * though the send buffer (SO_SNDBUF, 256 KiB) has room for all 64 KB the
 * test writes. The memory back, the write goes on.
 */
static void mem_limit_send_eagain(struct kunit *test)
{
	struct mem_saved *saved;
	struct xtcp_peer p;
	struct socket *sock;
	int n, total = 0, i;

	xtcp_peer_init(&p, 46002);
	p.window = 0;		/* nothing goes out: the queue only grows */
	sock = xtcp_test_established(test, &p, NULL);
	pop_all(test);
	/* a send buffer far over what the test writes: memory alone stops it */
	KUNIT_ASSERT_EQ(test, xtcp_test_setsockopt(sock, SOL_SOCKET, SO_SNDBUF,
						   256 * 1024), 0);
	xtcp_test_sysctl(test, &init_net.ipv4.sysctl_tcp_wmem[0], 0);
	saved = mem_limit(test, 1, 2, 3, 1000);
	for (i = 0; i < 64; i++) {
		n = xtcp_test_sendmsg(sock, 1000, 0);
		if (n <= 0)
			break;
		total += n;
	}
	KUNIT_EXPECT_EQ(test, n, -EAGAIN);
	KUNIT_EXPECT_GT(test, total, 0);
	KUNIT_EXPECT_LT(test, total, 64 * 1000);
	mem_unlimit(saved);
	KUNIT_EXPECT_EQ(test, xtcp_test_sendmsg(sock, 1000, 0), 1000);
	pop_all(test);
}

static struct kunit_case mem_cases[] = {
	KUNIT_CASE(mem_limit_drops_then_recovers),
	KUNIT_CASE(mem_limit_send_eagain),
	{}
};

static struct kunit_suite mem_suite = {
	.name = "xtcp_pkt_mem",
	.init = xtcp_test_init,
	.test_cases = mem_cases,
};

XTCP_KUNIT_SUITES(pkt_mem, &mem_suite);
