"""The DAGs load in Airflow, follow the manifest, and render commands the crm CLI accepts."""

import json
from datetime import datetime, timezone

import pytest
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS, WORLD_DATE, rendered, run_crm

import crm_tasks

DAG_IDS = ("crm_daily", "crm_training")


@pytest.fixture(scope="module")
def dagbag():
    return DagBag(dag_folder=str(DAGS))


def test_both_dags_load_without_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(DAG_IDS) <= set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_dag_settings(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "crm" in dag.tags and dag.doc_md
    assert dag.max_active_runs == 1 and not dag.catchup
    for task in dag.tasks:
        assert task.owner == "data-engineering"
        assert task.retries >= 1 and task.retry_exponential_backoff
        assert task.execution_timeout is not None
        assert task.doc_md


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_tasks_and_order_come_from_the_manifest(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    jobs = crm_tasks.manifest(dag_id)
    sensors = {"crm_daily": set(), "crm_training": {"wait-for-daily"}}[dag_id]
    assert [t.task_id for t in dag.tasks if t.task_id not in sensors] == [j["name"] for j in jobs]
    for job in jobs:
        assert dag.get_task(job["name"]).upstream_task_ids == (set(job["upstream"]) or sensors)


def test_training_waits_for_the_daily_run_and_rescores_its_date(dagbag):
    dag = dagbag.dags["crm_training"]
    sensor = dag.get_task("wait-for-daily")
    assert (sensor.external_dag_id, sensor.external_task_id) == ("crm_daily", "publish-warehouse")
    monday = datetime(2026, 9, 28, 6, tzinfo=timezone.utc)
    assert dag.timetable.summary == "0 6 * * 1" and monday.weekday() == 0
    sunday_daily_run = datetime(2026, 9, 27, tzinfo=timezone.utc)
    assert monday - sensor.execution_delta == sunday_daily_run
    assert "2026-09-27" in rendered(dag.get_task("score-customers"), ds="2026-09-28").arguments


def test_daily_order_reads_like_the_pipeline(dagbag):
    dag = dagbag.dags["crm_daily"]
    gate = dag.get_task("check-quality")
    assert {t.task_id for t in gate.get_direct_relatives(upstream=True)} == {
        "ingest-crm", "ingest-erp", "ingest-web", "ingest-calls"}
    everything_after_gate = {t.task_id for t in gate.get_flat_relatives(upstream=False)}
    assert {"conform-persons", "resolve-identities", "build-customer-360", "build-features", "score-customers",
            "build-segments", "publish-warehouse"} <= everything_after_gate


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_docker_command_equals_local_command(dag_id, tmp_path):
    env = {"CRM_LAKE": str(tmp_path / "lake"), "CRM_LANDING": str(tmp_path / "landing")}
    for job in crm_tasks.manifest(dag_id):
        on_laptop = rendered(crm_tasks.crm_task(job, crm_tasks.Settings.from_env({**env, "CRM_RUNNER": "local"})),
                             WORLD_DATE)
        in_container = rendered(crm_tasks.crm_task(job, crm_tasks.Settings.from_env({**env, "CRM_RUNNER": "docker"})),
                                WORLD_DATE)
        assert on_laptop.arguments == in_container.command
        assert WORLD_DATE in in_container.command
        assert [m["Target"] for m in in_container.mounts] == [str(tmp_path)]


def test_every_rendered_command_parses_with_crm(tmp_path):
    settings = crm_tasks.Settings.from_env({"CRM_LAKE": "/srv/crm/lake", "CRM_LANDING": "/srv/crm/landing"})
    commands = [rendered(crm_tasks.crm_task(job, settings), WORLD_DATE).arguments
                for dag_id in DAG_IDS for job in crm_tasks.manifest(dag_id)]
    listing = tmp_path / "commands.json"
    listing.write_text(json.dumps(commands))
    done = run_crm("jobs", "--check", str(listing))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(commands)} of {len(commands)} commands parse" in done.stdout


def test_the_daily_run_for_a_day_starts_when_the_day_is_over(dagbag):
    interval = dagbag.dags["crm_daily"].timetable.infer_manual_data_interval(
        run_after=datetime(2026, 9, 28, tzinfo=timezone.utc))
    assert (interval.start, interval.end) == (datetime(2026, 9, 27, tzinfo=timezone.utc),
                                              datetime(2026, 9, 28, tzinfo=timezone.utc))


def test_the_key_file_reaches_the_job_and_the_container_reads_it_only(tmp_path):
    keys = tmp_path / "secrets" / "lake-keys.yaml"
    env = {"CRM_RUNNER": "docker", "CRM_LAKE": str(tmp_path / "data" / "lake"),
           "CRM_LANDING": str(tmp_path / "data" / "landing"), "CRM_KEY_FILE": str(keys)}
    job = crm_tasks.manifest("crm_daily")[0]
    task = rendered(crm_tasks.crm_task(job, crm_tasks.Settings.from_env(env)), WORLD_DATE)
    assert task.environment["CRM_KEY_FILE"] == str(keys)
    assert [(m["Target"], m["ReadOnly"]) for m in task.mounts] == [(str(tmp_path / "data"), False), (str(keys), True)]
    local = crm_tasks.crm_task(job, crm_tasks.Settings.from_env({**env, "CRM_RUNNER": "local"}))
    assert local.environment["CRM_KEY_FILE"] == str(keys)


def test_containers_never_mount_the_root_folder():
    settings = crm_tasks.Settings.from_env({"CRM_RUNNER": "docker", "CRM_LAKE": "/data/lake", "CRM_LANDING": "/srv/in"})
    with pytest.raises(ValueError, match="set CRM_DATA"):
        settings.data_mount()
    settings = crm_tasks.Settings.from_env({"CRM_LAKE": "/srv/crm/lake", "CRM_LANDING": "/srv/crm/landing",
                                            "CRM_MODELS": "/srv/crm/models"})
    assert settings.data_mount() == "/srv/crm"


def test_a_wrong_runner_is_named():
    with pytest.raises(ValueError, match="CRM_RUNNER='k8s'"):
        crm_tasks.Settings.from_env({"CRM_RUNNER": "k8s"})
