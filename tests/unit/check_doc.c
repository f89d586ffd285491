/*
 * check_doc.c - the doc layer: DOCX, XLSX, PPTX, ODF, RTF, PDF and zip text, the table
 * contract (rows as lines, cells as TAB fields), and the flags for what
 * cannot be read: encrypted, legacy, unknown, and every container bound.
 * Fixtures are built here with libarchive's writer; names are invented.
 */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "doc.h"
#include "isolate.h"

static const struct pg_doc_limits limits = {
	.max_depth = 3, .max_members = 1000, .max_bytes = 64u << 20, .max_ratio = 100};

struct zbuf {
	unsigned char *data;
	size_t len, cap;
};

struct member {
	const char *name;
	const void *data; /* NULL: LEN zero bytes */
	size_t len;
};

/* A member holding a string literal; END ends a list. */
#define T(n, t) {.name = (n), .data = (t), .len = sizeof(t) - 1}
#define END {.name = NULL}

/* A zip of MEMBERS (NAME NULL ends), encrypted with PASS if not NULL. */
static struct zbuf make_zip(const struct member *members, const char *pass)
{
	struct zbuf z = {.cap = 64u << 20};
	struct archive *a = archive_write_new();
	size_t used = 0;

	z.data = malloc(z.cap);
	ck_assert_ptr_nonnull(z.data);
	ck_assert_int_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
	if (pass) {
		ck_assert_int_eq(archive_write_set_options(a, "zip:encryption=zipcrypt"), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_set_passphrase(a, pass), ARCHIVE_OK);
	}
	ck_assert_int_eq(archive_write_open_memory(a, z.data, z.cap, &used), ARCHIVE_OK);
	for (const struct member *m = members; m->name; m++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = m->len;
		void *zeros = m->data ? NULL : calloc(1, len);

		archive_entry_set_pathname(e, m->name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_data(a, m->data ? m->data : zeros, len),
				 (la_ssize_t)len);
		archive_entry_free(e);
		free(zeros);
	}
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	z.len = used;
	return z;
}

/* All segments' text joined, each after "[where]\n". */
static char *joined(const struct pg_doc *doc)
{
	size_t n = 1;
	char *s;

	for (size_t i = 0; i < doc->n; i++)
		n += strlen(doc->v[i].where) + doc->v[i].len + 4;
	s = calloc(1, n);
	for (size_t i = 0; i < doc->n; i++) {
		strcat(s, "[");
		strcat(s, doc->v[i].where);
		strcat(s, "]\n");
		strcat(s, doc->v[i].text);
	}
	return s;
}

static char *extract(struct zbuf z, const char *name, unsigned *flags_r)
{
	struct pg_doc doc;
	char *s;

	doc_init(&doc);
	doc_extract(z.data, z.len, NULL, name, "part 2 attachment x", &limits, &doc);
	*flags_r = doc.flags;
	s = joined(&doc);
	doc_free(&doc);
	free(z.data);
	return s;
}

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

START_TEST(docx_runs_tables_headers)
{
	static const struct member m[] = {
		T("[Content_Types].xml", "<Types/>"),
		T("word/document.xml",
		 "<w:document " W "><w:body>"
		 "<w:p><w:r><w:t>Report for Ame</w:t></w:r><w:r><w:t>lia Khan</w:t></w:r></w:p>"
		 "<w:p><w:r><w:t xml:space=\"preserve\">Oak </w:t></w:r><w:r><w:tab/><w:t>class</w:t></w:r></w:p>"
		 "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Forename</w:t></w:r></w:p></w:tc>"
		 "<w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Surname</w:t></w:r></w:p></w:tc></w:tr>"
		 "<w:tr><w:tc><w:p><w:r><w:t>Rose</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>"
		 "<w:tc><w:p><w:r><w:t>Hill</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
		 "<w:p><w:r><w:t>After</w:t></w:r></w:p></w:body></w:document>"),
		T("word/header1.xml", "<w:hdr " W "><w:p><w:r><w:t>Summer Day</w:t></w:r></w:p></w:hdr>"),
		T("word/comments.xml",
		 "<w:comments " W "><w:comment><w:p><w:r><w:t>ask Zoe</w:t></w:r></w:p></w:comment></w:comments>"),
		END};
	unsigned flags;
	char *s = extract(make_zip(m, NULL), "r.docx", &flags);

	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x table 1]\nForename\t\tSurname\nRose\t\tHill\n"
			    "[part 2 attachment x]\nReport for Amelia Khan\nOak \tclass\nAfter\n"
			    "[part 2 attachment x header1]\nSummer Day\n"
			    "[part 2 attachment x comments]\nask Zoe\n");
	free(s);
}
END_TEST

