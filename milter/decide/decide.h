/*
 * decide.h - decide what happens to one message: the protocol-free heart of
 * the milter.
 *
 * Given the policy snapshot, the envelope, the buffered message and a table
 * of MTA operations, decide_message() chooses the direction, checks the
 * exemptions and the failure modes (our own notice, buffering failed, too
 * large), scans the message, takes the action for the score (or, in audit
 * mode, only records it), carries it out through the operations table and
 * says which notices are due.  The milter's callbacks only gather the input
 * and map the disposition onto libmilter; pupilguard-scan and the golden
 * tests call the same function with an operations table that records.
 *
 * It sends nothing itself: the caller builds and spools the notices that
 * the decision asks for (notify/ sits above this layer).
 */
#ifndef PG_DECIDE_H
#define PG_DECIDE_H

#include <time.h>

#include "action.h"
#include "direction.h"
#include "engine.h"
#include "msgbuf.h"
#include "policy.h"

/* The headers the decision needs, noted one by one as they arrive. */
struct pg_headers {
	char *subject;         /* raw Subject value, or NULL */
	char *precedence;      /* Precedence value, or NULL */
	int has_list_id;
	unsigned n_status;     /* X-PupilGuard-Status headers that arrived */
	unsigned n_report;     /* X-PupilGuard-Report headers that arrived */
	unsigned n_notice;     /* X-PupilGuard-Notice headers that arrived */
	char *notice_mark;     /* the first X-PupilGuard-Notice value, or NULL */
	char *message_id;      /* the first Message-ID value, or NULL */
};

/* What the MTA glue gathered about one message. */
struct pg_decide_in {
	struct pg_envelope env; /* has_list_id and precedence are taken from hdrs */
	const char *qid;       /* MTA queue ID, or "NOQUEUE" */
	const struct pg_headers *hdrs;
	int buffer_failed;     /* the message could not be buffered */
	struct pg_msgbuf *buf; /* the header and body, as received */
	int show_names;        /* findings keep the text as written (pupilguard-scan) */
	int force_dir;         /* take DIR instead of deciding it (pupilguard-scan -d) */
	enum pg_direction dir;
};

struct pg_decision {
	enum pg_direction dir;
	const char *unscanned;       /* why the message was not scanned; NULL if it was */
	enum pg_action verdict;      /* what the policy says for it */
	enum pg_action applied;      /* what was done: the verdict, or none in audit mode */
	int audit;                   /* the direction runs in audit mode */
	enum pg_disposition disp;    /* what the MTA is to do with it */
	int scanned;                 /* res holds a scan result */
	struct pg_result res;
	int notify_leadership;       /* notices to leadership are due */
	int notify_sender;           /* the (local) sender is to be told of the hold */
	double scan_ms;
};

/* Note header NAME: VALUE in H; 1 if it is one of pupilguard's own, which
 * are never passed on to the scan (they are removed from the message), 0
 * for every other header. */
int decide_header(const struct pg_policy *pol, struct pg_headers *h, const char *name,
		  const char *value);
void decide_headers_free(struct pg_headers *h);

/* Decide about the message IN with policy POL, applying the decision
 * through OPS (CTX is passed to each operation).  D is filled whatever
 * happens; free it with decide_free(). */
void decide_message(const struct pg_policy *pol, const struct pg_decide_in *in,
		    const struct pg_mta_ops *ops, void *ctx, struct pg_decision *d);
/* Log the decision: one info line per message, and the reasons at debug. */
void decide_log(const struct pg_decision *d, const struct pg_decide_in *in);
void decide_free(struct pg_decision *d);

#endif
