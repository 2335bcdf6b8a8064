#!/bin/sh
# A PostgreSQL streaming replica of $PRIMARY_HOST (docker-compose.yml's `replica` service).
#
# First start: copy the primary with `pg_basebackup -R` (which also writes the standby's
# connection to it) into $PGDATA; later starts reuse the copy. Then run the server as a hot
# standby; arguments are passed on to `postgres` (e.g. `-c port=5433`). The primary must accept
# replication connections from here (deploy/allow-replication.sh, for the compose `db`).
set -eu
: "${PRIMARY_HOST:?set PRIMARY_HOST}"
: "${PGDATA:?set PGDATA}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pg_basebackup --host="$PRIMARY_HOST" --port="${PRIMARY_PORT:-5432}" \
    --username="${POSTGRES_USER:-postgres}" --pgdata="$PGDATA" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast
  # A primary that keeps its configuration outside its data directory (Debian's packages)
  # gives a copy without it: the standby then runs on the defaults, local connections trusted.
  [ -f "$PGDATA/postgresql.conf" ] || : > "$PGDATA/postgresql.conf"
  [ -f "$PGDATA/pg_ident.conf" ] || : > "$PGDATA/pg_ident.conf"
  [ -f "$PGDATA/pg_hba.conf" ] || printf 'local all all trust\n' > "$PGDATA/pg_hba.conf"
fi
exec postgres -D "$PGDATA" -c hot_standby=on "$@"
