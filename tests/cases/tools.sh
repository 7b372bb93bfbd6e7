# shellcheck shell=bash
# The userland tools of tools/, each run against real xtcp connections in two
# namespaces (tests/lib/netns.sh) and checked by what it prints.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"
TOOLS_DIR=$(cd "${BASH_SOURCE[0]%/*}/../../tools" && pwd)
light_skip[tools_xtcpstat]="a userland tool: no kernel path of its own"

# tools_expect WHAT PATTERN TEXT: TEXT has a line matching the ERE PATTERN.
tools_expect() {
	grep -Eq "$2" <<<"$3" || fail "$1: no line matching '$2' in:" "$3"
}

# xtcpstat lists a listener and a connection like `ss -tan`, filters by state,
# and its counter deltas move by one for one connection.
case_tools_xtcpstat() {
	local out st="$TOOLS_DIR/xtcpstat" A=$WIRE_ADDR_A B=$WIRE_ADDR_B
	wire_inet_skip "xtcpstat reads xtcp's /proc files" && return 0
	wire_setup || return 1
	"$st" --netns "$WIRE_A" --reset || fail "xtcpstat --reset" || return 1
	"$st" --netns "$WIRE_B" --reset || fail "xtcpstat --reset" || return 1

	wire_bg l1 b "$WIRE_XFER" script --family xtcp bind:7501 listen say:up accept hold
	wire_line l1 up || return 1
	wire_bg c1 a "$WIRE_XFER" script --family xtcp bind:7601 connect:"$B":7501 say:up hold
	wire_state a xtcp 7601 7501 ESTABLISHED || return 1

	out=$("$st" --netns "$WIRE_B" -l -n) || fail "xtcpstat -l" || return 1
	echo "$out"
	tools_expect "listeners" '^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port$' "$out" ||
		return 1
	tools_expect "listeners" '^LISTEN +[0-9]+ +[0-9]+ +0\.0\.0\.0:7501 +0\.0\.0\.0:\*$' "$out" ||
		return 1
	[ "$(grep -c ESTAB <<<"$out")" = 0 ] || fail "-l listed a connection" || return 1

	out=$("$st" --netns "$WIRE_A" -n) || fail "xtcpstat" || return 1
	echo "$out"
	tools_expect "connections" "^ESTAB +0 +0 +${A//./\\.}:7601 +${B//./\\.}:7501\$" "$out" ||
		return 1
	out=$("$st" --netns "$WIRE_A" -n --state listening --state time-wait) || return 1
	[ "$(wc -l <<<"$out")" = 1 ] || fail "--state listening --state time-wait listed:" "$out" ||
		return 1
	out=$("$st" --netns "$WIRE_B" -a -n)
	[ "$(grep -cE '^(LISTEN|ESTAB) ' <<<"$out")" = 2 ] || fail "-a in b:" "$out" || return 1

	out=$("$st" --netns "$WIRE_A" --counters --delta) || fail "xtcpstat --delta" || return 1
	echo "a: $(tr '\n' ' ' <<<"$out")"
	tools_expect "client deltas" '^ActiveOpens +1$' "$out" || return 1
	out=$("$st" --netns "$WIRE_B" --counters --delta) || fail "xtcpstat --delta" || return 1
	echo "b: $(tr '\n' ' ' <<<"$out")"
	tools_expect "server deltas" '^PassiveOpens +1$' "$out" || return 1
	# the history moved on: nothing opened since
	out=$("$st" --netns "$WIRE_A" --counters --delta)
	! grep -q '^ActiveOpens' <<<"$out" || fail "ActiveOpens moved again:" "$out" || return 1
	out=$("$st" --netns "$WIRE_A" --counters -z)
	tools_expect "all counters" '^ActiveOpens +[1-9]' "$out" || return 1
	tools_expect "all counters" '^InCsumErrors +0$' "$out"
}

