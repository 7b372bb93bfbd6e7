// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the out-of-order queue (src/ofo.c). Segments are real skbs with their
 * sequence numbers in XTCP_SKB_CB; each carries a destructor that counts it
 * freed, so a test sees which segments the queue dropped. The queue is a test
 * resource, purged even when an assertion fails.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "ofo.h"
#include "protocol.h"
#include "skb_cb.h"
#include "suites.h"

static atomic_t freed;

static void count_free(struct sk_buff *skb)
{
	atomic_inc(&freed);
}

static int queue_init(struct kunit_resource *res, void *context)
{
	struct rb_root *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return -ENOMEM;
	*q = RB_ROOT;
	atomic_set(&freed, 0);
	res->data = q;
	return 0;
}

static void queue_free(struct kunit_resource *res)
{
	xtcp_ofo_purge(res->data);
	kfree(res->data);
}

static struct rb_root *new_queue(struct kunit *test)
{
	struct rb_root *q;

	q = kunit_alloc_resource(test, queue_init, queue_free, GFP_KERNEL,
				 NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, q);
	return q;
}

/* Text [seq, seq + len), plus a FIN if @fin; byte i of it is (seq + i). */
static struct sk_buff *seg(struct kunit *test, u32 seq, u32 len, bool fin)
{
	struct sk_buff *skb = alloc_skb(len ?: 1, GFP_KERNEL);
	u8 *p;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = (u8)(seq + i);
	memset(skb->cb, 0, sizeof(skb->cb));
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq + len + fin;
	XTCP_SKB_CB(skb)->flags = XTCP_FLAG_ACK | (fin ? XTCP_FLAG_FIN : 0);
	skb->destructor = count_free;
	return skb;
}

static void insert_dup(struct kunit *test, struct rb_root *q, u32 seq, u32 len,
		       enum xtcp_ofo_result want, struct xtcp_rcv_sacks *dup)
{
	struct sk_buff *skb = seg(test, seq, len, false);
	enum xtcp_ofo_result got = xtcp_ofo_insert(q, skb, dup);

	KUNIT_EXPECT_EQ(test, got, want);
	if (got == XTCP_OFO_DUPLICATE)
		kfree_skb(skb);
}

static void insert(struct kunit *test, struct rb_root *q, u32 seq, u32 len,
		   enum xtcp_ofo_result want)
{
	insert_dup(test, q, seq, len, want, NULL);
}

/* The queue as "[seq,end) [seq,end) ...", relative to @base. */
static const char *show(struct rb_root *q, u32 base, char *buf, size_t size)
{
	struct sk_buff *skb;
	size_t off = 0;

	buf[0] = '\0';
	for (skb = skb_rb_first(q); skb && off < size; skb = skb_rb_next(skb))
		off += scnprintf(buf + off, size - off, "%s[%u,%u)",
				 off ? " " : "",
				 XTCP_SKB_CB(skb)->seq - base,
				 XTCP_SKB_CB(skb)->end_seq - base);
	return buf;
}

#define EXPECT_QUEUE(test, q, base, want) do {				\
	char __buf[256];						\
	KUNIT_EXPECT_STREQ(test, show(q, base, __buf, sizeof(__buf)),	\
			   want);					\
} while (0)

/* Disjoint segments queue in sequence order, whatever order they came in. */
static void sorted(struct kunit *test)
{
	struct rb_root *q = new_queue(test);

	insert(test, q, 300, 100, XTCP_OFO_QUEUED);
	insert(test, q, 100, 100, XTCP_OFO_QUEUED);
	insert(test, q, 500, 100, XTCP_OFO_QUEUED);
	insert(test, q, 200, 50, XTCP_OFO_QUEUED);
	EXPECT_QUEUE(test, q, 0, "[100,200) [200,250) [300,400) [500,600)");
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 0);
}

/*
 * xtcp_ofo_ending_at(): the segment a new one continues, which the caller
 * coalesces it into; none when nothing ends at its start, or when joining
 * them would overlap the next segment.
 */
