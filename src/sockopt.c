// SPDX-License-Identifier: GPL-2.0
/*
 * sockopt.c: socket options and TCP_INFO.
 *
 * SOL_TCP options as do_tcp_setsockopt() and do_tcp_getsockopt() take and
 * answer them; SOL_SOCKET and SOL_IP go to the kernel's own handlers.
 */
#include <linux/net.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <uapi/linux/xtcp.h>

#include "ack.h"
#include "delack.h"
#include "ecn.h"
#include "isn.h"
#include "nagle.h"
#include "output.h"
#include "recovery.h"
#include "seq.h"
#include "sockopt.h"
#include "state.h"
#include "timer.h"
#include "urgent.h"
#include "xtcp.h"

/*
 * TCP_CONGESTION: an algorithm by name, as tcp_set_congestion_control()
 * takes it (EINVAL for an empty name, ENOENT for an unknown one), at any time;
 * a connection keeps its window and the algorithm starts afresh on it.
 */
/*
 * TCP_DEFER_ACCEPT's seconds as SYN+ACK time-outs (the first @timeout
 * seconds, doubling up to @rto_max) and back: tcp.c's secs_to_retrans() and
 * retrans_to_secs(), which the kernel keeps static.
 */
static u8 secs_to_retrans(int seconds, int timeout, int rto_max)
{
	int period = timeout;
	u8 res = 1;

	if (seconds <= 0)
		return 0;
	while (seconds > period && res < 255) {
		res++;
		timeout <<= 1;
		if (timeout > rto_max)
			timeout = rto_max;
		period += timeout;
	}
	return res;
}

static int retrans_to_secs(u8 retrans, int timeout, int rto_max)
{
	int period = 0;

	if (retrans > 0) {
		period = timeout;
		while (--retrans) {
			timeout <<= 1;
			if (timeout > rto_max)
				timeout = rto_max;
			period += timeout;
		}
	}
	return period;
}

/*
 * TCP_WINDOW_CLAMP, as tcp_set_window_clamp(): 0 only on a closed socket (it
 * unsets the clamp), else at least SOCK_MIN_RCVBUF / 2. Before the connection
 * has its clamp (tcp_init_buffer_space()) the value waits in clamp_opt and
 * bounds the SYN's or SYN+ACK's window and scale (output.c); after, it is the
 * clamp, and rcv_ssthresh follows it down, or up to the last window. In
 * SYN-SENT, after tcp_connect_init() capped the clamp at the largest window
 * on our scale, Linux's tp->window_clamp takes the value as it is (clamp_raw):
 * tcp_init_buffer_space() then bounds it by the buffer alone.
 */
static int set_window_clamp(struct sock *sk, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 clamp;

	xtcp_sock_assert_locked(sk);
	if (!val) {
		if (sk->sk_state != XTCP_CLOSE)
			return -EINVAL;
		xs->window_clamp = 0;
		xs->clamp_raw = 0;
		WRITE_ONCE(xs->clamp_opt, 0);
		return 0;
	}
	clamp = max_t(u32, val, SOCK_MIN_RCVBUF / 2);
	if (!xs->window_clamp) {
		xs->clamp_raw = sk->sk_state == XTCP_SYN_SENT;
		WRITE_ONCE(xs->clamp_opt, clamp);
		return 0;
	}
	if (clamp < xs->window_clamp)
		xs->rcv_ssthresh = min(xs->rcv_ssthresh, clamp);
	else
		xs->rcv_ssthresh = max(min(xs->rcv_wnd, clamp),
				       xs->rcv_ssthresh);
	xs->window_clamp = clamp;
	return 0;
}

