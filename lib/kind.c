/* kind.c — the closed vocabularies of a case, named once. */
#include <string.h>

#include "kind.h"
#include "util.h"

static const char *const kinds[KIND_COUNT] = {
	"complaint", "suggestion", "violation", "request", "question",
	"feedback", "comment",
};
static const char *const channels[CHANNEL_COUNT] = {
	"portal", "email", "sms", "phone", "desk", "111", "samad", "other",
};
static const char *const states[STATE_COUNT] = {
	"new", "routed", "in-progress", "waiting", "committee", "answered",
	"closed", "rejected",
};

bool
state_is_settled(int s)
{
	return s == STATE_ANSWERED || s == STATE_CLOSED || s == STATE_REJECTED;
}

bool
state_clock_runs(int s)
{
	return s >= 0 && s < STATE_COUNT && !state_is_settled(s) && s != STATE_WAITING;
}

static int
lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static const char *
joined(const char *const *names, int n, char *out, size_t cap)
{
	if (out[0] == '\0')
		for (int i = 0; i < n; i++) {
			if (i > 0)
				strncat(out, "|", cap - strlen(out) - 1);
			strncat(out, names[i], cap - strlen(out) - 1);
		}
	return out;
}

int kind_parse(const char *name) { return lookup(kinds, KIND_COUNT, name); }
int channel_parse(const char *name) { return lookup(channels, CHANNEL_COUNT, name); }
int state_parse(const char *name) { return lookup(states, STATE_COUNT, name); }
const char *kind_name(int k) { return k >= 0 && k < KIND_COUNT ? kinds[k] : "?"; }
const char *channel_name(int c) { return c >= 0 && c < CHANNEL_COUNT ? channels[c] : "?"; }
const char *state_name(int s) { return s >= 0 && s < STATE_COUNT ? states[s] : "?"; }

const char *
kind_names(void)
{
	static char s[128];
	return joined(kinds, KIND_COUNT, s, sizeof s);
}

const char *
channel_names(void)
{
	static char s[128];
	return joined(channels, CHANNEL_COUNT, s, sizeof s);
}

const char *
state_names(void)
{
	static char s[128];
	return joined(states, STATE_COUNT, s, sizeof s);
}
