// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c: TCP header and options, from the wire and back (RFC 9293 §3.1,
 * RFC 7323, RFC 2018).
 *
 * What the parser rejects, and why there rather than in the state machine:
 *
 * - Lengths that cannot be trusted: a buffer shorter than 20 bytes, doff < 5,
 *   doff * 4 beyond the segment, an option length below 2 or past the header
 *   end (MUST-7), and a known option whose length is not its fixed length
 *   (stricter than Linux, which skips those; nothing legitimate sends them).
 * - Control-bit combinations that every state drops: SYN+RST, SYN+FIN (what
 *   netfilter conntrack classes INVALID), and segments with none of SYN, ACK
 *   or RST. RFC 9293 §3.10.7 drops the last kind in every state: LISTEN and
 *   SYN-SENT want a SYN or a RST, every other state "if the ACK bit is off,
 *   drop the segment". That covers the "null" and "FIN without ACK" scans.
 *
 * Everything else is the state machine's business: FIN or RST combined with
 * anything legal, URG, PSH, ECE, CWR, the reserved bits (ignored, RFC 9293
 * §3.1), port 0.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "compat.h"
#include "parse.h"

static const char * const parse_err_names[XTCP_PARSE_ERR_MAX] = {
	[XTCP_PARSE_OK]			= "ok",
	[XTCP_PARSE_TRUNCATED]		= "truncated",
	[XTCP_PARSE_DOFF_SMALL]		= "doff_small",
	[XTCP_PARSE_DOFF_BEYOND]	= "doff_beyond",
	[XTCP_PARSE_SYN_RST]		= "syn_rst",
	[XTCP_PARSE_SYN_FIN]		= "syn_fin",
	[XTCP_PARSE_NO_CONTROL]		= "no_control",
	[XTCP_PARSE_OPT_LEN_SHORT]	= "opt_len_short",
	[XTCP_PARSE_OPT_OVERRUN]	= "opt_overrun",
	[XTCP_PARSE_OPT_BAD_LEN]	= "opt_bad_len",
	[XTCP_PARSE_PULL_FAILED]	= "pull_failed",
};

const char *xtcp_parse_err_name(enum xtcp_parse_err err)
{
	if ((unsigned int)err >= XTCP_PARSE_ERR_MAX)
		return "unknown";
	return parse_err_names[err];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_err_name);

/*
 * One option of @olen bytes (kind and length included, already checked to lie
 * inside the header) at @p.
 */
static enum xtcp_parse_err parse_one(const u8 *p, u8 olen, bool syn,
				     struct xtcp_options *out)
{
	unsigned int i;
	u16 mss;

	switch (p[0]) {
	case XTCP_OPT_MSS:
		if (olen != XTCP_OLEN_MSS)
			return XTCP_PARSE_OPT_BAD_LEN;
		mss = get_unaligned_be16(p + 2);
		/* Only a SYN announces an MSS (RFC 9293 §3.7.1); 0 means none. */
		if (syn && mss) {
			out->present |= XTCP_OPTF_MSS;
			out->mss = mss;
		}
		break;
	case XTCP_OPT_WSCALE:
		if (olen != XTCP_OLEN_WSCALE)
			return XTCP_PARSE_OPT_BAD_LEN;
		if (syn) {
			out->present |= XTCP_OPTF_WSCALE;
			out->wscale = min_t(u8, p[2], XTCP_MAX_WSCALE);
		}
		break;
	case XTCP_OPT_SACK_PERM:
		if (olen != XTCP_OLEN_SACK_PERM)
			return XTCP_PARSE_OPT_BAD_LEN;
		if (syn)
			out->present |= XTCP_OPTF_SACK_PERM;
		break;
	case XTCP_OPT_SACK:
		if (olen < XTCP_OLEN_SACK_BASE + XTCP_OLEN_SACK_BLOCK ||
		    (olen - XTCP_OLEN_SACK_BASE) % XTCP_OLEN_SACK_BLOCK)
			return XTCP_PARSE_OPT_BAD_LEN;
		/* 40 option bytes hold at most 4 blocks: olen <= 34 here. */
		out->present |= XTCP_OPTF_SACK;
		out->num_sacks = (olen - XTCP_OLEN_SACK_BASE) /
				 XTCP_OLEN_SACK_BLOCK;
		for (i = 0; i < out->num_sacks; i++) {
			const u8 *b = p + XTCP_OLEN_SACK_BASE +
				      i * XTCP_OLEN_SACK_BLOCK;

			out->sacks[i].start = get_unaligned_be32(b);
			out->sacks[i].end = get_unaligned_be32(b + 4);
		}
		break;
	case XTCP_OPT_TIMESTAMP:
		if (olen != XTCP_OLEN_TIMESTAMP)
			return XTCP_PARSE_OPT_BAD_LEN;
		out->present |= XTCP_OPTF_TIMESTAMP;
		out->tsval = get_unaligned_be32(p + 2);
		out->tsecr = get_unaligned_be32(p + 6);
		break;
	default:
		/* Unknown kinds are skipped by their length (MUST-6). */
		break;
	}
	return XTCP_PARSE_OK;
}

