# shellcheck shell=bash
# Topology and helpers of the over-the-wire tests (tests/cases/wire.sh).
#
#        netns $WIRE_A                               netns $WIRE_B
#   +------------------------+                 +------------------------+
#   | lo  127.0.0.1          |                 | lo  127.0.0.1          |
#   | wa  10.77.0.1/24  o====|===== veth ======|====o  wb  10.77.0.2/24 |
#   |                        |                 |                        |
#   | nft table inet wire:   |                 | nft table inet wire:   |
#   |   pre (prerouting,-300)|                 |   pre (prerouting,-300)|
#   |   out (output, -300)   |                 |   out (output, -300)   |
#   +------------------------+                 +------------------------+
#     clients, scapy peers                       servers; the loopback cases
#                                                run client and server here
#
# Drop rules go in "pre", at raw priority, so they act before conntrack and
# before any LOCAL_IN hook (xtcp's included) sees the segment.
#
# A case calls wire_setup, which installs wire_cleanup as its EXIT trap (each
# case runs in its own subshell): background programs are killed and the
# namespaces deleted however the case ends.
#
# Modes: XTCP_TEST_FAMILY=inet makes every "xtcp" end AF_INET (Linux TCP); the
# socket table read for those ends is then /proc/net/tcp instead of /proc/net/xtcp.

WIRE_ADDR_A=10.77.0.1
WIRE_ADDR_B=10.77.0.2
WIRE_PY=${WIRE_PY:-/usr/bin/python3}
WIRE_SCAPY=$(cd "$(dirname "${BASH_SOURCE[0]}")/../scapy" && pwd)
WIRE_XFER=${bin:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin}/xfer

if [ "${XTCP_TEST_FAMILY:-xtcp}" = inet ]; then
	WIRE_INET=1
	WIRE_XTABLE=tcp
else
	WIRE_INET=0
	WIRE_XTABLE=xtcp
fi

# The table listing the sockets of family $1 (xtcp|inet).
wire_table_name() {
	if [ "$1" = inet ]; then echo tcp; else echo "$WIRE_XTABLE"; fi
}

wire_ms() { date +%s%3N; }

wire_setup() {
	local n
	for m in veth nf_tables nft_ct nf_conntrack; do
		modprobe -q "$m" 2>/dev/null || true
	done
	WIRE_A=xwa$$ WIRE_B=xwb$$
	WIRE_TMP=$(mktemp -d /tmp/wire.XXXXXX)
	export XFER_SYNC=$WIRE_TMP
	WIRE_SEEN=$WIRE_TMP/seen
	: >"$WIRE_SEEN"
	trap wire_cleanup EXIT
	ip netns add "$WIRE_A" || return 1
	ip netns add "$WIRE_B" || return 1
	ip link add wa netns "$WIRE_A" type veth peer name wb netns "$WIRE_B" || return 1
	ip -n "$WIRE_A" addr add "$WIRE_ADDR_A/24" dev wa
	ip -n "$WIRE_B" addr add "$WIRE_ADDR_B/24" dev wb
	for n in "$WIRE_A" "$WIRE_B"; do
		ip -n "$n" link set lo up
		ip -n "$n" link set "$([ "$n" = "$WIRE_A" ] && echo wa || echo wb)" up
		ip netns exec "$n" nft -f - <<-EOF || return 1
		add table inet wire
		add chain inet wire pre { type filter hook prerouting priority -300; }
		add chain inet wire out { type filter hook output priority -300; }
		EOF
	done 2>&1
	# A process parked in each namespace: /proc/PID/net/ is that namespace's view.
	ip netns exec "$WIRE_A" sleep 100000 >/dev/null 2>&1 &
	WIRE_HOLD_A=$!
	ip netns exec "$WIRE_B" sleep 100000 >/dev/null 2>&1 &
	WIRE_HOLD_B=$!
	wire_poll 5 "veth up and the namespaces entered" wire_ready || return 1
	if [ "${1:-}" != nowatch ]; then
		wire_bg watch_a a "$WIRE_XFER" watch "/proc/net/$WIRE_XTABLE"
		wire_bg watch_b b "$WIRE_XFER" watch "/proc/net/$WIRE_XTABLE"
	fi
}

