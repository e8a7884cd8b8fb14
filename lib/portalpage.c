/* portalpage.c — the portal's pages and forms (see portalpage.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "portalpage.h"
#include "util.h"
#include "vocab.h"

int
portal_page_open(struct portal_page *pg, const char *dir, const char *script, const char *title,
    char **why)
{
	char *frame = xasprintf("%s/portal.html", dir);
	int rc = page_open(&pg->page, frame, title, why);

	free(frame);
	if (rc != 0)
		return rc;
	/* Every link of the frame and the pages is relative to the program. */
	xmlNodePtr head = page_find(&pg->page, "head");
	if (head) {
		char *href = xasprintf("%s/", script);
		xmlNodePtr base = xmlNewNode(NULL, BAD_CAST "base");
		xmlSetProp(base, BAD_CAST "href", BAD_CAST href);
		if (head->children)
			xmlAddPrevSibling(head->children, base);
		else
			xmlAddChild(head, base);
		free(href);
	}
	page_add(pg->page.content, "h1", title);
	pg->content = pg->page.content;
	return 0;
}

void
portal_page_close(struct portal_page *pg)
{
	page_close(&pg->page);
}

/* --- the kinds ------------------------------------------------------------ */

static const struct portal_kind kinds[] = {
	{"complaint", KIND_COMPLAINT, "ثبت شکایت",
	    "از خدمتی یا رفتاری ناخرسندید؟ بنویسید چه شد. پاسخ را در مهلت قانونی با پیامک یا "
	    "رایانامه می‌گیرید؛ برای همین تلفن همراه یا رایانامه لازم است.",
	    "موضوع شکایت", "شرح شکایت", true},
	{"suggestion", KIND_SUGGESTION, "ثبت پیشنهاد",
	    "پیشنهادی برای بهتر شدن خدمات یا روش‌ها دارید؟ پیشنهادها در کمیته پیشنهادها بررسی "
	    "می‌شوند.", "موضوع پیشنهاد", "شرح پیشنهاد", false},
	{"violation", KIND_VIOLATION, "گزارش تخلف",
	    "تخلفی دیده‌اید؟ گزارش را می‌توانید بی‌نام بفرستید: نام و تلفن لازم نیست.",
	    "موضوع گزارش", "شرح آنچه دیده‌اید", false},
	{"question", KIND_QUESTION, "پرسش",
	    "پرسشی درباره خدمات دارید؟ پاسخ با پیامک یا رایانامه می‌آید.",
	    "موضوع پرسش", "پرسش شما", true},
	{"feedback", KIND_FEEDBACK, "بازخورد درباره خبر یا اطلاعیه",
	    "درباره خبری یا اطلاعیه‌ای که منتشر شده است نظری دارید؟ بنویسید کدام خبر و چه نظری.",
	    "موضوع نظر", "نظر شما", false},
};

const struct portal_kind *
portal_kind_find(const char *form)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].form, form) == 0)
			return &kinds[i];
	return NULL;
}

void
portal_put_kind_links(xmlNodePtr parent)
{
	xmlNodePtr ul = page_add_class(parent, "ul", "kinds", NULL);

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		xmlNodePtr li = page_add(ul, "li", NULL);
		page_link(li, kinds[i].form, kinds[i].title);
	}
}

void
portal_choices_add(struct portal_choices *c, const char *value, const char *label)
{
	c->values = xrealloc(c->values, (c->n + 1) * sizeof *c->values);
	c->labels = xrealloc(c->labels, (c->n + 1) * sizeof *c->labels);
	c->values[c->n] = xstrdup(value);
	c->labels[c->n++] = xstrdup(label);
}

void
portal_choices_free(struct portal_choices *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->values[i]);
		free(c->labels[i]);
	}
	free(c->values);
	free(c->labels);
	memset(c, 0, sizeof *c);
}

/* --- errors in Persian ---------------------------------------------------- */

static const struct {
	const char *field, *label;
} labels[] = {
	{"subject", "موضوع"}, {"body", "شرح"}, {"name", "نام"}, {"phone", "تلفن همراه"},
	{"email", "رایانامه"}, {"national_id", "کد ملی"}, {"anonymous", "بی‌نام"},
	{"service", "خدمت"}, {"unit", "واحد"}, {"draft", "پیش‌نویس"}, {"article", "ماده"},
	{"late", "پیش‌نویس"}, {"token", "دعوت‌نامه"}, {"answers", "پاسخ‌ها"}, {"code", "کد پیگیری"},
	{"source_id", "فرم"}, {"kind", "نوع"}, {"channel", "راه ثبت"},
	{"about", "کدام خبر یا اطلاعیه"},
};

