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
WIRE_SCAPY=$(cd "${BASH_SOURCE[0]%/*}/../scapy" && pwd)
WIRE_XFER=${bin:-$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)/bin}/xfer
# The bound of the waits for a namespace pair to be ready (wire_setup): 20 s,
# times XTCP_TIMEOUT_SCALE (3 in the debug kernel).
WIRE_SETUP_SECS=$((20 * ${XTCP_TIMEOUT_SCALE:-1}))

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

# Every process costs 0.1-0.3 s in the TCG guest (the root is 9p), and up to
# a second or two in the debug kernel's: the helpers below poll with bash
# builtins only (EPOCHREALTIME, read, mapfile, [[ ]]), and read a /proc table
# in one go with mapfile: read line by line, bash seeks back after each line
# and the kernel walks xtcp's tables again from the start.

# Milliseconds now, into WIRE_NOW (no fork).
wire_now() { WIRE_NOW=$(( ${EPOCHREALTIME/./} / 1000 )); }
wire_ms() { wire_now; echo "$WIRE_NOW"; }
# A sleep without a process: bash's loadable sleep where bash-builtins is
# installed, else the sleep program (not read -t on a FIFO: see nap() in
# tests/run).
enable -f /usr/lib/bash/sleep sleep 2>/dev/null || true
wire_sleep() { sleep "$1"; }

wire_setup() {
	local m
	# Once a run (tests/run's run_tmp): a module built into the kernel has no
	# /sys/module entry, and modprobe would be started for it in every case.
	if [ ! -e "${run_tmp:-/nonexistent}/wire-modules" ]; then
		for m in veth nf_tables nft_ct nf_conntrack; do
			[ -d "/sys/module/$m" ] || modprobe -q "$m" 2>/dev/null || true
		done
		[ -z "${run_tmp:-}" ] || : >"$run_tmp/wire-modules"
	fi
	WIRE_A=xwa$$ WIRE_B=xwb$$
	wire_now
	WIRE_T0=$WIRE_NOW
	WIRE_TMP=/tmp/wire.$BASHPID
	declare -gA WIRE_PID=()
	trap wire_cleanup EXIT
	mkdir -p "$WIRE_TMP" || return 1
	export XFER_SYNC=$WIRE_TMP
	WIRE_SEEN=$WIRE_TMP/seen
	: >"$WIRE_SEEN"
	ip netns add "$WIRE_A" || return 1
	ip netns add "$WIRE_B" || return 1
	ip link add wa netns "$WIRE_A" type veth peer name wb netns "$WIRE_B" || return 1
	ip -n "$WIRE_A" -b - <<-EOF || return 1
	addr add $WIRE_ADDR_A/24 dev wa
	link set lo up
	link set wa up
	EOF
	ip -n "$WIRE_B" -b - <<-EOF || return 1
	addr add $WIRE_ADDR_B/24 dev wb
	link set lo up
	link set wb up
	EOF
	for m in a b; do
		in_ns $m nft -f - <<-EOF || return 1
		add table inet wire
		add chain inet wire pre { type filter hook prerouting priority -300; }
		add chain inet wire out { type filter hook output priority -300; }
		EOF
	done
	# A program parked in each namespace: /proc/PID/net/ is that namespace's
	# view. It is the state watcher unless the case asks for none.
	if [ "${1:-}" = nowatch ]; then
		wire_bg watch_a a "$WIRE_XFER" hold
		wire_bg watch_b b "$WIRE_XFER" hold
	else
		wire_bg watch_a a "$WIRE_XFER" watch "/proc/net/$WIRE_XTABLE"
		wire_bg watch_b b "$WIRE_XFER" watch "/proc/net/$WIRE_XTABLE"
	fi
	WIRE_HOLD_A=${WIRE_PID[watch_a]} WIRE_HOLD_B=${WIRE_PID[watch_b]}
	# Waits, not measurements: they end as soon as the condition holds.
	# A CI run's debug guest, beside two others on two cores, took over 5 s
	# to start the two programs (ip netns exec, then the program over 9p).
	wire_poll "$WIRE_SETUP_SECS" "both namespaces entered" wire_entered || return 1
	wire_poll "$WIRE_SETUP_SECS" "veth up" wire_link_up || return 1
}

