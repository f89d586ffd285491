/*
 * norm.c - fold UTF-8 text into comparable word tokens.
 *
 * ASCII, the bulk of mail text, goes through a byte table; other code points
 * through GLib's Unicode tables (compatibility decomposition, marks dropped,
 * lower case), plus a few letters that Unicode does not decompose but that
 * people write without their stroke (ł, ø, đ, ß, æ, œ, ı, þ).  Letters of
 * other scripts are kept, lower-cased.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "norm.h"

enum char_class {
	CC_OTHER = 0, /* sentence punctuation, symbols */
	CC_WORD,      /* letter or digit */
	CC_SPACE,
	CC_NEWLINE,
	CC_CELL,
	CC_COMMA,
	CC_APOS,
	CC_HYPHEN,
	CC_DOT,
	CC_QUOTE_MARK, /* '>' : white space at the start of a line */
	CC_IGNORE      /* soft hyphen, zero-width characters: as if absent */
};

static unsigned char ascii_class[128];
static char ascii_fold[128];
static gsize ascii_ready;

/* Fill the ASCII tables once; safe to call from many threads. */
static void norm_ascii_init(void)
{
	if (!g_once_init_enter(&ascii_ready))
		return;
	for (int c = 0; c < 128; c++) {
		ascii_class[c] = CC_OTHER;
		ascii_fold[c] = 0;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			ascii_class[c] = CC_WORD;
			ascii_fold[c] = (char)c;
		} else if (c >= 'A' && c <= 'Z') {
			ascii_class[c] = CC_WORD;
			ascii_fold[c] = (char)(c - 'A' + 'a');
		}
	}
	ascii_class[' '] = CC_SPACE;
	ascii_class['\r'] = CC_SPACE;
	ascii_class['\f'] = CC_SPACE;
	ascii_class['\v'] = CC_SPACE;
	ascii_class['\n'] = CC_NEWLINE;
	ascii_class['\t'] = CC_CELL;
	ascii_class['|'] = CC_CELL;
	ascii_class[';'] = CC_CELL;
	ascii_class[','] = CC_COMMA;
	ascii_class['\''] = CC_APOS;
	ascii_class['`'] = CC_APOS;
	ascii_class['-'] = CC_HYPHEN;
	ascii_class['.'] = CC_DOT;
	ascii_class['>'] = CC_QUOTE_MARK;
	g_once_init_leave(&ascii_ready, 1);
}

/* Class of a non-ASCII code point. */
static enum char_class norm_uclass(gunichar c)
{
	switch (c) {
	case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
		return CC_SPACE;
	case 0x0085: case 0x2028: case 0x2029:
		return CC_NEWLINE;
	case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
	case 0x180E: case 0x200E: case 0x200F: case 0x034F: case 0x061C:
		return CC_IGNORE; /* invisible: soft hyphen, zero widths, direction marks */
	case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x02B9: case 0x00B4:
	case 0x2032: case 0xFF07:
		return CC_APOS;
	case 0x2010: case 0x2011: case 0x00B7:
		return CC_HYPHEN;
	case 0xFF0C: case 0x3001:
		return CC_COMMA;
	default:
		break;
	}
	if (c >= 0x2000 && c <= 0x200A)
		return CC_SPACE;
	if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2061 && c <= 0x2069))
		return CC_IGNORE; /* bidi embeddings and isolates, invisible operators */
	if (g_unichar_isalnum(c) || g_unichar_ismark(c))
		return CC_WORD;
	if (g_unichar_isspace(c))
		return CC_SPACE;
	return CC_OTHER;
}

/* Cyrillic and Greek letters (lower case, as folded) that look like Latin
 * ones, as their Latin letter. */
static char norm_confusable(gunichar c)
{
	switch (c) {
	case 0x0430: case 0x03B1: return 'a';
	case 0x0432: case 0x03B2: return 'b';
	case 0x0441: case 0x03F2: return 'c';
	case 0x0501: return 'd';
	case 0x0435: case 0x03B5: return 'e';
	case 0x043D: case 0x04BB: case 0x03B7: return 'h';
	case 0x0456: case 0x03B9: case 0x04CF: return 'i';
	case 0x0458: return 'j';
	case 0x043A: case 0x03BA: return 'k';
	case 0x043C: case 0x03BC: return 'm';
	case 0x03BD: return 'n';
	case 0x043E: case 0x03BF: return 'o';
	case 0x0440: case 0x03C1: return 'p';
	case 0x0455: return 's';
	case 0x0442: case 0x03C4: return 't';
	case 0x0445: case 0x03C7: return 'x';
	case 0x0443: case 0x04AF: case 0x03C5: return 'y';
	case 0x03B6: return 'z';
	default: return 0;
	}
}