wire_ready() {
	[ -r "/proc/$WIRE_HOLD_A/net/tcp" ] && [ -r "/proc/$WIRE_HOLD_B/net/tcp" ] &&
		[ "$(readlink /proc/$WIRE_HOLD_A/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
		[ "$(readlink /proc/$WIRE_HOLD_B/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
		ip -n "$WIRE_A" link show wa | grep -q LOWER_UP &&
		ip -n "$WIRE_B" link show wb | grep -q LOWER_UP
}

wire_cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "$WIRE_A" 2>/dev/null || true
	ip netns del "$WIRE_B" 2>/dev/null || true
	rm -rf "$WIRE_TMP"
}

wire_ns() { if [ "$1" = a ]; then echo "$WIRE_A"; else echo "$WIRE_B"; fi; }
# Run a command in namespace a or b.
in_ns() { local ns; ns=$(wire_ns "$1"); shift; ip netns exec "$ns" "$@"; }
wire_nft() { local ns; ns=$(wire_ns "$1"); shift; ip netns exec "$ns" nft "$@"; }

# Poll: wire_poll SECONDS WHAT CMD... until CMD succeeds; fails saying WHAT.
wire_poll() {
	local secs=$1 what=$2 end
	shift 2
	end=$(( $(wire_ms) + secs * 1000 ))
	until "$@"; do
		if [ "$(wire_ms)" -gt "$end" ]; then
			echo "timed out after ${secs}s waiting for: $what" >&2
			return 1
		fi
		sleep 0.02
	done
}

# Background program: wire_bg NAME a|b CMD... (output in $WIRE_TMP/NAME.out)
wire_bg() {
	local name=$1 ns
	ns=$(wire_ns "$2")
	shift 2
	ip netns exec "$ns" "$@" >"$WIRE_TMP/$name.out" 2>&1 &
	echo $! >"$WIRE_TMP/$name.pid"
}

# Wait for a background program to exit and return its status; its output is
# shown when it failed.
wire_wait() {
	local name=$1 pid rc=0
	pid=$(cat "$WIRE_TMP/$name.pid")
	wait "$pid" || rc=$?
	[ "$rc" = 0 ] || { echo "$name exited $rc:" >&2; sed 's/^/  /' "$WIRE_TMP/$name.out" >&2; }
	return "$rc"
}

wire_kill() {
	kill "$(cat "$WIRE_TMP/$1.pid")" 2>/dev/null || true
	wait "$(cat "$WIRE_TMP/$1.pid")" 2>/dev/null || true
}
wire_out() { cat "$WIRE_TMP/$1.out"; }
wire_alive() { kill -0 "$(cat "$WIRE_TMP/$1.pid")" 2>/dev/null; }

# wire_line NAME TEXT [SECONDS]: wait for TEXT in NAME's output (or its death).
wire_has_line() { grep -q -- "$2" "$WIRE_TMP/$1.out"; }
wire_line() {
	local name=$1 text=$2 secs=${3:-20} end
	end=$(( $(wire_ms) + secs * 1000 ))
	until wire_has_line "$name" "$text"; do
		if ! wire_alive "$name" && ! wire_has_line "$name" "$text"; then
			echo "$name ended without saying '$text':" >&2
			sed 's/^/  /' "$WIRE_TMP/$name.out" >&2
			return 1
		fi
		if [ "$(wire_ms)" -gt "$end" ]; then
			echo "$name did not say '$text' in ${secs}s:" >&2
			sed 's/^/  /' "$WIRE_TMP/$name.out" >&2
			return 1
		fi
		sleep 0.02
	done
}

wire_go() { touch "$WIRE_TMP/$1"; }

# Socket table ----------------------------------------------------------------

WIRE_STATE_NAMES=(x ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE
	CLOSE_WAIT LAST_ACK LISTEN CLOSING)

wire_state_code() { # name -> hex code
	local i
	for i in "${!WIRE_STATE_NAMES[@]}"; do
		[ "${WIRE_STATE_NAMES[i]}" = "$1" ] && { printf '%02X\n' "$i"; return; }
	done
	echo "unknown state $1" >&2
	return 1
}

wire_table_path() { # a|b xtcp|inet
	local pid
	pid=$([ "$1" = a ] && echo "$WIRE_HOLD_A" || echo "$WIRE_HOLD_B")
	echo "/proc/$pid/net/$(wire_table_name "$2")"
}

# The states (hex) of the sockets of family F in namespace NS with local port
# LPORT and remote port RPORT ("*": any): wire_states NS F LPORT RPORT
wire_states() {
	awk -v lp="$(printf %04X "$3")" -v rp="$([ "$4" = '*' ] && echo '*' || printf %04X "$4")" \
		'NR > 1 { split($2, l, ":"); split($3, r, ":");
			  if (l[2] == lp && (rp == "*" || r[2] == rp)) print toupper($4) }' \
		"$(wire_table_path "$1" "$2")"
}

