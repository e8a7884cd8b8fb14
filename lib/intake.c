/*
 * intake.c — batch intake. JSON lines are parsed once each by jansson
 * (lib/json.c); TSV uses the escapes our TSV output writes (\t \n \r \\).
 * Both are read through lib/lines.c, ahead, by a second thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "intake.h"
#include "json.h"
#include "lines.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

static const char *intake_field_names(void) { return vocab_list(&field_vocab, " "); }

static int field_index(const char *name) { return vocab_parse(&field_vocab, name); }

static int
parse_flag(const char *v, bool *out)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || !*v)
		*out = false;
	else
		return -1;
	return 0;
}


/* JSON's \u0000 would cut the text short where C (and SQLite) read it. */
static int
nul_fail(struct field_error *err, const char *name)
{
	return field_fail(err, name, "contains a NUL character (\\u0000)");
}

static int
json_attachments(const json_t *v, const char *name, struct case_input *in,
    struct field_error *err)
{
	const char *text;
	json_t *item;
	size_t i;
	bool nul;

	json_array_foreach(v, i, item) {
		if ((text = json_text(item, &nul)) == NULL)
			return field_fail(err, name, "expected a string or an array of strings");
		if (nul)
			return nul_fail(err, name);
		if (in->nattach == ATTACH_MAX)
			return field_fail(err, name, "more than %d attachments", ATTACH_MAX);
		in->attach[in->nattach++] = text;
	}
	return 0;
}

/* anonymous, late: true or false, or a flag word as TSV takes it (0 and 1 as numbers too). */
static bool *
flag_of(int f, struct case_input *in)
{
	return f == FIELD_LATE ? &in->late : &in->anonymous;
}

static int
json_flag(const json_t *v, const char *name, bool *flag, struct field_error *err)
{
	char digits[24];
	bool nul = false;
	const char *text = json_is_integer(v) ? decimal(json_integer_value(v), 1, digits)
					      : json_text(v, &nul);

	if (json_is_boolean(v))
		*flag = json_is_true(v);
	else if (nul)
		return nul_fail(err, name);
	else if (text == NULL || parse_flag(text, flag) != 0)
		return field_fail(err, name, "expected true or false");
	return 0;
}

static int
json_field(int f, const json_t *v, struct case_input *in, struct field_error *err)
{
	const char *name = vocab_name(&field_vocab, f), *text;
	bool nul = false;

	if (json_is_null(v))
		return 0;
	if (f == FIELD_ANONYMOUS || f == FIELD_LATE)
		return json_flag(v, name, flag_of(f, in), err);
	if (f == FIELD_ATTACH && json_is_array(v))
		return json_attachments(v, name, in, err);
	if ((text = json_text(v, &nul)) == NULL)
		return f == FIELD_ATTACH ? field_fail(err, name, "expected a string or an array of strings")
				     : field_fail(err, name, "expected a string, not %s", json_type_name(v));
	if (nul)
		return nul_fail(err, name);
	if (f == FIELD_ATTACH)
		in->attach[in->nattach++] = text;
	else
		*case_input_text(in, f) = text;
	return 0;
}

/* A line that is not a JSON object: the column where it breaks, and the field if known. */
static int
json_fault_fail(const struct json_fault *fault, struct field_error *err)
{
	int f = fault->key[0] ? field_index(fault->key) : -1;

	if (fault->kind == JSON_FAULT_NOT_OBJECT)
		return field_fail(err, "json", "%s", fault->why);
	if (fault->kind == JSON_FAULT_DUPLICATE && f >= 0)
		return field_fail(err, vocab_name(&field_vocab, f), "given twice");
	if (fault->kind == JSON_FAULT_DUPLICATE)
		return field_fail(err, "json", "field %s given twice", text_quote(fault->key));
	if (fault->kind == JSON_FAULT_UTF8 && f >= 0)
		return field_fail(err, vocab_name(&field_vocab, f), "column %d: %s", fault->column, fault->why);
	return field_fail(err, "json", "column %d: %s", fault->column, fault->why);
}

