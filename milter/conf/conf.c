/*
 * conf.c - libconfig parsing, range checks and defaults for pupilguard.conf.
 */
#include "config.h"

#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iconv.h>

#include "conf.h"
#include "cidr.h"
#include "log.h"

static const char *const direction_names[PG_DIR_COUNT] = {
	"inbound", "outbound", "internal", "newsletter",
};

static const char *const action_names[] = {
	"none", "tag", "hold", "reject", "tempfail", "accept",
};

int conf_notifies(const struct pg_conf *conf)
{
	return conf->notify_leadership != NULL || conf->notify_sender;
}

const char *conf_direction_name(enum pg_direction d)
{
	return direction_names[d];
}

int conf_direction_parse(const char *name, enum pg_direction *d_r)
{
	for (int i = 0; i < PG_DIR_COUNT; i++) {
		if (strcasecmp(name, direction_names[i]) == 0) {
			*d_r = (enum pg_direction)i;
			return 0;
		}
	}
	return -1;
}

const char *conf_action_name(enum pg_action a)
{
	return action_names[a];
}

int conf_action_parse(const char *name, enum pg_action *a_r)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(action_names); i++) {
		if (strcasecmp(name, action_names[i]) == 0) {
			*a_r = (enum pg_action)i;
			return 0;
		}
	}
	return -1;
}

int conf_audit(const struct pg_conf *c, enum pg_direction d)
{
	int m = c->dir[d].mode == PG_MODE_INHERIT ? c->mode : c->dir[d].mode;

	return m == PG_MODE_AUDIT;
}

struct pg_conf *conf_defaults(void)
{
	struct pg_conf *c = pg_calloc(1, sizeof(*c));

	c->score_name = 10;
	c->score_partial = 3;
	c->protected_multiplier = 3;
	c->partial_names = 1;
	c->rules_jit = 1;
	c->roster_mode_check = PG_MODE_WARN;
	c->dir[PG_DIR_INBOUND] = (struct pg_dir_policy){ .tag = 10, .mode = PG_MODE_INHERIT };
	c->dir[PG_DIR_OUTBOUND] = (struct pg_dir_policy){ .tag = 10, .hold = 20,
							  .mode = PG_MODE_INHERIT };
	c->dir[PG_DIR_INTERNAL] = (struct pg_dir_policy){ .mode = PG_MODE_INHERIT };
	c->dir[PG_DIR_NEWSLETTER] = (struct pg_dir_policy){ .hold = 10, .mode = PG_MODE_INHERIT };
	c->max_text_bytes = 32u * 1024 * 1024;
	c->max_mime_depth = 40;
	c->max_mime_parts = 2000;
	c->on_truncated = PG_ACTION_TAG;
	c->socket = pg_strdup("inet:8895@127.0.0.1");
	c->umask = 007;
	c->syslog_facility = pg_strdup("mail");
	c->log_level = pg_strdup("info");
	c->temp_dir = pg_strdup("/tmp");
	c->memory_buffer_bytes = 1024u * 1024;
	c->max_message_bytes = 50u * 1024 * 1024;
	c->milter_timeout = 300;
	c->on_error = PG_ACTION_TEMPFAIL;
	c->on_oversize = PG_ACTION_TAG;
	c->newsletter_min_recipients = 25;
	c->reject_reply = pg_strdup("550 5.7.1 Message refused: it appears to contain pupils' "
				    "personal data. Please contact the school office.");
	c->quarantine_reason = pg_strdup("pupilguard");
	c->add_status_header = 1;
	c->notify_on = 1u << PG_ACTION_HOLD;
	c->notify_from = pg_strdup("pupilguard@localhost");
	c->notify_relay = pg_strdup("127.0.0.1:25");
	c->notify_spool_dir = pg_strdup("/var/spool/pupilguard");
	c->notify_retry_min = 60;
	c->notify_retry_max = 3600;
	c->notify_expire = 5 * 86400;
	c->notify_rate_limit = 10;
	c->notify_rate_period = 3600;
	c->hold_tool = pg_strdup("pupilguard-hold");
	{
		static const char *const nets[] = { "127.0.0.0/8", "::1/128", NULL };

		c->trusted_networks = pg_calloc(3, sizeof(char *));
		for (size_t i = 0; nets[i] != NULL; i++)
			c->trusted_networks[i] = pg_strdup(nets[i]);
	}
	return c;
}

