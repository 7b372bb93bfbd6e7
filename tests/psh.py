#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where PSH goes on the wire, seen by a packet socket on lo.

Linux 6.1 TCP marks PSH on the last segment of each write (tcp_push() ->
tcp_mark_push()), not on a write sent with MSG_MORE, and on a segment once
more than half of the peer's largest window has gone without one
(forced_push()). With a 1000-byte MSS a 10 000-byte write is ten segments
from xtcp and one 10 000-byte GSO packet from Linux on lo; either way exactly
one of them carries PSH, and it ends where the write ended.

    psh.py [xtcp|inet]      default: $XTCP_TEST_FAMILY, else xtcp

Prints what it saw and exits 0 when every check held.
"""
import os
import select
import socket
import struct
import sys
import threading

ETH_P_IP = 0x0800
PACKET_HOST = 0
TCP_MAXSEG = 2
PSH, ACK, FIN = 0x08, 0x10, 0x01
MSS = 1000
failures = []


def first_sends(segs):
    """The data segments sent the first time, in order: a segment sent again
    (a tail loss probe, an RTO in a stalled guest) repeats its PSH and is not
    a write's, and may have been merged with the next one on the way
    (tcp_retrans_try_collapse()), so a segment is a first send only when it
    starts where the data sent so far ends."""
    out, end = [], None
    for g in segs:
        if g[1] <= 0:
            continue
        if end is not None and ((g[0] - end) & 0xffffffff) >= 0x80000000:
            print("# sent again: seq %u, %d bytes, flags %#x" % g)
            continue
        out.append(g)
        end = (g[0] + g[1]) & 0xffffffff
    return out


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def stream_socket(fam):
    if fam == "inet":
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with open("/sys/module/xtcp/parameters/family") as f:
        raw = socket.socket(int(f.read()), socket.SOCK_STREAM)
    # xtcp takes struct sockaddr_in: let Python treat it as AF_INET
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, raw.detach())


class Capture:
    """TCP segments from one port to another on lo, as (seq, len, flags)."""

    def __init__(self):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                               socket.htons(ETH_P_IP))
        # every packet of lo is queued here until read: room for them all
        self.s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
        self.s.bind(("lo", ETH_P_IP))
        self.segs = []

    def drain(self, sport, dport, quiet_ms=150):
        """Read until nothing came for quiet_ms; keep sport -> dport."""
        while True:
            r, _, _ = select.select([self.s], [], [], quiet_ms / 1000)
            if not r:
                return
            pkt, addr = self.s.recvfrom(70000)
            if addr[2] != PACKET_HOST or len(pkt) < 40 or pkt[9] != 6:
                continue
            ihl = (pkt[0] & 15) * 4
            tot = struct.unpack("!H", pkt[2:4])[0]
            sp, dp, seq = struct.unpack("!HHI", pkt[ihl:ihl + 8])
            doff = (pkt[ihl + 12] >> 4) * 4
            flags = pkt[ihl + 13]
            if (sp, dp) == (sport, dport):
                self.segs.append((seq, tot - ihl - doff, flags))

    def take(self):
        segs, self.segs = self.segs, []
        return segs


def read_exactly(s, n):
    got = 0
    while got < n:
        b = s.recv(n - got)
        if not b:
            break
        got += len(b)
    return got


def main():
    fam = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("XTCP_TEST_FAMILY", "xtcp")
    cap = Capture()
    ls = stream_socket(fam)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    c = stream_socket(fam)
    c.setsockopt(socket.IPPROTO_TCP, TCP_MAXSEG, MSS)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect(ls.getsockname())
    s, _ = ls.accept()
    sport, dport = c.getsockname()[1], ls.getsockname()[1]
    # Warm up: 1 MiB first, so that the receiver's window has opened well
    # past two writes (forced_push() marks PSH every half of the peer's
    # largest window, and a fresh Linux receiver starts at ten segments).
    got = []
    reader = threading.Thread(target=lambda: got.append(read_exactly(s, 1 << 20)))
    reader.start()
    c.sendall(b"w" * (1 << 20))
    reader.join(60)
    check(got == [1 << 20], "1 MiB of warm-up arrives")
    cap.drain(sport, dport)
    cap.take()

    # 1. five writes of 10 000 bytes, each read whole before the next
    for _ in range(5):
        c.sendall(b"p" * 10000)
        check(read_exactly(s, 10000) == 10000, "10 000 bytes arrive")
        cap.drain(sport, dport, 50)
    data = first_sends(cap.take())
    pushed = [g for g in data if g[2] & PSH]
    print("# five 10 000-byte writes: %d data packets, %d with PSH" % (len(data), len(pushed)))
    check(len(pushed) == 5, "one PSH per write (%d)" % len(pushed))
    check(bool(data) and sum(g[1] for g in data) == 50000, "50 000 bytes seen")
    ends = sorted((g[0] + g[1]) & 0xffffffff for g in pushed)
    starts = sorted(g[0] for g in data)
    if starts:
        base = starts[0]
        rel = [(e - base) & 0xffffffff for e in ends]
        check(rel == [10000, 20000, 30000, 40000, 50000],
              "each PSH ends its write (at %s)" % rel)

    # 2. MSG_MORE on the first three writes: only the last write's end is pushed
    for i in range(4):
        c.send(b"m" * 700, socket.MSG_MORE if i < 3 else 0)
    check(read_exactly(s, 2800) == 2800, "2 800 bytes arrive")
    cap.drain(sport, dport)
    data = first_sends(cap.take())
    pushed = [g for g in data if g[2] & PSH]
    print("# three MSG_MORE writes and one plain: %d data packets, %d with PSH"
          % (len(data), len(pushed)))
    check(len(pushed) == 1, "one PSH for the four writes (%d)" % len(pushed))
    check(bool(data) and (data[-1][2] & PSH) != 0, "PSH on the last data packet")

    c.close()
    s.close()
    ls.close()
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
