"""Customer 360 core aggregates: our Spark stage (build-customer-360, gold.customer_360) against the same
aggregates written as one DuckDB SQL script (bench/c360_duckdb.sql) over the silver tables exported to Parquet.

How: (1) the silver tables the aggregates need, plus gold.identity_map (which customer each person record is)
and gold.cookie_map (which customer each web cookie is), are read from the Delta lake and written to Parquet in a
temporary folder under `workdir`, only the columns used (no personal, encrypted columns) - timed as export_seconds;
(2) the SQL runs in-process in DuckDB on those files for the latest as_of_date of gold.customer_360 - timed as
duckdb_seconds (connect, views, query, result fetched); (3) gold.customer_360 of that date is joined to the DuckDB
result on customer_id and each implemented column is compared: numbers within 1e-6 relative, dates, timestamps
and text equal, null only equal to null; a customer missing on either side disagrees on every column.
Our time is the build-customer-360 stage of workdir/bench.json (null when there is no bench.json).

ours_seconds is the stage's wall_s; the ratios use it per run (wall_s / runs; the bench builds the 360 once,
after the last batch): ratio_ours_to_duckdb is that over duckdb_seconds (ratio_ours_to_export_plus_duckdb counts the export too).

Not reproduced: contact points (person_records, best name/e-mail/phone/city/country, owner_id and the owner's
name/team/region), consents, leads_count/open_opportunities and the rules built on them (lifecycle_stage, tags):
they are not in the orders / revenue / RFM / web / service groups this peer covers, and the contact points
need the decrypted person records. The rfm_segment CASE mirrors jobs/src/main/resources/rules/customer_rules.sql
and the ABC shares come from gold.yaml: edit those and this SQL must follow.
"""
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable

HERE = Path(__file__).resolve().parent
SQL_FILE = HERE / "c360_duckdb.sql"
GOLD_YAML = HERE.parent / "jobs" / "src" / "main" / "resources" / "gold.yaml"
STAGE = "build-customer-360"
RELATIVE_TOLERANCE = 1e-6

_TS = pa.timestamp("us", tz="UTC")
# table -> (lake folder, the columns the SQL reads, with their types for a table that does not exist yet)
EXPORTS = {
    "identity_map": ("gold/identity_map", {"record_key": pa.string(), "customer_id": pa.string()}),
    "cookie_map": ("gold/cookie_map", {"cookie_id": pa.string(), "customer_id": pa.string()}),
    "orders": ("silver/orders", {"order_id": pa.string(), "record_key": pa.string(), "ordered_at": _TS,
                                 "order_date": pa.date32(), "total_amount": pa.float64(), "status": pa.string()}),
    "order_lines": ("silver/order_lines", {"order_id": pa.string(), "product_id": pa.string(),
                                           "unit_price": pa.float64()}),
    "returns": ("silver/returns", {"return_id": pa.string(), "order_id": pa.string(), "product_id": pa.string(),
                                   "quantity": pa.int32(), "returned_at": _TS}),
    "web_events": ("silver/web_events", {"event_id": pa.string(), "event_ts": _TS, "event_date": pa.date32(),
                                         "cookie_id": pa.string(), "user_id": pa.string(),
                                         "session_id": pa.string(), "event_type": pa.string()}),
    "tickets": ("silver/tickets", {"ticket_id": pa.string(), "contact_id": pa.string(), "category": pa.string(),
                                   "opened_at": _TS, "resolved_at": _TS, "hours_to_resolve": pa.float64(),
                                   "csat": pa.int32()}),
    "calls": ("silver/calls", {"call_id": pa.string(), "record_key": pa.string(), "started_at": _TS,
                               "is_negative": pa.bool_(), "is_complaint": pa.bool_(), "survey_score": pa.int32()}),
    "activities": ("silver/activities", {"contact_id": pa.string(), "occurred_at": _TS}),
}

# gold.customer_360 columns the SQL reproduces, by group.
COLUMNS = {
    "orders": ["orders_count", "revenue", "avg_order_value", "first_order_date", "last_order_date",
               "days_since_first_order", "days_since_last_order", "returns_count", "returned_amount",
               "lifetime_value", "median_days_between_orders", "expected_next_order_date"],
    "rfm_abc": ["recency_score", "frequency_score", "monetary_score", "rfm_segment",
                "cumulative_revenue_share", "abc_tier"],
    "web": [f"{m}_{d}d" for m in ("sessions", "product_views", "add_to_carts", "abandoned_carts")
            for d in (7, 30, 90, 365)] + ["last_visit_at"],
    "service": ["open_tickets", "median_hours_to_resolve", "complaints", "calls_count", "negative_call_share",
                "last_csat", "csat_below_4", "last_contact_at", "days_since_last_contact"],
}


def abc_shares():
    """abc.a_share and abc.b_share of gold.yaml (the job's defaults), 0.80 and 0.15 when unreadable."""
    shares = {"a_share": 0.80, "b_share": 0.15}
    try:
        text = GOLD_YAML.read_text()
    except OSError:
        return shares
    for key in shares:
        m = re.search(rf"^\s+{key}:\s*([0-9.]+)", text, re.MULTILINE)
        if m:
            shares[key] = float(m.group(1))
    return shares


