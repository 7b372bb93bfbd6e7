/* SPDX-License-Identifier: GPL-2.0 */
/*
 * packet.h: the packet-path harness of the KUnit suites (kunit/packet.c).
 *
 * A test drives real AF_XTCP sockets in init_net from the other end of the
 * wire: a fake peer (struct xtcp_peer, at 127.0.0.2) whose segments are built
 * here and fed to xtcp_nf_hook() as the IPv4 stack would at LOCAL_IN, and
 * whose view of what xtcp sends is the capture queue: every segment xtcp
 * transmits while a test runs is taken at output.c's capture point
 * (src/xmit_capture.h) instead of reaching the IP layer, its checksum
 * completed and checked, and popped by the test as a parsed struct xtcp_pkt.
 * Nothing reaches a device; nothing waits for a real timer unless a test
 * wants to (xtcp_test_fire() runs a timer's work at once).
 *
 * A suite that uses the harness names xtcp_test_init as its .init: it
 * installs the capture for the test. Sockets made here are KUnit resources,
 * aborted (SO_LINGER 0: a RST, captured) and released when the test ends,
 * pass or fail; captured segments and the capture itself go last.
 */
#ifndef _XTCP_KUNIT_PACKET_H
#define _XTCP_KUNIT_PACKET_H

#include <kunit/test.h>
#include <linux/net.h>

#include "protocol.h"
#include "xtcp.h"

/* The fake peer's address: on lo, answered by nobody but the test. */
#define XTCP_TEST_PEER_ADDR	htonl(0x7f000002)	/* 127.0.0.2 */
#define XTCP_TEST_MSS		1460	/* the peer's MSS option by default */

/* The other end of one connection, as a test plays it. */
struct xtcp_peer {
	__be32 addr;		/* the peer's address and port */
	__be16 port;
	__be32 xaddr;		/* the xtcp socket's */
	__be16 xport;
	u32 isn;		/* the peer's ISN */
	u32 seq;		/* the peer's next sequence number */
	u32 ack;		/* what it acknowledges: xtcp's next */
	u16 window;		/* what it advertises, as on the wire */
	bool ts;		/* it sends timestamps */
	u32 tsval;		/* its next TSval */
	u32 tsecr;		/* the TSval it echoes: xtcp's latest */
};

/* A segment the peer sends, built by xtcp_peer_seg() and xtcp_test_feed(). */
struct xtcp_test_seg {
	u8 flags;		/* XTCP_FLAG_* */
	u32 seq;
	u32 ack;
	u16 window;
	struct xtcp_options opt;
	const u8 *raw_opt;	/* instead of @opt, these bytes (padded) */
	u8 raw_opt_len;
	const void *data;	/* the text; NULL: a pattern of @len bytes */
	u32 len;
	bool bad_csum;		/* send it with a wrong checksum */
	u8 tos;			/* its IP TOS byte, ECN field included */
	int ifindex;		/* the device it comes in on; 0: lo */
};

/* A segment xtcp sent, as captured and parsed. */
struct xtcp_pkt {
	struct xtcp_segment seg;
	__be32 saddr;
	__be32 daddr;
	/*
	 * The TOS byte ip_queue_xmit() writes into a socket's segment, ECN
	 * field included (inet->tos as it was sent); 0 for a segment without
	 * a socket of its own (a request's, a RST's), whose TOS is not seen
	 */
	u8 tos;
	const u8 *data;		/* seg.payload_len bytes of text */
};

/* Suite .init: capture what xtcp sends for the test's duration. */
int xtcp_test_init(struct kunit *test);

/* init_net's counter @s now. */
long xtcp_test_stat(enum xtcp_stat s);
/* init_net's net.xtcp or net.ipv4 sysctl at @field: @val till the test ends. */
void xtcp_test_sysctl(struct kunit *test, int *field, int val);
void xtcp_test_sysctl_u8(struct kunit *test, u8 *field, u8 val);

