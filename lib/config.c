/*
 * config.c — reads the configuration file. Every key is known here with
 * its check; an unknown key or a bad value stops the run with the file and
 * the line, because a typo in a deadline must not pass silently.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caltime.h"
#include "config.h"
#include "contact.h"
#include "lines.h"
#include "text.h"
#include "util.h"
#include "workcal.h"

#ifndef SHAREDIR
#define SHAREDIR "/usr/local/share/partake"
#endif

static bool
is_share_dir(const char *dir)
{
	char *holidays = xasprintf("%s/holidays", dir);
	struct stat st;
	bool yes = stat(holidays, &st) == 0 && S_ISDIR(st.st_mode);

	free(holidays);
	return yes;
}

/* The built tree runs before `make install`: bin/CMD finds ../share/partake. */
static char *
share_dir_beside_binary(void)
{
	char *exe = realpath("/proc/self/exe", NULL), *slash, *dir = NULL;

	if (exe && (slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			dir = xasprintf("%s/share/partake", exe);
		}
	}
	free(exe);
	if (dir && !is_share_dir(dir)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

const char *
config_share_dir(bool *beside_binary)
{
	static char *dir;
	static bool beside;

	if (dir == NULL) {
		if (!is_share_dir(SHAREDIR) && (dir = share_dir_beside_binary()) != NULL)
			beside = true;
		else
			dir = xstrdup(SHAREDIR);
	}
	if (beside_binary)
		*beside_binary = beside;
	return dir;
}

/* A key's check stores the value or returns why it is bad. */
typedef const char *(*setter)(struct config *cfg, const char *key, const char *value);

static const char *
set_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
	return NULL;
}

#define STRING_SETTER(field) \
	static const char *set_##field(struct config *cfg, const char *k, const char *v) \
	{ (void)k; return set_string(&cfg->field, v); }
STRING_SETTER(db)
STRING_SETTER(attachments_dir)
STRING_SETTER(holidays_dir)
STRING_SETTER(closures)
STRING_SETTER(routes)
static const char *
set_templates_dir(struct config *cfg, const char *key, const char *value)
{
	(void)key;
	cfg->templates_dir_given = true;
	return set_string(&cfg->templates_dir, value);
}
STRING_SETTER(web_dir)
STRING_SETTER(smtp_user)
STRING_SETTER(smtp_password_file)
STRING_SETTER(sms_key_file)
STRING_SETTER(sms_sender)
STRING_SETTER(users)
STRING_SETTER(seal_key_file)
STRING_SETTER(seal_heads)
STRING_SETTER(seal_public_key)
STRING_SETTER(mail_hold_dir)
STRING_SETTER(portal_dir)
STRING_SETTER(portal_secret_file)

static const char *
set_url(char **slot, const char *value, const char *const *schemes)
{
	for (; *schemes; schemes++)
		if (strncmp(value, *schemes, strlen(*schemes)) == 0 &&
		    value[strlen(*schemes)] != '\0' && strpbrk(value, " \t") == NULL)
			return set_string(slot, value);
	return "not a URL of the expected kind";
}

static const char *const web_schemes[] = {"http://", "https://", NULL};
static const char *const smtp_schemes[] = {"smtp://", "smtps://", NULL};

static const char *set_site_url(struct config *c, const char *k, const char *v)
{ (void)k; return set_url(&c->site_url, v, web_schemes); }
static const char *set_survey_url(struct config *c, const char *k, const char *v)
{ (void)k; return set_url(&c->survey_url, v, web_schemes); }
static const char *set_survey_min_count(struct config *c, const char *k, const char *v)
{
	(void)k;
	long n;
	if (text_parse_long(v, 1, 100000, &n) != 0)
		return "expected a whole number of responses from 1 to 100000";
	c->survey_min_count = (int)n;
	return NULL;
}
static const char *set_sms_url(struct config *c, const char *k, const char *v)
{ (void)k; return set_url(&c->sms_url, v, web_schemes); }
static const char *set_smtp_url(struct config *c, const char *k, const char *v)
{ (void)k; return set_url(&c->smtp_url, v, smtp_schemes); }

static const char *
set_mail_from(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	const char *why = check_email(v);
	return why ? why : set_string(&cfg->mail_from, v);
}

static const char *
parse_calendar(const char *v, enum cal_system *cal)
{
	int c = cal_system_parse(v);

	if (c < 0)
		return "expected jalali or gregorian";
	*cal = (enum cal_system)c;
	return NULL;
}

static const char *
parse_digits(const char *v, bool *persian)
{
	if (strcmp(v, "latin") == 0)
		*persian = false;
	else if (strcmp(v, "persian") == 0)
		*persian = true;
	else
		return "expected latin or persian";
	return NULL;
}

static const char *set_calendar(struct config *c, const char *k, const char *v)
{ (void)k; return parse_calendar(v, &c->shown.cal); }
static const char *set_digits(struct config *c, const char *k, const char *v)
{ (void)k; return parse_digits(v, &c->shown.persian_digits); }
static const char *set_citizen_calendar(struct config *c, const char *k, const char *v)
{ (void)k; return parse_calendar(v, &c->citizen.cal); }
static const char *set_citizen_digits(struct config *c, const char *k, const char *v)
{ (void)k; return parse_digits(v, &c->citizen.persian_digits); }

static const char *
set_timezone(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	/* The zone is the one setting that acts at once: every later line may use it. */
	if (cal_set_zone(v) != 0)
		return "not a time zone of the tz database";
	return set_string(&cfg->timezone, v);
}

static const char *
set_weekend(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	const char *why;
	struct weekend_rule *rule = cal_weekend_parse(v, &why);

	if (rule == NULL)
		return why;
	cal_weekend_free(cfg->weekend);
	cfg->weekend = rule;
	return NULL;
}

/* "07:30" as seconds after midnight, or -1. */
static int
parse_clock(const char *s, const char **end)
{
	int h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h > 24 || m > 59 ||
	    (h == 24 && m != 0))
		return -1;
	*end = s + n;
	return h * 3600 + m * 60;
}

