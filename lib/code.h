/*
 * code.h — tracking codes: 12 digits, 11 drawn from the kernel's random
 * source and a Damm check digit, so one wrong or two swapped digits are
 * caught before any look-up. Random, never sequential: a code tells
 * nothing about how many cases there are or which came first.
 */
#ifndef PARTAKE_CODE_H
#define PARTAKE_CODE_H

#include <stddef.h>

typedef long long tcode;

#define CODE_LEN 12

/* A new code; uniqueness is the store's to enforce (retry on collision). */
tcode code_generate(void);
/* 0 when the text is a valid code (digits in any script, blanks and dashes
 * between groups allowed); -1 with *why otherwise. */
int code_parse(const char *text, tcode *out, const char **why);
/* "482109375526" for data; buf has CODE_LEN + 1 bytes. */
char *code_format(tcode c, char *buf, size_t n);
/* "4821-0937-5526" for people. */
char *code_format_grouped(tcode c, char *buf, size_t n);

#endif
