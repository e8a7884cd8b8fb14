/* page.c — HTML pages through libxml2, and their atomic writes (see page.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include "page.h"
#include "util.h"

static xmlNodePtr
find_element(xmlNodePtr n, const char *name, const char *id)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			if (name && xmlStrcasecmp(n->name, BAD_CAST name) == 0)
				return n;
			if (id) {
				xmlChar *v = xmlGetProp(n, BAD_CAST "id");
				bool match = v && xmlStrcmp(v, BAD_CAST id) == 0;
				xmlFree(v);
				if (match)
					return n;
			}
		}
		xmlNodePtr found = find_element(n->children, name, id);
		if (found)
			return found;
	}
	return NULL;
}

int
page_open(struct page *p, const char *frame_path, const char *title, char **why)
{
	memset(p, 0, sizeof p[0]);
	p->doc = htmlReadFile(frame_path, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	if (p->doc == NULL) {
		*why = xasprintf("%s: cannot read the page frame", frame_path);
		return -1;
	}
	xmlNodePtr root = xmlDocGetRootElement(p->doc);
	xmlNodePtr t = find_element(root, "title", NULL);
	p->content = find_element(root, NULL, "content");
	if (root == NULL || t == NULL || p->content == NULL) {
		*why = xasprintf("%s: the page frame needs a <title> and an element with "
		    "id=\"content\"", frame_path);
		page_close(p);
		return -1;
	}
	/* The pages are Persian, right to left, whatever the frame says. */
	xmlSetProp(root, BAD_CAST "lang", BAD_CAST "fa");
	xmlSetProp(root, BAD_CAST "dir", BAD_CAST "rtl");
	xmlNodeSetContent(t, NULL);
	xmlNodeAddContent(t, BAD_CAST title);	/* escaped: AddContent takes text */
	return 0;
}

void
page_close(struct page *p)
{
	if (p->doc)
		xmlFreeDoc(p->doc);
	memset(p, 0, sizeof p[0]);
}

xmlNodePtr
page_add(xmlNodePtr parent, const char *tag, const char *text)
{
	/* xmlNewTextChild escapes the text; xmlNewChild would take it as markup. */
	return xmlNewTextChild(parent, NULL, BAD_CAST tag, text ? BAD_CAST text : NULL);
}

xmlNodePtr
page_add_class(xmlNodePtr parent, const char *tag, const char *cls, const char *text)
{
	xmlNodePtr n = page_add(parent, tag, text);
	xmlSetProp(n, BAD_CAST "class", BAD_CAST cls);
	return n;
}

xmlNodePtr
page_link(xmlNodePtr parent, const char *href, const char *text)
{
	xmlNodePtr a = page_add(parent, "a", text);
	xmlSetProp(a, BAD_CAST "href", BAD_CAST href);
	return a;
}

void
page_text(xmlNodePtr parent, const char *text)
{
	xmlAddChild(parent, xmlNewText(BAD_CAST text));
}

void
page_attr(xmlNodePtr node, const char *name, const char *value)
{
	xmlSetProp(node, BAD_CAST name, BAD_CAST value);
}

xmlNodePtr
page_find(struct page *p, const char *tag)
{
	return find_element(xmlDocGetRootElement(p->doc), tag, NULL);
}

void
page_render(struct page *p, char **data, size_t *n)
{
	xmlChar *mem = NULL;
	int size = 0;

	htmlSetMetaEncoding(p->doc, BAD_CAST "UTF-8");
	htmlDocDumpMemoryFormat(p->doc, &mem, &size, 1);
	if (mem == NULL)
		error(2, ENOMEM, "out of memory");
	*data = xstrndup((const char *)mem, (size_t)size);
	*n = (size_t)size;
	xmlFree(mem);
}

/* A file of at most 1 MiB as a string; NULL when it cannot be read. */
static char *
read_small_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t got;

	if (f == NULL)
		return NULL;
	while (b.len < (1u << 20) && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	fclose(f);
	return b.data ? b.data : xstrdup("");
}

void
page_inline_style(struct page *p, const char *css_path)
{
	xmlNodePtr root = xmlDocGetRootElement(p->doc), head = NULL;

	for (xmlNodePtr n = root ? root->children : NULL; n && !head; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, BAD_CAST "head"))
			head = n;
	if (head == NULL)
		return;
	for (xmlNodePtr n = head->children, next; n; n = next) {
		next = n->next;
		if (n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, BAD_CAST "link")) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
	}
	char *css = read_small_file(css_path);
	page_add(head, "style", css ? css : "");
	free(css);
}

