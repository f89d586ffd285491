/*
 * policy.c - build and reference-count policy snapshots.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "figures.h"
#include "log.h"
#include "norm.h"
#include "notices.h"
#include "policy.h"
#include "validators.h"

static void policy_free(struct pg_policy *p)
{
	conf_free(&p->conf);
	names_free(&p->names);
	figures_free(&p->figures);
	roster_free(&p->roster);
	for (size_t i = 0; i < p->nallow; i++)
		free(p->allow[i]);
	free(p->allow);
	rules_free(&p->rules);
	template_free(&p->tpl_leadership);
	template_free(&p->tpl_sender);
	template_free(&p->tpl_digest);
	free(p->hostname);
	pg_key_wipe(&p->notice_key);
	dict_free(&p->upns);
	free(p->upn_pupil);
	dict_free(&p->dobs);
	free(p->dob_pupil);
	free(p);
}

/* Replace the configured roster or staff files by those named on a command line. */
static void policy_override(struct pg_conf *c, const char *const *rosters,
			    const char *const *staff)
{
	if (rosters != NULL && rosters[0] != NULL) {
		for (size_t i = 0; i < c->nrosters; i++) {
			free(c->rosters[i].file);
			free(c->rosters[i].encoding);
			for (int f = 0; f < PG_COL_COUNT; f++)
				free(c->rosters[i].columns[f]);
		}
		c->nrosters = 0;
		for (size_t i = 0; rosters[i] != NULL; i++)
			conf_add_roster(c, rosters[i]);
	}
	if (staff != NULL && staff[0] != NULL) {
		for (size_t i = 0; i < c->nstaff; i++)
			free(c->staff[i]);
		c->nstaff = 0;
		for (size_t i = 0; staff[i] != NULL; i++)
			conf_add_staff(c, staff[i]);
	}
}

static int policy_key_create; /* set by the daemon: make a missing key file */

void policy_set_key_create(int create)
{
	policy_key_create = create;
}

/* The notice key from its file, or (when it cannot be read or made) one
 * random key for this process: our notices pass back through this same
 * milter, so they still verify until it restarts.  The milter warns once. */
