# shellcheck shell=bash
# The connection and the network around it (issue #5): keep-alive probes,
# PAWS, ICMP errors (path MTU, unreachable) with a router between the two
# namespaces. Each case runs xtcp against xtcp and against Linux TCP; with
# XTCP_TEST_FAMILY=inet every "xtcp" end is Linux TCP, which proves the
# cases right about TCP. Sourced by tests/run; helpers in tests/lib/netns.sh.
#
#   netns a                    netns r (router)                 netns b
#   pa 10.78.1.1/24 ==== ra 10.78.1.254 | rb 10.78.2.254 ==== pb 10.78.2.2/24
#   (net_router_setup: routes through r, which forwards)

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"

if [ -n "${XTCP_WIRE_LIGHT:-}" ]; then
	NET_BIG=262144
else
	NET_BIG=1048576
fi

# Keep-alive ------------------------------------------------------------------

# net_keepalive_run CLIENT_FAM SERVER_FAM PORT: the client probes an idle
# peer (TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 2) that answers, and
# the connection lives on; then the answers are dropped: probes go on a
# second apart, and a second after the last one the client's read fails with
# ETIMEDOUT. (Adding the drop rule takes a while in a slow guest: a probe may
# go unanswered before the clock starts, so one or two are seen after it.)
net_keepalive_run() {
	local cf=$1 sf=$2 port=$3 ka=${4:-1,1,2} h n0 n1 k0= k1 t0 t1 i gaps= probes tlast w0 w1
	local most nft_pid
	wire_bg srv b "$WIRE_XFER" script --family "$sf" bind:"$port" listen say:listening \
		accept recv:1 send:1 recv:1 send:1 hold
	wire_line srv listening || return 1
	# pure ACKs from the client, as the server's side of the wire sees them
	h=$(wire_rule b pre ip saddr "$WIRE_ADDR_A" tcp dport "$port" tcp flags == ack \
		ip length 52 counter) || return 1
	wire_bg cli a "$WIRE_XFER" script --family "$cf" keepalive:"$ka" \
		connect:"$WIRE_ADDR_B":"$port" send:1 recv:1 sleep:300 say:idle sleep:3200 \
		say:idle-end wait:counted-"$port" send:1 recv:1 say:dead-next wait:dead-"$port" \
		recv-err:ETIMEDOUT say:timedout
	wire_line cli idle || return 1
	# (reading an nft counter takes seconds in a slow guest: the window
	# counted is from before the first read to after the second)
	[ "$cf" = xtcp ] && [ "$WIRE_INET" = 0 ] && { wire_snmp a xtcp KeepAlive || return 1; k0=$WIRE_VAL; }
	wire_now
	w0=$WIRE_NOW
	n0=$(wire_counter b pre "$h")
	wire_line cli idle-end 10 || return 1
	n1=$(wire_counter b pre "$h")
	wire_now
	w1=$WIRE_NOW
	probes=$((n1 - n0)) most=$(((w1 - w0) / 1000 + 1))
	echo "$cf -> $sf: $probes keep-alive probes in $((w1 - w0)) ms of idle time, answered"
	[ "$probes" -ge 2 ] && [ "$probes" -le "$most" ] ||
		fail "$probes probes on the wire in $((w1 - w0)) ms at TCP_KEEPIDLE 1 s" || return 1
	if [ -n "${k0:-}" ]; then
		wire_snmp a xtcp KeepAlive || return 1
		k1=$WIRE_VAL
		[ $((k1 - k0)) -ge "$probes" ] && [ $((k1 - k0)) -le $((most + 1)) ] ||
			fail "KeepAlive moved by $((k1 - k0)), $probes probes on the wire" || return 1
	fi
	# (the exchange that follows would put ACKs on the wire: counted first)
	wire_go counted-"$port"
	wire_line cli dead-next 10 || return 1
	wire_go dead-"$port"
	# The peer's answers vanish before the client sees them. nft takes a
	# while to start in a slow guest: it runs in the background while the
	# probes are timed (KeepAlive sampled every 20 ms), and the clock of the
	# dead peer starts when the rule is in.
	wire_nft a add rule inet wire pre ip saddr "$WIRE_ADDR_B" tcp sport "$port" drop &
	nft_pid=$! t0=
	[ -n "${k0:-}" ] && { wire_snmp a xtcp KeepAlive || return 1; k0=$WIRE_VAL; }
	tlast=
	for i in $(seq 1000); do
		if [ -z "$t0" ] && ! kill -0 "$nft_pid" 2>/dev/null; then
			wait "$nft_pid" || fail "nft drop rule" || return 1
			wire_now
			t0=$WIRE_NOW
		fi
		[ -n "$t0" ] && wire_has_line cli timedout && break
		if [ -n "${k0:-}" ]; then
			wire_snmp a xtcp KeepAlive || return 1
			if [ "$WIRE_VAL" != "$k0" ]; then
				wire_now
				# (a gap is timed only between probes seen after
				# nft started: it slows the first samples down)
				[ -n "$tlast" ] && [ -n "$t0" ] && [ "$tlast" -ge "$t0" ] &&
					gaps+=" $((WIRE_NOW - tlast))"
				tlast=$WIRE_NOW k0=$WIRE_VAL
			fi
		fi
		wire_sleep 0.02
	done
	[ -n "$t0" ] || fail "the nft rule never went in" || return 1
	wire_line cli timedout 15 || return 1
	wire_wait cli || return 1
	wire_now
	t1=$WIRE_NOW
	echo "$cf -> $sf: dead peer: ETIMEDOUT $((t1 - t0)) ms after the answers stopped${tlast:+, $((t1 - tlast)) ms after the last probe${gaps:+, probes$gaps ms apart}}"
	# at most TCP_KEEPIDLE + TCP_KEEPCNT * TCP_KEEPINTVL (3 s), and some time
	[ $((t1 - t0)) -le 5000 ] ||
		fail "ETIMEDOUT after $((t1 - t0)) ms, want within 3 s (1 s idle, 2 probes 1 s apart)" ||
		return 1
	if [ -n "${k0:-}" ]; then
		[ -n "$tlast" ] || fail "no probe seen" || return 1
		# the time-out is a TCP_KEEPINTVL after the last probe, as are the probes
		for i in $gaps $((t1 - tlast)); do
			[ "$i" -ge 700 ] && [ "$i" -le 1600 ] ||
				fail "probes and time-out $gaps $((t1 - tlast)) ms apart, TCP_KEEPINTVL 1 s" ||
				return 1
		done
	fi
	wire_kill srv
	wire_unrule b pre "$h"
}

