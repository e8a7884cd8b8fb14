/* vocab.c — the closed vocabularies, each named once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vocab.h"

#define VOCAB(var, label, ...) \
	static const char *const var##_names[] = {__VA_ARGS__}; \
	const struct vocab var = {label, var##_names, (int)ARRAY_SIZE(var##_names)}

VOCAB(format_vocab, "format", "table", "tsv", "json", "csv", "codes", "record",
    "xlsx", "open311-xml", "open311-json", "svg", "html");
VOCAB(field_vocab, "field", "kind", "channel", "service", "unit", "subject", "body", "name",
    "phone", "email", "national_id", "received", "anonymous", "attach", "source_id", "draft",
    "article", "late", "about");
VOCAB(kind_vocab, "kind", "complaint", "suggestion", "violation", "request", "question",
    "feedback", "comment");
VOCAB(channel_vocab, "channel", "portal", "email", "sms", "phone", "desk", "111", "samad", "other");
VOCAB(state_vocab, "state", "new", "routed", "in-progress", "waiting", "committee", "answered",
    "closed", "rejected");
VOCAB(outcome_vocab, "outcome", "accepted", "partial", "rejected", "noted", "info");
VOCAB(action_vocab, "action", "system", "process", "information", "support", "regulation");
VOCAB(opinion_vocab, "opinion", "approve", "reject", "abstain");
VOCAB(notice_vocab, "notice event", "received", "routed", "waiting", "answered", "closed",
    "reopened", "rejected");
VOCAB(record_vocab, "kind of record", "case", "unit", "service", "routes", "contact",
    "survey", "invitation", "response", "draft", "digest");
VOCAB(question_vocab, "kind of question", "scale", "yesno", "choice", "multi", "text");
VOCAB(outbox_vocab, "outbox state", "queued", "sending", "sent", "failed", "cancelled");
VOCAB(draft_state_vocab, "state of a draft", "pending", "open", "closed", "final");
VOCAB(origin_vocab, "origin", "internal", "higher");
VOCAB(attach_vocab, "kind of attachment", "file", "link", "not-copied");

/*
 * The Persian names of what citizens read, in the order of the names above:
 * notices and the public view show them, and the portal will. The moments a
 * citizen is told of (notice_vocab) are also the events of the public history.
 */
static const char *const kind_persian[] = {"شکایت", "پیشنهاد", "گزارش تخلف", "درخواست",
    "پرسش", "بازخورد", "نظر درباره پیش‌نویس"};
static const char *const state_persian[] = {"ثبت شده", "ارجاع شده", "در دست رسیدگی",
    "در انتظار توضیح شما", "در بررسی کمیته", "پاسخ داده شده", "بسته شده", "رد شده"};
static const char *const outcome_persian[] = {"پذیرفته شد", "بخشی از آن پذیرفته شد",
    "پذیرفته نشد", "ملاحظه شد", "راهنمایی شد"};
static const char *const action_persian[] = {"اصلاح سامانه", "اصلاح فرایند", "اطلاع‌رسانی",
    "پشتیبانی", "اصلاح مقررات"};
static const char *const notice_persian[] = {"ثبت شد", "ارجاع شد", "درخواست توضیح",
    "پاسخ داده شد", "بسته شد", "بازگشایی شد", "رد شد"};
static const char *const draft_state_persian[] = {"در انتظار انتشار", "در حال نظرخواهی",
    "نظرخواهی پایان یافته", "نهایی شده"};
static const char *const origin_persian[] = {"داخلی", "مرجع بالادستی"};
static const char *const channel_persian[] = {"درگاه", "رایانامه", "پیامک", "تلفن", "حضوری",
    "سامانه ۱۱۱", "سامد", "دیگر"};
static const struct {
	const struct vocab *v;
	const char *const *names;
} persian[] = {
	{&kind_vocab, kind_persian}, {&state_vocab, state_persian},
	{&outcome_vocab, outcome_persian}, {&action_vocab, action_persian},
	{&notice_vocab, notice_persian}, {&draft_state_vocab, draft_state_persian},
	{&origin_vocab, origin_persian}, {&channel_vocab, channel_persian},
};

/* The tables and their enums must agree: a name added to one alone is a bug. */
_Static_assert(ARRAY_SIZE(format_vocab_names) == FORMAT_COUNT, "formats");
_Static_assert(ARRAY_SIZE(field_vocab_names) == FIELD_COUNT, "intake fields");
_Static_assert(ARRAY_SIZE(kind_vocab_names) == KIND_COUNT, "kinds");
_Static_assert(ARRAY_SIZE(channel_vocab_names) == CHANNEL_COUNT, "channels");
_Static_assert(ARRAY_SIZE(state_vocab_names) == STATE_COUNT, "states");
_Static_assert(ARRAY_SIZE(outcome_vocab_names) == OUTCOME_COUNT, "outcomes");
_Static_assert(ARRAY_SIZE(action_vocab_names) == ACTION_COUNT, "actions");
_Static_assert(ARRAY_SIZE(opinion_vocab_names) == OPINION_COUNT, "opinions");
_Static_assert(ARRAY_SIZE(notice_vocab_names) == NOTICE_EVENT_COUNT, "notice events");
_Static_assert(ARRAY_SIZE(record_vocab_names) == RECORD_COUNT, "record kinds");
_Static_assert(ARRAY_SIZE(question_vocab_names) == QUESTION_COUNT, "kinds of question");
_Static_assert(ARRAY_SIZE(outbox_vocab_names) == OUTBOX_COUNT, "outbox states");
_Static_assert(ARRAY_SIZE(draft_state_vocab_names) == DRAFT_STATE_COUNT, "draft states");
_Static_assert(ARRAY_SIZE(draft_state_persian) == DRAFT_STATE_COUNT, "… draft state");
_Static_assert(ARRAY_SIZE(origin_vocab_names) == ORIGIN_COUNT, "origins");
_Static_assert(ARRAY_SIZE(attach_vocab_names) == ATTACH_KIND_COUNT, "kinds of attachment");
_Static_assert(ARRAY_SIZE(kind_persian) == KIND_COUNT, "a Persian name for every kind");
_Static_assert(ARRAY_SIZE(channel_persian) == CHANNEL_COUNT, "… and channel");
_Static_assert(ARRAY_SIZE(state_persian) == STATE_COUNT, "… state");
_Static_assert(ARRAY_SIZE(outcome_persian) == OUTCOME_COUNT, "… outcome");
_Static_assert(ARRAY_SIZE(action_persian) == ACTION_COUNT, "… action");
_Static_assert(ARRAY_SIZE(notice_persian) == NOTICE_EVENT_COUNT, "… notice event");