/**
 * xtcp_parse_options - parse the options area of a header
 * @opt: first option byte (header + 20)
 * @len: bytes of options, doff * 4 - 20; nothing past @opt + @len is read
 * @syn: the segment carries SYN (MSS, window scale, SACK-permitted count)
 * @out: filled in; zeroed first
 *
 * Options may start at any offset (MUST-64) and appear in any segment
 * (MUST-5). EOL ends the list; NOP is one byte; every other kind has a length
 * byte (MUST-68) that must be at least 2 and stay inside @len (MUST-7).
 */
enum xtcp_parse_err xtcp_parse_options(const u8 *opt, unsigned int len,
				       bool syn, struct xtcp_options *out)
{
	enum xtcp_parse_err err;
	unsigned int i = 0;
	u8 olen;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		if (opt[i] == XTCP_OPT_EOL)
			break;
		if (opt[i] == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return XTCP_PARSE_OPT_OVERRUN;
		olen = opt[i + 1];
		if (olen < 2)
			return XTCP_PARSE_OPT_LEN_SHORT;
		if (olen > len - i)
			return XTCP_PARSE_OPT_OVERRUN;
		err = parse_one(opt + i, olen, syn, out);
		if (err)
			return err;
		i += olen;
	}
	return XTCP_PARSE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_options);

/**
 * xtcp_parse_header - parse and validate a TCP header in a linear buffer
 * @buf: the segment, starting at the TCP header
 * @len: segment length, header and text; only the header is read
 * @seg: filled in on success, undefined on failure
 */
enum xtcp_parse_err xtcp_parse_header(const u8 *buf, unsigned int len,
				      struct xtcp_segment *seg)
{
	unsigned int hlen;
	u8 doff, flags;

	if (len < XTCP_HDR_LEN)
		return XTCP_PARSE_TRUNCATED;
	doff = buf[XTCP_OFF_DOFF] >> 4;
	if (doff < XTCP_DOFF_MIN)
		return XTCP_PARSE_DOFF_SMALL;
	hlen = doff * 4;
	if (hlen > len)
		return XTCP_PARSE_DOFF_BEYOND;

	flags = buf[XTCP_OFF_FLAGS];
	if ((flags & (XTCP_FLAG_SYN | XTCP_FLAG_RST)) ==
	    (XTCP_FLAG_SYN | XTCP_FLAG_RST))
		return XTCP_PARSE_SYN_RST;
	if ((flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN)) ==
	    (XTCP_FLAG_SYN | XTCP_FLAG_FIN))
		return XTCP_PARSE_SYN_FIN;
	if (!(flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_RST)))
		return XTCP_PARSE_NO_CONTROL;

	seg->sport = get_unaligned_be16(buf + XTCP_OFF_SPORT);
	seg->dport = get_unaligned_be16(buf + XTCP_OFF_DPORT);
	seg->seq = get_unaligned_be32(buf + XTCP_OFF_SEQ);
	seg->ack = get_unaligned_be32(buf + XTCP_OFF_ACK);
	seg->doff = doff;
	seg->flags = flags;
	seg->window = get_unaligned_be16(buf + XTCP_OFF_WINDOW);
	seg->check = get_unaligned_be16(buf + XTCP_OFF_CHECK);
	seg->urg_ptr = get_unaligned_be16(buf + XTCP_OFF_URG);
	seg->payload_len = len - hlen;

	return xtcp_parse_options(buf + XTCP_HDR_LEN, hlen - XTCP_HDR_LEN,
				  flags & XTCP_FLAG_SYN, &seg->opt);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_header);

