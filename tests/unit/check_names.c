/*
 * check_names.c - the name index and matcher: every surface form a name
 * takes in mail, the negatives, the context rules, and the prefilter's
 * equivalence with a full scan.
 */
#include "testlib.h"

#include "names.h"
#include "norm.h"

static struct pg_policy *pol;

struct name_case {
	const char *text;
	const char *name;    /* roster key expected as a full name, or NULL */
	const char *partial; /* roster key expected as a partial name, or NULL */
};

static const struct name_case cases[] = {
	/* surface forms */
	{ "I saw Amelia Khan today.", "B801200005001", NULL },
	{ "AMELIA KHAN WON", "B801200005001", NULL },
	{ "amelia khan is off sick", "B801200005001", NULL },
	{ "Register: Khan, Amelia (4 Oak)", "B801200005001", NULL },
	{ "KHAN Amelia - 4 Oak", "B801200005001", NULL },
	{ "Amelia Khan's book", "B801200005001", NULL },
	{ "Amelia Khan\xE2\x80\x99s book", "B801200005001", NULL },
	{ "Amelia Rose Anne Khan", "B801200005001", NULL },
	{ "Amelia Rose Khan", "B801200005001", NULL },
	{ "for Amelia\nKhan in class", "B801200005001", NULL },
	{ "for Amelia  Khan in class", "B801200005001", NULL },
	{ "for Amelia\xC2\xA0Khan in class", "B801200005001", NULL },
	{ "Amelia\tKhan\t4 Oak", "B801200005001", NULL },
	{ "Amelia,Khan,4", "B801200005001", NULL },
	{ "> wrote about Amelia\n> Khan yesterday", "B801200005001", NULL },
	{ "Zoe O'Connor", "H801200001001", NULL },
	{ "Zoë O\xE2\x80\x99" "Connor", "H801200001001", NULL },
	{ "ZO\xC3\x8B O'CONNOR", "H801200001001", NULL },
	{ "Luke Smith Jones", "E801200003001", NULL },
	{ "\xC5\x81ukasz Smith-Jones", "E801200003001", NULL },
	{ "Lukasz Smith-Jones", "E801200003001", NULL },
	{ "Wim van der Berg", "K801200002001", NULL },
	{ "Willem Van Der Berg", "K801200002001", NULL },
	{ "Will Power scored twice", "F801200007001", NULL },
	{ "noah adams is off today", "G801200008001", NULL },
	{ "Victoria Park won the race", "L801200010001", NULL },
	/* glued as file names and slugs write them */
	{ "Amelia-Khan", "B801200005001", NULL },
	{ "report_amelia_khan.pdf", "B801200005001", NULL },
	/* partial forms */
	{ "Thanks, A. Khan", NULL, "B801200005001" },
	{ "Amelia K. has", NULL, "B801200005001" },
	/* negatives */
	{ "Amelia did well", NULL, NULL },
	{ "the Khan family", NULL, NULL },
	{ "Amelia. Khan was there.", NULL, NULL },
	{ "Amelia Khan-Smith joined", NULL, NULL },
	{ "Amelia Smith-Khan joined", NULL, NULL },
	{ "Amelia Khanson", NULL, NULL },
	{ "Amelia and Khan", NULL, NULL },
	{ "Khan Amelia", NULL, NULL },
	{ "Amelia Hill is not a pupil", NULL, NULL },
	{ "Meet at Rose Hill Road", NULL, NULL },
	{ "the Summer Day Camp", NULL, NULL },
	{ "real will power!", NULL, NULL },
	{ "Will power matters most", NULL, NULL },
	{ "meet at Victoria Park at 9am", NULL, NULL },
	{ "in Grace Church Community Hall", NULL, NULL },
	{ "Miss Emily Roberts teaches 4 Oak", NULL, NULL },
	{ "A Khan family", NULL, NULL },
};

