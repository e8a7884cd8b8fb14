/*
 * open311.c — Open311 GeoReport v2 documents of cases and services. What
 * a field holds, and why some are empty, is OPEN311 in pcase-list(1).
 *
 * Every field the standard lists is written in every entry, in its order:
 * what partake does not know (a place, a photo) is an empty element in XML
 * and null in JSON, as the standard's own examples have them, so that a
 * reader finds every field where it looks.
 */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "code.h"
#include "json.h"
#include "open311.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

const char *const open311_request_fields[] = {
	"service_request_id", "status", "status_notes", "service_name", "service_code",
	"description", "agency_responsible", "service_notice", "requested_datetime",
	"updated_datetime", "expected_datetime", "address", "lat", "long", "media_url", NULL,
};
const char *const open311_service_fields[] = {
	"service_code", "service_name", "description", "metadata", "type", "keywords", "group",
	NULL,
};

/*
 * Each entry is built as a tree (a <request> under the document's root, or
 * a jansson object), serialized and freed before the next, so that a list
 * of any length takes the memory of one entry: to a FILE* the text goes
 * out entry by entry; for open311_text it is gathered.
 */
struct open311_doc {
	bool json;		/* else XML */
	FILE *out;		/* NULL: gathered in text */
	bool failed;		/* a write to out failed */
	struct buf text;	/* what is not written yet */
	const char *root_name, *entry_name;
	size_t entries;
	xmlDocPtr xml;		/* the document that entries are made in */
	xmlNodePtr entry;	/* the entry being filled */
	json_t *object;
};

static const char *const root_names[][2] = {
	[OPEN311_REQUESTS] = {"service_requests", "request"},
	[OPEN311_SERVICES] = {"services", "service"},
};

/* Hands what is gathered to out, when there is one. */
static void
flush(struct open311_doc *d)
{
	if (d->out == NULL)
		return;
	if (d->text.len && fwrite(d->text.data, 1, d->text.len, d->out) != d->text.len)
		d->failed = true;
	d->text.len = 0;
}

