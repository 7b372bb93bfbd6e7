# shellcheck shell=bash
# Congestion-control modules (include/net/xtcp_cong.h, issue #19): the
# example of examples/ (xtcp_vegas.ko, built by scripts/build beside xtcp.ko
# against its Module.symvers) loads, registers, is picked per socket with
# TCP_CONGESTION, carries a byte-exact transfer through netem's delay and
# answers TCP_CC_INFO; rmmod is refused while a socket uses it and succeeds
# after. Sourced by tests/run; helpers in tests/lib/netns.sh.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"

light_skip[cong_chrono]="its paths run in KUnit's xtcp_pkt_rate in the debug kernel; seconds of netem on both stacks"
light_skip[cong_small_queues]="its paths (the throttle, xtcp_wfree(), the tasklet) run in KUnit's output_small_queues in the debug kernel; under make check's load the debug guest's xtcp sends below the 8 Mbit/s link and fills no queue"
cong_example_ko() { echo "${XTCP_KO%/*}/../examples/$1.ko"; }
cong_avail() { cat /proc/sys/net/xtcp/available_congestion_control; }
# xtcp loaded, a namespace pair with static neighbours, a 20 ms round trip
# and an 8 Mbit/s bottleneck from a to b (netem, 1000 packets of queue).
cong_netem_pair() {
	load || return 1
	wire_setup || return 1
	wire_static_neigh || fail "static neighbour entries failed" || return 1
	modprobe -q sch_netem 2>/dev/null || true
	tc -n "$WIRE_A" qdisc add dev wa root netem delay 10ms rate 8mbit limit 1000 ||
		fail "netem a" || return 1
	tc -n "$WIRE_B" qdisc add dev wb root netem delay 10ms || fail "netem b" || return 1
}
cong_rmmod() { rmmod "$1" 2>/dev/null; }

case_cong_example_vegas() {
	local ko port=47310 n=$((4 * 1024 * 1024)) line base def
	# the debug kernel's light run: 1 MiB, still rounds of Vegas under KASAN
	[ -z "${XTCP_WIRE_LIGHT:-}" ] || n=$((1024 * 1024))
	ko=$(cong_example_ko xtcp_vegas)
	[ -r "$ko" ] || fail "no $ko: scripts/build builds examples/" || return 1
	load || return 1
	insmod "$ko" || fail "insmod $ko failed" || return 1
	trap 'cong_rmmod xtcp_vegas || true' EXIT
	[[ " $(cong_avail) " == *" vegas "* ]] ||
		fail "vegas not in available_congestion_control: $(cong_avail)" || return 1

	wire_setup || return 1
	# (wire_setup's trap, then the module's)
	trap 'wire_cleanup; cong_rmmod xtcp_vegas || true' EXIT
	# the sysctl takes the new name, and gives the old back
	def=$(in_ns a cat /proc/sys/net/xtcp/congestion_control) || return 1
	in_ns a sysctl -qw net.xtcp.congestion_control=vegas ||
		fail "net.xtcp.congestion_control=vegas refused" || return 1
	[ "$(in_ns a cat /proc/sys/net/xtcp/congestion_control)" = vegas ] ||
		fail "net.xtcp.congestion_control does not say vegas" || return 1
	in_ns a sysctl -qw net.xtcp.congestion_control="$def" || return 1

	wire_static_neigh || fail "static neighbour entries failed" || return 1
	modprobe -q sch_netem 2>/dev/null || true
	tc -n "$WIRE_A" qdisc add dev wa root netem delay 20ms || fail "netem a" || return 1
	tc -n "$WIRE_B" qdisc add dev wb root netem delay 20ms || fail "netem b" || return 1

	wire_bg srv b "$WIRE_XFER" script --family xtcp bind:"$port" listen \
		say:listening accept recv:"$n" say:received close
	wire_line srv listening || return 1
	wire_bg cli a "$WIRE_XFER" script --family xtcp cc:vegas \
		connect:"$WIRE_ADDR_B":"$port" send:"$n" ccinfo say:sent wait:go close
	wire_line cli sent 120 || return 1
	wire_line srv received 60 || return 1
	wire_read cli
	line=$(grep '^cc ' <<<"$WIRE_OUT")
	echo "$line"
	# struct tcpvegas_info (16 bytes), from the module's get_info; its base
	# RTT at least netem's 40 ms round trip, and a real sample
	[[ $line == "cc vegas ccinfo_len 16 vegas_enabled "* ]] ||
		fail "TCP_CONGESTION/TCP_CC_INFO do not show vegas: $line" || return 1
	base=$(sed -n 's/.* basertt \([0-9]*\) .*/\1/p' <<<"$line")
	[ "${base:-0}" -ge 40000 ] && [ "$base" -lt 1000000 ] ||
		fail "vegas base RTT $base us, want 40 ms to 1 s" || return 1

	# the client's socket holds the module
	cong_rmmod xtcp_vegas && fail "rmmod xtcp_vegas succeeded while a socket uses it"
	[ -d /sys/module/xtcp_vegas ] || return 1
	: >"$WIRE_TMP/go"
	wire_wait cli || return 1
	wire_wait srv || return 1
	# once the socket is gone (its close may take a round trip or two)
	wire_poll 30 "rmmod xtcp_vegas once no socket uses it" \
		cong_rmmod xtcp_vegas || return 1
	[[ " $(cong_avail) " != *" vegas "* ]] ||
		fail "vegas still listed after rmmod: $(cong_avail)" || return 1
}

