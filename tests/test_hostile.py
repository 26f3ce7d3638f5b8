"""Bad and hostile submissions cannot break grading.

One class, graded in one run: good submissions and a corpus of bad ones, each with the score it
must get, in points of assignment 01's exercises as its solution notebook gives them. The kinds
whose handling depends on the notebook's edition are submitted twice, in the English and in the
Korean edition (one gradebook): the same score each. Their experiments' cells are emptied (a
learner may change those cells; grading does not depend on them): the good submissions run them.
What a running kernel does (loop, exit, die, eat memory, flood its output, attack files) does not
depend on the notebook: those kinds, and a few structural ones that do not either, are submitted,
in the same class, to a tiny second assignment (tests/helpers.tiny_course).
"""

import csv
import inspect
import shutil
import sqlite3

import nbformat
import pytest

from helpers import REPO, TINY, add_tiny, copy_course, needs_sandbox, tiny_notebook, without_experiments
from mlbasics import descent
from mlbasics.course import autograde, edition, layout

A = "01-gradient-descent"


def _points(nb):
    """Points per exercise of the notebook ``nb``, in notebook order (from its test cells)."""
    return {layout.grade_id(c)[len("test_"):]: layout.points(c) for c in nb.cells if layout.is_graded_test(c)}


POINTS = _points(layout.read_notebook(layout.solution_path(A, REPO)))
FULL = sum(POINTS.values())


def _from(exercise):
    """The points of ``exercise`` and of every exercise after it (a kernel that dies there loses them)."""
    names = list(POINTS)
    return sum(POINTS[n] for n in names[names.index(exercise):])

pytestmark = needs_sandbox


EDITIONS = (None, "ko")


def _solution(root, code=None):
    """The instructor's solution, in English or (``code``) in that edition's words."""
    if code:
        return edition.source_notebook(A, code, root)
    return layout.read_notebook(layout.solution_path(A, root))


def _student(kind, code=None):
    return _slug(kind) + (f"-{code}" if code else "")


def _cell(nb, grade_id):
    return next(c for c in nb.cells if layout.grade_id(c) == grade_id)


def _prepend(grade_id, code):
    def edit(nb, root):
        cell = _cell(nb, grade_id)
        cell.source = code + "\n" + cell.source
    return edit


def _replace(grade_id, source):
    def edit(nb, root):
        _cell(nb, grade_id).source = source
    return edit


def _delete(grade_id):
    def edit(nb, root):
        nb.cells.remove(_cell(nb, grade_id))
    return edit


def _move_to_end(grade_id):
    def edit(nb, root):
        cell = _cell(nb, grade_id)
        nb.cells.remove(cell)
        nb.cells.append(cell)
    return edit


def _both(*edits):
    def edit(nb, root):
        for e in edits:
            e(nb, root)
    return edit


def _metadata(grade_id, **changes):
    def edit(nb, root):
        _cell(nb, grade_id).metadata["nbgrader"].update(changes)
    return edit


ASCENT_DESCENDS = '''
def gradient_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        x = x - lr * grad_f(x)
        path.append(x.copy())
    return np.array(path)
'''

HARDCODED_SCHEDULE = '''
def piecewise_schedule(boundaries, values):
    if len(values) != len(boundaries) + 1:
        raise ValueError("values needs one more entry than boundaries")
    table = {0: 0.05, 9: 0.05, 10: 0.5, 29: 0.5, 30: 5.0, 1000: 5.0}
    return lambda t: table.get(t, 0.1)
'''

COPIED_REFERENCE = "import numbers\n\n" + "\n\n".join(
    inspect.getsource(f) for f in (descent.count, descent.positive, descent._as_schedule, descent.constant,
                                   descent._run, descent.gradient_descent))


def _attack_files(root):
    """A cell that tries to wreck the gradebook and another student's work, quietly."""
    targets = [root / "gradebook.db", root / layout.SUBMITTED / "good" / A / f"{A}.ipynb",
               root / layout.AUTOGRADED, root / "grades.csv"]
    lines = ["import os, shutil", "for _p in %r:" % [str(t) for t in targets],
             "    try:",
             "        shutil.rmtree(_p) if os.path.isdir(_p) else open(_p, 'w').write('owned')",
             "    except Exception:",
             "        pass"]
    return "\n".join(lines)


