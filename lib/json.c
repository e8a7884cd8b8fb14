/*
 * json.c — parsing and writing JSON through libjansson, with the messages
 * the admin needs: where a line breaks, and under which key.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "json.h"
#include "text.h"
#include "util.h"

/*
 * Reals are written with 15 significant digits: enough to give back any
 * decimal we rounded to, where jansson's 17 would show 0.3 as
 * 0.29999999999999999.
 */
#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* The key token (quotes included) s[start..end), decoded into key. */
static void
decode_key(const char *s, size_t start, size_t end, char *key, size_t size)
{
	json_t *k = json_loadb(s + start, end - start, JSON_DECODE_ANY, NULL);

	snprintf(key, size, "%s", json_is_string(k) ? json_string_value(k) : "");
	json_decref(k);
}

/*
 * The top-level key whose member holds byte pos: jansson read s[0..pos) as
 * good JSON, so a scan that follows strings and nesting is enough. A break
 * inside a key itself names no key.
 */
static void
key_at(const char *s, size_t pos, char *key, size_t size)
{
	size_t start = 0, kstart = 0, kend = 0;
	bool in_string = false, is_key = false, want_key = false;
	int depth = 0;

	key[0] = '\0';
	for (size_t i = 0; i < pos; i++) {
		if (in_string) {
			if (s[i] == '\\') {
				i++;
			} else if (s[i] == '"') {
				in_string = false;
				if (is_key)
					kstart = start, kend = i + 1;
			}
			continue;
		}
		switch (s[i]) {
		case '"':
			in_string = true, start = i;
			is_key = want_key, want_key = false;
			break;
		case '{': want_key = ++depth == 1; break;
		case '[': depth++; break;
		case '}': case ']': depth--; break;
		case ',': want_key = depth == 1; break;
		}
	}
	if (kend && !(in_string && is_key))
		decode_key(s, kstart, kend, key, size);
}

static json_t *
refuse(struct json_fault *f, enum json_fault_kind kind, const json_error_t *e, const char *why)
{
	f->kind = kind;
	f->line = e ? e->line : 1;
	f->column = e ? e->column : 1;
	snprintf(f->why, sizeof f->why, "%s", why);
	return NULL;
}

json_t *
json_parse(const char *s, size_t len, struct json_fault *f)
{
	json_error_t e;
	json_t *v = json_loadb(s, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);

	if (v)
		return v;
	size_t pos = e.position > 0 && (size_t)e.position <= len ? (size_t)e.position : 0;
	key_at(s, pos, f->key, sizeof f->key);
	switch (json_error_code(&e)) {
	case json_error_invalid_utf8:
		/* jansson counts the characters it could read: the bad byte is the next. */
		e.column++;
		return refuse(f, JSON_FAULT_UTF8, &e, "not valid UTF-8");
	case json_error_duplicate_key:
		return refuse(f, JSON_FAULT_DUPLICATE, &e, "given twice");
	default:
		return refuse(f, JSON_FAULT_SYNTAX, &e, e.text);
	}
}

json_t *
json_parse_object(const char *s, size_t len, struct json_fault *f)
{
	json_t *v = json_parse(s, len, f);
	char why[64];

	if (v == NULL || json_is_object(v))
		return v;
	snprintf(why, sizeof why, "expected a JSON object, not %s", json_type_name(v));
	json_decref(v);
	f->key[0] = '\0';
	return refuse(f, JSON_FAULT_NOT_OBJECT, NULL, why);
}

/*
 * The slabs. jansson allocates each object, key and string of a line
 * apart, and frees each again with the line: malloc, free and the walk of
 * json_delete were an eighth of what the reading thread of a 1M batch
 * spent (perf). The pool of slabs is mapped once for the process and never
 * unmapped, so a pointer is known to be in it by its address alone, from
 * any thread; jansson's allocator becomes ours (slab_alloc, slab_free)
 * when the pool is first taken, and gives what is not in the pool to
 * malloc and free as before, so values made earlier are freed as they
 * were made.
 */
enum { SLAB_BYTES = 16384 };

struct json_slabs {
	char *base;
	size_t n;
};

static struct json_slabs pool;
static atomic_bool pool_taken;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static size_t pool_wanted;

/* The slab a thread parses into now, if any. */
struct slab_cursor {
	char *at, *end;
	bool spilled;		/* something did not fit: it went to malloc */
};
static _Thread_local struct slab_cursor *parsing;

static void *
slab_alloc(size_t n)
{
	struct slab_cursor *c = parsing;

	if (c) {
		size_t need = (n + 15) & ~(size_t)15;	/* malloc's alignment */
		if (need >= n && (size_t)(c->end - c->at) >= need) {
			void *p = c->at;
			c->at += need;
			return p;
		}
		c->spilled = true;
	}
	return malloc(n);
}

static void
slab_free(void *p)
{
	if ((char *)p >= pool.base && (char *)p < pool.base + pool.n * SLAB_BYTES)
		return;		/* the slab's next line takes it back */
	free(p);
}