const char *
portal_field_label(const char *field)
{
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].label;
	return NULL;
}

/* lib/'s reasons as their words begin, and what the citizen reads. */
static const struct {
	const char *english, *persian;
} reasons[] = {
	{"missing", "خالی است؛ این خانه را پر کنید."},
	{"not valid UTF-8", "نویسه‌هایی دارد که خوانده نمی‌شوند."},
	{"longer than", "بلندتر از اندازه است؛ کوتاه‌ترش کنید."},
	{"contains a", "نویسه‌ای پنهان یا کنترلی دارد؛ آن را پاک کنید."},
	{"not an Iranian mobile number", "شماره همراه ایرانی نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷ بنویسید."},
	{"a national id has 10 digits", "کد ملی ده رقم دارد."},
	{"not a valid national id", "کد ملی درست نیست؛ رقم‌ها را دوباره ببینید."},
	{"too long", "بلندتر از اندازه است."},
	{"not an email address", "نشانی رایانامه درست نیست؛ مانند name@example.ir بنویسید."},
	{"an anonymous case carries", "گزارش بی‌نام، نام و تلفن و رایانامه و کد ملی ندارد؛ "
	    "یا آنها را پاک کنید یا «بی‌نام» را بردارید."},
	{"a complaint needs", "برای رسیدن پاسخ، تلفن همراه یا رایانامه لازم است (یا «بی‌نام» را "
	    "برگزینید)."},
	{"a question needs", "برای رسیدن پاسخ، تلفن همراه یا رایانامه لازم است."},
	{"a request needs", "برای رسیدن پاسخ، تلفن همراه یا رایانامه لازم است."},
	{"no service", "چنین خدمتی در شناسنامه خدمات نیست."},
	{"no draft", "چنین پیش‌نویسی نیست."},
	{"is not open for comment yet", "هنوز برای نظرخواهی باز نشده است."},
	{"is final", "نهایی شده است و دیگر نظر نمی‌پذیرد."},
	{"the comment window of", "مهلت نظرخواهی آن به پایان رسیده است."},
	{"is not an article number", "شماره ماده‌ای نیست."},
	{"has no article", "چنین ماده‌ای ندارد."},
	{"is out of range", "یکی از گزینه‌های ۱ تا ۵ را برگزینید."},
	{"expected yes or no", "بله یا خیر را برگزینید."},
	{"is not one of", "یکی از گزینه‌ها را برگزینید."},
	{"required, and not answered", "پاسخ به این پرسش لازم است."},
	{"a response with no answer", "دست‌کم به یک پرسش پاسخ دهید."},
	{"no such invitation", "این دعوت‌نامه پیدا نشد."},
	{"this invitation was answered before", "این نظرسنجی پیش‌تر پاسخ داده شده است."},
	{"this case answered the survey before", "این نظرسنجی پیش‌تر پاسخ داده شده است."},
};

char *
portal_why(const char *why)
{
	/* "D-1405-0007 is final": the reason may begin with what it is about. */
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (strncmp(why, reasons[i].english, strlen(reasons[i].english)) == 0 ||
		    (strlen(reasons[i].english) > 8 && strstr(why, reasons[i].english)))
			return xstrdup(reasons[i].persian);
	return xstrdup("پذیرفته نیست؛ آن را دوباره ببینید.");
}

/* "LABEL: WHY" of an error, for the form's summary and beside its field. */
static char *
error_text(const struct field_error *err, const char *label)
{
	char *why = portal_why(err->why);
	const char *l = label ? label : portal_field_label(err->field);
	char *text = xasprintf("%s: %s", l ? l : "فرم", why);

	free(why);
	return text;
}

/* --- form widgets ----------------------------------------------------------- */

enum widget { W_LINE, W_TEXT, W_TEL, W_EMAIL, W_NUMBER, W_CHECK };

struct field {
	const char *name, *label, *hint;
	enum widget widget;
	int maxlength;		/* characters; 0: none */
	bool required;
};

static const char *
typed_value(const struct cgi_form *typed, const char *name)
{
	return typed ? cgi_form_get(typed, name) : NULL;
}

static bool
is_error_of(const struct field_error *err, const char *name)
{
	return err && err->field && strcmp(err->field, name) == 0;
}

