/*
 * spool.h - notifications waiting to be delivered, one file each.
 *
 * A file is written under DIR/tmp, flushed to disk, then renamed into
 * DIR/new, so a crash leaves either a whole file in new/ or a stray file in
 * tmp/ that spool_open() removes; never half a notification.  Files are
 * 0600: they may name the subject of a held message.  Each file starts with
 * a few "X-PG-" lines (envelope, attempts, next try, kind, a one-line summary
 * for digests), a blank line, then the RFC 5322 message.  Expired files move
 * to DIR/failed for the administrator.
 */
#ifndef PG_SPOOL_H
#define PG_SPOOL_H

#include <stddef.h>
#include <time.h>

#include "util.h"

enum pg_spool_kind { PG_SPOOL_NOTICE, PG_SPOOL_DIGEST_ITEM };

struct pg_spool_meta {
	char *from;
	char *to;
	unsigned attempts;
	time_t next;     /* not before */
	time_t created;
	enum pg_spool_kind kind;
	char *summary;   /* one line, no names */
};

/* Create DIR, DIR/tmp, DIR/new, DIR/failed (0700) where missing. */
int spool_create(const char *dir, const char **error_r);
/* spool_create(), then clear DIR/tmp: at start-up only, when nothing else
 * is writing there. */
int spool_open(const char *dir, const char **error_r);
/* Write a new entry atomically; its name in *name_r (caller frees). */
int spool_write(const char *dir, const struct pg_spool_meta *meta, const char *msg, size_t len,
		char **name_r, const char **error_r);
/* Names of the entries in DIR/new, oldest first; NULL-terminated. */
char **spool_list(const char *dir);
void spool_list_free(char **names);
/* Read an entry; the message part in *msg_r (caller frees). */
int spool_read(const char *dir, const char *name, struct pg_spool_meta *meta, char **msg_r,
	       size_t *len_r);
/* Rewrite an entry's meta lines (atomically, keeping the message). */
int spool_update(const char *dir, const char *name, const struct pg_spool_meta *meta);
int spool_remove(const char *dir, const char *name);
int spool_fail(const char *dir, const char *name);
void spool_meta_free(struct pg_spool_meta *meta);

#endif
