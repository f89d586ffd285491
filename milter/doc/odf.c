/*
 * odf.c - OpenDocument text (ODT), spreadsheets (ODS) and presentations
 * (ODP): content.xml in document order, then the headers and footers in
 * styles.xml, then the title and subject in meta.xml.
 *
 * Paragraphs and headings are lines (text:s counts its spaces, text:tab is
 * TAB, text:line-break a new line); each table is its own segment named
 * after it ("sheet Year 4" in a spreadsheet, "table Pupils" elsewhere),
 * one line per row, cells as TAB fields.  Repeated cells and rows
 * (number-columns-repeated, number-rows-repeated) are written once: an
 * empty cell keeps its column, a repeated row adds nothing new to find.
 * Each presentation page is its own segment ("slide 2").  Deleted tracked
 * changes and annotations are read, as a reader of the file could.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "odf.h"
#include "ooxml.h"
#include "util.h"

#define ODF_MAX_EMPTY_CELLS 1024 /* empty columns kept before a cell with text */
#define ODF_MAX_SPACES 64        /* text:s c= bound */

struct odf_state {
	struct pg_doc *doc;
	const char *where;
	int spreadsheet;
	struct pg_buf prose, table, page;
	char *table_name, *page_name;
	int meta;            /* meta.xml: its title, subject, ... are paragraphs */
	unsigned tbl_depth, tables, pages, in_page, in_para;
	size_t cell_start;   /* table.len when the current cell began */
	unsigned long empty; /* empty cells not yet written in this row */
};

/* Elements whose text is read: paragraphs and headings, and in meta.xml
 * the properties a reader sees in the document's details. */
static int odf_para(const struct odf_state *s, xmlTextReaderPtr r)
{
	return xml_is(r, "p") || xml_is(r, "h") ||
	       (s->meta && (xml_is(r, "title") || xml_is(r, "subject") ||
			    xml_is(r, "description") || xml_is(r, "keyword")));
}

static unsigned long odf_count(xmlTextReaderPtr r, const char *qname, unsigned long max)
{
	char *v = xml_attr(r, qname);
	unsigned long n = v ? strtoul(v, NULL, 10) : 1;

	free(v);
	return n < 1 ? 1 : n > max ? max : n;
}

static struct pg_buf *odf_out(struct odf_state *s)
{
	return s->tbl_depth ? &s->table : s->in_page ? &s->page : &s->prose;
}

static void odf_trim(struct pg_buf *b)
{
	while (b->len && b->data[b->len - 1] == ' ')
		pg_buf_truncate(b, b->len - 1);
}

static void odf_flush(struct odf_state *s, struct pg_buf *b, const char *kind, const char *name,
		      unsigned number)
{
	char *w = name && *name ? pg_asprintf("%s %s %s", s->where, kind, name)
				: pg_asprintf("%s %s %u", s->where, kind, number);

	odf_trim(b);
	if (b->len)
		doc_add(s->doc, w, b->data, b->len);
	pg_buf_truncate(b, 0);
	free(w);
}

static void odf_start(void *state, xmlTextReaderPtr r)
{
	struct odf_state *s = state;
	struct pg_buf *b = odf_out(s);

	if (odf_para(s, r))
		s->in_para++;
	else if (xml_is(r, "s")) {
		for (unsigned long n = odf_count(r, "text:c", ODF_MAX_SPACES); n; n--)
			pg_buf_putc(b, ' ');
	} else if (xml_is(r, "tab"))
		pg_buf_putc(b, s->tbl_depth ? ' ' : '\t');
	else if (xml_is(r, "line-break"))
		pg_buf_putc(b, s->tbl_depth ? ' ' : '\n');
	else if (xml_is(r, "table") && s->tbl_depth++ == 0) {
		free(s->table_name);
		s->table_name = xml_attr(r, "table:name");
		s->tables++;
	} else if (xml_is(r, "table-row") && s->tbl_depth == 1)
		s->empty = 0;
	else if ((xml_is(r, "table-cell") || xml_is(r, "covered-table-cell")) && s->tbl_depth == 1)
		s->cell_start = s->table.len;
	else if (xml_is(r, "page") && !s->tbl_depth) {
		s->in_page = 1;
		s->pages++;
		free(s->page_name);
		s->page_name = xml_attr(r, "draw:name");
	}
}

/* The end of a cell: a cell with text is written after the empty ones
 * before it; an empty cell (times its repeat) waits for one with text. */
