"""How the crm jobs become Airflow tasks.

The tasks and their order come from ``manifest.json`` (written by ``crm jobs --json``, kept
current by a test), never from a second hand-written list. Each task runs one ``crm`` command,
either in the project's container (DockerOperator) or with the local ``crm`` launcher; which one
is configuration (environment variables read when the DAG file is parsed), not an edit of the DAG:

  CRM_RUNNER      local (default) or docker
  CRM_LAKE        lake root, a folder or an s3a:/hdfs: URI (default /srv/crm/lake)
  CRM_LANDING     where the source exports land (default /srv/crm/landing)
  CRM_HOME        local runner: the folder holding the ./crm launcher (default: this repository)
  CRM_IMAGE       docker runner: the jobs image (default crm-jobs:latest)
  CRM_DOCKER_URL  docker runner: the Docker (or Podman) API (default unix://var/run/docker.sock)
  CRM_DATA        docker runner: host folder mounted into the container at the same path, so the
                  lake and landing paths mean the same inside and out (default: the common parent
                  of CRM_LAKE and CRM_LANDING when they are local folders)
  CRM_JAVA_OPTS   JVM options for every job (heap, -Dspark.master=... for a cluster)
  CRM_MODELS, CRM_WAREHOUSE  passed through to the jobs (model registry, DuckDB file)
  CRM_KEY_FILE    the lake's key file (docs/PRIVACY.md), passed through; the docker runner mounts
                  it read-only at the same path

Importing this module reads one small JSON file and nothing else: no JVM, no database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException

MANIFEST = Path(__file__).with_name("manifest.json")
REPOSITORY = Path(__file__).resolve().parent.parent
DATE_PLACEHOLDER = "{date}"
# crm's exit code when the data-quality gate fails: retrying the same data cannot pass it.
QUALITY_GATE_EXIT = 3
# Passed to every job, also into the container: JVM options, registry and warehouse locations, the
# warehouse's hashing salt, the key file of the lake's personal data, and the S3 credentials an s3a:
# lake needs.
PASSED_THROUGH = ("CRM_JAVA_OPTS", "CRM_MODELS", "CRM_WAREHOUSE", "CRM_WAREHOUSE_SALT", "CRM_KEY_FILE", "AWS_ACCESS_KEY_ID",
                  "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION")

DEFAULT_ARGS = {
    "owner": "data-engineering",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=2),
}

# What both DAGs share. One run at a time: each rebuilds silver and gold from all of bronze.
DAG_SETTINGS = {
    "start_date": datetime(2026, 1, 1, tzinfo=timezone.utc),
    "catchup": False,
    "max_active_runs": 1,
    "default_args": DEFAULT_ARGS,
}


@dataclass(frozen=True)
class Settings:
    runner: str = "local"
    lake: str = "/srv/crm/lake"
    landing: str = "/srv/crm/landing"
    home: str = str(REPOSITORY)
    image: str = "crm-jobs:latest"
    docker_url: str = "unix://var/run/docker.sock"
    data: str | None = None
    environment: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def from_env(env=None) -> Settings:
        env = os.environ if env is None else env
        runner = env.get("CRM_RUNNER", "local")
        if runner not in ("local", "docker"):
            raise ValueError(f"CRM_RUNNER={runner!r}: set it to local or docker")
        d = Settings()
        return Settings(
            runner=runner,
            lake=env.get("CRM_LAKE", d.lake),
            landing=env.get("CRM_LANDING", d.landing),
            home=env.get("CRM_HOME", d.home),
            image=env.get("CRM_IMAGE", d.image),
            docker_url=env.get("CRM_DOCKER_URL", d.docker_url),
            data=env.get("CRM_DATA"),
            environment={k: env[k] for k in PASSED_THROUGH if k in env},
        )

    def data_mount(self) -> str | None:
        """The host folder the container sees at the same path: CRM_DATA, else the common parent of
        every local location (lake, landing, model registry, warehouse); None when all are URIs."""
        if self.data:
            return self.data
        places = [self.lake, self.landing, self.environment.get("CRM_MODELS"), self.environment.get("CRM_WAREHOUSE")]
        local = [p for p in places if p and ":" not in p]
        if not local:
            return None
        mount = os.path.commonpath(local)
        if mount == os.sep:
            raise ValueError(f"the lake, landing, registry and warehouse folders {local} share no parent folder to "
                             "mount into the container: set CRM_DATA to one folder holding them all")
        return mount


def manifest(dag_id: str) -> list[dict]:
    with open(MANIFEST, encoding="utf-8") as f:
        return json.load(f)["dags"][dag_id]


def crm_arguments(command: list[str], settings: Settings, date: str = "{{ ds }}") -> list[str]:
    """The crm arguments of a manifest command for a date (a Jinja template), with the lake's location."""
    args = [date if a == DATE_PLACEHOLDER else a for a in command]
    return args + ["--lake", settings.lake, "--landing", settings.landing]


