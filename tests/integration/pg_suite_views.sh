#!/bin/sh
# pg_suite.sh's second part: quotas and their mail, the counters and the printers'
# first polls, on PostgreSQL (pg_suite_report.sh has the report and the CLI's views).
PG_TESTS="quota_mail once_printers counters_vendors" \
	exec sh "$(dirname "$0")/pg_suite.sh"
