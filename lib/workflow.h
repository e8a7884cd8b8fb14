/*
 * workflow.h — a case after intake: the one table of the moves between
 * its states, routing, the answer, extensions and escalation, each in one
 * transaction that checks the state it moves from, writes the event and
 * queues the citizen's notice.
 */
#ifndef PARTAKE_WORKFLOW_H
#define PARTAKE_WORKFLOW_H

#include <stdbool.h>

#include "case.h"

struct route_rules;

/*
 * Each function below acts on one case. 0 when done; EXIT_PARTIAL when the
 * case is not found or the move is not allowed (store_error() says why,
 * with the moves that are); EXIT_FATAL for bad input; else an exit status
 * from the store.
 */
int case_set_state(struct context *ctx, tcode code, int to, const char *note);
int case_route_to(struct context *ctx, tcode code, const char *unit);
/* *unit: the unit chosen, or NULL when no rule matched (EXIT_PARTIAL);
 * *rule_line: the line of the rule that chose it. */
int case_route_auto(struct context *ctx, tcode code, const struct route_rules *rules,
    char **unit, long *rule_line);
/* To the parent of the case's unit; records overdue notice `level` if > 0. */
int case_escalate(struct context *ctx, tcode code, int level);
/* 0 when text can be an answer to a citizen, else -1 with err. */
int case_check_answer(const char *text, struct field_error *err);
/* The answer to the citizen, its outcome and the actions (1 << ACTION_*). */
int case_answer(struct context *ctx, tcode code, const char *text, int outcome,
    unsigned actions);
/* The same for a comment on a draft, its disposition naming the version
 * and article (0: the version alone) it changed; version 0: none. */
int case_answer_draft(struct context *ctx, tcode code, const char *text, int outcome,
    unsigned actions, int version, int article);
/* Moves the due time n working days on; once per case unless force. */
int case_extend(struct context *ctx, tcode code, int days, const char *reason, bool force);
/* Records that the overdue notice of `level` went out (once per level). */
int case_mark_notified(struct context *ctx, tcode code, int level);

/* What a citizen's message about a case did (case_follow_up). */
enum follow_up { FOLLOW_UP_ADDED, FOLLOW_UP_KNOWN, FOLLOW_UP_REOPENED, FOLLOW_UP_HELD };
/*
 * A citizen's message about a case, whichever way it came (a reply by
 * mail, an SMS carrying the code): one "correspondence" event whose after
 * is the text (at most BODY_MAX characters; longer is cut) and whose note
 * names the channel and its source id, so that the same message taken in
 * again adds nothing (FOLLOW_UP_KNOWN). On a settled case the config's
 * followup_settled says what follows: reopen moves it back to
 * in-progress, where the table of moves allows (a rejection is final);
 * else (hold, or a rejected case) an event "follow-up-held" marks it for
 * an admin (FOLLOW_UP_HELD). One transaction; *did says what was done.
 */
int case_follow_up(struct context *ctx, tcode code, const char *channel, const char *source_id,
    const char *text, enum follow_up *did);

/* --- for the committee (review.c), which moves cases the same way --------- */

/* Runs fn on the loaded case in one transaction: all of it or none. */
typedef int (*case_action_fn)(struct context *ctx, struct case_row *c, void *arg);
int workflow_transaction(struct context *ctx, tcode code, case_action_fn fn, void *arg);
/* Refuses to act on the case: the message, prefixed with its code; EXIT_PARTIAL. */
int workflow_refuse(struct context *ctx, const struct case_row *c, const char *step,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Stores the answer (text may be NULL: keep the one there) and moves the
 * case to answered; `what` names the event (answer, decision). */
int workflow_answer(struct context *ctx, struct case_row *c, const char *text, int outcome,
    unsigned actions, const char *what);
/* The one place a case changes state (see workflow.c). */
int workflow_move(struct context *ctx, struct case_row *c, int to, const char *what,
    const char *note, const char *citizen_note);

#endif
