// SPDX-License-Identifier: GPL-2.0
/*
 * xfer: the transfer tool of the over-the-wire selftests (tests/cases/wire.sh).
 *
 *   xfer server --family xtcp|inet --port P [--addr A] [--bytes N] [--count K]
 *               [--close first|second] [--half-close] [--timeout S]
 *   xfer client --family xtcp|inet --addr A --port P [--bytes N] [--count K]
 *               [--parallel C] [--bind-port Q] [--close first|second]
 *               [--half-close] [--await-eof] [--timeout S] [--report-time]
 *   xfer script --family xtcp|inet STEP...
 *   xfer sink --family xtcp|inet --port P [--count K] [--close-after B1,B2,..]
 *   xfer fan --family xtcp|inet --addr A --ports P1,P2,... --count K
 *            [--rounds R] [--bytes N] [--timeout S]
 *   xfer hog server|client ...      (see below)
 *   xfer watch TABLE
 *   xfer pattern N               (the first N bytes of the script's stream)
 *   xfer hold                    (park in a namespace until killed)
 *
 * server/client: every connection carries N bytes each way, both directions at
 * once, each a deterministic pattern (pattern() below, seeded by direction) that
 * the receiver checks byte by byte; both sides print an FNV-1a hash of what they
 * sent and received. Then the `--close first` side closes as soon as its data is
 * through; the `second` side waits for EOF (read() == 0, not an error) and then
 * closes. With --half-close the first side sends, shuts down its write side, and
 * only then does the second side, having seen EOF, send its N bytes back.
 * With --await-eof the first side shuts down its write side instead of closing,
 * waits for the peer's EOF and only then closes: it is still the active closer,
 * but never runs ahead of the peer (the many-connection cases).
 * The server listens (printing "listening on port P" once it does) and serves K
 * connections at once; the client opens K connections, C at a time.
 * With --report-time the client also prints "elapsed_us N": CLOCK_MONOTONIC
 * microseconds from just before its first connect() to the moment the last
 * connection has received all N bytes and the peer has acknowledged all it
 * sent (SIOCOUTQ 0), before any close: the transfer alone, without the
 * process's start or end (tests/bench-netem).
 *
 * script: one socket driven by steps, for the state scenarios:
 *   bind:PORT  reuse  listen  accept  connect:ADDR:PORT  connect-nb:ADDR:PORT
 *   connected (wait for a non-blocking connect)  connect-fail:ERRNO
 *   send:N  recv:N (pattern-checked)  shutdown:wr|rd|rdwr  eof  reset
 *   paced:N,CHUNK,MS (send N bytes in writes of CHUNK, MS ms apart)
 *   recv-paced:N,CHUNK,MS (read N bytes in reads of at most CHUNK, MS ms apart)
 *   drain (wait, up to --timeout, until the peer has acknowledged all sent)
 *   rate (print "rate delivery_rate R app_limited A delivered D delivered_ce
 *   C bytes_acked B mss M min_rtt T" from TCP_INFO)
 *   recv-err:ERRNO (a read fails with it)  soerr:ERRNO|0 (SO_ERROR says it)
 *   soerr-within:ERRNO (SO_ERROR says it within --timeout seconds)
 *   keepalive:IDLE,INTVL,CNT (SO_KEEPALIVE and TCP_KEEP*; keepalive:on for
 *   SO_KEEPALIVE alone)  ttl:N (IP_TTL)  info (print "mss M pmtu P
 *   retrans R cwnd C bytes_acked A bytes_received B segs_out S segs_in I
 *   data_segs_out O data_segs_in N" from TCP_INFO)  cc:NAME (TCP_CONGESTION)
 *   ccinfo (print "cc NAME ccinfo_len L vegas_enabled E rttcnt N basertt B
 *   minrtt M cwnd C rtt R" from TCP_CONGESTION, TCP_CC_INFO and TCP_INFO)
 *   linger0  close  say:TEXT  wait:FILE  sleep:MS  hold
 *   filter:drop|big|off (SO_ATTACH_FILTER: drop all, drop what is longer than
 *   64 bytes; SO_DETACH_FILTER)  no-connect:MS (after connect-nb: still not
 *   connected, nor failed, MS ms later)  quiet:MS (nothing readable for MS ms)
 *   rcvbuf:N (SO_RCVBUF; before listen, the accepted socket inherits it)
 *   sndbuf:N (SO_SNDBUF)  chrono (print "chrono busy_us B rwnd_limited_us R
 *   sndbuf_limited_us S" from TCP_INFO)
 *   mark  since:TEXT (print "TEXT US": CLOCK_MONOTONIC microseconds since the
 *   last mark, e.g. around a connect)  device:NAME (SO_BINDTODEVICE; device:
 *   alone unbinds)
 *
 * sink: accept K connections one after another, read each to its end and print
 *   "conn I: len L fnv H end eof|ECONNRESET|..."; --close-after closes
 *   connection I actively once it has read B_I bytes (0: read to the end).
 *
 * fan: many connections from one address (the port-sharing cases,
 *   tests/cases/net.sh). Each of R rounds opens K connections to each port
 *   (blocking connect()s, all of the round's held open at once), then carries
 *   N bytes each way on every one (as the client of `xfer server` does), then
 *   shuts each down, waits for the server's EOF and closes it (this side
 *   closes first: its connections end in TIME_WAIT). A failing connect()
 *   ends it with "connect N: ERRNO". Prints "ok C connections, L local
 *   ports, at most M connections on one, at most H open at once".
 *
 * hog server|client: the memory-pressure case (tests/cases/hostile.sh). The
 *   server (--family F --port P --count K --go NAME) accepts K connections,
 *   prints "accepted K", reads nothing until the file NAME appears in
 *   $XFER_SYNC, then reads every connection to its end and prints "read
 *   BYTES". The client (--family F --addr A --port P --count K) opens K
 *   connections and writes to them without blocking until for a second and
 *   a half none takes another byte, sampling the stack's memory in
 *   /proc/net/protocols (pages) after each round; prints "queued BYTES peak
 *   PAGES", then closes its side of each and waits for the server's EOF.
 *
 * watch: poll a /proc/net/tcp-format table every 10 ms and print each state name
 *   the first time it is seen, until SIGTERM. A read of the table that takes
 *   long (xtcp's walks all its hash buckets: a tenth of a second in the debug
 *   kernel) is followed by a pause nine times as long, so that the watcher
 *   takes at most a tenth of a CPU from the case it watches.
 *
 * pattern: write the first N bytes of what `script ... send:N` sends (seed 1)
 *   to stdout, for a peer that is no xfer to check what it got against
 *   (tests/sack_flood.py: a Python loop would take seconds in the guest).
 *
 * The family "xtcp" is AF_XTCP as the module published it, unless the
 * environment has XTCP_TEST_FAMILY=inet: then it is AF_INET (Linux TCP), so every
 * test can first be proved right against Linux. "inet" is always AF_INET.
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
#include <linux/tcp.h>	/* its struct tcp_info has the counters glibc's lacks */
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/inet_diag.h>
#include <linux/sockios.h>

