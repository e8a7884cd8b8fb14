/*
 * page.h — the public pages (HTML) partake writes, built as documents
 * with libxml2's tree API so that every text is escaped by the library,
 * never by hand: a page frame (an HTML file the agency edits, with a
 * <title> and an element with id="content") is read, filled and
 * serialized. And the one way those pages, the feed and the stylesheet
 * reach the web folder: written aside, flushed to the disk and renamed
 * into place, all of a run's files staged before any is renamed, so a web
 * server never serves half a page and a folder that cannot be written gets
 * nothing.
 */
#ifndef PARTAKE_PAGE_H
#define PARTAKE_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "fmt.h"

struct page {
	xmlDocPtr doc;
	xmlNodePtr content;	/* where the page's own content goes */
};

/* Reads the frame and gives the page its title (html lang="fa" dir="rtl"
 * whatever the frame says). 0, or -1 with *why (a new string). */
int page_open(struct page *p, const char *frame_path, const char *title, char **why);
void page_close(struct page *p);
/* A new element under parent, with text (NULL: none) escaped by libxml2. */
xmlNodePtr page_add(xmlNodePtr parent, const char *tag, const char *text);
/* The same with a class. */
xmlNodePtr page_add_class(xmlNodePtr parent, const char *tag, const char *cls, const char *text);
/* A link: <a href=…>text</a>. */
xmlNodePtr page_link(xmlNodePtr parent, const char *href, const char *text);
/* Text after what parent holds. */
void page_text(xmlNodePtr parent, const char *text);
void page_attr(xmlNodePtr node, const char *name, const char *value);
/* The first element named tag (<head>, <h1>) of the page, or NULL. */
xmlNodePtr page_find(struct page *p, const char *tag);
/* The stylesheet at css_path inside the page's head instead of the frame's
 * links, so that the page stands alone (a mail, a file handed on). */
void page_inline_style(struct page *p, const char *css_path);
/* An SVG document (a chart of fmt-svg.c) put inside parent; nothing when it
 * does not parse. */
void page_add_svg(xmlNodePtr parent, const char *svg, size_t n);
/* A chart drawn by the printer's SVG backend (fmt-svg.c) from the rows
 * rows(printer, arg) prints, in a <div class="chart"> under parent. */
void page_add_chart(xmlNodePtr parent, const struct column *cols, int ncols,
    const struct fmt_options *opt, void (*rows)(struct printer *, const void *), const void *arg);
/* The page as HTML (UTF-8): a new buffer in *data. */
void page_render(struct page *p, char **data, size_t *n);

/*
 * Files of one run: each staged (written beside its place under a hidden
 * name, flushed), then all renamed into place by page_set_commit, or all
 * removed by page_set_abort. A file whose content is already there is not
 * staged: a run that changes nothing writes nothing.
 */
struct page_set;
struct page_set *page_set_new(void);
/* dir/name (name may hold one folder, made if missing). 0, or -1 with *why. */
int page_set_add(struct page_set *set, const char *dir, const char *name, const char *data,
    size_t n, char **why);
/* How many files are staged (would change). */
size_t page_set_count(const struct page_set *set);
/* Renames every staged file into place; 0, or -1 with *why. Frees the set. */
int page_set_commit(struct page_set *set, char **why);
/* Removes every staged file; frees the set. */
void page_set_abort(struct page_set *set);
/* One file alone, dir/name ("": the root), staged and renamed; 0, or -1 with *why. */
int page_write(const char *dir, const char *name, const char *data, size_t n, char **why);
/* The same for a path ("b.html": in the working folder). */
int page_write_path(const char *path, const char *data, size_t n, char **why);

#endif
