"""Where one pipeline job spends its time: runs `crm run JOB` with Spark's event log switched on and
prints the job's wall time, the time inside Spark stages by call site, and the time of each query,
named by the line of our code that ran it, or by Delta's own work (file listings, snapshots).
`--event-log DIR` summarises a log already written. `--jfr` also records the JVM with Java Flight Recorder
and splits its CPU samples by what Spark was doing (planning, code generation, Delta, reading, shuffling).

    .venv/bin/python bench/profile.py build-customer-360 --date 2026-09-30 \\
        --lake bench/work/10000/lake --landing bench/work/10000/world/landing
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def summarise(log, top):
    """Time per call site from one Spark event log (a file, or Spark 4's rolling-log folder)."""
    parts = sorted(log.glob("events_*"), key=lambda f: int(f.name.split("_")[1])) if log.is_dir() else [log]
    by_site = defaultdict(lambda: [0.0, 0, 0])  # seconds, stages, tasks
    executions = {}  # id -> [start ms, end ms, root id, description, call stack]
    app_start = app_end = None
    for line in (line for part in parts for line in part.read_text().splitlines()):
        e = json.loads(line)
        if e["Event"] == "SparkListenerApplicationStart":
            app_start = e["Timestamp"] / 1000
        elif e["Event"] == "SparkListenerApplicationEnd":
            app_end = e["Timestamp"] / 1000
        elif e["Event"].endswith("SparkListenerSQLExecutionStart"):
            executions[e["executionId"]] = [e["time"], None, e.get("rootExecutionId"), e.get("description") or "",
                                            e.get("details") or ""]
        elif e["Event"].endswith("SparkListenerSQLExecutionEnd") and e["executionId"] in executions:
            executions[e["executionId"]][1] = e["time"]
        elif e["Event"] == "SparkListenerStageCompleted":
            info = e["Stage Info"]
            if "Submission Time" in info and "Completion Time" in info:
                site = by_site[info["Stage Name"]]
                site[0] += (info["Completion Time"] - info["Submission Time"]) / 1000
                site[1] += 1
                site[2] += info["Number of Tasks"]
    lines = []
    if app_start and app_end:
        lines.append(f"  {app_end - app_start:.1f} s in the Spark session")
    in_stages = sum(s[0] for s in by_site.values())
    lines.append(f"  {in_stages:.1f} s inside {sum(s[1] for s in by_site.values())} Spark stages (stages may overlap);"
                 " the rest is the driver's own work: planning, Delta log reads and commits, waiting")
    lines.append(f"  {'seconds':>8} {'stages':>6} {'tasks':>6}  Spark stage call site")
    for name, (secs, stages, tasks) in sorted(by_site.items(), key=lambda kv: -kv[1][0])[:top]:
        lines.append(f"  {secs:8.2f} {stages:6d} {tasks:6d}  {name}")
    # Queries: each top-level query by the line of our code that ran it; Delta's own queries (log
    # replay, snapshot state, commit statistics) by what Delta says they are.
    by_query = defaultdict(lambda: [0.0, 0])
    for execution, (start, end, root, description, details) in executions.items():
        if end is None:
            continue
        if description.startswith("Delta: "):
            key = "Delta: " + re.sub(r"\d+", "N", description.split(": ", 2)[-1])
        elif root is None or root == execution:
            ours = [f for f in details.splitlines() if f.startswith("org.crmlake.")]
            outside_lake = [f for f in ours if not f.startswith("org.crmlake.lake.")]
            key = (outside_lake[0] if outside_lake else ours[0] if ours else description).split("org.crmlake.")[-1]
            if ours and ours[0].startswith("org.crmlake.lake.Lake"):
                key += " via " + ours[0].split("org.crmlake.lake.")[-1].split("(")[0].replace("lambda$", "").rstrip("$0123456789")
        else:
            continue
        by_query[key][0] += (end - start) / 1000
        by_query[key][1] += 1
    lines.append(f"  {'seconds':>8} {'count':>6}  query (our call site, or Delta's own work)")
    for name, (secs, count) in sorted(by_query.items(), key=lambda kv: -kv[1][0])[:top]:
        lines.append(f"  {secs:8.2f} {count:6d}  {name}")
    return "\n".join(lines)


# What a CPU sample was doing: the category of the innermost frame of its stack that matches one
# (a Parquet decoder called by generated code called by a shuffle writer is Parquet reading).
JFR_CATEGORIES = [
    ("code generation (Janino)", ("expressions.codegen.", "org.codehaus.janino", "org.codehaus.commons")),
    ("query planning (analyser, optimiser, adaptive re-planning)",
     ("catalyst.analysis", "catalyst.optimizer", "catalyst.rules", "QueryExecution", "execution.adaptive", "QueryPlanner")),
    ("Delta log, snapshots and commits", ("org.apache.spark.sql.delta.", "io.delta.")),
    ("task and plan (de)serialisation", ("ObjectOutputStream", "ObjectInputStream", "JavaSerializer", "ClosureCleaner", "kryo")),
    ("Parquet reading and decoding", ("parquet",)),
    ("hash aggregates and joins", ("BytesToBytesMap", "HashAggregate", "UnsafeFixedWidthAggregationMap", "HashedRelation")),
    ("sorting", ("UnsafeExternalSorter", "UnsafeInMemorySorter", "SortExec")),
    ("shuffle files", ("ShuffleWriter", "ShuffleExternalSorter", "ShuffleBlockFetcher", "BlockStoreShuffleReader")),
    ("other generated query code", ("GeneratedClass", "BufferedRowIterator")),
]


def jfr_summary(recording):
    """CPU samples of a JFR recording by thread (the driver's main thread, Spark's task threads, the rest)
    and by JFR_CATEGORIES."""
    printed = subprocess.run(["bash", "-c", f'. "{ROOT}/conf/java-home.sh" && "$JAVA_HOME/bin/jfr" print '
                              f'--events jdk.ExecutionSample --stack-depth 96 "{recording}"'],
                             capture_output=True, text=True, check=True).stdout
    threads, categories = defaultdict(int), defaultdict(int)
    samples = printed.split("jdk.ExecutionSample {")[1:]
    for sample in samples:
        thread = re.search(r'sampledThread = "([^"]*)"', sample)
        name = thread.group(1) if thread else ""
        threads["driver (main thread)" if name == "main" else "tasks" if name.startswith("Executor task launch")
                else "other Spark threads"] += 1
        frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)  # innermost first
        categories[next((c for f in frames for c, keys in JFR_CATEGORIES if any(k in f for k in keys)), "other")] += 1
    n = max(len(samples), 1)
    lines = [f"  {len(samples)} CPU samples (JFR): "
             + ", ".join(f"{t} {100 * c / n:.0f}%" for t, c in sorted(threads.items(), key=lambda kv: -kv[1]))]
    for category, count in sorted(categories.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {100 * count / n:5.1f}%  {category}")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="bench/profile.py", description=__doc__.splitlines()[0])
    p.add_argument("job", nargs="?", help="a job name from `crm jobs`, e.g. build-customer-360")
    p.add_argument("--date", help="the run date, yyyy-MM-dd")
    p.add_argument("--lake", type=Path)
    p.add_argument("--landing", type=Path, help="the landing folder (ingest jobs)")
    p.add_argument("--top", type=int, default=12, help="call sites to print (default: %(default)s)")
    p.add_argument("--heap", default="4g", help="-Xmx of the job's JVM (default: %(default)s)")
    p.add_argument("--event-log", type=Path, help="summarise this event log instead of running a job")
    p.add_argument("--jfr", action="store_true", help="also record the JVM with Flight Recorder and split its CPU time")
    args = p.parse_args(argv)
    if args.event_log:
        if not args.event_log.exists():
            p.error(f"no event log at {args.event_log}")
        print(summarise(args.event_log, args.top))
        return
    if not (args.job and args.date and args.lake):
        p.error("give JOB, --date and --lake (or --event-log FILE)")
    if not args.lake.is_dir():
        p.error(f"no lake folder at {args.lake}")

    events = Path(tempfile.mkdtemp(prefix="crm-eventlog-"))
    # CRM_AOT=off as in bench.py: the first `crm run` after a build would record an AOT cache, which
    # slows the run and leaves no flight recording.
    env = dict(os.environ, CRM_AOT="off", CRM_JAVA_OPTS=f"-Xmx{args.heap} -Dspark.eventLog.enabled=true "
               f"-Dspark.eventLog.dir=file:{events} -Dspark.eventLog.compress=false"
               + (f" -XX:StartFlightRecording=filename={events}/job.jfr,settings=profile" if args.jfr else ""))
    cmd = [str(ROOT / "crm"), "run", args.job, "--date", args.date, "--lake", str(args.lake.resolve())]
    if args.landing:
        cmd += ["--landing", str(args.landing.resolve())]
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"bench/profile.py: {' '.join(cmd[1:])} failed (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    logs = sorted(events.glob("*_*"))
    if not logs:
        sys.exit(f"bench/profile.py: Spark wrote no event log to {events}")
    print(f"{args.job} {args.date}: {wall:.1f} s wall for the whole command (JVM start-up included)")
    print(summarise(logs[-1], args.top))
    print(f"event log: {logs[-1]}")
    if args.jfr:
        print(jfr_summary(events / "job.jfr"))
        print(f"flight recording: {events / 'job.jfr'} (open it in JDK Mission Control, or `jfr print`)")


if __name__ == "__main__":
    main()
