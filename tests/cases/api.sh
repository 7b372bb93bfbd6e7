# shellcheck shell=bash
# The socket API over loopback (tests/api.c): one case_api_<name> per C case.
# XTCP_TEST_FAMILY=inet runs the same cases on Linux TCP (AF_INET), and with
# XTCP_TEST_IP=6 over IPv6 (AF_INET6 on ::1; xtcp has no IPv6 yet, #17).

# A case the C program cannot run over the IP version under test ends with
# exit 77 and "api: skip: REASON": a skip with that reason.
api() {
	local out rc
	# (cases run under set -e: the status is taken, not fatal)
	out=$("$bin/api" "$@") && rc=0 || rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	[ $rc = 77 ] && skip "$(sed -n 's/^api: skip: //p' <<<"$out" | tail -n 1)"
	return $rc
}
api_inet() { [ "${XTCP_TEST_FAMILY:-xtcp}" = inet ]; }

# A port whose SYNs vanish: an nft rule drops them on the way in (prerouting,
# before any LOCAL_IN hook), so a connect to 127.0.0.1:$api_drop_port stays in
# progress. The caller traps EXIT to remove it when the case's subshell exits.
api_drop_port=47999
api_drop_table=xtcp_api_drop
api_drop_on() {
	# Debian's kernel has nf_tables as a module; the debug kernel has it built in.
	modprobe -q nf_tables 2>/dev/null || true
	nft -f - <<-NFT
	table inet $api_drop_table {
		chain pre {
			type filter hook prerouting priority raw; policy accept;
			tcp dport $api_drop_port drop
		}
	}
	NFT
}
api_drop_off() { nft delete table inet "$api_drop_table" 2>/dev/null || true; }

# The SYN retry count of the family under test.
api_syn_retries_path() {
	if api_inet; then echo /proc/sys/net/ipv4/tcp_syn_retries; else echo /proc/sys/net/xtcp/syn_retries; fi
}

case_api_bind_eaddrinuse() { api bind_eaddrinuse; }
case_api_tcp_congestion() { api tcp_congestion; }
case_api_bind_cross_stack() { api bind_cross_stack; }
case_api_bind_eaddrnotavail() { api bind_eaddrnotavail; }
case_api_bind_eacces_unprivileged() { api bind_eacces_unprivileged; }
case_api_bind_einval() { api bind_einval; }
case_api_bind_reuseaddr() { api bind_reuseaddr; }
case_api_reuseaddr_tcp_beside_listener() { api reuseaddr_tcp_beside_listener; }
case_api_reuseaddr_tcp_vs_listener() { api reuseaddr_tcp_vs_listener; }
case_api_bind_ephemeral() { api bind_ephemeral; }
case_api_listen_backlog() { api listen_backlog; }
case_api_accept_blocking() { api accept_blocking; }
case_api_accept_nonblock_eagain() { api accept_nonblock_eagain; }
case_api_accept4_flags() { api accept4_flags; }
case_api_accept_not_listening() { api accept_not_listening; }
case_api_connect_blocking() { api connect_blocking; }
case_api_connect_nonblocking() { api connect_nonblocking; }
case_api_connect_refused() { api connect_refused; }
case_api_connect_eisconn() { api connect_eisconn; }
case_api_send_recv() { api send_recv; }
case_api_send_efault() { api send_efault; }
case_api_ip_options_freed() { api ip_options_freed; }
case_api_multicast_left_on_close() {
	# the groups a socket holds show only in /proc/net/igmp (igmp6 over IPv6)
	if [ "${XTCP_TEST_IP:-4}" = 6 ]; then
		[ -e /proc/net/igmp6 ] || fail "no /proc/net/igmp6 (IPv6 has multicast always)" || return 1
	else
		[ -e /proc/net/igmp ] || skip "no /proc/net/igmp: this kernel has no IP multicast (CONFIG_IP_MULTICAST)"
	fi
	api multicast_left_on_close
}
case_api_recv_peek() { api recv_peek; }
case_api_recv_dontwait() { api recv_dontwait; }
case_api_recv_waitall() { api recv_waitall; }
case_api_read_eof() { api read_eof; }
case_api_shutdown_wr() { api shutdown_wr; }
case_api_shutdown_rd() { api shutdown_rd; }
case_api_shutdown_rdwr() { api shutdown_rdwr; }
case_api_enotconn() { api enotconn; }
case_api_names() { api names; }
case_api_poll_in_out() { api poll_in_out; }
case_api_poll_rdhup() { api poll_rdhup; }
case_api_poll_hup() { api poll_hup; }
case_api_poll_err_rst() { api poll_err_rst; }
case_api_select_epoll() { api select_epoll; }
case_api_sockopt_bufs() { api sockopt_bufs; }
case_api_linger_zero_rst() { api linger_zero_rst; }
case_api_so_error() { api so_error; }
case_api_sockopt_keepalive() { api sockopt_keepalive; }
case_api_tcp_nodelay() { api tcp_nodelay; }
case_api_tcp_maxseg() { api tcp_maxseg; }
case_api_max_pacing_rate() { api max_pacing_rate; }
case_api_tcp_info() { api tcp_info; }
case_api_tcp_keepalive_opts() { api tcp_keepalive_opts; }
case_api_tcp_unknown_opt() { api tcp_unknown_opt; }
case_api_tcp_inq() { api tcp_inq; }
case_api_close_unread_rst() { api close_unread_rst; }
case_api_epipe_sigpipe() { api epipe_sigpipe; }
case_api_send_buffer_full() { api send_buffer_full; }
case_api_unsupported_calls() { api unsupported_calls; }
case_api_nagle() { api nagle; }
case_api_tcp_cork() { api tcp_cork; }
case_api_tcp_timestamp() { api tcp_timestamp; }
case_api_msg_more() { api msg_more; }
case_api_delayed_ack() { api delayed_ack; }
case_api_oob() { api oob; }
case_api_oob_interop() { api oob_interop; }
case_api_oob_inline() { api oob_inline; }
case_api_data_after_close() { api data_after_close; }

