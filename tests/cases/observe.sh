# shellcheck shell=bash
# What xtcp shows of itself: the counters of /proc/net/xtcp_snmp and
# xtcp_stats, the tracepoints (system xtcp), and tools/xtcp-ladder drawing a
# recorded and a live connection.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"
OBS_TOOLS=$(cd "${BASH_SOURCE[0]%/*}/../../tools" && pwd)
OBS_LADDER_DATA=$(cd "${BASH_SOURCE[0]%/*}/../ladder" && pwd)
light_skip[observe_ladder_recorded]="a userland tool: no kernel path of its own"
light_skip[observe_ladder_live]="the tracepoints it reads are checked by observe_tracepoints"
light_skip[observe_counters]="counters are arithmetic on paths the wire cases take; Debian's kernel checks their values"
light_skip[observe_sysctl_syn_options]="the SYN option paths run in every handshake; Debian's kernel checks the sysctls"
light_skip[observe_tcp_sysctl_syn_options]="the SYN option paths run in every handshake; Debian's kernel checks the sysctls"
light_skip[observe_sysctl_synack_retries]="the SYN+ACK retransmission timer runs in the xtcp_pkt_listen KUnit suite in the same kernel (request_synack_*); Debian's kernel checks the sysctl; time budget"
light_skip[observe_sysctl_retries2]="the retransmission time-out path runs in api_connect_etimedout and api_tcp_user_timeout; time budget"

OBS_TCP_NAMES="ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors"
OBS_EVENTS="xtcp_state_change xtcp_segment_send xtcp_segment_recv xtcp_retransmit xtcp_drop xtcp_tw_create xtcp_tw_reuse xtcp_tw_kill xtcp_tw_expire xtcp_probe"

