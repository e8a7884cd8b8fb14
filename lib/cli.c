/*
 * cli.c — the options and habits every command shares. The child parser
 * holds --db, --config, --format, -0 and -q; a command lists only its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <error.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "lines.h"
#include "cli.h"
#include "schema.h"
#include "text.h"
#include "util.h"

struct cli_options cli = {.format = FMT_AUTO};


static void
print_version(FILE *out, struct argp_state *state)
{
	bool beside;
	const char *share = config_share_dir(&beside);

	(void)state;
	fprintf(out, "%s (partake) %s\n", program_invocation_short_name, PARTAKE_VERSION);
	fprintf(out, "holidays and templates: %s (%s)\n", share,
	    beside ? "beside the command: not installed"
	    : access(share, F_OK) == 0 ? "installed" : "missing: make install puts them there");
}
void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;

enum { OPT_DB = 0x100, OPT_CONFIG };

static const struct argp_option options[] = {
	{"db", OPT_DB, "FILE", 0, "The database (default: PARTAKE_DB, the config's db, "
	    "$XDG_DATA_HOME/partake/partake.db)", 0},
	{"config", OPT_CONFIG, "FILE", 0, "The configuration file (default: PARTAKE_CONFIG, "
	    "$XDG_CONFIG_HOME/partake/partake.conf, /etc/partake.conf)", 0},
	{"format", 'f', "FORMAT", 0, "Output as table, tsv, json, csv (for programs), codes, record "
	    "or xlsx (a workbook, for a spreadsheet); where a listing has an Open311 form, "
	    "open311-xml or open311-json; svg where a chart is drawn; html where a report is a page", 0},
	{"null", '0', NULL, 0, "Tracking codes are NUL-separated, in and out", 0},
	{"quiet", 'q', NULL, 0, "No warnings or progress on standard error", 0},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	int f;

	switch (key) {
	case OPT_DB:
		cli.db = arg;
		break;
	case OPT_CONFIG:
		cli.config = arg;
		break;
	case 'f':
		if ((f = fmt_parse(arg)) < 0)
			argp_error(state, "--format: %s is not one of %s", text_quote(arg), fmt_names());
		/* As gzip refuses to: a zip archive would only garble the screen. */
		if (f == FMT_XLSX && isatty(STDOUT_FILENO))
			argp_error(state, "--format xlsx: a workbook is not written to a terminal; "
			    "redirect it to a file");
		if (f == FMT_HTML && !cli.has_html)
			argp_error(state, "--format html: this command writes no page (preport does)");
		if (f != FMT_HTML && fmt_is_document(f) && !cli.has_open311)
			argp_error(state, "--format %s: this output has no Open311 form (pcase-list "
			    "and pservice list have)", arg);
		if (f == FMT_SVG && !fmt_can_draw())
			argp_error(state, "--format svg: this command draws no chart "
			    "(psurvey-summary does)");
		cli.format = f;
		break;
	case '0':
		cli.null = true;
		break;
	case 'q':
		cli.quiet = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp cli_argp = {options, parse_opt, NULL, NULL, NULL, NULL, NULL};

static const struct argp_option acting_options[] = {
	{"verbose", 'v', NULL, 0, "With codes from standard input: a line for every one "
	    "that failed, not only the summary at the end", 0},
	{0},
};

static error_t
parse_acting_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	if (key != 'v')
		return ARGP_ERR_UNKNOWN;
	cli.verbose = true;
	return 0;
}

const struct argp cli_acting_argp = {acting_options, parse_acting_opt, NULL, NULL, NULL, NULL, NULL};

/* The options of a comment on a draft: they fill the case a command is taking in. */
struct case_input *cli_case_input;
bool cli_case_options;

enum { OPT_DRAFT = 0x300, OPT_ARTICLE, OPT_LATE };
static const struct argp_option comment_options[] = {
	{"draft", OPT_DRAFT, "CODE", 0, "With --kind comment: the draft it is on (D-1405-0007)", 0},
	{"article", OPT_ARTICLE, "N", 0, "With --draft: the article it is about (default: the whole "
	    "draft)", 0},
	{"late", OPT_LATE, NULL, 0, "With --draft: keep it though the window closed (shown as late, "
	    "never counted in the window)", 0},
	{0},
};

