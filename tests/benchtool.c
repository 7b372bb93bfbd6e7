// SPDX-License-Identifier: GPL-2.0
/*
 * benchtool: the workloads of tests/bench (make bench) that tests/xfer has no
 * mode for. Every mode works on either stack: --family xtcp (AF_XTCP, or
 * AF_INET when XTCP_TEST_FAMILY=inet, as in tests/xfer) or --family inet.
 *
 *   benchtool pp-server --family F --port P
 *   benchtool pp-client --family F --addr A --port P --count N [--warmup W]
 *       1-byte ping-pong on one connection (TCP_NODELAY on both ends): the
 *       client sends a byte, the server sends it back, N times after W
 *       untimed ones (default 50). The client prints
 *       "rtt_us p50 X p90 Y p99 Z max M n N" (CLOCK_MONOTONIC microseconds
 *       from before send() to after the byte is read back); the server serves
 *       one connection until EOF.
 *
 *   benchtool idle-server --family F --port P --count N [--ports K]
 *   benchtool idle-client --family F --addr A --port P --count N [--ports K] --go NAME
 *       N idle established connections, spread over the K listening ports
 *       P..P+K-1 (default 1). The server accepts N and prints "accepted N",
 *       then waits for EOF on every one and closes it. The client connects N
 *       times (blocking), prints "established N", waits for the file NAME in
 *       $XFER_SYNC, then closes every connection and exits. tests/bench reads
 *       the kernel's memory while both hold them.
 *
 * Every mode fails (exit 1, a message on stderr) at the first error or
 * when --timeout S (default 300) runs out: never a partial figure.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define XTCP_TEST_DIE
#include "xtcp_test.h"

static const char *me = "benchtool";
static long long deadline_ms;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long now_ms(void)
{
	return now_us() / 1000;
}

static void check_deadline(const char *what)
{
	if (now_ms() > deadline_ms)
		die("timed out %s", what);
}

static struct sockaddr_in mkaddr(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		die("bad IPv4 address '%s'", addr);
	return sin;
}

static int listen_on(int fam, int port, int backlog)
{
	struct sockaddr_in sin = mkaddr("0.0.0.0", port);
	int fd = socket(fam, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket(%d): %s", fam, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind port %d: %s", port, strerror(errno));
	if (listen(fd, backlog) < 0)
		die("listen: %s", strerror(errno));
	return fd;
}

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die("TCP_NODELAY: %s", strerror(errno));
}

/* Raise RLIMIT_NOFILE to what @n sockets need. */
static void want_fds(int n)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= (rlim_t)n + 64)
		return;
	rl.rlim_cur = n + 64;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("RLIMIT_NOFILE %d: %s", n + 64, strerror(errno));
}

/* One byte read, blocking, with the deadline as SO_RCVTIMEO has set it. */
static void read1(int fd, char *c, const char *what)
{
	ssize_t n = read(fd, c, 1);

	if (n == 1)
		return;
	if (n == 0)
		die("%s: EOF", what);
	die("%s: %s", what, strerror(errno));
}

static void write1(int fd, char c, const char *what)
{
	if (send(fd, &c, 1, MSG_NOSIGNAL) != 1)
		die("%s: %s", what, strerror(errno));
}

