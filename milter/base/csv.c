/*
 * csv.c - RFC 4180 record reader with line tracking.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"

struct pg_csv {
	const char *data;
	size_t len, pos;
	unsigned line;
	char delim;
	struct pg_buf field;   /* bytes of all fields of the row, NUL-separated */
	size_t *offs;          /* field start offsets into field.data */
	char **ptrs;
	size_t nf, cap;
};

struct pg_csv *csv_open(const char *data, size_t len, char delim)
{
	struct pg_csv *c = pg_calloc(1, sizeof(*c));

	c->data = data;
	c->len = len;
	c->line = 1;
	c->delim = delim;
	pg_buf_init(&c->field, 256);
	return c;
}

void csv_close(struct pg_csv **csvp)
{
	struct pg_csv *c = *csvp;

	if (c == NULL)
		return;
	pg_buf_free(&c->field, 1);
	free(c->offs);
	free(c->ptrs);
	free(c);
	*csvp = NULL;
}

static void csv_end_field(struct pg_csv *c)
{
	pg_buf_putc(&c->field, '\0');
}

static void csv_start_field(struct pg_csv *c)
{
	if (c->nf == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->offs = pg_reallocarray(c->offs, c->cap, sizeof(*c->offs));
		c->ptrs = pg_reallocarray(c->ptrs, c->cap, sizeof(*c->ptrs));
	}
	c->offs[c->nf++] = c->field.len;
}

/* Skip to just past the end of the current physical line. */
static void csv_skip_line(struct pg_csv *c)
{
	while (c->pos < c->len && c->data[c->pos] != '\n')
		c->pos++;
	if (c->pos < c->len) {
		c->pos++;
		c->line++;
	}
}

int csv_next(struct pg_csv *c, struct pg_csv_row *row, const char **error_r)
{
	int quoted = 0, after_quote = 0;

	/* Blank lines between records are not rows. */
	while (c->pos < c->len && (c->data[c->pos] == '\n' || c->data[c->pos] == '\r')) {
		if (c->data[c->pos] == '\n')
			c->line++;
		c->pos++;
	}
	if (c->pos >= c->len)
		return 0;
	row->line = c->line;
	pg_buf_truncate(&c->field, 0);
	c->nf = 0;
	csv_start_field(c);
	while (c->pos < c->len) {
		char ch = c->data[c->pos++];

		if (quoted) {
			if (ch == '"') {
				if (c->pos < c->len && c->data[c->pos] == '"') {
					pg_buf_putc(&c->field, '"');
					c->pos++;
				} else {
					quoted = 0;
					after_quote = 1;
				}
				continue;
			}
			if (ch == '\n')
				c->line++;
			pg_buf_putc(&c->field, ch);
			continue;
		}
		if (ch == c->delim) {
			csv_end_field(c);
			csv_start_field(c);
			after_quote = 0;
			continue;
		}
		if (ch == '\r' && c->pos < c->len && c->data[c->pos] == '\n')
			continue;
		if (ch == '\n' || ch == '\r') {
			c->line++;
			break;
		}
		if (ch == '"' && c->field.len == c->offs[c->nf - 1] && !after_quote) {
			quoted = 1;
			continue;
		}
		if (after_quote) {
			if (ch == ' ' || ch == '\t')
				continue;
			*error_r = "text after a closing quote";
			csv_skip_line(c);
			return -1;
		}
		pg_buf_putc(&c->field, ch);
	}
	if (quoted) {
		*error_r = "unterminated quoted field";
		return -1;
	}
	csv_end_field(c);
	for (size_t i = 0; i < c->nf; i++)
		c->ptrs[i] = c->field.data + c->offs[i];
	row->fields = c->ptrs;
	row->nfields = c->nf;
	return 1;
}

char csv_sniff_delimiter(const char *data, size_t len)
{
	size_t commas = 0, semis = 0, tabs = 0;
	int quoted = 0;

	for (size_t i = 0; i < len && data[i] != '\n'; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == ',')
			commas++;
		else if (!quoted && data[i] == ';')
			semis++;
		else if (!quoted && data[i] == '\t')
			tabs++;
	}
	if (tabs > commas && tabs > semis)
		return '\t';
	if (semis > commas)
		return ';';
	return ',';
}