/* The form's head: where it goes, the notice and the summary of the error. */
static xmlNodePtr
form_begin(xmlNodePtr parent, const char *action, const char *token, const char *notice,
    const struct field_error *err, const char *label)
{
	if (notice)
		page_attr(page_add_class(parent, "p", "notice", notice), "role", "alert");
	if (err && err->field) {
		xmlNodePtr box = page_add_class(parent, "div", "errors", NULL);
		page_attr(box, "role", "alert");
		page_add(box, "p", "فرم ثبت نشد. این را درست کنید و دوباره بفرستید:");
		char *text = error_text(err, label);
		page_add(page_add(box, "ul", NULL), "li", text);
		free(text);
	}
	xmlNodePtr form = page_add(parent, "form", NULL);
	page_attr(form, "method", "post");
	page_attr(form, "action", action);
	page_attr(form, "accept-charset", "UTF-8");
	xmlNodePtr t = page_add(form, "input", NULL);
	page_attr(t, "type", "hidden");
	page_attr(t, "name", "_token");
	page_attr(t, "value", token);
	return form;
}

static void
form_submit(xmlNodePtr form, const char *label)
{
	xmlNodePtr b = page_add(form, "button", label);

	page_attr(b, "type", "submit");
}

static void
put_field(xmlNodePtr form, const struct field *f, const char *value,
    const struct field_error *err)
{
	xmlNodePtr div = page_add_class(form, "div", "field", NULL), input;
	char id[64], hint_id[72], num[16];
	bool bad = is_error_of(err, f->name);

	snprintf(id, sizeof id, "f-%s", f->name);
	snprintf(hint_id, sizeof hint_id, "h-%s", f->name);
	if (bad)
		page_attr(div, "class", "field bad");
	if (f->widget == W_CHECK) {
		input = page_add(div, "input", NULL);
		page_attr(input, "type", "checkbox");
		page_attr(input, "name", f->name);
		page_attr(input, "id", id);
		page_attr(input, "value", "on");
		if (value)
			page_attr(input, "checked", "checked");
		page_attr(page_add(div, "label", f->label), "for", id);
	} else {
		xmlNodePtr label = page_add(div, "label", f->label);
		page_attr(label, "for", id);
		if (f->required)
			page_add_class(label, "span", "required", " (لازم)");
		if (f->widget == W_TEXT) {
			input = page_add(div, "textarea", value ? value : "");
			page_attr(input, "rows", "8");
		} else {
			input = page_add(div, "input", NULL);
			page_attr(input, "type", f->widget == W_TEL ? "tel" : f->widget == W_EMAIL ? "email"
			    : "text");
			if (f->widget == W_TEL || f->widget == W_NUMBER)
				page_attr(input, "inputmode", "numeric");
			if (value)
				page_attr(input, "value", value);
		}
		page_attr(input, "name", f->name);
		page_attr(input, "id", id);
		if (f->maxlength) {
			snprintf(num, sizeof num, "%d", f->maxlength);
			page_attr(input, "maxlength", num);
		}
		if (f->widget == W_TEL || f->widget == W_EMAIL)
			page_attr(input, "dir", "ltr");
	}
	if (f->hint) {
		page_attr(page_add_class(div, "p", "hint", f->hint), "id", hint_id);
		page_attr(input, "aria-describedby", hint_id);
	}
	if (bad) {
		char *why = portal_why(err->why);
		page_add_class(div, "p", "error", why);
		page_attr(input, "aria-invalid", "true");
		free(why);
	}
}

static void
put_select(xmlNodePtr form, const char *name, const char *label, const char *none,
    const struct portal_choices *c, const char *value, const struct field_error *err)
{
	xmlNodePtr div = page_add_class(form, "div", is_error_of(err, name) ? "field bad" : "field",
	    NULL);
	char id[64];

	snprintf(id, sizeof id, "f-%s", name);
	page_attr(page_add(div, "label", label), "for", id);
	xmlNodePtr sel = page_add(div, "select", NULL);
	page_attr(sel, "name", name);
	page_attr(sel, "id", id);
	page_attr(page_add(sel, "option", none), "value", "");
	for (size_t i = 0; i < c->n; i++) {
		xmlNodePtr o = page_add(sel, "option", c->labels[i]);
		page_attr(o, "value", c->values[i]);
		if (value && strcmp(value, c->values[i]) == 0)
			page_attr(o, "selected", "selected");
	}
	if (is_error_of(err, name)) {
		char *why = portal_why(err->why);
		page_add_class(div, "p", "error", why);
		free(why);
	}
}

