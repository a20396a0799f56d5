#!/usr/bin/env bash
# End-to-end throughput of the mixed workload on SQLite (the built server as a process, our gRPC client,
# writes of four kinds plus listers and followers) beside the raw storage throughput of the same writes
# made in-process without gRPC. Both systems start once and stay warm; their measured windows take turns
# (raw, end to end, raw, ...), so drift of the shared machine hits both sides of a round alike. Prints every
# window, the failed writes and lists, and the median of the round ratios of successful writes (goal >= 0.75);
# exits 1 when anything failed. Not part of the test run.
#
#   tests/benchmarks/e2e/run.sh        (tests/benchmarks/e2e/run-replicas.sh: the same on PostgreSQL, 1 and 3 replicas)
#
# Knobs (environment): DURATION (s per measured window, 10; each window starts with 1 s of writes that do
# not count), WARMUP (s, 15 per system: tiered JIT must settle), ROUNDS (window pairs, 5), WRITERS
# (concurrent writers, 16), LIST_RATE (lists/s during end-to-end windows, 50), FOLLOWERS (20, connected
# throughout), MIX (e.g. MIX=Message,Lines to run some kinds only), OBSERVABILITY (off: the server's metrics and
# traces off, the default; on: both on, sampling at its default, exported by OTLP/HTTP to a sink in this process
# that reads and drops them; both: one server of each kind, their windows taking turns, and the on/off ratio).
# COMPARE_SERVER (another build's EventLog.Server.dll, e.g. a copy of main's bin/Release/net10.0) or COMPARE_ENV
# (NAME=value;NAME=value: this build with other settings, e.g. COMPARE_ENV="TaskLog__FollowLinger=00:00:00.050"):
# a second server whose windows take turns with the first one's (their order turning each round), and the median
# round ratio second / first, which tells a change's effect far better than two separate runs can on a noisy machine.
# Prints the CPU time per write of each process, which tells where the time goes. Everything stays on
# 127.0.0.1; temporary databases are removed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)

echo "== building (Release)"
dotnet build -c Release -v q --nologo "$ROOT/src/EventLog.Server/EventLog.Server.csproj" >/dev/null
dotnet build -c Release -v q --nologo "$HERE/EventLog.Benchmarks.E2E/EventLog.Benchmarks.E2E.csproj" >/dev/null

exec dotnet "$HERE/EventLog.Benchmarks.E2E/bin/Release/net10.0/EventLog.Benchmarks.E2E.dll" "$ROOT/src/EventLog.Server/bin/Release/net10.0/EventLog.Server.dll"
