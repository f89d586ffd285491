/*
 * extract.h - everything a recipient can read in a message, as UTF-8 text.
 *
 * Walks a MIME message with GMime: the Subject and the display names of
 * From/To/Cc/Reply-To (RFC 2047 decoded), every text part in any transfer
 * encoding and charset (HTML turned into text by html.c, CSV rows kept
 * apart), text attachments sent as application/octet-stream with a text
 * file name, attachment file names (RFC 2231), documents and archives
 * (DOCX, XLSX, PDF, zip: read by the doc layer in a child process), and
 * message/rfc822 parts recursively.  Each segment remembers where it came from ("Subject",
 * "part 1.2 text/html") for reports.  Limits on depth, parts and bytes are
 * enforced here; going over one sets a flag rather than failing, so the
 * policy can choose what to do with an unscannable message.
 *
 * It does not match names or rules: see engine.c.
 */
#ifndef PG_EXTRACT_H
#define PG_EXTRACT_H

#include <gmime/gmime.h>
#include <stddef.h>

#include "doc.h"
#include "isolate.h"
#include "util.h"

#define PG_EXTRACT_TRUNCATED 0x01 /* text beyond max_text_bytes was not scanned */
#define PG_EXTRACT_TOO_DEEP 0x02  /* nesting beyond max_depth was not scanned */
#define PG_EXTRACT_TOO_MANY 0x04  /* parts beyond max_parts were not scanned */
#define PG_EXTRACT_BAD_MIME 0x08  /* the parser could not make sense of it */
#define PG_EXTRACT_UNREADABLE 0x10 /* an attachment of a kind not read, or broken */
#define PG_EXTRACT_ENCRYPTED 0x20  /* an attachment is encrypted */
#define PG_EXTRACT_DOC_LIMIT 0x40  /* an attachment's reading stopped at a bound,
				     * or its reader crashed or hung */
/* The message was not scanned whole, for a reason a sender can cause on
 * purpose (padding, nesting, a zip bomb): it gets at least on_truncated.
 * An attachment that is merely of a kind not read gets on_unreadable. */
#define PG_EXTRACT_PARTLY \
	(PG_EXTRACT_TRUNCATED | PG_EXTRACT_TOO_DEEP | PG_EXTRACT_TOO_MANY | PG_EXTRACT_DOC_LIMIT)

struct pg_segment {
	char *where; /* "Subject", "part 1.2 text/html", ... */
	char *text;  /* UTF-8, NUL-terminated */
	size_t len;
};

struct pg_extract {
	struct pg_segment *v;
	size_t n, cap;
	size_t text_bytes;
	unsigned parts;
	unsigned flags;   /* PG_EXTRACT_* */
	char *addresses;  /* From/To/Cc/Reply-To addresses, one per line; may be NULL */
};

struct pg_extract_limits {
	size_t max_text_bytes; /* total text kept across segments */
	unsigned max_depth;    /* multipart and message/rfc822 nesting */
	unsigned max_parts;
	struct pg_doc_limits doc;      /* bounds of each attachment's containers */
	struct pg_doc_isolation iso;   /* limits of the attachment reader process */
};

/* Call once, before any thread uses GMime. */
void extract_global_init(void);

void extract_init(struct pg_extract *ex);
void extract_free(struct pg_extract *ex);

/* Parse STREAM as a message and extract its text; never fails, a message
 * GMime cannot parse yields its raw bytes as one segment. */
void extract_stream(GMimeStream *stream, const struct pg_extract_limits *limits,
		    struct pg_extract *out);

/* Add a text segment (used for envelope data and by tests). */
void extract_add(struct pg_extract *ex, const char *where, const char *text, size_t len);

#endif
