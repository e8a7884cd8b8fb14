/*
 * fmt-json.c — one JSON object per line, built and escaped by jansson
 * (lib/json.c): numbers as numbers, no value as null, a list as an array
 * of objects.
 */
#include <error.h>
#include <stdlib.h>
#include <string.h>

#include "fmt-backend.h"
#include "json.h"

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
		return json_integer(strtoll(c->text, NULL, 10));
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
 * Columns that share a name (the object would have fewer keys) take the
 * slow way.
 */
static json_t *
reused_object(struct printer *p)
{
	if (p->state == NULL) {
		json_t *o = json_object();
		for (int i = 0; i < p->ncols; i++)
			json_object_set_new(o, p->cols[i].name, json_null());
		if (json_object_size(o) != (size_t)p->ncols) {
			json_decref(o);
			return NULL;
		}
		p->state = o;
	}
	return p->state;
}

static bool
row(struct printer *p, struct cell *cells)
{
	json_t *o = reused_object(p);
	bool whole = true;

	if (o == NULL) {
		if ((o = object(p->cols, p->ncols, cells)) != NULL)
			json_write_line(p->out, o);
		json_decref(o);
		return false;
	}
	void *it = json_object_iter(o);
	for (int i = 0; i < p->ncols; i++, it = json_object_iter_next(o, it)) {
		json_t *v = value(&cells[i]);
		whole = whole && v;
		json_object_iter_set_new(o, it, v ? v : json_null());
	}
	if (whole)
		json_write_line(p->out, o);
	return false;
}

static void
end(struct printer *p)
{
	json_decref(p->state);
	p->state = NULL;
}

const struct fmt_backend fmt_json = {.row = row, .end = end};
