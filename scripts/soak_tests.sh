#!/usr/bin/env bash
# Run the hands-free tests (tests/e2e, on the PulseAudio rig) N times in a row and
# print how often each test passed. A test that is not N/N is a bug in the product
# or in the test: find which; never retry it away.
#   scripts/soak_tests.sh N [PYTEST ARGS...]     e.g. scripts/soak_tests.sh 10 -k checkin
# Needs the test set-up (bash scripts/setup.sh --test). Each run is bounded by the
# tests' own time limits (pytest-timeout) and by a limit on the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-}
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/soak_tests.sh N [PYTEST ARGS...]  (N runs, N >= 1)" >&2
  exit 2
fi
shift
python=.venv/bin/python
[ -x "$python" ] || { echo "soak: run 'bash scripts/setup.sh --test' first" >&2; exit 3; }

out=$(mktemp -d -t ac-soak-XXXXXX)  # kept: each run's log and report, to study a failure
started=$(date +%s)
for i in $(seq 1 "$runs"); do
  t0=$(date +%s)
  # Exit codes are read from the reports: a failing run must not end the soak.
  timeout --signal=INT --kill-after=60 20m \
    "$python" -m pytest tests/e2e -q -p no:cacheprovider -o addopts="--import-mode=importlib" \
    --junitxml="$out/run-$i.xml" "$@" >"$out/run-$i.log" 2>&1 || true
  echo "soak: run $i/$runs done in $(( $(date +%s) - t0 )) s ($(tail -n 1 "$out/run-$i.log"))"
done
status=0
"$python" - "$out" "$runs" <<'PY' || status=$?
import collections, pathlib, sys
import xml.etree.ElementTree as ET

folder, runs = pathlib.Path(sys.argv[1]), int(sys.argv[2])
passed: dict[str, int] = collections.Counter()
seen: dict[str, int] = collections.Counter()
failures: dict[str, list[str]] = collections.defaultdict(list)
for report in sorted(folder.glob("run-*.xml")):
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        if case.find("skipped") is not None:
            continue
        seen[name] += 1
        # (an Element without children is falsy: test each find against None)
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is None:
            passed[name] += 1
        else:
            failures[name].append((bad.get("message") or "")[:200])
print(f"\nhands-free soak, {runs} runs:")
width = max((len(n) for n in seen), default=10)
for name in sorted(seen):
    print(f"  {name:<{width}}  {passed[name]}/{runs}")
    for message in failures[name]:
        print(f"      failed: {message}")
missing = [n for n in seen if seen[n] != runs]
if not seen:
    print("  no hands-free test ran (are the rig's packages installed?)")
    sys.exit(1)
sys.exit(0 if all(passed[n] == runs for n in seen) and not missing else 1)
PY
echo "soak: $(( $(date +%s) - started )) s in all; logs in $out"
exit "$status"
