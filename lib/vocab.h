/*
 * vocab.h — every closed vocabulary of partake as one table each: the
 * kinds of case, channels, states, outcomes, actions, opinions, notice
 * events and kinds of record. Names are part of the contract (scripts,
 * config files and stored rows use them); the parsers, the lists shown in
 * help and errors, and the SQL IN lists are all made from these tables.
 * What citizens read (kinds, states, outcomes, actions, the moments of a
 * case) has Persian names too, in the order of the English ones.
 */
#ifndef PARTAKE_VOCAB_H
#define PARTAKE_VOCAB_H

#include <stdbool.h>

struct vocab {
	const char *what;		/* "kind", for messages */
	const char *const *names;
	int n;
};

enum case_kind {
	KIND_COMPLAINT, KIND_SUGGESTION, KIND_VIOLATION, KIND_REQUEST,
	KIND_QUESTION, KIND_FEEDBACK, KIND_COMMENT, KIND_COUNT
};
enum case_channel {
	CHANNEL_PORTAL, CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_PHONE, CHANNEL_DESK,
	CHANNEL_111, CHANNEL_SAMAD, CHANNEL_OTHER, CHANNEL_COUNT
};
enum case_state {
	STATE_NEW, STATE_ROUTED, STATE_IN_PROGRESS, STATE_WAITING,
	STATE_COMMITTEE, STATE_ANSWERED, STATE_CLOSED, STATE_REJECTED,
	STATE_COUNT
};
enum case_outcome {
	OUTCOME_ACCEPTED, OUTCOME_PARTIAL, OUTCOME_REJECTED, OUTCOME_NOTED,
	OUTCOME_INFO, OUTCOME_COUNT
};
/* The actions an answer led to, kept as a bit set of 1 << ACTION_*. */
enum case_action {
	ACTION_SYSTEM, ACTION_PROCESS, ACTION_INFORMATION, ACTION_SUPPORT,
	ACTION_REGULATION, ACTION_COUNT
};
enum opinion { OPINION_APPROVE, OPINION_REJECT, OPINION_ABSTAIN, OPINION_COUNT };
/* The moments a citizen may be told of (config key notify). */
enum notice_event {
	NOTICE_RECEIVED, NOTICE_ROUTED, NOTICE_WAITING, NOTICE_ANSWERED,
	NOTICE_CLOSED, NOTICE_REOPENED, NOTICE_REJECTED, NOTICE_EVENT_COUNT
};
#define NOTICE_ALL ((1u << NOTICE_EVENT_COUNT) - 1)
/* The kinds of record the audit chain names as an event's subject. */
/* (routes: a routing rules file, named by its path, recorded as it takes
 * effect; contact: an address that asked for no more messages) */
enum record_kind {
	RECORD_CASE, RECORD_UNIT, RECORD_SERVICE, RECORD_ROUTES, RECORD_CONTACT,
	RECORD_SURVEY, RECORD_INVITATION, RECORD_RESPONSE, RECORD_DRAFT, RECORD_DIGEST, RECORD_COUNT
};
/* A draft regulation's life (draft.c has the table of its moves), and where it came from. */
enum draft_state { DRAFT_PENDING, DRAFT_OPEN, DRAFT_CLOSED, DRAFT_FINAL, DRAFT_STATE_COUNT };
enum draft_origin { ORIGIN_INTERNAL, ORIGIN_HIGHER, ORIGIN_COUNT };
/* An outbox item's life: queued, claimed by one sender, then one of the last three. */
enum outbox_state {
	OUTBOX_QUEUED, OUTBOX_SENDING, OUTBOX_SENT, OUTBOX_FAILED, OUTBOX_CANCELLED, OUTBOX_COUNT
};

/* The output formats of --format, in the order of enum fmt_kind after FMT_AUTO. */
enum { FORMAT_COUNT = 11 };
/* The fields of a case as a batch gives them (JSON keys, TSV columns). */
enum intake_field {
	FIELD_KIND, FIELD_CHANNEL, FIELD_SERVICE, FIELD_UNIT, FIELD_SUBJECT, FIELD_BODY,
	FIELD_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_NATIONAL_ID, FIELD_RECEIVED,
	FIELD_ANONYMOUS, FIELD_ATTACH, FIELD_SOURCE_ID, FIELD_DRAFT, FIELD_ARTICLE, FIELD_LATE,
	FIELD_ABOUT, FIELD_COUNT
};
/* What an attachment is: a copy in the attachment store, a link that is
 * kept and not fetched, or (moved from schema 5) a file that could not be
 * copied, of which only the record is left. */
enum attach_kind { ATTACH_FILE, ATTACH_LINK, ATTACH_NOT_COPIED, ATTACH_KIND_COUNT };

/* The kinds of a survey's question: a 1-5 scale, yes or no, one choice of a
 * list, several choices of a list, free text. */
enum question_kind { QUESTION_SCALE, QUESTION_YESNO, QUESTION_CHOICE, QUESTION_MULTI,
	QUESTION_TEXT, QUESTION_COUNT };

extern const struct vocab question_vocab;
extern const struct vocab format_vocab, field_vocab, outbox_vocab, attach_vocab;
extern const struct vocab draft_state_vocab, origin_vocab;
extern const struct vocab kind_vocab, channel_vocab, state_vocab, outcome_vocab,
    action_vocab, opinion_vocab, notice_vocab, record_vocab;

/* The index of a name, or -1. */
int vocab_parse(const struct vocab *v, const char *name);
/* The name of an index; "?" out of range. */
const char *vocab_name(const struct vocab *v, int i);
/* The Persian name of an index, for citizens; the English one where there is none. */
const char *vocab_persian(const struct vocab *v, int i);
/* The Persian name of an English one (as stored); the name itself when it is not known. */
const char *vocab_persian_of(const struct vocab *v, const char *name);
/* The names joined by sep ("complaint|suggestion|…"), made once per vocabulary and separator. */
const char *vocab_list(const struct vocab *v, const char *sep);
/* The names of a bit set joined by sep; NULL for the empty set. A new string. */
char *vocab_set_names(const struct vocab *v, unsigned set, const char *sep);
/* The same in Persian. */
char *vocab_set_persian(const struct vocab *v, unsigned set, const char *sep);
/* Adds the names of a list (split at commas and blanks) to *set; NULL, or the word not known
 * (pointing into list, which is cut into words). */
const char *vocab_parse_set(const struct vocab *v, char *list, unsigned *set);
/* "('answered', 'closed', 'rejected')" for a bit set, for a SQL IN list;
 * made once per set. The names are ours, never the user's. */
const char *vocab_sql_in(const struct vocab *v, unsigned set);

/* The groups of states the rules speak of. */
#define STATES_SETTLED ((1u << STATE_ANSWERED) | (1u << STATE_CLOSED) | (1u << STATE_REJECTED))
/* The deadline runs: not settled, and not waiting for the citizen. */
#define STATES_CLOCK_RUNS (((1u << STATE_COUNT) - 1) & ~STATES_SETTLED & ~(1u << STATE_WAITING))
bool state_is_settled(int state);
bool state_clock_runs(int state);
/* What a move from one state to another tells the citizen of (the notice
 * it queues, the moment of the public history); NOTICE_EVENT_COUNT: nothing. */
enum notice_event state_move_notice(int from, int to);

#endif