# Linux TCP probing an xtcp end: xtcp must answer each probe with an ACK, or
# the prober gives up after 3 s (1 s idle, 2 unanswered probes).
net_keepalive_answered() {
	local port=$1 h n0 n1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:"$port" listen say:listening \
		accept recv:1 send:1 recv:1 send:1 eof close
	wire_line srv listening || return 1
	h=$(wire_rule b pre ip saddr "$WIRE_ADDR_A" tcp dport "$port" tcp flags == ack \
		ip length 52 counter) || return 1
	wire_bg cli a "$WIRE_XFER" script --family inet keepalive:1,1,2 \
		connect:"$WIRE_ADDR_B":"$port" send:1 recv:1 sleep:300 say:idle sleep:4500 \
		say:idle-end wait:counted-"$port" send:1 recv:1 close
	wire_line cli idle || return 1
	n0=$(wire_counter b pre "$h")
	wire_line cli idle-end 10 || return 1
	n1=$(wire_counter b pre "$h")
	wire_go counted-"$port"
	wire_wait cli || fail "the Linux prober lost the connection: xtcp did not answer" ||
		return 1
	wire_wait srv || return 1
	echo "inet -> xtcp: $((n1 - n0)) probes in 4.5 idle seconds, all answered"
	[ $((n1 - n0)) -ge 3 ] || fail "only $((n1 - n0)) probes from Linux TCP" || return 1
}

light_skip[net_paws_icmp]="time budget of the debug run: a scapy peer takes minutes to start there; net_pmtu takes the ICMP path"

