/*
 * publish.h — the public pages citizens read, written into web_dir with the
 * one page writer (page.h): the drafts out for comment (an index, a page
 * per draft with its text by article, its window and comment counts, and
 * an Atom feed), and the service catalog. Each run stages every file and
 * renames them only once the database has committed what they show: a web
 * folder that cannot be written gets nothing, and the database is left as
 * it was.
 */
#ifndef PARTAKE_PUBLISH_H
#define PARTAKE_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"

/* What the pages are made from: share/partake/page.html, partake.css. */
#define PUBLISH_FRAME "page.html"
#define PUBLISH_STYLE "partake.css"

/* A change to the database that the pages show, run in the transaction
 * publish_run opens (0 or a store status). */
typedef int (*publish_job)(struct context *ctx, void *arg);

enum publish_what { PUBLISH_DRAFTS = 1, PUBLISH_SERVICES = 2 };

/*
 * In one transaction: job (NULL: none), then the pages of `what` staged
 * from what the database then holds; the transaction commits and the pages
 * are renamed into place, or (a page not written, the job failed) both are
 * undone. Without web_dir: an error when need_web, else the job alone.
 * *pages is how many files changed. 0; EXIT_FATAL with *why (a new string)
 * when the pages failed; else the job's or the store's status.
 */
int publish_run(struct context *ctx, publish_job job, void *arg, unsigned what, bool need_web,
    size_t *pages, char **why);

#endif
