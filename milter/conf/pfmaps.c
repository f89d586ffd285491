/*
 * pfmaps.c - Postfix's alias settings, from postconf (see pfmaps.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfmaps.h"
#include "run.h"
#include "util.h"

/* Where postconf is looked for: Postfix installs it in its command
 * directory, /usr/sbin on Debian and in Postfix's own default. */
static const char *const pfmaps_postconf[] = { "/usr/sbin/postconf", "/usr/local/sbin/postconf",
					       "/usr/bin/postconf", NULL };

/* The tables in the list LINE ("a, b c"), each without a "proxy:" prefix:
 * pupilguard reads the table itself, since proxymap serves only Postfix. */
static char **pfmaps_split(const char *line)
{
	char **v = pg_calloc(1, sizeof(*v));
	size_t n = 0;
	const char *p = line;

	while (*p != '\0') {
		size_t len;

		p += strspn(p, ", \t");
		len = strcspn(p, ", \t");
		if (len == 0)
			break;
		if (len > 6 && strncmp(p, "proxy:", 6) == 0) {
			p += 6;
			len -= 6;
		}
		v = pg_reallocarray(v, n + 2, sizeof(*v));
		v[n++] = pg_strndup(p, len);
		v[n] = NULL;
		p += len;
	}
	return v;
}

/* The next line of *P (cut at its newline, which is stepped over). */
static char *pfmaps_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	if (nl != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

int pfmaps_read(struct pg_conf *c, const char **error_r)
{
	const char *postconf = NULL;
	char *out = NULL, *err = NULL, *p;
	int rc = -1, status;

	for (size_t i = 0; pfmaps_postconf[i] != NULL && postconf == NULL; i++)
		if (access(pfmaps_postconf[i], X_OK) == 0)
			postconf = pfmaps_postconf[i];
	if (postconf == NULL) {
		*error_r = "postconf not found (is Postfix installed?)";
		return -1;
	}
	{
		char *argv[] = { (char *)postconf, "-c", c->postfix_maps, "-x", "-h", "alias_maps",
				 "virtual_alias_maps", "recipient_delimiter", "command_directory",
				 NULL };

		status = pg_run(argv, NULL, PG_PFMAPS_TIMEOUT_MS, &out, &err, error_r);
	}
	if (status < 0)
		return -1;
	if (status != 0 || strstr(err, "fatal:") != NULL) {
		*error_r = pg_errorf("%s", pg_run_complaint(err, "postconf failed"));
		goto out;
	}
	p = out;
	c->pf_alias_maps = pfmaps_split(pfmaps_line(&p));
	c->pf_virtual_maps = pfmaps_split(pfmaps_line(&p));
	c->pf_delimiter = pg_strdup(pfmaps_line(&p));
	c->pf_postmap = pg_asprintf("%s/postmap", pfmaps_line(&p));
	if (access(c->pf_postmap, X_OK) != 0) {
		*error_r = pg_errorf("%s: not found", c->pf_postmap);
		goto out;
	}
	rc = 0;
out:
	free(out);
	free(err);
	return rc;
}
