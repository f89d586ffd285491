/*
 * check_options.c - the option table against what admins read: every
 * option of options.c is in conf/pupilguard.conf (set, or shown in a
 * comment) with its default, and in pupilguard.conf(5) with its default;
 * and the table's defaults are what conf_defaults() gives.
 */
#include <ctype.h>
#include <libconfig.h>

#include "testlib.h"

#include "conf.h"
#include "options.h"

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static char *src_path(const char *rel)
{
	const char *top = getenv("PG_TOP_SRCDIR");
	char *p;

	ck_assert_msg(top != NULL, "PG_TOP_SRCDIR is not set");
	ck_assert_int_ge(asprintf(&p, "%s/%s", top, rel), 0);
	return p;
}

/* Two settings hold the same value (numbers, booleans, strings, lists). */
static int same_value(const config_setting_t *a, const config_setting_t *b)
{
	int ta = config_setting_type(a), tb = config_setting_type(b);

	if ((ta == CONFIG_TYPE_INT || ta == CONFIG_TYPE_INT64) &&
	    (tb == CONFIG_TYPE_INT || tb == CONFIG_TYPE_INT64))
		return config_setting_get_int64(a) == config_setting_get_int64(b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case CONFIG_TYPE_BOOL: return config_setting_get_bool(a) == config_setting_get_bool(b);
	case CONFIG_TYPE_STRING:
		return strcmp(config_setting_get_string(a), config_setting_get_string(b)) == 0;
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		if (config_setting_length(a) != config_setting_length(b))
			return 0;
		for (int i = 0; i < config_setting_length(a); i++)
			if (!same_value(config_setting_get_elem(a, (unsigned)i),
					config_setting_get_elem(b, (unsigned)i)))
				return 0;
		return 1;
	default: return 0;
	}
}

/* The last component of PATH ("max_message_bytes"). */
static const char *leaf(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

/* A commented line of TEXT that shows KEY set: "# KEY = ..." or "KEY = ...". */
static int commented(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; (p = strstr(p, key)) != NULL; p += n) {
		const char *q = p + n;
		const char *bol = p;

		while (bol > text && bol[-1] != '\n')
			bol--;
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while (*q == ' ')
			q++;
		if (*q == '=' && memchr(bol, '#', (size_t)(p - bol)) != NULL)
			return 1;
	}
	return 0;
}

START_TEST(test_sample_config)
{
	char *path = src_path("conf/pupilguard.conf");
	char *text = read_file(path);
	const struct pg_option *opts;
	config_t sample;
	size_t n;
	unsigned bad = 0;

	config_init(&sample);
	ck_assert_msg(config_read_string(&sample, text) == CONFIG_TRUE, "%s:%d: %s", path,
		      config_error_line(&sample), config_error_text(&sample));
	opts = options_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct pg_option *o = &opts[i];
		const config_setting_t *set = config_lookup(&sample, o->path);

		if (set == NULL) {
			if (!commented(text, leaf(o->path))) {
				fprintf(stderr, "conf/pupilguard.conf: %s is missing\n", o->path);
				bad++;
			}
			continue;
		}
		if (o->def != NULL) {
			config_t d;
			char *dtext = NULL;

			ck_assert_int_ge(asprintf(&dtext, "v = %s;", o->def), 0);
			config_init(&d);
			ck_assert(config_read_string(&d, dtext) == CONFIG_TRUE);
			if (!same_value(set, config_lookup(&d, "v"))) {
				fprintf(stderr,
					"conf/pupilguard.conf:%d: %s is not the default %s\n",
					config_setting_source_line(set), o->path, o->def);
				bad++;
			}
			config_destroy(&d);
			free(dtext);
		}
	}
	config_destroy(&sample);
	ck_assert_msg(bad == 0, "%u options of the table are missing from or differ in %s", bad,
		      path);
	free(text);
	free(path);
}
END_TEST