# xtcpstat -i prints, under an xtcp connection, what `ss -ti` prints under a
# TCP one: an xtcp and a Linux TCP connection that moved the same bytes, side
# by side. Every name xtcpstat prints is one ss printed for TCP's (but for the
# few that ss prints only when non-zero and may differ: timers, rates), in
# ss's order, and its values are those TCP_INFO gives the socket's owner.
light_skip[tools_xtcpstat_info]="a userland tool over /proc/net/xtcp_info, which the distro lane reads"
case_tools_xtcpstat_info() {
	local f port out ours theirs info B=$WIRE_ADDR_B
	wire_inet_skip "xtcpstat reads xtcp's /proc files" && return 0
	wire_setup || return 1
	for f in xtcp inet; do
		port=7521 && [ "$f" = inet ] && port=7522
		wire_bg "s_$f" b "$WIRE_XFER" script --family "$f" bind:$port listen say:up accept \
			recv:100000 send:5000 hold
		wire_line "s_$f" up || return 1
		wire_bg "c_$f" a "$WIRE_XFER" script --family "$f" bind:$((port + 100)) \
			connect:"$B":$port send:100000 recv:5000 sleep:300 info say:done hold
		wire_line "c_$f" done || return 1
	done
	out=$("$TOOLS_DIR/xtcpstat" --netns "$WIRE_A" -n -i -O) || fail "xtcpstat -i -O" || return 1
	echo "$out"
	grep -qE '^	 ts sack (cubic|reno) ' <<<"$out" || fail "-O: no ts sack first" || return 1
	out=$("$TOOLS_DIR/xtcpstat" --netns "$WIRE_A" -n -i) || fail "xtcpstat -i" || return 1
	ours=$(grep -A1 -E "^ESTAB .*:7621 " <<<"$out" | tail -n 1)
	# ss reads inet_diag (tcp_diag); without it, /proc/net/tcp's few fields
	modprobe -q tcp_diag 2>/dev/null || :
	theirs=$(ip netns exec "$WIRE_A" ss -tni state established '( sport = :7622 )' | tail -n 1)
	grep -q ' mss:' <<<"$theirs" || fail "ss -ti shows no mss: no tcp_diag?" "$theirs" || return 1
	echo "# ss -ti, Linux TCP:$theirs"
	info=$(grep -E '^mss ' "$WIRE_TMP/c_xtcp.out")
	echo "# TCP_INFO, xtcp: $info"
	python3 - "$ours" "$theirs" "$info" <<-'EOF' || fail "xtcpstat -i beside ss -ti: see above"
	import re, sys
	ours, theirs, info = sys.argv[1:]
	def keys(line):
	    # "name:value", "name value" (send, pacing_rate...) and bare flags
	    toks = line.split()
	    out, i = [], 0
	    while i < len(toks):
	        t = toks[i]
	        k = t.split(":")[0]
	        if k in ("send", "pacing_rate", "delivery_rate") and i + 1 < len(toks):
	            i += 1
	        out.append(k)
	        i += 1
	    return out
	mine, ss = keys(ours), keys(theirs)
	if not mine:
	    sys.exit("no info line under the xtcp connection")
	# ss prints these only when non-zero; an idle connection's may differ
	loose = {"lastsnd", "lastrcv", "lastack", "backoff", "unacked", "notsent",
	         "retrans", "lost", "sacked", "bytes_retrans", "reordering", "app_limited",
	         "rcv_rtt", "busy", "rwnd_limited", "sndbuf_limited", "delivered",
	         "delivery_rate", "pacing_rate", "rcv_ooopack"}
	extra = [k for k in mine if k not in ss and k not in loose]
	if extra:
	    sys.exit("xtcpstat -i printed names ss -ti did not: %s" % extra)
	common = [k for k in mine if k in ss]
	if common != [k for k in ss if k in common]:
	    sys.exit("not in ss's order: %s against %s" % (common, ss))
	print("# names as ss prints them: %d; ss printed for TCP, xtcp has not: %s"
	      % (len(common), " ".join(k for k in ss if k not in mine) or "none"))
	want = dict(re.findall(r"(\w+) (\d+)", info))
	got = dict(re.findall(r"(\w+):(\d+)(?:\s|$)", ours))
	for k, name in (("mss", "mss"), ("pmtu", "pmtu"), ("cwnd", "cwnd"),
	                ("bytes_acked", "bytes_acked"), ("bytes_received", "bytes_received"),
	                ("segs_out", "segs_out"), ("segs_in", "segs_in"),
	                ("data_segs_out", "data_segs_out"), ("data_segs_in", "data_segs_in")):
	    if got.get(name) != want.get(k):
	        sys.exit("%s: xtcpstat -i says %s, TCP_INFO %s" % (name, got.get(name), want.get(k)))
	# as Linux TCP counts them for the same bytes: the SYN, then the data
	tcp = dict(re.findall(r"(\w+):([\d,]+)(?:\s|$)", theirs))
	got = dict(re.findall(r"(\w+):([\d,]+)(?:\s|$)", ours))
	for k in ("bytes_acked", "bytes_received", "bytes_sent", "data_segs_in", "mss",
	          "rcvmss", "advmss", "pmtu", "wscale"):
	    if got.get(k) != tcp.get(k):
	        sys.exit("%s: xtcp %s, Linux TCP %s for the same bytes" % (k, got.get(k), tcp.get(k)))
	# the windowed minimum RTT and the pacing rate, which TCP has after the
	# same transfer: present, the minimum no more than SRTT (a smoothing of
	# samples no less than it), the rate tcp_update_pacing_rate()'s
	for k in ("minrtt", "pacing_rate"):
	    if k in ss and k not in mine:
	        sys.exit("%s: ss -ti has it for Linux TCP, xtcpstat -i not" % k)
	v = {k: int(x) for k, x in re.findall(r"(\w+) (\d+)", info)}
	if not 0 < v["min_rtt"] <= v["rtt"] + 1:
	    sys.exit("TCP_INFO: min_rtt %d against rtt %d" % (v["min_rtt"], v["rtt"]))
	ratio = 200 if v["cwnd"] < v["ssthresh"] // 2 else 120
	rate = v["mss"] * 10000 * ratio * max(v["cwnd"], v["unacked"]) // v["rtt"]
	if v["max_pacing_rate"] != (1 << 64) - 1 or abs(v["pacing_rate"] - rate) > rate // 100:
	    sys.exit("TCP_INFO: pacing_rate %d (max %d); mss * cwnd / srtt * %d%% is %d"
	             % (v["pacing_rate"], v["max_pacing_rate"], ratio, rate))
	print("# TCP_INFO: min_rtt %d us, rtt %d us, pacing_rate %d B/s (%d%%)"
	      % (v["min_rtt"], v["rtt"], v["pacing_rate"], ratio))
	EOF
}