#define XTCP_TEST_DIE
#include "xtcp_test.h"

#define MAX_CONNS	1024

static const char *me = "xfer";
static int timeout_s = 120;
/*
 * XTCP_TIMEOUT_SCALE (tests/run: 3 in the debug kernel) multiplies every time
 * limit, as it does the cases': a guest that slow needs as much more time.
 */
static int time_scale = 1;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Byte `off` of the stream seeded `seed`: not periodic at any small length. */
static inline uint8_t pattern(uint64_t off, unsigned int seed)
{
	uint64_t x = off * 0x9e3779b97f4a7c15ULL + seed * 0x632be59bd9b4e019ULL;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (uint8_t)x;
}

static void fill(uint8_t *buf, size_t len, uint64_t off, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(off + i, seed);
}

/* Index of the first byte that is not the pattern, or -1. */
static long check(const uint8_t *buf, size_t len, uint64_t off, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(off + i, seed))
			return (long)i;
	return -1;
}

static uint64_t fnv(uint64_t h, const uint8_t *buf, size_t len)
{
	while (len--) {
		h ^= *buf++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

static struct sockaddr_in mkaddr(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		die("bad IPv4 address '%s'", addr);
	return sin;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "ECONNRESET", ECONNRESET }, { "ECONNREFUSED", ECONNREFUSED },
	{ "ETIMEDOUT", ETIMEDOUT }, { "EPIPE", EPIPE }, { "ECONNABORTED", ECONNABORTED },
	{ "EHOSTUNREACH", EHOSTUNREACH }, { "ENETUNREACH", ENETUNREACH },
	{ "EADDRINUSE", EADDRINUSE }, { "EINPROGRESS", EINPROGRESS },
	{ "EAGAIN", EAGAIN }, { "ENOTCONN", ENOTCONN }, { "EMSGSIZE", EMSGSIZE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL },
};

static const char *errname(int e)
{
	static char buf[32];
	unsigned int i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int errnum(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	die("unknown errno name %s", name);
}

/* server and client ------------------------------------------------------- */

struct opts {
	int fam;
	const char *addr;
	int port, bind_port;
	uint64_t bytes;
	int count, parallel;
	int close_first;	/* this side closes first */
	int half_close;
	int await_eof;		/* the first side shuts down, then waits for EOF */
	int report_time;	/* client: print elapsed_us (see the top) */
};

struct conn {
	int fd;
	int id;
	int connecting;
	uint64_t sent, rcvd;
	uint64_t hs, hr;	/* hashes of sent and received bytes */
	int lport, rport;
	int shut;		/* we shut down our write side */
	int eof;		/* we read EOF */
	int timed;		/* --report-time: its data is through both ways */
	int done;
};

static unsigned int seed_out, seed_in;	/* the pattern of each direction */
static uint8_t iobuf[1 << 16];
static long long t_start, t_end;	/* --report-time, microseconds */
static long long deadline_ms;		/* run_conns' */

/* Whether this side may send now: a half-close second side answers only after EOF. */
static int may_send(const struct opts *o, const struct conn *c)
{
	return c->sent < o->bytes && !(o->half_close && !o->close_first && !c->eof);
}

static short conn_events(const struct opts *o, const struct conn *c)
{
	if (c->connecting)
		return POLLOUT;
	return POLLIN | (may_send(o, c) ? POLLOUT : 0);
}

/*
 * --report-time: all of the peer's bytes are in; wait for the peer to
 * acknowledge all of ours too (nothing wakes poll() for that: poll the queue),
 * then note the time. The latest of the connections is the end of the run.
 */
static void conn_time(struct conn *c)
{
	int outq;

	for (;;) {
		if (ioctl(c->fd, SIOCOUTQ, &outq) < 0)
			die("conn %d: SIOCOUTQ: %s", c->id, strerror(errno));
		if (!outq)
			break;
		if (now_ms() > deadline_ms)
			die("conn %d: %d bytes still unacknowledged after the time-out",
			    c->id, outq);
		usleep(100);
	}
	t_end = now_us();
	c->timed = 1;
}

/* Close when this side's work is done; returns 1 once the connection is finished. */
static int conn_maybe_finish(const struct opts *o, struct conn *c)
{
	if (c->sent < o->bytes)
		return 0;
	if (o->close_first && (o->half_close || o->await_eof) && !c->shut) {
		if (shutdown(c->fd, SHUT_WR) < 0)
			die("conn %d: shutdown(SHUT_WR): %s", c->id, strerror(errno));
		c->shut = 1;
	}
	if (c->rcvd < o->bytes)
		return 0;
	if (o->report_time && !c->timed)
		conn_time(c);
	/* The first side closes now (in half-close mode once the peer is done too). */
	if (!(o->close_first && !o->half_close && !o->await_eof) && !c->eof)
		return 0;
	if (close(c->fd) < 0)
		die("conn %d: close: %s", c->id, strerror(errno));
	c->fd = -1;
	c->done = 1;
	return 1;
}

static void conn_ports(struct conn *c)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(c->fd, (struct sockaddr *)&sin, &len) == 0)
		c->lport = ntohs(sin.sin_port);
	len = sizeof(sin);
	if (getpeername(c->fd, (struct sockaddr *)&sin, &len) == 0)
		c->rport = ntohs(sin.sin_port);
}

