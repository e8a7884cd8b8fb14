/*
 * wdiff.h — what changed between two texts, word by word: Myers' O(ND)
 * difference algorithm ("An O(ND) Difference Algorithm and Its
 * Variations", Algorithmica 1986) run on words, so that a changed word in
 * a long article reads as that word, not as the whole line.
 */
#ifndef PARTAKE_WDIFF_H
#define PARTAKE_WDIFF_H

#include <stdbool.h>
#include <stddef.h>

enum wdiff_op { WDIFF_SAME, WDIFF_DELETE, WDIFF_INSERT };

/* A run of words with one fate, joined by single spaces. */
struct wdiff_piece {
	enum wdiff_op op;
	char *text;
};

struct wdiff {
	struct wdiff_piece *pieces;
	size_t n;
	size_t same, old_words, new_words;	/* words kept; words in each text */
	/* More than WDIFF_MAX_EDITS edits: not computed word by word; the
	 * old text is one deletion and the new one insertion. */
	bool coarse;
};

/* The most edits worked out word by word (its trace takes their square in ints). */
#define WDIFF_MAX_EDITS 3000

/* Words are the runs of text between blanks (space, tab, line ends). NULL
 * is the empty text. Fills *d; free it with wdiff_free. */
void wdiff_words(const char *old, const char *new, struct wdiff *d);
void wdiff_free(struct wdiff *d);
/* How alike the texts are, 0 to 1: twice the words kept over the words of both. */
double wdiff_similarity(const struct wdiff *d);
/* The change as one line of text: kept words as they are, "[-deleted-]"
 * and "{+inserted+}" (the marks of GNU wdiff and git's --word-diff). A
 * new string. */
char *wdiff_text(const struct wdiff *d);
/* True when nothing was deleted or inserted. */
bool wdiff_none(const struct wdiff *d);

#endif
