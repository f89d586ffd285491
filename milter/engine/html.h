/*
 * html.h - HTML to plain text, as a reader sees it.
 *
 * Tags are boundaries only where a reader sees one: inline tags (<b>, <span>,
 * <font>, ...) vanish, so "Kh<span>an</span>" stays one word and
 * "<b>Amelia</b> Khan" two; <br> is a line break; block tags end a paragraph;
 * table cells are separated by a tab and rows by a blank line.  Character
 * references are decoded, <script>, <style> and comments dropped, source
 * white space collapsed (except in <pre>), and image alt text kept.  Linear in
 * the input; no entity expands to more than one character.
 */
#ifndef PG_HTML_H
#define PG_HTML_H

#include <stddef.h>

#include "util.h"

/* Append the text of HTML (UTF-8) to OUT. */
void html_to_text(const char *html, size_t len, struct pg_buf *out);

#endif