/**
 * xtcp_parse_skb - parse the TCP header of a received sk_buff
 * @skb: at NF_INET_LOCAL_IN: skb->data at the IP header, transport_header
 *	set, skb->len trimmed to the IP total length. Only the IP header is
 *	known to be linear; this pulls the TCP header into the linear area.
 * @seg: as for xtcp_parse_header()
 *
 * The pull may reallocate the head: pointers into the skb taken before the
 * call are stale afterwards (offsets stay valid).
 */
enum xtcp_parse_err xtcp_parse_skb(struct sk_buff *skb,
				   struct xtcp_segment *seg)
{
	unsigned int thoff, seglen, hlen;

	if (!skb_transport_header_was_set(skb) ||
	    skb_transport_header(skb) < skb->data)
		return XTCP_PARSE_PULL_FAILED;
	thoff = skb_transport_offset(skb);
	if (skb->len < thoff + XTCP_HDR_LEN)
		return XTCP_PARSE_TRUNCATED;
	seglen = skb->len - thoff;
	if (!pskb_may_pull(skb, thoff + XTCP_HDR_LEN))
		return XTCP_PARSE_PULL_FAILED;

	hlen = (skb_transport_header(skb)[XTCP_OFF_DOFF] >> 4) * 4;
	/* A bad doff is reported by the linear parser, which reads no option. */
	if (hlen > XTCP_HDR_LEN && hlen <= seglen &&
	    !pskb_may_pull(skb, thoff + hlen))
		return XTCP_PARSE_PULL_FAILED;

	return xtcp_parse_header(skb_transport_header(skb), seglen, seg);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_skb);

/* One 32-bit word of the option area, as tcp_options_write() writes them. */
static unsigned int put_word(u8 *p, unsigned int off, u8 a, u8 b, u8 c, u8 d)
{
	p[off] = a;
	p[off + 1] = b;
	p[off + 2] = c;
	p[off + 3] = d;
	return off + 4;
}

/*
 * As many SACK blocks as fit in the 40 option bytes behind NOP NOP SACK LEN:
 * 3 beside a timestamp, 4 without (tcp_established_options()).
 */
static unsigned int put_sacks(u8 *p, unsigned int off,
			      const struct xtcp_options *opt)
{
	unsigned int n, i;

	if (off + 4 + XTCP_OLEN_SACK_BLOCK > XTCP_OPT_MAX_LEN)
		return off;
	n = (XTCP_OPT_MAX_LEN - off - 4) / XTCP_OLEN_SACK_BLOCK;
	n = min_t(unsigned int, n, opt->num_sacks);
	n = min_t(unsigned int, n, XTCP_MAX_SACKS);
	if (!n)
		return off;

	off = put_word(p, off, XTCP_OPT_NOP, XTCP_OPT_NOP, XTCP_OPT_SACK,
		       XTCP_OLEN_SACK_BASE + n * XTCP_OLEN_SACK_BLOCK);
	for (i = 0; i < n; i++) {
		put_unaligned_be32(opt->sacks[i].start, p + off);
		put_unaligned_be32(opt->sacks[i].end, p + off + 4);
		off += XTCP_OLEN_SACK_BLOCK;
	}
	return off;
}

/**
 * xtcp_build_options - write the options of an outgoing segment
 * @buf: destination
 * @size: room at @buf
 * @opt: what to send (@opt->present)
 * @syn: the segment carries SYN
 *
 * MSS, window scale and SACK-permitted go out only on a SYN (MUST-65, RFC 7323
 * §2.2); SACK blocks only on a non-SYN, as many as fit (at most 3 beside a
 * timestamp, 4 without). The layout is Linux 6.1's tcp_options_write(), word
 * by word, so that a segment's bytes are the ones Linux TCP would send:
 *
 *	MSS		kind, length, the 16-bit MSS
 *	timestamps	sackOK,TS when SACK-permitted goes too (it takes the
 *			place of the NOPs), else NOP NOP TS; then TSval, TSecr
 *	SACK-permitted	NOP NOP sackOK (without timestamps)
 *	window scale	NOP wscale
 *	SACK blocks	NOP NOP SACK len, then the blocks
 *
 * Every option fills whole words, so nothing is ever padded (MUST-69 holds
 * trivially: there is no padding to be EOL).
 *
 * Return: the number of bytes written (a multiple of 4, at most 40), or
 * -ENOSPC if @size is too small for them.
 */