/* Linux's SYN window and window scale, for comparison with xtcp's. */
u16 xtcp_test_syn_window(const struct sock *sk, u32 mss);
u8 xtcp_test_wscale(u32 rmem_max);

/* Sockets, released (abortively) when the test ends. */
struct socket *xtcp_test_socket(struct kunit *test);
void xtcp_test_release(struct kunit *test, struct socket *sock);
struct sock *xtcp_test_close(struct kunit *test, struct socket *sock);
int xtcp_test_setsockopt(struct socket *sock, int level, int name, int val);
struct socket *xtcp_test_listener(struct kunit *test, int backlog,
				  struct xtcp_peer *p);
struct socket *xtcp_test_accept(struct kunit *test, struct socket *lsock);
struct xtcp_request *xtcp_test_request(struct kunit *test, struct sock *lsk);
struct sock *xtcp_test_child(struct kunit *test, const struct xtcp_peer *p);
struct socket *xtcp_test_connect(struct kunit *test, struct xtcp_peer *p);
struct socket *xtcp_test_connect_sock(struct kunit *test, struct socket *sock,
				      struct xtcp_peer *p);
struct socket *xtcp_test_established(struct kunit *test, struct xtcp_peer *p,
				     const struct xtcp_options *synack_opt);
struct sock *xtcp_test_passive(struct kunit *test, struct socket *lsock,
			       struct xtcp_peer *p, u16 port);

/* Segments from the peer: built, then fed through xtcp_nf_hook(). */
void xtcp_peer_init(struct xtcp_peer *p, u16 port);
struct xtcp_test_seg xtcp_peer_seg(struct xtcp_peer *p, u8 flags, u32 len);
unsigned int xtcp_test_feed(struct kunit *test, struct xtcp_peer *p,
			    const struct xtcp_test_seg *s);
unsigned int xtcp_peer_send(struct kunit *test, struct xtcp_peer *p, u8 flags,
			    u32 len);
unsigned int xtcp_test_feed_icmp(struct kunit *test, struct xtcp_peer *p,
				 u8 type, u8 code, u16 mtu, u32 seq);
int xtcp_test_sendmsg(struct socket *sock, u32 len, int flags);
void xtcp_test_expect_read(struct kunit *test, struct socket *sock, u32 seq,
			   u32 len);

/* Segments from xtcp: popped from the capture queue. */
void xtcp_test_hold(void);
unsigned int xtcp_test_free_held(void);
unsigned int xtcp_test_captured(void);
struct xtcp_pkt *xtcp_test_pop(struct kunit *test);
struct xtcp_pkt *xtcp_test_wait(struct kunit *test, unsigned int ms);
struct xtcp_pkt *xtcp_test_expect_at(struct kunit *test, u8 flags, int line);
#define xtcp_test_expect(test, flags) \
	xtcp_test_expect_at(test, flags, __LINE__)
void xtcp_peer_saw(struct xtcp_peer *p, const struct xtcp_pkt *pkt);
u8 xtcp_test_pattern(u32 seq);

/* Timers: the work of @ev, due now, done now. */
void xtcp_test_fire(struct kunit *test, struct sock *sk,
		    enum xtcp_timer_event ev);

/* Nothing more was sent. */
#define XTCP_EXPECT_NO_SEGMENT(test) \
	KUNIT_EXPECT_EQ_MSG(test, xtcp_test_captured(), 0U, \
			    "xtcp sent a segment it should not have (line %d)", \
			    __LINE__)

/* A captured segment's flags, seq and ack (@pkt evaluated once). */
#define XTCP_EXPECT_SEG(test, pkt, f, sq, ak)				\
	do {								\
		const struct xtcp_pkt *__pkt = (pkt);			\
									\
		KUNIT_EXPECT_EQ(test, (u32)__pkt->seg.flags, (u32)(f));	\
		KUNIT_EXPECT_EQ(test, __pkt->seg.seq, (u32)(sq));	\
		KUNIT_EXPECT_EQ(test, __pkt->seg.ack, (u32)(ak));	\
	} while (0)

#endif /* _XTCP_KUNIT_PACKET_H */
