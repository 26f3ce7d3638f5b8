"""How long ``make report`` takes for a class: python bench/bench_report.py [STUDENTS] [--keep]

The report reads only ``grades.csv`` and ``grades-long.csv``. This writes both for STUDENTS
(default 40) students x every assignment of the course into a scratch copy of the course, with
made-up results (each exercise at full marks, unanswered, failed with one of the hints of the
assignment's known mistakes, or failed without a hint; a few submissions with problems), then
times the command ``make report`` runs (``python -m mlbasics.course report``) three times.
"""

import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mlbasics.course import layout, report  # noqa: E402


def synthesise(root, students, seed=0):
    rng = random.Random(seed)
    assignments = layout.assignments(root)
    grades, long_rows = [], []
    for a in assignments:
        cells = report.exercises(root, a)
        hints = report.known_mistakes(root, a)
        for i in range(students):
            student = f"student{i:03d}"
            total = 0.0
            for _, exercise, points in cells:
                fate = rng.random()
                hint, unanswered, earned = "", 0, 0.0
                if fate < 0.6:
                    earned = points
                elif fate < 0.7:
                    unanswered = 1
                elif fate < 0.95 and hints.get(exercise):
                    hint = f"{rng.choice(hints[exercise])[1]} (the hint's full text)"
                total += earned
                long_rows.append([student, a, exercise, f"{earned:g}", f"{points:g}", unanswered, hint])
            problems = "cells were moved: x now comes where y was" if rng.random() < 0.05 else ""
            max_score = sum(p for _, _, p in cells)
            grades.append([student, a, f"{total:g}", f"{max_score:g}", problems])
    with open(root / report.GRADES, "w", newline="") as fh:
        csv.writer(fh).writerows([["student_id", "assignment", "score", "max_score", "problems"], *grades])
    with open(root / report.LONG, "w", newline="") as fh:
        csv.writer(fh).writerows([report.LONG_COLUMNS, *long_rows])
    return len(grades), len(long_rows)


def main(argv):
    students = int(next((a for a in argv if a.isdigit()), 40))
    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        root = Path(scratch) / "course"
        root.mkdir()
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        shutil.copytree(REPO / layout.SOLUTIONS, root / layout.SOLUTIONS,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        submissions, rows = synthesise(root, students)
        env = {k: v for k, v in os.environ.items() if k != "DB_URL"}
        env["MLBASICS_ROOT"] = str(root)
        times, cpu = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mlbasics.course", "report"], cwd=REPO, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        pngs = len(list((root / report.REPORT).glob("*.png")))
        size = (root / report.REPORT / "index.html").stat().st_size
        print(f"{students} students x {len(layout.assignments(root))} assignments: {submissions} submissions, "
              f"{rows} exercise rows; report/index.html {size / 1e6:.1f} MB, {pngs} PNGs")
        print(f"python -m mlbasics.course report: {', '.join(f'{t:.2f}' for t in times)} s "
              f"(median {statistics.median(times):.2f} s wall clock; CPU time {', '.join(f'{t:.2f}' for t in cpu)} s; "
              "process start-up and imports included)")
        if "--keep" in argv:
            kept = Path(tempfile.mkdtemp(prefix="bench-report-kept-"))
            shutil.copytree(root / report.REPORT, kept / report.REPORT)
            print(f"the report is kept in {kept / report.REPORT}")


if __name__ == "__main__":
    main(sys.argv[1:])
