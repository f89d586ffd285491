/*
 * pdf.c - PDF text with poppler-glib (see pdf.h).  Text comes from
 * poppler_page_get_text(), which handles TJ kerning arrays and hex
 * strings; images are not read (no OCR).
 */
#include <poppler.h>
#include <string.h>

#include "pdf.h"
#include "util.h"

static void pdf_meta(PopplerDocument *pd, const char *where, struct pg_doc *doc)
{
	gchar *title = poppler_document_get_title(pd);
	gchar *author = poppler_document_get_author(pd);
	char *w = pg_asprintf("%s metadata", where);
	char *text = pg_asprintf("%s\n%s\n", title ? title : "", author ? author : "");

	if (title || author)
		doc_add(doc, w, text, strlen(text));
	g_free(title);
	g_free(author);
	free(w);
	free(text);
}

void pdf_extract(const unsigned char *data, size_t len, const char *where, struct pg_doc *doc)
{
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *err = NULL;
	PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &err);
	int pages;

	if (!pd) {
		if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
			doc_flag(doc, PG_DOC_ENCRYPTED, where, "encrypted PDF");
		else
			doc_flag(doc, PG_DOC_UNREADABLE, where, "broken PDF");
		goto out;
	}
	pages = poppler_document_get_n_pages(pd);
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(pd, i);
		gchar *text = page ? poppler_page_get_text(page) : NULL;

		if (text && *text) {
			char *w = pg_asprintf("%s page %d", where, i + 1);
			doc_add(doc, w, text, strlen(text));
			free(w);
		}
		g_free(text);
		if (page)
			g_object_unref(page);
	}
	pdf_meta(pd, where, doc);
	g_object_unref(pd);
out:
	if (err)
		g_error_free(err);
	g_bytes_unref(bytes);
}
