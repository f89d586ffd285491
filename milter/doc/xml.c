/*
 * xml.c - the XML reading the package readers share: a libxml2
 * xmlTextReader over one zip member with the network, entities and DTDs
 * off, name and attribute helpers, and the element walk with callbacks.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "ooxml.h"
#include "util.h"

xmlTextReaderPtr ooxml_reader(const struct pg_zip_member *m)
{
	if (m->len > 0x7fffffff)
		return NULL;
	return xmlReaderForMemory((const char *)m->data, (int)m->len, NULL, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
					  XML_PARSE_COMPACT);
}

int xml_is(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return n && strcmp((const char *)n, name) == 0;
}

char *xml_attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s = v ? pg_strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

int xml_walk(const struct pg_zip_member *m, const struct xml_walk *cb, void *state,
	     const char *where, struct pg_doc *doc)
{
	xmlTextReaderPtr r = ooxml_reader(m);
	int rc;

	if (!r) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken XML");
		return -1;
	}
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			cb->start(state, r);
			if (xmlTextReaderIsEmptyElement(r))
				cb->end(state, r);
		} else if (type == XML_READER_TYPE_END_ELEMENT)
			cb->end(state, r);
		else
			cb->text(state, r, type);
	}
	xmlFreeTextReader(r);
	if (rc < 0) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken XML");
		return -1;
	}
	return 0;
}