static const char *
set_office_hours(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	const char *p;
	int open = parse_clock(v, &p), close;

	if (open < 0 || *p != '-' || (close = parse_clock(p + 1, &p)) < 0 || *p)
		return "expected HH:MM-HH:MM";
	if (close <= open)
		return "office hours must close after they open";
	cfg->office_open = open;
	cfg->office_close = close;
	return NULL;
}

static const char *
parse_days(const char *v, int lo, int hi, int *out)
{
	static char why[64];
	long n;

	if (text_parse_long(v, lo, hi, &n) != 0) {
		snprintf(why, sizeof why, "expected a whole number of days from %d to %d", lo, hi);
		return why;
	}
	*out = (int)n;
	return NULL;
}

static const char *
set_deadline(struct config *cfg, const char *k, const char *v)
{
	int kind = vocab_parse(&kind_vocab, k + strlen("deadline."));

	if (kind < 0)
		return "unknown kind of case";
	return parse_days(v, 0, 365, &cfg->deadline[kind]);
}

static const char *set_closure_max_days(struct config *c, const char *k, const char *v)
{ (void)k; return parse_days(v, 1, 365, &c->closure_max_days); }
static const char *set_window_internal(struct config *c, const char *k, const char *v)
{ (void)k; return parse_days(v, 1, 365, &c->window_internal); }
static const char *set_window_higher(struct config *c, const char *k, const char *v)
{ (void)k; return parse_days(v, 1, 365, &c->window_higher); }

