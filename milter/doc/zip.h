/*
 * zip.h - the members of a zip archive read into memory, within bounds.
 *
 * zip_read() uses libarchive and stops at the first bound passed (members,
 * expanded bytes, expansion ratio): the flag and reason go to the pg_doc.
 * Encrypted members are flagged, not read.  Used by the OOXML and ODF
 * readers and for plain zip archives.
 */
#ifndef PG_DOC_ZIP_H
#define PG_DOC_ZIP_H

#include "doc.h"

struct pg_zip_member {
	char *name;
	unsigned char *data;
	size_t len;
};

struct pg_zip {
	struct pg_zip_member *v;
	size_t n, cap;
};

/* Read every member of the zip in DATA; 0 if it could be opened (even when
 * a bound stopped it part way), -1 with the reason flagged if not. */
int zip_read(const unsigned char *data, size_t len, const char *where,
	     const struct pg_doc_limits *limits, struct pg_doc *doc, struct pg_zip *zip);

/* The member called NAME, or NULL. */
const struct pg_zip_member *zip_find(const struct pg_zip *zip, const char *name);

void zip_free(struct pg_zip *zip);

#endif
