# shellcheck shell=bash
# Hostile peers (issue #14): what a peer that follows the protocol's letter
# but not its spirit can make a listener hold. Each case runs Linux TCP and
# xtcp in the same guest, one after the other, prints both figures and holds
# xtcp to Linux's within a small factor. Sourced by tests/run; the topology is
# tests/lib/netns.sh's.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"

HOSTILE_TINY=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tiny_segments.py
# The debug kernel (XTCP_WIRE_LIGHT) takes each segment many times slower:
# fewer segments there, still many times what the receive buffer holds as
# separate skbs.
if [ -n "${XTCP_WIRE_LIGHT:-}" ]; then
	HOSTILE_TINY_N=6000
else
	HOSTILE_TINY_N=30000
fi

# The kernel's Slab figure in KiB, into HOSTILE_SLAB.
hostile_slab() {
	local k v _
	while read -r k v _; do
		[ "$k" = Slab: ] && { HOSTILE_SLAB=$v; return 0; }
	done </proc/meminfo
	fail "no Slab in /proc/meminfo"
}

# hostile_tiny FAMILY PORT N [STEP...]: the listener of FAMILY (inet|xtcp),
# set up with xfer's script STEPs, accepts and does not read while the peer
# sends N one-byte segments; then
# it reads them all and checks each byte. Sets HOSTILE_GROWTH (slab growth in
# KiB while the data sat unread) and HOSTILE_PEER (the peer's summary line:
# the socket's peak rmem_alloc against its rcvbuf).
hostile_tiny() {
	local fam=$1 port=$2 n=$3 probe s0 re
	shift 3
	wire_bg "srv$port" b "$WIRE_XFER" script --family "$fam" "$@" bind:"$port" \
		listen say:listening accept say:accepted wait:"go$port" recv:"$n" \
		say:read linger0 close
	wire_line "srv$port" listening || return 1
	if [ "$fam" = inet ] || [ "$WIRE_INET" = 1 ]; then
		probe=(--ss-netns "$WIRE_B")
	else
		probe=(--xtcp-sockets "/proc/$WIRE_HOLD_B/net/xtcp_sockets")
	fi
	hostile_slab || return 1
	s0=$HOSTILE_SLAB
	in_ns a "$WIRE_PY" "$HOSTILE_TINY" "$WIRE_ADDR_A" "$WIRE_ADDR_B" "$port" \
		"$n" "${probe[@]}" --every "$((n / 15 + 1))" >"$WIRE_TMP/tiny$port.out" 2>&1 ||
		{ sed 's/^/  /' "$WIRE_TMP/tiny$port.out" >&2; fail "$fam: the peer failed"; return 1; }
	hostile_slab || return 1
	HOSTILE_GROWTH=$((HOSTILE_SLAB - s0))
	HOSTILE_PEER=$(tail -n 1 "$WIRE_TMP/tiny$port.out")
	grep -E '^(sample|probe)' "$WIRE_TMP/tiny$port.out" | sed "s/^/$fam: /"
	wire_line "srv$port" accepted || return 1
	# nothing lost: the reader gets every byte, each the pattern's
	wire_go "go$port"
	wire_line "srv$port" read 120 || fail "$fam: the data did not read back whole" || return 1
	wire_wait "srv$port" || return 1
	re='^sent ([0-9]+) acked ([0-9]+) peak rmem ([0-9]+) rcvbuf ([0-9]+) over_rcvbuf ([0-9]+) samples ([1-9][0-9]*)'
	[[ $HOSTILE_PEER =~ $re ]] ||
		fail "$fam: no socket memory sampled; the peer said '$HOSTILE_PEER'" || return 1
	echo "$fam: $n one-byte segments acknowledged and read back whole;" \
		"slab +$HOSTILE_GROWTH KiB; peak rmem_alloc ${BASH_REMATCH[3]} (rcvbuf ${BASH_REMATCH[4]})"
	HOSTILE_OVER=${BASH_REMATCH[5]} HOSTILE_RMEM=${BASH_REMATCH[3]}
}

