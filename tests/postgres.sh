#!/usr/bin/env bash
# Starts or stops a private PostgreSQL cluster for the tests: its own data directory, no TCP listener, and a
# Unix socket in its own directory, so it never meets another cluster on the machine.
#   tests/postgres.sh start DIR   installs postgresql when run as root and it is missing, creates and starts the
#                                 cluster under DIR, creates the role and database eventlog, and prints the
#                                 connection string on stdout (everything else goes to stderr)
#   tests/postgres.sh stop DIR    stops the cluster and deletes DIR
# As root the cluster runs as the postgres user (initdb refuses root); otherwise as the caller.
set -euo pipefail
command=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
port=54329

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && [ "$(id -u)" = 0 ]; then
    echo "installing postgresql with apt" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null </dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null </dev/null; }
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [ -n "$found" ] || { echo "postgresql is not installed (apt-get install postgresql, or run as root)" >&2; exit 1; }
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    bin=$(bindir)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 >&2
    # Durability is worth nothing in a throw-away test cluster; fsync off makes each test database quick to create.
    # Every test class opens its own pools and a listening connection, hence the connection limit. Test databases
    # live for seconds: autovacuum would only get in the way of dropping them.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off" >&2
    as_owner "$bin/psql" -h "$dir" -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE ROLE eventlog LOGIN CREATEDB PASSWORD 'eventlog'" \
      -c "CREATE DATABASE eventlog OWNER eventlog" >&2
    echo "Host=$dir;Port=$port;Username=eventlog;Password=eventlog;Database=eventlog"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
