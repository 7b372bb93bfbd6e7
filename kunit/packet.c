// SPDX-License-Identifier: GPL-2.0
/*
 * packet.c: the packet-path harness (packet.h): real xtcp sockets, segments
 * fed in as the IPv4 stack hands them to the hook, segments out captured.
 *
 * Segments go in through xtcp_nf_hook() rather than straight to xtcp_rcv():
 * that is the whole receive side, from the lookup of the 4-tuple (connection,
 * TIME_WAIT bucket, listener) through header, option and checksum validation,
 * the counters, to the socket lock and its backlog. The hook is called in a
 * softirq (a tasklet) under rcu_read_lock(), as netfilter calls it.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/interrupt.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/wait.h>
#include <asm/unaligned.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "addrs.h"
#include "af_xtcp.h"
#include "checksum.h"
#include "hash.h"
#include "hook.h"
#include "request.h"
#include "netns.h"
#include "output.h"
#include "packet.h"
#include "parse.h"
#include "seq.h"
#include "sock.h"
#include "timer.h"
#include "xmit_capture.h"
#include "xtcp.h"

/* What xtcp sent, as linear copies with their addresses in cb. */
static struct sk_buff_head captured;
static DECLARE_WAIT_QUEUE_HEAD(captured_wait);
static atomic_t captured_lost;	/* not copied for want of memory */
/* the originals, while a test holds them below their socket (xtcp_test_hold()) */
static struct sk_buff_head held;
static bool holding;

struct capture_cb {
	struct xtcp_addrs addrs;
	u8 tos;
};

#define CAPTURE_CB(skb) ((struct capture_cb *)(skb)->cb)
static_assert(sizeof(struct capture_cb) <= sizeof_field(struct sk_buff, cb));

u8 xtcp_test_pattern(u32 seq)
{
	return (u8)(seq * 7 + 3);
}

/*
 * xtcp_xmit_capture: keep a copy of the segment, its checksum completed as
 * the device would, and consume the original (its socket's memory goes
 * back, as when a device has sent it), or hold it (xtcp_test_hold()). Any
 * context.
 */
static bool capture(struct net *net, const struct xtcp_addrs *addrs,
		    struct sk_buff *skb)
{
	bool hold = READ_ONCE(holding);
	struct sk_buff *copy;

	if (!net_eq(net, &init_net))
		return false;
	copy = skb_copy(skb, GFP_ATOMIC);
	if (copy && copy->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_help(copy)) {
		kfree_skb(copy);
		copy = NULL;
	}
	if (copy) {
		CAPTURE_CB(copy)->addrs = *addrs;
		/* a socket's segment: the TOS its IP header would get */
		CAPTURE_CB(copy)->tos = skb->sk && sk_fullsock(skb->sk) ?
					READ_ONCE(inet_sk(skb->sk)->tos) : 0;
	}
	/* held first: a test that saw the copy finds the original held */
	if (hold)
		skb_queue_tail(&held, skb);
	else
		consume_skb(skb);
	if (copy) {
		skb_queue_tail(&captured, copy);
		wake_up(&captured_wait);
	} else {
		atomic_inc(&captured_lost);
	}
	return true;
}

static int capture_start(struct kunit_resource *res, void *test)
{
	skb_queue_head_init(&held);
	WRITE_ONCE(holding, false);
	skb_queue_head_init(&captured);
	atomic_set(&captured_lost, 0);
	WRITE_ONCE(xtcp_xmit_capture, capture);
	res->data = test;
	return 0;
}

/* Last of the test's resources: its sockets are gone, nothing sends. */
static void capture_stop(struct kunit_resource *res)
{
	struct kunit *test = res->data;

	WRITE_ONCE(xtcp_xmit_capture, NULL);
	synchronize_rcu();	/* a transmit still in capture() is done */
	skb_queue_purge(&captured);
	WRITE_ONCE(holding, false);
	skb_queue_purge(&held);	/* the last of their sockets' memory */
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&captured_lost), 0,
			    "segments sent but not captured (no memory)");
}