# The socket options first; then SO_KEEPALIVE alone, the same timings coming
# from net.xtcp.keepalive_time, _intvl and _probes (tcp_keepalive_* in inet
# mode) of the client's namespace. The debug kernel's light run takes the
# first only (the timer's paths, probes and the time-out, under KASAN and
# lockdep): the timing loop polls every 20 ms, minutes of CPU there.
case_net_keepalive() {
	wire_setup nowatch || return 1
	net_keepalive_run xtcp xtcp 7601 || return 1
	if [ -n "${XTCP_WIRE_LIGHT:-}" ]; then
		echo "light run (debug kernel): the sysctls' timings and Linux TCP's prober are" \
			"checked in Debian's kernel"
		return 0
	fi
	wire_sysctl a keepalive_time 1 && wire_sysctl a keepalive_intvl 1 &&
		wire_sysctl a keepalive_probes 2 || return 1
	echo "net.xtcp.keepalive_time 1, keepalive_intvl 1, keepalive_probes 2; SO_KEEPALIVE alone:"
	net_keepalive_run xtcp inet 7602 on || return 1
	net_keepalive_answered 7603
}

# SO_BINDTODEVICE ---------------------------------------------------------------

# A listener bound to a device hears only SYNs that come in on it, as
# __inet_lookup_listener() matches: bound to lo, a SYN from netns a (in on wb)
# finds no listener and is refused (RST, ECONNREFUSED) on both stacks; bound to
# wb, the same client is served, and so is the accepted connection, which
# inherits the device.
light_skip[net_bindtodevice]="the lookups' device match runs in the xtcp_pkt_listen KUnit suite in the same kernel; time budget"
case_net_bindtodevice() {
	local f port=7620
	wire_setup nowatch || return 1
	for f in xtcp inet; do
		port=$((port + 1))
		wire_bg "lo_$f" b "$WIRE_XFER" script --family "$f" device:lo bind:$port listen \
			say:listening hold
		wire_line "lo_$f" listening || return 1
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect-fail:"$WIRE_ADDR_B":$port ECONNREFUSED say:refused
		wire_wait "cli_$f" && wire_has_line "cli_$f" refused ||
			fail "$f: a listener bound to lo got a SYN that came in on wb" || return 1
		echo "$f: a listener bound to lo: a SYN in on wb is refused"
		wire_kill "lo_$f"
		port=$((port + 1))
		wire_bg "wb_$f" b "$WIRE_XFER" script --family "$f" device:wb bind:$port listen \
			say:listening accept recv:1000 send:1000 eof close say:served
		wire_line "wb_$f" listening || return 1
		wire_bg "cli_$f" a "$WIRE_XFER" script --family "$f" \
			connect:"$WIRE_ADDR_B":$port send:1000 recv:1000 close say:through
		wire_wait "cli_$f" && wire_has_line "cli_$f" through && wire_wait "wb_$f" &&
			wire_has_line "wb_$f" served ||
			fail "$f: no exchange with a listener bound to wb" || return 1
		echo "$f: a listener bound to wb: 1000 bytes each way"
	done
}

# PAWS and ICMP validation ----------------------------------------------------

# A scapy peer: a segment with an old timestamp is dropped and answered
# (PAWSEstab), ICMP errors quoting sequence numbers never sent are ignored
# (OutOfWindowIcmps); the connection carries on (tests/scapy/peer.py paws).
case_net_paws_icmp() {
	local p0 p1 o0 o1
	wire_setup || return 1
	wire_rule a out ip ttl 64 tcp flags '&' rst == rst drop >/dev/null || return 1
	wire_bg sink b "$WIRE_XFER" sink --family xtcp --port 7610 --count 1 --timeout 60
	wire_line sink listening || return 1
	wire_snmp b xtcp PAWSEstab || return 1
	p0=$WIRE_VAL
	wire_snmp b xtcp OutOfWindowIcmps || return 1
	o0=$WIRE_VAL
	ip netns exec "$WIRE_A" "$WIRE_PY" "$WIRE_SCAPY/peer.py" paws --iface wa \
		--src "$WIRE_ADDR_A" --dst "$WIRE_ADDR_B" --dport 7610 >"$WIRE_TMP/py.out" 2>&1 ||
		fail "scapy peer: $(cat "$WIRE_TMP/py.out")" || return 1
	wire_wait sink || return 1
	sed 's/^/peer: /' "$WIRE_TMP/py.out"
	sed 's/^/sink: /' "$WIRE_TMP/sink.out"
	wire_check_sink || return 1
	wire_snmp b xtcp PAWSEstab || return 1
	p1=$WIRE_VAL
	wire_snmp b xtcp OutOfWindowIcmps || return 1
	o1=$WIRE_VAL
	echo "PAWSEstab +$((p1 - p0)), OutOfWindowIcmps +$((o1 - o0))"
	[ $((p1 - p0)) = 1 ] || fail "PAWSEstab moved by $((p1 - p0)), want 1" || return 1
	[ $((o1 - o0)) = 2 ] || fail "OutOfWindowIcmps moved by $((o1 - o0)), want 2"
}

