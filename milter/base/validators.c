/*
 * validators.c - check digits and formats of UK personal identifiers.
 *
 * Sources for the rules (see also the test file, which cites examples):
 *   UPN   DfE "Unique Pupil Numbers (UPNs)" guidance and the UK Government
 *         Data Standards Catalogue entry "Unique Pupil Number" v2.0: check
 *         letter = sum of character * position over positions 2..13, mod 23,
 *         as A B C D E F G H J K L M N P Q R T U V W X Y Z; a temporary UPN's
 *         final letter counts as its index in that same alphabet.
 *   ULN   Learning Records Service, as restated in the HESA student record
 *         field "ULN": first digit non-zero; digits weighted 10..1 sum to
 *         10 mod 11.
 *   NHS   NHS Connecting for Health, "NHS number check digit"
 *         (tech_nn_check_digit): weights 10..2, check digit =
 *         11 - (sum mod 11), 11 -> 0, 10 -> never issued.
 *   NINO  HMRC National Insurance Manual NIM39110.
 *   Postcode  Royal Mail postcode format as republished by the MRS
 *         ("postcodeformat"): Q V X never first, I J Z never second,
 *         C I K M O V never in the inward code.  The narrower lists for a
 *         letter in the third (A9A) or fourth (AA9A) place are not applied:
 *         the specification says its conventions "may change in the future
 *         if operationally required", and here a missed postcode costs more
 *         than a false hit.
 *
 * Only ASCII is recognised; any other byte makes the value invalid.  The
 * <ctype.h> functions are avoided on purpose: they depend on the locale and
 * are undefined for negative char values.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "validators.h"

/* The 23 letters used for UPN check letters and temporary-UPN suffixes. */
static const char upn_alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* True if c is an ASCII digit. */
static bool validators_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Upper-case an ASCII letter; return 0 for anything that is not one. */
static char validators_upper(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c;
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 'A');
	return 0;
}

/* True if the ASCII letter c (any case) is one of the upper-case letters in set. */
static bool validators_letter_in(char c, const char *set)
{
	char u = validators_upper(c);

	return u != 0 && strchr(set, u) != NULL;
}

/* Index of letter c (any case) in the UPN alphabet, or -1 if it is not in it. */
static int validators_upn_index(char c)
{
	char u = validators_upper(c);
	const char *p;

	if (u == 0)
		return -1;
	p = strchr(upn_alphabet, u);
	return p != NULL ? (int)(p - upn_alphabet) : -1;
}

/* True if s[0..n) are all ASCII digits. */
static bool validators_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!validators_is_digit(s[i]))
			return false;
	return true;
}

/* Check a DfE Unique Pupil Number, permanent or temporary. */
bool validators_upn(const char *s, size_t len)
{
	unsigned sum = 0;
	int check, last;

	if (s == NULL || len != 13)
		return false;
	check = validators_upn_index(s[0]);
	if (check < 0 || !validators_all_digits(s + 1, 11))
		return false;
	/* Positions 2..12 (s[1..11]) are digits, weighted by their position. */
	for (unsigned pos = 2; pos <= 12; pos++)
		sum += pos * (unsigned)(s[pos - 1] - '0');
	/*
	 * Position 13 is a digit, or for a temporary UPN a letter of the same
	 * 23-letter alphabet (never I, O or S) valued by its index in it.
	 */
	if (validators_is_digit(s[12]))
		last = s[12] - '0';
	else if ((last = validators_upn_index(s[12])) < 0)
		return false;
	sum += 13u * (unsigned)last;
	return sum % 23 == (unsigned)check;
}

/* Check a Unique Learner Number. */
bool validators_uln(const char *s, size_t len)
{
	unsigned sum = 0, rem;

	if (s == NULL || len != 10 || !validators_all_digits(s, 10) || s[0] == '0')
		return false;
	for (unsigned i = 0; i < 9; i++)
		sum += (10 - i) * (unsigned)(s[i] - '0');
	rem = sum % 11;
	/* A remainder of 0 would need check digit 10: such numbers are not issued. */
	if (rem == 0)
		return false;
	return (unsigned)(s[9] - '0') == 10 - rem;
}

