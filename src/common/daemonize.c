/*
 * Daemonising that reports startup errors, a locked pidfile, privileges
 * dropped and systemd told: what greenfleetd and greenfleet-web share.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemonize.h"
#include "log.h"

static int ready_fd = -1;
static int pid_fd = -1;
static char *pid_path;

int
daemonize(void)
{
	int p[2];
	char c = 0;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		/* The launcher: wait for "ready", or for the daemon to die trying. */
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		if (c == 'R')
			_exit(0);
		fprintf(stderr, "%s: did not start (see the messages above)\n",
		    program_invocation_short_name);
		_exit(1);
	}
	close(p[0]);
	if (setsid() < 0)
		return -1;
	/* A second fork: the daemon is no session leader and never gets a terminal back. */
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	umask(027);
	if (chdir("/") != 0)
		return -1;
	ready_fd = p[1];
	return 0;
}

void
daemonize_ready(void)
{
	int fd;

	if (ready_fd < 0)
		return;
	/* From here on, syslog only: the terminal the launcher had is not ours. */
	log_to_syslog();
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (write(ready_fd, "R", 1) != 1)
		log_warnx("daemon: could not tell the launcher it started");
	close(ready_fd);
	ready_fd = -1;
}

int
pidfile_take(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		log_err("pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		log_err("pidfile %s: %s is already running (pid %s)", path,
		    program_invocation_short_name, buf[0] ? buf : "?");
		close(fd);
		return -1;
	}
	/* Unlocked: whatever pid it holds is a dead daemon's. */
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, n, 0) != n) {
		log_err("pidfile %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	pid_fd = fd;
	pid_path = strdup(path);
	return 0;
}

void
pidfile_release(void)
{
	if (pid_fd < 0)
		return;
	if (pid_path != NULL)
		unlink(pid_path);
	close(pid_fd);
	free(pid_path);
	pid_fd = -1;
	pid_path = NULL;
}

int
drop_privileges(const char *user, int allow_root, const char *conf_path)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		if (user != NULL)
			log_debug("not root: staying %ld, user %s not needed", (long)geteuid(), user);
		return 0;
	}
	if (user == NULL) {
		if (allow_root)
			return 0;
		log_err("refusing to run as root: a daemon that parses answers from the network "
		    "should not; set user = \"greenfleet\" in %s, or pass --allow-root",
		    conf_path);
		return -1;
	}
	if ((pw = getpwnam(user)) == NULL) {
		log_err("user %s: no such user", user);
		return -1;
	}
	if (pw->pw_uid == 0 && !allow_root) {
		log_err("user %s is root: refusing (pass --allow-root to insist)", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || initgroups(user, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		log_err("cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	/* Make sure there is no way back. */
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		log_err("still able to become root after dropping to %s", user);
		return -1;
	}
	log_info("running as %s (uid %ld)", user, (long)pw->pw_uid);
	return 0;
}

/*
 * systemd's notify protocol (sd_notify(3), a stable interface): one datagram
 * with STATE to the AF_UNIX socket named by $NOTIFY_SOCKET, "@" meaning the
 * abstract namespace. Spoken directly rather than through libsystemd, which
 * would be one more library loaded for a single sendto().
 */
void
notify_systemd(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t len;
	size_t n;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    (n = strlen(path)) >= sizeof(sun.sun_path))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, len) < 0)
		log_warnx("systemd: cannot notify %s: %s", state, strerror(errno));
	if (fd != -1)
		close(fd);
}