struct open311_doc *
open311_new(enum fmt_kind format, enum open311_list what, FILE *out)
{
	struct open311_doc *d = xcalloc(1, sizeof *d);

	d->json = format == FMT_OPEN311_JSON;
	d->out = out;
	d->root_name = root_names[what][0];
	d->entry_name = root_names[what][1];
	buf_adds(&d->text, "");
	if (d->json)
		return d;
	d->xml = xmlNewDoc(BAD_CAST "1.0");
	xmlDocSetRootElement(d->xml, xmlNewNode(NULL, BAD_CAST d->root_name));
	/* The declaration and the root's tags are the document's constants. */
	buf_addf(&d->text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s>\n", d->root_name);
	return d;
}

static void
begin_entry(struct open311_doc *d)
{
	if (d->json)
		d->object = json_object();
	else
		d->entry = xmlNewChild(xmlDocGetRootElement(d->xml), NULL, BAD_CAST d->entry_name,
		    NULL);
}

static void
end_entry(struct open311_doc *d)
{
	if (d->json) {
		char *dumped = json_dump_text(d->object);
		buf_adds(&d->text, d->entries ? "," : "[");
		if (dumped)
			buf_adds(&d->text, dumped);
		else
			d->failed = true;
		free(dumped);
		json_decref(d->object);
		d->object = NULL;
	} else {
		xmlBufferPtr b = xmlBufferCreate();
		xmlOutputBufferPtr o = xmlOutputBufferCreateBuffer(b, NULL);
		xmlNodeDumpOutput(o, d->xml, d->entry, 1, 1, "UTF-8");
		if (xmlOutputBufferClose(o) < 0)
			d->failed = true;
		buf_adds(&d->text, "  ");
		buf_add(&d->text, (const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b));
		buf_adds(&d->text, "\n");
		xmlBufferFree(b);
		xmlUnlinkNode(d->entry);
		xmlFreeNode(d->entry);
		d->entry = NULL;
	}
	d->entries++;
	flush(d);
}

/*
 * One field; NULL: none (empty, null). A text is made safe as the one rule
 * of text.h makes it for showing (text_for_terminal): a control character
 * or a bidi override that slipped past the checks at input becomes a
 * visible escape, never a character that XML forbids or that reorders the
 * reader's page; a malformed byte too. Then the library escapes it.
 */
static void
put_text(struct open311_doc *d, const char *field, const char *value)
{
	char *safe = value ? text_for_terminal(value, false) : NULL;

	if (d->json)
		json_object_set_new(d->object, field, safe ? json_new_text(safe) : json_null());
	else
		xmlNewTextChild(d->entry, NULL, BAD_CAST field, BAD_CAST safe);
	free(safe);
}

/* A time as the standard asks: ISO 8601 with its zone, here the configured one. */
static void
put_time(struct open311_doc *d, const char *field, bool has, time_t t)
{
	char buf[48];

	put_text(d, field, has ? cal_format_rfc3339_local(t, buf, sizeof buf) : NULL);
}

static void
put_bool(struct open311_doc *d, const char *field, bool v)
{
	if (d->json)
		json_object_set_new(d->object, field, json_boolean(v));
	else
		put_text(d, field, v ? "true" : "false");
}

/* The standard knows two statuses: a case is closed once it is settled
 * (answered, closed, rejected: vocab.h's STATES_SETTLED), open before. */
static const char *
status_of(const char *state)
{
	int s = vocab_parse(&state_vocab, state);

	return s >= 0 && (STATES_SETTLED >> s & 1) ? "closed" : "open";
}

/* What was done, as the public view names it: the outcome, then the
 * actions ("پذیرفته شد: اصلاح فرایند، پشتیبانی"); NULL before an answer. */
static char *
notice_of(const struct case_public *c)
{
	unsigned set = 0;

	if (c->outcome == NULL && c->action == NULL)
		return NULL;
	if (c->action) {
		char *copy = xstrdup(c->action);
		vocab_parse_set(&action_vocab, copy, &set);
		free(copy);
	}
	char *actions = vocab_set_persian(&action_vocab, set, "، ");	/* none: NULL */
	const char *outcome = c->outcome ? vocab_persian_of(&outcome_vocab, c->outcome) : NULL;
	if (outcome == NULL || actions == NULL)
		return outcome ? xstrdup(outcome) : actions;
	char *notice = xasprintf("%s: %s", outcome, actions);
	free(actions);
	return notice;
}

int
open311_put_request(struct context *ctx, const struct case_public *c, void *doc)
{
	struct open311_doc *d = doc;
	char code[24];

	(void)ctx;
	begin_entry(d);
	/* As the citizen reads it in the notices and the public view. */
	put_text(d, "service_request_id", code_format_grouped(c->code, code, sizeof code));
	put_text(d, "status", status_of(c->state));
	/* The answer while it stands, or the reason of a rejection: what the
	 * citizen was sent, and no internal note. */
	put_text(d, "status_notes", c->answer ? c->answer : c->reason);
	put_text(d, "service_name", c->service_name);
	put_text(d, "service_code", c->service_code);
	/* The citizen's own words are not public (pcase-list(1), OPEN311). */
	put_text(d, "description", NULL);
	put_text(d, "agency_responsible", c->unit_name);
	char *notice = notice_of(c);
	put_text(d, "service_notice", notice);
	free(notice);
	put_time(d, "requested_datetime", true, c->received);
	put_time(d, "updated_datetime", true, c->updated);
	put_time(d, "expected_datetime", c->has_due, c->due);
	/* No place and no public media: a case has no location, and its
	 * attachments are the citizen's. */
	put_text(d, "address", NULL);
	put_text(d, "lat", NULL);
	put_text(d, "long", NULL);
	put_text(d, "media_url", NULL);
	end_entry(d);
	return 0;
}

int
open311_put_service(const struct service_entry *e, void *doc)
{
	struct open311_doc *d = doc;

	begin_entry(d);
	put_text(d, "service_code", e->code);
	put_text(d, "service_name", e->name);
	/* The catalog's nearest to a description: the steps a citizen goes through. */
	put_text(d, "description", e->steps);
	put_bool(d, "metadata", false);	/* no attributes to ask for */
	put_text(d, "type", "realtime");	/* a case gets its code at once */
	put_text(d, "keywords", NULL);
	put_text(d, "group", e->unit_name);
	end_entry(d);
	return 0;
}

/* The end of the document into text. */
static void
finish(struct open311_doc *d)
{
	if (d->json)
		buf_adds(&d->text, d->entries ? "]\n" : "[]\n");
	else
		buf_addf(&d->text, "</%s>\n", d->root_name);
}

char *
open311_text(struct open311_doc *d, size_t *len)
{
	finish(d);
	char *text = d->failed ? NULL : d->text.data;

	*len = text ? d->text.len : 0;
	if (text)
		d->text = (struct buf){0};
	open311_free(d);
	return text;
}

int
open311_write(struct open311_doc *d)
{
	finish(d);
	flush(d);
	int rc = d->failed || (d->out && fflush(d->out) != 0) ? -1 : 0;

	open311_free(d);
	return rc;
}

void
open311_free(struct open311_doc *d)
{
	if (d == NULL)
		return;
	if (d->xml)
		xmlFreeDoc(d->xml);
	json_decref(d->object);
	buf_free(&d->text);
	free(d);
}
