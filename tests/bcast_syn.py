#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""SYNs to a broadcast address, which TCP never answers.

    bcast_syn.py IFNAME DST_MAC SRC DST DPORT

From IFNAME (a packet socket, so that the Ethernet frame goes to DST_MAC, the
listener's host, as a unicast frame), sends a SYN to DPORT at the limited
broadcast address 255.255.255.255, then the same SYN to DST; listens after
each for a second for the SYN+ACK. tcp_v4_conn_request() drops a SYN whose
route is broadcast or multicast, so the first must go unanswered, and the
second (the control: the listener is there) answered. Prints one line per
SYN, and exits 0 when both went as they should.
"""
import random
import socket
import struct
import sys
import time

from inet_csum import csum

ETH_P_IP = 0x0800
SYN, RST, ACK = 0x02, 0x04, 0x10


def frame(src_mac, dst_mac, src, dst, sport, dport, seq):
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    opts = struct.pack("!BBH", 2, 4, 1460)          # MSS
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0,
                      (5 + len(opts) // 4) << 4, SYN, 64240, 0, 0) + opts
    pseudo = s + d + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp),
                     random.randrange(65536), 0x4000, 64, socket.IPPROTO_TCP,
                     0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + struct.pack("!H", ETH_P_IP) + ip + tcp


def answered(sock, dport, sport, wait=1.0):
    """A SYN+ACK from DPORT to SPORT seen within WAIT seconds."""
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            pkt = sock.recv(2048)
        except socket.timeout:
            return False
        if len(pkt) < 14 + 20 + 20 or pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        if ip[9] != socket.IPPROTO_TCP:
            continue
        tcp = ip[(ip[0] & 0xF) * 4:]
        sp, dp = struct.unpack("!HH", tcp[:4])
        if sp == dport and dp == sport and tcp[13] & (SYN | ACK) == SYN | ACK:
            return True


def main():
    ifname, dst_mac, src, dst, dport = sys.argv[1:6]
    dport = int(dport)
    mac = bytes.fromhex(dst_mac.replace(":", ""))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_IP))
    sock.bind((ifname, 0))
    src_mac = sock.getsockname()[4][:6]
    ok = True
    for to, want in (("255.255.255.255", False), (dst, True)):
        sport = random.randrange(20000, 30000)
        sock.send(frame(src_mac, mac, src, to, sport, dport,
                        random.randrange(1 << 32)))
        got = answered(sock, dport, sport)
        print("SYN to %s:%d: %s" % (to, dport,
                                    "answered" if got else "unanswered"))
        ok = ok and got == want
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