/* A word that mixes Latin letters with Cyrillic or Greek look-alikes
 * ("Nw\u043Esu") is a Latin word spelt to hide: its folded form [OFF, end of
 * OUT) gets the Latin letters.  A word wholly in another script is left as
 * it is, so Cyrillic and Greek names still fold to themselves. */
static void norm_unconfuse(struct pg_buf *out, size_t off)
{
	char *p = out->data + off, *end = out->data + out->len, *w = p;
	int latin = 0;

	for (const char *q = p; q < end; q++)
		if (*q >= 'a' && *q <= 'z')
			latin = 1;
	if (!latin)
		return;
	while (p < end) {
		if ((unsigned char)*p < 0x80) {
			*w++ = *p++;
			continue;
		}
		{
			gunichar c = g_utf8_get_char_validated(p, end - p);
			const char *next = g_utf8_next_char(p);
			char l = c == (gunichar)-1 || c == (gunichar)-2 ? 0 : norm_confusable(c);

			if (next > end)
				next = end;
			if (l != 0) {
				*w++ = l;
			} else {
				memmove(w, p, (size_t)(next - p));
				w += next - p;
			}
			p = (char *)next;
		}
	}
	pg_buf_truncate(out, (size_t)(w - out->data));
}

/* Letters written without their diacritic that Unicode does not decompose. */
static const char *norm_special_fold(gunichar c)
{
	switch (c) {
	case 0x0141: case 0x0142: return "l";  /* Ł ł */
	case 0x00D8: case 0x00F8: return "o";  /* Ø ø */
	case 0x0110: case 0x0111: return "d";  /* Đ đ */
	case 0x00D0: case 0x00F0: return "d";  /* Ð ð */
	case 0x00DF: case 0x1E9E: return "ss"; /* ß */
	case 0x00C6: case 0x00E6: return "ae"; /* Æ æ */
	case 0x0152: case 0x0153: return "oe"; /* Œ œ */
	case 0x0131: return "i";               /* dotless ı */
	case 0x00DE: case 0x00FE: return "th"; /* Þ þ */
	case 0x0126: case 0x0127: return "h";  /* Ħ ħ */
	default: return NULL;
	}
}

/* Append the folded form of one non-ASCII word character. */
static void norm_fold_unichar(gunichar c, struct pg_buf *out)
{
	gunichar decomp[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	const char *special = norm_special_fold(c);
	gsize n;

	if (special != NULL) {
		pg_buf_puts(out, special);
		return;
	}
	n = g_unichar_fully_decompose(c, TRUE, decomp, G_N_ELEMENTS(decomp));
	for (gsize i = 0; i < n; i++) {
		gunichar d = decomp[i];
		char u[6];
		int len;

		if (g_unichar_ismark(d))
			continue;
		special = norm_special_fold(d);
		if (special != NULL) {
			pg_buf_puts(out, special);
			continue;
		}
		d = g_unichar_tolower(d);
		if (d < 0x80) {
			if (ascii_fold[d])
				pg_buf_putc(out, ascii_fold[d]);
			continue;
		}
		len = g_unichar_to_utf8(d, u);
		pg_buf_append(out, u, (size_t)len);
	}
}

const char *norm_ascii_fold(void)
{
	norm_ascii_init();
	return ascii_fold;
}

void norm_tokens_init(struct pg_tokens *t)
{
	t->v = NULL;
	t->n = t->cap = 0;
	pg_buf_init(&t->norm, 256);
}

void norm_tokens_reset(struct pg_tokens *t)
{
	t->n = 0;
	pg_buf_truncate(&t->norm, 0);
}

void norm_tokens_free(struct pg_tokens *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
	pg_buf_free(&t->norm, 1);
}

/* What the characters seen since the last token add up to. */
struct gap {
	unsigned space, newlines, cell, comma, apos, hyphen, dot, other;
};

/* Classify the gap before a token; PREV_FLAGS describe the previous token. */
static enum pg_sep norm_gap_sep(const struct gap *g, uint8_t prev_flags, size_t prev_len)
{
	if (g->other > 0)
		return PG_SEP_BREAK;
	/* A cell boundary outranks the paragraph breaks that word processors put
	 * inside table cells; a blank line is otherwise a break. */
	if (g->newlines >= 2 && g->cell == 0)
		return PG_SEP_BREAK;
	if (g->dot > 0) {
		/* "A. Khan", "A.Khan": an initial's dot is not a full stop. */
		if (g->dot == 1 && prev_len == 1 && (prev_flags & PG_TOK_UPPER) &&
		    g->comma == 0 && g->cell == 0 && g->apos == 0 && g->hyphen == 0)
			return PG_SEP_SPACE;
		return PG_SEP_BREAK;
	}
	if (g->cell > 0)
		return g->comma > 0 || g->apos > 0 || g->hyphen > 0 ? PG_SEP_BREAK : PG_SEP_CELL;
	if (g->comma > 0)
		return g->comma > 1 || g->apos > 0 || g->hyphen > 0 ? PG_SEP_BREAK : PG_SEP_COMMA;
	if (g->apos > 0 || g->hyphen > 0) {
		if (g->space > 0 || g->newlines > 0 || g->apos + g->hyphen > 1)
			return PG_SEP_BREAK; /* " - " is a dash, "''" a quote */
		return PG_SEP_JOIN;
	}
	return PG_SEP_SPACE;
}

static void norm_push(struct pg_tokens *out, const struct pg_token *tok)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 256;
		out->v = pg_reallocarray(out->v, out->cap, sizeof(*out->v));
	}
	out->v[out->n++] = *tok;
}

