/*
 * rrdcached, for the RRD writer (rrdw.c) and the readers (graphs, exports).
 * Over TCP rrdcached takes no absolute path (librrd refuses one: the daemon
 * resolves names under its own -b base directory), so a file is named by its
 * path below data_dir: "rrd/ID.rrd", "rrd/departments/ID.rrd". Pollers on
 * other machines write there; the central host, where the CLI and the web
 * read the files, has rrdcached's base directory as its data_dir. Over a
 * unix socket names are the local absolute paths, as they always were.
 */
#ifndef GF_RRDCACHE_H
#define GF_RRDCACHE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"

/* Whether the rrdcached address ADDR is a TCP one (not "unix:PATH" or "/PATH"). */
int rrdcache_remote(const char *addr);

/* The name rrdcached knows the file at PATH (below CONF's data_dir) by. */
const char *rrdcache_name(const struct gf_conf *conf, const char *path);

/*
 * For readers: asks CONF's rrdcached (if any) to write what it holds for
 * the file at PATH, so that librrd reads every poller's last samples from
 * disk. 0 (also when no daemon answers: the file is read as it is), or
 * -1 (rrd_get_error says why).
 */
int rrdcache_flush_file(const struct gf_conf *conf, const char *path);

/* Room for a data source name, NUL included. */
#define RRDCACHE_DS_NAME 20

struct rrdcache;

/* Connects to rrdcached at ADDR; NULL (logged) if it does not answer. */
struct rrdcache *rrdcache_open(const char *addr);

/*
 * Sends N update strings for the file NAME. Every sample is also kept (the
 * last 64 KB of them): when the connection breaks, rrdcached is asked again
 * (every few seconds) and, once it answers, the kept samples are sent again
 * in order (those it already has are refused by it, one by one), since
 * rrdcached 1.7 acknowledges an update before its journal reaches the disk.
 * 0, or -1 with ERR.
 */
int rrdcache_update(struct rrdcache *c, const char *name, int n, const char **argv, char *err,
    size_t errsz);

/*
 * The file NAME as rrdcached sees it, after it wrote what it holds: its
 * data source names in file order into NAMES (at most MAX) and its last
 * update into *LAST. If there is none, it is created with the ARGC DS and
 * RRA definitions of ARGV (rrdcached's CREATE, -O: never over a file).
 * Returns the count of sources of a file that was there, 0 if created, -1
 * with ERR.
 */
int rrdcache_ensure(struct rrdcache *c, const char *name, unsigned long step, time_t when,
    int argc, const char **argv, char names[][RRDCACHE_DS_NAME], int max, time_t *last,
    char *err, size_t errsz);

/* Whether the connection is up (not lost and waiting to be reached again). */
int rrdcache_up(const struct rrdcache *c);

/* Asks rrdcached to write out (FLUSH) or drop (FORGET) what it holds for NAME. */
void rrdcache_flush(struct rrdcache *c, const char *name);
void rrdcache_forget(struct rrdcache *c, const char *name);

void rrdcache_close(struct rrdcache *c);

#endif
