"""The DockerOperator path for real: the jobs image, built from the repository's Dockerfile on a
locally made base, runs a crm task through Podman's Docker API and writes Delta to a mounted lake."""

import subprocess
from pathlib import Path

import pytest
from airflow.providers.docker.exceptions import DockerContainerFailedException
from deltalake import DeltaTable

from conftest import DIST, WORLD_DATE, job_task
from podman import JOBS_IMAGE, Podman, ensure_installed

import crm_tasks


@pytest.fixture(scope="module")
def podman(tmp_path_factory):
    why_not = ensure_installed()
    if why_not:
        pytest.skip(why_not)
    engine = Podman(tmp_path_factory.mktemp("podman"))
    java_home = subprocess.run(["bash", "-c", f". {DIST}/conf/java-home.sh && echo $JAVA_HOME"],
                               capture_output=True, text=True, check=True).stdout.strip()
    engine.build_base_image(java_home=Path(java_home))
    engine.build_jobs_image(DIST)
    engine.start_service()
    yield engine
    engine.stop()


def test_ingest_task_runs_in_the_jobs_container(podman, world, tmp_path):
    lake = tmp_path / "lake"
    settings = crm_tasks.Settings.from_env({
        "CRM_RUNNER": "docker", "CRM_IMAGE": JOBS_IMAGE, "CRM_DOCKER_URL": podman.docker_url,
        "CRM_LAKE": str(lake), "CRM_LANDING": str(world / "landing"),
        "CRM_JAVA_OPTS": "-Xmx1g",
    })
    task = job_task("ingest-crm", settings)
    task.execute(context={"ds": WORLD_DATE})

    contacts = DeltaTable(str(lake / "bronze" / "crm_contacts")).to_pyarrow_table()
    assert contacts.num_rows > 0
    log = DeltaTable(str(lake / "ops" / "ingest_log")).to_pyarrow_table().to_pylist()
    assert {r["source"] for r in log} == {"crm"}
    assert sum(r["rows_in"] for r in log) == sum(r["rows_kept"] + r["rows_quarantined"] for r in log)


def test_a_failing_container_fails_the_task_with_its_message(podman, tmp_path):
    """A missing export: crm exits 2 with one line naming the folder; the operator fails with it."""
    settings = crm_tasks.Settings.from_env({
        "CRM_RUNNER": "docker", "CRM_IMAGE": JOBS_IMAGE, "CRM_DOCKER_URL": podman.docker_url,
        "CRM_LAKE": str(tmp_path / "lake"), "CRM_LANDING": str(tmp_path / "landing"), "CRM_JAVA_OPTS": "-Xmx1g",
    })
    task = job_task("ingest-erp", settings)
    with pytest.raises(DockerContainerFailedException, match="'StatusCode': 2") as failure:
        task.execute(context={"ds": WORLD_DATE})
    logs = "\n".join(line.decode() if isinstance(line, bytes) else line for line in failure.value.logs)
    assert "no batch folder" in logs