# kind, how the submission is made, expected score, a phrase the report must give (or None)
CORPUS = [
    ("a deleted test cell and a wrong answer",
     _both(_delete("test_gradient_ascent"), _replace("gradient_ascent", ASCENT_DESCENDS)), FULL - POINTS["gradient_ascent"], "test_gradient_ascent was deleted"),
    ("reordered test cells", _move_to_end("test_numerical_gradient"), FULL, "cells were moved"),
    ("an edited test cell hiding a wrong answer",
     _both(_replace("test_gradient_ascent", "pass"), _replace("gradient_ascent", ASCENT_DESCENDS)), FULL - POINTS["gradient_ascent"],
     "test cell test_gradient_ascent was edited"),
    ("points changed in the metadata", _metadata("test_numerical_gradient", points=100), FULL, None),
    ("grade flag removed from a failing test",
     _both(_metadata("test_gradient_ascent", grade=False), _replace("gradient_ascent", ASCENT_DESCENDS)), FULL - POINTS["gradient_ascent"], None),
    ("a deleted solution cell", _delete("gradient_ascent"), FULL - POINTS["gradient_ascent"], "answer cell gradient_ascent was deleted"),
    ("a renamed function", lambda nb, root: setattr(_cell(nb, "gradient_descent"), "source",
                                                      _cell(nb, "gradient_descent").source.replace(
                                                          "def gradient_descent(", "def grad_descent(")), FULL - POINTS["gradient_descent"],
     "was a function renamed or deleted?"),
    ("answers hard-coded to the visible tests", _replace("piecewise_schedule", HARDCODED_SCHEDULE), FULL - POINTS["piecewise_schedule"], None),
    ("the reference imported", _replace("gradient_descent", "from mlbasics.descent import gradient_descent"),
     FULL - POINTS["gradient_descent"], "reference implementation"),
    ("the reference copied", _replace("gradient_descent", COPIED_REFERENCE), FULL - POINTS["gradient_descent"], "reference implementation"),
    ("mlbasics.grading monkeypatched",
     _both(_prepend("gradient_ascent", "grading.assert_close = lambda *a, **k: None\n"
                                       "grading.assert_true = lambda *a, **k: None"),
           _replace("gradient_descent", "def gradient_descent(*a, **k):\n    return 0")), 0, "changes the grading checks"),
]