/* Check an NHS number, bare or grouped 3-3-4. */
bool validators_nhs(const char *s, size_t len)
{
	char d[10];
	unsigned sum = 0, check;
	bool same = true;

	if (s == NULL)
		return false;
	if (len == 10) {
		memcpy(d, s, 10);
	} else if (len == 12 && (s[3] == ' ' || s[3] == '-') && s[7] == s[3]) {
		memcpy(d, s, 3);
		memcpy(d + 3, s + 4, 3);
		memcpy(d + 6, s + 8, 4);
	} else {
		return false;
	}
	if (!validators_all_digits(d, 10))
		return false;
	/*
	 * With weights 10..2, 54 * k = -k (mod 11), so every repeated-digit
	 * number (0000000000, 1111111111, ... 9999999999) satisfies modulus 11
	 * with check digit k.  The checksum cannot tell them from real numbers,
	 * yet they are what people type into forms and test data as placeholders
	 * and are never allocated, so treat them as invalid.
	 */
	for (size_t i = 1; i < 10; i++)
		if (d[i] != d[0])
			same = false;
	if (same)
		return false;
	for (unsigned i = 0; i < 9; i++)
		sum += (10 - i) * (unsigned)(d[i] - '0');
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	if (check == 10)
		return false;
	return (unsigned)(d[9] - '0') == check;
}

/* Check a National Insurance number: prefix rules of HMRC NIM39110, suffix A-D or none. */
bool validators_nino(const char *s, size_t len)
{
	static const char *const unallocated[] = { "BG", "GB", "KN", "NK", "NT", "TN", "ZZ" };
	char a, b;
	size_t i = 2;

	if (s == NULL || len < 8)
		return false;
	a = validators_upper(s[0]);
	b = validators_upper(s[1]);
	if (a == 0 || b == 0)
		return false;
	if (strchr("DFIQUV", a) != NULL || strchr("DFIOQUV", b) != NULL)
		return false;
	for (size_t k = 0; k < sizeof(unallocated) / sizeof(unallocated[0]); k++)
		if (a == unallocated[k][0] && b == unallocated[k][1])
			return false;
	/* Three pairs of digits, each optionally preceded by one space. */
	for (int pair = 0; pair < 3; pair++) {
		if (i < len && s[i] == ' ')
			i++;
		if (len - i < 2 || !validators_all_digits(s + i, 2))
			return false;
		i += 2;
	}
	if (i == len)
		return true; /* suffix absent */
	if (s[i] == ' ')
		i++;
	return len - i == 1 && validators_letter_in(s[i], "ABCD");
}

/* Check a UK postcode: A9, A99, AA9, AA99, A9A or AA9A outward code, then 9AA. */
bool validators_postcode(const char *s, size_t len)
{
	const char *in;
	size_t outlen;

	if (s == NULL || len < 5 || len > 8)
		return false;
	/* The inward code is always the last three characters. */
	in = s + len - 3;
	outlen = len - 3;
	if (s[outlen - 1] == ' ')
		outlen--;
	if (outlen < 2 || outlen > 4)
		return false;

	/* Girobank's GIR 0AA predates the rules below and breaks them. */
	if (outlen == 3 && validators_upper(s[0]) == 'G' && validators_upper(s[1]) == 'I' &&
	    validators_upper(s[2]) == 'R')
		return in[0] == '0' && validators_upper(in[1]) == 'A' && validators_upper(in[2]) == 'A';

	/* Inward: digit then two letters, never C I K M O V. */
	if (!validators_is_digit(in[0]) ||
	    !validators_letter_in(in[1], "ABDEFGHJLNPQRSTUWXYZ") ||
	    !validators_letter_in(in[2], "ABDEFGHJLNPQRSTUWXYZ"))
		return false;

	/* Outward, first position: a letter other than Q V X. */
	if (!validators_letter_in(s[0], "ABCDEFGHIJKLMNOPRSTUWYZ"))
		return false;
	if (validators_is_digit(s[1])) {
		/* A9, A99, A9A */
		if (outlen == 2)
			return true;
		return outlen == 3 && (validators_is_digit(s[2]) || validators_upper(s[2]) != 0);
	}
	/* Second position: a letter other than I J Z, then AA9, AA99, AA9A. */
	if (!validators_letter_in(s[1], "ABCDEFGHKLMNOPQRSTUVWXY"))
		return false;
	if (outlen < 3 || !validators_is_digit(s[2]))
		return false;
	if (outlen == 3)
		return true;
	return validators_is_digit(s[3]) || validators_upper(s[3]) != 0;
}