/* One step of I/O on a connection poll() found ready. */
static void conn_io(const struct opts *o, struct conn *c, short rev)
{
	ssize_t n;

	if (c->connecting) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err)
			die("conn %d: connect: %s", c->id, strerror(err));
		c->connecting = 0;
		conn_ports(c);
		return;
	}
	if (rev & (POLLIN | POLLERR | POLLHUP)) {
		n = read(c->fd, iobuf, sizeof(iobuf));
		if (n < 0 && errno != EAGAIN)
			die("conn %d: read after %llu bytes: %s (%s)", c->id,
			    (unsigned long long)c->rcvd, strerror(errno), errname(errno));
		if (n == 0) {
			if (c->rcvd < o->bytes)
				die("conn %d: EOF after %llu of %llu bytes", c->id,
				    (unsigned long long)c->rcvd, (unsigned long long)o->bytes);
			c->eof = 1;
		}
		if (n > 0) {
			long bad;

			if (c->rcvd + n > o->bytes)
				die("conn %d: %llu bytes received, more than the %llu sent",
				    c->id, (unsigned long long)(c->rcvd + n),
				    (unsigned long long)o->bytes);
			bad = check(iobuf, n, c->rcvd, seed_in);
			if (bad >= 0)
				die("conn %d: byte %llu is 0x%02x, want 0x%02x", c->id,
				    (unsigned long long)(c->rcvd + bad), iobuf[bad],
				    pattern(c->rcvd + bad, seed_in));
			c->hr = fnv(c->hr, iobuf, n);
			c->rcvd += n;
		}
	}
	if ((rev & POLLOUT) && may_send(o, c)) {
		size_t len = o->bytes - c->sent;
		uint8_t out[1 << 16];

		if (len > sizeof(out))
			len = sizeof(out);
		fill(out, len, c->sent, seed_out);
		n = send(c->fd, out, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN)
			die("conn %d: send after %llu bytes: %s (%s)", c->id,
			    (unsigned long long)c->sent, strerror(errno), errname(errno));
		if (n > 0) {
			c->hs = fnv(c->hs, out, n);
			c->sent += n;
		}
	}
}

/*
 * Runs the connections to completion. `lfd` >= 0: a listener to accept up to
 * o->count connections from; else open o->count connections, o->parallel at once.
 */
static void run_conns(const struct opts *o, int lfd)
{
	static struct conn conns[MAX_CONNS];
	struct pollfd pfd[MAX_CONNS + 1];
	int nconn = 0, polled, started = 0, finished = 0, active = 0, i;
	long long deadline = now_ms() + timeout_s * 1000LL;
	struct conn last = { 0 };

	deadline_ms = deadline;

	while (finished < o->count) {
		int np = 0, slot;

		/* Start connections (client) while there is room. */
		while (lfd < 0 && started < o->count && active < o->parallel) {
			struct sockaddr_in sin = mkaddr(o->addr, o->port);
			int fd = socket(o->fam, SOCK_STREAM, 0);

			if (fd < 0)
				die("socket: %s", strerror(errno));
			if (o->bind_port) {
				struct sockaddr_in b = { .sin_family = AF_INET,
					.sin_port = htons(o->bind_port) };
				int one = 1;

				setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
				if (bind(fd, (struct sockaddr *)&b, sizeof(b)) < 0)
					die("bind port %d: %s", o->bind_port, strerror(errno));
			}
			set_nonblock(fd);
			for (slot = 0; slot < nconn && conns[slot].fd >= 0; slot++)
				;
			if (slot == MAX_CONNS)
				die("more than %d connections at once", MAX_CONNS);
			if (slot == nconn)
				nconn++;
			conns[slot] = (struct conn){ .fd = fd, .id = started, .connecting = 1,
						     .hs = FNV_INIT, .hr = FNV_INIT };
			if (!t_start)
				t_start = now_us();
			if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
				conns[slot].connecting = 0;
				conn_ports(&conns[slot]);
			} else if (errno != EINPROGRESS)
				die("conn %d: connect %s:%d: %s", started, o->addr, o->port,
				    strerror(errno));
			started++;
			active++;
		}
		if (lfd >= 0 && started < o->count) {
			pfd[np].fd = lfd;
			pfd[np++].events = POLLIN;
		}
		polled = nconn;
		for (i = 0; i < nconn; i++) {
			pfd[np].fd = conns[i].fd;	/* -1: ignored by poll() */
			pfd[np++].events = conns[i].fd >= 0 ? conn_events(o, &conns[i]) : 0;
		}
		int left = (int)(deadline - now_ms());

		if (left <= 0)
			die("timed out with %d of %d connections finished", finished, o->count);
		if (poll(pfd, np, left) < 0)
			die("poll: %s", strerror(errno));
		np = 0;
		if (lfd >= 0 && started < o->count) {
			while ((pfd[np].revents & POLLIN) && started < o->count) {
				int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

				if (fd < 0 && errno != EAGAIN)
					die("accept: %s", strerror(errno));
				if (fd < 0)
					break;
				for (slot = 0; slot < nconn && conns[slot].fd >= 0; slot++)
					;
				if (slot == MAX_CONNS)
					die("more than %d connections at once", MAX_CONNS);
				if (slot == nconn)
					nconn++;
				conns[slot] = (struct conn){ .fd = fd, .id = started,
							     .hs = FNV_INIT, .hr = FNV_INIT };
				conn_ports(&conns[slot]);
				started++;
				active++;
			}
			np++;
		}
		/* Only the connections poll() was asked about: new ones got no revents. */
		for (i = 0; i < polled; i++, np++) {
			struct conn *c = &conns[i];

			if (c->fd < 0 || !pfd[np].revents)
				continue;
			conn_io(o, c, pfd[np].revents);
		}
		/* New and served connections that have nothing left to wait for. */
		for (i = 0; i < nconn; i++) {
			struct conn *c = &conns[i];

			if (c->fd >= 0 && !c->connecting && conn_maybe_finish(o, c)) {
				finished++;
				active--;
				last = *c;
			}
		}
	}
	if (o->count == 1)
		printf("%s: ok %llu bytes each way, sent fnv %016llx received fnv %016llx, "
		       "local port %d peer port %d, %s\n",
		       me, (unsigned long long)o->bytes, (unsigned long long)last.hs,
		       (unsigned long long)last.hr, last.lport, last.rport,
		       o->close_first ? "closed first" : "closed after EOF");
	else
		printf("%s: ok %d connections, %llu bytes each way\n", me, o->count,
		       (unsigned long long)o->bytes);
	if (o->report_time)
		printf("elapsed_us %lld\n", t_end - t_start);
}