# One-byte segments in order, inside the advertised window, to a listener
# whose application never reads: each would cost a whole sk_buff (~0.7 KiB
# for a byte) if queued as it came. Linux TCP merges them into the receive
# queue's tail (tcp_try_coalesce()) and collapses or drops what outgrows the
# receive buffer (tcp_prune_queue()); xtcp must hold the same bound: its slab
# growth within 4 times Linux's (plus 1 MiB for the noise of a shared
# kernel), its peak rmem_alloc within twice Linux's (plus 64 KiB), never above
# rcvbuf when sampled, and every byte read back. (Linux's own rmem_alloc may
# pass its rcvbuf by an skb: tcp_data_queue() checks before it adds.)
case_hostile_tiny_segments() {
	local lin xt limit lin_over lin_rmem
	wire_setup nowatch || return 1
	# ss -m reads Linux TCP's socket memory through inet_diag (a module in
	# Debian's kernel, built in in the debug one)
	modprobe -q tcp_diag 2>/dev/null || true
	# the sender's kernel knows no such connection: its RSTs must not go out
	wire_rule a out ip ttl 64 tcp flags '&' rst == rst drop >/dev/null || return 1
	echo "$HOSTILE_TINY_N one-byte segments to a listener that does not read"
	hostile_tiny inet 7801 "$HOSTILE_TINY_N" || return 1
	lin=$HOSTILE_GROWTH lin_over=$HOSTILE_OVER lin_rmem=$HOSTILE_RMEM
	hostile_tiny xtcp 7802 "$HOSTILE_TINY_N" || return 1
	xt=$HOSTILE_GROWTH
	[ "$lin" -gt 0 ] || lin=0
	limit=$((4 * lin + 1024))
	echo "slab growth: Linux TCP +$lin KiB, xtcp +$xt KiB" \
		"(ratio $(awk -v a="$xt" -v b="$lin" 'BEGIN { printf "%.1f", (b > 0 ? a / b : a) }'));" \
		"limit $limit KiB"
	echo "samples with rmem_alloc above rcvbuf: Linux TCP $lin_over, xtcp $HOSTILE_OVER"
	echo "peak rmem_alloc: Linux TCP $lin_rmem, xtcp $HOSTILE_RMEM"
	if ! wire_inet_skip "rmem_alloc within rcvbuf: Linux TCP may pass it by an skb" \
		"(tcp_data_queue() checks before it adds); the strict bound is xtcp's"; then
		[ "$HOSTILE_OVER" = 0 ] ||
			fail "xtcp: rmem_alloc above rcvbuf in $HOSTILE_OVER samples" || return 1
	fi
	[ "$HOSTILE_RMEM" -le $((2 * lin_rmem + 65536)) ] ||
		fail "xtcp's rmem_alloc peaked at $HOSTILE_RMEM, Linux TCP's at $lin_rmem" || return 1
	[ "$xt" -le "$limit" ] || fail "xtcp's slab grew $xt KiB, over $limit KiB (Linux: $lin KiB)"
}

# The same with a receive buffer the program fixed small (SO_RCVBUF 4096: 8 KiB),
# so that it cannot grow: xtcp's merged skbs, each some hundred bytes of text
# in a truesize of ~0.75 KiB, outgrow it, and the queue must be collapsed into
# compact skbs (tcp_collapse(): TCPRcvCollapsed) rather than text dropped.
# Every byte must still arrive and read back, rmem_alloc stay within rcvbuf.
# (Linux TCP, printed beside, mostly gets by without: its window, held to
# rcv_ssthresh, lets less in at a time, and its rmem_alloc may pass rcvbuf by
# an skb.)
case_hostile_tiny_segments_small_rcvbuf() {
	local n=1500 fam port c0 lin_c
	wire_setup nowatch || return 1
	modprobe -q tcp_diag 2>/dev/null || true
	wire_rule a out ip ttl 64 tcp flags '&' rst == rst drop >/dev/null || return 1
	echo "$n one-byte segments to a listener with SO_RCVBUF 4096 that does not read"
	port=7810
	for fam in inet xtcp; do
		port=$((port + 1))
		wire_snmp b "$fam" TCPRcvCollapsed || return 1
		c0=$WIRE_VAL
		hostile_tiny "$fam" "$port" "$n" rcvbuf:4096 || return 1
		wire_snmp b "$fam" TCPRcvCollapsed || return 1
		echo "$fam: TCPRcvCollapsed +$((WIRE_VAL - c0)), rmem_alloc above rcvbuf in" \
			"$HOSTILE_OVER samples"
		[ "$fam" = inet ] && { lin_c=$((WIRE_VAL - c0)); continue; }
		wire_inet_skip "collapse and rmem_alloc within rcvbuf are xtcp's: Linux TCP's" \
			"window lets less in and its rmem_alloc may pass rcvbuf by an skb" && return 0
		[ "$HOSTILE_OVER" = 0 ] ||
			fail "xtcp: rmem_alloc above rcvbuf in $HOSTILE_OVER samples" || return 1
		[ "$((WIRE_VAL - c0))" -gt 0 ] ||
			fail "xtcp collapsed nothing (Linux TCP: +$lin_c)" || return 1
	done
}

# A SYN to the limited broadcast address, in a unicast frame to the
# listener's host, gets no connection: tcp_v4_conn_request() drops a SYN whose
# route is broadcast or multicast (ListenDrops). A SYN to the host's own
# address, sent the same way, is the control: answered. (A SYN+ACK from
# 255.255.255.255 could not be routed anyway; the count shows the SYN was
# refused, not a child made that could never answer.)
case_hostile_broadcast_syn() {
	local fam port=7901 d0 mac
	wire_setup nowatch || return 1
	mac=$(in_ns b cat /sys/class/net/wb/address) || return 1
	for fam in inet xtcp; do
		port=$((port + 1))
		wire_bg "bl$port" b "$WIRE_XFER" script --family "$fam" bind:"$port" \
			listen say:listening hold
		wire_line "bl$port" listening || return 1
		wire_snmp b "$fam" ListenDrops || return 1
		d0=$WIRE_VAL
		in_ns a "$WIRE_PY" "$here/bcast_syn.py" wa "$mac" "$WIRE_ADDR_A" \
			"$WIRE_ADDR_B" "$port" | sed "s/^/$fam: /" ||
			fail "$fam: a SYN went as it should not" || return 1
		wire_snmp b "$fam" ListenDrops || return 1
		echo "$fam: ListenDrops +$((WIRE_VAL - d0))"
		[ "$((WIRE_VAL - d0))" -ge 1 ] ||
			fail "$fam: the broadcast SYN was not dropped by the listener" || return 1
		wire_kill "bl$port"
	done
}
