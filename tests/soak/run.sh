#!/usr/bin/env bash
# Soak: the built server as a child process under mixed load (paced writes of every kind, lists and
# 200 followers: message watches, task log tails, progress watches, task state watches) for a bounded
# time. Prints the server's RSS and the error counts every REPORT_EVERY seconds; exits non-zero on any
# error (failed call, broken stream, gap or repeat in a stream, follower left behind) or when the RSS
# after warm-up keeps growing. Not part of the default test run.
#
#   tests/soak/run.sh                  # 10 minutes
#   DURATION=120 tests/soak/run.sh     # 2 minutes
#
# Knobs (environment): DURATION (s, 600), FOLLOWERS (200), WRITE_RATE (writes/s, 100),
# LIST_RATE (lists/s, 20), REPORT_EVERY (s, 15). The server runs with production auth and the
# default limits; everything stays on 127.0.0.1 and the temporary data is removed at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

echo "== building (Release)"
dotnet build -c Release -v q --nologo "$ROOT/src/EventLog.Server/EventLog.Server.csproj"
dotnet build -c Release -v q --nologo "$HERE/EventLog.Soak/EventLog.Soak.csproj"

echo "== soak"
exec dotnet "$HERE/EventLog.Soak/bin/Release/net10.0/EventLog.Soak.dll" "$ROOT/src/EventLog.Server/bin/Release/net10.0/EventLog.Server.dll"
