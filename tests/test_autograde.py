"""`make autograde`: full marks for solutions, zero for the release, bad submissions reported by
name without stopping the others, feedback that shows no hidden test."""

import csv
import html
import re
import shutil

import nbformat

import pytest

from helpers import ASSIGNMENTS, copy_course, without_experiments
from mlbasics.course.checks import source as source_checks
from mlbasics.course import autograde, layout

# A learner who hands in the solution: the first assignment, and the last (the largest notebook).
# They hand in its experiments' cells empty: the grades do not depend on them, and the pre-flight
# check has already run every solution's experiments, in the same sandbox.
SOLVED = [ASSIGNMENTS[0], ASSIGNMENTS[-1]]


def _submit(root, student, assignment, source_path=None, text=None, name=None):
    folder = root / layout.SUBMITTED / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or f"{assignment}.ipynb")
    if source_path is not None:
        shutil.copy(source_path, target)
    else:
        target.write_text(text)
    return target


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from mlbasics.course import sandbox

    if not sandbox.available():  # grading is sandboxed by default: these tests need bubblewrap
        pytest.skip(sandbox.install_hint())
    root = copy_course(tmp_path_factory.mktemp("grading") / "course")
    for a in ASSIGNMENTS:
        _submit(root, "blank", a, layout.release_path(a, root))
    for a in SOLVED:  # every other solution is graded by the pre-flight check, which must pass
        solution = without_experiments(layout.read_notebook(layout.solution_path(a, root)))
        _submit(root, "solver", a, text=nbformat.writes(solution))
    first = ASSIGNMENTS[0]
    _submit(root, "badjson", first, text="{ this is not json")
    _submit(root, "empty", first, text="")
    _submit(root, "misnamed", first, layout.release_path(first, root), name="my-homework.ipynb")
    _submit(root, "lost", "99-no-such-assignment", text="{}", name="99-no-such-assignment.ipynb")
    lines = []
    outcomes = autograde.main(root, out=lines.append)
    with open(root / "grades.csv") as fh:
        grades = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}
    return root, outcomes, grades, "\n".join(lines)


def _max(root, a):
    return autograde.assignment_points(root, a)


def test_the_preflight_check_gave_every_solution_full_marks(graded):
    """Grading a class runs each assignment's solution first, in the same sandbox (the pre-flight
    check); it stops with nothing graded unless each one gets full marks, so that a class was graded
    at all shows that every solution does."""
    _, _, _, report = graded
    assert f"the instructor's solution gets full marks in {len(ASSIGNMENTS)} assignment(s)" in report, report


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_gets_zero(graded, assignment):
    root, _, grades, _ = graded
    blank = grades[("blank", assignment)]
    assert float(blank["score"]) == 0 and float(blank["max_score"]) == _max(root, assignment) > 0, blank
    assert not blank["problems"], blank


@pytest.mark.parametrize("assignment", SOLVED)
def test_a_submitted_solution_gets_full_marks(graded, assignment):
    root, _, grades, _ = graded
    solved = grades[("solver", assignment)]
    assert float(solved["score"]) == float(solved["max_score"]) == _max(root, assignment) > 0, solved
    assert not solved["problems"], solved


@pytest.mark.parametrize("student, reason", [
    ("badjson", "not a readable notebook"),
    ("empty", "is empty"),
    ("misnamed", "no 01-gradient-descent.ipynb in the submission (found: my-homework.ipynb)"),
])
def test_bad_submissions_are_reported_by_name_and_score_zero(graded, student, reason):
    root, _, grades, report = graded
    row = grades[(student, ASSIGNMENTS[0])]
    assert float(row["score"]) == 0 and reason in row["problems"], row
    assert any(student in line and reason in line for line in report.splitlines()), report


def test_unknown_assignment_is_reported(graded):
    _, _, grades, _ = graded
    assert "not an assignment of this course" in grades[("lost", "99-no-such-assignment")]["problems"]


