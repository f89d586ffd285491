/*
 * conf.c - pupilguard.conf: defaults, parsing, range checks and file:line
 * errors, all driven by the option table in options.c.  Only the rosters
 * (a list of files or groups) and staff lists have parsers of their own.
 */
#include "config.h"

#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iconv.h>

#include "conf.h"
#include "log.h"
#include "options.h"
#include "pfmaps.h"

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

static void conf_strv_free(char ***v)
{
	if (*v == NULL)
		return;
	for (size_t i = 0; (*v)[i] != NULL; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
}

/* Release what option O owns in C (table-driven: every string and list). */
static void conf_free_option(struct pg_conf *c, const struct pg_option *o)
{
	void *field = (char *)c + o->offset;

	switch (o->type) {
	case PG_OPT_STRING:
	case PG_OPT_PATH:
		free(*(char **)field);
		*(char **)field = NULL;
		break;
	case PG_OPT_STRV:
	case PG_OPT_PATHV:
		conf_strv_free((char ***)field);
		break;
	default:
		break;
	}
}

void conf_free(struct pg_conf **cp)
{
	struct pg_conf *c = *cp;
	const struct pg_option *opts;
	size_t n;

	if (c == NULL)
		return;
	opts = options_table(&n);
	for (size_t i = 0; i < n; i++)
		conf_free_option(c, &opts[i]);
	/* The two custom options, rosters and staff. */
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
	conf_strv_free(&c->pf_alias_maps);
	conf_strv_free(&c->pf_virtual_maps);
	free(c->pf_delimiter);
	free(c->pf_postmap);
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

/* The setting S as a number for option O (INT, UINT, SIZE): in range, or -1. */
static int conf_number(struct ctx *x, const config_setting_t *s, const struct pg_option *o,
		       const char *name, long long *v_r)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) {
		conf_error(x, s, "%s must be a whole number", name);
		return -1;
	}
	v = config_setting_get_int64(s);
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		v = config_setting_get_int(s);
	if (v < o->min || v > o->max) {
		conf_error(x, s, "%s must be between %lld and %lld", name, o->min, o->max);
		return -1;
	}
	*v_r = v;
	return 0;
}

static int conf_string(struct ctx *x, const config_setting_t *s, const char *name, char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		conf_error(x, s, "%s must be a string in double quotes", name);
		return -1;
	}
	free(*out);
	*out = pg_strdup(config_setting_get_string(s));
	return 0;
}

/* A string or a list/array of strings, as a NULL-terminated vector. */
static int conf_strv(struct ctx *x, const config_setting_t *s, const char *name, char ***out)
{
	char **v;
	int n;

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

/* Resolve a path against the configuration's folder ("" stays none). */
static char *conf_resolve(const struct pg_conf *c, const char *p)
{
	return *p ? pg_path_relative_to(c->path, p) : NULL;
}

/* One action name for option O, in its allowed set. */
static int conf_action_value(struct ctx *x, const config_setting_t *s, const struct pg_option *o,
			     const char *name, const char *v, enum pg_action *a_r)
{
	if (conf_action_parse(v, a_r) < 0 || !(o->allowed & (1u << *a_r))) {
		conf_error(x, s, "%s: '%s' is not allowed here", name, v);
		return -1;
	}
	return 0;
}

static int conf_enum(struct ctx *x, const config_setting_t *s, const struct pg_option *o,
		     const char *name, int *out)
{
	char *v = NULL;
	struct pg_buf list;
	int rc = -1;

	if (conf_string(x, s, name, &v) < 0)
		return -1;
	for (int i = 0; o->names[i] != NULL; i++) {
		if (strcasecmp(v, o->names[i]) == 0) {
			*out = (int)o->min + i;
			rc = 0;
		}
	}
	if (rc < 0) {
		pg_buf_init(&list, 64);
		for (int i = 0; o->names[i] != NULL; i++)
			pg_buf_printf(&list, "%s%s", i == 0 ? "" : o->names[i + 1] ? ", " : " or ",
				      o->names[i]);
		conf_error(x, s, "%s is %s, not '%s'", name, list.data, v);
		pg_buf_free(&list, 0);
	}
	free(v);
	return rc;
}

/* A string member NAME of group G, if present. */
static int conf_member_string(struct ctx *x, const config_setting_t *g, const char *name,
			      char **out)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	return s == NULL ? 0 : conf_string(x, s, name, out);
}