int xtcp_test_init(struct kunit *test)
{
	if (!kunit_alloc_resource(test, capture_start, capture_stop,
				  GFP_KERNEL, test))
		return -ENOMEM;
	/*
	 * No tail loss probes but where a test asks for them: with the
	 * handshake's tiny RTT one would fire by the clock a few milliseconds
	 * after any burst, in the middle of a test of something else.
	 */
	xtcp_test_sysctl(test, &xtcp_net(&init_net)->early_retrans, 0);
	return 0;
}

long xtcp_test_stat(enum xtcp_stat s)
{
	return xtcp_read_stat(&init_net, s);
}

/* A sysctl the test set, and what it was. */
struct sysctl_saved {
	int *field;
	u8 *field8;
	int old;
};

static int sysctl_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void sysctl_res_free(struct kunit_resource *res)
{
	struct sysctl_saved *saved = res->data;

	if (saved->field8)
		WRITE_ONCE(*saved->field8, saved->old);
	else
		WRITE_ONCE(*saved->field, saved->old);
	kfree(saved);
}

static void sysctl_save(struct kunit *test, int *field, u8 *field8)
{
	struct sysctl_saved *saved = kmalloc(sizeof(*saved), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, saved);
	saved->field = field;
	saved->field8 = field8;
	saved->old = field8 ? READ_ONCE(*field8) : READ_ONCE(*field);
	if (!kunit_alloc_resource(test, sysctl_res_init, sysctl_res_free,
				  GFP_KERNEL, saved)) {
		kfree(saved);
		KUNIT_ASSERT_FAILURE(test, "no memory for a sysctl resource");
	}
}

/*
 * Set an int sysctl of init_net, @field, to @val for the test: a net.xtcp
 * one (a member of its struct xtcp_net) or a net.ipv4 one (of
 * init_net.ipv4). It is put back when the test ends, pass or fail.
 */
void xtcp_test_sysctl(struct kunit *test, int *field, int val)
{
	sysctl_save(test, field, NULL);
	WRITE_ONCE(*field, val);
}

/* As xtcp_test_sysctl(), for the u8 ones of TCP's (tcp_timestamps, ...). */
void xtcp_test_sysctl_u8(struct kunit *test, u8 *field, u8 val)
{
	sysctl_save(test, NULL, field);
	WRITE_ONCE(*field, val);
}

/*
 * What Linux 6.1's tcp_select_initial_window() gives a SYN of a socket with
 * @sk's receive buffer (no SO_RCVBUF, net.ipv4.tcp_adv_win_scale 1), written
 * out here from the kernel's code rather than taken from xtcp's: half the
 * buffer, rounded down to a multiple of @mss, at most 65535.
 */
u16 xtcp_test_syn_window(const struct sock *sk, u32 mss)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf) / 2;

	if (space > mss)
		space = rounddown(space, mss);
	return min_t(u32, space, U16_MAX);
}

/*
 * The window scale tcp_select_initial_window() offers when the largest
 * receive buffer is max(@rmem_max, net.core.rmem_max): the smallest that
 * lets 65535 << scale cover it (ilog2 - 15), at most 14.
 */
u8 xtcp_test_wscale(u32 rmem_max)
{
	u32 space = max_t(u32, rmem_max, READ_ONCE(sysctl_rmem_max));

	return clamp_t(int, ilog2(space) - 15, 0, 14);
}

/* ---- sockets ---- */

static int sock_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

/* SO_LINGER with a zero time: close() aborts, no orphan lives on. */
static void sock_res_free(struct kunit_resource *res)
{
	struct socket *sock = res->data;
	struct sock *sk = sock->sk;

	lock_sock(sk);
	sock_set_flag(sk, SOCK_LINGER);
	sk->sk_lingertime = 0;
	release_sock(sk);
	sock_release(sock);
}

