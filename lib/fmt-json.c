/*
 * fmt-json.c — one JSON object per line, built and escaped by jansson
 * (lib/json.c): numbers as numbers, no value as null, a list as an array
 * of objects.
 *
 * jansson's encoder walks every character of every key and value, and was
 * most of what a long listing cost: past the first rows, whole batches of
 * rows are encoded by two threads while the caller reads the next ones,
 * and written in their order (see "Encoding beside the reader" below).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fmt-backend.h"
#include "json.h"
#include "util.h"

static json_t *object(const struct column *cols, int ncols, const struct cell *cells);

static json_t *
value(const struct cell *c)
{
	json_t *v;

	if (c->list) {
		v = json_array();
		for (size_t r = 0; r < c->list->nrows; r++)
			json_array_append_new(v, object(c->list->cols, c->list->ncols, c->list->rows[r]));
		return v;
	}
	if (c->text == NULL)
		return json_null();
	switch (c->type) {
	case COL_INT:
		return json_integer(c->num);
	case COL_REAL:
		return json_real(strtod(c->text, NULL));
	default:
		return json_new_text(c->text);
	}
}

static json_t *
object(const struct column *cols, int ncols, const struct cell *cells)
{
	json_t *o = json_object();

	for (int i = 0; i < ncols; i++) {
		json_t *v = value(&cells[i]);
		if (v == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, cols[i].name, v);
	}
	return o;
}

/*
 * The object of the top-level rows is made once, its keys in the columns'
 * order, and each row sets its values by walking it: a fresh object a row
 * hashed and copied every key again, most of what a listing in JSON cost.
 * A text where the last row had one is set in place. NULL when columns
 * share a name (the object would have fewer keys): those take the slow way.
 */
static json_t *
reused_object(const struct printer *p)
{
	json_t *o = json_object();

	for (int i = 0; i < p->ncols; i++)
		json_object_set_new(o, p->cols[i].name, json_null());
	if (json_object_size(o) != (size_t)p->ncols) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * Sets the value of it (in o) to the cell's; false when the cell had none
 * jansson took. A value of the same kind as the last row's is set in
 * place, and one that is the same (no value, no attachment) left as it
 * is. checked: a text is checked as it is set; else the dump checks it.
 */
static bool
set_value(json_t *o, void *it, const struct cell *c, bool checked)
{
	json_t *old = json_object_iter_value(it);

	if (c->list) {
		if (c->list->nrows == 0 && json_is_array(old) && json_array_size(old) == 0)
			return true;
	} else if (c->text == NULL) {
		if (json_is_null(old))
			return true;
	} else if (c->type == COL_TEXT && json_is_string(old)) {
		return (checked ? json_set_text(old, c->text) : json_set_text_unchecked(old, c->text)) == 0;
	} else if (c->type == COL_INT && json_is_integer(old)) {
		return json_integer_set(old, c->num) == 0;
	}
	json_t *v = value(c);
	json_object_iter_set_new(o, it, v ? v : json_null());
	return v != NULL;
}

/* Sets every value of the reused object o to the row's; false as set_value. */
static bool
set_row(const struct printer *p, json_t *o, const struct cell *cells, bool checked)
{
	bool whole = true;
	void *it = json_object_iter(o);

	for (int i = 0; i < p->ncols; i++, it = json_object_iter_next(o, it))
		whole = set_value(o, it, &cells[i], checked) && whole;
	return whole;
}

/* One row as a line appended to b, through the reused object o (or NULL); 0 or -1. */
static int
encode_row(const struct printer *p, json_t *o, const struct cell *cells, struct buf *b)
{
	int rc = -1;

	if (o == NULL) {
		if ((o = object(p->cols, p->ncols, cells)) != NULL)
			rc = json_append_line(b, o);
		json_decref(o);
		return rc;
	}
	/* A row jansson could not take is left out, as it always was. */
	if (!set_row(p, o, cells, false))
		return 0;
	/* The dump checks each character of every text: only a row with a
	 * text that is not UTF-8 pays for a second check, which mends it. */
	if (json_append_line(b, o) == 0)
		return 0;
	return set_row(p, o, cells, true) ? json_append_line(b, o) : 0;
}

/*
 * Encoding beside the reader. The caller's thread (the reader: SQLite and
 * the cells) fills a batch of rows and hands it on; each encoder takes the
 * next batch in turn and makes its lines, and the batches are written in
 * their order by whichever encoder finds the next one to write done. So
 * the lines keep the rows' order exactly, and memory holds at most
 * BATCHES batches. The first rows of a printer are written by the
 * caller's thread as they come, so a short output (a status, a page of a
 * listing) is what it always was, with no thread started.
 *
 * A thread that sleeps costs a wake-up, and on a virtual machine with an
 * idle core that wake-up is long: no encoder waits for another's batch to
 * be written (it takes the next one), and a reader that found the ring
 * full sleeps until half of it is written, not until one batch is.
 */
/* Each batch handed on can wake a thread: at 64 rows a batch a 1M listing
 * switched threads 15k times and took 5% more CPU than at 256 (128: 7.5k
 * switches; 512: 2.1k, no faster, more held). */
enum { BATCH_ROWS = 256, BATCHES = 8, ENCODERS = 2 };

struct batch {
	struct cell *rows[BATCH_ROWS];
	size_t n;
	struct buf text;
	bool encoded;			/* its lines made, not yet written */
};

struct json_state {
	const struct printer *p;
	json_t *row;			/* the caller's thread's reused object */
	struct buf line;		/* its line */
	size_t rows;			/* rows seen */
	bool threaded;
	bool alone;			/* no thread could be started */
	pthread_mutex_t lock;
	pthread_cond_t handed;		/* a batch was handed on, or the end came */
	pthread_cond_t room;		/* half of the ring is free for the reader */
	struct batch ring[BATCHES];
	struct batch *fill;		/* the one the caller's thread fills; NULL: none yet */
	unsigned long filled, taken, written;	/* batches handed on, taken, written */
	bool writing;			/* an encoder is writing batches */
	bool reader_waits;
	bool closing, failed;
	pthread_t encoder[ENCODERS];
	int nencoders;
};

/*
 * Called with the lock held, by the encoder that just made a batch: while
 * the next batch in order is made and nobody is writing, writes it (the
 * lock let go meanwhile), and so on. Only the writer writes: the order holds.
 */
static void
write_batches(struct json_state *s)
{
	if (s->writing)
		return;
	s->writing = true;
	for (struct batch *b; (b = &s->ring[s->written % BATCHES])->encoded;) {
		pthread_mutex_unlock(&s->lock);
		bool failed = b->text.len > 0 &&
		    fwrite(b->text.data, 1, b->text.len, s->p->out) != b->text.len;
		pthread_mutex_lock(&s->lock);
		b->encoded = false;
		s->failed = s->failed || failed;
		s->written++;
		if (s->reader_waits && s->filled - s->written <= BATCHES / 2)
			pthread_cond_signal(&s->room);
	}
	s->writing = false;
}

static void *
encode_batches(void *arg)
{
	struct json_state *s = arg;
	json_t *o = reused_object(s->p);

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->taken == s->filled && !s->closing)
			pthread_cond_wait(&s->handed, &s->lock);
		if (s->taken == s->filled)
			break;
		struct batch *b = &s->ring[s->taken++ % BATCHES];
		pthread_mutex_unlock(&s->lock);

		b->text.len = 0;
		for (size_t r = 0; r < b->n; r++)
			encode_row(s->p, o, b->rows[r], &b->text);	/* one it cannot take: left out */
		pthread_mutex_lock(&s->lock);
		b->encoded = true;
		write_batches(s);
	}
	pthread_mutex_unlock(&s->lock);
	json_decref(o);
	return NULL;
}