/* A size in bytes, or in KiB or MiB with a K or M after it ("10M"), up to limit. */
static const char *
parse_size(const char *v, long long limit, long long *out)
{
	static char why[96];
	size_t n = strlen(v);
	long unit = n && (v[n - 1] == 'K' || v[n - 1] == 'k') ? 1L << 10
	    : n && (v[n - 1] == 'M' || v[n - 1] == 'm') ? 1L << 20 : 1;
	char *digits = xstrndup(v, unit > 1 ? n - 1 : n);
	long number;
	int rc = text_parse_long(strip(digits), 1, (long)(limit / unit), &number);

	free(digits);
	if (rc != 0) {
		snprintf(why, sizeof why, "expected a size from 1 byte to %dM (bytes, or with K or M)",
		    (int)(limit >> 20));
		return why;
	}
	*out = (long long)number * unit;
	return NULL;
}

static const char *set_attachment_max_bytes(struct config *c, const char *k, const char *v)
{ (void)k; return parse_size(v, ATTACH_MAX_BYTES_LIMIT, &c->attachment_max_bytes); }
static const char *set_mail_max_bytes(struct config *c, const char *k, const char *v)
{ (void)k; return parse_size(v, MAIL_MAX_BYTES_LIMIT, &c->mail_max_bytes); }

static const char *
set_mail_replies_per_day(struct config *cfg, const char *k, const char *v)
{
	long n;

	(void)k;
	if (text_parse_long(v, 0, 1000, &n) != 0)
		return "expected a number from 0 to 1000";
	cfg->mail_replies_per_day = (int)n;
	return NULL;
}

static const char *set_portal_body_max(struct config *c, const char *k, const char *v)
{ (void)k; return parse_size(v, PORTAL_BODY_MAX_LIMIT, &c->portal_body_max); }

static const char *
set_per_hour(int *slot, const char *v)
{
	long n;

	if (text_parse_long(v, 1, 100000, &n) != 0)
		return "expected a number from 1 to 100000";
	*slot = (int)n;
	return NULL;
}
static const char *set_portal_submits_per_hour(struct config *c, const char *k, const char *v)
{ (void)k; return set_per_hour(&c->portal_submits_per_hour, v); }
static const char *set_portal_lookups_per_hour(struct config *c, const char *k, const char *v)
{ (void)k; return set_per_hour(&c->portal_lookups_per_hour, v); }

static const char *
set_followup_settled(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	if (strcmp(v, "reopen") == 0)
		cfg->followup_settled = FOLLOWUP_SETTLED_REOPEN;
	else if (strcmp(v, "hold") == 0)
		cfg->followup_settled = FOLLOWUP_SETTLED_HOLD;
	else
		return "expected reopen or hold";
	return NULL;
}

static const char *
set_notify(struct config *cfg, const char *k, const char *v)
{
	(void)k;
	static char why[160];
	char *copy = xstrdup(v);
	unsigned set = 0;
	bool bad = strcmp(v, "none") != 0 && vocab_parse_set(&notice_vocab, copy, &set) != NULL;

	free(copy);
	if (bad) {
		snprintf(why, sizeof why, "expected none, or a list of %s",
		    vocab_list(&notice_vocab, ", "));
		return why;
	}
	cfg->notify = set;
	return NULL;
}

