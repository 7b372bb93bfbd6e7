// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c: the byte stream: sendmsg, recvmsg, poll and the queue ioctls.
 *
 * tcp_sendmsg_locked() and tcp_recvmsg_locked() are the models: text is
 * copied into MSS-sized skbs on the write queue and pushed (output.c) under
 * Nagle, cork and MSG_MORE; the reader takes it from the receive queue,
 * stopping at the urgent mark, and the window is reopened as it reads.
 */
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sockios.h>
#include <linux/termios.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "autotune.h"
#include "mem.h"
#include "nagle.h"
#include "output.h"
#include "recovery.h"
#include "rtxq.h"
#include "seq.h"
#include "state.h"
#include "stream.h"
#include "urgent.h"
#include "xtcp.h"

/*
 * Enough queued to wake a reader: SO_RCVLOWAT's bytes, or fewer when the
 * receive buffer is nearly full or the window advertised has no room for a
 * full segment (tcp_epollin_ready(), tcp_rmem_pressure()).
 */
static bool epollin_ready(const struct sock *sk, u32 avail)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	s32 win;

	if (avail >= (u32)sock_rcvlowat(sk, 0, INT_MAX))
		return true;
	if (atomic_read(&sk->sk_rmem_alloc) > rcvbuf - (rcvbuf >> 3))
		return true;
	win = READ_ONCE(xs->rcv_wup) + READ_ONCE(xs->rcv_wnd) -
	      READ_ONCE(xs->rcv_nxt);
	return win <= (s32)READ_ONCE(xs->rcv_mss);
}

/* tcp_poll(). */
__poll_t xtcp_poll(struct file *file, struct socket *sock,
			  struct poll_table_struct *wait)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	__poll_t mask = 0;
	int state;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == XTCP_LISTEN)
		return READ_ONCE(xs->accept_count) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == XTCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != XTCP_SYN_SENT && state != XTCP_SYN_RECV) {
		u32 avail = READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq);
		u16 urg_data = READ_ONCE(xs->urg_data);

		/* at the mark, the urgent byte read out of band is no data */
		if (unlikely(urg_data) && !sock_flag(sk, SOCK_URGINLINE) &&
		    READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq))
			avail -= min_t(u32, avail, 1);
		if (sock_flag(sk, SOCK_DONE))
			avail -= min_t(u32, avail, 1);	/* the FIN */
		if (avail && !skb_queue_empty_lockless(&sk->sk_receive_queue) &&
		    epollin_ready(sk, avail))
			mask |= EPOLLIN | EPOLLRDNORM;
		/* pairs with the smp_wmb() in rcv_urg() (input.c) */
		smp_rmb();
		if (urg_data & XTCP_URG_VALID)
			mask |= EPOLLPRI;
		/*
		 * room in the send buffer, and fewer than half the
		 * TCP_NOTSENT_LOWAT mark unsent (sock.c), as tcp_poll() asks
		 */
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (__sk_stream_is_writeable(sk, 1)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* NOSPACE before the re-check: pairs with the
				 * barrier in xtcp_write_space()'s wake-up and
				 * in check_space() (output.c) (tcp_poll)
				 */
				smp_mb__after_atomic();
				if (__sk_stream_is_writeable(sk, 1))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* sk_err is set before the state change that woke us (tcp_poll) */
	smp_rmb();
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}

/*
 * PSH as Linux places it: on the last segment of each write (not with
 * MSG_MORE), and on the current one once more than half the peer's largest
 * window has gone unpushed (forced_push(), tcp_mark_push()).
 */
static bool forced_push(const struct xtcp_sock *xs)
{
	return xtcp_seq_after(xs->write_seq,
			      xs->pushed_seq + (xs->max_snd_wnd >> 1));
}

static void mark_push(struct xtcp_sock *xs, struct sk_buff *skb)
{
	XTCP_SKB_CB(skb)->flags |= XTCP_FLAG_PSH;
	xs->pushed_seq = xs->write_seq;
}

