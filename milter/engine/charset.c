/*
 * charset.c - charset conversion to UTF-8 through GMime's iconv wrappers, with
 * Windows-1252 as the fallback for undeclared or mislabelled 8-bit text.
 */
#include "config.h"

#include <gmime/gmime.h>
#include <string.h>
#include <strings.h>

#include "charset.h"

/* Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

void charset_cp1252_to_utf8(const char *data, size_t len, struct pg_buf *out)
{
	const unsigned char *s = (const unsigned char *)data;

	pg_buf_reserve(out, len + len / 2);
	for (size_t i = 0; i < len; i++) {
		gunichar c = s[i];
		char u[6];
		int n;

		if (c < 0x80) {
			pg_buf_putc(out, (char)c);
			continue;
		}
		if (c < 0xA0)
			c = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
		n = g_unichar_to_utf8(c, u);
		pg_buf_append(out, u, (size_t)n);
	}
}

/* Append UTF-8 that may hold invalid sequences, decoding those bytes as 1252. */
static void charset_utf8_repair(const char *data, size_t len, struct pg_buf *out)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *bad;

		if (g_utf8_validate(p, end - p, &bad)) {
			pg_buf_append(out, p, (size_t)(end - p));
			return;
		}
		pg_buf_append(out, p, (size_t)(bad - p));
		charset_cp1252_to_utf8(bad, 1, out);
		p = bad + 1;
	}
}

static int charset_is_utf8(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

static int charset_is_ascii_label(const char *cs)
{
	return strcasecmp(cs, "us-ascii") == 0 || strcasecmp(cs, "ascii") == 0 ||
	       strcasecmp(cs, "ansi_x3.4-1968") == 0;
}

const char *charset_sniff_bom(const char *data, size_t len, size_t *bom_len_r)
{
	const unsigned char *s = (const unsigned char *)data;

	*bom_len_r = 0;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		*bom_len_r = 3;
		return "UTF-8";
	}
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		*bom_len_r = 2;
		return "UTF-16LE";
	}
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		*bom_len_r = 2;
		return "UTF-16BE";
	}
	return NULL;
}

/* Convert with iconv; 0 on success, -1 if the charset is unknown or the data
 * does not convert cleanly (the caller then falls back). */
static int charset_iconv(const char *data, size_t len, const char *charset, struct pg_buf *out)
{
	const char *name = g_mime_charset_iconv_name(charset);
	GError *err = NULL;
	gsize nread = 0, nwritten = 0;
	gchar *conv;

	if (name == NULL)
		return -1;
	conv = g_convert(data, (gssize)len, "UTF-8", name, &nread, &nwritten, &err);
	if (conv == NULL) {
		g_clear_error(&err);
		return -1;
	}
	charset_utf8_repair(conv, nwritten, out);
	g_free(conv);
	return 0;
}

void charset_to_utf8(const char *data, size_t len, const char *charset, struct pg_buf *out)
{
	size_t bom = 0;
	const char *sniffed = charset_sniff_bom(data, len, &bom);

	if (sniffed != NULL) {
		/* A byte-order mark is stronger evidence than a label. */
		if (strcmp(sniffed, "UTF-8") == 0)
			charset_utf8_repair(data + bom, len - bom, out);
		else if (charset_iconv(data + bom, len - bom, sniffed, out) < 0)
			charset_cp1252_to_utf8(data + bom, len - bom, out);
		return;
	}
	if (charset == NULL || *charset == '\0' || charset_is_ascii_label(charset) ||
	    charset_is_utf8(charset)) {
		/* Undeclared or ASCII-labelled 8-bit text: UTF-8 if it validates,
		 * Windows-1252 otherwise. */
		if (g_utf8_validate(data, (gssize)len, NULL))
			pg_buf_append(out, data, len);
		else if (charset != NULL && charset_is_utf8(charset))
			charset_utf8_repair(data, len, out);
		else
			charset_cp1252_to_utf8(data, len, out);
		return;
	}
	if (strcasecmp(charset, "iso-8859-1") == 0 || strcasecmp(charset, "latin1") == 0 ||
	    strcasecmp(charset, "windows-1252") == 0 || strcasecmp(charset, "cp1252") == 0) {
		/* Mailers label 1252 text as Latin-1; 1252 is a superset of its
		 * printable range, so decode as 1252 directly. */
		charset_cp1252_to_utf8(data, len, out);
		return;
	}
	if (charset_iconv(data, len, charset, out) < 0) {
		if (g_utf8_validate(data, (gssize)len, NULL))
			pg_buf_append(out, data, len);
		else
			charset_cp1252_to_utf8(data, len, out);
	}
}