static int parse_common(struct opts *o, int argc, char **argv, int server)
{
	const char *fam = NULL;
	int i;

	*o = (struct opts){ .addr = server ? "0.0.0.0" : NULL, .count = 1, .parallel = 1,
			    .close_first = !server };
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--half-close")) {
			o->half_close = 1;
			continue;
		}
		if (!strcmp(a, "--await-eof")) {
			o->await_eof = 1;
			continue;
		}
		if (!strcmp(a, "--report-time")) {
			o->report_time = 1;
			continue;
		}
		if (!v)
			die("%s needs a value", a);
		i++;
		if (!strcmp(a, "--family"))
			fam = v;
		else if (!strcmp(a, "--addr"))
			o->addr = v;
		else if (!strcmp(a, "--port"))
			o->port = atoi(v);
		else if (!strcmp(a, "--bind-port"))
			o->bind_port = atoi(v);
		else if (!strcmp(a, "--bytes"))
			o->bytes = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--count"))
			o->count = atoi(v);
		else if (!strcmp(a, "--parallel"))
			o->parallel = atoi(v);
		else if (!strcmp(a, "--timeout"))
			timeout_s = atoi(v) * time_scale;
		else if (!strcmp(a, "--close")) {
			if (strcmp(v, "first") && strcmp(v, "second"))
				die("--close first|second");
			o->close_first = !strcmp(v, "first");
		} else
			die("unknown option %s", a);
	}
	if (!fam)
		die("--family xtcp|inet is required");
	if (server && o->report_time)
		die("--report-time is the client's");
	o->fam = wire_family(fam);
	if (!o->addr || (!o->port && !server))
		die("--addr and --port are required");
	if (o->count < 1 || o->parallel < 1 || o->parallel > MAX_CONNS)
		die("bad --count or --parallel");
	return 0;
}

static int listen_on(int fam, const char *addr, int port, int backlog)
{
	struct sockaddr_in sin = mkaddr(addr, port);
	socklen_t len = sizeof(sin);
	int fd = socket(fam, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket(%d): %s", fam, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind %s:%d: %s", addr, port, strerror(errno));
	if (listen(fd, backlog) < 0)
		die("listen: %s", strerror(errno));
	getsockname(fd, (struct sockaddr *)&sin, &len);
	printf("%s: listening on port %d\n", me, ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

static int cmd_server(int argc, char **argv)
{
	struct opts o;
	int lfd;

	me = "xfer server";
	parse_common(&o, argc, argv, 1);
	seed_out = 2;
	seed_in = 1;
	lfd = listen_on(o.fam, o.addr, o.port, 1024);
	set_nonblock(lfd);
	run_conns(&o, lfd);
	close(lfd);
	return 0;
}

static int cmd_client(int argc, char **argv)
{
	struct opts o;

	me = "xfer client";
	parse_common(&o, argc, argv, 0);
	seed_out = 1;
	seed_in = 2;
	run_conns(&o, -1);
	return 0;
}

/* sink -------------------------------------------------------------------- */

static int cmd_sink(int argc, char **argv)
{
	const char *fam = NULL, *close_after = "";
	int port = 0, count = 1, i, lfd;

	me = "xfer sink";
	for (i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--family"))
			fam = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--count"))
			count = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--close-after"))
			close_after = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout"))
			timeout_s = atoi(argv[i + 1]) * time_scale;
		else
			die("unknown option %s", argv[i]);
	}
	if (!fam || !port || i != argc)
		die("usage: sink --family F --port P [--count K] [--close-after B,..]");
	lfd = listen_on(wire_family(fam), "0.0.0.0", port, 16);
	for (i = 0; i < count; i++) {
		long long limit = 0;
		const char *p = close_after;
		int k, fd;
		uint64_t len = 0, h = FNV_INIT;
		const char *end = "eof";
		struct timeval tv = { .tv_sec = timeout_s };

		for (k = 0; k < i && p; k++) {
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		if (p && *p)
			limit = atoll(p);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept: %s", strerror(errno));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		for (;;) {
			size_t want = sizeof(iobuf);
			ssize_t n;

			if (limit && want > (uint64_t)limit - len)
				want = limit - len;
			n = read(fd, iobuf, want);
			if (n < 0) {
				end = errno == EAGAIN ? "timeout" : errname(errno);
				break;
			}
			if (n == 0)
				break;
			h = fnv(h, iobuf, n);
			len += n;
			if (limit && len >= (uint64_t)limit) {
				end = "closed";
				break;
			}
		}
		printf("conn %d: len %llu fnv %016llx end %s\n", i, (unsigned long long)len,
		       (unsigned long long)h, end);
		fflush(stdout);
		close(fd);
	}
	close(lfd);
	return 0;
}

/* hog --------------------------------------------------------------------- */

static const char *sync_dir(void);

/* The "memory" column (pages) of @name's line in /proc/net/protocols. */
static long proto_pages(const char *name)
{
	char line[512], n[32];
	long size, sockets, mem = -1;
	FILE *f = fopen("/proc/net/protocols", "r");

	if (!f)
		die("/proc/net/protocols: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %ld %ld %ld", n, &size, &sockets, &mem) == 4 &&
		    !strcmp(n, name))
			break;
		else
			mem = -1;
	fclose(f);
	if (mem < 0)
		die("no %s in /proc/net/protocols", name);
	return mem;
}

static void hog_wait_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sync_dir(), name);
	while (access(path, F_OK)) {
		if (now_ms() > deadline_ms)
			die("no %s within %d s", path, timeout_s);
		usleep(10000);
	}
}

static int hog_server(int fam, int port, int count, const char *go)
{
	static int fds[MAX_CONNS];
	struct pollfd pfd[MAX_CONNS];
	long long total = 0;
	int lfd, i, open;

	lfd = listen_on(fam, "0.0.0.0", port, count);
	for (i = 0; i < count; i++) {
		fds[i] = accept(lfd, NULL, NULL);
		if (fds[i] < 0)
			die("accept: %s", strerror(errno));
		set_nonblock(fds[i]);
	}
	printf("accepted %d\n", count);
	fflush(stdout);
	hog_wait_file(go);
	for (open = count; open;) {
		for (i = 0; i < count; i++) {
			pfd[i].fd = fds[i];
			pfd[i].events = POLLIN;
		}
		if (now_ms() > deadline_ms)
			die("%d connections not at their end within %d s (read %lld)",
			    open, timeout_s, total);
		if (poll(pfd, count, 1000) < 0)
			die("poll: %s", strerror(errno));
		for (i = 0; i < count; i++) {
			ssize_t n;

			if (fds[i] < 0 || !pfd[i].revents)
				continue;
			while ((n = read(fds[i], iobuf, sizeof(iobuf))) > 0)
				total += n;
			if (n < 0 && errno != EAGAIN)
				die("read: %s", strerror(errno));
			if (n == 0) {
				close(fds[i]);
				fds[i] = -1;
				open--;
			}
		}
	}
	printf("read %lld\n", total);
	close(lfd);
	return 0;
}

