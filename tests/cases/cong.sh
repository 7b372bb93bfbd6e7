# shellcheck shell=bash
# Congestion-control modules (include/net/xtcp_cong.h, issue #19): the
# example of examples/ (xtcp_vegas.ko, built by scripts/build beside xtcp.ko
# against its Module.symvers) loads, registers, is picked per socket with
# TCP_CONGESTION, carries a byte-exact transfer through netem's delay and
# answers TCP_CC_INFO; rmmod is refused while a socket uses it and succeeds
# after. Sourced by tests/run; helpers in tests/lib/netns.sh.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"

cong_example_ko() { echo "${XTCP_KO%/*}/../examples/$1.ko"; }
cong_avail() { cat /proc/sys/net/xtcp/available_congestion_control; }
cong_rmmod() { rmmod "$1" 2>/dev/null; }

case_cong_example_vegas() {
	local ko port=47310 n=$((4 * 1024 * 1024)) line base def
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
