/*
 * portal.h — the citizens' portal, partake.cgi(8): one request of the CGI
 * (cgi.h) routed to its page. The home page (how to complain, suggest,
 * track; the service catalog; the drafts open for comment), a form for
 * each kind of case a citizen brings, a comment form on an open draft, a
 * survey form reached by an invitation's token, tracking by code, and the
 * Open311 GeoReport v2 read endpoints. Every submit goes through the
 * library's own checks (case.h, draft.h, survey.h) and is guarded by a
 * form token and a per-address limit (guard.h); pages are built from the
 * frame in the portal's folder with libxml2's tree (page.h).
 */
#ifndef PARTAKE_PORTAL_H
#define PARTAKE_PORTAL_H

#include <stdio.h>

/*
 * Answers the request of the environment (its body on in) on out: 0 when
 * an answer was given, a refusal among them (a 4xx page is an answer);
 * EXIT_FATAL when none could be made but the 500 it wrote. What went
 * wrong inside is one line on stderr, the web server's log, never a
 * citizen's data.
 */
int portal_serve(FILE *in, FILE *out);
/*
 * What an admin runs once, as the web server's user, after installing:
 * the config read, the database opened for writing, the secret made or
 * read, the frame found. 0 with what it found on out, else EXIT_FATAL
 * with why on err.
 */
int portal_check(FILE *out, FILE *err);

#endif
