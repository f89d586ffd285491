/*
 * report.h - a scan result as a short human report or one JSON line.
 *
 * Names appear only when the result was made with show_names; otherwise the
 * redacted excerpt stands in.  Shared by pupilguard-scan and the tests.
 */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include "engine.h"
#include "util.h"

void report_text(struct pg_buf *out, const char *file, const struct pg_result *r);
/* The result as the fields of a JSON object, "{" included but not the
 * closing "}", so that a caller can add fields of its own. */
void report_json_open(struct pg_buf *out, const char *file, const struct pg_result *r);
/* Append S as a JSON string literal, quotes included. */
void report_json_string(struct pg_buf *out, const char *s);

#endif
