#!/bin/sh
# A fresh, throw-away cluster per container: trust auth on 127.0.0.1 only, no fsync (tests).
set -e
PGDATA=/tmp/pgdata
initdb -D "$PGDATA" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
exec postgres -D "$PGDATA" -p "${PGPORT}" -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off
