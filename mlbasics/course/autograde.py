"""``make autograde``: grade every submission under ``submitted/<student>/<id>/``.

Writes ``autograded/``, feedback pages under ``feedback/<student>/<id>/`` and ``grades.csv``.
A bad submission (unreadable notebook, missing notebook, a crash, a timeout) is reported by
name with a plain reason and never stops the others.
"""

import csv
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlbasics.course import layout


@dataclass
class Outcome:
    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    problems: list = field(default_factory=list)


def find_submissions(root):
    """``(student, assignment)`` pairs for every folder ``submitted/<student>/<assignment>/``."""
    base = Path(root) / layout.SUBMITTED
    if not base.is_dir():
        return []
    return sorted(
        (s.name, a.name) for s in base.iterdir() if s.is_dir() for a in s.iterdir() if a.is_dir()
    )


def inspect_submission(root, student, assignment, known):
    """Problems that make a submission ungradable, before any code runs."""
    folder = Path(root) / layout.SUBMITTED / student / assignment
    if assignment not in known:
        return [f"'{assignment}' is not an assignment of this course (expected one of: {', '.join(known)})"]
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        return [f"no {expected.name} in the submission" + (f" (found: {', '.join(found)})" if found else "")]
    try:
        text = expected.read_text(encoding="utf-8")
        if not text.strip():
            return [f"{expected.name} is empty"]
        nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as err:
        return [f"{expected.name} is not a readable notebook ({type(err).__name__}: {str(err)[:100]})"]
    except Exception as err:  # nbformat validation errors come in several types
        return [f"{expected.name} is not a valid notebook ({type(err).__name__}: {str(err)[:100]})"]
    return []


def _api(root):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = layout.nbgrader_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config), config


def register_assignment(root, assignment):
    """Make sure the gradebook knows the assignment's grade cells (generated into a scratch folder,
    so the committed release is never touched)."""
    from nbgrader.api import Gradebook, MissingEntry

    _, config = _api(root)
    with Gradebook(config.CourseDirectory.db_url, "mlbasics") as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory() as scratch:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = layout.nbgrader_config(root, **{"CourseDirectory.release_directory": scratch})
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"could not register {assignment} in the gradebook:\n{result.get('log')}")


def scores(root, student, assignment):
    from nbgrader.api import Gradebook

    _, config = _api(root)
    with Gradebook(config.CourseDirectory.db_url, "mlbasics") as gb:
        sub = gb.find_submission(assignment, student)
        return sub.score, sub.max_score, {g.name: (g.score, g.max_score) for nb in sub.notebooks for g in nb.grades}


def timeouts_and_crashes(root, student, assignment):
    """Plain reasons read from the autograded notebook: cells that timed out or killed the kernel."""
    path = Path(root) / layout.AUTOGRADED / student / assignment / f"{assignment}.ipynb"
    reasons = []
    if not path.is_file():
        return reasons
    nb = layout.read_notebook(path)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            name, value = output.get("ename", ""), output.get("evalue", "")
            label = layout.grade_id(cell) or f"cell {nb.cells.index(cell) + 1}"
            if name in ("CellTimeoutError", "TimeoutError") or "timed out" in value.lower():
                reasons.append(f"{label} timed out")
            elif name in ("DeadKernelError",) or "kernel died" in value.lower():
                reasons.append(f"{label} killed the kernel")
    return reasons


def grade_one(root, student, assignment, known):
    outcome = Outcome(student, assignment)
    outcome.problems = inspect_submission(root, student, assignment, known)
    if outcome.problems:
        return outcome
    api, _ = _api(root)
    result = api.autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        log = (result.get("error") or result.get("log") or "").strip().splitlines()
        outcome.problems.append("autograding failed: " + (log[-1] if log else "unknown error"))
        return outcome
    outcome.score, outcome.max_score, _ = scores(root, student, assignment)
    outcome.problems += timeouts_and_crashes(root, student, assignment)
    fb = api.generate_feedback(assignment, student, force=True)
    if not fb["success"]:
        outcome.problems.append("feedback could not be generated")
    return outcome


def write_grades(root, outcomes, max_scores):
    path = Path(root) / "grades.csv"
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "assignment", "score", "max_score", "problems"])
        for o in outcomes:
            writer.writerow([o.student, o.assignment, f"{o.score:g}", f"{max_scores.get(o.assignment, o.max_score):g}",
                             "; ".join(o.problems)])
    tmp.replace(path)  # never a half-written grades.csv
    return path


def assignment_points(root, assignment):
    nb = layout.read_notebook(layout.solution_path(assignment, root))
    return sum(layout.points(c) for c in nb.cells if layout.grading_meta(c).get("grade"))


def main(root=None, jobs=1, out=print):
    root = Path(root or layout.ROOT)
    known = layout.assignments(root)
    submissions = find_submissions(root)
    if not submissions:
        out(f"No submissions: put them under {layout.SUBMITTED}/<student>/<assignment>/<assignment>.ipynb")
        return []
    for assignment in sorted({a for _, a in submissions if a in known}):
        register_assignment(root, assignment)
    outcomes = []
    for student, assignment in submissions:
        try:
            outcome = grade_one(root, student, assignment, known)
        except Exception as err:  # one broken submission must not stop the class
            outcome = Outcome(student, assignment, problems=[f"grading crashed: {type(err).__name__}: {err}"])
        outcomes.append(outcome)
        out(f"  {student:<20} {assignment:<26} {outcome.score:>5g} / {assignment_points(root, assignment) if assignment in known else 0:g}"
            + (f"   problems: {'; '.join(outcome.problems)}" if outcome.problems else ""))
    max_scores = {a: assignment_points(root, a) for a in known}
    path = write_grades(root, outcomes, max_scores)
    bad = [o for o in outcomes if o.problems]
    out(f"Graded {len(outcomes)} submission(s); {len(bad)} with problems. Grades: {path.name}; "
        f"feedback: {layout.FEEDBACK}/<student>/<assignment>/")
    return outcomes
