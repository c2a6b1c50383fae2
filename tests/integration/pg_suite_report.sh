#!/bin/sh
# pg_suite.sh's third part: the report, changes between polls and the CLI's views,
# on PostgreSQL (split from pg_suite_views.sh so that the two run side by side).
PG_TESTS="report changes_between_polls cli_consistency" \
	exec sh "$(dirname "$0")/pg_suite.sh"
