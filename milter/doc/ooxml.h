/*
 * ooxml.h - the readers of Office Open XML packages (DOCX, XLSX) and the
 * xmlTextReader set-up they share (no network, no entities, no DTD).
 */
#ifndef PG_DOC_OOXML_H
#define PG_DOC_OOXML_H

#include <libxml/xmlreader.h>

#include "doc.h"
#include "zip.h"

/* A streaming reader over member M, or NULL. */
xmlTextReaderPtr ooxml_reader(const struct pg_zip_member *m);

void docx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);
void xlsx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);

#endif