static void conf_rosters(struct ctx *x, struct pg_conf *c, const config_setting_t *s);
static void conf_staff(struct ctx *x, struct pg_conf *c, const config_setting_t *s);

/* Set option O of C from the setting S (named NAME in messages). */
static void conf_set(struct ctx *x, struct pg_conf *c, const struct pg_option *o,
		     const config_setting_t *s, const char *name)
{
	void *field = (char *)c + o->offset;
	long long v;
	char *str = NULL;
	char **strv = NULL;
	enum pg_action a;
	const char *err;

	switch (o->type) {
	case PG_OPT_INT:
		if (conf_number(x, s, o, name, &v) == 0)
			*(int *)field = (int)v;
		break;
	case PG_OPT_UINT:
		if (conf_number(x, s, o, name, &v) == 0)
			*(unsigned *)field = (unsigned)v;
		break;
	case PG_OPT_SIZE:
		if (conf_number(x, s, o, name, &v) == 0)
			*(size_t *)field = (size_t)v;
		break;
	case PG_OPT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			conf_error(x, s, "%s must be true or false", name);
		else
			*(int *)field = config_setting_get_bool(s);
		break;
	case PG_OPT_STRING:
		(void)conf_string(x, s, name, (char **)field);
		break;
	case PG_OPT_PATH:
		if (conf_string(x, s, name, &str) == 0) {
			free(*(char **)field);
			*(char **)field = conf_resolve(c, str);
		}
		free(str);
		break;
	case PG_OPT_STRV:
		(void)conf_strv(x, s, name, (char ***)field);
		break;
	case PG_OPT_PATHV:
		if (conf_strv(x, s, name, &strv) == 0) {
			for (size_t i = 0; strv[i] != NULL; i++) {
				char *p = pg_path_relative_to(c->path, strv[i]);

				free(strv[i]);
				strv[i] = p;
			}
			conf_strv_free((char ***)field);
			*(char ***)field = strv;
		}
		break;
	case PG_OPT_ACTION:
		if (conf_string(x, s, name, &str) == 0 &&
		    conf_action_value(x, s, o, name, str, &a) == 0)
			*(enum pg_action *)field = a;
		free(str);
		break;
	case PG_OPT_ACTIONSET:
		if (conf_strv(x, s, name, &strv) == 0) {
			unsigned set = 0;
			int bad = 0;

			for (size_t i = 0; strv[i] != NULL; i++) {
				if (conf_action_parse(strv[i], &a) < 0 || !(o->allowed & (1u << a))) {
					conf_error(x, s, "%s lists hold, tag or reject, not '%s'",
						   o->path, strv[i]);
					bad = 1;
				} else {
					set |= 1u << a;
				}
			}
			if (!bad)
				*(unsigned *)field = set;
			conf_strv_free(&strv);
		}
		break;
	case PG_OPT_ENUM:
		(void)conf_enum(x, s, o, name, (int *)field);
		break;
	case PG_OPT_OCTAL:
		if (conf_string(x, s, name, &str) == 0) {
			char *end;
			long m = strtol(str, &end, 8);

			if (*str == '\0' || *end != '\0' || m < 0 || m > o->max)
				conf_error(x, s, "%s must be an octal string such as \"007\"", name);
			else
				*(int *)field = (int)m;
		}
		free(str);
		break;
	case PG_OPT_CUSTOM:
		if (strcmp(o->path, "rosters") == 0)
			conf_rosters(x, c, s);
		else
			conf_staff(x, c, s);
		return;
	}
	if (o->check != NULL && o->check(field, &err) < 0)
		conf_error(x, s, "%s", err);
}

static const char *const roster_keys[] = { "file", "encoding", "columns", "protected_flag",
					   NULL };

