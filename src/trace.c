// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c: the one place xtcp's tracepoints (xtcp_trace.h) are defined.
 */
#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/tracepoint.h>

#include "protocol.h"
#include "xtcp.h"	/* struct xtcp_sock, for xtcp_probe's fields */

/* the literals the trace formats print options by (tools parse them) */
static_assert(XTCP_OPTF_MSS == 0x01 && XTCP_OPTF_WSCALE == 0x02 &&
	      XTCP_OPTF_SACK_PERM == 0x04 && XTCP_OPTF_SACK == 0x08 &&
	      XTCP_OPTF_TIMESTAMP == 0x10);

#define CREATE_TRACE_POINTS
#include "xtcp_trace.h"

/*
 * A module may attach a probe of its own to xtcp_probe
 * (register_trace_xtcp_probe()): the KUnit suite does, an algorithm's own
 * instrumentation may.
 */
EXPORT_TRACEPOINT_SYMBOL_GPL(xtcp_probe);