class CrmLocalOperator(BaseOperator):
    """Runs ``<CRM_HOME>/crm ARGS`` on the worker, streaming its output to the task log."""

    template_fields = ("arguments",)
    ui_color = "#d9ecf2"

    def __init__(self, *, arguments: list[str], home: str, environment: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.arguments = arguments
        self.home = home
        self.environment = environment or {}
        self._process: subprocess.Popen | None = None

    def execute(self, context):
        launcher = str(Path(self.home) / "crm")
        self.log.info("running %s %s", launcher, " ".join(self.arguments))
        # Its own process group, so a timeout or a kill stops the JVM the launcher started too.
        self._process = subprocess.Popen([launcher, *self.arguments], env={**os.environ, **self.environment},
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                         start_new_session=True)
        try:
            for line in self._process.stdout:
                self.log.info("%s", line.rstrip())
            code = self._process.wait()
        except BaseException:
            self.on_kill()
            raise
        if code == QUALITY_GATE_EXIT:
            raise AirflowFailException("the data-quality gate failed; fix the source data, then clear this task")
        if code != 0:
            raise AirflowException(f"crm exited with code {code}")

    def on_kill(self):
        if self._process is None or self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)


def crm_task(job: dict, settings: Settings, date: str = "{{ ds }}") -> BaseOperator:
    """One task for one manifest entry, on the configured runner."""
    common = {"task_id": job["name"], "doc_md": job["description"]}
    arguments = crm_arguments(job["command"], settings, date)
    if settings.runner == "local":
        return CrmLocalOperator(arguments=arguments, home=settings.home, environment=settings.environment, **common)
    from docker.types import Mount

    mount = settings.data_mount()
    mounts = [Mount(target=mount, source=mount, type="bind")] if mount else []
    key_file = settings.environment.get("CRM_KEY_FILE")
    if key_file:
        # Kept out of the data folder on purpose (whoever reads the lake must not read its key).
        mounts.append(Mount(target=key_file, source=key_file, type="bind", read_only=True))
    return crm_docker_operator()(
        image=settings.image,
        command=arguments,
        docker_url=settings.docker_url,
        environment=settings.environment,
        mounts=mounts,
        # The container's own /tmp is enough; Podman cannot always bind the operator's temp folder.
        mount_tmp_dir=False,
        # The operator reads the logs, then removes the container (also a failed one: the logs are in the task log).
        auto_remove="success",
        **common,
    )


def crm_docker_operator():
    """DockerOperator that, like the local runner, does not retry a failed quality gate."""
    from airflow.providers.docker.exceptions import DockerContainerFailedException
    from airflow.providers.docker.operators.docker import DockerOperator

    class CrmDockerOperator(DockerOperator):
        def execute(self, context):
            try:
                return super().execute(context)
            except DockerContainerFailedException as failure:
                if f"'StatusCode': {QUALITY_GATE_EXIT}," in str(failure):
                    raise AirflowFailException("the data-quality gate failed; fix the source data, then clear "
                                               "this task") from failure
                raise

    return CrmDockerOperator


def build_tasks(dag_id: str, settings: Settings, date: str = "{{ ds }}") -> dict[str, BaseOperator]:
    """Creates every task of the DAG from the manifest, for the date (a Jinja template), and wires
    each to its upstream jobs."""
    jobs = manifest(dag_id)
    tasks = {job["name"]: crm_task(job, settings, date) for job in jobs}
    for job in jobs:
        for upstream in job["upstream"]:
            tasks[upstream] >> tasks[job["name"]]
    return tasks
