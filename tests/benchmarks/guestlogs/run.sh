#!/usr/bin/env bash
# Guest logs and provisioning benchmark (issue 5) on SQLite, the real server in-process on loopback h2c with our
# client. Prints tail -100 latency of a 1 GiB log against a 10 MiB one (p50/p99 and their ratio), publish MB/s,
# and WatchProgress delivery p50/p99 with 1,000 watchers of one cluster. Not part of the test run; the 1 GiB log
# needs about 1.1 GB of free space in the temp folder (removed at the end).
#
#   tests/benchmarks/guestlogs/run.sh                       # the issue's sizes
#   tests/benchmarks/guestlogs/run.sh --big-mib 20 --small-mib 2 --watchers 50 --events 10 --tail-rounds 5
#
# Knobs (arguments, defaults in brackets): --big-mib [1024] (0 skips the big log), --small-mib [10],
# --watchers [1000], --events [100] recorded one at a time, --spacing-ms [50] between events,
# --tail-rounds [50] measured TailLog calls per log.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec dotnet run -c Release --project "$HERE/GuestLogsBenchmark.csproj" -- "$@"
