/*
 * lines.h — the one reader of line-oriented input (configuration, rules,
 * holiday files, templates, batches, codes on standard input): a byte
 * order mark before the first line is skipped, CRLF is read as LF, a NUL
 * byte, an over-long line or (when asked) invalid UTF-8 is refused, and
 * every message starts "NAME:LINE: " so the admin can go to the line.
 * Memory is bounded by the longest line allowed, whatever the input: an
 * over-long line is refused as soon as its limit is passed, never read
 * whole into memory.
 */
#ifndef PARTAKE_LINES_H
#define PARTAKE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The longest line of a file that names no other limit (config, rules,
 * holidays, templates, codes). */
#define LINES_MAX_DEFAULT ((size_t)1 << 16)

struct lines_options {
	size_t max;		/* longest line in bytes; 0: LINES_MAX_DEFAULT */
	bool utf8;		/* refuse a line that is not valid UTF-8 */
	bool nul_delimited;	/* records end with NUL instead of a newline */
};

struct lines;

/* Reads f (not closed by lines_close), naming it `name` in messages. */
struct lines *lines_open(FILE *f, const char *name, const struct lines_options *opt);
/* Opens the file at path; NULL with *why ("PATH: reason") when it cannot. */
struct lines *lines_open_path(const char *path, const struct lines_options *opt, char **why);
/*
 * The next line, without its end (LF, CRLF or NUL), owned by the reader
 * until the next call; *len its length when len is not NULL. NULL at the
 * end, or on a refused line or a read error: then lines_error() says why.
 */
char *lines_next(struct lines *l, size_t *len);
/* NULL after a clean end; else "NAME:LINE: why". */
const char *lines_error(const struct lines *l);
/* The same without "NAME:LINE: ", for a message that says where itself. */
const char *lines_why(const struct lines *l);
/*
 * Was the NULL a refused line (a NUL byte, too long, not UTF-8)? Then a
 * reader that reports each bad line and goes on may call lines_next again:
 * it goes on with the next line, reading what is left of an over-long one
 * without keeping it. After a read error or the end: false, and lines_next
 * stays NULL.
 */
bool lines_refused(const struct lines *l);
/* The number of the line last returned (1 for the first). */
size_t lines_number(const struct lines *l);
const char *lines_name(const struct lines *l);
void lines_close(struct lines *l);

#endif
