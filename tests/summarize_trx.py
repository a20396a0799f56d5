"""Counts test outcomes from the .trx files dotnet test wrote and prints one summary line."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main(directory: str) -> int:
    passed = failed = skipped = 0
    files = sorted(pathlib.Path(directory).rglob("*.trx"))
    for trx in files:
        root = ET.parse(trx).getroot()
        for result in root.iter(NS + "UnitTestResult"):
            outcome = result.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                message = result.find(f"{NS}Output/{NS}StdOut")
                reason = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
                text = (reason.text if reason is not None else None) or (message.text if message is not None else "")
                print(f"skipped: {result.get('testName')}: {text.strip() if text else ''}")
            else:
                failed += 1
                print(f"failed: {result.get('testName')} ({outcome})")
    if not files:
        print("no test result files found", file=sys.stderr)
        failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
