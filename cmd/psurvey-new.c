/* psurvey-new — define a survey and its questions, or show them. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "survey.h"
#include "util.h"

#define QUESTION_OPTIONS_MAX SURVEY_QUESTIONS_MAX
static const char *code, *title, *questions_file;
static const char *specs[QUESTION_OPTIONS_MAX];
static int nspecs;
static bool show;
static long version;

enum { OPT_TITLE = 0x200, OPT_QUESTIONS, OPT_SHOW, OPT_VERSION };

static const struct argp_option options[] = {
	{"title", OPT_TITLE, "TEXT", 0, "What the survey is called (default: its code)", 0},
	{"question", 'Q', "NAME:KIND:TEXT", 0, "A question (repeatable, in order): KIND is scale "
	    "(1-5), yesno, choice=A|B|..., multi=A|B|... or text, with '?' after it when the "
	    "question may be left out", 0},
	{"questions", OPT_QUESTIONS, "FILE", 0, "The questions from a TSV file with a header: name, "
	    "kind, required, text, options", 0},
	{"show", OPT_SHOW, NULL, 0, "Show the questions of the survey instead (the default "
	    "survey is made first if need be)", 0},
	{"survey-version", OPT_VERSION, "N", 0, "With --show: that version, not the current one", 0},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_TITLE: title = arg; break;
	case 'Q':
		if (nspecs == QUESTION_OPTIONS_MAX)
			argp_error(state, "--question: at most %d", QUESTION_OPTIONS_MAX);
		specs[nspecs++] = arg;
		break;
	case OPT_QUESTIONS: questions_file = arg; break;
	case OPT_SHOW: show = true; break;
	case OPT_VERSION: version = cli_number(state, "--survey-version", arg, 1, 1000000); break;
	case ARGP_KEY_ARG:
		if (code)
			argp_error(state, "one survey at a time");
		code = arg;
		break;
	case ARGP_KEY_END:
		if (code == NULL)
			argp_error(state, "name the survey (its CODE)");
		if (show && (nspecs || questions_file || title))
			argp_error(state, "--show changes nothing: leave out the questions and --title");
		if (!show && version)
			argp_error(state, "--survey-version goes with --show");
		if (!show && !nspecs && !questions_file && strcmp(code, SURVEY_DEFAULT) != 0)
			argp_error(state, "give the questions: --question or --questions");
		if (nspecs && questions_file)
			argp_error(state, "give --question or --questions, not both");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "CODE",
	"Define survey CODE and its questions, and print \"CODE version N\".\v"
	"A survey that has responses never changes: new questions make its next version, and "
	"the results of two versions are never counted together. Questions the same as the "
	"current version's change nothing. The default survey \"service\" (information, "
	"timeliness, responsiveness and overall on the 1-5 scale, and a free comment) is made "
	"the first time a command asks for it; \"psurvey-new service\" with no questions makes it.",
	children, NULL, NULL,
};

static struct survey_question *
read_questions(size_t *n)
{
	struct field_error err = {0};
	struct survey_question *qs = NULL;

	if (questions_file) {
		if (survey_questions_read(questions_file, &qs, n, &err) != 0)
			cli_die(EXIT_FATAL, "--questions: %s", err.why);
		return qs;
	}
	qs = xcalloc((size_t)nspecs, sizeof *qs);
	for (*n = 0; *n < (size_t)nspecs; (*n)++)
		if (survey_question_parse(specs[*n], &qs[*n], &err) != 0)
			cli_die(EXIT_USAGE, "--question %s: %s: %s", text_quote(specs[*n]), err.field,
			    err.why);
	return qs;
}

static int
show_questions(struct context *ctx)
{
	int ncols;
	const struct column *cols = survey_question_columns(&ncols);
	long long sid, vid;
	int current;

	if (strcmp(code, SURVEY_DEFAULT) == 0 && survey_current(ctx, code, &sid, &vid, &current) > 1)
		cli_die(EXIT_FATAL, "%s", cli_error());
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), cols, ncols);
	int rc = survey_show(ctx, code, (int)version, p);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	if (show)
		return cli_finish(show_questions(ctx));
	long long sid, vid;
	int v, rc;
	if (!nspecs && !questions_file) {	/* the default survey, made if it is not there */
		if ((rc = survey_current(ctx, code, &sid, &vid, &v)) != 0)
			cli_die(rc, "%s", cli_error());
		printf("%s version %d\n", code, v);
		return cli_finish(EXIT_OK);
	}
	size_t n;
	struct survey_question *qs = read_questions(&n);
	struct field_error err = {0};
	bool changed;
	rc = survey_define(ctx, code, title ? title : code, qs, n, &v, &changed, &err);
	survey_questions_free(qs, n);
	if (rc != 0 && err.field)
		cli_die(rc, "%s: %s", err.field, err.why);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (!changed && !cli.quiet)
		cli_warn("the questions are those of version %d: nothing changed", v);
	printf("%s version %d\n", code, v);
	return cli_finish(EXIT_OK);
}