/*
 * Linux queues a write in skbs of the size goal, sends each in GSO packets of
 * its own (a packet never takes two skbs) and asks forced_push() only when
 * one is full (tcp_sendmsg_locked()); xtcp queues MSS-sized skbs and keeps
 * where Linux's would begin and end (goal_end on the last MSS of a full
 * one). The write queue's last one began at goal_seq, or where its sent
 * part ends: tso_fragment() left the rest as an skb of its own, which the
 * next text fills up to the size goal again.
 */
static u32 goal_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head = xtcp_send_head(sk);

	if (head && xtcp_seq_after(XTCP_SKB_CB(head)->seq, xs->goal_seq))
		return XTCP_SKB_CB(head)->seq;
	return xs->goal_seq;
}

/*
 * The end of a send call (tcp_push()): its last segment carries PSH,
 * MSG_OOB makes its last byte urgent (urgent.h), MSG_MORE holds a small
 * tail as TCP_CORK would, for this call.
 */
static void send_done(struct sock *sk, int flags, int copied)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	xtcp_sock_assert_locked(sk);
	if (!copied)
		return;
	if (tail && (!(flags & MSG_MORE) || forced_push(xs)))
		mark_push(xs, tail);
	if (flags & MSG_OOB) {
		xs->snd_up = xs->write_seq;
		xs->urg_mode = 1;
	}
	xtcp_push_mode(sk, (flags & MSG_MORE) ? XTCP_NAGLE_CORK : 0);
}

/*
 * A write that failed (EFAULT, a signal, an error) before copying into the
 * skb it had just queued leaves it empty: off the queue, or the push would
 * send it as a segment of no length and time it forever (tcp_remove_empty_skb()).
 */
static void remove_empty_tail(struct sock *sk)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	xtcp_sock_assert_locked(sk);
	if (!skb || XTCP_SKB_CB(skb)->seq != XTCP_SKB_CB(skb)->end_seq)
		return;
	__skb_unlink(skb, &sk->sk_write_queue);
	if (skb_queue_empty(&sk->sk_write_queue))
		xtcp_sk_chrono_stop(sk, XTCP_CHRONO_BUSY);
	xtcp_wmem_free_skb(sk, skb);
}

/*
 * A new write queue skb, its header room only (tcp_stream_alloc_skb()): the
 * text goes into page fragments (copy_text()). Its memory is charged: the
 * first skb of an empty write queue whatever the limits, so that every
 * socket can send, the others only within net.xtcp.mem
 * and the socket's memory cgroup (sk_wmem_schedule(), which may shrink the
 * send buffer under pressure). NULL: the caller waits for memory, or returns
 * EAGAIN.
 */
static struct sk_buff *alloc_send_skb(struct sock *sk)
{
	struct sk_buff *skb;

	skb = alloc_skb_fclone(MAX_TCP_HEADER, sk->sk_allocation);
	if (unlikely(!skb)) {
		sk->sk_prot->enter_memory_pressure(sk);
		sk_stream_moderate_sndbuf(sk);
		return NULL;
	}
	if (xtcp_queues_empty(sk)) {
		xtcp_forced_mem_schedule(sk, skb->truesize);
	} else if (!sk_wmem_schedule(sk, skb->truesize)) {
		kfree_skb(skb);
		return NULL;
	}
	skb_reserve(skb, MAX_TCP_HEADER);
	skb->ip_summed = CHECKSUM_PARTIAL;
	return skb;
}

/*
 * Copy up to @copy bytes of the user's text to the end of @skb, in the
 * socket's page fragment (tcp_sendmsg_locked()): appended to its last
 * fragment when that ends where the page fragment goes on
 * (skb_can_coalesce()), else in a fragment of its own. The bytes are charged
 * as they are copied (skb_copy_to_page_nocache()); those of the only skb
 * of empty queues whatever the limits, as it was allocated. Returns the
 * bytes copied (0: @skb has no fragment left), -EAGAIN when memory must be
 * waited for, or -EFAULT.
 */
