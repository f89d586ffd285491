/*
 * policy.h - one immutable, reference-counted snapshot of everything a scan
 * needs: the configuration, the loaded rosters and their compiled name index.
 *
 * A snapshot is built whole off to the side and never changed afterwards, so
 * any number of threads may scan with it; a reload builds a new one and
 * swaps it in, and each message keeps the snapshot it started with.
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include "conf.h"
#include "dict.h"
#include "extract.h"
#include "hmac.h"
#include "names.h"
#include "roster.h"
#include "rules.h"
#include "template.h"

/* In dob_pupil: a date of birth that several pupils share. */
#define PG_POLICY_SHARED (UINT32_MAX - 1)

struct pg_figures;

struct pg_policy {
	int refs; /* atomic */
	struct pg_conf *conf;
	struct pg_roster roster;
	struct pg_names *names;
	struct pg_extract_limits limits;
	char **allow; /* folded allowlist phrases, NULL-terminated */
	struct pg_figures *figures; /* names.public_figures, or NULL */
	size_t nallow;
	struct pg_rules rules;
	struct pg_dict *upns;  /* upper-case UPN -> index into upn_pupil */
	uint32_t *upn_pupil;
	struct pg_dict *dobs;  /* date of birth "YYYYMMDD" -> index into dob_pupil */
	uint32_t *dob_pupil;   /* the pupil, or PG_POLICY_SHARED */
	int this_year;         /* for telling dates of birth from event dates */
	struct pg_template tpl_leadership, tpl_sender, tpl_digest;
	struct pg_key notice_key; /* marks our notices (noticemac.h): file or per process */
	char *hostname;
};

/* Build from the configuration file PATH (NULL: built-in defaults), with
 * ROSTERS and STAFF (NULL-terminated, may be NULL) replacing the configured
 * ones when given.  NULL with every problem in DIAG if it is unusable. */
struct pg_policy *policy_load(const char *path, const char *const *rosters,
			      const char *const *staff, struct pg_diag *diag);
/* The pupil whose roster date of birth the date S (any form
 * validators_date_parse() reads) is, PG_POLICY_SHARED if several pupils
 * were born that day, or PG_NAMES_NONE. */
uint32_t policy_dob_pupil(const struct pg_policy *p, const char *s, size_t n);
/* Whether policy_load() makes a missing notice key file (the daemon: 1),
 * and warns when it falls back to a per-process key. */
void policy_set_key_create(int create);
struct pg_policy *policy_ref(struct pg_policy *p);
void policy_unref(struct pg_policy **p);

#endif
