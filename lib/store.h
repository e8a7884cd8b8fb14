/*
 * store.h — what the modules of lib/ share about the SQLite store; never
 * included by cmd/. Statements are prepared once per connection and kept.
 */
#ifndef PARTAKE_STORE_H
#define PARTAKE_STORE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "db.h"

/* The same groups of states as state_is_settled() and state_clock_runs(), for SQL. */
#define SQL_SETTLED_STATES "('answered', 'closed', 'rejected')"
#define SQL_CLOCK_STATES "('new', 'routed', 'in-progress', 'committee')"

/* The cached statement for this SQL text (a string literal), reset. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
sqlite3 *store_handle(struct store *s);
/* Maps a SQLite result to an exit status, keeping the message. */
int store_fail(struct store *s, int rc);
/* Records a message of our own as the store's error; returns EXIT_FATAL. */
int store_failf(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool store_in_transaction(struct store *s);

/* Binds text, or NULL for an absent value. */
void bind_text(sqlite3_stmt *st, int i, const char *v);
/* A column's text, or NULL. */
const char *column_text(sqlite3_stmt *st, int i);

/* The audit chain: the last event's id and hash, read once per transaction. */
struct chain_tip {
	long long id;
	unsigned char hash[32];
};
int store_chain_tip(struct store *s, struct chain_tip **tip);

#endif
