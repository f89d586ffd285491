/*
 * queue.h - the messages an MTA holds, read and acted on through the
 * MTA's own tools: one interface, one driver per MTA (postfix.c for the
 * hold queue, sendmail.c for the quarantine).
 *
 * pupilguard-hold and the hold service (holdd.h) both go through here, so
 * the review page and the shell act on the two MTAs in the same way.
 * Nothing here runs a shell: the tools are exec'd with argument vectors,
 * and a queue ID is only ever letters and digits (pg_queue_valid_id()).
 */
#ifndef PG_QUEUE_H
#define PG_QUEUE_H

#include <sys/types.h>

#include "util.h"

enum pg_mta_kind { PG_MTA_POSTFIX, PG_MTA_SENDMAIL };

/* Which MTA, and where its tools and queue are.  Strings are borrowed. */
struct pg_mta {
	enum pg_mta_kind kind;
	const char *postfix_dir;    /* postqueue -c DIR; NULL: the default */
	const char *sendmail_queue; /* queue directory (pattern); NULL: from the .cf */
	const char *sendmail_cf;    /* sendmail -C FILE; NULL: the default */
	const char *sendmail_bin;   /* NULL: "sendmail" */
};

/* One held entry as the queue listing gives it. */
struct pg_held {
	char id[65];
	char *sender;  /* NULL if the listing did not say */
	char *rcpts;   /* ", "-joined */
	char *arrival; /* "Sun Dec  6 10:00:00" as the MTA prints it */
};

/* What a driver does; each returns 0 on success, -1 on failure with a
 * message in *error_r (static or pg_errorf()). */
struct pg_queue_driver {
	const char *name;
	ssize_t (*list)(const struct pg_mta *m, struct pg_held **v, const char **error_r);
	int (*read)(const struct pg_mta *m, const char *id, int headers_only,
		    struct pg_buf *out, const char **error_r);
	int (*release)(const struct pg_mta *m, const char *id, const char **error_r);
	int (*remove)(const struct pg_mta *m, const char *id, const char **error_r);
};

extern const struct pg_queue_driver pg_queue_postfix;
extern const struct pg_queue_driver pg_queue_sendmail;

const struct pg_queue_driver *pg_queue_driver(const struct pg_mta *m);

/* "postfix" or "sendmail" into *kind; -1 for anything else. */
int pg_mta_parse(const char *name, enum pg_mta_kind *kind);

/* A queue ID: 1 to 64 letters and digits. */
int pg_queue_valid_id(const char *id);

/* The held entries, oldest first as the MTA lists them; -1 if the queue
 * cannot be read (the MTA is not running). */
ssize_t pg_queue_list(const struct pg_mta *m, struct pg_held **v, const char **error_r);
void pg_held_free(struct pg_held *v, size_t n);

/* 1 if ID is held, 0 if not, -1 if the queue cannot be read. */
int pg_queue_exists(const struct pg_mta *m, const char *id, const char **error_r);

/* The message of held entry ID as RFC 5322 text (headers only if asked). */
int pg_queue_read(const struct pg_mta *m, const char *id, int headers_only,
		  struct pg_buf *out, const char **error_r);

/* Release ID for delivery, or delete it.  ID must be held. */
int pg_queue_release(const struct pg_mta *m, const char *id, const char **error_r);
int pg_queue_delete(const struct pg_mta *m, const char *id, const char **error_r);

/* Value of header NAME in the header block of MSG (it stops at the first
 * empty line), unfolded; NULL if absent.  The caller frees it. */
char *pg_header_value(const char *msg, const char *name);

/* Parse a mailq listing (postqueue -p, sendmail -bp -qQ).  With MARK
 * non-zero, only entries whose ID is followed by MARK count as held (Postfix
 * writes '!'); without, every entry does (the quarantine lists only
 * quarantined mail).  Recipient lines go to the entry above them, and to
 * none when that entry was skipped. */
size_t pg_parse_mailq(char *text, int mark, struct pg_held **out);

/* Run ARGV (no shell, no output limit: a postcat of a large message is
 * large); its standard output in *out (if not NULL). Exit
 * status, or -1 if it could not run or died of a signal. */
int pg_queue_run(char *const argv[], struct pg_buf *out);

#endif
