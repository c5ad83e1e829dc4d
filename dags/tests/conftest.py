"""Shared set-up for the DAG tests: a private Airflow home (SQLite), the dags folder on the path,
and one tiny generated world for the tests that run crm for real."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
# The built distribution the tests run (launcher, jar, lib, Dockerfile): the repository itself, or
# the copy ./test makes so that the Java tests, which rebuild the jar, can run at the same time.
DIST = Path(os.environ.get("CRM_TEST_DIST", REPO)).resolve()
CRM = DIST / "crm"

# Airflow reads its configuration when first imported, so this must come before any airflow import.
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="crm-airflow-home-"))
os.environ.update({
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME}/airflow.db",
})
for name in [k for k in os.environ if k.startswith("CRM_")]:
    del os.environ[name]
sys.path.insert(0, str(DAGS))

# A world with four batch dates; the first is the full export up to it.
WORLD_DATE = "2026-09-27"


def rendered(task, ds: str = WORLD_DATE):
    """The task with its templates filled in for a logical date, as Airflow would before running it."""
    from airflow.sdk.execution_time import macros

    task.render_template_fields(context={"ds": ds, "macros": macros})
    return task


def job_task(name: str, settings, dag_id: str = "crm_daily"):
    """The task for one manifest job on the configured runner, rendered for WORLD_DATE."""
    import crm_tasks

    job = next(j for j in crm_tasks.manifest(dag_id) if j["name"] == name)
    return rendered(crm_tasks.crm_task(job, settings))


def run_crm(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRM), *args], capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    done = run_crm("generate", "--customers", "150", "--days", "60", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "landing" / "crm" / WORLD_DATE).is_dir()
    return out


@pytest.fixture(scope="session")
def airflow_db():
    """Airflow's metadata database, which dag.test() needs."""
    done = subprocess.run([str(Path(sys.executable).parent / "airflow"), "db", "migrate"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
