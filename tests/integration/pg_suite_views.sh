#!/bin/sh
# pg_suite.sh's second half: quotas and their mail, the report, the counters and
# the CLI's views, on PostgreSQL.
PG_TESTS="quota_mail report once_printers changes_between_polls cli_consistency counters_vendors" \
	exec sh "$(dirname "$0")/pg_suite.sh"
