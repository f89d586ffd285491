/*
 * html.c - a forgiving, linear HTML-to-text converter for name matching.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"

enum tag_effect {
	TAG_INLINE, TAG_BREAK, TAG_BLOCK, TAG_CELL, TAG_ROW, TAG_SKIP, TAG_PRE,
	TAG_HEADING, /* a block, underlined as plain text underlines a heading */
	TAG_RULE     /* <hr>: a rule line between blank lines */
};

static const struct {
	const char *name;
	enum tag_effect effect;
} html_tags[] = {
	{ "br", TAG_BREAK }, { "td", TAG_CELL }, { "th", TAG_CELL }, { "tr", TAG_ROW },
	{ "script", TAG_SKIP }, { "style", TAG_SKIP }, { "head", TAG_BLOCK },
	{ "pre", TAG_PRE }, { "p", TAG_BLOCK }, { "div", TAG_BLOCK }, { "li", TAG_BLOCK },
	{ "ul", TAG_BLOCK }, { "ol", TAG_BLOCK }, { "dl", TAG_BLOCK }, { "dt", TAG_BLOCK },
	{ "dd", TAG_BLOCK }, { "h1", TAG_HEADING }, { "h2", TAG_HEADING }, { "h3", TAG_HEADING },
	{ "h4", TAG_HEADING }, { "h5", TAG_HEADING }, { "h6", TAG_HEADING }, { "table", TAG_ROW },
	{ "tbody", TAG_ROW }, { "thead", TAG_ROW }, { "tfoot", TAG_ROW }, { "caption", TAG_BLOCK },
	{ "blockquote", TAG_BLOCK }, { "hr", TAG_RULE }, { "section", TAG_BLOCK },
	{ "article", TAG_BLOCK }, { "header", TAG_BLOCK }, { "footer", TAG_BLOCK },
	{ "nav", TAG_BLOCK }, { "aside", TAG_BLOCK }, { "main", TAG_BLOCK },
	{ "address", TAG_BLOCK }, { "center", TAG_BLOCK }, { "form", TAG_BLOCK },
	{ "fieldset", TAG_BLOCK }, { "figure", TAG_BLOCK }, { "figcaption", TAG_BLOCK },
	{ "title", TAG_BLOCK }, { "body", TAG_BLOCK }, { "html", TAG_BLOCK },
	{ "option", TAG_BLOCK }, { "select", TAG_BLOCK }, { "textarea", TAG_BLOCK },
	{ "summary", TAG_BLOCK }, { "details", TAG_BLOCK }, { "img", TAG_INLINE },
};

/* Named character references mail actually uses: the Latin-1 set and the
 * typographic ones.  Others pass through as text. */
