#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 server for the tests on 127.0.0.1:${MIGNET_PG_PORT:-54329} and prints
# the admin URL the tests read from MIGNET_TEST_POSTGRES. Installs Debian's postgresql if it is missing.
# Fails loudly: a store suite that cannot reach PostgreSQL must not pass by skipping.
set -euo pipefail
port=${MIGNET_PG_PORT:-54329}
data=${MIGNET_PG_DATA:-/tmp/mignet-pg-$port}
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/postgres" ]; then
  echo "installing postgresql (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
[ -x "$bin/postgres" ] || { echo "PostgreSQL 15 server binaries not found in $bin" >&2; exit 1; }
if ! id postgres >/dev/null 2>&1; then
  useradd --system --home /var/lib/postgresql postgres >&2
fi
if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  exit 0
fi
rm -rf "$data" && mkdir -p "$data" && chown postgres "$data"
su postgres -s /bin/sh -c "$bin/initdb -D '$data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' -l '$data/server.log' -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -w start" >&2
"$bin/pg_isready" -h 127.0.0.1 -p "$port" >&2 || { cat "$data/server.log" >&2; exit 1; }
echo "postgres://postgres@127.0.0.1:$port/postgres"