# TCP_NOTSENT_LOWAT set on the socket, then left 0 under the namespace's
# net.ipv4.tcp_notsent_lowat (both stacks follow it); then, on xtcp, its
# net.xtcp.notsent_lowat override above TCP's: a mark the writer would pass
# long before if xtcp followed TCP's. (t, x, old_t, old_x: globals of the
# case's subshell, for the EXIT trap)
case_api_tcp_notsent_lowat() {
	t=/proc/sys/net/ipv4/tcp_notsent_lowat x=/proc/sys/net/xtcp/notsent_lowat
	[ -w "$t" ] || fail "no $t" || return 1
	old_t=$(cat "$t") old_x=""
	api_inet || old_x=$(cat "$x") || return 1
	trap 'echo "$old_t" >"$t"; [ -z "$old_x" ] || echo "$old_x" >"$x"' EXIT
	api tcp_notsent_lowat || return 1
	echo 16384 >"$t" || return 1
	XTCP_API_LOWAT=16384 api tcp_notsent_lowat || return 1
	api_inet && return 0
	[ "$old_x" = -1 ] || fail "net.xtcp.notsent_lowat starts at $old_x, not -1" || return 1
	echo 131072 >"$x" || return 1
	XTCP_API_LOWAT=131072 api tcp_notsent_lowat
}

# Autotuning between the defaults, then with smaller rmem/wmem sysctls: new
# sockets start at the new defaults and grow no further than the new maxima.
# (d, p, r, w: globals of the case's subshell, for the EXIT trap)
case_api_buffer_autotune() {
	d=/proc/sys/net/xtcp p=""
	api_inet && d=/proc/sys/net/ipv4 p=tcp_
	api buffer_autotune || return 1
	r=$(cat "$d/${p}rmem") w=$(cat "$d/${p}wmem")
	trap 'echo "$r" >"$d/${p}rmem"; echo "$w" >"$d/${p}wmem"' EXIT
	echo "4096 32768 262144" >"$d/${p}rmem" && echo "4096 8192 196608" >"$d/${p}wmem" ||
		fail "cannot set $d/${p}rmem, wmem" || return 1
	api buffer_autotune
}

case_api_connect_ealready() {
	trap api_drop_off EXIT
	api_drop_on
	XTCP_API_DROP_PORT=$api_drop_port api connect_ealready
}

# Every segment but SYNs to the port dropped: connections complete on the
# client's side, then nothing it sends is acknowledged.
case_api_tcp_user_timeout() {
	local port=47996 table=xtcp_api_ut
	modprobe -q nf_tables 2>/dev/null || true
	trap "nft delete table inet $table 2>/dev/null || true" EXIT
	nft -f - <<-NFT || return 1
	table inet $table {
		chain pre {
			type filter hook prerouting priority raw; policy accept;
			tcp dport $port tcp flags & syn == 0 drop
		}
	}
	NFT
	XTCP_API_DROP_PORT=$port api tcp_user_timeout
}

# api_zero_window_for SECS: retries2=3, and a stopped reader's zero window
# held SECS seconds outlasts the probes, each answered.
api_zero_window_for() {
	if api_inet; then f=/proc/sys/net/ipv4/tcp_retries2; else f=/proc/sys/net/xtcp/retries2; fi
	[ -w "$f" ] || fail "no $f" || return 1
	old=$(cat "$f")
	trap 'echo "$old" >"$f"' EXIT
	echo 3 >"$f"
	XTCP_API_ZW_SECS=$1 api zero_window
}

# Eight seconds: three probes.
case_api_zero_window() { api_zero_window_for 8; }

# The same for two minutes: probes back off towards the 120 s RTO ceiling, each
# answered, and the connection outlives them all. A soak (make soak,
# XTCP_SOAK=1): the paths are api_zero_window's, only the wait is longer.
case_api_zero_window_minutes() {
	[ -n "${XTCP_SOAK:-}" ] || skip "a soak: two minutes of waiting, run by make soak (api_zero_window takes its paths)"
	api_zero_window_for 125
}
light_skip[api_zero_window_minutes]="time budget: two minutes of waiting; api_zero_window takes the same paths"

# TCP_SYNCNT 1, the sysctl left alone: ETIMEDOUT after about 3 s.
case_api_tcp_syncnt() {
	trap api_drop_off EXIT
	api_drop_on
	XTCP_API_DROP_PORT=$api_drop_port api tcp_syncnt
}

# syn_retries=1: the SYN and one retransmission, then ETIMEDOUT (about 3 s).
# (f and old are globals of the case's subshell: the EXIT trap runs after return)
case_api_connect_etimedout() {
	f=$(api_syn_retries_path)
	[ -w "$f" ] || fail "no $f" || return 1
	old=$(cat "$f")
	trap 'echo "$old" >"$f"; api_drop_off' EXIT
	echo 1 >"$f"
	api_drop_on
	XTCP_API_DROP_PORT=$api_drop_port api connect_etimedout
}

# IPv6's own cases (XTCP_TEST_IP=6; over IPv4 each is a skip that says so)
case_api6_v4mapped_bind() { api api6_v4mapped_bind; }
case_api6_v4mapped_connect() { api api6_v4mapped_connect; }
case_api6_flowinfo() { api api6_flowinfo; }