static void conf_strv_free(char ***v)
{
	if (*v == NULL)
		return;
	for (size_t i = 0; (*v)[i] != NULL; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
}

void conf_free(struct pg_conf **cp)
{
	struct pg_conf *c = *cp;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nrosters; i++) {
		free(c->rosters[i].file);
		free(c->rosters[i].encoding);
		free(c->rosters[i].protected_flag);
		for (int f = 0; f < PG_COL_COUNT; f++)
			free(c->rosters[i].columns[f]);
	}
	free(c->rosters);
	for (size_t i = 0; i < c->nstaff; i++)
		free(c->staff[i]);
	free(c->staff);
	free(c->staff_encoding);
	conf_strv_free(&c->determiners);
	conf_strv_free(&c->place_nouns);
	conf_strv_free(&c->titles);
	conf_strv_free(&c->locatives);
	conf_strv_free(&c->common_words);
	conf_strv_free(&c->allow_phrases);
	conf_strv_free(&c->rules);
	for (int d = 0; d < PG_DIR_COUNT; d++)
		free(c->dir[d].subject_prefix);
	free(c->socket);
	free(c->pid_file);
	free(c->user);
	free(c->group);
	free(c->syslog_facility);
	free(c->log_level);
	free(c->temp_dir);
	conf_strv_free(&c->local_domains);
	conf_strv_free(&c->trusted_networks);
	conf_strv_free(&c->newsletter_senders);
	conf_strv_free(&c->allowed_recipients);
	conf_strv_free(&c->allowed_senders);
	free(c->notification_secret);
	conf_strv_free(&c->notify_leadership);
	free(c->notify_from);
	free(c->notify_relay);
	free(c->notify_sendmail);
	free(c->notify_spool_dir);
	free(c->notify_template);
	free(c->notify_sender_template);
	free(c->notify_digest_template);
	free(c->notify_hostname);
	free(c->hold_tool);
	free(c->reject_reply);
	free(c->quarantine_reason);
	free(c->path);
	free(c);
	*cp = NULL;
}

static struct pg_conf_roster *conf_new_roster(struct pg_conf *c, const char *file)
{
	struct pg_conf_roster *r;

	c->rosters = pg_reallocarray(c->rosters, c->nrosters + 1, sizeof(*c->rosters));
	r = &c->rosters[c->nrosters++];
	memset(r, 0, sizeof(*r));
	r->file = pg_path_relative_to(c->path, file);
	return r;
}

void conf_add_roster(struct pg_conf *c, const char *file)
{
	struct pg_conf_roster *r;

	c->rosters = pg_reallocarray(c->rosters, c->nrosters + 1, sizeof(*c->rosters));
	r = &c->rosters[c->nrosters++];
	memset(r, 0, sizeof(*r));
	r->file = pg_strdup(file);
}

void conf_add_staff(struct pg_conf *c, const char *file)
{
	c->staff = pg_reallocarray(c->staff, c->nstaff + 1, sizeof(*c->staff));
	c->staff[c->nstaff++] = pg_strdup(file);
}

/* Parsing context: the file, for "file:line" messages. */
struct ctx {
	const char *file;
	struct pg_diag *diag;
};

static unsigned conf_line(const config_setting_t *s)
{
	return (unsigned)config_setting_source_line(s);
}

static void conf_error(struct ctx *x, const config_setting_t *s, const char *fmt, ...)
	PG_PRINTF(3, 4);

/* Report a problem at the line of setting S. */
static void conf_error(struct ctx *x, const config_setting_t *s, const char *fmt, ...)
{
	struct pg_buf b;
	va_list ap;

	pg_buf_init(&b, 80);
	va_start(ap, fmt);
	pg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pg_diag_add(x->diag, PG_DIAG_ERROR, "%s:%u: %s", x->file, conf_line(s), b.data);
	pg_buf_free(&b, 0);
}

/* Every child name of GROUP must be one of NAMES. */
static void conf_check_keys(struct ctx *x, const config_setting_t *group,
			    const char *const *names)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		int known = 0;

		for (size_t k = 0; names[k] != NULL && !known; k++)
			known = name != NULL && strcmp(name, names[k]) == 0;
		if (!known)
			conf_error(x, s, "unknown option %s", name ? name : "(unnamed)");
	}
}

