/*
 * route.h — routing rules: which unit must answer a case. A rules file
 * has one rule a line, tab-separated: kind, channel, service, pattern,
 * unit ('*' for any; kinds and channels may be comma lists; the pattern is
 * a POSIX extended regular expression matched, ignoring case, against the
 * Persian-normalized subject and body). The first rule that matches wins.
 */
#ifndef PARTAKE_ROUTE_H
#define PARTAKE_ROUTE_H

#include "store.h"

struct route_rules;

/* NULL with *why ("FILE:LINE: …") when a rule is malformed or names a unit
 * that does not exist. */
struct route_rules *route_load(struct store *s, const char *path, char **why);
void route_free(struct route_rules *rules);
/*
 * Records the rules as they are in force, when they differ from the
 * version last recorded for the same file: an event of the audit chain with
 * the file's text before and after, so that "rule at line 7" in a case's
 * history can be read in the version it came from. 0 or an exit status.
 */
int route_record(struct store *s, const struct route_rules *rules);
/* The unit code of the first matching rule, or NULL; *line is its line. */
const char *route_match(const struct route_rules *rules, const char *kind,
    const char *channel, const char *service, const char *subject, const char *body,
    long *line);

#endif
