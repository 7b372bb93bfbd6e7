// SPDX-License-Identifier: GPL-2.0
/*
 * af_xtcp.c: the AF_XTCP socket family: its registration and its proto_ops.
 *
 * Userland sees a SOCK_STREAM socket with TCP's semantics that takes plain
 * struct sockaddr_in addresses. The calls are implemented by the file of
 * their concern: conn.c (bind, connect, getname, shutdown, close), listen.c
 * (listen, accept), stream.c (send, receive, poll, ioctl) and sockopt.c;
 * the socket itself by sock.c.
 *
 * Lifetime: the family's and the proto_ops' .owner pin the module while any
 * AF_XTCP socket exists, so rmmod fails with EBUSY until the last one is closed.
 * A closed connection lives on as an orphan (no struct socket) until its close
 * sequence ends; every socket, orphan or not, holds the module through
 * xtcp_prot.owner (sk_alloc), so rmmod waits for the last one.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/sock.h>
#include <uapi/linux/xtcp.h>

#include "af_xtcp.h"
#include "conn.h"
#include "listen.h"
#include "recovery.h"
#include "sock.h"
#include "sockopt.h"
#include "stream.h"
#include "xtcp.h"

static int family = AF_XTCP;
module_param(family, int, 0444);
MODULE_PARM_DESC(family, "socket family number to register (default 18, AF_ASH); must be free and below 46");

int xtcp_family_number(void)
{
	return family;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_family_number);

/*
 * .family is informational only (the socket layer dispatches on the socket's own
 * sk_family), so it names the default number even when family= picks another.
 */
static const struct proto_ops xtcp_proto_ops = {
	.family		= PF_XTCP,
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_accept,
	.getname	= xtcp_getname,
	.poll		= xtcp_poll,
	.ioctl		= xtcp_ioctl,
	.listen		= xtcp_listen,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};

static int xtcp_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct sock *sk;

	/* The errnos inet_create() gives for the same mistakes. */
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;

	sk = xtcp_sk_alloc(net, family, GFP_KERNEL, kern);
	if (!sk)
		return -ENOBUFS;
	xtcp_cc_default(sk);
	sock->state = SS_UNCONNECTED;
	sock->ops = &xtcp_proto_ops;
	sk_set_socket(sk, sock);
	sock->sk = sk;
	RCU_INIT_POINTER(sk->sk_wq, &sock->wq);
	sk->sk_uid = SOCK_INODE(sock)->i_uid;
	return 0;
}

static struct net_proto_family xtcp_family_ops = {
	.create	= xtcp_create,
	.owner	= THIS_MODULE,
};

int xtcp_af_init(void)
{
	int err;

	if (family <= AF_UNSPEC || family >= NPROTO) {
		pr_err("family=%d is out of range: pick a free number from 1 to %d\n",
		       family, NPROTO - 1);
		return -EINVAL;
	}
	xtcp_family_ops.family = family;

	xtcp_mem_init_prot();
	err = proto_register(&xtcp_prot, 1);
	if (err) {
		pr_err("proto_register failed: %d\n", err);
		return err;
	}

	err = sock_register(&xtcp_family_ops);
	if (err) {
		if (err == -EEXIST)
			pr_err("socket family %d is already registered by another module; load xtcp with family=N for a free N below %d\n",
			       family, NPROTO);
		else
			pr_err("sock_register(%d) failed: %d\n", family, err);
		goto err_proto;
	}
	return 0;

err_proto:
	proto_unregister(&xtcp_prot);
	return err;
}

void xtcp_af_exit(void)
{
	sock_unregister(family);
	proto_unregister(&xtcp_prot);
}
