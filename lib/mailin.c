/*
 * mailin.c — a mail piped in by the mail server becomes a case, a
 * follow-up on one, or a copy in the holding folder with its reason. GMime
 * reads the message (the only module that includes it); libxml2's HTML
 * parser makes text of a mail that has only HTML. The case itself is
 * checked and stored by case.c, its files by attach.c, the follow-up by
 * workflow.c, the automatic reply by notice.c: this file only reads mail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "case.h"
#include "contact.h"
#include "exitcode.h"
#include "mail.h"
#include "mailin.h"
#include "notice.h"
#include "outbox.h"
#include "text.h"
#include "unit.h"
#include "util.h"

/* What the mail server is told (sysexits.h's names). */
enum { MAIL_ACCEPT = 0, MAIL_BOUNCE = 64, MAIL_RETRY = 75 };

/* Deeper than this, a MIME tree is an attack on the parser, not a mail. */
#define MAX_PARTS 200

char *
mailin_hold_dir(const struct config *cfg, const char *db_path)
{
	return cfg->mail_hold_dir ? xstrdup(cfg->mail_hold_dir) : xasprintf("%s.held", db_path);
}

void
mailin_result_free(struct mailin_result *r)
{
	free(r->held);
	r->held = NULL;
}

/* ---- the holding folder ---- */

static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* A new file of the folder, 0600, never one that is there; -1 on failure. */
static int
create_in(const char *dir, const char *name, const char *ext, char **path)
{
	*path = xasprintf("%s/%s%s", dir, name, ext);
	int fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(*path);
		*path = NULL;
	}
	return fd;
}

/*
 * Keeps the message whole (what was read, then the rest of in) and the
 * reason beside it, both on the disk before this returns. 0, or
 * MAIL_RETRY when the folder cannot be written (the mail server keeps the
 * mail and tries again: nothing is lost).
 */
static int
hold(struct context *ctx, const char *data, size_t n, FILE *rest, const char *why,
    struct mailin_result *r)
{
	char *dir = mailin_hold_dir(ctx->cfg, store_path(ctx->store)), name[80], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int fd = -1, rc = MAIL_RETRY;
	char *reason_path = NULL;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto out;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		snprintf(name, sizeof name, "%s-%ld-%06lld", stamp, (long)getpid(),
		    code_generate() % 1000000);
		fd = create_in(dir, name, ".eml", &r->held);
	}
	if (fd < 0)
		goto out;
	bool ok = write_all(fd, data, n);
	char chunk[65536];
	for (size_t k; ok && rest && (k = fread(chunk, 1, sizeof chunk, rest)) > 0;)
		ok = write_all(fd, chunk, k);
	ok = ok && (!rest || !ferror(rest)) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	int wfd = ok ? create_in(dir, name, ".why", &reason_path) : -1;
	if (wfd >= 0) {
		ok = write_all(wfd, why, strlen(why)) && write_all(wfd, "\n", 1) && fsync(wfd) == 0;
		ok = close(wfd) == 0 && ok;
	}
	if (ok && wfd >= 0)
		rc = 0;
out:
	if (rc != 0) {
		snprintf(r->why, sizeof r->why, "%s; and it could not be kept in %s: %s", why, dir,
		    strerror(errno ? errno : EIO));
		if (r->held)
			unlink(r->held);
		free(r->held);
		r->held = NULL;
	}
	free(reason_path);
	free(dir);
	return rc;
}