static const struct {
	const char *key;
	setter set;
} keys[] = {
	{"templates_dir", set_templates_dir}, {"notify", set_notify},
	{"db", set_db}, {"attachments_dir", set_attachments_dir},
	{"attachment_max_bytes", set_attachment_max_bytes}, {"calendar", set_calendar}, {"digits", set_digits},
	{"citizen_calendar", set_citizen_calendar}, {"citizen_digits", set_citizen_digits},
	{"timezone", set_timezone}, {"weekend", set_weekend},
	{"office_hours", set_office_hours}, {"holidays_dir", set_holidays_dir},
	{"closures", set_closures}, {"closure_max_days", set_closure_max_days},
	{"deadline.*", set_deadline},
	{"window.internal", set_window_internal},
	{"window.higher", set_window_higher}, {"routes", set_routes},
	{"web_dir", set_web_dir}, {"site_url", set_site_url},
	{"survey_url", set_survey_url}, {"survey_min_count", set_survey_min_count},
	{"mail_from", set_mail_from}, {"smtp_url", set_smtp_url},
	{"smtp_user", set_smtp_user},
	{"smtp_password_file", set_smtp_password_file},
	{"sms_url", set_sms_url}, {"sms_key_file", set_sms_key_file},
	{"sms_sender", set_sms_sender},
	{"mail_hold_dir", set_mail_hold_dir}, {"mail_max_bytes", set_mail_max_bytes},
	{"mail_replies_per_day", set_mail_replies_per_day},
	{"followup_settled", set_followup_settled},
	{"users", set_users}, {"seal_key_file", set_seal_key_file},
	{"seal_heads", set_seal_heads}, {"seal_public_key", set_seal_public_key},
	{"portal_dir", set_portal_dir}, {"portal_secret_file", set_portal_secret_file},
	{"portal_body_max", set_portal_body_max},
	{"portal_submits_per_hour", set_portal_submits_per_hour},
	{"portal_lookups_per_hour", set_portal_lookups_per_hour},
};

static setter
find_setter(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t n = strlen(keys[i].key);
		if (keys[i].key[n - 1] == '*' ? strncmp(key, keys[i].key, n - 1) == 0
					       : strcmp(key, keys[i].key) == 0)
			return keys[i].set;
	}
	return NULL;
}

static struct config *
config_defaults(void)
{
	struct config *cfg = xcalloc(1, sizeof *cfg);

	cfg->shown = (struct cal_style){.cal = CAL_JALALI, .persian_digits = false};
	/* An Iranian agency writes to its citizens in Persian, on the Solar Hijri calendar. */
	cfg->citizen = (struct cal_style){.cal = CAL_JALALI, .persian_digits = true};
	cfg->timezone = xstrdup("Asia/Tehran");
	cfg->office_open = 7 * 3600 + 30 * 60;
	cfg->office_close = 14 * 3600 + 30 * 60;
	cfg->holidays_dir = xasprintf("%s/holidays", config_share_dir(NULL));
	cfg->templates_dir = xasprintf("%s/templates", config_share_dir(NULL));
	cfg->notify = NOTICE_ALL;
	/* Feedback and comments on drafts ask for no answer of their own. */
	for (int k = 0; k < KIND_COUNT; k++)
		cfg->deadline[k] = k == KIND_FEEDBACK || k == KIND_COMMENT ? 0 : 10;
	cfg->closure_max_days = CLOSURE_MAX_DAYS;
	cfg->attachment_max_bytes = ATTACH_MAX_BYTES_DEFAULT;
	cfg->mail_max_bytes = MAIL_MAX_BYTES_DEFAULT;
	cfg->mail_replies_per_day = 3;
	cfg->portal_body_max = PORTAL_BODY_MAX_DEFAULT;
	cfg->portal_submits_per_hour = 10;
	cfg->portal_lookups_per_hour = 60;
	cfg->window_internal = 14;
	cfg->window_higher = 30;
	cfg->survey_min_count = 5;
	cfg->sms_url = xstrdup("https://api.kavenegar.com");
	return cfg;
}

