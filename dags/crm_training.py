"""crm_training: weekly training of the churn and propensity models, then a rescore. Tasks come from manifest.json."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG

from crm_tasks import DEFAULT_ARGS, Settings, build_tasks

DOC = """
### CRM lakehouse, weekly training

`train-churn` and `train-propensity` build training sets at their cutoffs, train gradient-boosted
trees, logistic regression and a random forest, calibrate and evaluate them, and register every
version. A new version becomes champion **only by the registry's rule** (better validation AUC on
the same rows by the margin, calibration within bounds; `crm models show <model>` says why).
Then the jobs that use the models run again for the logical date: scores, segments, warehouse.
Settings other than the defaults: run `crm train` by hand (docs/MODELS.md).
"""

with DAG(
    dag_id="crm_training",
    description="Train, evaluate and (by rule) promote both models, then rescore and republish",
    schedule="@weekly",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["crm", "lakehouse", "training", "models"],
    doc_md=DOC,
) as dag:
    build_tasks("crm_training", Settings.from_env())
