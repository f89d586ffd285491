/*
 * report.c - human and JSON renderings of a scan result.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "report.h"

void report_json_string(struct pg_buf *out, const char *s)
{
	const char *p = s ? s : "";

	pg_buf_putc(out, '"');
	while (*p) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* Not UTF-8: JSON cannot carry the byte. */
			pg_buf_puts(out, "\\ufffd");
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		switch (c) {
		case '"': pg_buf_puts(out, "\\\""); break;
		case '\\': pg_buf_puts(out, "\\\\"); break;
		case '\n': pg_buf_puts(out, "\\n"); break;
		case '\r': pg_buf_puts(out, "\\r"); break;
		case '\t': pg_buf_puts(out, "\\t"); break;
		default:
			/* Controls, C1 and bidi overrides escaped as pg_str_visible()
			 * would, so that a JSON line printed on a terminal is harmless. */
			if (c < 0x20 || c == 0x7f || pg_char_escaped(c))
				pg_buf_printf(out, "\\u%04x", (unsigned)c);
			else
				pg_buf_append(out, p, (size_t)(next - p));
		}
		p = next;
	}
	pg_buf_putc(out, '"');
}

static void report_flags(struct pg_buf *out, unsigned flags, const char *sep)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {
		{ PG_EXTRACT_TRUNCATED, "truncated" }, { PG_EXTRACT_TOO_DEEP, "too_deep" },
		{ PG_EXTRACT_TOO_MANY, "too_many_parts" }, { PG_EXTRACT_BAD_MIME, "bad_mime" },
		{ PG_EXTRACT_UNREADABLE, "unreadable_attachment" },
		{ PG_EXTRACT_DOC_LIMIT, "attachment_over_limit" },
		{ PG_EXTRACT_ENCRYPTED, "encrypted_attachment" },
	};
	int first = 1;

	for (size_t i = 0; i < PG_ARRAY_LEN(names); i++) {
		if (!(flags & names[i].flag))
			continue;
		if (!first)
			pg_buf_puts(out, sep);
		if (*sep == ',')
			report_json_string(out, names[i].name);
		else
			pg_buf_puts(out, names[i].name);
		first = 0;
	}
}

void report_text(struct pg_buf *out, const char *file, const struct pg_result *r)
{
	pg_buf_printf(out, "%s: %s, score %d, action %s (%s)\n", file,
		      r->n == 0 ? "nothing found" : "findings", r->score,
		      conf_action_name(r->action), conf_direction_name(r->dir));
	for (size_t i = 0; i < r->n; i++) {
		const struct pg_finding *f = &r->v[i];
		/* Each from the message: one visible line each (pg_str_visible()). */
		char *shown = pg_str_visible(f->shown ? f->shown : f->excerpt);
		char *pupil = pg_str_visible(f->pupil ? f->pupil : "-");
		char *where = pg_str_visible(f->where);

		pg_buf_printf(out, "  %-13s %-20s %4d  %s  %s", f->type, f->rule, f->score, shown,
			      pupil);
		if (f->count > 1)
			pg_buf_printf(out, " x%u", f->count);
		pg_buf_printf(out, "  in %s\n", where);
		pg_wipe(shown, strlen(shown));
		free(shown);
		free(pupil);
		free(where);
	}
	if (r->extract_flags) {
		pg_buf_puts(out, "  note: ");
		report_flags(out, r->extract_flags, " ");
		pg_buf_putc(out, '\n');
	}
}

void report_json_open(struct pg_buf *out, const char *file, const struct pg_result *r)
{
	pg_buf_puts(out, "{\"file\": ");
	report_json_string(out, file);
	pg_buf_printf(out, ", \"direction\": \"%s\", \"score\": %d, \"action\": \"%s\"",
		      conf_direction_name(r->dir), r->score, conf_action_name(r->action));
	pg_buf_puts(out, ", \"flags\": [");
	report_flags(out, r->extract_flags, ", ");
	pg_buf_puts(out, "], \"findings\": [");
	for (size_t i = 0; i < r->n; i++) {
		const struct pg_finding *f = &r->v[i];

		if (i > 0)
			pg_buf_puts(out, ", ");
		pg_buf_puts(out, "{\"type\": ");
		report_json_string(out, f->type);
		pg_buf_puts(out, ", \"rule\": ");
		report_json_string(out, f->rule);
		pg_buf_printf(out, ", \"score\": %d, \"count\": %u, \"pupil\": ", f->score, f->count);
		report_json_string(out, f->pupil);
		pg_buf_puts(out, ", \"where\": ");
		report_json_string(out, f->where);
		pg_buf_puts(out, ", \"excerpt\": ");
		report_json_string(out, f->shown ? f->shown : f->excerpt);
		if (f->kind == PG_KIND_PUPIL_LIST) {
			/* A list names no pupil in its excerpt; machines get the keys. */
			pg_buf_printf(out, ", \"pupils\": %u, \"members\": ", f->pupils);
			report_json_string(out, f->members);
			pg_buf_puts(out, ", \"details\": ");
			report_json_string(out, f->details);
		}
		pg_buf_putc(out, '}');
	}
	pg_buf_putc(out, ']');
}
