/*
 * forms.c - rewrite glued compounds (file names, links, addresses,
 * identifiers, XML exports, line-end hyphenation) as separate words.
 *
 * A run is a stretch of text between white space, quotes and brackets.  In
 * a run, joiners (_ . + - = & / ? # @ : ~ !) and percent-encoded bytes
 * stand between words, and so do case changes ("IshaQureshi",
 * "QURESHIIsha") and letter/digit boundaries ("Isha2026").  A run that
 * holds two words or more and at least one such boundary is written out
 * as words separated by spaces, then a blank line, so that no two runs
 * can make one name between them.
 */
#include "config.h"

#include "forms.h"

#include <string.h>

#define FORMS_RUN_MAX 2048 /* longer runs are base64, data: URLs, not names */
#define FORMS_TAG_MAX 256  /* a longer "<...>" is not a tag */

enum cls { CL_NONE, CL_LOWER, CL_UPPER, CL_DIGIT, CL_APOS, CL_OTHER };

static int forms_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes that end a run: white space and what surrounds links and names. */
static int forms_delim(unsigned char c)
{
	return forms_space(c) || strchr("<>\"()[]{},;|`", c) != NULL;
}

static enum cls forms_class(unsigned c)
{
	if (c >= 0x80)
		return CL_OTHER; /* UTF-8, decoded or not: part of a word */
	if (c >= 'a' && c <= 'z')
		return CL_LOWER;
	if (c >= 'A' && c <= 'Z')
		return CL_UPPER;
	if (c >= '0' && c <= '9')
		return CL_DIGIT;
	if (c == '\'')
		return CL_APOS;
	return CL_NONE; /* a joiner, or punctuation: between words */
}

/* Rewrite run [A, B) into OUT; 1 if it was kept. */
static int forms_run(const unsigned char *s, size_t a, size_t b, struct pg_buf *out)
{
	size_t mark = out->len;
	unsigned words = 0, bounds = 0, upper_run = 0;
	enum cls prev = CL_NONE;
	int in_word = 0;

	for (size_t i = a; i < b;) {
		unsigned c = s[i];
		enum cls cl;
		int split = 0;

		if (c == '%' && i + 2 < b && pg_hex_value(s[i + 1]) >= 0 && pg_hex_value(s[i + 2]) >= 0) {
			c = (unsigned)(pg_hex_value(s[i + 1]) * 16 + pg_hex_value(s[i + 2]));
			i += 3;
		} else {
			i++;
		}
		cl = forms_class(c);
		if (cl == CL_NONE) {
			if (in_word)
				bounds++;
			in_word = 0;
			prev = CL_NONE;
			upper_run = 0;
			continue;
		}
		if (in_word) {
			if (prev == CL_LOWER && cl == CL_UPPER) {
				split = 1; /* IshaQureshi */
			} else if (prev == CL_UPPER && cl == CL_LOWER && upper_run >= 2) {
				/* QURESHIIsha: the last capital starts the next word. */
				char last = out->data[out->len - 1];

				pg_buf_truncate(out, out->len - 1);
				pg_buf_putc(out, ' ');
				pg_buf_putc(out, last);
				words++;
				bounds++;
				upper_run = 0;
			} else if ((prev == CL_DIGIT) != (cl == CL_DIGIT) && prev != CL_APOS &&
				   cl != CL_APOS && prev != CL_OTHER && cl != CL_OTHER) {
				split = 1; /* Isha2026 */
			}
		}
		if (!in_word || split) {
			if (words > 0)
				pg_buf_putc(out, ' ');
			if (split)
				bounds++;
			words++;
			in_word = 1;
			upper_run = 0;
		}
		pg_buf_putc(out, (char)c);
		upper_run = cl == CL_UPPER ? upper_run + 1 : 0;
		prev = cl;
	}
	if (words >= 2 && bounds >= 1) {
		pg_buf_puts(out, "\n\n");
		return 1;
	}
	pg_buf_truncate(out, mark);
	return 0;
}

