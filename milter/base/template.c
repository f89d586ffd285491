/*
 * template.c - load, check and expand notification templates.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template.h"

const char *const template_placeholders[] = {
	"queue_id", "time", "hostname", "sender", "recipients", "subject", "direction",
	"score", "action", "rules", "findings", "count", "release_postfix", "delete_postfix",
	"release_sendmail", "delete_sendmail", "reason", "digest", NULL,
};

static int template_known(const char *name, size_t n)
{
	for (size_t i = 0; template_placeholders[i] != NULL; i++)
		if (strlen(template_placeholders[i]) == n &&
		    strncmp(template_placeholders[i], name, n) == 0)
			return 1;
	return 0;
}

/* Check the placeholders of TEXT, which starts at line LINE of FILE. */
static int template_check(const char *file, unsigned line, const char *text, struct pg_diag *diag)
{
	int ok = 1;

	for (const char *p = text; *p; p++) {
		const char *end;

		if (*p == '\n')
			line++;
		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		end = strchr(p, '}');
		if (end == NULL || memchr(p, '\n', (size_t)(end - p)) != NULL) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: unclosed '{' (write {{ for a brace)",
				    file, line);
			ok = 0;
			continue;
		}
		if (!template_known(p + 1, (size_t)(end - p - 1))) {
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: unknown placeholder {%.*s}", file,
				    line, (int)(end - p - 1), p + 1);
			ok = 0;
		}
		p = end;
	}
	return ok ? 0 : -1;
}

int template_parse(struct pg_template *t, const char *name, const char *text, struct pg_diag *diag)
{
	const char *body = text;
	unsigned body_line = 1;

	memset(t, 0, sizeof(*t));
	t->file = pg_strdup(name);
	/* Header lines up to the first blank line, if the first line is one. */
	if (strncasecmp(text, "Subject:", 8) == 0) {
		const char *eol = strchr(text, '\n');
		const char *v = text + 8;

		while (*v == ' ' || *v == '\t')
			v++;
		t->subject = pg_strndup(v, eol ? (size_t)(eol - v) : strlen(v));
		if (t->subject[0] != '\0' && t->subject[strlen(t->subject) - 1] == '\r')
			t->subject[strlen(t->subject) - 1] = '\0';
		body = eol ? eol + 1 : text + strlen(text);
		body_line = 2;
		while (*body == '\n' || *body == '\r') {
			if (*body == '\n')
				body_line++;
			body++;
		}
	}
	t->body = pg_strdup(body);
	if ((t->subject && template_check(name, 1, t->subject, diag) < 0) ||
	    template_check(name, body_line, t->body, diag) < 0) {
		template_free(t);
		return -1;
	}
	return 0;
}

int template_load(struct pg_template *t, const char *path, struct pg_diag *diag)
{
	const char *error;
	size_t len;
	char *text = pg_read_file(path, 1024 * 1024, &len, &error);
	int rc;

	if (text == NULL) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: cannot read template: %s", path, error);
		memset(t, 0, sizeof(*t));
		return -1;
	}
	rc = template_parse(t, path, text, diag);
	free(text);
	return rc;
}

void template_free(struct pg_template *t)
{
	free(t->file);
	free(t->subject);
	free(t->body);
	memset(t, 0, sizeof(*t));
}

void template_expand(const char *text, template_lookup_fn *lookup, void *ctx, struct pg_buf *out)
{
	for (const char *p = text; *p; p++) {
		const char *end;

		if (*p == '{' && p[1] == '{') {
			pg_buf_putc(out, '{');
			p++;
			continue;
		}
		if (*p == '{' && (end = strchr(p, '}')) != NULL) {
			char name[32];
			size_t n = (size_t)(end - p - 1);
			const char *v;

			if (n < sizeof(name)) {
				memcpy(name, p + 1, n);
				name[n] = '\0';
				v = lookup(ctx, name);
				/* A value may hold message text: it can break
				 * no line but its own and move no cursor. */
				if (v != NULL)
					pg_buf_put_visible(out, v, strlen(v), PG_VISIBLE_KEEP_LF);
				p = end;
				continue;
			}
		}
		pg_buf_putc(out, *p);
	}
}
