"""crm_daily: the lakehouse's daily run for one logical date. Tasks come from manifest.json."""

from __future__ import annotations

from airflow.sdk import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

from crm_tasks import DAG_SETTINGS, Settings, build_tasks

DOC = """
### CRM lakehouse, daily run

For the logical date `ds` (the run starts when that day is over): the four sources' exports are ingested in parallel into bronze
(`landing/<source>/<ds>/`), the **data-quality gate** checks them, then conform (silver) →
identity resolution → customer 360, funnel, KPIs, CLV and recommendations → features → scores →
segments → **publish** the DuckDB warehouse. Every task is one `crm run <job> --date <ds>`; the
task list and its order come from `dags/manifest.json` (`crm jobs --json`).

* **Gate:** when `check-quality` fails (exit code 3) nothing after it runs and nothing is
  published; the task is not retried. Fix the export, then clear the task.
* **Idempotent:** re-running a date gives the same tables; an unchanged export is not re-ingested.
* **Late source:** an ingest task whose folder is missing fails and is retried with backoff
  (2, 4, 8 minutes); after that the run fails. Clear the task when the export has landed.
* **Backfill:** `airflow backfill create --dag-id crm_daily --from-date 2026-09-01 --to-date 2026-09-30
  --max-active-runs 1` runs the dates one after another (`max_active_runs=1`: each run rebuilds silver and gold from all
  of bronze, so two dates at once would fight over the same tables).
* **Runner:** local `crm` or the jobs container, chosen by `CRM_RUNNER` (docs/AIRFLOW.md).
"""

with DAG(
    dag_id="crm_daily",
    description="Ingest, check, conform, resolve, build, score, segment and publish one day",
    # The run for day D starts when D is over (data-interval schedule): D's exports are complete.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    **DAG_SETTINGS,
    tags=["crm", "lakehouse", "daily"],
    doc_md=DOC,
) as dag:
    build_tasks("crm_daily", Settings.from_env())