static int conf_int(struct ctx *x, const config_setting_t *group, const char *name, int min,
		    int max, int *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	int v;

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_INT) {
		conf_error(x, s, "%s must be a whole number", name);
		return -1;
	}
	v = config_setting_get_int(s);
	if (v < min || v > max) {
		char range[64];

		(void)snprintf(range, sizeof(range), " must be between %d and %d", min, max);
		conf_error(x, s, "%s%s", name, range);
		return -1;
	}
	*out = v;
	return 0;
}

static int conf_bool(struct ctx *x, const config_setting_t *group, const char *name, int *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		conf_error(x, s, "%s must be true or false", name);
		return -1;
	}
	*out = config_setting_get_bool(s);
	return 0;
}

static int conf_string(struct ctx *x, const config_setting_t *group, const char *name, char **out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		conf_error(x, s, "%s must be a string in double quotes", name);
		return -1;
	}
	free(*out);
	*out = pg_strdup(config_setting_get_string(s));
	return 0;
}

/* A string or a list/array of strings, as a NULL-terminated vector. */
static int conf_strv(struct ctx *x, const config_setting_t *group, const char *name, char ***out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	char **v;
	int n;

	if (s == NULL)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		v = pg_calloc(2, sizeof(*v));
		v[0] = pg_strdup(config_setting_get_string(s));
	} else if (config_setting_is_aggregate(s)) {
		n = config_setting_length(s);
		v = pg_calloc((size_t)n + 1, sizeof(*v));
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				conf_error(x, e, "%s must list strings only", name);
				for (int k = 0; k < i; k++)
					free(v[k]);
				free(v);
				return -1;
			}
			v[i] = pg_strdup(config_setting_get_string(e));
		}
	} else {
		conf_error(x, s, "%s must be a string or a list of strings", name);
		return -1;
	}
	conf_strv_free(out);
	*out = v;
	return 0;
}

static const char *const roster_keys[] = { "file", "encoding", "columns", "protected_flag",
					   NULL };

static void conf_roster_group(struct ctx *x, struct pg_conf *c, const config_setting_t *g)
{
	const config_setting_t *cols;
	char *file = NULL;
	struct pg_conf_roster *r;

	conf_check_keys(x, g, roster_keys);
	if (conf_string(x, g, "file", &file) < 0 || file == NULL) {
		if (file == NULL)
			conf_error(x, g, "a roster entry needs a file");
		free(file);
		return;
	}
	r = conf_new_roster(c, file);
	free(file);
	(void)conf_string(x, g, "encoding", &r->encoding);
	r->opts.encoding = r->encoding;
	if (r->encoding != NULL && strcasecmp(r->encoding, "auto") != 0) {
		iconv_t cd = iconv_open("UTF-8", r->encoding);

		if (cd == (iconv_t)-1)
			conf_error(x, config_setting_get_member(g, "encoding"),
				   "unknown encoding '%s'", r->encoding);
		else
			(void)iconv_close(cd);
	}
	(void)conf_string(x, g, "protected_flag", &r->protected_flag);
	r->opts.flag_protected = r->protected_flag;
	cols = config_setting_get_member(g, "columns");
	if (cols != NULL && config_setting_is_group(cols)) {
		int n = config_setting_length(cols);

		for (int i = 0; i < n; i++) {
			const config_setting_t *s = config_setting_get_elem(cols, (unsigned)i);
			enum pg_roster_field f;

			if (schema_field_parse(config_setting_name(s), &f) < 0) {
				conf_error(x, s, "unknown roster column %s",
					   config_setting_name(s));
				continue;
			}
			if (config_setting_type(s) != CONFIG_TYPE_STRING) {
				conf_error(x, s, "a roster column must name a header");
				continue;
			}
			r->columns[f] = pg_strdup(config_setting_get_string(s));
			r->opts.columns[f] = r->columns[f];
		}
	} else if (cols != NULL) {
		conf_error(x, cols, "columns must be a group { forename = \"...\"; }");
	}
}