int
vocab_parse(const struct vocab *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return i;
	return -1;
}

const char *
vocab_name(const struct vocab *v, int i)
{
	return i >= 0 && i < v->n ? v->names[i] : "?";
}

/* The Persian names of a vocabulary; its English ones when it has none. */
static const char *const *
persian_names(const struct vocab *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(persian); i++)
		if (persian[i].v == v)
			return persian[i].names;
	return v->names;
}

const char *
vocab_persian(const struct vocab *v, int i)
{
	return i >= 0 && i < v->n ? persian_names(v)[i] : vocab_name(v, i);
}

const char *
vocab_persian_of(const struct vocab *v, const char *name)
{
	int i = name ? vocab_parse(v, name) : -1;

	return i < 0 ? name : vocab_persian(v, i);
}

static char *
set_names(const struct vocab *v, const char *const *names, unsigned set, const char *sep)
{
	struct buf b = {0};

	for (int i = 0; i < v->n; i++)
		if (set & (1u << i)) {
			if (b.len)
				buf_adds(&b, sep);
			buf_adds(&b, names[i]);
		}
	return b.data;
}

char *
vocab_set_names(const struct vocab *v, unsigned set, const char *sep)
{
	return set_names(v, v->names, set, sep);
}

char *
vocab_set_persian(const struct vocab *v, unsigned set, const char *sep)
{
	return set_names(v, persian_names(v), set, sep);
}

/* Lists made once and kept for the run: help, errors and SQL ask often. */
struct made {
	const struct vocab *v;
	const char *sep;
	unsigned set;
	bool sql;
	char *text;
};

static const char *
made_locked(const struct vocab *v, const char *sep, unsigned set, bool sql)
{
	static struct made cache[32];
	static size_t n;

	for (size_t i = 0; i < n; i++)
		if (cache[i].v == v && cache[i].set == set && cache[i].sql == sql &&
		    strcmp(cache[i].sep, sep) == 0)
			return cache[i].text;
	struct buf b = {0};
	if (sql) {
		buf_addc(&b, '(');
		for (int i = 0; i < v->n; i++)
			if (set & (1u << i))
				buf_addf(&b, "%s'%s'", b.len > 1 ? ", " : "", v->names[i]);
		buf_addc(&b, ')');
	} else {
		char *names = vocab_set_names(v, set, sep);
		buf_adds(&b, names ? names : "");
		free(names);
	}
	if (n == ARRAY_SIZE(cache))
		return b.data;	/* more lists than any command asks for: not kept */
	cache[n] = (struct made){v, sep, set, sql, b.data};
	return cache[n++].text;
}

/* The lists are made once, by whichever thread asks first (a batch checks
 * its lines on a thread of their own). */
static const char *
made(const struct vocab *v, const char *sep, unsigned set, bool sql)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&lock);
	const char *text = made_locked(v, sep, set, sql);
	pthread_mutex_unlock(&lock);
	return text;
}

const char *
vocab_list(const struct vocab *v, const char *sep)
{
	return made(v, sep, (1u << v->n) - 1, false);
}

const char *
vocab_sql_in(const struct vocab *v, unsigned set)
{
	return made(v, "", set, true);
}

const char *
vocab_parse_set(const struct vocab *v, char *list, unsigned *set)
{
	char *save = NULL;

	for (char *w = strtok_r(list, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		int i = vocab_parse(v, strip(w));
		if (i < 0)
			return w;
		*set |= 1u << i;
	}
	return NULL;
}

bool state_is_settled(int s) { return s >= 0 && s < STATE_COUNT && (STATES_SETTLED >> s & 1); }
bool state_clock_runs(int s) { return s >= 0 && s < STATE_COUNT && (STATES_CLOCK_RUNS >> s & 1); }

enum notice_event
state_move_notice(int from, int to)
{
	switch (to) {
	case STATE_ROUTED: return NOTICE_ROUTED;
	case STATE_WAITING: return NOTICE_WAITING;
	case STATE_ANSWERED: return NOTICE_ANSWERED;
	case STATE_CLOSED: return NOTICE_CLOSED;
	case STATE_REJECTED: return NOTICE_REJECTED;
	case STATE_IN_PROGRESS:
		if (from == STATE_ANSWERED || from == STATE_CLOSED)
			return NOTICE_REOPENED;
	}
	return NOTICE_EVENT_COUNT;
}
