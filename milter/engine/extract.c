/*
 * extract.c - MIME walk and text extraction with GMime 3.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "cards.h"
#include "charset.h"
#include "extract.h"
#include "html.h"
#include "rfc2047.h"

struct walk {
	struct pg_extract *out;
	const struct pg_extract_limits *limits;
};

static void extract_walk(struct walk *w, GMimeObject *obj, const char *path, unsigned depth);
static void extract_message(struct walk *w, GMimeMessage *msg, const char *path, unsigned depth);

void extract_global_init(void)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };

	g_mime_init();
	g_mime_parser_options_set_fallback_charsets(g_mime_parser_options_get_default(),
						    fallback);
}

void extract_init(struct pg_extract *ex)
{
	memset(ex, 0, sizeof(*ex));
}

void extract_free(struct pg_extract *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		free(ex->v[i].where);
		pg_wipe(ex->v[i].text, ex->v[i].len);
		free(ex->v[i].text);
	}
	free(ex->v);
	free(ex->addresses);
	extract_init(ex);
}

/* Keep a segment, within the byte budget. */
static void extract_keep(struct pg_extract *ex, const struct pg_extract_limits *lim,
			 const char *where, char *text, size_t len)
{
	if (len == 0) {
		free(text);
		return;
	}
	if (lim != NULL && ex->text_bytes + len > lim->max_text_bytes) {
		size_t room = lim->max_text_bytes - ex->text_bytes;

		ex->flags |= PG_EXTRACT_TRUNCATED;
		/* Cut on a character boundary. */
		while (room > 0 && ((unsigned char)text[room] & 0xC0) == 0x80)
			room--;
		len = room;
		if (len == 0) {
			free(text);
			return;
		}
		text[len] = '\0';
	}
	if (ex->n == ex->cap) {
		ex->cap = ex->cap ? ex->cap * 2 : 16;
		ex->v = pg_reallocarray(ex->v, ex->cap, sizeof(*ex->v));
	}
	ex->v[ex->n].where = pg_strdup(where);
	ex->v[ex->n].text = text;
	ex->v[ex->n].len = len;
	ex->n++;
	ex->text_bytes += len;
}

void extract_add(struct pg_extract *ex, const char *where, const char *text, size_t len)
{
	extract_keep(ex, NULL, where, pg_strndup(text, len), len);
}

static void extract_add_utf8(struct walk *w, const char *where, const char *text)
{
	struct pg_buf b;

	if (text == NULL || *text == '\0')
		return;
	pg_buf_init(&b, strlen(text) + 1);
	charset_to_utf8(text, strlen(text), "utf-8", &b);
	extract_keep(w->out, w->limits, where, b.data, b.len);
}

/* Remember an address (for telling staff from pupils who share a name). */
static void extract_note_address(struct pg_extract *ex, const char *addr)
{
	size_t old = ex->addresses ? strlen(ex->addresses) : 0, n = strlen(addr);

	if (n == 0 || old + n > 65536)
		return;
	ex->addresses = pg_realloc(ex->addresses, old + n + 2);
	memcpy(ex->addresses + old, addr, n);
	ex->addresses[old + n] = '\n';
	ex->addresses[old + n + 1] = '\0';
}

/* Addresses of a parsed list, for telling staff from pupils who share a name. */
static void extract_addresses(struct walk *w, InternetAddressList *list)
{
	int n = list ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			extract_addresses(w, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));

			if (addr != NULL)
				extract_note_address(w->out, addr);
		}
	}
}

/* Every header called NAME, decoded by rfc2047.c (not GMime: see rfc2047.h). */
static void extract_header(struct walk *w, GMimeObject *obj, const char *name, const char *where)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int n = hl ? g_mime_header_list_get_count(hl) : 0;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
		struct pg_buf b;

		if (raw == NULL || g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		pg_buf_init(&b, strlen(raw) + 1);
		rfc2047_decode(raw, strlen(raw), &b);
		extract_keep(w->out, w->limits, where, b.data, b.len);
	}
}

/* File name suffixes of attachments that are text whatever their type says. */
static int extract_text_filename(const char *name)
{
	static const char *const exts[] = { ".txt", ".csv", ".tsv", ".ics", ".vcf", ".htm",
					    ".html", ".md", ".log", ".xml", ".json", NULL };
	size_t n = name ? strlen(name) : 0;

	for (size_t i = 0; exts[i] != NULL; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
			return 1;
	}
	return 0;
}

