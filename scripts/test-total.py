"""Sum the JUnit XML files of ./dev test's pytest runs into one closing line."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
        print(f"  {path.stem:<18} {suite.get('tests')} tests, {suite.get('failures')} failed, "
              f"{suite.get('errors')} errors, {suite.get('skipped')} skipped, {float(suite.get('time', 0)):.1f}s")
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print(f"total: {passed} passed, {failed} failed, {totals['skipped']} skipped")
sys.exit(1 if failed else 0)