# xtcpize (tools/xtcpize): unmodified programs, their IPv4 TCP sockets turned
# into xtcp's by an LD_PRELOAD library. Each case checks the programs' own
# output and, in /proc/net/xtcp of each namespace, that their connections were
# xtcp's.
XTCPIZE=$TOOLS_DIR/xtcpize/xtcpize
light_skip[tools_xtcpize_basics]="a userland tool: no kernel path of its own"
light_skip[tools_xtcpize_curl_http]="a userland tool: no kernel path of its own"
light_skip[tools_xtcpize_nc]="a userland tool: no kernel path of its own"
light_skip[tools_xtcpize_iperf3]="a userland tool: no kernel path of its own"

# tools_exits RC PATTERN CMD...: CMD exits RC, its stderr matching the ERE PATTERN.
tools_exits() {
	local want=$1 pat=$2 rc=0 err
	shift 2
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = "$want" ] || fail "$*: exit $rc, want $want:" "$err" || return 1
	grep -Eq -- "$pat" <<<"$err" || fail "$*: stderr has no '$pat':" "$err"
}

tools_has_peer() { # NS RPORT STATE_CODE
	local r st rp line
	local -a lines=()
	printf -v rp %04X "$2"
	wire_path "$1" xtcp
	# (the table in one read: see tests/lib/netns.sh)
	mapfile -t lines <"$WIRE_PATH"
	for line in "${lines[@]}"; do
		read -r _ _ r st _ <<<"$line"
		[[ $r == *:"$rp" && ${st^^} == "$3" ]] && return 0
	done
	return 1
}
# tools_xtcp_peer NS RPORT STATE [SECONDS]: wait for an xtcp socket in namespace
# NS connected to port RPORT, in STATE.
tools_xtcp_peer() {
	wire_state_code "$3" || return 1
	wire_poll "${4:-10}" "an xtcp socket in $1 to port $2 in $3" \
		tools_has_peer "$1" "$2" "$WIRE_CODE" && return 0
	wire_path "$1" xtcp
	sed 's/^/  /' "$WIRE_PATH" >&2
	return 1
}

# Which sockets xtcpize turns into xtcp's, read back with SO_DOMAIN: IPv4 TCP
# (flags and IPPROTO_TCP too) and nothing else; the family is the module's.
# Its refusals and exit codes; the library alone when xtcp is not loaded.
case_tools_xtcpize_basics() {
	local x=$XTCPIZE out py
	wire_inet_skip "xtcpize makes xtcp sockets" && return 0
	py='import socket as s
def dom(*a):
    k = s.socket(*a)
    return str(k.getsockopt(s.SOL_SOCKET, s.SO_DOMAIN))
print(" ".join([dom(s.AF_INET, s.SOCK_STREAM),
    dom(s.AF_INET, s.SOCK_STREAM | s.SOCK_NONBLOCK | s.SOCK_CLOEXEC, s.IPPROTO_TCP),
    dom(s.AF_INET, s.SOCK_DGRAM), dom(s.AF_INET, s.SOCK_RAW, s.IPPROTO_TCP),
    dom(s.AF_INET6, s.SOCK_STREAM), dom(s.AF_UNIX, s.SOCK_STREAM)]))'

	out=$("$x" -h) || fail "xtcpize -h failed" || return 1
	tools_expect "xtcpize -h" '^usage: xtcpize run PROGRAM' "$out" || return 1
	tools_exits 2 'usage: xtcpize run' "$x" || return 1
	tools_exits 2 "unknown command 'frob'" "$x" frob || return 1
	tools_exits 2 'run needs a PROGRAM' "$x" run || return 1
	tools_exits 127 'nosuchprogram: command not found' "$x" run nosuchprogram || return 1
	tools_exits 126 'not an executable' "$x" run /etc/passwd || return 1
	# busybox is static: the preload cannot reach it, so xtcpize refuses.
	tools_exits 1 'statically linked' "$x" run /usr/bin/busybox nc -h || return 1
	tools_exits 1 "XTCPIZE_FAMILY='2' is not a family number" \
		env XTCPIZE_FAMILY=2 "$x" run true || return 1
	tools_exits 3 '' "$x" run sh -c 'exit 3' || return 1

	out=$("$x" run "$WIRE_PY" -S -c "$py") || fail "python under xtcpize:" "$out" || return 1
	echo "family 18: $out"
	[ "$out" = "18 18 2 2 10 1" ] || fail "SO_DOMAIN read '$out', want '18 18 2 2 10 1'" ||
		return 1

	# another family number: xtcpize follows the module's parameter
	unload || return 1
	insmod "$XTCP_KO" family=19 || fail "insmod family=19" || return 1
	out=$("$x" run "$WIRE_PY" -S -c "$py") || { rmmod xtcp; load; fail "python, family 19:" "$out"; return 1; }
	echo "family 19: $out"
	rmmod xtcp || return 1
	[ "$out" = "19 19 2 2 10 1" ] || { load; fail "SO_DOMAIN read '$out', want '19 19 2 2 10 1'"; return 1; }

	# xtcp not loaded: xtcpize refuses to run anything; the library alone fails
	# IPv4 TCP sockets (EAFNOSUPPORT) with one message, never falling back to TCP.
	tools_exits 1 'xtcp is not loaded' "$x" run true || { load; return 1; }
	tools_exits 1 'xtcpize: xtcp is not loaded.*EAFNOSUPPORT' \
		env LD_PRELOAD="$TOOLS_DIR/bin/libxtcpize.so" "$WIRE_PY" -S -c \
		'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM)' || { load; return 1; }
	load
}