/* The members of a parsed line into *in, which points into obj's strings. */
static int
json_fields(const json_t *obj, struct case_input *in, struct field_error *err)
{
	const char *key;
	json_t *v;

	/* jansson refuses a key with a \u0000, so every key is whole. */
	json_object_foreach((json_t *)obj, key, v) {
		int f = field_index(key);
		if (f < 0)
			return field_fail(err, "json", "unknown field %s (fields: %s)", text_quote(key),
			    intake_field_names());
		if (json_field(f, v, in, err) != 0)
			return -1;
	}
	return 0;
}

/* Undoes the TSV escapes in place. */
static void
tsv_unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

struct tsv_header {
	int field[FIELD_COUNT];
	int n;
};

static int
tsv_read_header(char *line, struct tsv_header *h, struct field_error *err)
{
	bool seen[FIELD_COUNT] = {false};
	char *save = line;

	h->n = 0;
	for (char *name; (name = strsep(&save, "\t")) != NULL;) {
		name = strip(name);
		int f = field_index(name);
		if (f < 0)
			return field_fail(err, "header", "unknown column %s (columns: %s)", text_quote(name),
			    intake_field_names());
		if (seen[f])
			return field_fail(err, vocab_name(&field_vocab, f), "column given twice");
		if (h->n == FIELD_COUNT)
			return field_fail(err, "header", "too many columns");
		seen[f] = true;
		h->field[h->n++] = f;
	}
	return 0;
}

static int
tsv_line(char *line, const struct tsv_header *h, struct case_input *in, struct field_error *err)
{
	char *save = line, *v;
	int i = 0;

	while ((v = strsep(&save, "\t")) != NULL) {
		if (i == h->n)
			return field_fail(err, "tsv", "more fields than the header's %d", h->n);
		int f = h->field[i++];
		tsv_unescape(v);
		if (*v == '\0')
			continue;
		if (f == FIELD_ANONYMOUS || f == FIELD_LATE) {
			if (parse_flag(v, flag_of(f, in)) != 0)
				return field_fail(err, vocab_name(&field_vocab, f), "expected true or false");
		} else if (f == FIELD_ATTACH) {
			in->attach[in->nattach++] = v;
		} else {
			*case_input_text(in, f) = v;
		}
	}
	if (i != h->n)
		return field_fail(err, "tsv", "%d fields where the header has %d", i, h->n);
	return 0;
}

static int
store_checked(struct context *ctx, const struct case_record *rec, struct intake_result *res,
    tcode *given)
{
	tcode code = 0;
	bool known;
	int rc;

	if ((rc = case_insert(ctx, rec, &code, &known)) != 0) {
		const char *field = store_error_field(ctx->store);
		res->err.field = field && strcmp(field, "source_id") == 0 ? "source_id" : "database";
		snprintf(res->err.why, sizeof res->err.why, "%s", store_error(ctx->store));
		return rc;
	}
	res->nknown += known;
	*given = code;
	fwrite(&code, sizeof code, 1, res->codes);	/* checked before the commit */
	res->ncodes++;
	return 0;
}

/*
 * The lines are read, JSON lines parsed and every case checked by a second
 * thread while this one stores them: jansson and the checks cost half a
 * row's work, and on two cores they run beside SQLite instead of before
 * it. The checks read only what a batch does not change (services, units,
 * drafts, opt-outs), through a connection of their own that only reads.
 * The queue between the threads is bounded in lines and in bytes.
 */
#define AHEAD_LINES 1024
#define AHEAD_BYTES ((size_t)8 << 20)

/* One line as the reader hands it over, or the end of the input. */
struct item {
	size_t number;		/* its line number; at the end, the lines read */
	size_t len;
	bool blank;		/* no case, no code */
	char *line;		/* TSV: the line (owned) */
	json_t *obj;		/* JSON: the object, or NULL and the fault */
	bool obj_in_slab;	/* it lies in a slab of the reader's: not to be freed */
	struct json_fault fault;
	bool end, read_error;
	char why[128];		/* at the end: why the reader stopped, or "" */
	/* As checked: rc 0 and the case (pointing into line or obj), or not 0 and err. */
	int rc;
	bool header;		/* the TSV header line */
	struct case_input input;
	struct case_record rec;
	struct field_error err;
};

