#!/usr/bin/env bash
# The public-service indicators on N generated delivery records: Bagalau
# (Apache DataFusion, embedded) side by side with DuckDB (PyPI) running the
# same SQL on the same Parquet files, in one run. Prints wall time and peak
# memory of each.
#
#   bench/services.sh [ROWS] [YEAR]     (default 100000000 2023)
#
# Needs: a release build (cargo build --release -p bagalau), python3 with
# duckdb (pip install duckdb), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000000}"
year="${2:-2023}"
bin="${BAGALAU_BIN:-${CARGO_TARGET_DIR:-target}/release/bagalau}"
work="${BENCH_DIR:-$(mktemp -d)}"
[ -x "$bin" ] || { echo "build first: cargo build --release -p bagalau" >&2; exit 1; }
python3 -c 'import duckdb' || { echo "pip install duckdb" >&2; exit 1; }

register="crates/bagalau-demo/data/services/register.csv"
export BAGALAU_SERVICES__DIR="$work/services"
cpus=$(nproc)
echo "machine: $cpus cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $rows records of $year in $work"

if [ ! -d "$work/services/deliveries/year=$year" ]; then
  /usr/bin/time -f "generate: %e s, peak %M KiB" "$bin" services generate --year "$year" --rows "$rows" --seed 1 --register "$register"
fi
du -sh "$work/services/deliveries/year=$year" | awk '{print "parquet: " $1}'
"$bin" services sql --year "$year" --register "$register" --out "$work/sql" >/dev/null

measure() { # name command...
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.out"
  read -r secs kib < "$work/$name.time"
  printf '%-10s %8.2f s  %8.0f MiB peak\n' "$name" "$secs" "$((kib / 1024))"
}

cat > "$work/duckdb_run.py" <<PY
import duckdb, sys
con = duckdb.connect()
con.execute("SET threads TO $cpus")
root = "$work/services/deliveries"
con.execute(f"CREATE VIEW deliveries AS SELECT * FROM read_parquet('{root}/*/*/*.parquet', hive_partitioning = true)")
con.execute("CREATE VIEW standards AS SELECT * FROM read_parquet('$work/sql/standards.parquet')")
rows = con.execute(open("$work/sql/breakdown.sql").read()).fetchall()
total = sum(r[3] for r in rows if r[0] == 'month')
print(len(rows), "groups,", total, "records")
PY

for run in 1 2; do
  echo "run $run (every month counted):"
  # Without the per-month cache: the whole year is read and counted.
  rm -rf "$work/services/cache"
  measure bagalau "$bin" services indicators --year "$year" --register "$register" --by sector --format csv
  measure duckdb python3 "$work/duckdb_run.py"
done
echo "bagalau: $(awk -F, 'NR>1 {s+=$2} END {print s}' "$work/bagalau.out") records counted; duckdb: $(cat "$work/duckdb.out")"

# One more month arrives: December is set aside, the other months counted
# and cached, then December comes back and only it is read.
months="$work/services/deliveries/year=$year"
rm -rf "$work/services/cache" "$work/month=12"
mv "$months/month=12" "$work/month=12"
"$bin" services indicators --year "$year" --register "$register" --by sector --format csv > /dev/null 2>&1
mv "$work/month=12" "$months/month=12"
/usr/bin/time -f "%e %M" -o "$work/incremental.time" "$bin" services indicators --year "$year" \
  --register "$register" --by sector --format csv 2> "$work/incremental.err" > /dev/null
read -r secs kib < "$work/incremental.time"
printf '%-10s %8.2f s  %8.0f MiB peak  (%s)\n' "one month" "$secs" "$((kib / 1024))" "$(grep -o '[0-9]* counted now, [0-9]* from the cache' "$work/incremental.err")"