static int hog_client(int fam, const char *addr, int port, int count)
{
	static int fds[MAX_CONNS];
	struct sockaddr_in sin = mkaddr(addr, port);
	const char *name = fam == AF_INET ? "TCP" : "XTCP";
	long long total = 0, last = now_ms();
	long peak = 0, pages;
	int i;

	for (i = 0; i < count; i++) {
		fds[i] = socket(fam, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&sin, sizeof(sin)))
			die("connection %d: %s", i, strerror(errno));
		set_nonblock(fds[i]);
	}
	memset(iobuf, 'h', sizeof(iobuf));
	while (now_ms() - last < 1500) {
		if (now_ms() > deadline_ms)
			die("still writing after %d s", timeout_s);
		for (i = 0; i < count; i++) {
			ssize_t n;

			while ((n = send(fds[i], iobuf, sizeof(iobuf), MSG_DONTWAIT)) > 0) {
				total += n;
				last = now_ms();
			}
			if (n < 0 && errno != EAGAIN)
				die("send: %s", strerror(errno));
		}
		pages = proto_pages(name);
		if (pages > peak)
			peak = pages;
		usleep(50000);
	}
	printf("queued %lld peak %ld\n", total, peak);
	fflush(stdout);
	for (i = 0; i < count; i++) {
		int fl = fcntl(fds[i], F_GETFL);
		struct timeval tv = { .tv_sec = timeout_s };

		fcntl(fds[i], F_SETFL, fl & ~O_NONBLOCK);
		setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (shutdown(fds[i], SHUT_WR))
			die("shutdown: %s", strerror(errno));
	}
	for (i = 0; i < count; i++) {
		ssize_t n = read(fds[i], iobuf, sizeof(iobuf));

		if (n != 0)
			die("connection %d: no EOF (%zd, %s)", i, n, strerror(errno));
		close(fds[i]);
	}
	printf("done\n");
	return 0;
}

static int cmd_hog(int argc, char **argv)
{
	const char *fam = NULL, *addr = NULL, *go = NULL;
	int port = 0, count = 1, i, server;

	if (argc < 3 || (strcmp(argv[2], "server") && strcmp(argv[2], "client")))
		die("usage: hog server|client ...");
	server = !strcmp(argv[2], "server");
	me = server ? "xfer hog server" : "xfer hog client";
	for (i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--family"))
			fam = argv[i + 1];
		else if (!strcmp(argv[i], "--addr"))
			addr = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--count"))
			count = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--go"))
			go = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout"))
			timeout_s = atoi(argv[i + 1]) * time_scale;
		else
			die("unknown option %s", argv[i]);
	}
	if (!fam || !port || i != argc || count < 1 || count > MAX_CONNS ||
	    (server ? !go : !addr))
		die("usage: hog server --family F --port P --count K --go NAME | "
		    "hog client --family F --addr A --port P --count K");
	deadline_ms = now_ms() + timeout_s * 1000LL;
	if (server)
		return hog_server(wire_family(fam), port, count, go);
	return hog_client(wire_family(fam), addr, port, count);
}

/* script ------------------------------------------------------------------ */

static const char *sync_dir(void)
{
	const char *d = getenv("XFER_SYNC");

	return d && *d ? d : "/tmp";
}

static void hold_forever(void)
{
	for (;;)
		pause();
}

/*
 * filter:drop|big|off: a classic BPF socket filter (SO_ATTACH_FILTER) that
 * drops every segment, or only those longer than 64 bytes (the filter sees the
 * TCP header and text: a SYN or a bare ACK passes, data does not); off
 * detaches it.
 */
static void attach_filter(int fd, const char *what)
{
	static struct sock_filter drop[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static struct sock_filter big[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 64, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	struct sock_fprog prog;
	int dummy = 0;

	if (!strcmp(what, "off")) {
		if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy)))
			die("SO_DETACH_FILTER: %s", strerror(errno));
		return;
	}
	if (!strcmp(what, "drop")) {
		prog.len = sizeof(drop) / sizeof(drop[0]);
		prog.filter = drop;
	} else if (!strcmp(what, "big")) {
		prog.len = sizeof(big) / sizeof(big[0]);
		prog.filter = big;
	} else {
		die("filter:drop|big|off, not %s", what);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		die("SO_ATTACH_FILTER: %s", strerror(errno));
}

