"""Grading through a Dask cluster (``make autograde SCHEDULER=...``): a real scheduler and two
workers on loopback grade a simulated class with exactly the grades a local run gives, also when a
worker is killed in the middle of a notebook."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from helpers import REPO, TINY, tiny_course
from mlbasics.course import autograde, cluster, engine, layout
from mlbasics.course import sandbox as sb

A = TINY  # what the cluster does with a notebook does not depend on the notebook: a tiny assignment
SANDBOX = sb.available()
DATA = "measurements.txt"


def _make_class(root):
    """A handful of students: full marks, one exercise left as the stub, the release as handed out,
    and full marks that need a data file from the submission folder (it must travel with the task).
    Each answered notebook waits a second in its first answer, so that a worker can be killed while
    its kernel runs one."""
    release_nb = layout.read_notebook(layout.release_path(A, root))
    stubs = {layout.grade_id(c): c.source for c in release_nb.cells if layout.is_solution(c)}
    for student in ("full", "partial", "blank", "datafile"):
        folder = root / layout.SUBMITTED / student / A
        folder.mkdir(parents=True)
        nb = release_nb if student == "blank" else layout.read_notebook(layout.solution_path(A, root))
        solutions = [c for c in nb.cells if layout.is_solution(c)]
        if student != "blank":
            solutions[0].source = "import time\ntime.sleep(1)\n" + solutions[0].source
        if student == "partial":
            solutions[-1].source = stubs[layout.grade_id(solutions[-1])]
        if student == "datafile":
            (folder / DATA).write_text("0.1 0.2 0.3\n")
            solutions[0].source = f"assert open({DATA!r}).read().split() == ['0.1', '0.2', '0.3']\n" + \
                solutions[0].source
        nbformat.write(nb, str(folder / f"{A}.ipynb"))
    return root


def _results(root):
    """Everything a grader looks at: grades.csv, and every test cell's score in the gradebook."""
    with open(root / "grades.csv") as fh:
        rows = sorted((r["student_id"], r["assignment"], r["score"], r["max_score"], r["problems"])
                      for r in csv.DictReader(fh))
    cells = {r[0]: autograde.scores(root, r[0], r[1]) for r in rows if (root / layout.AUTOGRADED / r[0] / r[1]).is_dir()}
    return rows, cells


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return _make_class(tiny_course(tmp_path_factory.mktemp("dask") / "base"))


def _copy(base, dest):
    shutil.copytree(base, dest)
    return dest


@pytest.fixture(scope="module")
def local(base, tmp_path_factory):
    root = _copy(base, tmp_path_factory.mktemp("local") / "course")
    autograde.main(root, jobs=2, out=lambda *_: None, sandbox=SANDBOX, progress=False)
    return _results(root)


@pytest.fixture(scope="module")
def dask_cluster():
    with cluster.Cluster(workers=2) as running:
        yield running


def test_the_simulated_class_scores_as_expected(base, local):
    rows, _ = local
    scores = {r[0]: float(r[2]) for r in rows}
    tests = [c for c in layout.read_notebook(layout.solution_path(A, base)).cells if layout.is_graded_test(c)]
    full, last = sum(layout.points(c) for c in tests), layout.points(tests[-1])
    assert scores == {"full": full, "partial": full - last, "blank": 0, "datafile": full}, rows


