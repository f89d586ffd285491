/*
 * docx.c - Word (DOCX) text: the body, then headers, footers, comments,
 * footnotes (text boxes are in the body's XML and come with it).  The part
 * reader, ooxml_text_part(), also reads PowerPoint's DrawingML slides,
 * whose paragraphs, runs, breaks and tables have the same local names.
 *
 * Runs are joined as Word shows them (w:t text, w:tab as TAB, w:br as a
 * new line); a paragraph is one line; a table is its own segment, one line
 * per row with cells separated by TAB.  Streams the XML with libxml2's
 * xmlTextReader.  It does not read fields' cached results or drawings.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "ooxml.h"
#include "util.h"

struct docx_state {
	struct pg_doc *doc;
	const char *where;
	struct pg_buf prose, table;
	unsigned tbl_depth, tables;
	int in_t;
};

static struct pg_buf *docx_out(struct docx_state *s)
{
	return s->tbl_depth ? &s->table : &s->prose;
}

/* Drop trailing spaces from B (the end of a cell or paragraph). */
static void docx_trim(struct pg_buf *b)
{
	while (b->len && b->data[b->len - 1] == ' ')
		pg_buf_truncate(b, b->len - 1);
}

static void docx_flush_table(struct docx_state *s)
{
	char *w = pg_asprintf("%s table %u", s->where, ++s->tables);

	if (s->table.len)
		doc_add(s->doc, w, s->table.data, s->table.len);
	pg_buf_truncate(&s->table, 0);
	free(w);
}

static void docx_start(void *state, xmlTextReaderPtr r)
{
	struct docx_state *s = state;

	if (xml_is(r, "t") || xml_is(r, "delText"))
		s->in_t = !xmlTextReaderIsEmptyElement(r);
	else if (xml_is(r, "tab") && !s->tbl_depth)
		pg_buf_putc(docx_out(s), '\t');
	else if (xml_is(r, "tab") || (xml_is(r, "br") && s->tbl_depth))
		pg_buf_putc(docx_out(s), ' ');
	else if (xml_is(r, "br") || xml_is(r, "cr"))
		pg_buf_putc(docx_out(s), '\n');
	else if (xml_is(r, "tbl"))
		s->tbl_depth++;
}

static void docx_end(void *state, xmlTextReaderPtr r)
{
	struct docx_state *s = state;
	struct pg_buf *b = docx_out(s);

	if (xml_is(r, "t") || xml_is(r, "delText"))
		s->in_t = 0;
	else if (xml_is(r, "p")) {
		docx_trim(b);
		pg_buf_putc(b, s->tbl_depth ? ' ' : '\n');
	} else if (xml_is(r, "tc")) {
		docx_trim(b);
		pg_buf_putc(b, '\t');
	} else if (xml_is(r, "tr")) {
		if (b->len && b->data[b->len - 1] == '\t')
			pg_buf_truncate(b, b->len - 1);
		pg_buf_putc(b, '\n');
	} else if (xml_is(r, "tbl") && s->tbl_depth && --s->tbl_depth == 0)
		docx_flush_table(s);
}

static void docx_text(void *state, xmlTextReaderPtr r, int type)
{
	struct docx_state *s = state;

	if (s->in_t && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE))
		pg_buf_puts(docx_out(s), (const char *)xmlTextReaderConstValue(r));
}

void ooxml_text_part(const struct pg_zip_member *m, const char *where, struct pg_doc *doc)
{
	static const struct xml_walk cb = {docx_start, docx_end, docx_text};
	struct docx_state s = {.doc = doc, .where = where};

	pg_buf_init(&s.prose, 0);
	pg_buf_init(&s.table, 0);
	(void)xml_walk(m, &cb, &s, where, doc); /* what was read before a fault stays */
	if (s.table.len)
		docx_flush_table(&s);
	if (s.prose.len)
		doc_add(doc, where, s.prose.data, s.prose.len);
	pg_buf_free(&s.prose, 1);
	pg_buf_free(&s.table, 1);
}

static int docx_extra(const char *name)
{
	static const char *const prefix[] = {"word/header", "word/footer", "word/comments",
					     "word/footnotes", "word/endnotes"};
	size_t n = strlen(name);

	if (n < 4 || strcmp(name + n - 4, ".xml") != 0)
		return 0;
	for (size_t i = 0; i < sizeof prefix / sizeof *prefix; i++)
		if (strncmp(name, prefix[i], strlen(prefix[i])) == 0)
			return 1;
	return 0;
}

void docx_extract(const struct pg_zip *zip, const char *where, struct pg_doc *doc)
{
	const struct pg_zip_member *body = zip_find(zip, "word/document.xml");

	if (body)
		ooxml_text_part(body, where, doc);
	for (size_t i = 0; i < zip->n; i++) {
		if (docx_extra(zip->v[i].name)) {
			const char *base = strrchr(zip->v[i].name, '/') + 1;
			char *w = pg_asprintf("%s %.*s", where, (int)(strlen(base) - 4), base);

			ooxml_text_part(&zip->v[i], w, doc);
			free(w);
		}
	}
}