# obs_snmp NS NAME: a counter's value from /proc/net/xtcp_snmp, into OBS_VAL
obs_snmp() {
	OBS_VAL=$(in_ns "$1" awk -v want="$2" '
		NR % 2 == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
		{ for (i = 2; i <= NF; i++) if (name[i] == want) print $i }' /proc/net/xtcp_snmp)
	[ -n "$OBS_VAL" ] || fail "no $2 in $1's /proc/net/xtcp_snmp"
}

# obs_trace_on: xtcp's events into a tracefs instance of the case's own (gone
# with the case); obs_trace_read: what it recorded, into OBS_TRACE.
obs_trace_on() {
	local T=/sys/kernel/tracing
	[ -d "$T/events" ] || mount -t tracefs nodev "$T" || fail "cannot mount tracefs" || return 1
	OBS_INST=$T/instances/xtcp-test-$BASHPID
	mkdir "$OBS_INST" || return 1
	# shellcheck disable=SC2064
	trap "rmdir $OBS_INST 2>/dev/null; wire_cleanup" EXIT
	echo 1 >"$OBS_INST/events/xtcp/enable"
}
obs_trace_read() {
	echo 0 >"$OBS_INST/tracing_on"
	OBS_TRACE=$(grep -v '^#' "$OBS_INST/trace")
	echo 0 >"$OBS_INST/events/xtcp/enable"
}
# obs_has ERE: a line of OBS_TRACE matches
obs_has() { grep -Eq "$1" <<<"$OBS_TRACE" || fail "no trace line matching: $1"; }
obs_show_trace() { sed 's/^ *[^ ]* *\[[0-9]*\] [^ ]* *//' <<<"$OBS_TRACE" >&2; }

# obs_expect WHAT WANT GOT
obs_expect() { [ "$2" = "$3" ] || fail "$1: want $2, got $3"; }

# The snmp file has the layout of /proc/net/snmp (names line, values line per
# group), agrees with xtcp_stats, and its counters move by what happened:
# one connection open, then one aborted.
case_observe_counters() {
	local n names st k v
	wire_inet_skip "xtcp's own /proc files" && return 0
	wire_setup nowatch || return 1

	n=$(in_ns a wc -l </proc/net/xtcp_snmp)
	obs_expect "lines in xtcp_snmp" 4 "$n" || return 1
	names=$(in_ns a sed -n '1s/^Xtcp: //p' /proc/net/xtcp_snmp)
	obs_expect "Xtcp: names" "$OBS_TCP_NAMES" "$names" || return 1
	in_ns a awk 'NR % 2 == 1 { n = NF; p = $1; next }
		NF != n || $1 != p || (p != "Xtcp:" && p != "XtcpExt:") {
			print "names and values differ in " p; exit 1 }' /proc/net/xtcp_snmp ||
		fail "xtcp_snmp: $(in_ns a cat /proc/net/xtcp_snmp)" || return 1

	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7710 listen say:up accept say:in \
		recv:1 hold
	wire_line srv up || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp bind:7610 connect:"$WIRE_ADDR_B":7710 say:up \
		send:1 wait:go linger0 close say:gone hold
	wire_line cli up || return 1
	wire_line srv in || return 1
	for k in a b; do
		obs_snmp $k CurrEstab || return 1
		obs_expect "CurrEstab in $k with one connection" 1 "$OBS_VAL" || return 1
	done
	obs_snmp a ActiveOpens && obs_expect "ActiveOpens in a" 1 "$OBS_VAL" || return 1
	obs_snmp b PassiveOpens && obs_expect "PassiveOpens in b" 1 "$OBS_VAL" || return 1
	# every counter of xtcp_stats has the same value in xtcp_snmp (quiet now)
	st=$(in_ns a cat /proc/net/xtcp_stats)
	while read -r k v; do
		obs_snmp a "$k" || return 1
		obs_expect "$k in xtcp_snmp and xtcp_stats" "$v" "$OBS_VAL" || return 1
	done <<<"$st"

	# SO_LINGER 0 then close: a RST; both ends leave ESTABLISHED for CLOSE
	wire_go go
	wire_line cli gone || return 1
	wire_poll 10 "the RST to reach b" wire_no_socket b xtcp 7710 7610 || return 1
	for k in a b; do
		obs_snmp $k CurrEstab || return 1
		obs_expect "CurrEstab in $k after the abort" 0 "$OBS_VAL" || return 1
		obs_snmp $k EstabResets || return 1
		obs_expect "EstabResets in $k after the abort" 1 "$OBS_VAL" || return 1
	done
	obs_snmp a OutRsts && obs_expect "OutRsts in a" 1 "$OBS_VAL"
}

# Every event of system xtcp is there with its format, and one connection's
# events carry the right fields: addresses, ports, flags, options, states,
# namespaces; a dropped SYN shows as a retransmit; TIME_WAIT create and expire;
# xtcp_probe on the text's ACK, and on the FIN's in FIN_WAIT2.
case_observe_tracepoints() {
	local T=/sys/kernel/tracing ev na nb h syn A B
	wire_inet_skip "xtcp's own tracepoints" && return 0
	[ -d "$T/events" ] || mount -t tracefs nodev "$T" || fail "cannot mount tracefs" || return 1
	for ev in $OBS_EVENTS; do
		[ -r "$T/events/xtcp/$ev/format" ] || fail "no tracepoint xtcp:$ev" || return 1
	done
	wire_setup nowatch || return 1
	wire_sysctl a tw_timeout_ms 1000 || return 1
	obs_trace_on || return 1

	# the client's first SYN is dropped on its way in, the second not
	modprobe -q nft_numgen 2>/dev/null || true
	h=$(wire_rule b pre tcp dport 7711 tcp flags '&' '(syn|ack)' == syn \
		numgen inc mod 2 == 0 counter drop) || return 1
	# B closes 200 ms after the EOF: its reply made it interactive, so the
	# ACK of A's FIN waits for the delayed-ACK timer (40 ms) and goes alone,
	# and A stands in FIN_WAIT2 before B's FIN comes (as Linux's TCP would)
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7711 listen say:up accept recv:5 \
		send:5 eof sleep:200 close
	wire_line srv up || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp bind:7611 connect:"$WIRE_ADDR_B":7711 \
		send:5 recv:5 shutdown:wr eof close
	wire_wait cli || return 1
	wire_wait srv || return 1
	wire_poll 10 "TIME_WAIT to expire" wire_no_socket a xtcp 7611 7711 || return 1
	obs_trace_read

	na=$(readlink "/proc/$WIRE_HOLD_A/ns/net" | tr -dc 0-9)
	nb=$(readlink "/proc/$WIRE_HOLD_B/ns/net" | tr -dc 0-9)
	A="${WIRE_ADDR_A//./\\.}:7611" B="${WIRE_ADDR_B//./\\.}:7711"
	# %p hashes the pointer once the kernel's RNG is ready, which may take
	# a while in a guest with no RNG device: "(____ptrval____)" until then
	local sk_re='sk=([0-9a-f]+|\(____ptrval____\))'
	syn="flags=SYN seq=[0-9]+ ack=0 len=0 win=64240 opts=mss,wscale,sackOK,ts mss=1460 wscale=7"
	obs_has "xtcp_state_change: netns=$na $sk_re src=$A dst=$B CLOSE -> SYN_SENT\$" &&
		obs_has "xtcp_segment_send: netns=$na src=$A dst=$B $syn .* state=SYN_SENT\$" &&
		obs_has "xtcp_retransmit: netns=$na src=$A dst=$B seq=[0-9]+ len=0 retries=1 rto_ms=[0-9]+ state=SYN_SENT\$" &&
		obs_has "xtcp_segment_recv: netns=$nb src=$A dst=$B $syn .* state=LISTEN\$" &&
		obs_has "xtcp_state_change: netns=$nb $sk_re src=$B dst=$A LISTEN -> SYN_RECV\$" &&
		obs_has "xtcp_segment_send: netns=$nb src=$B dst=$A flags=SYN\|ACK .* state=SYN_RECV\$" &&
		obs_has "xtcp_state_change: netns=$na $sk_re src=$A dst=$B SYN_SENT -> ESTABLISHED\$" &&
		obs_has "xtcp_state_change: netns=$nb $sk_re src=$B dst=$A SYN_RECV -> ESTABLISHED\$" &&
		obs_has "xtcp_segment_send: netns=$na src=$A dst=$B flags=PSH\|ACK seq=[0-9]+ ack=[0-9]+ len=5 .* opts=ts " &&
		obs_has "xtcp_segment_recv: netns=$na src=$B dst=$A flags=PSH\|ACK seq=[0-9]+ ack=[0-9]+ len=5 " &&
		obs_has "xtcp_state_change: netns=$na $sk_re src=$A dst=$B ESTABLISHED -> FIN_WAIT1\$" &&
		obs_has "xtcp_state_change: netns=$nb $sk_re src=$B dst=$A CLOSE_WAIT -> LAST_ACK\$" &&
		obs_has "xtcp_state_change: netns=$na $sk_re src=$A dst=$B FIN_WAIT2 -> TIME_WAIT\$" &&
		obs_has "xtcp_tw_create: netns=$na src=$A dst=$B snd_nxt=[0-9]+ rcv_nxt=[0-9]+\$" &&
		obs_has "xtcp_tw_expire: netns=$na src=$A dst=$B snd_nxt=[0-9]+ rcv_nxt=[0-9]+\$" &&
		obs_has "xtcp_state_change: netns=$nb $sk_re src=$B dst=$A LAST_ACK -> CLOSE\$" &&
		obs_has "xtcp_probe: netns=$nb src=$B dst=$A mark=0x0 data_len=5 snd_nxt=[0-9]+ snd_una=[0-9]+ snd_cwnd=[1-9][0-9]* ssthresh=2147483647 .* ca_state=0 cc_value=0 state=ESTABLISHED\$" &&
		obs_has "xtcp_probe: netns=$na src=$A dst=$B .* bytes_acked=7 .* state=FIN_WAIT2\$" ||
		{ obs_show_trace; return 1; }
	[ "$(wire_counter b pre "$h")" = 1 ] || fail "the drop rule matched $(wire_counter b pre "$h") SYNs"
}

# obs_ladder_states TEXT SIDE: the states a ladder shows for end A or B, in order
obs_ladder_states() {
	if [ "$2" = A ]; then
		grep -E '^ *[0-9]+\.[0-9]{3}  [A-Z_0-9]+$' <<<"$1" | awk '{ print $2 }' | tr '\n' ' '
	else
		grep -E '^( *[0-9]+\.[0-9]{3})? {20,}[A-Z_0-9]+$' <<<"$1" | awk '{ print $NF }' | tr '\n' ' '
	fi
}

# obs_svg_geometry SVG: no text of a ladder's SVG crosses a line or another
# text (tools/xtcp-ladder lays them out so).
obs_svg_geometry() {
	python3 - "$1" <<-'EOF'
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	ns = "{http://www.w3.org/2000/svg}"
	# each text's box (12 px monospace: 0.602 em a character,
	# from 10 px above the baseline to 3 below) meets no line and no other box
	def box(t):
	    x, y, n = float(t.get("x")), float(t.get("y")), len(t.text or "") * 7.224
	    a = t.get("text-anchor", "start")
	    x0 = x - n if a == "end" else x - n / 2 if a == "middle" else x
	    return (x0, y - 10, x0 + n, y + 3, t.text)
	def meets(b, l):
	    # a segment and a box: Liang-Barsky clipping
	    x1, y1, x2, y2 = (float(l.get(k)) for k in ("x1", "y1", "x2", "y2"))
	    t0, t1, dx, dy = 0.0, 1.0, x2 - x1, y2 - y1
	    for p, q in ((-dx, x1 - b[0]), (dx, b[2] - x1), (-dy, y1 - b[1]), (dy, b[3] - y1)):
	        if p == 0:
	            if q < 0:
	                return False
	        elif p < 0:
	            t0 = max(t0, q / p)
	        else:
	            t1 = min(t1, q / p)
	    return t0 <= t1
	boxes = [box(t) for t in root.iter(ns + "text")]
	lines = list(root.iter(ns + "line"))
	bad = ["text %r crosses line %s" % (b[4], dict(l.attrib)) for b in boxes for l in lines if meets(b, l)]
	bad += ["texts %r and %r overlap" % (b[4], c[4]) for i, b in enumerate(boxes) for c in boxes[i + 1:]
	        if b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3]]
	if bad:
	    sys.exit("SVG layout (%d texts, %d lines):\n" % (len(boxes), len(lines)) + "\n".join(bad[:10]))
	print("# SVG %s: %d texts, %d lines, none crossing" % (sys.argv[1].split("/")[-1], len(boxes), len(lines)))
	EOF
}

