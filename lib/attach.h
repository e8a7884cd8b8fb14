/*
 * attach.h — the attachment store: the files that come with cases, copied
 * into a folder of partake's own beside the database, each under the
 * SHA-256 of its content, so that no case points into the rest of the
 * system and two cases that came with one file share one copy. A file is
 * taken only when the user can read it, within the size limit, and of a
 * type its content shows (not its name); a URL is kept as a link and never
 * fetched. The records of the attachments are rows of the database; the
 * copies are files, written and on the disk before the row that names
 * them is committed.
 */
#ifndef PARTAKE_ATTACH_H
#define PARTAKE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "store.h"
#include "vocab.h"

/* The longest path and link taken, and the longest name kept (bytes). */
#define ATTACH_PATH_BYTES 4096
#define ATTACH_LINK_BYTES 2048
#define ATTACH_NAME_BYTES 255
/* A copy's name in the store: the hex SHA-256 of its content. */
#define ATTACH_DIGEST_HEX 64

/* One attachment of a case, as its row keeps it. */
struct attach_item {
	int kind;		/* enum attach_kind (vocab.h) */
	const char *name;	/* a file: its own name, without its folder; a link: the URL */
	const char *type;	/* a file: its media type, as its content shows; else NULL */
	long long size;		/* a file: its bytes */
	char sha256[ATTACH_DIGEST_HEX + 1];	/* a file: the digest of its content; else "" */
	const char *note;	/* not copied: the path it had and why */
};

/* The folder of the store of the database at db_path: the config's
 * attachments_dir, else db_path with ".attachments" after it. A new string. */
char *attach_dir(const struct config *cfg, const char *db_path);
/* Where the copy of the content with this digest is, in dir. A new string. */
char *attach_copy_path(const char *dir, const char *sha256);
/* The types taken, for messages: "PDF, JPEG, PNG, …". */
const char *attach_types(void);

/* What attach_take() says besides 0: the input is refused (why says why,
 * not naming it: the caller does), or the store could not be written. */
enum { ATTACH_REFUSED = -1, ATTACH_STORE_FAILED = -2 };
/*
 * Takes what `given` names, a path or an http(s) URL. A URL becomes a
 * link. A path must name a regular file that this user can read (a file
 * that is missing and one that cannot be read get the same answer, so that
 * nothing is learnt of files one may not read), of at most max_bytes, and
 * of a type of attach_types() by its content; its content is copied into
 * dir (made, 0700, when it is not there; the copy 0600, on the disk before
 * this returns), unless a copy is there already. 0 with *out (its name
 * points into given), else ATTACH_REFUSED or ATTACH_STORE_FAILED with why.
 */
int attach_take(const char *dir, long long max_bytes, const char *given, struct attach_item *out,
    char *why, size_t whysize);
/* Records an attachment of the case, in the caller's transaction. */
int attach_insert(struct store *s, long long case_id, const struct attach_item *it);

/*
 * The move to schema 6 (schema.c): each attachment of schema 5, a path or
 * a URL in the table attachment_v5, becomes one of the store's. A file
 * still readable, within the limit and of a type taken is copied in; one
 * that is not keeps a row, marked not copied, with its name, and the path
 * it had and why in its note. with_events: each case whose attachments
 * moved gets an event that says so, whose digest covers them from then on
 * (else the caller's baseline does). In the caller's transaction; 0 or an
 * exit status (a store that cannot be written stops the move).
 */
int attach_adopt(struct store *s, const struct config *cfg, bool with_events);

/*
 * pdb check: each copy a case names is in the store, a file of its size;
 * full: its content hashes to its name, too. Reports each problem and
 * returns their number, or -1 when the store failed.
 */
int attach_check(struct store *s, const char *dir, bool full, problem_fn report, void *arg);

#endif
