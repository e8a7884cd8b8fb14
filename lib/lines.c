/* lines.c — reading input a line at a time, with the checks every reader needs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "text.h"
#include "util.h"

struct lines {
	FILE *f;
	bool owns_file;
	char *name;
	struct lines_options opt;
	char *line;		/* the line being read: at most opt.max bytes and a NUL */
	size_t number;
	char *error;		/* why the last call returned no line: "NAME:LINE: why" */
	size_t why_at;		/* where its why begins */
	bool refused;		/* that was a refused line: the next call goes on after it */
	bool rest_unread;	/* the refused line's end is not read yet: skip it first */
	bool ended;		/* at the end of the input, or after a read error */
};

struct lines *
lines_open(FILE *f, const char *name, const struct lines_options *opt)
{
	struct lines *l = xcalloc(1, sizeof *l);

	l->f = f;
	l->name = xstrdup(name);
	if (opt)
		l->opt = *opt;
	if (l->opt.max == 0)
		l->opt.max = LINES_MAX_DEFAULT;
	l->line = xmalloc(l->opt.max + 1);
	return l;
}

struct lines *
lines_open_path(const char *path, const struct lines_options *opt, char **why)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		int saved = errno;	/* the caller may ask whether the file was missing */
		*why = xasprintf("%s: %s", path, strerror(saved));
		errno = saved;
		return NULL;
	}
	struct lines *l = lines_open(f, path, opt);
	l->owns_file = true;
	return l;
}

static char *
fail(struct lines *l, const char *why)
{
	free(l->error);
	l->error = xasprintf("%s:%zu: %s", l->name, l->number, why);
	l->why_at = strlen(l->error) - strlen(why);
	return NULL;
}

/*
 * The file could not be read on: a directory (EISDIR), an I/O error, or a
 * line too long for memory (getdelim then fails with ENOMEM and sets no
 * error flag, so only "not at the end" tells it from the end of the file).
 * The failure is at the line after the last one read.
 */
static char *
read_failed(struct lines *l, int err)
{
	free(l->error);
	if (l->number == 0)
		l->error = xasprintf("%s: cannot read: %s", l->name, strerror(err));
	else
		l->error = xasprintf("%s:%zu: cannot read: %s", l->name, l->number + 1,
		    strerror(err));
	return NULL;
}

/* A line refused for what it holds: the input goes on after it. */
static char *
refuse(struct lines *l, const char *why)
{
	l->refused = true;
	return fail(l, why);
}

/* The input ends: its end, or a read error (which is said, and ends it too). */
static void
at_end(struct lines *l)
{
	int err = errno;

	l->ended = true;
	if (ferror(l->f))
		read_failed(l, err ? err : EIO);
}

/*
 * Reads up to the end of the line, keeping at most opt.max bytes of it: a
 * longer line is refused as soon as it is known to be longer, and what is
 * left of it read (never kept) only when the caller asks for the next line.
 * The FILE is read through getc_unlocked, one thread at a time, so that a
 * line comes as soon as it is written (fread would wait for a block) and a
 * thread cancelled while it waits for input holds no lock.
 */
static int
read_line(struct lines *l, size_t *size)
{
	int end = l->opt.nul_delimited ? '\0' : '\n', c;
	size_t n = 0;

	while ((c = getc_unlocked(l->f)) != EOF && c != end) {
		if (n == l->opt.max) {	/* a byte past the limit: the line is too long */
			*size = n + 1;
			return c;
		}
		l->line[n++] = (char)c;
	}
	*size = n;
	return c;
}

static bool
skip_rest(struct lines *l)
{
	int end = l->opt.nul_delimited ? '\0' : '\n', c;

	while ((c = getc_unlocked(l->f)) != EOF && c != end)
		;
	l->rest_unread = false;
	if (c == EOF)
		at_end(l);
	return c != EOF;
}

char *
lines_next(struct lines *l, size_t *len)
{
	size_t size;

	if (l->ended)
		return NULL;
	free(l->error);
	l->error = NULL;
	l->refused = false;
	if (l->rest_unread && !skip_rest(l))
		return NULL;
	int c = read_line(l, &size);
	/* A line cut short by a read error is not a line. */
	if (c == EOF && (size == 0 || ferror(l->f))) {
		at_end(l);
		return NULL;
	}
	l->number++;
	if (size > l->opt.max) {
		char why[64];
		l->rest_unread = true;
		snprintf(why, sizeof why, "longer than %zu bytes", l->opt.max);
		return refuse(l, why);
	}
	l->line[size] = '\0';
	if (!l->opt.nul_delimited && memchr(l->line, '\0', size) != NULL)
		return refuse(l, "contains a NUL byte");
	/* Spreadsheets and Windows editors start their files with a byte order mark. */
	if (l->number == 1 && size >= 3 && memcmp(l->line, "\xef\xbb\xbf", 3) == 0) {
		memmove(l->line, l->line + 3, size - 2);
		size -= 3;
	}
	if (size > 0 && l->line[size - 1] == '\r')
		l->line[--size] = '\0';
	if (l->opt.utf8 && !utf8_valid(l->line, size))
		return refuse(l, "not valid UTF-8");
	if (len)
		*len = size;
	return l->line;
}

bool lines_refused(const struct lines *l) { return l->refused; }
const char *lines_why(const struct lines *l) { return l->error ? l->error + l->why_at : NULL; }
const char *lines_error(const struct lines *l) { return l->error; }
size_t lines_number(const struct lines *l) { return l->number; }
const char *lines_name(const struct lines *l) { return l->name; }

void
lines_close(struct lines *l)
{
	if (l == NULL)
		return;
	if (l->owns_file)
		fclose(l->f);
	free(l->line);
	free(l->name);
	free(l->error);
	free(l);
}
