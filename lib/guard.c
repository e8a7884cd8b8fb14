/* guard.c — the portal's secret, form tokens and per-address limits (see guard.h). */
#include <errno.h>
#include <error.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "guard.h"
#include "util.h"

static void
random_bytes(unsigned char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			error(2, errno, "reading the kernel's random source");
		got += (size_t)r;
	}
}

static void
to_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
read_secret(struct guard *g, int fd, const char *path, char **why)
{
	ssize_t r = read(fd, g->secret, sizeof g->secret);

	close(fd);
	if (r != (ssize_t)sizeof g->secret) {
		*why = xasprintf("%s: %s", path, r < 0 ? strerror(errno)
		    : "the portal's secret is shorter than 32 bytes");
		return -1;
	}
	return 0;
}

int
guard_load(struct guard *g, const char *path, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		return read_secret(g, fd, path, why);
	if (errno != ENOENT) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	/* Made aside and linked into place: a second request at the same
	 * moment reads the one that won, never half of one. */
	char *tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	random_bytes(g->secret, sizeof g->secret);
	bool written = fchmod(fd, 0600) == 0 &&
	    write(fd, g->secret, sizeof g->secret) == (ssize_t)sizeof g->secret && fsync(fd) == 0;
	close(fd);
	int linked = written ? link(tmp, path) : -1;
	int saved = errno;
	unlink(tmp);
	free(tmp);
	if (linked == 0)
		return 0;
	if (written && saved == EEXIST && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		return read_secret(g, fd, path, why);
	*why = xasprintf("%s: %s", path, strerror(saved));
	return -1;
}

void
guard_new_cookie(char out[GUARD_COOKIE_LEN + 1])
{
	unsigned char b[GUARD_COOKIE_LEN / 2];

	random_bytes(b, sizeof b);
	to_hex(b, sizeof b, out);
}

bool
guard_cookie_ok(const char *v)
{
	size_t n = 0;

	if (v == NULL)
		return false;
	for (; v[n]; n++)
		if (!((v[n] >= '0' && v[n] <= '9') || (v[n] >= 'a' && v[n] <= 'f')))
			return false;
	return n == GUARD_COOKIE_LEN;
}

/* HMAC-SHA256 under the secret of the parts, each ended by a NUL so that
 * no two lists of parts run together alike. */
static void
mac(const struct guard *g, const char *const *parts, unsigned char out[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx h;

	hmac_sha256_set_key(&h, sizeof g->secret, g->secret);
	for (; *parts; parts++)
		hmac_sha256_update(&h, strlen(*parts) + 1, (const uint8_t *)*parts);
	hmac_sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

/* A token: "TIME.NONCE.MAC", the MAC of the form, the time, the nonce and
 * the cookie. The nonce makes each page's token its own, so that a token
 * names one page's form (the case's source id: a reload of it is known). */
#define NONCE_HEX 16

static void
token_at(const struct guard *g, const char *cookie, const char *form, long long at,
    const char *nonce, char out[GUARD_TOKEN_SIZE])
{
	char when[24], hex[2 * SHA256_DIGEST_SIZE + 1];
	unsigned char d[SHA256_DIGEST_SIZE];

	snprintf(when, sizeof when, "%lld", at);
	const char *parts[] = {"partake form", form, when, nonce, cookie, NULL};
	mac(g, parts, d);
	to_hex(d, sizeof d, hex);
	snprintf(out, GUARD_TOKEN_SIZE, "%s.%s.%s", when, nonce, hex);
}

void
guard_token(const struct guard *g, const char *cookie, const char *form, time_t now,
    char out[GUARD_TOKEN_SIZE])
{
	unsigned char b[NONCE_HEX / 2];
	char nonce[NONCE_HEX + 1];

	random_bytes(b, sizeof b);
	to_hex(b, sizeof b, nonce);
	token_at(g, cookie, form, (long long)now, nonce, out);
}

static bool
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

enum guard_verdict
guard_check(const struct guard *g, const char *cookie, const char *form, const char *token,
    time_t now)
{
	char want[GUARD_TOKEN_SIZE], nonce[NONCE_HEX + 1];
	long long at = 0;
	const char *p;

	if (!guard_cookie_ok(cookie))
		return GUARD_NO_COOKIE;
	if (token == NULL || *token == '\0')
		return GUARD_MISSING;
	for (p = token; *p >= '0' && *p <= '9' && p - token < 18; p++)
		at = at * 10 + (*p - '0');
	if (p == token || *p != '.' || strlen(p + 1) != NONCE_HEX + 1 + 2 * SHA256_DIGEST_SIZE ||
	    !is_hex(p + 1, NONCE_HEX) || p[1 + NONCE_HEX] != '.')
		return GUARD_WRONG;
	memcpy(nonce, p + 1, NONCE_HEX);
	nonce[NONCE_HEX] = '\0';
	token_at(g, cookie, form, at, nonce, want);
	if (strlen(want) != strlen(token) || !memeql_sec(want, token, strlen(want)))
		return GUARD_WRONG;
	if (at > (long long)now + GUARD_TOKEN_DRIFT)
		return GUARD_WRONG;
	if ((long long)now - at > GUARD_TOKEN_SECONDS)
		return GUARD_EXPIRED;
	return GUARD_OK;
}

void
guard_address_key(const struct guard *g, const char *address, char out[GUARD_KEY_SIZE])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	const char *parts[] = {"partake address", address, NULL};

	mac(g, parts, d);
	to_hex(d, sizeof d, out);
}

int
guard_hit(struct store *s, const char *key, const char *what, time_t now, int limit,
    bool *refused)
{
	long long since = (long long)now - 3600;
	struct stmt *st = store_sql(s, "DELETE FROM portal_hit WHERE at <= ?");
	int rc;

	*refused = false;
	stmt_bind_int(st, since);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	st = store_sql(s, "SELECT count(*) FROM portal_hit WHERE address = ? AND what = ? AND at > ?");
	stmt_bind_text(st, key);
	stmt_bind_text(st, what);
	stmt_bind_int(st, since);
	long long n = stmt_row(st) ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if ((rc = stmt_status(st)) != 0)
		return rc;
	if (n >= limit) {
		*refused = true;
		return 0;
	}
	st = store_sql(s, "INSERT INTO portal_hit (address, what, at) VALUES (?, ?, ?)");
	stmt_bind_text(st, key);
	stmt_bind_text(st, what);
	stmt_bind_int(st, (long long)now);
	return stmt_run(st);
}
