/* SPDX-License-Identifier: GPL-2.0 */
/*
 * protocol.h: TCP wire constants and the parsed forms of a segment, shared by
 * the protocol core (parse.c, checksum.c, isn.c, state.c) and the glue.
 *
 * Everything here is as on the wire (RFC 9293 §3.1, RFC 7323, RFC 2018); the
 * layout is drawn in Documentation/wire-format.rst. No socket, no sk_buff.
 */
#ifndef _XTCP_PROTOCOL_H
#define _XTCP_PROTOCOL_H

#include <linux/bits.h>
#include <linux/types.h>

/* Header: 20 bytes fixed, up to 60 with options (doff is 4 bits of words). */
#define XTCP_HDR_LEN		20
#define XTCP_HDR_MAX_LEN	60
#define XTCP_OPT_MAX_LEN	(XTCP_HDR_MAX_LEN - XTCP_HDR_LEN)
#define XTCP_DOFF_MIN		5
#define XTCP_DOFF_MAX		15

/* Byte offsets of the header fields. */
#define XTCP_OFF_SPORT		0
#define XTCP_OFF_DPORT		2
#define XTCP_OFF_SEQ		4
#define XTCP_OFF_ACK		8
#define XTCP_OFF_DOFF		12	/* high nibble; low nibble reserved */
#define XTCP_OFF_FLAGS		13
#define XTCP_OFF_WINDOW		14
#define XTCP_OFF_CHECK		16
#define XTCP_OFF_URG		18

/* Control bits, byte 13 (same values as the kernel's TCPHDR_*). */
#define XTCP_FLAG_FIN		0x01
#define XTCP_FLAG_SYN		0x02
#define XTCP_FLAG_RST		0x04
#define XTCP_FLAG_PSH		0x08
#define XTCP_FLAG_ACK		0x10
#define XTCP_FLAG_URG		0x20
#define XTCP_FLAG_ECE		0x40
#define XTCP_FLAG_CWR		0x80

/* Option kinds (IANA "TCP Option Kind Numbers"). */
#define XTCP_OPT_EOL		0
#define XTCP_OPT_NOP		1
#define XTCP_OPT_MSS		2
#define XTCP_OPT_WSCALE		3
#define XTCP_OPT_SACK_PERM	4
#define XTCP_OPT_SACK		5
#define XTCP_OPT_TIMESTAMP	8

/* Option lengths, kind and length bytes included. */
#define XTCP_OLEN_MSS		4
#define XTCP_OLEN_WSCALE	3
#define XTCP_OLEN_SACK_PERM	2
#define XTCP_OLEN_SACK_BASE	2
#define XTCP_OLEN_SACK_BLOCK	8
#define XTCP_OLEN_TIMESTAMP	10

#define XTCP_MAX_SACKS		4	/* (40 - 2) / 8 */
#define XTCP_MAX_WSCALE		14	/* RFC 7323 §2.3 */
/* the window of a SYN or SYN+ACK, never scaled (RFC 7323 §2.2) */
#define XTCP_SYN_WINDOW		65535U
#define XTCP_DEFAULT_MSS	536	/* RFC 9293 MUST-15, IPv4 */
#define XTCP_DEFAULT_MSS_V6	1220	/* RFC 9293 MUST-15, IPv6 */

/*
 * Connection states, numbered as the kernel's TCP numbers them, so that
 * /proc/net/tcp-style dumps and ss/netstat habits carry over unchanged.
 */
enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT = 2,
	XTCP_SYN_RECV = 3,
	XTCP_FIN_WAIT1 = 4,
	XTCP_FIN_WAIT2 = 5,
	XTCP_TIME_WAIT = 6,
	XTCP_CLOSE = 7,
	XTCP_CLOSE_WAIT = 8,
	XTCP_LAST_ACK = 9,
	XTCP_LISTEN = 10,
	XTCP_CLOSING = 11,
	XTCP_STATE_MAX = XTCP_CLOSING,
};

/* Which options a struct xtcp_options carries (its @present bits). */
#define XTCP_OPTF_MSS		BIT(0)
#define XTCP_OPTF_WSCALE	BIT(1)
#define XTCP_OPTF_SACK_PERM	BIT(2)
#define XTCP_OPTF_SACK		BIT(3)
#define XTCP_OPTF_TIMESTAMP	BIT(4)

struct xtcp_sack_block {
	u32 start;
	u32 end;
};

/*
 * Options of one segment, parsed (xtcp_parse_options()) or to be built
 * (xtcp_build_options()). MSS, window scale and SACK-permitted are only
 * meaningful on a SYN: the parser records them only there and the builder only
 * emits them there (RFC 9293 MUST-65, RFC 7323 §2.2).
 */
struct xtcp_options {
	u16 present;		/* XTCP_OPTF_* */
	u16 mss;
	u8 wscale;		/* already clamped to XTCP_MAX_WSCALE */
	u8 num_sacks;
	u32 tsval;
	u32 tsecr;
	struct xtcp_sack_block sacks[XTCP_MAX_SACKS];
};

/*
 * A parsed, validated TCP header. Host byte order throughout; @check is the
 * checksum field as read (it is verified separately, see checksum.h).
 */
struct xtcp_segment {
	u16 sport;
	u16 dport;
	u32 seq;
	u32 ack;
	u8 doff;		/* header length in 32-bit words, 5..15 */
	u8 flags;		/* XTCP_FLAG_* */
	u16 window;		/* unscaled, unsigned (MUST-1) */
	u16 check;
	u16 urg_ptr;
	u32 payload_len;	/* segment text after the header */
	struct xtcp_options opt;
};

static inline unsigned int xtcp_seg_hdr_len(const struct xtcp_segment *seg)
{
	return seg->doff * 4;
}

/* SEG.LEN: the octets of sequence space the segment occupies, SYN and FIN included. */
static inline u32 xtcp_seg_seq_len(const struct xtcp_segment *seg)
{
	return seg->payload_len + !!(seg->flags & XTCP_FLAG_SYN) +
	       !!(seg->flags & XTCP_FLAG_FIN);
}

#endif /* _XTCP_PROTOCOL_H */
