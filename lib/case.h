/*
 * case.h — cases: what a citizen brought (a complaint, a suggestion, a
 * violation report, …), checked field by field before anything is stored,
 * and found again by tracking code or by a filter.
 */
#ifndef PARTAKE_CASE_H
#define PARTAKE_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "caltime.h"
#include "workcal.h"
#include "code.h"
#include "config.h"
#include "db.h"
#include "fmt.h"
#include "kind.h"

/* Limits, in characters; checked at intake. */
#define SUBJECT_MAX 200
#define BODY_MAX 20000
#define NAME_MAX_CHARS 100
#define ATTACH_MAX 20
#define PATH_MAX_BYTES 4096

/* What the commands share with the case functions. */
struct case_context {
	struct store *store;
	const struct config *cfg;
	struct workcal *wc;
	time_t now;
	int missing_year;	/* a year the deadlines crossed without holiday data */
	bool for_people;	/* codes in groups of four, words rather than numbers */
	bool no_notice;		/* queue no notice to citizens (back-filled imports) */
};

/* A case as given (options, a JSON line, a TSV row): text, unchecked. */
struct case_input {
	const char *kind, *channel, *service, *unit, *subject, *body;
	const char *name, *phone, *email, *national_id, *received;
	bool anonymous;
	const char *attach[ATTACH_MAX];
	size_t nattach;
};

/* A case that passed every check, ready to store. */
struct case_record {
	int kind, channel;
	long long service_id, unit_id;	/* 0: none */
	const char *subject, *body, *name, *email;
	char phone[16], national_id[16];
	bool anonymous;
	time_t received, due;		/* due 0: no deadline */
	bool backfilled;		/* received was given, not now */
	const char *const *attach;
	size_t nattach;
};

/* Which field was bad and why, for "line N: FIELD: WHY". */
struct field_error {
	const char *field;
	char why[256];
};

/* Fills err (the field and why) and returns -1, for the checks of input. */
int field_fail(struct field_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 0 when the input is a good case (rec filled), else -1 with err. */
int case_check(struct case_context *ctx, const struct case_input *in,
    struct case_record *rec, struct field_error *err);
/* Stores a checked case inside the caller's transaction, with its first
 * event; *code is its new tracking code. 0 or an exit status. */
int case_insert(struct case_context *ctx, const struct case_record *rec, tcode *code);

/* --- reading ---------------------------------------------------------------- */

struct case_filter {
	int kind, state, channel;		/* -1: any */
	const char *service, *unit;		/* codes; NULL: any */
	bool unrouted;
	int unnotified;				/* overdue notice level not yet recorded; 0: not asked */
	time_t since, until;			/* received in [since, until); 0: open */
	const char *query;			/* full-text, NULL: none */
	bool overdue;
	long due_within;			/* working days; -1: not asked */
	time_t due_before;			/* 0: not asked */
	const char *sort;			/* received, due, code, kind, state; '-' first: descending */
	long limit;				/* 0: all */
};
void case_filter_init(struct case_filter *f);
/* Checks the sort key; NULL when good, else why. */
const char *case_sort_check(const char *sort);

enum case_view_detail { VIEW_SHORT, VIEW_LONG, VIEW_PUBLIC };

/* The columns a listing or a status prints, for printer_open(). */
const struct column *case_columns(enum case_view_detail detail, int *ncols);

/* Prints every matching case as one row through p; *count set. */
int case_list(struct case_context *ctx, const struct case_filter *f,
    enum case_view_detail detail, struct printer *p, long *count);
/* Prints one case as one row (with its history as a last, JSON column when
 * with_events); EXIT_PARTIAL when the code is not found. */
int case_show(struct case_context *ctx, tcode code, enum case_view_detail detail,
    struct printer *p, bool with_events);
/* The columns of a case's history, and its events as rows. */
const struct column *event_columns(enum case_view_detail detail, int *ncols);
int case_history(struct case_context *ctx, tcode code, enum case_view_detail detail,
    struct printer *p);
/* The history as one JSON array, for the JSON form of a status. */
char *case_history_json(struct case_context *ctx, tcode code, enum case_view_detail detail);


/* --- the workflow ---------------------------------------------------------- */

enum case_outcome { OUTCOME_ACCEPTED, OUTCOME_PARTIAL, OUTCOME_REJECTED, OUTCOME_NOTED,
	OUTCOME_INFO, OUTCOME_COUNT };
int outcome_parse(const char *name);
const char *outcome_names(void);
/* The actions taken on an answer, as a bit set of ACTION_*. */
enum case_action { ACTION_SYSTEM, ACTION_PROCESS, ACTION_INFORMATION, ACTION_SUPPORT,
	ACTION_REGULATION, ACTION_COUNT };
int action_parse(const char *name);
const char *action_names(void);
/* Adds the actions of a comma list to *set; NULL, or the word not known. */
const char *action_list_parse(char *list, unsigned *set);

/* True when the one table of moves allows from -> to. */
bool case_move_allowed(int from, int to);

/*
 * Each function below acts on one case in one transaction that checks the
 * state it moves from, writes the event, and queues the citizen's notice.
 * 0 when done; EXIT_PARTIAL when the case is not found or the move is not
 * allowed (store_error() says why, with the moves that are); else an exit
 * status from the store.
 */
int case_set_state(struct case_context *ctx, tcode code, int to, const char *note);
int case_route_to(struct case_context *ctx, tcode code, const char *unit);
struct route_rules;
/* *unit: the unit chosen, or NULL when no rule matched (EXIT_PARTIAL). */
int case_route_auto(struct case_context *ctx, tcode code, const struct route_rules *rules,
    char **unit);
/* To the parent of the case's unit; records overdue notice `level` if > 0. */
int case_escalate(struct case_context *ctx, tcode code, int level);
int case_answer(struct case_context *ctx, tcode code, const char *text, int outcome,
    unsigned actions);
/* Moves the due time n working days on; once per case unless force. */
int case_extend(struct case_context *ctx, tcode code, int days, const char *reason, bool force);
/* Records that the overdue notice of `level` went out (once per level). */
int case_mark_notified(struct case_context *ctx, tcode code, int level);

/* Committee review of suggestions. */
enum opinion { OPINION_APPROVE, OPINION_REJECT, OPINION_ABSTAIN, OPINION_COUNT };
int opinion_parse(const char *name);
int review_open(struct case_context *ctx, tcode code, const char *note);
int review_opinion(struct case_context *ctx, tcode code, const char *member, int opinion,
    const char *note);
/* The members' opinions as rows (member, opinion, note, at) and the tally. */
int review_summary(struct case_context *ctx, tcode code, struct printer *p, int tally[OPINION_COUNT]);
int review_decide(struct case_context *ctx, tcode code, bool accepted, unsigned actions,
    const char *note);

#endif