# A router between the namespaces ---------------------------------------------

NET_A=10.78.1.1 NET_RA=10.78.1.254 NET_RB=10.78.2.254 NET_B=10.78.2.2

# wire_setup, then a third namespace r routing between new links to a and b.
net_router_setup() {
	wire_setup nowatch || return 1
	WIRE_R=xwr$$
	ip netns add "$WIRE_R" || return 1
	ip link add pa netns "$WIRE_A" type veth peer name ra netns "$WIRE_R" || return 1
	ip link add pb netns "$WIRE_B" type veth peer name rb netns "$WIRE_R" || return 1
	ip -n "$WIRE_A" -b - <<-EOF || return 1
	addr add $NET_A/24 dev pa
	link set pa up
	route add 10.78.0.0/16 via $NET_RA
	EOF
	ip -n "$WIRE_B" -b - <<-EOF || return 1
	addr add $NET_B/24 dev pb
	link set pb up
	route add 10.78.0.0/16 via $NET_RB
	EOF
	ip -n "$WIRE_R" -b - <<-EOF || return 1
	addr add $NET_RA/24 dev ra
	addr add $NET_RB/24 dev rb
	link set lo up
	link set ra up
	link set rb up
	EOF
	ip netns exec "$WIRE_R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 ||
		return 1
	wire_poll "$WIRE_SETUP_SECS" "router links up" eval \
		'[[ $(ip -n "$WIRE_A" -o link show pa) == *LOWER_UP* && $(ip -n "$WIRE_B" -o link show pb) == *LOWER_UP* ]]'
}

# net_pmtu_xfer CLIENT_FAM SERVER_FAM PORT: NET_BIG bytes each way through a
# path whose MTU the router cuts to 1200 both ways: the router answers the
# 1500-byte segments with fragmentation-needed, each end lowers its MSS to
# 1148 (1200 less 40 of headers, 12 of timestamps) and resends. TCP_INFO at
# each end tells the MSS and path MTU it ended with.
net_pmtu_xfer() {
	local cf=$1 sf=$2 port=$3 re='mss ([0-9]+) pmtu ([0-9]+) retrans ([0-9]+)' out who ns
	# forget the path MTU an earlier pairing learnt (route cache exceptions)
	for ns in a b; do
		in_ns $ns sh -c 'echo 1 >/proc/sys/net/ipv4/route/flush' || return 1
	done
	wire_bg srv b "$WIRE_XFER" script --family "$sf" bind:"$port" listen say:listening \
		accept recv:"$NET_BIG" send:"$NET_BIG" info eof close
	wire_line srv listening || return 1
	wire_bg cli a "$WIRE_XFER" script --family "$cf" connect:"$NET_B":"$port" \
		send:"$NET_BIG" recv:"$NET_BIG" info close
	wire_wait cli || { wire_kill srv; fail "client $cf -> server $sf through MTU 1200"; return 1; }
	wire_wait srv || return 1
	for who in cli srv; do
		wire_read "$who"
		out=$WIRE_OUT
		[[ $out =~ $re ]] || fail "$who printed no TCP_INFO: $out" || return 1
		echo "$cf -> $sf, $NET_BIG bytes each way: $who ($([ $who = cli ] && echo "$cf" || echo "$sf")) ended with mss ${BASH_REMATCH[1]}, pmtu ${BASH_REMATCH[2]}, ${BASH_REMATCH[3]} retransmissions"
		[ "${BASH_REMATCH[2]}" = 1200 ] || fail "$who: path MTU ${BASH_REMATCH[2]}, want 1200" || return 1
		# 1200 less 40 of headers and 12 of timestamps (on at both ends)
		[ "${BASH_REMATCH[1]}" = 1148 ] || fail "$who: MSS ${BASH_REMATCH[1]}, want 1148" ||
			return 1
	done
}

