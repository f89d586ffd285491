/*
 * log.c - level-filtered logging to syslog or stderr with a queue-ID prefix;
 * every line is made visible (pg_str_visible()) before it is written.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int log_syslog;
static enum pg_log_level log_level = PG_LOG_INFO;
static const char *log_ident = "pupilguard";

void pg_log_open(const char *ident, int use_syslog, int facility)
{
	log_ident = ident;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

void pg_log_set_level(enum pg_log_level level)
{
	log_level = level;
}

int pg_log_enabled(enum pg_log_level level)
{
	return level <= log_level;
}

static const struct {
	const char *name;
	enum pg_log_level level;
} log_levels[] = {
	{ "crit", PG_LOG_CRIT }, { "error", PG_LOG_ERR }, { "warning", PG_LOG_WARNING },
	{ "notice", PG_LOG_NOTICE }, { "info", PG_LOG_INFO }, { "debug", PG_LOG_DEBUG },
};

int pg_log_level_parse(const char *name, enum pg_log_level *level_r)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(log_levels); i++) {
		if (strcasecmp(name, log_levels[i].name) == 0) {
			*level_r = log_levels[i].level;
			return 0;
		}
	}
	return -1;
}

static const struct {
	const char *name;
	int facility;
} log_facilities[] = {
	{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

int pg_log_facility_parse(const char *name, int *facility_r)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(log_facilities); i++) {
		if (strcasecmp(name, log_facilities[i].name) == 0) {
			*facility_r = log_facilities[i].facility;
			return 0;
		}
	}
	return -1;
}

static const char *log_level_name(enum pg_log_level level)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(log_levels); i++)
		if (log_levels[i].level == level)
			return log_levels[i].name;
	return "log";
}

void pg_log(enum pg_log_level level, const char *qid, const char *fmt, ...)
{
	char raw[2048], line[4096];
	va_list ap;

	if (!pg_log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* A value can come from a message (a file name, a header): one line,
	 * no control characters, whatever it holds. */
	pg_str_visible_to(line, sizeof(line), raw);
	pg_wipe(raw, sizeof(raw));
	if (log_syslog) {
		syslog((int)level, "%s: %s", qid ? qid : "NOQUEUE", line);
	} else {
		fprintf(stderr, "%s: %s: %s%s%s\n", log_ident, log_level_name(level),
			qid ? qid : "", qid ? ": " : "", line);
	}
}