static int set_congestion(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	const struct xtcp_congestion_ops *ops;
	char name[XTCP_CA_NAME_MAX];
	long len;

	if (optlen < 1)
		return -EINVAL;
	len = strncpy_from_sockptr(name, optval,
				   min_t(unsigned int, optlen,
					 sizeof(name) - 1));
	if (len < 0)
		return -EFAULT;
	name[len] = '\0';
	ops = xtcp_cong_get(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	xtcp_cc_switch(sk, ops);
	release_sock(sk);
	return 0;
}

int xtcp_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, err = 0;

	if (level == SOL_IP) {
		/*
		 * ip_setsockopt() refuses these to a connection-oriented
		 * socket by its is_icsk, which an xtcp socket does not set
		 * (MCAST_JOIN_GROUP and the others it allows TCP, and xtcp).
		 */
		if (optname == IP_ADD_MEMBERSHIP || optname == IP_DROP_MEMBERSHIP)
			return -EPROTO;
		return ip_setsockopt(sk, level, optname, optval, optlen);
	}
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optname == TCP_CONGESTION)
		return set_congestion(sk, optval, optlen);
	switch (optname) {
	case TCP_NODELAY:
	case TCP_CORK:
	case TCP_QUICKACK:
	case TCP_MAXSEG:
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
	case TCP_USER_TIMEOUT:
	case TCP_SYNCNT:
	case TCP_INQ:
	case TCP_NOTSENT_LOWAT:
	case TCP_LINGER2:
	case TCP_DEFER_ACCEPT:
	case TCP_WINDOW_CLAMP:
	case TCP_THIN_LINEAR_TIMEOUTS:
	case TCP_THIN_DUPACK:
	case TCP_TIMESTAMP:
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	/* __tcp_sock_set_nodelay(): what Nagle held goes now */
	case TCP_NODELAY:
		xs->nodelay = !!val;
		if (val)
			xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		break;
	/* __tcp_sock_set_cork(): uncorking sends what is held, Nagle allowing */
	case TCP_CORK:
		xs->cork = !!val;
		if (!val)
			xtcp_push_mode(sk, xs->nodelay ? XTCP_NAGLE_PUSH : 0);
		break;
	/* __tcp_sock_set_quickack(): 0 delays every ACK, 1 sends the owed one */
	case TCP_QUICKACK:
		xs->pingpong = !(val & 1);
		if (val & 1)
			xtcp_ack_owed_now(sk);
		break;
	case TCP_MAXSEG:
		/* tcp_setsockopt(): 0 resets, else TCP_MIN_MSS..MAX_TCP_WINDOW */
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW)) {
			err = -EINVAL;
			break;
		}
		xs->user_mss = val;
		break;
	/* the keep-alive knobs, with tcp_setsockopt()'s ranges, inherited by accepted sockets */
	/* a running keep-alive timer counts the new idle time from the last ACK */
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE) {
			err = -EINVAL;
		} else {
			xs->keepidle = val;
			if (sock_flag(sk, SOCK_KEEPOPEN))
				xtcp_keepalive_reset(sk);
		}
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			err = -EINVAL;
		else
			xs->keepintvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			err = -EINVAL;
		else
			xs->keepcnt = val;
		break;
	/* ms that data may stay unacknowledged before ETIMEDOUT; 0: retries2 */
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			xs->user_timeout = val;
		break;
	/*
	 * SYN retransmissions before connect() fails; a listener's SYN+ACKs;
	 * inherited by accepted sockets (icsk_syn_retries)
	 */
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			err = -EINVAL;
		else
			WRITE_ONCE(xs->syn_retries, val);
		break;
	/* a TCP_CM_INQ control message on every recvmsg() (tcp_inq_hint()) */
	case TCP_INQ:
		if (val < 0 || val > 1)
			err = -EINVAL;
		else
			xs->recvmsg_inq = val;
		break;
	/*
	 * The most unsent bytes a writer may queue; 0: the sysctl's. Taken
	 * unchecked, as a u32, as TCP takes it; a writer waiting for room
	 * under the old mark may have it now.
	 */
	case TCP_NOTSENT_LOWAT:
		WRITE_ONCE(xs->notsent_lowat, val);
		sk->sk_write_space(sk);
		break;
	/* seconds, kept as SYN+ACK time-outs, as tcp_setsockopt() keeps them */
	case TCP_DEFER_ACCEPT:
		WRITE_ONCE(xs->defer_accept,
			   secs_to_retrans(val, TCP_TIMEOUT_INIT / HZ,
					   TCP_RTO_MAX / HZ));
		break;
	/*
	 * How long an orphan waits in FIN-WAIT-2, as tcp_setsockopt() takes
	 * it: below 0 not at all (reset), 0 the sysctl's, at most 120 s
	 */
	case TCP_LINGER2:
		if (val < 0)
			WRITE_ONCE(xs->linger2, -1);
		else if (val > TCP_FIN_TIMEOUT_MAX / HZ)
			WRITE_ONCE(xs->linger2, TCP_FIN_TIMEOUT_MAX);
		else
			WRITE_ONCE(xs->linger2, val * HZ);
		break;
	case TCP_WINDOW_CLAMP:
		err = set_window_clamp(sk, val);
		break;
	/* linear RTOs for a thin stream (timer.c), inherited by accepted sockets */
	case TCP_THIN_LINEAR_TIMEOUTS:
		if (val < 0 || val > 1)
			err = -EINVAL;
		else
			xs->thin_lto = val;
		break;
	/* 0 or 1, and nothing more: Linux 6.1 took its meaning away */
	case TCP_THIN_DUPACK:
		if (val < 0 || val > 1)
			err = -EINVAL;
		break;
	/* set only in repair mode (TCP_REPAIR), which xtcp does not have */
	case TCP_TIMESTAMP:
		err = -EPERM;
		break;
	}
	release_sock(sk);
	return err;
}