int xtcp_build_options(u8 *buf, unsigned int size,
		       const struct xtcp_options *opt, bool syn)
{
	bool sack_perm = syn && (opt->present & XTCP_OPTF_SACK_PERM);
	u8 tmp[XTCP_OPT_MAX_LEN];
	unsigned int off = 0;

	if (syn && (opt->present & XTCP_OPTF_MSS))
		off = put_word(tmp, off, XTCP_OPT_MSS, XTCP_OLEN_MSS,
			       opt->mss >> 8, opt->mss & 0xff);
	if (opt->present & XTCP_OPTF_TIMESTAMP) {
		if (sack_perm)
			off = put_word(tmp, off, XTCP_OPT_SACK_PERM,
				       XTCP_OLEN_SACK_PERM, XTCP_OPT_TIMESTAMP,
				       XTCP_OLEN_TIMESTAMP);
		else
			off = put_word(tmp, off, XTCP_OPT_NOP, XTCP_OPT_NOP,
				       XTCP_OPT_TIMESTAMP, XTCP_OLEN_TIMESTAMP);
		sack_perm = false;
		put_unaligned_be32(opt->tsval, tmp + off);
		put_unaligned_be32(opt->tsecr, tmp + off + 4);
		off += 8;
	}
	if (sack_perm)
		off = put_word(tmp, off, XTCP_OPT_NOP, XTCP_OPT_NOP,
			       XTCP_OPT_SACK_PERM, XTCP_OLEN_SACK_PERM);
	if (syn && (opt->present & XTCP_OPTF_WSCALE))
		off = put_word(tmp, off, XTCP_OPT_NOP, XTCP_OPT_WSCALE,
			       XTCP_OLEN_WSCALE,
			       min_t(u8, opt->wscale, XTCP_MAX_WSCALE));
	if (!syn && (opt->present & XTCP_OPTF_SACK))
		off = put_sacks(tmp, off, opt);

	if (off > size)
		return -ENOSPC;
	memcpy(buf, tmp, off);
	return off;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_build_options);

/**
 * xtcp_build_header - write a TCP header with its options
 * @buf: destination
 * @size: room at @buf
 * @seg: the fields to write; @seg->doff is ignored (computed from the
 *	options) and the checksum field is written as zero (see checksum.h)
 *
 * Return: the header length (20..60), or -ENOSPC.
 */
int xtcp_build_header(u8 *buf, unsigned int size,
		      const struct xtcp_segment *seg)
{
	u8 opts[XTCP_OPT_MAX_LEN];
	unsigned int hlen;
	int olen;

	olen = xtcp_build_options(opts, sizeof(opts), &seg->opt,
				  seg->flags & XTCP_FLAG_SYN);
	if (olen < 0)
		return olen;
	hlen = XTCP_HDR_LEN + olen;
	if (size < hlen)
		return -ENOSPC;

	put_unaligned_be16(seg->sport, buf + XTCP_OFF_SPORT);
	put_unaligned_be16(seg->dport, buf + XTCP_OFF_DPORT);
	put_unaligned_be32(seg->seq, buf + XTCP_OFF_SEQ);
	put_unaligned_be32(seg->ack, buf + XTCP_OFF_ACK);
	buf[XTCP_OFF_DOFF] = (hlen / 4) << 4;	/* reserved bits zero */
	buf[XTCP_OFF_FLAGS] = seg->flags;
	put_unaligned_be16(seg->window, buf + XTCP_OFF_WINDOW);
	put_unaligned_be16(0, buf + XTCP_OFF_CHECK);
	put_unaligned_be16(seg->urg_ptr, buf + XTCP_OFF_URG);
	memcpy(buf + XTCP_HDR_LEN, opts, olen);
	return hlen;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_build_header);
