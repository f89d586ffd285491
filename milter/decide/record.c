/*
 * record.c - the recording MTA operations table.
 */
#include "config.h"

#include <stdlib.h>

#include "record.h"

/* Append "VERB NAME[INDEX]: VALUE"; control characters from the message are
 * shown as "?" so that a record is always one line an operation. */
static void record_line(struct pg_record *r, const char *verb, const char *name, int index,
			const char *value)
{
	pg_buf_puts(&r->lines, verb);
	if (name != NULL) {
		pg_buf_putc(&r->lines, ' ');
		pg_buf_puts(&r->lines, name);
	}
	if (index > 0)
		pg_buf_printf(&r->lines, "[%d]", index);
	if (value != NULL) {
		pg_buf_puts(&r->lines, ": ");
		for (const unsigned char *p = (const unsigned char *)value; *p; p++)
			pg_buf_putc(&r->lines, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
	}
	pg_buf_putc(&r->lines, '\n');
	r->n++;
}

static int record_add_header(void *ctx, const char *name, const char *value)
{
	record_line(ctx, "add", name, 0, value);
	return 0;
}

static int record_change_header(void *ctx, const char *name, int index, const char *value)
{
	record_line(ctx, value != NULL ? "change" : "delete", name, index, value);
	return 0;
}

static int record_quarantine(void *ctx, const char *reason)
{
	record_line(ctx, "quarantine", NULL, 0, reason);
	return 0;
}

static int record_set_reply(void *ctx, const char *rcode, const char *xcode, const char *text)
{
	struct pg_record *r = ctx;
	char *reply = pg_asprintf("%s %s %s", rcode, xcode, text);

	record_line(r, "reply", NULL, 0, reply);
	free(reply);
	return 0;
}

const struct pg_mta_ops record_ops = {
	.add_header = record_add_header,
	.change_header = record_change_header,
	.quarantine = record_quarantine,
	.set_reply = record_set_reply,
};

void record_init(struct pg_record *r)
{
	pg_buf_init(&r->lines, 256);
	r->n = 0;
}

void record_free(struct pg_record *r)
{
	pg_buf_free(&r->lines, 1);
	r->n = 0;
}
