#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""malformed.py SRC DST DPORT: send xtcp's listener on DST:DPORT one malformed
segment of each kind its parser refuses, through a raw socket (no scapy: it
starts faster), and print each one's name and the drop reason xtcp must give.

  bad_checksum   a SYN whose checksum is off by one     -> "bad checksum"
  opt_len_short  a SYN with an option of length 1       -> opt_len_short
  opt_bad_len    a SYN with an MSS option of length 3   -> opt_bad_len
  syn_fin        SYN and FIN together                   -> syn_fin
  doff_beyond    a data offset of 60 bytes in 20        -> doff_beyond
  no_control     none of SYN, ACK, RST                  -> no_control
"""
import socket
import struct
import sys
import time

from inet_csum import csum

FIN, SYN, ACK = 0x01, 0x02, 0x10


def segment(src, dst, sport, dport, flags, options=b"", doff=None, fix=0):
    hlen = 20 + len(options)
    doff = hlen // 4 if doff is None else doff
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, doff << 4, flags,
                      65535, 0, 0) + options
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
        "!BBH", 0, socket.IPPROTO_TCP, len(hdr))
    c = (csum(pseudo + hdr) + fix) & 0xFFFF
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def main():
    src, dst, dport = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cases = [
        ("bad_checksum", "bad checksum", dict(flags=SYN, fix=1)),
        ("opt_len_short", "opt_len_short", dict(flags=SYN, options=b"\x08\x01\x00\x00")),
        ("opt_bad_len", "opt_bad_len", dict(flags=SYN, options=b"\x02\x03\x05\x00")),
        ("syn_fin", "syn_fin", dict(flags=SYN | FIN)),
        ("doff_beyond", "doff_beyond", dict(flags=SYN, doff=15)),
        ("no_control", "no_control", dict(flags=0)),
    ]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    for i, (name, reason, kw) in enumerate(cases):
        seg = segment(src, dst, 40000 + i, dport, **kw)
        s.sendto(seg, (dst, 0))
        print("%s %s" % (name, reason))
        time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