static void conf_roster_group(struct ctx *x, struct pg_conf *c, const config_setting_t *g)
{
	const config_setting_t *cols;
	char *file = NULL;
	struct pg_conf_roster *r;

	conf_check_keys(x, g, roster_keys);
	if (conf_member_string(x, g, "file", &file) < 0 || file == NULL) {
		if (file == NULL)
			conf_error(x, g, "a roster entry needs a file");
		free(file);
		return;
	}
	r = conf_new_roster(c, file);
	free(file);
	(void)conf_member_string(x, g, "encoding", &r->encoding);
	r->opts.encoding = r->encoding;
	if (r->encoding != NULL && strcasecmp(r->encoding, "auto") != 0) {
		iconv_t cd = iconv_open("UTF-8", r->encoding);

		if (cd == (iconv_t)-1)
			conf_error(x, config_setting_get_member(g, "encoding"),
				   "unknown encoding '%s'", r->encoding);
		else
			(void)iconv_close(cd);
	}
	(void)conf_member_string(x, g, "protected_flag", &r->protected_flag);
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

static void conf_rosters(struct ctx *x, struct pg_conf *c, const config_setting_t *s)
{
	int n;

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

static void conf_staff(struct ctx *x, struct pg_conf *c, const config_setting_t *s)
{
	char **staff = NULL;

	if (conf_strv(x, s, "staff", &staff) < 0)
		return;
	for (size_t i = 0; staff[i] != NULL; i++) {
		char *p = pg_path_relative_to(c->path, staff[i]);

		conf_add_staff(c, p);
		free(p);
	}
	conf_strv_free(&staff);
}

/* Every setting in group G (at PREFIX, "" for the root): an option, a group
 * of options, or an unknown name. */
static void conf_walk(struct ctx *x, struct pg_conf *c, const config_setting_t *g,
		      const char *prefix)
{
	int n = config_setting_length(g);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		const struct pg_option *o;
		char *path;

		if (name == NULL)
			continue;
		path = *prefix ? pg_asprintf("%s.%s", prefix, name) : pg_strdup(name);
		if ((o = options_find(path)) != NULL) {
			conf_set(x, c, o, s, name);
		} else if (options_is_group(path)) {
			if (config_setting_is_group(s))
				conf_walk(x, c, s, path);
			else
				conf_error(x, s, "%s must be a group", name);
		} else {
			conf_error(x, s, "unknown option %s", name);
		}
		free(path);
	}
}

struct pg_conf *conf_defaults(void)
{
	struct pg_conf *c = pg_calloc(1, sizeof(*c));
	struct pg_diag diag;
	struct ctx x = { .file = "(built-in default)", .diag = &diag };
	const struct pg_option *opts;
	size_t n;

	pg_diag_init(&diag);
	opts = options_table(&n);
	for (size_t i = 0; i < n; i++) {
		config_t cfg;
		char *text;

		if (opts[i].def == NULL)
			continue;
		text = pg_asprintf("v = %s;", opts[i].def);
		config_init(&cfg);
		if (config_read_string(&cfg, text) != CONFIG_TRUE)
			pg_diag_add(&diag, PG_DIAG_ERROR, "%s: bad default %s", opts[i].path,
				    opts[i].def);
		else
			conf_set(&x, c, &opts[i], config_lookup(&cfg, "v"), opts[i].path);
		config_destroy(&cfg);
		free(text);
	}
	/* A default that does not parse is a bug in options.c, caught by every test. */
	for (size_t i = 0; i < diag.n; i++)
		pg_log(PG_LOG_CRIT, NULL, "%s", diag.items[i].text);
	pg_diag_free(&diag);
	return c;
}

/* Load from the file PATH, or from TEXT labelled PATH when TEXT is given. */
static struct pg_conf *conf_load_any(const char *path, const char *text, struct pg_diag *diag)
{
	struct pg_conf *c = conf_defaults();
	struct ctx x = { .file = path, .diag = diag };
	size_t errors_before = diag->nerrors;
	const char *error;
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
	conf_walk(&x, c, config_root_setting(&cfg), "");
	config_destroy(&cfg);
	if (diag->nerrors == errors_before && c->postfix_maps != NULL && *c->postfix_maps &&
	    pfmaps_read(c, &error) < 0)
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: directions.postfix_maps \"%s\": %s", path,
			    c->postfix_maps, error);
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
