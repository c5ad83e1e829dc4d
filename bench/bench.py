"""Benchmark harness: runs `crm bench` for each world size, the peer tools on the same data,
and writes the results (JSON, CSV) and the charts. See docs/BENCHMARKS.md.

Each size runs in its own JVM (`crm bench`), which measures every pipeline stage itself (wall
time, CPU time, peak RSS, peak heap, rows, rows per second); this script also samples the whole
process tree's resident memory, so a peak outside the stages (start-up, Spark's own threads) is seen.
"""
import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PEERS = ["identity", "c360", "models", "clv"]  # bench/peer_<name>.py


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run", description="Runs `crm bench` for each world size and the peer "
                                "tools on the same data; writes results (JSON, CSV) and charts. See docs/BENCHMARKS.md.")
    p.add_argument("--sizes", default="10000,100000,1000000",
                   help="customers per world, comma-separated (default: %(default)s)")
    p.add_argument("--days", type=int, default=365, help="days of history (default: %(default)s)")
    p.add_argument("--mess", default="default", help="generator mess level (default: %(default)s)")
    p.add_argument("--heap", default="12g", help="the JVM's maximum heap, -Xmx (default: %(default)s)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "work",
                   help="where worlds and lakes go (default: bench/work)")
    p.add_argument("--results", type=Path, default=None,
                   help="where results go (default: bench/results, charts in docs/bench)")
    p.add_argument("--crm", type=Path, default=ROOT / "crm", help="the crm launcher to run (default: this checkout's)")
    p.add_argument("--no-peers", action="store_true", help="measure this project only")
    p.add_argument("--peers-only", action="store_true",
                   help="re-run only the peers on the worlds and lakes a previous run left under --out")
    p.add_argument("--smoke", action="store_true",
                   help="a tiny run that checks the harness: 150 customers, 120 days, no peers, results under --out")
    args = p.parse_args(argv)
    if args.smoke:
        args.sizes, args.days, args.no_peers, args.heap = "150", 120, True, "2g"
    try:
        args.sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        p.error("--sizes takes whole numbers separated by commas, e.g. --sizes 10000,100000")
    if any(s < 1 for s in args.sizes) or args.days < 30:
        p.error("each size must be at least 1 and --days at least 30")
    if args.results is None:
        args.results = args.out / "results" if args.smoke else ROOT / "bench" / "results"
    args.charts = args.results if args.smoke or args.results != ROOT / "bench" / "results" else ROOT / "docs" / "bench"
    return args


class TreePeakRss:
    """Samples the resident memory of a process and its children every 0.2 s; keeps the peak."""

    def __init__(self, pid):
        self.process = psutil.Process(pid)
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            try:
                procs = [self.process] + self.process.children(recursive=True)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak >> 20


def run_crm_bench(size, args):
    out = args.out / f"{size}"
    log = args.out / f"bench-{size}.log"
    args.out.mkdir(parents=True, exist_ok=True)
    # No AOT cache: the launcher would build one on the first run after a build, in the measured process tree.
    env = dict(os.environ, CRM_JAVA_OPTS=f"-Xmx{args.heap}", CRM_AOT="off")
    cmd = [str(args.crm), "bench", "--customers", str(size), "--days", str(args.days), "--mess", args.mess,
           "--out", str(out)]
    print(f"== {size} customers: {' '.join(cmd[1:])} (log {log})", flush=True)
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=env)
        rss = TreePeakRss(proc.pid)
        code = proc.wait()
        peak = rss.stop()
    if code != 0:
        sys.exit(f"bench/run: crm bench for {size} customers failed (exit {code}); the end of {log}:\n"
                 + "".join(open(log).readlines()[-15:]))
    result = json.loads((out / "bench.json").read_text())
    result["process_peak_rss_mib"] = peak
    result["lake"] = str(out / "lake")
    print(table(result), flush=True)
    return result


def table(result):
    lines = [f"{'stage':<22} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} {'rows':>11} {'rows/s':>9}"]
    for s in result["stages"] + [dict(result["pipeline"], stage="pipeline (all stages)",
                                      rows=result["world"]["export_rows"])]:
        rps = s.get("rows_per_s")
        lines.append(f"{s['stage']:<22} {s['wall_s']:>8.1f} {s['cpu_s']:>8.1f} {s['peak_rss_mib']:>8} "
                     f"{s.get('rows', 0):>11} {'-' if rps is None else f'{rps:.0f}':>9}")
    return "\n".join(lines)