case_net_pmtu() {
	local ra rb
	net_router_setup || return 1
	ip -n "$WIRE_R" route replace 10.78.2.0/24 dev rb mtu 1200 || return 1
	ip -n "$WIRE_R" route replace 10.78.1.0/24 dev ra mtu 1200 || return 1
	echo "path a - r - b, the router's routes at MTU 1200 both ways, the links at 1500"
	net_pmtu_xfer xtcp xtcp 7620 || return 1
	net_pmtu_xfer xtcp inet 7621 || return 1
	net_pmtu_xfer inet xtcp 7622 || return 1
	# the path MTU each end learnt lives in its route cache, as for TCP
	ra=$(ip -n "$WIRE_A" route get "$NET_B")
	rb=$(ip -n "$WIRE_B" route get "$NET_A")
	echo "a: $ra" | head -n 2
	[[ $ra == *"mtu 1200"* ]] || fail "a's route to b has no PMTU 1200: $ra" || return 1
	[[ $rb == *"mtu 1200"* ]] || fail "b's route to a has no PMTU 1200: $rb"
}

# Unreachable: a hard error for a connection being opened (connect() fails
# with EHOSTUNREACH), a soft one for an open connection: SO_ERROR reports it,
# the connection retransmits on and recovers when the route is back. (The
# router answers an unreachable route once a second per source, ip_error().)
net_icmp_soft() {
	local cf=$1 sf=$2 port=$3
	wire_bg srv b "$WIRE_XFER" script --family "$sf" bind:"$port" listen say:listening \
		accept recv:1 send:1 eof close
	wire_line srv listening || return 1
	wire_bg cli a "$WIRE_XFER" script --family "$cf" connect:"$NET_B":"$port" say:connected \
		wait:cut-"$port" send:1 soerr-within:EHOSTUNREACH say:soft \
		wait:back-"$port" recv:1 soerr:0 close
	wire_line cli connected || return 1
	ip -n "$WIRE_R" route add unreachable "$NET_B"/32 || return 1
	wire_go cut-"$port"
	wire_line cli soft 10 || { wire_kill srv; return 1; }
	ip -n "$WIRE_R" route del unreachable "$NET_B"/32 || return 1
	wire_go back-"$port"
	wire_wait cli || { wire_kill srv; return 1; }
	wire_wait srv || return 1
	echo "$cf -> $sf: host unreachable on an open connection: SO_ERROR EHOSTUNREACH, then the byte went through"
}

# Time exceeded: the client's TTL of 1 dies at the router, which says so; a
# soft error too (EHOSTUNREACH, as tcp_v4_err() has it), gone once the TTL
# is back.
net_icmp_ttl() {
	local cf=$1 sf=$2 port=$3
	wire_bg srv b "$WIRE_XFER" script --family "$sf" bind:"$port" listen say:listening \
		accept recv:1 send:1 eof close
	wire_line srv listening || return 1
	in_ns a "$WIRE_XFER" script --family "$cf" connect:"$NET_B":"$port" ttl:1 send:1 \
		soerr-within:EHOSTUNREACH ttl:64 recv:1 soerr:0 close ||
		{ wire_kill srv; fail "time exceeded on an open connection"; return 1; }
	wire_wait srv || return 1
	echo "$cf -> $sf: time exceeded on an open connection: SO_ERROR EHOSTUNREACH, then the byte went through"
}