static void conf_rosters(struct ctx *x, struct pg_conf *c, const config_setting_t *root)
{
	const config_setting_t *s = config_setting_get_member(root, "rosters");
	int n;

	if (s == NULL)
		return;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		(void)conf_new_roster(c, config_setting_get_string(s));
		return;
	}
	if (!config_setting_is_aggregate(s)) {
		conf_error(x, s, "rosters must be a list of files or groups");
		return;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) == CONFIG_TYPE_STRING)
			(void)conf_new_roster(c, config_setting_get_string(e));
		else if (config_setting_is_group(e))
			conf_roster_group(x, c, e);
		else
			conf_error(x, e, "a roster is a file name or a group { file = ...; }");
	}
}

static const char *const policy_keys[] = { "inbound", "outbound", "internal",
					  "newsletter", NULL };
static const char *const dir_keys[] = { "tag", "hold", "reject", "subject_prefix", "mode",
					NULL };

/* "enforce" or "audit" into *OUT; unset leaves *OUT as it is. */
static void conf_mode(struct ctx *x, const config_setting_t *g, int *out)
{
	char *s = NULL;

	if (conf_string(x, g, "mode", &s) < 0 || s == NULL)
		return;
	if (strcasecmp(s, "enforce") == 0)
		*out = PG_MODE_ENFORCE;
	else if (strcasecmp(s, "audit") == 0)
		*out = PG_MODE_AUDIT;
	else
		conf_error(x, config_setting_get_member(g, "mode"),
			   "mode must be \"enforce\" or \"audit\", not '%s'", s);
	free(s);
}

static void conf_policy(struct ctx *x, struct pg_conf *c, const config_setting_t *root)
{
	const config_setting_t *pol = config_setting_get_member(root, "policy");

	if (pol == NULL)
		return;
	if (!config_setting_is_group(pol)) {
		conf_error(x, pol, "policy must be a group");
		return;
	}
	conf_check_keys(x, pol, policy_keys);
	for (int d = 0; d < PG_DIR_COUNT; d++) {
		const config_setting_t *g = config_setting_get_member(pol, direction_names[d]);
		struct pg_dir_policy *p = &c->dir[d];

		if (g == NULL)
			continue;
		if (!config_setting_is_group(g)) {
			conf_error(x, g, "%s must be a group", direction_names[d]);
			continue;
		}
		conf_check_keys(x, g, dir_keys);
		(void)conf_int(x, g, "tag", 0, 1000000, &p->tag);
		(void)conf_int(x, g, "hold", 0, 1000000, &p->hold);
		(void)conf_int(x, g, "reject", 0, 1000000, &p->reject);
		(void)conf_string(x, g, "subject_prefix", &p->subject_prefix);
		conf_mode(x, g, &p->mode);
	}
}

static const char *const names_keys[] = { "partial_names", "determiners", "place_nouns",
					  "titles", "locatives", "common_words",
					  "allow_phrases", NULL };
static const char *const scores_keys[] = { "name", "partial_name", "protected_multiplier",
					   NULL };
static const char *const limits_keys[] = { "max_text_bytes", "max_mime_depth",
					   "max_mime_parts", "on_truncated", NULL };
static const char *const top_keys[] = { "rosters", "staff", "staff_encoding", "world_readable_rosters",
					 "rules", "rules_jit", "scores",
					 "names", "policy", "limits", "milter", "directions",
					 "exemptions", "actions", "notify", NULL };
static const char *const notify_keys[] = { "leadership", "on", "notify_sender", "from", "relay",
					   "sendmail_path", "spool_dir", "retry_min", "retry_max",
					   "expire", "rate_limit", "rate_period", "template",
					   "sender_template", "digest_template", "hostname",
					   "hold_tool", NULL };
static const char *const milter_keys[] = { "socket", "pid_file", "user", "group", "umask",
					   "syslog_facility", "log_level", "temp_dir",
					   "memory_buffer_bytes", "max_message_bytes", "timeout",
					   "on_error", "on_oversize", "mode", NULL };
static const char *const directions_keys[] = { "local_domains", "trusted_networks",
					       "newsletter_senders",
					       "newsletter_min_recipients", NULL };
static const char *const exemptions_keys[] = { "allowed_recipients", "allowed_senders",
					       "notification_secret", NULL };
static const char *const actions_keys[] = { "reject_reply", "quarantine_reason",
					    "add_status_header", NULL };