/*
 * TCP_INFO: struct tcp_info with the fields xtcp keeps; the others stay
 * 0. A listener reports its pacing rates, reordering and cwnd, and aliases
 * tcpi_unacked and tcpi_sacked to its accept queue and backlog, as
 * tcp_get_info() does. With @ca_name (XTCP_CA_NAME_MAX bytes), also the name
 * of the socket's congestion control, as inet_diag's INET_DIAG_CONG gives it
 * to ss (/proc/net/xtcp_info). Takes the socket lock: process context.
 */
void xtcp_get_info(struct sock *sk, struct tcp_info *info, char *ca_name)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;
	unsigned long rate;
	u32 now;

	memset(info, 0, sizeof(*info));
	lock_sock(sk);
	if (ca_name)
		strscpy(ca_name, xs->ca_ops->name, XTCP_CA_NAME_MAX);
	info->tcpi_state = sk->sk_state;
	/* ~0UL, no rate, is ~0ULL on 32-bit machines too */
	rate = READ_ONCE(sk->sk_pacing_rate);
	info->tcpi_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	rate = READ_ONCE(sk->sk_max_pacing_rate);
	info->tcpi_max_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	info->tcpi_reordering = xs->reordering;
	info->tcpi_reord_seen = xs->reord_seen;
	info->tcpi_snd_cwnd = xs->cc.cwnd;
	if (sk->sk_state == XTCP_LISTEN) {
		info->tcpi_unacked = xs->accept_count;
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		goto out;
	}
	info->tcpi_retransmits = xs->retries;
	info->tcpi_ca_state = xs->ca_state;
	info->tcpi_snd_ssthresh = xs->cc.ssthresh;
	info->tcpi_unacked = xs->packets_out;
	info->tcpi_sacked = xs->sacked_out;
	info->tcpi_lost = xs->lost_out;
	info->tcpi_retrans = xs->retrans_out;
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_rto = xs->rto_ms * USEC_PER_MSEC;
	info->tcpi_ato = jiffies_to_usecs(xs->ato);
	info->tcpi_advmss = xs->adv_mss;
	/* less the timestamps once the handshake agreed on them (tp->advmss) */
	if (xs->ts_ok && !((1 << sk->sk_state) &
			   (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE)))
		info->tcpi_advmss -= TCPOLEN_TSTAMP_ALIGNED;
	info->tcpi_rcv_ssthresh = xs->rcv_ssthresh;
	info->tcpi_rcv_space = xs->rcvq_space;
	info->tcpi_segs_out = xs->segs_out;
	info->tcpi_segs_in = xs->segs_in;
	info->tcpi_data_segs_out = xs->data_segs_out;
	info->tcpi_data_segs_in = xs->data_segs_in;
	info->tcpi_bytes_sent = xs->bytes_sent;
	info->tcpi_bytes_retrans = xs->bytes_retrans;
	info->tcpi_bytes_acked = xs->bytes_acked;
	info->tcpi_bytes_received = xs->bytes_received;
	info->tcpi_rtt = xs->rtt.srtt_us;
	info->tcpi_rttvar = xs->rtt.rttvar_us;
	info->tcpi_min_rtt = xtcp_rtt_min_us(&xs->rtt);
	/* the delivery rate (rate.h), as tcp_get_info() */
	info->tcpi_delivery_rate = xtcp_rate_bps(&xs->rate, xs->mss);
	info->tcpi_delivery_rate_app_limited = xs->rate.rate_app_limited;
	info->tcpi_delivered = xs->delivered;
	info->tcpi_delivered_ce = xs->rate.delivered_ce;
	now = tcp_jiffies32;
	/* the chronographs (chrono.h): busy is all three */
	info->tcpi_rwnd_limited = xtcp_chrono_us(&xs->chrono,
						 XTCP_CHRONO_RWND_LIMITED, now);
	info->tcpi_sndbuf_limited = xtcp_chrono_us(&xs->chrono,
						   XTCP_CHRONO_SNDBUF_LIMITED,
						   now);
	info->tcpi_busy_time = xtcp_chrono_us(&xs->chrono, XTCP_CHRONO_BUSY,
					      now) +
			       info->tcpi_rwnd_limited +
			       info->tcpi_sndbuf_limited;
	/* ms since the last text sent and received, and the last ACK */
	info->tcpi_last_data_sent = jiffies_to_msecs(now - xs->lsndtime);
	info->tcpi_last_data_recv = jiffies_to_msecs(now - xs->lrcv_time);
	info->tcpi_last_ack_recv = jiffies_to_msecs(now - xs->rcv_tstamp);
	/* as tcp_get_info(): from our SYN on, as tp->ecn_flags */
	if (xs->ecn_flags & XTCP_ECN_OK)
		info->tcpi_options |= TCPI_OPT_ECN;
	if (xs->ecn_flags & XTCP_ECN_SEEN)
		info->tcpi_options |= TCPI_OPT_ECN_SEEN;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))) {
		if (xs->ts_ok)
			info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
		if (xs->sack_ok)
			info->tcpi_options |= TCPI_OPT_SACK;
		if (xs->wscale_ok) {
			info->tcpi_options |= TCPI_OPT_WSCALE;
			info->tcpi_snd_wscale = xs->snd_wscale;
			info->tcpi_rcv_wscale = xs->rcv_wscale;
		}
		info->tcpi_snd_mss = xs->mss;
		info->tcpi_rcv_mss = xs->rcv_mss;
		info->tcpi_snd_wnd = xs->snd_wnd;
		info->tcpi_notsent_bytes = xs->write_seq - xs->snd_nxt;
	}
	dst = __sk_dst_get(sk);
	if (dst)
		info->tcpi_pmtu = dst_mtu(dst);
