"""Counts test outcomes from the .trx files dotnet test wrote and prints one summary line.

Skipped tests are grouped by their reason, and failed tests come last, each with the first lines of its
message, so that the tail of a CI log names what failed. Run errors outside tests (fixture cleanup) count as
failures."""
import collections
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
MESSAGE_LINES = 6


def text_of(result, path):
    node = result.find(path)
    return (node.text or "").strip() if node is not None else ""


def main(directory: str) -> int:
    passed = 0
    skipped = collections.defaultdict(list)
    failures = []
    files = sorted(pathlib.Path(directory).rglob("*.trx"))
    for trx in files:
        root = ET.parse(trx).getroot()
        for result in root.iter(NS + "UnitTestResult"):
            outcome = result.get("outcome", "")
            name = result.get("testName")
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                reason = text_of(result, f"{NS}Output/{NS}ErrorInfo/{NS}Message") or text_of(result, f"{NS}Output/{NS}StdOut")
                skipped[reason].append(name)
            else:
                message = text_of(result, f"{NS}Output/{NS}ErrorInfo/{NS}Message")
                failures.append((name, outcome, message))
        # Errors outside any test (a class or collection fixture failing its cleanup) fail the run without a
        # failed result; they count as failures here, or the count would say 0 failed for a red run.
        summary = root.find(NS + "ResultSummary")
        if summary is not None:
            for info in summary.iter(NS + "RunInfo"):
                text = (info.findtext(NS + "Text") or "").strip()
                # xUnit also reports each failed test here ("... [FAIL]"); those are counted from their results.
                if info.get("outcome") == "Error" and not text.endswith("[FAIL]"):
                    failures.append((f"run error in {trx.name}", "Error", text))

    for reason, names in skipped.items():
        print(f"skipped {len(names)}: {reason or '(no reason given)'}")
        for name in sorted(names):
            print(f"  {name}")
    for name, outcome, message in failures:
        print(f"failed: {name} ({outcome})")
        for line in message.splitlines()[:MESSAGE_LINES]:
            print(f"  {line}")
    failed = len(failures)
    if not files:
        print("no test result files found", file=sys.stderr)
        failed += 1
    print(f"{passed} passed, {failed} failed, {sum(len(n) for n in skipped.values())} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
