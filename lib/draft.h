/*
 * draft.h — draft regulations put out for public comment: a draft and its
 * versions, the articles of each version (parsed from `ماده ۱` lines with
 * their `تبصره` notes, or `## ` headings) with an identity that lasts across
 * versions, the comment window (closing at 23:59:59 of its last day in the
 * agency's zone, kept as an instant), and the one table of the moves
 * between its states: pending, open, closed, final. Every change is an
 * event of the audit chain (RECORD_DRAFT).
 */
#ifndef PARTAKE_DRAFT_H
#define PARTAKE_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "context.h"
#include "fmt.h"

#define DRAFT_CODE_SIZE 16	/* "D-1405-0007" and its NUL, with room */
#define DRAFT_TITLE_MAX 300
#define DRAFT_TEXT_MAX 200000	/* characters */
#define DRAFT_WINDOW_MAX 365	/* days */
#define DRAFT_ARTICLES_MAX 2000

/* --- the text ------------------------------------------------------------- */

struct draft_article {
	int number;	/* the article's number (ماده ۳: 3; a "## " heading: its place) */
	char *heading;	/* the heading line as written */
	char *title;	/* what follows the number in it ("تعاریف"), maybe "" */
	char *body;	/* the lines under it, its notes (تبصره) among them */
};
struct draft_text {
	char *preamble;	/* what comes before the first article, maybe "" */
	struct draft_article *articles;
	size_t n;
};
/* Parses a text into articles. 0, or -1 with why (a text with no articles,
 * an article number twice, too many). */
int draft_parse(const char *text, struct draft_text *out, char *why, size_t whysize);
void draft_text_free(struct draft_text *t);

/* --- drafts --------------------------------------------------------------- */

struct draft_input {
	const char *title, *unit;
	int origin;		/* ORIGIN_* */
	long window;		/* days; 0: the origin's (window.internal, window.higher) */
	bool window_given;	/* window was given, and is checked as given */
	const char *publish_at;	/* a date or time as typed; NULL: at the next publish */
	const char *text;	/* NULL: none yet (given later with a revision) */
};
/* Registers a draft; its new code in code. 0, or an exit status with the
 * store's error naming the field. */
int draft_new(struct context *ctx, const struct draft_input *in, char code[DRAFT_CODE_SIZE]);
/* Adds a version with this text; *version its number. */
int draft_revise(struct context *ctx, const char *code, const char *text, int *version);

/* What a run of the cron jobs did with one draft: rc 0 when done, else
 * refused (store_error() says why) and left as it was. */
typedef void (*draft_fn)(const char *code, int rc, void *arg);
/* In the caller's transaction: opens every pending draft whose time has
 * come, closes every open one whose window has run out (queuing the unit's
 * summary mail). 0, or a store status. */
int draft_open_due(struct context *ctx, draft_fn fn, void *arg);
int draft_close_due(struct context *ctx, draft_fn fn, void *arg);
/* Moves the window's last day `days` on, with the reason (an event); a
 * closed window whose new end is still to come opens again. In the
 * caller's transaction. */
int draft_extend(struct context *ctx, const char *code, int days, const char *reason);
/* Marks the version approved (0: the latest). Refused while a comment has
 * no disposition, unless force_reason is given. */
int draft_final(struct context *ctx, const char *code, int version, const char *force_reason);

/* --- comments ------------------------------------------------------------- */

/* The draft and article a comment is about, as checked. */
struct draft_target {
	long long draft_id, article_id, unit_id;	/* article_id 0: the whole draft */
	bool late;
	char code[DRAFT_CODE_SIZE];
};
/*
 * May a comment be taken now on this draft (its code) and article (a
 * number as typed, NULL: the whole draft), late or not? 0 with t filled;
 * -1 with *field ("draft", "article", "late") and why: not open yet, the
 * window closed (saying when) and not --late, late given in the window,
 * final, no such article.
 */
int draft_check_comment(struct context *ctx, const char *code, const char *article, bool late,
    struct draft_target *t, const char **field, char *why, size_t whysize);
/* Records the comment (the case just stored) on its draft: an event of the
 * draft. In the caller's transaction. */
int draft_add_comment(struct context *ctx, const struct draft_target *t, long long case_id,
    const char *case_code);
/* The case is a comment on a draft (*draft_id set when not NULL). */
bool draft_is_comment(struct context *ctx, long long case_id, long long *draft_id);
/* The disposition of a comment changed article `article` of version `version`
 * of its draft: recorded, an event of the draft. In the caller's transaction. */
int draft_record_change(struct context *ctx, long long case_id, int version, int article);

/* --- what is shown -------------------------------------------------------- */

/* A draft's facts, for pages and reports. */
struct draft_facts {
	long long id;
	char code[DRAFT_CODE_SIZE];
	char *title, *unit, *unit_email;
	int state, origin, window_days;
	time_t publish_at, created, opened, closes, closed, changed;
	int versions, comment_version, final_version;
	char *final_note;
};
/* EXIT_PARTIAL when there is no such draft. */
int draft_load(struct context *ctx, const char *code, struct draft_facts *f);
void draft_facts_free(struct draft_facts *f);
/* The codes of the drafts, newest first: every one, or only those not
 * pending (what the public sees). A NULL-ended array of new strings. */
char **draft_codes(struct context *ctx, bool public_only);
void draft_codes_free(char **codes);
/* One article of a version, with its comments. */
struct draft_article_row {
	long long id;
	int ident, number, position;
	char *heading, *body, *matched;
	long comments, late;	/* in the window; late */
};
/* The articles of version `version` of the draft (0: the latest); *n set. */
struct draft_article_row *draft_articles(struct context *ctx, long long draft_id, int version,
    size_t *n);
void draft_articles_free(struct draft_article_row *a, size_t n);
/* The text of version `version` (0: the latest), a new string; NULL if none. */
char *draft_version_text(struct context *ctx, long long draft_id, int version);
/* The comments on the whole draft (no article): in the window and late. */
void draft_general_comments(struct context *ctx, long long draft_id, long *in_window, long *late);

/* pdraft-list's rows. */
const struct column *draft_columns(int *ncols);
int draft_list(struct context *ctx, struct printer *p, long *count);

#endif