/* Held, with the status given for the mail server (unless holding failed). */
static int
held(struct context *ctx, const char *data, size_t n, FILE *rest, int status,
    struct mailin_result *r, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static int
held(struct context *ctx, const char *data, size_t n, FILE *rest, int status,
    struct mailin_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	if (r->code == 0)	/* else a case was made, and this is a copy beside it */
		r->outcome = MAILIN_HELD;
	char *why = xstrdup(r->why);
	int rc = hold(ctx, data, n, rest, why, r);
	free(why);
	return rc ? rc : status;
}

/* ---- text ---- */

/*
 * Text as a case may hold it: valid UTF-8 (a malformed byte becomes
 * U+FFFD), CRLF as LF, and no control character but tab and line end (in
 * one line, no line end and no bidi control either: they become spaces).
 * A new string.
 */
static char *
clean_text(const char *s, bool one_line)
{
	char *valid = g_utf8_make_valid(s, -1);
	struct buf b = {0};

	buf_adds(&b, "");
	for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		bool line_end = *p == '\n' || *p == '\r';
		if (line_end || *p == '\t') {
			buf_addc(&b, one_line ? ' ' : line_end ? '\n' : '\t');
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_addc(&b, ' ');
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			buf_addc(&b, ' ');	/* a C1 control */
			p++;
		} else if (one_line && *p == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
		    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
			buf_addc(&b, ' ');	/* a bidi embedding, override or isolate */
			p += 2;
		} else {
			buf_addc(&b, (char)*p);
		}
	}
	g_free(valid);
	return b.data;
}

/* The first `max` characters of s, cut in place; true when it was longer. */
static bool
cut_chars(char *s, size_t max)
{
	size_t chars = 0;

	for (char *p = s; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > max) {
			*p = '\0';
			return true;
		}
	return false;
}

static bool
is_block(const char *name)
{
	static const char *const blocks[] = {
		"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
		"blockquote", "pre", "ul", "ol", "hr", "section", "article", "header", "footer",
	};
	for (size_t i = 0; i < ARRAY_SIZE(blocks); i++)
		if (strcasecmp(name, blocks[i]) == 0)
			return true;
	return false;
}

/* The text of an HTML tree: its words, a line end at each block, no script or style. */
static void
html_text(xmlNode *n, struct buf *b, int depth)
{
	for (; n && depth < 200; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			buf_adds(b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
			    strcasecmp(name, "head") == 0)
				continue;
			if (is_block(name))
				buf_addc(b, '\n');
			html_text(n->children, b, depth + 1);
			if (is_block(name))
				buf_addc(b, '\n');
		}
	}
}

/* Blank lines at most one in a row, blanks at a line's ends gone: what HTML's layout leaves. */
static char *
tidy_lines(const char *s)
{
	struct buf b = {0};
	int blank = 0;

	buf_adds(&b, "");
	for (const char *line = s; *line;) {
		size_t n = strcspn(line, "\n");
		const char *start = line, *end = line + n;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (start == end) {
			blank++;
		} else {
			if (b.len)
				buf_adds(&b, blank ? "\n\n" : "\n");
			blank = 0;
			buf_add(&b, start, (size_t)(end - start));
		}
		line += n + (line[n] == '\n');
	}
	return b.data;
}

static char *
text_of_html(const char *html)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	struct buf b = {0};

	buf_adds(&b, "");
	if (doc)
		html_text(xmlDocGetRootElement(doc), &b, 0);
	xmlFreeDoc(doc);
	char *text = tidy_lines(b.data);
	buf_free(&b);
	return text;
}

/* ---- the message ---- */

struct part_ref {
	GMimePart *part;
	char *name;	/* an attachment's file name, as it will be kept */
};

struct mail {
	GMimeMessage *msg;
	const char *malformed;	/* what GMime found broken, or NULL */
	GMimeTextPart *plain, *html;
	struct part_ref files[ATTACH_MAX];
	size_t nfiles, extra_files, nparts;
};

static void
on_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer arg)
{
	struct mail *m = arg;

	(void)offset, (void)item;
	switch (code) {
	case GMIME_WARN_TRUNCATED_MESSAGE: m->malformed = "the message is cut short"; break;
	case GMIME_WARN_MALFORMED_MULTIPART: m->malformed = "a multipart has no parts"; break;
	case GMIME_WARN_MALFORMED_MESSAGE: m->malformed = "the message is malformed"; break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: m->malformed = "a multipart has no boundary"; break;
	case GMIME_CRIT_NESTING_OVERFLOW: m->malformed = "the MIME parts nest too deep"; break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		m->malformed = "a MIME part has neither headers nor content";
		break;
	default: break;	/* a header's small faults: GMime reads past them */
	}
}

