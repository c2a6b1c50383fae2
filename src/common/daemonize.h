/*
 * Daemonising with startup errors reported back: the launching command
 * waits until the daemon says it is ready (state database and RRD
 * directory opened, pidfile locked) and exits 0, or exits 1 when it did not
 * get that far, after the daemon has printed why on the same terminal.
 */
#ifndef GF_DAEMONIZE_H
#define GF_DAEMONIZE_H

/* Detaches; in the launching process this never returns (exit 0 or 1). -1 on failure. */
int daemonize(void);

/* The daemon is up: releases the launching process, then logs to syslog only. */
void daemonize_ready(void);

/*
 * Tells systemd (Type=notify, NOTIFY_SOCKET set) what the daemon is doing:
 * "READY=1", "RELOADING=1", "STOPPING=1". A no-op without libsystemd.
 */
void notify_systemd(const char *state);

/*
 * Takes PATH as the pidfile, holding a lock on it for the life of the
 * process: a second daemon is refused with the first one's pid; a file left
 * by a dead one (no lock) is taken over. -1 (logged) on failure.
 */
int pidfile_take(const char *path);
void pidfile_release(void);

/*
 * Becomes USER (its groups too) when running as root; without USER, root is
 * refused unless ALLOW_ROOT. -1 with the reason logged.
 */
int drop_privileges(const char *user, int allow_root, const char *conf_path);

#endif