# obs_ladder_check TEXT SVG PEER_STATES: the textbook ladder of a connection
# that A opened, sent and received on, and closed first.
obs_ladder_check() {
	local text=$1 svg=$2 b_states=$3 got arrows
	arrows=$(grep -cE -- '(->|--|lost)$' <<<"$text")
	text=$(grep -vE -- '-X +lost$' <<<"$text")
	got=$(obs_ladder_states "$text" A)
	obs_expect "A's states" "SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE " "$got" ||
		return 1
	got=$(obs_ladder_states "$text" B)
	obs_expect "B's states" "$b_states" "$got" || return 1
	# the three-way handshake, first three arrows, in relative numbers
	got=$(grep -E -- '(->|--)$' <<<"$text" | head -n 3 | sed -E 's/^ *[0-9.]+ +//; s/ win=.*//; s/-+/-/g')
	obs_expect "handshake" "$(printf '%s\n' "- SYN seq=0" "<- SYN|ACK seq=0 ack=1" "- ACK seq=1 ack=1")" \
		"$got" || return 1
	grep -q "A: 2MSL over: bucket expires" <<<"$text" || fail "no TIME_WAIT expiry in the ladder" ||
		return 1
	# the picture: one arrow per arrow line, lost ones too
	python3 - "$svg" "$arrows" <<-'EOF' || fail "SVG ladder: see above"
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	ns = "{http://www.w3.org/2000/svg}"
	segs = [l for l in root.iter(ns + "line") if l.get("class", "").startswith("seg")]
	states = [t.text for t in root.iter(ns + "text") if t.get("class") == "state"]
	if len(segs) != int(sys.argv[2]):
	    sys.exit("SVG has %d arrows, the text %s" % (len(segs), sys.argv[2]))
	if states[:2] != ["LISTEN", "SYN_SENT"] or "TIME_WAIT" not in states:
	    sys.exit("SVG states: %s" % states)
	EOF
	obs_svg_geometry "$svg" || fail "SVG ladder: a text crosses a line or a text"
}