light_skip[net_icmp_errors]="the xtcp_pkt_icmp KUnit suite takes the unreachable (hard in SYN-SENT, soft once open) and out-of-window paths under KASAN, net_pmtu the ICMP receive path over the wire; time budget"
case_net_icmp_errors() {
	net_router_setup || return 1
	ip -n "$WIRE_R" route add unreachable 10.78.3.0/24 || return 1
	in_ns a "$WIRE_XFER" script --family xtcp connect-fail:10.78.3.3:7630 EHOSTUNREACH ||
		fail "connect through an unreachable route" || return 1
	echo "connect to an unreachable host: EHOSTUNREACH"
	net_icmp_soft xtcp xtcp 7631 || return 1
	net_icmp_soft xtcp inet 7632 || return 1
	net_icmp_ttl xtcp xtcp 7633 || return 1
	net_icmp_ttl xtcp inet 7634
}

# TIME_WAIT reuse (net.xtcp.tw_reuse, as tcp_tw_reuse) ------------------------

# With a single ephemeral port, a second connect() to the same peer finds the
# only 4-tuple in TIME_WAIT: EADDRNOTAVAIL with tw_reuse 0, and with 2 (the
# default: loopback only) over veth; with 1, a second after the old
# connection's last timestamp, the bucket gives way (TimeWaitRecycled) and
# the new connection carries its data.
case_net_tw_reuse() {
	local name=TimeWaitRecycled r0 r1
	[ "$WIRE_INET" = 1 ] && name=TWRecycled
	wire_setup nowatch || return 1
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40100 40100" || return 1
	wire_bg sink b "$WIRE_XFER" sink --family xtcp --port 7640 --count 2 --timeout 60
	wire_line sink listening || return 1
	in_ns a "$WIRE_XFER" script --family xtcp connect:"$WIRE_ADDR_B":7640 send:100 close ||
		return 1
	wire_state a xtcp 40100 7640 TIME_WAIT 5 || return 1
	wire_sysctl a tw_reuse 0 || return 1
	in_ns a "$WIRE_XFER" script --family xtcp connect-fail:"$WIRE_ADDR_B":7640 EADDRNOTAVAIL ||
		fail "tw_reuse 0: connect() took the TIME_WAIT 4-tuple" || return 1
	wire_sleep 1.2
	wire_sysctl a tw_reuse 2 || return 1
	in_ns a "$WIRE_XFER" script --family xtcp connect-fail:"$WIRE_ADDR_B":7640 EADDRNOTAVAIL ||
		fail "tw_reuse 2: connect() over veth took the TIME_WAIT 4-tuple" || return 1
	echo "one ephemeral port, its 4-tuple in TIME_WAIT: EADDRNOTAVAIL with tw_reuse 0 and 2"
	wire_snmp a xtcp "$name" || return 1
	r0=$WIRE_VAL
	wire_sysctl a tw_reuse 1 || return 1
	in_ns a "$WIRE_XFER" script --family xtcp connect:"$WIRE_ADDR_B":7640 send:200 close ||
		fail "tw_reuse 1: connect() did not reuse the TIME_WAIT 4-tuple" || return 1
	wire_wait sink || return 1
	wire_snmp a xtcp "$name" || return 1
	r1=$WIRE_VAL
	sed 's/^/sink: /' "$WIRE_TMP/sink.out"
	echo "tw_reuse 1: the 4-tuple reused, $name +$((r1 - r0))"
	[ $((r1 - r0)) = 1 ] || fail "$name moved by $((r1 - r0)), want 1" || return 1
	grep -q "conn 1: len 200 " "$WIRE_TMP/sink.out" || fail "the second connection's 200 bytes"
}

# Local ports shared by 4-tuple (port.c, as __inet_hash_connect()) ----------

NET_FAN_PORTS="7671 7672 7673 7674"

# net_fan_servers COUNT: a server on each of NET_FAN_PORTS in B, serving COUNT
# connections of 100 bytes each way, closing after the client.
net_fan_servers() {
	local p
	for p in $NET_FAN_PORTS; do
		wire_bg "srv$p" b "$WIRE_XFER" server --family xtcp --port "$p" --count "$1" \
			--bytes 100 --close second --timeout 200
	done
	for p in $NET_FAN_PORTS; do
		wire_line "srv$p" listening || return 1
	done
}
net_fan_wait() {
	local p rc=0
	for p in $NET_FAN_PORTS; do
		wire_wait "srv$p" || rc=1
	done
	return "$rc"
}

