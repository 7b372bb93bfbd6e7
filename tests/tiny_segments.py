#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile peer: N bytes in one-byte segments, inside the window.

    tiny_segments.py SRC DST DPORT N (--xtcp-sockets PATH | --ss-netns NS)
                     [--order inorder|sparse|overlap]

Opens a connection to the listener on DST:DPORT from a raw IP socket (no
scapy: 30 000 segments must go out in seconds, not minutes), then sends N
bytes, each segment PSH+ACK, never beyond the right edge of the window the
listener advertised: the bytes of xfer's pattern (seed 1), so that
`xfer script ... recv:N` checks them. The order, block by block of up to
BLOCK bytes:

  inorder  one byte a segment, in sequence order;
  sparse   one byte a segment, the odd bytes of the block first (each out of
           order, a hole before it), then the even ones that fill the holes;
  overlap  two bytes a segment, each starting one byte after the previous,
           from the block's end backwards: every segment out of order and
           overlapping the one queued before it.

A segment the listener dropped is sent again when no ACK has come for a
second (go-back-N from SND.UNA).

While it sends, every --every segments and once at the end, it reads the
listening host's socket memory: the rmem_alloc and rcvbuf columns of
/proc/net/xtcp_sockets (PATH, as seen from the listener's namespace), or ss -m
in netns NS for Linux TCP. It prints one line per sample, then

    sent N acked N peak rmem R rcvbuf B over_rcvbuf K

(K: the samples where rmem_alloc exceeded rcvbuf), and exits 0 once every
byte is acknowledged, 1 when the peer stopped making progress.

The kernel of the sender's namespace knows nothing of the connection and would
answer the listener's segments with RSTs: the caller drops them with nft.
"""
import argparse
import errno
import re
import socket
import struct
import subprocess
import sys
import time

from inet_csum import csum

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
# Out of order, the most a block keeps the listener's holes open for: about
# 128 segments of some 0.7 KiB of truesize each, near a fresh receive buffer.
BLOCK = 256


def schedule(order, nxt, room, end):
    """The segments (seq, length) of the next block at NXT, ROOM bytes of
    window left, END the stream's end; and where the block ends."""
    k = min(BLOCK, room, end - nxt)
    if order == "inorder" or k < 4:
        return [(nxt, 1)], nxt + 1
    if order == "sparse":
        return ([(nxt + i, 1) for i in range(1, k, 2)] +
                [(nxt + i, 1) for i in range(0, k, 2)]), nxt + k
    # overlap: the last segment's second byte is the next block's first,
    # still inside the window
    k = min(k, room - 1)
    return [(nxt + i, min(2, end - nxt - i)) for i in reversed(range(k))], nxt + k


def xfer_pattern(off, seed=1):
    """Byte OFF of xfer's stream seeded SEED (pattern() in tests/xfer.c)."""
    m = (1 << 64) - 1
    x = (off * 0x9E3779B97F4A7C15 + seed * 0x632BE59BD9B4E019) & m
    x ^= x >> 29
    x = (x * 0xBF58476D1CE4E5B9) & m
    x ^= x >> 32
    return x & 0xFF


class Peer:
    def __init__(self, args):
        self.src, self.dst, self.dport = args.src, args.dst, args.dport
        self.sport = 41000 + args.dport % 1000
        self.pseudo = socket.inet_aton(self.src) + socket.inet_aton(self.dst)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        self.s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 63)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.isn = 1000000
        self.wnd = 65535	# the window we advertise
        self.rcv_nxt = 0
        self.snd_una = self.isn + 1
        self.right = self.snd_una

    def send(self, flags, seq, data=b"", options=b""):
        hlen = 20 + len(options)
        hdr = struct.pack("!HHIIBBHHH", self.sport, self.dport, seq & 0xFFFFFFFF,
                          self.rcv_nxt, (hlen // 4) << 4, flags, self.wnd, 0, 0) + options
        seg = hdr + data
        c = csum(self.pseudo + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(seg)) + seg)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
        # ENOBUFS: the receiving CPU's backlog (netdev_max_backlog) was full,
        # as a tight loop in a guest short of CPU can make it, and the
        # segment never reached the receiver: it goes again after a pause
        for _ in range(1000):
            try:
                self.s.sendto(seg, (self.dst, 0))
                return
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                time.sleep(0.001)
        raise SystemExit("ENOBUFS for a second: the receiver took nothing")

    def segments(self, timeout):
        """The listener's segments to us: (flags, seq, ack, window), as they come."""
        self.s.settimeout(timeout)
        try:
            while True:
                pkt = self.s.recv(4096)
                ihl = (pkt[0] & 0x0F) * 4
                if socket.inet_ntoa(pkt[12:16]) != self.dst:
                    continue
                sport, dport, seq, ack, _, flags, win = struct.unpack(
                    "!HHIIBBH", pkt[ihl:ihl + 16])
                if sport != self.dport or dport != self.sport:
                    continue
                yield flags, seq, ack, win
                self.s.settimeout(timeout)
        except (socket.timeout, BlockingIOError):
            return

    def take(self, flags, ack, win):
        """An ACK from the listener: SND.UNA and the window's right edge move."""
        if flags & RST:
            raise SystemExit("the listener reset the connection")
        if not flags & ACK:
            return False
        moved = ((ack - self.snd_una) & 0xFFFFFFFF) < (1 << 31) and ack != self.snd_una
        if moved:
            self.snd_una = ack
        right = (ack + win) & 0xFFFFFFFF
        if ((right - self.right) & 0xFFFFFFFF) < (1 << 31):
            self.right = right
        return moved

    def handshake(self, options=None):
        """SYN (with OPTIONS: by default an MSS of 1460 alone), SYN-ACK, ACK."""
        options = options or struct.pack("!BBH", 2, 4, 1460)
        for _ in range(5):
            self.send(SYN, self.isn, options=options)
            for flags, seq, ack, win in self.segments(2.0):
                if flags & (SYN | ACK) == SYN | ACK and ack == self.isn + 1:
                    self.rcv_nxt = (seq + 1) & 0xFFFFFFFF
                    self.take(flags, ack, win)
                    self.send(ACK, self.isn + 1)
                    return
        raise SystemExit("no SYN-ACK from %s:%d" % (self.dst, self.dport))


def xtcp_columns(path, port, *cols):
    """Columns COLS of the established socket on local port PORT in
    /proc/net/xtcp_sockets (PATH, as seen from its namespace), as ints."""
    with open(path) as f:
        for line in f:
            w = line.split()
            if w[0] == "01" and w[-2].endswith(":%d" % port):
                return tuple(int(w[c]) for c in cols)
    return None


def ss_skmem(netns, port):
    """The skmem fields (r, rb, t, tb, f, w, ...) of the established socket on
    local port PORT, from ss -tmn in NETNS: Linux TCP's socket memory."""
    out = subprocess.run(["ip", "netns", "exec", netns, "ss", "-tmn"],
                         capture_output=True, text=True)
    lines = out.stdout.splitlines()
    for i, line in enumerate(lines):
        w = line.split()
        if len(w) >= 5 and w[0] == "ESTAB" and w[3].endswith(":%d" % port):
            m = re.search(r"skmem:\(([^)]*)\)", " ".join(lines[i:i + 2]))
            if m:
                return {k: int(v) for k, v in
                        re.findall(r"([a-z]+)(\d+)", m.group(1))}
    print("probe: no socket on port %d in ss -tmn: %r %r" %
          (port, out.stdout[-300:], out.stderr[-300:]), flush=True)
    return None


def probe_xtcp(path, port):
    """rmem_alloc and rcvbuf of the established socket on local port PORT."""
    return xtcp_columns(path, port, 3, 4)


def probe_ss(netns, port):
    """The same from ss -m in NETNS: r and rb of skmem."""
    m = ss_skmem(netns, port)
    return (m["r"], m["rb"]) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("dport", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("--xtcp-sockets")
    ap.add_argument("--ss-netns")
    ap.add_argument("--every", type=int, default=2000)
    ap.add_argument("--order", choices=("inorder", "sparse", "overlap"),
                    default="inorder")
    ap.add_argument("--stall", type=float, default=20.0,
                    help="seconds without progress before giving up")
    args = ap.parse_args()
    if args.xtcp_sockets:
        probe = lambda: probe_xtcp(args.xtcp_sockets, args.dport)
    else:
        probe = lambda: probe_ss(args.ss_netns, args.dport)
    p = Peer(args)
    p.handshake()
    data = bytes(xfer_pattern(i) for i in range(args.n))
    base = p.isn + 1
    end = base + args.n
    nxt = base
    sched = []
    peak, peak_buf, over, samples, sent = 0, 0, 0, 0, 0
    progress = time.monotonic()

    def sample():
        nonlocal peak, peak_buf, over, samples
        r = probe()
        if r is None:
            return
        samples += 1
        rmem, buf = r
        print("sample after %d segments: rmem_alloc %d rcvbuf %d" % (sent, rmem, buf),
              flush=True)
        if rmem > peak:
            peak, peak_buf = rmem, buf
        if rmem > buf:
            over += 1

    while p.snd_una != end:
        # the ACKs so far, without waiting
        for f, _, a, w in p.segments(0):
            if p.take(f, a, w):
                progress = time.monotonic()
        room = (p.right - nxt) & 0xFFFFFFFF
        if not sched and nxt != end and 0 < room < (1 << 31):
            sched, nxt = schedule(args.order, nxt, room, end)
        if sched:
            seq, ln = sched.pop(0)
            p.send(PSH | ACK, seq, data[seq - base:seq - base + ln])
            sent += 1
            if sent % args.every == 0:
                sample()
            continue
        # window full, or all sent: wait for an ACK, then go back if none
        for f, _, a, w in p.segments(1.0):
            if p.take(f, a, w):
                progress = time.monotonic()
            break
        else:
            if time.monotonic() - progress > args.stall:
                print("stalled: SND.UNA at byte %d of %d, right edge %+d" %
                      (p.snd_una - base, args.n, p.right - nxt), flush=True)
                return 1
            nxt = p.snd_una	# go back N: the listener may have dropped some
            sched = []
    sample()
    print("sent %d acked %d peak rmem %d rcvbuf %d over_rcvbuf %d samples %d" %
          (sent, p.snd_una - base, peak, peak_buf, over, samples), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
