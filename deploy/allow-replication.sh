#!/bin/sh
# Run once by the postgres image when it creates the database (/docker-entrypoint-initdb.d):
# lets the compose `replica` service stream from `db` with the database user's password.
set -eu
echo "host replication ${POSTGRES_USER:-postgres} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