/* Look up a validator by its config name; NULL if unknown. */
static const char *const validators_months[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

/* Month number (1-12) of an English month name or its abbreviation at S;
 * *used_r gets the letters consumed.  0 if none. */
static int validators_month(const char *s, size_t len, size_t *used_r)
{
	size_t n = 0;

	while (n < len && ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z'))
		n++;
	*used_r = n;
	if (n < 3)
		return 0;
	for (int m = 0; m < 12; m++) {
		if (((s[0] | 0x20) == validators_months[m][0]) &&
		    ((s[1] | 0x20) == validators_months[m][1]) &&
		    ((s[2] | 0x20) == validators_months[m][2]))
			return m + 1;
	}
	return 0;
}

/* Parse an unsigned number of 1..MAXD digits at *I. */
static int validators_number(const char *s, size_t len, size_t *i, size_t maxd, int *out)
{
	size_t start = *i;
	int v = 0;

	while (*i < len && *i - start < maxd && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0');
	*out = v;
	return *i > start && !(*i < len && s[*i] >= '0' && s[*i] <= '9');
}

static bool validators_real_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1990 || y > 2039 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return !(m == 2 && d == 29 && !leap);
}

bool validators_date_parse(const char *s, size_t len, int *y_r, int *m_r, int *d_r)
{
	size_t i = 0, used;
	int a, b, c, m;

	if (s == NULL || len == 0)
		return false;
	if (s[0] >= '0' && s[0] <= '9') {
		if (!validators_number(s, len, &i, 4, &a))
			return false;
		if (i + 1 < len && (s[i] == '-' || s[i] == ' ' || s[i] == '/') &&
		    validators_month(s + i + 1, len - i - 1, &used) > 0) {
			/* "10-Oct-2012", "10/Oct/2012" */
			char sep = s[i];

			m = validators_month(s + i + 1, len - i - 1, &used);
			i += 1 + used;
			if (i >= len || s[i++] != sep || !validators_number(s, len, &i, 4, &c) ||
			    i != len || c < 1000)
				return false;
			*d_r = a, *m_r = m, *y_r = c;
			return validators_real_date(c, m, a);
		}
		if (i < len && (s[i] == '/' || s[i] == '-' || s[i] == '.')) {
			char sep = s[i++];

			if (!validators_number(s, len, &i, 2, &b) || i >= len || s[i++] != sep ||
			    !validators_number(s, len, &i, 4, &c) || i != len)
				return false;
			if (a >= 1000) { /* yyyy-mm-dd */
				*y_r = a, *m_r = b, *d_r = c;
			} else {         /* dd/mm/yyyy or dd/mm/yy */
				*d_r = a, *m_r = b;
				*y_r = c < 100 ? (c < 40 ? 2000 + c : 1900 + c) : c;
			}
			return validators_real_date(*y_r, *m_r, *d_r);
		}
		/* "4th of November 2010", "4 Nov 2010" */
		while (i < len && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') && i < 4)
			i++; /* st, nd, rd, th */
		while (i < len && (s[i] == ' ' || s[i] == '.'))
			i++;
		if (len - i > 3 && (s[i] | 0x20) == 'o' && (s[i + 1] | 0x20) == 'f' && s[i + 2] == ' ')
			i += 3;
		m = validators_month(s + i, len - i, &used);
		if (m == 0)
			return false;
		i += used;
		while (i < len && (s[i] == ' ' || s[i] == ',' || s[i] == '.'))
			i++;
		if (!validators_number(s, len, &i, 4, &c) || i != len || c < 1000)
			return false;
		*d_r = a, *m_r = m, *y_r = c;
		return validators_real_date(c, m, a);
	}
	/* "November 4, 2010", "Nov 4th 2010" */
	m = validators_month(s, len, &used);
	if (m == 0)
		return false;
	i = used;
	while (i < len && (s[i] == ' ' || s[i] == '.'))
		i++;
	if (!validators_number(s, len, &i, 2, &a))
		return false;
	while (i < len && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
		i++;
	while (i < len && (s[i] == ' ' || s[i] == ','))
		i++;
	if (!validators_number(s, len, &i, 4, &c) || i != len || c < 1000)
		return false;
	*d_r = a, *m_r = m, *y_r = c;
	return validators_real_date(c, m, a);
}

bool validators_date(const char *s, size_t len)
{
	int y, m, d;

	return validators_date_parse(s, len, &y, &m, &d);
}

validators_fn *validators_lookup(const char *name)
{
	static const struct {
		const char *name;
		validators_fn *fn;
	} table[] = {
		{ "upn", validators_upn },
		{ "uln", validators_uln },
		{ "nhs", validators_nhs },
		{ "ni", validators_nino },
		{ "postcode", validators_postcode },
		{ "date", validators_date },
	};

	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].fn;
	return NULL;
}
