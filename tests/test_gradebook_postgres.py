"""The gradebook on PostgreSQL: every command honours DB_URL, two graders writing at once lose
nothing, and ``make db-migrate-to`` copies a SQLite gradebook and verifies the copy.

The tests start their own PostgreSQL server (tests/pgserver.py) on loopback and stop it afterwards;
without the server binaries they are skipped with how to install them.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pgserver
from helpers import REPO, TINY, tiny_course, tiny_notebook
from mlbasics.course import autograde, gradebook, layout, release
from mlbasics.course import sandbox as sb

A = TINY  # what is graded here is the gradebook's business, not the notebook's: a tiny assignment
_TESTS = [c for c in tiny_notebook().cells if layout.is_graded_test(c)]
FULL = sum(layout.points(c) for c in _TESTS)  # every exercise, as the solution gives the points
LAST = layout.points(_TESTS[-1])  # the last exercise, left as the stub by a "partial" submission
LAST_TEST = layout.grade_id(_TESTS[-1])

pytestmark = pytest.mark.skipif(pgserver.missing_reason() is not None, reason=str(pgserver.missing_reason()))


def _submit_class(root, students):
    """``students``: name -> "full" | "partial" | "blank"."""
    import nbformat

    release_nb = layout.read_notebook(layout.release_path(A, root))
    stubs = {layout.grade_id(c): c.source for c in release_nb.cells if layout.is_solution(c)}
    for student, kind in students.items():
        folder = root / layout.SUBMITTED / student / A
        folder.mkdir(parents=True, exist_ok=True)
        nb = release_nb if kind == "blank" else layout.read_notebook(layout.solution_path(A, root))
        if kind == "partial":
            last = [c for c in nb.cells if layout.is_solution(c)][-1]
            last.source = stubs[layout.grade_id(last)]
        nbformat.write(nb, str(folder / f"{A}.ipynb"))


EXPECTED = {"full": FULL, "partial": FULL - LAST, "blank": 0.0}


def _grades_csv(root):
    with open(root / "grades.csv") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MLBASICS_ROOT")}
    env.update(extra)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def pg():
    server = pgserver.Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def graded(pg, tmp_path_factory):
    """A small class graded with DB_URL on PostgreSQL."""
    url = pg.create_database()
    root = tiny_course(tmp_path_factory.mktemp("pg") / "course")
    students = {"ada": "full", "bob": "partial", "cy": "blank"}
    _submit_class(root, students)
    mp = pytest.MonkeyPatch()
    mp.setenv("DB_URL", url)
    try:
        report = []
        outcomes = autograde.main(root, jobs=2, out=report.append, sandbox=sb.available(), progress=False)
    finally:
        mp.undo()
    return root, url, students, outcomes, "\n".join(report)


def test_autograde_writes_the_gradebook_to_postgresql(graded):
    from nbgrader.api import Gradebook

    root, url, students, _, report = graded
    grades = _grades_csv(root)
    assert not (root / "gradebook.db").exists(), "a SQLite gradebook was written despite DB_URL"
    with Gradebook(url, "mlbasics") as gb:
        assert sorted(s.id for s in gb.students) == sorted(students)
        for student, kind in students.items():
            sub = gb.find_submission(A, student)
            assert float(sub.score) == EXPECTED[kind] == float(grades[student]["score"]), (student, report)
            assert float(sub.max_score) == FULL


def _elsewhere(root, tmp_path):
    """The graded course's files in another folder, with no gradebook but the PostgreSQL one."""
    other = tiny_course(tmp_path / "elsewhere")
    shutil.copytree(root / layout.AUTOGRADED, other / layout.AUTOGRADED)
    return other


def test_feedback_is_made_from_the_postgresql_gradebook(graded, tmp_path, monkeypatch):
    from mlbasics.course import engine

    root, url, students, outcomes, _ = graded
    for student in students:
        assert (root / layout.FEEDBACK / student / A / f"{A}.html").is_file(), f"no feedback for {student}"
    assert not any("feedback" in p for o in outcomes for p in o.problems)
    other = _elsewhere(root, tmp_path)
    monkeypatch.setenv("DB_URL", url)
    assert engine.feedback(other, "ada", A) is None
    assert LAST_TEST in (other / layout.FEEDBACK / "ada" / A / f"{A}.html").read_text()


def test_nbgrader_export_reads_postgresql(graded, tmp_path):
    root, url, students, _, _ = graded
    out = tmp_path / "export.csv"
    result = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(out)],
                            cwd=_elsewhere(root, tmp_path), env=_env(DB_URL=url), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    with open(out) as fh:
        rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    assert rows == {s: EXPECTED[k] for s, k in students.items()}


FORMGRADER = textwrap.dedent("""
    import json, sys
    from nbgrader.apps import NbGraderAPI
    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

    fg = FormgradeExtension()  # as `make lab AS=instructor` loads it, from the course folder
    fg.root_dir = sys.argv[1]
    fg.initialize([])
    api = NbGraderAPI(fg.coursedir, parent=fg)
    subs = api.get_submissions(sys.argv[2])
    print(json.dumps({"db_url": fg.coursedir.db_url, "scores": {s["student"]: s["score"] for s in subs}}))
""")


