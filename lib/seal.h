/*
 * seal.h — seals of the audit chain. A seal is a head of the chain (how
 * many events, the last one's id and hash, when) signed with an Ed25519
 * key that the database's writers cannot read, written as one line of
 * text: appended to a heads file, published (the monthly report, another
 * host), and checked against the chain with the public key alone. The
 * chain's own hashes show an edit; only a seal shows a chain rewritten
 * and hashed again, or cut short, up to the head it signed.
 *
 *   partake-seal 1 events=N last=ID hash=HEX at=RFC3339 key=KEYID sig=HEX
 *
 * The signature is over the line's text before " sig="; KEYID is the
 * first 16 hex digits of the public key, to tell keys apart.
 */
#ifndef PARTAKE_SEAL_H
#define PARTAKE_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "store.h"

#define SEAL_KEY_SIZE 32
#define SEAL_HEX_SIZE (2 * SEAL_KEY_SIZE + 1)

struct seal_key {
	unsigned char public[SEAL_KEY_SIZE];
	unsigned char secret[SEAL_KEY_SIZE];
	bool has_secret;
};

/* Makes a new secret key in the file at path, which must not exist
 * (created mode 0600); pub is its public key in hex. 0, or -1 with *why. */
int seal_new_key(const char *path, char pub[SEAL_HEX_SIZE], char **why);
/* The secret key of a file made by seal_new_key (and its public key). */
int seal_load_secret(const char *path, struct seal_key *key, char **why);
/* A public key given in hex (64 digits). */
int seal_parse_public(const char *hex, struct seal_key *key, char **why);
/* The public key in hex. */
char *seal_public_hex(const struct seal_key *key, char out[SEAL_HEX_SIZE]);

/* The signed line of a head (no newline); a new string. */
char *seal_sign(const struct seal_key *key, const struct audit_head *head);
/*
 * The heads of the file at path whose signature the key verifies, into a
 * new array (*heads, *n; each head's `where` is "PATH:LINE"). A line that
 * is not a seal, or whose signature does not verify, is reported as a
 * problem (a forged or damaged seal). Returns the problems, or -1 with
 * *why when the file cannot be read.
 */
int seal_read_heads(const char *path, const struct seal_key *key, struct audit_head **heads,
    size_t *n, problem_fn report, void *arg, char **why);
void seal_free_heads(struct audit_head *heads, size_t n);
/* Appends the line and a newline to the heads file (made mode 0644 when
 * new), on disk before it returns. 0, or -1 with *why. */
int seal_append(const char *path, const char *line, char **why);

#endif