# Permanent neighbour entries on both ends of the veth: with netem dropping
# frames, three lost ARP probes fail the neighbour and the connect with
# EHOSTUNREACH, on either stack; the cases that lose frames test TCP, not ARP.
wire_static_neigh() {
	local mac_a mac_b
	mac_a=$(ip -n "$WIRE_A" -o link show wa | grep -o 'link/ether [0-9a-f:]*') || return 1
	mac_b=$(ip -n "$WIRE_B" -o link show wb | grep -o 'link/ether [0-9a-f:]*') || return 1
	ip -n "$WIRE_A" neigh replace "$WIRE_ADDR_B" lladdr "${mac_b#link/ether }" dev wa nud permanent &&
		ip -n "$WIRE_B" neigh replace "$WIRE_ADDR_A" lladdr "${mac_a#link/ether }" dev wb nud permanent
}

# (-ef: the same namespace, same device and inode, with no readlink to start)
wire_entered() {
	local a=/proc/$WIRE_HOLD_A/ns/net b=/proc/$WIRE_HOLD_B/ns/net
	[ -e "$a" ] && [ -e "$b" ] && ! [ "$a" -ef /proc/self/ns/net ] && ! [ "$b" -ef /proc/self/ns/net ]
}
# The carrier of wa, read in the sysfs that the `ip netns exec` of the program
# parked in a mounted for it (a's own); ip -n until that is there.
wire_link_up() {
	local c out
	if { read -r c <"/proc/$WIRE_HOLD_A/root/sys/class/net/wa/carrier"; } 2>/dev/null; then
		[ "$c" = 1 ]
		return
	fi
	out=$(ip -n "$WIRE_A" -o link show wa)
	[[ $out == *LOWER_UP* ]]
}

# Whether namespace $1 (a|b) has an xtcp socket still closing (in a state
# other than TIME_WAIT, CLOSE and LISTEN): read through the program parked
# there, or with ip netns exec once that is gone.
wire_closing() {
	local pid=${WIRE_HOLD_B:-} ns=$WIRE_B line sl l r st rest
	local -a lines=()
	[ "$1" = a ] && pid=${WIRE_HOLD_A:-} ns=$WIRE_A
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
		{ mapfile -t lines <"/proc/$pid/net/xtcp"; } 2>/dev/null; then
		for line in "${lines[@]:1}"; do
			read -r sl l r st rest <<<"$line"
			case ${st^^} in 06|07|0A) ;; *) return 0 ;; esac
		done
		return 1
	fi
	ip netns exec "$ns" awk 'NR > 1 && $4 !~ /^(06|07|0A)$/ { b = 1 } END { exit !b }' \
		/proc/net/xtcp 2>/dev/null
}

# Let closing connections finish before their namespaces go: a peer whose
# namespace is deleted never ACKs a FIN, and the orphan would retransmit it
# for minutes, holding the module. Firewall rules of the case go first, when
# there is a connection to let through.
wire_drain() {
	local ns i
	[ "${WIRE_INET:-0}" = 1 ] && return 0
	wire_closing a || wire_closing b || return 0
	for ns in "$WIRE_A" "$WIRE_B"; do
		ip netns exec "$ns" nft flush ruleset 2>/dev/null || true
	done
	for ((i = 0; i < 40; i++)); do
		wire_closing a || wire_closing b || return 0
		wire_sleep 0.25
	done
	echo "# closing connections still open at cleanup:"
	for ns in "$WIRE_A" "$WIRE_B"; do
		ip netns exec "$ns" cat /proc/net/xtcp 2>/dev/null | sed "s/^/# $ns /"
	done
}