# The ladders of three recorded connections (xtcp to xtcp, xtcp to Linux TCP,
# and xtcp to xtcp with a lost SYN and 20 000 bytes, 42 arrows), text and SVG,
# are as reviewed, show the textbook exchange, and no text of their SVGs
# crosses a line or another text.
case_observe_ladder_recorded() {
	local t out tmp=/tmp/ladder.$BASHPID
	mkdir -p "$tmp"
	for t in xtcp-xtcp xtcp-inet xtcp-xtcp-lost-syn; do
		out=$("$OBS_TOOLS/xtcp-ladder" draw --svg "$tmp/$t.svg" "$OBS_LADDER_DATA/$t.trace") ||
			fail "xtcp-ladder draw $t" || return 1
		printf '%s\n' "$out" >"$tmp/$t.txt"
		diff -u "$OBS_LADDER_DATA/$t.txt" "$tmp/$t.txt" >&2 ||
			fail "$t: the text ladder changed" || return 1
		cmp "$OBS_LADDER_DATA/$t.svg" "$tmp/$t.svg" || fail "$t: the SVG ladder changed" ||
			return 1
		obs_svg_geometry "$tmp/$t.svg" || fail "$t: a text of the SVG crosses a line or a text" ||
			return 1
	done
	out=$("$OBS_TOOLS/xtcp-ladder" draw --svg "$tmp/x.svg" "$OBS_LADDER_DATA/xtcp-xtcp.trace")
	obs_ladder_check "$out" "$tmp/x.svg" "LISTEN SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE " ||
		return 1
	out=$("$OBS_TOOLS/xtcp-ladder" draw --svg "$tmp/i.svg" "$OBS_LADDER_DATA/xtcp-inet.trace")
	grep -q "B 10.77.0.2:7001 (Linux TCP)" <<<"$out" || fail "the Linux TCP end is not named" ||
		return 1
	obs_ladder_check "$out" "$tmp/i.svg" "LISTEN ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE "
	rm -rf "$tmp"
}

