/* seal.c — Ed25519 seals of the chain's head (Nettle), and the heads file. */
#include <errno.h>
#include <fcntl.h>
#include <nettle/eddsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caltime.h"
#include "lines.h"
#include "seal.h"
#include "util.h"

_Static_assert(SEAL_KEY_SIZE == ED25519_KEY_SIZE, "an Ed25519 key");

#define SEAL_MAGIC "partake-seal 1"
#define KEY_ID_DIGITS 16

static void
to_hex(const unsigned char *v, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Exactly 2n hex digits into v. */
static int
from_hex(const char *s, unsigned char *v, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		v[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

char *
seal_public_hex(const struct seal_key *key, char out[SEAL_HEX_SIZE])
{
	to_hex(key->public, SEAL_KEY_SIZE, out);
	return out;
}

static int
write_all(int fd, const char *text)
{
	for (size_t done = 0, n = strlen(text); done < n;) {
		ssize_t w = write(fd, text + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

int
seal_new_key(const char *path, char pub[SEAL_HEX_SIZE], char **why)
{
	struct seal_key key = {.has_secret = true};
	char hex[SEAL_HEX_SIZE], *text;
	int fd;

	if (getrandom(key.secret, sizeof key.secret, 0) != (ssize_t)sizeof key.secret) {
		*why = xasprintf("the kernel's random source: %s", strerror(errno));
		return -1;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		*why = xasprintf("%s: %s", path, errno == EEXIST ? "exists already; not overwriting "
		    "a key" : strerror(errno));
		return -1;
	}
	ed25519_sha512_public_key(key.public, key.secret);
	to_hex(key.secret, SEAL_KEY_SIZE, hex);
	text = xasprintf("# partake: the secret key of the audit chain's seals (Ed25519);\n"
	    "# keep it from the database's writers. Public key: %s\n%s\n",
	    seal_public_hex(&key, pub), hex);
	int rc = fchmod(fd, 0600) == 0 && write_all(fd, text) == 0 && fsync(fd) == 0 ? 0 : -1;
	if (rc != 0)
		*why = xasprintf("%s: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(path);
	memset(hex, 0, sizeof hex);
	memset(text, 0, strlen(text));
	free(text);
	memset(&key, 0, sizeof key);
	return rc;
}

int
seal_load_secret(const char *path, struct seal_key *key, char **why)
{
	struct lines_options opt = {.max = 512};
	struct stat sb;
	struct lines *l;
	char *line;
	int rc = -1;

	memset(key, 0, sizeof *key);
	if ((l = lines_open_path(path, &opt, why)) == NULL)
		return -1;
	/* A key others can read is no longer the sealer's alone. */
	if (stat(path, &sb) == 0 && (sb.st_mode & S_IROTH)) {
		*why = xasprintf("%s: anyone can read it (mode %04o): a seal made with it proves "
		    "nothing; chmod o-r it, or make a new key", path, (unsigned)(sb.st_mode & 07777));
		lines_close(l);
		return -1;
	}
	while ((line = lines_next(l, NULL)) != NULL) {
		strip(line);
		if (*line == '\0' || *line == '#')
			continue;
		if (from_hex(line, key->secret, SEAL_KEY_SIZE) == 0) {
			ed25519_sha512_public_key(key->public, key->secret);
			key->has_secret = true;
			rc = 0;
		} else {
			*why = xasprintf("%s:%zu: not a secret key (64 hex digits)", path, lines_number(l));
		}
		memset(line, 0, strlen(line));
		break;
	}
	if (rc != 0 && *why == NULL)
		*why = lines_error(l) ? xstrdup(lines_error(l)) : xasprintf("%s: no key in it", path);
	lines_close(l);
	return rc;
}

int
seal_parse_public(const char *hex, struct seal_key *key, char **why)
{
	memset(key, 0, sizeof *key);
	if (hex == NULL) {
		*why = xstrdup("no public key to check the seals by (seal_public_key)");
		return -1;
	}
	if (from_hex(hex, key->public, SEAL_KEY_SIZE) != 0) {
		*why = xstrdup("the public key of the seals is not 64 hex digits");
		return -1;
	}
	return 0;
}

/* The signed text of a head: what the signature covers. */
static char *
head_text(const struct seal_key *key, const struct audit_head *head)
{
	char hash[SEAL_HEX_SIZE], pub[SEAL_HEX_SIZE], at[32];

	to_hex(head->hash, sizeof head->hash, hash);
	seal_public_hex(key, pub);
	return xasprintf(SEAL_MAGIC " events=%lld last=%lld hash=%s at=%s key=%.*s", head->count,
	    head->last, hash, cal_format_rfc3339(head->at, at, sizeof at), KEY_ID_DIGITS, pub);
}

char *
seal_sign(const struct seal_key *key, const struct audit_head *head)
{
	unsigned char sig[ED25519_SIGNATURE_SIZE];
	char hex[2 * ED25519_SIGNATURE_SIZE + 1];
	char *text = head_text(key, head), *line;

	ed25519_sha512_sign(key->public, key->secret, strlen(text), (const uint8_t *)text, sig);
	to_hex(sig, sizeof sig, hex);
	line = xasprintf("%s sig=%s", text, hex);
	free(text);
	return line;
}

/* One line of the heads file into *head; NULL, or why it is no seal of this key. */
static const char *
parse_head(char *line, const struct seal_key *key, struct audit_head *head)
{
	char hash[65], at[32], id[KEY_ID_DIGITS + 1], pub[SEAL_HEX_SIZE];
	unsigned char sig[ED25519_SIGNATURE_SIZE];
	char *mark = strstr(line, " sig=");
	struct tm tm = {0};
	int end = -1;

	if (mark == NULL || from_hex(mark + 5, sig, sizeof sig) != 0)
		return "not a seal: no signature (sig=, 128 hex digits) at its end";
	*mark = '\0';
	if (sscanf(line, SEAL_MAGIC " events=%lld last=%lld hash=%64[0-9a-f] at=%31s key=%16[0-9a-f]%n",
	    &head->count, &head->last, hash, at, id, &end) != 5 || end != (int)strlen(line) ||
	    from_hex(hash, head->hash, sizeof head->hash) != 0 || head->count < 0 || head->last < 0)
		return "not a seal of this partake (" SEAL_MAGIC " events=N last=ID hash=HEX at=TIME key=ID)";
	const char *rest = strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rest == NULL || *rest != '\0')
		return "its time is not of the form 2026-11-22T08:00:00Z";
	head->at = timegm(&tm);
	if (strncmp(id, seal_public_hex(key, pub), KEY_ID_DIGITS) != 0)
		return "signed by another key than the public key given";
	if (!ed25519_sha512_verify(key->public, strlen(line), (const uint8_t *)line, sig))
		return "its signature does not verify: it was changed, or forged";
	return NULL;
}

int
seal_read_heads(const char *path, const struct seal_key *key, struct audit_head **heads,
    size_t *n, problem_fn report, void *arg, char **why)
{
	struct lines_options opt = {.max = 1024};
	struct lines *l;
	char *line;
	int problems = 0;

	*heads = NULL;
	*n = 0;
	if ((l = lines_open_path(path, &opt, why)) == NULL)
		return -1;
	while ((line = lines_next(l, NULL)) != NULL) {
		struct audit_head head = {0};
		const char *bad;
		strip(line);
		if (*line == '\0' || *line == '#')
			continue;
		head.where = xasprintf("%s:%zu", path, lines_number(l));
		if ((bad = parse_head(line, key, &head)) != NULL) {
			char *msg = xasprintf("audit seal: %s: %s", head.where, bad);
			report(arg, msg);
			free(msg);
			free((char *)head.where);
			problems++;
			continue;
		}
		*heads = xrealloc(*heads, (*n + 1) * sizeof **heads);
		(*heads)[(*n)++] = head;
	}
	if (lines_error(l)) {
		*why = xstrdup(lines_error(l));
		problems = -1;
	}
	lines_close(l);
	return problems;
}

void
seal_free_heads(struct audit_head *heads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)heads[i].where);
	free(heads);
}

int
seal_append(const char *path, const char *line, char **why)
{
	char *text = xasprintf("%s\n", line);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644), rc = -1;

	if (fd >= 0 && write_all(fd, text) == 0 && fsync(fd) == 0)
		rc = 0;
	if (rc != 0)
		*why = xasprintf("%s: %s", path, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(text);
	return rc;
}
