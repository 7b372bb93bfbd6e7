# shellcheck shell=bash
# What the segments carry, seen on the wire (a packet socket on lo), checked
# on xtcp and, with XTCP_TEST_FAMILY=inet, on Linux TCP: the same script
# passes on both.

# PSH on the last segment of each write, none with MSG_MORE (tcp_mark_push()).
case_segments_psh_placement() { python3 "$here/psh.py"; }