static void rcv_timeout(int fd, int s)
{
	struct timeval tv = { .tv_sec = s };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

struct args {
	int fam, port, count, ports, warmup, timeout;
	const char *addr, *go;
};

static void parse(struct args *a, int argc, char **argv)
{
	const char *fam = NULL;
	int i;

	*a = (struct args){ .count = 1, .ports = 1, .warmup = 50, .timeout = 300 };
	for (i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--family"))
			fam = v;
		else if (!strcmp(k, "--addr"))
			a->addr = v;
		else if (!strcmp(k, "--port"))
			a->port = atoi(v);
		else if (!strcmp(k, "--count"))
			a->count = atoi(v);
		else if (!strcmp(k, "--ports"))
			a->ports = atoi(v);
		else if (!strcmp(k, "--warmup"))
			a->warmup = atoi(v);
		else if (!strcmp(k, "--go"))
			a->go = v;
		else if (!strcmp(k, "--timeout"))
			a->timeout = atoi(v);
		else
			die("unknown option %s", k);
	}
	if (i != argc)
		die("option %s needs a value", argv[i]);
	if (!fam || !a->port || a->count < 1 || a->ports < 1 || a->warmup < 0)
		die("--family and --port are required; --count, --ports >= 1");
	a->fam = wire_family(fam);
	deadline_ms = now_ms() + a->timeout * 1000LL;
}

static int pp_server(const struct args *a)
{
	int lfd = listen_on(a->fam, a->port, 1), fd;
	char c;
	ssize_t n;

	printf("listening on port %d\n", a->port);
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept: %s", strerror(errno));
	nodelay(fd);
	rcv_timeout(fd, a->timeout);
	while ((n = read(fd, &c, 1)) == 1)
		write1(fd, c, "echo");
	if (n < 0)
		die("read: %s", strerror(errno));
	close(fd);
	close(lfd);
	return 0;
}

static int pp_client(const struct args *a)
{
	struct sockaddr_in sin = mkaddr(a->addr, a->port);
	long long *rtt = calloc(a->count, sizeof(*rtt)), t;
	int fd = socket(a->fam, SOCK_STREAM, 0), i;
	char c;

	if (!rtt || fd < 0)
		die("socket or memory: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect %s:%d: %s", a->addr, a->port, strerror(errno));
	nodelay(fd);
	rcv_timeout(fd, a->timeout);
	for (i = 0; i < a->warmup + a->count; i++) {
		t = now_us();
		write1(fd, (char)i, "ping");
		read1(fd, &c, "pong");
		if (c != (char)i)
			die("round %d: got byte %d back, want %d", i, c, (char)i);
		if (i >= a->warmup)
			rtt[i - a->warmup] = now_us() - t;
		check_deadline("in the ping-pong");
	}
	close(fd);
	qsort(rtt, a->count, sizeof(*rtt), cmp_ll);
	/* nearest rank: the smallest value with at least p% at or below it */
#define PCT(p) rtt[((a->count * (p) + 99) / 100) - 1]
	printf("rtt_us p50 %lld p90 %lld p99 %lld max %lld n %d\n", PCT(50), PCT(90), PCT(99),
	       rtt[a->count - 1], a->count);
	free(rtt);
	return 0;
}

static int idle_server(const struct args *a)
{
	int *lfd = calloc(a->ports, sizeof(int)), *fds = calloc(a->count, sizeof(int));
	struct pollfd *pfd = calloc(a->count > a->ports ? a->count : a->ports, sizeof(*pfd));
	int i, got = 0, open;

	if (!lfd || !fds || !pfd)
		die("out of memory");
	want_fds(a->count + a->ports);
	for (i = 0; i < a->ports; i++) {
		lfd[i] = listen_on(a->fam, a->port + i, 4096);
		fcntl(lfd[i], F_SETFL, O_NONBLOCK);
	}
	printf("listening on port %d\n", a->port);
	fflush(stdout);
	while (got < a->count) {
		for (i = 0; i < a->ports; i++) {
			pfd[i].fd = lfd[i];
			pfd[i].events = POLLIN;
		}
		check_deadline("accepting");
		if (poll(pfd, a->ports, 1000) < 0)
			die("poll: %s", strerror(errno));
		for (i = 0; i < a->ports && got < a->count; i++) {
			int fd;

			while (got < a->count && (fd = accept(lfd[i], NULL, NULL)) >= 0)
				fds[got++] = fd;
			if (fd < 0 && errno != EAGAIN)
				die("accept: %s", strerror(errno));
		}
	}
	printf("accepted %d\n", got);
	fflush(stdout);
	for (open = got; open;) {
		int np = 0;

		for (i = 0; i < got; i++) {
			if (fds[i] < 0)
				continue;
			pfd[np].fd = fds[i];
			pfd[np++].events = POLLIN;
		}
		check_deadline("waiting for the client's EOFs");
		if (poll(pfd, np, 1000) < 0)
			die("poll: %s", strerror(errno));
		for (i = 0; i < np; i++) {
			char c;
			ssize_t n;
			int j;

			if (!pfd[i].revents)
				continue;
			n = read(pfd[i].fd, &c, 1);
			if (n != 0)
				die("idle connection: read %zd (%s)", n, n < 0 ? strerror(errno) : "data");
			for (j = 0; j < got; j++)
				if (fds[j] == pfd[i].fd)
					fds[j] = -1;
			close(pfd[i].fd);
			open--;
		}
	}
	printf("closed %d\n", got);
	for (i = 0; i < a->ports; i++)
		close(lfd[i]);
	return 0;
}

static int idle_client(const struct args *a)
{
	int *fds = calloc(a->count, sizeof(int)), i;
	const char *dir = getenv("XFER_SYNC");
	char path[512];

	if (!fds)
		die("out of memory");
	if (!a->addr || !a->go)
		die("idle-client needs --addr and --go");
	want_fds(a->count);
	for (i = 0; i < a->count; i++) {
		struct sockaddr_in sin = mkaddr(a->addr, a->port + i % a->ports);

		fds[i] = socket(a->fam, SOCK_STREAM, 0);
		if (fds[i] < 0)
			die("connection %d: socket: %s", i, strerror(errno));
		if (connect(fds[i], (struct sockaddr *)&sin, sizeof(sin)) < 0)
			die("connection %d: connect: %s", i, strerror(errno));
		check_deadline("connecting");
	}
	printf("established %d\n", a->count);
	fflush(stdout);
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/tmp", a->go);
	while (access(path, F_OK)) {
		check_deadline("waiting for the go file");
		usleep(10000);
	}
	for (i = 0; i < a->count; i++)
		close(fds[i]);
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;

	(void)test_failures;	/* xtcp_test.h's CHECK counter: unused here */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		die("usage: benchtool pp-server|pp-client|idle-server|idle-client ... (tests/benchtool.c)");
	parse(&a, argc, argv);
	if (!strcmp(argv[1], "pp-server"))
		return pp_server(&a);
	if (!strcmp(argv[1], "pp-client")) {
		if (!a.addr)
			die("pp-client needs --addr");
		return pp_client(&a);
	}
	if (!strcmp(argv[1], "idle-server"))
		return idle_server(&a);
	if (!strcmp(argv[1], "idle-client"))
		return idle_client(&a);
	die("unknown mode %s", argv[1]);
}
