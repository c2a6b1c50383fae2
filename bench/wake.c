/*
 * bench/wake.c -- what one RRD-sized file update costs in CPU when updates
 * come back to back, and when the process sleeps between them.
 *
 * Each update is what greenfleetd's native RRD updater does per sample:
 * open, pread of the 4 KB header, pwrite of 2,640 bytes of header, pwrite of
 * a 48-byte row further in the file, close. The files are made once (FILES of
 * 1 MB each, in DIR); each pass updates every file once over PERIOD_S
 * seconds, as greenfleetd does per interval, either one file at a time
 * evenly spread, or in groups (12: greenfleetd's 250 ms ticks at 1,000
 * devices and 20 s; all: the whole fleet at once, as collectd polls).
 * CPU is the process's user + system time (getrusage) over the pass, divided
 * by the number of updates: sleeping costs nothing, so a difference between
 * schedules is the price of waking with cold caches.
 *
 *     cc -O2 -o /tmp/wake bench/wake.c
 *     /tmp/wake DIR [FILES [PERIOD_S [PASSES]]]   # default 1000 files, 20 s, 3 passes
 *
 * Not part of the build or of the test suite; see bench/NOTES.md ("Poll waves").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE	(1024 * 1024)
#define HEAD_READ	4096
#define HEAD_WRITE	2640
#define ROW_SIZE	48

static double
cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void
path_of(char *buf, size_t sz, const char *dir, int i)
{
	snprintf(buf, sz, "%s/f%05d.rrd", dir, i);
}

static int
make_files(const char *dir, int n)
{
	static char block[FILE_SIZE];
	char path[4096];
	int i, fd;

	memset(block, 0x5a, sizeof(block));
	for (i = 0; i < n; i++) {
		path_of(path, sizeof(path), dir, i);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
		    write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) {
			perror(path);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int
update(const char *dir, int i, long row)
{
	char path[4096], head[HEAD_READ], rowbuf[ROW_SIZE];
	off_t at = HEAD_READ + (row * ROW_SIZE) % (FILE_SIZE - HEAD_READ - ROW_SIZE);
	int fd, rc = 0;

	path_of(path, sizeof(path), dir, i);
	if ((fd = open(path, O_RDWR)) == -1)
		return -1;
	memset(rowbuf, (int)row, sizeof(rowbuf));
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    pwrite(fd, head, HEAD_WRITE, 0) != HEAD_WRITE ||
	    pwrite(fd, rowbuf, sizeof(rowbuf), at) != (ssize_t)sizeof(rowbuf))
		rc = -1;
	close(fd);
	return rc;
}

/* Seconds on the monotonic clock. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One pass: every file updated once over PERIOD seconds, GROUP files back to
 * back at each of n / GROUP evenly spaced moments (GROUP 1: the spread
 * schedule; GROUP n: the whole fleet at once). CPU µs per update.
 */
static double
pass(const char *dir, int n, double period, int group, long row)
{
	double t0 = cpu_us(), start = now_s(), slot = period * group / n, left;
	struct timespec ts;
	int i;

	for (i = 0; i < n; i++) {
		if (i % group == 0 && (left = start + slot * (i / group) - now_s()) > 0) {
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
		if (update(dir, i, row) != 0) {
			perror("update");
			exit(1);
		}
	}
	return (cpu_us() - t0) / n;
}

int
main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 1000;
	double period = argc > 3 ? atof(argv[3]) : 20;
	int passes = argc > 4 ? atoi(argv[4]) : 3;
	int groups[] = { 1, 12, 50, n, 0 };
	long row = 0;
	size_t g;
	int p;

	if (argc < 2 || n <= 0 || n > 99999 || !(period >= 0 && period <= 3600) || passes <= 0) {
		fprintf(stderr, "usage: wake DIR [FILES [PERIOD_S [PASSES]]]\n");
		return 2;
	}
	if (make_files(argv[1], n) != 0)
		return 1;
	pass(argv[1], n, 0, n, row++);	/* fault the page cache in once */
	printf("%d files, each updated once per %.0f s pass; CPU us per update:\n", n, period);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (groups[g] == 0)	/* last: all at once, no sleep at all */
			printf("  burst, no sleep:      ");
		else
			printf("  %5d at a time:      ", groups[g]);
		for (p = 0; p < passes; p++)
			printf(" %6.1f", groups[g] ? pass(argv[1], n, period, groups[g], row++) :
			    pass(argv[1], n, 0, n, row++));
		printf("\n");
		fflush(stdout);
	}
	return 0;
}
