// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_kunit.ko: every xtcp KUnit suite in one module. Its suites run when it is
 * loaded, so it is loaded after xtcp.ko, whose internal symbols it imports from
 * the EXPORTED_FOR_KUNIT_TESTING namespace (that import also makes modprobe
 * load xtcp.ko first).
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for xtcp");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
