# shellcheck shell=bash
# Firewalls and policy (issue #14): what blocks Linux TCP blocks xtcp the same
# way, in and out. Each case starts an xtcp server and a Linux TCP server in
# netns b, puts a blocker in their way (an nftables chain, a socket filter, an
# IPsec policy), checks that a client of each family in netns a gets nowhere
# (no connection, or no data) while it is there, removes it, and checks that
# both clients then get through. With XTCP_TEST_FAMILY=inet both ends are
# Linux TCP, which proves the case right about TCP. Sourced by tests/run;
# topology and helpers in tests/lib/netns.sh.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"

# How long a blocked client waits: past Linux's first SYN retransmission (1 s)
# and its second (3 s), so that a blocker that lets a retransmission by shows.
POLICY_WAIT_MS=3500
POLICY_FAMS="xtcp inet"
policy_next_port=7100
declare -A POLICY_PORT=()

# policy_servers [STEP...]: a server of each family on its own port, which runs
# STEPs after listen (among them say:listening) and then serves one
# client: 1000 bytes each way, and the client's EOF.
policy_servers() {
	local f
	for f in $POLICY_FAMS; do
		policy_next_port=$((policy_next_port + 1))
		POLICY_PORT[$f]=$policy_next_port
		wire_bg "srv_$f" b "$WIRE_XFER" script --family "$f" bind:"${POLICY_PORT[$f]}" \
			listen "${@:-say:listening}" accept recv:1000 send:1000 eof close say:served
	done
	for f in $POLICY_FAMS; do wire_line "srv_$f" listening || return 1; done
}

# "{ P1, P2 }": the servers' ports, for a rule.
policy_ports() { echo "{ ${POLICY_PORT[xtcp]}, ${POLICY_PORT[inet]} }"; }

# policy_blocked WHAT: a client of each family connects, at once, and is still
# neither connected nor failed POLICY_WAIT_MS later (a refusal or a reset is
# not what TCP gets either).
policy_blocked() {
	local f bad=
	for f in $POLICY_FAMS; do
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect-nb:"$WIRE_ADDR_B":"${POLICY_PORT[$f]}" no-connect:"$POLICY_WAIT_MS" \
			say:blocked
	done
	for f in $POLICY_FAMS; do
		if wire_wait "cli_$f" && wire_has_line "cli_$f" blocked; then
			echo "$f: no connection through $1 in $POLICY_WAIT_MS ms"
		else
			bad="$bad $f"
		fi
	done
	[ -z "$bad" ] || fail "got through $1:$bad" || return 1
}

# policy_through WHAT [wait:FILE]: a client of each family connects, (waits
# for FILE,) sends 1000 bytes, reads 1000 and closes; its server must have
# served it.
policy_through() {
	local what=$1 f
	shift
	for f in $POLICY_FAMS; do
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect:"$WIRE_ADDR_B":"${POLICY_PORT[$f]}" "$@" send:1000 recv:1000 \
			say:through close
	done
	policy_served "$what"
}

# Both clients and both servers done, and each said so.
policy_served() {
	local f bad=
	for f in $POLICY_FAMS; do
		if wire_wait "cli_$f" && wire_has_line "cli_$f" through &&
			wire_wait "srv_$f" && wire_has_line "srv_$f" served; then
			echo "$f: 1000 bytes each way $1"
		else
			bad="$bad $f"
		fi
	done
	[ -z "$bad" ] || fail "no exchange $1:$bad" || return 1
}

# Packets counted by the counter of a chain: policy_counted NS FAMILY TABLE CHAIN
policy_counted() {
	wire_nft "$1" list chain "$2" "$3" "$4" | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}

# nftables --------------------------------------------------------------------

