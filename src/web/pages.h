/*
 * What the pages share (pages.c): the frame of a page in the request's
 * language, links that keep ?lang=, the head role's limits, and small cell
 * writers. Internal to src/web.
 */
#ifndef GF_PAGES_H
#define GF_PAGES_H

#include <time.h>

#include "html.h"
#include "output.h"
#include "web.h"

#define PAGE_HTML	"text/html; charset=utf-8"

/* The top of a page titled TITLE (a word web_tr translates), with its navigation. */
void page_begin(struct html *h, const struct web_req *rq, const char *title, const char *extra);
/* The bottom of the page, then hands the HTML over to OUT with STATUS; returns STATUS. */
int page_end(struct html *h, const struct web_req *rq, int status, struct web_body *out);

/* Hands bytes DATA (owned) of LEN over to OUT as TYPE with STATUS; returns STATUS. */
int page_bytes(struct web_body *out, int status, const char *type, char *data, size_t len);

/* Writes href="PATH?QUERY&lang=.." (PATH ours, QUERY ours or NULL); lang only if it was asked. */
void page_href(struct html *h, const struct web_req *rq, const char *path, const char *query);
/* Writes a link to /KIND/ID (ID URL-escaped) showing ID. */
void page_link_id(struct html *h, const struct web_req *rq, const char *kind, const char *id);

/* 1 if the request may see department DEPT (role head: its own only). */
int page_may_see(const struct web_req *rq, const char *dept);

/* Index of device / department ID in the configuration, or -1. */
int page_device_index(const struct web_req *rq, const char *id);
int page_dept_index(const struct web_req *rq, const char *id);

/* A table cell with S (escaped), or a dash when unknown; NUM: right-aligned. */
void page_td(struct html *h, const char *s, int num);
/* A cell with Unix seconds S as local "YYYY-MM-DD HH:MM" (a dash when 0 or unknown). */
void page_td_time(struct html *h, const char *s);
/* A cell with a word from a view ("up", "repair") translated, with a class of its own. */
void page_td_word(struct html *h, const struct web_req *rq, const char *w);

/* Today and the first day of this month at NOW, as YYYY-MM-DD. */
void page_month(time_t now, char first[11], char today[11]);

/* A page for a store that cannot be read: 500, said in words. */
int page_store_error(const struct web_req *rq, struct web_body *out);

/* The English heading of a view's column COL (web_tr gives the French); COL if none. */
const char *page_head(const char *col);

/* Rows R as a plain table with the columns COLS (NULL-terminated) translated as headings. */
void page_table(struct html *h, const struct web_req *rq, const struct gf_rows *r,
    const char *const *cols);

#endif