# curl fetches a file from `python3 -m http.server`, both xtcpized: the file
# arrives whole; the server listened on xtcp, the client's connection is an xtcp
# one in its namespace, and the server's end (it closes first) is in TIME_WAIT.
case_tools_xtcpize_curl_http() {
	local www
	wire_inet_skip "xtcpize makes xtcp sockets" && return 0
	wire_setup || return 1
	www=$WIRE_TMP/www
	mkdir -p "$www"
	head -c 300000 /dev/urandom >"$www/data.bin"
	wire_bg http b "$XTCPIZE" run "$WIRE_PY" -S -m http.server -b "$WIRE_ADDR_B" -d "$www" 8080
	wire_state b xtcp 8080 0 LISTEN 60 || { wire_out http; return 1; }
	# slowed down, so that the connection is seen in the client's namespace
	wire_bg curl a "$XTCPIZE" run curl -sS --max-time 120 --limit-rate 100k \
		-o "$WIRE_TMP/got.bin" "http://$WIRE_ADDR_B:8080/data.bin"
	tools_xtcp_peer a 8080 ESTABLISHED 30 || return 1
	wire_wait curl || return 1
	cmp "$www/data.bin" "$WIRE_TMP/got.bin" || fail "curl fetched another file" || return 1
	echo "curl fetched $(wc -c <"$WIRE_TMP/got.bin") bytes"
	wire_state b xtcp 8080 '*' TIME_WAIT || return 1
	wire_line http '"GET /data.bin HTTP/1.1" 200' 10 || return 1
	wire_out http | tail -n 1
}

# OpenBSD nc in both roles (busybox nc is static: see tools_xtcpize_basics),
# data both ways: the client sends and shuts down its side (-N), the server
# sends back and closes at EOF. The server listened on xtcp; the client, the
# first to close, holds the connection's TIME_WAIT in its namespace.
case_tools_xtcpize_nc() {
	local nc d
	wire_inet_skip "xtcpize makes xtcp sockets" && return 0
	nc=$(command -v nc.openbsd) || fail "nc.openbsd missing: run scripts/setup (netcat-openbsd)" ||
		return 1
	wire_setup || return 1
	d=$WIRE_TMP
	head -c 100000 /dev/urandom >"$d/to_b"
	head -c 70000 /dev/urandom >"$d/to_a"
	wire_bg ncs b sh -c "exec '$XTCPIZE' run '$nc' -4 -l '$WIRE_ADDR_B' 9000 <'$d/to_a' >'$d/got_b'"
	wire_state b xtcp 9000 0 LISTEN 20 || { wire_out ncs; return 1; }
	wire_bg ncc a sh -c "exec '$XTCPIZE' run '$nc' -4 -N -w 60 '$WIRE_ADDR_B' 9000 <'$d/to_b' >'$d/got_a'"
	wire_wait ncc || return 1
	wire_wait ncs || return 1
	cmp "$d/to_b" "$d/got_b" || fail "the server received other data" || return 1
	cmp "$d/to_a" "$d/got_a" || fail "the client received other data" || return 1
	echo "nc: 100000 bytes a->b, 70000 bytes b->a"
	tools_xtcp_peer a 9000 TIME_WAIT
}

