// SPDX-License-Identifier: GPL-2.0
/*
 * port.c: ports shared with the kernel's TCP.
 *
 * An xtcp socket that binds (explicitly, or implicitly by connect()) holds a
 * kernel TCP socket bound to the same address and port, which never listens
 * and never connects. The kernel's TCP then refuses that port to its own
 * sockets, and its bind() gives xtcp exactly the answers TCP gives: EADDRINUSE,
 * EADDRNOTAVAIL, EACCES below ip_unprivileged_port_start without
 * CAP_NET_BIND_SERVICE, EINVAL or EAFNOSUPPORT for a bad address, an ephemeral
 * port from ip_local_port_range for port 0. The checks run with the caller's
 * credentials, as they would for its own bind().
 *
 * Children of a listener share the listener's port and hold none.
 */
#include <linux/llist.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "xtcp.h"

struct xtcp_port {
	struct llist_node node;
	struct socket *sock;
};

int xtcp_port_bind(struct sock *sk, struct sockaddr_in *addr, int addr_len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sockaddr_in local;
	struct xtcp_port *port;
	int err;

	xtcp_sock_assert_locked(sk);
	if (xs->port)
		return -EINVAL;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOBUFS;
	err = sock_create_kern(sock_net(sk), AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &port->sock);
	if (err)
		goto err_free;
	port->sock->sk->sk_bound_dev_if = sk->sk_bound_dev_if;
	/* SO_REUSEADDR as the user set it: the kernel's TCP applies its rules */
	port->sock->sk->sk_reuse = sk->sk_reuse;
	err = kernel_bind(port->sock, (struct sockaddr *)addr, addr_len);
	if (err)
		goto err_release;
	err = kernel_getsockname(port->sock, (struct sockaddr *)&local);
	if (err < 0)
		goto err_release;

	xs->port = port;
	inet_sk(sk)->inet_rcv_saddr = local.sin_addr.s_addr;
	inet_sk(sk)->inet_saddr = local.sin_addr.s_addr;
	inet_sk(sk)->inet_num = ntohs(local.sin_port);
	inet_sk(sk)->inet_sport = local.sin_port;
	return 0;

err_release:
	sock_release(port->sock);
err_free:
	kfree(port);
	return err;
}

/*
 * Closing a kernel TCP socket sleeps (lock_sock), so a port given up in
 * softirq (a connection reset, a TIME_WAIT reached) is released by a work item.
 * Kernel sockets do not pin their namespace: xtcp_port_flush() runs before a
 * namespace goes, and at unload.
 */
static LLIST_HEAD(release_list);

static void port_release_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&release_list);
	struct xtcp_port *port, *tmp;

	llist_for_each_entry_safe(port, tmp, list, node) {
		sock_release(port->sock);
		kfree(port);
	}
}

static DECLARE_WORK(release_work, port_release_work);

void xtcp_port_release(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_port *port = xs->port;

	if (!port)
		return;
	xs->port = NULL;
	if (in_task()) {
		sock_release(port->sock);
		kfree(port);
		return;
	}
	llist_add(&port->node, &release_list);
	schedule_work(&release_work);
}

void xtcp_port_flush(void)
{
	flush_work(&release_work);
}