static int copy_text(struct sock *sk, struct msghdr *msg, struct sk_buff *skb,
		     int copy)
{
	struct page_frag *pfrag = sk_page_frag(sk);
	int i = skb_shinfo(skb)->nr_frags, err;
	bool merge = true;

	if (!sk_page_frag_refill(sk, pfrag))
		return -EAGAIN;
	if (!skb_can_coalesce(skb, i, pfrag->page, pfrag->offset)) {
		if (i >= MAX_SKB_FRAGS)
			return 0;
		merge = false;
	}
	copy = min_t(int, copy, pfrag->size - pfrag->offset);
	if (!sk_wmem_schedule(sk, copy)) {
		if (!xtcp_rtx_empty(sk) ||
		    !skb_queue_is_first(&sk->sk_write_queue, skb) ||
		    !skb_queue_is_last(&sk->sk_write_queue, skb))
			return -EAGAIN;
		xtcp_forced_mem_schedule(sk, copy);
	}
	err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
				       pfrag->offset, copy);
	if (err)
		return err;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, copy);
		page_ref_inc(pfrag->page);
	}
	pfrag->offset += copy;
	return copy;
}

/* May the user's data go out now? The state table's XTCP_EV_SEND says. */
static bool send_xmit(const struct sock *sk)
{
	return xtcp_state_next(sk->sk_state, XTCP_EV_SEND,
			       xtcp_sk(sk)->passive).actions & XTCP_ACT_XMIT;
}

/*
 * Before sendmsg() copies: XTCP_EV_SEND decides. XTCP_ACT_XMIT: go on;
 * XTCP_ACT_QUEUE: wait for the handshake to end (sk_stream_wait_connect(), as
 * Linux: the data is held by the caller, not queued); neither: the cell's
 * errno. A pending socket error is reported first, as
 * sk_stream_wait_connect() does.
 */
static int send_allowed(struct sock *sk, long *timeo)
{
	struct xtcp_transition t;
	int err;

	t = xtcp_state_next(sk->sk_state, XTCP_EV_SEND, xtcp_sk(sk)->passive);
	if (t.actions & XTCP_ACT_XMIT)
		return 0;
	err = sock_error(sk);
	if (err)
		return err;
	if (!(t.actions & XTCP_ACT_QUEUE))
		return t.err ?: -EPIPE;
	return sk_stream_wait_connect(sk, timeo);
}

