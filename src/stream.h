/* SPDX-License-Identifier: GPL-2.0 */
/* stream.c: the byte stream. */
#ifndef _XTCP_STREAM_H
#define _XTCP_STREAM_H

#include <net/sock.h>

struct file;
struct poll_table_struct;

__poll_t xtcp_poll(struct file *file, struct socket *sock,
		   struct poll_table_struct *wait);
int xtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int xtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		 int flags);
int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);

#endif /* _XTCP_STREAM_H */