static void scan_text(const char *text, const char *from, struct pg_result *r)
{
	char msg[4096];

	snprintf(msg, sizeof(msg), "From: %s\nSubject: test\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		 from, text);
	tl_scan(pol, msg, PG_DIR_OUTBOUND, r);
}

START_TEST(test_forms)
{
	const struct name_case *c = &cases[_i];
	struct pg_result r;
	size_t names = 0, partials = 0;

	scan_text(c->text, "someone@example.org", &r);
	for (size_t i = 0; i < r.n; i++) {
		names += r.v[i].kind == PG_KIND_NAME;
		partials += r.v[i].kind == PG_KIND_PARTIAL_NAME;
	}
	if (c->name != NULL)
		ck_assert_msg(tl_has(&r, "name", c->name), "'%s': full name %s expected", c->text,
			      c->name);
	else
		ck_assert_msg(names == 0, "'%s': no full name expected, got %zu", c->text, names);
	if (c->partial != NULL)
		ck_assert_msg(tl_has(&r, "partial_name", c->partial), "'%s': partial %s expected",
			      c->text, c->partial);
	else if (c->name == NULL)
		ck_assert_msg(partials == 0, "'%s': no partial name expected", c->text);
	/* the excerpt is always redacted */
	for (size_t i = 0; i < r.n; i++)
		ck_assert_msg(strstr(r.v[i].excerpt, "***") != NULL, "'%s': excerpt redacted", c->text);
	engine_result_free(&r);
}
END_TEST

START_TEST(test_staff_by_address)
{
	struct pg_result r;

	/* A staff member who shares a pupil's name: a pupil finding without
	 * staff context, none when the staff member's own address is there. */
	scan_text("Emily Roberts will lead the trip.", "parent@home.example", &r);
	ck_assert_msg(tl_has(&r, "name", "J801200009001"), "homonym without context is a pupil");
	engine_result_free(&r);
	scan_text("Emily Roberts will lead the trip.", "Miss Roberts <e.roberts@school.example>", &r);
	ck_assert_msg(r.n == 0, "homonym with the staff address is staff (%zu findings)", r.n);
	engine_result_free(&r);
}
END_TEST

START_TEST(test_dedup_and_count)
{
	struct pg_result r;

	scan_text("Amelia Khan. Then A. Khan, and AMELIA KHAN again with Amelia Khan.", "x@y.example", &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.v[0].kind, PG_KIND_NAME);
	ck_assert_str_eq(r.v[0].type, "name");
	ck_assert_int_eq(r.v[0].count, 3); /* the partial form adds nothing */
	ck_assert_int_eq(r.score, 10);
	engine_result_free(&r);
}
END_TEST

/* Hits of a full-text scan and of the windowed scan, as comparable strings. */
static void collect(const struct pg_tokens *t, const struct pg_name_hits *h, struct pg_buf *out)
{
	for (size_t i = 0; i < h->n; i++)
		pg_buf_printf(out, "%u/%u/%u/%u@%u;", h->v[i].pupil, h->v[i].kind, h->v[i].why,
			      h->v[i].form, t->v[h->v[i].first].start);
}

START_TEST(test_prefilter_equivalence)
{
	struct pg_buf text, full, win;
	struct pg_tokens t;
	struct pg_name_hits h = { 0 };
	struct pg_spans spans = { 0 };

	/* Every case, with filler between, in one text. */
	pg_buf_init(&text, 8192);
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++)
		pg_buf_printf(&text, "%s\nThe class went to the museum on %zu May and a coat. ",
			      cases[i].text, i);
	pg_buf_init(&full, 1024);
	pg_buf_init(&win, 1024);
	norm_tokens_init(&t);
	norm_tokenize(text.data, text.len, &t);
	names_scan(pol->names, &t, &h);
	collect(&t, &h, &full);
	names_candidates(pol->names, text.data, text.len, &spans);
	ck_assert_msg(spans.n > 0, "windows found");
	for (size_t w = 0; w < spans.n; w++) {
		size_t a = spans.v[w].start;

		norm_tokens_reset(&t);
		norm_tokenize(text.data + a, spans.v[w].end - a, &t);
		for (size_t k = 0; k < t.n; k++)
			t.v[k].start += (uint32_t)a;
		h.n = 0;
		names_scan(pol->names, &t, &h);
		collect(&t, &h, &win);
	}
	ck_assert_msg(full.len > 0, "the full scan finds names");
	ck_assert_msg(strcmp(full.data, win.data) == 0, "windowed scan differs:\nfull %s\nwin  %s",
		      full.data, win.data);
	pg_buf_free(&text, 0);
	pg_buf_free(&full, 0);
	pg_buf_free(&win, 0);
	norm_tokens_free(&t);
	names_hits_free(&h);
	names_spans_free(&spans);
}
END_TEST