/* sendmsg(): tcp_sendmsg_locked(), without its zero-copy and Fast Open. */
int xtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags, copied = 0, err, new_segs = 0;
	u32 mss;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	xtcp_rate_check_app_limited(sk);	/* is the sender app-limited? */

	err = send_allowed(sk, &timeo);
	if (err)
		goto do_error;
	sk_clear_bit(SOCKWQ_ASYNC_NOSPACE, sk);
	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto do_error;

	/* less the SACK blocks' room (tcp_send_mss()) */
	mss = xtcp_current_mss(sk);
	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue), *prev;
		bool grow;
		int copy;
		u32 start;

		/* the write queue holds only unsent skbs: its tail may grow */
		if (!skb || skb->len >= mss || XTCP_SKB_CB(skb)->eor ||
		    (XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN) ||
		    skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			/*
			 * ACKs that came in while we copy wait in the backlog:
			 * let them in now and then (tcp_sendmsg_locked()), so
			 * that the window keeps moving under a long write.
			 */
			if (++new_segs % 16 == 0 && sk_flush_backlog(sk)) {
				err = -EPIPE;
				if (sk->sk_err ||
				    (sk->sk_shutdown & SEND_SHUTDOWN) ||
				    !send_xmit(sk))
					goto do_error;
				continue;
			}
			/*
			 * All sent, or Linux's last skb is full: its next one
			 * begins here. Else the text goes on in it (a full one
			 * partly sent grows again), and so does its PSH.
			 */
			grow = xtcp_send_head(sk) && !(skb && XTCP_SKB_CB(skb)->eor) &&
			       xs->write_seq - goal_start(sk) < xtcp_size_goal(sk);
			if (!grow)
				xs->goal_seq = xs->write_seq;
			prev = skb;
			skb = alloc_send_skb(sk);
			if (!skb)
				goto wait_for_space;
			XTCP_SKB_CB(skb)->seq = xs->write_seq;
			XTCP_SKB_CB(skb)->end_seq = xs->write_seq;
			XTCP_SKB_CB(skb)->flags = 0;
			if (grow && prev) {
				XTCP_SKB_CB(prev)->goal_end = 0;
				XTCP_SKB_CB(skb)->flags = XTCP_SKB_CB(prev)->flags &
							  XTCP_FLAG_PSH;
				XTCP_SKB_CB(prev)->flags &= ~XTCP_FLAG_PSH;
			}
			xtcp_add_write_queue_tail(sk, skb);
			xtcp_wmem_charge_skb(sk, skb);
			/* tcp_skb_entail(): cwnd after an idle time */
			xtcp_idle_restart_check(sk);
		}
		/* a write that goes on in the tail moves its PSH to its own end */
		if (!copied)
			XTCP_SKB_CB(skb)->flags &= ~XTCP_FLAG_PSH;
		copy = min_t(int, msg_data_left(msg), mss - skb->len);
		copy = copy_text(sk, msg, skb, copy);
		if (copy == -EAGAIN)
			goto wait_for_space;
		if (copy < 0) {
			err = copy;
			goto do_error;
		}
		XTCP_SKB_CB(skb)->end_seq += copy;
		WRITE_ONCE(xs->write_seq, xs->write_seq + copy);
		copied += copy;
		/*
		 * the end of the write: send_done() marks PSH, then pushes;
		 * after MSG_EOR, no text joins this skb (tcp_skb_can_collapse_to())
		 */
		if (!msg_data_left(msg)) {
			if (flags & MSG_EOR) {
				XTCP_SKB_CB(skb)->eor = 1;
				XTCP_SKB_CB(skb)->goal_end = 1;
			}
			break;
		}
		if (skb->len < mss)
			continue;
		start = goal_start(sk);
		if (xs->write_seq - start < xtcp_size_goal(sk))
			continue;
		/* Linux's skb is full: a GSO packet ends with it */
		XTCP_SKB_CB(skb)->goal_end = 1;
		if (forced_push(xs)) {
			mark_push(xs, skb);
			xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		} else if (start == XTCP_SKB_CB(xtcp_send_head(sk))->seq) {
			/* the send head: one packet of it goes now */
			xtcp_push_one(sk);
		}
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		/* an skb queued for text that found no memory goes */
		remove_empty_tail(sk);
		/* all of it may be sent already, the write queue empty (tcp_push()) */
		skb = skb_peek_tail(&sk->sk_write_queue);
		if (copied && skb)
			mark_push(xs, skb);
		xtcp_push_mode(sk, XTCP_NAGLE_PUSH);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
		mss = xtcp_current_mss(sk);
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN) ||
		    !send_xmit(sk))
			goto do_error;
	}
	send_done(sk, flags, copied);
	release_sock(sk);
	return copied;

do_error:
	remove_empty_tail(sk);
	if (copied) {
		send_done(sk, flags, copied);
		release_sock(sk);
		return copied;
	}
	err = sk_stream_error(sk, flags, err);
	/*
	 * EAGAIN with nothing queued or in flight (no memory even for the
	 * first skb): an edge-triggered epoll waiter is woken, for no ACK will
	 * wake it, and the send buffer limits nothing (tcp_sendmsg_locked())
	 */
	if (unlikely(xtcp_queues_empty(sk) && err == -EAGAIN)) {
		sk->sk_write_space(sk);
		xtcp_sk_chrono_stop(sk, XTCP_CHRONO_SNDBUF_LIMITED);
	}
	release_sock(sk);
	return err;
}