struct ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* at most one side waits at a time */
	bool room_wait;		/* the reader waits for room */
	bool line_wait;		/* the taker waits for a line */
	struct lines *lines;
	FILE *in;
	enum intake_format fmt;
	struct context ctx;	/* the reader's: its store only reads */
	struct tsv_header header;
	/*
	 * JSON lines are parsed into slabs (json.h), the n-th into slab n
	 * modulo AHEAD_LINES + 1: when it is parsed, the line that was in
	 * that slab has been given back, for at most AHEAD_LINES are queued.
	 * NULL: parsed as usual.
	 */
	struct json_slabs *slabs;
	size_t parsed;
	/*
	 * ring[head] is the oldest line the taker has not given back, then
	 * the ones waiting; count and bytes hold them all. A slot keeps its item after
	 * it is taken: the reader frees it when it fills the slot again, so
	 * what jansson allocates is freed by the thread that allocated it.
	 */
	struct item ring[AHEAD_LINES];
	size_t head, count, bytes;
	/* The taker's own: ring[next] is the line it takes, after `taken`
	 * lines (of taken_bytes) it has not given back yet; `ready` lines it
	 * knows are there, from next on. */
	size_t next, taken, taken_bytes, ready;
	bool taking;
	bool stop;		/* the taker is done: read no further */
};

static void
item_free(struct item *it)
{
	free(it->line);
	if (!it->obj_in_slab)
		json_decref(it->obj);
	notice_made_free(&it->rec.notice);
}

static bool
full(const struct ahead *a, size_t lines, size_t bytes)
{
	return a->count >= lines || (a->count > 0 && a->bytes > bytes);
}