def export(lake: Path, folder: Path):
    """Writes each needed table's columns to folder/<table>.parquet; returns {table: rows}."""
    rows = {}
    for name, (relative, schema) in EXPORTS.items():
        path = lake / relative
        if (path / "_delta_log").is_dir():
            table = DeltaTable(str(path)).to_pyarrow_table(columns=list(schema))
        else:  # the job reads a missing table as empty
            table = pa.table({c: pa.array([], type=t) for c, t in schema.items()})
        pq.write_table(table, folder / f"{name}.parquet")
        rows[name] = table.num_rows
    return rows


def run_duckdb(folder: Path, as_of, shares):
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for name in EXPORTS:
            file = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{file}')")
        return con.sql(SQL_FILE.read_text(), params={"as_of": as_of, **shares}).to_arrow_table()
    finally:
        con.close()


def ours_time(workdir: Path):
    """(wall seconds, runs) of our build-customer-360 stage from workdir/bench.json, (None, None) without it."""
    try:
        bench = json.loads((workdir / "bench.json").read_text())
    except FileNotFoundError:
        return None, None
    for s in bench.get("stages", []):
        if s.get("stage") == STAGE:
            return s.get("wall_s"), s.get("runs", 1)
    return None, None


def _agree(a, b):
    """Element-wise agreement of two aligned pandas Series (nulls equal only to nulls)."""
    import numpy as np
    import pandas as pd

    a_null, b_null = a.isna().to_numpy(), b.isna().to_numpy()
    both = ~a_null & ~b_null
    same = a_null & b_null
    if pd.api.types.is_bool_dtype(a.dropna()) or pd.api.types.is_bool_dtype(b.dropna()):
        x, y = a[both].astype(bool).to_numpy(), b[both].astype(bool).to_numpy()
        same[both] = x == y
    elif pd.api.types.is_numeric_dtype(a.dropna()) and pd.api.types.is_numeric_dtype(b.dropna()):
        x, y = a[both].astype(float).to_numpy(), b[both].astype(float).to_numpy()
        scale = np.maximum(np.abs(x), np.abs(y))
        same[both] = np.abs(x - y) <= RELATIVE_TOLERANCE * scale
    else:  # dates, timestamps (both tz-aware UTC) and text
        same[both] = (a[both].to_numpy() == b[both].to_numpy())
    return same


def compare(lake: Path, workdir: Path) -> dict:
    lake, workdir = Path(lake), Path(workdir)
    c360_path = str(lake / "gold" / "customer_360")
    dates = DeltaTable(c360_path).to_pyarrow_table(columns=["as_of_date"]).column("as_of_date")
    as_of = pc.max(dates).as_py()
    columns = [c for group in COLUMNS.values() for c in group]
    ours = DeltaTable(c360_path).to_pandas(partitions=[("as_of_date", "=", as_of.isoformat())],
                                           columns=["customer_id"] + columns)

    workdir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="peer_c360_", dir=workdir))
    try:
        started = time.perf_counter()
        exported = export(lake, folder)
        export_seconds = time.perf_counter() - started
        started = time.perf_counter()
        theirs = run_duckdb(folder, as_of, abc_shares())
        duckdb_seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    theirs = theirs.to_pandas()
    joined = ours.merge(theirs, on="customer_id", how="outer", suffixes=("_ours", "_duckdb"), indicator=True)
    in_both = (joined["_merge"] == "both").to_numpy()
    shares = {}
    for c in columns:
        same = _agree(joined[f"{c}_ours"], joined[f"{c}_duckdb"]) & in_both
        shares[c] = round(float(same.mean()), 6) if len(joined) else 1.0

    ours_wall, ours_runs = ours_time(workdir)
    ours_per_run = ours_wall / ours_runs if ours_wall is not None and ours_runs else None
    return {
        "as_of_date": as_of.isoformat(),
        "customers": int(len(ours)),
        "customers_duckdb": int(len(theirs)),
        "customers_matched": int(in_both.sum()),
        "export_rows": exported,
        "export_seconds": round(export_seconds, 3),
        "duckdb_seconds": round(duckdb_seconds, 3),
        "ours_seconds": ours_wall,
        "ours_runs": ours_runs,
        # our stage per run (one as-of date, like the DuckDB script) over the DuckDB script alone
        "ratio_ours_to_duckdb": round(ours_per_run / duckdb_seconds, 2) if ours_per_run and duckdb_seconds else None,
        "ratio_ours_to_export_plus_duckdb": (round(ours_per_run / (export_seconds + duckdb_seconds), 2)
                                             if ours_per_run else None),
        "columns": shares,
        "all_agree": bool(in_both.all() and all(v == 1.0 for v in shares.values())),
    }


if __name__ == "__main__":
    import sys

    print(json.dumps(compare(Path(sys.argv[1]), Path(sys.argv[2])), indent=2))
