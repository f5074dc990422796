#!/usr/bin/env bash
# Runs fuzz targets one after another, each for SECONDS (default 60), and
# prints a Markdown table: target, seconds, executions, crashes, exec/s.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (no target: all of them)
#
# Each target runs as one libFuzzer process (no -jobs or -workers, which
# would fork workers and send their output to fuzz-N.log files) on its
# corpus in fuzz/corpus/<target>/ (see seed.sh); a crash stops the target
# and its input is written to fuzz/artifacts/<target>/. "crashes" counts
# the files there after the run (crash-, leak-, oom- and timeout-), so an
# input found earlier and not yet cleaned up still shows. The logs are kept
# in fuzz/target/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
if [ $# -gt 0 ]; then shift; fi
if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# One build of every target first: the runs below then start at once, and
# a build error stops the script before any run.
cargo +nightly fuzz build --features deliveries >&2

mkdir -p target/logs
rows=()
for t in "${targets[@]}"; do
    log=target/logs/$t.log
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "fuzzing $t for ${seconds}s" >&2
    # libFuzzer exits non-zero on a crash: the table says so, the loop goes on.
    cargo +nightly fuzz run --features deliveries "$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
        -print_final_stats=1 >"$log" 2>&1 || true
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    crashes=$(find "artifacts/$t" -type f | wc -l)
    rows+=("| $t | $seconds | ${execs:-?} | $crashes | ${rate:-?} |")
done

echo "| target | seconds | executions | crashes | exec/s |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
