"""Grading the Korean edition: the same answer gets the same score in either edition, in one
gradebook; a Korean learner's feedback reads in Korean; the mutants of every notebook lose their
points in the Korean edition too, with their hints in Korean."""

import csv
import html
import json
import re

import nbformat
import polib
import pytest

from helpers import ASSIGNMENTS, REPO, copy_course, needs_sandbox, without_experiments
from mlbasics import i18n
from mlbasics.course import autograde, edition, layout, mutation

A = "06-rmsprop"
KO = "ko"

pytestmark = needs_sandbox


def _answered(release_path, solution, replace=None):
    """The released notebook at ``release_path`` with each answer cell holding the solution's code
    (``replace``: {grade_id: source} for wrong answers)."""
    nb = layout.read_notebook(release_path)
    code = {layout.grade_id(c): c.source for c in solution.cells if layout.is_solution(c)}
    code.update(replace or {})
    for cell in nb.cells:
        if layout.is_solution(cell):
            cell.source = code[layout.grade_id(cell)]
    return nb


def _submit(root, student, nb):
    folder = root / layout.SUBMITTED / student / A
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{A}.ipynb"))


def _wrong():
    """The first written mutant of the first exercise: (grade id, its source, its English hint)."""
    mutant = next(m for m in mutation.load_written_mutants(mutation.mutants_file(A, REPO)) if m.hint)
    return mutant.exercise, mutant.source, mutant.hint


@pytest.fixture(scope="module")
def mixed_class(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("editions") / "course")
    solution = layout.read_notebook(layout.solution_path(A, root))
    english, korean = layout.release_path(A, root), layout.release_path(A, root, KO)
    exercise, wrong, _ = _wrong()
    for tag, release in (("en", english), ("ko", korean)):
        _submit(root, f"{tag}-right", _answered(release, solution))
        # the wrong answer and the deleted test: their experiments emptied (the grades do not depend on them)
        _submit(root, f"{tag}-wrong", without_experiments(_answered(release, solution, {exercise: wrong})))
        _submit(root, f"{tag}-blank", layout.read_notebook(release))
        deleted = without_experiments(_answered(release, solution))
        deleted.cells = [c for c in deleted.cells if layout.grade_id(c) != f"test_{exercise}"]
        _submit(root, f"{tag}-deleted-test", deleted)
    report = []
    outcomes = autograde.main(root, jobs=2, out=report.append, progress=False)
    with open(root / "grades-long.csv") as fh:
        points = {(r["student_id"], r["exercise"]): (float(r["points"]) if r["points"] else None, r["hint"]) for r in csv.DictReader(fh)}
    return root, {o.student: o for o in outcomes}, points, "\n".join(report)


@pytest.mark.parametrize("kind", ["right", "wrong", "blank", "deleted-test"])
def test_the_same_answer_gets_the_same_score_in_either_edition(mixed_class, kind):
    root, outcomes, points, report = mixed_class
    en, ko = outcomes[f"en-{kind}"], outcomes[f"ko-{kind}"]
    assert en.graded and ko.graded, report
    assert (ko.score, ko.max_score) == (en.score, en.max_score)
    mine = {ex: p for (s, ex), p in points.items() if s == f"en-{kind}"}
    assert mine and mine == {ex: p for (s, ex), p in points.items() if s == f"ko-{kind}"}
    expected = {"right": en.max_score, "blank": 0}.get(kind)
    if expected is not None:
        assert en.score == expected
    if kind == "wrong":  # the class report names the mistake once, in English, for both editions
        exercise, _, hint = _wrong()
        assert mine[exercise][0] == 0 and 0 < en.score < en.max_score and hint in mine[exercise][1]


def test_the_pre_flight_check_grades_the_korean_solution_too(mixed_class):
    report = mixed_class[3]
    assert "Pre-flight check passed" in report and "Graded 8 of 8 submission(s)" in report, report


def _feedback(root, student):
    return html.unescape((root / layout.FEEDBACK / student / A / f"{A}.html").read_text())


def test_a_korean_learners_feedback_reads_in_korean(mixed_class):
    root = mixed_class[0]
    _, _, hint = _wrong()
    tables = [edition.catalog(edition.load(A, KO, root)), i18n.catalog(KO)]
    korean_hints = mutation.translated_hints(hint, tables)
    page = " ".join(_feedback(root, "ko-wrong").split())
    assert korean_hints and any(h in page for h in korean_hints), korean_hints
    assert "기댓값:" in page and hint not in page
    english = " ".join(_feedback(root, "en-wrong").split())
    assert hint in english and "기댓값" not in english


