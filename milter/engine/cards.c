/*
 * cards.c - iCalendar (RFC 5545) and vCard (RFC 6350, and 2.1) text as
 * a reader of the invitation or contact sees it.
 *
 * Content lines are unfolded (a line that starts with a space or TAB goes
 * on the one before; in vCard 2.1 a quoted-printable value ending in "="
 * goes on the next line), then each property's value is decoded: its own
 * QUOTED-PRINTABLE encoding and CHARSET, the text escapes (\n \, \; \\),
 * and the structured N value ("Khan;Amelia;;;") written as the name is
 * ("Amelia Khan").  A CN parameter (ATTENDEE;CN="Amelia Khan":mailto:...)
 * is a value too.  Each value is its own paragraph, so two properties
 * never make one name.  Binary properties (PHOTO, LOGO, SOUND, KEY, or
 * any base64 value) and the calendar's machinery (UID, DTSTART, RRULE ...)
 * are left out.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "cards.h"
#include "charset.h"

#define CARDS_PARAM_MAX 64 /* a longer parameter name or value is cut */

/* Properties that carry no text a reader reads as words. */
static int cards_skipped(const char *name, size_t n)
{
	static const char *const v[] = {
		"BEGIN", "END", "VERSION", "PRODID", "UID", "DTSTAMP", "DTSTART", "DTEND", "DUE",
		"RRULE", "EXDATE", "RDATE", "SEQUENCE", "STATUS", "TRANSP", "CLASS", "CREATED",
		"LAST-MODIFIED", "REV", "PHOTO", "LOGO", "SOUND", "KEY", "TZID", "TZOFFSETFROM",
		"TZOFFSETTO", "TZNAME", "METHOD", "CALSCALE", "PRIORITY", "GEO", "TRIGGER",
		"ACTION", "DURATION", "RECURRENCE-ID", "X-MICROSOFT-CDO-BUSYSTATUS", NULL};

	for (size_t i = 0; v[i]; i++)
		if (strlen(v[i]) == n && strncasecmp(name, v[i], n) == 0)
			return 1;
	return 0;
}

struct cards_prop {
	const char *name;
	size_t name_len;
	int qp, base64, structured_name;
	char charset[CARDS_PARAM_MAX];
	const char *value;
	size_t value_len;
};

/* Copy parameter value V (quotes dropped) into OUT of SIZE bytes. */
static void cards_param_value(const char *v, size_t n, char *out, size_t size)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= size)
		n = size - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* Parse one unfolded content line; the CN parameters go to OUT at once. */
static int cards_parse(const char *s, size_t n, struct cards_prop *p, struct pg_buf *out)
{
	size_t i = 0, colon;
	int quoted = 0;

	memset(p, 0, sizeof *p);
	for (colon = 0; colon < n; colon++) {
		if (s[colon] == '"')
			quoted = !quoted;
		else if (s[colon] == ':' && !quoted)
			break;
	}
	if (colon == n)
		return -1;
	while (i < colon && s[i] != ';')
		i++;
	p->name = s;
	p->name_len = i;
	for (size_t k = 0; k < p->name_len; k++)
		if (s[k] == '.') { /* a group: "item1.TEL" */
			p->name = s + k + 1;
			p->name_len = i - k - 1;
		}
	while (i < colon) {
		size_t start = ++i, eq = 0;

		quoted = 0;
		while (i < colon && (s[i] != ';' || quoted)) {
			if (s[i] == '"')
				quoted = !quoted;
			else if (s[i] == '=' && !eq)
				eq = i;
			i++;
		}
		if (!eq) { /* vCard 2.1: a bare "QUOTED-PRINTABLE" or "BASE64" */
			p->qp |= i - start == 16 && strncasecmp(s + start, "QUOTED-PRINTABLE", 16) == 0;
			p->base64 |= i - start == 6 && strncasecmp(s + start, "BASE64", 6) == 0;
		} else if (eq - start == 8 && strncasecmp(s + start, "ENCODING", 8) == 0) {
			char v[CARDS_PARAM_MAX];

			cards_param_value(s + eq + 1, i - eq - 1, v, sizeof v);
			p->qp |= strcasecmp(v, "QUOTED-PRINTABLE") == 0;
			p->base64 |= strcasecmp(v, "BASE64") == 0 || strcasecmp(v, "b") == 0;
		} else if (eq - start == 7 && strncasecmp(s + start, "CHARSET", 7) == 0)
			cards_param_value(s + eq + 1, i - eq - 1, p->charset, sizeof p->charset);
		else if (eq - start == 2 && strncasecmp(s + start, "CN", 2) == 0) {
			const char *v = s + eq + 1;
			size_t len = i - eq - 1;

			if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
				v++;
				len -= 2;
			}
			pg_buf_append(out, v, len);
			pg_buf_puts(out, "\n\n");
		}
	}
	p->structured_name = p->name_len == 1 && (*p->name == 'N' || *p->name == 'n');
	p->value = s + colon + 1;
	p->value_len = n - colon - 1;
	return 0;
}