static const struct {
	const char *name;
	unsigned cp;
} html_entities[] = {
	{ "nbsp", 0xA0 }, { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "rsquo", 0x2019 }, { "lsquo", 0x2018 }, { "rdquo", 0x201D },
	{ "ldquo", 0x201C }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "hellip", 0x2026 },
	{ "bull", 0x2022 }, { "middot", 0xB7 }, { "shy", 0xAD }, { "zwj", 0x200D },
	{ "zwnj", 0x200C }, { "euro", 0x20AC }, { "pound", 0xA3 }, { "copy", 0xA9 },
	{ "reg", 0xAE }, { "trade", 0x2122 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "thinsp", 0x2009 }, { "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 },
	{ "scaron", 0x161 }, { "Yuml", 0x178 }, { "Zcaron", 0x17D }, { "zcaron", 0x17E },
	{ "Agrave", 0xC0 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Atilde", 0xC3 },
	{ "Auml", 0xC4 }, { "Aring", 0xC5 }, { "AElig", 0xC6 }, { "Ccedil", 0xC7 },
	{ "Egrave", 0xC8 }, { "Eacute", 0xC9 }, { "Ecirc", 0xCA }, { "Euml", 0xCB },
	{ "Igrave", 0xCC }, { "Iacute", 0xCD }, { "Icirc", 0xCE }, { "Iuml", 0xCF },
	{ "ETH", 0xD0 }, { "Ntilde", 0xD1 }, { "Ograve", 0xD2 }, { "Oacute", 0xD3 },
	{ "Ocirc", 0xD4 }, { "Otilde", 0xD5 }, { "Ouml", 0xD6 }, { "Oslash", 0xD8 },
	{ "Ugrave", 0xD9 }, { "Uacute", 0xDA }, { "Ucirc", 0xDB }, { "Uuml", 0xDC },
	{ "Yacute", 0xDD }, { "THORN", 0xDE }, { "szlig", 0xDF }, { "agrave", 0xE0 },
	{ "aacute", 0xE1 }, { "acirc", 0xE2 }, { "atilde", 0xE3 }, { "auml", 0xE4 },
	{ "aring", 0xE5 }, { "aelig", 0xE6 }, { "ccedil", 0xE7 }, { "egrave", 0xE8 },
	{ "eacute", 0xE9 }, { "ecirc", 0xEA }, { "euml", 0xEB }, { "igrave", 0xEC },
	{ "iacute", 0xED }, { "icirc", 0xEE }, { "iuml", 0xEF }, { "eth", 0xF0 },
	{ "ntilde", 0xF1 }, { "ograve", 0xF2 }, { "oacute", 0xF3 }, { "ocirc", 0xF4 },
	{ "otilde", 0xF5 }, { "ouml", 0xF6 }, { "oslash", 0xF8 }, { "ugrave", 0xF9 },
	{ "uacute", 0xFA }, { "ucirc", 0xFB }, { "uuml", 0xFC }, { "yacute", 0xFD },
	{ "thorn", 0xFE }, { "yuml", 0xFF },
};

struct html_state {
	struct pg_buf *out;
	int pending_space;  /* collapsed white space waiting for the next text */
	int pre;            /* inside <pre> */
	int row_cells;      /* cells opened in the current row */
};

/* Emit a separator string, dropping any pending space. */
static void html_sep(struct html_state *st, const char *sep)
{
	st->pending_space = 0;
	pg_buf_puts(st->out, sep);
}

static void html_char(struct html_state *st, unsigned cp)
{
	char u[6];
	int n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (st->pending_space) {
		pg_buf_putc(st->out, ' ');
		st->pending_space = 0;
	}
	n = g_unichar_to_utf8(cp, u);
	pg_buf_append(st->out, u, (size_t)n);
}

/* Decode a character reference at S (just past '&'); bytes consumed or 0. */
static size_t html_entity(const char *s, size_t len, unsigned *cp_r)
{
	size_t i = 0;

	if (len > 0 && s[0] == '#') {
		unsigned long v = 0;
		int hex = len > 1 && (s[1] == 'x' || s[1] == 'X');
		size_t digits = 0;

		for (i = hex ? 2 : 1; i < len && digits < 8; i++, digits++) {
			char c = s[i];

			if (c >= '0' && c <= '9')
				v = v * (hex ? 16 : 10) + (unsigned long)(c - '0');
			else if (hex && c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned long)(c - 'a' + 10);
			else if (hex && c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned long)(c - 'A' + 10);
			else
				break;
		}
		if (digits == 0)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		*cp_r = v > 0x10FFFF ? 0xFFFD : (unsigned)v;
		return i;
	}
	while (i < len && i < 10 && g_ascii_isalnum(s[i]))
		i++;
	if (i == 0)
		return 0;
	for (size_t e = 0; e < PG_ARRAY_LEN(html_entities); e++) {
		if (strlen(html_entities[e].name) == i &&
		    strncmp(s, html_entities[e].name, i) == 0) {
			*cp_r = html_entities[e].cp;
			return i < len && s[i] == ';' ? i + 1 : i;
		}
	}
	return 0;
}

static enum tag_effect html_tag_effect(const char *name, size_t n)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(html_tags); i++)
		if (strlen(html_tags[i].name) == n && strncasecmp(name, html_tags[i].name, n) == 0)
			return html_tags[i].effect;
	return TAG_INLINE;
}

