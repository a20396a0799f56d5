#!/usr/bin/env bash
# TaskLog benchmark (issue 4) on SQLite, the real server in-process on loopback h2c with our client. Prints
# RecordRequest unary calls/s, AppendTaskLog lines/s through client streaming, and follow-tail delivery latency
# (commit → client) with 100 followers, each with p50/p99. Not part of the test run.
#
#   tests/benchmarks/tasklog/run.sh                       # the issue's sizes
#   tests/benchmarks/tasklog/run.sh --records 500 --concurrency 8 --streams 2 --calls 2 --followers 5 --deliveries 20
#
# Knobs (arguments, defaults in brackets): --records [20000] RecordRequest calls, --concurrency [64] concurrent
# callers, --streams [8] AppendTaskLog streams, --calls [10] calls per stream (5 × 1,000 lines each),
# --followers [100] followers of one task, --deliveries [300] lines appended while they follow, --reads (also
# measure GetTimeline), --warmup-seconds [20] unmeasured RecordRequest load first (tiered JIT settles under load),
# --rounds [3] measured RecordRequest rounds of --records calls, each printed, the median the figure.
# The temporary database is removed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec dotnet run -c Release --project "$HERE/TaskLogBenchmark.csproj" -- "$@"
