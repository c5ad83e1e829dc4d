"""Where one pipeline job spends its time: runs `crm run JOB` with Spark's event log switched on and
prints the job's wall time, the time inside Spark stages grouped by call site (the line of our code
that started them), and what is left: the driver's own work (planning, Delta log reads and commits,
encryption set-up, waiting).

    .venv/bin/python bench/profile.py build-customer-360 --date 2026-09-30 \\
        --lake bench/work/10000/lake --landing bench/work/10000/world/landing
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    p = argparse.ArgumentParser(prog="bench/profile.py", description=__doc__.splitlines()[0])
    p.add_argument("job", help="a job name from `crm jobs`, e.g. build-customer-360")
    p.add_argument("--date", required=True, help="the run date, yyyy-MM-dd")
    p.add_argument("--lake", required=True, type=Path)
    p.add_argument("--landing", type=Path, help="the landing folder (ingest jobs)")
    p.add_argument("--top", type=int, default=12, help="call sites to print (default: %(default)s)")
    p.add_argument("--heap", default="4g", help="-Xmx of the job's JVM (default: %(default)s)")
    args = p.parse_args(argv)
    if not args.lake.is_dir():
        p.error(f"no lake folder at {args.lake}")

    events = Path(tempfile.mkdtemp(prefix="crm-eventlog-"))
    env = dict(os.environ, CRM_JAVA_OPTS=f"-Xmx{args.heap} -Dspark.eventLog.enabled=true "
               f"-Dspark.eventLog.dir=file:{events} -Dspark.eventLog.compress=false")
    cmd = [str(ROOT / "crm"), "run", args.job, "--date", args.date, "--lake", str(args.lake.resolve())]
    if args.landing:
        cmd += ["--landing", str(args.landing.resolve())]
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"bench/profile.py: {' '.join(cmd[1:])} failed (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    logs = sorted(events.glob("*"))
    if not logs:
        sys.exit(f"bench/profile.py: Spark wrote no event log to {events}")

    by_site = defaultdict(lambda: [0.0, 0, 0])  # seconds, stages, tasks
    app_start = app_end = None
    for line in logs[-1].read_text().splitlines():
        e = json.loads(line)
        if e["Event"] == "SparkListenerApplicationStart":
            app_start = e["Timestamp"] / 1000
        elif e["Event"] == "SparkListenerApplicationEnd":
            app_end = e["Timestamp"] / 1000
        elif e["Event"] == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            if "Submission Time" in info and "Completion Time" in info:
                site = by_site[info["Stage Name"]]
                site[0] += (info["Completion Time"] - info["Submission Time"]) / 1000
                site[1] += 1
                site[2] += info["Number of Tasks"]
    in_stages = sum(s[0] for s in by_site.values())
    session = (app_end - app_start) if app_start and app_end else None
    print(f"{args.job} {args.date}: {wall:.1f} s wall for the whole command"
          + (f", {session:.1f} s of it in the Spark session" if session else ""))
    print(f"  {in_stages:.1f} s inside {sum(s[1] for s in by_site.values())} Spark stages (stages may overlap);"
          " the rest is JVM start-up and the driver's own work")
    print(f"  {'seconds':>8} {'stages':>6} {'tasks':>6}  call site")
    for name, (secs, stages, tasks) in sorted(by_site.items(), key=lambda kv: -kv[1][0])[:args.top]:
        print(f"  {secs:8.2f} {stages:6d} {tasks:6d}  {name}")
    print(f"event log: {logs[-1]}")


if __name__ == "__main__":
    main()
