# shellcheck shell=bash
# The userland tools of tools/, each run against real xtcp connections in two
# namespaces (tests/lib/netns.sh) and checked by what it prints.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"
TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tools" && pwd)
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