out:
	release_sock(sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_get_info);

int xtcp_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, len;

	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case TCP_INFO: {
		struct tcp_info info;

		xtcp_get_info(sk, &info, NULL);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}
	case TCP_CC_INFO: {
		/* the algorithm's get_info, as do_tcp_getsockopt() asks it */
		union tcp_cc_info info;
		size_t sz;
		int attr;

		lock_sock(sk);
		sz = xtcp_ca_get_info(sk, &attr, &info);
		release_sock(sk);
		len = min_t(unsigned int, len, sz);
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}
	case TCP_CONGESTION: {
		char name[XTCP_CA_NAME_MAX] = {};

		lock_sock(sk);
		strscpy(name, xs->ca_ops->name, sizeof(name));
		release_sock(sk);
		len = min_t(unsigned int, len, sizeof(name));
		if (put_user(len, optlen) || copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	}
	case TCP_NODELAY:
		val = xs->nodelay;
		break;
	case TCP_CORK:
		val = xs->cork;
		break;
	case TCP_QUICKACK:
		val = !xs->pingpong;
		break;
	case TCP_MAXSEG:
		/* tcp_getsockopt(): the MSS in use once connected */
		if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
			val = xs->user_mss ?: TCP_MSS_DEFAULT;
		else
			val = xs->mss;
		break;
	/* unset: the namespace's net.xtcp.keepalive_*, as TCP answers its own */
	case TCP_KEEPIDLE:
		val = xtcp_keepalive_time(sk);
		break;
	case TCP_KEEPINTVL:
		val = xtcp_keepalive_intvl(sk);
		break;
	case TCP_KEEPCNT:
		val = xtcp_keepalive_probes(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = xs->user_timeout;
		break;
	case TCP_SYNCNT:
		val = READ_ONCE(xs->syn_retries) ?:
		      xtcp_sysctl(sock_net(sk), syn_retries,
				  sysctl_tcp_syn_retries);
		break;
	case TCP_INQ:
		val = xs->recvmsg_inq;
		break;
	/* the socket's own, 0 while the sysctl decides, as TCP answers */
	case TCP_NOTSENT_LOWAT:
		val = READ_ONCE(xs->notsent_lowat);
		break;
	/* the seconds those time-outs take, as tcp_getsockopt() says */
	case TCP_DEFER_ACCEPT:
		val = retrans_to_secs(READ_ONCE(xs->defer_accept),
				      TCP_TIMEOUT_INIT / HZ, TCP_RTO_MAX / HZ);
		break;
	/* seconds, the sysctl's while unset; -1 for none */
	case TCP_LINGER2:
		val = READ_ONCE(xs->linger2);
		if (val >= 0)
			val = (val ?: READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_fin_timeout)) / HZ;
		break;
	/*
	 * The clamp in use; before it is set, TCP_WINDOW_CLAMP's, or in
	 * SYN-SENT what tcp_connect_init() left (the SYN's)
	 */
	case TCP_WINDOW_CLAMP:
		lock_sock(sk);
		val = xs->window_clamp ?: xs->clamp_opt;
		if (!xs->window_clamp && sk->sk_state == XTCP_SYN_SENT)
			val = xtcp_initial_window_clamp(sk);
		release_sock(sk);
		break;
	case TCP_THIN_LINEAR_TIMEOUTS:
		val = xs->thin_lto;
		break;
	case TCP_THIN_DUPACK:
		val = 0;
		break;
	/* the TSval the connection would send now (tcp_time_stamp_raw() + tsoffset) */
	case TCP_TIMESTAMP:
		val = xtcp_isn_tsval(READ_ONCE(xs->ts_off));
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
