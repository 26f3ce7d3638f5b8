"""Benchmark: grading a simulated class, serial nbgrader against `make autograde`.

A class of N students (default 40) submits every assignment: a third full solutions, a third
partial (one exercise left as the stub), a third blank (the release as handed out). The same class
is graded three times on fresh copies of the course:

- serial nbgrader: `nbgrader autograde <id>` then `nbgrader generate_feedback <id>` per assignment;
- ours with JOBS=1 and JOBS=2 (sandboxed, with feedback).

The three take turns assignment by assignment, so that the machine's other work falls on all of
them alike, and the grades they give (every student's score on every assignment, read from each
run's gradebook) must be identical.

Run: .venv/bin/python bench/bench_autograde.py [--students 40] [--assignments 01-gradient-descent ...]
Prints seconds per assignment and in all, and ratios (serial nbgrader time / ours); a ratio above 1
means ours is faster.
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


def scores(root, assignment):
    """{student: score} for one assignment, read from the course's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", nargs="*", default=layout.assignments(REPO))
    parser.add_argument("--skip-serial", action="store_true")
    args = parser.parse_args()
    n = args.students * len(args.assignments)
    print(f"Simulated class: {args.students} students x {len(args.assignments)} assignments = {n} notebooks "
          f"(full / partial / blank in turn), {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    # One assignment at a time, the three graders taking turns (in a rotating order), so that a
    # change in what else the machine is doing falls on all three alike.
    runs = ([] if args.skip_serial else ["serial nbgrader"]) + ["ours, JOBS=1", "ours, JOBS=2"]
    totals = dict.fromkeys(runs, 0.0)
    mismatches = []
    print(f"{'assignment':<28}" + "".join(f"{r:>17}" for r in runs))
    for k, a in enumerate(args.assignments):
        times, grades = {}, {}
        with tempfile.TemporaryDirectory() as tmp:
            for run in runs[k % len(runs):] + runs[:k % len(runs)]:
                root = make_course(Path(tmp) / run.replace(" ", "").replace(",", "").replace("=", ""), [a],
                                   args.students)
                if run == "serial nbgrader":
                    times[run] = timed(lambda: serial_nbgrader(root, [a]))
                else:
                    jobs = int(run[-1])
                    times[run] = timed(lambda: autograde.main(root, jobs=jobs, out=lambda *_: None, progress=False))
                grades[run] = scores(root, a)
        for run in runs:
            totals[run] += times[run]
            if grades[run] != grades[runs[0]]:
                diff = sorted(s for s in grades[run].keys() | grades[runs[0]].keys()
                              if grades[run].get(s) != grades[runs[0]].get(s))
                mismatches.append(f"{a}: {run} and {runs[0]} disagree for {diff}")
        print(f"{a:<28}" + "".join(f"{times[r]:>16.1f}s" for r in runs), flush=True)
    base = totals.get("serial nbgrader")
    print()
    print(f"{'run':<18} {'seconds':>8} {'per notebook':>13} {'vs serial nbgrader':>19}")
    for name, seconds in totals.items():
        ratio = f"{base / seconds:>18.2f}x" if base else f"{'-':>19}"
        print(f"{name:<18} {seconds:>8.1f} {seconds / n:>12.2f}s {ratio}")
    if base:
        print("Floors: JOBS=2 at least 1.8x; JOBS=1 at least 1.0x.")
    print("Grades: " + ("identical in every run" if not mismatches else "DIFFER\n  " + "\n  ".join(mismatches)))
    if mismatches:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
