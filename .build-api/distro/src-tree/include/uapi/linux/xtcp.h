/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp: an experimental TCP in a loadable module, under its own socket family.
 *
 * Userland opens a socket with socket(AF_XTCP, SOCK_STREAM, 0) (or IPPROTO_TCP as
 * the protocol) and then uses plain struct sockaddr_in addresses, exactly as with
 * an AF_INET TCP socket (the same convention AF_SMC follows).
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/*
 * The family number. Linux 6.1 has AF_MAX == 46, and sock_register() refuses any
 * number at or above it, so an out-of-tree family must reuse a number that no
 * 6.1 kernel implements. 18 is AF_ASH: reserved in <linux/socket.h> since 2.x but
 * never implemented by any mainline kernel or known userland, and SELinux and
 * AppArmor treat it as a generic socket class. 19 (AF_ECONET) had a module until
 * 3.5, which makes 18 the quieter choice.
 *
 * When 18 is taken on a given machine, load the module with `family=N`; the
 * number in use is always readable in /sys/module/xtcp/parameters/family, and
 * programs should read it there rather than trust this constant.
 */
#define AF_XTCP		18
#define PF_XTCP		AF_XTCP

/* Where a running module publishes the family number it registered. */
#define XTCP_FAMILY_PARAM_PATH	"/sys/module/xtcp/parameters/family"

#endif /* _UAPI_LINUX_XTCP_H */
