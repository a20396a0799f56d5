#!/usr/bin/env bash
# Unary gRPC throughput and latency of the EventLog server on grpc-dotnet, measured with h2load on
# loopback against two references. Not part of the test run: it prints numbers.
#
#   tests/benchmarks/rpc/run.sh
#
# Servers (all built Release, all h2c on 127.0.0.1):
#   EventLog           the real server (src/EventLog.Server) with its shipped settings (its appsettings.json,
#                      SQLite in a temporary directory), except Auth:Mode=Production with two generated
#                      tokens of one project: an agent token that creates the messages, a reader token
#                      that reads them
#   plain grpc-dotnet  PlainGrpc/: Grpc.AspNetCore with its health service, one health check that always
#                      reports Healthy (without one grpc-dotnet answers UNKNOWN) and nothing else
#   bare Kestrel       BareKestrel/: an endpoint writing the bytes of a SERVING Health/Check answer; no gRPC
#                      code, so the upper bound of what Kestrel can do for the same exchange
# Workloads:
#   Health/Check       grpc.health.v1.Health/Check, empty request, against all three. The goal figure is
#                      EventLog/plain grpc-dotnet >= 0.90. grpc-dotnet runs the registered health checks
#                      on every Check (UseHealthChecksCache is off by default): EventLog's "storage" check
#                      shares one read of SQLite over a fresh connection among the checks of a second,
#                      plain grpc-dotnet's returns at once. That is what each ships with, so that is what
#                      is measured. All three answer SERVING.
#   GetMessage         eventlog.v1.MessagesService/GetMessage of an existing message with the reader's bearer
#                      token, EventLog only (the others have no such method): auth, limits, observability,
#                      a SQLite read and catalog rendering. It is reported beside EventLog's own Health/Check
#                      window of the same round.
#
# Knobs (environment): DURATION (s per window, default 6), ROUNDS (9: in each round every workload and
# server gets one window, one after the other; goal figures are medians of the rounds' ratios), WARMUP (s,
# 30: an unmeasured h2load run per workload and server first, so tiered JIT has promoted the hot paths; on
# one pinned core that takes 20-30 s and a shorter warm-up measures partly unoptimized code), CLIENTS (16
# connections), STREAMS (32 per connection), MESSAGES (20 created before GetMessage is measured), PIN (1:
# servers on CPU 0 and h2load on CPU 1 when there are 2+ CPUs, so the load generator does not steal the
# servers' core). Defaults take about 8 minutes on 2 cores, build included.
# h2load sees HTTP statuses only, so gRPC statuses are checked apart: every server answers nghttp (with
# h2load's exact request) and python grpcio before the first window and after the last, and EventLog's
# log, where it writes every call that does not end OK, is read after each of its windows.
# Everything it starts is killed on exit; nothing leaves 127.0.0.1. It fails (exit 1) when a server does
# not answer with gRPC status OK, or a request gets no HTTP 200; a goal not met is printed, not failed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
DURATION=${DURATION:-6}
ROUNDS=${ROUNDS:-9}
WARMUP=${WARMUP:-30}
CLIENTS=${CLIENTS:-16}
STREAMS=${STREAMS:-32}
MESSAGES=${MESSAGES:-20}
PIN=${PIN:-1}
PYTHON=/usr/bin/python3
HEALTH_PATH=/grpc.health.v1.Health/Check
GET_PATH=/eventlog.v1.MessagesService/GetMessage

