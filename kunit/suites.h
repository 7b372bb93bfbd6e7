/* SPDX-License-Identifier: GPL-2.0 */
/*
 * suites.h: the suites of xtcp_kunit.ko, registered with main.c rather than
 * with kunit_test_suites(), so that main.c can run only those whose name
 * matches its filter= parameter (6.1's KUnit filters only built-in suites).
 * A test file ends with XTCP_KUNIT_SUITES(file, &suite, ...) and is listed
 * here and in main.c.
 */
#ifndef _XTCP_KUNIT_SUITES_H
#define _XTCP_KUNIT_SUITES_H

#include <kunit/test.h>

#define XTCP_KUNIT_SUITES(file, ...)					\
	struct kunit_suite *xtcp_kunit_##file[] = { __VA_ARGS__, NULL }

extern struct kunit_suite *xtcp_kunit_addrs[];
extern struct kunit_suite *xtcp_kunit_checksum[];
extern struct kunit_suite *xtcp_kunit_cong[];
extern struct kunit_suite *xtcp_kunit_family[];
extern struct kunit_suite *xtcp_kunit_flow[];
extern struct kunit_suite *xtcp_kunit_isn[];
extern struct kunit_suite *xtcp_kunit_ofo[];
extern struct kunit_suite *xtcp_kunit_options[];
extern struct kunit_suite *xtcp_kunit_parse[];
extern struct kunit_suite *xtcp_kunit_pkt_conn[];
extern struct kunit_suite *xtcp_kunit_pkt_cookie[];
extern struct kunit_suite *xtcp_kunit_pkt_ecn[];
extern struct kunit_suite *xtcp_kunit_pkt_icmp[];
extern struct kunit_suite *xtcp_kunit_pkt_input[];
extern struct kunit_suite *xtcp_kunit_pkt_listen[];
extern struct kunit_suite *xtcp_kunit_pkt_mem[];
extern struct kunit_suite *xtcp_kunit_pkt_output[];
extern struct kunit_suite *xtcp_kunit_pkt_rate[];
extern struct kunit_suite *xtcp_kunit_pkt_recovery[];
extern struct kunit_suite *xtcp_kunit_rate[];
extern struct kunit_suite *xtcp_kunit_ratelimit[];
extern struct kunit_suite *xtcp_kunit_rtt[];
extern struct kunit_suite *xtcp_kunit_seq[];
extern struct kunit_suite *xtcp_kunit_state[];
extern struct kunit_suite *xtcp_kunit_timewait[];
extern struct kunit_suite *xtcp_kunit_twsock[];

#endif /* _XTCP_KUNIT_SUITES_H */
