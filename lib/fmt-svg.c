/*
 * fmt-svg.c — a bar chart of the rows, as SVG a page or a report embeds:
 * one bar a row, its length the share in the column fmt_options.chart_value
 * (0 to 1), a whisker for its interval (chart_low, chart_high) when given,
 * and its label from the chart_label columns. The chart reads right to
 * left, as its Persian labels do: the labels on the right, the bars
 * growing leftward from them, every text marked direction="rtl". Built
 * with libxml2's tree API, so every text is escaped by the library; only
 * a command that draws links it (fmt_can_draw).
 */
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fmt-backend.h"
#include "text.h"
#include "util.h"

enum {
	WIDTH = 760, MARGIN = 16, TOP = 48, LABEL_HEIGHT = 20, ROW_HEIGHT = 46,
	BAR_HEIGHT = 16, SHARE_WIDTH = 56,	/* room left of the longest bar for its share */
	ROWS_MAX = 2000,	/* a chart longer than this reads as no chart */
};

struct chart {
	char **labels;
	double *value, *low, *high;	/* NAN: none */
	size_t n, cap;
	int label_cols[8], nlabel;
	int value_col, low_col, high_col;
};

static int
column_of(const struct printer *p, const char *name)
{
	for (int i = 0; name && i < p->ncols; i++)
		if (strcmp(p->cols[i].name, name) == 0)
			return i;
	return -1;
}

static struct chart *
chart_of(struct printer *p)
{
	struct chart *c = p->state;

	if (c)
		return c;
	c = p->state = xcalloc(1, sizeof *c);
	c->value_col = column_of(p, p->opt.chart_value);
	c->low_col = column_of(p, p->opt.chart_low);
	c->high_col = column_of(p, p->opt.chart_high);
	if (p->opt.chart_label) {
		char *names = xstrdup(p->opt.chart_label), *save = NULL;
		for (char *w = strtok_r(names, ",", &save); w && c->nlabel < 8;
		     w = strtok_r(NULL, ",", &save))
			if (column_of(p, w) >= 0)
				c->label_cols[c->nlabel++] = column_of(p, w);
		free(names);
	}
	if (c->nlabel == 0)
		c->label_cols[c->nlabel++] = 0;
	return c;
}

static double
number(const struct cell *cells, int col)
{
	char *end;
	double v;

	if (col < 0 || cells[col].text == NULL || *cells[col].text == '\0')
		return NAN;
	v = strtod(cells[col].text, &end);
	return *end == '\0' && isfinite(v) ? v : NAN;
}

static bool
svg_row(struct printer *p, struct cell *cells)
{
	struct chart *c = chart_of(p);
	struct buf label = {0};

	if (c->n == ROWS_MAX)
		return false;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->labels = xrealloc(c->labels, c->cap * sizeof *c->labels);
		c->value = xrealloc(c->value, c->cap * sizeof *c->value);
		c->low = xrealloc(c->low, c->cap * sizeof *c->low);
		c->high = xrealloc(c->high, c->cap * sizeof *c->high);
	}
	for (int i = 0; i < c->nlabel; i++) {
		const char *t = cells[c->label_cols[i]].text;
		if (t == NULL || *t == '\0')
			continue;
		if (label.len)
			buf_adds(&label, " — ");
		buf_adds(&label, t);
	}
	c->labels[c->n] = label.data ? label.data : xstrdup("");
	c->value[c->n] = number(cells, c->value_col);
	c->low[c->n] = number(cells, c->low_col);
	c->high[c->n] = number(cells, c->high_col);
	c->n++;
	return false;
}