# A live connection, recorded and drawn by `xtcp-ladder run`, with dozens of
# segments (20 000 bytes back): its lost SYN is drawn lost and its
# retransmission noted, and no text of its SVG crosses a line or a text.
case_observe_ladder_live() {
	local out tmp
	wire_inet_skip "xtcp's own tracepoints" && return 0
	wire_setup nowatch || return 1
	wire_sysctl a tw_timeout_ms 1000 || return 1
	tmp=$WIRE_TMP
	cat >"$tmp/conn.sh" <<-EOF
	ip netns exec $WIRE_B $WIRE_XFER script --family xtcp bind:7712 listen say:up accept \
		recv:5 send:20000 eof sleep:200 close >$tmp/srv.out &
	for i in \$(seq 100); do grep -q up $tmp/srv.out && break; sleep 0.1; done
	ip netns exec $WIRE_A $WIRE_XFER script --family xtcp connect:$WIRE_ADDR_B:7712 send:5 \
		recv:20000 shutdown:wr eof close || exit 1
	wait || exit 1
	sleep 2
	EOF
	# the first SYN is dropped, the second not (a counter: 0, 1)
	modprobe -q nft_numgen 2>/dev/null || true
	wire_rule b pre tcp dport 7712 tcp flags '&' '(syn|ack)' == syn numgen inc mod 2 == 0 drop \
		>/dev/null || return 1
	# OBS_LADDER_KEEP=FILE keeps the trace (how tests/ladder/ got its own)
	out=$("$OBS_TOOLS/xtcp-ladder" run --port 7712 --svg "$tmp/l.svg" \
		${OBS_LADDER_KEEP:+--keep "$OBS_LADDER_KEEP"} -- bash "$tmp/conn.sh") ||
		fail "xtcp-ladder run failed: $out" || return 1
	echo "$out"
	grep -qE -- "SYN seq=0 .*-X +lost$" <<<"$out" || fail "the dropped SYN is not drawn lost" ||
		return 1
	grep -q "(A: retransmission timer: try 2, next RTO" <<<"$out" || fail "no retransmission note" ||
		return 1
	# the first SYN is the lost one
	[ "$(grep -E -- ' SYN seq=0 ' <<<"$out" | head -n 1 | grep -cE -- '-X +lost$')" = 1 ] ||
		fail "the first SYN is not the one drawn lost" || return 1
	# the rest as in the textbook, from the retransmitted SYN on
	obs_ladder_check "$out" "$tmp/l.svg" "LISTEN SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE "
}