die() { echo "run.sh: FAILED: $*" >&2; exit 1; }
# server_state NAME: whether the server still runs, and the end of its log, for a failure message. Other
# people's tests run on this machine too; a server that is gone was stopped from outside or crashed.
server_state() {
    local name=$1
    if kill -0 "${SERVER_PID[$name]}" 2>/dev/null; then
        echo "${LABEL[$name]} (pid ${SERVER_PID[$name]}) is still running; the end of its log:" >&2
    else
        echo "${LABEL[$name]} (pid ${SERVER_PID[$name]}) is NOT running any more; the end of its log:" >&2
    fi
    tail -n 15 "$WORK/${name%_get}.server.log" | sed 's/^/  | /' >&2
}
command -v h2load >/dev/null || die "h2load is missing: apt-get install nghttp2-client"
command -v nghttp >/dev/null || die "nghttp is missing: apt-get install nghttp2-client"
command -v dotnet >/dev/null || die "dotnet is missing"
"$PYTHON" -c 'import grpc, grpc_tools.protoc' 2>/dev/null || die "$PYTHON lacks grpc: apt-get install python3-grpcio python3-grpc-tools"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/eventlog-rpc-bench.XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    # A server that ignores SIGTERM for 10 s is killed, so the script never hangs on its way out.
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER_CPU=()
CLIENT_CPU=()
if [[ "$PIN" == 1 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
    SERVER_CPU=(taskset -c 0)
    CLIENT_CPU=(taskset -c 1)
fi

# build PROJECT: Release build; other people build in this tree too, so a build that lost a race for a
# file lock is retried after 20 s (twice) instead of failing the benchmark.
build() {
    local project=$1 log="$WORK/build-$(basename "$1" .csproj).log"
    for attempt in 1 2 3; do
        if dotnet build -c Release -v q --nologo "$project" >"$log" 2>&1; then
            return 0
        fi
        if (( attempt < 3 )) && grep -qE 'MSB302[0-9]|MSB3021|being used by another process|locked by' "$log"; then
            echo "   build of $(basename "$project") hit a file lock; retrying in 20 s"
            sleep 20
            continue
        fi
        break
    done
    cat "$log"
    die "build of $project failed"
}
echo "== building (Release)"
build "$ROOT/src/EventLog.Server/EventLog.Server.csproj"
build "$HERE/PlainGrpc/PlainGrpc.csproj"
build "$HERE/BareKestrel/BareKestrel.csproj"
EVENTLOG_BIN="$ROOT/src/EventLog.Server/bin/Release/net10.0"

echo "== request bodies and python stubs"
"$PYTHON" "$HERE/calls.py" bodies "$WORK"
mkdir "$WORK/stubs"
PROTO_INCLUDE=$("$PYTHON" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')
"$PYTHON" -m grpc_tools.protoc -I "$ROOT/protos" -I "$PROTO_INCLUDE" --python_out="$WORK/stubs" \
    "$ROOT/protos/eventlog/v1/common.proto" "$ROOT/protos/eventlog/v1/messages_service.proto" \
    "$ROOT/protos/google/api/http.proto" "$ROOT/protos/google/api/annotations.proto" \
    || die "grpc_tools.protoc could not compile protos/eventlog/v1"

# Fresh tokens each run; the server is given only their SHA-256, as in production.
token() { printf 'bench-%s-%s' "$1" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
AGENT_TOKEN=$(token agent)
READER_TOKEN=$(token reader)

# start NAME PATTERN DIR CMD... : runs a server in DIR in the background and waits (60 s at most: SQLite
# migrations and JIT on one pinned core) for the first log line matching PATTERN, whose last
# number (of `:PORT.` or `PORT n`) is its port.
declare -A PORTS SERVER_PID
start() {
    local name=$1 pattern=$2 dir=$3
    shift 3
    # The log exists before the server does, so the wait below can read it from the start.
    : >"$WORK/$name.server.log"
    (cd "$dir" && exec "${SERVER_CPU[@]}" "$@") >"$WORK/$name.server.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    SERVER_PID[$name]=$pid
    for _ in $(seq 600); do
        local line
        line=$(grep -m1 -E "$pattern" "$WORK/$name.server.log" || true)
        if [[ "$line" =~ ([0-9]+)[^0-9]*$ ]]; then
            PORTS[$name]=${BASH_REMATCH[1]}
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/$name.server.log" >&2
    die "$name did not start"
}

echo "== starting servers"
mkdir "$WORK/eventlog-data"
# Run from its output directory, as installed: the content root is the working directory, and only
# there does the server read the appsettings.json it ships with.
start eventlog '^ +EventLog listening on http://127\.0\.0\.1:[0-9]+' "$EVENTLOG_BIN" \
    dotnet "$EVENTLOG_BIN/EventLog.Server.dll" --urls http://127.0.0.1:0 --Storage:DataDirectory "$WORK/eventlog-data" \
    --Auth:Mode Production \
    --Auth:Tokens:0:Name bench-agent --Auth:Tokens:0:Sha256 "$(sha256 "$AGENT_TOKEN")" \
    --Auth:Tokens:0:Project bench --Auth:Tokens:0:Roles:0 agent \
    --Auth:Tokens:1:Name bench-reader --Auth:Tokens:1:Sha256 "$(sha256 "$READER_TOKEN")" \
    --Auth:Tokens:1:Project bench --Auth:Tokens:1:Roles:0 reader
start plain '^PORT [0-9]+$' "$WORK" dotnet "$HERE/PlainGrpc/bin/Release/net10.0/PlainGrpc.dll" 0
start bare '^PORT [0-9]+$' "$WORK" dotnet "$HERE/BareKestrel/bin/Release/net10.0/BareKestrel.dll" "$WORK/health-response.bin" 0
PORTS[eventlog_get]=${PORTS[eventlog]}
SERVER_PID[eventlog_get]=${SERVER_PID[eventlog]}
echo "   EventLog :${PORTS[eventlog]}, plain grpc-dotnet :${PORTS[plain]}, bare Kestrel :${PORTS[bare]}"

echo "== creating $MESSAGES messages in EventLog"
MESSAGE_ID=$("$PYTHON" "$HERE/calls.py" seed "$WORK" --stubs "$WORK/stubs" --port "${PORTS[eventlog]}" \
    --token "$AGENT_TOKEN" --count "$MESSAGES") || die "creating messages in EventLog failed"
echo "   GetMessage reads $MESSAGE_ID"

# One window kind per key: the server it runs against, the path, the body and any extra header.
WINDOWS=(bare plain eventlog eventlog_get)
declare -A LABEL=(
    [eventlog]="EventLog" [plain]="plain grpc-dotnet" [bare]="bare Kestrel" [eventlog_get]="EventLog")
declare -A WORKLOAD=(
    [eventlog]="Health/Check" [plain]="Health/Check" [bare]="Health/Check" [eventlog_get]="GetMessage")
declare -A URL_PATH=([eventlog]=$HEALTH_PATH [plain]=$HEALTH_PATH [bare]=$HEALTH_PATH [eventlog_get]=$GET_PATH)
declare -A BODY=(
    [eventlog]="$WORK/health-request.bin" [plain]="$WORK/health-request.bin" [bare]="$WORK/health-request.bin"
    [eventlog_get]="$WORK/get-request.bin")
declare -A AUTH=([eventlog_get]="authorization: Bearer $READER_TOKEN")
headers() {
    local name=$1
    HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers')
    [[ -n "${AUTH[$name]:-}" ]] && HEADERS+=(-H "${AUTH[$name]}")
    return 0
}

# check NAME WHEN: the answer to what h2load sends must be gRPC status 0. h2load only sees the HTTP
# status (200 even for a failed call; the gRPC status is a trailer), so each server answers twice
# before the first window and after the last: once through nghttp with h2load's exact headers and
# body (its grpc-status trailer must be 0), once through python grpcio, which also checks the answer
# (SERVING, or the message that was asked for).
check() {
    local name=$1 when=$2 out="$WORK/$1.nghttp.$2.out"
    headers "$name"
    timeout 30 nghttp -v "${HEADERS[@]}" -d "${BODY[$name]}" "http://127.0.0.1:${PORTS[$name]}${URL_PATH[$name]}" >"$out" 2>&1 || true
    # -a: nghttp -v prints the response body too, which is binary.
    if ! grep -aqE '^ *\[ *[0-9.]+\] recv \(stream_id=[0-9]+\) :status: 200$' "$out" \
        || ! grep -aqE 'recv \(stream_id=[0-9]+\) grpc-status: 0$' "$out" \
        || grep -aE 'grpc-status: ' "$out" | grep -avE 'grpc-status: 0$' >/dev/null; then
        grep -aE ':status|grpc-status|grpc-message|ERROR|error' "$out" >&2 || cat -v "$out" >&2
        server_state "$name"
        die "${LABEL[$name]} ${WORKLOAD[$name]} ($when) did not answer HTTP 200 with grpc-status 0 to nghttp"
    fi
    local py=(--call health)
    [[ "$name" == eventlog_get ]] && py=(--call get --stubs "$WORK/stubs" --token "$READER_TOKEN")
    "$PYTHON" "$HERE/calls.py" check "$WORK" --port "${PORTS[$name]}" "${py[@]}" \
        || { server_state "$name"; die "${LABEL[$name]} ${WORKLOAD[$name]} ($when) did not answer python grpcio with status OK and the expected response"; }
}

# EventLog logs every call that ends with a status other than OK (its default logging is Information;
# OK calls are Debug), so during its windows its log is where a non-zero gRPC status would show. After
# each EventLog h2load run, scan_log reads what was logged since the last scan: a call line with any
# status but CANCELLED fails the run. h2load ends a window by dropping its connections with up to
# CLIENTS x STREAMS calls in flight; grpc-dotnet logs those ("Error reading message", "Service method
# ... canceled", with "The request stream was aborted"), so they are counted on one line. Any other
# entry is printed, one line per distinct message.
LOG_SEEN=0
scan_log() {
    local log="$WORK/eventlog.server.log" total
    total=$(wc -l <"$log")
    (( total > LOG_SEEN )) || return 0
    local entries
    # Up to the line count taken above: what the server writes meanwhile is left for the next scan. One
    # sed, not tail | head: head leaving early would kill tail with SIGPIPE, which pipefail turns into a failure.
    # Each entry becomes "level category<TAB>message<TAB>1 if it is about a call cut off, else 0".
    entries=$(sed -n "$((LOG_SEEN + 1)),${total}p;${total}q" "$log" | awk '
        function flush() { if (msg != "") print head "\t" msg "\t" cut; msg = "" }
        /^(trce|dbug|info|warn|fail|crit): / { flush(); head = $1 " " $2; want = 1; next }
        want {
            want = 0; msg = $0; sub(/^ +/, "", msg)
            cut = (msg ~ /^Service method .* canceled\.$/ || msg ~ /^gRPC \/[^ ]+ CANCELLED in /)
            next
        }
        /The request stream was aborted/ { cut = 1 }
        END { flush() }')
    LOG_SEEN=$total
    [[ -z "$entries" ]] && return 0
    local failed
    failed=$(awk -F'\t' '$2 ~ /^gRPC \/[^ ]+ [A-Z_]+ in / { split($2, f, " "); if (f[3] != "CANCELLED") print $2 }' <<<"$entries")
    if [[ -n "$failed" ]]; then
        head -n 5 <<<"$failed" >&2
        die "EventLog logged $(wc -l <<<"$failed") call(s) with a gRPC status other than OK during the window above"
    fi
    awk -F'\t' '
        $3 == 1 { cut++; next }
        { n[$1 ": " $2]++ }
        END {
            if (cut) printf "      EventLog log: %d entries about calls cut off when h2load stopped\n", cut
            for (m in n) printf "      EventLog log: %d x %s\n", n[m], substr(m, 1, 100)
        }' <<<"$entries"
}

# Throughput on this kind of shared machine swings by 20-40% between windows a few seconds apart (bare
# Kestrel alone gave 68k-95k req/s in four back-to-back 10 s runs). So the servers take turns in short
# windows, many rounds, and each goal figure is the median of per-round ratios: a round compares windows
# seconds apart, and the median drops the rounds a burst of noise hit on one side.
declare -A ROWS LAST
run_h2load() {
    local name=$1 seconds=$2 out=$3 log=$4
    headers "$name"
    timeout $((seconds + 60)) "${CLIENT_CPU[@]}" h2load -D "$seconds" -c "$CLIENTS" -m "$STREAMS" \
        "${HEADERS[@]}" -d "${BODY[$name]}" --log-file="$log" \
        "http://127.0.0.1:${PORTS[$name]}${URL_PATH[$name]}" >"$out" 2>&1 \
        || { cat "$out"; server_state "$name"; die "h2load against ${LABEL[$name]} ${WORKLOAD[$name]} failed"; }
    # h2load's own tally: a request that failed, errored or timed out never reached a gRPC status.
    local bad
    bad=$(awk '/^requests:/ { print $10 + $12 + $14 }' "$out")
    if [[ "$bad" != 0 ]]; then
        grep -E '^(requests|status codes):' "$out" >&2
        server_state "$name"
        die "${LABEL[$name]} ${WORKLOAD[$name]}: $bad requests failed in h2load"
    fi
    settle "$name"
}
# settle NAME: h2load drops its connections with calls in flight, and the servers log those calls (with
# stack traces) after the window. Waiting until the server's log has not grown for 0.3 s (5 s at most)
# keeps that work out of the next server's window on the shared core, and lets scan_log see all of it.
settle() {
    local log="$WORK/${1%_get}.server.log" size last=-1
    for _ in $(seq 50); do
        size=$(stat -c %s "$log")
        [[ "$size" == "$last" ]] && return 0
        last=$size
        sleep 0.3
    done
    return 0
}
warmup() {
    local name=$1
    echo "== warm-up ${WARMUP}s: ${LABEL[$name]} ${WORKLOAD[$name]} (127.0.0.1:${PORTS[$name]}), $CLIENTS connections x $STREAMS streams"
    run_h2load "$name" "$WARMUP" "$WORK/$name.warmup.out" "$WORK/$name.warmup.log"
    rm -f "$WORK/$name.warmup.log"
    [[ "$name" == eventlog* ]] && scan_log
    return 0
}
measure() {
    local name=$1 round=$2
    local out="$WORK/$name.$round.out" log="$WORK/$name.$round.log"
    run_h2load "$name" "$DURATION" "$out" "$log"
    local rps p50 p99 ok failed
    rps=$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$out")
    read -r p50 p99 ok failed < <("$PYTHON" "$HERE/percentiles.py" "$log")
    rm -f "$log"
    if [[ "$failed" != 0 ]]; then
        server_state "$name"
        die "${LABEL[$name]} ${WORKLOAD[$name]}: $failed of $((ok + failed)) requests got no HTTP 200 in round $round"
    fi
    printf '   round %s  %-12s %-18s %10s req/s   p50 %8s ms   p99 %8s ms   (%s HTTP 200)\n' \
        "$round" "${WORKLOAD[$name]}" "${LABEL[$name]}" "$rps" "$p50" "$p99" "$ok"
    [[ "$name" == eventlog* ]] && scan_log
    ROWS[$name]+="$rps $p50 $p99"$'\n'
    LAST[$name]=$rps
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# median of the numbers given (the mean of the middle two for an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ r[NR] = $1 } END { if (NR % 2) print r[(NR + 1) / 2]; else printf "%.3f\n", (r[NR / 2] + r[NR / 2 + 1]) / 2 }'; }

echo "== checking every server's answer"
# What the server logged while starting and while the messages were created is not the windows' business.
LOG_SEEN=$(wc -l <"$WORK/eventlog.server.log")
for name in "${WINDOWS[@]}"; do
    check "$name" before
done
for name in "${WINDOWS[@]}"; do
    warmup "$name"
done

echo "== $ROUNDS rounds of ${DURATION}s windows, taking turns"
declare -A RATIOS
for round in $(seq "$ROUNDS"); do
    # Odd rounds run the order forward, even rounds backward: no window always follows the same one, and
    # the windows of each ratio (EventLog beside plain, EventLog's two workloads) stay next to each other.
    order=(bare plain eventlog eventlog_get)
    (( round % 2 == 0 )) && order=(eventlog_get eventlog plain bare)
    for name in "${order[@]}"; do
        measure "$name" "$round"
    done
    RATIOS[plain]+="$(ratio "${LAST[eventlog]}" "${LAST[plain]}") "
    RATIOS[bare]+="$(ratio "${LAST[eventlog]}" "${LAST[bare]}") "
    RATIOS[reference]+="$(ratio "${LAST[plain]}" "${LAST[bare]}") "
    RATIOS[get]+="$(ratio "${LAST[eventlog_get]}" "${LAST[eventlog]}") "
    echo "   round $round ratios: EventLog/plain $(ratio "${LAST[eventlog]}" "${LAST[plain]}"), EventLog/bare $(ratio "${LAST[eventlog]}" "${LAST[bare]}"), GetMessage/Health $(ratio "${LAST[eventlog_get]}" "${LAST[eventlog]}")"
done

echo "== checking every server's answer again"
for name in "${WINDOWS[@]}"; do
    check "$name" after
done
scan_log

GRPC_VERSION=$(sed -n 's/.*Include="Grpc.AspNetCore" Version="\([^"]*\)".*/\1/p' "$ROOT/Directory.Packages.props")
echo
echo "median of $ROUNDS rounds (latencies from the window with the median requests/s):"
printf '%-13s %-44s %12s %10s %10s\n' "workload" "server" "requests/s" "p50 (ms)" "p99 (ms)"
for name in eventlog plain bare eventlog_get; do
    label=${LABEL[$name]}
    case $name in
        plain) label="plain grpc-dotnet (Grpc.AspNetCore $GRPC_VERSION)" ;;
        bare) label="bare Kestrel (same bytes, no gRPC)" ;;
        eventlog_get) label="EventLog (reader token, SQLite read)" ;;
    esac
    # The lower median for an even count: a window that really ran, with its own latencies.
    read -r rps p50 p99 < <(printf '%s' "${ROWS[$name]}" | sed '/^$/d' | sort -g -k1,1 | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }')
    printf '%-13s %-44s %12s %10s %10s\n' "${WORKLOAD[$name]}" "$label" "$rps" "$p50" "$p99"
done
echo
# shellcheck disable=SC2086  # the ratio lists are space-separated numbers
{
    goal=$(median ${RATIOS[plain]})
    verdict=$(awk -v m="$goal" 'BEGIN { print (m >= 0.90 ? "met" : "NOT met") }')
    echo "EventLog/plain grpc-dotnet Health/Check: median of round ratios $goal (goal >= 0.90, $verdict); rounds: ${RATIOS[plain]% }"
    echo "EventLog/bare Kestrel: median of round ratios $(median ${RATIOS[bare]}) (Health/Check; bare Kestrel is the upper bound); rounds: ${RATIOS[bare]% }"
    echo "plain grpc-dotnet/bare Kestrel: median of round ratios $(median ${RATIOS[reference]}) (Health/Check; what grpc-dotnet itself costs); rounds: ${RATIOS[reference]% }"
    echo "EventLog GetMessage/EventLog Health/Check: median of round ratios $(median ${RATIOS[get]}) (same server, same round); rounds: ${RATIOS[get]% }"
}
