/* pcase-list — select cases and print them, or their codes for the next command. */
#include <stdlib.h>
#include <unistd.h>

#include "caseview.h"
#include "cli.h"
#include "open311.h"
#include "search.h"
#include "util.h"

static struct case_filter filter;
static bool long_listing;
static char out_buffer[1 << 16];	/* stdout's into a pipe or a file: writes of 64 KiB, not 4 */

enum { OPT_SERVICE = 0x200, OPT_UNIT, OPT_SINCE, OPT_UNTIL, OPT_SORT, OPT_UNROUTED,
	OPT_OVERDUE, OPT_DUE_WITHIN, OPT_DUE_BEFORE, OPT_LIMIT, OPT_UNNOTIFIED, OPT_OPEN };

static const struct argp_option options[] = {
	{"kind", 'k', "KIND", 0, "Only cases of this kind (repeated or a comma list: any of them; "
	    "so for every filter that takes a list)", 1},
	{"state", 's', "STATE", 0, "Only cases in this state", 1},
	{"open", OPT_OPEN, NULL, 0, "Only cases not settled (not answered, closed or rejected)", 1},
	{"channel", 'c', "CHANNEL", 0, "Only cases that came by this channel", 1},
	{"service", OPT_SERVICE, "CODE", 0, "Only cases about this service", 1},
	{"unit", OPT_UNIT, "CODE", 0, "Only cases of this unit", 1},
	{"unrouted", OPT_UNROUTED, NULL, 0, "Only cases with no unit yet", 1},
	{"since", OPT_SINCE, "DATE", 0, "Received on or after DATE", 1},
	{"until", OPT_UNTIL, "DATE", 0, "Received before DATE (a date alone: before its end)", 1},
	{"query", 'Q', "TEXT", 0, "Every word of TEXT in the subject or body (Persian "
	    "letters and digits matched in any form)", 1},
	{"overdue", OPT_OVERDUE, NULL, 0, "Open cases past their due time", 1},
	{"due-within", OPT_DUE_WITHIN, "N", 0, "Open cases due within N working days", 1},
	{"due-before", OPT_DUE_BEFORE, "DATE", 0, "Open cases due before DATE", 1},
	{"unnotified", OPT_UNNOTIFIED, "LEVEL", 0, "Cases whose overdue notice of LEVEL is not "
	    "recorded yet (with --overdue: each case once per level)", 1},
	{"sort", OPT_SORT, "KEY", 0, "received (default), due, code, kind, state or unit; "
	    "'-' first for descending", 2},
	{"limit", OPT_LIMIT, "N", 0, "At most N cases", 2},
	{"long", 'l', NULL, 0, "Every field, not the short table", 2},
	{0},
};

static time_t
parse_date(struct argp_state *state, const char *opt, const char *arg, bool end_of_day)
{
	struct cal_when when;
	const char *why;

	cli_config();	/* the time zone, for a date without one */
	if (cal_parse(arg, CAL_AUTO, &when, &why) != 0)
		argp_error(state, "%s: %s: %s", opt, text_quote(arg), why);
	if (when.sec < 0 && end_of_day)
		return cal_local_instant(when.jdn + 1, 0);
	return cal_when_time(&when);
}

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	const char *why;

	switch (key) {
	case 'k': cli_vocab_set(state, "--kind", arg, &kind_vocab, &filter.kinds); break;
	case 's': cli_vocab_set(state, "--state", arg, &state_vocab, &filter.states); break;
	case 'c': cli_vocab_set(state, "--channel", arg, &channel_vocab, &filter.channels); break;
	case OPT_OPEN: filter.open = true; break;
	case OPT_SERVICE:
		if (!case_filter_add_codes(filter.services, &filter.nservices, arg))
			argp_error(state, "--service: more than %d codes", FILTER_MAX_CODES);
		break;
	case OPT_UNIT:
		if (!case_filter_add_codes(filter.units, &filter.nunits, arg))
			argp_error(state, "--unit: more than %d codes", FILTER_MAX_CODES);
		break;
	case OPT_UNROUTED: filter.unrouted = true; break;
	case OPT_SINCE: filter.since = parse_date(state, "--since", arg, false); break;
	case OPT_UNTIL: filter.until = parse_date(state, "--until", arg, true); break;
	case 'Q': filter.query = arg; break;
	case OPT_OVERDUE: filter.overdue = true; break;
	case OPT_DUE_WITHIN: filter.due_within = cli_number(state, "--due-within", arg, 0, 3650); break;
	case OPT_DUE_BEFORE: filter.due_before = parse_date(state, "--due-before", arg, false); break;
	case OPT_SORT:
		if ((why = case_sort_check(arg)) != NULL)
			argp_error(state, "--sort: %s: %s", text_quote(arg), why);
		filter.sort = arg;
		break;
	case OPT_LIMIT: filter.limit = cli_number(state, "--limit", arg, 1, 100000000); break;
	case OPT_UNNOTIFIED:
		filter.unnotified = (int)cli_number(state, "--unnotified", arg, 1, 99);
		break;
	case 'l': long_listing = true; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"List the cases that match every filter given.\v"
	"On a terminal the cases are a table; elsewhere, their tracking codes one a line, "
	"for the next command (pcase-list --overdue | pcase-route --escalate). Data formats "
	"(tsv, json, csv, xlsx) carry every field; xlsx is for a spreadsheet, csv for "
	"programs. Exit status 1 when no case matched.",
	children, NULL, NULL,
};

/* The cases as an Open311 document: the standard's shape, not the printer's
 * columns (fmt.h), and only what the public may know (caseview.h). */
static int
list_open311(struct context *ctx, enum fmt_kind kind, long *count)
{
	struct open311_doc *doc = open311_new(kind, OPEN311_REQUESTS, stdout);
	int rc = case_public_list(ctx, &filter, open311_put_request, doc, count);

	if (rc != 0) {
		open311_free(doc);
		return rc;
	}
	return open311_write(doc) != 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	long count;
	int rc;

	cli_start();
	case_filter_init(&filter);
	cli.has_open311 = true;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_READ);
	/* Asking for every field is asking for more than codes, wherever it
	 * goes: off a terminal, as data, a line a case. */
	enum fmt_kind kind = cli_format(FMT_TABLE, long_listing ? FMT_TSV : FMT_CODES);
	enum case_view_detail detail = long_listing || (kind != FMT_TABLE && kind != FMT_CODES)
	    ? VIEW_LONG : VIEW_SHORT;
	int ncols;
	const struct column *cols = case_columns(detail, &ncols);

	ctx->for_people = kind == FMT_TABLE || kind == FMT_RECORD;
	long long behind = filter.query && store_read_only(ctx->store)
	    ? search_cases_behind(ctx->store) : 0;
	if (behind > 0)
		cli_warn("%s cannot be written, so its full-text index cannot catch up: the %lld "
		    "cases it does not cover yet are searched by a scan", store_path(ctx->store),
		    behind);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
	if (fmt_is_document(kind)) {
		if ((rc = list_open311(ctx, kind, &count)) > 0)
			cli_die(rc, "%s", cli_error());
		if (rc < 0)
			cli_die(EXIT_FATAL, "write error");
		return cli_finish(count > 0 ? EXIT_OK : EXIT_PARTIAL);
	}
	struct printer *p = cli_printer(kind, cols, ncols);
	if ((rc = case_list(ctx, &filter, detail, p, &count)) != 0) {
		printer_close(p);
		cli_die(rc, "%s", cli_error());
	}
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	return cli_finish(count > 0 ? EXIT_OK : EXIT_PARTIAL);
}