# Timestamps, SACK and window scaling off in a: its SYN offers only the MSS
# (with tcp_select_initial_window()'s window for a 1460-byte MSS, 64240), and
# b (all on) answers with only the MSS too. case_observe_sysctl_syn_options
# turns them off with the net.xtcp.* overrides, in a namespace whose
# net.ipv4.tcp_* are on; case_observe_tcp_sysctl_syn_options with
# net.ipv4.tcp_timestamps, tcp_sack and tcp_window_scaling alone, which xtcp
# follows while its overrides are unset.
case_observe_sysctl_syn_options() {
	wire_inet_skip "xtcp's own sysctls" && return 0
	wire_setup nowatch || return 1
	wire_sysctl a timestamps 0 && wire_sysctl a sack 0 && wire_sysctl a window_scaling 0 ||
		return 1
	obs_syn_options_off
}
case_observe_tcp_sysctl_syn_options() {
	local k
	wire_inet_skip "the net.xtcp overrides unset: xtcp follows net.ipv4" && return 0
	wire_setup nowatch || return 1
	for k in timestamps sack window_scaling; do
		[ "$(in_ns a cat "/proc/sys/net/xtcp/$k")" = -1 ] ||
			fail "net.xtcp.$k is set in a new namespace" || return 1
		in_ns a sh -c "echo 0 >/proc/sys/net/ipv4/tcp_$k" ||
			fail "cannot set net.ipv4.tcp_$k in a" || return 1
	done
	obs_syn_options_off
}
obs_syn_options_off() {
	local A B
	obs_trace_on || return 1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7713 listen say:up accept recv:1 eof \
		close
	wire_line srv up || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp bind:7613 connect:"$WIRE_ADDR_B":7713 \
		send:1 close
	wire_wait cli && wire_wait srv || return 1
	obs_trace_read
	A="${WIRE_ADDR_A//./\\.}:7613" B="${WIRE_ADDR_B//./\\.}:7713"
	obs_has "xtcp_segment_send: .* src=$A dst=$B flags=SYN seq=[0-9]+ ack=0 len=0 win=64240 opts=mss mss=1460 wscale=0 tsval=0 tsecr=0 state=SYN_SENT\$" &&
		obs_has "xtcp_segment_send: .* src=$B dst=$A flags=SYN\\|ACK .* opts=mss mss=1460 wscale=0 tsval=0 tsecr=0 state=SYN_RECV\$" &&
		obs_has "xtcp_segment_send: .* src=$A dst=$B flags=PSH\\|ACK .* len=1 .* opts= mss=0 " ||
		{ obs_show_trace; return 1; }
	! grep -Eq "src=$A .* opts=[a-z,]*(ts|sackOK|wscale)" <<<"$OBS_TRACE" ||
		fail "a segment of a carries an option switched off"
}

# The net.xtcp.* overrides of net.ipv4.tcp_* sysctls: unset (-1) in a new
# namespace, set within the bounds TCP's namesake has (else EINVAL, the value
# kept), -1 again to follow TCP; rmem and wmem whole. xtcp's own knobs
# (tw_timeout_ms, max_orphans, ...) have real values.
light_soak[observe_sysctl_overrides]="the override handler runs under KASAN wherever a case sets a net.xtcp knob (net_keepalive, observe_sysctl_synack_retries); Debian's kernel checks every bound"
case_observe_sysctl_overrides() {
	local d=/proc/sys/net/xtcp k
	wire_inet_skip "xtcp's own sysctls" && return 0
	wire_setup nowatch || return 1
	for k in syn_retries synack_retries retries2 timestamps sack window_scaling tw_reuse \
		rfc1337 challenge_ack_limit keepalive_time keepalive_intvl keepalive_probes \
		syncookies orphan_retries invalid_ratelimit comp_sack_nr comp_sack_delay_ns \
		notsent_lowat dsack early_retrans ecn frto; do
		[ "$(in_ns a cat "$d/$k")" = -1 ] || fail "net.xtcp.$k starts at $(in_ns a cat "$d/$k"), not -1" ||
			return 1
	done
	for k in rmem wmem; do
		[ "$(in_ns a cat "$d/$k")" = "-1	-1	-1" ] ||
			fail "net.xtcp.$k starts at '$(in_ns a cat "$d/$k")', not -1 -1 -1" || return 1
	done
	[ "$(in_ns a cat "$d/tw_timeout_ms")" -gt 0 ] || fail "tw_timeout_ms is not xtcp's own" || return 1
	# in bounds, out of bounds, back to following
	in_ns a sh -c "echo 0 >$d/timestamps" && [ "$(in_ns a cat "$d/timestamps")" = 0 ] ||
		fail "net.xtcp.timestamps=0 not taken" || return 1
	! in_ns a sh -c "echo 2 >$d/timestamps" 2>/dev/null && [ "$(in_ns a cat "$d/timestamps")" = 0 ] ||
		fail "net.xtcp.timestamps=2 taken (bounds 0..1)" || return 1
	! in_ns a sh -c "echo -2 >$d/timestamps" 2>/dev/null ||
		fail "net.xtcp.timestamps=-2 taken" || return 1
	! in_ns a sh -c "echo 0 >$d/syn_retries" 2>/dev/null ||
		fail "net.xtcp.syn_retries=0 taken (bounds 1..127)" || return 1
	in_ns a sh -c "echo -1 >$d/timestamps" && [ "$(in_ns a cat "$d/timestamps")" = -1 ] ||
		fail "net.xtcp.timestamps=-1 not taken" || return 1
	in_ns a sh -c "echo 4096 65536 262144 >$d/rmem" &&
		[ "$(in_ns a cat "$d/rmem")" = "4096	65536	262144" ] ||
		fail "net.xtcp.rmem not set" || return 1
	! in_ns a sh -c "echo 4096 0 262144 >$d/rmem" 2>/dev/null &&
		[ "$(in_ns a cat "$d/rmem")" = "4096	65536	262144" ] ||
		fail "net.xtcp.rmem took a 0 (bounds: at least 1)" || return 1
	in_ns a sh -c "echo -1 -1 -1 >$d/rmem" && [ "$(in_ns a cat "$d/rmem")" = "-1	-1	-1" ] ||
		fail "net.xtcp.rmem=-1 -1 -1 not taken"
}

