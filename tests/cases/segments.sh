# shellcheck shell=bash
# What the segments carry, seen on the wire (a packet socket on lo), checked
# on xtcp and, with XTCP_TEST_FAMILY=inet, on Linux TCP: the same script
# passes on both.

# PSH on the last segment of each write, none with MSG_MORE (tcp_mark_push()).
# In a namespace of its own with tail loss probes off (tcp_early_retrans 0,
# which xtcp follows): on lo a probe's time, two RTTs and 2 ms, can pass
# between the MSG_MORE writes and the last one, and a probe sends held data
# at once (tcp_send_loss_probe(), TCP_NAGLE_OFF) on either stack, so that
# where PSH goes would hang on the guest's timing. And without the restart of
# cwnd after an idle time (tcp_slow_start_after_idle 0, followed by both): a
# pause longer than the RTO (200 ms on lo) between the warm-up and a write,
# easily had in a loaded guest, takes cwnd back to ten segments, fewer than
# a 10 000-byte write's eleven, and the ten that go form a GSO packet, which
# both stacks mark with PSH (__tcp_transmit_skb()).
case_segments_psh_placement() {
	# shellcheck disable=SC2016
	unshare -n -- sh -c 'ip link set lo up &&
		sysctl -q -w net.ipv4.tcp_early_retrans=0 &&
		sysctl -q -w net.ipv4.tcp_slow_start_after_idle=0 &&
		exec python3 "$1"' sh "$here/psh.py"
}
