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
#define FORMS_DELIM 0x80

static int forms_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Each byte's class, and whether it ends a run (white space and what
 * surrounds links and names): a table, as this runs on every byte of
 * every segment.  UTF-8 bytes, decoded or not, are part of a word. */
#define N CL_NONE
#define L CL_LOWER
#define U CL_UPPER
#define G CL_DIGIT
#define A CL_APOS
#define O CL_OTHER
#define D (CL_NONE | FORMS_DELIM)
static const unsigned char forms_byte[256] = {
	N, N, N, N, N, N, N, N, N, D, D, D, D, D, N, N,
	N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
	D, N, D, N, N, N, N, A, D, D, N, N, D, N, N, N,
	G, G, G, G, G, G, G, G, G, G, N, D, D, N, D, N,
	N, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
	U, U, U, U, U, U, U, U, U, U, U, D, N, D, N, N,
	D, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, D, D, D, N, N,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
};
#undef N
#undef L
#undef U
#undef G
#undef A
#undef O
#undef D

static int forms_delim(unsigned char c)
{
	return forms_byte[c] & FORMS_DELIM;
}

static enum cls forms_class(unsigned c)
{
	return c > 0xff ? CL_OTHER : (enum cls)(forms_byte[c] & ~FORMS_DELIM);
}

static int forms_letter(enum cls cl)
{
	return cl == CL_LOWER || cl == CL_UPPER || cl == CL_OTHER;
}

/* Whether, inside a run, the byte of class C after bytes of classes P and
 * PP (two back) is a boundary that forms_run() could split at.  Most runs
 * are plain words ("the", "Khan,") and are passed over unwritten. */
static int forms_boundary(enum cls pp, enum cls p, enum cls c, int joiner_inside)
{
	if (p == CL_NONE && c != CL_NONE && joiner_inside)
		return 1; /* a joiner or '%' between word characters */
	if ((p == CL_LOWER && c == CL_UPPER) || (p == CL_UPPER && c == CL_LOWER && pp == CL_UPPER))
		return 1; /* IshaQureshi, QURESHIIsha */
	return (p == CL_DIGIT && forms_letter(c)) || (forms_letter(p) && c == CL_DIGIT);
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
static size_t forms_hyphenated(const unsigned char *s, size_t len, size_t a, size_t b,
			       struct pg_buf *out)
{
	size_t c = forms_next_line(s, len, b), d = c, pa, pb = a;

	if (c == 0)
		return 0;
	/* The run before, within the usual bound of a run. */
	while (pb > 0 && forms_delim(s[pb - 1]) && a - pb < FORMS_RUN_MAX)
		pb--;
	pa = pb;
	while (pa > 0 && !forms_delim(s[pa - 1]) && pb - pa < FORMS_RUN_MAX)
		pa--;
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

/* Whether the 8 bytes at S are all lower-case ASCII letters, spaces or
 * line ends: nothing in them can be a boundary (the common case in prose,
 * so it is tested 8 bytes at a time). */
static int forms_plain8(const unsigned char *s)
{
	static const unsigned char plain[256] = {
		['\n'] = 1, [' '] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
		['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
		['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
		['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	};

	return plain[s[0]] & plain[s[1]] & plain[s[2]] & plain[s[3]] & plain[s[4]] &
	       plain[s[5]] & plain[s[6]] & plain[s[7]];
}

size_t forms_words(const char *text, size_t len, struct pg_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t kept = 0, a = 0;
	enum cls p = CL_NONE, pp = CL_NONE;
	int in_run = 0, maybe = 0;

	pg_buf_truncate(out, 0);
	/* One pass over the bytes, a run at a time, without a call per run:
	 * this reads every byte of every segment. */
	for (size_t i = 0; i <= len; i++) {
		unsigned char b;

		/* Eight plain bytes, outside a run or after a lower-case letter
		 * of a run with no boundary yet, change nothing but where the
		 * last run starts. */
		while (i + 8 <= len &&
		       (!in_run || (!maybe && (p == CL_LOWER || (p == CL_UPPER && pp != CL_UPPER)))) &&
		       forms_plain8(s + i)) {
			int last = 7;

			while (last >= 0 && s[i + (size_t)last] != ' ' && s[i + (size_t)last] != '\n')
				last--;
			if (last < 0) { /* a run goes on through all eight */
				if (!in_run) {
					in_run = 1;
					a = i;
					maybe = 0;
				}
			} else if (last == 7) {
				in_run = 0; /* the runs inside ended, with no boundary */
			} else {
				in_run = 1;
				maybe = 0;
				a = i + (size_t)last + 1;
			}
			pp = p = CL_LOWER;
			i += 8;
		}
		b = i < len ? forms_byte[s[i]] : FORMS_DELIM;
		if (b & FORMS_DELIM) {
			if (in_run && i - a <= FORMS_RUN_MAX) {
				if (s[i - 1] == '-' && i - a >= 2)
					kept += forms_hyphenated(s, len, a, i, out);
				if (maybe)
					kept += (size_t)forms_run(s, a, i, out);
			}
			in_run = 0;
			continue;
		}
		if (!in_run) {
			in_run = 1;
			a = i;
			maybe = 0;
			pp = CL_NONE;
			p = (enum cls)b;
			continue;
		}
		if (!maybe && !(b == CL_LOWER && p == CL_LOWER))
			maybe = forms_boundary(pp, p, (enum cls)b, i - 1 > a);
		pp = p;
		p = (enum cls)b;
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