static void ending_at(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	struct sk_buff *skb;
	u32 s;

	for (s = 100; s < 1000; s += 200)
		insert(test, q, s, 100, XTCP_OFO_QUEUED);
	for (s = 100; s < 1000; s += 200) {
		skb = xtcp_ofo_ending_at(q, s + 100, s + 150);
		KUNIT_EXPECT_PTR_NE(test, skb, NULL);
		if (skb)
			KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, s);
	}
	KUNIT_EXPECT_PTR_EQ(test, xtcp_ofo_ending_at(q, 150, 250), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_ofo_ending_at(q, 50, 100), NULL);
	/* [200,350) would overlap [300,400) */
	KUNIT_EXPECT_PTR_EQ(test, xtcp_ofo_ending_at(q, 200, 350), NULL);
	/* [200,300) meets [300,400) exactly: no overlap */
	KUNIT_EXPECT_PTR_NE(test, xtcp_ofo_ending_at(q, 200, 300), NULL);
}

/* A segment all of which is queued is a duplicate, left to the caller. */
static void duplicate(struct kunit *test)
{
	struct rb_root *q = new_queue(test);

	insert(test, q, 100, 100, XTCP_OFO_QUEUED);
	insert(test, q, 100, 100, XTCP_OFO_DUPLICATE);
	insert(test, q, 120, 30, XTCP_OFO_DUPLICATE);
	insert(test, q, 150, 50, XTCP_OFO_DUPLICATE);
	EXPECT_QUEUE(test, q, 0, "[100,200)");
	/* the three duplicates, freed by insert() above */
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 3);
}

/* A segment that covers queued ones replaces them. */
static void covers(struct kunit *test)
{
	struct rb_root *q = new_queue(test);

	insert(test, q, 100, 50, XTCP_OFO_QUEUED);
	insert(test, q, 200, 50, XTCP_OFO_QUEUED);
	insert(test, q, 260, 20, XTCP_OFO_QUEUED);
	insert(test, q, 400, 50, XTCP_OFO_QUEUED);
	/* same start, longer: takes the first's place and swallows two more */
	insert(test, q, 100, 200, XTCP_OFO_QUEUED);
	EXPECT_QUEUE(test, q, 0, "[100,300) [400,450)");
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 3);
	/* earlier start, covers [400,450) */
	insert(test, q, 350, 150, XTCP_OFO_QUEUED);
	EXPECT_QUEUE(test, q, 0, "[100,300) [350,500)");
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 4);
}

/* Partial overlaps stay, both of them: trimming is the caller's at delivery. */
static void partial_overlap(struct kunit *test)
{
	struct rb_root *q = new_queue(test);

	insert(test, q, 100, 100, XTCP_OFO_QUEUED);
	insert(test, q, 150, 100, XTCP_OFO_QUEUED);
	insert(test, q, 50, 60, XTCP_OFO_QUEUED);
	EXPECT_QUEUE(test, q, 0, "[50,110) [100,200) [150,250)");
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 0);
}

/* pop() gives what reaches rcv_nxt, in order, and stops at a hole. */
static void pop_in_order(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	struct sk_buff *skb;

	insert(test, q, 200, 100, XTCP_OFO_QUEUED);
	insert(test, q, 300, 100, XTCP_OFO_QUEUED);
	insert(test, q, 500, 100, XTCP_OFO_QUEUED);
	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(q, 100));
	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(q, 199));

	skb = xtcp_ofo_pop(q, 200);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, 200U);
	KUNIT_EXPECT_EQ(test, skb->len, 100U);
	KUNIT_EXPECT_EQ(test, skb->data[0], (u8)200);
	kfree_skb(skb);

	skb = xtcp_ofo_pop(q, 300);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, 300U);
	kfree_skb(skb);

	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(q, 400));
	EXPECT_QUEUE(test, q, 0, "[500,600)");
	/* an old segment (wholly before rcv_nxt) is popped too: caller drops */
	skb = xtcp_ofo_pop(q, 700);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, 600U);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(q));
}

/* Sequence numbers that wrap through 0 sort in sequence space. */
static void wraps(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	const u32 base = 0xffffff00;
	struct sk_buff *skb;

	insert(test, q, base + 0x180, 0x80, XTCP_OFO_QUEUED);	/* past 0 */
	insert(test, q, base + 0x80, 0x80, XTCP_OFO_QUEUED);	/* ends at 0 */
	insert(test, q, base + 0x100, 0x80, XTCP_OFO_QUEUED);	/* at 0 */
	insert(test, q, base + 0xa0, 0x40, XTCP_OFO_DUPLICATE);
	EXPECT_QUEUE(test, q, base, "[128,256) [256,384) [384,512)");
	skb = xtcp_ofo_pop(q, base + 0x80);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, base + 0x80);
	kfree_skb(skb);
	skb = xtcp_ofo_pop(q, 0);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, 0U);
	kfree_skb(skb);
}

