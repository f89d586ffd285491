/*
 * rtf.c - Rich Text Format to plain text, as a reader sees it.
 *
 * Groups nest; a destination that is not text (font, colour and style
 * tables, pictures, embedded objects, "\*" destinations a reader does not
 * know) is skipped with its group.  \par, \line, \row and \page end a line,
 * \tab and \cell are TAB, \'hh bytes are decoded in the document's code
 * page (\ansicpgN, Windows-1252 by default) and \uN as Unicode with its
 * \ucN fallback characters skipped; surrogate pairs are joined.  \bin
 * skips its binary data.  The document information (\info: title,
 * subject, keywords, comment) is read as its own segment; the author and
 * operator are staff, not read.  Never fails: broken RTF ends where the
 * input ends.
 */
#include <glib.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtf.h"
#include "util.h"

#define RTF_MAX_DEPTH 256 /* deeper groups are read as their parent */

struct rtf_group {
	unsigned char skip; /* this group is not text */
	unsigned char info; /* inside \info */
	unsigned char uc;   /* fallback characters after \uN */
};

struct rtf {
	const unsigned char *p, *end;
	struct rtf_group g[RTF_MAX_DEPTH];
	unsigned depth;
	unsigned fallback;     /* characters still to skip after \uN */
	unsigned high;         /* a high surrogate waiting for its pair */
	int codepage;
	iconv_t cd;            /* codepage -> UTF-8, or (iconv_t)-1 */
	struct pg_buf bytes;   /* \'hh and 8-bit bytes not yet decoded */
	struct pg_buf body, info;
};

static struct pg_buf *rtf_out(struct rtf *r)
{
	return r->g[r->depth].info ? &r->info : &r->body;
}

/* Decode the pending code-page bytes into the output. */
static void rtf_flush_bytes(struct rtf *r)
{
	struct pg_buf *out = rtf_out(r);
	char *in = r->bytes.data;
	size_t left = r->bytes.len;

	if (left == 0)
		return;
	if (r->cd == (iconv_t)-1) {
		char name[24];

		(void)snprintf(name, sizeof name, "CP%d", r->codepage);
		r->cd = iconv_open("UTF-8", name);
		if (r->cd == (iconv_t)-1)
			r->cd = iconv_open("UTF-8", "CP1252");
	}
	while (left > 0) {
		char tmp[256], *o = tmp;
		size_t room = sizeof tmp;
		size_t rc = r->cd == (iconv_t)-1 ? (size_t)-1 : iconv(r->cd, &in, &left, &o, &room);

		pg_buf_append(out, tmp, (size_t)(o - tmp));
		if (rc == (size_t)-1 && o == tmp) {
			/* An undecodable byte: a space keeps the words apart. */
			pg_buf_putc(out, ' ');
			in++;
			left--;
			if (r->cd != (iconv_t)-1)
				(void)iconv(r->cd, NULL, NULL, NULL, NULL);
		}
	}
	pg_buf_truncate(&r->bytes, 0);
}

static void rtf_unicode(struct rtf *r, long v)
{
	unsigned u = (unsigned)(v < 0 ? v + 65536 : v) & 0xffff;
	char tmp[8];
	int n;

	rtf_flush_bytes(r);
	if (u >= 0xd800 && u < 0xdc00) {
		r->high = u;
		return;
	}
	if (u >= 0xdc00 && u < 0xe000 && r->high)
		u = 0x10000 + ((r->high - 0xd800) << 10) + (u - 0xdc00);
	else if (u >= 0xdc00 && u < 0xe000)
		u = ' '; /* a low surrogate alone is no character */
	r->high = 0;
	n = g_unichar_to_utf8((gunichar)u, tmp);
	pg_buf_append(rtf_out(r), tmp, (size_t)n);
}

/* A text byte (or a decoded \'hh), unless a \uN fallback is being skipped. */
static void rtf_byte(struct rtf *r, unsigned char c, int literal)
{
	if (r->g[r->depth].skip)
		return;
	if (r->fallback) {
		r->fallback--;
		return;
	}
	if (c >= 0x80 || literal) {
		pg_buf_putc(&r->bytes, (char)c);
		return;
	}
	rtf_flush_bytes(r);
	pg_buf_putc(rtf_out(r), (char)c);
}

static void rtf_text(struct rtf *r, const char *s)
{
	if (r->g[r->depth].skip)
		return;
	rtf_flush_bytes(r);
	pg_buf_puts(rtf_out(r), s);
}

/* Destinations whose group is not text a reader sees. */
static int rtf_skipped(const char *w)
{
	static const char *const v[] = {
		"fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "revtbl",
		"rsidtbl", "pict", "object", "objdata", "themedata", "colorschememapping",
		"datastore", "latentstyles", "xmlnstbl", "filetbl", "generator", "author",
		"operator", "creatim", "revtim", "printim", "buptim", "nonshppict", "fldinst",
		"bkmkstart", "bkmkend", "pgdsctbl", "mmathPr", "xe", "tc", "private", NULL};

	for (size_t i = 0; v[i]; i++)
		if (strcmp(w, v[i]) == 0)
			return 1;
	return 0;
}

