/*
 * survey.h — satisfaction surveys: a survey and its versions of questions,
 * invitations tied to a case by a token, and responses with their answers.
 * A version that has a response never changes: a change of questions
 * makes the next version, and results are kept (and summed, surveysum.h)
 * by version. Every change is an event of the audit chain (survey,
 * invitation, response). The default survey `service` (information,
 * timeliness, responsiveness, overall on 1-5, and a free comment) is made
 * the first time it is asked for.
 */
#ifndef PARTAKE_SURVEY_H
#define PARTAKE_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "case.h"
#include "code.h"
#include "context.h"
#include "fmt.h"

#define SURVEY_DEFAULT "service"
#define SURVEY_CODE_MAX 32	/* characters of a survey's code and a question's name */
#define SURVEY_TEXT_MAX 500	/* of a title, a question, an option */
#define SURVEY_OPTIONS_MAX 20	/* options of a choice */
#define SURVEY_QUESTIONS_MAX 50
#define SURVEY_ANSWER_MAX 4000	/* characters of a free-text answer */
#define SURVEY_SCALE_POINTS 5

struct survey_question {
	char *name;		/* a word: information, overall, … */
	int kind;		/* enum question_kind */
	bool required;
	char *text;		/* what the citizen reads */
	char *options[SURVEY_OPTIONS_MAX];	/* choice and multi: the labels */
	int noptions;
};

/*
 * A question as an option gives it: NAME:KIND:TEXT, KIND one of scale,
 * yesno, choice=A|B|…, multi=A|B|…, text, with a '?' after it when the
 * question may be left out ("comment:text?:…"). 0, or -1 with err.
 */
int survey_question_parse(const char *spec, struct survey_question *q, struct field_error *err);
/* Questions from a file of TSV lines with a header: name, kind, required
 * (yes or no), text, options ('|' between). 0, or -1 with err naming "LINE: field". */
int survey_questions_read(const char *path, struct survey_question **qs, size_t *n,
    struct field_error *err);
void survey_questions_free(struct survey_question *qs, size_t n);

/*
 * Defines survey `code` with these questions: the first version, or the
 * current one changed in place while it has no response, or (it has one)
 * the next version. Questions the same as the current version's change
 * nothing (*changed false). *version is the version that holds them.
 */
int survey_define(struct context *ctx, const char *code, const char *title,
    const struct survey_question *qs, size_t n, int *version, bool *changed,
    struct field_error *err);
/* The survey's current version, made first for the default survey;
 * EXIT_PARTIAL when there is no such survey. */
int survey_current(struct context *ctx, const char *code, long long *survey_id,
    long long *version_id, int *version);

/*
 * Queues the invitation to survey `code` for the case: a token for the
 * case, an SMS (its phone) or else a mail, from templates_dir/survey.txt.
 * A case that gets none (anonymous, no contact, opted out, invited
 * before, an invitation of another survey still open) is no failure:
 * *skipped says why, and nothing is written. EXIT_PARTIAL: no such case.
 * *token (NULL allowed) is the token sent, to free.
 */
int survey_invite(struct context *ctx, const char *code, tcode c, char **token,
    const char **skipped);
/* The questions of a survey's current version (version 0) or of one, as rows. */
const struct column *survey_question_columns(int *ncols);
int survey_show(struct context *ctx, const char *code, int version, struct printer *p);

/* One response as given: every field text (NULL: not given); answers by question name. */
struct survey_answer_input {
	const char *question;
	const char *value;	/* multi: choices joined by '|' */
};
struct survey_response_input {
	const char *survey, *version, *case_code, *token;
	const char *service, *unit, *channel, *at, *constructive;
	struct survey_answer_input answers[SURVEY_QUESTIONS_MAX];
	int nanswers;
};
/* Records one response in the caller's transaction or its own; the error names the field. */
int survey_record(struct context *ctx, const struct survey_response_input *in,
    long long *response_id, struct field_error *err);

/*
 * The questions the invitation of this token asks (its survey's version),
 * for a form: *title the survey's title (a new string), *qs and *n (to
 * survey_questions_free); *answered when it was answered before.
 * EXIT_PARTIAL when no invitation has this token.
 */
int survey_invitation(struct context *ctx, const char *token, char **title,
    struct survey_question **qs, size_t *n, bool *answered);

enum survey_batch_format { SURVEY_JSON, SURVEY_TSV };
struct survey_batch_result {
	size_t lines, stored, bad_line;
	struct field_error err;
};
/* Every line of in, one response each, in one transaction: all or none. */
int survey_record_batch(struct context *ctx, FILE *in, enum survey_batch_format fmt,
    void (*progress)(size_t lines, void *arg), void *arg, struct survey_batch_result *res);

/* The Solar Hijri month (YYYYMM) of an instant's local day. */
int survey_month_of(time_t t);

#endif
