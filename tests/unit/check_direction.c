/*
 * check_direction.c - which way a message goes, bulk detection, and
 * exemptions, table-driven over envelopes.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "direction.h"
#include "testlib.h"

static const char dir_conf[] =
	"directions = { local_domains = [ \"school.example\", \"@fed.example\" ];\n"
	"  trusted_networks = [ \"192.0.2.0/24\", \"2001:db8::/32\" ];\n"
	"  newsletter_senders = [ \"news@school.example\" ];\n"
	"  newsletter_min_recipients = 3; };\n"
	"exemptions = { allowed_recipients = [ \"@secure.la.example\", \"head@gov.example\" ];\n"
	"  allowed_senders = [ \"mis@school.example\" ]; };\n";

/* TEXT loaded as a configuration, its problems printed; NULL if it fails. */
static struct pg_conf *dir_load_text(const char *text)
{
	struct pg_diag d;
	struct pg_conf *c;

	pg_diag_init(&d);
	c = conf_load_text("direction.conf", text, &d);
	for (size_t i = 0; c == NULL && i < d.n; i++)
		fprintf(stderr, "%s\n", d.items[i].text);
	pg_diag_free(&d);
	return c;
}

static struct pg_conf *dir_load(void)
{
	struct pg_conf *c = dir_load_text(dir_conf);

	ck_assert_ptr_nonnull(c);
	return c;
}

static const struct {
	const char *client;
	int auth;
	const char *sender;
	const char *rcpts[5];
	int list_id;
	const char *precedence;
	enum pg_direction want;
} dir_cases[] = {
	/* From outside: inbound whatever the addresses say. */
	{ "203.0.113.9", 0, "parent@home.example", { "office@school.example" }, 0, NULL,
	  PG_DIR_INBOUND },
	{ "203.0.113.9", 0, "forged@school.example", { "x@elsewhere.example" }, 0, NULL,
	  PG_DIR_INBOUND },
	{ NULL, 0, "a@school.example", { "b@school.example" }, 0, NULL, PG_DIR_INBOUND },
	/* From the school: by its recipients. */
	{ "192.0.2.10", 0, "t@school.example", { "o@school.example" }, 0, NULL, PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@KS2.School.Example" }, 0, NULL,
	  PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@fed.example", "p@school.example" }, 0, NULL,
	  PG_DIR_INTERNAL },
	{ "192.0.2.10", 0, "t@school.example", { "o@school.example", "p@home.example" }, 0, NULL,
	  PG_DIR_OUTBOUND },
	/* A look-alike domain is not a subdomain. */
	{ "192.0.2.10", 0, "t@school.example", { "o@badschool.example" }, 0, NULL,
	  PG_DIR_OUTBOUND },
	{ "2001:db8::5", 0, "t@school.example", { "p@home.example" }, 0, NULL, PG_DIR_OUTBOUND },
	{ "198.51.100.1", 1, "t@school.example", { "p@home.example" }, 0, NULL, PG_DIR_OUTBOUND },
	/* Bulk: List-Id, Precedence, a newsletter sender, or many recipients. */
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 1, NULL, PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "Bulk",
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "list",
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "p@home.example" }, 0, "junk", PG_DIR_OUTBOUND },
	{ "192.0.2.10", 0, "news@school.example", { "p@home.example" }, 0, NULL,
	  PG_DIR_NEWSLETTER },
	{ "192.0.2.10", 0, "t@school.example", { "a@h.example", "b@h.example", "c@h.example" },
	  0, NULL, PG_DIR_OUTBOUND },
	{ "192.0.2.10", 0, "t@school.example",
	  { "a@h.example", "b@h.example", "c@h.example", "d@h.example" }, 0, NULL,
	  PG_DIR_NEWSLETTER },
	/* Internal bulk stays internal: nothing leaves. */
	{ "192.0.2.10", 0, "news@school.example", { "o@school.example" }, 1, NULL,
	  PG_DIR_INTERNAL },
};

static size_t dir_count(const char *const *v)
{
	size_t n = 0;

	while (n < 5 && v[n] != NULL)
		n++;
	return n;
}

