# shellcheck shell=bash
# Reliability under a misbehaving network (issue #5): transfers through netem
# on both ends of the veth, xtcp to xtcp and xtcp with Linux TCP both ways.
# Each transfer sends the same amount both ways at once and passes only when
# both hashes match (wire_xfer) and both ends closed cleanly; the counters then
# show the machinery that did it (retransmissions, out-of-order queue, SACK
# recoveries). Sourced by tests/run; helpers in tests/lib/netns.sh.

. "${BASH_SOURCE[0]%/*}/../lib/netns.sh"

# netem on each direction. Reordering: 25% of segments (correlated 50%) go
# at once, the rest 10 ms later (netem reorders only against a delay).
declare -A LOSS_NETEM=(
	[loss1]="loss 1%"
	[loss5]="loss 5%"
	[loss10]="loss 10%"
	[delay]="delay 20ms 5ms distribution normal"
	[reorder]="delay 10ms reorder 25% 50%"
	[duplicate]="duplicate 5%"
	[corrupt]="corrupt 1%"
	[rate]="rate 20mbit limit 20"
	[mix]="delay 10ms 5ms loss 3% duplicate 2% corrupt 1% reorder 10%"
)
# Profiles whose events are counted a segment at a time: netem acts on an
# skb, and both stacks hand it GSO skbs of up to 64 KiB (one loss, corruption
# or duplicate for dozens of segments: 1 MiB is some 20 skbs, which a 1% loss
# may well miss), so there the veths take one segment an skb (gso_max_segs 1,
# which TCP's tcp_tso_autosize() and xtcp's size goal both follow), as a wire
# without offloads would carry them.
declare -A LOSS_PER_SEGMENT=(
	[loss1]=1 [loss5]=1 [loss10]=1 [mix]=1 [corrupt]=1 [duplicate]=1
)
# Which counter the profile must move at an xtcp end (RFC 6298 / 5681 / 2018
# machinery at work), "" for none in particular.
declare -A LOSS_MOVES=(
	[loss1]=RetransSegs [loss5]=RetransSegs [loss10]=RetransSegs
	[reorder]=OfoQueue [duplicate]=DupData [corrupt]=InCsumErrors
	[mix]=RetransSegs [delay]="" [rate]=""
)

# 1 KiB and 1 MiB each way, and 64 MiB too in `make soak` (XTCP_SOAK=1: minutes
# a profile under TCG); the debug kernel runs 1 KiB and 256 KiB.
if [ -n "${XTCP_WIRE_LIGHT:-}" ]; then
	LOSS_SIZES="1024 262144"
elif [ -n "${XTCP_SOAK:-}" ]; then
	LOSS_SIZES="1024 1048576 67108864"
else
	LOSS_SIZES="1024 1048576"
fi

# Counter NAME summed over the namespaces given, into LOSS_SUM.
loss_sum() {
	local ns
	LOSS_SUM=0
	for ns in "${@:2}"; do
		wire_snmp "$ns" xtcp "$1" || return 1
		LOSS_SUM=$((LOSS_SUM + WIRE_VAL))
	done
}

# loss_pair PROFILE CLIENT_FAM SERVER_FAM: each of LOSS_SIZES both ways at
# once (the client closing first, then the server, by turns), and what the
# counters of the xtcp ends did meanwhile.
loss_pair() {
	local prof=$1 cf=$2 sf=$3 xns=() c before=() i line="" moved= n closer=client
	local counters=(RetransSegs OfoQueue OfoDrop DupData InCsumErrors SackRecovery RenoRecovery)
	[ "$cf" = xtcp ] && [ "$WIRE_INET" = 0 ] && xns+=(a)
	[ "$sf" = xtcp ] && [ "$WIRE_INET" = 0 ] && xns+=(b)
	for i in "${!counters[@]}"; do
		[ ${#xns[@]} -gt 0 ] || break
		loss_sum "${counters[$i]}" "${xns[@]}" || return 1
		before[$i]=$LOSS_SUM
	done
	for n in $LOSS_SIZES; do
		# (64 MiB through 10% loss takes a minute or more under TCG)
		wire_xfer veth "$cf" "$sf" "$n" "$closer" --timeout 600 || return 1
		[ "$closer" = client ] && closer=server || closer=client
	done
	[ ${#xns[@]} -gt 0 ] || return 0
	for i in "${!counters[@]}"; do
		loss_sum "${counters[$i]}" "${xns[@]}" || return 1
		c=$((LOSS_SUM - before[i]))
		line+=" ${counters[$i]} +$c"
		[ "${counters[$i]}" = "${LOSS_MOVES[$prof]}" ] && moved=$c
	done
	echo "  xtcp ends (${xns[*]}):$line"
	# Checked where the events are sure to happen: with two xtcp ends (each
	# sees a 1% event dozens of times: one segment an skb where the profile
	# counts segments, LOSS_PER_SEGMENT), or at 5% and 10% loss. With one
	# xtcp end a 1% event may fall on the other end only.
	[ ${#xns[@]} = 2 ] || [ "$prof" = loss5 ] || [ "$prof" = loss10 ] || return 0
	if [ -n "${LOSS_MOVES[$prof]}" ] && [ "${moved:-0}" -le 0 ]; then
		fail "${LOSS_MOVES[$prof]} did not move under ${LOSS_NETEM[$prof]}"
	fi
}

# loss_case PROFILE: the profile on both ends, then each pairing in turn.
loss_case() {
	local prof=$1 ns dev
	wire_setup || return 1
	# A duplicated or late segment after a close meets the listener, which
	# answers with a RST (as TCP's does): RFC 1337 on for both stacks, or
	# that RST could end the closer's TIME_WAIT that wire_xfer checks.
	wire_xfer_rfc1337 || return 1
	in_ns a sysctl -qw net.ipv4.tcp_rfc1337=1 || return 1
	in_ns b sysctl -qw net.ipv4.tcp_rfc1337=1 || return 1
	wire_static_neigh || fail "static neighbour entries failed" || return 1
	modprobe -q sch_netem 2>/dev/null || true
	for ns in a b; do
		dev=wa
		[ $ns = b ] && dev=wb
		# shellcheck disable=SC2086
		tc -n "$(wire_ns $ns)" qdisc add dev $dev root netem ${LOSS_NETEM[$prof]} ||
			fail "tc netem ${LOSS_NETEM[$prof]} failed" || return 1
		[ -z "${LOSS_PER_SEGMENT[$prof]:-}" ] ||
			ip -n "$(wire_ns $ns)" link set dev $dev gso_max_segs 1 ||
			fail "gso_max_segs 1 on $dev failed" || return 1
	done
	echo "netem both ways: ${LOSS_NETEM[$prof]}${LOSS_PER_SEGMENT[$prof]:+ (one segment an skb)}"
	loss_pair "$prof" xtcp xtcp || return 1
	loss_pair "$prof" xtcp inet || return 1
	loss_pair "$prof" inet xtcp || return 1
}

for _p in "${!LOSS_NETEM[@]}"; do
	eval "case_loss_${_p}() { loss_case $_p; }"
	# the debug kernel keeps the hardest loss (about 5 minutes there)
	[ "$_p" = loss10 ] ||
		light_skip[loss_$_p]="loss10 takes the recovery paths in the debug kernel; time budget"
done
unset _p
