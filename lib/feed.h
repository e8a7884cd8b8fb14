/*
 * feed.h — an Atom feed (RFC 4287) built through libxml2's tree API, so
 * every text is escaped by the library. Times are given as RFC 3339 texts
 * (caltime's cal_format_rfc3339), the one formatter of dates.
 */
#ifndef PARTAKE_FEED_H
#define PARTAKE_FEED_H

#include <stddef.h>

struct feed;

/* The feed's id (an IRI), title, its own address and the page it stands
 * for (relative references are allowed: RFC 4287 reads them against the
 * feed's address), and when it last changed. */
struct feed *feed_new(const char *id, const char *title, const char *self, const char *page,
    const char *updated);
struct feed_entry {
	const char *id, *title, *link, *updated, *published, *author, *summary;
};
void feed_add(struct feed *f, const struct feed_entry *e);
/* The feed as XML (UTF-8), in a new buffer; frees the feed. */
void feed_render(struct feed *f, char **data, size_t *n);

#endif
