/*
 * rtf.h - Rich Text Format documents to text (see rtf.c).
 */
#ifndef PG_DOC_RTF_H
#define PG_DOC_RTF_H

#include <stddef.h>

#include "doc.h"

/* Whether DATA starts as an RTF document does. */
int rtf_is(const unsigned char *data, size_t len);

void rtf_extract(const unsigned char *data, size_t len, const char *where, struct pg_doc *doc);

#endif