/* Waits for room; false when the taker has stopped. */
static bool
push(struct ahead *a, const struct item *it)
{
	bool ok;

	pthread_mutex_lock(&a->lock);
	while (!a->stop && full(a, AHEAD_LINES, AHEAD_BYTES)) {
		a->room_wait = true;
		pthread_cond_wait(&a->changed, &a->lock);
	}
	a->room_wait = false;
	if ((ok = !a->stop)) {
		struct item *slot = &a->ring[(a->head + a->count++) % AHEAD_LINES];
		item_free(slot);
		*slot = *it;
		a->bytes += it->len;
		if (a->line_wait)
			pthread_cond_signal(&a->changed);
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

/*
 * Gives back the line taken before, if any, and takes the next. The lines
 * taken are given back a quarter of the queue at a time, or when the
 * lines seen ready run out: a lock for many lines, not one a line.
 */
static struct item *
pop(struct ahead *a)
{
	if (a->taking) {
		a->taken++;
		a->taken_bytes += a->ring[a->next].len;
		a->next = (a->next + 1) % AHEAD_LINES;
		a->ready--;
	}
	if (a->ready == 0 || a->taken >= AHEAD_LINES / 4) {
		pthread_mutex_lock(&a->lock);
		a->bytes -= a->taken_bytes;
		a->head = a->next;
		a->count -= a->taken;
		a->taken = a->taken_bytes = 0;
		/* Woken at half, the reader fills the queue in one go, not a line a wake-up. */
		if (a->room_wait && !full(a, AHEAD_LINES / 2, AHEAD_BYTES / 2))
			pthread_cond_signal(&a->changed);
		while (a->count == 0) {
			a->line_wait = true;
			pthread_cond_wait(&a->changed, &a->lock);
		}
		a->line_wait = false;
		a->ready = a->count;
		pthread_mutex_unlock(&a->lock);
	}
	a->taking = true;
	return &a->ring[a->next];
}

/* lines_error() without its "NAME:LINE: ", for the line is named apart. */
static const char *
line_why(const struct lines *l)
{
	const char *e = lines_error(l) + strlen(lines_name(l)) + 1;

	e += strspn(e, "0123456789");
	return e[0] == ':' ? e + 2 : e;
}

/* The next line, parsed if JSON; false at the end or at a refused line. */
static bool
read_item(struct ahead *a, struct item *it)
{
	char *line;

	memset(it, 0, sizeof *it);
	/* Only a wait for input may be cancelled: nothing is held there. */
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	line = lines_next(a->lines, &it->len);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	it->number = lines_number(a->lines);
	if (line == NULL) {
		it->end = true;
		it->read_error = ferror(a->in);
		if (lines_error(a->lines))
			snprintf(it->why, sizeof it->why, "%s", line_why(a->lines));
		return false;
	}
	it->blank = line[strspn(line, " \t")] == '\0';
	if (a->fmt == INTAKE_TSV)
		it->line = xstrndup(line, it->len);	/* a blank first line is still the header */
	else if (!it->blank && a->slabs)
		it->obj = json_parse_object_in(a->slabs, a->parsed++ % (AHEAD_LINES + 1), line,
		    it->len, &it->fault, &it->obj_in_slab);
	else if (!it->blank)
		it->obj = json_parse_object(line, it->len, &it->fault);
	return it->blank || it->line || it->obj;
}

/* The case's code, row digest and notice (case_draw): 0, or the store's error in it->err. */
static int
draw(struct context *ctx, struct item *it)
{
	int rc = case_draw(ctx, &it->rec);

	if (rc != 0) {
		it->err.field = "database";
		snprintf(it->err.why, sizeof it->err.why, "%s", store_error(ctx->store));
	}
	return rc;
}

/*
 * The case of a line read, or the TSV header, checked and drawn: it->rc
 * and it->err. JSON lines too: the writer's SQLite work is the longer of
 * the two threads' even beside jansson's parse (CPU time by thread, 200k
 * lines: writer 2.9 s with the drawing, reader 2.2 s without).
 */
static void
check_item(struct ahead *a, struct item *it)
{
	if (a->fmt == INTAKE_TSV && it->number == 1) {
		it->header = true;
		it->rc = tsv_read_header(it->line, &a->header, &it->err);
		return;
	}
	if (it->blank)
		return;
	if (a->fmt == INTAKE_JSON)
		it->rc = it->obj ? json_fields(it->obj, &it->input, &it->err)
				 : json_fault_fail(&it->fault, &it->err);
	else
		it->rc = tsv_line(it->line, &a->header, &it->input, &it->err);
	if (it->rc == 0)
		it->rc = case_check(&a->ctx, &it->input, &it->rec, &it->err);
	if (it->rc == 0)
		it->rc = draw(&a->ctx, it);
}

/* The reader thread: every line up to the end, the first refused one, or a stop. */
static void *
read_ahead(void *arg)
{
	struct ahead *a = arg;
	struct item it;
	bool more;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	do {
		more = read_item(a, &it);
		if (!it.end) {
			check_item(a, &it);
			more = more && it.rc == 0;	/* the taker stops at a bad line */
		}
		if (!push(a, &it)) {
			item_free(&it);
			break;
		}
	} while (more);
	return NULL;
}

/* One line: the TSV header, or a case checked, drawn and stored. */
static int
take_item(struct context *ctx, struct item *it, struct intake_result *res, tcode *code)
{
	if (it->rc != 0) {
		res->err = it->err;
		return it->rc;
	}
	return it->header || it->blank ? 0 : store_checked(ctx, &it->rec, res, code);
}

static bool
is_case(const struct item *it)
{
	return !it->end && it->rc == 0 && !it->header && !it->blank;
}

/*
 * The codes this batch gave, as a Bloom filter: a held row put does not
 * fail at once on a code taken (store_begin_held), so a code is free when
 * no stored case had it (case_draw looked) and the filter has not seen
 * it; else case_insert looks it up. 4 MB, within the 64 MB a command may
 * take: at a million cases one code in 1,600 is looked up for nothing, at
 * five million one in 21.
 */
enum { CODES_SEEN_BITS = 1 << 25 };

struct codes_seen {
	uint64_t *bits;
};

static uint64_t
code_mix(tcode code, int k)
{
	uint64_t x = (uint64_t)code * 0x9E3779B97F4A7C15ull + (uint64_t)k * 0xBF58476D1CE4E5B9ull;
	x ^= x >> 31;
	x *= 0x94D049BB133111EBull;
	return (x ^ (x >> 29)) & (CODES_SEEN_BITS - 1);
}

static bool
code_seen(const struct codes_seen *seen, tcode code)
{
	for (int k = 0; k < 3; k++) {
		uint64_t b = code_mix(code, k);
		if (!(seen->bits[b / 64] & (1ull << (b % 64))))
			return false;
	}
	return true;
}

static void
code_add(struct codes_seen *seen, tcode code)
{
	for (int k = 0; k < 3; k++) {
		uint64_t b = code_mix(code, k);
		seen->bits[b / 64] |= 1ull << (b % 64);
	}
}

/* Takes items until the end or the first failure; the reader is stopped and joined. */
static int
take_all(struct context *ctx, struct ahead *a, progress_fn progress, void *arg,
    struct intake_result *res)
{
	struct item *it;
	int rc = 0;

	struct codes_seen seen = {xcalloc(CODES_SEEN_BITS / 64, sizeof *seen.bits)};
	while (!(it = pop(a))->end) {
		if (progress && it->number / 10000 > res->lines / 10000)
			progress(it->number / 10000 * 10000, arg);
		res->bad_line = res->lines = it->number;
		it->rec.code_free = it->rec.drawn_unstored && !code_seen(&seen, it->rec.drawn);
		tcode code = 0;
		if ((rc = take_item(ctx, it, res, &code)) != 0)
			break;
		if (is_case(it))
			code_add(&seen, code);
	}
	free(seen.bits);
	if (rc == 0) {
		res->lines = it->number;
		res->bad_line = it->number + it->read_error;
		if (it->why[0])
			rc = field_fail(&res->err, it->read_error ? "input" : "text", "%s", it->why);
	}
	/* The reader may wait for room, or for input that is not coming. */
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->changed);
	pthread_mutex_unlock(&a->lock);
	pthread_cancel(a->thread);
	pthread_join(a->thread, NULL);
	for (size_t i = 0; i < AHEAD_LINES; i++)
		item_free(&a->ring[i]);
	return rc;
}

static int
read_lines(struct context *ctx, FILE *in, enum intake_format fmt, progress_fn progress,
    void *arg, struct intake_result *res)
{
	/* UTF-8 is checked field by field, so the message can name the field. */
	static const struct lines_options opt = {.max = INTAKE_LINE_MAX};
	struct ahead *a = xcalloc(1, sizeof *a);
	int rc;

	char *why = NULL;
	bool created;

	a->ctx = *ctx;
	if ((rc = store_open(store_path(ctx->store), STORE_READ, &a->ctx.store, &created, &why)) != 0) {
		field_fail(&res->err, "database", "%s", why);
		free(why);
		free(a);
		return rc;
	}
	/* The batch holds the write lock (intake_batch): no commit can come
	 * between the reader's looks, so one read transaction for them all
	 * sees what each would, and spares each its own (WAL's shm locks). */
	if ((rc = store_read_begin(a->ctx.store)) != 0) {
		field_fail(&res->err, "database", "%s", store_error(a->ctx.store));
		store_close(a->ctx.store);
		free(a);
		return rc;
	}
	a->lines = lines_open(in, "stdin", &opt);
	a->in = in;
	a->fmt = fmt;
	if (fmt == INTAKE_JSON)
		a->slabs = json_slabs_take(AHEAD_LINES + 1);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->changed, NULL);
	/* No thread to be had (a process limit): worth another try, not a bad batch. */
	if ((rc = pthread_create(&a->thread, NULL, read_ahead, a)) != 0) {
		field_fail(&res->err, "input", "cannot start the reader thread: %s", strerror(rc));
		rc = EXIT_TEMPFAIL;
	} else {
		rc = take_all(ctx, a, progress, arg, res);
	}
	json_slabs_give_back(a->slabs);	/* take_all freed every item */
	pthread_cond_destroy(&a->changed);
	pthread_mutex_destroy(&a->lock);
	lines_close(a->lines);
	store_read_end(a->ctx.store);
	store_close(a->ctx.store);
	if (a->ctx.missing_year)
		ctx->missing_year = a->ctx.missing_year;
	free(a);
	if (rc == 0 && fmt == INTAKE_TSV && res->lines == 0) {
		res->bad_line = 1;
		rc = field_fail(&res->err, "tsv", "no header line");
	}
	if (rc == 0)
		res->bad_line = 0;
	else if (rc < 0)
		rc = EXIT_FATAL;
	return rc;
}

