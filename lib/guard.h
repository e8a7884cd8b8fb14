/*
 * guard.h — what keeps the portal's forms from being turned against the
 * agency or its citizens: a secret of this installation (32 random bytes
 * in a file of mode 0600, made on first use), the form tokens that bind
 * a submit to a page this portal gave the same browser (an HMAC under the
 * secret of the browser's random cookie, the form's name and the time
 * the page was made: a page of another site cannot forge one, and one
 * expires), and the per-address limits of submits and look-ups, counted
 * in the database under a keyed hash of the address, never the address.
 */
#ifndef PARTAKE_GUARD_H
#define PARTAKE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store.h"

#define GUARD_SECRET_LEN 32
#define GUARD_COOKIE_LEN 32	/* hex characters of a browser's random value */
#define GUARD_TOKEN_SIZE 96	/* a token and its NUL */
#define GUARD_KEY_SIZE 65	/* an address's key in hex and its NUL */
/* A form may be sent for a day after its page was made; a page that says
 * it was made in the future (by more than a clock's drift) is forged. */
#define GUARD_TOKEN_SECONDS (24 * 3600)
#define GUARD_TOKEN_DRIFT 300

struct guard {
	unsigned char secret[GUARD_SECRET_LEN];
};

/* Reads the secret from path, or makes the file (0600, never overwriting
 * one made at the same moment by another request) when there is none.
 * 0, or -1 with *why (a new string). */
int guard_load(struct guard *g, const char *path, char **why);
/* A new random value for a browser's cookie: GUARD_COOKIE_LEN hex digits. */
void guard_new_cookie(char out[GUARD_COOKIE_LEN + 1]);
/* The value has the shape guard_new_cookie gives. */
bool guard_cookie_ok(const char *v);
/* The token of form `form` for the browser's cookie at time now. */
void guard_token(const struct guard *g, const char *cookie, const char *form, time_t now,
    char out[GUARD_TOKEN_SIZE]);

enum guard_verdict { GUARD_OK, GUARD_NO_COOKIE, GUARD_MISSING, GUARD_WRONG, GUARD_EXPIRED };
/* Is token the token of this form for this cookie, and young enough? */
enum guard_verdict guard_check(const struct guard *g, const char *cookie, const char *form,
    const char *token, time_t now);

/* The address as the database keeps it: HMAC-SHA256 under the secret, in hex. */
void guard_address_key(const struct guard *g, const char *address, char out[GUARD_KEY_SIZE]);
/*
 * In the caller's transaction: when the address key made fewer than limit
 * hits of `what` ("submit", "lookup") in the hour before now, counts one
 * more; else counts nothing and sets *refused. Hits older than the hour
 * are removed. 0, or the store's status.
 */
int guard_hit(struct store *s, const char *key, const char *what, time_t now, int limit,
    bool *refused);

#endif