static int cmd_script(int argc, char **argv)
{
	int fam, fd, lfd = -1, i;
	uint64_t soff = 0, roff = 0;
	long long mark_us = now_us();

	me = "xfer script";
	if (argc < 4 || strcmp(argv[2], "--family"))
		die("usage: script --family F STEP...");
	fam = wire_family(argv[3]);
	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket(%d): %s", fam, strerror(errno));
	for (i = 4; i < argc; i++) {
		char step[256], *arg, *arg2;

		snprintf(step, sizeof(step), "%s", argv[i]);
		arg = strchr(step, ':');
		if (arg)
			*arg++ = 0;
		arg2 = arg ? strrchr(arg, ':') : NULL;
		if (arg2)
			*arg2++ = 0;

		if (!strcmp(step, "reuse")) {
			int one = 1;

			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		} else if (!strcmp(step, "bind") && arg) {
			struct sockaddr_in sin = mkaddr("0.0.0.0", atoi(arg));

			if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
				die("bind %s: %s", arg, strerror(errno));
		} else if (!strcmp(step, "listen")) {
			if (listen(fd, 16) < 0)
				die("listen: %s", strerror(errno));
			lfd = fd;
		} else if (!strcmp(step, "accept")) {
			fd = accept(lfd, NULL, NULL);
			if (fd < 0)
				die("accept: %s", strerror(errno));
		} else if ((!strcmp(step, "connect") || !strcmp(step, "connect-nb") ||
			    !strcmp(step, "connect-fail")) && arg2) {
			struct sockaddr_in sin = mkaddr(arg, atoi(arg2));
			int nb = !strcmp(step, "connect-nb"), r;

			if (nb)
				set_nonblock(fd);
			r = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
			if (!strcmp(step, "connect-fail")) {
				/* the next step names the errno */
				if (i + 1 >= argc)
					die("connect-fail:A:P needs an errno name after it");
				if (r == 0 || errno != errnum(argv[i + 1]))
					die("connect %s:%s: %s, want %s", arg, arg2,
					    r ? strerror(errno) : "success", argv[i + 1]);
				i++;
			} else if (r < 0 && !(nb && errno == EINPROGRESS)) {
				die("connect %s:%s: %s", arg, arg2, strerror(errno));
			}
		} else if (!strcmp(step, "connected")) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			int err = 0;
			socklen_t len = sizeof(err);

			if (poll(&p, 1, timeout_s * 1000) != 1)
				die("connect did not complete in %d s", timeout_s);
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err)
				die("connect: %s", strerror(err));
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		} else if (!strcmp(step, "send") && arg) {
			uint64_t n = strtoull(arg, NULL, 0), done = 0;

			while (done < n) {
				size_t len = n - done > sizeof(iobuf) ? sizeof(iobuf) : n - done;
				ssize_t r;

				fill(iobuf, len, soff, 1);
				r = send(fd, iobuf, len, MSG_NOSIGNAL);
				if (r < 0)
					die("send: %s (%s)", strerror(errno), errname(errno));
				done += r;
				soff += r;
			}
		} else if (!strcmp(step, "paced") && arg) {
			unsigned long long n, chunk, done = 0;
			unsigned int ms;

			if (sscanf(arg, "%llu,%llu,%u", &n, &chunk, &ms) != 3 ||
			    !chunk || chunk > sizeof(iobuf))
				die("paced:N,CHUNK,MS");
			while (done < n) {
				size_t len = n - done > chunk ? chunk : n - done;
				ssize_t r;

				if (done)
					usleep(ms * 1000);
				fill(iobuf, len, soff, 1);
				r = send(fd, iobuf, len, MSG_NOSIGNAL);
				if (r < 0)
					die("send: %s (%s)", strerror(errno), errname(errno));
				done += r;
				soff += r;
			}
		} else if (!strcmp(step, "drain")) {
			long long deadline = now_ms() + timeout_s * 1000LL;
			int outq = 1;

			while (outq) {
				if (ioctl(fd, SIOCOUTQ, &outq) < 0)
					die("SIOCOUTQ: %s", strerror(errno));
				if (outq && now_ms() >= deadline)
					die("%d bytes unacknowledged after %d s", outq, timeout_s);
				if (outq)
					usleep(1000);
			}
		} else if (!strcmp(step, "rate")) {
			struct tcp_info ti;
			socklen_t len = sizeof(ti);

			if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
				die("TCP_INFO: %s", strerror(errno));
			printf("rate delivery_rate %llu app_limited %u delivered %u delivered_ce %u bytes_acked %llu mss %u min_rtt %u\n",
			       (unsigned long long)ti.tcpi_delivery_rate,
			       ti.tcpi_delivery_rate_app_limited, ti.tcpi_delivered,
			       ti.tcpi_delivered_ce,
			       (unsigned long long)ti.tcpi_bytes_acked,
			       ti.tcpi_snd_mss, ti.tcpi_min_rtt);
			fflush(stdout);
		} else if ((!strcmp(step, "recv") || !strcmp(step, "recv-paced")) && arg) {
			uint64_t n = strtoull(arg, NULL, 0), done = 0;
			unsigned long long chunk = sizeof(iobuf);
			unsigned int ms = 0;

			if (!strcmp(step, "recv-paced") &&
			    (sscanf(arg, "%*u,%llu,%u", &chunk, &ms) != 2 || !chunk ||
			     chunk > sizeof(iobuf)))
				die("recv-paced:N,CHUNK,MS");
			while (done < n) {
				size_t len = n - done > chunk ? chunk : n - done;
				ssize_t r;
				long bad;

				if (done && ms)
					usleep(ms * 1000);
				r = read(fd, iobuf, len);

				if (r < 0)
					die("recv: %s (%s)", strerror(errno), errname(errno));
				if (r == 0)
					die("recv: EOF after %llu of %llu bytes",
					    (unsigned long long)done, (unsigned long long)n);
				bad = check(iobuf, r, roff, 1);
				if (bad >= 0)
					die("recv: byte %llu differs", (unsigned long long)(roff + bad));
				done += r;
				roff += r;
			}
		} else if (!strcmp(step, "shutdown") && arg) {
			int how = !strcmp(arg, "wr") ? SHUT_WR : !strcmp(arg, "rd") ? SHUT_RD :
				  SHUT_RDWR;

			if (shutdown(fd, how) < 0)
				die("shutdown %s: %s", arg, strerror(errno));
		} else if (!strcmp(step, "eof") || !strcmp(step, "reset")) {
			char c;
			ssize_t r = read(fd, &c, 1);

			if (!strcmp(step, "eof") && r != 0)
				die("read: %zd (%s), want EOF", r, r < 0 ? strerror(errno) : "data");
			if (!strcmp(step, "reset") && !(r < 0 && errno == ECONNRESET))
				die("read: %zd (%s), want ECONNRESET", r,
				    r < 0 ? strerror(errno) : r ? "data" : "EOF");
		} else if (!strcmp(step, "recv-err") && arg) {
			char c;
			ssize_t r = read(fd, &c, 1);

			if (r >= 0 || errno != errnum(arg))
				die("read: %zd (%s), want %s", r,
				    r < 0 ? errname(errno) : r ? "data" : "EOF", arg);
		} else if (!strcmp(step, "soerr") && arg) {
			int err = -1, want = strcmp(arg, "0") ? errnum(arg) : 0;
			socklen_t len = sizeof(err);

			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				die("SO_ERROR: %s", strerror(errno));
			if (err != want)
				die("SO_ERROR %s, want %s", err ? errname(err) : "0", arg);
		} else if (!strcmp(step, "soerr-within") && arg) {
			long long deadline = now_ms() + timeout_s * 1000LL;
			int err = 0;
			socklen_t len = sizeof(err);

			/* an error read is cleared: a 0 in between changes nothing */
			while (!err && now_ms() < deadline) {
				if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
					die("SO_ERROR: %s", strerror(errno));
				if (!err)
					usleep(20000);
			}
			if (err != errnum(arg))
				die("SO_ERROR %s within %d s, want %s", err ? errname(err) : "0",
				    timeout_s, arg);
		} else if (!strcmp(step, "device") && arg) {
			if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, arg, strlen(arg)) < 0)
				die("SO_BINDTODEVICE %s: %s", arg, strerror(errno));
		} else if (!strcmp(step, "filter") && arg) {
			attach_filter(fd, arg);
		} else if ((!strcmp(step, "no-connect") || !strcmp(step, "quiet")) && arg) {
			/* nothing happens for MS ms: no connection completes, or
			 * nothing becomes readable (a drop the peer retransmits
			 * through looks like this, a refusal or a reset does not)
			 */
			int nc = !strcmp(step, "no-connect");
			struct pollfd p = { .fd = fd, .events = nc ? POLLOUT : POLLIN };
			int r = poll(&p, 1, atoi(arg));

			if (r < 0)
				die("poll: %s", strerror(errno));
			if (r > 0) {
				int err = 0;
				socklen_t len = sizeof(err);

				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
				die("%s within %s ms (revents %#x, SO_ERROR %s)",
				    nc ? "connected" : "readable", arg, p.revents,
				    err ? errname(err) : "0");
			}
		} else if (!strcmp(step, "keepalive") && arg) {
			int one = 1, v[3];

			/* keepalive:on: SO_KEEPALIVE alone, the namespace's timings */
			if (!strcmp(arg, "on")) {
				if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)))
					die("SO_KEEPALIVE: %s", strerror(errno));
				continue;
			}
			if (sscanf(arg, "%d,%d,%d", &v[0], &v[1], &v[2]) != 3)
				die("keepalive:IDLE,INTVL,CNT");
			if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
			    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v[0], sizeof(int)) ||
			    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v[1], sizeof(int)) ||
			    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v[2], sizeof(int)))
				die("keep-alive options: %s", strerror(errno));
		} else if (!strcmp(step, "ttl") && arg) {
			int ttl = atoi(arg);

			if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)))
				die("IP_TTL %d: %s", ttl, strerror(errno));
		} else if (!strcmp(step, "cc") && arg) {
			if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, arg, strlen(arg)))
				die("TCP_CONGESTION %s: %s", arg, strerror(errno));
		} else if (!strcmp(step, "ccinfo")) {
			union tcp_cc_info ci;
			socklen_t len = sizeof(ci), nlen;
			struct tcp_info ti;
			char name[16] = "";

			memset(&ci, 0, sizeof(ci));
			nlen = sizeof(name) - 1;
			if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &nlen) < 0)
				die("TCP_CONGESTION: %s", strerror(errno));
			if (getsockopt(fd, IPPROTO_TCP, TCP_CC_INFO, &ci, &len) < 0)
				die("TCP_CC_INFO: %s", strerror(errno));
			nlen = sizeof(ti);
			if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &nlen) < 0)
				die("TCP_INFO: %s", strerror(errno));
			printf("cc %s ccinfo_len %u vegas_enabled %u rttcnt %u basertt %u minrtt %u cwnd %u rtt %u\n",
			       name, len, ci.vegas.tcpv_enabled, ci.vegas.tcpv_rttcnt,
			       ci.vegas.tcpv_rtt, ci.vegas.tcpv_minrtt, ti.tcpi_snd_cwnd,
			       ti.tcpi_rtt);
			fflush(stdout);
		} else if (!strcmp(step, "info")) {
			struct tcp_info ti;
			socklen_t len = sizeof(ti);

			if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
				die("TCP_INFO: %s", strerror(errno));
			printf("mss %u pmtu %u retrans %u cwnd %u bytes_acked %llu bytes_received %llu segs_out %u segs_in %u data_segs_out %u data_segs_in %u ssthresh %u unacked %u rtt %u min_rtt %u pacing_rate %llu max_pacing_rate %llu\n",
			       ti.tcpi_snd_mss, ti.tcpi_pmtu, ti.tcpi_total_retrans,
			       ti.tcpi_snd_cwnd,
			       (unsigned long long)ti.tcpi_bytes_acked,
			       (unsigned long long)ti.tcpi_bytes_received,
			       ti.tcpi_segs_out, ti.tcpi_segs_in,
			       ti.tcpi_data_segs_out, ti.tcpi_data_segs_in,
			       ti.tcpi_snd_ssthresh, ti.tcpi_unacked,
			       ti.tcpi_rtt, ti.tcpi_min_rtt,
			       (unsigned long long)ti.tcpi_pacing_rate,
			       (unsigned long long)ti.tcpi_max_pacing_rate);
			fflush(stdout);
		} else if (!strcmp(step, "rcvbuf") && arg) {
			int v = atoi(arg);

			if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
				die("SO_RCVBUF %d: %s", v, strerror(errno));
		} else if (!strcmp(step, "sndbuf") && arg) {
			int v = atoi(arg);

			if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0)
				die("SO_SNDBUF %d: %s", v, strerror(errno));
		} else if (!strcmp(step, "chrono")) {
			struct tcp_info ti;
			socklen_t len = sizeof(ti);

			if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
				die("TCP_INFO: %s", strerror(errno));
			printf("chrono busy_us %llu rwnd_limited_us %llu sndbuf_limited_us %llu\n",
			       (unsigned long long)ti.tcpi_busy_time,
			       (unsigned long long)ti.tcpi_rwnd_limited,
			       (unsigned long long)ti.tcpi_sndbuf_limited);
			fflush(stdout);
		} else if (!strcmp(step, "linger0")) {
			struct linger l = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		} else if (!strcmp(step, "close")) {
			if (close(fd) < 0)
				die("close: %s", strerror(errno));
		} else if (!strcmp(step, "mark")) {
			mark_us = now_us();
		} else if (!strcmp(step, "since") && arg) {
			printf("%s %lld\n", arg, now_us() - mark_us);
			fflush(stdout);
		} else if (!strcmp(step, "say") && arg) {
			printf("%s\n", arg);
			fflush(stdout);
		} else if (!strcmp(step, "wait") && arg) {
			char path[512];
			long long deadline = now_ms() + timeout_s * 1000LL;

			snprintf(path, sizeof(path), "%s/%s", sync_dir(), arg);
			while (access(path, F_OK)) {
				if (now_ms() > deadline)
					die("no %s after %d s", path, timeout_s);
				usleep(5000);
			}
		} else if (!strcmp(step, "sleep") && arg) {
			usleep(atoi(arg) * 1000);
		} else if (!strcmp(step, "hold")) {
			hold_forever();
		} else {
			die("bad step '%s'", argv[i]);
		}
	}
	return 0;
}

