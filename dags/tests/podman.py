"""A real container engine for the DockerOperator test: rootful Podman speaking the Docker API.

No registry is reachable on our machines, so the jobs image is built on a locally made base: a
static busybox, the glibc libraries the JDK needs and this machine's JDK 25 at /opt/java/openjdk,
where the public eclipse-temurin image keeps it (a JDK where production has the JRE). The
Dockerfile's layers above FROM are the production ones.
Recipe and pitfalls: ../shared/CONTAINERS.md (runc, lowered ulimits, auto-remove off).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

BASE_IMAGE = "localhost/crm-test-base"
JOBS_IMAGE = "localhost/crm-jobs:test"
PACKAGES = ["podman", "runc", "busybox-static"]
# Libraries the JDK, Spark's native snappy/zstd and DuckDB's JNI library load besides libc.
EXTRA_LIBS = ["libstdc++.so.6", "libgcc_s.so.1"]


def ensure_installed() -> str | None:
    """Installs Podman from Debian when it is missing; returns why it cannot, or None."""
    if all(shutil.which(tool) for tool in ("podman", "runc", "busybox")):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "Podman is not installed and cannot be installed here (needs root and apt-get): apt-get install " + \
            " ".join(PACKAGES)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *PACKAGES]):
        done = subprocess.run(step, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            return f"installing Podman failed ({' '.join(step)}): {done.stderr.strip()[-300:]}"
    return None


class Podman:
    """Podman with its own storage under ``root``, and its Docker-API service while started."""

    def __init__(self, root: Path):
        self.root = root
        self.socket = root / "podman.sock"
        conf = root / "containers.conf"
        conf.write_text('[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n'
                        '[engine]\nruntime = "runc"\n')
        storage = root / "storage.conf"
        storage.write_text(f'[storage]\ndriver = "overlay"\ngraphroot = "{root}/graph"\nrunroot = "{root}/run"\n')
        self.env = {**os.environ, "CONTAINERS_CONF": str(conf), "CONTAINERS_STORAGE_CONF": str(storage)}
        self.service: subprocess.Popen | None = None

    @property
    def docker_url(self) -> str:
        return f"unix://{self.socket}"

    def run(self, *args: str, stdin=None) -> str:
        done = subprocess.run(["podman", *args], stdin=stdin, capture_output=True, text=True, env=self.env,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"podman {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
        return done.stdout

    def build_base_image(self, java_home: Path) -> None:
        rootfs = self.root / "base-rootfs"
        for folder in ("bin", "tmp", "etc", "opt/java"):
            (rootfs / folder).mkdir(parents=True, exist_ok=True)
        (rootfs / "tmp").chmod(0o1777)
        shutil.copy2(shutil.which("busybox"), rootfs / "bin" / "busybox")
        # Spark and Hadoop shell out to rm, chmod and friends; busybox provides them all.
        applets = subprocess.run(["busybox", "--list"], capture_output=True, text=True, check=True).stdout.split()
        for applet in applets:
            if applet != "busybox":
                (rootfs / "bin" / applet).symlink_to("busybox")
        (rootfs / "etc" / "passwd").write_text("root:x:0:0:root:/tmp:/bin/sh\n")
        (rootfs / "etc" / "group").write_text("root:x:0:\n")
        shutil.copytree(java_home, rootfs / "opt/java/openjdk", symlinks=True)
        for library in self._libraries(java_home):
            # copy2 follows symlinks: the library lands as a regular file under its soname.
            target = rootfs / library.relative_to("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(library, target)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        self.run("import", "-", BASE_IMAGE, stdin=tar.stdout)
        tar.wait()

    @staticmethod
    def _libraries(java_home: Path) -> set[Path]:
        """Every shared library outside the JDK that its programs and libraries link to."""
        found: set[Path] = set()
        binaries = [java_home / "bin" / "java", *java_home.glob("lib/**/*.so")]
        for binary in binaries:
            out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False).stdout
            for line in out.splitlines():
                parts = line.split()
                path = next((p for p in parts if p.startswith("/")), None)
                if path and not path.startswith(str(java_home)):
                    found.add(Path(path))
        cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
        for line in cache.splitlines():
            if line.strip().split(" ")[0] in EXTRA_LIBS and "x86-64" in line:
                found.add(Path(line.split("=>")[1].strip()))
        return {p for p in found if p.exists()}

    def build_jobs_image(self, repository: Path) -> None:
        self.run("build", "--build-arg", f"BASE={BASE_IMAGE}", "-t", JOBS_IMAGE, "-f",
                 str(repository / "Dockerfile"), str(repository))

    def start_service(self) -> None:
        self.service = subprocess.Popen(["podman", "system", "service", "--time=0", self.docker_url],
                                        env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not self.socket.exists():
            if time.monotonic() > deadline or self.service.poll() is not None:
                raise RuntimeError("the Podman API service did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stops the API service and releases the storage's overlay mount, so the folder can be deleted."""
        if self.service is not None:
            self.service.terminate()
            self.service.wait(timeout=30)
            self.service = None
        overlay = self.root / "graph" / "overlay"
        with open("/proc/mounts", encoding="utf-8") as mounts:
            if any(line.split()[1] == str(overlay) for line in mounts):
                subprocess.run(["umount", str(overlay)], check=False)