static struct socket *keep(struct kunit *test, struct socket *sock)
{
	if (!kunit_alloc_resource(test, sock_res_init, sock_res_free,
				  GFP_KERNEL, sock)) {
		sock_release(sock);
		KUNIT_ASSERT_FAILURE(test, "no memory for a socket resource");
	}
	return sock;
}

struct socket *xtcp_test_socket(struct kunit *test)
{
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, xtcp_family_number(), SOCK_STREAM, 0,
			       &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return keep(test, sock);
}

static bool match_sock(struct kunit *test, struct kunit_resource *res,
		       void *sock)
{
	return res->free == sock_res_free && res->data == sock;
}

/* An orphan the test keeps an eye on: aborted if it still lives, let go. */
static void orphan_res_free(struct kunit_resource *res)
{
	struct sock *sk = res->data;

	lock_sock(sk);
	if (sk->sk_state != XTCP_CLOSE) {
		xtcp_send_active_rst(sk, GFP_KERNEL);
		xtcp_done(sk);
	}
	release_sock(sk);
	sock_put(sk);	/* the test's, from xtcp_test_close() */
}

/*
 * close() @sock as a program does, without SO_LINGER: its sock, an orphan
 * now, stays readable by the test (a reference) till the test ends, when it
 * is aborted if it still lives.
 */
struct sock *xtcp_test_close(struct kunit *test, struct socket *sock)
{
	struct kunit_resource *res;
	struct sock *sk = sock->sk;

	sock_hold(sk);	/* the test's */
	res = kunit_alloc_and_get_resource(test, sock_res_init, orphan_res_free,
					   GFP_KERNEL, sk);
	if (!res) {
		sock_put(sk);	/* the test's */
		KUNIT_ASSERT_FAILURE(test, "no memory for an orphan resource");
	}
	kunit_put_resource(res);
	/* the socket's own resource goes, without its abort */
	res = kunit_find_resource(test, match_sock, sock);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->free = NULL;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
	sock_release(sock);
	return sk;
}

/* Abort and release @sock now, not at the end of the test. */
void xtcp_test_release(struct kunit *test, struct socket *sock)
{
	KUNIT_EXPECT_EQ(test, kunit_destroy_resource(test, match_sock, sock),
			0);
}

int xtcp_test_setsockopt(struct socket *sock, int level, int name, int val)
{
	sockptr_t opt = KERNEL_SOCKPTR(&val);

	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, name, opt, sizeof(val));
	return sock->ops->setsockopt(sock, level, name, opt, sizeof(val));
}

void xtcp_peer_init(struct xtcp_peer *p, u16 port)
{
	memset(p, 0, sizeof(*p));
	p->addr = XTCP_TEST_PEER_ADDR;
	p->port = htons(port);
	p->isn = 1000000;
	p->seq = p->isn;
	p->window = 65535;
	p->tsval = 1000;
}

/* A listener on 127.0.0.1 at a port of the kernel's choosing; @p's address. */
struct socket *xtcp_test_listener(struct kunit *test, int backlog,
				  struct xtcp_peer *p)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct socket *sock = xtcp_test_socket(test);

	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sock, backlog), 0);
	KUNIT_ASSERT_NE(test, inet_sk(sock->sk)->inet_sport, 0);
	p->xaddr = sin.sin_addr.s_addr;
	p->xport = inet_sk(sock->sk)->inet_sport;
	return sock;
}

struct socket *xtcp_test_accept(struct kunit *test, struct socket *lsock)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, kernel_accept(lsock, &sock, O_NONBLOCK), 0);
	return keep(test, sock);
}

/*
 * The oldest request of @lsk (request.h), on its SYN queue. No reference:
 * the table holds it while the test does not let it end.
 */
struct xtcp_request *xtcp_test_request(struct kunit *test, struct sock *lsk)
{
	struct xtcp_sock *lxs = xtcp_sk(lsk);
	struct xtcp_request *req;