# iperf3 client and server: the client's report says the server received bytes;
# the server listened on xtcp and the client's connections are xtcp ones.
case_tools_xtcpize_iperf3() {
	local rx
	wire_inet_skip "xtcpize makes xtcp sockets" && return 0
	command -v iperf3 >/dev/null || fail "iperf3 missing: run scripts/setup" ||
		return 1
	wire_setup || return 1
	wire_bg ips b "$XTCPIZE" run iperf3 -s -1 -B "$WIRE_ADDR_B" -p 5201
	wire_state b xtcp 5201 0 LISTEN 20 || { wire_out ips; return 1; }
	wire_bg ipc a "$XTCPIZE" run iperf3 -c "$WIRE_ADDR_B" -p 5201 -t 3 --json
	tools_xtcp_peer a 5201 ESTABLISHED 20 || return 1
	wire_wait ipc || return 1
	wire_wait ips || return 1
	rx=$("$WIRE_PY" -c 'import json, sys
e = json.load(sys.stdin)["end"]
print(e["sum_sent"]["bytes"], e["sum_received"]["bytes"])' <"$WIRE_TMP/ipc.out") ||
		fail "iperf3's JSON:" "$(head -c 2000 "$WIRE_TMP/ipc.out")" || return 1
	echo "iperf3: sent and received bytes: $rx"
	[[ $rx =~ ^[1-9][0-9]*\ [1-9][0-9]*$ ]] || fail "iperf3 received nothing: $rx" || return 1
	wire_line ips "Accepted connection from $WIRE_ADDR_A" 1
}

# tools_lossy_conn PORT N [STEP...]: the namespace pair (wire_setup done)
# through netem, 5 ms each way and 3% of a's segments lost, and
# $WIRE_TMP/conn.sh, which moves N bytes from a (port PORT + 100, its xfer
# steps STEP... first, cc:NAME say) to b's xtcp listener on PORT and waits for
# both ends. netem drops per packet: a GSO packet of dozens of segments would
# be one draw, and a 1 MB transfer might then lose none. Offloads turned off
# do not stop that (the stack cuts GSO skbs after the qdisc, for xtcp as for
# Linux TCP's sk_setup_caps()): a segment per skb does.
tools_lossy_conn() {
	local port=$1 n=$2
	shift 2
	wire_static_neigh || fail "static neighbour entries failed" || return 1
	modprobe -q sch_netem 2>/dev/null || true
	ip -n "$WIRE_A" link set dev wa gso_max_segs 1 ||
		fail "ip link set wa gso_max_segs 1 failed" || return 1
	tc -n "$WIRE_A" qdisc add dev wa root netem delay 5ms loss 3% ||
		fail "tc netem on a failed" || return 1
	tc -n "$WIRE_B" qdisc add dev wb root netem delay 5ms || fail "tc netem on b failed" ||
		return 1
	cat >"$WIRE_TMP/conn.sh" <<-EOF
	ip netns exec $WIRE_B $WIRE_XFER script --family xtcp bind:$port listen say:up accept \
		recv:$n eof close >$WIRE_TMP/srv.out &
	for i in \$(seq 100); do grep -q up $WIRE_TMP/srv.out && break; sleep 0.1; done
	ip netns exec $WIRE_A $WIRE_XFER script --family xtcp $* bind:$((port + 100)) \
		connect:$WIRE_ADDR_B:$port send:$n shutdown:wr eof close || exit 1
	wait || exit 1
	EOF
}

# xtcp-probe (tools/xtcp-probe) records a 1 MB transfer through netem loss (3%
# of a's segments, 5 ms each way): its CSV holds the sender's xtcp_probe events
# as a second tracefs instance, recording the same run on its own, has them
# (row for row: count, order, values), in time order, every field parsed; the
# tracepoint fired once for every ACK the sender took (its xtcp_segment_recv
# events, the SYN+ACK aside), but the few its xtcp_drop events show dropped for
# PAWS or a full backlog; cwnd and ssthresh are sane, the loss shows as a
# recovery state and as retransmissions; the SVG is well-formed XML with each
# series, the recovery shaded and the losses marked.
light_skip[tools_xtcp_probe]="a userland tool; the tracepoint it reads is checked by observe_tracepoints and KUnit's rate_probe_once_per_ack in the same kernel"
case_tools_xtcp_probe() {
	local tmp out inst base n=1000000 port=7531 A=$WIRE_ADDR_A B=$WIRE_ADDR_B
	wire_inet_skip "xtcp's own tracepoint" && return 0
	wire_setup nowatch || return 1
	tools_lossy_conn "$port" "$n" || return 1
	tmp=$WIRE_TMP
	# the same events, recorded apart from the tool (and the segments a takes)
	base=/sys/kernel/tracing
	[ -d $base/instances ] || base=/sys/kernel/debug/tracing
	inst=$base/instances/probe-check-$$
	mkdir "$inst" || fail "no tracefs instance" || return 1
	echo 16384 >"$inst/buffer_size_kb" && echo mono >"$inst/trace_clock" &&
		echo "sport == $port || dport == $port" >"$inst/events/xtcp/xtcp_probe/filter" &&
		echo "sport == $port || dport == $port" \
			>"$inst/events/xtcp/xtcp_segment_recv/filter" &&
		echo 1 >"$inst/events/xtcp/xtcp_probe/enable" &&
		echo 1 >"$inst/events/xtcp/xtcp_segment_recv/enable" &&
		echo 1 >"$inst/events/xtcp/xtcp_drop/enable" ||
		{ rmdir "$inst"; fail "cannot enable xtcp_probe in $inst"; return 1; }
	out=$("$TOOLS_DIR/xtcp-probe" run --port $port --csv "$tmp/p.csv" --svg "$tmp/p.svg" \
		-- bash "$tmp/conn.sh") || { rmdir "$inst"; fail "xtcp-probe run failed: $out"; return 1; }
	echo 0 >"$inst/tracing_on"
	cat "$inst/trace" >"$tmp/raw.trace"
	grep -h . "$inst"/per_cpu/cpu*/stats | grep -E '^(overrun|dropped events):' |
		grep -v ': 0$' && { rmdir "$inst"; fail "the checking instance lost events"; return 1; }
	echo 0 >"$inst/events/xtcp/xtcp_probe/enable"
	echo 0 >"$inst/events/xtcp/xtcp_segment_recv/enable"
	echo 0 >"$inst/events/xtcp/xtcp_drop/enable"
	rmdir "$inst"
	echo "$out"
	tools_expect "summary" "^xtcp-probe: ${A//./\\.}:$((port + 100)) -> ${B//./\\.}:$port " \
		"$out" || return 1
	tools_expect "summary" '^retransmits +[1-9]' "$out" || return 1
	tools_expect "summary" '^recoveries +[1-9][0-9]*: (Recovery|Loss) ' "$out" || return 1
	python3 - "$tmp/p.csv" "$tmp/raw.trace" "$tmp/p.svg" "$A:$((port + 100))" "$n" <<-'EOF' ||
	import csv, re, sys
	import xml.etree.ElementTree as ET
	csvf, rawf, svgf, me, n = sys.argv[1:]
	n = int(n)
	rows = list(csv.DictReader(open(csvf)))
	line = re.compile(r"\s(\d+\.\d+):\s+(\w+):\s(.*)$")
	kv = re.compile(r"(\w+)=(\S*)")
	probes, recvs, drops = [], [], []
	for l in open(rawf):
	    m = line.search(l)
	    if not m:
	        continue
	    ev = dict(kv.findall(m.group(3)))
	    if m.group(2) == "xtcp_probe" and ev["src"] == me:
	        probes.append(ev)
	    elif m.group(2) == "xtcp_segment_recv" and ev["dst"] == me:
	        recvs.append(ev)
	    elif m.group(2) == "xtcp_drop" and ev["dst"] == me.split(":")[0]:
	        drops.append(ev["reason"])
	if not rows:
	    sys.exit("the CSV has no rows")
	cookie = rows[0]["sock_cookie"]
	if any(r["sock_cookie"] != cookie or r["src"] != me for r in rows):
	    sys.exit("the CSV mixes sockets")
	# row for row what the tracepoint gave the other instance
	if len(rows) != len(probes):
	    sys.exit("CSV: %d rows, the tracepoint: %d events of %s" % (len(rows), len(probes), me))
	for i, (r, p) in enumerate(zip(rows, probes)):
	    for k in ("snd_una", "snd_nxt", "snd_cwnd", "ssthresh", "srtt", "rtt_us",
	              "delivered", "interval_us", "losses", "ca_state", "pacing_rate",
	              "min_rtt", "bytes_acked", "total_retrans", "data_len", "sock_cookie"):
	        if r[k] != p[k]:
	            sys.exit("row %d: %s %s in the CSV, %s in the trace" % (i + 1, k, r[k], p[k]))
	# once per ACK: each segment a took but the SYN+ACK, before TIME_WAIT,
	# less those dropped before its ACK processing for the network's doing
	# alone: reordered past the PAWS window (two guest CPUs deliver the
	# veth's packets, and a preempted one holds its share), or a backlog
	# full while the sender's user held the socket
	acks = [e for e in recvs if "ACK" in e["flags"].split("|") and
	        "SYN" not in e["flags"].split("|") and e["state"] not in ("TIME_WAIT", "CLOSE")]
	why = {r: drops.count(r) for r in set(drops)}
	if set(why) - {"paws", "backlog"}:
	    sys.exit("segments to a dropped: %s" % why)
	if len(drops) > len(acks) // 10:
	    sys.exit("%d of a's %d ACKs dropped: %s" % (len(drops), len(acks), why))
	if len(acks) - len(drops) != len(probes):
	    sys.exit("a took %d ACKs (%d dropped: %s), xtcp_probe fired %d times" %
	             (len(acks), len(drops), why or "none", len(probes)))
	if drops:
	    print("# a's ACKs dropped (the network reordered them, or the backlog was full): %s" % why)
	ints = [c for c in rows[0] if c not in ("src", "dst", "state", "mark", "sock_cookie",
	                                        "ca_state_name", "time", "trace_time",
	                                        "delivery_rate")]
	prev = -1.0
	for i, r in enumerate(rows):
	    for c in ints:
	        int(r[c])
	    t = float(r["time"])
	    if t < prev:
	        sys.exit("row %d: time %s before %s" % (i + 1, t, prev))
	    prev = t
	    cw, ss = int(r["snd_cwnd"]), int(r["ssthresh"])
	    if not 1 <= cw <= 10000:
	        sys.exit("row %d: cwnd %d" % (i + 1, cw))
	    if ss != 0x7fffffff and not 2 <= ss <= 10000:
	        sys.exit("row %d: ssthresh %d" % (i + 1, ss))
	    if i and (int(r["snd_una"]) - int(rows[i - 1]["snd_una"])) % (1 << 32) > n + 2:
	        sys.exit("row %d: snd_una went back" % (i + 1))
	last = rows[-1]
	# the SYN and the FIN count, as in tcpi_bytes_acked
	if int(last["bytes_acked"]) != n + 2:
	    sys.exit("bytes_acked %s at the end, %d sent" % (last["bytes_acked"], n))
	states = {int(r["ca_state"]) for r in rows}
	if not states & {3, 4}:
	    sys.exit("no recovery state (3, 4) under loss: %s" % states)
	if int(last["total_retrans"]) < 1 or not any(int(r["losses"]) > 0 for r in rows):
	    sys.exit("no retransmission, or no ACK that marked a loss")
	rec = [r for r in rows if int(r["ca_state"]) in (3, 4)]
	if any(int(r["ssthresh"]) == 0x7fffffff for r in rec):
	    sys.exit("ssthresh still infinite in recovery")
	if min(int(r["min_rtt"]) for r in rows) < 10000:
	    sys.exit("min_rtt below netem's 10 ms round trip")
	rates = [r for r in rows if r["delivery_rate"]]
	if not rates or not any(int(r["pacing_rate"]) > 0 for r in rows):
	    sys.exit("no delivery rate or pacing rate")
	root = ET.parse(svgf).getroot()
	ns = "{http://www.w3.org/2000/svg}"
	if root.tag != ns + "svg":
	    sys.exit("SVG root %s" % root.tag)
	series = {e.get("id"): e for e in root.iter() if e.get("class") == "series"}
	want = ["cwnd", "ssthresh", "srtt", "rtt_sample", "min_rtt", "pacing_rate",
	        "delivery_rate"]
	if [s for s in want if s not in series]:
	    sys.exit("SVG series missing: %s" % [s for s in want if s not in series])
	if len(series["cwnd"].get("points").split()) != len(rows):
	    sys.exit("the cwnd line has %d points for %d rows"
	             % (len(series["cwnd"].get("points").split()), len(rows)))
	if len(series["delivery_rate"]) != len(rates):
	    sys.exit("%d delivery rate dots for %d samples" % (len(series["delivery_rate"]), len(rates)))
	cls = [e.get("class") for e in root.iter()]
	if "recovery" not in cls or "loss" not in cls:
	    sys.exit("SVG: no recovery shaded, or no loss marked")
	print("# %d ACKs, %d rows, %d rate samples, states %s, retransmits %s"
	      % (len(acks), len(rows), len(rates), sorted(states), last["total_retrans"]))
	EOF
		fail "xtcp-probe's CSV and SVG: see above"
}

# xtcp-experiment (tools/xtcp-experiment, make experiment), short: 300 kB, one
# run of xtcp's cubic and one of Linux TCP's through netem's rate profile (a
# 20 Mbit/s bottleneck). The report directory is checked for real: every file
# there, the CSVs with their columns and rows (a row an ACK in the traces,
# time and acknowledged bytes in order, as many as runs.csv counted), the
# throughput positive and below the link's rate, the acknowledged bytes those
# sent, netem's counters moved; the SVGs well-formed, with a series for each
# CC and run (the cwnd line a point an ACK) and the medians marked; the
# report's header with this checkout's commit, this kernel and the profile.
# A third run, tcp:cubic,beta=512, sets Linux CUBIC's beta for its run only:
# the report says so, and the parameter is back to its value afterwards. A
# parameter CUBIC has not, and one not PARAM=VALUE, are usage errors.
light_skip[tools_xtcp_experiment]="a userland tool over the tracepoint tools_xtcp_probe checks; its figures are times, which the debug kernel distorts"
case_tools_xtcp_experiment() {
	local tmp out n=300000 commit beta0 beta1
	wire_inet_skip "xtcp-experiment compares xtcp with Linux TCP itself" && return 0
	tmp=$(mktemp -d /tmp/xexp.XXXXXX) || return 1
	# shellcheck disable=SC2064 # (tmp is local: its value now)
	trap "rm -rf '$tmp'" EXIT
	read -r beta0 </sys/module/tcp_cubic/parameters/beta ||
		fail "no /sys/module/tcp_cubic/parameters/beta" || return 1
	[ "$beta0" != 512 ] || fail "Linux CUBIC's beta is 512 already" || return 1
	out=$("$TOOLS_DIR/xtcp-experiment" --profile rate --runs 1 --bytes $n --out "$tmp/r" \
		xtcp:cubic tcp:cubic tcp:cubic,beta=512 2>&1) ||
		fail "xtcp-experiment failed:" "$out" || return 1
	echo "$out"
	read -r beta1 </sys/module/tcp_cubic/parameters/beta
	[ "$beta1" = "$beta0" ] ||
		fail "Linux CUBIC's beta is $beta1 after the experiment, $beta0 before" || return 1
	tools_expect "its output" '^\| cubic \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| ' "$out" || return 1
	# usage errors: one CC, an unknown profile, an unknown stack
	tools_exits 2 'two or more STACK:CC' "$TOOLS_DIR/xtcp-experiment" xtcp:cubic || return 1
	tools_exits 2 'no profile nosuch' "$TOOLS_DIR/xtcp-experiment" --profile nosuch \
		xtcp:cubic tcp:cubic || return 1
	tools_exits 2 'STACK xtcp or tcp' "$TOOLS_DIR/xtcp-experiment" udp:x tcp:cubic || return 1
	tools_exits 2 "'beta' is not PARAM=VALUE" "$TOOLS_DIR/xtcp-experiment" \
		tcp:cubic,beta xtcp:cubic || return 1
	tools_exits 2 'tcp:cubic has no module parameter nosuch' "$TOOLS_DIR/xtcp-experiment" \
		tcp:cubic,nosuch=1 xtcp:cubic || return 1
	commit=$(git -c safe.directory='*' -C "$TOOLS_DIR/.." rev-parse HEAD) ||
		fail "no git commit" || return 1
	python3 - "$tmp/r" "$n" "$commit" "$(uname -r)" <<-'EOF' ||
	import csv, os, re, sys
	import xml.etree.ElementTree as ET
	d, n, commit, kernel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
	ccs = ["xtcp:cubic", "tcp:cubic", "tcp:cubic,beta=512"]
	slugs = {"xtcp:cubic": "xtcp-cubic", "tcp:cubic": "tcp-cubic",
	         "tcp:cubic,beta=512": "tcp-cubic-beta-512"}
	files = ["report.md", "runs.csv", "summary.csv", "throughput.csv", "tput_delay.svg",
	         "throughput.svg", "cwnd.svg"] + ["traces/%s-run1.csv" % s for s in slugs.values()]
	missing = [f for f in files if not os.path.isfile(os.path.join(d, f))]
	if missing:
	    sys.exit("missing from the report directory: %s" % missing)
	def rows(f, cols):
	    with open(os.path.join(d, f)) as fh:
	        r = csv.DictReader(fh)
	        if r.fieldnames is None or any(c not in r.fieldnames for c in cols):
	            sys.exit("%s: columns %s, want %s" % (f, r.fieldnames, cols))
	        out = list(r)
	    if not out:
	        sys.exit("%s: no rows" % f)
	    return out
	runs = rows("runs.csv", ["cc", "run", "throughput_mbps", "p95_delay_ms", "loss_rate",
	                         "acks", "acked_bytes", "netem_sent", "netem_drops", "out_segs",
	                         "retrans_segs", "mean_cwnd"])
	if sorted(r["cc"] for r in runs) != sorted(ccs) or any(r["run"] != "1" for r in runs):
	    sys.exit("runs.csv: runs %s" % [(r["cc"], r["run"]) for r in runs])
	link = 20.0   # netem's rate 20mbit
	for r in runs:
	    t, p95 = float(r["throughput_mbps"]), float(r["p95_delay_ms"])
	    if not 0 < t < link:
	        sys.exit("%s: throughput %s Mbit/s, the link's rate %s" % (r["cc"], t, link))
	    if not 0 < p95 < 10000:
	        sys.exit("%s: p95 delay %s ms" % (r["cc"], p95))
	    if not 0 <= float(r["loss_rate"]) < 1:
	        sys.exit("%s: loss rate %s" % (r["cc"], r["loss_rate"]))
	    if not n // 2 < int(r["acked_bytes"]) <= n + 2:
	        sys.exit("%s: %s bytes acknowledged of %d sent" % (r["cc"], r["acked_bytes"], n))
	    if int(r["netem_sent"]) < n // 1500 or int(r["out_segs"]) < n // 1500:
	        sys.exit("%s: netem sent %s packets, the stack %s segments for %d bytes"
	                 % (r["cc"], r["netem_sent"], r["out_segs"], n))
	    if not float(r["mean_cwnd"]) >= 1:
	        sys.exit("%s: mean cwnd %s" % (r["cc"], r["mean_cwnd"]))
	    tr = rows("traces/%s-run1.csv" % slugs[r["cc"]],
	              ["time_s", "acked_bytes", "cwnd", "ssthresh", "srtt_us", "rtt_us"])
	    if len(tr) != int(r["acks"]):
	        sys.exit("%s: %d trace rows, %s ACKs in runs.csv" % (r["cc"], len(tr), r["acks"]))
	    for a, b in zip(tr, tr[1:]):
	        if float(b["time_s"]) < float(a["time_s"]) or \
	                int(b["acked_bytes"]) < int(a["acked_bytes"]):
	            sys.exit("%s: the trace goes back at %s s" % (r["cc"], b["time_s"]))
	    if int(tr[-1]["acked_bytes"]) != int(r["acked_bytes"]):
	        sys.exit("%s: the trace acknowledged %s, runs.csv says %s"
	                 % (r["cc"], tr[-1]["acked_bytes"], r["acked_bytes"]))
	    if any(int(x["cwnd"]) < 1 for x in tr):
	        sys.exit("%s: a cwnd below 1" % r["cc"])
	summ = rows("summary.csv", ["cc", "runs", "throughput_mbps_median", "p95_delay_ms_median",
	                            "loss_rate_mean", "mean_cwnd_mean"])
	if sorted(s["cc"] for s in summ) != sorted(ccs):
	    sys.exit("summary.csv: %s" % [s["cc"] for s in summ])
	tput = rows("throughput.csv", ["cc", "run", "time_s", "throughput_mbps"])
	for cc in ccs:
	    v = [float(x["throughput_mbps"]) for x in tput if x["cc"] == cc]
	    if not v or min(v) < 0 or max(v) <= 0:
	        sys.exit("throughput.csv: %s has %s" % (cc, v[:5]))
	ns = "{http://www.w3.org/2000/svg}"
	def svg(f, want):
	    root = ET.parse(os.path.join(d, f)).getroot()
	    if root.tag != ns + "svg":
	        sys.exit("%s: root %s" % (f, root.tag))
	    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
	    if [w for w in want if w not in ids]:
	        sys.exit("%s: no series %s (has %s)" % (f, [w for w in want if w not in ids],
	                                              sorted(ids)))
	    return ids
	ids = svg("tput_delay.svg", ["runs-" + s for s in slugs.values()] +
	          ["median-" + s for s in slugs.values()])
	for s in slugs.values():
	    if len(ids["runs-" + s].findall(ns + "circle")) != 1:
	        sys.exit("tput_delay.svg: %s has not one dot" % s)
	    if ids["median-" + s].get("class") != "median" or not len(ids["median-" + s]):
	        sys.exit("tput_delay.svg: %s's median not marked" % s)
	svg("throughput.svg", ["tput-%s-1" % s for s in slugs.values()])
	ids = svg("cwnd.svg", ["cwnd-%s-1" % s for s in slugs.values()])
	for r in runs:
	    pts = ids["cwnd-%s-1" % slugs[r["cc"]]].get("points").split()
	    if len(pts) != int(r["acks"]):
	        sys.exit("cwnd.svg: %d points for %s ACKs of %s" % (len(pts), r["acks"], r["cc"]))
	rep = open(os.path.join(d, "report.md")).read()
	for pat in (r"(?m)^- git commit: %s" % commit, r"(?m)^- kernel: Linux %s " % re.escape(kernel),
	            r"(?m)^- netem profile: rate: `rate 20mbit limit 20`",
	            r"(?m)^net\.ipv4\.tcp_congestion_control = \w+$",
	            r"(?m)^net\.xtcp\.congestion_control = \w+$",
	            r"(?m)^\| cubic \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| (close|near|apart)",
	            r"(?m)^- module parameters: xtcp:cubic: as loaded; tcp:cubic: as loaded; "
	            r"tcp:cubic,beta=512: /sys/module/tcp_cubic/parameters/beta = 512$"):
	    if not re.search(pat, rep):
	        sys.exit("report.md: nothing matches %s" % pat)
	print("# report checked: %s" % ", ".join("%s %.2f Mbit/s" % (r["cc"],
	      float(r["throughput_mbps"])) for r in runs))
	EOF
		fail "xtcp-experiment's report: see above"
}