START_TEST(test_direction_decide)
{
	struct pg_conf *c = dir_load();
	struct pg_envelope env = { .client_addr = dir_cases[_i].client,
				   .authenticated = dir_cases[_i].auth,
				   .sender = dir_cases[_i].sender,
				   .rcpts = dir_cases[_i].rcpts,
				   .nrcpts = dir_count(dir_cases[_i].rcpts),
				   .has_list_id = dir_cases[_i].list_id,
				   .precedence = dir_cases[_i].precedence };

	ck_assert_msg(direction_decide(c, &env) == dir_cases[_i].want, "case %d: got %s", _i,
		      conf_direction_name(direction_decide(c, &env)));
	conf_free(&c);
}
END_TEST

START_TEST(test_direction_local)
{
	struct pg_conf *c = dir_load();

	ck_assert(direction_is_local(c, "a@school.example"));
	ck_assert(direction_is_local(c, "a@x.y.school.example"));
	ck_assert(direction_is_local(c, "a@fed.example"));
	ck_assert(!direction_is_local(c, "a@notschool.example"));
	ck_assert(!direction_is_local(c, "school.example"));
	ck_assert(!direction_is_local(c, NULL));
	conf_free(&c);
}
END_TEST

START_TEST(test_direction_exempt)
{
	struct pg_conf *c = dir_load();
	const char *la[] = { "a@secure.la.example", "b@team.secure.la.example" };
	const char *mixed[] = { "a@secure.la.example", "p@home.example" };
	const char *head[] = { "HEAD@gov.example" };
	const char *other[] = { "deputy@gov.example" };
	struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example" };
	const char *why = NULL;

	env.rcpts = la;
	env.nrcpts = 2;
	ck_assert(direction_exempt(c, &env, &why));
	ck_assert_str_eq(why, "allowed recipients");
	env.rcpts = mixed;
	ck_assert(!direction_exempt(c, &env, &why));
	env.rcpts = head;
	env.nrcpts = 1;
	ck_assert(direction_exempt(c, &env, &why));
	env.rcpts = other;
	ck_assert(!direction_exempt(c, &env, &why));
	/* An allowed sender only from the school: the envelope can be forged. */
	env.sender = "mis@school.example";
	ck_assert(direction_exempt(c, &env, &why));
	ck_assert_str_eq(why, "allowed sender");
	env.client_addr = "203.0.113.9";
	ck_assert(!direction_exempt(c, &env, &why));
	env.authenticated = 1;
	ck_assert(direction_exempt(c, &env, &why));
	/* No recipients: nothing is exempt by recipients. */
	env.sender = "t@school.example";
	env.nrcpts = 0;
	ck_assert(!direction_exempt(c, &env, &why));
	conf_free(&c);
}
END_TEST

/* Address forms the MTA rewrites after the milter, as the address they become. */
static const struct {
	const char *rcpt;
	const char *want;   /* direction_route() */
	int local;          /* and so internal (1) or outbound (0) */
} route_cases[] = {
	{ "o@school.example", "o@school.example", 1 },
	{ "p@home.example", "p@home.example", 0 },
	/* allow_percent_hack: the rightmost % of a local domain's local part. */
	{ "parent%home.example@school.example", "parent@home.example", 0 },
	{ "parent%home.example@KS2.School.Example", "parent@home.example", 0 },
	{ "o%fed.example@school.example", "o@fed.example", 1 },
	{ "a%home.example%school.example@fed.example", "a@home.example", 0 },
	{ "a%school.example%fed.example@school.example", "a@school.example", 1 },
	/* A second @ in the local part reads like %. */
	{ "p@home.example@school.example", "p@home.example", 0 },
	/* swap_bangpath: site!user, nested. */
	{ "home.example!parent@school.example", "parent@home.example", 0 },
	{ "school.example!home.example!parent@school.example", "parent@home.example", 0 },
	{ "fed.example!o@school.example", "o@fed.example", 1 },
	{ "home.example!parent", "parent@home.example", 0 },
	/* Bang and percent together. */
	{ "home.example!p%school.example@school.example", "p@home.example", 0 },
	/* Source routes are dropped, as Postfix does. */
	{ "@relay.example,@school.example:parent@home.example", "parent@home.example", 0 },
	{ "@home.example:o@school.example", "o@school.example", 1 },
	{ "@a.example,@b.example:parent%home.example@school.example", "parent@home.example", 0 },
	/* Only a local domain's local part is read again: elsewhere it is theirs. */
	{ "o%school.example@home.example", "o%school.example@home.example", 0 },
	/* A quoted local part is one word (Postfix reads it so): a local user. */
	{ "\"parent%home.example\"@school.example", "\"parent%home.example\"@school.example", 1 },
	{ "\"p@home.example\"@school.example", "\"p@home.example\"@school.example", 1 },
	{ "\"home.example!parent\"@school.example", "\"home.example!parent\"@school.example", 1 },
	{ "\"a\\\"b%home.example\"@school.example", "\"a\\\"b%home.example\"@school.example", 1 },
	/* A route to a name that is no local domain leaves; deeper than
	 * PG_ROUTE_DEPTH local hops counts as outside too. */
	{ "a%b%c%d%e%f%g%h%i%school.example@school.example", "a%b%c%d%e%f%g%h@i", 0 },
	{ "p%school.example%school.example%school.example%school.example%school.example%"
	  "school.example%school.example%school.example%school.example@school.example", NULL, 0 },
};

