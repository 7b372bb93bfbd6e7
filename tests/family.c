// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the AF_XTCP family from userland. Where TCP defines the answer,
 * the same call is made on an AF_INET TCP socket and both answers must agree.
 * XTCP_TEST_FAMILY=inet runs the cases on AF_INET instead (test_family()), which
 * proves them right about Linux TCP; each case says what it leaves out there.
 *
 *   family CASE      run one case; exit 0 when it passed
 *   family hold      open a socket and keep it until stdin closes (xtcp's
 *                    family always: it is for the module's own cases)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "xtcp_test.h"

static int fam;

static int get_int_opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -errno - 1000;
	return v;
}

/* socket() and close() with both protocol spellings and the type flags. */
static void t_socket_close(void)
{
	int protos[] = { 0, IPPROTO_TCP };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		int fd = socket(fam, SOCK_STREAM, protos[i]);

		CHECK(fd >= 0, "socket(%d, SOCK_STREAM, %d): %s", fam, protos[i],
		      strerror(errno));
		if (fd < 0)
			continue;
		CHECK(get_int_opt(fd, SOL_SOCKET, SO_DOMAIN) == fam, "SO_DOMAIN");
		CHECK(get_int_opt(fd, SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "SO_TYPE");
		CHECK(get_int_opt(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP,
		      "SO_PROTOCOL is %d", get_int_opt(fd, SOL_SOCKET, SO_PROTOCOL));
		CHECK(close(fd) == 0, "close: %s", strerror(errno));
	}

	/* SOCK_NONBLOCK and SOCK_CLOEXEC are applied by the socket layer. */
	int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0, "socket with SOCK_NONBLOCK|SOCK_CLOEXEC: %s", strerror(errno));
	if (fd >= 0) {
		CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK not set");
		CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "FD_CLOEXEC not set");
		close(fd);
	}

	/* Many sockets at once, then all closed. */
	int fds[256];

	for (i = 0; i < 256; i++) {
		fds[i] = socket(fam, SOCK_STREAM, 0);
		CHECK(fds[i] >= 0, "socket #%u: %s", i, strerror(errno));
	}
	for (i = 0; i < 256; i++)
		if (fds[i] >= 0)
			CHECK(close(fds[i]) == 0, "close #%u", i);
}

/*
 * Bad types and protocols get the errnos TCP (inet_create) gives. AF_INET
 * serves SOCK_DGRAM and SOCK_RAW (UDP, raw IP), SCTP and MPTCP with stacks
 * other than TCP: for those, xtcp's answers are checked with xtcp only.
 */
static void t_bad_type_protocol(void)
{
	static const struct {
		int v;
		bool inet;	/* AF_INET answers the same with protocol 0 */
	} types[] = {
		{ SOCK_DGRAM, false }, { SOCK_RAW, false },
		{ SOCK_SEQPACKET, true }, { SOCK_RDM, true },
	}, protos[] = {
		{ IPPROTO_UDP, true }, { IPPROTO_SCTP, false },
		{ IPPROTO_MPTCP, false }, { 253, true },
	};
	unsigned int i;

	if (fam == AF_INET)
		printf("AF_INET: SOCK_DGRAM, SOCK_RAW, SCTP and MPTCP left out (served there)\n");
	for (i = 0; i < 4; i++) {
		if (fam != AF_INET || types[i].inet)
			CHECK_ERRNO(socket(fam, types[i].v, 0), ESOCKTNOSUPPORT);
		/* a TCP socket of that type gets the same answer from AF_INET */
		if (types[i].inet)
			CHECK_ERRNO(socket(AF_INET, types[i].v, IPPROTO_TCP),
				    ESOCKTNOSUPPORT);
	}
	for (i = 0; i < 4; i++) {
		if (fam != AF_INET || protos[i].inet)
			CHECK_ERRNO(socket(fam, SOCK_STREAM, protos[i].v),
				    EPROTONOSUPPORT);
		if (protos[i].inet)
			CHECK_ERRNO(socket(AF_INET, SOCK_STREAM, protos[i].v),
				    EPROTONOSUPPORT);
	}
}

/*
 * An unconnected socket polls like an unconnected TCP socket: tcp_poll() of a
 * socket in CLOSE gives POLLHUP, and POLLOUT since it is not SYN_SENT. The
 * figure is checked too, so that the case asserts something on AF_INET.
 */
static void t_poll_unconnected(void)
{
	struct pollfd p[2] = {
		{ .fd = socket(fam, SOCK_STREAM, 0), .events = POLLIN | POLLOUT | POLLRDHUP },
		{ .fd = socket(AF_INET, SOCK_STREAM, 0), .events = POLLIN | POLLOUT | POLLRDHUP },
	};

	CHECK(p[0].fd >= 0 && p[1].fd >= 0, "socket: %s", strerror(errno));
	CHECK(poll(p, 2, 0) == 2, "poll: %s", strerror(errno));
	CHECK(p[0].revents == p[1].revents, "family %d revents %#x, tcp revents %#x",
	      fam, p[0].revents, p[1].revents);
	CHECK(p[1].revents == (POLLOUT | POLLHUP), "tcp revents %#x, want %#x",
	      p[1].revents, POLLOUT | POLLHUP);
	close(p[0].fd);
	close(p[1].fd);
}

static void hold(void)
{
	int fd = socket(xtcp_family(), SOCK_STREAM, 0);
	char c;

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	printf("holding\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	close(fd);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "socket_close", t_socket_close },
	{ "bad_type_protocol", t_bad_type_protocol },
	{ "poll_unconnected", t_poll_unconnected },
	{ "hold", hold },
};

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE\n", argv[0]);
		return 2;
	}
	fam = test_family();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name))
			continue;
		cases[i].fn();
		return test_failures ? 1 : 0;
	}
	fprintf(stderr, "unknown case %s\n", argv[1]);
	return 2;
}
