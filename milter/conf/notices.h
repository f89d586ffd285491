/*
 * notices.h - the built-in wording of the three notices (the defaults of the
 * notify.*template options); template.h says what the {placeholders} are.
 */
#ifndef PG_NOTICES_H
#define PG_NOTICES_H

extern const char conf_notice_leadership[];
extern const char conf_notice_sender[];
extern const char conf_notice_digest[];

#endif