# With 20 ports in ip_local_port_range, 60 connections at once from one
# address to four servers (15 each): connect() shares each port among
# 4-tuples, as Linux TCP does, so none fails with EADDRNOTAVAIL, and each
# carries its bytes both ways.
case_net_ports_shared() {
	local out re='ok ([0-9]+) connections, ([0-9]+) local ports, at most ([0-9]+) on one'
	wire_setup nowatch || return 1
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40300 40319" || return 1
	net_fan_servers 15 || return 1
	out=$(in_ns a "$WIRE_XFER" fan --family xtcp --addr "$WIRE_ADDR_B" \
		--ports "${NET_FAN_PORTS// /,}" --count 15 --bytes 100 --timeout 200) ||
		{ for p in $NET_FAN_PORTS; do wire_kill "srv$p"; done
		  fail "60 connections over 20 ports: $out"; return 1; }
	echo "$out"
	net_fan_wait || return 1
	out=${out/connections on one/on one}
	[[ $out =~ $re ]] || fail "no summary in: $out" || return 1
	[ "${BASH_REMATCH[1]}" = 60 ] || fail "${BASH_REMATCH[1]} connections, want 60" || return 1
	[ "${BASH_REMATCH[2]}" -le 20 ] ||
		fail "${BASH_REMATCH[2]} local ports, more than the range's 20" || return 1
	[ "${BASH_REMATCH[3]}" -ge 3 ] ||
		fail "at most ${BASH_REMATCH[3]} connections on a port: want 60 over 20 ports" ||
		return 1
	echo "60 connections at once over ${BASH_REMATCH[2]} local ports, up to ${BASH_REMATCH[3]} on one"
}

# Churn: with 20 ports in ip_local_port_range and tw_reuse off, three rounds
# of 20 connections to four servers, each round closed (this side first, so
# that its 4-tuples stay in TIME_WAIT) before the next opens: 60 connections,
# three times the range, while every TIME_WAIT stands. Linux TCP manages it
# by sharing ports across destinations; so must xtcp, without EADDRNOTAVAIL.
case_net_ports_churn() {
	local out n
	wire_setup nowatch || return 1
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40320 40339" || return 1
	wire_sysctl a tw_reuse 0 || return 1
	[ "$WIRE_INET" = 1 ] || wire_sysctl a tw_timeout_ms 120000 || return 1
	# a late duplicate would otherwise end a bucket early (RFC 1337 hazard)
	wire_sysctl a rfc1337 1 || return 1
	net_fan_servers 15 || return 1
	out=$(in_ns a "$WIRE_XFER" fan --family xtcp --addr "$WIRE_ADDR_B" \
		--ports "${NET_FAN_PORTS// /,}" --count 5 --rounds 3 --bytes 100 --timeout 200) ||
		{ for p in $NET_FAN_PORTS; do wire_kill "srv$p"; done
		  fail "churn of 60 connections over 20 ports: $out"; return 1; }
	echo "$out"
	net_fan_wait || return 1
	[[ $out == *"ok 60 connections"* ]] || fail "not 60 connections: $out" || return 1
	wire_poll 10 "60 TIME_WAIT entries" eval '[ "$(wire_count_state a xtcp 06)" -ge 60 ]' || true
	n=$(wire_count_state a xtcp 06)
	echo "60 connections through 20 ports, $n of their 4-tuples in TIME_WAIT"
	[ "$n" -ge 60 ] || fail "$n TIME_WAIT entries, want 60: the churn did not run past held 4-tuples"
}