def test_every_submission_is_in_grades_csv(graded):
    root, outcomes, grades, _ = graded
    submitted = set(autograde.find_submissions(root))
    assert submitted == set(grades) == {(o.student, o.assignment) for o in outcomes}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_shows_no_hidden_test(graded, assignment):
    root, _, _, _ = graded
    source = layout.read_notebook(layout.solution_path(assignment, root))
    private = source_checks.private_lines(source)
    for student in ("solver", "blank") if assignment in SOLVED else ("blank",):
        page = root / layout.FEEDBACK / student / assignment / f"{assignment}.html"
        assert page.is_file(), f"no feedback page for {student}/{assignment}"
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert "BEGIN HIDDEN TESTS" not in text
        lines = {line.strip() for line in text.splitlines()}
        hidden = [ln for ln in private if "_reference" in ln or ln.startswith("_")]
        assert hidden, "no hidden-test lines to look for"
        assert not (lines & set(hidden)), f"hidden test lines in {page.name}: {sorted(lines & set(hidden))[:3]}"


def _processes_mentioning(text):
    """pids of live processes whose command line contains ``text``."""
    from pathlib import Path

    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("State:"))
            except (OSError, StopIteration):
                continue
            if text in cmdline and "zombie" not in state:
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("ending", ["normally", "a dead kernel", "a timeout"])
def test_no_kernel_outlives_its_notebook(ending, tmp_path):
    """A grader runs hundreds of notebooks: each kernel must be stopped when its notebook is done."""
    import nbformat

    from mlbasics.course import engine, sandbox

    code = {"normally": "x = 1", "a dead kernel": "import os\nos._exit(1)", "a timeout": "while True:\n    pass"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code[ending]), nbformat.v4.new_code_cell("y = 2")])
    student = f"leakcheck{__import__('os').getpid()}"
    job = engine.Job(student=student, assignment="a", notebook=nbformat.writes(nb))
    engine.run(job, engine.Options(root=str(tmp_path), timeout=3, sandbox=sandbox.available()))
    left = _processes_mentioning(f"grade-{student}-")
    for _ in range(50):  # a killed process takes a moment to go
        if not left:
            break
        __import__("time").sleep(0.1)
        left = _processes_mentioning(f"grade-{student}-")
    assert not left, f"the kernel of a notebook that ended {ending} is still running: pids {left}"


class _Marked:
    """A preprocessor an instructor might add to the autograde pipeline in nbgrader_config.py."""

    def __init__(self, config=None, **kwargs):
        pass

    def __call__(self, nb, resources):
        nb.metadata["marked"] = True
        return nb, resources


def test_the_grading_pipelines_are_the_ones_nbgrader_config_sets(course):
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, Execute, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    from mlbasics.course import engine

    steps = engine.pipelines(layout.nbgrader_config(course))
    assert ClearOutput in steps.sanitize and CheckCellMetadata in steps.sanitize
    assert steps.before_scoring == [IgnorePattern, ClearMetadataPreprocessor, LimitOutput]
    assert steps.scoring == [SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    config = layout.nbgrader_config(course, **{"Autograde.autograde_preprocessors": [
        Execute, "nbgrader.preprocessors.IgnorePattern", _Marked, SaveAutoGrades]})
    steps = engine.pipelines(config)
    assert steps.before_scoring == [IgnorePattern, _Marked] and steps.scoring == [SaveAutoGrades]
    executed = engine.Executed("s", ASSIGNMENTS[0], nbformat.writes(nbformat.v4.new_notebook()), [], 0.0)
    assert engine.as_scored(executed, config).metadata.get("marked"), "a configured preprocessor did not run"
    with pytest.raises(SystemExit, match="must include nbgrader's Execute and SaveAutoGrades"):
        engine.pipelines(layout.nbgrader_config(course, **{"Autograde.autograde_preprocessors": [SaveAutoGrades]}))