/* Name, phone, email and national id, and whether it is sent without them. */
static void
put_contact(xmlNodePtr form, const struct cgi_form *typed, const struct field_error *err,
    bool needed, bool national_id)
{
	static const struct field contact[] = {
		{"name", "نام و نام خانوادگی", NULL, W_LINE, NAME_MAX_CHARS, false},
		{"phone", "تلفن همراه", "پاسخ و کد پیگیری با پیامک به این شماره می‌آید.", W_TEL, 20, false},
		{"email", "رایانامه", NULL, W_EMAIL, 254, false},
		{"national_id", "کد ملی", "اگر بدهید، پیگیری حضوری آسان‌تر است.", W_NUMBER, 10, false},
	};
	static const struct field anonymous = {"anonymous", "بی‌نام می‌فرستم (نام و تلفن و "
	    "رایانامه را خالی بگذارید)", NULL, W_CHECK, 0, false};
	xmlNodePtr set = page_add(form, "fieldset", NULL);

	page_add(set, "legend", needed ? "راه پاسخ به شما (تلفن همراه یا رایانامه لازم است)"
				       : "راه پاسخ به شما (اگر بخواهید)");
	for (size_t i = 0; i < sizeof contact / sizeof contact[0]; i++)
		if (national_id || strcmp(contact[i].name, "national_id") != 0)
			put_field(set, &contact[i], typed_value(typed, contact[i].name), err);
	put_field(set, &anonymous, typed_value(typed, "anonymous"), err);
}

void
portal_put_case_form(struct portal_page *pg, const struct portal_kind *k,
    const struct portal_choices *services, const struct cgi_form *typed,
    const struct field_error *err, const char *notice, const char *token)
{
	const struct field subject = {"subject", k->subject_label, "در یک خط.", W_LINE, SUBJECT_MAX, true};
	const struct field body = {"body", k->body_label, NULL, W_TEXT, BODY_MAX, false};
	/* Feedback on the news names its item in a field of its own (a link
	 * from the news may fill it: ?about=…, text like any other typed). */
	const struct field about = {"about", portal_field_label("about"),
		"نشانی یا عنوان خبر.", W_LINE, ABOUT_MAX, true};

	page_add(pg->content, "p", k->intro);
	xmlNodePtr form = form_begin(pg->content, k->form, token, notice, err,
	    is_error_of(err, "subject") ? k->subject_label : NULL);
	if (services->n && k->kind != KIND_FEEDBACK)
		put_select(form, "service", "درباره کدام خدمت؟", "— هیچ‌یک یا نمی‌دانم —", services,
		    typed_value(typed, "service"), err);
	if (k->kind == KIND_FEEDBACK)
		put_field(form, &about, typed_value(typed, "about"), err);
	put_field(form, &subject, typed_value(typed, "subject"), err);
	put_field(form, &body, typed_value(typed, "body"), err);
	put_contact(form, typed, err, k->contact_needed, k->kind == KIND_COMPLAINT);
	form_submit(form, "ثبت و گرفتن کد پیگیری");
}

void
portal_put_track_form(xmlNodePtr parent, const char *token, const char *typed, const char *error)
{
	const struct field code = {"code", "کد پیگیری", "۱۲ رقم، مانند ۴۸۲۱-۰۹۳۷-۵۵۲۶", W_NUMBER, 40, true};
	struct field_error err = {"code", ""};

	if (error)
		page_attr(page_add_class(parent, "p", "notice", error), "role", "alert");
	xmlNodePtr form = form_begin(parent, "track", token, NULL, NULL, NULL);
	page_attr(form, "class", "track");
	put_field(form, &code, typed, error ? &err : NULL);
	form_submit(form, "پیگیری");
}