/* An action option restricted to the values in ALLOWED (a bit per enum value). */
static void conf_action(struct ctx *x, const config_setting_t *g, const char *name,
			unsigned allowed, enum pg_action *out)
{
	char *s = NULL;
	enum pg_action a;

	if (conf_string(x, g, name, &s) < 0 || s == NULL)
		return;
	if (conf_action_parse(s, &a) < 0 || !(allowed & (1u << a)))
		conf_error(x, config_setting_get_member(g, name), "%s: '%s' is not allowed here",
			   name, s);
	else
		*out = a;
	free(s);
}

#define ACT(a) (1u << PG_ACTION_##a)

static void conf_milter(struct ctx *x, struct pg_conf *c, const config_setting_t *g)
{
	int v;
	char *mask = NULL;

	conf_check_keys(x, g, milter_keys);
	(void)conf_string(x, g, "socket", &c->socket);
	(void)conf_string(x, g, "pid_file", &c->pid_file);
	(void)conf_string(x, g, "user", &c->user);
	(void)conf_string(x, g, "group", &c->group);
	if (conf_string(x, g, "umask", &mask) == 0 && mask != NULL) {
		char *end;
		long m = strtol(mask, &end, 8);

		if (*mask == '\0' || *end != '\0' || m < 0 || m > 0777)
			conf_error(x, config_setting_get_member(g, "umask"),
				   "umask must be an octal string such as \"007\"");
		else
			c->umask = (int)m;
		free(mask);
	}
	(void)conf_string(x, g, "syslog_facility", &c->syslog_facility);
	(void)conf_string(x, g, "log_level", &c->log_level);
	(void)conf_string(x, g, "temp_dir", &c->temp_dir);
	v = (int)c->memory_buffer_bytes;
	if (conf_int(x, g, "memory_buffer_bytes", 0, 1024 * 1024 * 1024, &v) == 0)
		c->memory_buffer_bytes = (size_t)v;
	v = (int)c->max_message_bytes;
	if (conf_int(x, g, "max_message_bytes", 1024, 2047 * 1024 * 1024, &v) == 0)
		c->max_message_bytes = (size_t)v;
	(void)conf_int(x, g, "timeout", 10, 3600, &c->milter_timeout);
	conf_action(x, g, "on_error", ACT(TEMPFAIL) | ACT(ACCEPT), &c->on_error);
	conf_action(x, g, "on_oversize", ACT(ACCEPT) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) |
		    ACT(TEMPFAIL), &c->on_oversize);
	conf_mode(x, g, &c->mode);
}

/* A template file name, resolved against the configuration's folder. */
static void conf_path(struct ctx *x, struct pg_conf *c, const config_setting_t *g,
		      const char *name, char **out)
{
	char *s = NULL;

	if (conf_string(x, g, name, &s) == 0 && s != NULL) {
		free(*out);
		*out = *s ? pg_path_relative_to(c->path, s) : NULL;
		free(s);
	}
}

static void conf_notify(struct ctx *x, struct pg_conf *c, const config_setting_t *g)
{
	char **on = NULL;

	conf_check_keys(x, g, notify_keys);
	(void)conf_strv(x, g, "leadership", &c->notify_leadership);
	if (conf_strv(x, g, "on", &on) == 0 && on != NULL) {
		c->notify_on = 0;
		for (size_t i = 0; on[i] != NULL; i++) {
			enum pg_action a;

			if (conf_action_parse(on[i], &a) < 0 ||
			    !(a == PG_ACTION_HOLD || a == PG_ACTION_TAG || a == PG_ACTION_REJECT))
				conf_error(x, config_setting_get_member(g, "on"),
					   "notify.on lists hold, tag or reject, not '%s'", on[i]);
			else
				c->notify_on |= 1u << a;
		}
		conf_strv_free(&on);
	}
	(void)conf_bool(x, g, "notify_sender", &c->notify_sender);
	(void)conf_string(x, g, "from", &c->notify_from);
	(void)conf_string(x, g, "relay", &c->notify_relay);
	(void)conf_string(x, g, "sendmail_path", &c->notify_sendmail);
	(void)conf_string(x, g, "spool_dir", &c->notify_spool_dir);
	(void)conf_int(x, g, "retry_min", 1, 86400, &c->notify_retry_min);
	(void)conf_int(x, g, "retry_max", 1, 7 * 86400, &c->notify_retry_max);
	(void)conf_int(x, g, "expire", 60, 365 * 86400, &c->notify_expire);
	(void)conf_int(x, g, "rate_limit", 0, 1000000, &c->notify_rate_limit);
	(void)conf_int(x, g, "rate_period", 1, 7 * 86400, &c->notify_rate_period);
	conf_path(x, c, g, "template", &c->notify_template);
	conf_path(x, c, g, "sender_template", &c->notify_sender_template);
	conf_path(x, c, g, "digest_template", &c->notify_digest_template);
	(void)conf_string(x, g, "hostname", &c->notify_hostname);
	(void)conf_string(x, g, "hold_tool", &c->hold_tool);
}

