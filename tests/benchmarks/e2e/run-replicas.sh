#!/usr/bin/env bash
# The mixed workload of run.sh on PostgreSQL: one replica against three replicas of one database (each deployment on
# a database of its own, the client spreading writes, lists and followers over the replicas in turn), their
# windows taking turns; prints writes/s and list p99 per window and their medians. Then the cross-replica watch
# latency: messages created one at a time through replica 1, each awaited on a watch of replica 2, first with the
# replicas idle (LATENCY_MESSAGES of them), then for one window under the mixed workload; p50/p99 from the call's
# start (goal p99 <= 100 ms) and from its response. Exits 1 when a write or list failed. Not part of the test run.
#
#   tests/benchmarks/e2e/run-replicas.sh
#
# Starts a private cluster with tests/postgres.sh (fsync off, as for the tests) and stops it on exit; POSTGRES (a
# connection string of a role with CREATEDB) uses another server instead. The knobs of run.sh apply (DURATION,
# WARMUP, ROUNDS, WRITERS, LIST_RATE, FOLLOWERS, MIX), and LATENCY_MESSAGES (3000).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)

if [ -z "${POSTGRES:-}" ]; then
  pg_dir=$(mktemp -d /tmp/eventlog-bench-pg.XXXXXX)
  trap 'bash "$ROOT/tests/postgres.sh" stop "$pg_dir"' EXIT
  POSTGRES=$(bash "$ROOT/tests/postgres.sh" start "$pg_dir")
fi
export POSTGRES

echo "== building (Release)"
dotnet build -c Release -v q --nologo "$ROOT/src/EventLog.Server/EventLog.Server.csproj" >/dev/null
dotnet build -c Release -v q --nologo "$HERE/EventLog.Benchmarks.E2E/EventLog.Benchmarks.E2E.csproj" >/dev/null

# Not exec: the trap stops the cluster after the run.
dotnet "$HERE/EventLog.Benchmarks.E2E/bin/Release/net10.0/EventLog.Benchmarks.E2E.dll" "$ROOT/src/EventLog.Server/bin/Release/net10.0/EventLog.Server.dll"
