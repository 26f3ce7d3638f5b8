"""Benchmark: how long the course takes to run, against a baseline commit measured in the same run.

Times, for this checkout and for a baseline commit (default: the commit before the course's
timing floors were set, 780be97):

- every solution notebook executed top to bottom in a fresh kernel (as `make execute` runs it),
  and the course in all;
- with ``--suite``, the whole of `make test` in each tree, as its Makefile runs it, one after the other.

The two trees take turns notebook by notebook, so that the machine's other work falls on both alike;
each notebook is run ``--rounds`` times per tree and the median is kept. The baseline runs from a
scratch `git worktree`, with this checkout's environment.

Floors: each notebook under 10 s (15 s for 08-11), the course in at most 60 s, `make test` in at
most 8 minutes, all on a 2-core machine with nothing else running.

Run from the repository root: .venv/bin/python bench/bench_course.py [--baseline REV] [--rounds 3] [--suite]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"

# Run inside each tree, with that tree's package first on the path: execute one notebook, print seconds.
RUN_ONE = """
import sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                        resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}})
with client.setup_kernel():
    start = time.perf_counter()
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
    print(time.perf_counter() - start)
"""


SUITE_FLOOR = 480.0  # seconds for the whole of `make test`


def floor(name):
    return 15.0 if name[:2] in {"08", "09", "10", "11"} else 10.0


def notebooks(tree):
    return sorted(p.name for p in (tree / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())


def run_notebook(tree, name):
    """Seconds to execute ``solutions/<name>/<name>.ipynb`` of ``tree`` (kernel start excluded)."""
    env = dict(os.environ, PYTHONPATH=str(tree), MPLBACKEND="module://matplotlib_inline.backend_inline",
               MLBASICS_ROOT=str(tree))
    out = subprocess.run([str(PYTHON), "-c", RUN_ONE, str(tree / "solutions" / name / f"{name}.ipynb")],
                         cwd=tree / "solutions" / name, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{tree}: {name} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def run_suite(tree):
    """`make test` as that tree's Makefile runs it (this checkout's: one pytest process per core)."""
    env = dict(os.environ, PYTHONPATH=str(tree), MLBASICS_ROOT=str(tree))
    start = time.perf_counter()
    done = subprocess.run(["make", "-s", "-o", "install", "test", f"BIN={PYTHON.parent}", "PYTEST_ARGS=-q"],
                          cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    return seconds, tail[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="780be97", help="the commit to compare with (default 780be97)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite in each tree")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.2f} at start; baseline {args.baseline}")
    with tempfile.TemporaryDirectory(prefix="mlbasics-bench-") as scratch:
        base = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), args.baseline], cwd=REPO, check=True)
        (base / ".venv").symlink_to(REPO / ".venv")
        try:
            trees = {"now": REPO, "baseline": base}
            names = sorted(set(notebooks(REPO)) | set(notebooks(base)))
            times = {t: {n: [] for n in names} for t in trees}
            for _ in range(args.rounds):
                for name in names:
                    for label, tree in trees.items():
                        if (tree / "solutions" / name / f"{name}.ipynb").is_file():
                            times[label][name].append(run_notebook(tree, name))
            print(f"\n{'notebook':<26} {'baseline s':>10} {'now s':>8} {'now/base':>9} {'floor s':>8}  ")
            total = {"now": 0.0, "baseline": 0.0}
            over = []
            for name in names:
                med = {t: statistics.median(times[t][name]) if times[t][name] else None for t in trees}
                for t in trees:
                    total[t] += med[t] or 0.0
                ratio = f"{med['now'] / med['baseline']:.2f}" if med["now"] and med["baseline"] else "-"
                mark = "" if med["now"] is None or med["now"] <= floor(name) else "  over the floor"
                if mark:
                    over.append(name)
                fmt = lambda v: f"{v:.1f}" if v is not None else "-"  # noqa: E731
                print(f"{name:<26} {fmt(med['baseline']):>10} {fmt(med['now']):>8} {ratio:>9} {floor(name):>8.0f}{mark}")
            print(f"{'course in all':<26} {total['baseline']:>10.1f} {total['now']:>8.1f} "
                  f"{total['now'] / total['baseline']:>9.2f} {60:>8}{'  over the floor' if total['now'] > 60 else ''}")
            if args.suite:
                print("\nmake test (pytest), one tree after the other:")
                for label, tree in trees.items():
                    seconds, tail = run_suite(tree)
                    over_floor = label == "now" and seconds > SUITE_FLOOR
                    print(f"  {label:<9} {seconds:7.1f} s  {tail}{'  over the floor' if over_floor else ''}")
                print(f"  {'floor':<9} {SUITE_FLOOR:7.1f} s")
            print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
            return 1 if over or total["now"] > 60 else 0
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO)


if __name__ == "__main__":
    sys.exit(main())