static int extract_has_suffix(const char *name, const char *suffix)
{
	size_t n = name ? strlen(name) : 0, e = strlen(suffix);

	return n > e && strcasecmp(name + n - e, suffix) == 0;
}

/* CSV rows become paragraphs so that the last cell of one row and the first
 * of the next are never read as one name. */
static void extract_csv_rows(struct pg_buf *text)
{
	struct pg_buf b;

	pg_buf_init(&b, text->len + text->len / 16);
	for (size_t i = 0; i < text->len; i++) {
		if (text->data[i] == '\n')
			pg_buf_puts(&b, "\n\n");
		else
			pg_buf_putc(&b, text->data[i]);
	}
	pg_buf_free(text, 1);
	*text = b;
}

/* Read an attachment with the doc layer, in a child process, and keep its
 * segments; what it could not read becomes a message flag. */
static void extract_document(struct walk *w, GMimeDataWrapper *content, const char *ctype,
			     const char *filename, const char *path)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *bytes;
	struct pg_doc doc;
	char where[512];

	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		w->out->flags |= PG_EXTRACT_BAD_MIME;
		g_object_unref(mem);
		return;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (doc_wanted(bytes->data, bytes->len, ctype, filename)) {
		(void)snprintf(where, sizeof(where), "part %s attachment %s", path,
			       filename ? filename : ctype);
		doc_init(&doc);
		isolate_extract(bytes->data, bytes->len, ctype, filename, where, &w->limits->doc,
				&w->limits->iso, &doc);
		for (size_t i = 0; i < doc.n; i++) {
			struct pg_buf b;

			/* Archive members are bytes in any charset; XML text is UTF-8 already. */
			pg_buf_init(&b, doc.v[i].len + 1);
			charset_to_utf8(doc.v[i].text, doc.v[i].len, NULL, &b);
			extract_keep(w->out, w->limits, doc.v[i].where, b.data, b.len);
		}
		if (doc.flags & PG_DOC_UNREADABLE)
			w->out->flags |= PG_EXTRACT_UNREADABLE;
		if (doc.flags & (PG_DOC_LIMIT | PG_DOC_FAILED))
			w->out->flags |= PG_EXTRACT_DOC_LIMIT;
		if (doc.flags & PG_DOC_ENCRYPTED)
			w->out->flags |= PG_EXTRACT_ENCRYPTED;
		doc_free(&doc);
	}
	pg_wipe(bytes->data, bytes->len);
	g_object_unref(mem);
}

/* Decode a leaf part's content (transfer encoding undone) and keep its text. */
static void extract_leaf(struct walk *w, GMimePart *part, const char *path)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	const char *filename = g_mime_part_get_filename(part);
	const char *charset = ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;
	struct pg_buf raw, text;
	char where[512];
	int is_text, is_html, is_csv, is_rtf, is_card;

	if (filename != NULL && *filename != '\0') {
		(void)snprintf(where, sizeof(where), "part %s file name", path);
		extract_add_utf8(w, where, filename);
	}
	/* RTF is a document whatever its type says (text/rtf, application/rtf). */
	is_rtf = g_ascii_strcasecmp(sub ? sub : "", "rtf") == 0 || extract_has_suffix(filename, ".rtf");
	is_text = (g_ascii_strcasecmp(type ? type : "", "text") == 0 ||
		   extract_text_filename(filename)) && !is_rtf;
	if (!is_text && content != NULL &&
	    (is_rtf || g_ascii_strcasecmp(type ? type : "", "application") == 0)) {
		char ctype[256];

		(void)snprintf(ctype, sizeof(ctype), "%s/%s", type, sub ? sub : "octet-stream");
		extract_document(w, content, ctype, filename, path);
	}
	if (!is_text || content == NULL)
		return;
	is_html = g_ascii_strcasecmp(sub ? sub : "", "html") == 0 ||
		  extract_has_suffix(filename, ".html") || extract_has_suffix(filename, ".htm");
	is_csv = g_ascii_strcasecmp(sub ? sub : "", "csv") == 0 ||
		 g_ascii_strcasecmp(sub ? sub : "", "comma-separated-values") == 0 ||
		 extract_has_suffix(filename, ".csv");
	is_card = g_ascii_strcasecmp(sub ? sub : "", "calendar") == 0 ||
		  g_ascii_strcasecmp(sub ? sub : "", "vcard") == 0 ||
		  g_ascii_strcasecmp(sub ? sub : "", "x-vcard") == 0 ||
		  g_ascii_strcasecmp(sub ? sub : "", "directory") == 0 ||
		  extract_has_suffix(filename, ".ics") || extract_has_suffix(filename, ".vcf");

	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		w->out->flags |= PG_EXTRACT_BAD_MIME;
		g_object_unref(mem);
		return;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	pg_buf_init(&raw, bytes->len + 1);
	charset_to_utf8((const char *)bytes->data, bytes->len, charset, &raw);
	pg_wipe(bytes->data, bytes->len);
	g_object_unref(mem);

	if (is_html) {
		pg_buf_init(&text, raw.len + 1);
		html_to_text(raw.data, raw.len, &text);
		pg_buf_free(&raw, 1);
	} else if (is_card) {
		pg_buf_init(&text, raw.len + 1);
		cards_to_text(raw.data, raw.len, &text);
		pg_buf_free(&raw, 1);
	} else {
		text = raw;
		if (is_csv)
			extract_csv_rows(&text);
	}
	(void)snprintf(where, sizeof(where), "part %s %s/%s%s%s", path, type ? type : "text",
		       sub ? sub : "plain", filename ? " attachment " : "",
		       filename ? filename : "");
	extract_keep(w->out, w->limits, where, text.data, text.len);
}

