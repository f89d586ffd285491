/*
 * log.h - one logging entry point for the daemon and the tools.
 *
 * Every line carries the MTA queue ID (or "NOQUEUE").  The logger, not the
 * call site, checks the level.  Callers log rule names and roster keys, never
 * pupils' names or message text: that is the privacy contract of this module's
 * users, and tests search the logs for names to hold them to it.
 */
#ifndef PG_LOG_H
#define PG_LOG_H

#include "util.h"

enum pg_log_level {
	PG_LOG_CRIT = 2,
	PG_LOG_ERR = 3,
	PG_LOG_WARNING = 4,
	PG_LOG_NOTICE = 5,
	PG_LOG_INFO = 6,
	PG_LOG_DEBUG = 7
};

/* Where lines go: stderr (tools, foreground) or syslog (daemon). */
void pg_log_open(const char *ident, int use_syslog, int facility);
void pg_log_set_level(enum pg_log_level level);
int pg_log_level_parse(const char *name, enum pg_log_level *level_r);
int pg_log_facility_parse(const char *name, int *facility_r);
int pg_log_enabled(enum pg_log_level level);
void pg_log(enum pg_log_level level, const char *qid, const char *fmt, ...) PG_PRINTF(3, 4);

#endif
