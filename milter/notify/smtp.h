/*
 * smtp.h - hand one message to a relay by SMTP, or to the sendmail binary.
 *
 * Just enough SMTP for notifications: EHLO, MAIL, RCPT, DATA with dot
 * stuffing and CRLF line ends, QUIT; every read has a timeout.  No TLS or
 * AUTH: the relay is the local MTA.  Returns 0 when the relay accepted the
 * message, -1 with *error_r saying why otherwise (util.h's convention; the
 * caller keeps the message spooled).
 */
#ifndef PG_SMTP_H
#define PG_SMTP_H

#include <stddef.h>

/* HOSTPORT is "host:port" or "host" (port 25). */
int smtp_send(const char *hostport, const char *helo, const char *from, const char *to,
	      const char *msg, size_t len, int timeout, const char **error_r);
/* Run PATH -i -f FROM -- TO with the message on standard input. */
int smtp_sendmail(const char *path, const char *from, const char *to, const char *msg,
		  size_t len, const char **error_r);

#endif
