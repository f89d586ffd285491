/*
 * msgbuf.h - one message's bytes as the milter receives them: headers, then
 * body chunks; in memory up to a limit, then in a private temporary file
 * (mode 0600, unlinked at once so nothing is left behind if we die).  Bytes
 * beyond the hard cap are counted but not kept; the owner learns that the
 * message was cut and applies its oversize policy.
 *
 * It knows nothing of libmilter; msgbuf_stream() hands the bytes to GMime.
 */
#ifndef PG_MSGBUF_H
#define PG_MSGBUF_H

#include <gmime/gmime.h>
#include <stddef.h>

#include "util.h"

struct pg_msgbuf {
	struct pg_buf mem;
	int fd;           /* temp file, -1 while in memory */
	size_t size;      /* bytes kept */
	size_t seen;      /* bytes offered, kept or not */
	size_t mem_limit; /* spill beyond this */
	size_t cap;       /* keep no more than this */
	const char *temp_dir;
};

void msgbuf_init(struct pg_msgbuf *b, size_t mem_limit, size_t cap, const char *temp_dir);
/* Add bytes; -1 with *error_r if the temp file cannot be written. */
int msgbuf_append(struct pg_msgbuf *b, const void *data, size_t len, const char **error_r);
/* Add "Name: value\n". */
int msgbuf_header(struct pg_msgbuf *b, const char *name, const char *value, const char **error_r);
int msgbuf_truncated(const struct pg_msgbuf *b);
/* A new GMime stream over the kept bytes (the caller unrefs it). */
GMimeStream *msgbuf_stream(struct pg_msgbuf *b);
/* Wipe and release everything; the buffer may be initialised again. */
void msgbuf_free(struct pg_msgbuf *b);

#endif