wire_in_state() { wire_states "$1" "$2" "$3" "$4" | grep -qx "$5"; }

# wire_state NS F LPORT RPORT STATE_NAME [SECONDS]: wait for the socket to be in
# that state, and note the state as reached when F is the xtcp end.
wire_state() {
	local code
	code=$(wire_state_code "$5") || return 1
	if ! wire_poll "${6:-10}" "$5 on $1 $3->$4 ($2)" wire_in_state "$1" "$2" "$3" "$4" "$code"; then
		echo "  table of $1 for port $3: $(wire_states "$1" "$2" "$3" '*' | tr '\n' ' ')" >&2
		return 1
	fi
	[ "$2" = inet ] && [ "$WIRE_INET" = 0 ] || echo "$5" >>"$WIRE_SEEN"
}

wire_no_socket() { [ -z "$(wire_states "$1" "$2" "$3" "$4")" ]; }
# wire_gone NS F LPORT RPORT [SECONDS]
wire_gone() {
	wire_poll "${5:-10}" "no socket on $1 $3->$4 ($2)" wire_no_socket "$1" "$2" "$3" "$4" || {
		echo "  still there: $(wire_states "$1" "$2" "$3" "$4" | tr '\n' ' ')" >&2
		return 1
	}
}

# Count of table lines in state CODE (hex) in namespace NS for family F.
wire_count_state() {
	awk -v st="$3" 'NR > 1 && toupper($4) == st { n++ } END { print n + 0 }' \
		"$(wire_table_path "$1" "$2")"
}
wire_count_all() {
	awk 'NR > 1 { n++ } END { print n + 0 }' "$(wire_table_path "$1" "$2")"
}

# The "sockets" column of /proc/net/protocols for family F in namespace NS.
wire_proto_sockets() {
	local pid name
	pid=$([ "$1" = a ] && echo "$WIRE_HOLD_A" || echo "$WIRE_HOLD_B")
	name=$([ "$2" = inet ] || [ "$WIRE_INET" = 1 ] && echo TCP || echo XTCP)
	awk -v p="$name" '$1 == p { print $3 }' "/proc/$pid/net/protocols"
}

# States the watchers and the checks saw for the xtcp ends, one per line.
wire_seen_states() {
	cat "$WIRE_SEEN" "$WIRE_TMP"/watch_*.out 2>/dev/null | grep -E '^[A-Z_0-9]+$' | sort -u
}

# Sysctls ---------------------------------------------------------------------

# wire_sysctl NS NAME VALUE: an xtcp sysctl, or its Linux twin in inet mode.
# Returns 2 when Linux has no such knob.
wire_sysctl() {
	local ns=$1 name=$2 val=$3 path
	if [ "$WIRE_INET" = 1 ]; then
		case "$name" in
		syn_retries) path=/proc/sys/net/ipv4/tcp_syn_retries ;;
		max_tw_buckets) path=/proc/sys/net/ipv4/tcp_max_tw_buckets ;;
		rfc1337) path=/proc/sys/net/ipv4/tcp_rfc1337 ;;
		*) return 2 ;;
		esac
	else
		path=/proc/sys/net/xtcp/$name
	fi
	in_ns "$ns" sh -c "echo $val >$path" || { echo "cannot set $path to $val in $ns" >&2; return 1; }
}

# nft -------------------------------------------------------------------------

# wire_rule NS CHAIN RULE...: add a rule to table inet wire, print its handle.
wire_rule() {
	local ns=$1 chain=$2 out
	shift 2
	out=$(wire_nft "$ns" --echo --handle add rule inet wire "$chain" "$@") || return 1
	echo "$out" | sed -n 's/.*# handle \([0-9]*\).*/\1/p' | tail -n 1
}
wire_unrule() { wire_nft "$1" delete rule inet wire "$2" handle "$3"; }
# Packets counted by the rule with handle H: wire_counter NS CHAIN H
wire_counter() {
	wire_nft "$1" -a list chain inet wire "$2" |
		awk -v h="$3" '$NF == h && $(NF-1) == "handle" {
			for (i = 1; i < NF; i++) if ($i == "packets") print $(i+1) }'
}

# Skip in inet mode (Linux lacks what is needed), saying why; a case calling it
# is optional in inet mode and mandatory with xtcp.
wire_inet_skip() {
	[ "$WIRE_INET" = 1 ] || return 1
	echo "skip: $*"
}