void norm_tokenize(const char *text, size_t len, struct pg_tokens *out)
{
	const unsigned char *s = (const unsigned char *)text;
	struct gap gap = { 0 };
	struct pg_token tok;
	uint8_t prev_flags = 0;
	size_t prev_len = 0;
	int in_word = 0, line_start = 1, nupper = 0, nlower = 0, nletters = 0, nonascii = 0;
	size_t i = 0;

	norm_ascii_init();
	memset(&tok, 0, sizeof(tok));
	/* Folding never makes ASCII longer; other scripts may grow, and reserve
	 * again as they go. */
	pg_buf_reserve(&out->norm, len + 16);
	while (i <= len) {
		enum char_class cc;
		gunichar c = 0;
		size_t clen = 1;

		if (i == len) {
			cc = CC_OTHER; /* flush */
		} else if (s[i] < 0x80) {
			c = s[i];
			cc = ascii_class[c];
		} else {
			const char *next;

			c = g_utf8_get_char_validated(text + i, (gssize)(len - i));
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				cc = CC_OTHER;
				c = 0;
			} else {
				next = g_utf8_next_char(text + i);
				clen = (size_t)(next - (text + i));
				cc = norm_uclass(c);
			}
		}

		if (cc == CC_IGNORE) {
			i += clen;
			continue;
		}
		if (cc == CC_WORD) {
			pg_buf_reserve(&out->norm, len - i + 16);
			if (!in_word) {
				memset(&tok, 0, sizeof(tok));
				tok.start = (uint32_t)i;
				tok.norm_off = (uint32_t)out->norm.len;
				tok.sep = out->n == 0 && prev_len == 0 ? PG_SEP_NONE
								  : norm_gap_sep(&gap, prev_flags, prev_len);
				in_word = 1;
				line_start = 0;
				nupper = nlower = nletters = 0;
				nonascii = 0;
			}
			if (c < 0x80) {
				/* The common case: a run of ASCII letters and digits,
				 * written straight into the reserved buffer. */
				char *w = out->norm.data + out->norm.len;
				size_t start = i, run_letters = 0;

				while (i < len && s[i] < 0x80 && ascii_class[s[i]] == CC_WORD) {
					unsigned char b = s[i++];
					int up = b >= 'A' && b <= 'Z', low = b >= 'a' && b <= 'z';

					nupper += up;
					nlower += low;
					run_letters += (size_t)(up + low);
					*w++ = ascii_fold[b];
				}
				nletters = nupper + nlower;
				if (run_letters < i - start)
					tok.flags |= PG_TOK_DIGIT;
				out->norm.len += i - start;
				out->norm.data[out->norm.len] = '\0';
				continue;
			} else {
				nonascii = 1;
				if (g_unichar_isupper(c) || g_unichar_istitle(c))
					nupper++, nletters++;
				else if (g_unichar_islower(c))
					nlower++, nletters++;
				else if (g_unichar_isdigit(c))
					tok.flags |= PG_TOK_DIGIT;
				norm_fold_unichar(c, &out->norm);
			}
			i += clen;
			continue;
		}

		if (in_word) {
			size_t nlen = out->norm.len - tok.norm_off;
			const unsigned char *first = s + tok.start;

			tok.end = (uint32_t)i;
			if (nonascii) {
				norm_unconfuse(&out->norm, tok.norm_off);
				nlen = out->norm.len - tok.norm_off;
			}
			if (nlen > PG_TOKEN_MAX) {
				pg_buf_truncate(&out->norm, tok.norm_off + PG_TOKEN_MAX);
				nlen = PG_TOKEN_MAX;
				tok.flags |= PG_TOK_LONG;
			}
			tok.norm_len = (uint16_t)nlen;
			if (nletters > 0 && nlower == 0)
				tok.flags |= PG_TOK_UPPER;
			if (nletters > 0 && nupper == 0)
				tok.flags |= PG_TOK_LOWER;
			if ((*first >= 'A' && *first <= 'Z') ||
			    (*first >= 0x80 && g_unichar_isupper(g_utf8_get_char_validated(
						       (const char *)first, (gssize)(len - tok.start)))))
				tok.flags |= PG_TOK_CAPITAL;
			if (i < len && s[i] == '.')
				tok.flags |= PG_TOK_DOTTED;
			if (nlen > 0)
				norm_push(out, &tok);
			prev_flags = tok.flags;
			prev_len = (size_t)nletters + ((tok.flags & PG_TOK_DIGIT) ? 1 : 0);
			if (prev_len == 0)
				prev_len = 1;
			in_word = 0;
			memset(&gap, 0, sizeof(gap));
		}
		if (i == len)
			break;
		switch (cc) {
		case CC_SPACE: gap.space++; break;
		case CC_NEWLINE: gap.newlines++; line_start = 1; break;
		case CC_CELL: gap.cell++; break;
		case CC_COMMA: gap.comma++; break;
		case CC_APOS: gap.apos++; break;
		case CC_HYPHEN: gap.hyphen++; break;
		case CC_DOT: gap.dot++; break;
		case CC_QUOTE_MARK:
			if (!line_start)
				gap.other++;
			break;
		default: gap.other++; break;
		}
		i += clen;
	}
}