# What a running kernel does (loop, exit, die, eat memory, print, write files) does not depend on the
# notebook, nor do a deleted test cell and the monkeypatches that mlbasics.grading's stands for below:
# tried on the tiny assignment (tests/helpers.tiny_course), in the same class. Each kernel's harm is
# in its last answer cell, ``square``, so that the points of ``double`` before it are kept.
TINY_POINTS = _points(tiny_notebook())
TINY_FULL = sum(TINY_POINTS.values())
KEPT = TINY_FULL - TINY_POINTS["square"]
TINY_CORPUS = [
    ("infinite loop in a solution cell", _prepend("square", "while True:\n    pass"), KEPT, "was stopped"),
    ("sys.exit()", _prepend("square", "import sys\nsys.exit()"), KEPT, "SystemExit"),
    ("raise SystemExit", _prepend("square", "raise SystemExit(3)"), KEPT, "SystemExit"),
    ("os._exit(1)", _prepend("square", "import os\nos._exit(1)"), KEPT, "kernel died"),
    ("a cell that kills its own kernel", _prepend("square", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
     KEPT, "kernel died"),
    ("gigantic output", _prepend("square", "print('x' * 20_000_000)"), TINY_FULL, "printed 20,000,001 characters"),
    ("a memory hog", _prepend("square", "_hog = bytearray(16 * 1024 ** 3)"), KEPT, "ran out of memory"),
    ("writes to the gradebook and other students' folders", lambda nb, root: _prepend(
        "square", _attack_files(root))(nb, root), TINY_FULL, None),
    ("a deleted test cell", _delete("test_double"), TINY_FULL, "test cell test_double was deleted"),
    ("numpy.testing monkeypatched",
     _both(_prepend("square", "import numpy as np\nnp.testing.assert_allclose = lambda *a, **k: None"),
           _replace("double", "def double(x):\n    return 0")), 0, "changes the grading checks"),
    ("builtins monkeypatched",
     _both(_prepend("square", "import builtins\nbuiltins.AssertionError = KeyError"),
           _replace("double", "def double(x):\n    return 0")), 0, "changes the grading checks"),
]

# The kinds of CORPUS go through what differs by edition (the cells checked against that
# edition's release, locked cells restored in its words, its answer cells read by the tamper and copy
# checks): each of those checks is tried in the Korean edition too, by the kinds that reach it (the
# imported reference reaches the same check as the copied one). Answers hard-coded to the visible
# tests are a matter of the kernel's values: English only.
ENGLISH_ONLY = {"answers hard-coded to the visible tests", "the reference imported"}
IN_BOTH = [kind for kind, *_ in CORPUS if kind not in ENGLISH_ONLY]

FILE_CORPUS = [
    # kind, files in the submission folder, expected score, phrase
    ("invalid JSON", {f"{A}.ipynb": "{ not json"}, 0, "not a readable notebook"),
    ("an empty file", {f"{A}.ipynb": ""}, 0, "is empty"),
    ("a missing notebook", {"notes.txt": "I forgot"}, 0, f"no {A}.ipynb in the submission"),
]


def _slug(kind):
    return "".join(ch if ch.isalnum() else "-" for ch in kind.lower()).strip("-")[:40]


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = add_tiny(copy_course(tmp_path_factory.mktemp("hostile") / "course"))
    students = {}  # student -> (kind, assignment, expected score, phrase)

    def submit(student, files, assignment=A):
        folder = root / layout.SUBMITTED / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_text(content) if isinstance(content, str) else shutil.copy(content, folder / name)

    solution = layout.solution_path(A, root)
    submit("good", {f"{A}.ipynb": solution})
    students["good"] = ("good submission", A, FULL, None)
    submit("good-ko", {f"{A}.ipynb": nbformat.writes(_solution(root, "ko"))})
    students["good-ko"] = ("good submission", A, FULL, None)
    submit("good-tiny", {f"{TINY}.ipynb": layout.solution_path(TINY, root)}, TINY)
    students["good-tiny"] = ("good submission", TINY, TINY_FULL, None)
    submit("extra", {f"{A}.ipynb": solution, "scratch.ipynb": solution})
    students["extra"] = ("an extra notebook", A, FULL, None)
    for kind, edit, expected, phrase in CORPUS:
        for code in EDITIONS if kind in IN_BOTH else (None,):
            nb = without_experiments(_solution(root, code))
            edit(nb, root)
            student = _student(kind, code)
            submit(student, {f"{A}.ipynb": nbformat.writes(nb)})
            students[student] = (kind, A, expected, phrase)
    for kind, edit, expected, phrase in TINY_CORPUS:
        nb = layout.read_notebook(layout.solution_path(TINY, root))
        edit(nb, root)
        submit(_student(kind), {f"{TINY}.ipynb": nbformat.writes(nb)}, TINY)
        students[_student(kind)] = (kind, TINY, expected, phrase)
    for kind, files, expected, phrase in FILE_CORPUS:
        student = _slug(kind)
        submit(student, files)
        students[student] = (kind, A, expected, phrase)
    good_before = (root / layout.SUBMITTED / "good" / A / f"{A}.ipynb").read_bytes()
    report = []
    # 5 s a cell: what the infinite loop costs; the slowest cell of 01 takes under a second.
    outcomes = autograde.main(root, jobs=2, out=report.append, timeout=5, progress=False)
    with open(root / "grades.csv") as fh:
        grades = {r["student_id"]: r for r in csv.DictReader(fh)}
    return root, students, {o.student: o for o in outcomes}, grades, "\n".join(report), good_before


FULL_MARKS = {A: FULL, TINY: TINY_FULL}


@pytest.mark.parametrize("kind, code", [(k, None) for k, *_ in CORPUS + TINY_CORPUS + FILE_CORPUS]
                         + [("an extra notebook", None)]
                         + [(k, "ko") for k in IN_BOTH])  # a file that is no notebook has no edition
def test_each_submission_gets_the_score_it_must(graded_class, kind, code):
    root, students, outcomes, grades, report, _ = graded_class
    student = "extra" if kind == "an extra notebook" else _student(kind, code)
    _, assignment, expected, phrase = students[student]
    row = grades[student]
    assert row["assignment"] == assignment
    assert float(row["score"]) == expected, f"{kind}: expected {expected}, got {row['score']} ({row['problems']})"
    assert float(row["max_score"]) == FULL_MARKS[assignment]
    if phrase:
        assert phrase in row["problems"], f"{kind}: the report should say {phrase!r}: {row['problems']!r}"
        own = [line for line in report.splitlines() if line.strip().startswith(f"{student}/{assignment}:")]
        assert len(own) == 1 and phrase in own[0], f"{kind}: the report's line for {student} should say {phrase!r}: {own}"


def test_good_submissions_keep_full_marks_and_are_untouched(graded_class):
    root, _, _, grades, _, good_before = graded_class
    assert float(grades["good"]["score"]) == float(grades["good-ko"]["score"]) == FULL
    assert float(grades["good-tiny"]["score"]) == TINY_FULL
    assert (root / layout.SUBMITTED / "good" / A / f"{A}.ipynb").read_bytes() == good_before
    assert not grades["good"]["problems"]


def test_gradebook_passes_an_integrity_check_and_agrees_with_grades_csv(graded_class):
    from nbgrader.api import Gradebook

    root, students, _, grades, _, _ = graded_class
    with sqlite3.connect(root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlbasics") as gb:
        for student, row in grades.items():
            if float(row["score"]) == 0 and "readable" in row["problems"]:
                continue
            try:
                sub = gb.find_submission(row["assignment"], student)
            except Exception:
                assert not (root / layout.AUTOGRADED / student).exists()
                continue
            assert float(sub.score) == float(row["score"]), student


def test_every_student_is_in_the_report(graded_class):
    _, students, outcomes, grades, _, _ = graded_class
    assert set(students) == set(grades) == set(outcomes)


def test_gigantic_output_is_cut_in_the_graded_copy_and_feedback(graded_class):
    root = graded_class[0]
    student = _slug("gigantic output")
    graded = root / layout.AUTOGRADED / student / TINY / f"{TINY}.ipynb"
    good = root / layout.AUTOGRADED / "good-tiny" / TINY / f"{TINY}.ipynb"
    extra = graded.stat().st_size - good.stat().st_size  # its figures and outputs aside
    assert extra < 200_000, f"{graded} is {extra:,} bytes larger than a good submission's graded copy"
    assert "output cut: 19,900,001 more characters" in graded.read_text()
    pages = list((root / layout.FEEDBACK / student / TINY).glob("*.html"))
    assert pages and all(p.stat().st_size < 2_000_000 for p in pages)
