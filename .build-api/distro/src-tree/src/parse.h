/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h: TCP header and option parsing and building.
 *
 * The parsers work on a linear buffer and read only the header (doff * 4 bytes,
 * never the text after it), and never a byte past the end they are given. A
 * segment they reject carries a reason, which the caller counts and drops.
 */
#ifndef _XTCP_PARSE_H
#define _XTCP_PARSE_H

#include <linux/types.h>

#include "protocol.h"

struct sk_buff;

/*
 * Why a segment was rejected. Keep xtcp_parse_err_name() in step: the names are
 * what counters and tracepoints show.
 */
enum xtcp_parse_err {
	XTCP_PARSE_OK = 0,
	XTCP_PARSE_TRUNCATED,		/* shorter than the 20-byte header */
	XTCP_PARSE_DOFF_SMALL,		/* doff < 5 */
	XTCP_PARSE_DOFF_BEYOND,		/* doff * 4 > segment length */
	XTCP_PARSE_SYN_RST,		/* SYN and RST together */
	XTCP_PARSE_SYN_FIN,		/* SYN and FIN together */
	XTCP_PARSE_NO_CONTROL,		/* none of SYN, ACK, RST */
	XTCP_PARSE_OPT_LEN_SHORT,	/* option length 0 or 1 (MUST-7) */
	XTCP_PARSE_OPT_OVERRUN,		/* option runs past the header (MUST-7) */
	XTCP_PARSE_OPT_BAD_LEN,		/* known option, wrong length */
	XTCP_PARSE_PULL_FAILED,		/* sk_buff: header not pullable */
	XTCP_PARSE_ERR_MAX,
};

const char *xtcp_parse_err_name(enum xtcp_parse_err err);

enum xtcp_parse_err xtcp_parse_header(const u8 *buf, unsigned int len,
				      struct xtcp_segment *seg);
enum xtcp_parse_err xtcp_parse_options(const u8 *opt, unsigned int len,
				       bool syn, struct xtcp_options *out);
enum xtcp_parse_err xtcp_parse_skb(struct sk_buff *skb,
				   struct xtcp_segment *seg);

int xtcp_build_options(u8 *buf, unsigned int size,
		       const struct xtcp_options *opt, bool syn);
int xtcp_build_header(u8 *buf, unsigned int size,
		      const struct xtcp_segment *seg);

#endif /* _XTCP_PARSE_H */