void
portal_put_comment_form(struct portal_page *pg, const struct draft_facts *f,
    const struct draft_article_row *a, size_t n, const struct cgi_form *typed,
    const struct field_error *err, const char *notice, const char *token,
    const struct cal_style *style)
{
	char day[48], *action = xasprintf("comment/%s", f->code);
	struct portal_choices articles = {0};

	cal_format_time(f->closes, *style, day, sizeof day);
	xmlNodePtr facts = page_add_class(pg->content, "div", "facts", NULL);
	xmlNodePtr p = page_add(facts, "p", NULL);
	page_add_class(p, "span", "label", "واحد: ");
	page_text(p, f->unit ? f->unit : "");
	p = page_add(facts, "p", NULL);
	page_add_class(p, "span", "label", f->state == DRAFT_OPEN ? "مهلت نظر تا: " : "مهلت نظر: ");
	page_text(p, day);
	if (f->state != DRAFT_OPEN) {
		page_add_class(pg->content, "p", "closed", "مهلت نظرخواهی این پیش‌نویس به پایان رسیده "
		    "است و نظر تازه پذیرفته نمی‌شود.");
		free(action);
		return;
	}
	page_add(pg->content, "p", "نظرتان را درباره یک ماده یا کل پیش‌نویس بنویسید. هر نظر "
	    "بررسی می‌شود و در گزارش پایانی می‌آید که با آن چه شد.");
	xmlNodePtr form = form_begin(pg->content, action, token, notice, err, NULL);
	for (size_t i = 0; i < n; i++) {
		char value[16];
		snprintf(value, sizeof value, "%d", a[i].number);
		portal_choices_add(&articles, value, a[i].heading);
	}
	put_select(form, "article", "درباره کدام ماده؟", "— کل پیش‌نویس —", &articles,
	    typed_value(typed, "article"), err);
	portal_choices_free(&articles);
	const struct field subject = {"subject", "موضوع نظر", "در یک خط.", W_LINE, SUBJECT_MAX, true};
	const struct field body = {"body", "نظر شما", NULL, W_TEXT, BODY_MAX, false};
	put_field(form, &subject, typed_value(typed, "subject"), err);
	put_field(form, &body, typed_value(typed, "body"), err);
	put_contact(form, typed, err, false, false);
	form_submit(form, "ثبت نظر");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr art = page_add_class(pg->content, "div", "article", NULL);
		page_add(art, "h3", a[i].heading);
		if (a[i].body && *a[i].body)
			page_add(art, "p", a[i].body);
	}
	free(action);
}

/* One question's choices as radio buttons or checkboxes. */
static void
put_choices(xmlNodePtr set, const struct survey_question *q, const char *const *labels, int n,
    const struct cgi_form *typed, bool multi)
{
	char name[SURVEY_CODE_MAX + 8];
	const char *chosen[SURVEY_OPTIONS_MAX];
	size_t k;

	snprintf(name, sizeof name, "q.%s", q->name);
	k = typed ? cgi_form_all(typed, name, chosen, SURVEY_OPTIONS_MAX) : 0;
	for (int i = 0; i < n; i++) {
		char id[SURVEY_CODE_MAX + 24], value[16];
		snprintf(id, sizeof id, "f-%s-%d", q->name, i + 1);
		snprintf(value, sizeof value, "%d", i + 1);
		xmlNodePtr span = page_add_class(set, "span", "choice", NULL);
		xmlNodePtr input = page_add(span, "input", NULL);
		page_attr(input, "type", multi ? "checkbox" : "radio");
		page_attr(input, "name", name);
		page_attr(input, "id", id);
		page_attr(input, "value", value);
		for (size_t j = 0; j < k; j++)
			if (strcmp(chosen[j], value) == 0)
				page_attr(input, "checked", "checked");
		page_attr(page_add(span, "label", labels[i]), "for", id);
	}
}

void
portal_put_survey_form(struct portal_page *pg, const struct survey_question *qs, size_t n,
    const struct cgi_form *typed, const struct field_error *err, const char *notice,
    const char *token)
{
	static const char *const scale[] = {"۱ خیلی بد", "۲ بد", "۳ متوسط", "۴ خوب", "۵ خیلی خوب"};
	static const char *const yesno[] = {"بله", "خیر"};
	const char *label = NULL;

	for (size_t i = 0; err && err->field && i < n; i++)
		if (strcmp(err->field, qs[i].name) == 0)
			label = qs[i].text;
	page_add(pg->content, "p", "چند پرسش کوتاه درباره خدمتی که گرفتید. پاسخ‌ها بی‌نام شمرده "
	    "می‌شوند.");
	/* The form goes back to the page's own address, token and all. */
	xmlNodePtr form = form_begin(pg->content, "", token, notice, err, label);
	xmlUnsetProp(form, BAD_CAST "action");
	for (size_t i = 0; i < n; i++) {
		const struct survey_question *q = &qs[i];
		bool bad = is_error_of(err, q->name);
		xmlNodePtr set = page_add_class(form, "fieldset", bad ? "field bad" : "field", NULL);
		xmlNodePtr legend = page_add(set, "legend", q->text);
		if (q->required)
			page_add_class(legend, "span", "required", " (لازم)");
		char name[SURVEY_CODE_MAX + 8];
		snprintf(name, sizeof name, "q.%s", q->name);
		if (q->kind == QUESTION_SCALE)
			put_choices(set, q, scale, 5, typed, false);
		else if (q->kind == QUESTION_YESNO)
			put_choices(set, q, yesno, 2, typed, false);
		else if (q->kind == QUESTION_CHOICE || q->kind == QUESTION_MULTI)
			put_choices(set, q, (const char *const *)q->options, q->noptions, typed,
			    q->kind == QUESTION_MULTI);
		else {
			const char *v = typed_value(typed, name);
			xmlNodePtr t = page_add(set, "textarea", v ? v : "");
			page_attr(t, "name", name);
			page_attr(t, "rows", "4");
			page_attr(t, "aria-label", q->text);
		}
		if (bad) {
			char *why = portal_why(err->why);
			page_add_class(set, "p", "error", why);
			free(why);
		}
	}
	form_submit(form, "فرستادن پاسخ");
}

