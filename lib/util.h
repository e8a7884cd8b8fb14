/* util.h — memory and string helpers every module leans on. */
#ifndef PARTAKE_UTIL_H
#define PARTAKE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: out of memory ends the process (exit 2). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Frees a NULL-ended array of strings and each of them; NULL is nothing. */
void strings_free(char **v);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/*
 * Writes v in decimal, zero-padded to at least `width` digits, into buf
 * (24 bytes hold any long long); returns buf. The intake path formats
 * millions of numbers, where snprintf's generality shows.
 */
char *decimal(long long v, int width, char *buf);

/* Strips leading and trailing ASCII blanks in place; returns s. */
char *strip(char *s);

#endif
