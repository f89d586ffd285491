/*
 * odf.h - the reader of OpenDocument packages (ODT, ODS, ODP).
 */
#ifndef PG_DOC_ODF_H
#define PG_DOC_ODF_H

#include "doc.h"
#include "zip.h"

/* Whether ZIP is an OpenDocument package (its mimetype member says so). */
int odf_package(const struct pg_zip *zip);

void odf_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);

#endif
