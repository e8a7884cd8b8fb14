/* wdiff.c — Myers' difference algorithm on words (see wdiff.h). */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wdiff.h"

struct words {
	const char **w;
	size_t *len;
	size_t n;
};

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void
split(const char *s, struct words *w)
{
	size_t cap = 0;

	memset(w, 0, sizeof *w);
	for (const char *p = s ? s : ""; *p;) {
		while (*p && blank(*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !blank(*p))
			p++;
		if (w->n == cap) {
			cap = cap ? 2 * cap : 64;
			w->w = xrealloc(w->w, cap * sizeof *w->w);
			w->len = xrealloc(w->len, cap * sizeof *w->len);
		}
		w->w[w->n] = start;
		w->len[w->n++] = (size_t)(p - start);
	}
}

static bool
same_word(const struct words *a, size_t i, const struct words *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->w[i], b->w[j], a->len[i]) == 0;
}

/* Adds one word to the last piece when it has the same op, else a new piece. */
static void
put(struct wdiff *d, size_t *cap, enum wdiff_op op, const char *w, size_t len)
{
	if (d->n && d->pieces[d->n - 1].op == op) {
		struct wdiff_piece *p = &d->pieces[d->n - 1];
		size_t had = strlen(p->text);
		p->text = xrealloc(p->text, had + len + 2);
		p->text[had] = ' ';
		memcpy(p->text + had + 1, w, len);
		p->text[had + len + 1] = '\0';
		return;
	}
	if (d->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		d->pieces = xrealloc(d->pieces, *cap * sizeof *d->pieces);
	}
	d->pieces[d->n].op = op;
	d->pieces[d->n++].text = xstrndup(w, len);
}

/* The edit script, read back from the trace of the furthest-reaching
 * paths: v_d[k] for d = 0..D kept at trace + d*d (diagonals -d..d). */
struct step {
	enum wdiff_op op;
	size_t i;	/* the word of a (SAME, DELETE) or of b (INSERT) */
};

static void
backtrack(const long *trace, long D, const struct words *a, const struct words *b,
    struct step *steps, size_t *nsteps)
{
	long x = (long)a->n, y = (long)b->n;
	size_t n = 0;

	for (long d = D; d > 0; d--) {
		const long *v = trace + (d - 1) * (d - 1) + (d - 1);	/* v_{d-1}, centred */
		long k = x - y, prev_k;
		if (k == -d || (k != d && v[k - 1] < v[k + 1]))
			prev_k = k + 1;	/* came down: an insertion */
		else
			prev_k = k - 1;	/* came right: a deletion */
		long px = v[prev_k], py = px - prev_k;
		while (x > px && y > py) {
			steps[n++] = (struct step){WDIFF_SAME, (size_t)--x};
			y--;
		}
		if (prev_k == k + 1)
			steps[n++] = (struct step){WDIFF_INSERT, (size_t)--y};
		else
			steps[n++] = (struct step){WDIFF_DELETE, (size_t)--x};
	}
	while (x > 0 && y > 0) {
		steps[n++] = (struct step){WDIFF_SAME, (size_t)--x};
		y--;
	}
	*nsteps = n;
}

/* The length of the shortest edit script (-1 when over the limit), with its trace. */
static long
shortest(const struct words *a, const struct words *b, long **trace_out)
{
	long n = (long)a->n, m = (long)b->n, max = n + m;
	long limit = max < WDIFF_MAX_EDITS ? max : WDIFF_MAX_EDITS;
	long *trace = xmalloc((size_t)(limit + 1) * (size_t)(limit + 1) * sizeof *trace);

	for (long d = 0; d <= limit; d++) {
		long *v = trace + d * d + d;	/* v[-d..d] */
		const long *pv = d ? trace + (d - 1) * (d - 1) + (d - 1) : NULL;
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && pv[k - 1] < pv[k + 1]))
				x = pv[k + 1];
			else
				x = pv[k - 1] + 1;
			long y = x - k;
			while (x < n && y < m && same_word(a, (size_t)x, b, (size_t)y))
				x++, y++;
			v[k] = x;
			if (x >= n && y >= m) {
				*trace_out = trace;
				return d;
			}
		}
		/* Diagonals of the other parity are never read at this d; fill them
		 * so a read of v[k±1] at the next d never meets garbage. */
		for (long k = -d + 1; k < d; k += 2)
			v[k] = -1;
	}
	free(trace);
	*trace_out = NULL;
	return -1;
}

void
wdiff_words(const char *old, const char *new, struct wdiff *d)
{
	struct words a, b;
	size_t cap = 0;
	long *trace;

	memset(d, 0, sizeof *d);
	split(old, &a);
	split(new, &b);
	d->old_words = a.n;
	d->new_words = b.n;
	long D = shortest(&a, &b, &trace);
	if (D < 0) {
		d->coarse = true;
		for (size_t i = 0; i < a.n; i++)
			put(d, &cap, WDIFF_DELETE, a.w[i], a.len[i]);
		for (size_t j = 0; j < b.n; j++)
			put(d, &cap, WDIFF_INSERT, b.w[j], b.len[j]);
	} else {
		struct step *steps = xmalloc((a.n + b.n + 1) * sizeof *steps);
		size_t ns;
		backtrack(trace, D, &a, &b, steps, &ns);
		/* Read backwards; a deletion next to an insertion reads best first. */
		for (size_t s = ns; s-- > 0;) {
			const struct words *w = steps[s].op == WDIFF_INSERT ? &b : &a;
			put(d, &cap, steps[s].op, w->w[steps[s].i], w->len[steps[s].i]);
			if (steps[s].op == WDIFF_SAME)
				d->same++;
		}
		free(steps);
		free(trace);
	}
	free(a.w);
	free(a.len);
	free(b.w);
	free(b.len);
}

void
wdiff_free(struct wdiff *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->pieces[i].text);
	free(d->pieces);
	memset(d, 0, sizeof *d);
}

double
wdiff_similarity(const struct wdiff *d)
{
	size_t all = d->old_words + d->new_words;

	return all ? 2.0 * (double)d->same / (double)all : 1.0;
}

bool
wdiff_none(const struct wdiff *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->pieces[i].op != WDIFF_SAME)
			return false;
	return true;
}

char *
wdiff_text(const struct wdiff *d)
{
	static const char *const open[] = {"", "[-", "{+"}, *const close[] = {"", "-]", "+}"};
	struct buf b = {0};

	for (size_t i = 0; i < d->n; i++) {
		if (i)
			buf_addc(&b, ' ');
		buf_adds(&b, open[d->pieces[i].op]);
		buf_adds(&b, d->pieces[i].text);
		buf_adds(&b, close[d->pieces[i].op]);
	}
	return b.data ? b.data : xstrdup("");
}
