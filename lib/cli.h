/*
 * cli.h — what every command shares: the common options (one argp child),
 * the configuration, the store, the output printer, reading tracking codes
 * from operands or standard input, and the closing of standard output.
 */
#ifndef PARTAKE_CLI_H
#define PARTAKE_CLI_H

#include <argp.h>
#include <stdbool.h>

#include "code.h"
#include "config.h"
#include "context.h"
#include "exitcode.h"
#include "fmt.h"
#include "text.h"
#include "vocab.h"

struct cli_options {
	const char *db;		/* --db */
	const char *config;	/* --config */
	enum fmt_kind format;	/* --format; FMT_AUTO when not given */
	bool null;		/* -0: codes end with NUL, in and out */
	bool quiet;		/* -q: no warnings or progress */
	bool verbose;		/* -v: every failed item, not only the summary */
	bool reports_creation;	/* the command says itself that it made the database */
	/* The status when the config, the calendar or the database cannot be
	 * opened: EXIT_FATAL, unless the command's caller should try again
	 * (a mail server keeps the mail while the admin mends the config). */
	int setup_failure;
	/* Set before parsing by a command with an Open311 form (FMT_OPEN311_*:
	 * pcase-list, pservice): any other refuses those formats at once,
	 * before it acts. */
	bool has_open311;
	bool has_html;		/* the command writes -f html, a page (preport) */
};
extern struct cli_options cli;

/* Put { &cli_argp, 0, "Common options:", 0 } among a command's children. */
extern const struct argp cli_argp;
#define CLI_CHILDREN { { &cli_argp, 0, "Common options:", 0 }, { 0 } }
/* A command that acts on many codes (cli_acting) has -v too. */
extern const struct argp cli_acting_argp;
#define CLI_ACTING_CHILDREN { { &cli_acting_argp, 0, NULL, 0 }, \
	{ &cli_argp, 0, "Common options:", 0 }, { 0 } }

/* The options of a comment on a draft (--draft, --article, --late), for a
 * command that takes in one case: they fill *cli_case_input, which it sets
 * before parsing; cli_case_options says one was given. */
struct case_input;
extern struct case_input *cli_case_input;
extern bool cli_case_options;
extern const struct argp cli_comment_argp;
/* --about TEXT: what the case is about (a news item), into *cli_case_input too. */
extern const struct argp cli_about_argp;
#define CLI_CASE_CHILDREN { { &cli_comment_argp, 0, "A comment on a draft:", 1 }, \
	{ &cli_about_argp, 0, "Feedback on the agency's news:", 1 }, \
	{ &cli_argp, 0, "Common options:", 0 }, { 0 } }

/* Call first: names the program for messages, arranges stdout's closing. */
void cli_start(void);
/* The configuration (loaded once; a bad file ends the run, exit 2). */
const struct config *cli_config(void);
/* The working-day calendar (time zone set from the config). */
struct workcal *cli_workcal(void);
/* Store, config, calendar and now, opened once for the access the command
 * needs (store.h: only a command that adds records creates the database,
 * and says so on stderr); failure ends the run. */
struct context *cli_open(enum store_access access);
/* The schema the database had when opened (0: it was new). */
int cli_opened_at(void);
/* The store's last error as this command's user reads it: the field as
 * its option ("--name: …"), the next step as the command that does it. */
const char *cli_error(void);
/* The same for a failure of one case, less the code it begins with. */
const char *cli_error_of(tcode code);
/* The format to print in: the one asked for, else the default for where
 * standard output goes. */
enum fmt_kind cli_format(enum fmt_kind on_terminal, enum fmt_kind elsewhere);
struct printer *cli_printer(enum fmt_kind kind, const struct column *cols, int ncols);
/* A printer of the columns that columns() gives, in --format (on_terminal
 * on a terminal, TSV elsewhere). */
struct printer *cli_printer_cols(const struct column *(*columns)(int *ncols),
    enum fmt_kind on_terminal);
/* Closes p: status, or the end of the run (exit 2) on a write error. */
int cli_printer_done(struct printer *p, int status);

/*
 * Calls fn for every tracking code in the operands, or else on standard
 * input (one per line, leading blanks skipped, the first tab-separated
 * field taken; NUL-separated with -0). A code that is not valid is reported
 * and skipped. Returns the worst status of all.
 */
typedef int (*code_fn)(tcode code, void *arg);
int cli_each_code(int argc, char **argv, code_fn fn, void *arg);