	spin_lock_bh(&lxs->accept_lock);
	req = list_first_entry_or_null(&lxs->syn_queue, struct xtcp_request,
				       synq_node);
	spin_unlock_bh(&lxs->accept_lock);
	KUNIT_ASSERT_NOT_NULL_MSG(test, req, "no request on the SYN queue");
	return req;
}

/*
 * The socket of @p's connection in the table (not a request), with no
 * reference: a child on its listener's accept queue, held there.
 */
struct sock *xtcp_test_child(struct kunit *test, const struct xtcp_peer *p)
{
	struct sock *sk;

	sk = xtcp_lookup_established(&init_net, p->xaddr, p->xport, p->addr,
				     p->port, -1, 0);
	KUNIT_ASSERT_NOT_NULL_MSG(test, sk, "no connection in the table");
	if (xtcp_is_request(sk)) {
		xtcp_req_put(xtcp_req(sk));
		KUNIT_ASSERT_FAILURE(test, "a request, not a socket");
	}
	sock_put(sk);
	return sk;
}

/* connect(O_NONBLOCK) to @p: the socket in SYN-SENT, its SYN captured. */
struct socket *xtcp_test_connect(struct kunit *test, struct xtcp_peer *p)
{
	return xtcp_test_connect_sock(test, xtcp_test_socket(test), p);
}

/* As xtcp_test_connect(), with a socket of the test's (options set). */
struct socket *xtcp_test_connect_sock(struct kunit *test, struct socket *sock,
				      struct xtcp_peer *p)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = p->port,
		.sin_addr.s_addr = p->addr,
	};
	int err;

	err = kernel_connect(sock, (struct sockaddr *)&sin, sizeof(sin),
			     O_NONBLOCK);
	KUNIT_ASSERT_EQ(test, err, -EINPROGRESS);
	p->xaddr = inet_sk(sock->sk)->inet_saddr;
	p->xport = inet_sk(sock->sk)->inet_sport;
	return sock;
}

/*
 * An active open to @p, completed: the SYN and the final ACK popped, the
 * socket ESTABLISHED. The SYN+ACK carries @synack_opt (timestamps from it
 * on if it has them), or by default MSS 1460 and SACK-permitted.
 */
struct socket *xtcp_test_established(struct kunit *test, struct xtcp_peer *p,
				     const struct xtcp_options *synack_opt)
{
	static const struct xtcp_options dflt = {
		.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM,
		.mss = XTCP_TEST_MSS,
	};
	const struct xtcp_options *o = synack_opt ?: &dflt;
	struct socket *sock = xtcp_test_connect(test, p);
	struct xtcp_test_seg s;

	xtcp_peer_saw(p, xtcp_test_expect(test, XTCP_FLAG_SYN));
	p->ts = o->present & XTCP_OPTF_TIMESTAMP;
	s = xtcp_peer_seg(p, XTCP_FLAG_SYN | XTCP_FLAG_ACK, 0);
	s.opt.present |= o->present & ~XTCP_OPTF_TIMESTAMP;
	s.opt.mss = o->mss;
	s.opt.wscale = o->wscale;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, &s), (unsigned int)NF_STOLEN);
	p->seq++;
	xtcp_peer_saw(p, xtcp_test_expect(test, XTCP_FLAG_ACK));
	KUNIT_ASSERT_EQ(test, (int)sock->sk->sk_state, XTCP_ESTABLISHED);
	return sock;
}

/*
 * A passive open on @lsock from @p at @port, completed: the child
 * ESTABLISHED on the accept queue, its SYN+ACK popped.
 */
struct sock *xtcp_test_passive(struct kunit *test, struct socket *lsock,
			       struct xtcp_peer *p, u16 port)
{
	struct xtcp_test_seg s;
	struct sock *child;

