#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw-segment TCP peers for xtcp's over-the-wire tests (tests/cases/wire.sh).

    peer.py rst    --iface IF --src A --dst B --dport P
    peer.py olddup --iface IF --src A --dst B --dport P
    peer.py paws   --iface IF --src A --dst B --dport P
    peer.py shrink --iface IF --src A --dst B --dport P

The peer speaks TCP itself with scapy to a server (`xfer sink`) on DST:DPORT and
prints what it saw, then one "expect conn I: len L fnv H end E" line per
connection: the line the sink must have printed for the test to pass. It runs
in a namespace whose kernel has an nft rule dropping its own RSTs (TTL 64); the
peer sends with TTL 63 so that its RSTs pass.

rst (RFC 9293 3.10.7.4, RFC 5961):
  conn 0: RST with exactly RCV.NXT: the connection is reset (ECONNRESET).
  conn 1: RST far outside the window: ignored without a reply; 10 bytes and a
          FIN then arrive as usual.
  conn 2: RST inside the window but not exact: a challenge ACK (ACK = RCV.NXT,
          no RST) comes back and the connection lives on: 5 bytes and a FIN.
  conn 3: a burst of 20 such RSTs, sent back to back, draws at most 5
          challenge ACKs for each second it touches (1 to 10 when it takes
          under a second), not 20 (the server's limit is 4 a second, RFC 5961
          7); then data and a FIN.
  The server never answers a RST with a RST.

olddup (RFC 6191, RFC 7323 PAWS):
  conn 0: 100 bytes with timestamps; the sink closes first, so the server holds
          the 4-tuple in TIME_WAIT.
  conn 1: a SYN on the same 4-tuple with a lower ISN but a newer timestamp
          reopens it. An old duplicate of conn 0's data, with its old
          timestamp, is replayed: its sequence numbers fall inside the new
          window, at offset 50. Then 150 new bytes. The sink must read exactly
          the 150 new bytes: had the old segment been queued, bytes 50..149
          would be the old ones.

paws (RFC 7323 5.3, RFC 5927):
  conn 0: 10 bytes with TSval 1002; then 10 other bytes at the next sequence
          number with TSval 500, older than TS.Recent: dropped, and answered
          with an ACK that does not cover them. Then ICMP host-unreachable
          messages quoting the server's segments with a sequence number
          outside SND.UNA..SND.NXT: ignored (the caller checks the counter
          OutOfWindowIcmps). Then 10 bytes with TSval 1003 at the same sequence
          number: accepted. The sink must read the first and the last 10.

shrink (RFC 9293 3.8.6, robustness to a shrinking window):
  The server (`xfer script ... accept send:20000 eof close`) sends 20000
  bytes. The peer takes the first segment and acknowledges it with a window
  of 500 bytes: the right edge moves left, behind segments already sent. For
  1.5 s the server may probe or retransmit but must not reset; then the peer
  opens its window again and acknowledges what comes in order. All 20000
  bytes must arrive, exactly xfer's pattern, and the connection closes.