# A chain of the input hook at priority PRIO (10: firewalld's; 50: the
# security table's) drops the servers' ports.
policy_nft_input() {
	local prio=$1
	wire_setup || return 1
	policy_servers || return 1
	wire_nft b -f - <<-EOF || return 1
	add table ip blocker
	add chain ip blocker in { type filter hook input priority $prio; }
	add rule ip blocker in tcp dport $(policy_ports) counter drop
	EOF
	policy_blocked "an input chain at priority $prio" || return 1
	echo "segments dropped by it: $(policy_counted b ip blocker in)"
	wire_nft b delete table ip blocker || return 1
	policy_through "once the chain is gone"
}

case_policy_nft_input_priority_10() { policy_nft_input 10; }
case_policy_nft_input_priority_50() { policy_nft_input 50; }
light_skip[policy_nft_input_priority_50]="the input hook's paths run in policy_nft_input_priority_10 in the same kernel; the priority changes only the chains' order, which Debian's kernel checks; time budget"

# Egress: an output chain at priority 10 drops the server's SYN-ACKs (sent
# without a socket's route by Linux, from the child by xtcp); then one in the
# client's namespace drops its SYNs (ip_queue_xmit()).
case_policy_nft_output() {
	wire_setup || return 1
	policy_servers || return 1
	wire_nft b -f - <<-EOF || return 1
	add table ip blocker
	add chain ip blocker out { type filter hook output priority 10; }
	add rule ip blocker out tcp sport $(policy_ports) counter drop
	EOF
	policy_blocked "an output chain of the server's" || return 1
	echo "SYN-ACKs dropped: $(policy_counted b ip blocker out)"
	wire_nft b delete table ip blocker || return 1
	wire_nft a -f - <<-EOF || return 1
	add table ip blocker
	add chain ip blocker out { type filter hook output priority 10; }
	add rule ip blocker out tcp dport $(policy_ports) counter drop
	EOF
	policy_blocked "an output chain of the client's" || return 1
	echo "SYNs dropped: $(policy_counted a ip blocker out)"
	wire_nft a delete table ip blocker || return 1
	policy_through "once the chains are gone"
}

# Socket filters (SO_ATTACH_FILTER) ---------------------------------------------

# On the listener, dropping everything: no SYN gets to it.
case_policy_socket_filter_listener() {
	local f
	wire_setup || return 1
	policy_servers filter:drop say:listening wait:open filter:off say:open || return 1
	policy_blocked "a drop-all filter on the listener" || return 1
	wire_go open
	for f in $POLICY_FAMS; do wire_line "srv_$f" open || return 1; done
	policy_through "once the filter is detached"
}

# On the connection, dropping everything: the client's data does not get to
# the server while the filter is there; it does, retransmitted, after.
case_policy_socket_filter_connected() {
	local f
	wire_setup || return 1
	# (the server's script takes its 1000 bytes after the filter is off)
	for f in $POLICY_FAMS; do
		policy_next_port=$((policy_next_port + 1))
		POLICY_PORT[$f]=$policy_next_port
		wire_bg "srv_$f" b "$WIRE_XFER" script --family "$f" bind:"${POLICY_PORT[$f]}" \
			listen say:listening accept filter:drop say:filtered \
			quiet:"$POLICY_WAIT_MS" say:quiet filter:off recv:1000 send:1000 eof close \
			say:served
	done
	for f in $POLICY_FAMS; do wire_line "srv_$f" listening || return 1; done
	for f in $POLICY_FAMS; do
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect:"$WIRE_ADDR_B":"${POLICY_PORT[$f]}" wait:go-"$f" send:1000 \
			recv:1000 say:through close
	done
	for f in $POLICY_FAMS; do
		wire_line "srv_$f" filtered || return 1
		wire_go go-"$f"
	done
	for f in $POLICY_FAMS; do
		wire_line "srv_$f" quiet 20 ||
			fail "$f: data got through a drop-all filter on the connection" || return 1
		echo "$f: no data through a drop-all filter in $POLICY_WAIT_MS ms"
	done
	policy_served "once the filter is detached"
}

