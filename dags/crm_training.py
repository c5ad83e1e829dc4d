"""crm_training: weekly training of the churn and propensity models, then a rescore. Tasks come from manifest.json."""

from __future__ import annotations

from datetime import timedelta

from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
from airflow.sdk import DAG
from airflow.timetables.trigger import CronTriggerTimetable

from crm_tasks import DAG_SETTINGS, Settings, build_tasks

DOC = """
### CRM lakehouse, weekly training

Mondays at 06:00, once `crm_daily` has published Sunday (`wait-for-daily`): `train-churn` and
`train-propensity` build training sets at their cutoffs, train gradient-boosted trees, logistic
regression and a random forest, calibrate and evaluate them, and register every version. A new
version becomes champion **only by the registry's rule** (better validation AUC on the same rows by
the margin, calibration within bounds; `crm models show <model>` says why). Then the jobs that use
the models run again for Sunday, the daily run's date: scores, segments, warehouse.
Settings other than the defaults: run `crm train` by hand (docs/MODELS.md).
"""

# The daily run for Sunday has logical date Sunday 00:00 and runs at Monday 00:00; this DAG's
# logical date is Monday 06:00, 30 hours later. Its jobs take Sunday as their date.
DAILY_RUN_BEFORE = timedelta(hours=30)
SUNDAY = "{{ macros.ds_add(ds, -1) }}"

with DAG(
    dag_id="crm_training",
    description="Train, evaluate and (by rule) promote both models, then rescore and republish",
    schedule=CronTriggerTimetable("0 6 * * 1", timezone="UTC"),
    **DAG_SETTINGS,
    tags=["crm", "lakehouse", "training", "models"],
    doc_md=DOC,
) as dag:
    # Both DAGs write features, scores, segments and the warehouse: never at the same time.
    wait_for_daily = ExternalTaskSensor(
        task_id="wait-for-daily",
        doc_md="Waits until crm_daily has published the day before this run.",
        external_dag_id="crm_daily",
        external_task_id="publish-warehouse",
        execution_delta=DAILY_RUN_BEFORE,
        failed_states=["failed", "upstream_failed"],
        mode="reschedule",
        poke_interval=600,
        timeout=int(timedelta(hours=12).total_seconds()),
    )
    for task in build_tasks("crm_training", Settings.from_env(), date=SUNDAY).values():
        if not task.upstream_task_ids:
            wait_for_daily >> task
