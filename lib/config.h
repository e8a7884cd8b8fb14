/*
 * config.h — the configuration file: `key = value` lines, `#` comments.
 * Found at PARTAKE_CONFIG, else $XDG_CONFIG_HOME/partake/partake.conf,
 * else /etc/partake.conf; a missing file means every default.
 */
#ifndef PARTAKE_CONFIG_H
#define PARTAKE_CONFIG_H

#include <stdbool.h>

#include "caltime.h"
#include "vocab.h"

/* The largest attachment taken, by default and at most (attachment_max_bytes):
 * a file is read whole into memory to check its type and hash it. */
#define ATTACH_MAX_BYTES_DEFAULT (10LL << 20)
#define ATTACH_MAX_BYTES_LIMIT (100LL << 20)

/* The largest mail pcase-mail takes, by default and at most (mail_max_bytes). */
#define MAIL_MAX_BYTES_DEFAULT (10LL << 20)
#define MAIL_MAX_BYTES_LIMIT (100LL << 20)

/* The largest form body the portal reads, by default and at most
 * (portal_body_max): a complaint of BODY_MAX characters, %-escaped. */
#define PORTAL_BODY_MAX_DEFAULT (512LL << 10)
#define PORTAL_BODY_MAX_LIMIT (8LL << 20)

/* A citizen's reply to a case that is settled (followup_settled): the case
 * is reopened, where the moves allow it, or the reply waits for an admin. */
enum followup_settled { FOLLOWUP_SETTLED_HOLD, FOLLOWUP_SETTLED_REOPEN };

struct config {
	char *path;		/* the file read, NULL when none was found */
	char *db;
	/* The attachment store (attach.h): its folder (NULL: beside the
	 * database) and the largest file it takes. */
	char *attachments_dir;
	long long attachment_max_bytes;
	/* How dates and numbers are shown (caltime.h): to admins (`calendar`,
	 * `digits`: tables, the history, pcal, the tally, units' mail) and to
	 * citizens (`citizen_calendar`, `citizen_digits`: notices, --public). */
	struct cal_style shown, citizen;
	char *timezone;
	struct weekend_rule *weekend;
	int office_open, office_close;	/* seconds after local midnight */
	char *holidays_dir;
	char *closures;
	int closure_max_days;	/* the longest closure the closures file may list */
	int deadline[KIND_COUNT];	/* working days, indexed by enum case_kind */
	int window_internal, window_higher;
	char *routes;
	char *templates_dir;	/* the notices' texts */
	bool templates_dir_given;	/* by the file, not the default */
	unsigned notify;	/* which case events send the citizen a notice (1 << enum notice_event) */
	char *web_dir, *site_url;
	/* Surveys: the address an invitation's link starts with (the token
	 * follows; NULL: the SMS carries the tracking code), and the fewest
	 * responses a group's share is judged on. */
	char *survey_url;
	int survey_min_count;
	char *mail_from, *smtp_url, *smtp_user, *smtp_password_file;
	char *sms_url, *sms_key_file, *sms_sender;
	/* Mail and SMS in (mailin.h, pcase-sms): the holding folder of mail
	 * that could not become a case (NULL: beside the database), the
	 * largest mail taken, the automatic replies a sender gets in a day,
	 * and what a citizen's reply to a settled case does. */
	char *mail_hold_dir;
	long long mail_max_bytes;
	int mail_replies_per_day;
	enum followup_settled followup_settled;
	/* The portal (partake.cgi(8)): its frame and stylesheet's folder
	 * (NULL: the shipped one), its secret's file (NULL: portal.key beside
	 * the database), the largest form body it reads, and how many submits
	 * and look-ups one address may make in an hour. */
	char *portal_dir, *portal_secret_file;
	long long portal_body_max;
	int portal_submits_per_hour, portal_lookups_per_hour;
	/* The audit trail (pdb): who may write ("a, b"), the seals' secret
	 * key file, the heads file and the public key (hex) that checks it. */
	char *users, *seal_key_file, *seal_heads, *seal_public_key;
};

/*
 * Reads the file at `path` (NULL: the search order above). On a bad line
 * returns NULL with *why naming the file, the line and the key.
 */
struct config *config_load(const char *path, char **why);
/* Where the shipped holidays and templates are: the compiled-in folder
 * once installed; before that, share/partake beside the built bin/
 * (*beside_binary then true). */
const char *config_share_dir(bool *beside_binary);
void config_free(struct config *cfg);
/*
 * A secret (the SMTP password, the SMS key): the environment variable env
 * when set, else the first line of file; NULL when neither is given. A file
 * that cannot be read: NULL with *why. Secrets never come from the command
 * line, and never reach output or logs.
 */
char *config_secret(const char *env, const char *file, char **why);

#endif
