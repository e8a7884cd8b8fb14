/*
 * against.h — the audit chain against the heads a report published: the
 * monthly report (monthly.h) carries the head of the chain at the month's
 * end as "events=N last=ID hash=HEX at=TIME", in its page, its JSON or
 * any list of heads. Whoever kept the report can show, later, that the
 * chain still runs through that head: that no event up to it was changed,
 * removed or hashed again since it was published. No key is needed; a
 * head that was published is its own witness.
 */
#ifndef PARTAKE_AGAINST_H
#define PARTAKE_AGAINST_H

#include "store.h"

/*
 * Reads every head in the file at path and walks the chain (and checks
 * the records, as pdb check does) against them, in one read transaction:
 * each problem is reported (a head the chain no longer proves is one);
 * *heads and *proven say how many heads the file had and how many the
 * chain proves. Returns the problems, or -1 when the store failed or the
 * file has no head (store_error() says why).
 */
int dbcheck_against(struct store *s, const char *users, const char *path, problem_fn report,
    void *arg, int *heads, int *proven);

/* The verdict on the file's heads, in a sentence (good until the next call). */
const char *dbcheck_against_verdict(const char *path, int heads, int proven);

#endif