/* --- a case as the citizen sees it --------------------------------------- */

static void
put_code(xmlNodePtr parent, tcode code, const struct cal_style *style)
{
	char grouped[CODE_LEN + 4], shown[64];

	code_format_grouped(code, grouped, sizeof grouped);
	cal_format_digits(grouped, *style, shown, sizeof shown);
	/* Left to right inside the right-to-left line, its groups in order. */
	xmlNodePtr b = page_add_class(parent, "bdi", "code", shown);
	page_attr(b, "dir", "ltr");
}

static void
put_fact(xmlNodePtr dl, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	page_add(dl, "dt", label);
	page_add(dl, "dd", value);
}

static void
put_time(xmlNodePtr dl, const char *label, bool has, time_t t, const struct cal_style *style)
{
	char buf[48];

	if (has)
		put_fact(dl, label, cal_format_time(t, *style, buf, sizeof buf));
}

static void
put_facts(xmlNodePtr parent, const struct case_public *c, const struct cal_style *style)
{
	xmlNodePtr dl = page_add_class(parent, "dl", "facts", NULL);
	char *actions = NULL;

	page_add(dl, "dt", "کد پیگیری");
	put_code(page_add(dl, "dd", NULL), c->code, style);
	put_fact(dl, "نوع", vocab_persian_of(&kind_vocab, c->kind));
	put_fact(dl, "وضعیت", vocab_persian_of(&state_vocab, c->state));
	put_fact(dl, "خدمت", c->service_name);
	put_fact(dl, "واحد پاسخ‌گو", c->unit_name);
	put_time(dl, "تاریخ ثبت", true, c->received, style);
	put_time(dl, "مهلت پاسخ", c->has_due, c->due, style);
	put_time(dl, "تاریخ پاسخ", c->has_answered, c->answered, style);
	put_time(dl, "تاریخ بسته شدن", c->has_closed, c->closed, style);
	if (c->outcome)
		put_fact(dl, "نتیجه", vocab_persian_of(&outcome_vocab, c->outcome));
	if (c->action) {
		unsigned set = 0;
		char *copy = xstrdup(c->action);
		vocab_parse_set(&action_vocab, copy, &set);
		free(copy);
		actions = vocab_set_persian(&action_vocab, set, "، ");
		put_fact(dl, "اقدام", actions);
		free(actions);
	}
	if (c->answer) {
		page_add(parent, "h2", "پاسخ");
		page_add_class(parent, "p", "answer", c->answer);
	}
	if (c->reason) {
		page_add(parent, "h2", "دلیل رد");
		page_add_class(parent, "p", "answer", c->reason);
	}
}

void
portal_put_receipt(struct portal_page *pg, const struct case_public *c,
    const struct cal_style *style)
{
	xmlNodePtr box = page_add_class(pg->content, "div", "receipt", NULL);
	xmlNodePtr p = page_add(box, "p", "کد پیگیری شما: ");

	put_code(p, c->code, style);
	page_add(box, "p", "این کد را نگه دارید: با آن در همین درگاه پاسخ را می‌خوانید. این صفحه "
	    "را می‌توانید چاپ کنید یا از آن عکس بگیرید.");
	put_facts(pg->content, c, style);
	page_link(page_add(pg->content, "p", NULL), "track", "پیگیری با کد");
}

void
portal_put_case(struct portal_page *pg, const struct case_public *c,
    const struct cal_style *style)
{
	put_facts(pg->content, c, style);
	page_link(page_add(pg->content, "p", NULL), "track", "پیگیری کدی دیگر");
}