# net.xtcp.retries2=3: a peer gone silent after the handshake ends the
# connection with ETIMEDOUT after three retransmissions of the data, each
# after twice the wait of the one before (RFC 6298 §5.5), the first after the
# RTO the handshake's round trip gave (at least 200 ms).
case_observe_sysctl_retries2() {
	local n gaps
	wire_inet_skip "net.xtcp.retries2 (Linux's tcp_retries2 waits minutes)" && return 0
	wire_setup nowatch || return 1
	wire_sysctl a retries2 3 || return 1
	# the RTO's retransmissions alone: no tail loss probe before them
	wire_sysctl a early_retrans 0 || return 1
	obs_trace_on || return 1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7714 listen say:up accept say:in hold
	wire_line srv up || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp bind:7614 connect:"$WIRE_ADDR_B":7714 \
		say:up wait:go send:1 recv:1
	wire_line srv in && wire_line cli up || return 1
	wire_rule b pre ip saddr "$WIRE_ADDR_A" tcp sport 7614 drop >/dev/null || return 1
	wire_go go
	if wire_wait cli 2>/dev/null; then
		fail "recv succeeded from a silent peer" || return 1
	fi
	wire_read cli
	grep -q "recv: .*(ETIMEDOUT)" <<<"$WIRE_OUT" || fail "client ended with: $WIRE_OUT" ||
		return 1
	obs_trace_read
	n=$(grep -cE "xtcp_retransmit: .* src=${WIRE_ADDR_A//./\\.}:7614 .* len=1 " <<<"$OBS_TRACE")
	obs_expect "data retransmissions before ETIMEDOUT" 3 "$n" || return 1
	# the first transmission and the three retransmissions: "kind time rto_ms"
	gaps=$(grep -E "xtcp_(segment_send|retransmit): .* src=${WIRE_ADDR_A//./\\.}:7614 .* len=1 " \
		<<<"$OBS_TRACE" |
		sed -E 's/.* ([0-9]+\.[0-9]+): xtcp_(segment_send|retransmit):.*rto_ms=([0-9]+).*/\2 \1 \3/; s/.* ([0-9]+\.[0-9]+): xtcp_(segment_send):.*/\2 \1 0/')
	echo "$gaps"
	# Each retransmission arms twice the RTO of the one before (rto_ms: the
	# timeout armed next), and the timer never fires before its RTO (nor
	# grossly after). The first RTO is the estimate's: at least 200 ms.
	awk '$1 == "segment_send" && !t { t = $2; last = $2; next }
		$1 == "retransmit" && t { n++; gap = $2 - last; last = $2
			if (n == 1 && gap < 0.195) { print "first RTO " gap " s, below 200 ms"; bad = 1 }
			if (n > 1 && gap < rto / 1000 - 0.005) { print "retransmission " n " after " gap " s, RTO " rto " ms"; bad = 1 }
			if (n > 1 && gap > 3 * rto / 1000 + 1) { print "retransmission " n " after " gap " s, RTO " rto " ms"; bad = 1 }
			if (n > 1 && $3 != 2 * rto) { print "RTO " $3 " ms after " rto " ms: not doubled"; bad = 1 }
			rto = $3 }
		END { if (n != 3) { print n " retransmissions traced"; bad = 1 }; exit bad }' <<<"$gaps" >&2 ||
		fail "retransmissions do not back off by doubling"
}

