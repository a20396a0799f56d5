#!/usr/bin/env bash
# Runs every test of the repository and prints "N passed, N failed, N skipped" counted
# from the test result files. Installs the interop peers it needs when run as root. The PostgreSQL tests run
# against EVENTLOG_TEST_POSTGRES; when it is unset, a private cluster is started for the run (tests/postgres.sh,
# installing postgresql as root when missing) and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

apt_packages=(python3-grpcio python3-grpc-tools nghttp2-client curl jq chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing apt packages: ${missing[*]} (run as root or install them)" >&2
  fi
fi

if [ -z "${EVENTLOG_TEST_POSTGRES:-}" ]; then
  pg_dir=$(mktemp -d /tmp/eventlog-test-pg.XXXXXX)
  trap 'bash "$ROOT/tests/postgres.sh" stop "$pg_dir"' EXIT
  if EVENTLOG_TEST_POSTGRES=$(bash tests/postgres.sh start "$pg_dir"); then
    export EVENTLOG_TEST_POSTGRES
  else
    echo "PostgreSQL could not be started: its tests will be skipped" >&2
  fi
fi

(cd tests && npm ci --no-audit --no-fund --loglevel=error)

echo "== buf lint"
tests/node_modules/.bin/buf lint
echo "buf lint: ok"

results="$ROOT/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
dotnet build EventLogGrpc.sln -c Release -nologo -v q || exit 1
dotnet test EventLogGrpc.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

python3 tests/summarize_trx.py "$results"
exit $status