#define S "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

START_TEST(xlsx_sheets_rows_cells)
{
	static const struct member m[] = {
		T("xl/workbook.xml", "<workbook " S "><sheets><sheet name=\"Year 4\" sheetId=\"1\" r:id=\"rId2\"/>"
				    "<sheet name=\"Staff\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"),
		T("xl/_rels/workbook.xml.rels",
"<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet2.xml\"/>"
		 "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/sheet1.xml\"/></Relationships>"),
		T("xl/sharedStrings.xml",
		 "<sst " S "><si><t>Forename</t></si><si><t>Surname</t></si>"
		 "<si><r><t>Ame</t></r><r><t>lia</t></r><rPh><t>AMI</t></rPh></si><si><t>Khan</t></si></sst>"),
		T("xl/worksheets/sheet1.xml",
		 "<worksheet " S "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		 "<c r=\"C1\" t=\"s\"><v>1</v></c></row>"
		 "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>Rose</t></is></c>"
		 "<c r=\"C2\" t=\"s\"><v>3</v></c><c r=\"D2\"><v>2015</v></c></row></sheetData></worksheet>"),
		T("xl/worksheets/sheet2.xml",
		 "<worksheet " S "><sheetData><row><c t=\"inlineStr\"><is><t>Mr Knight</t></is></c></row>"
		 "</sheetData></worksheet>"),
		END};
	unsigned flags;
	char *s = extract(make_zip(m, NULL), "p.xlsx", &flags);

	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x sheet Year 4]\nForename\t\tSurname\nAmelia\tRose\tKhan\t2015\n"
			    "[part 2 attachment x sheet Staff]\nMr Knight\n");
	free(s);
}
END_TEST

#define A "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
#define SLIDE(x) "<p:sld " A "><p:txBody>" x "</p:txBody></p:sld>"

START_TEST(pptx_slides_in_number_order_with_notes)
{
	static const struct member m[] = {
		T("ppt/presentation.xml", "<p:presentation/>"),
		T("ppt/slides/slide10.xml", SLIDE("<a:p><a:r><a:t>Ten</a:t></a:r></a:p>")),
		T("ppt/slides/slide2.xml",
		 SLIDE("<a:p><a:r><a:t>Ame</a:t></a:r><a:r><a:t>lia</a:t></a:r><a:br/><a:r><a:t>Khan</a:t></a:r></a:p>"
		       "<a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>Rose</a:t></a:r></a:p></a:txBody></a:tc>"
		       "<a:tc><a:txBody><a:p><a:r><a:t>Hill</a:t></a:r></a:p></a:txBody></a:tc></a:tr></a:tbl>")),
		T("ppt/notesSlides/notesSlide2.xml", SLIDE("<a:p><a:r><a:t>say hello</a:t></a:r></a:p>")),
		T("ppt/slides/_rels/slide2.xml.rels", "<Relationships/>"),
		END};
	unsigned flags;
	char *s = extract(make_zip(m, NULL), "a.pptx", &flags);

	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x slide 2 table 1]\nRose\tHill\n"
			    "[part 2 attachment x slide 2]\nAmelia\nKhan\n"
			    "[part 2 attachment x slide 2 notes]\nsay hello\n"
			    "[part 2 attachment x slide 10]\nTen\n");
	free(s);
}
END_TEST

#define ODF_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	       "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	       "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
	       "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
	       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
	       "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
#define ODF(body) "<office:document-content " ODF_NS "><office:body>" body "</office:body></office:document-content>"

START_TEST(odt_paragraphs_spaces_tables_meta)
{
	static const struct member m[] = {
		T("mimetype", "application/vnd.oasis.opendocument.text"),
		T("content.xml",
		 ODF("<office:text><text:h>Report</text:h>"
		     "<text:p><text:span>Amelia</text:span> <text:span>Khan</text:span><text:tab/>Oak"
		     "<text:line-break/>Rose<text:s text:c=\"3\"/>Hill</text:p>"
		     "<table:table table:name=\"Pupils\"><table:table-row>"
		     "<table:table-cell><text:p>Zoe</text:p></table:table-cell>"
		     "<table:table-cell table:number-columns-repeated=\"2\"/>"
		     "<table:table-cell><text:p>Ng</text:p></table:table-cell>"
		     "<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>"
		     "<table:table-row table:number-rows-repeated=\"1000\"><table:table-cell/></table:table-row>"
		     "</table:table></office:text>")),
		T("styles.xml", ODF("<style:master-page><style:header><text:p>Summer Day</text:p>"
				    "</style:header></style:master-page>")),
		T("meta.xml", "<office:document-meta " ODF_NS "><office:meta><dc:title>Plan for Ali Shah</dc:title>"
			      "<meta:generator>LibreOffice</meta:generator><dc:creator>Mr Knight</dc:creator>"
			      "</office:meta></office:document-meta>"),
		END};
	unsigned flags;
	char *s = extract(make_zip(m, NULL), "r.odt", &flags);

	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x table Pupils]\nZoe\t\t\tNg\n"
			    "[part 2 attachment x]\nReport\nAmelia Khan\tOak\nRose   Hill\n"
			    "[part 2 attachment x headers and footers]\nSummer Day\n"
			    "[part 2 attachment x properties]\nPlan for Ali Shah\n");
	free(s);
}
END_TEST