/* After a run ending in '-' at B: the start of the next line's word, or 0. */
static size_t forms_next_line(const unsigned char *s, size_t len, size_t b)
{
	size_t i = b;

	if (i < len && s[i] == '\r')
		i++;
	if (i >= len || s[i] != '\n')
		return 0;
	i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++; /* indentation and reply quoting */
	return i < len && forms_class(s[i]) != CL_NONE && forms_class(s[i]) != CL_DIGIT ? i : 0;
}

/* "Matilda Ash-\ngrove": the word before, then the two halves joined
 * without the hyphen and with it (a double-barrelled name broken there). */
static size_t forms_hyphenated(const unsigned char *s, size_t len, size_t pa, size_t pb,
			       size_t a, size_t b, struct pg_buf *out)
{
	size_t c = forms_next_line(s, len, b), d = c;

	if (c == 0)
		return 0;
	while (d < len && !forms_delim(s[d]) && d - c < FORMS_RUN_MAX)
		d++;
	for (int hyphen = 0; hyphen < 2; hyphen++) {
		if (pb > pa) {
			pg_buf_append(out, s + pa, pb - pa);
			pg_buf_putc(out, ' ');
		}
		pg_buf_append(out, s + a, b - a - (hyphen ? 0 : 1));
		pg_buf_append(out, s + c, d - c);
		pg_buf_puts(out, "\n\n");
	}
	return 2;
}

/* An XML export: each tag becomes a cell boundary, and the white space
 * between tags goes, so elements read as the cells of a row. */
static size_t forms_xml(const unsigned char *s, size_t len, struct pg_buf *out)
{
	size_t tags = 0;

	for (size_t i = 0; i < len;) {
		const unsigned char *gt;

		if (s[i] != '<') {
			pg_buf_putc(out, forms_space(s[i]) ? ' ' : (char)s[i]);
			i++;
			continue;
		}
		gt = memchr(s + i + 1, '>', len - i - 1 < FORMS_TAG_MAX ? len - i - 1 : FORMS_TAG_MAX);
		if (gt == NULL || memchr(s + i + 1, '<', (size_t)(gt - s) - i - 1) != NULL) {
			pg_buf_putc(out, '<');
			i++;
			continue;
		}
		pg_buf_putc(out, '\t');
		tags++;
		i = (size_t)(gt - s) + 1;
		/* Indentation between two tags is not text. */
		{
			size_t j = i;

			while (j < len && forms_space(s[j]))
				j++;
			if (j < len && s[j] == '<')
				i = j;
		}
	}
	pg_buf_puts(out, "\n\n");
	return tags;
}

static int forms_has_xml(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p + 2 < end && (p = memchr(p, '<', (size_t)(end - p) - 2)) != NULL) {
		if (p[1] == '/' && forms_class((unsigned char)p[2]) != CL_NONE)
			return 1;
		p++;
	}
	return 0;
}

size_t forms_words(const char *text, size_t len, struct pg_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t kept = 0, pa = 0, pb = 0;

	pg_buf_truncate(out, 0);
	for (size_t i = 0; i < len;) {
		size_t a, b;

		while (i < len && forms_delim(s[i]))
			i++;
		a = i;
		while (i < len && !forms_delim(s[i]))
			i++;
		b = i;
		if (b == a)
			continue;
		if (b - a <= FORMS_RUN_MAX) {
			if (s[b - 1] == '-' && b - a >= 2)
				kept += forms_hyphenated(s, len, pa, pb, a, b, out);
			kept += (size_t)forms_run(s, a, b, out);
		}
		pa = a;
		pb = b;
	}
	if (forms_has_xml(text, len)) {
		size_t mark = out->len;

		if (forms_xml(s, len, out) > 0)
			kept++;
		else
			pg_buf_truncate(out, mark);
	}
	if (kept == 0)
		pg_buf_truncate(out, 0);
	return kept;
}