# The tutorial's algorithm (examples/xtcp_gentle.c, Documentation/tutorial.rst)
# loaded with beta=600, picked by TCP_CONGESTION for 1 MB through netem loss
# (3% of a's segments, one segment a skb) while tools/xtcp-probe records the
# sender's ACKs: at an ACK where cc_value (the algorithm's probe_value, the
# window it reduced from) changed, ssthresh is max(cc_value * 600 / 1024, 2),
# unless the same ACK undid the reduction (a threshold no lower than the
# last); on no ACK is it below that (only an undo or an idle restart raises
# it); and at least one reduction is one Reno's half would not give: the
# module parameter was read.
light_skip[cong_example_gentle]="the module API runs under KASAN in cong_example_vegas; a check of the tutorial's figures"
case_cong_example_gentle() {
	local ko port=47320 n=1000000 out tmp
	wire_inet_skip "an xtcp module" && return 0
	ko=$(cong_example_ko xtcp_gentle)
	[ -r "$ko" ] || fail "no $ko: scripts/build builds examples/" || return 1
	load || return 1
	insmod "$ko" beta=600 || fail "insmod $ko beta=600 failed" || return 1
	trap 'cong_rmmod xtcp_gentle || true' EXIT
	[ "$(cat /sys/module/xtcp_gentle/parameters/beta)" = 600 ] ||
		fail "beta is not 600" || return 1
	wire_setup nowatch || return 1
	trap 'wire_cleanup; cong_rmmod xtcp_gentle || true' EXIT
	tools_lossy_conn "$port" "$n" cc:gentle || return 1
	tmp=$WIRE_TMP
	out=$("$TOOLS_DIR/xtcp-probe" run --port $port --csv "$tmp/p.csv" -- bash "$tmp/conn.sh") ||
		fail "xtcp-probe run failed: $out" || return 1
	python3 - "$tmp/p.csv" 600 <<-'EOF' || fail "the recorded ACKs:" "$out" || return 1
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1])))
	beta = int(sys.argv[2])
	f = lambda w: max(w * beta // 1024, 2)
	if not rows:
	    sys.exit("no rows")
	prev, prev_ss, reductions, telling = 0, None, 0, 0
	for i, r in enumerate(rows):
	    w, ss = int(r["cc_value"]), int(r["ssthresh"])
	    if w and ss < f(w):
	        sys.exit("row %d: ssthresh %d below %d (cc_value %d)" % (i + 1, ss, f(w), w))
	    if w != prev:
	        # a reduction: ssthresh from the algorithm; else an undo in the
	        # same ACK, which restores a threshold no lower than the last
	        if ss == f(w):
	            reductions += 1
	            # one Reno (beta 512) would not have made: the parameter read
	            telling += f(w) != max(w // 2, 2)
	        elif prev_ss is not None and ss < prev_ss:
	            sys.exit("row %d: cc_value %d -> %d, ssthresh %d -> %d, want %d"
	                     % (i + 1, prev, w, prev_ss, ss, f(w)))
	        else:
	            print("row %d: cc_value %d -> %d, ssthresh %d (an undo at once)"
	                  % (i + 1, prev, w, ss))
	    prev, prev_ss = w, ss
	if not telling:
	    sys.exit("no reduction to cc_value * %d / 1024 that Reno's half would not give "
	             "(%d reductions); cc_value at the end %s" % (beta, reductions, rows[-1]["cc_value"]))
	print("%d ACKs, %d reductions to %d/1024 of the window (%d unlike Reno's), the last"
	      " from %s to %s segments" % (len(rows), reductions, beta, telling, prev, f(prev)))
	EOF
	wire_poll 30 "rmmod xtcp_gentle once no socket uses it" cong_rmmod xtcp_gentle
}

# cong_snmp NS NAME: a counter of NS's /proc/net/xtcp_snmp (xtcp) or
# /proc/net/netstat (inet: Linux TCP's TcpExt), into CONG_VAL
cong_snmp() {
	local f=/proc/net/xtcp_snmp
	[ "$3" = inet ] && f=/proc/net/netstat
	CONG_VAL=$(in_ns "$1" awk -v want="$2" 'NR % 2 == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
		{ for (i = 2; i <= NF; i++) if (name[i] == want) print $i }' "$f")
	[ -n "$CONG_VAL" ] || fail "no $2 in $1's $f"
}

# HyStart sums: CONG_DETECT (slow starts ended, by the ACK train or the
# delay) and CONG_CWND (the windows they ended at) of a's stack $1
cong_hystart_counts() {
	local k
	CONG_DETECT=0
	CONG_CWND=0
	for k in Train Delay; do
		cong_snmp a "TCPHystart${k}Detect" "$1" || return 1
		CONG_DETECT=$((CONG_DETECT + CONG_VAL))
		cong_snmp a "TCPHystart${k}Cwnd" "$1" || return 1
		CONG_CWND=$((CONG_CWND + CONG_VAL))
	done
}

# cubic is Linux's tcp_cubic.c ported (src/cubic.c): its parameters are
# xtcp's cubic_* module parameters, Linux's defaults and permissions
# (bic_scale read-only), and HyStart ends slow start through a 20 ms round
# trip filling an 8 Mbit/s queue, on Linux TCP and on xtcp alike, counted in
# TCPHystart*Detect and *Cwnd (at least hystart_low_window, 16, a window);
# with cubic_hystart 0 xtcp's slow start runs on, counting nothing.
light_skip[cong_cubic_hystart]="its paths run in KUnit's xtcp_cong in the debug kernel; seconds of netem on both stacks"
case_cong_cubic_hystart() {
	local p=/sys/module/xtcp/parameters n=1000000 d0 c0 k
	wire_inet_skip "xtcp's cubic and its module parameters" && return 0
	cong_netem_pair || return 1
	for k in fast_convergence:1 beta:717 initial_ssthresh:0 tcp_friendliness:1 \
		hystart:1 hystart_detect:3 hystart_low_window:16 hystart_ack_delta_us:2000; do
		[ "$(cat "$p/cubic_${k%%:*}")" = "${k#*:}" ] &&
			[ "$(stat -c %a "$p/cubic_${k%%:*}")" = 644 ] ||
			fail "cubic_${k%%:*}: $(stat -c %a "$p/cubic_${k%%:*}") $(cat "$p/cubic_${k%%:*}"), want 644 ${k#*:}" ||
			return 1
	done
	[ "$(cat $p/cubic_bic_scale)" = 41 ] && [ "$(stat -c %a $p/cubic_bic_scale)" = 444 ] ||
		fail "cubic_bic_scale: want 444 41" || return 1

	cong_hystart_counts inet || return 1
	d0=$CONG_DETECT
	c0=$CONG_CWND
	cong_rate_run inet 47340 "$n" send:"$n" || return 1
	cong_hystart_counts inet || return 1
	echo "Linux TCP: $((CONG_DETECT - d0)) HyStart exits, at $((CONG_CWND - c0)) segments"
	[ $((CONG_DETECT - d0)) -ge 1 ] || fail "Linux TCP: no HyStart exit" || return 1

	cong_hystart_counts xtcp || return 1
	d0=$CONG_DETECT
	c0=$CONG_CWND
	cong_rate_run xtcp 47341 "$n" send:"$n" || return 1
	cong_hystart_counts xtcp || return 1
	echo "xtcp: $((CONG_DETECT - d0)) HyStart exits, at $((CONG_CWND - c0)) segments"
	[ $((CONG_DETECT - d0)) -ge 1 ] || fail "xtcp: no HyStart exit" || return 1
	[ $((CONG_CWND - c0)) -ge $((16 * (CONG_DETECT - d0))) ] ||
		fail "xtcp: HyStart exits at $((CONG_CWND - c0)) segments in all, below 16 each" ||
		return 1

	echo 0 >$p/cubic_hystart || fail "cannot write cubic_hystart" || return 1
	cong_rate_run xtcp 47342 "$n" send:"$n"
	k=$?
	echo 1 >$p/cubic_hystart
	[ $k = 0 ] || return 1
	d0=$CONG_DETECT
	cong_hystart_counts xtcp || return 1
	[ "$CONG_DETECT" = "$d0" ] ||
		fail "xtcp: HyStart exits with cubic_hystart 0" || return 1
}

# One transfer on stack $1 (inet: Linux TCP, or xtcp) to port $2 of b, $3
# bytes sent by a's steps $4...; then a waits until all is acknowledged and
# prints its "elapsed_us" since the connection and its TCP_INFO "rate" line.
# Sets RATE (bytes/s), RATE_AL (app-limited), RATE_DELIVERED (segments,
# the handshake's included) and RATE_GOODPUT (bytes/elapsed).
cong_rate_run() {
	local fam=$1 port=$2 n=$3 line us
	shift 3
	wire_bg "srv$port" b "$WIRE_XFER" script --family "$fam" bind:"$port" \
		listen say:listening accept recv:"$n" say:received close
	wire_line "srv$port" listening || return 1
	wire_bg "cli$port" a "$WIRE_XFER" script --family "$fam" \
		connect:"$WIRE_ADDR_B":"$port" mark "$@" drain since:elapsed_us \
		rate chrono close
	wire_wait "cli$port" || return 1
	wire_wait "srv$port" || return 1
	wire_read "cli$port"
	# (a "rate" step among $4...: its line is RATE_FIRST's)
	RATE_FIRST=$(grep -m1 '^rate ' <<<"$WIRE_OUT")
	line=$(grep '^rate ' <<<"$WIRE_OUT" | tail -n 1)
	us=$(sed -n 's/^elapsed_us \([0-9]*\)$/\1/p' <<<"$WIRE_OUT")
	[ "$RATE_FIRST" = "$line" ] || echo "$fam: mid-transfer $RATE_FIRST"
	echo "$fam: $line elapsed_us $us"
	# how long the send buffer held the writer (an app-limited cause)
	grep '^chrono ' <<<"$WIRE_OUT" | sed "s/^/$fam: /"
	RATE=$(sed -n 's/.* delivery_rate \([0-9]*\) .*/\1/p' <<<"$line")
	RATE_AL=$(sed -n 's/.* app_limited \([0-9]*\) .*/\1/p' <<<"$line")
	RATE_DELIVERED=$(sed -n 's/.* delivered \([0-9]*\) .*/\1/p' <<<"$line")
	[ -n "$RATE" ] && [ -n "$RATE_AL" ] && [ "${us:-0}" -gt 0 ] ||
		fail "$fam: no rate line or elapsed time: $WIRE_OUT" || return 1
	RATE_GOODPUT=$((n * 1000000 / us))
}

# Is $1 within a factor of $3 of $2 (both > 0)?
cong_within() { [ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ $(($1 * $3)) -ge "$2" ] && [ "$1" -le $(($2 * $3)) ]; }

# Delivery-rate sampling (src/rate.h, Linux's tcp_rate.c): the same bulk
# transfer through a netem bottleneck (8 Mbit/s, 20 ms round trip) on Linux
# TCP and on xtcp; TCP_INFO's delivery rate of xtcp within a factor of 2 of
# Linux TCP's and of bytes/elapsed, and not app-limited halfway, on both (at
# the end, the last write may leave a bubble on either stack: the rate kept
# then is the higher app-limited sample or the last other; each stack's
# sndbuf-limited time is printed beside it, as a writer held by its send
# buffer with all it queued in flight is app-limited by Linux's rule, and at
# c6ba538 xtcp ended app_limited 0 as Linux TCP in 3 of 3 runs). Then an application that
# writes 1000 bytes every 50 ms: its samples are app-limited on both stacks
# (tcp_rate_check_app_limited()), xtcp's rate within a factor of 3 of
# Linux TCP's and its tcpi_delivered the same.
light_soak[cong_delivery_rate]="its figures are rates, which KASAN and lockdep distort; the sampling runs under KASAN in the xtcp_rate KUnit suite and in every transfer"
case_cong_delivery_rate() {
	local n=$((3 * 1024 * 1024)) bulk_l bulk_x gp_x deliv_l
	cong_netem_pair || return 1

	cong_rate_run inet 47320 "$n" send:$((n / 2)) rate send:$((n / 2)) || return 1
	bulk_l=$RATE
	cong_within "$RATE" "$RATE_GOODPUT" 2 ||
		fail "Linux TCP: delivery rate $RATE B/s, goodput $RATE_GOODPUT B/s" || return 1
	[[ $RATE_FIRST == *" app_limited 0 "* ]] ||
		fail "Linux TCP: app-limited halfway through a bulk transfer" || return 1
	cong_rate_run xtcp 47321 "$n" send:$((n / 2)) rate send:$((n / 2)) || return 1
	bulk_x=$RATE
	gp_x=$RATE_GOODPUT
	cong_within "$bulk_x" "$gp_x" 2 ||
		fail "xtcp: delivery rate $bulk_x B/s, goodput $gp_x B/s, want within 2x" ||
		return 1
	cong_within "$bulk_x" "$bulk_l" 2 ||
		fail "xtcp: delivery rate $bulk_x B/s, Linux TCP $bulk_l B/s, want within 2x" ||
		return 1
	[[ $RATE_FIRST == *" app_limited 0 "* ]] ||
		fail "xtcp: app-limited halfway through a bulk transfer" || return 1

	cong_rate_run inet 47322 20000 paced:20000,1000,50 || return 1
	[ "$RATE_AL" = 1 ] || fail "Linux TCP: paced writes not app-limited" || return 1
	bulk_l=$RATE
	deliv_l=$RATE_DELIVERED
	cong_rate_run xtcp 47323 20000 paced:20000,1000,50 || return 1
	[ "$RATE_AL" = 1 ] ||
		fail "xtcp: paced writes give app_limited $RATE_AL, want 1" || return 1
	cong_within "$RATE" "$bulk_l" 3 ||
		fail "xtcp: paced delivery rate $RATE B/s, Linux TCP $bulk_l B/s, want within 3x" ||
		return 1
	# one segment a write, the handshake one more, on both
	[ "$RATE_DELIVERED" = "$deliv_l" ] ||
		fail "paced: xtcp delivered $RATE_DELIVERED, Linux TCP $deliv_l" || return 1
}

# One transfer on stack $1 (inet or xtcp) to port $2 of b, $3 bytes: the
# server reads them with steps $4 after accept (unquoted: one or more), the
# client runs steps $5 (none or more) before it connects; then the client waits until
# all is acknowledged and prints its "elapsed_us" since its first write and
# its TCP_INFO "chrono" line. Sets CHR_US, CHR_BUSY, CHR_RWND, CHR_SNDBUF.
cong_chrono_run() {
	local fam=$1 port=$2 n=$3 line
	# shellcheck disable=SC2086 # $4 and $5 are lists of steps
	wire_bg "srv$port" b "$WIRE_XFER" script --family "$fam" bind:"$port" \
		listen say:listening accept $4 close
	wire_line "srv$port" listening || return 1
	# shellcheck disable=SC2086
	wire_bg "cli$port" a "$WIRE_XFER" script --family "$fam" $5 \
		connect:"$WIRE_ADDR_B":"$port" mark send:"$n" drain since:elapsed_us \
		chrono close
	wire_wait "cli$port" || return 1
	wire_wait "srv$port" || return 1
	wire_read "cli$port"
	line=$(grep '^chrono ' <<<"$WIRE_OUT")
	CHR_US=$(sed -n 's/^elapsed_us \([0-9]*\)$/\1/p' <<<"$WIRE_OUT")
	CHR_BUSY=$(sed -n 's/.* busy_us \([0-9]*\) .*/\1/p' <<<"$line")
	CHR_RWND=$(sed -n 's/.* rwnd_limited_us \([0-9]*\) .*/\1/p' <<<"$line")
	CHR_SNDBUF=$(sed -n 's/.* sndbuf_limited_us \([0-9]*\)$/\1/p' <<<"$line")
	[ -n "$CHR_BUSY" ] && [ -n "$CHR_RWND" ] && [ -n "$CHR_SNDBUF" ] &&
		[ "${CHR_US:-0}" -gt 0 ] ||
		fail "$fam: no chrono line or elapsed time: $WIRE_OUT" || return 1
	echo "$fam: $line elapsed_us $CHR_US"
}

# The sender's chronographs (src/chrono.h, Linux's tcp_chrono_start() and
# tcp_chrono_stop()), in TCP_INFO's tcpi_busy_time, tcpi_rwnd_limited and
# tcpi_sndbuf_limited, on Linux TCP and on xtcp through the same netem link
# as cong_delivery_rate's, each figure of both printed. A bulk sender is busy
# for its transfer's duration (from its first write to the ACK of its last
# byte, within a tenth and a few ticks). A sender whose receiver does not
# read for a second is limited by the receiver's window for at least a
# quarter of it. A sender with SO_SNDBUF 4096 whose receiver (SO_RCVBUF
# 8192) reads each 100 ms is limited by the window, and, each time a read
# opens it and all that was held goes, by its send buffer until the ACK
# (tcp_cwnd_validate()); one segment an skb (gso_max_segs 1), else Linux's
# skbs grow to the size goal past the buffer and each write is
# cwnd-limited instead. xtcp's rwnd-limited time within a factor of 2 of
# Linux TCP's, its busy and sndbuf-limited times within a factor of 3 (the
# busy times are the transfers' durations, which TCG stretches by turns).
case_cong_chrono() {
	local n=$((1024 * 1024)) fam port=47330 busy_l rwnd_l sndbuf_l slack
	cong_netem_pair || return 1

	for fam in inet xtcp; do
		echo "# $fam: bulk, $n bytes"
		cong_chrono_run "$fam" $((port++)) "$n" recv:"$n" "" || return 1
		slack=$((CHR_US / 10 + 20000))
		[ "$CHR_BUSY" -ge $((CHR_US - slack)) ] &&
			[ "$CHR_BUSY" -le $((CHR_US + slack)) ] ||
			fail "$fam: busy $CHR_BUSY us for a transfer of $CHR_US us" ||
			return 1
		[ "$fam" = inet ] && busy_l=$CHR_BUSY
	done
	cong_within "$CHR_BUSY" "$busy_l" 3 ||
		fail "busy: xtcp $CHR_BUSY us, Linux TCP $busy_l us" || return 1

	for fam in inet xtcp; do
		echo "# $fam: the receiver reads nothing for 1 s"
		cong_chrono_run "$fam" $((port++)) $((n / 2)) \
			"sleep:1000 recv:$((n / 2))" "" || return 1
		[ "$CHR_RWND" -ge 250000 ] && [ "$CHR_RWND" -le "$CHR_BUSY" ] ||
			fail "$fam: rwnd-limited $CHR_RWND us of $CHR_BUSY busy, want 250 ms or more" ||
			return 1
		[ "$fam" = inet ] && rwnd_l=$CHR_RWND
	done
	cong_within "$CHR_RWND" "$rwnd_l" 2 ||
		fail "rwnd-limited: xtcp $CHR_RWND us, Linux TCP $rwnd_l us" || return 1

	# one segment an skb, on both stacks
	ip -n "$WIRE_A" link set dev wa gso_max_segs 1 ||
		fail "gso_max_segs 1 on wa" || return 1
	for fam in inet xtcp; do
		echo "# $fam: SO_SNDBUF 4096, the receiver's SO_RCVBUF 8192, read each 100 ms"
		cong_chrono_run "$fam" $((port++)) $((n / 8)) \
			"rcvbuf:8192 recv-paced:$((n / 8)),16384,100" sndbuf:4096 || return 1
		[ "$CHR_SNDBUF" -gt 0 ] && [ "$CHR_SNDBUF" -le "$CHR_BUSY" ] ||
			fail "$fam: sndbuf-limited $CHR_SNDBUF us of $CHR_BUSY busy, want some" ||
			return 1
		[ "$fam" = inet ] && sndbuf_l=$CHR_SNDBUF
	done
	cong_within "$CHR_SNDBUF" "$sndbuf_l" 3 ||
		fail "sndbuf-limited: xtcp $CHR_SNDBUF us, Linux TCP $sndbuf_l us" || return 1
}

# The most bytes tbf held on wa during a transfer: sampled every 50 ms
# until the client $1 is done. Sets TSQ_MAX.
cong_tsq_sample() {
	local b
	TSQ_MAX=0
	while kill -0 "${WIRE_PID[$1]}" 2>/dev/null; do
		b=$(tc -s -n "$WIRE_A" qdisc show dev wa |
			sed -n 's/.*backlog \([0-9]*\)b.*/\1/p' | head -n1)
		[ "${b:-0}" -gt "$TSQ_MAX" ] && TSQ_MAX=$b
		sleep 0.05
	done
}

# TCP small queues (Linux's tcp_small_queue_check(), src/output.c): over an
# 8 Mbit/s tbf bottleneck on veth that would queue 8 MB, with
# net.ipv4.tcp_limit_output_bytes at 20000 in a's namespace, a 3 MB bulk
# sender keeps no more than a few skbs in the qdisc: at most 256 KB sampled
# (two 64 KiB GSO skbs' truesize, and the retransmission queue's exception
# of one more), on Linux TCP and on xtcp. Without TSQ the queue holds the
# congestion window, megabytes. tbf's burst is above 64 KiB, so that it
# does not cut GSO skbs (whose segments Linux's GSO charges to the socket
# only for tcp_wfree()).
case_cong_small_queues() {
	local n=$((3 * 1024 * 1024)) fam port=47330 max_l max_x
	load || return 1
	wire_setup || return 1
	wire_static_neigh || fail "static neighbour entries failed" || return 1
	modprobe -q sch_tbf 2>/dev/null || true
	tc -n "$WIRE_A" qdisc add dev wa root tbf rate 8mbit burst 128k limit 8mb ||
		fail "tbf a" || return 1
	in_ns a sysctl -qw net.ipv4.tcp_limit_output_bytes=20000 || return 1
	for fam in inet xtcp; do
		port=$((port + 1))
		wire_bg "srv$port" b "$WIRE_XFER" script --family "$fam" \
			bind:"$port" listen say:listening accept recv:"$n" close
		wire_line "srv$port" listening || return 1
		wire_bg "cli$port" a "$WIRE_XFER" script --family "$fam" \
			connect:"$WIRE_ADDR_B":"$port" send:"$n" drain close
		cong_tsq_sample "cli$port"
		wire_wait "cli$port" || return 1
		wire_wait "srv$port" || return 1
		echo "$fam: the most tbf held: $TSQ_MAX B"
		if [ "$fam" = inet ]; then max_l=$TSQ_MAX; else max_x=$TSQ_MAX; fi
	done
	[ "$max_l" -le 262144 ] ||
		fail "Linux TCP: tbf held $max_l B (this test's premise)" || return 1
	[ "$max_x" -gt 0 ] || fail "xtcp: nothing seen queued in tbf" || return 1
	[ "$max_x" -le 262144 ] ||
		fail "xtcp: tbf held $max_x B, Linux TCP $max_l B: no small queues" ||
		return 1
}