START_TEST(test_redact_text)
{
	char *s = engine_redact_text(pol, "Re: Amelia Khan and Zoë O'Connor - absence");

	ck_assert_str_eq(s, "Re: A. K*** and Z. O*** - absence");
	free(s);
}
END_TEST

/* Identifiers in text pupilguard quotes (a subject, a file name), masked in
 * the house form; numbers that identify nobody kept. */
static const struct {
	const char *in, *want;
} redact_cases[] = {
	/* a roster UPN, and a valid UPN of no roster pupil */
	{ "Re: B801200005001 report", "Re: B##########01 report" },
	{ "upn b801200005001.", "upn b##########01." },
	{ "J801200009001_report.docx", "J##########01_report.docx" },
	{ "notes-G930120512345.pdf", "notes-G##########45.pdf" },
	/* NHS number, three ways */
	{ "NHS 943 476 5919", "NHS ### ### ##19" },
	{ "NHS 943-476-5919", "NHS ###-###-##19" },
	{ "nhs9434765919.pdf", "nhs########19.pdf" },
	/* dates of birth: labelled, old enough, written, a roster pupil's */
	{ "DOB 14/03/2016", "DOB ##/##/##16" },
	{ "born on 14.3.16 at home", "born on ##.#.16 at home" },
	{ "Ann 2015-03-14 review", "Ann ####-##-14 review" },
	{ "Ann 4th of May 2015", "Ann #th of May ##15" },
	{ "for 04/05/2015 only", "for ##/##/##15 only" },
	/* a name and an identifier together */
	{ "Amelia Khan B801200005001", "A. K*** B##########01" },
	/* negatives: a trip this year, a room, an order number, a phone
	 * number, a UPN-shaped code with a wrong check letter */
	{ "Trip on 12/06/2026", "Trip on 12/06/2026" },
	{ "Room 101, order 12345678", "Room 101, order 12345678" },
	{ "call 01632 960123", "call 01632 960123" },
	{ "code Q801200005001", "code Q801200005001" },
	{ "no digits at all", "no digits at all" },
};

static struct pg_policy *idpol;

START_TEST(test_redact_identifiers)
{
	char *s = engine_redact_text(idpol, redact_cases[_i].in);

	ck_assert_str_eq(s, redact_cases[_i].want);
	free(s);
}
END_TEST

/* A finding's roster key is masked unless names were asked for. */
START_TEST(test_pupil_key_masked)
{
	static const char msg[] = "Subject: hello\n\nAmelia Khan is off today.\n";
	struct pg_scan_opts opts = { .dir = PG_DIR_OUTBOUND, .show_names = 0 };
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(msg, strlen(msg));
	struct pg_result r;

	engine_result_init(&r);
	engine_scan_stream(pol, st, &opts, &r);
	g_object_unref(st);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.v[0].pupil, "B##########01");
	ck_assert_ptr_null(r.v[0].shown);
	engine_result_free(&r);
	/* and shown with show_names */
	tl_scan(pol, msg, PG_DIR_OUTBOUND, &r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.v[0].pupil, "B801200005001");
	engine_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("names");
	int rc;

	engine_global_init();
	pol = tl_policy(NULL);
	tcase_add_loop_test(tc, test_forms, 0, (int)PG_ARRAY_LEN(cases));
	tcase_add_test(tc, test_staff_by_address);
	tcase_add_test(tc, test_dedup_and_count);
	tcase_add_test(tc, test_prefilter_equivalence);
	tcase_add_test(tc, test_redact_text);
	tcase_add_loop_test(tc, test_redact_identifiers, 0, (int)PG_ARRAY_LEN(redact_cases));
	tcase_add_test(tc, test_pupil_key_masked);
	suite_add_tcase(s, tc);
	{
		const char *src = getenv("PG_TOP_SRCDIR");
		char extra[1024];

		(void)snprintf(extra, sizeof(extra), "rules = [ \"%s/rules/identifiers.rules\" ];",
			       src ? src : ".");
		idpol = tl_policy(extra);
	}
	rc = tl_run(s);
	policy_unref(&idpol);
	policy_unref(&pol);
	return rc;
}
