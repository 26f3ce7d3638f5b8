"""Benchmark: grading a simulated class, serial nbgrader against `make autograde`.

A class of N students (default 40) submits every assignment: a third full solutions, a third
partial (one exercise left as the stub), a third blank (the release as handed out). The same class
is graded three times on fresh copies of the course:

- serial nbgrader: `nbgrader autograde <id>` then `nbgrader generate_feedback <id>` per assignment;
- ours with JOBS=1 and JOBS=2 (sandboxed, with feedback).

Run: .venv/bin/python bench/bench_autograde.py [--students 40] [--assignments 01-gradient-descent ...]
Prints seconds and ratios (serial nbgrader time / ours); a ratio above 1 means ours is faster.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mlbasics.course import autograde, layout  # noqa: E402


def make_course(dest, assignments, students):
    dest.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    for a in assignments:
        shutil.copytree(REPO / "solutions" / a, dest / "solutions" / a)
        shutil.copytree(REPO / "notebooks" / a, dest / "notebooks" / a)
    for i in range(students):
        student = f"student{i:03d}"
        for a in assignments:
            folder = dest / "submitted" / student / a
            folder.mkdir(parents=True)
            kind = i % 3
            if kind == 2:
                shutil.copy(layout.release_path(a, dest), folder / f"{a}.ipynb")
                continue
            nb = layout.read_notebook(layout.solution_path(a, dest))
            if kind == 1:  # partial: the last exercise left as the released stub
                stubs = {layout.grade_id(c): c.source for c in layout.read_notebook(layout.release_path(a, dest)).cells
                         if layout.is_solution(c)}
                last = [c for c in nb.cells if layout.is_solution(c)][-1]
                last.source = stubs[layout.grade_id(last)]
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            nbformat.write(nb, str(folder / f"{a}.ipynb"))
    return dest


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def serial_nbgrader(root, assignments):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for a in assignments:
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force",
                        "--CourseDirectory.release_directory=release-scratch"], cwd=root, env=env, check=True,
                       capture_output=True)
    for a in assignments:
        for step in ("autograde", "generate_feedback"):
            subprocess.run([sys.executable, "-m", "nbgrader", step, a, "--force"], cwd=root, env=env, check=True,
                           capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", nargs="*", default=layout.assignments(REPO))
    parser.add_argument("--skip-serial", action="store_true")
    args = parser.parse_args()
    n = args.students * len(args.assignments)
    print(f"Simulated class: {args.students} students x {len(args.assignments)} assignments = {n} notebooks "
          f"(full / partial / blank in turn), {os.cpu_count()} cores")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_serial:
            root = make_course(Path(tmp) / "serial", args.assignments, args.students)
            results["serial nbgrader"] = timed(lambda: serial_nbgrader(root, args.assignments))
        for jobs in (1, 2):
            root = make_course(Path(tmp) / f"jobs{jobs}", args.assignments, args.students)
            results[f"ours, JOBS={jobs}"] = timed(
                lambda: autograde.main(root, jobs=jobs, out=lambda *_: None, progress=False))
    base = results.get("serial nbgrader")
    print(f"{'run':<18} {'seconds':>8} {'per notebook':>13} {'vs serial nbgrader':>19}")
    for name, seconds in results.items():
        ratio = f"{base / seconds:>18.2f}x" if base else f"{'-':>19}"
        print(f"{name:<18} {seconds:>8.1f} {seconds / n:>12.2f}s {ratio}")
    if base:
        print("Floors: JOBS=2 at least 1.8x; JOBS=1 at least 1.0x.")


if __name__ == "__main__":
    main()
