/*
 * portalpage.h — the portal's pages as the citizen reads them: the frame
 * (portal.html of the portal's folder, which an agency restyles) with the
 * page's title, the forms with their labels, what was typed and what was
 * wrong with it in Persian, the receipt with its tracking code, and the
 * public view of a case. Built with libxml2's tree (page.h): every text,
 * a citizen's own among them, is escaped by the library.
 */
#ifndef PARTAKE_PORTALPAGE_H
#define PARTAKE_PORTALPAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "caltime.h"
#include "case.h"
#include "caseview.h"
#include "cgi.h"
#include "draft.h"
#include "page.h"
#include "survey.h"

struct portal_page {
	struct page page;
	xmlNodePtr content;	/* under the page's <h1> */
};
/* The frame of the folder with the title as <title> and <h1>, and links
 * relative to the program (script: its SCRIPT_NAME). 0, or -1 with *why. */
int portal_page_open(struct portal_page *pg, const char *dir, const char *script,
    const char *title, char **why);
void portal_page_close(struct portal_page *pg);

/* A form per kind of case a citizen brings. */
struct portal_kind {
	const char *form;	/* its path and the name its token is made for */
	int kind;		/* enum case_kind */
	const char *title, *intro, *subject_label, *body_label;
	bool contact_needed;	/* an answer goes back: a phone or an email */
};
/* The kind of a form's name, or NULL. */
const struct portal_kind *portal_kind_find(const char *form);
/* The list of forms, for the home page. */
void portal_put_kind_links(xmlNodePtr parent);

/* Values and labels for a list to choose from. */
struct portal_choices {
	char **values, **labels;
	size_t n;
};
void portal_choices_add(struct portal_choices *c, const char *value, const char *label);
void portal_choices_free(struct portal_choices *c);

/*
 * The forms: typed (NULL: none) fills the fields again, err (NULL: none)
 * marks its field and says why in Persian, notice (NULL: none) is said
 * above the form (a refused token); token is the form's (guard.h).
 */
void portal_put_case_form(struct portal_page *pg, const struct portal_kind *k,
    const struct portal_choices *services, const struct cgi_form *typed,
    const struct field_error *err, const char *notice, const char *token);
void portal_put_track_form(xmlNodePtr parent, const char *token, const char *typed,
    const char *error);
void portal_put_comment_form(struct portal_page *pg, const struct draft_facts *f,
    const struct draft_article_row *a, size_t n, const struct cgi_form *typed,
    const struct field_error *err, const char *notice, const char *token,
    const struct cal_style *style);
void portal_put_survey_form(struct portal_page *pg, const struct survey_question *qs, size_t n,
    const struct cgi_form *typed, const struct field_error *err, const char *notice,
    const char *token);

/* The receipt of a case just stored: its code to keep, and what comes next. */
void portal_put_receipt(struct portal_page *pg, const struct case_public *c,
    const struct cal_style *style);
/* A case's public view: state, dates, the answer; nothing personal. */
void portal_put_case(struct portal_page *pg, const struct case_public *c,
    const struct cal_style *style);

/* The label of a field of lib/'s errors, and the Persian of why it was
 * refused (a new string): what the citizen reads. */
const char *portal_field_label(const char *field);
char *portal_why(const char *why);

#endif
