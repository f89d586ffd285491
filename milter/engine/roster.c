/*
 * roster.c - CSV roster and staff-list loading with header aliases.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "csv.h"
#include "roster.h"

#define ROSTER_MAX_BYTES (512u * 1024 * 1024)


/* Header aliases, compared after dropping case, spaces and punctuation.
 * SIMS, Arbor and Bromcom exports and their common variants. */
static const char *const pupil_aliases[PG_COL_COUNT][12] = {
	[PG_COL_UPN] = { "upn", "uniquepupilnumber", "pupilupn", NULL },
	[PG_COL_FORENAME] = { "legalforename", "forename", "firstname", "legalfirstname",
			      "givenname", "forenames", "legalforenames", NULL },
	[PG_COL_MIDDLE] = { "middlenames", "middlename", "middlenamess", "othernames", NULL },
	[PG_COL_SURNAME] = { "legalsurname", "surname", "lastname", "legallastname",
			     "familyname", NULL },
	[PG_COL_PREF_FORENAME] = { "preferredforename", "preferredfirstname", "knownas",
				   "chosenforename", "preferredname", "chosenname", NULL },
	[PG_COL_PREF_SURNAME] = { "preferredsurname", "preferredlastname", "chosensurname",
				  NULL },
	[PG_COL_DOB] = { "dob", "dateofbirth", "birthdate", "dateofbirthddmmyyyy", NULL },
	[PG_COL_YEAR] = { "year", "yeargroup", "ncyear", "ncyearactual",
			  "nationalcurriculumyear", "yr", NULL },
	[PG_COL_REG] = { "reggroup", "registrationgroup", "reg", "regform", "form",
			 "formgroup", "tutorgroup", "class", "registrationform", NULL },
	[PG_COL_FLAGS] = { "pupilguard", "pupilguardflags", NULL },
};

static const char *const staff_aliases[PG_SCOL_COUNT][8] = {
	[PG_SCOL_TITLE] = { "title", "salutation", NULL },
	[PG_SCOL_FORENAME] = { "forename", "firstname", "legalforename", "preferredforename",
			       "givenname", NULL },
	[PG_SCOL_SURNAME] = { "surname", "lastname", "legalsurname", "preferredsurname",
			      "familyname", NULL },
	[PG_SCOL_ROLE] = { "role", "jobtitle", "post", "position", NULL },
	[PG_SCOL_EMAIL] = { "email", "emailaddress", "workemail", "mail", NULL },
};

void roster_init(struct pg_roster *r)
{
	memset(r, 0, sizeof(*r));
}

static void roster_str_free(char **p)
{
	if (*p != NULL) {
		pg_wipe(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

void roster_free(struct pg_roster *r)
{
	for (size_t i = 0; i < r->npupils; i++) {
		struct pg_pupil *p = &r->pupils[i];

		roster_str_free(&p->key);
		roster_str_free(&p->forename);
		roster_str_free(&p->middle);
		roster_str_free(&p->surname);
		roster_str_free(&p->pref_forename);
		roster_str_free(&p->pref_surname);
		roster_str_free(&p->dob);
		roster_str_free(&p->year);
		roster_str_free(&p->reg);
	}
	for (size_t i = 0; i < r->nstaff; i++) {
		struct pg_staff *s = &r->staff[i];

		roster_str_free(&s->title);
		roster_str_free(&s->forename);
		roster_str_free(&s->surname);
		roster_str_free(&s->role);
		roster_str_free(&s->email);
	}
	free(r->pupils);
	free(r->staff);
	roster_init(r);
}

/* Header cell folded for alias comparison: lower-case ASCII alphanumerics. */
static void roster_header_key(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c))
			out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

/* Read FILE and convert it to UTF-8 (BOM, then the configured encoding). */
static char *roster_read_utf8(const char *path, const char *encoding, size_t *len_r,
			      struct pg_diag *diag)
{
	const char *error;
	struct pg_buf out;
	size_t len;
	char *raw = pg_read_file(path, ROSTER_MAX_BYTES, &len, &error);

	if (raw == NULL) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s: cannot read roster: %s", path, error);
		return NULL;
	}
	pg_buf_init(&out, len + 16);
	if (encoding == NULL || strcasecmp(encoding, "auto") == 0)
		charset_to_utf8(raw, len, NULL, &out);
	else
		charset_to_utf8(raw, len, encoding, &out);
	pg_wipe(raw, len);
	free(raw);
	*len_r = out.len;
	return pg_buf_steal(&out);
}

/* Trimmed copy of a field, or NULL when it is empty. */
static char *roster_field_dup(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || (unsigned char)*s == 0xC2)
		s += (unsigned char)*s == 0xC2 && (unsigned char)s[1] == 0xA0 ? 2 : 1;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == s)
		return NULL;
	return pg_strndup(s, (size_t)(end - s));
}

