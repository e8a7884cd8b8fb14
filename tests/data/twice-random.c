/*
 * twice-random.c — an LD_PRELOAD shim for tests: getrandom(2) gives each
 * block of bytes twice, so that the tracking codes drawn from it repeat,
 * and a batch meets codes already taken (by a case stored, or by an
 * earlier line of the same group). Each thread has its own stream. At
 * exit it writes to $TWICE_RANDOM_LOG how many blocks the first thread
 * (the writer of a batch, which draws only to replace a code taken) asked for.
 * The streams follow the order in which threads first ask, not their ids:
 * a second run draws the first one's codes again. With TWICE_RANDOM_NEW
 * set, every other block is new instead: half the codes drawn are a run's
 * before, half are not.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

static _Thread_local unsigned long long state, blocks;
static unsigned long long main_blocks, threads;

static unsigned char
next_byte(unsigned long long *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (unsigned char)(*x % 250);	/* every byte a digit's: none thrown away */
}

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
	(void)flags;
	if (state == 0)
		state = 0x9E3779B97F4A7C15ull * (1 + __atomic_fetch_add(&threads, 1, __ATOMIC_SEQ_CST));
	/* Blocks 2k and 2k+1 are the same bytes, or 2k+1 new ones. */
	unsigned long long x = state + (blocks / 2) * 0x2545F4914F6CDD1Dull;
	if (blocks % 2 && getenv("TWICE_RANDOM_NEW"))
		x ^= 0xD6E8FEB86659FD93ull;
	for (size_t i = 0; i < len; i++)
		((unsigned char *)buf)[i] = next_byte(&x);
	blocks++;
	if (gettid() == getpid())
		main_blocks++;
	return (ssize_t)len;
}

__attribute__((destructor)) static void
report(void)
{
	const char *log = getenv("TWICE_RANDOM_LOG");
	FILE *f;

	if (log && (f = fopen(log, "w")) != NULL) {
		fprintf(f, "%llu\n", main_blocks);
		fclose(f);
	}
}
