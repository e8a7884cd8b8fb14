/* psurvey-record — record survey responses: one from options, or many from standard input. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "survey.h"

static struct survey_response_input input;
static bool batch, tsv, one_option;

enum { OPT_SURVEY = 0x200, OPT_VERSION, OPT_CASE, OPT_TOKEN, OPT_SERVICE, OPT_UNIT,
	OPT_CHANNEL, OPT_AT, OPT_CONSTRUCTIVE, OPT_BATCH, OPT_TSV };

static const struct argp_option options[] = {
	{NULL, 0, NULL, 0, "One response:", 1},
	{"survey", OPT_SURVEY, "CODE", 0, "The survey (default service)", 1},
	{"survey-version", OPT_VERSION, "N", 0, "Its version (default the current one, or the "
	    "invitation's)", 1},
	{"case", OPT_CASE, "CODE", 0, "The case it answers for (once a case and survey)", 1},
	{"token", OPT_TOKEN, "TOKEN", 0, "The invitation's token, which names the case", 1},
	{"service", OPT_SERVICE, "CODE", 0, "With no case: the service (a desk's poll box)", 1},
	{"unit", OPT_UNIT, "CODE", 0, "With no case: the unit (default the service's)", 1},
	{"channel", OPT_CHANNEL, "CHANNEL", 0, "How it came (default: the invitation's, else "
	    "desk with no case, other with one)", 1},
	{"at", OPT_AT, "DATE", 0, "When it was given (default now)", 1},
	{"constructive", OPT_CONSTRUCTIVE, NULL, 0, "Its comment is a constructive view, for "
	    "the committee (psurvey-summary --comments)", 1},
	{"answer", 'a', "QUESTION=VALUE", 0, "An answer (repeatable): 1-5, yes or no, an "
	    "option's number or label (several joined by '|'), or text", 1},
	{NULL, 0, NULL, 0, "Many responses:", 2},
	{"batch", OPT_BATCH, NULL, 0, "Read responses from standard input, one JSON object a line", 2},
	{"tsv", OPT_TSV, NULL, 0, "With --batch: TSV with a header line instead", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	char *eq;

	one_option |= key != OPT_BATCH && key != OPT_TSV && key != ARGP_KEY_INIT &&
	    key < ARGP_KEY_END;
	switch (key) {
	case OPT_SURVEY: input.survey = arg; break;
	case OPT_VERSION: input.version = arg; break;
	case OPT_CASE: input.case_code = arg; break;
	case OPT_TOKEN: input.token = arg; break;
	case OPT_SERVICE: input.service = arg; break;
	case OPT_UNIT: input.unit = arg; break;
	case OPT_CHANNEL: input.channel = arg; break;
	case OPT_AT: input.at = arg; break;
	case OPT_CONSTRUCTIVE: input.constructive = "yes"; break;
	case 'a':
		if ((eq = strchr(arg, '=')) == NULL)
			argp_error(state, "--answer %s: expected QUESTION=VALUE", text_quote(arg));
		if (input.nanswers == SURVEY_QUESTIONS_MAX)
			argp_error(state, "--answer: at most %d", SURVEY_QUESTIONS_MAX);
		*eq = '\0';
		input.answers[input.nanswers++] = (struct survey_answer_input){arg, eq + 1};
		break;
	case OPT_BATCH: batch = true; break;
	case OPT_TSV: tsv = true; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	case ARGP_KEY_END:
		if (batch && one_option)
			argp_error(state, "--batch reads every field from standard input; "
			    "leave out the options of one response");
		if (tsv && !batch)
			argp_error(state, "--tsv goes with --batch");
		if (!batch && input.nanswers == 0)
			argp_error(state, "give the answers (--answer), or --batch");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Record a response to a survey (or, with --batch, many) and print how many were stored.\v"
	"A response is tied to a case (--case, or the --token of its invitation: once a case "
	"and survey) or, from a desk's poll box, to a service, unit and channel. Every answer "
	"names a question of the survey's version; a value out of range, an unknown question, "
	"a required question left out, or a second response of a case is refused. With "
	"--batch, each line is one response: a JSON object whose keys are survey, version, "
	"case, token, service, unit, channel, at and constructive, and the questions' names "
	"(a multi question's value an array or 'A|B'); or, with --tsv, a header line of those "
	"names. The whole batch is stored in one transaction, or nothing is; an error names "
	"the line and the field.",
	children, NULL, NULL,
};

/* The option an error names: a response's own, or the answer to a question. */
static const char *
option_of(const char *field, char *buf, size_t n)
{
	static const char fields[] = " survey version case token service unit channel at constructive ";
	char word[48];

	snprintf(word, sizeof word, " %s ", field);
	if (strcmp(field, "version") == 0)
		snprintf(buf, n, "--survey-version");
	else
		snprintf(buf, n, strstr(fields, word) ? "--%s" : "--answer %s", field);
	return buf;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	struct field_error err = {0};
	char opt[64];
	long long id;
	int rc;

	if (!batch) {
		if ((rc = survey_record(ctx, &input, &id, &err)) != 0 && err.field)
			cli_die(rc, "%s: %s (nothing stored)", option_of(err.field, opt, sizeof opt), err.why);
		if (rc != 0)
			cli_die(rc, "%s", cli_error());
		printf("1\n");
		return cli_finish(EXIT_OK);
	}
	struct survey_batch_result res;
	rc = survey_record_batch(ctx, stdin, tsv ? SURVEY_TSV : SURVEY_JSON, cli_progress, NULL, &res);
	cli_progress_end();
	if (rc != 0 && res.bad_line)
		cli_die(rc, "line %zu: %s: %s (nothing stored)", res.bad_line,
		    res.err.field ? res.err.field : "line", res.err.why);
	if (rc != 0)
		cli_die(rc, "%s (nothing stored)", res.err.field ? res.err.why : cli_error());
	printf("%zu\n", res.stored);
	return cli_finish(EXIT_OK);
}