/* An unlinked file in $TMPDIR (else /tmp) for the codes, or NULL (errno). */
static FILE *
spill_file(void)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) < 0) {
		/* A file system without O_TMPFILE: a named file, unlinked at once. */
		char *path = xasprintf("%s/partake-codes.XXXXXX", dir);
		if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
			unlink(path);
		free(path);
	}
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w+");
	if (f == NULL && fd >= 0)
		close(fd);
	return f;
}

static int
database_fail(struct context *ctx, struct intake_result *res, int rc)
{
	res->err.field = "database";
	snprintf(res->err.why, sizeof res->err.why, "%s", store_error(ctx->store));
	return rc;
}

int
intake_batch(struct context *ctx, FILE *in, enum intake_format fmt, progress_fn progress,
    void *arg, struct intake_result *res)
{
	int rc;

	memset(res, 0, sizeof *res);
	if ((res->codes = spill_file()) == NULL) {
		field_fail(&res->err, "codes", "cannot make a temporary file for them: %s",
		    strerror(errno));
		return EXIT_TEMPFAIL;
	}
	/* The codes are printed once the batch is in: it must be on the disk. */
	/* A cache the size of a batch's working set of index pages, within
	 * the 64 MB a command may take. */
	if ((rc = store_durable(ctx->store)) != 0 ||
	    (rc = store_exec(ctx->store, "PRAGMA cache_size = -32768")) != 0 ||
	    (rc = store_defer_checkpoint(ctx->store)) != 0 ||
	    (rc = store_begin_held(ctx->store)) != 0)
		return database_fail(ctx, res, rc);
	rc = read_lines(ctx, in, fmt, progress, arg, res);
	/* The codes all written out, or nothing stored: none could be printed. */
	if (rc == 0 && (fflush(res->codes) != 0 || ferror(res->codes))) {
		field_fail(&res->err, "codes", "cannot keep them in a temporary file: %s",
		    strerror(errno));
		rc = EXIT_TEMPFAIL;
	}
	if (rc != 0) {
		store_rollback(ctx->store);
		res->ncodes = 0;
		return rc;
	}
	if ((rc = store_commit(ctx->store)) != 0) {
		res->ncodes = 0;
		return database_fail(ctx, res, rc);
	}
	rewind(res->codes);
	return 0;
}

int
intake_next_code(void *arg, tcode *code)
{
	struct intake_result *res = arg;

	if (fread(code, sizeof *code, 1, res->codes) == 1)
		return 1;
	if (ferror(res->codes)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

void
intake_index(struct context *ctx)
{
	/* The batch's log, copied into the file now that the codes are out
	 * (intake_batch deferred it); the catch-up's own steps follow it. */
	store_checkpoint(ctx->store);
	search_catch_up(ctx->store);
}

void
intake_result_free(struct intake_result *res)
{
	if (res->codes)
		fclose(res->codes);
	res->codes = NULL;
}
