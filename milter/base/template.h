/*
 * template.h - notification wording from files a school can edit.
 *
 * A template is text with {placeholders}.  The first lines up to a blank
 * line may set headers ("Subject: Held message {queue_id}").  Loading checks
 * that every placeholder is known, so a typo is reported as file:line at
 * start-up (pupilguard-milter -n), not in a notification.  "{{" is a literal
 * brace.
 */
#ifndef PG_TEMPLATE_H
#define PG_TEMPLATE_H

#include "util.h"

struct pg_template {
	char *file;
	char *subject;  /* from a "Subject:" line, or NULL */
	char *body;
};

/* The placeholders every template may use, NULL-terminated. */
extern const char *const template_placeholders[];

int template_load(struct pg_template *t, const char *path, struct pg_diag *diag);
/* Check a template given as a string (built-in defaults, tests). */
int template_parse(struct pg_template *t, const char *name, const char *text, struct pg_diag *diag);
void template_free(struct pg_template *t);

/* Value of placeholder NAME, or NULL for an empty string. */
typedef const char *template_lookup_fn(void *ctx, const char *name);

/* Expand TEXT into OUT.  Values are made visible (pg_buf_put_visible()
 * with PG_VISIBLE_KEEP_LF): a value breaks lines only where it holds a line
 * feed, and the caller keeps line feeds out of values from a message. */
void template_expand(const char *text, template_lookup_fn *lookup, void *ctx, struct pg_buf *out);

#endif
