/*
 * pdf.h - PDF text with poppler-glib: every page in reading order, then the
 * title and author.  An encrypted PDF is flagged PG_DOC_ENCRYPTED.
 */
#ifndef PG_DOC_PDF_H
#define PG_DOC_PDF_H

#include <stddef.h>

#include "doc.h"

void pdf_extract(const unsigned char *data, size_t len, const char *where, struct pg_doc *doc);

#endif