static error_t
parse_comment_opt(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case OPT_DRAFT: cli_case_input->draft = arg; break;
	case OPT_ARTICLE: cli_case_input->article = arg; break;
	case OPT_LATE: cli_case_input->late = true; break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	cli_case_options = true;
	return 0;
}

const struct argp cli_comment_argp = {comment_options, parse_comment_opt, NULL, NULL, NULL, NULL,
	NULL};

enum { OPT_ABOUT = 0x380 };
static const struct argp_option about_options[] = {
	{"about", OPT_ABOUT, "TEXT", 0, "What it is about: with --kind feedback, the news item "
	    "(its URL or title; preport feedback groups by it)", 0},
	{0},
};

static error_t
parse_about_opt(int key, char *arg, struct argp_state *state)
{
	(void)state;
	if (key != OPT_ABOUT)
		return ARGP_ERR_UNKNOWN;
	cli_case_input->about = arg;
	cli_case_options = true;
	return 0;
}

const struct argp cli_about_argp = {about_options, parse_about_opt, NULL, NULL, NULL, NULL, NULL};

static void
close_stdout(void)
{
	/* A reader that went away (a closed pipe) is not our failure. */
	bool failed = ferror(stdout) != 0;
	if ((fclose(stdout) != 0 || failed) && errno != EPIPE) {
		error(0, errno, "write error");
		_exit(EXIT_FATAL);
	}
}

void
cli_start(void)
{
	program_invocation_name = program_invocation_short_name;
	/* Regular expressions in routing rules match Persian letters, not bytes. */
	setlocale(LC_CTYPE, "C.UTF-8");
	atexit(close_stdout);
	const char *why;
	if (clock_check(&why) != 0)
		cli_die(EXIT_FATAL, "PARTAKE_NOW: %s: %s", text_quote(getenv("PARTAKE_NOW")), why);
	/* Who the history says did it: a name on one line, as every other. */
	const char *user = getenv("PARTAKE_USER");
	if (user && (why = text_check(user, NAME_MAX_CHARS, TEXT_LINE)) != NULL)
		cli_die(EXIT_FATAL, "PARTAKE_USER: %s", why);
}

char *
cli_read_text(const char *field, const char *from, size_t max)
{
	bool is_stdin = strcmp(from, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(from, "r");
	struct buf b = {0};
	char chunk[8192];
	size_t n;

	if (f == NULL)
		cli_die(EXIT_FATAL, "%s: %s: %s", field, from, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > max)
			cli_die(EXIT_FATAL, "%s: %s: longer than %zu bytes", field,
			    is_stdin ? "standard input" : from, max);
	}
	if (ferror(f))
		cli_die(EXIT_FATAL, "%s: %s: cannot read: %s", field, is_stdin ? "standard input" : from,
		    strerror(errno));
	if (!is_stdin)
		fclose(f);
	if (b.data && strlen(b.data) != b.len)
		cli_die(EXIT_FATAL, "%s: contains a NUL byte", field);
	return b.data ? b.data : xstrdup("");
}

/* Is word one of the space-separated words of list? */
static bool
one_of(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return n > 0;
	return false;
}

void
cli_check_catalog(struct argp_state *state, const char *verb, const char *verbs,
    const char *one_code, int ncodes, bool fields, const char *what)
{
	if (verb == NULL || !one_of(verb, verbs))
		argp_error(state, "which action? %s", verbs);
	bool changes = !strcmp(verb, "add") || !strcmp(verb, "update");
	if (fields && !changes)
		argp_error(state, "%s takes no %s fields", verb, what);
	if ((changes || one_of(verb, one_code)) && ncodes != 1)
		argp_error(state, "%s takes one %s code", verb, what);
	if ((!strcmp(verb, "list") || !strcmp(verb, "publish")) && ncodes)
		argp_error(state, "%s takes no codes", verb);
	if (!strcmp(verb, "update") && !fields)
		argp_error(state, "update: nothing to change");
}

