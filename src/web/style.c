/*
 * The one style sheet, /static/style.css, served from memory: no file to
 * install, no inline style (the CSP is default-src 'self'). Readable on a
 * phone (tables scroll sideways, figures wrap) and printable (no navigation).
 */
#include "config.h"

#include <string.h>

#include "pages.h"
#include "xmalloc.h"

static const char style_css[] =
    ":root{--fg:#1d2a22;--bg:#fbfcfa;--muted:#5b6b61;--line:#d5ddd7;--accent:#2e7d4f;"
    "--warn:#b7791f;--bad:#b42318;--card:#fff}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
    "color:var(--fg);background:var(--bg)}\n"
    "header{background:var(--accent);color:#fff}\n"
    "nav{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1rem;"
    "max-width:72rem;margin:0 auto}\n"
    "nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}\n"
    "nav a{color:#fff;text-decoration:none}\n"
    "nav a[aria-current]{text-decoration:underline;font-weight:600}\n"
    ".brand{font-weight:700;letter-spacing:.02em}\n"
    ".lang{margin-left:auto;font-size:.9rem}\n"
    "main{max-width:72rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.5rem;margin:.5rem 0 1rem}\n"
    "h2{font-size:1.1rem;margin:1.2rem 0 .5rem;color:var(--muted)}\n"
    "a{color:var(--accent)}\n"
    ".figs{display:flex;flex-wrap:wrap;gap:.6rem;align-items:stretch}\n"
    ".figs h2{flex-basis:100%;margin-bottom:0}\n"
    ".fig{background:var(--card);border:1px solid var(--line);border-radius:.4rem;"
    "padding:.5rem .8rem;min-width:8rem}\n"
    ".fig .n{display:block;font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums}\n"
    ".fig.down .n,.fig.over .n,.fig.repair .n{color:var(--bad)}\n"
    ".fig.warning .n,.fig.supply .n,.fig.never .n{color:var(--warn)}\n"
    ".fig.up .n,.fig.ok .n{color:var(--accent)}\n"
    ".fig.zero .n{color:var(--muted)}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;background:var(--card);font-size:.95rem}\n"
    "th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);"
    "vertical-align:top}\n"
    "th{font-weight:600;white-space:nowrap}\n"
    "th a{color:var(--fg);text-decoration:none}\n"
    "td.num,dd.num,.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tbody tr:nth-child(even){background:#f3f6f4}\n"
    ".st{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:.85rem;"
    "background:#e8eee9}\n"
    ".st-up,.st-ok,.st-alive{background:#dcefe3;color:#1f5c38}\n"
    ".st-down,.st-over,.st-repair,.st-end-of-life,.st-lapsed{background:#fbe3e1;"
    "color:var(--bad)}\n"
    ".st-warning,.st-watch,.st-never,.st-late{background:#fcefd6;color:#7a4f0e}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}\n"
    "dt{color:var(--muted)}\n"
    "dd{margin:0;overflow-wrap:anywhere}\n"
    "dl.quota{grid-template-columns:max-content minmax(4rem,max-content)}\n"
    "section{margin-bottom:1rem}\n"
    ".gauge{display:flex;flex-wrap:wrap;align-items:center;gap:.6rem}\n"
    ".gauge .lbl{min-width:12rem}\n"
    ".gauge .n{font-weight:650;font-variant-numeric:tabular-nums}\n"
    "meter{width:16rem;max-width:60vw;height:1.1rem}\n"
    ".supplies{list-style:none;padding:0}\n"
    ".supplies li{display:grid;grid-template-columns:minmax(8rem,16rem) minmax(6rem,16rem) 3.5rem;"
    "gap:.6rem;align-items:center;margin:.2rem 0}\n"
    ".supplies meter{width:100%}\n"
    ".ranges a,.downloads a{display:inline-block;padding:.15rem .6rem;border:1px solid "
    "var(--line);border-radius:.3rem;text-decoration:none;margin:0 .2rem .3rem 0}\n"
    ".ranges a[aria-current]{background:var(--accent);color:#fff;border-color:var(--accent)}\n"
    "figure{margin:.5rem 0}\n"
    "figure img{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}\n"
    ".error{color:var(--bad);font-weight:600}\n"
    ".none,.note,.sub,footer{color:var(--muted)}\n"
    "#notices li.sent{font-weight:600}\n"
    "#fleet th{font-weight:normal;white-space:normal}\n"
    "#fleet th::first-letter{text-transform:uppercase}\n"
    "footer{max-width:72rem;margin:0 auto;padding:1rem;font-size:.85rem}\n"
    "@media (max-width:40rem){body{font-size:15px}.fig{min-width:45%}"
    ".gauge .lbl{min-width:0;flex-basis:100%}th,td{padding:.3rem .4rem}"
    ".supplies li{grid-template-columns:1fr 3.5rem}.supplies li>span:first-child{grid-column:1/-1}}\n"
    "@media print{header,.lang,.ranges,.downloads{display:none}body{background:#fff;"
    "font-size:11pt}main{max-width:none;padding:0}.scroll{overflow:visible}"
    "a{color:inherit;text-decoration:none}table{font-size:9pt}section{break-inside:avoid}"
    "tbody tr:nth-child(even){background:none}}\n";

int
page_static(const struct web_req *rq, const char *name, struct web_body *out)
{
	if (name == NULL || strcmp(name, "style.css") != 0)
		return page_error(rq, 404, out);
	return page_bytes(out, 200, "text/css; charset=utf-8", xstrdup(style_css),
	    sizeof(style_css) - 1);
}