/* A FIN ahead of missing text waits, and comes out last with its flag. */
static void fin_waits(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	struct sk_buff *skb;

	KUNIT_EXPECT_EQ(test, xtcp_ofo_insert(q, seg(test, 300, 0, true), NULL),
			XTCP_OFO_QUEUED);
	insert(test, q, 200, 100, XTCP_OFO_QUEUED);
	EXPECT_QUEUE(test, q, 0, "[200,300) [300,301)");
	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(q, 100));
	skb = xtcp_ofo_pop(q, 200);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_FALSE(test, XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN);
	kfree_skb(skb);
	skb = xtcp_ofo_pop(q, 300);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_TRUE(test, XTCP_SKB_CB(skb)->flags & XTCP_FLAG_FIN);
	KUNIT_EXPECT_EQ(test, skb->len, 0U);
	kfree_skb(skb);
}

#define EXPECT_BLOCK(test, s, i, from, to) do {				\
	KUNIT_EXPECT_EQ(test, (s)->blocks[i].start, (u32)(from));	\
	KUNIT_EXPECT_EQ(test, (s)->blocks[i].end, (u32)(to));		\
} while (0)

/*
 * SACK blocks as tcp_sack_new_ofo_skb() keeps them (RFC 2018 §4): the block
 * the latest segment joined first, then by recency; a segment that bridges
 * two blocks merges them; a fifth block pushes out the oldest.
 */
static void sack_blocks(struct kunit *test)
{
	struct xtcp_rcv_sacks s = {};

	xtcp_sacks_add(&s, 200, 300);
	xtcp_sacks_add(&s, 500, 600);
	KUNIT_ASSERT_EQ(test, s.num, 2);
	EXPECT_BLOCK(test, &s, 0, 500, 600);
	EXPECT_BLOCK(test, &s, 1, 200, 300);

	/* it joins the older block, which comes first again */
	xtcp_sacks_add(&s, 300, 400);
	KUNIT_ASSERT_EQ(test, s.num, 2);
	EXPECT_BLOCK(test, &s, 0, 200, 400);
	EXPECT_BLOCK(test, &s, 1, 500, 600);

	/* it fills the hole between them: one block */
	xtcp_sacks_add(&s, 400, 500);
	KUNIT_ASSERT_EQ(test, s.num, 1);
	EXPECT_BLOCK(test, &s, 0, 200, 600);

	/* an overlap within a block changes nothing but its place */
	xtcp_sacks_add(&s, 800, 900);
	xtcp_sacks_add(&s, 250, 350);
	KUNIT_ASSERT_EQ(test, s.num, 2);
	EXPECT_BLOCK(test, &s, 0, 200, 600);
	EXPECT_BLOCK(test, &s, 1, 800, 900);

	/* four at most: the least recent goes */
	xtcp_sacks_add(&s, 1000, 1100);
	xtcp_sacks_add(&s, 1200, 1300);
	xtcp_sacks_add(&s, 1400, 1500);
	KUNIT_ASSERT_EQ(test, s.num, XTCP_MAX_SACKS);
	EXPECT_BLOCK(test, &s, 0, 1400, 1500);
	EXPECT_BLOCK(test, &s, 1, 1200, 1300);
	EXPECT_BLOCK(test, &s, 2, 1000, 1100);
	EXPECT_BLOCK(test, &s, 3, 200, 600);
}

/* RCV.NXT reaching a block removes it (tcp_sack_remove()), and only it. */
static void sack_blocks_remove(struct kunit *test)
{
	struct xtcp_rcv_sacks s = {};

	xtcp_sacks_add(&s, 0xfffffff0, 0x10);	/* across the wrap */
	xtcp_sacks_add(&s, 0x100, 0x200);
	xtcp_sacks_add(&s, 0x40, 0x80);
	xtcp_sacks_remove(&s, 0xffffff00);
	KUNIT_EXPECT_EQ(test, s.num, 3);
	xtcp_sacks_remove(&s, 0x10);
	KUNIT_ASSERT_EQ(test, s.num, 2);
	EXPECT_BLOCK(test, &s, 0, 0x40, 0x80);
	EXPECT_BLOCK(test, &s, 1, 0x100, 0x200);
	xtcp_sacks_remove(&s, 0x200);
	KUNIT_EXPECT_EQ(test, s.num, 0);
	xtcp_sacks_add(&s, 0x300, 0x400);
	xtcp_sacks_reset(&s);
	KUNIT_EXPECT_EQ(test, s.num, 0);
}

