// SPDX-License-Identifier: GPL-2.0
/*
 * libxtcpize: LD_PRELOAD library that turns a program's IPv4 TCP sockets into
 * xtcp sockets (tools/xtcpize/xtcpize runs a program with it).
 *
 * socket(AF_INET, SOCK_STREAM[|SOCK_NONBLOCK|SOCK_CLOEXEC], 0 or IPPROTO_TCP)
 * becomes socket(family, same type and flags, 0), where family is xtcp's:
 * $XTCPIZE_FAMILY if set, else /sys/module/xtcp/parameters/family, read once
 * when the library is loaded. Every other socket (AF_INET6, UDP, unix, raw,
 * netlink ...) is created untouched. xtcp takes struct sockaddr_in addresses,
 * so no other call needs changing.
 *
 * When xtcp's family is not known (xtcp not loaded, or a bad $XTCPIZE_FAMILY),
 * an IPv4 TCP socket() fails with EAFNOSUPPORT, after one message on stderr:
 * it does not fall back to the kernel's TCP, so that nothing that was meant to
 * run over xtcp silently runs over TCP.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define FAMILY_PARAM "/sys/module/xtcp/parameters/family"
#define FAMILY_MAX 45		/* AF_MAX - 1 in Linux 6.1 */

typedef int (*socket_fn)(int, int, int);

static socket_fn real_socket;
static int xtcp_family;		/* 0: unknown, see why_unknown */
static char why_unknown[160];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int warned;

/* A family number from text: 1..FAMILY_MAX, not AF_INET; else 0. */
static int parse_family(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == s || *end || v < 1 || v > FAMILY_MAX || v == AF_INET)
		return 0;
	return (int)v;
}

static void init(void)
{
	const char *env = getenv("XTCPIZE_FAMILY");
	char buf[32];
	FILE *f;

	real_socket = (socket_fn)dlsym(RTLD_NEXT, "socket");
	if (env && *env) {
		xtcp_family = parse_family(env);
		if (!xtcp_family)
			snprintf(why_unknown, sizeof(why_unknown),
				 "XTCPIZE_FAMILY='%.32s' is not a family number (1-%d, not %d)",
				 env, FAMILY_MAX, AF_INET);
		return;
	}
	f = fopen(FAMILY_PARAM, "re");
	if (!f) {
		snprintf(why_unknown, sizeof(why_unknown),
			 "xtcp is not loaded (%s: %s)", FAMILY_PARAM, strerror(errno));
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		xtcp_family = parse_family(buf);
	fclose(f);
	if (!xtcp_family)
		snprintf(why_unknown, sizeof(why_unknown),
			 "%s does not hold a family number", FAMILY_PARAM);
}

__attribute__((constructor)) static void xtcpize_load(void)
{
	pthread_once(&init_once, init);
}

static int is_tcp4(int domain, int type, int protocol)
{
	return domain == AF_INET &&
	       (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM &&
	       (protocol == 0 || protocol == IPPROTO_TCP);
}

int socket(int domain, int type, int protocol)
{
	pthread_once(&init_once, init);
	if (!real_socket) {
		errno = ENOSYS;
		return -1;
	}
	if (!is_tcp4(domain, type, protocol))
		return real_socket(domain, type, protocol);
	if (!xtcp_family) {
		if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
			fprintf(stderr, "xtcpize: %s: IPv4 TCP sockets fail with EAFNOSUPPORT\n",
				why_unknown);
		errno = EAFNOSUPPORT;
		return -1;
	}
	return real_socket(xtcp_family, type, 0);
}
