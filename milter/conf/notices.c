/*
 * notices.c - the built-in wording of notices: the defaults of the
 * notify.template, notify.sender_template and notify.digest_template
 * options, used when the configuration names no template file.
 */
#include "config.h"

#include "notices.h"

const char conf_notice_leadership[] =
	"Subject: [pupilguard] Message {action}: {subject}\n"
	"\n"
	"pupilguard has {action} a message because it appears to contain pupils'\n"
	"personal data.  Names below are shortened on purpose.\n"
	"\n"
	"  Queue ID:   {queue_id}\n"
	"  Time:       {time}\n"
	"  From:       {sender}\n"
	"  To:         {recipients}\n"
	"  Subject:    {subject}\n"
	"  Direction:  {direction}\n"
	"  Score:      {score}\n"
	"\n"
	"What was found:\n"
	"{findings}\n"
	"The message waits in the mail server's hold queue on {hostname} until\n"
	"it is released or deleted.  Ask the mail administrator to run one of:\n"
	"\n"
	"  Release (deliver it):   {release_postfix}\n"
	"  Delete (never deliver): {delete_postfix}\n"
	"\n"
	"On a Sendmail server:\n"
	"  Release:  {release_sendmail}\n"
	"  Delete:   {delete_sendmail}\n";

const char conf_notice_sender[] =
	"Subject: Your message is waiting for a check: {subject}\n"
	"\n"
	"Your message to {recipients} has not been sent yet.\n"
	"\n"
	"It seems to contain personal information about pupils ({reason}), so\n"
	"it is waiting for a member of the leadership team to check it.  You do\n"
	"not need to do anything: it will be sent once it has been checked, or\n"
	"someone will contact you.\n"
	"\n"
	"Reference: {queue_id}\n";

const char conf_notice_digest[] =
	"Subject: [pupilguard] {count} more messages held\n"
	"\n"
	"pupilguard held more messages than it sends separate notices for.\n"
	"These are the ones not yet reported, one line each:\n"
	"\n"
	"{digest}\n"
	"Each waits in the hold queue on {hostname}; `pupilguard-hold list`\n"
	"shows them and `pupilguard-hold show ID` tells what was found.\n";