/*
 * After the user read @copied bytes (tcp_cleanup_rbuf()): the ACK owed goes
 * now if more than a segment is unacknowledged, or if this read emptied the
 * buffer of a short (pushed) segment on a connection that is not
 * interactive; and a window update goes if the window now offered is at
 * least twice what the peer has left of the last one.
 */
static void cleanup_rbuf(struct sock *sk, int copied)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool time_to_ack = false;
	u32 now, win;

	xtcp_sock_assert_locked(sk);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				     TCPF_FIN_WAIT2 | TCPF_CLOSE_WAIT)))
		return;
	if (xs->ack_owed &&
	    (xs->rcv_nxt - xs->rcv_wup > xs->rcv_mss ||
	     (copied > 0 &&
	      (xs->ack_pushed2 || (xs->ack_pushed && !xs->pingpong)) &&
	      !atomic_read(&sk->sk_rmem_alloc))))
		time_to_ack = true;
	if (copied > 0 && !time_to_ack && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		now = xtcp_rcv_window_now(sk);
		if (2 * now <= xs->window_clamp) {
			win = xtcp_rwin_now(sk);
			if (win && win >= 2 * now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		xtcp_send_ack(sk);
}

/*
 * sk_wait_data(), also woken by the end of the stream or an error: a FIN or
 * RST queues nothing here (TCP queues the FIN's skb).
 */
static void wait_data(struct sock *sk, long *timeo, struct sk_buff *last)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	sk_set_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	sk_wait_event(sk, timeo,
		      skb_peek_tail(&sk->sk_receive_queue) != last ||
		      READ_ONCE(sk->sk_err) ||
		      (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
		      READ_ONCE(sk->sk_state) == XTCP_CLOSE, &wait);
	sk_clear_bit(SOCKWQ_ASYNC_WAITDATA, sk);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/*
 * recv(MSG_OOB): the urgent byte, once, never blocking (tcp_recv_urg()).
 * EINVAL when there is none to read or it comes inline (SO_OOBINLINE).
 */
static int recv_urg(struct sock *sk, struct msghdr *msg, size_t len,
		    int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	char c;

	xtcp_sock_assert_locked(sk);
	if (sock_flag(sk, SOCK_URGINLINE) || !xs->urg_data ||
	    xs->urg_data == XTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == XTCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (xs->urg_data & XTCP_URG_VALID) {
		c = xs->urg_data;
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(xs->urg_data, XTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &c, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

/*
 * What is left to read, for TCP_INQ and msg_get_inq (tcp_inq_hint()): after
 * the peer's FIN, at least 1, so that the reader goes on to see the EOF.
 */
static int inq_hint(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 copied_seq = READ_ONCE(xs->copied_seq);
	int inq = READ_ONCE(xs->rcv_nxt) - copied_seq;

	if (unlikely(inq < 0 || copied_seq != READ_ONCE(xs->copied_seq))) {
		lock_sock(sk);
		inq = xs->rcv_nxt - xs->copied_seq;
		release_sock(sk);
	}
	if (inq == 0 && sock_flag(sk, SOCK_DONE))
		inq = 1;
	return inq;
}

static int recvmsg_locked(struct sock *sk, struct msghdr *msg, size_t len,
			  int flags, bool *inq);

/*
 * recvmsg(): tcp_recvmsg(). With TCP_INQ (or a caller's msg_get_inq), what
 * is left to read goes with what was read, a TCP_CM_INQ control message.
 */
int xtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		 int flags)
{
	struct sock *sk = sock->sk;
	bool cm_inq = false;
	int ret;

	if (flags & MSG_ERRQUEUE)
		return sock_recv_errqueue(sk, msg, len, SOL_IP, IP_RECVERR);

	lock_sock(sk);
	ret = recvmsg_locked(sk, msg, len, flags, &cm_inq);
	release_sock(sk);
	if (msg->msg_get_inq && ret >= 0) {
		msg->msg_inq = inq_hint(sk);
		if (cm_inq)
			put_cmsg(msg, SOL_TCP, TCP_CM_INQ, sizeof(msg->msg_inq),
				 &msg->msg_inq);
	}
	return ret;
}

/* tcp_recvmsg_locked(), urgent data included, zero-copy not. */
static int recvmsg_locked(struct sock *sk, struct msghdr *msg, size_t len,
			  int flags, bool *cm_inq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0, target, err;
	long timeo;

	err = -ENOTCONN;
	if (sk->sk_state == XTCP_LISTEN)
		goto out;
	if (xs->recvmsg_inq) {
		*cm_inq = true;
		msg->msg_get_inq = 1;
	}
	if (flags & MSG_OOB) {
		err = recv_urg(sk, msg, len, flags);
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	seq = &xs->copied_seq;
	if (flags & MSG_PEEK) {
		peek_seq = xs->copied_seq;
		seq = &peek_seq;
	}
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	do {
		struct sk_buff *skb, *last;
		u32 offset = 0;
		bool found = false;
		size_t used;

		/* at the urgent mark: a read stops there (SIOCATMARK) */
		if (unlikely(xs->urg_data) && xs->urg_seq == *seq) {
			if (copied)
				break;
			if (signal_pending(current)) {
				copied = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}

		last = skb_peek_tail(&sk->sk_receive_queue);
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			offset = *seq - XTCP_SKB_CB(skb)->seq;
			if (offset < skb->len) {
				found = true;
				break;
			}
		}
		if (found) {
			used = min_t(size_t, skb->len - offset, len - copied);
			/* the urgent byte: skipped unless inline, and a read ends before it */
			if (unlikely(xs->urg_data)) {
				u32 urg_offset = xs->urg_seq - *seq;

				if (urg_offset < used) {
					if (urg_offset) {
						used = urg_offset;
					} else if (!sock_flag(sk, SOCK_URGINLINE)) {
						WRITE_ONCE(*seq, *seq + 1);
						offset++;
						used--;
					}
				}
			}
			if (used && skb_copy_datagram_msg(skb, offset, msg, used)) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
			WRITE_ONCE(*seq, *seq + used);
			copied += used;
			xtcp_rcv_space_adjust(sk);
			if (unlikely(xs->urg_data) &&
			    xtcp_seq_after(xs->copied_seq, xs->urg_seq))
				WRITE_ONCE(xs->urg_data, 0);
			if (!(flags & MSG_PEEK) && offset + used == skb->len) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				kfree_skb(skb);
			}
			continue;
		}

		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == XTCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == XTCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		cleanup_rbuf(sk, copied);
		wait_data(sk, &timeo, last);
	} while (copied < len);
	cleanup_rbuf(sk, copied);
	err = copied;
out:
	return err;
}

/* SIOCINQ, SIOCOUTQ and SIOCOUTQNSD as tcp_ioctl() answers them. */
int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		/* tcp_inq(): up to the urgent mark, when it lies ahead */
		if (xs->urg_data && !sock_flag(sk, SOCK_URGINLINE) &&
		    !xtcp_seq_before(xs->urg_seq, xs->copied_seq) &&
		    xtcp_seq_before(xs->urg_seq, xs->rcv_nxt))
			answ = xs->urg_seq - xs->copied_seq;
		else
			answ = xs->rcv_nxt - xs->copied_seq -
			       (sock_flag(sk, SOCK_DONE) ? 1 : 0);
		answ = max(answ, 0);
		if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
			answ = skb_queue_empty(&sk->sk_receive_queue) ? 0 : answ;
		release_sock(sk);
		break;
	case SIOCATMARK:
		/* at the urgent byte: the next read would return it (sockatmark()) */
		answ = READ_ONCE(xs->urg_data) &&
		       READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV |
					      TCPF_CLOSE) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		break;
	case SIOCOUTQNSD:
		/* written, not yet sent */
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV |
					      TCPF_CLOSE) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}