	xtcp_peer_init(p, port);
	p->xaddr = inet_sk(lsock->sk)->inet_rcv_saddr;
	p->xport = inet_sk(lsock->sk)->inet_sport;
	s = xtcp_peer_seg(p, XTCP_FLAG_SYN, 0);
	s.opt.present = XTCP_OPTF_MSS | XTCP_OPTF_SACK_PERM;
	s.opt.mss = XTCP_TEST_MSS;
	KUNIT_ASSERT_EQ(test, xtcp_test_feed(test, p, &s), (unsigned int)NF_STOLEN);
	p->seq++;
	xtcp_peer_saw(p, xtcp_test_expect(test, XTCP_FLAG_SYN | XTCP_FLAG_ACK));
	xtcp_test_request(test, lsock->sk);
	xtcp_peer_send(test, p, XTCP_FLAG_ACK, 0);
	child = xtcp_test_child(test, p);
	KUNIT_ASSERT_EQ(test, (int)child->sk_state, XTCP_ESTABLISHED);
	return child;
}

/* ---- segments in ---- */

/* The peer's next segment: at its seq, acknowledging what it saw. */
struct xtcp_test_seg xtcp_peer_seg(struct xtcp_peer *p, u8 flags, u32 len)
{
	struct xtcp_test_seg s = {
		.flags = flags,
		.seq = p->seq,
		.ack = (flags & XTCP_FLAG_ACK) ? p->ack : 0,
		.window = p->window,
		.len = len,
	};

	if (p->ts) {
		s.opt.present = XTCP_OPTF_TIMESTAMP;
		s.opt.tsval = p->tsval++;
		s.opt.tsecr = p->tsecr;
	}
	return s;
}

/* The TCP header of @s into @hdr; its length, or a negative errno. */
static int build_header(const struct xtcp_peer *p,
			const struct xtcp_test_seg *s, u8 *hdr)
{
	struct xtcp_segment seg = {
		.sport = ntohs(p->port),
		.dport = ntohs(p->xport),
		.seq = s->seq,
		.ack = s->ack,
		.flags = s->flags,
		.window = s->window,
	};
	int hlen;

	if (!s->raw_opt)
		seg.opt = s->opt;
	hlen = xtcp_build_header(hdr, XTCP_HDR_MAX_LEN, &seg);
	if (hlen < 0 || !s->raw_opt)
		return hlen;
	if (s->raw_opt_len > XTCP_OPT_MAX_LEN)
		return -ENOSPC;
	memset(hdr + XTCP_HDR_LEN, XTCP_OPT_EOL, XTCP_OPT_MAX_LEN);
	memcpy(hdr + XTCP_HDR_LEN, s->raw_opt, s->raw_opt_len);
	hlen = XTCP_HDR_LEN + round_up(s->raw_opt_len, 4);
	hdr[XTCP_OFF_DOFF] = (hlen / 4) << 4;
	return hlen;
}

/*
 * An skb with room for @len bytes after an IPv4 header from @p's address to
 * the xtcp socket's, for protocol @proto: as the IPv4 stack has it at
 * LOCAL_IN, skb->data at the IP header, both headers set, no checksum
 * verified (CHECKSUM_NONE), from the loopback device. Returns the transport header, @len bytes.
 */
static u8 *ip_skb(struct kunit *test, const struct xtcp_peer *p, u8 proto,
		  u32 len, struct sk_buff **skbp)
{
	struct sk_buff *skb;
	struct iphdr *iph;

	skb = alloc_skb(MAX_HEADER + sizeof(*iph) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER);
	iph = skb_put_zero(skb, sizeof(*iph) + len);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tot_len = htons(skb->len);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = p->addr;
	iph->daddr = p->xaddr;
	iph->check = ip_fast_csum(iph, iph->ihl);

	skb_reset_network_header(skb);
	skb_set_transport_header(skb, sizeof(*iph));
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	/* the device it came in on: the IPsec policy check reads its netns */
	skb->dev = init_net.loopback_dev;
	skb->skb_iif = LOOPBACK_IFINDEX;	/* inet_iif(): no route here */
	*skbp = skb;
	return skb_transport_header(skb);
}

