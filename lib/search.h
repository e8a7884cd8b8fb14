/*
 * search.h — full-text search over the subject and body of cases. The
 * index is kept off the intake path (it would halve intake speed): a
 * search first indexes every case stored since the last one, so it never
 * misses a case. Both the index and the query get text_normalize().
 */
#ifndef PARTAKE_SEARCH_H
#define PARTAKE_SEARCH_H

#include "store.h"

/* Indexes the cases not yet indexed (in its own transaction if none is open). */
int search_catch_up(struct store *s);
/* After a case's subject or body changed (inside the caller's
 * transaction): the index forgets the words it had, given as they were,
 * and takes the case's words now. A case not indexed yet needs nothing. */
int search_case_changed(struct store *s, long long case_id, const char *old_subject,
    const char *old_body);
/* Whether the index has at least n cases matching the expression; it
 * reads no more of the index than their ids. 1, 0, or -1 when the store failed. */
int search_matches_at_least(struct store *s, const char *expr, long n);
/* An FTS5 expression matching every word of the query, or NULL if it has none. */
char *search_expression(const char *query);
/* The condition on a case's id that keeps the cases matching an expression
 * bound to its one `?`: the engine's own SQL, kept here with the index. */
#define SEARCH_CASE_ID_MATCHES "c.id IN (SELECT rowid FROM case_text WHERE case_text MATCH ?)"
/* The same for a listing with a limit over a common word (search_matches_at_least):
 * the cases are walked in the listing's order on its index and each one
 * asked of the index by its id, so that the first ones found end the walk:
 * --limit 100 over a word in a fifth of the cases asks about 500, not
 * every match gathered and looked up. (A rare word would walk the whole
 * index: it takes the plain way, a look-up of each match and a sort of the few.) */
#define SEARCH_CASE_ID_MATCHES_IN_ORDER \
	"EXISTS (SELECT 1 FROM case_text WHERE case_text MATCH ? AND rowid = c.id)"
/* What a database that cannot be written does instead (the index cannot
 * catch up): the cases past the index, each having every normalized word
 * of the query (search_words) in its subject or body, as text. */
#define SEARCH_CASE_NOT_INDEXED "c.id > (SELECT indexed_upto FROM case_text_state)"
#define SEARCH_CASE_HAS_WORD "instr(pnorm(c.subject || ' ' || coalesce(c.body, '')), ?) > 0"
/* The words of a query as the index holds them, NULL-terminated; free each and the array. */
char **search_words(const char *query);
/* How many cases the index does not cover yet, or -1 when the store failed. */
long long search_cases_behind(struct store *s);
/* That the index covers no case that does not exist: a read. The problems
 * reported, or -1 when the store failed. */
int search_check(struct store *s, problem_fn report, void *arg);
/* The index's own consistency, which the engine checks as a write: in a
 * transaction of its own, holding the write lock for its whole run (6 s a
 * million cases), and not on a file opened read-only. As search_check. */
int search_check_index(struct store *s, problem_fn report, void *arg);

#endif
