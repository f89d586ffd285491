/*
 * ooxml.h - the readers of Office Open XML packages (DOCX, XLSX, PPTX) and the
 * XML reading every package reader shares (xml.c: no network, no entities,
 * no DTD).
 */
#ifndef PG_DOC_OOXML_H
#define PG_DOC_OOXML_H

#include <libxml/xmlreader.h>

#include "doc.h"
#include "zip.h"

/* A streaming reader over member M, or NULL (xml.c). */
xmlTextReaderPtr ooxml_reader(const struct pg_zip_member *m);

/* Whether the current node's local name is NAME. */
int xml_is(xmlTextReaderPtr r, const char *name);

/* The attribute NAME (as written, e.g. "table:name") of the current
 * element, owned by the caller, or NULL. */
char *xml_attr(xmlTextReaderPtr r, const char *name);

/* What xml_walk() calls: START and END for each element (an empty element
 * gets both), TEXT for every other node with its xmlReaderTypes type. */
struct xml_walk {
	void (*start)(void *state, xmlTextReaderPtr r);
	void (*end)(void *state, xmlTextReaderPtr r);
	void (*text)(void *state, xmlTextReaderPtr r, int type);
};

/* Walk member M in document order; 0, or -1 with "broken XML" flagged
 * under WHERE when it cannot be read to its end (what was read stays). */
int xml_walk(const struct pg_zip_member *m, const struct xml_walk *cb, void *state,
	     const char *where, struct pg_doc *doc);

/* Stream one WordprocessingML or DrawingML part into segments under WHERE:
 * t texts joined, p a line, br a new line, each tbl its own segment with
 * tr rows as lines and tc cells as TAB fields. */
void ooxml_text_part(const struct pg_zip_member *m, const char *where, struct pg_doc *doc);

void docx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);
void xlsx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);
void pptx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc);

#endif
