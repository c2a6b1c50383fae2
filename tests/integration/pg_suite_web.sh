#!/bin/sh
# pg_suite.sh's fourth part: the whole-fleet readers (store_statuses, store_supplies,
# the health scan, store_odometers, store_outbox_waiting) behind greenfleet metrics,
# greenfleet fleet and repair advice, and the web pages, on PostgreSQL.
PG_TESTS="metrics fleet_advice web_pages" \
	exec sh "$(dirname "$0")/pg_suite.sh"
