/*
 * kind.h — the closed vocabularies of a case: its kind, the channel it
 * came by, its state. Names are part of the contract (scripts use them).
 */
#ifndef PARTAKE_KIND_H
#define PARTAKE_KIND_H

#include <stdbool.h>

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

/* Answered, closed or rejected: the case has had its answer. */
bool state_is_settled(int state);
/* New, routed, in progress or before the committee: the deadline is running
 * (it stops while the case waits for the citizen). */
bool state_clock_runs(int state);

/* Index of a name in a vocabulary, or -1. */
int kind_parse(const char *name);
int channel_parse(const char *name);
int state_parse(const char *name);
const char *kind_name(int kind);
const char *channel_name(int channel);
const char *state_name(int state);
/* "complaint|suggestion|…" for messages and help. */
const char *kind_names(void);
const char *channel_names(void);
const char *state_names(void);

#endif
