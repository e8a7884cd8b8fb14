/* feed.c — Atom (RFC 4287) through libxml2. */
#include <errno.h>
#include <error.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/tree.h>

#include "feed.h"
#include "util.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

struct feed {
	xmlDocPtr doc;
	xmlNsPtr ns;
	xmlNodePtr root;
};

static xmlNodePtr
add(struct feed *f, xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, f->ns, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static void
link_to(struct feed *f, xmlNodePtr parent, const char *rel, const char *href, const char *type)
{
	xmlNodePtr l = add(f, parent, "link", NULL);
	xmlSetProp(l, BAD_CAST "rel", BAD_CAST rel);
	xmlSetProp(l, BAD_CAST "href", BAD_CAST href);
	if (type)
		xmlSetProp(l, BAD_CAST "type", BAD_CAST type);
}

struct feed *
feed_new(const char *id, const char *title, const char *self, const char *page,
    const char *updated)
{
	struct feed *f = xcalloc(1, sizeof *f);

	f->doc = xmlNewDoc(BAD_CAST "1.0");
	f->root = xmlNewNode(NULL, BAD_CAST "feed");
	f->ns = xmlNewNs(f->root, BAD_CAST ATOM_NS, NULL);
	xmlSetNs(f->root, f->ns);
	xmlDocSetRootElement(f->doc, f->root);
	xmlNodeSetLang(f->root, BAD_CAST "fa");
	add(f, f->root, "id", id);
	xmlSetProp(add(f, f->root, "title", title), BAD_CAST "type", BAD_CAST "text");
	add(f, f->root, "updated", updated);
	link_to(f, f->root, "self", self, "application/atom+xml");
	link_to(f, f->root, "alternate", page, "text/html");
	add(f, f->root, "generator", "partake");
	return f;
}

void
feed_add(struct feed *f, const struct feed_entry *e)
{
	xmlNodePtr entry = add(f, f->root, "entry", NULL);

	add(f, entry, "id", e->id);
	xmlSetProp(add(f, entry, "title", e->title), BAD_CAST "type", BAD_CAST "text");
	add(f, entry, "updated", e->updated);
	if (e->published)
		add(f, entry, "published", e->published);
	/* Every entry has an author: the feed then needs none of its own. */
	add(f, add(f, entry, "author", NULL), "name", e->author);
	link_to(f, entry, "alternate", e->link, "text/html");
	if (e->summary)
		xmlSetProp(add(f, entry, "summary", e->summary), BAD_CAST "type", BAD_CAST "text");
}

void
feed_render(struct feed *f, char **data, size_t *n)
{
	xmlChar *mem = NULL;
	int size = 0;

	xmlDocDumpFormatMemoryEnc(f->doc, &mem, &size, "UTF-8", 1);
	if (mem == NULL)
		error(2, ENOMEM, "out of memory");
	*data = xstrndup((const char *)mem, (size_t)size);
	*n = (size_t)size;
	xmlFree(mem);
	xmlFreeDoc(f->doc);
	free(f);
}