# A port xtcp's connections share is still held against the kernel's TCP, and
# the reverse: the kernel's TCP bind() answers EADDRINUSE beside connections
# without SO_REUSEADDR, and binds beside ones with it (Linux TCP's answers,
# inet_csk_bind_conflict()); TCP's connect() cannot take a port xtcp holds,
# nor xtcp's one TCP holds (where Linux TCP, all one stack, would share it:
# the documented difference, checked with xtcp only), and xtcp's bind() of a
# port TCP connections hold fails as TCP's would.
case_net_ports_cross_stack() {
	local r
	wire_setup nowatch || return 1
	wire_bg srv1 b "$WIRE_XFER" script --family xtcp bind:7681 listen say:listening accept hold
	wire_bg srv2 b "$WIRE_XFER" script --family xtcp bind:7682 listen say:listening accept hold
	wire_bg srv3 b "$WIRE_XFER" script --family inet bind:7683 listen say:listening accept hold
	wire_line srv1 listening && wire_line srv2 listening && wire_line srv3 listening || return 1

	# two xtcp connections on the one port of the range
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40400 40400" || return 1
	wire_bg c1 a "$WIRE_XFER" script --family xtcp connect:"$WIRE_ADDR_B":7681 say:connected hold
	wire_line c1 connected || return 1
	wire_bg c2 a "$WIRE_XFER" script --family xtcp connect:"$WIRE_ADDR_B":7682 say:connected hold
	wire_line c2 connected || fail "a second connection on the range's one port" || return 1
	r=$(wire_kbind a 40400)
	echo "port 40400 shared by two connections: kernel TCP bind: $r"
	[ "$r" = EADDRINUSE ] || fail "kernel TCP bind beside xtcp connections: $r" || return 1
	if [ "$WIRE_INET" = 0 ]; then
		in_ns a "$WIRE_XFER" script --family inet connect-fail:"$WIRE_ADDR_B":7683 \
			EADDRNOTAVAIL || fail "kernel TCP connect() took xtcp's port" || return 1
		echo "kernel TCP connect() with only port 40400: EADDRNOTAVAIL"
	fi

	# with SO_REUSEADDR on both sides, a TCP bind() succeeds
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40401 40401" || return 1
	wire_bg c3 a "$WIRE_XFER" script --family xtcp reuse connect:"$WIRE_ADDR_B":7681 \
		say:connected hold
	wire_line c3 connected || return 1
	r=$(in_ns a "$WIRE_XFER" script --family inet reuse bind:40401 say:bound 2>&1) || true
	echo "port 40401, SO_REUSEADDR on both: kernel TCP bind: $r"
	[ "$r" = bound ] || fail "kernel TCP bind with SO_REUSEADDR beside such connections: $r" ||
		return 1

	# the reverse: a port TCP's connection holds
	in_ns a sysctl -qw net.ipv4.ip_local_port_range="40402 40402" || return 1
	wire_bg c4 a "$WIRE_XFER" script --family inet connect:"$WIRE_ADDR_B":7683 say:connected hold
	wire_line c4 connected || return 1
	r=$(in_ns a "$WIRE_XFER" script --family xtcp bind:40402 say:bound 2>&1) || true
	echo "port 40402 of a kernel TCP connection: xtcp bind: $r"
	[[ $r == *"Address already in use"* ]] || fail "xtcp bind beside a TCP connection: $r" ||
		return 1
	if [ "$WIRE_INET" = 0 ]; then
		in_ns a "$WIRE_XFER" script --family xtcp connect-fail:"$WIRE_ADDR_B":7682 \
			EADDRNOTAVAIL || fail "xtcp connect() took kernel TCP's port" || return 1
		echo "xtcp connect() with only port 40402: EADDRNOTAVAIL"
	fi
	for r in c1 c2 c3 c4 srv1 srv2 srv3; do wire_kill "$r"; done
}

# A peer shrinks its window behind segments already sent, then opens it again:
# xtcp keeps the connection and delivers every byte (tests/scapy/peer.py shrink).
case_net_shrinking_window() {
	wire_setup nowatch || return 1
	wire_rule a out ip ttl 64 tcp flags '&' rst == rst drop >/dev/null || return 1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7650 listen say:listening accept \
		send:20000 eof close
	wire_line srv listening || return 1
	ip netns exec "$WIRE_A" "$WIRE_PY" "$WIRE_SCAPY/peer.py" shrink --iface wa \
		--src "$WIRE_ADDR_A" --dst "$WIRE_ADDR_B" --dport 7650 >"$WIRE_TMP/py.out" 2>&1 ||
		fail "scapy peer: $(cat "$WIRE_TMP/py.out")" || return 1
	sed 's/^/peer: /' "$WIRE_TMP/py.out"
	wire_wait srv
}
light_skip[net_shrinking_window]="time budget of the debug run: a scapy peer takes minutes to start there"
