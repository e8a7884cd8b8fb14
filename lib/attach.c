/*
 * attach.c — the attachment store: a file read whole (it is small by
 * rule), its type found in its content, its SHA-256 taken through Nettle,
 * and its copy written aside and renamed into place under that digest;
 * the move of schema 5's paths into it; and its part of pdb check.
 */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "clock.h"
#include "code.h"
#include "text.h"
#include "util.h"

char *
attach_dir(const struct config *cfg, const char *db_path)
{
	return cfg->attachments_dir ? xstrdup(cfg->attachments_dir)
				    : xasprintf("%s.attachments", db_path);
}

/* Two hex digits of the digest make a folder, so that no folder holds
 * more than a few thousand copies even at millions of cases. */
char *
attach_copy_path(const char *dir, const char *sha256)
{
	return xasprintf("%s/%.2s/%s", dir, sha256, sha256);
}

/* --- types, by content ---------------------------------------------------------- */

/*
 * What citizens send and an office can open: documents (PDF, Word's DOCX,
 * Excel's XLSX), photos and scans (JPEG, PNG), and plain text. A ZIP of
 * anything else, an executable, a web page with scripts in it as HTML is
 * not plain text of our kind — and nothing is taken by its name.
 */
static const char *const types_taken = "PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX";

const char *attach_types(void) { return types_taken; }

static const struct {
	const char *magic;
	size_t len;
	const char *type;
} magics[] = {
	{"%PDF-", 5, "application/pdf"},
	{"\xff\xd8\xff", 3, "image/jpeg"},
	{"\x89PNG\r\n\x1a\n", 8, "image/png"},
};

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static size_t
le32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

/* The end record of a ZIP: in its last 22 bytes, or before a comment of at
 * most 65535; *at is where. */
static bool
zip_end(const unsigned char *d, size_t n, size_t *at)
{
	size_t lo = n - 22 > 65535 ? n - 22 - 65535 : 0;

	for (size_t i = n - 22;; i--) {
		if (memcmp(d + i, "PK\5\6", 4) == 0) {
			*at = i;
			return true;
		}
		if (i == lo)
			return false;
	}
}

/*
 * An Office Open XML document is a ZIP whose central directory names its
 * main part: word/document.xml (DOCX) or xl/workbook.xml (XLSX). The
 * directory is read as it is, bounds checked at every step; nothing is
 * unpacked.
 */