char *norm_fold_phrase(const char *text, size_t len)
{
	struct pg_tokens t;
	struct pg_buf b;

	norm_tokens_init(&t);
	norm_tokenize(text, len, &t);
	pg_buf_init(&b, len + 1);
	for (size_t i = 0; i < t.n; i++) {
		if (i > 0)
			pg_buf_putc(&b, ' ');
		pg_buf_append(&b, norm_token_text(&t, i), t.v[i].norm_len);
	}
	norm_tokens_free(&t);
	return pg_buf_steal(&b);
}

/* Byte classes for walking words: bit 0 an ASCII letter or digit, bit 1
 * any byte that is not white space; a table, built by the compiler. */
#define WC(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\r') ? 0 : \
	       ((unsigned)((c) | 0x20) - 'a' < 26u || (unsigned)(c) - '0' < 10u) ? 3 : 2)
#define WC4(c) WC(c), WC((c) + 1), WC((c) + 2), WC((c) + 3)
#define WC16(c) WC4(c), WC4((c) + 4), WC4((c) + 8), WC4((c) + 12)
#define WC64(c) WC16(c), WC16((c) + 16), WC16((c) + 32), WC16((c) + 48)
static const unsigned char norm_wtab[256] = { WC64(0), WC64(64), WC64(128), WC64(192) };
#undef WC64
#undef WC16
#undef WC4
#undef WC

/* The N (1 to 64) bytes at P as masks, bit K for byte K: those that are
 * not white space in *NS, the ASCII letters and digits in *AL.  No branch
 * per byte: words are short, and a branch at each edge of one costs more
 * than the table lookups. */
static void norm_word_masks(const unsigned char *p, size_t n, uint64_t *ns, uint64_t *al)
{
	uint64_t a = 0, o = 0;

	for (size_t k = 0; k < n; k++) {
		unsigned c = norm_wtab[p[k]];

		a |= (uint64_t)(c & 1) << k;
		o |= (uint64_t)(c >> 1) << k;
	}
	*ns = o;
	*al = a;
}

/* Bits LO to HI - 1 (0 <= LO <= HI <= 64). */
static uint64_t norm_bits(unsigned lo, unsigned hi)
{
	uint64_t below_hi = hi >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1;
	uint64_t below_lo = lo >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << lo) - 1;

	return below_hi & ~below_lo;
}