static xmlNodePtr
element(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static void
attr(xmlNodePtr node, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
attr(xmlNodePtr node, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	xmlNewProp(node, BAD_CAST name, BAD_CAST v);
	free(v);
}

/* A text read right to left, its start (its right end) at x. */
static xmlNodePtr
rtl_text(xmlNodePtr svg, double x, double y, const char *text, const char *size)
{
	xmlNodePtr t = element(svg, "text", text);

	attr(t, "x", "%.1f", x);
	attr(t, "y", "%.1f", y);
	attr(t, "direction", "rtl");
	attr(t, "text-anchor", "start");
	attr(t, "font-size", "%s", size);
	return t;
}

/* A share as people read it: Persian digits and the Persian percent sign. */
static char *
percent(double v)
{
	char *latin = xasprintf("%.0f٪", 100 * v), *shown = text_persian_digits(latin);

	free(latin);
	return shown;
}

/*
 * A row is its label on a line of its own, then the bar under it, so that
 * a long question never runs into its bar; the share is written past the
 * end of the bar or of its whisker, whichever reaches further.
 */
static void
draw_row(xmlNodePtr svg, const struct chart *c, size_t i)
{
	const double right = WIDTH - MARGIN, span = right - MARGIN - SHARE_WIDTH;
	double y = TOP + (double)i * ROW_HEIGHT, bar = y + LABEL_HEIGHT;
	xmlNodePtr n;

	rtl_text(svg, right, y + 14, c->labels[i], "13");
	if (isnan(c->value[i])) {
		rtl_text(svg, right, bar + BAR_HEIGHT - 3, "—", "12");
		return;
	}
	double v = fmin(fmax(c->value[i], 0), 1), reach = v;
	n = element(svg, "rect", NULL);
	attr(n, "x", "%.1f", right - v * span);
	attr(n, "y", "%.1f", bar);
	attr(n, "width", "%.1f", v * span);
	attr(n, "height", "%d", BAR_HEIGHT);
	attr(n, "fill", "#4a7ab5");
	if (!isnan(c->low[i]) && !isnan(c->high[i])) {
		double low = fmin(fmax(c->low[i], 0), 1), high = fmin(fmax(c->high[i], 0), 1);
		n = element(svg, "line", NULL);
		attr(n, "x1", "%.1f", right - low * span);
		attr(n, "x2", "%.1f", right - high * span);
		attr(n, "y1", "%.1f", bar + BAR_HEIGHT / 2.0);
		attr(n, "y2", "%.1f", bar + BAR_HEIGHT / 2.0);
		attr(n, "stroke", "#1b1b1b");
		attr(n, "stroke-width", "2");
		reach = fmax(reach, high);
	}
	char *shown = percent(v);
	rtl_text(svg, right - reach * span - 6, bar + BAR_HEIGHT - 3, shown, "12");
	free(shown);
}

static void
svg_end(struct printer *p)
{
	struct chart *c = chart_of(p);
	int height = TOP + (int)c->n * ROW_HEIGHT + MARGIN;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr svg = xmlNewNode(NULL, BAD_CAST "svg");
	xmlChar *text = NULL;
	int len = 0;

	xmlDocSetRootElement(doc, svg);
	xmlSetNs(svg, xmlNewNs(svg, BAD_CAST "http://www.w3.org/2000/svg", NULL));
	attr(svg, "width", "%d", WIDTH);
	attr(svg, "height", "%d", height);
	attr(svg, "viewBox", "0 0 %d %d", WIDTH, height);
	attr(svg, "direction", "rtl");
	attr(svg, "font-family", "Vazirmatn, Tahoma, sans-serif");
	const char *title = p->opt.chart_title ? p->opt.chart_title : "";
	element(svg, "title", title);
	rtl_text(svg, WIDTH - MARGIN, 26, title, "16");
	for (size_t i = 0; i < c->n; i++)
		draw_row(svg, c, i);
	xmlDocDumpFormatMemoryEnc(doc, &text, &len, "UTF-8", 1);
	if (text == NULL || fwrite(text, 1, (size_t)len, p->out) != (size_t)len)
		p->failed = true;
	xmlFree(text);
	xmlFreeDoc(doc);
	for (size_t i = 0; i < c->n; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->value);
	free(c->low);
	free(c->high);
	free(c);
	p->state = NULL;
}

const struct fmt_backend fmt_svg = {NULL, svg_row, svg_end, NULL};
