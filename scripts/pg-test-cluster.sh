#!/usr/bin/env bash
# Starts (start) or stops (stop) a throwaway PostgreSQL cluster on a loopback port for the test suites.
# Prints the DATABASE_URL of its superuser on start. Uses initdb/pg_ctl from /usr/local/bin or Debian's packages.
set -euo pipefail
cmd=${1:-start}
dir=${PG_TEST_DIR:-/tmp/fazhi-pg-test}
port=${PG_TEST_PORT:-55432}
bin=""
for d in /usr/local/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then bin=$d; break; fi
done
if [ -z "$bin" ]; then
  echo "pg-test-cluster: initdb/pg_ctl not found; installing postgresql from Debian" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  for d in /usr/lib/postgresql/*/bin; do bin=$d; done
fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd -r -m postgres; fi
case "$cmd" in
  start)
    if [ -f "$dir/postmaster.pid" ]; then as_pg "$bin/pg_ctl -D $dir -m immediate stop" >/dev/null 2>&1 || true; fi
    rm -rf "$dir"; mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb -D $dir -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
CONF
    as_pg "$bin/pg_ctl -D $dir -l $dir/server.log -w start" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir" ] && as_pg "$bin/pg_ctl -D $dir -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
