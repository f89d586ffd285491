/*
 * record.h - an MTA operations table that records what it is asked to do.
 *
 * pupilguard-scan prints the record as the header edits the milter would
 * make, and the golden tests compare it with the expected one; each
 * operation becomes one line ("add X-PupilGuard-Status: hold; ...").
 */
#ifndef PG_RECORD_H
#define PG_RECORD_H

#include "action.h"
#include "util.h"

struct pg_record {
	struct pg_buf lines; /* one operation a line */
	unsigned n;
};

/* The operations; their context is a struct pg_record. */
extern const struct pg_mta_ops record_ops;

void record_init(struct pg_record *r);
void record_free(struct pg_record *r);

#endif