#define EXPECT_DSACK(test, s, from, to) do {				\
	KUNIT_EXPECT_EQ(test, (s)->dsack, 1);				\
	KUNIT_EXPECT_EQ(test, (s)->dup.start, (u32)(from));		\
	KUNIT_EXPECT_EQ(test, (s)->dup.end, (u32)(to));			\
} while (0)

/*
 * The D-SACK block of a segment that repeats queued text (RFC 2883 §4.1.2),
 * as tcp_data_queue_ofo() reports it: a duplicate whole; the overlap with
 * the segment it starts inside; what it replaces and reaches into after,
 * added to that; none for new text. A D-SACK is reported as is, not merged
 * into the blocks of what is held.
 */
static void dsack_ranges(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	struct xtcp_rcv_sacks s = {};

	insert_dup(test, q, 100, 100, XTCP_OFO_QUEUED, &s);
	insert_dup(test, q, 300, 100, XTCP_OFO_QUEUED, &s);
	insert_dup(test, q, 500, 100, XTCP_OFO_QUEUED, &s);
	KUNIT_EXPECT_EQ(test, s.dsack, 0);

	/* within [100,200): all of it */
	insert_dup(test, q, 120, 50, XTCP_OFO_DUPLICATE, &s);
	EXPECT_DSACK(test, &s, 120, 170);

	/* from inside [100,200) to 250: what [100,200) holds of it */
	s.dsack = 0;
	insert_dup(test, q, 150, 100, XTCP_OFO_QUEUED, &s);
	EXPECT_DSACK(test, &s, 150, 200);

	/* [300,400) replaced by [300,450): [300,400) was held */
	s.dsack = 0;
	insert_dup(test, q, 300, 150, XTCP_OFO_QUEUED, &s);
	EXPECT_DSACK(test, &s, 300, 400);
	EXPECT_QUEUE(test, q, 0, "[100,200) [150,250) [300,450) [500,600)");

	/* [460,700) covers [500,600): its range */
	s.dsack = 0;
	insert_dup(test, q, 460, 240, XTCP_OFO_QUEUED, &s);
	EXPECT_DSACK(test, &s, 500, 600);

	/*
	 * [440,720) starts inside [300,450) and covers [460,700): one block,
	 * the first overlap, which the second does not touch (tcp_sack_extend())
	 */
	s.dsack = 0;
	insert_dup(test, q, 440, 280, XTCP_OFO_QUEUED, &s);
	EXPECT_DSACK(test, &s, 440, 450);
	/* [400,460) starts inside [300,450), reaches [440,720): both overlaps */
	s.dsack = 0;
	insert_dup(test, q, 400, 60, XTCP_OFO_QUEUED, &s);
	EXPECT_DSACK(test, &s, 400, 460);

	/* new text repeats nothing */
	s.dsack = 0;
	insert_dup(test, q, 800, 100, XTCP_OFO_QUEUED, &s);
	KUNIT_EXPECT_EQ(test, s.dsack, 0);
	KUNIT_EXPECT_EQ(test, s.num, 0);

	/* xtcp_sacks_reset() forgets a D-SACK not sent */
	xtcp_dsack_set(&s, 1, 2);
	xtcp_sacks_reset(&s);
	KUNIT_EXPECT_EQ(test, s.dsack, 0);
}

/* purge() frees every segment. */
static void purge(struct kunit *test)
{
	struct rb_root *q = new_queue(test);
	u32 i;

	for (i = 0; i < 64; i++)
		insert(test, q, 1000 + 200 * ((i * 37) % 64), 100,
		       XTCP_OFO_QUEUED);
	xtcp_ofo_purge(q);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(q));
	KUNIT_EXPECT_EQ(test, atomic_read(&freed), 64);
}

static struct kunit_case ofo_cases[] = {
	KUNIT_CASE(sorted),
	KUNIT_CASE(duplicate),
	KUNIT_CASE(ending_at),
	KUNIT_CASE(covers),
	KUNIT_CASE(partial_overlap),
	KUNIT_CASE(pop_in_order),
	KUNIT_CASE(wraps),
	KUNIT_CASE(fin_waits),
	KUNIT_CASE(sack_blocks),
	KUNIT_CASE(sack_blocks_remove),
	KUNIT_CASE(dsack_ranges),
	KUNIT_CASE(purge),
	{}
};

static struct kunit_suite ofo_suite = {
	.name = "xtcp_ofo",
	.test_cases = ofo_cases,
};

XTCP_KUNIT_SUITES(ofo, &ofo_suite);
