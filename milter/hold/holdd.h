/*
 * holdd.h - the hold service: the one narrow path by which the review page
 * (which never runs as root) reads and acts on held mail.
 *
 * `pupilguard-hold serve` runs it as root on a unix socket that only root
 * and the review user can reach (mode 0660, the review user's group, and
 * SO_PEERCRED checked on every connection).  It accepts one request a
 * connection, a line "VERB<TAB>QUEUE-ID<TAB>WHO<TAB>REASON", and knows four
 * verbs: list, read, release, delete.  It acts only on a held message whose
 * X-PupilGuard-Status says pupilguard held it ("hold; ..."), so the socket cannot
 * reach any other mail in the queue; every release and delete is written to
 * syslog and to the decisions record (decision.h).
 *
 * Replies: "ok<TAB>LENGTH\n" and LENGTH bytes, or "err<TAB>CODE<TAB>text\n"
 * with CODE 1 (not a message pupilguard holds), 2 (the MTA failed) or 3
 * (refused: bad request or peer).
 */
#ifndef PG_HOLDD_H
#define PG_HOLDD_H

#include <sys/types.h>

#include "queue.h"
#include "util.h"

#define PG_HOLDD_MAX_REQUEST 2048
#define PG_HOLDD_MAX_REASON 500

struct pg_holdd_conf {
	const char *socket_path;
	const char *decisions_path; /* NULL: decisions go to syslog only */
	uid_t peer_uid;             /* besides root, the one uid let in */
	gid_t socket_gid;
	struct pg_mta mta;
};

/* Serve until SIGTERM or SIGINT; 0 on a clean stop, -1 if the socket
 * cannot be set up (with *error_r). */
int pg_holdd_serve(const struct pg_holdd_conf *c, const char **error_r);

/* One request from a client.  On "ok", 0 and the data in *data; on "err",
 * its CODE (1..3) and the text in *error_r; -1 if the service cannot be
 * reached or spoke nonsense. */
int pg_holdc_call(const char *socket_path, const char *verb, const char *qid,
		  const char *who, const char *reason, struct pg_buf *data,
		  const char **error_r);

#endif
