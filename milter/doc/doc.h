/*
 * doc.h - attachments (office documents, archives) turned into text.
 *
 * doc_extract() takes the bytes of one attachment with its content type and
 * file name and returns its text as segments in reading order, each with a
 * "where" such as "part 2 attachment pupils.xlsx sheet Year 4".  Tables
 * (XLSX sheets, DOCX tables) follow one contract: one line per row, cells
 * separated by TAB, empty cells kept as empty fields, one segment per sheet
 * or table; prose is one line per paragraph.
 *
 * What cannot be read is never silent: it sets PG_DOC_UNREADABLE (legacy
 * binary Office, unknown binaries, broken files) or PG_DOC_ENCRYPTED
 * (encrypted OOXML, encrypted zip entries, encrypted PDF) with a reason.
 * Every container is bounded (depth, members, expanded bytes, expansion
 * ratio); going over a bound sets PG_DOC_LIMIT and stops reading it.
 *
 * This layer depends on base only (no GMime).  It parses untrusted input in
 * the calling process: run it through doc_isolated.h, not directly, from
 * the milter.
 */
#ifndef PG_DOC_H
#define PG_DOC_H

#include <stddef.h>

#define PG_DOC_UNREADABLE 0x01 /* a part or member could not be read */
#define PG_DOC_ENCRYPTED 0x02  /* a part or member is encrypted */
#define PG_DOC_LIMIT 0x04      /* a container bound stopped reading */
#define PG_DOC_FAILED 0x08     /* the reader process crashed, hung or ran out */

struct pg_doc_limits {
	unsigned max_depth;   /* archives within archives */
	unsigned max_members; /* members read across all containers */
	size_t max_bytes;     /* bytes expanded across all containers */
	unsigned max_ratio;   /* expanded bytes per compressed byte */
};

struct pg_doc_seg {
	char *where;
	char *text; /* UTF-8, NUL-terminated */
	size_t len;
};

struct pg_doc {
	struct pg_doc_seg *v;
	size_t n, cap;
	unsigned flags;   /* PG_DOC_* */
	char *reason;     /* first reason for a flag, or NULL */
	size_t expanded;  /* bytes expanded so far (for the limits) */
	unsigned members; /* members read so far */
};

void doc_init(struct pg_doc *doc);
void doc_free(struct pg_doc *doc);

/* Extract DATA (LEN bytes, content type CTYPE and file NAME, either may be
 * NULL) into DOC, each segment's where prefixed by WHERE.  Never fails:
 * what it cannot read it flags. */
void doc_extract(const unsigned char *data, size_t len, const char *ctype, const char *name,
		 const char *where, const struct pg_doc_limits *limits, struct pg_doc *doc);

/* Whether DOC layer would try to read this part (a document by content
 * type, file name or magic). */
int doc_wanted(const unsigned char *data, size_t len, const char *ctype, const char *name);

/* Internal to the doc layer: a member NAME of a container under WHERE, read
 * as a document when it is one and as text if not, its name a segment of
 * its own; add a segment; set a flag with its reason. */
void doc_member(const unsigned char *data, size_t len, const char *name, const char *where,
		unsigned depth, const struct pg_doc_limits *limits, struct pg_doc *doc);
void doc_add(struct pg_doc *doc, const char *where, const char *text, size_t len);
void doc_flag(struct pg_doc *doc, unsigned flag, const char *where, const char *reason);

#endif