# Background programs are killed, the two parked ones last: wire_drain reads
# the namespaces' tables through them.
wire_cleanup() {
	local p held=" ${WIRE_HOLD_A:-} ${WIRE_HOLD_B:-} " others=()
	for p in "${WIRE_PID[@]}" $(jobs -p); do
		[[ $held == *" $p "* ]] || others+=("$p")
	done
	for p in "${others[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${others[@]}"; do wait "$p" 2>/dev/null || true; done
	# a router a case left blocking lets the closing connections through
	[ -z "${WIRE_R:-}" ] || ip -n "$WIRE_R" route flush type unreachable 2>/dev/null || true
	wire_drain
	for p in "${WIRE_PID[@]}" $(jobs -p); do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	# (one ip for them all)
	printf 'netns del %s\n' "$WIRE_A" "$WIRE_B" ${WIRE_R:+"$WIRE_R"} | ip -force -batch - 2>/dev/null || true
	rm -rf "$WIRE_TMP"
	wire_now
	echo "($((WIRE_NOW - WIRE_T0)) ms)"
}

wire_ns() { if [ "$1" = a ]; then echo "$WIRE_A"; else echo "$WIRE_B"; fi; }
# Run a command in namespace a or b.
in_ns() {
	local ns=$WIRE_B
	[ "$1" = a ] && ns=$WIRE_A
	shift
	ip netns exec "$ns" "$@"
}
wire_nft() { local n=$1; shift; in_ns "$n" nft "$@"; }

# Poll: wire_poll SECONDS WHAT CMD... until CMD succeeds; fails saying WHAT.
# Every 20 ms, or every WIRE_POLL_INTERVAL seconds (a CMD that reads a large
# table costs CPU each time, which TCG takes from the other guests).
wire_poll() {
	local secs=$1 what=$2 end
	shift 2
	wire_now
	end=$((WIRE_NOW + secs * 1000))
	until "$@"; do
		wire_now
		if [ "$WIRE_NOW" -gt "$end" ]; then
			echo "timed out after ${secs}s waiting for: $what" >&2
			return 1
		fi
		wire_sleep "${WIRE_POLL_INTERVAL:-0.02}"
	done
}

# Background program: wire_bg NAME a|b CMD... (output in $WIRE_TMP/NAME.out)
wire_bg() {
	local name=$1 ns=$WIRE_B
	[ "$2" = a ] && ns=$WIRE_A
	shift 2
	# Emptied here, not in the child: a reader must never see the last run's.
	: >"$WIRE_TMP/$name.out"
	# A simple command, so that $! is the program itself (ip execs it).
	ip netns exec "$ns" "$@" >"$WIRE_TMP/$name.out" 2>&1 &
	WIRE_PID[$name]=$!
}

# Wait for a background program to exit and return its status; its output is
# shown when it failed.
wire_wait() {
	local name=$1 rc=0
	wait "${WIRE_PID[$name]}" || rc=$?
	[ "$rc" = 0 ] || { echo "$name exited $rc:" >&2; sed 's/^/  /' "$WIRE_TMP/$name.out" >&2; }
	return "$rc"
}

wire_kill() {
	kill "${WIRE_PID[$1]}" 2>/dev/null || true
	wait "${WIRE_PID[$1]}" 2>/dev/null || true
}
# NAME's output so far, into WIRE_OUT.
# (not read -d '': that reads a byte at a time, a system call each)
wire_read() { WIRE_OUT=$(<"$WIRE_TMP/$1.out") || true; }
wire_out() { wire_read "$1"; printf '%s\n' "$WIRE_OUT"; }
wire_alive() { kill -0 "${WIRE_PID[$1]}" 2>/dev/null; }
wire_has_line() { wire_read "$1"; [[ $WIRE_OUT == *"$2"* ]]; }

# wire_line NAME TEXT [SECONDS]: wait for TEXT in NAME's output (or its death).
wire_line() {
	local name=$1 text=$2 secs=${3:-$((20 * ${XTCP_TIMEOUT_SCALE:-1}))} end
	wire_now
	end=$((WIRE_NOW + secs * 1000))
	until wire_has_line "$name" "$text"; do
		if ! wire_alive "$name" && ! wire_has_line "$name" "$text"; then
			echo "$name ended without saying '$text':" >&2
			sed 's/^/  /' "$WIRE_TMP/$name.out" >&2
			return 1
		fi
		wire_now
		if [ "$WIRE_NOW" -gt "$end" ]; then
			echo "$name did not say '$text' in ${secs}s:" >&2
			sed 's/^/  /' "$WIRE_TMP/$name.out" >&2
			return 1
		fi
		wire_sleep 0.02
	done
}

