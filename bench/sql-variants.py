#!/usr/bin/env python3
"""Variants of the services pack's SQL, timed side by side on the Python
build of Apache DataFusion (the engine Bagalau embeds) and on DuckDB, over
the same Parquet files: the quick way to try a change of the SQL or of
DataFusion's settings before rebuilding Bagalau (docs/benchmarks.md).

    pip install datafusion==55.0.0 duckdb pyarrow
    bagalau services generate --rows 10000000 --seed 1 --register REGISTER
    bagalau services sql --year 2023 --register REGISTER --out TABLES
    bench/sql-variants.py RECORDS TABLES a.sql b.sql ... [--runs=N] [--duckdb]

RECORDS is the `deliveries` directory (year=/month= partitions), TABLES a
directory of Parquet files each registered as a table named after the file
(standards.parquet as `standards`). Each variant is run N times (default 5),
the variants and engines interleaved so that a slow moment of the machine
does not favour one; the best process CPU time and wall time are printed,
and each DataFusion result is compared with the first variant's.

DataFusion settings go in DFSET, space-separated, e.g.
    DFSET="datafusion.execution.batch_size=32768"
Bagalau's own settings (engine::session) are applied first; DFSET=... wins.
DICT=1 reads the text columns as dictionaries instead of string views.
ORDER="year,month" declares the records sorted by those columns (as
Bagalau's engine declares them); EXPLAIN=1 prints each variant's plan.
"""
import glob
import os
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
from datafusion import SessionConfig, SessionContext, col

BAGALAU_SETTINGS = {
    "datafusion.execution.target_partitions": "2",
    "datafusion.execution.batch_size": "32768",
    "datafusion.optimizer.hash_join_single_partition_threshold": str(64 << 20),
    "datafusion.optimizer.hash_join_single_partition_threshold_rows": str(4 << 20),
    "datafusion.optimizer.preserve_file_partitions": "2",
    "datafusion.optimizer.subset_repartition_threshold": "2",
}
TEXT_KEYS = ("service", "provider", "region", "office", "channel", "recipient")


def options():
    runs, duckdb_too, paths = 5, False, []
    for arg in sys.argv[1:]:
        if arg.startswith("--runs="):
            runs = int(arg.split("=", 1)[1])
        elif arg == "--duckdb":
            duckdb_too = True
        else:
            paths.append(arg)
    if len(paths) < 3:
        sys.exit(__doc__)
    return paths[0], paths[1], paths[2:], runs, duckdb_too


def records_schema():
    text = pa.dictionary(pa.int32(), pa.string()) if os.environ.get("DICT") else pa.string_view()
    ts = pa.timestamp("us")
    return pa.schema(
        [(name, text) for name in TEXT_KEYS]
        + [("requested_at", ts), ("delivered_at", ts), ("extra_documents", pa.int32())]
    )


def declared_order():
    names = [n for n in os.environ.get("ORDER", "").split(",") if n]
    return [[col(n).sort() for n in names]] if names else None


def table_files(tables):
    return sorted(glob.glob(os.path.join(tables, "*.parquet")))


def datafusion_session(records, tables):
    settings = dict(BAGALAU_SETTINGS)
    for pair in os.environ.get("DFSET", "").split():
        key, value = pair.split("=", 1)
        settings[key] = value
    config = SessionConfig()
    for key, value in settings.items():
        config = config.set(key, value)
    ctx = SessionContext(config)
    ctx.register_listing_table(
        "deliveries",
        records,
        table_partition_cols=[("year", pa.int32()), ("month", pa.int32())],
        file_extension=".parquet",
        schema=records_schema(),
        file_sort_order=declared_order(),
    )
    for path in table_files(tables):
        table = pq.read_table(path)
        # As Bagalau keeps them: the join's service and the sector as views.
        views = pa.schema(
            [
                pa.field(f.name, pa.string_view(), f.nullable)
                if f.type == pa.string() and f.name in ("service", "sector")
                else f
                for f in table.schema
            ]
        )
        ctx.register_record_batches(os.path.basename(path)[: -len(".parquet")], [table.cast(views).to_batches()])
    return ctx


def duckdb_connection(records, tables):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(
        f"CREATE VIEW deliveries AS SELECT * FROM read_parquet('{records}/*/*/*.parquet', hive_partitioning = true)"
    )
    for path in table_files(tables):
        name = os.path.basename(path)[: -len(".parquet")]
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    return con


def query(path, year=2023):
    months = ", ".join(str(m) for m in range(1, 13))
    return open(path).read().replace("$year", str(year)).replace("$months", months)


def rows(table):
    return sorted(tuple(str(v) for v in row.values()) for row in table.to_pylist())


def main():
    records, tables, variants, runs, duckdb_too = options()
    if not table_files(tables):
        sys.exit(f"{tables}: no Parquet tables in it (`bagalau services sql --out {tables}` writes standards.parquet)")
    contexts = {v: datafusion_session(records, tables) for v in variants}
    sql = {v: query(v) for v in variants}
    con = duckdb_connection(records, tables) if duckdb_too else None
    if os.environ.get("EXPLAIN"):
        for v in variants:
            print(f"-- {v}")
            print(contexts[v].sql("EXPLAIN " + sql[v]).to_arrow_table().column("plan")[-1].as_py())
    best, results = {}, {}
    for run in range(runs):
        for v in variants:
            engines = [("datafusion", lambda: contexts[v].sql(sql[v]).collect())]
            if con is not None:
                engines.append(("duckdb", lambda: con.execute(sql[v]).fetchall()))
            for engine, go in engines:
                cpu, wall = time.process_time(), time.perf_counter()
                out = go()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                b = best.setdefault((engine, v), [cpu, wall])
                b[0], b[1] = min(b[0], cpu), min(b[1], wall)
                if engine == "datafusion" and run == 0:
                    results[v] = rows(pa.Table.from_batches(out))
    first = results[variants[0]]
    for v in variants:
        for engine in ("datafusion", "duckdb"):
            if (engine, v) not in best:
                continue
            cpu, wall = best[(engine, v)]
            same = ""
            if engine == "datafusion":
                same = "reference" if v == variants[0] else ("same" if results[v] == first else "DIFFERENT")
            print(f"{engine:10} {os.path.basename(v):24} cpu {cpu:6.2f} s  wall {wall:6.2f} s  {same}")


if __name__ == "__main__":
    main()