/* @s from @p, as the IPv4 stack hands it to the hook. */
static struct sk_buff *build(struct kunit *test, const struct xtcp_peer *p,
			     const struct xtcp_test_seg *s)
{
	u8 hdr[XTCP_HDR_MAX_LEN];
	struct sk_buff *skb;
	u32 i, seq;
	u8 *th;
	int hlen;

	hlen = build_header(p, s, hdr);
	KUNIT_ASSERT_GT(test, hlen, 0);
	th = ip_skb(test, p, IPPROTO_TCP, hlen + s->len, &skb);
	if (s->tos) {
		ip_hdr(skb)->tos = s->tos;
		ip_send_check(ip_hdr(skb));
	}
	if (s->ifindex)
		skb->skb_iif = s->ifindex;	/* skb->dev stays lo: its netns */
	memcpy(th, hdr, hlen);
	seq = s->seq + !!(s->flags & XTCP_FLAG_SYN);
	for (i = 0; i < s->len; i++)
		th[hlen + i] = s->data ? ((const u8 *)s->data)[i] :
			       xtcp_test_pattern(seq + i);
	xtcp_csum_fill(th, hlen + s->len, p->addr, p->xaddr);
	if (s->bad_csum)
		th[XTCP_OFF_CHECK] ^= 0x5a;
	return skb;
}

/*
 * Work done in a softirq, as the hook and the timers do it: not merely with
 * BHs off, for the packet path tells the two apart (in_task(): a port given
 * back in softirq is released from a work item, port.c).
 */
struct softirq_call {
	struct tasklet_struct tasklet;
	struct completion done;
	void (*fn)(struct softirq_call *call);
	struct sk_buff *skb;		/* feed */
	unsigned int verdict;
	struct xtcp_sock *xs;		/* fire */
};

static void softirq_run(struct tasklet_struct *t)
{
	struct softirq_call *call = from_tasklet(call, t, tasklet);

	call->fn(call);
	complete(&call->done);
}

static void in_softirq_wait(struct softirq_call *call)
{
	init_completion(&call->done);
	tasklet_setup(&call->tasklet, softirq_run);
	tasklet_schedule(&call->tasklet);
	wait_for_completion(&call->done);
	tasklet_kill(&call->tasklet);	/* it has returned: off the stack */
}

/* As netfilter calls a LOCAL_IN hook: in softirq, under rcu_read_lock(). */
static void hook_call(struct softirq_call *call)
{
	struct nf_hook_state state = {
		.hook = NF_INET_LOCAL_IN,
		.pf = NFPROTO_IPV4,
		.net = &init_net,
	};

	rcu_read_lock();
	call->verdict = xtcp_nf_hook(NULL, call->skb, &state);
	rcu_read_unlock();
}

/* Feed @s to the hook; its verdict (NF_STOLEN: xtcp took it). */
unsigned int xtcp_test_feed(struct kunit *test, struct xtcp_peer *p,
			    const struct xtcp_test_seg *s)
{
	struct softirq_call call = {
		.fn = hook_call,
		.skb = build(test, p, s),
	};

	in_softirq_wait(&call);
	if (call.verdict != NF_STOLEN)
		kfree_skb(call.skb);	/* it was the kernel's TCP's */
	return call.verdict;
}

/*
 * An ICMP error @type/@code from @p's address about a segment xtcp sent to
 * @p at @seq: the IP header and first 8 bytes of TCP header it quotes (RFC
 * 792), its MTU field @mtu. Fed to the hook; its verdict.
 */
