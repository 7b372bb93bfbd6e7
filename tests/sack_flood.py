#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile peer: a SACK flood at a sender.

    sack_flood.py SRC DST DPORT N EXPECT [--acks K] [--control C] [--warm BYTES]
                  [--blocks alternate|huge] (--xtcp-sockets PATH | --ss-netns NS)

Connects from a raw IP socket to the listener on DST:DPORT (SYN with MSS
1460, SACK permitted and window scale 7, no timestamps: four SACK blocks fit
in an ACK), whose program sends N bytes, and receives them:

  warm   the first BYTES are acknowledged as they come, one ACK a segment, so
         that the sender's window grows (its congestion control in slow
         start) and much is in flight;
  hole   then the segment at that point is taken for lost: the cumulative
         ACK stays before it, and what arrives for a tenth of a second
         without an ACK (the flight) is held;
  flood  8 rounds, each of C/8 control ACKs, then K/8 flood ACKs, all of
         them ACKs of the hole (duplicates) with four SACK blocks over what
         is held above it:
           control  the first set below, again and again: a sender need
                    walk it once (it remembers the last ACK's blocks, as
                    Linux's recv_sack_cache): what one ACK costs but the walk;
           flood    two sets taken in turn, so that no ACK repeats the one
                    before it (a sender that skips what the last ACK's blocks
                    covered must still walk these):
             alternate  the held text cut into eight slices at segment
                        boundaries: the even slices, then the odd ones;
             huge       one block over all that is held, then the even ones.
         What comes meanwhile (retransmissions, new text) is held too, every
         8 ACKs.
  drain  then it acknowledges all it holds and reads the rest as a receiver
         should (one ACK a segment, SACK for what is above a hole), until
         all N bytes are in; then resets the connection.

Every byte received is checked against EXPECT (a file: `xfer pattern N`).
While it floods it reads the /proc/stat of the guest and times each ACK's
send: in the guest the listener's stack takes the ACK in the softirq that the
sending raw socket runs on its way out (veth), so the send's time is the
sender's cost of one ACK plus a raw send's. It samples the sender's socket
memory (wmem_queued against sndbuf) at the flood's start, half-way and at
its end: /proc/net/xtcp_sockets (PATH, as seen from the listener's
namespace), or ss -m in netns NS for Linux TCP; not timed. It prints

    flooding: flight B bytes (S segments) above the hole at byte H
    flooding on    (the flood began: with --beside FILE, the peer floods
                   unmeasured until FILE exists, then the measured rounds)
    control: acks C; send V us per ack (median V'); kernel KC us per ack
    flooded: acks K (and the control's, and B beside) in T ms; send U us
             per ack (median U', +X us over the control's); kernel KF us per
             ack, +KX us over the control's; sends retried R (ENOBUFS);
             cpu sys+softirq Y ms (user Z ms, of all CPUs); wmem_queued W0 at
             the start, peak W sndbuf Q;
             slab +G KiB (over the flood); blocks (the last two sets)
    received N bytes whole: ...

and exits 0, or 1 when the stream stalled or a byte differs.

The kernel of the sender's namespace knows nothing of the connection and would
answer the listener's segments with RSTs: the caller drops them with nft.
"""
import argparse
import errno
import os
import socket
import struct
import sys
import time

from tiny_segments import ACK, RST, Peer, ss_skmem, xtcp_columns

MSS = 1460
WSCALE = 7
M = 0xFFFFFFFF
# (SO_RCVBUFFORCE: the sender's flight must not overflow a raw socket that
# rmem_max would hold to 208 KiB)
SO_RCVBUFFORCE = 33
# The control and the flood, interleaved in rounds; the first of each round's
# control ACKs walks the blocks the last flood ACK did not have.
ROUNDS = 8


def sack_opt(blocks):
    """NOP, NOP and a SACK option of BLOCKS (absolute (start, end) pairs)."""
    o = struct.pack("!BBBB", 1, 1, 5, 2 + 8 * len(blocks))
    for s, e in blocks:
        o += struct.pack("!II", s & M, e & M)
    return o


def add(held, s, e):
    """[S, E) into HELD, a sorted list of disjoint [start, end) pairs."""
    out = []
    for a, b in held:
        if b < s or a > e:
            out.append((a, b))
        else:
            s, e = min(s, a), max(e, b)
    out.append((s, e))
    out.sort()
    return out


def clip(held, s, e):
    """What HELD has of [S, E)."""
    return [(max(a, s), min(b, e)) for a, b in held if b > s and a < e]


def biggest(pieces, n=4):
    """The N widest of PIECES, in order."""
    return sorted(sorted(pieces, key=lambda p: p[0] - p[1])[:n])


def cpu_ms():
    """user and sys+irq+softirq of the whole guest, in ms (/proc/stat)."""
    with open("/proc/stat") as f:
        w = f.readline().split()
    hz = 100	# USER_HZ
    user, sys_ = int(w[1]) + int(w[2]), int(w[3]) + int(w[6]) + int(w[7])
    return user * 1000 // hz, sys_ * 1000 // hz


def slab_kb():
    """The kernel's Slab figure in KiB (/proc/meminfo)."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("Slab:"):
                return int(line.split()[1])
    return 0


def ksoftirqds():
    """The pids of the ksoftirqd threads."""
    pids = []
    for d in os.listdir("/proc"):
        try:
            with open("/proc/%s/comm" % d) as f:
                if f.read().startswith("ksoftirqd/"):
                    pids.append(d)
        except (OSError, ValueError):
            pass
    return pids


def stime_us(pids):
    """The system time of PIDS together (/proc/PID/stat), in us."""
    t = 0
    for pid in pids:
        with open("/proc/%s/stat" % pid) as f:
            w = f.read().rsplit(")", 1)[1].split()
        t += int(w[12])	# stime, field 15
    return t * 1000000 // os.sysconf("SC_CLK_TCK")


def probe_xtcp(path, port):
    """wmem_queued and sndbuf of the established socket on local port PORT."""
    return xtcp_columns(path, port, 5, 6)


def probe_ss(netns, port):
    """The same from ss -m in NETNS: w and tb of skmem."""
    m = ss_skmem(netns, port)
    return (m["w"], m["tb"]) if m else None


class Receiver(Peer):
    """The peer's receiving half: what it holds, by offset in the stream."""

    def __init__(self, args, expect):
        super().__init__(args)
        self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
        self.n = args.n
        self.expect = expect
        self.buf = bytearray(args.n)
        self.held = []
        self.base = 0
        self.bad = None
        self.retried = 0

    def connect(self):
        self.handshake(struct.pack("!BBH", 2, 4, MSS) +
                       struct.pack("!BBBB", 1, 1, 4, 2) +	# SACK permitted
                       struct.pack("!BBBB", 1, 3, 3, WSCALE))
        self.base = self.rcv_nxt
        self.wnd = 65535	# << WSCALE: 8 MiB

    def data(self, timeout):
        """The listener's segments as they come: whether text came."""
        got = False
        self.s.settimeout(timeout)
        while True:
            try:
                pkt = self.s.recv(1 << 17)
            except (socket.timeout, BlockingIOError):
                return got
            ihl = (pkt[0] & 0x0F) * 4
            if socket.inet_ntoa(pkt[12:16]) != self.dst:
                continue
            sport, dport, seq, _, doff, flags = struct.unpack("!HHIIBB", pkt[ihl:ihl + 14])
            if sport != self.dport or dport != self.sport:
                continue
            if flags & RST:
                raise SystemExit("the listener reset the connection")
            tot = struct.unpack("!H", pkt[2:4])[0] or len(pkt)
            text = pkt[ihl + (doff >> 4) * 4:tot]
            off = (seq - self.base) & M
            if text and off < self.n:
                text = text[:self.n - off]
                self.buf[off:off + len(text)] = text
                if text != self.expect[off:off + len(text)] and self.bad is None:
                    self.bad = off + next(i for i in range(len(text))
                                          if text[i] != self.expect[off + i])
                self.held = add(self.held, off, off + len(text))
                got = True
            self.s.settimeout(0)

    def contig(self):
        """The end of what is held from the stream's start."""
        return self.held[0][1] if self.held and self.held[0][0] == 0 else 0

    def ack(self, upto, blocks=()):
        """An ACK of offset UPTO, with SACK BLOCKS (offsets)."""
        self.rcv_nxt = (self.base + upto) & M
        opt = sack_opt([(self.base + s, self.base + e) for s, e in blocks]) if blocks else b""
        # veth's backlog full (the guest's softirqs behind): again, later
        for _ in range(1000):
            try:
                self.send(ACK, self.isn + 1, options=opt)
                return
            except OSError as e:
                if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                    raise
                self.retried += 1
                time.sleep(0.001)
        raise SystemExit("the raw socket took no ACK for a second")


def median(xs):
    """The median of XS, in us."""
    xs = sorted(xs)
    return xs[len(xs) // 2] * 1e6 if xs else 0.0


def share(n, r):
    """Round R's share of N ACKs."""
    return n * (r + 1) // ROUNDS - n * r // ROUNDS


def flood_sets(held, lo, mode):
    """The two sets of SACK blocks over what HELD has above LO."""
    top = held[-1][1] if held else lo
    segs = max((top - lo) // MSS, 1)
    cuts = [lo + segs * k // 8 * MSS for k in range(8)] + [top]
    slices = [clip(held, cuts[k], cuts[k + 1]) for k in range(8)]
    even = biggest([p for k in (0, 2, 4, 6) for p in slices[k]])
    odd = biggest([p for k in (1, 3, 5, 7) for p in slices[k]])
    if mode == "huge":
        return biggest(clip(held, lo, top)), even
    return even, odd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("dport", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("expect")
    ap.add_argument("--acks", type=int, default=4000)
    ap.add_argument("--control", type=int, default=2000)
    ap.add_argument("--warm", type=int, default=1 << 20)
    ap.add_argument("--blocks", choices=("alternate", "huge"), default="alternate")
    ap.add_argument("--xtcp-sockets")
    ap.add_argument("--ss-netns")
    ap.add_argument("--beside", help="a file to wait for, flooding, before the measured rounds")
    ap.add_argument("--stall", type=float, default=20.0)
    args = ap.parse_args()
    if args.xtcp_sockets:
        probe = lambda: probe_xtcp(args.xtcp_sockets, args.dport)
    else:
        probe = lambda: probe_ss(args.ss_netns, args.dport)
    with open(args.expect, "rb") as f:
        expect = f.read()
    if len(expect) != args.n:
        raise SystemExit("%s: %d bytes, not %d" % (args.expect, len(expect), args.n))
    p = Receiver(args, expect)
    p.connect()

    def stalled(what):
        print("stalled %s: %d bytes in order of %d, held %s" %
              (what, p.contig(), args.n, p.held[:4]), flush=True)
        return 1

    # warm: every segment acknowledged, until BYTES are in
    while p.contig() < args.warm:
        if not p.data(args.stall):
            return stalled("warming")
        p.ack(p.contig())
    # the hole: no ACK now, the flight arrives
    hole = p.contig()
    while p.data(0.1):
        pass
    lo = hole + MSS
    top = p.held[-1][1]
    print("flooding: flight %d bytes (%d segments) above the hole at byte %d" %
          (top - hole, (top - hole + MSS - 1) // MSS, hole), flush=True)
    sets = flood_sets(p.held, lo, args.blocks)
    peak = [0, 0, 0]
    cpu = [0, 0]

    def sample():
        r = probe()
        if r and not peak[2]:
            peak[2] = r[0]
        if r and r[0] > peak[0]:
            peak[:2] = r

    def burst(acks, pick, kern):
        """ACKS ACKs of the set PICK(i) says: the seconds each took to send;
        the kernel's time meanwhile added to KERN[0]."""
        nonlocal sets
        spent = []
        k0 = stime_us(pids)
        for i in range(acks):
            t = time.perf_counter()
            p.ack(hole, sets[pick(i)])
            spent.append(time.perf_counter() - t)
            if i % 8 == 7 and p.data(0):
                sets = flood_sets(p.held, lo, args.blocks)
        kern[0] += stime_us(pids) - k0
        return spent
    # in ROUNDS, each a run of the control (one set again and again, that a
    # sender need walk once) and one of the flood, so that both meet the
    # same noise of a shared guest
    pids = ["self"] + ksoftirqds()
    kc, kf = [0], [0]
    # the flood beside the caller's other traffic, until it says that is over
    # (not measured: that traffic's work would be counted with the ACKs')
    print("flooding on", flush=True)
    beside = 0
    if args.beside:
        end = time.monotonic() + 120
        while not os.path.exists(args.beside) and time.monotonic() < end:
            burst(64, lambda i: i % 2, [0])
            beside += 64
    control, spent = [], []
    s0 = slab_kb()
    t0 = time.monotonic()
    for r in range(ROUNDS):
        if r in (0, ROUNDS // 2):
            sample()
        control += burst(share(args.control, r), lambda i: 0, kc)
        c0 = cpu_ms()
        spent += burst(share(args.acks, r), lambda i: i % 2, kf)
        c1 = cpu_ms()
        cpu = [cpu[0] + c1[0] - c0[0], cpu[1] + c1[1] - c0[1]]
    # medians, which the guest's hiccups (its other CPU's work, interrupts,
    # the host's other load) do not move as they move a mean
    cmed, fmed = median(control), median(spent)
    control = sum(control) * 1e6 / max(args.control, 1)
    elapsed = time.monotonic() - t0
    growth = slab_kb() - s0
    sample()
    us = sum(spent) * 1e6 / args.acks
    kc, kf = kc[0] / max(args.control, 1), kf[0] / args.acks
    print("control: acks %d; send %.1f us per ack (median %.1f); kernel %.1f us per ack" %
          (args.control, control, cmed, kc), flush=True)
    print("flooded: acks %d (and the control's, and %d beside) in %d ms; send %.1f us per ack"
          " (median %.1f, %+.1f us over the control's); kernel %.1f us per ack,"
          " %+.1f us over the control's; sends retried %d;"
          " cpu sys+softirq %d ms (user %d ms, of all CPUs); wmem_queued %d at the start,"
          " peak %d sndbuf %d; slab %+d KiB; blocks %s %s" %
          (args.acks, beside, elapsed * 1000, us, fmed, fmed - cmed, kf, kf - kc,
           p.retried, cpu[1], cpu[0], peak[2], peak[0], peak[1], growth, [(s - hole, e - hole) for s, e in sets[0]],
           [(s - hole, e - hole) for s, e in sets[1]]), flush=True)
    # drain: all that is held acknowledged, the rest read as it comes
    p.data(0)
    last = time.monotonic()
    while True:
        c = p.contig()
        above = [(s, e) for s, e in p.held if s > c]
        p.ack(c, biggest(above))
        if c == args.n:
            break
        if p.data(1.0):
            last = time.monotonic()
        elif time.monotonic() - last > args.stall:
            return stalled("draining")
    p.send(RST | ACK, p.isn + 1)
    if p.bad is not None or p.buf != expect:
        print("received %d bytes, byte %s differs" % (args.n, p.bad), flush=True)
        return 1
    print("received %d bytes whole" % args.n, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