/* Column of the header cell that matches OVERRIDE, or else one of ALIASES;
 * -1 where absent. */
static int roster_find_col(const struct pg_csv_row *hdr, const char *const *aliases,
			   const char *override)
{
	char key[128], want[128];

	if (override != NULL)
		roster_header_key(override, want, sizeof(want));
	for (size_t c = 0; c < hdr->nfields; c++) {
		roster_header_key(hdr->fields[c], key, sizeof(key));
		if (override != NULL) {
			if (strcmp(key, want) == 0)
				return (int)c;
			continue;
		}
		for (size_t a = 0; aliases[a] != NULL; a++)
			if (strcmp(key, aliases[a]) == 0)
				return (int)c;
	}
	return -1;
}

static const char *roster_cell(const struct pg_csv_row *row, int col)
{
	if (col < 0 || (size_t)col >= row->nfields)
		return "";
	return row->fields[col];
}

/* Whether a field holds at least one letter (not only punctuation). */
static int roster_has_letter(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static struct pg_pupil *roster_new_pupil(struct pg_roster *r)
{
	if (r->npupils == r->pupils_cap) {
		r->pupils_cap = r->pupils_cap ? r->pupils_cap * 2 : 256;
		r->pupils = pg_reallocarray(r->pupils, r->pupils_cap, sizeof(*r->pupils));
	}
	memset(&r->pupils[r->npupils], 0, sizeof(r->pupils[0]));
	return &r->pupils[r->npupils++];
}

/* Keep a preferred name only where it differs from the legal one. */
static char *roster_pref(const char *pref, const char *legal)
{
	char *p = roster_field_dup(pref);

	if (p != NULL && (!roster_has_letter(p) || (legal != NULL && strcasecmp(p, legal) == 0))) {
		free(p);
		p = NULL;
	}
	return p;
}

static void roster_add_pupil(struct pg_roster *r, const struct pg_csv_row *row, const int *cols,
			     const char *path, const struct pg_roster_opts *opts, struct pg_diag *diag)
{
	char *forename = roster_field_dup(roster_cell(row, cols[PG_COL_FORENAME]));
	char *surname = roster_field_dup(roster_cell(row, cols[PG_COL_SURNAME]));
	const char *flags = roster_cell(row, cols[PG_COL_FLAGS]);
	struct pg_pupil *p;

	if (!roster_has_letter(forename) || !roster_has_letter(surname)) {
		pg_diag_add(diag, PG_DIAG_WARNING, "%s:%u: %s is empty; row skipped", path,
			    row->line, !roster_has_letter(forename) ? "forename" : "surname");
		free(forename);
		free(surname);
		return;
	}
	p = roster_new_pupil(r);
	p->forename = forename;
	p->surname = surname;
	p->key = roster_field_dup(roster_cell(row, cols[PG_COL_UPN]));
	if (p->key == NULL)
		p->key = pg_asprintf("%s:%u", path, row->line);
	p->middle = roster_field_dup(roster_cell(row, cols[PG_COL_MIDDLE]));
	p->pref_forename = roster_pref(roster_cell(row, cols[PG_COL_PREF_FORENAME]), forename);
	p->pref_surname = roster_pref(roster_cell(row, cols[PG_COL_PREF_SURNAME]), surname);
	p->dob = roster_field_dup(roster_cell(row, cols[PG_COL_DOB]));
	p->year = roster_field_dup(roster_cell(row, cols[PG_COL_YEAR]));
	p->reg = roster_field_dup(roster_cell(row, cols[PG_COL_REG]));
	if (*flags != '\0' && strcasestr(flags, opts && opts->flag_protected
						       ? opts->flag_protected : "protected"))
		p->flags |= PG_PUPIL_PROTECTED;
}

/* Parse a roster already converted to UTF-8; NAME labels diagnostics. */
static int roster_parse(struct pg_roster *r, const char *path, const char *text, size_t len,
			const struct pg_roster_opts *opts, struct pg_diag *diag)
{
	struct pg_csv_row row;
	struct pg_csv *csv;
	int cols[PG_COL_COUNT], ret = -1, rc;
	size_t width, before = r->npupils;
	const char *error;

	csv = csv_open(text, len, csv_sniff_delimiter(text, len));
	rc = csv_next(csv, &row, &error);
	if (rc <= 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:1: %s", path,
			    rc == 0 ? "roster is empty (no header row)" : error);
		goto out;
	}
	for (int f = 0; f < PG_COL_COUNT; f++)
		cols[f] = roster_find_col(&row, pupil_aliases[f],
					  opts != NULL ? opts->columns[f] : NULL);
	for (int f = PG_COL_FORENAME; f <= PG_COL_SURNAME; f += 2) {
		if (cols[f] < 0) {
			pg_diag_add(diag, PG_DIAG_ERROR,
				    "%s:%u: no %s column in the header (set roster columns.%s)",
				    path, row.line, schema_field_name(f), schema_field_name(f));
			goto out;
		}
	}
	width = row.nfields;
	while ((rc = csv_next(csv, &row, &error)) != 0) {
		if (rc < 0) {
			pg_diag_add(diag, PG_DIAG_WARNING, "%s:%u: %s; row skipped", path, row.line,
				    error);
			continue;
		}
		if (row.nfields == 1 && row.fields[0][0] == '\0')
			continue;
		if (row.nfields != width) {
			pg_diag_add(diag, PG_DIAG_WARNING,
				    "%s:%u: %zu fields where the header has %zu; row skipped", path,
				    row.line, row.nfields, width);
			continue;
		}
		roster_add_pupil(r, &row, cols, path, opts, diag);
	}
	if (r->npupils == before)
		pg_diag_add(diag, PG_DIAG_WARNING, "%s: no pupils loaded", path);
	ret = 0;
out:
	csv_close(&csv);
	return ret;
}

