/*
 * tnef.c - Outlook's winmail.dat (application/ms-tnef), with libytnef:
 * the subject, the body (the compressed RTF body when there is one, as
 * Outlook shows it, else the plain text body), and every attachment inside,
 * each read as a member of a container (a document when it is one, its
 * file name as text).  A TNEF stream libytnef cannot parse is flagged.
 *
 * libytnef parses untrusted input: like every reader here it runs in the
 * isolated child (isolate.c), where a fault is a flagged attachment.
 */
#include <iconv.h>
#include <stdio.h> /* before ytnef.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <ytnef.h>

#include "rtf.h"
#include "tnef.h"
#include "util.h"

#define TNEF_SIGNATURE 0x223e9f78u

int tnef_is(const unsigned char *data, size_t len)
{
	return len >= 4 && ((unsigned)data[0] | (unsigned)data[1] << 8 | (unsigned)data[2] << 16 |
			    (unsigned)data[3] << 24) == TNEF_SIGNATURE;
}

static variableLength *tnef_prop(MAPIProps *p, unsigned type, unsigned id)
{
	variableLength *v = MAPIFindProperty(p, PROP_TAG(type, id));

	return v == MAPI_UNDEFINED || v == NULL || v->data == NULL || v->size <= 0 ? NULL : v;
}

/* A MAPI string (8-bit, or UTF-16LE for PT_UNICODE) as UTF-8, or NULL. */
static char *tnef_string(MAPIProps *p, unsigned id)
{
	variableLength *v = tnef_prop(p, PT_UNICODE, id);
	iconv_t cd;
	char *in, *out, *o;
	size_t left, room;

	if (!v) {
		v = tnef_prop(p, PT_STRING8, id);
		return v ? pg_strndup((const char *)v->data, (size_t)v->size) : NULL;
	}
	if ((cd = iconv_open("UTF-8", "UTF-16LE")) == (iconv_t)-1)
		return NULL;
	in = (char *)v->data;
	left = (size_t)v->size & ~(size_t)1;
	room = 2 * left + 1;
	out = o = pg_malloc(room);
	while (left > 0 && iconv(cd, &in, &left, &o, &room) == (size_t)-1) {
		in += 2; /* an unpaired surrogate: skip it */
		left = left >= 2 ? left - 2 : 0;
	}
	*o = '\0';
	(void)iconv_close(cd);
	return out;
}

static void tnef_body(TNEFStruct *t, const char *where, struct pg_doc *doc)
{
	variableLength *rtf = tnef_prop(&t->MapiProperties, PT_BINARY, PR_RTF_COMPRESSED);
	char *body;

	if (rtf) {
		int size = 0;
		BYTE *plain = DecompressRTF(rtf, &size);

		if (plain && size > 0) {
			rtf_extract(plain, (size_t)size, where, doc);
			free(plain);
			return;
		}
		free(plain);
	}
	if ((body = tnef_string(&t->MapiProperties, PR_BODY)) != NULL) {
		doc_add(doc, where, body, strlen(body));
		free(body);
	} else if (t->body.data && t->body.size > 0)
		doc_add(doc, where, (const char *)t->body.data,
			strnlen((const char *)t->body.data, (size_t)t->body.size));
}

void tnef_extract(const unsigned char *data, size_t len, const char *where, unsigned depth,
		  const struct pg_doc_limits *limits, struct pg_doc *doc)
{
	TNEFStruct t;
	unsigned n = 0;

	if (depth > limits->max_depth) {
		doc_flag(doc, PG_DOC_LIMIT, where, "containers nested beyond the limit");
		return;
	}
	if (len > 0x7fffffff) {
		doc_flag(doc, PG_DOC_LIMIT, where, "TNEF stream too large");
		return;
	}
	memset(&t, 0, sizeof t); /* TNEFInitialize() leaves Debug as it finds it */
	TNEFInitialize(&t);
	t.Debug = 0;
	/* libytnef takes a non-const pointer but only reads through it. */
	if (TNEFParseMemory((BYTE *)data, (long)len, &t) != 0) {
		doc_flag(doc, PG_DOC_UNREADABLE, where, "broken TNEF (winmail.dat)");
		TNEFFree(&t);
		return;
	}
	if (t.subject.data && t.subject.size > 0) {
		char *w = pg_asprintf("%s subject", where);

		doc_add(doc, w, (const char *)t.subject.data,
			strnlen((const char *)t.subject.data, (size_t)t.subject.size));
		free(w);
	}
	tnef_body(&t, where, doc);
	for (Attachment *a = t.starting_attach.next; a; a = a->next) {
		char *name = tnef_string(&a->MAPI, PR_ATTACH_LONG_FILENAME);

		if (!name && a->Title.data && a->Title.size > 0)
			name = pg_strndup((const char *)a->Title.data, (size_t)a->Title.size);
		if (!name)
			name = pg_asprintf("attachment %u", n + 1);
		if (++doc->members > limits->max_members ||
		    (doc->expanded += (size_t)(a->FileData.size > 0 ? a->FileData.size : 0)) >
			    limits->max_bytes) {
			doc_flag(doc, PG_DOC_LIMIT, where, "more in the TNEF stream than the limits");
			free(name);
			break;
		}
		if (a->FileData.data && a->FileData.size > 0)
			doc_member(a->FileData.data, (size_t)a->FileData.size, name, where, depth + 1,
				   limits, doc);
		else
			doc_member((const unsigned char *)"", 0, name, where, depth + 1, limits, doc);
		free(name);
		n++;
	}
	TNEFFree(&t);
}