"""
import argparse
import math
import queue
import socket
import sys
import time

from scapy.config import conf
from scapy.layers.inet import ICMP, IP, TCP
from scapy.sendrecv import AsyncSniffer
from scapy.supersocket import L3RawSocket

TTL = 63


def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def expect(conn, data, end):
    print("expect conn %d: len %d fnv %s end %s" % (conn, len(data), fnv(data), end))


class Fail(Exception):
    pass


class Peer:
    """One side of TCP connections to dst:dport, built by hand."""

    def __init__(self, args):
        self.src, self.dst, self.dport = args.src, args.dst, args.dport
        self.sock = L3RawSocket()
        self.q = queue.Queue()
        started = queue.Queue()
        self.sniffer = AsyncSniffer(
            iface=args.iface, store=False,
            lfilter=lambda p: IP in p and TCP in p and p[IP].src == self.dst,
            prn=self.q.put, started_callback=lambda: started.put(1))
        self.sniffer.start()
        started.get(timeout=30)
        self.sport = None
        self.tsval = 1

    def close(self):
        self.sniffer.stop()

    def build(self, flags, seq, ack=0, data=b"", ts=None, options=None, window=65535):
        opts = options if options is not None else []
        if ts is not None:
            opts = opts + [("NOP", None), ("NOP", None), ("Timestamp", ts)]
        pkt = IP(src=self.src, dst=self.dst, ttl=TTL) / TCP(
            sport=self.sport, dport=self.dport, flags=flags, seq=seq & 0xFFFFFFFF,
            ack=ack & 0xFFFFFFFF, window=window, options=opts)
        if data:
            pkt = pkt / data
        return pkt

    def send(self, flags, seq, ack=0, data=b"", ts=None, options=None, window=65535):
        self.sock.send(self.build(flags, seq, ack, data, ts, options, window))

    def burst(self, pkts):
        """Send packets back to back: built first, then one sendto() each
        (scapy's own send takes tens of ms a packet in a slow guest)."""
        raw = [bytes(p) for p in pkts]
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        try:
            t0 = time.monotonic()
            for b in raw:
                s.sendto(b, (self.dst, 0))
            return time.monotonic() - t0
        finally:
            s.close()

    def recv(self, pred, timeout=5.0, what="a segment"):
        """The next segment of this connection that satisfies pred."""
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                raise Fail("no %s within %.1f s" % (what, timeout))
            try:
                p = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if p[TCP].dport != self.sport:
                continue
            if pred(p[TCP]):
                return p[TCP]

    def quiet(self, secs):
        """Every segment of this connection that arrives within secs."""
        got = []
        end = time.time() + secs
        while time.time() < end:
            try:
                p = self.q.get(timeout=max(0.01, end - time.time()))
            except queue.Empty:
                continue
            if p[TCP].dport == self.sport:
                got.append(p[TCP])
        return got

    def drain(self):
        while not self.q.empty():
            self.q.get()


def tsval_of(t):
    for o in t.options:
        if o[0] == "Timestamp":
            return o[1][0]
    return None


def flags(t):
    return str(t.flags)


def handshake(p, sport, isn, ts=None):
    """Opens a connection; returns the server's ISN + 1 (our RCV.NXT)."""
    p.sport = sport
    p.drain()
    opts = [("MSS", 1460), ("SAckOK", b"")]
    p.send("S", isn, ts=(ts, 0) if ts else None, options=opts)
    sa = p.recv(lambda t: "S" in flags(t) and "A" in flags(t), what="SYN-ACK")
    if sa.ack != (isn + 1) & 0xFFFFFFFF:
        raise Fail("SYN-ACK acks %d, want %d" % (sa.ack, isn + 1))
    rcv = sa.seq + 1
    p.peer_ts = tsval_of(sa)
    if ts and p.peer_ts is None:
        raise Fail("SYN-ACK has no timestamp though the SYN offered one")
    p.send("A", isn + 1, rcv, ts=(ts + 1, p.peer_ts) if ts else None)
    return rcv


def wait_ack(p, upto, what):
    return p.recv(lambda t: "A" in flags(t) and t.ack == upto & 0xFFFFFFFF, what=what)


def finish(p, seq, rcv, ts=None):
    """Sends our FIN, ACKs the server's FIN (the sink closes after EOF)."""
    p.send("FA", seq, rcv, ts=ts)
    fin = p.recv(lambda t: "F" in flags(t), what="the server's FIN")
    p.send("A", seq + 1, fin.seq + 1, ts=ts)


def no_rst(segs, what):
    for t in segs:
        if "R" in flags(t):
            raise Fail("the server answered %s with a RST" % what)


def cmd_rst(p):
    # conn 0: an exact RST resets.
    isn = 100000
    rcv = handshake(p, 40001, isn)
    time.sleep(0.2)
    p.send("R", isn + 1)
    no_rst(p.quiet(0.5), "an exact RST")
    print("conn 0: exact RST sent")
    expect(0, b"", "ECONNRESET")

    # conn 1: an RST far outside the window is dropped silently.
    isn = 200000
    rcv = handshake(p, 40002, isn)
    time.sleep(0.2)
    p.send("R", isn + 1 + 0x40000000)
    segs = p.quiet(0.7)
    no_rst(segs, "an out-of-window RST")
    if segs:
        raise Fail("the server answered an out-of-window RST: %s" %
                   ", ".join("%s ack %d" % (flags(t), t.ack) for t in segs))
    print("conn 1: out-of-window RST: no reply")
    data = b"0123456789"
    p.send("PA", isn + 1, rcv, data)
    wait_ack(p, isn + 1 + len(data), "ACK of the data after the ignored RST")
    finish(p, isn + 1 + len(data), rcv)
    expect(1, data, "eof")

    # conn 2: an in-window RST that is not exact draws a challenge ACK.
    isn = 300000
    rcv = handshake(p, 40003, isn)
    time.sleep(0.2)
    p.send("R", isn + 1 + 100)
    try:
        ch = p.recv(lambda t: True, timeout=2, what="challenge ACK")
    except Fail:
        raise Fail("no challenge ACK for an in-window, inexact RST (RFC 5961 3.2)")
    if "R" in flags(ch) or "A" not in flags(ch) or ch.ack != isn + 1 or ch.seq != rcv:
        raise Fail("challenge ACK wrong: flags %s seq %d ack %d, want A seq %d ack %d" %
                   (flags(ch), ch.seq, ch.ack, rcv, isn + 1))
    print("conn 2: in-window RST: challenge ACK seq %d ack %d" % (ch.seq, ch.ack))
    no_rst(p.quiet(0.3), "an in-window RST")
    data = b"abcde"
    p.send("PA", isn + 1, rcv, data)
    wait_ack(p, isn + 1 + len(data), "ACK of the data after the challenge ACK")
    finish(p, isn + 1 + len(data), rcv)
    expect(2, data, "eof")

    # conn 3: a burst of 20 such RSTs. The server allows 4 challenge ACKs a
    # second (net.xtcp.challenge_ack_limit; Linux: tcp_challenge_ack_limit,
    # and one per 500 ms per socket): a budget of 2 to 5 a second, the burst
    # may straddle two seconds. Not all 20 may be answered (RFC 5961 7).
    # The burst goes out back to back, well within a second.
    isn = 400000
    rcv = handshake(p, 40004, isn)
    time.sleep(1.1)
    took = p.burst([p.build("R", isn + 1 + 100 + i) for i in range(20)])
    # at most 5 a second, over the seconds the burst may touch
    most = 5 * (math.ceil(took) + 1)
    print("conn 3: burst of 20 RSTs sent in %.3f s: at most %d challenge ACKs" % (took, most))
    if most >= 20:
        raise Fail("the burst took %.3f s: too slow to show a rate limit" % took)
    segs = p.quiet(2.0)
    no_rst(segs, "a burst of in-window RSTs")
    acks = [t for t in segs if "A" in flags(t) and t.ack == isn + 1]
    if not 1 <= len(acks) <= most:
        raise Fail("%d challenge ACKs for a burst of 20 in-window RSTs, want 1 to %d "
                   "(rate limit)" % (len(acks), most))
    print("conn 3: 20 in-window RSTs: %d challenge ACKs (rate-limited)" % len(acks))
    data = b"rate-limited"
    p.send("PA", isn + 1, rcv, data)
    wait_ack(p, isn + 1 + len(data), "ACK of the data after the RST burst")
    finish(p, isn + 1 + len(data), rcv)
    expect(3, data, "eof")


def cmd_olddup(p):
    sport = 40010
    isn1 = 1000000
    old = bytes([0x4F]) * 100
    ts = 1000
    rcv1 = handshake(p, sport, isn1, ts)
    p.send("PA", isn1 + 1, rcv1, old, ts=(ts + 2, p.peer_ts))
    wait_ack(p, isn1 + 1 + len(old), "ACK of conn 0's data")
    # The sink closes first once it has the 100 bytes: its FIN, our ACK + FIN,
    # its last ACK; the server is then in TIME_WAIT.
    fin = p.recv(lambda t: "F" in flags(t), what="the server's FIN")
    p.send("FA", isn1 + 1 + len(old), fin.seq + 1, ts=(ts + 3, tsval_of(fin)))
    wait_ack(p, isn1 + 2 + len(old), "the final ACK of conn 0")
    print("conn 0: 100 bytes, server closed first (TIME_WAIT)")
    expect(0, old, "closed")
    time.sleep(0.3)

    # conn 1: same 4-tuple, ISN below the old RCV.NXT, newer timestamp.
    isn2 = isn1 - 50
    ts2 = 50000
    try:
        rcv2 = handshake(p, sport, isn2, ts2)
    except Fail as e:
        raise Fail("the SYN with a newer timestamp did not reopen TIME_WAIT: %s" % e)
    print("conn 1: SYN reopened the 4-tuple")
    new = bytes((i * 7 + 3) & 0xFF for i in range(150))
    # The old duplicate: conn 0's first segment, old timestamp. Offset 50 of conn 1.
    p.send("PA", isn1 + 1, rcv1, old, ts=(ts + 2, p.peer_ts))
    segs = p.quiet(0.5)
    no_rst(segs, "an old duplicate")
    print("conn 1: old duplicate answered with %s (RCV.NXT %d)" %
          (", ".join("%s ack %d" % (flags(t), t.ack) for t in segs) or "nothing", isn2 + 1))
    p.send("PA", isn2 + 1, rcv2, new[:50], ts=(ts2 + 2, p.peer_ts))
    a = p.recv(lambda t: "A" in flags(t) and (t.ack - isn2 - 51) & 0xFFFFFFFF <= 100,
               what="ACK of the first 50 new bytes")
    if a.ack != isn2 + 51:
        raise Fail("50 new bytes ACKed to %d, not %d: the old duplicate was queued" %
                   (a.ack, isn2 + 51))
    print("conn 1: 50 new bytes ACKed to %d" % a.ack)
    p.send("PA", isn2 + 51, rcv2, new[50:], ts=(ts2 + 3, p.peer_ts))
    wait_ack(p, isn2 + 151, "ACK of all 150 new bytes")
    finish(p, isn2 + 151, rcv2, ts=(ts2 + 4, p.peer_ts))
    expect(1, new, "eof")


def cmd_paws(p):
    isn = 2000000
    ts = 1000
    rcv = handshake(p, 40020, isn, ts)
    first, stale, last = b"f" * 10, b"X" * 10, b"l" * 10
    p.send("PA", isn + 1, rcv, first, ts=(ts + 2, p.peer_ts))
    a = wait_ack(p, isn + 11, "ACK of the first 10 bytes")
    print("conn 0: 10 bytes with TSval %d ACKed" % (ts + 2))
    # the same sequence numbers next, with a timestamp older than TS.Recent
    p.drain()
    p.send("PA", isn + 11, rcv, stale, ts=(500, tsval_of(a)))
    try:
        d = p.recv(lambda t: "A" in flags(t), timeout=2, what="duplicate ACK")
    except Fail:
        raise Fail("no ACK for a segment PAWS rejects (RFC 7323 5.3 R1)")
    if d.ack != isn + 11:
        raise Fail("a segment with an old timestamp was accepted: ACK %d, want %d" %
                   (d.ack, isn + 11))
    print("conn 0: TSval 500 < TS.Recent: dropped, ACK stays at %d" % d.ack)
    # ICMP errors quoting the server's segment with a sequence number it never sent
    for off in (0x20000000, 0x60000000):
        quoted = IP(src=p.dst, dst=p.src, ttl=64) / TCP(
            sport=p.dport, dport=p.sport, flags="A", seq=(rcv + off) & 0xFFFFFFFF,
            ack=isn + 11)
        p.sock.send(IP(src=p.src, dst=p.dst, ttl=TTL) / ICMP(type=3, code=1) /
                    bytes(quoted)[:28])
    time.sleep(0.3)
    print("conn 0: 2 out-of-window ICMP host-unreachable sent")
    p.send("PA", isn + 11, rcv, last, ts=(ts + 3, tsval_of(a)))
    wait_ack(p, isn + 21, "ACK of the last 10 bytes (TSval 1003)")
    print("conn 0: 10 bytes with TSval %d ACKed" % (ts + 3))
    finish(p, isn + 21, rcv, ts=(ts + 4, tsval_of(a)))
    expect(0, first + last, "eof")


def xfer_pattern(off, seed=1):
    """tests/xfer.c's pattern(): the bytes `send:N` of a script sends."""
    m = 0xFFFFFFFFFFFFFFFF
    x = (off * 0x9e3779b97f4a7c15 + seed * 0x632be59bd9b4e019) & m
    x ^= x >> 29
    x = (x * 0xbf58476d1ce4e5b9) & m
    x ^= x >> 32
    return x & 0xFF


def cmd_shrink(p):
    isn, total = 3000000, 20000
    rcv = handshake(p, 40030, isn)
    data = bytearray()
    first = p.recv(lambda t: len(bytes(t.payload)) > 0 and t.seq == rcv,
                   what="the first data segment")
    data += bytes(first.payload)
    # acknowledge it alone, with a window that ends before what is in flight
    p.send("A", isn + 1, rcv + len(data), window=500)
    print("conn 0: %d bytes ACKed with a window of 500: the right edge moved left" % len(data))
    segs = p.quiet(1.5)
    no_rst(segs, "a shrunk window")
    beyond = [t for t in segs if len(bytes(t.payload)) and
              (t.seq - rcv) & 0xFFFFFFFF > 0x10000000]
    if beyond:
        raise Fail("the server sent below the acknowledged data: seq %d" % beyond[0].seq)
    print("conn 0: 1.5 s with the small window: %d segments, no RST" % len(segs))
    # open up again and take the rest in order
    end = time.time() + 30
    ooo = {t.seq: bytes(t.payload) for t in segs if len(bytes(t.payload))}
    while len(data) < total:
        nxt = (rcv + len(data)) & 0xFFFFFFFF
        while nxt in ooo:
            chunk = ooo.pop(nxt)
            data += chunk
            nxt = (rcv + len(data)) & 0xFFFFFFFF
        if len(data) >= total:
            break
        p.send("A", isn + 1, rcv + len(data))
        if time.time() > end:
            raise Fail("only %d of %d bytes after the window opened" % (len(data), total))
        for t in p.quiet(0.3):
            pl = bytes(t.payload)
            if "R" in flags(t):
                raise Fail("the server reset the connection")
            if pl:
                off = (t.seq - rcv) & 0xFFFFFFFF
                if off <= len(data) < off + len(pl):
                    pl = pl[len(data) - off:]
                    ooo[(rcv + len(data)) & 0xFFFFFFFF] = pl
                elif off > len(data) and off < total:
                    ooo[t.seq] = pl
    data = bytes(data[:total])
    bad = next((i for i, b in enumerate(data) if b != xfer_pattern(i)), None)
    if bad is not None:
        raise Fail("byte %d differs from the pattern the server sent" % bad)
    print("conn 0: the window opened again: all %d bytes, in order" % total)
    finish(p, isn + 1, rcv + total)
    print("conn 0: closed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["rst", "olddup", "paws", "shrink"])
    ap.add_argument("--iface", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--dport", type=int, required=True)
    args = ap.parse_args()
    conf.verb = 0
    p = Peer(args)
    try:
        {"rst": cmd_rst, "olddup": cmd_olddup, "paws": cmd_paws,
         "shrink": cmd_shrink}[args.cmd](p)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        p.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