/* An attachment's name as kept: no folder, no control, at most 255 bytes; else "attachment-N". */
static char *
file_name(const char *given, size_t n)
{
	const char *base = given ? given : "";

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	char *name = clean_text(base, true);
	for (char *p = name; *p; p++)
		if (*p == ' ' && p == name)
			*p = '_';
	if (*strip(name) == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(name);
		return xasprintf("attachment-%zu", n + 1);
	}
	char *kept = xstrdup(strip(name));
	free(name);
	cut_chars(kept, ATTACH_NAME_BYTES / 4);	/* four bytes a character at most */
	return kept;
}

static void
each_part(GMimeObject *parent, GMimeObject *obj, gpointer arg)
{
	struct mail *m = arg;

	(void)parent;
	if (++m->nparts > MAX_PARTS || !GMIME_IS_PART(obj))
		return;
	GMimePart *part = (GMimePart *)obj;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	bool attachment = g_mime_part_is_attachment(part) || g_mime_part_get_filename(part);
	if (!attachment && GMIME_IS_TEXT_PART(obj) && g_mime_content_type_is_type(ct, "text", "plain")) {
		if (!m->plain)
			m->plain = (GMimeTextPart *)obj;
		return;
	}
	if (!attachment && GMIME_IS_TEXT_PART(obj) && g_mime_content_type_is_type(ct, "text", "html")) {
		if (!m->html)
			m->html = (GMimeTextPart *)obj;
		return;
	}
	if (m->nfiles == ATTACH_MAX) {
		m->extra_files++;
		return;
	}
	m->files[m->nfiles].part = part;
	m->files[m->nfiles].name = file_name(g_mime_part_get_filename(part), m->nfiles);
	m->nfiles++;
}

static void
mail_free(struct mail *m)
{
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].name);
	if (m->msg)
		g_object_unref(m->msg);
}

static bool
parse(const char *data, size_t n, struct mail *m)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, n);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeParserOptions *opts = g_mime_parser_options_new();

	g_mime_parser_options_set_warning_callback(opts, on_warning, m);
	m->msg = g_mime_parser_construct_message(parser, opts);
	g_mime_parser_options_free(opts);
	g_object_unref(parser);
	g_object_unref(stream);
	if (m->msg)
		g_mime_message_foreach(m->msg, each_part, m);
	return m->msg != NULL;
}

static const char *
header(const struct mail *m, const char *name)
{
	return g_mime_object_get_header((GMimeObject *)m->msg, name);
}

/* The first mailbox of a list, or NULL. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *l)
{
	for (int i = 0; l && i < internet_address_list_length(l); i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			return (InternetAddressMailbox *)a;
	}
	return NULL;
}

/* The word of a header before any ';' parameters, blanks gone, in buf. */
static const char *
header_word(const struct mail *m, const char *name, char *buf, size_t n)
{
	const char *v = header(m, name);

	if (!v)
		return NULL;
	snprintf(buf, n, "%.*s", (int)strcspn(v, ";"), v);
	return strip(buf);
}

/* Why no automatic reply may answer this mail (RFC 3834, 2; RT's
 * mailgate), or NULL. */
static const char *
automatic(const struct mail *m)
{
	char word[64];
	const char *v;

	if ((v = header_word(m, "Auto-Submitted", word, sizeof word)) && strcasecmp(v, "no") != 0)
		return "it is an automatic mail (Auto-Submitted)";
	if ((v = header_word(m, "Precedence", word, sizeof word)) &&
	    (strcasecmp(v, "bulk") == 0 || strcasecmp(v, "junk") == 0 || strcasecmp(v, "list") == 0))
		return "it is bulk or list mail (Precedence)";
	if ((v = header_word(m, "Return-Path", word, sizeof word)) &&
	    (*v == '\0' || strcmp(v, "<>") == 0))
		return "it has no return path";
	if (header(m, "List-Id"))
		return "it came from a mailing list (List-Id)";
	return NULL;
}

