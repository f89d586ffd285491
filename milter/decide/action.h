/*
 * action.h - carry out a verdict through a small table of MTA operations.
 *
 * The table (add a header, change or delete one, quarantine, set the reply)
 * is filled by the milter with libmilter calls, and by pupilguard-scan and
 * the tests with functions that record what would be done; so all of them
 * run this same code.  Headers that pupilguard writes are removed when they
 * arrive from outside, so nobody can forge a verdict.  No names are ever
 * written into headers or hold reasons: only scores, rule names and counts.
 */
#ifndef PG_ACTION_H
#define PG_ACTION_H

#include "conf.h"
#include "engine.h"

#define PG_HEADER_STATUS "X-PupilGuard-Status"
#define PG_HEADER_REPORT "X-PupilGuard-Report"
#define PG_HEADER_NOTICE "X-PupilGuard-Notice"

struct pg_mta_ops {
	/* each returns 0 on success, -1 on failure */
	int (*add_header)(void *ctx, const char *name, const char *value);
	int (*change_header)(void *ctx, const char *name, int index, const char *value);
	int (*quarantine)(void *ctx, const char *reason);
	int (*set_reply)(void *ctx, const char *rcode, const char *xcode, const char *text);
};

/* What the MTA should do with the message once the operations are done. */
enum pg_disposition { PG_DISP_ACCEPT, PG_DISP_REJECT, PG_DISP_TEMPFAIL };

struct pg_action_msg {
	const char *qid;
	const char *subject;     /* raw Subject value as received, or NULL */
	unsigned n_status;       /* X-PupilGuard-Status headers that arrived */
	unsigned n_report;       /* X-PupilGuard-Report headers that arrived */
	unsigned n_notice;       /* X-PupilGuard-Notice headers: removed so that no
				  * recipient ever learns the secret */
	int audit;               /* audit mode: stamp the verdict, enforce nothing */
};

/* Apply the result's action; the disposition for the MTA.  In audit mode
 * only the status and report headers are written ("audit; would=hold"). */
enum pg_disposition action_apply(const struct pg_conf *conf, const struct pg_result *res,
				 const struct pg_action_msg *msg, const struct pg_mta_ops *ops,
				 void *ctx);
/* Only remove forged headers and stamp the status (exempt or failed scans). */
enum pg_disposition action_pass(const struct pg_conf *conf, const char *status,
				const struct pg_action_msg *msg, const struct pg_mta_ops *ops,
				void *ctx);
/* "pupil_name,pupil_partial_name": rule names of the findings, each once. */
void action_rule_list(const struct pg_result *res, struct pg_buf *out);

#endif