static const char *
office_type(const unsigned char *d, size_t n)
{
	static const struct {
		const char *part, *type;
	} parts[] = {
		{"word/document.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	};
	size_t end;

	if (n < 30 || memcmp(d, "PK\3\4", 4) != 0 || !zip_end(d, n, &end))
		return NULL;
	unsigned entries = le16(d + end + 10);
	size_t left = le32(d + end + 12), at = le32(d + end + 16);
	if (at > end || left > end - at)
		return NULL;
	for (unsigned k = 0; k < entries; k++) {
		if (left < 46 || memcmp(d + at, "PK\1\2", 4) != 0)
			return NULL;
		size_t name = le16(d + at + 28);
		size_t entry = 46 + name + le16(d + at + 30) + le16(d + at + 32);
		if (entry > left)
			return NULL;
		for (size_t p = 0; p < ARRAY_SIZE(parts); p++)
			if (name == strlen(parts[p].part) && memcmp(d + at + 46, parts[p].part, name) == 0)
				return parts[p].type;
		at += entry;
		left -= entry;
	}
	return NULL;
}

/* UTF-8 text (a byte order mark first is allowed) with no control
 * character but tabs and line ends: what a text editor or a phone saves. */
static bool
is_text(const unsigned char *d, size_t n)
{
	if (n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0) {
		d += 3;
		n -= 3;
	}
	if (n == 0 || !utf8_valid((const char *)d, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r') || d[i] == 0x7f)
			return false;
		if (d[i] == 0xc2 && i + 1 < n && d[i + 1] >= 0x80 && d[i + 1] <= 0x9f)
			return false;	/* a C1 control */
	}
	return true;
}

/* The media type of the content, or NULL when it is not one we take. */
static const char *
type_of(const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
		if (n >= magics[i].len && memcmp(d, magics[i].magic, magics[i].len) == 0)
			return magics[i].type;
	const char *office = office_type(d, n);
	if (office)
		return office;
	return is_text(d, n) ? "text/plain" : NULL;
}

/* --- reading and copying ------------------------------------------------------------ */

static void
sha256_hex(const unsigned char *d, size_t n, char hex[ATTACH_DIGEST_HEX + 1])
{
	struct sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&h);
	sha256_update(&h, n, d);
	sha256_digest(&h, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/*
 * The whole content of path into *data and *n: ATTACH_REFUSED with why
 * when it is not a regular file this user can read, or is empty or larger
 * than max. Missing, not readable or not a file: one answer, whatever the
 * reason, so that a try tells nothing of a file one may not read. The open
 * does not wait (a FIFO) and takes no terminal.
 */
static int
read_whole(const char *path, long long max, unsigned char **data, size_t *n, char *why,
    size_t wn)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	*data = NULL;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		snprintf(why, wn, "no such file, or not one this user may read");
		return ATTACH_REFUSED;
	}
	if (st.st_size > max) {
		close(fd);
		snprintf(why, wn, "%lld bytes, more than the %lld that attachment_max_bytes allows",
		    (long long)st.st_size, max);
		return ATTACH_REFUSED;
	}
	/* The size is a hint: /proc tells 0, and a file may grow while read. */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	unsigned char *buf = xmalloc(cap);
	int rc = 0;
	while ((long long)len <= max) {
		if (len == cap) {
			cap = (long long)cap * 2 > max + 1 ? (size_t)max + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(why, wn, "cannot be read: %s", strerror(errno));
			rc = ATTACH_REFUSED;
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (rc == 0 && (long long)len > max)
		snprintf(why, wn, "more than the %lld bytes that attachment_max_bytes allows", max);
	else if (rc == 0 && len == 0)
		snprintf(why, wn, "empty");
	if (rc != 0 || (long long)len > max || len == 0) {
		free(buf);
		return ATTACH_REFUSED;
	}
	*data = buf;
	*n = len;
	return 0;
}

/* A folder of the store, 0700 whatever the umask, unless it is there. */
static int
make_folder(const char *path, bool *made)
{
	struct stat st;

	*made = false;
	if (mkdir(path, 0700) == 0) {
		*made = true;
		return chmod(path, 0700);
	}
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* A new name is kept only once its folder is on the disk too. */
static void
sync_folder(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void
sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent = slash == NULL ? xstrdup(".")
	    : xasprintf("%.*s", slash == path ? 1 : (int)(slash - path), path);

	sync_folder(parent);
	free(parent);
}

static int
write_all(int fd, const unsigned char *d, size_t n)
{
	while (n > 0) {
		ssize_t put = write(fd, d, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -1;
		d += put;
		n -= (size_t)put;
	}
	return 0;
}

/* Written aside in the copy's folder, on the disk, then renamed into
 * place: a copy is whole or not there. A name that is there already holds
 * the same content (it is the content's digest), so replacing it is no loss. */
static int
write_copy(const char *folder, const char *path, const unsigned char *d, size_t n)
{
	char *partial = xasprintf("%s/.partial-XXXXXX", folder);
	int fd = mkostemp(partial, O_CLOEXEC), rc = -1, saved;

	if (fd >= 0) {
		rc = write_all(fd, d, n) == 0 && fchmod(fd, 0600) == 0 && fsync(fd) == 0 ? 0 : -1;
		saved = errno;
		if (close(fd) != 0 && rc == 0) {
			rc = -1;
			saved = errno;
		}
		if (rc == 0 && rename(partial, path) != 0) {
			rc = -1;
			saved = errno;
		}
		if (rc != 0)
			unlink(partial);
		errno = saved;
	}
	free(partial);
	return rc;
}

static int
put_copy(const char *dir, const char *sha256, const unsigned char *d, size_t n, char *why,
    size_t wn)
{
	char *folder = xasprintf("%s/%.2s", dir, sha256), *path = attach_copy_path(dir, sha256);
	bool made_dir = false, made_folder = false;
	struct stat st;
	int rc = 0;

	if (make_folder(dir, &made_dir) != 0) {
		snprintf(why, wn, "cannot make the attachment store %s: %s", dir, strerror(errno));
		rc = ATTACH_STORE_FAILED;
	} else if (make_folder(folder, &made_folder) != 0) {
		snprintf(why, wn, "cannot make %s in the attachment store: %s", folder, strerror(errno));
		rc = ATTACH_STORE_FAILED;
	} else if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)n) {
		;	/* the same content is there: one copy serves every case that has it */
	} else if (write_copy(folder, path, d, n) != 0) {
		snprintf(why, wn, "cannot copy it into the attachment store %s: %s", dir, strerror(errno));
		rc = ATTACH_STORE_FAILED;
	} else {
		sync_folder(folder);
	}
	if (rc == 0 && made_folder)
		sync_folder(dir);
	if (rc == 0 && made_dir)
		sync_parent(dir);
	free(folder);
	free(path);
	return rc;
}

/* --- taking ---------------------------------------------------------------------------- */

static bool
is_link(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* One line of UTF-8 of at most max bytes, with no control character. */
static bool
usable(const char *s, size_t max, bool blanks)
{
	size_t n = strlen(s);

	return n > 0 && n <= max && utf8_valid(s, n) && !text_has_control(s, false) &&
	    (blanks || strpbrk(s, " \t") == NULL);
}

int
attach_take(const char *dir, long long max_bytes, const char *given, struct attach_item *out,
    char *why, size_t whysize)
{
	const char *slash = strrchr(given, '/');
	unsigned char *data;
	size_t n;
	int rc;

	memset(out, 0, sizeof *out);
	if (is_link(given)) {
		if (!usable(given, ATTACH_LINK_BYTES, false)) {
			snprintf(why, whysize, "not a usable link");
			return ATTACH_REFUSED;
		}
		out->kind = ATTACH_LINK;
		out->name = given;
		return 0;
	}
	out->name = slash ? slash + 1 : given;
	if (!usable(given, ATTACH_PATH_BYTES, true) || strlen(out->name) > ATTACH_NAME_BYTES) {
		snprintf(why, whysize, "not a usable path");
		return ATTACH_REFUSED;
	}
	if ((rc = read_whole(given, max_bytes, &data, &n, why, whysize)) != 0)
		return rc;
	if ((out->type = type_of(data, n)) == NULL) {
		snprintf(why, whysize, "not a type partake takes (%s), by its content", types_taken);
		free(data);
		return ATTACH_REFUSED;
	}
	out->kind = ATTACH_FILE;
	out->size = (long long)n;
	sha256_hex(data, n, out->sha256);
	rc = put_copy(dir, out->sha256, data, n, why, whysize);
	free(data);
	return rc;
}

int
attach_insert(struct store *s, long long case_id, const struct attach_item *it)
{
	struct stmt *st = store_sql(s,
	    "INSERT INTO attachment (case_id, kind, name, type, size, sha256, note)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)");

	stmt_bind_int(st, case_id);
	stmt_bind_text(st, vocab_name(&attach_vocab, it->kind));
	stmt_bind_text(st, it->name);
	stmt_bind_text(st, it->type);
	if (it->kind == ATTACH_FILE)
		stmt_bind_int(st, it->size);
	else
		stmt_bind_null(st);
	stmt_bind_text(st, it->sha256[0] ? it->sha256 : NULL);
	stmt_bind_text(st, it->note);
	return stmt_put(st);
}

/* --- the move to schema 6 ---------------------------------------------------------- */

struct moved {
	long long case_id;
	int copied, links, left;	/* of this case */
};

/* The event of a case whose attachments moved, after its last one moved. */
static int
moved_event(struct store *s, const struct moved *m)
{
	struct stmt *st = store_sql(s, "SELECT code FROM cases WHERE id = ?");
	char code[CODE_LEN + 1] = "";

	stmt_bind_int(st, m->case_id);
	if (stmt_row(st)) {
		code_format(stmt_int(st, 0), code, sizeof code);
		stmt_reset(st);
	} else if (stmt_status(st) != 0) {
		return stmt_status(st);
	}
	struct buf note = {0};
	buf_adds(&note, "moved into the attachment store by the move to schema 6:");
	if (m->copied)
		buf_addf(&note, " %d copied", m->copied);
	if (m->links)
		buf_addf(&note, "%s %d kept as a link%s", m->copied ? "," : "", m->links,
		    m->links == 1 ? "" : "s");
	if (m->left)
		buf_addf(&note, "%s %d not copied", m->copied || m->links ? "," : "", m->left);
	struct event_input ev = {
		.kind = vocab_name(&record_vocab, RECORD_CASE), .subject_id = m->case_id,
		.subject = code, .at = clock_now(), .what = "attachments", .note = note.data,
	};
	int rc = audit_append(s, &ev, NULL);
	buf_free(&note);
	return rc;
}

/* One path or URL of schema 5, copied in or recorded as not copied. */
static int
adopt_one(struct store *s, const char *dir, long long max, long long case_id, const char *path,
    struct moved *m)
{
	struct attach_item it;
	char why[256], *note = NULL;
	int rc = attach_take(dir, max, path, &it, why, sizeof why);

	if (rc == ATTACH_STORE_FAILED)
		return store_failf(s, "%s", why);
	if (rc == ATTACH_REFUSED) {
		const char *slash = strrchr(path, '/');
		it = (struct attach_item){.kind = ATTACH_NOT_COPIED,
			.name = slash && slash[1] ? slash + 1 : path};
		it.note = note = xasprintf("not copied by the move to schema 6 from %s: %s", path, why);
	}
	m->copied += it.kind == ATTACH_FILE;
	m->links += it.kind == ATTACH_LINK;
	m->left += it.kind == ATTACH_NOT_COPIED;
	rc = attach_insert(s, case_id, &it);
	free(note);
	return rc;
}

int
attach_adopt(struct store *s, const struct config *cfg, bool with_events)
{
	struct stmt *st = store_sql(s, "SELECT case_id, path FROM attachment_v5 ORDER BY case_id, rowid");
	char *dir = attach_dir(cfg, store_path(s));
	struct moved m = {0};
	int rc = 0;

	while (rc == 0 && stmt_row(st)) {
		long long case_id = stmt_int(st, 0);
		if (m.case_id && case_id != m.case_id && with_events)
			rc = moved_event(s, &m);
		if (case_id != m.case_id)
			m = (struct moved){.case_id = case_id};
		char *path = xstrdup(stmt_text(st, 1) ? stmt_text(st, 1) : "");
		if (rc == 0)
			rc = adopt_one(s, dir, cfg->attachment_max_bytes, case_id, path, &m);
		free(path);
	}
	if (rc != 0)
		stmt_reset(st);
	else if ((rc = stmt_status(st)) == 0 && m.case_id && with_events)
		rc = moved_event(s, &m);
	free(dir);
	return rc;
}

/* --- pdb check ---------------------------------------------------------------------------- */

/* Past a few problems only their number is told: a store wiped is one
 * screen, not a line a case. */
#define PROBLEMS_SHOWN 20

struct check {
	problem_fn report;
	void *arg;
	int problems;
};

static void check_found(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
check_found(struct check *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (c->problems++ >= PROBLEMS_SHOWN)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	c->report(c->arg, msg);
	free(msg);
}

/* What is wrong with the copy of this digest and size, or NULL. */
static const char *
copy_fault(const char *dir, const char *sha256, long long size, bool full)
{
	static char why[96];
	char *path = attach_copy_path(dir, sha256), got[ATTACH_DIGEST_HEX + 1];
	unsigned char *data;
	struct stat st;
	size_t n;
	const char *fault = NULL;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		fault = "its copy is not in the store";
	else if (st.st_size != (off_t)size) {
		snprintf(why, sizeof why, "its copy has %lld bytes, not %lld", (long long)st.st_size, size);
		fault = why;
	} else if (full && read_whole(path, size, &data, &n, why, sizeof why) != 0) {
		fault = "its copy cannot be read";
	} else if (full) {
		sha256_hex(data, n, got);
		free(data);
		if (strcmp(got, sha256) != 0)
			fault = "its copy's content is not the one its digest names: it was changed";
	}
	free(path);
	return fault;
}

int
attach_check(struct store *s, const char *dir, bool full, problem_fn report, void *arg)
{
	struct stmt *st = store_sql(s,
	    "SELECT c.code, a.name, a.sha256, a.size FROM attachment a JOIN cases c ON c.id = a.case_id"
	    " WHERE a.kind = 'file' ORDER BY a.sha256, a.size, a.id");
	struct check c = {report, arg, 0};
	char code[CODE_LEN + 1], last[ATTACH_DIGEST_HEX + 1] = "";
	long long last_size = -1;
	const char *fault = NULL;
	bool looked = false;

	while (stmt_row(st)) {
		const char *sha256 = stmt_text(st, 2);
		/* A store this user cannot read is one problem, not one a copy. */
		if (!looked) {
			looked = true;
			if (access(dir, R_OK | X_OK) != 0) {
				check_found(&c, "attachments: the attachment store %s cannot be read: %s",
				    dir, strerror(errno));
				stmt_reset(st);
				return c.problems;
			}
		}
		long long size = stmt_int(st, 3);
		code_format(stmt_int(st, 0), code, sizeof code);
		if (sha256 == NULL || strlen(sha256) != ATTACH_DIGEST_HEX ||
		    strspn(sha256, "0123456789abcdef") != ATTACH_DIGEST_HEX) {
			check_found(&c, "attachments: case %s: %s: its digest is not one", code,
			    text_quote(stmt_text(st, 1)));
			continue;
		}
		/* A copy serves every case with its content: read once. */
		if (strcmp(sha256, last) != 0 || size != last_size) {
			fault = copy_fault(dir, sha256, size, full);
			snprintf(last, sizeof last, "%s", sha256);
			last_size = size;
		}
		if (fault)
			check_found(&c, "attachments: case %s: %s (sha256 %.12s…): %s", code,
			    text_quote(stmt_text(st, 1)), sha256, fault);
	}
	if (stmt_status(st) != 0)
		return -1;
	if (c.problems > PROBLEMS_SHOWN) {
		char *msg = xasprintf("attachments: and %d more problems", c.problems - PROBLEMS_SHOWN);
		report(arg, msg);
		free(msg);
	}
	return c.problems;
}