unsigned int xtcp_test_feed_icmp(struct kunit *test, struct xtcp_peer *p,
				 u8 type, u8 code, u16 mtu, u32 seq)
{
	const u32 len = sizeof(struct icmphdr) + sizeof(struct iphdr) + 8;
	struct softirq_call call = { .fn = hook_call };
	struct icmphdr *icmph;
	struct iphdr *iph;
	u8 *th;

	icmph = (struct icmphdr *)ip_skb(test, p, IPPROTO_ICMP, len, &call.skb);
	icmph->type = type;
	icmph->code = code;
	icmph->un.frag.mtu = htons(mtu);
	iph = (struct iphdr *)(icmph + 1);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tot_len = htons(sizeof(*iph) + XTCP_HDR_LEN);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = p->xaddr;
	iph->daddr = p->addr;
	iph->check = ip_fast_csum(iph, iph->ihl);
	th = (u8 *)(iph + 1);
	put_unaligned_be16(ntohs(p->xport), th + XTCP_OFF_SPORT);
	put_unaligned_be16(ntohs(p->port), th + XTCP_OFF_DPORT);
	put_unaligned_be32(seq, th + XTCP_OFF_SEQ);
	icmph->checksum = ip_compute_csum(icmph, len);

	in_softirq_wait(&call);
	if (call.verdict != NF_STOLEN)
		kfree_skb(call.skb);
	return call.verdict;
}

/* The peer's next segment, sent: its sequence space is used up. */
unsigned int xtcp_peer_send(struct kunit *test, struct xtcp_peer *p, u8 flags,
			    u32 len)
{
	struct xtcp_test_seg s = xtcp_peer_seg(p, flags, len);

	p->seq += len + !!(flags & XTCP_FLAG_SYN) + !!(flags & XTCP_FLAG_FIN);
	return xtcp_test_feed(test, p, &s);
}

/* Read @len bytes from @sock; they must be the peer's text from @seq on. */
void xtcp_test_expect_read(struct kunit *test, struct socket *sock, u32 seq,
			   u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec v;
	u8 *buf;
	u32 i;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	v.iov_base = buf;
	v.iov_len = len;
	KUNIT_ASSERT_EQ(test, kernel_recvmsg(sock, &msg, &v, 1, len,
					     MSG_DONTWAIT), (int)len);
	for (i = 0; i < len; i++)
		if (buf[i] != xtcp_test_pattern(seq + i))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, len, "byte %u read differs", i);
}

/*
 * @len bytes written on @sock, each the pattern of its sequence number (so
 * that a captured segment's text can be checked); never blocks.
 */
int xtcp_test_sendmsg(struct socket *sock, u32 len, int flags)
{
	u32 seq = READ_ONCE(xtcp_sk(sock->sk)->write_seq), i;
	struct msghdr msg = { .msg_flags = flags | MSG_DONTWAIT };
	struct kvec v;
	u8 *buf;
	int ret;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		buf[i] = xtcp_test_pattern(seq + i);
	v.iov_base = buf;
	v.iov_len = len;
	ret = kernel_sendmsg(sock, &msg, &v, 1, len);
	kfree(buf);
	return ret;
}

/* ---- segments out ---- */

/*
 * From now on, what xtcp sends stays charged to its socket (sk_wmem_alloc,
 * TCP small queues) as if a device had not sent it yet, until
 * xtcp_test_free_held() or the test's end.
 */
void xtcp_test_hold(void)
{
	WRITE_ONCE(holding, true);
}

/* The device sent what was held: freed, with its destructor. How many. */
unsigned int xtcp_test_free_held(void)
{
	unsigned int n = skb_queue_len(&held);

	skb_queue_purge(&held);
	return n;
}

/* Segments sent and not popped yet (one not copied counts too). */
unsigned int xtcp_test_captured(void)
{
	return skb_queue_len_lockless(&captured) + atomic_read(&captured_lost);
}

/*
 * The oldest segment xtcp sent and the test has not seen, parsed; NULL if
 * none. Its checksum must be right, and its header valid.
 */
struct xtcp_pkt *xtcp_test_pop(struct kunit *test)
{
	struct sk_buff *skb = skb_dequeue(&captured);
	enum xtcp_parse_err perr;
	struct xtcp_pkt *pkt;
	unsigned int hlen;
	bool csum_ok;
	u8 *text;

