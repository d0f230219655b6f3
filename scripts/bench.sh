#!/usr/bin/env bash
# provspec's speed and memory targets, measured (not asserted in tests, which must not flake).
#
#   scripts/bench.sh            # build once, then measure
#
# Targets (2-core machine):
#   - the feature suite on the embedded fake: median wall time under 3 s, peak RSS under 100 MiB
#   - the feature suite through fake-cobbler over HTTP: median wall time under 10 s
#   - the Ironic features on the embedded fake Ironic: median wall time under 3 s, peak RSS
#     under 100 MiB (every transition takes the fake's 100 ms, as the real one takes 0.2-0.4 s)
#   - the Ironic features through fake-ironic over HTTP, one scenario at a time: under 20 s
#   - the fake in process: at least 20,000 calls/s; over HTTP: at least 1,500 calls/s
#     (cargo bench --bench fake)
#   - building the lab "rack" (1 distro, 3 profiles, 40 systems; benches/features/rack.feature):
#     under 50 ms on the embedded fake, under 1 s through fake-cobbler over HTTP (the scenario's
#     own time, from the runner's libtest report); with BENCH_COBBLER_URL (and COBBLER_USER,
#     COBBLER_PASSWORD) also on that Cobbler: at most 1.1 times the time its calls took (the
#     manifest's call_seconds; the rest is provspec's own cost), and the calls per item
# Prints each measurement with its target and their ratio, and exits non-zero when one is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_RUNS:-5}

cargo build --quiet --release --bin fake-cobbler --bin fake-ironic
cargo test --quiet --no-run --test cucumber 2>/dev/null
SUITE=$(cargo test --no-run --test cucumber --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "cucumber" and m.get("executable"):
        print(m["executable"])')

# Runs the suite RUNS times with the given environment; prints "median_seconds max_rss_kib".
measure() {
  python3 - "$SUITE" "$RUNS" "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
suite, runs, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
env = dict(os.environ, **dict(e.split("=", 1) for e in extra))
times = []
for _ in range(runs):
    started = time.monotonic()
    subprocess.run([suite], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.getcwd())
    times.append(time.monotonic() - started)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("%.2f %d" % (statistics.median(times), rss))
PY
}

# Runs benches/features/rack.feature RUNS times with the given environment; prints the
# median time of its scenario in milliseconds (from the libtest report's exec_time).
measure_lab() {
  python3 - "$SUITE" "$RUNS" "$@" <<'PY'
import json, os, statistics, subprocess, sys
suite, runs, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
env = dict(os.environ, **dict(e.split("=", 1) for e in extra))
times = []
for _ in range(runs):
    out = subprocess.run([suite, "--input", "benches/features/rack.feature", "--format", "json",
                          "-Z", "unstable-options", "--report-time", "plain"],
                         env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         cwd=os.getcwd(), text=True).stdout
    events = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    times += [e["exec_time"] for e in events if e.get("type") == "test" and e.get("event") == "ok"]
print("%.1f" % (statistics.median(times) * 1000))
PY
}

missed=0
verdict() { # name value target unit (lower is better)
  local ratio; ratio=$(python3 -c "print('%.2f' % (float('$2') / float('$3')))")
  if python3 -c "import sys; sys.exit(0 if float('$2') < float('$3') else 1)"; then
    echo "$1: $2 $4 (target < $3, ratio $ratio): meets"
  else
    echo "$1: $2 $4 (target < $3, ratio $ratio): MISSES"; missed=$((missed + 1))
  fi
}

# start_fake BINARY: starts a release fake server on a free port; sets FAKE_PID and FAKE_URL.
FAKE_PID=""
trap 'if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; fi' EXIT
start_fake() {
  "./target/release/$1" --listen 127.0.0.1:0 >"/tmp/provspec-bench-$1.out" &
  FAKE_PID=$!
  for _ in $(seq 100); do [ -s "/tmp/provspec-bench-$1.out" ] && break; sleep 0.05; done
  FAKE_URL=$(sed -n '1s/^listening on //p' "/tmp/provspec-bench-$1.out")
}

read -r fake_time fake_rss < <(measure PROVSPEC_BACKEND=fake)
verdict "suite on the embedded fake, median wall time" "$fake_time" 3 s
verdict "suite on the embedded fake, peak RSS" "$((fake_rss / 1024))" 100 MiB

start_fake fake-cobbler
read -r http_time _ < <(measure PROVSPEC_BACKEND=cobbler "COBBLER_URL=$FAKE_URL")
verdict "suite through fake-cobbler, median wall time" "$http_time" 10 s
lab_http=$(measure_lab PROVSPEC_BACKEND=cobbler "COBBLER_URL=$FAKE_URL")
verdict "the lab \"rack\" through fake-cobbler, median" "$lab_http" 1000 ms
kill "$FAKE_PID"

lab_fake=$(measure_lab PROVSPEC_BACKEND=fake)
verdict "the lab \"rack\" on the embedded fake, median" "$lab_fake" 50 ms

read -r ironic_time ironic_rss < <(measure PROVSPEC_BACKEND=fake-ironic)
verdict "Ironic features on the embedded fake Ironic, median wall time" "$ironic_time" 3 s
verdict "Ironic features on the embedded fake Ironic, peak RSS" "$((ironic_rss / 1024))" 100 MiB

start_fake fake-ironic
read -r ironic_http_time _ < <(measure PROVSPEC_BACKEND=ironic "IRONIC_URL=$FAKE_URL")
verdict "Ironic features through fake-ironic, median wall time" "$ironic_http_time" 20 s
kill "$FAKE_PID"

if [ -n "${BENCH_COBBLER_URL:-}" ]; then
  read -r lab_real lab_calls lab_items lab_call_time < <(python3 - "$SUITE" "$BENCH_COBBLER_URL" <<'PY'
import json, os, subprocess, sys, tempfile
suite, url = sys.argv[1], sys.argv[2]
manifest = os.path.join(tempfile.mkdtemp(), "rack.json")
env = dict(os.environ, PROVSPEC_BACKEND="cobbler", COBBLER_URL=url)
out = subprocess.run([suite, "--input", "benches/features/rack.feature", "--format", "json",
                      "-Z", "unstable-options", "--report-time", "plain", "--manifest", manifest],
                     env=env, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
events = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
took = [e["exec_time"] for e in events if e.get("type") == "test" and e.get("event") == "ok"][0]
scenario = json.load(open(manifest))["scenarios"][0]
print("%.3f %d %d %.3f" % (took, scenario["calls"], len(scenario["resources"]), scenario["call_seconds"]))
PY
)
  verdict "the lab \"rack\" on $BENCH_COBBLER_URL, time over the time of its calls" \
    "$(python3 -c "print('%.3f' % ($lab_real / $lab_call_time))")" 1.1 x
  echo "the lab \"rack\" on $BENCH_COBBLER_URL: $lab_real s, $lab_calls calls for $lab_items items ($(python3 -c "print('%.1f' % ($lab_calls / $lab_items))") per item), the calls took $lab_call_time s"
fi

cargo bench --quiet --bench fake || missed=$((missed + 1))
echo "bench: $missed target(s) missed"
[ "$missed" = 0 ]
