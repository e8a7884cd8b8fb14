/*
 * fmt-svg.c — a bar chart of the rows, as SVG a page or a report embeds:
 * one bar a row, its length the share in the column fmt_options.chart_value
 * (0 to 1), a whisker for its interval (chart_low, chart_high) when given,
 * and its label from the chart_label columns. The chart reads right to
 * left, as its Persian labels do: the labels on the right, the bars
 * growing leftward from them, every text marked direction="rtl". Built
 * with libxml2's tree API, so every text is escaped by the library; only
 * a command that draws links it (fmt_can_draw). With chart_series, the
 * rows are groups of columns of counts instead (a trend over months, the
 * first row on the right), with a legend.
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
	double *series[2];	/* counts, with chart_series */
	size_t n, cap;
	int label_cols[8], nlabel;
	int value_col, low_col, high_col;
	int series_col[2], nseries;
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
	if (p->opt.chart_series) {
		char *names = xstrdup(p->opt.chart_series), *save = NULL;
		for (char *w = strtok_r(names, ",", &save); w && c->nseries < 2;
		     w = strtok_r(NULL, ",", &save))
			if (column_of(p, w) >= 0)
				c->series_col[c->nseries++] = column_of(p, w);
		free(names);
	}
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
		for (int k = 0; k < 2; k++)
			c->series[k] = xrealloc(c->series[k], c->cap * sizeof *c->series[k]);
	}
	for (int k = 0; k < 2; k++)
		c->series[k][c->n] = k < c->nseries ? number(cells, c->series_col[k]) : NAN;
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

static const char *const series_fill[2] = {"#4a7ab5", "#e08a2c"};

/* A count as people read it, in the digits of the printer's options. */
static char *
count_text(double v, bool persian)
{
	char *latin = xasprintf("%.0f", v), *shown = persian ? text_persian_digits(latin) : NULL;

	if (shown == NULL)
		return latin;
	free(latin);
	return shown;
}

/* The series' names, each beside a swatch of its colour, from the right. */
static void
draw_legend(xmlNodePtr svg, const char *legend, int nseries)
{
	char *names = xstrdup(legend ? legend : ""), *save = NULL;
	double x = WIDTH - MARGIN;
	int k = 0;

	for (char *w = strtok_r(names, ",", &save); w && k < nseries; w = strtok_r(NULL, ",", &save)) {
		xmlNodePtr r = element(svg, "rect", NULL);
		attr(r, "x", "%.1f", x - 12);
		attr(r, "y", "%d", 38);
		attr(r, "width", "12");
		attr(r, "height", "12");
		attr(r, "fill", "%s", series_fill[k++]);
		rtl_text(svg, x - 18, 49, w, "12");
		x -= 200;
	}
	free(names);
}

/* Groups of columns, the first row's on the right; a group's label under it. */
static int
draw_columns(xmlNodePtr svg, const struct chart *c, const char *legend, bool persian)
{
	enum { PLOT_TOP = 70, PLOT_HEIGHT = 200, LABEL_SPACE = 40 };
	double max = 0, group = (WIDTH - 2.0 * MARGIN) / (double)(c->n ? c->n : 1);
	double bar = fmin(28, group * 0.8 / (c->nseries ? c->nseries : 1));

	for (size_t i = 0; i < c->n; i++)
		for (int k = 0; k < c->nseries; k++)
			if (!isnan(c->series[k][i]) && c->series[k][i] > max)
				max = c->series[k][i];
	draw_legend(svg, legend, c->nseries);
	xmlNodePtr base = element(svg, "line", NULL);
	attr(base, "x1", "%d", MARGIN);
	attr(base, "x2", "%d", WIDTH - MARGIN);
	attr(base, "y1", "%d", PLOT_TOP + PLOT_HEIGHT);
	attr(base, "y2", "%d", PLOT_TOP + PLOT_HEIGHT);
	attr(base, "stroke", "#888");
	for (size_t i = 0; i < c->n; i++) {
		double right = WIDTH - MARGIN - (double)i * group;
		double centre = right - group / 2, left = centre - bar * c->nseries / 2.0;
		for (int k = 0; k < c->nseries; k++) {
			double v = isnan(c->series[k][i]) ? 0 : c->series[k][i];
			double h = max > 0 ? v / max * PLOT_HEIGHT : 0;
			/* Right to left: the first series is the right column of a group. */
			double x = left + bar * (c->nseries - 1 - k);
			xmlNodePtr r = element(svg, "rect", NULL);
			attr(r, "x", "%.1f", x);
			attr(r, "y", "%.1f", PLOT_TOP + PLOT_HEIGHT - h);
			attr(r, "width", "%.1f", bar - 2);
			attr(r, "height", "%.1f", h);
			attr(r, "fill", "%s", series_fill[k]);
			char *shown = count_text(v, persian);
			xmlNodePtr t = element(svg, "text", shown);
			attr(t, "x", "%.1f", x + (bar - 2) / 2);
			attr(t, "y", "%.1f", PLOT_TOP + PLOT_HEIGHT - h - 3);
			attr(t, "text-anchor", "middle");
			attr(t, "font-size", "10");
			free(shown);
		}
		xmlNodePtr t = element(svg, "text", c->labels[i]);
		attr(t, "x", "%.1f", centre);
		attr(t, "y", "%d", PLOT_TOP + PLOT_HEIGHT + 18);
		attr(t, "text-anchor", "middle");
		attr(t, "font-size", "11");
	}
	return PLOT_TOP + PLOT_HEIGHT + LABEL_SPACE;
}

static void
svg_end(struct printer *p)
{
	struct chart *c = chart_of(p);
	int height = c->nseries ? 310 : TOP + (int)c->n * ROW_HEIGHT + MARGIN;
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
	if (c->nseries)
		draw_columns(svg, c, p->opt.chart_legend, p->opt.persian_digits);
	else
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
	free(c->series[0]);
	free(c->series[1]);
	free(c);
	p->state = NULL;
}

const struct fmt_backend fmt_svg = {.row = svg_row, .end = svg_end};