	if (!skb)
		return NULL;
	pkt = kunit_kzalloc(test, sizeof(*pkt), GFP_KERNEL);
	text = kunit_kzalloc(test, skb->len, GFP_KERNEL);
	if (!pkt || !text) {
		kfree_skb(skb);
		KUNIT_ASSERT_FAILURE(test, "no memory for a captured segment");
	}
	/* IPv4 only: every peer of these suites is */
	KUNIT_EXPECT_EQ(test, CAPTURE_CB(skb)->addrs.family, AF_INET);
	pkt->saddr = CAPTURE_CB(skb)->addrs.v4.saddr;
	pkt->daddr = CAPTURE_CB(skb)->addrs.v4.daddr;
	pkt->tos = CAPTURE_CB(skb)->tos;
	csum_ok = xtcp_csum_ok(skb->data, skb->len, pkt->saddr, pkt->daddr);
	perr = xtcp_parse_header(skb->data, skb->len, &pkt->seg);
	if (perr == XTCP_PARSE_OK) {
		hlen = xtcp_seg_hdr_len(&pkt->seg);
		memcpy(text, skb->data + hlen, skb->len - hlen);
	}
	pkt->data = text;
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE_MSG(test, csum_ok, "xtcp sent a bad checksum");
	KUNIT_ASSERT_EQ_MSG(test, perr, XTCP_PARSE_OK,
			    "xtcp sent a segment it would itself reject");
	return pkt;
}

/* xtcp_test_pop(), waiting up to @ms for a segment (a real timer's). */
struct xtcp_pkt *xtcp_test_wait(struct kunit *test, unsigned int ms)
{
	wait_event_timeout(captured_wait, xtcp_test_captured(),
			   msecs_to_jiffies(ms));
	return xtcp_test_pop(test);
}

/*
 * The next segment xtcp sent, which must be there and carry @flags; @line
 * is the caller's, for the failure message.
 */
struct xtcp_pkt *xtcp_test_expect_at(struct kunit *test, u8 flags, int line)
{
	struct xtcp_pkt *pkt = xtcp_test_pop(test);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pkt, "xtcp sent no segment (line %d)",
				  line);
	KUNIT_EXPECT_EQ_MSG(test, (u32)pkt->seg.flags, (u32)flags,
			    "flags of the segment (line %d)", line);
	return pkt;
}

/* The peer received @pkt: it acknowledges it next, and echoes its TSval. */
void xtcp_peer_saw(struct xtcp_peer *p, const struct xtcp_pkt *pkt)
{
	u32 end = pkt->seg.seq + xtcp_seg_seq_len(&pkt->seg);

	if (xtcp_seq_after(end, p->ack) || !p->ack)
		p->ack = end;
	if (pkt->seg.opt.present & XTCP_OPTF_TIMESTAMP)
		p->tsecr = pkt->seg.opt.tsval;
}

/* ---- timers ---- */

static void timer_call(struct softirq_call *call)
{
	call->xs->timer.function(&call->xs->timer);
}

/*
 * Run the work of @ev, pending on @sk, now: its deadline moved to now, then
 * the timer's own callback called in softirq as the hrtimer would, which
 * takes the socket's lock and runs whatever is due. The hrtimer itself stays
 * queued for its old expiry and then finds nothing due.
 */
void xtcp_test_fire(struct kunit *test, struct sock *sk,
		    enum xtcp_timer_event ev)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct softirq_call call = { .fn = timer_call, .xs = xs };
	bool pending;

	lock_sock(sk);
	pending = xtcp_timer_pending(xs, ev);
	if (pending)
		xs->timer_due[ev] = ktime_get_ns();
	release_sock(sk);
	KUNIT_ASSERT_TRUE_MSG(test, pending, "timer %d is not pending", ev);
	in_softirq_wait(&call);
}