START_TEST(ods_sheets_odp_slides)
{
	static const struct member ods[] = {
		T("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
		T("content.xml",
		 ODF("<office:spreadsheet><table:table table:name=\"Year 4\"><table:table-row>"
		     "<table:table-cell><text:p>Amelia</text:p></table:table-cell>"
		     "<table:table-cell><text:p>Khan</text:p></table:table-cell></table:table-row>"
		     "</table:table><table:table table:name=\"Staff\"><table:table-row>"
		     "<table:table-cell><text:p>Mr Knight</text:p></table:table-cell></table:table-row>"
		     "</table:table></office:spreadsheet>")),
		END};
	static const struct member odp[] = {
		T("mimetype", "application/vnd.oasis.opendocument.presentation"),
		T("content.xml",
		 ODF("<office:presentation><draw:page draw:name=\"page1\"><draw:frame><draw:text-box>"
		     "<text:p>Sports day</text:p></draw:text-box></draw:frame></draw:page>"
		     "<draw:page><draw:frame><draw:text-box><text:p>Amelia Khan</text:p>"
		     "</draw:text-box></draw:frame></draw:page></office:presentation>")),
		END};
	unsigned flags;
	char *s = extract(make_zip(ods, NULL), "l.ods", &flags);

	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x sheet Year 4]\nAmelia\tKhan\n"
			    "[part 2 attachment x sheet Staff]\nMr Knight\n");
	free(s);
	s = extract(make_zip(odp, NULL), "t.odp", &flags);
	ck_assert_uint_eq(flags, 0);
	ck_assert_str_eq(s, "[part 2 attachment x slide 1]\nSports day\n"
			    "[part 2 attachment x slide 2]\nAmelia Khan\n");
	free(s);
}
END_TEST

/* RTF through doc_extract: the text a reader sees and nothing else. */
static char *rtf(const char *text)
{
	struct pg_doc doc;
	char *s;

	doc_init(&doc);
	doc_extract((const unsigned char *)text, strlen(text), "application/rtf", "l.rtf",
		    "part 2 attachment x", &limits, &doc);
	ck_assert_uint_eq(doc.flags, 0);
	s = joined(&doc);
	doc_free(&doc);
	return s;
}

START_TEST(rtf_text_escapes_destinations)
{
	char *s;

	s = rtf("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Amelia Khan;}}{\\colortbl;\\red0;}"
		"{\\*\\generator Amelia Khan;}{\\info{\\title Plan}{\\author Mr Knight}}"
		"\\f0 Ren\\'e9e Ca\\'f1o\\par Zo\\u235?\\tab Ng\\line {\\b bold}\\~end}");
	ck_assert_str_eq(s, "[part 2 attachment x]\nRen\xC3\xA9" "e Ca\xC3\xB1o\nZo\xC3\xAB\tNg\nbold end"
			    "[part 2 attachment x properties]\nPlan");
	free(s);
	/* \ucN fallbacks, a surrogate pair, a code page of another script, \bin */
	s = rtf("{\\rtf1\\ansi\\ansicpg1251\\uc2 A\\u1048??B \\u-10179\\u-8704??C \\'c8\\'e2\\'e0\\'ed"
		"{\\pict\\bin4 }}}}} x}");
	ck_assert_str_eq(s, "[part 2 attachment x]\nA\xD0\x98" "B \xF0\x9F\x98\x80" "C "
			    "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD x");
	free(s);
	/* broken: unbalanced groups, a cut escape, a word too long */
	s = rtf("{\\rtf1 }}}Amelia {{{Khan\\'");
	ck_assert_str_eq(s, "[part 2 attachment x]\nAmelia Khan");
	free(s);
}
END_TEST