static void policy_notice_key(struct pg_policy *p)
{
	static struct pg_key process_key;
	static gsize done;
	static int warned;
	const struct pg_conf *c = p->conf;
	const char *error = "no notice_key_file";

	if (c->notice_key_file != NULL && *c->notice_key_file != '\0' &&
	    pg_key_load(&p->notice_key, c->notice_key_file, policy_key_create, &error) == 0)
		return;
	if (g_once_init_enter(&done)) {
		if (pg_key_random(&process_key) < 0)
			for (size_t i = 0; i < sizeof(process_key.bytes); i++)
				process_key.bytes[i] = (unsigned char)g_random_int();
		process_key.set = 1;
		g_once_init_leave(&done, 1);
	}
	p->notice_key = process_key;
	if (policy_key_create && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		pg_log(PG_LOG_WARNING, NULL, "notice key: %s; using a random key for this process "
		       "(notices spooled before a restart will be scanned)", error);
}

/* Templates from the configured files, or the built-in wording. */
static int policy_templates(struct pg_policy *p, struct pg_diag *diag)
{
	const struct pg_conf *c = p->conf;
	int rc = 0;

	rc |= c->notify_template ? template_load(&p->tpl_leadership, c->notify_template, diag)
				 : template_parse(&p->tpl_leadership, "built-in leadership template",
						  conf_notice_leadership, diag);
	rc |= c->notify_sender_template
		      ? template_load(&p->tpl_sender, c->notify_sender_template, diag)
		      : template_parse(&p->tpl_sender, "built-in sender template",
				       conf_notice_sender, diag);
	rc |= c->notify_digest_template
		      ? template_load(&p->tpl_digest, c->notify_digest_template, diag)
		      : template_parse(&p->tpl_digest, "built-in digest template",
				       conf_notice_digest, diag);
	return rc;
}

/* UPN -> pupil, so that a pupil's own UPN found in a message names them. */
static void policy_index_upns(struct pg_policy *p)
{
	p->upns = dict_new();
	p->upn_pupil = pg_calloc(p->roster.npupils + 1, sizeof(*p->upn_pupil));
	for (size_t i = 0; i < p->roster.npupils; i++) {
		char key[32];
		const char *upn = p->roster.pupils[i].key;
		size_t n = strlen(upn);
		uint32_t id;

		if (n != 13)
			continue;
		for (size_t k = 0; k < n; k++)
			key[k] = (char)((upn[k] >= 'a' && upn[k] <= 'z') ? upn[k] - 32 : upn[k]);
		id = dict_intern(p->upns, key, n);
		if (id < p->roster.npupils + 1)
			p->upn_pupil[id] = (uint32_t)i;
	}
}

/* The key of the date S in the date-of-birth index ("YYYYMMDD"), its
 * length; 0 if S is not a date. */
static size_t policy_dob_key(const char *s, size_t n, char key[16])
{
	int y, m, d;

	if (!validators_date_parse(s, n, &y, &m, &d))
		return 0;
	return (size_t)snprintf(key, 16, "%04d%02d%02d", y, m, d);
}

/* Date of birth -> pupil, so that a pupil's own date of birth found in a
 * message names them (or, shared by several, names none of them). */
static void policy_index_dobs(struct pg_policy *p)
{
	p->dobs = dict_new();
	p->dob_pupil = pg_calloc(p->roster.npupils + 1, sizeof(*p->dob_pupil));
	for (size_t i = 0; i < p->roster.npupils; i++) {
		const char *dob = p->roster.pupils[i].dob;
		char key[16];
		size_t n;
		uint32_t id, before;

		if (dob == NULL || (n = policy_dob_key(dob, strlen(dob), key)) == 0)
			continue;
		before = dict_lookup(p->dobs, key, n);
		id = dict_intern(p->dobs, key, n);
		if (id < p->roster.npupils + 1)
			p->dob_pupil[id] = before == PG_DICT_NONE ? (uint32_t)i : PG_POLICY_SHARED;
	}
}

uint32_t policy_dob_pupil(const struct pg_policy *p, const char *s, size_t n)
{
	char key[16];
	size_t len = policy_dob_key(s, n, key);
	uint32_t id = len > 0 ? dict_lookup(p->dobs, key, len) : PG_DICT_NONE;

	return id == PG_DICT_NONE ? PG_NAMES_NONE : p->dob_pupil[id];
}

/* A roster readable by every local user is a leak waiting to happen. */
static int policy_check_mode(const struct pg_conf *c, const char *path, struct pg_diag *diag)
{
	struct stat st;

	if (c->roster_mode_check == PG_MODE_ALLOW || stat(path, &st) < 0 ||
	    !(st.st_mode & S_IROTH))
		return 0;
	if (c->roster_mode_check == PG_MODE_REFUSE) {
		pg_diag_add(diag, PG_DIAG_ERROR,
			    "%s: readable by every user (mode %03o); refused (chmod o-r, or set "
			    "world_readable_rosters)", path, (unsigned)(st.st_mode & 0777));
		return -1;
	}
	pg_diag_add(diag, PG_DIAG_WARNING,
		    "%s: readable by every user (mode %03o): pupils' data should not be; "
		    "chmod o-r", path, (unsigned)(st.st_mode & 0777));
	return 0;
}

struct pg_policy *policy_load(const char *path, const char *const *rosters,
			      const char *const *staff, struct pg_diag *diag)
{
	struct pg_policy *p;
	struct pg_conf *c = path ? conf_load(path, diag) : conf_defaults();
	struct pg_names_opts nopts;
	int failed = 0;

	if (c == NULL)
		return NULL;
	policy_override(c, rosters, staff);
	p = pg_calloc(1, sizeof(*p));
	p->refs = 1;
	p->conf = c;
	roster_init(&p->roster);
	rules_init(&p->rules);
	for (size_t i = 0; c->rules != NULL && c->rules[i] != NULL; i++)
		if (rules_load(&p->rules, c->rules[i], c->rules_jit, diag) < 0)
			failed = 1;
	if (c->nrosters == 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: no roster configured (set rosters)",
			    path ? path : "command line");
		failed = 1;
	}
	for (size_t i = 0; i < c->nrosters; i++)
		if (policy_check_mode(c, c->rosters[i].file, diag) < 0 ||
		    roster_load(&p->roster, c->rosters[i].file, &c->rosters[i].opts, diag) < 0)
			failed = 1;
	for (size_t i = 0; i < c->nstaff; i++)
		if (policy_check_mode(c, c->staff[i], diag) < 0 ||
		    roster_load_staff(&p->roster, c->staff[i], c->staff_encoding, diag) < 0)
			failed = 1;
	if (failed) {
		policy_free(p);
		return NULL;
	}
	memset(&nopts, 0, sizeof(nopts));
	nopts.determiners = (const char *const *)c->determiners;
	nopts.place_nouns = (const char *const *)c->place_nouns;
	nopts.titles = (const char *const *)c->titles;
	nopts.locatives = (const char *const *)c->locatives;
	nopts.common_words = (const char *const *)c->common_words;
	nopts.everyday_words = (const char *const *)c->everyday_words;
	nopts.partial_names = c->partial_names;
	p->names = names_build(&p->roster, &nopts);
	for (size_t i = 0; c->allow_phrases != NULL && c->allow_phrases[i] != NULL; i++) {
		char *folded = norm_fold_phrase(c->allow_phrases[i], strlen(c->allow_phrases[i]));

		if (*folded == '\0') {
			free(folded);
			continue;
		}
		p->allow = pg_reallocarray(p->allow, p->nallow + 2, sizeof(*p->allow));
		p->allow[p->nallow++] = folded;
		p->allow[p->nallow] = NULL;
	}
	if (c->public_figures != NULL &&
	    (p->figures = figures_load(c->public_figures, diag)) == NULL) {
		policy_free(p);
		return NULL;
	}
	policy_index_upns(p);
	policy_index_dobs(p);
	if (policy_templates(p, diag) < 0) {
		policy_free(p);
		return NULL;
	}
	if (c->notification_secret != NULL)
		pg_diag_add(diag, PG_DIAG_WARNING, "%s: exemptions.notification_secret is deprecated, "
			    "ignored: notices carry a per-notice mark (notice_key_file)",
			    path ? path : "command line");
	policy_notice_key(p);
	if (c->notify_hostname != NULL && *c->notify_hostname != '\0') {
		p->hostname = pg_strdup(c->notify_hostname);
	} else {
		char host[256];

		p->hostname = pg_strdup(gethostname(host, sizeof(host)) == 0 ? host : "localhost");
	}
	{
		time_t now = time(NULL);
		struct tm tm;

		p->this_year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2026;
	}
	p->limits.max_text_bytes = c->max_text_bytes;
	p->limits.max_depth = c->max_mime_depth;
	p->limits.max_parts = c->max_mime_parts;
	p->limits.doc = (struct pg_doc_limits){ .max_depth = c->doc_max_depth,
						.max_members = c->doc_max_members,
						.max_bytes = c->doc_max_bytes,
						.max_ratio = c->doc_max_ratio };
	p->limits.iso = (struct pg_doc_isolation){ .cpu_seconds = c->doc_cpu_seconds,
						   .memory_bytes = c->doc_memory,
						   .timeout_ms = c->doc_timeout_ms };
	return p;
}

struct pg_policy *policy_ref(struct pg_policy *p)
{
	__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

void policy_unref(struct pg_policy **pp)
{
	struct pg_policy *p = *pp;

	if (p == NULL)
		return;
	*pp = NULL;
	if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
		policy_free(p);
}