int
cli_vocab(struct argp_state *state, const char *opt, const char *arg, const struct vocab *v)
{
	int i = vocab_parse(v, arg);

	if (i < 0)
		argp_error(state, "%s: unknown %s %s (one of %s)", opt, v->what, text_quote(arg),
		    vocab_list(v, ", "));
	return i;
}

void
cli_vocab_set(struct argp_state *state, const char *opt, char *arg, const struct vocab *v,
    unsigned *set)
{
	const char *bad = vocab_parse_set(v, arg, set);

	if (bad)
		argp_error(state, "%s: unknown %s %s (one of %s)", opt, v->what, text_quote(bad),
		    vocab_list(v, ", "));
}

long
cli_number(struct argp_state *state, const char *opt, const char *arg, long lo, long hi)
{
	long n = 0;

	if (text_parse_long(arg, lo, hi, &n) != 0)
		argp_error(state, "%s: %s is not a whole number from %ld to %ld", opt, text_quote(arg), lo, hi);
	return n;
}

enum { MESSAGE_MAX = 2000 };	/* bytes of one message; a longer one is cut */

/*
 * Every message goes out through here, as one line after "PROG: ": with
 * whatever input it carries escaped (text_for_terminal) and cut after
 * MESSAGE_MAX bytes, so that no input, quoted or not, can drive the
 * operator's terminal or flood it.
 */
static void
say(const char *prefix, const char *msg)
{
	char *shown = text_for_terminal(msg, true);
	size_t n = strlen(shown), cut = n;

	if (cut > MESSAGE_MAX)
		for (cut = MESSAGE_MAX; cut > 0 && (shown[cut] & 0xc0) == 0x80; cut--)
			;	/* not inside a character */
	fflush(stdout);
	fprintf(stderr, "%s: %s%.*s%s\n", program_invocation_short_name, prefix, (int)cut, shown,
	    cut < n ? "…" : "");
	free(shown);
}

static void
vsay(const char *prefix, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		error(EXIT_FATAL, 0, "out of memory");
	say(prefix, msg);
	free(msg);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (cli.quiet)
		return;
	va_start(ap, fmt);
	vsay("warning: ", fmt, ap);
	va_end(ap);
}

void
cli_complain_of(void *prefix, const char *what)
{
	cli_complain("%s: %s", (const char *)prefix, what);
}

void
cli_complain(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	exit(status);
}

static int
setup_failure(void)
{
	return cli.setup_failure ? cli.setup_failure : EXIT_FATAL;
}

const struct config *
cli_config(void)
{
	static struct config *cfg;
	char *why;

	if (cfg == NULL) {
		if ((cfg = config_load(cli.config, &why)) == NULL)
			cli_die(setup_failure(), "%s", why);
		if (cal_set_zone(cfg->timezone) != 0)
			cli_die(setup_failure(), "timezone: %s is not in the tz database", text_quote(cfg->timezone));
	}
	return cfg;
}

struct workcal *
cli_workcal(void)
{
	static struct workcal *wc;
	const struct config *cfg = cli_config();
	char *why;

	if (wc == NULL) {
		struct workcal_options opt = {
			.holidays_dir = cfg->holidays_dir, .closures = cfg->closures,
			.closure_max_days = cfg->closure_max_days,
			.weekend = cfg->weekend, .office_open = cfg->office_open,
			.office_close = cfg->office_close,
		};
		if ((wc = workcal_open(&opt, &why)) == NULL)
			cli_die(setup_failure(), "%s", why);
	}
	return wc;
}

static struct context ctx;
static int ctx_opened_at;

int cli_opened_at(void) { return ctx_opened_at; }


/* An open transaction at exit is rolled back; the WAL is checkpointed. */
static void
close_store(void)
{
	store_close(ctx.store);
	ctx.store = NULL;
}

static void
cli_note_wait(const char *what)
{
	cli_warn("%s", what);
}

