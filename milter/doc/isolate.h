/*
 * isolate.h - doc_extract() in a child process, so that a crash, hang or
 * memory blow-up in a document library cannot stop the milter.
 *
 * isolate_extract() forks one child per document (chosen over a pool: a
 * fork costs well under a millisecond beside the parse, and a child that
 * exits leaves no state for the next message).  The child sets RLIMIT_CPU
 * and RLIMIT_AS, extracts, writes the result down a pipe and exits; the
 * parent reads it against a wall-clock deadline and kills the child when
 * it passes.  Any failure of the child sets PG_DOC_FAILED with a reason:
 * the caller gives the part its "unscanned part" action.
 */
#ifndef PG_DOC_ISOLATE_H
#define PG_DOC_ISOLATE_H

#include "doc.h"

enum pg_doc_fault {
	PG_DOC_FAULT_NONE,  /* the only value outside tests */
	PG_DOC_FAULT_CRASH, /* the child aborts */
	PG_DOC_FAULT_HANG,  /* the child loops until killed */
	PG_DOC_FAULT_OOM,   /* the child allocates until its limit */
};

struct pg_doc_isolation {
	unsigned cpu_seconds;  /* RLIMIT_CPU of the child */
	size_t memory_bytes;   /* RLIMIT_AS of the child */
	unsigned timeout_ms;   /* wall clock, enforced by the parent */
	enum pg_doc_fault fault; /* test hook */
};

/* As doc_extract(), in a child process within ISO's limits. */
void isolate_extract(const unsigned char *data, size_t len, const char *ctype,
		     const char *name, const char *where, const struct pg_doc_limits *limits,
		     const struct pg_doc_isolation *iso, struct pg_doc *doc);

/* The fault named by S ("crash", "hang", "oom"), or PG_DOC_FAULT_NONE. */
enum pg_doc_fault isolate_fault_parse(const char *s);

#endif
