"""Benchmark: grading a simulated class locally and through a Dask cluster on this machine.

The class is bench_autograde's (full / partial / blank submissions in turn). It is graded twice on
fresh copies of the course, sandboxed, with feedback:

- the local pool: ``make autograde JOBS=2``;
- a cluster of one ``dask scheduler`` and two ``dask worker --nthreads 1`` on 127.0.0.1, started
  by the script: ``make autograde SCHEDULER=tcp://127.0.0.1:PORT`` (the coordinator writes the
  gradebook and the feedback, two at a time).

Then the overhead per notebook of going through the scheduler, measured directly: each class
member's prepared submission (the real task payload) is sent through the scheduler to a worker and
a result of the executed notebook's size comes back, one notebook at a time; the same round trip
through the local process pool is subtracted. The target is under 50 ms per notebook.

Run: .venv/bin/python bench/bench_dask.py [--students 20] [--assignments 01-gradient-descent] [--roundtrips 100]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_autograde import make_course, timed  # noqa: E402

from mlbasics.course import autograde, cluster, engine, layout  # noqa: E402
from mlbasics.course import sandbox as sb  # noqa: E402

TARGET_MS = 50


def echo(job, options):
    """What a worker sends back for a notebook, without running it: the executed-notebook-sized result."""
    return engine.Executed(job.student, job.assignment, job.notebook, [], 0.0)


def roundtrips(submit, jobs, n):
    """Seconds for each of ``n`` one-at-a-time round trips of the class's payloads."""
    times = []
    for i in range(n):
        job = jobs[i % len(jobs)]
        start = time.perf_counter()
        result = submit(job).result()
        times.append(time.perf_counter() - start)
        assert result.notebook == job.notebook
    return times


def ms(values, q):
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, int(q * len(values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--assignments", nargs="*", default=["01-gradient-descent"])
    parser.add_argument("--roundtrips", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1, help="grade the class this many times each way, "
                        "interleaved; the median is reported")
    args = parser.parse_args()
    n = args.students * len(args.assignments)
    sandbox = sb.available()
    print(f"Simulated class: {args.students} students x {len(args.assignments)} assignment(s) = {n} notebooks "
          f"(full / partial / blank in turn), {os.cpu_count()} cores, sandbox {'on' if sandbox else 'OFF'}")
    quiet = dict(out=lambda *_: None, progress=False, sandbox=sandbox)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with cluster.Cluster(workers=2, nthreads=1) as running:
            startup = time.perf_counter() - start
            locals_, throughs, same = [], [], True
            for i in range(args.rounds):
                local_root = make_course(Path(tmp) / f"local{i}", args.assignments, args.students)
                locals_.append(timed(lambda: autograde.main(local_root, jobs=2, **quiet)))
                dask_root = make_course(Path(tmp) / f"dask{i}", args.assignments, args.students)
                throughs.append(timed(lambda: autograde.main(dask_root, jobs=2, scheduler=running.address, **quiet)))
                same &= (dask_root / "grades.csv").read_text() == (local_root / "grades.csv").read_text()
            local, through = statistics.median(locals_), statistics.median(throughs)

            config = layout.nbgrader_config(dask_root)
            jobs = [engine.prepare(dask_root, s, a, config) for s, a in autograde.find_submissions(dask_root)]
            payload = statistics.mean(len(j.notebook) + sum(map(len, j.files.values())) for j in jobs) / 1024
            client = cluster.connect(running.address, sandbox=sandbox)
            try:
                client.submit(echo, jobs[0], {}, pure=False).result()  # the workers load the code first
                via_scheduler = roundtrips(lambda j: client.submit(echo, j, {}, pure=False), jobs, args.roundtrips)
            finally:
                client.close()
        with ProcessPoolExecutor(max_workers=2) as pool:
            pool.submit(echo, jobs[0], {}).result()  # start the processes first
            via_pool = roundtrips(lambda j: pool.submit(echo, j, {}), jobs, args.roundtrips)

    print(f"{'run (median of ' + str(args.rounds) + ')':<28} {'seconds':>8} {'per notebook':>13}")
    print(f"{'local pool, JOBS=2':<28} {local:>8.1f} {local / n:>12.2f}s")
    print(f"{'Dask, 2 workers x 1 thread':<28} {through:>8.1f} {through / n:>12.2f}s")
    print(f"{'difference':<28} {through - local:>+8.1f} {(through - local) / n:>+12.2f}s")
    print(f"Grades identical: {'yes' if same else 'NO'}. Cluster start-up (not counted above): {startup:.1f} s.")
    print()
    print(f"Round trip of one notebook's task ({payload:.0f} KiB payload each way), {args.roundtrips} one at a time:")
    print(f"  through the scheduler: median {ms(via_scheduler, 0.5):.1f} ms, p90 {ms(via_scheduler, 0.9):.1f} ms")
    print(f"  through the local pool: median {ms(via_pool, 0.5):.1f} ms, p90 {ms(via_pool, 0.9):.1f} ms")
    overhead = ms(via_scheduler, 0.5) - ms(via_pool, 0.5)
    print(f"Overhead per notebook of going through the scheduler: {overhead:.1f} ms "
          f"(target under {TARGET_MS} ms: {'met' if overhead < TARGET_MS else 'NOT met'})")


if __name__ == "__main__":
    main()