START_TEST(zip_recursive_and_nested_limit)
{
	static const struct member inner[] = {T("notes.txt", "Amelia Khan is in Oak"), END};
	struct zbuf in = make_zip(inner, NULL);
	struct member outer[] = {{.name = "in.zip", .data = in.data, .len = in.len},
				 T("readme.txt", "nothing here"), END};
	struct pg_doc_limits shallow = limits;
	struct zbuf out = make_zip(outer, NULL);
	struct pg_doc doc;
	char *s;

	free(in.data);
	doc_init(&doc);
	doc_extract(out.data, out.len, NULL, "a.zip", "part 2", &limits, &doc);
	s = joined(&doc);
	ck_assert_str_eq(s, "[part 2 member in.zip file name]\nin.zip"
			    "[part 2 member in.zip member notes.txt file name]\nnotes.txt"
			    "[part 2 member in.zip member notes.txt]\nAmelia Khan is in Oak"
			    "[part 2 member readme.txt file name]\nreadme.txt"
			    "[part 2 member readme.txt]\nnothing here");
	ck_assert_uint_eq(doc.flags, 0);
	free(s);
	doc_free(&doc);
	shallow.max_depth = 0;
	doc_init(&doc);
	doc_extract(out.data, out.len, NULL, "a.zip", "part 2", &shallow, &doc);
	ck_assert_uint_eq(doc.flags, PG_DOC_LIMIT);
	ck_assert_uint_eq(doc.n, 3); /* both names, readme.txt: in.zip is one level too deep */
	doc_free(&doc);
	free(out.data);
}
END_TEST

START_TEST(zip_bomb_is_flagged)
{
	static const struct member m[] = {{.name = "zeros.bin", .len = 40u << 20}, END};
	unsigned flags;
	char *s = extract(make_zip(m, NULL), "bomb.zip", &flags);

	ck_assert_uint_eq(flags & PG_DOC_LIMIT, PG_DOC_LIMIT);
	free(s);
}
END_TEST

START_TEST(too_many_members_is_flagged)
{
	struct member *m = calloc(10001, sizeof *m);
	char (*names)[16] = calloc(10000, 16);
	unsigned flags;
	char *s;

	for (int i = 0; i < 10000; i++) {
		snprintf(names[i], 16, "m%05d.txt", i);
		m[i].name = names[i];
		m[i].data = "x";
		m[i].len = 1;
	}
	s = extract(make_zip(m, NULL), "many.zip", &flags);
	ck_assert_uint_eq(flags, PG_DOC_LIMIT);
	free(s);
	free(m);
	free(names);
}
END_TEST

START_TEST(encrypted_zip_is_flagged)
{
	static const struct member m[] = {T("list.txt", "Amelia Khan"), END};
	unsigned flags;
	char *s = extract(make_zip(m, "secret"), "enc.zip", &flags);

	ck_assert_uint_eq(flags, PG_DOC_ENCRYPTED);
	ck_assert_ptr_null(strstr(s, "Amelia"));
	free(s);
}
END_TEST

/* A CFB header, then a directory entry name in UTF-16LE. */
static struct zbuf make_cfb(const char *stream)
{
	struct zbuf z = {.len = 1024};
	static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

	z.data = calloc(1, z.len);
	memcpy(z.data, magic, 8);
	for (size_t i = 0; stream[i]; i++)
		z.data[512 + 2 * i] = (unsigned char)stream[i];
	return z;
}

START_TEST(cfb_encrypted_legacy_unknown)
{
	unsigned flags;
	char *s = extract(make_cfb("EncryptionInfo"), "enc.docx", &flags);
	struct zbuf junk = {.data = (unsigned char *)strdup("\x7f" "ELF binary"), .len = 11};

	ck_assert_uint_eq(flags, PG_DOC_ENCRYPTED);
	free(s);
	s = extract(make_cfb("WordDocument"), "old.doc", &flags);
	ck_assert_uint_eq(flags, PG_DOC_UNREADABLE);
	free(s);
	s = extract(junk, "x.bin", &flags);
	ck_assert_uint_eq(flags, PG_DOC_UNREADABLE);
	free(s);
}
END_TEST