# On the listener, dropping what is longer than 64 bytes: the handshake gets
# through, and the accepted connection has the listener's filter, as a TCP
# child gets it from sk_clone_lock(): no data until it is detached from it.
case_policy_socket_filter_inherited() {
	local f
	wire_setup || return 1
	for f in $POLICY_FAMS; do
		policy_next_port=$((policy_next_port + 1))
		POLICY_PORT[$f]=$policy_next_port
		wire_bg "srv_$f" b "$WIRE_XFER" script --family "$f" bind:"${POLICY_PORT[$f]}" \
			listen filter:big say:listening accept say:accepted \
			quiet:"$POLICY_WAIT_MS" say:quiet filter:off recv:1000 send:1000 eof close \
			say:served
	done
	for f in $POLICY_FAMS; do wire_line "srv_$f" listening || return 1; done
	for f in $POLICY_FAMS; do
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect:"$WIRE_ADDR_B":"${POLICY_PORT[$f]}" send:1000 recv:1000 \
			say:through close
	done
	for f in $POLICY_FAMS; do
		wire_line "srv_$f" accepted || fail "$f: no handshake through a filter of data" ||
			return 1
		wire_line "srv_$f" quiet 20 ||
			fail "$f: data got through the filter the listener passed on" || return 1
		echo "$f: accepted, and no data through the inherited filter in $POLICY_WAIT_MS ms"
	done
	policy_served "once the filter is detached"
}

# IPsec policy ----------------------------------------------------------------

# The kernel's xfrm netlink interface, or a skip.
policy_xfrm_ready() {
	in_ns b ip xfrm policy list >/dev/null 2>&1 && return 0
	modprobe -q xfrm_user 2>/dev/null || true
	in_ns b ip xfrm policy list >/dev/null 2>&1 ||
		skip "no xfrm netlink interface here (ip xfrm policy list fails, no xfrm_user)"
}

# A counter of /proc/net/xfrm_stat in namespace NS, or "?".
policy_xfrm_stat() {
	in_ns "$1" awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) print "?" }' \
		/proc/net/xfrm_stat 2>/dev/null || echo "?"
}

# A policy requiring ESP for TCP from a to b, and no SA: in b, the plaintext
# segments are refused on input (XfrmInTmplMismatch).
case_policy_xfrm_in() {
	local sel="src $WIRE_ADDR_A/32 dst $WIRE_ADDR_B/32 proto tcp dir in"
	wire_setup || return 1
	policy_xfrm_ready
	policy_servers || return 1
	# shellcheck disable=SC2086 # the selector is words
	in_ns b ip xfrm policy add $sel tmpl proto esp mode transport level required ||
		return 1
	policy_blocked "an IPsec policy requiring ESP on input" || return 1
	echo "XfrmInTmplMismatch in b: $(policy_xfrm_stat b XfrmInTmplMismatch)"
	# shellcheck disable=SC2086
	in_ns b ip xfrm policy delete $sel || return 1
	policy_through "once the policy is gone"
}

# The same policy on output in a: no SA to send with, so the SYNs go nowhere
# (net.core.xfrm_larval_drop: a blackhole route, XfrmOutNoStates).
case_policy_xfrm_out() {
	local sel="src $WIRE_ADDR_A/32 dst $WIRE_ADDR_B/32 proto tcp dir out"
	wire_setup || return 1
	policy_xfrm_ready
	policy_servers || return 1
	# shellcheck disable=SC2086
	in_ns a ip xfrm policy add $sel tmpl proto esp mode transport level required ||
		return 1
	policy_blocked "an IPsec policy requiring ESP on output" || return 1
	echo "XfrmOutNoStates in a: $(policy_xfrm_stat a XfrmOutNoStates)"
	# shellcheck disable=SC2086
	in_ns a ip xfrm policy delete $sel || return 1
	policy_through "once the policy is gone"
}