def test_a_restored_test_cell_comes_back_in_the_notebooks_own_words(mixed_class):
    root, outcomes, _, _ = mixed_class
    exercise = _wrong()[0]
    for tag in ("en", "ko"):
        assert f"test cell test_{exercise} was deleted (restored)" in "; ".join(outcomes[f"{tag}-deleted-test"].problems)
        graded = layout.read_notebook(root / layout.AUTOGRADED / f"{tag}-deleted-test" / A / f"{A}.ipynb")
        source = (layout.read_notebook(layout.solution_path(A, root)) if tag == "en"
                  else edition.source_notebook(A, KO, root))  # the test comes back whole, hidden tests too
        want = next(c.source for c in source.cells if layout.grade_id(c) == f"test_{exercise}")
        got = next(c.source for c in graded.cells if layout.grade_id(c) == f"test_{exercise}")
        note, restored_source = got.split("\n", 1)  # nbgrader's note on the cell it put back, then the cell
        assert note.startswith("# This cell (id:") and restored_source.strip() == want.strip()
    restored = layout.read_notebook(root / layout.AUTOGRADED / "ko-right" / A / f"{A}.ipynb")
    tests = "".join(c.source for c in restored.cells if layout.is_graded_test(c))
    assert re.search(r"[\uac00-\ud7a3]", tests), "the Korean notebook's tests were graded in English"


def test_a_broken_translation_stops_grading_before_any_grade(tmp_path):
    """A translation that breaks the Korean solution (here a placeholder the code does not define)
    would give every Korean learner wrong grades: nothing is graded, and the message says why."""
    root = copy_course(tmp_path / "course")
    path = edition.po_path(A, KO, root)
    po = polib.pofile(str(path))
    cell = next(c.id for c in layout.read_notebook(layout.solution_path(A, root)).cells
                if layout.grade_id(c) == "test_ema")
    entry = next(e for e in po if "{" in e.msgid and (cell, "string") in edition.places(e))
    entry.msgstr = entry.msgstr + " {undefined_in_this_cell}"
    po.save()
    solution = layout.read_notebook(layout.solution_path(A, root))
    korean = layout.read_notebook(layout.release_path(A, root, KO))
    _submit(root, "ko-right", _answered(layout.release_path(A, root, KO), solution))
    with pytest.raises(SystemExit) as stop:
        autograde.main(root, jobs=1, out=lambda line: None, progress=False)
    assert f"{A} (ko edition)" in str(stop.value) and "Nothing was graded" in str(stop.value)
    assert not (root / "grades.csv").exists() and not (root / layout.AUTOGRADED).exists()
    assert korean.metadata["mlbasics"]["edition"] == KO


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded_in_korean(request):
    name = request.param
    # The written mutants, each with its hint, against their own exercise's tests: the translation
    # changes the tests' words, not their logic, so the generic mutants (stub, constant, hard-coded,
    # reference), which try only the logic, and the points a wrong answer costs in the exercises
    # after its own, are tried in English (tests/test_mutants.py).
    suite, baseline, verdicts = mutation.run_notebook(
        layout.solution_path(name, REPO), layout.release_path(name, REPO, KO), mutation.mutants_file(name, REPO),
        edition=KO, generic=False, collateral=False)
    return name, suite, baseline, verdicts


def test_wrong_answers_lose_points_in_the_korean_edition_and_say_so_in_korean(graded_in_korean):
    name, suite, baseline, verdicts = graded_in_korean
    print(mutation.table(f"{name} (ko)", suite, verdicts))
    problems = mutation.problems(suite, baseline, verdicts)
    assert not problems, f"{name} (ko edition):\n  " + "\n  ".join(problems)
    hinted = [v for v in verdicts if v.hint_shown]
    assert hinted and all(re.search(r"[\uac00-\ud7a3]", v.message) for v in hinted)


def test_a_hint_that_the_korean_edition_does_not_show_is_reported():
    """The machinery: an English hint is looked for in the edition's words, not in English."""
    exercise, source, hint = _wrong()
    tables = [edition.catalog(edition.load(A, KO, REPO)), i18n.catalog(KO)]
    suite = mutation.Suite(setup="", exercises=[mutation.Exercise(exercise, "", [f"test_{exercise}"])])
    mutant = mutation.Mutant(exercise, "wrong", source=source, hint=hint)
    english_message = {f"test_{exercise}": mutation.CellResult(False, "CheckFailed", f"... Hint: {hint}")}
    assert mutation.judge(suite, mutant, english_message, tables).hint_shown is False
    korean = mutation.translated_hints(hint, tables)[0]
    korean_message = {f"test_{exercise}": mutation.CellResult(False, "CheckFailed", f"... 힌트: {korean}")}
    assert mutation.judge(suite, mutant, korean_message, tables).hint_shown is True


def test_the_korean_release_of_every_notebook_names_its_edition():
    for name in ASSIGNMENTS:
        nb = json.loads(layout.release_path(name, REPO, KO).read_text())
        assert nb["metadata"]["mlbasics"]["edition"] == KO
