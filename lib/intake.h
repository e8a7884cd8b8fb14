/*
 * intake.h — many cases at once from standard input, as JSON lines or as
 * TSV with a header: one transaction, all or nothing, and the first bad
 * line named with its field.
 */
#ifndef PARTAKE_INTAKE_H
#define PARTAKE_INTAKE_H

#include <stdio.h>

#include "case.h"

enum intake_format { INTAKE_JSON, INTAKE_TSV };

/* A line longer than this is refused rather than read into memory. */
#define INTAKE_LINE_MAX (1 << 20)

struct intake_result {
	size_t lines;		/* lines read */
	FILE *codes;		/* the stored cases' codes, in input order (intake_next_code) */
	size_t ncodes;
	size_t nknown;		/* of them, cases taken in before by their source ids */
	size_t bad_line;	/* the line that failed, 0 if none */
	struct field_error err;
};

typedef void (*progress_fn)(size_t lines, void *arg);

/*
 * Reads to the end, checks and stores every case in one transaction,
 * committed to the disk before this returns. A line whose channel and
 * source id were taken in before, with the same content, stores nothing
 * and gives that case's code (case_insert); with other content it is a bad
 * line. 0 when all were stored; EXIT_FATAL (nothing stored) with bad_line
 * and err set; another exit status from the store.
 */
int intake_batch(struct context *ctx, FILE *in, enum intake_format fmt,
    progress_fn progress, void *arg, struct intake_result *res);
void intake_result_free(struct intake_result *res);
/*
 * The next code of a committed batch (res, a struct intake_result *), in
 * input order: 1, 0 at the end, -1 (errno set) when it cannot be read back.
 * Until the commit the codes wait in an unlinked file in $TMPDIR (else
 * /tmp), not in memory: a batch of any size holds none of them.
 */
int intake_next_code(void *res, tcode *code);
/*
 * After a batch is committed (and its codes printed): its write-ahead log
 * copied into the file (intake_batch leaves that till the codes are out),
 * then the full-text index brought up to date, in steps of their own
 * transactions that let other writers in between (search.h), so that the first search after a big
 * import does not do all of it. A failure (a busy database) leaves the
 * rest to the next search or to `pdb index`: a search never misses a
 * stored case either way.
 */
void intake_index(struct context *ctx);

#endif
