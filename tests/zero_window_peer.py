#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile peer that keeps its window shut and answers every probe.

    zero_window_peer.py SRC DST PORT COUNT SECS

Opens COUNT connections from raw IP sockets, to the listeners on DST:PORT,
DST:PORT+1, ...: from its SYN on, it advertises a zero window and keeps it
so, answering every segment of the listener's (zero-window probes, or
text it will not take) with an ACK of what it has (nothing) and window 0, as
a receiver that never reads does (RFC 9293 3.8.6.1). The listener's
program writes and closes: its connection is an orphan that probes for as
long as its stack lets it. For SECS seconds it answers, then prints a line
per connection,

    conn I: segments N answered N last T s reset yes|no

(T: seconds from the handshake to the last segment seen), and exits 0.

The kernel of the sender's namespace knows nothing of the connections and
would answer the listener's segments with RSTs: the caller drops them.
"""
import argparse
import select
import sys
import time

from tiny_segments import ACK, RST, Peer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("port", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("secs", type=float)
    args = ap.parse_args()
    peers = []
    for i in range(args.count):
        a = argparse.Namespace(src=args.src, dst=args.dst, dport=args.port + i)
        p = Peer(a)
        p.wnd = 0	# shut from the SYN on
        p.handshake()
        p.n = p.answered = 0
        p.last, p.reset = 0.0, False
        peers.append(p)
    print("%d connections open, windows shut" % len(peers), flush=True)
    start = time.monotonic()
    socks = {p.s: p for p in peers}
    while time.monotonic() - start < args.secs:
        ready, _, _ = select.select(list(socks), [], [], 1.0)
        for s in ready:
            p = socks[s]
            for flags, seq, ack, win in p.segments(0):
                p.n += 1
                p.last = time.monotonic() - start
                if flags & RST:
                    p.reset = True
                    continue
                p.send(ACK, p.isn + 1)
                p.answered += 1
    for i, p in enumerate(peers):
        print("conn %d: segments %d answered %d last %.1f s reset %s" %
              (i, p.n, p.answered, p.last, "yes" if p.reset else "no"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