def run_peers(result, args):
    """Runs each peer on this size's data; a peer that cannot be installed or fails is reported, not fatal."""
    peers = {}
    sys.path.insert(0, str(ROOT / "bench"))
    for name in PEERS:
        try:
            module = __import__(f"peer_{name}")
            peers[name] = module.compare(Path(result["lake"]), args.out / f"{result['world']['customers']}")
        except Exception as e:  # noqa: BLE001 - one peer's failure must not lose the others' figures
            peers[name] = {"error": f"{type(e).__name__}: {e}"}
        print(f"   peer {name}: {json.dumps(peers[name])}", flush=True)
    return peers


def write_results(results, args):
    """Writes every size measured so far: this run's, and earlier runs' of other sizes from results.json."""
    args.results.mkdir(parents=True, exist_ok=True)
    args.charts.mkdir(parents=True, exist_ok=True)
    previous = args.results / "results.json"
    if previous.exists():
        sizes = {r["world"]["customers"] for r in results}
        kept = [r for r in json.loads(previous.read_text())["runs"] if r["world"]["customers"] not in sizes]
        results = sorted(kept + results, key=lambda r: r["world"]["customers"])
    doc = {"machine": results[0]["machine"] if results else {}, "python": platform.python_version(),
           "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": results}
    (args.results / "results.json").write_text(json.dumps(doc, indent=2) + "\n")
    with open(args.results / "results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customers", "days", "stage", "runs", "wall_s", "cpu_s", "peak_rss_mib", "peak_heap_mib", "rows",
                    "rows_per_s"])
        for r in results:
            rows = r["stages"] + [dict(r["pipeline"], stage="pipeline", runs=1, rows=r["world"]["export_rows"]),
                                  dict(r["generate"], stage="generate", runs=1, rows=r["world"]["export_rows"])]
            for s in rows:
                w.writerow([r["world"]["customers"], r["world"]["days"], s["stage"], s["runs"], s["wall_s"], s["cpu_s"],
                            s["peak_rss_mib"], s["peak_heap_mib"], s["rows"], s["rows_per_s"]])
    charts(results, args.charts)
    print(f"results: {args.results / 'results.json'}, {args.results / 'results.csv'}; charts in {args.charts}")


def charts(results, folder):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["world"]["customers"] for r in results]
    walls = [r["pipeline"]["wall_s"] for r in results]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, walls, "o-", label="whole pipeline (measured)")
    if sizes:
        # What linear growth from the smallest world would cost: a curve above it grows faster than linearly.
        ax.plot(sizes, [walls[0] * s / sizes[0] for s in sizes], "--", color="grey", label="linear from the smallest")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customers")
    ax.set_ylabel("wall time, s")
    ax.set_title("Scale curve (generation excluded)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "scale.svg")
    plt.close(fig)

    stages = list(dict.fromkeys(s["stage"] for r in results for s in r["stages"]))
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(stages) + 1.5))
    height = 0.8 / max(1, len(results))
    for i, r in enumerate(results):
        by = {s["stage"]: s["wall_s"] for s in r["stages"]}
        ax.barh([j + i * height for j in range(len(stages))], [by.get(s, 0) for s in stages], height=height,
                label=f"{r['world']['customers']:,} customers")
    ax.set_yticks([j + height * (len(results) - 1) / 2 for j in range(len(stages))], stages)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("wall time, s (log)")
    ax.set_title("Wall time per stage")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "stages.svg")
    plt.close(fig)


def check_smoke(result):
    """The smoke run's own check: every daily job of the manifest was measured, and ingest counted rows."""
    manifest = json.loads((ROOT / "dags" / "manifest.json").read_text())
    expected = {"ingest" if t["name"].startswith("ingest-") else t["name"] for t in manifest["dags"]["crm_daily"]}
    measured = {s["stage"]: s for s in result["stages"]}
    missing = sorted(expected - measured.keys())
    if missing or measured["ingest"]["rows"] <= 0 or result["pipeline"]["wall_s"] <= 0:
        sys.exit(f"bench/run --smoke: stages not measured: {missing or 'none'}; ingest rows "
                 f"{measured.get('ingest', {}).get('rows')}; pipeline wall {result['pipeline']['wall_s']} s")
    print(f"bench smoke ok: {len(measured)} stages measured")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    results = []
    for size in args.sizes:
        saved = args.out / f"{size}" / "result.json"  # bench.json, the process peak and the peers
        if args.peers_only and not saved.exists():
            sys.exit(f"bench/run: no earlier run of {size} customers under {args.out} (run it without --peers-only first)")
        result = json.loads(saved.read_text()) if args.peers_only else run_crm_bench(size, args)
        if not args.no_peers:
            result["peers"] = run_peers(result, args)
        saved.write_text(json.dumps(result, indent=2) + "\n")
        results.append(result)
        write_results(results, args)  # after every size, so a long run that dies keeps what it measured
    if args.smoke:
        check_smoke(results[0])


if __name__ == "__main__":
    main()
