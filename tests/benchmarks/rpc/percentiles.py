"""Summarises an h2load --log-file: p50/p99 latency (ms) of successful requests after the warm-up.

Usage: percentiles.py LOG_FILE WARMUP_SECONDS   -> prints "p50 p99 count failed"
Columns of the log: start time (us since epoch), HTTP status (-1 for failed streams), duration (us).
"""

import sys


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def main():
    path, warmup = sys.argv[1], float(sys.argv[2])
    rows = []
    with open(path) as log:
        for line in log:
            parts = line.split("\t")
            if len(parts) >= 3:
                rows.append((int(parts[0]), int(parts[1]), int(parts[2])))
    if not rows:
        print("nan nan 0 0")
        return 0
    # h2load logs warm-up requests too; keep those that started after it.
    cutoff = min(r[0] for r in rows) + warmup * 1e6
    measured = [r for r in rows if r[0] >= cutoff] or rows
    durations = sorted(r[2] / 1000.0 for r in measured if r[1] == 200)
    failed = sum(1 for r in measured if r[1] != 200)
    print("%.3f %.3f %d %d" % (percentile(durations, 0.50), percentile(durations, 0.99), len(durations), failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