/* A one-page PDF whose text is drawn with a TJ kerning array and a hex string. */
START_TEST(pdf_text_and_meta)
{
	static const char pdf[] =
		"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 400]/Contents 4 0 R"
		"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
		"4 0 obj<</Length 60>>stream\nBT /F1 12 Tf 50 300 Td [(Ame) -20 (lia)] TJ ( ) Tj <4B68616E> Tj ET\nendstream endobj\n"
		"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
		"6 0 obj<</Title(Class list)/Author(Office)>>endobj\n"
		"trailer<</Root 1 0 R/Info 6 0 R>>\n%%EOF\n";
	struct zbuf z = {.data = malloc(sizeof pdf), .len = sizeof pdf - 1};
	unsigned flags;
	char *s;

	memcpy(z.data, pdf, sizeof pdf);
	s = extract(z, "l.pdf", &flags);
	ck_assert_uint_eq(flags, 0);
	ck_assert_ptr_nonnull(strstr(s, "[part 2 attachment x page 1]\nAmelia Khan"));
	ck_assert_ptr_nonnull(strstr(s, "[part 2 attachment x metadata]\nClass list\nOffice\n"));
	free(s);
}
END_TEST

START_TEST(wanted_by_magic_name_type)
{
	ck_assert(doc_wanted((const unsigned char *)"PK\3\4", 4, NULL, NULL));
	ck_assert(doc_wanted((const unsigned char *)"abc", 3, NULL, "Pupils.XLSX"));
	ck_assert(doc_wanted((const unsigned char *)"abc", 3, "application/pdf", NULL));
	ck_assert(!doc_wanted((const unsigned char *)"abc", 3, "application/octet-stream", "a.txt"));
}
END_TEST

static const struct pg_doc_isolation iso = {
	.cpu_seconds = 5, .memory_bytes = 512u << 20, .timeout_ms = 700};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(isolated_same_result)
{
	static const struct member m[] = {T("a.txt", "Amelia Khan"), T("b.txt", ""), END};
	struct zbuf z = make_zip(m, NULL);
	struct pg_doc in, out;
	char *a, *b;

	doc_init(&in);
	doc_init(&out);
	doc_extract(z.data, z.len, NULL, "a.zip", "part 2", &limits, &in);
	isolate_extract(z.data, z.len, NULL, "a.zip", "part 2", &limits, &iso, &out);
	a = joined(&in);
	b = joined(&out);
	ck_assert_str_eq(a, b);
	ck_assert_uint_eq(out.n, 4); /* each member's name and its text */
	ck_assert_uint_eq(in.flags, out.flags);
	free(a);
	free(b);
	doc_free(&in);
	doc_free(&out);
	free(z.data);
}
END_TEST

/* Each fault ends in PG_DOC_FAILED within the wall-clock limit and a bit. */
START_TEST(isolated_faults_fail_in_time)
{
	static const enum pg_doc_fault faults[] = {PG_DOC_FAULT_CRASH, PG_DOC_FAULT_HANG,
#if !defined(__SANITIZE_ADDRESS__) /* no RLIMIT_AS under ASan: see isolate.c */
						   PG_DOC_FAULT_OOM
#endif
	};
	static const struct member m[] = {T("a.txt", "Amelia Khan"), END};
	struct zbuf z = make_zip(m, NULL);
	struct pg_doc_isolation f = iso;
	struct pg_doc doc;
	double t0;

	f.memory_bytes = 64u << 20;
	for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
		f.fault = faults[i];
		doc_init(&doc);
		t0 = now_s();
		isolate_extract(z.data, z.len, NULL, "a.zip", "part 2", &limits, &f, &doc);
		ck_assert_double_lt(now_s() - t0, 1.5);
		ck_assert_uint_eq(doc.flags, PG_DOC_FAILED);
		ck_assert_uint_eq(doc.n, 0);
		ck_assert_ptr_nonnull(doc.reason);
		doc_free(&doc);
	}
	ck_assert_int_eq(isolate_fault_parse("hang"), PG_DOC_FAULT_HANG);
	ck_assert_int_eq(isolate_fault_parse("nonsense"), PG_DOC_FAULT_NONE);
	free(z.data);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("doc");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, docx_runs_tables_headers);
	tcase_add_test(tc, xlsx_sheets_rows_cells);
	tcase_add_test(tc, pptx_slides_in_number_order_with_notes);
	tcase_add_test(tc, odt_paragraphs_spaces_tables_meta);
	tcase_add_test(tc, ods_sheets_odp_slides);
	tcase_add_test(tc, rtf_text_escapes_destinations);
	tcase_add_test(tc, zip_recursive_and_nested_limit);
	tcase_add_test(tc, zip_bomb_is_flagged);
	tcase_add_test(tc, too_many_members_is_flagged);
	tcase_add_test(tc, encrypted_zip_is_flagged);
	tcase_add_test(tc, cfb_encrypted_legacy_unknown);
	tcase_add_test(tc, pdf_text_and_meta);
	tcase_add_test(tc, wanted_by_magic_name_type);
	tcase_add_test(tc, isolated_same_result);
	tcase_add_test(tc, isolated_faults_fail_in_time);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