static void rtf_word(struct rtf *r, const char *w, int has_arg, long arg)
{
	struct rtf_group *g = &r->g[r->depth];

	if (rtf_skipped(w))
		g->skip = 1;
	else if (strcmp(w, "info") == 0)
		g->info = 1;
	else if (strcmp(w, "bin") == 0 && has_arg && arg > 0) {
		size_t n = (size_t)arg;

		r->p += n < (size_t)(r->end - r->p) ? n : (size_t)(r->end - r->p);
	} else if (strcmp(w, "ansicpg") == 0 && has_arg && arg > 0 && arg < 100000 &&
		   r->cd == (iconv_t)-1)
		r->codepage = (int)arg;
	else if (strcmp(w, "uc") == 0 && has_arg && arg >= 0 && arg < 256)
		g->uc = (unsigned char)arg;
	else if (strcmp(w, "u") == 0 && has_arg) {
		if (!g->skip) {
			rtf_unicode(r, arg);
			r->fallback = g->uc;
		}
	} else if (!strcmp(w, "par") || !strcmp(w, "line") || !strcmp(w, "row") ||
		   !strcmp(w, "page") || !strcmp(w, "sect"))
		rtf_text(r, "\n");
	else if (!strcmp(w, "tab") || !strcmp(w, "cell"))
		rtf_text(r, "\t");
	else if (!strcmp(w, "emdash") || !strcmp(w, "endash"))
		rtf_text(r, "-");
	else if (!strcmp(w, "lquote") || !strcmp(w, "rquote"))
		rtf_text(r, "'");
	else if (!strcmp(w, "ldblquote") || !strcmp(w, "rdblquote"))
		rtf_text(r, "\"");
	else if ((!strcmp(w, "title") || !strcmp(w, "subject") || !strcmp(w, "keywords") ||
		  !strcmp(w, "doccomm")) && r->info.len)
		rtf_text(r, "\n"); /* each property on its own line */
}

/* After a backslash. */
static void rtf_control(struct rtf *r)
{
	char w[33];
	size_t n = 0;
	long arg = 0;
	int has_arg = 0, neg = 0;

	if (r->p >= r->end)
		return;
	if (*r->p == '\'') {
		if (r->end - r->p >= 3 && pg_hex_value(r->p[1]) >= 0 && pg_hex_value(r->p[2]) >= 0)
			rtf_byte(r, (unsigned char)(pg_hex_value(r->p[1]) * 16 + pg_hex_value(r->p[2])), 1);
		r->p += r->end - r->p >= 3 ? 3 : r->end - r->p;
		return;
	}
	if (!((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z'))) {
		unsigned char c = *r->p++;

		if (c == '~')
			rtf_byte(r, ' ', 0);
		else if (c == '_')
			rtf_byte(r, '-', 0);
		else if (c == '\\' || c == '{' || c == '}')
			rtf_byte(r, c, 0);
		else if (c == '\n' || c == '\r')
			rtf_text(r, "\n");
		return; /* \- (optional hyphen) and others: nothing */
	}
	while (r->p < r->end && n + 1 < sizeof w &&
	       ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z')))
		w[n++] = (char)*r->p++;
	w[n] = '\0';
	while (r->p < r->end && ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z')))
		r->p++; /* an over-long word: the rest of it */
	if (r->p < r->end && *r->p == '-' && r->end - r->p > 1 && r->p[1] >= '0' && r->p[1] <= '9') {
		neg = 1;
		r->p++;
	}
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		if (arg < 100000000)
			arg = arg * 10 + (*r->p - '0');
		has_arg = 1;
		r->p++;
	}
	if (r->p < r->end && *r->p == ' ')
		r->p++; /* the delimiter space belongs to the word */
	if (r->fallback && strcmp(w, "u") != 0 && !r->g[r->depth].skip) {
		r->fallback--; /* a control word counts as one fallback character */
		if (strcmp(w, "bin") != 0)
			return;
	}
	rtf_word(r, w, has_arg, neg ? -arg : arg);
}

int rtf_is(const unsigned char *data, size_t len)
{
	return len >= 5 && memcmp(data, "{\\rtf", 5) == 0;
}

void rtf_extract(const unsigned char *data, size_t len, const char *where, struct pg_doc *doc)
{
	struct rtf r = {.p = data, .end = data + len, .codepage = 1252, .cd = (iconv_t)-1};

	r.g[0].uc = 1; /* one fallback character after \uN unless \ucN says otherwise */
	pg_buf_init(&r.bytes, 0);
	pg_buf_init(&r.body, len / 2 + 1);
	pg_buf_init(&r.info, 0);
	while (r.p < r.end) {
		unsigned char c = *r.p++;

		if (c == '{') {
			rtf_flush_bytes(&r);
			if (r.depth + 1 < RTF_MAX_DEPTH) {
				r.g[r.depth + 1] = r.g[r.depth];
				r.depth++;
			}
			if (r.p + 1 < r.end && r.p[0] == '\\' && r.p[1] == '*') {
				r.p += 2;
				r.g[r.depth].skip = 1; /* "\*" marks a destination a reader may ignore */
			}
		} else if (c == '}') {
			rtf_flush_bytes(&r);
			if (r.depth > 0)
				r.depth--;
			r.fallback = 0;
		} else if (c == '\\')
			rtf_control(&r);
		else if (c != '\r' && c != '\n')
			rtf_byte(&r, c, 0);
	}
	rtf_flush_bytes(&r);
	if (r.body.len)
		doc_add(doc, where, r.body.data, r.body.len);
	if (r.info.len) {
		char *w = pg_asprintf("%s properties", where);

		doc_add(doc, w, r.info.data, r.info.len);
		free(w);
	}
	if (r.cd != (iconv_t)-1)
		(void)iconv_close(r.cd);
	pg_buf_free(&r.bytes, 1);
	pg_buf_free(&r.body, 1);
	pg_buf_free(&r.info, 1);
}