/* Why this is no citizen's mail but a delivery report or our own mail, or NULL. */
static const char *
not_citizens(const struct mail *m, const char *from)
{
	GMimeObject *top = g_mime_message_get_mime_part(m->msg);
	size_t local = from ? strcspn(from, "@") : 0;

	if (header(m, MAIL_LOOP_HEADER))
		return "it is partake's own mail come back (" MAIL_LOOP_HEADER ")";
	if (top && g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart",
	    "report"))
		return "it is a delivery report (multipart/report)";
	if (from && ((local == 13 && strncasecmp(from, "mailer-daemon", 13) == 0) ||
	    (local == 10 && strncasecmp(from, "postmaster", 10) == 0)))
		return "it is from a mail system (mailer-daemon, postmaster)";
	return NULL;
}

/* A case's code in a subject, as RT tags it: "[#1234-5678-9012]". */
static bool
code_in_subject(const char *subject, tcode *code)
{
	const char *why;

	for (const char *p = subject ? strstr(subject, "[#") : NULL; p; p = strstr(p + 2, "[#")) {
		const char *end = strchr(p + 2, ']');
		if (!end || end - p > 64)
			continue;
		char *inside = xstrndup(p + 2, (size_t)(end - p - 2));
		int rc = code_parse(inside, code, &why);
		free(inside);
		if (rc == 0)
			return true;
	}
	return false;
}

/* The recipients, the envelope's first: the address as given, and without its +extension. */
struct recipients {
	char *addr[32];
	size_t n;
};

static void
add_recipients(struct recipients *r, InternetAddressList *l)
{
	for (int i = 0; l && i < internet_address_list_length(l) && r->n < ARRAY_SIZE(r->addr); i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			r->addr[r->n++] = xstrdup(internet_address_mailbox_get_addr(
			    (InternetAddressMailbox *)a));
	}
}

static void
add_recipient_header(struct recipients *r, const struct mail *m, const char *name)
{
	const char *v = header(m, name);
	InternetAddressList *l = v ? internet_address_list_parse(NULL, v) : NULL;

	add_recipients(r, l);
	if (l)
		g_object_unref(l);
}

static void
find_recipients(const struct mail *m, const char *envelope, struct recipients *r)
{
	memset(r, 0, sizeof *r);
	if (envelope)
		r->addr[r->n++] = xstrdup(envelope);
	add_recipient_header(r, m, "Delivered-To");
	add_recipient_header(r, m, "X-Original-To");
	add_recipients(r, g_mime_message_get_addresses(m->msg, GMIME_ADDRESS_TYPE_TO));
	add_recipients(r, g_mime_message_get_addresses(m->msg, GMIME_ADDRESS_TYPE_CC));
}

static void
recipients_free(struct recipients *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->addr[i]);
}

/* "water+123456789012@x" → code, and "water@x" in base (n bytes). */
static bool
split_extension(const char *addr, char *base, size_t n, tcode *code)
{
	const char *at = strrchr(addr, '@'), *plus = strchr(addr, '+'), *why;

	if (!at || !plus || plus > at) {
		snprintf(base, n, "%s", addr);
		return false;
	}
	snprintf(base, n, "%.*s%s", (int)(plus - addr), addr, at);
	char *ext = xstrndup(plus + 1, (size_t)(at - plus - 1));
	bool found = code_parse(ext, code, &why) == 0;
	free(ext);
	return found;
}