wire_go() { : >"$WIRE_TMP/$1"; }

# Socket table ----------------------------------------------------------------

WIRE_STATE_NAMES=(x ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE
	CLOSE_WAIT LAST_ACK LISTEN CLOSING)

wire_state_code() { # name -> hex code, into WIRE_CODE
	local i
	for i in "${!WIRE_STATE_NAMES[@]}"; do
		[ "${WIRE_STATE_NAMES[i]}" = "$1" ] && { printf -v WIRE_CODE '%02X' "$i"; return 0; }
	done
	echo "unknown state $1" >&2
	return 1
}

# The table of family $2 (xtcp|inet) as seen in namespace $1, into WIRE_PATH.
wire_path() {
	local pid=$WIRE_HOLD_B
	[ "$1" = a ] && pid=$WIRE_HOLD_A
	WIRE_PATH=/proc/$pid/net/$(wire_table_name "$2")
}
wire_table_path() { wire_path "$1" "$2"; echo "$WIRE_PATH"; }

# The states (hex, space-separated, into WIRE_ST) of the sockets of family F in
# namespace NS with local port LPORT and remote port RPORT ("*": any):
#   wire_states NS F LPORT RPORT
wire_states() {
	local lp rp line sl l r st rest
	local -a lines=()
	printf -v lp %04X "$3"
	rp='*'
	[ "$4" = '*' ] || printf -v rp %04X "$4"
	wire_path "$1" "$2"
	WIRE_ST=
	mapfile -t lines <"$WIRE_PATH"
	for line in "${lines[@]}"; do
		[[ $line == *:"$lp "* ]] || continue
		read -r sl l r st rest <<<"$line"
		[[ $l == *:"$lp" ]] || continue
		[[ $rp == '*' || $r == *:"$rp" ]] || continue
		WIRE_ST+="${st^^} "
	done
}

wire_in_state() { wire_states "$1" "$2" "$3" "$4"; [[ " $WIRE_ST" == *" $5 "* ]]; }

# wire_state NS F LPORT RPORT STATE_NAME [SECONDS]: wait for the socket to be in
# that state, and note the state as reached when F is the xtcp end.
wire_state() {
	wire_state_code "$5" || return 1
	if ! wire_poll "${6:-10}" "$5 on $1 $3->$4 ($2)" wire_in_state "$1" "$2" "$3" "$4" "$WIRE_CODE"; then
		wire_states "$1" "$2" "$3" '*'
		echo "  states on $1 port $3: $WIRE_ST" >&2
		return 1
	fi
	if [ "$2" = xtcp ] || [ "$WIRE_INET" = 1 ]; then echo "$5" >>"$WIRE_SEEN"; fi
}

wire_no_socket() { wire_states "$1" "$2" "$3" "$4"; [ -z "$WIRE_ST" ]; }
# wire_gone NS F LPORT RPORT [SECONDS]
wire_gone() {
	wire_poll "${5:-10}" "no socket on $1 $3->$4 ($2)" wire_no_socket "$1" "$2" "$3" "$4" || {
		echo "  still there: $WIRE_ST" >&2
		return 1
	}
}

# Count of table lines in state CODE (hex) in namespace NS for family F.
wire_count_state() {
	wire_path "$1" "$2"
	awk -v st="$3" 'NR > 1 && toupper($4) == st { n++ } END { print n + 0 }' "$WIRE_PATH"
}
wire_count_all() {
	wire_path "$1" "$2"
	awk 'NR > 1 { n++ } END { print n + 0 }' "$WIRE_PATH"
}

# The "sockets" column of /proc/net/protocols for family F in namespace NS.
wire_proto_sockets() {
	local pid=$WIRE_HOLD_B name=XTCP p n rest
	[ "$1" = a ] && pid=$WIRE_HOLD_A
	{ [ "$2" = inet ] || [ "$WIRE_INET" = 1 ]; } && name=TCP
	while read -r p _ n rest; do
		[ "$p" = "$name" ] && { echo "$n"; return 0; }
	done <"/proc/$pid/net/protocols"
	echo "no $name line in /proc/net/protocols" >&2
	return 1
}