/* fan --------------------------------------------------------------------- */

static int cmd_fan(int argc, char **argv)
{
	static unsigned short on_port[65536];
	int ports[64], nports = 0, count = 1, rounds = 1, fam = -1, *fds;
	int i, r, p, k, n, total = 0, nlocal = 0, most = 0, open_max;
	const char *addr = NULL;
	uint64_t bytes = 100;
	uint8_t buf[4096];

	me = "xfer fan";
	for (i = 2; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];

		if (!strcmp(a, "--family"))
			fam = wire_family(v);
		else if (!strcmp(a, "--addr"))
			addr = v;
		else if (!strcmp(a, "--ports")) {
			char *list = strdup(v), *tok, *save = NULL;

			for (tok = strtok_r(list, ",", &save); tok && nports < 64;
			     tok = strtok_r(NULL, ",", &save))
				ports[nports++] = atoi(tok);
			free(list);
		} else if (!strcmp(a, "--count"))
			count = atoi(v);
		else if (!strcmp(a, "--rounds"))
			rounds = atoi(v);
		else if (!strcmp(a, "--bytes"))
			bytes = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--timeout"))
			timeout_s = atoi(v) * time_scale;
		else
			die("unknown option %s", a);
	}
	if (fam < 0 || !addr || !nports || count < 1 || rounds < 1 ||
	    bytes > sizeof(buf))
		die("usage: fan --family F --addr A --ports P,.. --count K [--rounds R] [--bytes N]");
	open_max = nports * count;
	fds = calloc(open_max, sizeof(*fds));
	if (!fds)
		die("out of memory");
	for (r = 0; r < rounds; r++) {
		for (p = 0; p < nports; p++) {
			for (k = 0; k < count; k++) {
				struct sockaddr_in sin = mkaddr(addr, ports[p]);
				struct timeval tv = { .tv_sec = timeout_s };
				int fd = socket(fam, SOCK_STREAM, 0);

				if (fd < 0)
					die("socket: %s", strerror(errno));
				setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
				setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
				if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
					die("connect %d: %s (%s:%d, round %d)", total,
					    errname(errno), addr, ports[p], r);
				{
					struct sockaddr_in l;
					socklen_t len = sizeof(l);

					if (getsockname(fd, (struct sockaddr *)&l, &len) < 0)
						die("getsockname: %s", strerror(errno));
					if (!on_port[ntohs(l.sin_port)]++)
						nlocal++;
					if (on_port[ntohs(l.sin_port)] > most)
						most = on_port[ntohs(l.sin_port)];
				}
				fds[p * count + k] = fd;
				total++;
			}
		}
		/* every connection of the round is open: each carries its bytes */
		for (i = 0; i < open_max; i++) {
			uint64_t got = 0;

			fill(buf, bytes, 0, 1);
			if (send(fds[i], buf, bytes, MSG_NOSIGNAL) != (ssize_t)bytes)
				die("send on %d: %s", i, strerror(errno));
			while (got < bytes) {
				n = read(fds[i], buf + got, bytes - got);
				if (n <= 0)
					die("read on %d after %llu bytes: %s", i,
					    (unsigned long long)got,
					    n ? strerror(errno) : "EOF");
				got += n;
			}
			if (check(buf, bytes, 0, 2) >= 0)
				die("connection %d: the peer's bytes are wrong", i);
		}
		for (i = 0; i < open_max; i++) {
			if (shutdown(fds[i], SHUT_WR) < 0)
				die("shutdown %d: %s", i, strerror(errno));
		}
		for (i = 0; i < open_max; i++) {
			n = read(fds[i], buf, sizeof(buf));
			if (n != 0)
				die("connection %d: no EOF (%d, %s)", i, n,
				    n < 0 ? strerror(errno) : "data");
			close(fds[i]);
		}
	}
	printf("%s: ok %d connections, %d local ports, at most %d connections on one, "
	       "at most %d open at once\n", me, total, nlocal, most, open_max);
	free(fds);
	return 0;
}

