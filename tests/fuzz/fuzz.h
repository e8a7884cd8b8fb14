/*
 * tests/fuzz/fuzz.h — what the fuzz targets share. Each target is one
 * file, tests/fuzz/NAME.c, built with libFuzzer and run by `make fuzz`
 * over its seeds in tests/fuzz/corpus/NAME/. libFuzzer hands over bytes;
 * the parsers want a C string or a file, and the domain a context like a
 * command's. What is made here is made once a process, in a folder of its
 * own that is removed at exit. The helpers are inline: a target uses
 * those it needs.
 */
#ifndef PARTAKE_FUZZ_H
#define PARTAKE_FUZZ_H

#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "context.h"
#include "schema.h"
#include "service.h"
#include "unit.h"
#include "util.h"
#include "workcal.h"

#ifndef FUZZ_SHARE_DIR
#error "FUZZ_SHARE_DIR: the Makefile names the tree's share/partake"
#endif

/* 2026-11-22T08:00:00Z, the clock of the test suite (tests/lib.sh). */
#define FUZZ_NOW ((time_t)1795334400)

/* Not a refusal but a broken promise of the code under test: libFuzzer
 * keeps the input as a crash, as it does for a sanitizer's report. */
#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/*
 * The input as a C string in a block of exactly its size, so that a read
 * one byte past the end is AddressSanitizer's to see. A NUL in the input
 * ends the string early, as it would in an argument; to free.
 */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char fuzz_folder[64];

static inline int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void
remove_folder(void)
{
	if (fuzz_folder[0])
		nftw(fuzz_folder, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The folder of this process's files, made on first use. */
static inline const char *
fuzz_dir(void)
{
	if (fuzz_folder[0] == '\0') {
		const char *tmp = getenv("TMPDIR");
		snprintf(fuzz_folder, sizeof fuzz_folder, "%s/partake-fuzz.XXXXXX",
		    tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
		if (mkdtemp(fuzz_folder) == NULL) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(remove_folder);
	}
	return fuzz_folder;
}

/* Writes the file NAME (a path under the folder; its folders made) with
 * data; returns its path, to free. */
static inline char *
fuzz_file(const char *name, const void *data, size_t size)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), name);

	for (char *slash = strchr(path + strlen(fuzz_dir()) + 1, '/'); slash;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) || close(fd) != 0) {
		perror(path);
		abort();
	}
	return path;
}

static struct context fuzz_ctx;

static inline void
close_context(void)
{
	store_close(fuzz_ctx.store);
	fuzz_ctx.store = NULL;
}

/* Dies with why: a fuzz target that cannot set up has nothing to test. */
static inline void
setup_failed(const char *what, const char *why)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, why ? why : "failed");
	abort();
}

/*
 * A context as a command has one, made once: the shipped calendar and
 * templates, a database of its own with two units (one with an address,
 * for the units' mail) and a service with its own deadline, and the test
 * suite's clock. A target that writes does so in a transaction it rolls
 * back, so every input meets the same database.
 */
static inline struct context *
fuzz_context(void)
{
	static const char conf[] =
	    "holidays_dir = " FUZZ_SHARE_DIR "/holidays\n"
	    "templates_dir = " FUZZ_SHARE_DIR "/templates\n"
	    "site_url = https://example.org/track\n";
	char *why = NULL, *path;
	int from;

	if (fuzz_ctx.store)
		return &fuzz_ctx;
	setenv("PARTAKE_USER", "fuzz", 1);
	path = fuzz_file("partake.conf", conf, sizeof conf - 1);
	struct config *cfg = config_load(path, &why);
	free(path);
	if (cfg == NULL)
		setup_failed("config", why);
	if (cal_set_zone(cfg->timezone) != 0)
		setup_failed("timezone", cfg->timezone);
	struct workcal_options opt = {
		.holidays_dir = cfg->holidays_dir, .closures = cfg->closures,
		.weekend = cfg->weekend, .office_open = cfg->office_open,
		.office_close = cfg->office_close,
	};
	if ((fuzz_ctx.wc = workcal_open(&opt, &why)) == NULL)
		setup_failed("calendar", why);
	path = xasprintf("%s/partake.db", fuzz_dir());
	if (schema_open(path, STORE_CREATE, cfg, &fuzz_ctx.store, &from, &why) != 0)
		setup_failed(path, why);
	free(path);
	struct store *s = fuzz_ctx.store;
	if (unit_add(s, "roads", &(struct unit_input){.name = "راه و ساختمان"}) != 0 ||
	    unit_add(s, "water", &(struct unit_input){.name = "آب", .email = "water@example.org"}) != 0 ||
	    service_add(s, "permit", &(struct service_input){.name = "پروانه", .unit = "roads",
	    .deadline = "7"}) != 0)
		setup_failed("units", store_error(s));
	fuzz_ctx.cfg = cfg;
	fuzz_ctx.now = FUZZ_NOW;
	atexit(close_context);
	return &fuzz_ctx;
}

#endif