# net.xtcp.synack_retries=1: a child whose SYN+ACK is never ACKed sends it
# again once, then goes.
case_observe_sysctl_synack_retries() {
	local n
	wire_inet_skip "xtcp's own sysctls" && return 0
	wire_setup nowatch || return 1
	wire_sysctl b synack_retries 1 || return 1
	obs_trace_on || return 1
	# only the SYN gets through to b
	wire_rule b pre ip saddr "$WIRE_ADDR_A" tcp sport 7615 tcp flags '&' syn != syn drop \
		>/dev/null || return 1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7715 listen say:up hold
	wire_line srv up || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp bind:7615 connect:"$WIRE_ADDR_B":7715 \
		say:up hold
	wire_line cli up || return 1
	wire_state b xtcp 7715 7615 SYN_RECV 5 || return 1
	wire_gone b xtcp 7715 7615 15 || return 1
	obs_trace_read
	n=$(grep -cE "xtcp_retransmit: .* src=${WIRE_ADDR_B//./\\.}:7715 .* state=SYN_RECV\$" <<<"$OBS_TRACE")
	obs_expect "SYN+ACK retransmissions" 1 "$n"
}

# One malformed segment of each kind the parser refuses, sent to a listener:
# each is dropped with its reason (xtcp_drop) and counted (InErrs, and
# InCsumErrors or BadOptions), nothing answers or opens, and the listener
# then takes a good connection.
case_observe_malformed_dropped() {
	local name reason n e0 c0 o0 sent
	wire_inet_skip "xtcp's own counters and tracepoints" && return 0
	wire_setup nowatch || return 1
	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:7716 listen say:up accept recv:1 eof \
		close
	wire_line srv up || return 1
	obs_snmp b InErrs && e0=$OBS_VAL && obs_snmp b InCsumErrors && c0=$OBS_VAL &&
		obs_snmp b BadOptions && o0=$OBS_VAL || return 1
	obs_trace_on || return 1
	sent=$(in_ns a "$WIRE_PY" "${BASH_SOURCE[0]%/*}/../malformed.py" \
		"$WIRE_ADDR_A" "$WIRE_ADDR_B" 7716) || fail "malformed.py: $sent" || return 1
	n=$(wc -l <<<"$sent")
	obs_expect "malformed segments sent" 6 "$n" || return 1
	wire_poll 5 "six drops counted" eval \
		'obs_snmp b InErrs && [ "$OBS_VAL" -ge $((e0 + 6)) ]' || return 1
	obs_trace_read
	while read -r name reason; do
		obs_has "xtcp_drop: netns=[0-9]+ src=${WIRE_ADDR_A//./\\.} dst=${WIRE_ADDR_B//./\\.} reason=$reason\$" ||
			{ obs_show_trace; fail "$name: not dropped as '$reason'"; return 1; }
	done <<<"$sent"
	obs_snmp b InErrs && obs_expect "InErrs" $((e0 + 6)) "$OBS_VAL" || return 1
	obs_snmp b InCsumErrors && obs_expect "InCsumErrors" $((c0 + 1)) "$OBS_VAL" || return 1
	obs_snmp b BadOptions && obs_expect "BadOptions" $((o0 + 2)) "$OBS_VAL" || return 1
	! grep -q "xtcp_segment_send:" <<<"$OBS_TRACE" || { obs_show_trace; fail "xtcp answered"; } ||
		return 1
	! grep -q "xtcp_state_change:" <<<"$OBS_TRACE" || { obs_show_trace; fail "a state changed"; } ||
		return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp connect:"$WIRE_ADDR_B":7716 send:1 close
	wire_wait cli && wire_wait srv
}