static void conf_limits(struct ctx *x, struct pg_conf *c, const config_setting_t *g)
{
	int v;

	conf_check_keys(x, g, limits_keys);
	v = (int)c->max_text_bytes;
	if (conf_int(x, g, "max_text_bytes", 4096, 1024 * 1024 * 1024, &v) == 0)
		c->max_text_bytes = (size_t)v;
	v = (int)c->max_mime_depth;
	if (conf_int(x, g, "max_mime_depth", 1, 1000, &v) == 0)
		c->max_mime_depth = (unsigned)v;
	v = (int)c->max_mime_parts;
	if (conf_int(x, g, "max_mime_parts", 1, 1000000, &v) == 0)
		c->max_mime_parts = (unsigned)v;
	conf_action(x, g, "on_truncated", ACT(NONE) | ACT(TAG) | ACT(HOLD) | ACT(REJECT) |
		    ACT(TEMPFAIL), &c->on_truncated);
}

/* Values that are strings but must name something real: caught by -n, not
 * at the first message. */
static void conf_check_values(struct ctx *x, struct pg_conf *c, const config_setting_t *root)
{
	const config_setting_t *m = config_setting_get_member(root, "milter");
	const config_setting_t *d = config_setting_get_member(root, "directions");
	enum pg_log_level level;
	int facility;

	if (pg_log_level_parse(c->log_level, &level) < 0)
		conf_error(x, m ? m : root, "log_level '%s': use error, warning, notice, info or debug",
			   c->log_level);
	if (pg_log_facility_parse(c->syslog_facility, &facility) < 0)
		conf_error(x, m ? m : root, "syslog_facility '%s': use mail, daemon, user or local0-7",
			   c->syslog_facility);
	for (size_t i = 0; c->trusted_networks != NULL && c->trusted_networks[i] != NULL; i++)
		if (!cidr_valid(c->trusted_networks[i]))
			conf_error(x, d ? d : root, "trusted_networks: '%s' is not an address or "
				   "network (192.0.2.0/24, 2001:db8::/32)", c->trusted_networks[i]);
}