static void extract_walk(struct walk *w, GMimeObject *obj, const char *path, unsigned depth)
{
	char child[256];

	if (obj == NULL)
		return;
	if (w->out->parts >= w->limits->max_parts) {
		w->out->flags |= PG_EXTRACT_TOO_MANY;
		return;
	}
	w->out->parts++;
	if (depth > w->limits->max_depth) {
		w->out->flags |= PG_EXTRACT_TOO_DEEP;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);

		for (int i = 0; i < n; i++) {
			(void)snprintf(child, sizeof(child), "%s%s%d", path, *path ? "." : "", i + 1);
			extract_walk(w, g_mime_multipart_get_part(mp, i), child, depth + 1);
		}
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		(void)snprintf(child, sizeof(child), "%s%smessage", path, *path ? "." : "");
		if (inner != NULL)
			extract_message(w, inner, child, depth + 1);
	} else if (GMIME_IS_PART(obj)) {
		extract_leaf(w, GMIME_PART(obj), *path ? path : "1");
	}
}

static void extract_message(struct walk *w, GMimeMessage *msg, const char *path, unsigned depth)
{
	static const struct {
		const char *name;
		GMimeAddressType type;
	} addrs[] = {
		{ "From", GMIME_ADDRESS_TYPE_FROM }, { "To", GMIME_ADDRESS_TYPE_TO },
		{ "Cc", GMIME_ADDRESS_TYPE_CC }, { "Reply-To", GMIME_ADDRESS_TYPE_REPLY_TO },
	};
	char where[300];

	(void)snprintf(where, sizeof(where), "%s%sSubject", path, *path ? " " : "");
	extract_header(w, GMIME_OBJECT(msg), "Subject", where);
	for (size_t i = 0; i < PG_ARRAY_LEN(addrs); i++) {
		(void)snprintf(where, sizeof(where), "%s%s%s", path, *path ? " " : "", addrs[i].name);
		extract_header(w, GMIME_OBJECT(msg), addrs[i].name, where);
		extract_addresses(w, g_mime_message_get_addresses(msg, addrs[i].type));
	}
	extract_walk(w, g_mime_message_get_mime_part(msg), *path ? path : "", depth);
}

void extract_stream(GMimeStream *stream, const struct pg_extract_limits *limits,
		    struct pg_extract *out)
{
	struct walk w = { .out = out, .limits = limits };
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);

	if (msg == NULL) {
		/* Not MIME at all: scan the raw bytes as text. */
		GByteArray *ba = g_byte_array_new();
		GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(ba);
		struct pg_buf b;

		out->flags |= PG_EXTRACT_BAD_MIME;
		(void)g_mime_stream_reset(stream);
		(void)g_mime_stream_write_to_stream(stream, mem);
		pg_buf_init(&b, ba->len + 1);
		charset_to_utf8((const char *)ba->data, ba->len, NULL, &b);
		extract_keep(out, limits, "raw message", b.data, b.len);
		g_object_unref(mem);
	} else {
		extract_message(&w, msg, "", 0);
		g_object_unref(msg);
	}
	g_object_unref(parser);
}