void
page_add_svg(xmlNodePtr parent, const char *svg, size_t n)
{
	xmlDocPtr doc = svg ? xmlReadMemory(svg, (int)n, "chart.svg", "UTF-8", XML_PARSE_NONET) : NULL;

	if (doc == NULL)
		return;
	xmlNodePtr copy = xmlDocCopyNode(xmlDocGetRootElement(doc), parent->doc, 1);
	xmlFreeDoc(doc);
	if (copy)
		xmlAddChild(parent, copy);
}

/* --- atomic writes -------------------------------------------------------- */

struct staged {
	char *tmp, *path;
};

struct page_set {
	struct staged *files;
	size_t n, cap;
};

struct page_set *
page_set_new(void)
{
	return xcalloc(1, sizeof(struct page_set));
}

size_t
page_set_count(const struct page_set *set)
{
	return set->n;
}

/* True when path holds exactly data. */
static bool
same_content(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "rb");
	bool same = false;

	if (f == NULL)
		return false;
	char *have = xmalloc(n + 1);
	size_t got = fread(have, 1, n + 1, f);
	same = got == n && memcmp(have, data, n) == 0;
	free(have);
	fclose(f);
	return same;
}

static int
write_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

int
page_set_add(struct page_set *set, const char *dir, const char *name, const char *data,
    size_t n, char **why)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *folder = xstrdup(path), *slash = strrchr(folder, '/');

	*slash = '\0';
	if (mkdir(folder, 0755) != 0 && errno != EEXIST) {
		*why = xasprintf("%s: %s", folder, strerror(errno));
		free(folder);
		free(path);
		return -1;
	}
	if (same_content(path, data, n)) {
		free(folder);
		free(path);
		return 0;
	}
	const char *base = strrchr(path, '/') + 1;
	char *tmp = xasprintf("%s/.%s.XXXXXX", folder, base);
	free(folder);
	int fd = mkstemp(tmp);
	if (fd < 0 || write_all(fd, data, n) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		*why = xasprintf("%s: %s", fd < 0 ? path : tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(path);
		return -1;
	}
	if (close(fd) != 0) {
		*why = xasprintf("%s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(path);
		return -1;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 16;
		set->files = xrealloc(set->files, set->cap * sizeof *set->files);
	}
	set->files[set->n++] = (struct staged){tmp, path};
	return 0;
}

static void
set_free(struct page_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->files[i].tmp);
		free(set->files[i].path);
	}
	free(set->files);
	free(set);
}

/* The folder's entry of a renamed file is on the disk too. */
static void
sync_folder(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int
page_set_commit(struct page_set *set, char **why)
{
	int rc = 0;

	for (size_t i = 0; i < set->n; i++) {
		if (rc == 0 && rename(set->files[i].tmp, set->files[i].path) != 0) {
			*why = xasprintf("%s: %s", set->files[i].path, strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(set->files[i].tmp);
		else
			sync_folder(set->files[i].path);
	}
	set_free(set);
	return rc;
}

void
page_set_abort(struct page_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		unlink(set->files[i].tmp);
	set_free(set);
}

int
page_write(const char *dir, const char *name, const char *data, size_t n, char **why)
{
	struct page_set *set = page_set_new();

	if (page_set_add(set, dir[0] ? dir : "/", name, data, n, why) != 0) {
		page_set_abort(set);
		return -1;
	}
	return page_set_commit(set, why);
}

int
page_write_path(const char *path, const char *data, size_t n, char **why)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	int rc = page_write(slash && slash == path ? "/" : dir, slash ? slash + 1 : path, data, n, why);

	free(dir);
	return rc;
}

void
page_add_chart(xmlNodePtr parent, const struct column *cols, int ncols,
    const struct fmt_options *opt, void (*rows)(struct printer *, const void *), const void *arg)
{
	char *svg = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&svg, &n);

	if (f == NULL)
		return;
	struct printer *pr = printer_open(f, FMT_SVG, cols, ncols, opt);
	rows(pr, arg);
	printer_close(pr);
	fclose(f);
	page_add_svg(page_add_class(parent, "div", "chart", NULL), svg, n);
	free(svg);
}