static void odf_end_cell(struct odf_state *s, xmlTextReaderPtr r)
{
	unsigned long repeat = odf_count(r, "table:number-columns-repeated", ODF_MAX_EMPTY_CELLS);
	struct pg_buf *b = &s->table;

	odf_trim(b);
	if (b->len == s->cell_start) {
		s->empty += repeat;
		if (s->empty > ODF_MAX_EMPTY_CELLS)
			s->empty = ODF_MAX_EMPTY_CELLS;
		return;
	}
	if (s->empty) {
		/* Move the cell's text after the TABs of the empty cells before it. */
		size_t len = b->len - s->cell_start;
		char *text = pg_strndup(b->data + s->cell_start, len);

		pg_buf_truncate(b, s->cell_start);
		for (; s->empty; s->empty--)
			pg_buf_putc(b, '\t');
		pg_buf_append(b, text, len);
		free(text);
	}
	pg_buf_putc(b, '\t');
}

static void odf_end(void *state, xmlTextReaderPtr r)
{
	struct odf_state *s = state;
	struct pg_buf *b = odf_out(s);

	if (odf_para(s, r)) {
		if (s->in_para)
			s->in_para--;
		odf_trim(b);
		pg_buf_putc(b, s->tbl_depth ? ' ' : '\n');
	} else if ((xml_is(r, "table-cell") || xml_is(r, "covered-table-cell")) &&
		   s->tbl_depth == 1)
		odf_end_cell(s, r);
	else if (xml_is(r, "table-row") && s->tbl_depth == 1) {
		while (b->len && (b->data[b->len - 1] == '\t' || b->data[b->len - 1] == ' '))
			pg_buf_truncate(b, b->len - 1);
		if (b->len && b->data[b->len - 1] != '\n')
			pg_buf_putc(b, '\n');
	} else if (xml_is(r, "table") && s->tbl_depth && --s->tbl_depth == 0)
		odf_flush(s, &s->table, s->spreadsheet ? "sheet" : "table", s->table_name, s->tables);
	else if (xml_is(r, "page") && s->in_page && !s->tbl_depth) {
		odf_flush(s, &s->page, "slide", NULL, s->pages);
		s->in_page = 0;
	}
}

static void odf_text(void *state, xmlTextReaderPtr r, int type)
{
	struct odf_state *s = state;

	if (!s->in_para)
		return;
	if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA)
		pg_buf_puts(odf_out(s), (const char *)xmlTextReaderConstValue(r));
	else if (type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE)
		pg_buf_putc(odf_out(s), ' '); /* ODF collapses white space */
}

/* Stream one ODF XML part into segments under WHERE. */
static void odf_part(const struct pg_zip_member *m, const char *where, int spreadsheet, int meta,
		     struct pg_doc *doc)
{
	static const struct xml_walk cb = {odf_start, odf_end, odf_text};
	struct odf_state s = {.doc = doc, .where = where, .spreadsheet = spreadsheet, .meta = meta};

	pg_buf_init(&s.prose, 0);
	pg_buf_init(&s.table, 0);
	pg_buf_init(&s.page, 0);
	(void)xml_walk(m, &cb, &s, where, doc); /* what was read before a fault stays */
	if (s.table.len)
		odf_flush(&s, &s.table, spreadsheet ? "sheet" : "table", s.table_name, s.tables);
	if (s.page.len)
		odf_flush(&s, &s.page, "slide", NULL, s.pages);
	odf_trim(&s.prose);
	if (s.prose.len)
		doc_add(doc, where, s.prose.data, s.prose.len);
	pg_buf_free(&s.prose, 1);
	pg_buf_free(&s.table, 1);
	pg_buf_free(&s.page, 1);
	free(s.table_name);
	free(s.page_name);
}

int odf_package(const struct pg_zip *zip)
{
	const struct pg_zip_member *m = zip_find(zip, "mimetype");
	static const char want[] = "application/vnd.oasis.opendocument.";

	return m && m->len >= sizeof want - 1 && memcmp(m->data, want, sizeof want - 1) == 0 &&
	       zip_find(zip, "content.xml");
}

void odf_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc)
{
	const struct pg_zip_member *mt = zip_find(zip, "mimetype");
	static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
	int spreadsheet = mt && mt->len >= sizeof ods - 1 && memcmp(mt->data, ods, sizeof ods - 1) == 0;
	const struct pg_zip_member *m;
	char *w;

	odf_part(zip_find(zip, "content.xml"), where, spreadsheet, 0, doc);
	if ((m = zip_find(zip, "styles.xml")) != NULL) {
		w = pg_asprintf("%s headers and footers", where);
		odf_part(m, w, spreadsheet, 0, doc);
		free(w);
	}
	if ((m = zip_find(zip, "meta.xml")) != NULL) {
		w = pg_asprintf("%s properties", where);
		odf_part(m, w, spreadsheet, 1, doc);
		free(w);
	}
}