/* MAN with the roff escapes that matter here undone ("\-" to "-", "\(dq" to '"'). */
static char *man_plain(char *man)
{
	char *w = man;

	for (const char *r = man; *r;) {
		if (r[0] == '\\' && r[1] == '-') {
			*w++ = '-';
			r += 2;
		} else if (strncmp(r, "\\(dq", 4) == 0) {
			*w++ = '"';
			r += 4;
		} else if (strncmp(r, "\\fB", 3) == 0 || strncmp(r, "\\fI", 3) == 0 ||
			   strncmp(r, "\\fP", 3) == 0 || strncmp(r, "\\fR", 3) == 0) {
			r += 3;
		} else if (r[0] == '\\' && r[1] == '&') {
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return man;
}

/* Whether LINE (up to its newline) has WORD as a whole word. */
static int line_has(const char *line, const char *word)
{
	const char *nl = strchr(line, '\n');
	size_t n = strlen(word), len = nl ? (size_t)(nl - line) : strlen(line);

	for (size_t i = 0; i + n <= len; i++) {
		char before = i ? line[i - 1] : ' ', after = i + n < len ? line[i + n] : ' ';

		if (memcmp(line + i, word, n) == 0 && (before == ' ' || before == '"') &&
		    (after == ' ' || after == '"' || after == ','))
			return 1;
	}
	return 0;
}

/* Where the man page defines option O: a ".TP" term naming its full path
 * or, for the per-direction policy options (documented once for all four
 * directions), its key. */
static const char *man_find(const char *man, const struct pg_option *o)
{
	const char *word = strncmp(o->path, "policy.", 7) == 0 ? leaf(o->path) : o->path;

	static const char *const terms[] = { "\n.TP\n", "\n.TQ\n" };

	for (size_t t = 0; t < 2; t++)
		for (const char *p = man; (p = strstr(p, terms[t])) != NULL; p += 4)
			if (line_has(p + 5, word))
				return p + 5;
	return NULL;
}

START_TEST(test_man_page)
{
	char *path = src_path("milter/man/pupilguard.conf.5");
	char *man = man_plain(read_file(path));
	const struct pg_option *opts;
	size_t n;
	unsigned bad = 0;

	opts = options_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct pg_option *o = &opts[i];
		const char *at = man_find(man, o);
		char def[256];
		size_t len;

		if (at == NULL) {
			fprintf(stderr, "pupilguard.conf(5): %s is not documented\n", o->path);
			bad++;
			continue;
		}
		if (o->def == NULL || strncmp(o->path, "policy.", 7) == 0)
			continue;
		/* The default, unquoted, within the option's paragraph. */
		(void)snprintf(def, sizeof(def), "%s", o->def[0] == '"' ? o->def + 1 : o->def);
		len = strlen(def);
		if (len > 0 && def[len - 1] == '"')
			def[--len] = '\0';
		if (len > 40)
			def[len = 40] = '\0';
		{
			const char *end = strstr(at + 1, "\n.TP");
			char *para = end ? strndup(at, (size_t)(end - at)) : strdup(at);

			if (strstr(para, def) == NULL) {
				fprintf(stderr, "pupilguard.conf(5): %s: default %s not given\n",
					o->path, o->def);
				bad++;
			}
			free(para);
		}
	}
	ck_assert_msg(bad == 0, "%u options of the table are not documented right in %s", bad,
		      path);
	free(man);
	free(path);
}
END_TEST

/* The documented defaults are what a configuration without the option gets. */
START_TEST(test_defaults)
{
	struct pg_conf *c = conf_defaults();

	ck_assert_int_eq(c->dir[PG_DIR_OUTBOUND].hold, 20);
	ck_assert_int_eq(c->dir[PG_DIR_INBOUND].mode, PG_MODE_INHERIT);
	ck_assert_int_eq(c->mode, PG_MODE_ENFORCE);
	ck_assert_uint_eq(c->max_message_bytes, 52428800);
	ck_assert_int_eq(c->umask, 007);
	ck_assert_int_eq(c->roster_mode_check, PG_MODE_WARN);
	ck_assert_str_eq(c->trusted_networks[1], "::1/128");
	ck_assert_ptr_null(c->trusted_networks[2]);
	ck_assert_uint_eq(c->notify_on, 1u << PG_ACTION_HOLD);
	ck_assert_int_eq(c->add_status_header, 1);
	conf_free(&c);
	ck_assert_ptr_null(c);
}
END_TEST

/* Every group a path passes through is a group; no two options share a path. */
START_TEST(test_table)
{
	size_t n;
	const struct pg_option *opts = options_table(&n);

	ck_assert_uint_gt(n, 60);
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_eq(options_find(opts[i].path), &opts[i]);
		ck_assert_ptr_nonnull(opts[i].doc);
		ck_assert(!options_is_group(opts[i].path));
	}
	ck_assert(options_is_group("milter"));
	ck_assert(options_is_group("policy.inbound"));
	ck_assert(!options_is_group("milter.socket"));
	ck_assert(!options_is_group("mil"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_sample_config);
	tcase_add_test(tc, test_man_page);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
