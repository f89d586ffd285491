/*
 * rfc2047.c - encoded-word decoding (B and Q) with adjacent-word joining.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "charset.h"
#include "rfc2047.h"
#include "util.h"

static int rfc2047_b64(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode the payload of one encoded-word into BYTES. */
static void rfc2047_payload(char enc, const char *s, size_t n, struct pg_buf *bytes)
{
	if (enc == 'Q' || enc == 'q') {
		for (size_t i = 0; i < n; i++) {
			int hi, lo;

			if (s[i] == '_') {
				pg_buf_putc(bytes, ' ');
			} else if (s[i] == '=' && i + 2 < n && (hi = pg_hex_value((unsigned char)s[i + 1])) >= 0 &&
				   (lo = pg_hex_value((unsigned char)s[i + 2])) >= 0) {
				pg_buf_putc(bytes, (char)(hi * 16 + lo));
				i += 2;
			} else {
				pg_buf_putc(bytes, s[i]);
			}
		}
		return;
	}
	{
		unsigned acc = 0;
		int bits = 0;

		for (size_t i = 0; i < n; i++) {
			int v = rfc2047_b64(s[i]);

			if (v < 0)
				continue; /* padding and stray characters */
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				pg_buf_putc(bytes, (char)((acc >> bits) & 0xFF));
			}
		}
	}
}

/* Parse "=?charset?E?payload?=" at S; its length, or 0 if it is not one. */
static size_t rfc2047_word(const char *s, size_t n, const char **cs, size_t *cslen, char *enc,
			   const char **pl, size_t *pllen)
{
	const char *q1, *q2, *end;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	q1 = memchr(s + 2, '?', n - 2);
	if (q1 == NULL || q1 + 3 >= s + n || q1[2] != '?')
		return 0;
	if (strchr("BbQq", q1[1]) == NULL)
		return 0;
	q2 = q1 + 3;
	end = NULL;
	for (const char *p = q2; p + 1 < s + n; p++) {
		if (p[0] == '?' && p[1] == '=') {
			end = p;
			break;
		}
		if (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')
			return 0;
	}
	if (end == NULL)
		return 0;
	*cs = s + 2;
	*cslen = (size_t)(q1 - (s + 2));
	*enc = q1[1];
	*pl = q2;
	*pllen = (size_t)(end - q2);
	return (size_t)(end + 2 - s);
}

/* Convert pending encoded bytes in charset CS and clear them. */
static void rfc2047_flush(struct pg_buf *bytes, char *cs, struct pg_buf *out)
{
	char *lang;

	if (bytes->len == 0)
		return;
	lang = strchr(cs, '*'); /* RFC 2231 language suffix: "utf-8*en" */
	if (lang != NULL)
		*lang = '\0';
	charset_to_utf8(bytes->data, bytes->len, cs, out);
	pg_buf_truncate(bytes, 0);
}

void rfc2047_decode(const char *v, size_t n, struct pg_buf *out)
{
	struct pg_buf bytes, raw;
	char charset[64] = "";
	size_t i = 0, pending_ws = 0, ws_start = 0;
	int last_encoded = 0;

	pg_buf_init(&bytes, 64);
	pg_buf_init(&raw, 64);
	while (i < n) {
		const char *cs, *pl;
		size_t cslen, pllen, wlen;
		char enc;

		if (v[i] == '\r' || v[i] == '\n') {
			i++; /* unfold */
			continue;
		}
		if (v[i] == ' ' || v[i] == '\t') {
			if (pending_ws == 0)
				ws_start = raw.len;
			pending_ws++;
			pg_buf_putc(&raw, ' ');
			i++;
			continue;
		}
		wlen = rfc2047_word(v + i, n - i, &cs, &cslen, &enc, &pl, &pllen);
		if (wlen > 0 && cslen < sizeof(charset)) {
			/* White space between two encoded-words is not text. */
			if (last_encoded && pending_ws > 0)
				pg_buf_truncate(&raw, ws_start);
			if (raw.len > 0) {
				rfc2047_flush(&bytes, charset, out);
				charset_to_utf8(raw.data, raw.len, NULL, out);
				pg_buf_truncate(&raw, 0);
			}
			if (bytes.len > 0 && (strlen(charset) != cslen ||
					      strncasecmp(charset, cs, cslen) != 0))
				rfc2047_flush(&bytes, charset, out);
			memcpy(charset, cs, cslen);
			charset[cslen] = '\0';
			rfc2047_payload(enc, pl, pllen, &bytes);
			i += wlen;
			last_encoded = 1;
			pending_ws = 0;
			continue;
		}
		if (bytes.len > 0)
			rfc2047_flush(&bytes, charset, out);
		pg_buf_putc(&raw, v[i]);
		last_encoded = 0;
		pending_ws = 0;
		i++;
	}
	rfc2047_flush(&bytes, charset, out);
	if (raw.len > 0)
		charset_to_utf8(raw.data, raw.len, NULL, out);
	pg_buf_free(&bytes, 1);
	pg_buf_free(&raw, 1);
}
