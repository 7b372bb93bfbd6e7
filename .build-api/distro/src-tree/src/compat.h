/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel-version differences live. Differences are detected
 * by feature where the kernel allows it, so that more LTS kernels can follow 6.1
 * by adding to this file only.
 *
 * Baseline: Linux 6.1.y as Debian bookworm ships it (6.1.192 when written).
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

/*
 * VISIBLE_IF_KUNIT / EXPORT_SYMBOL_IF_KUNIT: mainline 6.2, backported to the 6.1.y
 * releases Debian ships; all later LTS kernels have it.
 */
#include <kunit/visibility.h>

#endif /* _XTCP_COMPAT_H */