def test_cluster_grades_are_identical_to_a_local_run(base, local, dask_cluster, tmp_path):
    """Through `make autograde SCHEDULER=...`, as an instructor runs it."""
    root = _copy(base, tmp_path / "course")
    env = {k: v for k, v in os.environ.items() if k != "DB_URL"}
    env.update(MLBASICS_ROOT=str(root), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        ["make", "-s", "-o", "install", "autograde", f"BIN={Path(sys.executable).parent}",
         f"SCHEDULER={dask_cluster.address}", "JOBS=2", f"SANDBOX={'on' if SANDBOX else 'off'}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert f"through the Dask cluster at {dask_cluster.address} (2 worker(s))" in result.stdout
    assert _results(root) == local
    for student in ("full", "partial", "blank", "datafile"):
        assert (root / layout.AUTOGRADED / student / A / f"{A}.ipynb").is_file()
        assert (root / layout.FEEDBACK / student / A / f"{A}.html").is_file(), f"no feedback for {student}"


def test_a_worker_killed_mid_notebook_loses_no_grade(base, local, tmp_path):
    """SIGKILL a worker while its kernel is running a student's notebook: the scheduler retries its
    tasks on the other worker, and every submission is saved exactly once."""
    import psutil
    from distributed import Client
    from nbgrader.api import Grade, Gradebook

    root = _copy(base, tmp_path / "course")
    with cluster.Cluster(workers=2) as running, Client(running.address, set_as_default=False) as watcher:
        pids = watcher.run(os.getpid)  # worker address -> its process
        result, killed = {}, {}

        def grade():
            try:
                result["outcomes"] = autograde.main(root, jobs=2, out=lambda *_: None, sandbox=SANDBOX,
                                                    progress=False, scheduler=running.address)
            except BaseException as err:  # shown by the assertion below
                result["error"] = err

        thread = threading.Thread(target=grade)
        thread.start()
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline and thread.is_alive():
            for address, pid in pids.items():
                kernels = _kernels(psutil, pid)
                if kernels:  # a notebook is running on this worker right now
                    time.sleep(0.5)
                    os.kill(pid, signal.SIGKILL)
                    killed.update(address=address, pid=pid, kernels=[k.pid for k in kernels],
                                  folders=_kernel_folders(kernels))
                    break
            time.sleep(0.05)
        thread.join(timeout=600)
        assert killed, "no worker was ever seen running a notebook"
        assert "error" not in result, result.get("error")
        assert not psutil.pid_exists(killed["pid"]) or psutil.Process(killed["pid"]).status() == "zombie"
        time.sleep(1)
        assert not [k for k in killed["kernels"] if psutil.pid_exists(k) and psutil.Process(k).status() != "zombie"], \
            "the killed worker's kernel outlived it"

    for folder in killed["folders"]:  # the killed worker's working copy, left behind by its death
        shutil.rmtree(folder, ignore_errors=True)
    outcomes = result["outcomes"]
    assert not [o for o in outcomes if any("grading failed" in p for p in o.problems)], outcomes
    assert _results(root) == local
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlbasics") as gb:
        submissions = gb.find_assignment(A).submissions
        assert sorted(s.student.id for s in submissions) == ["blank", "datafile", "full", "partial"]
        tests = sum(layout.is_graded_test(c) for c in layout.read_notebook(layout.solution_path(A, root)).cells)
        assert gb.db.query(Grade).count() == tests * len(submissions)  # one row per test cell: nothing twice


def _kernels(psutil, pid):
    """The notebook kernels a worker process is running now."""
    found = []
    try:
        for child in psutil.Process(pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return found


def _kernel_folders(kernels):
    """The working folders of these kernels (their connection file lives there)."""
    folders = set()
    for kernel in kernels:
        try:
            argv = kernel.cmdline()
        except Exception:
            continue
        if "-f" in argv[:-1]:
            folders.add(str(Path(argv[argv.index("-f") + 1]).parent))
    return sorted(f for f in folders if Path(f).name.startswith("grade-"))


class _RecordingClient:
    def __init__(self):
        self.calls = []

    def submit(self, fn, *args, **kwargs):
        self.calls.append((fn, args, kwargs))
        return object()


def test_tasks_carry_the_submission_and_not_the_coordinators_paths(base, tmp_path):
    """No shared filesystem: a task holds the sanitized notebook and the submission's other files,
    and not the folder it came from on the coordinator."""
    base = _copy(base, tmp_path / "course")
    config = layout.nbgrader_config(base)
    autograde.register_assignment(base, A)
    job = engine.prepare(base, "datafile", A, config)
    client = _RecordingClient()
    options = engine.Options(root=str(base), timeout=5)
    cluster.submit(client, job, options)
    cluster.submit(client, job, options)
    (fn, (sent, carried), kwargs), (_, _, kwargs2) = client.calls
    assert fn is engine.run and carried is options  # the same run, with the same options, as a local worker
    assert sent.folder == "" and job.folder  # the coordinator keeps its path
    assert sent.files == {DATA: b"0.1 0.2 0.3\n"} and sent.notebook == job.notebook
    assert kwargs["pure"] is False and kwargs["key"] != kwargs2["key"]  # never deduplicated


def test_an_unreachable_scheduler_is_a_plain_error(base, monkeypatch, tmp_path):
    base = _copy(base, tmp_path / "course")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    address = f"tcp://127.0.0.1:{cluster.free_port()}"
    start = time.monotonic()
    with pytest.raises(SystemExit, match=f"cannot reach the Dask scheduler at {address}.*dask scheduler"):
        autograde.main(base, out=lambda *_: None, progress=False, scheduler=address)
    assert time.monotonic() - start < 30
    assert not (base / "grades.csv").exists()