/* The unit by the first recipient that is a unit's address; a new string, or NULL. */
static char *
route_by_recipient(struct context *ctx, const struct recipients *r, tcode *code, bool *has_code)
{
	char *unit = NULL, base[512];

	for (size_t i = 0; i < r->n; i++) {
		tcode c;
		if (split_extension(r->addr[i], base, sizeof base, &c) && !*has_code) {
			*code = c;
			*has_code = true;
		}
		if (!unit)
			unit = unit_code_by_email(ctx->store, base);
	}
	return unit;
}

/* A Message-ID as a case's source id: printable ASCII, of a length a source id may have. */
static const char *
message_id(const struct mail *m)
{
	const char *id = g_mime_message_get_message_id(m->msg);

	if (!id || !*id || strlen(id) > SOURCE_ID_MAX - 2)
		return NULL;
	for (const char *p = id; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			return NULL;
	return id;
}

/* The body: the plain text, else text made from the HTML; NULL: neither. */
static char *
body_of(const struct mail *m)
{
	char *raw = m->plain ? g_mime_text_part_get_text(m->plain)
	    : m->html ? g_mime_text_part_get_text(m->html) : NULL;

	if (!raw)
		return NULL;
	char *text = clean_text(raw, false);
	g_free(raw);
	if (!m->plain) {
		char *made = text_of_html(text);
		free(text);
		text = made;
	}
	char *body = tidy_lines(text);
	free(text);
	return body;
}

/* ---- attachments ---- */

/* A folder of our own for the files as they are decoded; removed after. */
struct spool {
	char *dir;
	char *paths[ATTACH_MAX];
	size_t n;
};

static void
spool_free(struct spool *s)
{
	for (size_t i = 0; i < s->n; i++) {
		unlink(s->paths[i]);
		char *slash = strrchr(s->paths[i], '/');
		*slash = '\0';
		rmdir(s->paths[i]);
		free(s->paths[i]);
	}
	if (s->dir)
		rmdir(s->dir);
	free(s->dir);
}

/* Decodes a part into spool/N/NAME: its path, or NULL. */
static char *
spool_part(struct spool *s, const struct part_ref *f, size_t i)
{
	char *sub = xasprintf("%s/%zu", s->dir, i);
	char *path = xasprintf("%s/%s", sub, f->name);
	int fd = mkdir(sub, 0700) == 0 ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	bool ok = false;

	free(sub);
	if (fd >= 0) {
		GMimeStream *out = g_mime_stream_fs_new(fd);	/* closes fd when freed */
		GMimeDataWrapper *content = g_mime_part_get_content(f->part);
		ok = content && g_mime_data_wrapper_write_to_stream(content, out) >= 0 &&
			g_mime_stream_flush(out) == 0;
		g_object_unref(out);
	}
	if (!ok) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/*
 * Each file of the mail decoded and offered to the attachment store; those
 * it takes go with the case (in->attach), those it refuses are named in
 * *refused. MAIL_RETRY when the store cannot be written.
 */
static int
take_files(struct context *ctx, const struct mail *m, struct spool *s, struct case_input *in,
    struct buf *refused)
{
	const char *tmp = getenv("TMPDIR");
	char *store_dir = attach_dir(ctx->cfg, store_path(ctx->store)), why[200];
	int rc = 0;

	s->dir = xasprintf("%s/pcase-mail.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (m->nfiles && !mkdtemp(s->dir)) {
		free(s->dir);
		s->dir = NULL;
		free(store_dir);
		return MAIL_RETRY;
	}
	for (size_t i = 0; i < m->nfiles && rc == 0; i++) {
		struct attach_item item;
		char *path = spool_part(s, &m->files[i], i);
		if (!path) {
			buf_addf(refused, "%s%s: could not be decoded", refused->len ? "; " : "",
			    m->files[i].name);
			continue;
		}
		s->paths[s->n++] = path;
		int took = attach_take(store_dir, ctx->cfg->attachment_max_bytes, path, &item, why,
		    sizeof why);
		if (took == ATTACH_STORE_FAILED)
			rc = MAIL_RETRY;
		else if (took != 0)
			buf_addf(refused, "%s%s: %s", refused->len ? "; " : "", m->files[i].name, why);
		else
			in->attach[in->nattach++] = path;
	}
	if (m->extra_files)
		buf_addf(refused, "%s%zu files more than the %d a case keeps", refused->len ? "; " : "",
		    m->extra_files, ATTACH_MAX);
	free(store_dir);
	return rc;
}

/* ---- taking it in ---- */

struct intake {
	struct context *ctx;
	const struct mailin_options *o;
	struct mail *m;
	const char *data;
	size_t n;
	const char *auto_why;	/* why no reply may go, or NULL */
	char *from, *name, *subject, *unit;
	struct mailin_result *r;
};

/* The status of a store's failure for the mail server: busy or broken, try again. */
static int
store_status(struct intake *t, int rc, const char *what)
{
	/* Busy, or broken: either way the mail server keeps the mail and tries again. */
	(void)rc;
	snprintf(t->r->why, sizeof t->r->why, "%s: %s", what, store_error(t->ctx->store));
	return MAIL_RETRY;
}

static int
follow_up(struct intake *t, tcode code, char *body)
{
	const char *text = body && *body ? body : t->subject;
	int rc = case_follow_up(t->ctx, code, "email", message_id(t->m), text, &t->r->follow_up);

	if (rc == EXIT_PARTIAL && store_error_field(t->ctx->store) == NULL &&
	    strstr(store_error(t->ctx->store), "no such case"))
		return -1;	/* a code of no case: the mail is a new one */
	if (rc != 0)
		return store_status(t, rc, "the follow-up was not stored");
	t->r->outcome = MAILIN_FOLLOW_UP;
	t->r->code = code;
	return 0;
}

/* The automatic reply, unless the mail is automatic, the sender had the day's, or opted out. */
static int
reply(struct intake *t, const struct case_record *rec, long long case_id, long long event_id)
{
	struct context *ctx = t->ctx;
	const char *id = message_id(t->m);
	long sent;

	if (t->auto_why)
		snprintf(t->r->no_reply, sizeof t->r->no_reply, "%s", t->auto_why);
	else if (!(ctx->cfg->notify & (1u << NOTICE_RECEIVED)))
		snprintf(t->r->no_reply, sizeof t->r->no_reply, "notify leaves out received");
	else if (outbox_opted_out(ctx, t->from))
		snprintf(t->r->no_reply, sizeof t->r->no_reply, "the sender asked for no messages");
	else if ((sent = outbox_replies_since(ctx, t->from, ctx->now - 86400)) < 0)
		return EXIT_FATAL;
	else if (sent >= ctx->cfg->mail_replies_per_day)
		snprintf(t->r->no_reply, sizeof t->r->no_reply,
		    "the sender had %ld automatic replies in a day (mail_replies_per_day)", sent);
	else {
		char *in_reply_to = id ? xasprintf("<%s>", id) : NULL;
		struct notice_reply nr = {
			.case_id = case_id, .event_id = event_id, .code = t->r->code, .to = t->from,
			.subject = rec->subject, .unit = t->unit, .in_reply_to = in_reply_to,
			.due = rec->due,
		};
		int rc = notice_queue_reply(ctx, &nr);
		free(in_reply_to);
		t->r->replied = rc == 0;
		return rc;
	}
	return 0;
}

/* The case's id and the event of its intake, to key the reply by. */
static int
intake_event(struct context *ctx, tcode code, long long *case_id, long long *event_id)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.id, max(e.id) FROM cases c JOIN event e ON e.subject_kind = 'case'"
	    " AND e.subject_id = c.id AND e.what = 'received' WHERE c.code = ? GROUP BY c.id");

	stmt_bind_int(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_FATAL;
	*case_id = stmt_int(st, 0);
	*event_id = stmt_int(st, 1);
	stmt_reset(st);
	return 0;
}

/* Stores the case and queues the reply, in one transaction on the disk when it ends. */
static int
store_case(struct intake *t, struct case_record *rec)
{
	struct context *ctx = t->ctx;
	bool known = false;
	long long case_id = 0, event_id = 0;
	int rc;

	if ((rc = store_durable(ctx->store)) != 0 || (rc = store_begin(ctx->store)) != 0)
		return rc;
	if ((rc = case_insert(ctx, rec, &t->r->code, &known)) == 0 && !known &&
	    (rc = intake_event(ctx, t->r->code, &case_id, &event_id)) == 0)
		rc = reply(t, rec, case_id, event_id);
	if (rc != 0) {
		t->r->code = 0;
		store_rollback(ctx->store);
		return rc;
	}
	t->r->outcome = known ? MAILIN_KNOWN : MAILIN_CASE;
	return store_commit(ctx->store);
}

static int
new_case(struct intake *t, char *body)
{
	struct context *ctx = t->ctx;
	struct case_input in = {
		.kind = t->o->kind ? t->o->kind : "complaint", .channel = "email",
		.unit = t->unit, .subject = t->subject, .body = body && *body ? body : NULL,
		.name = t->name, .email = t->from, .source_id = message_id(t->m),
	};
	struct buf refused = {0};
	struct spool spool = {0};
	struct case_record rec;
	struct field_error err;
	int rc;

	if ((rc = take_files(ctx, t->m, &spool, &in, &refused)) != 0) {
		snprintf(t->r->why, sizeof t->r->why, "the attachment store cannot be written");
		spool_free(&spool);
		buf_free(&refused);
		return rc;
	}
	if (!in.body && in.nattach == 0) {
		spool_free(&spool);
		rc = held(ctx, t->data, t->n, NULL, t->auto_why ? MAIL_ACCEPT : MAIL_BOUNCE, t->r,
		    "no text: the mail has no body and no file a case may keep%s%s",
		    refused.len ? ": " : "", refused.len ? refused.data : "");
		buf_free(&refused);
		return rc;
	}
	/* A mail is its own: the reply below, not the notice of every intake, answers it. */
	bool no_notice = ctx->no_notice;
	ctx->no_notice = true;
	if (case_check(ctx, &in, &rec, &err) != 0)
		rc = held(ctx, t->data, t->n, NULL, t->auto_why ? MAIL_ACCEPT : MAIL_BOUNCE, t->r,
		    "not a case: %s: %s", err.field, err.why);
	else if ((rc = store_case(t, &rec)) != 0) {
		const char *field = store_error_field(ctx->store);
		if (rc == EXIT_FATAL && field)
			rc = held(ctx, t->data, t->n, NULL, MAIL_ACCEPT, t->r, "not a case: %s: %s",
			    field, store_error(ctx->store));
		else
			rc = store_status(t, rc, "the case was not stored");
	} else if (refused.len) {
		/* The case is made; what it could not keep is kept beside it, whole. */
		char code[24];
		rc = held(ctx, t->data, t->n, NULL, MAIL_ACCEPT, t->r,
		    "case %s was made without these files: %s",
		    code_format_grouped(t->r->code, code, sizeof code), refused.data);
	}
	ctx->no_notice = no_notice;
	spool_free(&spool);
	buf_free(&refused);
	return rc;
}

/* The sender, subject and route; then a follow-up or a new case. */
static int
take_message(struct intake *t, struct mail *m)
{
	InternetAddressMailbox *from = first_mailbox(g_mime_message_get_from(m->msg));
	const char *addr = from ? internet_address_mailbox_get_addr(from) : NULL;
	const char *why = not_citizens(m, addr);

	if (why)
		return held(t->ctx, t->data, t->n, NULL, MAIL_ACCEPT, t->r, "not taken: %s", why);
	t->auto_why = automatic(m);
	if (m->malformed)
		return held(t->ctx, t->data, t->n, NULL, t->auto_why ? MAIL_ACCEPT : MAIL_BOUNCE, t->r,
		    "malformed: %s", m->malformed);
	if (!addr || (why = check_email(addr)) != NULL)
		return held(t->ctx, t->data, t->n, NULL, t->auto_why ? MAIL_ACCEPT : MAIL_BOUNCE, t->r,
		    "no sender to answer: %s", addr ? why : "the mail has no From address");
	t->from = xstrdup(addr);
	const char *name = internet_address_get_name((InternetAddress *)from);
	if (name && *name) {
		t->name = clean_text(name, true);
		cut_chars(t->name, NAME_MAX_CHARS);
	}
	const char *subject = g_mime_message_get_subject(m->msg);
	t->subject = clean_text(subject ? subject : "", true);
	cut_chars(t->subject, SUBJECT_MAX);
	if (*strip(t->subject) == '\0') {
		free(t->subject);
		t->subject = xstrdup("(بدون موضوع)");
	}

	struct recipients rcpt;
	tcode code = 0;
	bool has_code = code_in_subject(t->subject, &code);
	find_recipients(m, t->o->recipient, &rcpt);
	char *routed = route_by_recipient(t->ctx, &rcpt, &code, &has_code);
	recipients_free(&rcpt);
	t->unit = t->o->unit ? xstrdup(t->o->unit) : routed;
	if (t->o->unit)
		free(routed);

	char *body = body_of(m);
	bool cut = body && cut_chars(body, BODY_MAX);
	int rc = has_code ? follow_up(t, code, body) : -1;
	if (rc < 0)
		rc = new_case(t, body);
	if (rc == 0 && cut && !t->r->held)
		rc = held(t->ctx, t->data, t->n, NULL, MAIL_ACCEPT, t->r,
		    "the text was cut to %d characters; the whole mail is here", BODY_MAX);
	free(body);
	return rc;
}

/* Reads up to max + 1 bytes: more means too large. MAIL_RETRY on a read error. */
static int
read_message(FILE *in, long long max, struct buf *b, bool *too_large)
{
	char chunk[65536];
	size_t k;

	*too_large = false;
	buf_adds(b, "");
	while ((k = fread(chunk, 1, sizeof chunk, in)) > 0) {
		buf_add(b, chunk, k);
		if ((long long)b->len > max) {
			*too_large = true;
			return 0;
		}
	}
	return ferror(in) ? MAIL_RETRY : 0;
}

int
mailin_take(struct context *ctx, FILE *in, const struct mailin_options *o, struct mailin_result *r)
{
	struct buf data = {0};
	bool too_large;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = read_message(in, ctx->cfg->mail_max_bytes, &data, &too_large)) != 0) {
		snprintf(r->why, sizeof r->why, "the mail could not be read: %s", strerror(errno));
		buf_free(&data);
		return rc;
	}
	if (too_large) {
		rc = held(ctx, data.data, data.len, in, MAIL_BOUNCE, r,
		    "too large: more than the %lld bytes of mail_max_bytes", ctx->cfg->mail_max_bytes);
		buf_free(&data);
		return rc;
	}
	g_mime_init();
	struct mail m = {0};
	struct intake t = {.ctx = ctx, .o = o, .m = &m, .data = data.data, .n = data.len, .r = r};
	if (data.len == 0 || !parse(data.data, data.len, &m))
		rc = held(ctx, data.data, data.len, NULL, MAIL_BOUNCE, r, "malformed: %s",
		    data.len ? "not a mail GMime can read" : "no mail at all");
	else
		rc = take_message(&t, &m);
	mail_free(&m);
	free(t.from);
	free(t.name);
	free(t.subject);
	free(t.unit);
	g_mime_shutdown();
	xmlCleanupParser();
	buf_free(&data);
	return rc;
}
