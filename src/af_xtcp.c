// SPDX-License-Identifier: GPL-2.0
/*
 * af_xtcp.c: the AF_XTCP socket family and its proto_ops.
 *
 * Userland sees a SOCK_STREAM socket with TCP semantics that takes plain
 * struct sockaddr_in addresses. Operations that a later part of xtcp implements
 * answer -EOPNOTSUPP until then; operations that TCP itself refuses (socketpair,
 * mmap) answer what TCP answers.
 *
 * Lifetime: the family's and the proto_ops' .owner pin the module while any
 * AF_XTCP socket exists, so rmmod fails with EBUSY until the last one is closed.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/poll.h>
#include <net/sock.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"

static int family = AF_XTCP;
module_param(family, int, 0444);
MODULE_PARM_DESC(family, "socket family number to register (default 18, AF_ASH); must be free and below 46");

int xtcp_family_number(void)
{
	return family;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_family_number);

static struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
};

static int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	sock_orphan(sk);
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/*
 * A socket that is not connected polls as TCP's does in TCP_CLOSE: writable
 * (there is send-buffer space) and hung up (there is no peer).
 */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  struct poll_table_struct *wait)
{
	sock_poll_wait(file, sock, wait);
	return EPOLLOUT | EPOLLWRNORM | EPOLLHUP;
}

/* No option at IPPROTO_TCP or SOL_IP level is known yet: TCP's answer. */
static int xtcp_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	return -ENOPROTOOPT;
}

static int xtcp_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	return -ENOPROTOOPT;
}

/*
 * .family is informational only (the socket layer dispatches on the socket's own
 * sk_family), so it names the default number even when family= picks another.
 */
static const struct proto_ops xtcp_proto_ops = {
	.family		= PF_XTCP,
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= sock_no_getname,
	.poll		= xtcp_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
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

	sk = sk_alloc(net, family, GFP_KERNEL, &xtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;

	sock->state = SS_UNCONNECTED;
	sock->ops = &xtcp_proto_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = IPPROTO_TCP;
	/* inet_create() defaults: kernel-default TTL, PMTU discovery (DF). */
	inet_sk(sk)->uc_ttl = -1;
	inet_sk(sk)->pmtudisc = IP_PMTUDISC_WANT;
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
