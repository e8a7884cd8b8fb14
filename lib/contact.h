/*
 * contact.h — checks of the contact fields a citizen or a unit gives. Each
 * returns NULL when the value is good (writing its stored form to out),
 * else a short reason.
 */
#ifndef PARTAKE_CONTACT_H
#define PARTAKE_CONTACT_H

/* An Iranian mobile (09…, +989…, 0098…, Persian digits): stored as 09xxxxxxxxx. */
const char *check_mobile(const char *in, char out[16]);
/* Ten digits with a valid check digit; leading zeros restored. */
const char *check_national_id(const char *in, char out[16]);
const char *check_email(const char *in);
/* An office number: digits, maybe a leading +, 4 to 16 of them. */
const char *check_office_phone(const char *in, char out[24]);

#endif
