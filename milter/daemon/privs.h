#ifndef PG_PRIVS_H
#define PG_PRIVS_H
/*
 * privs.h - who the milter runs as: the refusal to run as root, the unix
 * socket's group and mode (set after binding, before the drop), the drop
 * to milter.user/milter.group, and the -n check that the directories the
 * daemon writes are usable by the user it will run as.
 */
#include <sys/types.h>

#include "conf.h"

struct pg_privs {
	int drop;          /* change user/group after binding (running as root) */
	uid_t uid;         /* the user the daemon runs as */
	gid_t gid;
	char *user;        /* that user's name (initgroups), NULL: keep groups */
	char *sock_path;   /* the unix socket's path; NULL for inet */
	int sock_chgrp;    /* whether to chown the socket to sock_gid */
	gid_t sock_gid;
	int sock_mode;     /* chmod after binding; -1: leave libmilter's */
};

/* Decide who the daemon runs as for CONF listening on SOCKET_SPEC; -1 with
 * *ERROR_R when it cannot: an unknown user or group, a change of user
 * without root, or root without milter.user, milter.allow_root or -R
 * (ALLOW_ROOT).  Owns nothing of CONF; free with privs_free(). */
int privs_resolve(const struct pg_conf *conf, const char *socket_spec, int allow_root,
		  struct pg_privs *p_r, const char **error_r);
void privs_free(struct pg_privs *p);

/* Give the bound unix socket its group and mode (no-op for inet). */
int privs_socket(const struct pg_privs *p, const char **error_r);

/* Become the user and group of P, for good (no-op when P->drop is 0). */
int privs_drop(const struct pg_privs *p, const char **error_r);

/* pupilguard-milter -n: add to DIAG, as CONFIG_PATH:LINE, every reason the
 * daemon would fail as the user it runs as: root refused, the socket's
 * directory or group (SOCKET_OVERRIDE is -p's, or NULL), temp_dir, the
 * notification spool (checked in a child that drops privileges first); 0
 * if none is an error. */
int privs_check(const char *config_path, const struct pg_conf *conf,
		const char *socket_override, int allow_root, struct pg_diag *diag);

#endif