struct context *
cli_open(enum store_access access)
{
	char *why, *path;

	if (ctx.store == NULL) {
		ctx.cfg = cli_config();
		ctx.wc = cli_workcal();
		ctx.now = clock_now();
		path = cli.db ? xstrdup(cli.db)
			      : store_default_path(ctx.cfg->db, access == STORE_CREATE);
		bool existed = access != STORE_CREATE || faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) == 0;
		int rc = schema_open(path, access, ctx.cfg, &ctx.store, &ctx_opened_at, &why);
		if (rc != 0)
			cli_die(rc == EXIT_FATAL ? setup_failure() : rc, "%s", why);
		if (isatty(STDERR_FILENO))	/* intake waiting out a batch says so */
			store_on_long_wait(ctx.store, cli_note_wait);
		/* A mistyped --db must not pass unseen as a new, empty database. */
		if (!existed && !cli.quiet && !cli.reports_creation)
			cli_complain("created the database %s", path);
		free(path);
		atexit(close_store);
	}
	return &ctx;
}

enum fmt_kind
cli_format(enum fmt_kind on_terminal, enum fmt_kind elsewhere)
{
	if (cli.format != FMT_AUTO)
		return cli.format;
	return isatty(STDOUT_FILENO) ? on_terminal : elsewhere;
}

struct printer *
cli_printer(enum fmt_kind kind, const struct column *cols, int ncols)
{
	if (kind == FMT_HTML)
		cli_die(EXIT_USAGE, "--format html: this output has no page");
	/* pservice show, whose command has the form for its list. */
	if (fmt_is_document(kind))
		cli_die(EXIT_USAGE, "--format %s: this output has no Open311 form (pcase-list and "
		    "pservice list have)", vocab_name(&format_vocab, kind - FMT_TABLE));
	struct fmt_options opt = {
		.null_separated = cli.null,
		.persian_digits = cli_config()->shown.persian_digits,
	};
	return printer_open(stdout, kind, cols, ncols, &opt);
}

struct printer *
cli_printer_cols(const struct column *(*columns)(int *ncols), enum fmt_kind on_terminal)
{
	int ncols;
	const struct column *cols = columns(&ncols);

	return cli_printer(cli_format(on_terminal, FMT_TSV), cols, ncols);
}

int
cli_printer_done(struct printer *p, int status)
{
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	return status;
}

static bool items_from_stdin;	/* the items of this run came from stdin */
static size_t items_done;	/* lines of stdin read, for the progress */

/*
 * What a command acting on many items says at the end: how many it acted
 * on, and how many failed for each reason, the commonest first.
 */
enum { TALLY_REASONS = 8 };
struct reason {
	char *why;
	long n;
};
static struct {
	const char *done;	/* "routed"; NULL: the command keeps no tally */
	long acted;
	struct reason reason[TALLY_REASONS + 1];	/* the last: every other reason */
	int nreasons;
} tally;

void
cli_acting(const char *done)
{
	tally.done = done;
}

static void
tally_failure(const char *why)
{
	int i;

	for (i = 0; i < tally.nreasons; i++)
		if (strcmp(tally.reason[i].why, why) == 0)
			break;
	if (i == tally.nreasons && tally.nreasons < TALLY_REASONS)
		tally.reason[tally.nreasons++].why = xstrdup(why);
	else if (i == tally.nreasons)
		i = TALLY_REASONS;
	tally.reason[i].n++;
}

/* One line per failed item: always for operands, which are few and typed;
 * from standard input only with -v, else a summary at the end. */
static bool
each_failure_shown(void)
{
	return tally.done == NULL || !items_from_stdin || cli.verbose;
}

/* "line 4: 1234-5678-9012: why: detail"; the summary counts by why alone. */
static void
item_failed(const char *where, const char *item, const char *why, const char *detail)
{
	if (tally.done)
		tally_failure(why);
	if (each_failure_shown())
		cli_complain("%s%s%s%s%s%s", where, item ? item : "", item ? ": " : "", why,
		    detail ? ": " : "", detail ? detail : "");
}

static int
by_count(const void *a, const void *b)
{
	long na = ((const struct reason *)a)->n, nb = ((const struct reason *)b)->n;

	return (nb > na) - (nb < na);
}

