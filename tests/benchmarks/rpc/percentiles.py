"""Latency of one h2load window from its --log-file: p50 and p99 (ms) of the requests that got HTTP 200.

Usage: percentiles.py LOG_FILE   -> prints "p50 p99 ok failed"
  ok      requests answered with HTTP 200
  failed  requests with any other HTTP status, or none (h2load writes -1 for a stream that was reset or
          left unanswered when the window ended)
Columns of the log: start time (us since the epoch), HTTP status, duration (us). h2load does not see the
gRPC status (it is a trailer); run.sh checks that separately.
"""

import math
import sys


def nearest_rank(sorted_values, fraction):
    """The smallest value with at least `fraction` of the values at or below it."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def main():
    durations = []
    failed = 0
    with open(sys.argv[1]) as log:
        for line in log:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            if parts[1].strip() == "200":
                durations.append(int(parts[2]) / 1000.0)
            else:
                failed += 1
    durations.sort()
    print("%.3f %.3f %d %d" % (nearest_rank(durations, 0.50), nearest_rank(durations, 0.99), len(durations), failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
