/*
 * partake.cgi — the citizens' portal, a CGI program behind any web server
 * (partake.cgi(8)). Run by the server (GATEWAY_INTERFACE set) it answers
 * the one request and ignores its arguments, which a server may fill from
 * the query; run by hand it takes --check, --help and --version.
 */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "exitcode.h"
#include "portal.h"

static bool check;

static const struct argp_option options[] = {
	{"check", 'c', NULL, 0, "Check the set-up as the web server's user: the config, the "
	    "database (writable), the portal's secret (made when missing) and its page frame", 0},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case 'c': check = true; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument"); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"The citizens' portal: forms, tracking by code, comments on drafts, survey answers and "
	"Open311, as a CGI program.\v"
	"A web server runs it for each request, with the CGI/1.1 environment; the config comes "
	"from PARTAKE_CONFIG, else /etc/partake.conf. See partake.cgi(8) and, for the web "
	"server's set-up, partake(7).",
	NULL, NULL, NULL,
};

const char *argp_program_version = "partake.cgi (partake) " PARTAKE_VERSION;

int
main(int argc, char **argv)
{
	if (getenv("GATEWAY_INTERFACE"))
		return portal_serve(stdin, stdout) == 0 ? EXIT_OK : EXIT_FATAL;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (!check) {
		fprintf(stderr, "partake.cgi: a web server runs this for each request "
		    "(GATEWAY_INTERFACE is not set); --check checks the set-up\n");
		return EXIT_USAGE;
	}
	return portal_check(stdout, stderr);
}