static void
print_tally(void)
{
	long failed = 0;

	if (tally.done == NULL || !items_from_stdin || cli.quiet)
		return;
	for (int i = 0; i <= TALLY_REASONS; i++)
		failed += tally.reason[i].n;
	qsort(tally.reason, (size_t)tally.nreasons, sizeof tally.reason[0], by_count);
	struct buf b = {0};
	buf_addf(&b, "%s %ld", tally.done, tally.acted);
	if (failed)
		buf_addf(&b, ", failed %ld (", failed);
	for (int i = 0; i <= TALLY_REASONS; i++)
		if (tally.reason[i].n)
			buf_addf(&b, "%s%s: %ld", i ? "; " : "", i < tally.nreasons ? tally.reason[i].why
			    : "other reasons", tally.reason[i].n);
	if (failed)
		buf_adds(&b, cli.verbose ? ")" : "; -v shows each)");
	say("", b.data);
	buf_free(&b);
}

/* Calls fn on each operand, or on each line of standard input (leading
 * blanks skipped, the first tab-separated field, -0: NUL-separated). */
typedef int (*item_fn)(const char *text, const char *where, void *arg);

static int
worse(int a, int b)
{
	/* Fatal and temporary failures outrank a partial one. */
	return a > b ? a : b;
}

const char *
cli_quote_input(const char *text, const char *where)
{
	static char excerpt[TEXT_EXCERPT_SIZE];

	return *where == '\0' ? text_quote(text) : text_excerpt(text, excerpt);
}

/* The first field of a line of our own output: TSV or CSV (a code, a unit's
 * code or a date has no comma), quoted or not, the first line maybe opened
 * by the byte-order mark a spreadsheet wants. */
static char *
first_field(char *line, bool first_line)
{
	static const char bom[] = "\xef\xbb\xbf";
	char *s = line;

	if (first_line && strncmp(s, bom, 3) == 0)
		s += 3;
	s += strspn(s, " \t");
	s[strcspn(s, "\t,\r\n")] = '\0';
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* The longest line of items read: a row of our own TSV or CSV, which may
 * carry a case's whole body and answer. */
enum { ITEM_LINE_MAX = 1 << 20 };

static int
each_item(int argc, char **argv, item_fn fn, void *arg)
{
	int status = EXIT_OK;

	items_from_stdin = argc == 0;
	if (argc > 0) {
		for (int i = 0; i < argc; i++)
			status = worse(status, fn(argv[i], "", arg));
		return status;
	}
	struct lines_options opt = {.max = ITEM_LINE_MAX, .nul_delimited = cli.null};
	struct lines *l = lines_open(stdin, "standard input", &opt);
	char *line, where[48];
	for (;;) {
		line = lines_next(l, NULL);
		if (line == NULL && !lines_refused(l))
			break;	/* the end, or a read error */
		/* By the million (pcal over a file): no snprintf. */
		char num[24];
		strcpy(stpcpy(stpcpy(where, "line "), decimal((long long)lines_number(l), 1, num)), ": ");
		/* A NUL byte (CODE\0garbage) or an over-long line: refused, never
		 * quoted, and the lines after it still read. */
		if (line == NULL) {
			item_failed(where, NULL, lines_why(l), NULL);
			status = worse(status, EXIT_PARTIAL);
			continue;
		}
		char *s = first_field(line, lines_number(l) == 1);
		if (*s == '\0')
			continue;
		/* The header of our own TSV or CSV: pcase-list -f tsv | pcase-status,
		 * pnotify --list | pnotify --retry. */
		if (lines_number(l) == 1 && (strcmp(s, "code") == 0 || strcmp(s, "item") == 0))
			continue;
		status = worse(status, fn(s, where, arg));
		if (++items_done % 1000 == 0 && tally.done && !cli.verbose)
			cli_progress(items_done, NULL);
	}
	if (lines_error(l)) {
		cli_complain("%s", lines_error(l));
		status = worse(status, EXIT_FATAL);
	}
	lines_close(l);
	return status;
}

/* The codes one run has acted on: a code given twice is acted on once. */
struct code_set {
	tcode *slot;	/* 0: empty (no code is 0) */
	size_t cap, n;
};

static bool
code_set_add(struct code_set *set, tcode code)
{
	if (2 * (set->n + 1) > set->cap) {
		struct code_set bigger = {xcalloc(set->cap ? 2 * set->cap : 64, sizeof(tcode)),
		    set->cap ? 2 * set->cap : 64, 0};
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i])
				code_set_add(&bigger, set->slot[i]);
		free(set->slot);
		*set = bigger;
	}
	size_t i = (size_t)((unsigned long long)code * 0x9e3779b97f4a7c15ull >> 20) % set->cap;
	while (set->slot[i]) {
		if (set->slot[i] == code)
			return false;
		i = (i + 1) % set->cap;
	}
	set->slot[i] = code;
	set->n++;
	return true;
}