/* True when at least one encoder runs; else the caller's thread writes every row. */
static bool
start_encoders(struct json_state *s)
{
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->handed, NULL);
	pthread_cond_init(&s->room, NULL);
	for (; s->nencoders < ENCODERS; s->nencoders++)
		if (pthread_create(&s->encoder[s->nencoders], NULL, encode_batches, s) != 0)
			break;
	s->threaded = s->nencoders > 0;
	s->alone = !s->threaded;
	if (s->alone) {
		pthread_cond_destroy(&s->room);
		pthread_cond_destroy(&s->handed);
		pthread_mutex_destroy(&s->lock);
	}
	return s->threaded;
}

/* The rows of a batch written, freed by the thread that made them: glibc
 * keeps an arena of memory a thread, and a free from another thread takes
 * that arena's lock, which the maker's next malloc then waits for. */
static void
rows_free(const struct json_state *s, struct batch *b)
{
	for (size_t r = 0; r < b->n; r++)
		fmt_cells_free(b->rows[r], s->p->ncols);
	b->n = 0;
}

/* The next batch to fill, once the one that was in its place is written. */
static struct batch *
batch_to_fill(struct json_state *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->filled - s->written >= BATCHES) {
		s->reader_waits = true;
		while (s->filled - s->written > BATCHES / 2)
			pthread_cond_wait(&s->room, &s->lock);
		s->reader_waits = false;
	}
	pthread_mutex_unlock(&s->lock);
	struct batch *b = &s->ring[s->filled % BATCHES];
	rows_free(s, b);
	return b;
}

static void
hand_on(struct json_state *s)
{
	pthread_mutex_lock(&s->lock);
	s->filled++;
	pthread_cond_signal(&s->handed);
	pthread_mutex_unlock(&s->lock);
	s->fill = NULL;
}

static bool
row(struct printer *p, struct cell *cells)
{
	struct json_state *s = p->state;

	if (s == NULL) {
		s = p->state = xcalloc(1, sizeof *s);
		s->p = p;
		s->row = reused_object(p);	/* jansson's hash seed made here, before any thread */
	}
	if (!s->threaded && (s->alone || ++s->rows <= BATCH_ROWS || !start_encoders(s))) {
		/* A row jansson cannot take is left out; a failed write, printer_close sees. */
		s->line.len = 0;
		if (encode_row(p, s->row, cells, &s->line) == 0 && s->line.len > 0)
			fwrite(s->line.data, 1, s->line.len, p->out);
		return false;
	}
	if (s->fill == NULL)
		s->fill = batch_to_fill(s);
	s->fill->rows[s->fill->n++] = cells;
	if (s->fill->n == BATCH_ROWS)
		hand_on(s);
	return true;
}

static void
end(struct printer *p)
{
	struct json_state *s = p->state;

	if (s == NULL)
		return;
	if (s->threaded) {
		if (s->fill && s->fill->n > 0)
			hand_on(s);
		pthread_mutex_lock(&s->lock);
		s->closing = true;
		pthread_cond_broadcast(&s->handed);
		pthread_mutex_unlock(&s->lock);
		for (int i = 0; i < s->nencoders; i++)
			pthread_join(s->encoder[i], NULL);
		p->failed = p->failed || s->failed;
		for (int i = 0; i < BATCHES; i++) {
			rows_free(s, &s->ring[i]);
			buf_free(&s->ring[i].text);
		}
		pthread_cond_destroy(&s->room);
		pthread_cond_destroy(&s->handed);
		pthread_mutex_destroy(&s->lock);
	}
	json_decref(s->row);
	buf_free(&s->line);
	free(s);
	p->state = NULL;
}

const struct fmt_backend fmt_json = {.row = row, .end = end};
