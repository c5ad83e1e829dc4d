"""crm_daily end to end with the local runner: Airflow itself runs every task (dag.test()) for one
logical date of a tiny generated world; the warehouse appears, and a second run of the same date
changes no table's content.

The second run re-runs only the tasks whose re-run no Java test covers, and marks the others done
(each task is a JVM start, ~15-25 s on 2 cores): the Java tests re-run the rest for one date and
assert the same rows (ingest of the other sources: IngestSourceJobTest, HostileInputTest; the quality
check and every conform job: DailyPipelineTest; resolve-identities: ResolveRulesTest;
build-customer-360, build-funnel, build-kpis: GoldJobsTest; fit-clv, recommend-products: ClvJobsTest;
score-customers: ModelsWorldTest; build-segments: SegmentsTest). The digest below still covers every table of the lake and warehouse."""

import hashlib
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from deltalake import DeltaTable

from conftest import DAGS, DIST, WORLD_DATE, job_task

import crm_tasks

# Tasks the second run runs again: an unchanged export through the launcher (skipped), and the jobs
# whose re-run is asserted nowhere else. Every other task is marked done (see the module docstring).
RERUN = ("ingest-crm", "build-features", "publish-warehouse")

# Columns that record when a job ran, not what it computed.
RUN_TIME_COLUMNS = {"ingested_at", "_ingested_at", "measured_at", "scored_at", "logged_at"}


def delta_tables(lake: Path) -> list[Path]:
    return sorted(log.parent for log in lake.glob("*/*/_delta_log"))


def content(lake: Path, warehouse: Path) -> dict[str, str]:
    """A digest of every Delta table's rows and every warehouse table's rows, order-independent."""
    digests = {}
    for table in delta_tables(lake):
        rows = DeltaTable(str(table)).to_pyarrow_table()
        rows = rows.drop_columns([c for c in rows.column_names if c in RUN_TIME_COLUMNS])
        digests[str(table.relative_to(lake))] = digest(rows.to_pylist())
    with duckdb.connect(str(warehouse), read_only=True) as db:
        for (name,) in db.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall():
            columns = [c for (c,) in db.execute(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{name}'").fetchall()
                       if c not in RUN_TIME_COLUMNS]
            rows = db.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{name}"').fetchall()
            digests["warehouse/" + name] = digest([dict(zip(columns, r)) for r in rows])
    return digests


def digest(rows: list[dict]) -> str:
    lines = sorted(repr(sorted(r.items())) for r in rows)
    return f"{len(lines)} rows " + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def test_daily_run_publishes_the_warehouse_and_a_rerun_changes_nothing(world, airflow_db, tmp_path, monkeypatch):
    lake, warehouse = tmp_path / "lake", tmp_path / "warehouse" / "warehouse.duckdb"
    monkeypatch.setenv("CRM_RUNNER", "local")
    monkeypatch.setenv("CRM_HOME", str(DIST))
    monkeypatch.setenv("CRM_LAKE", str(lake))
    monkeypatch.setenv("CRM_LANDING", str(world / "landing"))
    # A 150-customer world: interpreted queries beat compiling them (SparkSessions, crm.codegen), and
    # each task's JVM lives ~20 s, too short for the C2 compiler to pay back: C1 alone costs a quarter
    # less CPU per task (README, "Development").
    monkeypatch.setenv("CRM_JAVA_OPTS", "-Xmx4g -Dcrm.codegen=off -XX:TieredStopAtLevel=1")
    dag = DagBag(dag_folder=str(DAGS)).dags["crm_daily"]
    logical_date = datetime.fromisoformat(WORLD_DATE).replace(tzinfo=timezone.utc)

    first = dag.test(logical_date=logical_date)
    assert first.state == "success"
    assert warehouse.is_file()
    after_first = content(lake, warehouse)
    assert after_first["gold/customer_360"].split()[0] != "0"

    not_rerun = [t for t in dag.task_ids if t not in RERUN]
    assert set(RERUN) <= set(dag.task_ids)
    second = dag.test(logical_date=logical_date, mark_success_pattern="|".join(map(re.escape, not_rerun)))
    assert second.state == "success"
    assert content(lake, warehouse) == after_first


def test_a_missing_export_fails_the_local_task_so_that_it_is_retried(tmp_path):
    """crm exits 2 naming the folder; a late export is waited out by retries, unlike the quality gate."""
    settings = crm_tasks.Settings.from_env({"CRM_HOME": str(DIST), "CRM_LAKE": str(tmp_path / "lake"),
                                            "CRM_LANDING": str(tmp_path / "landing")})
    task = job_task("ingest-erp", settings)
    with pytest.raises(AirflowException, match="crm exited with code 2") as failure:
        task.execute(context={"ds": WORLD_DATE})
    assert not isinstance(failure.value, AirflowFailException)


def test_backfill_plans_one_run_per_date_in_the_range(airflow_db):
    """The documented backfill command, as a dry run against Airflow's own database."""
    airflow = str(Path(sys.executable).parent / "airflow")
    done = subprocess.run([airflow, "dags", "reserialize"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([airflow, "backfill", "create", "--dag-id", "crm_daily", "--from-date", "2026-09-27",
                           "--to-date", "2026-09-30", "--max-active-runs", "1", "--reprocess-behavior", "completed",
                           "--dry-run"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    planned = [d for d in ("2026-09-26", "2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01")
               if f"| {d} 00:00:00" in done.stdout]
    assert planned == ["2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30"]
