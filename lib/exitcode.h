/*
 * exitcode.h — the few exit statuses every command uses, named once and
 * written in every man page's EXIT STATUS.
 */
#ifndef PARTAKE_EXITCODE_H
#define PARTAKE_EXITCODE_H

enum {
	EXIT_OK = 0,		/* all done */
	EXIT_PARTIAL = 1,	/* some items failed, or nothing matched */
	EXIT_FATAL = 2,		/* nothing done: bad input, a broken database */
	EXIT_USAGE = 64,	/* the command line is wrong (argp's own) */
	EXIT_TEMPFAIL = 75,	/* try again later: the database is busy */
};

#endif
