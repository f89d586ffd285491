/*
 * tnef.h - Outlook's winmail.dat (application/ms-tnef) to text (see tnef.c).
 */
#ifndef PG_DOC_TNEF_H
#define PG_DOC_TNEF_H

#include <stddef.h>

#include "doc.h"

/* Whether DATA starts with the TNEF signature. */
int tnef_is(const unsigned char *data, size_t len);

/* The subject, body and attachments of a TNEF stream at DEPTH. */
void tnef_extract(const unsigned char *data, size_t len, const char *where, unsigned depth,
		  const struct pg_doc_limits *limits, struct pg_doc *doc);

#endif