int roster_load_data(struct pg_roster *r, const char *name, const char *data, size_t len,
		     const struct pg_roster_opts *opts, struct pg_diag *diag)
{
	struct pg_buf out;
	const char *enc = opts ? opts->encoding : NULL;
	int rc;

	pg_buf_init(&out, len + 16);
	charset_to_utf8(data, len, enc == NULL || strcasecmp(enc, "auto") == 0 ? NULL : enc, &out);
	rc = roster_parse(r, name, out.data, out.len, opts, diag);
	pg_buf_free(&out, 1);
	return rc;
}

int roster_load(struct pg_roster *r, const char *path, const struct pg_roster_opts *opts,
		struct pg_diag *diag)
{
	size_t len;
	char *text = roster_read_utf8(path, opts ? opts->encoding : NULL, &len, diag);
	int rc;

	if (text == NULL)
		return -1;
	rc = roster_parse(r, path, text, len, opts, diag);
	pg_wipe(text, len);
	free(text);
	return rc;
}

int roster_load_staff(struct pg_roster *r, const char *path, const char *encoding,
		      struct pg_diag *diag)
{
	struct pg_csv_row row;
	struct pg_csv *csv;
	int cols[PG_SCOL_COUNT], ret = -1, rc;
	const char *error;
	size_t len;
	char *text;

	text = roster_read_utf8(path, encoding, &len, diag);
	if (text == NULL)
		return -1;
	csv = csv_open(text, len, csv_sniff_delimiter(text, len));
	rc = csv_next(csv, &row, &error);
	if (rc <= 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:1: %s", path,
			    rc == 0 ? "staff list is empty (no header row)" : error);
		goto out;
	}
	for (int f = 0; f < PG_SCOL_COUNT; f++)
		cols[f] = roster_find_col(&row, staff_aliases[f], NULL);
	if (cols[PG_SCOL_FORENAME] < 0 || cols[PG_SCOL_SURNAME] < 0) {
		pg_diag_add(diag, PG_DIAG_ERROR, "%s:%u: no forename or surname column", path,
			    row.line);
		goto out;
	}
	while ((rc = csv_next(csv, &row, &error)) != 0) {
		struct pg_staff *s;
		char *fore, *sur;

		if (rc < 0) {
			pg_diag_add(diag, PG_DIAG_WARNING, "%s:%u: %s; row skipped", path, row.line,
				    error);
			continue;
		}
		fore = roster_field_dup(roster_cell(&row, cols[PG_SCOL_FORENAME]));
		sur = roster_field_dup(roster_cell(&row, cols[PG_SCOL_SURNAME]));
		if (!roster_has_letter(fore) || !roster_has_letter(sur)) {
			if (row.nfields > 1)
				pg_diag_add(diag, PG_DIAG_WARNING,
					    "%s:%u: empty staff name; row skipped", path, row.line);
			free(fore);
			free(sur);
			continue;
		}
		if (r->nstaff == r->staff_cap) {
			r->staff_cap = r->staff_cap ? r->staff_cap * 2 : 64;
			r->staff = pg_reallocarray(r->staff, r->staff_cap, sizeof(*r->staff));
		}
		s = &r->staff[r->nstaff++];
		s->forename = fore;
		s->surname = sur;
		s->title = roster_field_dup(roster_cell(&row, cols[PG_SCOL_TITLE]));
		s->role = roster_field_dup(roster_cell(&row, cols[PG_SCOL_ROLE]));
		s->email = roster_field_dup(roster_cell(&row, cols[PG_SCOL_EMAIL]));
	}
	ret = 0;
out:
	csv_close(&csv);
	pg_wipe(text, len);
	free(text);
	return ret;
}
