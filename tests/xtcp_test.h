/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for xtcp's userland selftests: the family number as the running module
 * published it, and checks that print what went wrong before they fail.
 */
#ifndef XTCP_TEST_H
#define XTCP_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xtcp.h>

static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PARAM_PATH, "r");
	int fam = -1;

	if (!f || fscanf(f, "%d", &fam) != 1) {
		fprintf(stderr, "cannot read %s: is xtcp loaded?\n",
			XTCP_FAMILY_PARAM_PATH);
		exit(1);
	}
	fclose(f);
	return fam;
}

/*
 * The family a test runs on: AF_INET (Linux TCP) when XTCP_TEST_FAMILY=inet,
 * proving the test right about TCP; xtcp's family when unset or "xtcp".
 */
static inline int test_family(void)
{
	const char *f = getenv("XTCP_TEST_FAMILY");

	if (!f || !*f || !strcmp(f, "xtcp"))
		return xtcp_family();
	if (!strcmp(f, "inet"))
		return AF_INET;
	fprintf(stderr, "XTCP_TEST_FAMILY=%s: want inet or xtcp\n", f);
	exit(2);
}

static int test_failures;

#ifdef XTCP_TEST_DIE
/*
 * die(): "ME: message" on stderr, then exit 1, for the programs that define
 * XTCP_TEST_DIE and set `me` (their name, which may change as they run).
 */
static const char *me;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", me);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/*
 * The family for an end named "inet" or "xtcp" (--family): an "xtcp" end is
 * Linux TCP's too under XTCP_TEST_FAMILY=inet, which proves a case on TCP.
 */
static int wire_family(const char *name)
{
	const char *env = getenv("XTCP_TEST_FAMILY");

	if (!strcmp(name, "inet"))
		return AF_INET;
	if (strcmp(name, "xtcp"))
		die("unknown family '%s' (xtcp or inet)", name);
	if (env && !strcmp(env, "inet"))
		return AF_INET;
	if (env && *env && strcmp(env, "xtcp"))
		die("XTCP_TEST_FAMILY='%s': want xtcp or inet", env);
	return xtcp_family();
}
#endif

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: check failed: %s: ",		\
				__FILE__, __LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);				\
			fprintf(stderr, "\n");					\
			test_failures++;					\
		}								\
	} while (0)

/* A call that must fail with errno `want`. */
#define CHECK_ERRNO(call, want)							\
	do {									\
		errno = 0;							\
		long __r = (long)(call);					\
		CHECK(__r == -1 && errno == (want),				\
		      "returned %ld errno %d (%s), want -1 errno %d (%s)",	\
		      __r, errno, strerror(errno), (want), strerror(want));	\
	} while (0)

#endif
