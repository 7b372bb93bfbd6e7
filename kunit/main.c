// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_kunit.ko: every xtcp KUnit suite in one module. Its suites run when it is
 * loaded, so it is loaded after xtcp.ko, whose internal symbols it imports from
 * the EXPORTED_FOR_KUNIT_TESTING namespace (that import also makes modprobe
 * load xtcp.ko first).
 *
 * filter=GLOB runs only the suites whose name matches (`make kunit
 * T=xtcp_pkt_*`): Linux 6.1's kunit.filter_glob applies to built-in suites
 * only, so the suites are registered here rather than by kunit_test_suites().
 */
#include <linux/glob.h>
#include <linux/module.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "suites.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for xtcp");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static char *filter = "";
module_param(filter, charp, 0444);
MODULE_PARM_DESC(filter, "run only the suites whose name matches this glob (default: all)");

static struct kunit_suite **const files[] = {
	xtcp_kunit_seq, xtcp_kunit_family, xtcp_kunit_parse, xtcp_kunit_options,
	xtcp_kunit_checksum, xtcp_kunit_isn, xtcp_kunit_state,
	xtcp_kunit_ratelimit, xtcp_kunit_rate, xtcp_kunit_rtt, xtcp_kunit_ofo, xtcp_kunit_cong,
	xtcp_kunit_flow, xtcp_kunit_timewait, xtcp_kunit_addrs,
	xtcp_kunit_pkt_input, xtcp_kunit_pkt_listen, xtcp_kunit_pkt_output,
	xtcp_kunit_pkt_recovery, xtcp_kunit_pkt_conn, xtcp_kunit_pkt_icmp,
	xtcp_kunit_pkt_cookie, xtcp_kunit_pkt_mem, xtcp_kunit_twsock,
	xtcp_kunit_pkt_ecn, xtcp_kunit_pkt_rate,
};

#define MAX_SUITES 64
static struct kunit_suite *chosen[MAX_SUITES];
static int nr_chosen;

/* filter= is one glob or several, comma-separated: a suite runs if any matches. */
static bool filter_chooses(const char *name)
{
	const char *p = filter;
	char glob[64];
	size_t n;

	if (!*filter)
		return true;
	while (*p) {
		n = strcspn(p, ",");
		if (n && n < sizeof(glob)) {
			memcpy(glob, p, n);
			glob[n] = '\0';
			if (glob_match(glob, name))
				return true;
		}
		p += n + (p[n] == ',');
	}
	return false;
}

static int __init xtcp_kunit_init(void)
{
	struct kunit_suite **s;
	int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		for (s = files[i]; *s; s++) {
			if (!filter_chooses((*s)->name))
				continue;
			if (WARN_ON(nr_chosen == MAX_SUITES))
				return -E2BIG;
			chosen[nr_chosen++] = *s;
		}
	}
	if (!nr_chosen) {
		pr_err("no suite matches filter=%s\n", filter);
		return -ENOENT;
	}
	return __kunit_test_suites_init(chosen, nr_chosen);
}

static void __exit xtcp_kunit_exit(void)
{
	__kunit_test_suites_exit(chosen, nr_chosen);
}

module_init(xtcp_kunit_init);
module_exit(xtcp_kunit_exit);
