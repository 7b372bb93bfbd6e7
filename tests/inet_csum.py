# SPDX-License-Identifier: GPL-2.0
"""The Internet checksum (RFC 1071), for the tests' raw-socket peers
(malformed.py, tiny_segments.py, syn_flood.py, bcast_syn.py; sack_flood.py
through tiny_segments.py's Peer), which import it from beside them."""
import struct


def csum(data):
    """The one's complement of the one's complement sum of DATA's 16-bit
    words, DATA padded with a zero byte to an even length."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
