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
	char *line;
	size_t cap;
	size_t number;
	char *error;
};

struct lines *
lines_open(FILE *f, const char *name, const struct lines_options *opt)
{
	struct lines *l = xcalloc(1, sizeof *l);

	l->f = f;
	l->name = xstrdup(name);
	if (opt)
		l->opt = *opt;
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
refuse(struct lines *l, const char *why)
{
	free(l->error);
	l->error = xasprintf("%s:%zu: %s", l->name, l->number, why);
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

char *
lines_next(struct lines *l, size_t *len)
{
	ssize_t n;

	if (l->error)
		return NULL;
	errno = 0;
	n = getdelim(&l->line, &l->cap, l->opt.nul_delimited ? '\0' : '\n', l->f);
	if (n < 0) {
		if (ferror(l->f) || !feof(l->f))
			return read_failed(l, errno ? errno : EIO);
		return NULL;
	}
	l->number++;
	size_t size = (size_t)n;
	if (size > 0 && l->line[size - 1] == (l->opt.nul_delimited ? '\0' : '\n'))
		l->line[--size] = '\0';
	if (!l->opt.nul_delimited && memchr(l->line, '\0', size) != NULL)
		return refuse(l, "contains a NUL byte");
	if (l->opt.max && size > l->opt.max) {
		char why[64];
		snprintf(why, sizeof why, "longer than %zu bytes", l->opt.max);
		return refuse(l, why);
	}
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
