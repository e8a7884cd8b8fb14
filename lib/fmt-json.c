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

static bool
row(struct printer *p, struct cell *cells)
{
	json_t *o = object(p->cols, p->ncols, cells);

	if (o)
		json_write_line(p->out, o);
	json_decref(o);
	return false;
}

const struct fmt_backend fmt_json = {.row = row};