START_TEST(test_direction_route)
{
	struct pg_conf *c = dir_load();
	const char *rcpts[] = { route_cases[_i].rcpt };
	struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example",
				   .rcpts = rcpts, .nrcpts = 1 };
	char *to = direction_route(c, route_cases[_i].rcpt);

	if (route_cases[_i].want != NULL)
		ck_assert_str_eq(to, route_cases[_i].want);
	ck_assert_msg(direction_is_local(c, to) == route_cases[_i].local, "%s -> %s",
		      route_cases[_i].rcpt, to);
	ck_assert_msg(direction_decide(c, &env) ==
		      (route_cases[_i].local ? PG_DIR_INTERNAL : PG_DIR_OUTBOUND), "%s",
		      route_cases[_i].rcpt);
	free(to);
	conf_free(&c);
}
END_TEST

/* Postfix's own alias tables, built here with postalias and postmap in a
 * private configuration directory, expand local recipients: an alias to an
 * outside address makes the message outbound, one to local addresses only
 * leaves it internal. */
static char alias_dir[] = "/tmp/pg-aliases.XXXXXX";

static void alias_write(const char *name, const char *text)
{
	char *path = pg_asprintf("%s/%s", alias_dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void alias_setup(void)
{
	char *cmd;

	ck_assert_ptr_nonnull(mkdtemp(alias_dir));
	cmd = pg_asprintf("alias_maps = hash:%s/aliases\n"
			  "virtual_alias_maps = $virtual_maps, proxy:hash:%s/virtual\n"
			  "recipient_delimiter = +\n", alias_dir, alias_dir);
	alias_write("main.cf", cmd);
	free(cmd);
	cmd = pg_asprintf("parent@home.example\n# a comment, chair@home.example\nclerk\n");
	alias_write("outside.list", cmd);
	free(cmd);
	alias_write("local.list", "alice, bob@school.example\n");
	cmd = pg_asprintf("governors: chair@home.example, clerk\n"
			  "staffroom: alice, bob, \"|/bin/true\", /dev/null, \\carol\n"
			  "gov2: staffroom, governors\n"
			  "pct: parent%%home.example@school.example\n"
			  "list: :include:%s/outside.list\n"
			  "locallist: :include:%s/local.list\n"
			  "missing: :include:%s/no-such.list\n"
			  "loop1: loop2\nloop2: loop1\n"
			  "tofed: x@fed.example\n", alias_dir, alias_dir, alias_dir);
	alias_write("aliases", cmd);
	free(cmd);
	alias_write("virtual", "board@school.example chair@home.example\n"
			       "team@school.example alice@school.example, gov2@school.example\n"
			       "keep@school.example keep@school.example, alice\n"
			       "@fed.example staffroom@school.example\n");
	cmd = pg_asprintf("postalias -c %s hash:%s/aliases && postmap -c %s hash:%s/virtual",
			  alias_dir, alias_dir, alias_dir, alias_dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void alias_teardown(void)
{
	char *cmd = pg_asprintf("rm -rf %s", alias_dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static struct pg_conf *alias_load(const char *dir)
{
	char *text = pg_asprintf("directions = { local_domains = [ \"school.example\", "
				 "\"fed.example\" ];\n  trusted_networks = [ \"192.0.2.0/24\" ];\n"
				 "  postfix_maps = \"%s\"; };\n", dir);
	struct pg_conf *c = dir_load_text(text);

	free(text);
	return c;
}

static const struct {
	const char *rcpts[3];
	enum pg_direction want;
} alias_cases[] = {
	/* Local aliases (alias_maps). */
	{ { "governors@school.example" }, PG_DIR_OUTBOUND },
	{ { "Governors@School.Example" }, PG_DIR_OUTBOUND },
	{ { "governors+minutes@school.example" }, PG_DIR_OUTBOUND },
	{ { "staffroom@school.example" }, PG_DIR_INTERNAL },
	{ { "gov2@school.example" }, PG_DIR_OUTBOUND },
	{ { "pct@school.example" }, PG_DIR_OUTBOUND },
	{ { "list@school.example" }, PG_DIR_OUTBOUND },
	{ { "locallist@school.example" }, PG_DIR_INTERNAL },
	{ { "loop1@school.example" }, PG_DIR_INTERNAL },
	{ { "tofed@school.example" }, PG_DIR_INTERNAL },
	/* Virtual aliases, and a virtual result that a local alias expands. */
	{ { "board@school.example" }, PG_DIR_OUTBOUND },
	{ { "team@school.example" }, PG_DIR_OUTBOUND },
	{ { "keep@school.example" }, PG_DIR_INTERNAL },
	{ { "anyone@fed.example" }, PG_DIR_INTERNAL },
	/* Plain users, one recipient among others, a percent hack to an alias. */
	{ { "alice@school.example", "bob@school.example" }, PG_DIR_INTERNAL },
	{ { "alice@school.example", "governors@school.example" }, PG_DIR_OUTBOUND },
	{ { "governors%school.example@school.example" }, PG_DIR_OUTBOUND },
	/* An :include: that cannot be read: taken as leaving. */
	{ { "missing@school.example" }, PG_DIR_OUTBOUND },
	/* What cannot be a lookup key: taken as leaving. */
	{ { "\"a b\"@school.example" }, PG_DIR_OUTBOUND },
};

START_TEST(test_direction_aliases)
{
	struct pg_conf *c = alias_load(alias_dir);
	const char *const *rcpts = alias_cases[_i].rcpts;
	size_t n = 0;

	while (n < PG_ARRAY_LEN(alias_cases[_i].rcpts) && rcpts[n] != NULL)
		n++;
	ck_assert_ptr_nonnull(c);
	{
		struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example",
					   .rcpts = rcpts, .nrcpts = n };

		ck_assert_msg(direction_decide(c, &env) == alias_cases[_i].want, "%s", rcpts[0]);
	}
	conf_free(&c);
}
END_TEST

/* Without postfix_maps the tables are not asked (today's behaviour); a
 * table that cannot be read makes mail outbound; a directory with no
 * main.cf is a configuration error. */
START_TEST(test_direction_aliases_faults)
{
	struct pg_conf *c = dir_load();
	const char *gov[] = { "governors@school.example" };
	struct pg_envelope env = { .client_addr = "192.0.2.10", .sender = "t@school.example",
				   .rcpts = gov, .nrcpts = 1 };
	char *path;

	ck_assert_int_eq(direction_decide(c, &env), PG_DIR_INTERNAL);
	conf_free(&c);
	ck_assert_ptr_null(alias_load("/nonexistent/postfix"));
	path = pg_asprintf("%s/aliases.db", alias_dir);
	ck_assert_int_eq(rename(path, "/tmp/pg-aliases-moved.db"), 0);
	c = alias_load(alias_dir);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(direction_decide(c, &env), PG_DIR_OUTBOUND);
	gov[0] = "staffroom@school.example";
	ck_assert_int_eq(direction_decide(c, &env), PG_DIR_OUTBOUND);
	ck_assert_int_eq(rename("/tmp/pg-aliases-moved.db", path), 0);
	free(path);
	conf_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("direction");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_direction_decide, 0, (int)PG_ARRAY_LEN(dir_cases));
	tcase_add_test(tc, test_direction_local);
	tcase_add_loop_test(tc, test_direction_route, 0, (int)PG_ARRAY_LEN(route_cases));
	tcase_add_test(tc, test_direction_exempt);
	suite_add_tcase(s, tc);
	if (access("/usr/sbin/postalias", X_OK) == 0 && access("/usr/sbin/postconf", X_OK) == 0) {
		TCase *ta = tcase_create("aliases");

		tcase_add_unchecked_fixture(ta, alias_setup, alias_teardown);
		tcase_add_loop_test(ta, test_direction_aliases, 0, (int)PG_ARRAY_LEN(alias_cases));
		tcase_add_test(ta, test_direction_aliases_faults);
		suite_add_tcase(s, ta);
	} else {
		fprintf(stderr, "check_direction: no Postfix here, alias cases skipped\n");
	}
	return tl_run(s);
}
