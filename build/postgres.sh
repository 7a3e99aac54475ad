#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests (installing PostgreSQL 15 from Debian when missing) and
# prints the connection string for BULWARK_TEST_POSTGRES. Idempotent: a running server is reused.
set -euo pipefail

port="${BULWARK_PG_PORT:-55432}"
dir="${BULWARK_PG_DIR:-/tmp/bulwark-test-postgres}"
bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/initdb" ]] && bin="$candidate"
done
if [[ -z "$bin" ]]; then
  echo "installing PostgreSQL 15" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
  bin=/usr/lib/postgresql/15/bin
fi

# PostgreSQL refuses to run as root: use the postgres account when we are root.
run() {
  if [[ "$(id -u)" == 0 ]]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

if ! run "$bin/pg_isready -q -h 127.0.0.1 -p $port" 2>/dev/null; then
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres "$dir"
    run "$bin/initdb -D $dir -A trust -U bulwark --no-sync -E UTF8" >/dev/null
  fi
  run "$bin/pg_ctl -D $dir -l $dir/server.log -w -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start" >/dev/null
fi

echo "Host=127.0.0.1;Port=$port;Username=bulwark;Database=postgres;Include Error Detail=true"
