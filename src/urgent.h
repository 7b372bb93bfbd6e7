/* SPDX-License-Identifier: GPL-2.0 */
/*
 * urgent.h: the urgent pointer (RFC 9293 §3.8.5), as Linux sends and reads
 * it. Protocol logic only: no socket.
 *
 * RFC 1122 says the pointer names the last urgent byte; every stack in use,
 * Linux's by default (tcp_stdurg 0) among them, takes it to name the byte
 * after it, and RFC 6093 tells new code to do the same. xtcp does. Urgent
 * data is one byte: the one before the pointer, which a reader gets with
 * recv(MSG_OOB), or in the stream with SO_OOBINLINE.
 */
#ifndef _XTCP_URGENT_H
#define _XTCP_URGENT_H

#include <linux/types.h>

#include "seq.h"

/* What the receiver knows of urgent data (tp->urg_data's flags). */
#define XTCP_URG_VALID		0x0100	/* the byte arrived: low 8 bits */
#define XTCP_URG_NOTYET		0x0200	/* the pointer arrived, the byte not yet */
#define XTCP_URG_READ		0x0400	/* recv(MSG_OOB) took it */

/*
 * The urgent pointer of a segment at @seq while the urgent data ends at
 * @snd_up (the byte after it), nothing beyond @snd_nxt being sent: into *@ptr.
 * False: the segment carries no URG. The 16-bit field reaches 65535 past the
 * segment; further than that, 65535 says "urgent data ahead" as long as no
 * byte past SND.NXT would seem covered (tcp_options_write()'s rule).
 */
static inline bool xtcp_urg_ptr_out(u32 snd_up, u32 seq, u32 snd_nxt,
				    u16 *ptr)
{
	if (!xtcp_seq_before(seq, snd_up))
		return false;
	if (xtcp_seq_before(snd_up, seq + 0x10000)) {
		*ptr = snd_up - seq;
		return true;
	}
	if (xtcp_seq_after(seq + 0xFFFF, snd_nxt)) {
		*ptr = 0xFFFF;
		return true;
	}
	return false;
}

/*
 * The sequence number of the urgent byte of a segment at @seq whose URG
 * pointer is @ptr (tcp_check_urg()): the byte before the one it names.
 */
static inline u32 xtcp_urg_seq_in(u32 seq, u16 ptr)
{
	return seq + ptr - (ptr ? 1 : 0);
}

#endif /* _XTCP_URGENT_H */