/* The same for other words (unit and service codes, dates): operands, else
 * stdin lines; `where` is "line N: " for a line, "" for an operand. */
typedef int (*name_fn)(const char *name, const char *where, void *arg);
int cli_each_name(int argc, char **argv, name_fn fn, void *arg);
/* What an error may quote of a refused item: an operand as text_quote
 * quotes a word (it is the user's own), a line of input only as a short
 * excerpt (text_excerpt), since a piped file carries citizens' phones and
 * names. Good until the next call. */
const char *cli_quote_input(const char *text, const char *where);

/* A printer of one column, "code", for the codes a command made: bare codes
 * by default, grouped in fours for people (on a terminal, table, record). */
struct printer *cli_codes_printer(void);
void cli_put_code(struct printer *p, tcode code);
/* The codes of what a command stored, through that printer; a write error
 * ends the run (2), saying what was stored ("the cases are stored"). */
void cli_put_codes(const tcode *codes, size_t n, const char *stored);
/* The same, each code from next(arg, &code): 1, or 0 at the end, or -1 (errno
 * set) when they cannot be read, which ends the run (2) saying so. */
typedef int (*code_next_fn)(void *arg, tcode *code);
void cli_put_codes_from(code_next_fn next, void *arg, const char *stored);
/* The code as the next cell of a row of other columns. */
void cli_put_code_cell(struct printer *p, tcode code);
/* Progress of a long batch on standard error, when it is a terminal and
 * not -q: "CMD: N lines", on one line; cli_progress_end() ends that line
 * if one was shown. */
void cli_progress(size_t lines, void *arg);
void cli_progress_end(void);

/* Prints a code a command acted on, for the next command (-0: NUL-terminated). */
void cli_print_code(tcode code);

/*
 * A command that acts on the items it reads calls this first, with the
 * word for what it did ("routed"). Reading them from standard input, it
 * then shows progress on a terminal and ends with one summary line on
 * stderr ("routed 37400; failed 12600: no routing rule matches 12600"); a
 * line for each failed item comes only with -v. For operands, each
 * failure has its line, as before.
 */
void cli_acting(const char *done);
/*
 * After acting on one item (rc from lib/): on success prints the item for
 * the next command; else reports the store's error and goes on, but a
 * busy database ends the run (75) since the rest would fail alike.
 * Returns rc, for the worst status at the end.
 */
int cli_acted_code(int rc, tcode code);
/* An item of input that is not one (a word where a number goes): reported
 * and counted as the failures are ("line 3: why: 'x12'"). EXIT_PARTIAL. */
int cli_refuse_item(const char *where, const char *text, const char *why);
int cli_acted_name(int rc, const char *name);

/*
 * The operands of a catalog command (punit, pservice): `verb` one of the
 * space-separated `verbs`; fields given only with add or update; one code
 * for add, update and the other `one_code` verbs; none for list; update
 * changes something. A usage error (exit 64) otherwise; `what` names the item.
 */
void cli_check_catalog(struct argp_state *state, const char *verb, const char *verbs,
    const char *one_code, int ncodes, bool fields, const char *what);

/*
 * The whole text of FILE, or of standard input for "-", for the field named: a
 * file that cannot be read, a NUL byte or more than max bytes end the run
 * (exit 2). Checking it as UTF-8 and its length in characters is lib/'s.
 */
char *cli_read_text(const char *field, const char *from, size_t max);

/* A name of the vocabulary for option opt, or a usage error (exit 64). */
int cli_vocab(struct argp_state *state, const char *opt, const char *arg, const struct vocab *v);
/* Adds the names of a comma list to *set, or a usage error. */
void cli_vocab_set(struct argp_state *state, const char *opt, char *arg, const struct vocab *v,
    unsigned *set);
/* A whole number from lo to hi for option opt, or a usage error (exit 64). */
long cli_number(struct argp_state *state, const char *opt, const char *arg, long lo, long hi);

/* Warnings are silenced by -q; errors are not. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error about one item, and the run goes on (not silenced by -q). Every
 * message is one line, its input escaped and its length capped. */
void cli_complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A problem_fn that complains of what, after the prefix arg (a string). */
void cli_complain_of(void *prefix, const char *what);
/* Ends a failed run: message, then exit with status. */
_Noreturn void cli_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Last words: warnings owed, standard output flushed. Returns status to exit with. */
int cli_finish(int status);

#endif
