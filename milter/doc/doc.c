/*
 * doc.c - which reader an attachment goes to (by magic: zip packages by
 * their parts, PDF, RTF, TNEF, CFB), the members of containers (each
 * member's name is text too), the segment list, and the flags for what cannot
 * be read: encrypted OOXML (a CFB container holding EncryptionInfo), legacy
 * binary Office (a CFB container without), and unknown binaries.
 */
#include <string.h>
#include <strings.h>

#include "doc.h"
#include "odf.h"
#include "ooxml.h"
#include "pdf.h"
#include "rtf.h"
#include "tnef.h"
#include "util.h"
#include "zip.h"

static const unsigned char cfb_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

void doc_init(struct pg_doc *doc)
{
	memset(doc, 0, sizeof *doc);
}

void doc_free(struct pg_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->v[i].where);
		pg_wipe(doc->v[i].text, doc->v[i].len);
		free(doc->v[i].text);
	}
	free(doc->v);
	free(doc->reason);
	memset(doc, 0, sizeof *doc);
}

void doc_add(struct pg_doc *doc, const char *where, const char *text, size_t len)
{
	struct pg_doc_seg *s;

	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? 2 * doc->cap : 8;
		doc->v = pg_reallocarray(doc->v, doc->cap, sizeof *doc->v);
	}
	s = &doc->v[doc->n++];
	s->where = pg_strdup(where);
	s->text = pg_strndup(text, len);
	s->len = len;
}

void doc_flag(struct pg_doc *doc, unsigned flag, const char *where, const char *reason)
{
	doc->flags |= flag;
	if (!doc->reason)
		doc->reason = pg_asprintf("%s: %s", where, reason);
}

static int doc_suffix(const char *name, const char *suffix)
{
	size_t n = name ? strlen(name) : 0, m = strlen(suffix);
	return n >= m && strcasecmp(name + n - m, suffix) == 0;
}

/* Whether a CFB container holds an "EncryptionInfo" stream (UTF-16LE name). */
static int doc_cfb_encrypted(const unsigned char *data, size_t len)
{
	static const char want[] = "EncryptionInfo";
	size_t m = 2 * (sizeof want - 1);

	for (size_t i = 0; i + m <= len; i++) {
		size_t k = 0;
		while (k < sizeof want - 1 && data[i + 2 * k] == (unsigned char)want[k] &&
		       data[i + 2 * k + 1] == 0)
			k++;
		if (k == sizeof want - 1)
			return 1;
	}
	return 0;
}

/* Read a zip: an OOXML package by its parts, else every member in turn. */
static void doc_zip(const unsigned char *data, size_t len, const char *where, unsigned depth,
		    const struct pg_doc_limits *limits, struct pg_doc *doc);

static void doc_dispatch(const unsigned char *data, size_t len, const char *ctype,
			 const char *name, const char *where, unsigned depth,
			 const struct pg_doc_limits *limits, struct pg_doc *doc)
{
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0)
		doc_zip(data, len, where, depth, limits, doc);
	else if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		pdf_extract(data, len, where, doc);
	else if (rtf_is(data, len))
		rtf_extract(data, len, where, doc);
	else if (tnef_is(data, len))
		tnef_extract(data, len, where, depth, limits, doc);
	else if (len >= 8 && memcmp(data, cfb_magic, 8) == 0) {
		if (doc_cfb_encrypted(data, len))
			doc_flag(doc, PG_DOC_ENCRYPTED, where, "encrypted Office document");
		else
			doc_flag(doc, PG_DOC_UNREADABLE, where, "legacy binary Office document");
	} else
		doc_flag(doc, PG_DOC_UNREADABLE, where, "document of a type not read");
	(void)ctype;
	(void)name;
}

static void doc_zip(const unsigned char *data, size_t len, const char *where, unsigned depth,
		    const struct pg_doc_limits *limits, struct pg_doc *doc)
{
	struct pg_zip zip;

	if (depth > limits->max_depth) {
		doc_flag(doc, PG_DOC_LIMIT, where, "archives nested beyond the limit");
		return;
	}
	if (zip_read(data, len, where, limits, doc, &zip) < 0)
		return;
	if (zip_find(&zip, "word/document.xml"))
		docx_extract(&zip, where, doc);
	else if (zip_find(&zip, "xl/workbook.xml"))
		xlsx_extract(&zip, where, doc);
	else if (zip_find(&zip, "ppt/presentation.xml"))
		pptx_extract(&zip, where, doc);
	else if (odf_package(&zip))
		odf_extract(&zip, where, doc);
	else {
		for (size_t i = 0; i < zip.n; i++)
			doc_member(zip.v[i].data, zip.v[i].len, zip.v[i].name, where, depth + 1, limits,
				   doc);
	}
	zip_free(&zip);
}

void doc_member(const unsigned char *data, size_t len, const char *name, const char *where,
		unsigned depth, const struct pg_doc_limits *limits, struct pg_doc *doc)
{
	char *w = pg_asprintf("%s member %s", where, name);
	char *wn = pg_asprintf("%s file name", w);

	/* The name is text too: "Isha_Qureshi_EHCP.pdf" inside a zip. */
	doc_add(doc, wn, name, strlen(name));
	if (doc_wanted(data, len, NULL, name))
		doc_dispatch(data, len, NULL, name, w, depth, limits, doc);
	else
		doc_add(doc, w, (const char *)data, strnlen((const char *)data, len));
	free(wn);
	free(w);
}

int doc_wanted(const unsigned char *data, size_t len, const char *ctype, const char *name)
{
	static const char *const suffixes[] = {".docx", ".xlsx", ".pptx", ".pdf", ".zip", ".doc",
					       ".xls", ".ppt", ".docm", ".xlsm", ".pptm", ".odt",
					       ".ods", ".odp", ".rtf"};

	if (len >= 4 && (memcmp(data, "PK\3\4", 4) == 0 || memcmp(data, "%PDF", 4) == 0))
		return 1;
	if (rtf_is(data, len) || tnef_is(data, len) || doc_suffix(name, "winmail.dat"))
		return 1;
	if (len >= 8 && memcmp(data, cfb_magic, 8) == 0)
		return 1;
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (doc_suffix(name, suffixes[i]))
			return 1;
	return ctype && (strncasecmp(ctype, "application/vnd.", 16) == 0 ||
			 strcasecmp(ctype, "application/pdf") == 0 ||
			 strcasecmp(ctype, "application/zip") == 0 ||
			 strcasecmp(ctype, "application/rtf") == 0 ||
			 strcasecmp(ctype, "application/ms-tnef") == 0 ||
			 strcasecmp(ctype, "text/rtf") == 0 ||
			 strcasecmp(ctype, "application/msword") == 0);
}

void doc_extract(const unsigned char *data, size_t len, const char *ctype, const char *name,
		 const char *where, const struct pg_doc_limits *limits, struct pg_doc *doc)
{
	doc_dispatch(data, len, ctype, name, where, 0, limits, doc);
}