def test_formgrader_reads_postgresql(graded, tmp_path):
    root, url, students, _, _ = graded
    other = _elsewhere(root, tmp_path)
    result = subprocess.run([sys.executable, "-c", FORMGRADER, str(other), A], cwd=other, env=_env(DB_URL=url),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["db_url"] == url
    assert seen["scores"] == {s: EXPECTED[k] for s, k in students.items()}


def test_release_with_db_url_writes_no_sqlite_gradebook(pg, course, monkeypatch):
    monkeypatch.setenv("DB_URL", pg.create_database())
    first = layout.assignments(course)[0]
    summaries = release.release(first, course, run_stubs=False, out=lambda *_: None)
    assert [s.assignment for s in summaries] == [first] and not summaries[0].problems
    assert not (course / "gradebook.db").exists()


def test_make_autograde_passes_db_url_through(pg, tmp_path):
    url = pg.create_database()
    course = tiny_course(tmp_path / "course")
    _submit_class(course, {"dee": "full"})
    bindir = Path(sys.executable).parent
    result = subprocess.run(
        ["make", "-s", "-o", "install", "autograde", f"BIN={bindir}", f"DB_URL={url}", "JOBS=1",
         f"SANDBOX={'on' if sb.available() else 'off'}"],
        cwd=REPO, env=_env(MLBASICS_ROOT=str(course)), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    from nbgrader.api import Gradebook

    with Gradebook(url, "mlbasics") as gb:
        assert float(gb.find_submission(A, "dee").score) == FULL
    assert not (course / "gradebook.db").exists()


def test_two_graders_writing_at_once_lose_nothing(pg, tmp_path):
    """Two `autograde` processes, each with its own course folder (two graders, two sections),
    start together on one PostgreSQL gradebook: both register the assignment and create students
    and grades at the same moment."""
    from nbgrader.api import Grade, Gradebook

    url = pg.create_database()
    sections = {"one": {"s1a": "full", "s1b": "blank"}, "two": {"s2a": "partial", "s2b": "full"}}
    procs = {}
    for name, students in sections.items():
        root = tiny_course(tmp_path / name)
        _submit_class(root, students)
        procs[name] = (root, subprocess.Popen(
            [sys.executable, "-m", "mlbasics.course", "autograde", "--jobs", "1", "--no-progress",
             "--sandbox", "on" if sb.available() else "off"],
            env=_env(DB_URL=url, MLBASICS_ROOT=str(root)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True))
    for name, (root, proc) in procs.items():
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, output[-3000:]
        grades = _grades_csv(root)
        for student, kind in sections[name].items():
            assert float(grades[student]["score"]) == EXPECTED[kind], (student, grades[student])
    everyone = {s: k for students in sections.values() for s, k in students.items()}
    with Gradebook(url, "mlbasics") as gb:
        assert sorted(s.id for s in gb.students) == sorted(everyone)
        assert len(gb.find_assignment(A).submissions) == len(everyone)
        for student, kind in everyone.items():
            assert float(gb.find_submission(A, student).score) == EXPECTED[kind], student
        assert gb.db.query(Grade).count() == len(_TESTS) * len(everyone)  # one row per test cell and student


REGISTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from mlbasics.course import autograde, layout  # loaded before the start signal

    root, go = Path(sys.argv[1]), Path(sys.argv[2])
    (go.parent / f"ready-{root.name}").touch()
    while not go.exists():
        time.sleep(0.005)
    autograde.register_assignment(root, sys.argv[3])
""")


def test_graders_starting_at_the_same_instant_register_the_assignment_once(pg, tmp_path):
    """Four graders reach an empty gradebook at the same instant (while a fifth holds the turn):
    one creates the tables and registers the assignment, the others wait their turn and find it."""
    from nbgrader.api import Gradebook

    url = pg.create_database()
    go = tmp_path / "go"
    procs = []
    for i in range(4):
        root = tiny_course(tmp_path / f"grader{i}", with_release=False)
        procs.append(subprocess.Popen([sys.executable, "-c", REGISTER, str(root), str(go), A],
                                      env=_env(DB_URL=url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True))
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)  # until every process has loaded the course and waits
    with gradebook.lock(url, "register"):  # as if a fifth grader were registering right now
        go.touch()
        time.sleep(2)
        assert all(proc.poll() is None for proc in procs), "a grader did not wait for its turn"
        assert gradebook.target_data(url) == {}
    for proc in procs:
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, output[-3000:]
    with Gradebook(url, "mlbasics") as gb:
        assert [a.name for a in gb.assignments] == [A]
        assert len(gb.find_notebook(A, A).grade_cells) == len(_TESTS)


# ----------------------------------------------------------------------------------------------
# make db-migrate-to

@pytest.fixture(scope="module")
def sqlite_course(tmp_path_factory):
    """A class graded on the default SQLite gradebook, with an instructor's manual grade and comment."""
    from nbgrader.api import Gradebook

    root = tiny_course(tmp_path_factory.mktemp("sqlite") / "course")
    _submit_class(root, {"eve": "full", "fay": "partial", "gus": "blank"})
    mp = pytest.MonkeyPatch()
    mp.delenv("DB_URL", raising=False)
    try:
        autograde.main(root, jobs=2, out=lambda *_: None, sandbox=sb.available(), progress=False)
    finally:
        mp.undo()
    with Gradebook(gradebook.default_url(root), "mlbasics") as gb:
        gb.find_grade(LAST_TEST, A, A, "gus").manual_score = 1.5
        gb.find_submission_notebook(A, A, "gus").comments[0].manual_comment = COMMENT
        gb.db.commit()
    return root


COMMENT = "Close: the sign of the step is wrong."


def _copy_sqlite(root, tmp_path):
    """A private copy of the SQLite gradebook, so a test may change it."""
    dest = tmp_path / "gradebook.db"
    shutil.copy(root / "gradebook.db", dest)
    return dest


def test_migrate_copies_and_verifies(pg, sqlite_course, tmp_path):
    source = _copy_sqlite(sqlite_course, tmp_path)
    url = pg.create_database()
    lines = []
    copied = gradebook.migrate(url, source, out=lines.append)
    assert (copied.students, copied.submissions, copied.grades) == (3, 3, 3 * len(_TESTS))  # a grade per test cell
    assert "verified" in lines[0]
    before, after = gradebook.summary(f"sqlite:///{source}"), gradebook.summary(url)
    assert before == after
    from nbgrader.api import Gradebook

    with Gradebook(url, "mlbasics") as gb:
        assert float(gb.find_submission(A, "eve").score) == FULL
        assert float(gb.find_submission(A, "gus").score) == 1.5  # the manual grade came along
        assert gb.find_grade(LAST_TEST, A, A, "gus").manual_score == 1.5
    assert [c[-1] for c in after["comments"] if c[-1]] == [COMMENT]


def test_migrate_refuses_a_target_with_data_and_writes_nothing(pg, sqlite_course, tmp_path):
    from nbgrader.api import Gradebook

    source = _copy_sqlite(sqlite_course, tmp_path)
    url = pg.create_database()
    gradebook.migrate(url, source, out=lambda *_: None)
    with Gradebook(f"sqlite:///{source}", "mlbasics") as gb:  # the source moves on: a new student
        gb.add_student("hal")
    held = gradebook.target_data(url)
    with pytest.raises(gradebook.MigrationError, match="already holds a gradebook with data.*FORCE=1"):
        gradebook.migrate(url, source, out=lambda *_: None)
    assert gradebook.target_data(url) == held
    assert "hal" not in [s[0] for s in gradebook.summary(url)["students"]]
    gradebook.migrate(url, source, force=True, out=lambda *_: None)
    assert "hal" in [s[0] for s in gradebook.summary(url)["students"]]
    assert gradebook.summary(url) == gradebook.summary(f"sqlite:///{source}")


def test_a_copy_that_differs_is_never_committed(pg, sqlite_course, tmp_path, monkeypatch):
    source = _copy_sqlite(sqlite_course, tmp_path)
    url = pg.create_database()
    real = gradebook._rows

    def lossy(conn, table):  # the target loses a row on the way
        rows = real(conn, table)
        return rows[:-1] if conn.dialect.name == "postgresql" and table.name == "grade" else rows

    monkeypatch.setattr(gradebook, "_rows", lossy)
    with pytest.raises(gradebook.MigrationError, match="differs from the source; nothing was written"):
        gradebook.migrate(url, source, out=lambda *_: None)
    monkeypatch.undo()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_migrate_reports_plain_errors(pg, tmp_path):
    with pytest.raises(gradebook.MigrationError, match="no SQLite gradebook at"):
        gradebook.migrate(pg.url("postgres"), tmp_path / "nothing.db")
    empty = tmp_path / "gradebook.db"
    import sqlite3

    sqlite3.connect(empty).close()
    with pytest.raises(gradebook.MigrationError, match="does not exist.*createdb"):
        gradebook.migrate(pg.url("no_such_database"), empty)


def test_make_db_migrate_to(pg, sqlite_course, tmp_path):
    """The make target: copies and verifies; run again, refuses with a plain reason and exit 1."""
    course = tmp_path / "course"
    shutil.copytree(sqlite_course, course)
    url = pg.create_database()
    bindir = Path(sys.executable).parent

    def make(*extra):
        return subprocess.run(["make", "-s", "-o", "install", "db-migrate-to", f"BIN={bindir}", *extra], cwd=REPO,
                              env=_env(MLBASICS_ROOT=str(course)), capture_output=True, text=True, timeout=300)

    first = make(f"DB_URL={url}")
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"3 student(s), 3 submission(s), {3 * len(_TESTS)} grade(s)" in first.stdout and "verified" in first.stdout
    again = make(f"DB_URL={url}")
    assert again.returncode != 0 and "already holds a gradebook with data" in again.stdout + again.stderr
    forced = make(f"DB_URL={url}", "FORCE=1")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    usage = make()
    assert usage.returncode != 0 and "usage: make db-migrate-to DB_URL=" in usage.stdout
