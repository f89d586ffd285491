/*
 * xlsx.c - Excel (XLSX) text: every sheet in workbook order, one segment
 * per sheet named after it, one line per row, cells separated by TAB with
 * empty cells kept as empty fields (the column comes from the cell's r
 * attribute).  Shared strings, inline strings and cached values are read;
 * formulas and number formats are not.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "util.h"

struct xlsx_strings {
	char **v;
	size_t n, cap;
};

/* The shared string table: each si's t texts joined, phonetic runs skipped. */
static void xlsx_shared(const struct pg_zip_member *m, struct xlsx_strings *ss)
{
	xmlTextReaderPtr r = m ? ooxml_reader(m) : NULL;
	struct pg_buf b;
	int in_t = 0, in_rph = 0;

	if (!r)
		return;
	pg_buf_init(&b, 0);
	while (xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);

		if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r)) {
			in_t = xml_is(r, "t") ? 1 : in_t;
			in_rph = xml_is(r, "rPh") ? 1 : in_rph;
		} else if (type == XML_READER_TYPE_END_ELEMENT || type == XML_READER_TYPE_ELEMENT) {
			if (xml_is(r, "t"))
				in_t = 0;
			else if (xml_is(r, "rPh"))
				in_rph = 0;
			else if (xml_is(r, "si")) {
				if (ss->n == ss->cap) {
					ss->cap = ss->cap ? 2 * ss->cap : 64;
					ss->v = pg_reallocarray(ss->v, ss->cap, sizeof *ss->v);
				}
				ss->v[ss->n++] = pg_strdup(b.data);
				pg_buf_truncate(&b, 0);
			}
		} else if (in_t && !in_rph)
			pg_buf_puts(&b, (const char *)xmlTextReaderConstValue(r));
	}
	pg_buf_free(&b, 1);
	xmlFreeTextReader(r);
}

/* Column number (0-based) of a cell reference such as "AB12", or -1. */
static long xlsx_column(const char *ref)
{
	long col = 0;

	if (!ref || *ref < 'A' || *ref > 'Z')
		return -1;
	for (; *ref >= 'A' && *ref <= 'Z' && col < 100000; ref++)
		col = col * 26 + (*ref - 'A' + 1);
	return col - 1;
}

struct xlsx_row {
	struct pg_buf *out;
	long col;   /* columns written on this row */
	char *type; /* t attribute of the open cell */
	int in_v, in_t;
};

static void xlsx_cell_start(struct xlsx_row *row, xmlTextReaderPtr r)
{
	char *ref = xml_attr(r, "r");
	long col = xlsx_column(ref);

	if (col < 0)
		col = row->col;
	if (col > row->col + 1000) /* a sparse cell far right: one gap, not thousands */
		col = row->col + 1000;
	for (; row->col < col; row->col++)
		if (row->col > 0)
			pg_buf_putc(row->out, '\t');
	if (row->col > 0)
		pg_buf_putc(row->out, '\t');
	row->col++;
	free(ref);
	free(row->type);
	row->type = xml_attr(r, "t");
}

/* Append a cell value: a shared string index, or the text as it is. */
static void xlsx_value(struct xlsx_row *row, const char *text, const struct xlsx_strings *ss)
{
	if (row->in_v && row->type && strcmp(row->type, "s") == 0) {
		char *end;
		unsigned long i = strtoul(text, &end, 10);

		if (end != text && i < ss->n)
			pg_buf_puts(row->out, ss->v[i]);
	} else
		pg_buf_puts(row->out, text);
}

static void xlsx_sheet(const struct pg_zip_member *m, const char *where,
		       const struct xlsx_strings *ss, struct pg_doc *doc)
{
	xmlTextReaderPtr r = ooxml_reader(m);
	struct pg_buf out;
	struct xlsx_row row = {.out = &out};

	if (!r) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken XML");
		return;
	}
	pg_buf_init(&out, 0);
	while (xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);
		int empty = xmlTextReaderIsEmptyElement(r);

		if (type == XML_READER_TYPE_ELEMENT && xml_is(r, "row"))
			row.col = 0;
		else if (type == XML_READER_TYPE_ELEMENT && xml_is(r, "c"))
			xlsx_cell_start(&row, r);
		else if (type == XML_READER_TYPE_ELEMENT && !empty && xml_is(r, "v"))
			row.in_v = 1;
		else if (type == XML_READER_TYPE_ELEMENT && !empty && xml_is(r, "t"))
			row.in_t = 1;
		if ((type == XML_READER_TYPE_END_ELEMENT || (empty && type == XML_READER_TYPE_ELEMENT)) &&
		    xml_is(r, "row") && row.col > 0)
			pg_buf_putc(&out, '\n');
		else if (type == XML_READER_TYPE_END_ELEMENT && xml_is(r, "v"))
			row.in_v = 0;
		else if (type == XML_READER_TYPE_END_ELEMENT && xml_is(r, "t"))
			row.in_t = 0;
		else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
			 (row.in_v || row.in_t))
			xlsx_value(&row, (const char *)xmlTextReaderConstValue(r), ss);
	}
	if (out.len)
		doc_add(doc, where, out.data, out.len);
	free(row.type);
	pg_buf_free(&out, 1);
	xmlFreeTextReader(r);
}

/* The target of relationship RID in the workbook's rels, as a member name. */
static char *xlsx_target(const struct pg_zip *zip, const char *rid)
{
	const struct pg_zip_member *m = zip_find(zip, "xl/_rels/workbook.xml.rels");
	xmlTextReaderPtr r = m ? ooxml_reader(m) : NULL;
	char *found = NULL;

	while (r && !found && xmlTextReaderRead(r) == 1) {
		char *id, *target;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !xml_is(r, "Relationship"))
			continue;
		id = xml_attr(r, "Id");
		target = xml_attr(r, "Target");
		if (id && target && strcmp(id, rid) == 0)
			found = target[0] == '/' ? pg_strdup(target + 1) : pg_asprintf("xl/%s", target);
		free(id);
		free(target);
	}
	if (r)
		xmlFreeTextReader(r);
	return found;
}

void xlsx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc)
{
	const struct pg_zip_member *wb = zip_find(zip, "xl/workbook.xml");
	xmlTextReaderPtr r = wb ? ooxml_reader(wb) : NULL;
	struct xlsx_strings ss = {0};

	if (!r) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "spreadsheet without a workbook");
		return;
	}
	xlsx_shared(zip_find(zip, "xl/sharedStrings.xml"), &ss);
	while (xmlTextReaderRead(r) == 1) {
		char *name, *rid, *target;
		const struct pg_zip_member *sheet;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !xml_is(r, "sheet"))
			continue;
		name = xml_attr(r, "name");
		rid = xml_attr(r, "r:id");
		target = rid ? xlsx_target(zip, rid) : NULL;
		sheet = target ? zip_find(zip, target) : NULL;
		if (sheet) {
			char *w = pg_asprintf("%s sheet %s", where, name ? name : "?");
			xlsx_sheet(sheet, w, &ss, doc);
			free(w);
		}
		free(name);
		free(rid);
		free(target);
	}
	xmlFreeTextReader(r);
	for (size_t i = 0; i < ss.n; i++) {
		pg_wipe(ss.v[i], strlen(ss.v[i]));
		free(ss.v[i]);
	}
	free(ss.v);
}