static void
pool_map(void)
{
	void *base = mmap(NULL, pool_wanted * SLAB_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED)
		return;
	pool = (struct json_slabs){base, pool_wanted};
	json_set_alloc_funcs(slab_alloc, slab_free);
}

struct json_slabs *
json_slabs_take(size_t n)
{
	if (atomic_exchange(&pool_taken, true))
		return NULL;
	if (pool_wanted == 0)
		pool_wanted = n;
	pthread_once(&pool_once, pool_map);
	if (pool.base == NULL || pool.n < n) {
		atomic_store(&pool_taken, false);
		return NULL;
	}
	return &pool;
}

void
json_slabs_give_back(struct json_slabs *slabs)
{
	if (slabs == &pool)
		atomic_store(&pool_taken, false);
}

json_t *
json_parse_object_in(struct json_slabs *slabs, size_t i, const char *s, size_t len,
    struct json_fault *f, bool *in_slab)
{
	char *slab = slabs->base + i % slabs->n * SLAB_BYTES;
	struct slab_cursor c = {slab, slab + SLAB_BYTES, false};

	parsing = &c;
	json_t *v = json_parse_object(s, len, f);
	parsing = NULL;
	*in_slab = v && !c.spilled;
	return v;
}

const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "real";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

const char *
json_text(const json_t *v, bool *nul)
{
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	*nul = strlen(s) != json_string_length(v);
	return s;
}

/* Bytes a character starting with c takes, by its lead byte. */
static size_t
lead_length(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
}

json_t *
json_new_text(const char *s)
{
	size_t len = strlen(s);
	struct buf b = {0};
	json_t *v;

	/* Our own check of the text (eight bytes at a time where it is ASCII)
	 * spares jansson's, a call for each character: a listing in JSON
	 * makes a string of every field of every row. */
	if (utf8_valid(s, len) && (v = json_stringn_nocheck(s, len)) != NULL)
		return v;
	/* Only text that slipped past the checks (an old row, a hand edit) gets here. */
	for (size_t i = 0, n; s[i]; i += n) {
		n = lead_length((unsigned char)s[i]);
		if (strnlen(s + i, n) == n && utf8_valid(s + i, n)) {
			buf_add(&b, s + i, n);
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		}
	}
	v = json_string(b.data ? b.data : "");
	buf_free(&b);
	return v;
}

int
json_set_text(json_t *string, const char *s)
{
	size_t len = strlen(s);

	if (utf8_valid(s, len))
		return json_string_setn_nocheck(string, s, len);
	json_t *fixed = json_new_text(s);
	int rc = fixed ? json_string_setn_nocheck(string, json_string_value(fixed),
	    json_string_length(fixed)) : -1;
	json_decref(fixed);
	return rc;
}

int
json_set_text_unchecked(json_t *string, const char *s)
{
	size_t len = strlen(s);

	/* A listing's next row often has the same kind, state, channel or day:
	 * comparing is cheaper than jansson's copy of the text and its free. */
	if (json_string_length(string) == len && memcmp(json_string_value(string), s, len) == 0)
		return 0;
	return json_string_setn_nocheck(string, s, len);
}

/*
 * jansson's text, a token at a time, appended to a buf (util.h): most
 * tokens are a byte (a quote, a colon, a comma), for which a call to
 * memcpy was the dearer part, and the buf grows as needed, so a line
 * longer than the room left is not dumped twice.
 */
static int
append_token(const char *s, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n == 1)
		b->data[b->len] = *s;
	else
		memcpy(b->data + b->len, s, n);
	b->len += n;
	return 0;
}

int
json_append_line(struct buf *b, const json_t *v)
{
	size_t start = b->len;

	if (json_dump_callback(v, append_token, b, DUMP_FLAGS) != 0) {
		b->len = start;	/* what it wrote before it failed, dropped */
		if (b->data)
			b->data[start] = '\0';
		return -1;
	}
	buf_addc(b, '\n');
	return 0;
}

int
json_write_line(FILE *out, const json_t *v)
{
	/* Into memory, then one write: json_dumpf writes each token apart,
	 * which was most of the cost of a listing in JSON. */
	static _Thread_local struct { char *data; size_t cap; } line;
	size_t n = json_dumpb(v, line.data, line.cap, DUMP_FLAGS);

	if (n == 0)
		return -1;
	if (n + 1 > line.cap) {
		free(line.data);
		line.cap = n + 1 > 4096 ? 2 * (n + 1) : 4096;
		line.data = xmalloc(line.cap);
		if (json_dumpb(v, line.data, line.cap, DUMP_FLAGS) != n)
			return -1;
	}
	line.data[n] = '\n';
	return fwrite(line.data, 1, n + 1, out) == n + 1 ? 0 : -1;
}

char *
json_dump_text(const json_t *v)
{
	return json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);
}
