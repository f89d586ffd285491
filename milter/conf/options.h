/*
 * options.h - the one table of pupilguard.conf options.
 *
 * Each option is written once: its path ("milter.max_message_bytes"), its
 * type, where it lives in struct pg_conf, its default (as the value would
 * be written in the file), its range or allowed values, and a line of
 * documentation.  conf.c derives everything from it: the defaults, the
 * parsing with its range checks and file:line errors, which keys each group
 * may hold, and what conf_free() releases.  tests/unit/check_options checks
 * conf/pupilguard.conf and pupilguard.conf(5) against it.
 */
#ifndef PG_OPTIONS_H
#define PG_OPTIONS_H

#include <stddef.h>

#include "conf.h"

enum pg_opt_type {
	PG_OPT_INT,       /* int, min..max */
	PG_OPT_UINT,      /* unsigned, min..max */
	PG_OPT_SIZE,      /* size_t, min..max */
	PG_OPT_BOOL,      /* int 0/1 */
	PG_OPT_STRING,    /* char * */
	PG_OPT_PATH,      /* char *, relative to the configuration's folder; "" is none */
	PG_OPT_STRV,      /* char **, NULL-terminated: a string or a list of strings */
	PG_OPT_PATHV,     /* char **, each relative to the configuration's folder */
	PG_OPT_ACTION,    /* enum pg_action, one of the allowed set */
	PG_OPT_ACTIONSET, /* unsigned, a bit per enum pg_action, from a list */
	PG_OPT_ENUM,      /* int, min + the index of the name in names */
	PG_OPT_OCTAL,     /* int, written as an octal string ("007") */
	PG_OPT_CUSTOM,    /* parsed and freed by its own functions in conf.c */
};

struct pg_option {
	const char *path;
	enum pg_opt_type type;
	size_t offset;
	const char *def;          /* default as written in the file; NULL: none */
	long long min, max;       /* numeric range; ENUM: min is the first name's value */
	unsigned allowed;         /* ACTION, ACTIONSET: a bit per enum pg_action */
	const char *const *names; /* ENUM: the values' names, NULL-terminated */
	/* Further check of the value; -1 with *error_r saying why. */
	int (*check)(const void *field, const char **error_r);
	const char *doc;
};

/* The table, in the order of conf/pupilguard.conf. */
const struct pg_option *options_table(size_t *n_r);
/* The option at PATH, or NULL. */
const struct pg_option *options_find(const char *path);
/* Whether PATH is a group that holds options ("milter", "policy.inbound"). */
int options_is_group(const char *path);

#endif
