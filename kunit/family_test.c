// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the AF_XTCP family is registered and creates sockets as TCP would,
 * refusing what TCP refuses with the same errnos.
 */
#include <kunit/test.h>
#include <linux/rcupdate.h>
#include <linux/net.h>
#include <linux/in.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "af_xtcp.h"
#include "xtcp.h"
#include "suites.h"

static int create(struct kunit *test, int type, int protocol,
		  struct socket **sockp)
{
	*sockp = NULL;
	return sock_create_kern(&init_net, xtcp_family_number(), type, protocol,
				sockp);
}

static void family_stream_default_protocol(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, 0, &sock), 0);
	KUNIT_ASSERT_NOT_NULL(test, sock);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_family, xtcp_family_number());
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_protocol, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_type, SOCK_STREAM);
	KUNIT_EXPECT_EQ(test, (int)sock->state, (int)SS_UNCONNECTED);
	sock_release(sock);
}

static void family_stream_ipproto_tcp(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, IPPROTO_TCP, &sock), 0);
	KUNIT_EXPECT_EQ(test, (int)sock->sk->sk_protocol, IPPROTO_TCP);
	sock_release(sock);
}

static void family_other_types_esocktnosupport(struct kunit *test)
{
	static const int types[] = { SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET,
				     SOCK_RDM };
	struct socket *sock;
	int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		KUNIT_EXPECT_EQ(test, create(test, types[i], 0, &sock),
				-ESOCKTNOSUPPORT);
		KUNIT_EXPECT_NULL(test, sock);
	}
}

static void family_other_protocols_eprotonosupport(struct kunit *test)
{
	static const int protos[] = { IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_MPTCP,
				      IPPROTO_RAW, 253 };
	struct socket *sock;
	int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		KUNIT_EXPECT_EQ(test, create(test, SOCK_STREAM, protos[i], &sock),
				-EPROTONOSUPPORT);
		KUNIT_EXPECT_NULL(test, sock);
	}
}

/* The family is really held: a second registration of it is refused. */
static void family_number_is_taken(struct kunit *test)
{
	struct net_proto_family dup = {
		.family = xtcp_family_number(),
		.owner = THIS_MODULE,
	};

	int err = sock_register(&dup);

	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	/* Never leave a family without .create registered, even on failure. */
	if (!err)
		sock_unregister(dup.family);
}

/* What TCP never supports, xtcp refuses the same way. */
static void family_socketpair_eopnotsupp(struct kunit *test)
{
	struct socket *a, *b;

	KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, 0, &a), 0);
	KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, 0, &b), 0);
	KUNIT_EXPECT_EQ(test, a->ops->socketpair(a, b), -EOPNOTSUPP);
	sock_release(b);
	sock_release(a);
}

/*
 * Each socket pins the module; releasing all of them drops every pin. xtcp
 * sockets are freed after an RCU grace period (SOCK_RCU_FREE, for lockless
 * lookups), so the pins go once the pending frees have run: rcu_barrier().
 */
static void family_sockets_pin_module(struct kunit *test)
{
	struct socket *socks[8];
	struct module *owner;
	int before, i;

	KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, 0, &socks[0]), 0);
	owner = socks[0]->ops->owner;
	KUNIT_ASSERT_NOT_NULL(test, owner);
	sock_release(socks[0]);
	rcu_barrier();

	before = module_refcount(owner);
	for (i = 0; i < ARRAY_SIZE(socks); i++)
		KUNIT_ASSERT_EQ(test, create(test, SOCK_STREAM, 0, &socks[i]), 0);
	KUNIT_EXPECT_GT(test, module_refcount(owner), before);
	for (i = 0; i < ARRAY_SIZE(socks); i++)
		sock_release(socks[i]);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, module_refcount(owner), before);
}

static struct kunit_case family_cases[] = {
	KUNIT_CASE(family_stream_default_protocol),
	KUNIT_CASE(family_stream_ipproto_tcp),
	KUNIT_CASE(family_other_types_esocktnosupport),
	KUNIT_CASE(family_other_protocols_eprotonosupport),
	KUNIT_CASE(family_number_is_taken),
	KUNIT_CASE(family_socketpair_eopnotsupp),
	KUNIT_CASE(family_sockets_pin_module),
	{}
};

static struct kunit_suite family_suite = {
	.name = "xtcp_family",
	.test_cases = family_cases,
};
XTCP_KUNIT_SUITES(family, &family_suite);
