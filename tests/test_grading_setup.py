"""The instructor's grading set-up never gives silent zeros.

Grading works whatever the environment's and the package's real paths (a ``.venv`` symlinked from
elsewhere, the package installed from another checkout); the instructor's own solutions are graded
first, and a set-up that cannot give them full marks stops before any grade is written;
``make autograde`` exits non-zero when there is nothing to grade or a submission could not be
graded, and says how many were graded; a bad ``JOBS`` is refused by name.

Most tests grade a tiny course (``tests/helpers.tiny_course``: two exercises, a notebook without
imports) so that each costs a kernel or two.
"""

import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from helpers import REPO, TINY, tiny_course, tiny_notebook
from mlbasics.course import __main__ as course_cli
from mlbasics.course import autograde, layout
from mlbasics.course import sandbox as sb

A = TINY
POINTS = sum(layout.points(c) for c in tiny_notebook().cells if layout.is_graded_test(c))  # the solution's score
needs_bwrap = pytest.mark.skipif(not sb.available(), reason="needs bubblewrap: " + sb.install_hint())
SANDBOX = sb.available()


def submit(root, student, nb=None, text=None):
    folder = root / layout.SUBMITTED / student / A
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{A}.ipynb"
    if text is not None:
        target.write_text(text)
    else:
        nbformat.write(nb if nb is not None else layout.read_notebook(layout.solution_path(A, root)), str(target))
    return target


def grades_csv(root):
    with open(root / "grades.csv") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MLBASICS_ROOT")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture
def outside_tmp():
    """A scratch folder outside /tmp: the sandbox hides all of /tmp anyway, so a course there
    would be hidden whether or not the grader hid it on purpose."""
    base = Path("/var/tmp")
    if not (base.is_dir() and os.access(base, os.W_OK)):
        pytest.skip("needs a writable /var/tmp, outside the sandbox's own /tmp")
    folder = Path(tempfile.mkdtemp(prefix="mlbasics-grading-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# 1. Where the environment and the package really are does not matter.

@needs_bwrap
@pytest.mark.kernel
def test_a_venv_symlinked_into_the_course_grades_full_marks(tmp_path):
    """`<course>/.venv` is a symlink to an environment elsewhere, and the grader runs as
    `<course>/.venv/bin/python` (so that is its sys.executable, unresolved)."""
    root = tiny_course(tmp_path / "course")
    (root / ".venv").symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    submit(root, "ann")
    python = root / ".venv" / "bin" / Path(sys.executable).name
    result = subprocess.run([str(python), "-m", "mlbasics.course", "autograde", "--jobs", "1", "--no-progress"],
                            cwd=root, env=_env(MLBASICS_ROOT=root), capture_output=True, text=True, timeout=300)
    output = result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, output
    row = grades_csv(root)["ann"]
    assert float(row["score"]) == POINTS, f"the solution scored {row['score']} of {POINTS}: {row['problems']}"
    assert not row["problems"], row


@needs_bwrap
@pytest.mark.kernel
def test_the_graded_course_is_hidden_when_the_package_comes_from_another_checkout(outside_tmp):
    """The package is imported from this checkout; the course graded is another folder: the
    kernel sees the package and the environment, and not the graded course's gradebook."""
    root = tiny_course(outside_tmp / "course")
    assert layout.ROOT != root.resolve()
    nb = layout.read_notebook(layout.solution_path(A, root))
    probe = (f"import os\nfor _name in ('gradebook.db', 'submitted'):\n"
             f"    print(_name, 'visible' if os.path.exists(os.path.join({str(root)!r}, _name)) else 'hidden')")
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    submit(root, "ann", nb)
    report = []
    autograde.main(root, jobs=1, out=report.append, progress=False)
    graded = layout.read_notebook(root / layout.AUTOGRADED / "ann" / A / f"{A}.ipynb")
    printed = "".join(o.get("text", "") for o in graded.cells[-1].outputs)
    assert printed.split() == ["gradebook.db", "hidden", "submitted", "hidden"], printed
    row = grades_csv(root)["ann"]
    assert float(row["score"]) == POINTS and not row["problems"], row


# ----------------------------------------------------------------------------------------------
# 2. The pre-flight check: the instructor's solutions are graded first.

def _students_in_gradebook(root):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlbasics") as gb:
        return sorted(s.id for s in gb.students)


def _nothing_written(root):
    assert not (root / "grades.csv").exists(), "grades.csv was written"
    assert not (root / layout.AUTOGRADED).exists(), "autograded/ was written"
    assert not (root / layout.FEEDBACK).exists(), "feedback/ was written"
    if (root / "gradebook.db").exists():
        assert _students_in_gradebook(root) == [], "the gradebook has students"


@pytest.mark.kernel
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_solution_without_full_marks_stops_grading_before_any_grade(tmp_path, jobs):
    """The submissions run beside the pre-flight check (with 2 workers, one of them runs while the
    solution does and is done first): none of their results is saved."""
    root = tiny_course(tmp_path / "course", answer="return 3 * x")  # the instructor's slip
    for student in ("ann", "bob", "cy"):
        submit(root, student)
    with pytest.raises(SystemExit) as stop:
        autograde.main(root, jobs=jobs, out=lambda *_: None, progress=False, sandbox=SANDBOX)
    message = str(stop.value)
    assert A in message and "test_double" in message and "double(2) should be 4" in message, message
    assert stop.value.code != 0
    _nothing_written(root)


@pytest.mark.kernel
def test_a_kernel_that_cannot_start_stops_grading_and_says_what_it_printed(tmp_path):
    """A set-up in which no kernel can start (here: far too little memory for the interpreter)
    stops at the pre-flight check, with the kernel's own words."""
    root = tiny_course(tmp_path / "course")
    submit(root, "ann")
    with pytest.raises(SystemExit) as stop:
        autograde.main(root, jobs=1, out=lambda *_: None, progress=False, sandbox=SANDBOX, memory_mb=8)
    message = str(stop.value)
    assert A in message and "Kernel died before replying to kernel_info" in message, message
    assert "failed to map segment" in message or "MemoryError" in message, message
    _nothing_written(root)


@pytest.mark.kernel
def test_a_passing_pre_flight_leaves_no_student_behind(tmp_path):
    root = tiny_course(tmp_path / "course")
    submit(root, "ann")
    report = []
    autograde.main(root, jobs=1, out=report.append, progress=False, sandbox=SANDBOX)
    assert _students_in_gradebook(root) == ["ann"]
    assert set(grades_csv(root)) == {"ann"}
    assert sorted(p.name for p in (root / layout.AUTOGRADED).iterdir()) == ["ann"]


# ----------------------------------------------------------------------------------------------
# 3. Exit codes and honest counts.

@pytest.mark.parametrize("submitted", ["no submitted/ folder", "an empty submitted/ folder"])
def test_nothing_to_grade_exits_non_zero_and_says_where_submissions_go(tmp_path, monkeypatch, capsys, submitted):
    root = tiny_course(tmp_path / "course")
    if submitted == "an empty submitted/ folder":
        (root / layout.SUBMITTED).mkdir()
    monkeypatch.setattr(layout, "ROOT", root)
    code = course_cli.main(["autograde", "--jobs", "1", "--no-progress", "--sandbox", "off"])
    said = capsys.readouterr()
    assert code != 0, f"exit {code} with nothing to grade: {said.out}{said.err}"
    assert f"{root / layout.SUBMITTED}/<student>/<assignment>/<assignment>.ipynb" in said.out + said.err


@pytest.fixture(scope="module")
def mixed_class(tmp_path_factory):
    """Two gradable submissions (one with a restored test cell) and two that cannot be graded."""
    root = tiny_course(tmp_path_factory.mktemp("mixed") / "course")
    solution = layout.read_notebook(layout.solution_path(A, root))
    submit(root, "good", solution)
    deleted = nbformat.from_dict(solution)
    deleted.cells = [c for c in deleted.cells if layout.grade_id(c) != "test_double"]
    submit(root, "deleted", deleted)
    submit(root, "unreadable", text="{ not json")
    crash = nbformat.from_dict(solution)
    crash.cells.insert(1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    submit(root, "crash", crash)
    saved = layout.ROOT
    layout.ROOT = root
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = course_cli.main(["autograde", "--jobs", "2", "--no-progress",
                                    "--sandbox", "on" if SANDBOX else "off"])
    finally:
        layout.ROOT = saved
    return root, code, out.getvalue()


@pytest.mark.kernel
def test_submissions_that_could_not_be_graded_make_autograde_fail(mixed_class):
    _, code, report = mixed_class
    assert code != 0, f"exit {code} although two submissions could not be graded:\n{report}"


@pytest.mark.kernel
def test_the_report_counts_honestly_and_lists_each_ungraded_submission(mixed_class):
    root, _, report = mixed_class
    assert "Graded 2 of 4 submission(s)" in report, report
    assert "2 could not be graded:" in report, report
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if "could not be graded:" in line)
    ungraded = lines[start + 1:start + 3]
    assert any(f"unreadable/{A}:" in line and "not a readable notebook" in line for line in ungraded), report
    assert any(f"crash/{A}:" in line and "kernel died" in line for line in ungraded), report
    noted = "\n".join(lines[start + 3:])
    assert f"deleted/{A}:" in noted and "test cell test_double was deleted (restored)" in noted, report
    grades = grades_csv(root)
    assert float(grades["good"]["score"]) == float(grades["deleted"]["score"]) == POINTS, grades
    assert set(grades) == {"good", "deleted", "unreadable", "crash"}


# ----------------------------------------------------------------------------------------------
# 4. JOBS

@pytest.fixture(scope="module")
def one_submission(tmp_path_factory):
    """A course with one submission, which a refused JOBS leaves ungraded (shared by the cases below)."""
    root = tiny_course(tmp_path_factory.mktemp("jobs") / "course")
    submit(root, "ann")
    return root


@pytest.mark.parametrize("jobs", ["0", "-1", "abc", ""])
def test_make_autograde_refuses_a_bad_jobs_by_name(one_submission, jobs):
    root = one_submission
    result = subprocess.run(
        ["make", "-s", "-o", "install", "autograde", f"BIN={Path(sys.executable).parent}", f"JOBS={jobs}",
         "SANDBOX=off"],
        cwd=REPO, env=_env(MLBASICS_ROOT=root), capture_output=True, text=True, timeout=120)
    said = result.stdout + result.stderr
    assert result.returncode != 0, f"JOBS={jobs!r} was accepted:\n{said[-2000:]}"
    assert f"JOBS (--jobs) must be a whole number of at least 1, got '{jobs}'" in said, said[-2000:]
    assert not (root / "grades.csv").exists()