static void conf_parse(struct ctx *x, struct pg_conf *c, const config_setting_t *root)
{
	const config_setting_t *g;
	char **staff = NULL;

	conf_check_keys(x, root, top_keys);
	conf_rosters(x, c, root);
	if (conf_strv(x, root, "staff", &staff) == 0 && staff != NULL) {
		for (size_t i = 0; staff[i] != NULL; i++) {
			char *p = pg_path_relative_to(c->path, staff[i]);

			conf_add_staff(c, p);
			free(p);
		}
	}
	conf_strv_free(&staff);
	(void)conf_string(x, root, "staff_encoding", &c->staff_encoding);
	(void)conf_bool(x, root, "rules_jit", &c->rules_jit);
	{
		char *mode = NULL;

		if (conf_string(x, root, "world_readable_rosters", &mode) == 0 && mode != NULL) {
			if (strcmp(mode, "allow") == 0)
				c->roster_mode_check = PG_MODE_ALLOW;
			else if (strcmp(mode, "warn") == 0)
				c->roster_mode_check = PG_MODE_WARN;
			else if (strcmp(mode, "refuse") == 0)
				c->roster_mode_check = PG_MODE_REFUSE;
			else
				conf_error(x, config_setting_get_member(root, "world_readable_rosters"),
					   "world_readable_rosters is allow, warn or refuse, not '%s'",
					   mode);
			free(mode);
		}
	}
	if (conf_strv(x, root, "rules", &c->rules) == 0 && c->rules != NULL) {
		for (size_t i = 0; c->rules[i] != NULL; i++) {
			char *p = pg_path_relative_to(c->path, c->rules[i]);

			free(c->rules[i]);
			c->rules[i] = p;
		}
	}
	if ((g = config_setting_get_member(root, "scores")) != NULL) {
		conf_check_keys(x, g, scores_keys);
		(void)conf_int(x, g, "name", 0, 1000000, &c->score_name);
		(void)conf_int(x, g, "partial_name", 0, 1000000, &c->score_partial);
		(void)conf_int(x, g, "protected_multiplier", 1, 1000, &c->protected_multiplier);
	}
	if ((g = config_setting_get_member(root, "names")) != NULL) {
		conf_check_keys(x, g, names_keys);
		(void)conf_bool(x, g, "partial_names", &c->partial_names);
		(void)conf_strv(x, g, "determiners", &c->determiners);
		(void)conf_strv(x, g, "place_nouns", &c->place_nouns);
		(void)conf_strv(x, g, "titles", &c->titles);
		(void)conf_strv(x, g, "locatives", &c->locatives);
		(void)conf_strv(x, g, "common_words", &c->common_words);
		(void)conf_strv(x, g, "allow_phrases", &c->allow_phrases);
	}
	conf_policy(x, c, root);
	if ((g = config_setting_get_member(root, "limits")) != NULL)
		conf_limits(x, c, g);
	if ((g = config_setting_get_member(root, "milter")) != NULL)
		conf_milter(x, c, g);
	if ((g = config_setting_get_member(root, "directions")) != NULL) {
		conf_check_keys(x, g, directions_keys);
		(void)conf_strv(x, g, "local_domains", &c->local_domains);
		(void)conf_strv(x, g, "trusted_networks", &c->trusted_networks);
		(void)conf_strv(x, g, "newsletter_senders", &c->newsletter_senders);
		(void)conf_int(x, g, "newsletter_min_recipients", 0, 1000000,
			       &c->newsletter_min_recipients);
	}
	if ((g = config_setting_get_member(root, "exemptions")) != NULL) {
		conf_check_keys(x, g, exemptions_keys);
		(void)conf_strv(x, g, "allowed_recipients", &c->allowed_recipients);
		(void)conf_strv(x, g, "allowed_senders", &c->allowed_senders);
		(void)conf_string(x, g, "notification_secret", &c->notification_secret);
	}
	if ((g = config_setting_get_member(root, "notify")) != NULL)
		conf_notify(x, c, g);
	conf_check_values(x, c, root);
	if ((g = config_setting_get_member(root, "actions")) != NULL) {
		conf_check_keys(x, g, actions_keys);
		(void)conf_string(x, g, "reject_reply", &c->reject_reply);
		(void)conf_string(x, g, "quarantine_reason", &c->quarantine_reason);
		(void)conf_bool(x, g, "add_status_header", &c->add_status_header);
	}
}

/* Load from the file PATH, or from TEXT labelled PATH when TEXT is given. */
static struct pg_conf *conf_load_any(const char *path, const char *text, struct pg_diag *diag)
{
	struct pg_conf *c = conf_defaults();
	struct ctx x = { .file = path, .diag = diag };
	size_t errors_before = diag->nerrors;
	config_t cfg;

	c->path = pg_strdup(path);
	config_init(&cfg);
	if ((text ? config_read_string(&cfg, text) : config_read_file(&cfg, path)) != CONFIG_TRUE) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			pg_diag_add(diag, PG_DIAG_ERROR, "%s: cannot read configuration", path);
		else
			pg_diag_add(diag, PG_DIAG_ERROR, "%s:%d: %s",
				    config_error_file(&cfg) ? config_error_file(&cfg) : path,
				    config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		conf_free(&c);
		return NULL;
	}
	conf_parse(&x, c, config_root_setting(&cfg));
	config_destroy(&cfg);
	if (diag->nerrors > errors_before)
		conf_free(&c);
	return c;
}

struct pg_conf *conf_load(const char *path, struct pg_diag *diag)
{
	return conf_load_any(path, NULL, diag);
}

struct pg_conf *conf_load_text(const char *name, const char *text, struct pg_diag *diag)
{
	return conf_load_any(name, text, diag);
}