# States the watchers and the checks saw for the xtcp ends, in C-locale order,
# each followed by a space, into WIRE_SEEN_LIST.
WIRE_STATES_SORTED=(CLOSE CLOSE_WAIT CLOSING ESTABLISHED FIN_WAIT1 FIN_WAIT2 LAST_ACK
	LISTEN SYN_RECV SYN_SENT TIME_WAIT)
wire_seen_states() {
	local f s
	local -a lines=()
	local -A seen=()
	for f in "$WIRE_SEEN" "$WIRE_TMP"/watch_*.out; do
		{ mapfile -t lines <"$f"; } 2>/dev/null || continue
		for s in "${lines[@]}"; do seen[$s]=1; done
	done
	WIRE_SEEN_LIST=
	for s in "${WIRE_STATES_SORTED[@]}"; do
		[ -z "${seen[$s]:-}" ] || WIRE_SEEN_LIST+="$s "
	done
}

# Sysctls ---------------------------------------------------------------------

# Counter NAME of namespace NS (a|b) for family F, into WIRE_VAL: xtcp's own
# (/proc/net/xtcp_snmp), or Linux TCP's twin in /proc/net/netstat. Bash
# builtins only, through the namespace's parked program. (bash reads a file in
# chunks and seeks back: a counter that changes length between two chunks
# shifts the lines, so a read whose lines do not pair up is read again.)
wire_snmp() {
	local ns=$1 f=$2 name=$3 pid=$WIRE_HOLD_B file names vals i try ok
	[ "$ns" = a ] && pid=$WIRE_HOLD_A
	file=/proc/$pid/net/xtcp_snmp
	{ [ "$f" = inet ] || [ "$WIRE_INET" = 1 ]; } && file=/proc/$pid/net/netstat
	for try in 1 2 3 4 5; do
		WIRE_VAL= ok=1
		while read -r -a names && read -r -a vals; do
			[ "${#names[@]}" = "${#vals[@]}" ] && [ "${names[0]}" = "${vals[0]}" ] ||
				{ ok=; break; }
			for i in "${!names[@]}"; do
				[ "${names[i]}" = "$name" ] && WIRE_VAL=${vals[i]}
			done
		done <"$file"
		[ -n "$ok" ] && break
	done
	[ -n "$WIRE_VAL" ] || fail "no $name in $file" || return 1
}

# wire_sysctl NS NAME VALUE: an xtcp sysctl, or its Linux twin in inet mode.
# Returns 2 when Linux has no such knob.
wire_sysctl() {
	local ns=$1 name=$2 val=$3 path
	if [ "$WIRE_INET" = 1 ]; then
		case "$name" in
		syn_retries) path=/proc/sys/net/ipv4/tcp_syn_retries ;;
		max_tw_buckets) path=/proc/sys/net/ipv4/tcp_max_tw_buckets ;;
		rfc1337) path=/proc/sys/net/ipv4/tcp_rfc1337 ;;
		challenge_ack_limit) path=/proc/sys/net/ipv4/tcp_challenge_ack_limit ;;
		tw_reuse) path=/proc/sys/net/ipv4/tcp_tw_reuse ;;
		keepalive_*) path=/proc/sys/net/ipv4/tcp_$name ;;
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
	if [[ $out =~ .*"# handle "([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; fi
}
wire_unrule() { wire_nft "$1" delete rule inet wire "$2" handle "$3"; }
# Packets counted by the rule with handle H: wire_counter NS CHAIN H
wire_counter() {
	wire_nft "$1" -a list chain inet wire "$2" |
		awk -v h="$3" '$NF == h && $(NF-1) == "handle" {
			for (i = 1; i < NF; i++) if ($i == "packets") print $(i+1) }'
}

# Skip in inet mode (Linux lacks what is needed), saying why; a case calling it
# is optional in inet mode and mandatory with xtcp. True in inet mode: the
# caller leaves out what follows (returns, or takes the other branch), and
# tests/run reports the case as a skip with this reason (skip_rest), not a pass.
wire_inet_skip() {
	[ "$WIRE_INET" = 1 ] || return 1
	echo "skip: $*"
	! declare -F skip_rest >/dev/null || skip_rest "inet: $*"
}