/* The file to read: NULL when none is found and defaults apply. */
static char *
config_path(const char *given, bool *must_exist)
{
	const char *env = getenv("PARTAKE_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path;

	*must_exist = true;
	if (given)
		return xstrdup(given);
	if (env && *env)
		return xstrdup(env);
	*must_exist = false;
	if (xdg && *xdg)
		path = xasprintf("%s/partake/partake.conf", xdg);
	else if (home && *home)
		path = xasprintf("%s/.config/partake/partake.conf", home);
	else
		path = NULL;
	if (path && access(path, F_OK) == 0)
		return path;
	free(path);
	return access("/etc/partake.conf", F_OK) == 0 ? xstrdup("/etc/partake.conf") : NULL;
}

static char *
read_config_file(struct config *cfg, struct lines *l)
{
	char *line, *why = NULL;

	while (why == NULL && (line = lines_next(l, NULL)) != NULL) {
		char *s = strip(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			why = xasprintf("%s:%zu: expected key = value", cfg->path, lines_number(l));
			break;
		}
		*eq = '\0';
		char *key = strip(s), *value = strip(eq + 1);
		setter set = find_setter(key);
		const char *bad;
		if (set == NULL)
			why = xasprintf("%s:%zu: %s: unknown key", cfg->path, lines_number(l), key);
		else if (*value == '\0')
			why = xasprintf("%s:%zu: %s: empty value", cfg->path, lines_number(l), key);
		else if ((bad = set(cfg, key, value)) != NULL)
			why = xasprintf("%s:%zu: %s: %s", cfg->path, lines_number(l), key, bad);
	}
	if (why == NULL && lines_error(l))
		why = xstrdup(lines_error(l));
	return why;
}

/*
 * Holidays and templates ship side by side in share/partake: a config that
 * moves the one and says nothing of the other finds both in the same place.
 */
static void
templates_beside_holidays(struct config *cfg)
{
	char *slash, *shipped_holidays = xasprintf("%s/holidays", config_share_dir(NULL));
	bool moved_holidays_only = !cfg->templates_dir_given &&
	    strcmp(cfg->holidays_dir, shipped_holidays) != 0;

	free(shipped_holidays);
	if (!moved_holidays_only || (slash = strrchr(cfg->holidays_dir, '/')) == NULL)
		return;
	free(cfg->templates_dir);
	cfg->templates_dir = xasprintf("%.*s/templates", (int)(slash - cfg->holidays_dir),
	    cfg->holidays_dir);
}

struct config *
config_load(const char *given, char **why)
{
	struct config *cfg = config_defaults();
	bool must_exist;
	struct lines *l;

	*why = NULL;
	cfg->path = config_path(given, &must_exist);
	if (cfg->path == NULL)
		return cfg;
	struct lines_options opt = {.utf8 = true};
	if ((l = lines_open_path(cfg->path, &opt, why)) == NULL) {
		if (errno == ENOENT && !must_exist) {
			free(*why);
			*why = NULL;
			return cfg;
		}
		config_free(cfg);
		return NULL;
	}
	*why = read_config_file(cfg, l);
	lines_close(l);
	if (*why == NULL)
		templates_beside_holidays(cfg);
	if (*why) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	char **strings[] = {
		&cfg->path, &cfg->db, &cfg->attachments_dir, &cfg->timezone, &cfg->holidays_dir,
		&cfg->closures, &cfg->routes, &cfg->templates_dir, &cfg->web_dir, &cfg->site_url,
		&cfg->survey_url,
		&cfg->mail_from, &cfg->smtp_url, &cfg->smtp_user,
		&cfg->smtp_password_file, &cfg->sms_url, &cfg->sms_key_file,
		&cfg->sms_sender, &cfg->users, &cfg->seal_key_file, &cfg->seal_heads,
		&cfg->seal_public_key, &cfg->mail_hold_dir, &cfg->portal_dir, &cfg->portal_secret_file,
	};
	for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
		free(*strings[i]);
	cal_weekend_free(cfg->weekend);
	free(cfg);
}

char *
config_secret(const char *env, const char *file, char **why)
{
	const char *value = getenv(env);
	struct lines_options opt = {.max = 4096, .utf8 = true};
	struct lines *l;
	char *line, *secret = NULL;

	*why = NULL;
	if (value && *value)
		return xstrdup(value);
	if (file == NULL)
		return NULL;
	if ((l = lines_open_path(file, &opt, why)) == NULL)
		return NULL;
	if ((line = lines_next(l, NULL)) != NULL)
		secret = xstrdup(strip(line));
	else if (lines_error(l))
		*why = xstrdup(lines_error(l));
	else
		*why = xasprintf("%s: empty", file);
	lines_close(l);
	return secret;
}