size_t norm_words_forward(const char *text, size_t len, size_t pos, size_t k)
{
	const unsigned char *u = (const unsigned char *)text;
	int carry = 0; /* the word running into this block has a letter or digit */

	if (k == 0)
		return pos;
	for (size_t b = pos; b < len; b += 64) {
		size_t n = len - b < 64 ? len - b : 64;
		uint64_t ns, al, ends, next;
		unsigned lo = 0;

		norm_word_masks(u + b, n, &ns, &al);
		/* A word ends at a byte followed by white space or the end. */
		next = b + n < len && (norm_wtab[u[b + n]] & 2);
		ends = ns & ~(ns >> 1 | next << (n - 1));
		while (ends != 0) {
			unsigned e = pg_ctz64(ends);

			if (((al & norm_bits(lo, e + 1)) != 0 || carry) && --k == 0)
				return b + e + 1;
			carry = 0;
			lo = e + 1;
			ends &= ends - 1;
		}
		carry = carry || (al & norm_bits(lo, 64)) != 0;
	}
	return len;
}

size_t norm_words_back(const char *text, size_t pos, size_t k)
{
	const unsigned char *u = (const unsigned char *)text;
	int carry = 0; /* the word running out of this block has a letter or digit */

	if (k == 0)
		return pos;
	for (size_t top = pos; top > 0;) {
		size_t n = top < 64 ? top : 64, b = top - n;
		uint64_t ns, al, starts, prev;
		unsigned hi = (unsigned)n;

		norm_word_masks(u + b, n, &ns, &al);
		/* A word starts at a byte after white space or the start. */
		prev = b > 0 && (norm_wtab[u[b - 1]] & 2);
		starts = ns & ~(ns << 1 | prev);
		while (starts != 0) {
			unsigned s = pg_top64(starts);

			if (((al & norm_bits(s, hi)) != 0 || carry) && --k == 0)
				return b + s;
			carry = 0;
			hi = s;
			starts &= ~((uint64_t)1 << s);
		}
		carry = carry || (al & norm_bits(0, hi)) != 0;
		top = b;
	}
	return 0;
}

/* A line holding only white space. */
static int norm_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* A line of at least three of - = _ * ~ and nothing else but white space:
 * an underline, or a rule across the page. */
static int norm_rule_line(const char *s, size_t n)
{
	size_t marks = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '=' || s[i] == '_' || s[i] == '*' || s[i] == '~')
			marks++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return marks >= 3;
}

/* Headings and rules are short lines: longer ones are not looked into, so
 * that a hostile text of one long line costs nothing here. */
#define NORM_SECTION_LINE_MAX 256

/* The end of the line that starts at I (its '\n', or LEN), or SIZE_MAX if
 * it is longer than NORM_SECTION_LINE_MAX. */
static size_t norm_short_line_end(const char *text, size_t len, size_t i)
{
	size_t n = len - i < NORM_SECTION_LINE_MAX ? len - i : NORM_SECTION_LINE_MAX;
	const char *nl = memchr(text + i, '\n', n);

	if (nl != NULL)
		return (size_t)(nl - text);
	return len - i <= NORM_SECTION_LINE_MAX ? len : SIZE_MAX;
}

int norm_section_between(const char *text, size_t len, size_t from, size_t to)
{
	if (to > len)
		to = len;
	for (size_t p = from; p < to; p++) {
		size_t start = p + 1, end, next_end, q = p;

		if (text[p] != '\n')
			continue;
		/* The line before must be blank (or there is none). */
		while (q > 0 && (text[q - 1] == ' ' || text[q - 1] == '\t' || text[q - 1] == '\r'))
			q--;
		if (q > 0 && text[q - 1] != '\n')
			continue;
		end = norm_short_line_end(text, len, start);
		if (end == SIZE_MAX)
			continue;
		if (norm_rule_line(text + start, end - start))
			return 1;
		if (end >= len || norm_blank_line(text + start, end - start) ||
		    memchr(text + start, '|', end - start) != NULL ||
		    memchr(text + start, '\t', end - start) != NULL)
			continue;
		next_end = norm_short_line_end(text, len, end + 1);
		if (next_end != SIZE_MAX && norm_rule_line(text + end + 1, next_end - end - 1))
			return 1;
	}
	return 0;
}

size_t norm_token_at(const struct pg_tokens *t, size_t offset)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].end <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