/* watch ------------------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *const state_names[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

static int cmd_watch(int argc, char **argv)
{
	int seen[16] = { 0 };
	char line[512];

	me = "xfer watch";
	if (argc != 3)
		die("usage: watch TABLE");
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (!stop) {
		long long t0 = now_us(), pause;
		FILE *f = fopen(argv[2], "r");
		int first = 1;

		if (!f)
			die("%s: %s", argv[2], strerror(errno));
		while (fgets(line, sizeof(line), f)) {
			unsigned int st;

			if (first) {
				first = 0;
				continue;
			}
			if (sscanf(line, "%*s %*s %*s %x", &st) == 1 && st < 12 && !seen[st]) {
				seen[st] = 1;
				printf("%s\n", state_names[st]);
				fflush(stdout);
			}
		}
		fclose(f);
		pause = 9 * (now_us() - t0);
		usleep(pause > 10000 ? pause : 10000);
	}
	return 0;
}

static int cmd_pattern(int argc, char **argv)
{
	uint64_t n, off = 0;

	me = "xfer pattern";
	if (argc != 3)
		die("usage: pattern N");
	n = strtoull(argv[2], NULL, 0);
	while (off < n) {
		size_t len = n - off > sizeof(iobuf) ? sizeof(iobuf) : n - off;

		fill(iobuf, len, off, 1);
		if (fwrite(iobuf, 1, len, stdout) != len)
			die("write: %s", strerror(errno));
		off += len;
	}
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *scale = getenv("XTCP_TIMEOUT_SCALE");

	(void)test_failures;	/* xtcp_test.h's CHECK counter: unused here */
	if (scale && atoi(scale) > 1) {
		time_scale = atoi(scale);
		timeout_s *= time_scale;
	}
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "server"))
		return cmd_server(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "client"))
		return cmd_client(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "script"))
		return cmd_script(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "sink"))
		return cmd_sink(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "watch"))
		return cmd_watch(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "fan"))
		return cmd_fan(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "hog"))
		return cmd_hog(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "pattern"))
		return cmd_pattern(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "hold"))
		hold_forever();
	fprintf(stderr, "usage: xfer server|client|script|sink|fan|hog|watch|pattern ... (see tests/xfer.c)\n");
	return 2;
}