struct code_walk {
	code_fn fn;
	void *arg;
	struct code_set seen;
};

static int
one_code(const char *text, const char *where, void *arg)
{
	struct code_walk *walk = arg;
	tcode code;
	const char *why;
	char buf[24];

	if (code_parse(text, &code, &why) != 0) {
		item_failed(where, NULL, why, cli_quote_input(text, where));
		return EXIT_PARTIAL;
	}
	if (!code_set_add(&walk->seen, code)) {
		item_failed(where, code_format_grouped(code, buf, sizeof buf), "given twice; acted on once",
		    NULL);
		return EXIT_PARTIAL;
	}
	return walk->fn(code, walk->arg);
}

int
cli_each_code(int argc, char **argv, code_fn fn, void *arg)
{
	struct code_walk walk = {fn, arg, {0}};
	int status = each_item(argc, argv, one_code, &walk);

	free(walk.seen.slot);
	return status;
}

int
cli_each_name(int argc, char **argv, name_fn fn, void *arg)
{
	return each_item(argc, argv, fn, arg);
}

struct printer *
cli_codes_printer(void)
{
	static const struct column cols[] = {{"code", COL_TEXT}};
	enum fmt_kind kind = cli_format(FMT_CODES, FMT_CODES);

	ctx.for_people = kind == FMT_TABLE || kind == FMT_RECORD ||
	    (kind == FMT_CODES && cli.format == FMT_AUTO && isatty(STDOUT_FILENO));
	return cli_printer(kind, cols, 1);
}

void
cli_put_codes_from(code_next_fn next, void *arg, const char *stored)
{
	struct printer *p = cli_codes_printer();
	size_t n = 0;
	tcode code;
	int got;

	while ((got = next(arg, &code)) > 0) {
		cli_put_code(p, code);
		n++;
	}
	if (got < 0)
		cli_die(EXIT_FATAL, "reading back the codes: %s: %s, but their codes were not all "
		    "printed", strerror(errno), stored);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error: %s, but %s not printed", stored,
		    n == 1 ? "its code was" : "their codes were");
}

struct code_array {
	const tcode *codes;
	size_t n, next;
};

static int
next_of_array(void *arg, tcode *code)
{
	struct code_array *a = arg;

	if (a->next == a->n)
		return 0;
	*code = a->codes[a->next++];
	return 1;
}

void
cli_put_codes(const tcode *codes, size_t n, const char *stored)
{
	struct code_array a = {codes, n, 0};

	cli_put_codes_from(next_of_array, &a, stored);
}

void
cli_put_code_cell(struct printer *p, tcode code)
{
	char buf[24];

	printer_text(p, ctx.for_people ? code_format_grouped(code, buf, sizeof buf)
				       : code_format(code, buf, sizeof buf));
}

void
cli_put_code(struct printer *p, tcode code)
{
	cli_put_code_cell(p, code);
	printer_row(p);
}

static bool
show_progress(void)
{
	return !cli.quiet && isatty(STDERR_FILENO);
}

static bool progress_shown;

void
cli_progress(size_t lines, void *arg)
{
	(void)arg;
	if (show_progress()) {
		fprintf(stderr, "\r%s: %zu lines", program_invocation_short_name, lines);
		progress_shown = true;
	}
}

void
cli_progress_end(void)
{
	if (progress_shown)
		fputc('\n', stderr);
	progress_shown = false;
}

/* The codes a command acted on, in the format asked for (-f), else bare. */
static struct printer *acted_printer;

