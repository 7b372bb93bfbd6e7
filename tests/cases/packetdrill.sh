# shellcheck shell=bash
# The differential packetdrill suite (tests/packetdrill/, issue #15): every
# script on Linux TCP, where it must pass (that is what proves the scripts
# right), and on xtcp, where a script marked as a known difference is a skip
# with its reason inside the runner's output, and a failure once it passes.
# The runner prints a line per script; a case fails when any line is not ok.

packetdrill_run() { "$here/packetdrill/run" --stack "$1"; }

# The scripts hold each segment to its time within 25 ms: the debug kernel
# (KASAN, lockdep, kmemleak under TCG) is many times too slow for that.
light_skip[packetdrill_linux_tcp]="timed to 25 ms, too tight for the debug kernel; Debian's kernel runs the scripts (make packetdrill-debug, within 100 ms, in make soak)"
light_skip[packetdrill_xtcp]="timed to 25 ms, too tight for the debug kernel; Debian's kernel runs the scripts (make packetdrill-debug, within 100 ms, in make soak)"

# 140 scripts one after another, each a few seconds of its timeline: 560 s on
# Linux TCP in a make check guest beside two others, over the default limit.
case_timeout[packetdrill_linux_tcp]=1500
case_timeout[packetdrill_xtcp]=1500

case_packetdrill_linux_tcp() { packetdrill_run inet; }
case_packetdrill_xtcp() {
	# XTCP_TEST_FAMILY=inet (scripts/selftests inet) asks for Linux TCP only
	[ "${XTCP_TEST_FAMILY:-xtcp}" != inet ] ||
		skip "XTCP_TEST_FAMILY=inet: the scripts' Linux TCP run is packetdrill_linux_tcp"
	packetdrill_run xtcp
}
