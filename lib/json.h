/*
 * json.h — the one module that reads and writes JSON, through Debian's
 * libjansson, so the flags are chosen once: input is strict UTF-8 with
 * duplicate keys refused, output is compact, keys in the order they were
 * set, and non-ASCII text written as itself rather than as \u escapes.
 * Callers walk and build values with jansson's own json_t accessors.
 */
#ifndef PARTAKE_JSON_H
#define PARTAKE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

enum json_fault_kind {
	JSON_FAULT_SYNTAX,	/* not JSON at all */
	JSON_FAULT_UTF8,	/* a byte that is not UTF-8 */
	JSON_FAULT_DUPLICATE,	/* a key given twice in one object */
	JSON_FAULT_NOT_OBJECT,	/* JSON, but not the object asked for */
};

/* Why a text was refused, and where: the admin goes to the line and column. */
struct json_fault {
	enum json_fault_kind kind;
	/*
	 * 1-based, the column in characters: the bad byte, or the last
	 * character of the token where it broke.
	 */
	int line, column;
	char key[64];		/* the top-level key where it broke, or "" */
	char why[160];
};

/*
 * One JSON value from s[0..len), or NULL with *fault. A \u0000 is kept in
 * a string (json_text reports it), so the caller can name the field.
 */
json_t *json_parse(const char *s, size_t len, struct json_fault *fault);
/* The same, and the value must be an object (a line of a batch). */
json_t *json_parse_object(const char *s, size_t len, struct json_fault *fault);

/*
 * Slabs to parse many lines into, one line a slab: jansson's memory for
 * the line's object comes from its slab, and parsing another line into the
 * slab gives it all back at once (no json_decref: no free, no walk).
 * NULL when none can be had (a second taker in the process, or no memory
 * to map): then parse as usual. Give them back once no object in them is
 * used.
 */
struct json_slabs *json_slabs_take(size_t n);
void json_slabs_give_back(struct json_slabs *slabs);
/*
 * json_parse_object into slab i of slabs, whose last line's object is then
 * gone. *in_slab: the object lies in the slab alone, and must not be
 * json_decref'd; when false (a line too big for a slab) it must be, as
 * one from json_parse_object.
 */
json_t *json_parse_object_in(struct json_slabs *slabs, size_t i, const char *s, size_t len,
    struct json_fault *fault, bool *in_slab);

/* A value's type as messages name it: "string", "integer", "array" … */
const char *json_type_name(const json_t *v);
/* A string's text, NULL when v is not a string; *nul: it holds a \u0000. */
const char *json_text(const json_t *v, bool *nul);

/* A string value; bytes that are not UTF-8 become U+FFFD rather than fail. */
json_t *json_new_text(const char *s);

/* A string value's text set in place (the same rule as json_new_text):
 * a value set again row after row is not made anew; 0, or -1. */
int json_set_text(json_t *string, const char *s);
/*
 * The text set as it is, unchecked: for a value about to be written, whose
 * dump (json_append_line) checks every character anyway and fails on one
 * that is not UTF-8; the caller then sets it again with json_set_text.
 */
int json_set_text_unchecked(json_t *string, const char *s);

struct buf;
/* Writes v compact and a newline; 0, or -1 when it could not. */
int json_write_line(FILE *out, const json_t *v);
/* The same, appended to b (util.h). */
int json_append_line(struct buf *b, const json_t *v);
/* v as compact text, for the caller to free; NULL when it could not. */
char *json_dump_text(const json_t *v);

#endif