/* Find the end of a raw-text element (</script>, </style>); index past it. */
static size_t html_skip_raw(const char *s, size_t len, size_t i, const char *name)
{
	size_t n = strlen(name);

	for (; i + 2 + n <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, name, n) == 0) {
			const char *gt = memchr(s + i, '>', len - i);

			return gt ? (size_t)(gt - s) + 1 : len;
		}
	return len;
}

/* Emit the alt attribute of an <img> tag spanning [S, S+LEN). */
static void html_alt(struct html_state *st, const char *s, size_t len)
{
	for (size_t i = 0; i + 4 < len; i++) {
		char q;
		size_t j;

		if (strncasecmp(s + i, "alt=", 4) != 0 || (i > 0 && !g_ascii_isspace(s[i - 1])))
			continue;
		q = s[i + 4];
		if (q != '"' && q != '\'')
			return;
		for (j = i + 5; j < len && s[j] != q; j++)
			;
		html_sep(st, " ");
		pg_buf_append(st->out, s + i + 5, j - i - 5);
		html_sep(st, " ");
		return;
	}
}

static void html_apply_tag(struct html_state *st, enum tag_effect eff, int closing)
{
	switch (eff) {
	case TAG_BREAK:
		html_sep(st, "\n");
		break;
	case TAG_BLOCK:
		html_sep(st, "\n\n");
		break;
	case TAG_HEADING:
		/* Headings start sections, which keywords near a pupil do not
		 * cross (norm_section_between()). */
		html_sep(st, closing ? "\n---\n\n" : "\n\n");
		break;
	case TAG_RULE:
		html_sep(st, "\n\n---\n\n");
		break;
	case TAG_PRE:
		st->pre = !closing;
		html_sep(st, "\n\n");
		break;
	case TAG_ROW:
		html_sep(st, "\n\n");
		st->row_cells = 0;
		break;
	case TAG_CELL:
		if (!closing && st->row_cells++ > 0)
			html_sep(st, "\t");
		break;
	default:
		break;
	}
}

void html_to_text(const char *s, size_t len, struct pg_buf *out)
{
	struct html_state st = { .out = out };
	size_t i = 0;

	pg_buf_reserve(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<') {
			size_t j = i + 1, name_start, name_len;
			int closing = 0;
			const char *gt;
			enum tag_effect eff;

			if (len - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
				const char *end = g_strstr_len(s + i + 4, (gssize)(len - i - 4), "-->");

				i = end ? (size_t)(end - s) + 3 : len;
				continue;
			}
			if (j < len && s[j] == '/') {
				closing = 1;
				j++;
			}
			name_start = j;
			while (j < len && (g_ascii_isalnum(s[j]) || s[j] == ':' || s[j] == '-'))
				j++;
			name_len = j - name_start;
			if (name_len == 0 && !(j < len && (s[j] == '!' || s[j] == '?'))) {
				html_char(&st, '<'); /* a lone '<' in text */
				i++;
				continue;
			}
			gt = memchr(s + j, '>', len - j);
			if (gt == NULL)
				break; /* an unterminated tag at the end: not text */
			eff = html_tag_effect(s + name_start, name_len);
			if (eff == TAG_SKIP && !closing) {
				char name[8];

				memcpy(name, s + name_start, name_len < 7 ? name_len : 7);
				name[name_len < 7 ? name_len : 7] = '\0';
				i = html_skip_raw(s, len, (size_t)(gt - s) + 1, name);
				st.pending_space = 1;
				continue;
			}
			if (name_len == 3 && strncasecmp(s + name_start, "img", 3) == 0)
				html_alt(&st, s + j, (size_t)(gt - (s + j)));
			html_apply_tag(&st, eff, closing);
			i = (size_t)(gt - s) + 1;
			continue;
		}
		if (c == '&') {
			unsigned cp;
			size_t n = html_entity(s + i + 1, len - i - 1, &cp);

			if (n > 0) {
				html_char(&st, cp);
				i += n + 1;
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			if (st.pre && c == '\n')
				html_sep(&st, "\n");
			else if (st.out->len > 0)
				st.pending_space = 1;
			i++;
			continue;
		}
		if (st.pending_space) {
			pg_buf_putc(out, ' ');
			st.pending_space = 0;
		}
		pg_buf_putc(out, (char)c);
		i++;
	}
}
