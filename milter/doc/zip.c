/*
 * zip.c - the members of a zip archive read into memory, within bounds
 * (see zip.h).  Bounds are checked while each member expands, so a zip
 * bomb stops after max_bytes, or as soon as its ratio passes max_ratio.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "zip.h"

/* Whether DOC has gone over a byte bound after reading; flags it if so. */
static int zip_over(struct pg_doc *doc, size_t in_len, const char *where,
		    const struct pg_doc_limits *limits)
{
	if (doc->expanded > limits->max_bytes) {
		doc_flag(doc, PG_DOC_LIMIT, where, "expanded bytes over the limit");
		return 1;
	}
	if (doc->expanded > 1024 * 1024 && doc->expanded / (in_len ? in_len : 1) > limits->max_ratio) {
		doc_flag(doc, PG_DOC_LIMIT, where, "expansion ratio over the limit (zip bomb)");
		return 1;
	}
	return 0;
}

/* Read the current member's data into M; -1 if a bound or error stopped it. */
static int zip_member(struct archive *a, size_t in_len, const char *where,
		      const struct pg_doc_limits *limits, struct pg_doc *doc,
		      struct pg_zip_member *m)
{
	struct pg_buf b;
	char chunk[16384];
	la_ssize_t got;
	int rc = 0;

	pg_buf_init(&b, 0);
	while ((got = archive_read_data(a, chunk, sizeof chunk)) > 0) {
		pg_buf_append(&b, chunk, (size_t)got);
		doc->expanded += (size_t)got;
		if (zip_over(doc, in_len, where, limits)) {
			rc = -1;
			break;
		}
	}
	if (got < 0) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken archive member");
		rc = -1;
	}
	m->len = b.len;
	m->data = (unsigned char *)pg_buf_steal(&b);
	return rc;
}

int zip_read(const unsigned char *data, size_t len, const char *where,
	     const struct pg_doc_limits *limits, struct pg_doc *doc, struct pg_zip *zip)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = -1, r;

	memset(zip, 0, sizeof *zip);
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "not a readable zip archive");
		goto out;
	}
	rc = 0;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		struct pg_zip_member *m;

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (++doc->members > limits->max_members) {
			doc_flag(doc, PG_DOC_LIMIT, where, "archive members over the limit");
			break;
		}
		if (archive_entry_is_encrypted(e)) {
			doc_flag(doc, PG_DOC_ENCRYPTED, where, "encrypted archive member");
			continue;
		}
		if (zip->n == zip->cap) {
			zip->cap = zip->cap ? 2 * zip->cap : 16;
			zip->v = pg_reallocarray(zip->v, zip->cap, sizeof *zip->v);
		}
		m = &zip->v[zip->n++];
		m->name = pg_strdup(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
		if (zip_member(a, len, where, limits, doc, m) < 0)
			break;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_EOF)
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken zip archive");
out:
	archive_read_free(a);
	return rc;
}

const struct pg_zip_member *zip_find(const struct pg_zip *zip, const char *name)
{
	for (size_t i = 0; i < zip->n; i++)
		if (strcmp(zip->v[i].name, name) == 0)
			return &zip->v[i];
	return NULL;
}

void zip_free(struct pg_zip *zip)
{
	for (size_t i = 0; i < zip->n; i++) {
		free(zip->v[i].name);
		pg_wipe(zip->v[i].data, zip->v[i].len);
		free(zip->v[i].data);
	}
	free(zip->v);
	memset(zip, 0, sizeof *zip);
}
