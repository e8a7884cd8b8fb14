/* test-wdiff.c — the word diff: Myers' shortest edit script on words. */
#include <stdlib.h>

#include "tap.h"
#include "wdiff.h"

static void
check(const char *a, const char *b, const char *want, const char *name)
{
	struct wdiff d;
	wdiff_words(a, b, &d);
	char *got = wdiff_text(&d);
	is_str(got, want, "%s", name);
	free(got);
	wdiff_free(&d);
}

int
main(void)
{
	check("a b c", "a b c", "a b c", "the same words: nothing marked");
	check("a b c", "a x c", "a [-b-] {+x+} c", "one word changed");
	check("a b c", "a c", "a [-b-] c", "one word taken out");
	check("a c", "a b c", "a {+b+} c", "one word put in");
	check(NULL, "a b", "{+a b+}", "from nothing");
	check("a b", "", "[-a b-]", "to nothing");
	check("ساعات کار از ۷:۳۰ تا ۱۴:۳۰ است", "ساعات کار از ۸ تا ۱۵ است",
	    "ساعات کار از [-۷:۳۰-] {+۸+} تا [-۱۴:۳۰-] {+۱۵+} است", "Persian words");
	check("a  b\n\tc", "a b c", "a b c", "blanks of any kind separate words alike");
	check("x a b c y", "a b c", "[-x-] a b c [-y-]", "at both ends");

	struct wdiff d;
	wdiff_words("a b c d", "a b x y", &d);
	ok(d.same == 2 && d.old_words == 4 && d.new_words == 4, "counts: 2 kept of 4 and 4");
	ok(wdiff_similarity(&d) == 0.5, "similarity is twice the kept over both");
	ok(!wdiff_none(&d), "a change is a change");
	wdiff_free(&d);

	/* The edit script is the shortest: its length is the words not kept. */
	char a[4000], b[4000];
	size_t na = 0, nb = 0;
	srand(7);
	for (int i = 0; i < 400; i++) {
		int w = rand() % 5;
		na += (size_t)snprintf(a + na, sizeof a - na, "w%d ", w);
		if (rand() % 4)
			nb += (size_t)snprintf(b + nb, sizeof b - nb, "w%d ", rand() % 3 ? w : 9);
	}
	wdiff_words(a, b, &d);
	size_t del = 0, ins = 0, kept = 0;
	for (size_t i = 0; i < d.n; i++) {
		size_t words = 1;
		for (const char *c = d.pieces[i].text; *c; c++)
			words += *c == ' ';
		if (d.pieces[i].op == WDIFF_DELETE) del += words;
		else if (d.pieces[i].op == WDIFF_INSERT) ins += words;
		else kept += words;
	}
	ok(kept == d.same && del == d.old_words - d.same && ins == d.new_words - d.same,
	    "a random pair: the script accounts for every word");
	ok(!d.coarse, "worked out word by word");
	wdiff_free(&d);

	tap_plan(tap_n);
	return tap_failed != 0;
}