/* Undo quoted-printable (soft breaks already joined) into OUT. */
static void cards_unqp(const char *s, size_t n, struct pg_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '=' && i + 2 < n && (hi = pg_hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = pg_hex_value((unsigned char)s[i + 2])) >= 0) {
			pg_buf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else if (s[i] == '=' && i + 1 == n)
			break; /* a soft break at the end */
		else
			pg_buf_putc(out, s[i]);
	}
}

/* The text escapes, and the components of N in reading order. */
static void cards_unescape(const char *s, size_t n, int structured_name, struct pg_buf *out)
{
	/* N is family;given;additional;prefixes;suffixes, read as
	 * prefixes given additional family suffixes. */
	static const int order[] = {3, 1, 2, 0, 4};
	const char *comp[5] = {0};
	size_t len[5] = {0}, k = 0;
	struct pg_buf b;

	pg_buf_init(&b, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[++i];

			pg_buf_putc(&b, c == 'n' || c == 'N' ? '\n' : c);
		} else if (s[i] == ';' && structured_name && k < 4) {
			len[k] = b.len;
			k++;
			pg_buf_putc(&b, '\0');
		} else if (s[i] == ';')
			pg_buf_puts(&b, ", "); /* the components of ADR, ORG ... */
		else
			pg_buf_putc(&b, s[i]);
	}
	if (!structured_name || k == 0) {
		pg_buf_append(out, b.data, b.len);
	} else {
		size_t at = 0;

		len[k] = b.len;
		for (size_t j = 0; j <= k; j++) {
			comp[j] = b.data + at;
			len[j] -= at;
			at += len[j] + 1;
		}
		for (size_t j = 0; j < 5; j++) {
			size_t c = (size_t)order[j];

			if (c <= k && len[c]) {
				pg_buf_append(out, comp[c], len[c]);
				pg_buf_putc(out, ' ');
			}
		}
	}
	pg_buf_free(&b, 1);
}

static void cards_line(const char *s, size_t n, struct pg_buf *out)
{
	struct cards_prop p;
	struct pg_buf raw, text;

	if (n == 0 || cards_parse(s, n, &p, out) < 0 || p.base64 ||
	    cards_skipped(p.name, p.name_len) || p.value_len == 0)
		return;
	pg_buf_init(&raw, p.value_len + 1);
	if (p.qp)
		cards_unqp(p.value, p.value_len, &raw);
	else
		pg_buf_append(&raw, p.value, p.value_len);
	pg_buf_init(&text, raw.len + 1);
	if (p.qp || p.charset[0])
		charset_to_utf8(raw.data, raw.len, p.charset[0] ? p.charset : "UTF-8", &text);
	else
		pg_buf_append(&text, raw.data, raw.len);
	cards_unescape(text.data, text.len, p.structured_name, out);
	pg_buf_puts(out, "\n\n");
	pg_buf_free(&raw, 1);
	pg_buf_free(&text, 1);
}

/* Whether the logical line in B is a quoted-printable value that goes on. */
static int cards_qp_continues(const struct pg_buf *b)
{
	const char *colon = b->len ? memchr(b->data, ':', b->len) : NULL;

	if (!colon || b->data[b->len - 1] != '=')
		return 0;
	for (const char *q = b->data; q + 16 <= colon; q++)
		if (strncasecmp(q, "QUOTED-PRINTABLE", 16) == 0)
			return 1;
	return 0;
}

void cards_to_text(const char *s, size_t n, struct pg_buf *out)
{
	struct pg_buf line;
	size_t i = 0;

	pg_buf_init(&line, 256);
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n, len = end - i;

		if (len && s[i + len - 1] == '\r')
			len--;
		if (line.len && len && (s[i] == ' ' || s[i] == '\t'))
			pg_buf_append(&line, s + i + 1, len - 1); /* folded */
		else if (cards_qp_continues(&line)) {
			pg_buf_truncate(&line, line.len - 1);
			pg_buf_append(&line, s + i, len);
		} else {
			cards_line(line.data, line.len, out);
			pg_buf_truncate(&line, 0);
			pg_buf_append(&line, s + i, len);
		}
		i = end + 1;
	}
	cards_line(line.data, line.len, out);
	pg_buf_free(&line, 1);
}