static void
close_acted(void)
{
	printer_close(acted_printer);
	acted_printer = NULL;
}

static void
put_acted(const char *code)
{
	static const struct column cols[] = {{"code", COL_TEXT}};

	if (cli.format == FMT_AUTO || cli.format == FMT_CODES) {
		fputs(code, stdout);
		putchar(cli.null ? '\0' : '\n');
		return;
	}
	if (acted_printer == NULL) {
		acted_printer = cli_printer(cli.format, cols, 1);
		atexit(close_acted);	/* a table is printed whole, at the end */
	}
	printer_text(acted_printer, code);
	printer_row(acted_printer);
}

void
cli_print_code(tcode code)
{
	char buf[24];

	put_acted(code_format(code, buf, sizeof buf));
}

/* How the commands word the next steps lib/ names (see store_fail_step). */
static const struct {
	const char *step, *words;
} steps[] = {
	{"note", " (--note)"},
	{"force", " (--force to extend again)"},
	{"force-edit", " (--force, with a --reason)"},
	{"force-final", ": give each its disposition with pcase-answer, or --force with the reason"},
	{"action", " (--action)"},
	{"answer", " with pcase-answer"},
	{"route", " with pcase-route"},
	{"committee", " with pcase-review --open"},
	{"decide", " with pcase-review --decide"},
};

const char *
cli_error(void)
{
	static char *msg;
	const char *field = store_error_field(ctx.store), *step = store_error_step(ctx.store);
	const char *words = "";
	char option[64];

	free(msg);
	for (size_t i = 0; step && i < ARRAY_SIZE(steps); i++)
		if (strcmp(step, steps[i].step) == 0)
			words = steps[i].words;
	if (field == NULL) {
		msg = xasprintf("%s%s", store_error(ctx.store), words);
		return msg;
	}
	snprintf(option, sizeof option, "--%s", field);
	for (char *c = option; *c; c++)
		if (*c == '_')
			*c = '-';
	msg = xasprintf("%s: %s%s", option, store_error(ctx.store), words);
	return msg;
}

/* The store's error less the item it begins with ("1234-5678-9012: it is
 * with water already"), or NULL when it does not begin so. */
static const char *
error_after(const char *item)
{
	const char *msg = cli_error();
	size_t n = strlen(item);

	return strncmp(msg, item, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ? msg + n + 2 : NULL;
}

const char *
cli_error_of(tcode code)
{
	char grouped[24];
	const char *why = error_after(code_format_grouped(code, grouped, sizeof grouped));

	return why ? why : cli_error();
}

int
cli_refuse_item(const char *where, const char *text, const char *why)
{
	item_failed(where, NULL, why, cli_quote_input(text, where));
	return EXIT_PARTIAL;
}

static int
acted(int rc, const char *item)
{
	if (rc == EXIT_TEMPFAIL)
		cli_die(rc, "%s", cli_error());
	const char *why = error_after(item);
	if (why)
		item_failed("", item, why, NULL);
	else
		item_failed("", NULL, cli_error(), NULL);
	return rc;
}

int
cli_acted_code(int rc, tcode code)
{
	char grouped[24];

	if (rc != 0)
		return acted(rc, code_format_grouped(code, grouped, sizeof grouped));
	tally.acted++;
	cli_print_code(code);
	return 0;
}

int
cli_acted_name(int rc, const char *name)
{
	if (rc != 0)
		return acted(rc, name);
	tally.acted++;
	put_acted(name);
	return 0;
}

int
cli_finish(int status)
{
	cli_progress_end();
	print_tally();
	if (acted_printer && printer_close(acted_printer) != 0)
		cli_die(EXIT_FATAL, "write error: %s", strerror(errno));
	acted_printer = NULL;
	if (ctx.missing_year)
		cli_warn("no holiday file for %d; its deadlines count weekends only "
		    "(add %s/ir-%d.tsv)", ctx.missing_year, ctx.cfg->holidays_dir, ctx.missing_year);
	if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE)
		cli_die(EXIT_FATAL, "write error: %s", strerror(errno));
	return status;
}
