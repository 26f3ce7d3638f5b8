"""After grading: per-exercise grades, the class report and its misconception table, feedback out
(`make return`) and late penalties, on one synthetic class graded once.

The class: 14 students of 01-gradient-descent built from the solution notebook. Each wrong answer
is a known mistake from solutions/01-gradient-descent/mutants.py (so the hint each one triggers is
known), or the released stub (the exercise unanswered); two hand in the release untouched, one an
unreadable file, one a timestamp.txt that holds no date. Three hand in the solution with a
timestamp.txt against a due date set in the gradebook, under a late-penalty plugin of one point
per hour (nbgrader's SubMarks example).
Exercises a student does not get wrong are answered as the solution answers them (one student may
get several exercises wrong, each as it would alone). Each known mistake must show its hint
(`make mutants` proves it), so that its count is known. The grades do not depend on the
experiments' cells: one student with four wrong answers runs them, the others hand them in empty.
"""

import base64
import csv
import html
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import REPO, copy_course, without_experiments
from mlbasics.course import autograde, layout, lms, report, sandbox
from mlbasics.course.mutation import load_written_mutants, mutants_file

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

A = "01-gradient-descent"
POINTS = {exercise: points for _, exercise, points in report.exercises(REPO, A)}
FULL = sum(POINTS.values())
STUB = "stub"
DUE = "2026-11-30 17:00:00 UTC"

# student -> {exercise: the name of a known mistake (mutants.py), or STUB}
CLASS = {
    "s01": {}, "s02": {}, "s03": {},
    "s07": {"numerical_gradient": "forward difference with a huge step",
            "gradient_descent": "path without the starting point", "gradient_ascent": "descends instead",
            "piecewise_schedule": "a boundary step stays in the old interval"},
    "s08": {"numerical_gradient": "forward difference with a huge step", "gradient_descent": "steps uphill",
            "piecewise_schedule": "no check of the lengths"},
    "s09": {"numerical_gradient": "divides by h instead of 2h", "gradient_descent": "path without the starting point",
            "gradient_ascent": "descends instead", "piecewise_schedule": STUB},
    "s10": {"numerical_gradient": "divides by h instead of 2h",
            "gradient_descent": "appends the same array updated in place"},
    "s11": {"numerical_gradient": "only loops over the first axis", "gradient_descent": "steps uphill",
            "gradient_ascent": STUB},
    "s12": {"numerical_gradient": STUB, "gradient_descent": "ignores a schedule's step number",
            "piecewise_schedule": "a boundary step stays in the old interval"},
    "s13": {"gradient_descent": STUB, "gradient_ascent": "descends instead"},
}
FULL_RUN = "s07"  # runs every experiment with its four wrong answers; the others' experiments are emptied
BLANK = ["s04", "s05"]  # the stubs the release has, untouched: every exercise unanswered
UNREADABLE = "s06"
BAD_STAMP = "s14"  # the solution, with a timestamp.txt that holds no date: not graded, and says why
UNGRADED = {UNREADABLE: "not a readable notebook", BAD_STAMP: "timestamp.txt holds 'last Tuesday'"}
STAMPS = {"s01": "2026-11-30 16:00:00 UTC", "s02": "2026-11-30 19:00:00 UTC", "s03": "2026-12-01 23:00:00 UTC"}
PENALTY = {"s01": 0, "s02": 2, "s03": FULL}  # one point per hour late, never more than the score
LATE_PLUGIN = '''from nbgrader.plugins import BasePlugin


class SubMarks(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """Penalty of 1 mark per hour late"""
        return round(total_seconds_late / 3600, 0)
'''


def _mutants(root):
    return {(m.exercise, m.name): m for m in load_written_mutants(mutants_file(A, root))}


def _expected():
    """Per exercise: graded, at full marks, unanswered, {mistake name: submissions}."""
    out = {}
    for exercise in POINTS:
        entries = [CLASS[s].get(exercise) for s in CLASS] + [STUB] * len(BLANK)
        out[exercise] = dict(graded=len(entries), full=entries.count(None), unanswered=entries.count(STUB),
                             mistakes=Counter(e for e in entries if e not in (None, STUB)))
    return out


def _released(root):
    """The solution notebook with every answer replaced by the release's stub (nbgrader's ClearSolutions)."""
    from nbgrader.preprocessors import ClearSolutions

    nb = layout.read_notebook(layout.solution_path(A, root))
    nb, _ = ClearSolutions(config=layout.nbgrader_config(root)).preprocess(nb, {})
    return nb


def _earned(student, exercise):
    if student in BLANK:
        return 0
    return 0 if CLASS[student].get(exercise) else POINTS[exercise]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    import nbformat

    scratch = tmp_path_factory.mktemp("report")
    root = copy_course(scratch / "course")
    (root / "late.py").write_text(LATE_PLUGIN)
    with (root / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.AssignLatePenalties.plugin_class = 'late.SubMarks'\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MLBASICS_ROOT")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    # The due date as nbgrader sets it, before anything is graded.
    due = subprocess.run(["nbgrader", "db", "assignment", "add", A, f"--duedate={DUE}"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120)
    assert due.returncode == 0, due.stdout + due.stderr

    mutants = _mutants(root)
    missing = sorted({(e, m) for mistakes in CLASS.values() for e, m in mistakes.items()
                      if m != STUB and (e, m) not in mutants})
    assert not missing, f"known mistakes no longer in {mutants_file(A, root)}: {missing}"
    released = _released(root)
    stubs = {layout.grade_id(c): c.source for c in released.cells if layout.is_solution(c)}
    for student, mistakes in CLASS.items():
        nb = layout.read_notebook(layout.solution_path(A, root))
        if student != FULL_RUN:
            without_experiments(nb)
        for cell in nb.cells:
            wrong = mistakes.get(layout.grade_id(cell))
            if wrong == STUB:
                cell.source = stubs[layout.grade_id(cell)]
            elif wrong:
                cell.source = mutants[(layout.grade_id(cell), wrong)].source
        folder = root / layout.SUBMITTED / student / A
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{A}.ipynb"))
        if student in STAMPS:
            (folder / "timestamp.txt").write_text(STAMPS[student] + "\n")
    for student in BLANK:
        folder = root / layout.SUBMITTED / student / A
        folder.mkdir(parents=True)
        nbformat.write(released, str(folder / f"{A}.ipynb"))
    folder = root / layout.SUBMITTED / UNREADABLE / A
    folder.mkdir(parents=True)
    (folder / f"{A}.ipynb").write_text("{ not json")
    folder = root / layout.SUBMITTED / BAD_STAMP / A
    folder.mkdir(parents=True)
    shutil.copy(layout.solution_path(A, root), folder / f"{A}.ipynb")
    (folder / "timestamp.txt").write_text("last Tuesday\n")

    lines = []
    outcomes = autograde.main(root, jobs=2, out=lines.append, progress=False, sandbox=sandbox.available())
    assert len(outcomes) == len(CLASS) + len(BLANK) + len(UNGRADED), "\n".join(lines)
    report_lines = []
    assert report.main(root, out=report_lines.append) == 0, report_lines
    return root, mutants, "\n".join(lines)


def _csv(path):
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


def test_grades_csv_keeps_its_columns_and_adds_one_per_exercise(graded):
    root, _, log = graded
    header, rows = _csv(root / "grades.csv")
    assert header == ["student_id", "assignment", "score", "max_score", "problems", "late_penalty"] + \
        [f"{A}/{e}" for e in POINTS], header
    by_student = {r["student_id"]: r for r in rows}
    for student in list(CLASS) + BLANK:
        row = by_student[student]
        earned = {e: _earned(student, e) for e in POINTS}
        for e in POINTS:
            assert float(row[f"{A}/{e}"]) == earned[e], (student, e, row)
        penalty = PENALTY.get(student, 0)
        assert float(row["late_penalty"]) == penalty, (student, row)
        assert float(row["score"]) == max(0, sum(earned.values()) - penalty), (student, row, log)
        assert float(row["max_score"]) == FULL
    for student, reason in UNGRADED.items():
        bad = by_student[student]
        assert float(bad["score"]) == 0 and reason in bad["problems"], bad
        assert all(bad[f"{A}/{e}"] == "" for e in POINTS), "an ungraded submission has no exercise points"


def test_the_long_form_has_one_row_per_submission_and_exercise_with_the_hint_that_fired(graded):
    root, mutants, _ = graded
    header, rows = _csv(root / report.LONG)
    assert header == ["student_id", "assignment", "exercise", "points", "max_points", "unanswered", "hint"]
    assert len(rows) == (len(CLASS) + len(BLANK) + len(UNGRADED)) * len(POINTS)
    assert [r["exercise"] for r in rows[:len(POINTS)]] == list(POINTS), "exercises in the assignment's order"
    for r in rows:
        student, exercise = r["student_id"], r["exercise"]
        assert float(r["max_points"]) == POINTS[exercise]
        if student in UNGRADED:
            assert r["points"] == "" and r["hint"] == "" and r["unanswered"] == "0"
            continue
        assert float(r["points"]) == _earned(student, exercise), r
        wrong = STUB if student in BLANK else CLASS[student].get(exercise)
        assert r["unanswered"] == ("1" if wrong == STUB else "0"), r
        if wrong in (None, STUB):
            assert r["hint"] == "", r
        else:
            phrase = mutants[(exercise, wrong)].hint
            assert phrase in r["hint"], f"{student}/{exercise} ({wrong}) should have the hint {phrase!r}: {r['hint']!r}"


class _Tables(HTMLParser):
    """The rows of every table of a page, by table id, cell text only."""

    def __init__(self):
        super().__init__()
        self.tables, self._id, self._row, self._cell, self.images = {}, None, None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._id = attrs.get("id") or f"table{len(self.tables)}"
            self.tables[self._id] = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _page(root):
    parser = _Tables()
    text = (root / report.REPORT / "index.html").read_text()
    parser.feed(text)
    return parser, text


def test_the_misconception_table_counts_each_hint_exactly(graded):
    root, mutants, _ = graded
    parser, _ = _page(root)
    rows = parser.tables["misconception-table"]
    assert rows[0] == ["assignment", "exercise", "known mistake", "submissions", "hint"]
    # What the class did: per exercise, each known mistake's hint phrase and how many made it.
    made = Counter()
    for exercise, stats in _expected().items():
        for name, n in stats["mistakes"].items():
            made[(exercise, mutants[(exercise, name)].hint)] += n
    counted = Counter()
    for assignment, exercise, names, count, hint in rows[1:]:
        assert assignment == A
        phrases = [phrase for (e, phrase) in made if e == exercise and phrase in hint]
        assert len(phrases) == 1, f"{exercise}: the row {hint!r} is not the hint of one mistake the class made"
        counted[(exercise, phrases[0])] += int(count)
        made_by = [n for (e, n), m in mutants.items() if e == exercise and m.hint == phrases[0] and
                   any(CLASS[s].get(e) == n for s in CLASS)]
        assert all(n in names for n in made_by), f"{exercise}: {hint!r} should name {made_by}, names {names!r}"
    assert counted == made, f"counted {dict(counted)}, the class made {dict(made)}"
    assert len(rows) - 1 == len(made), "one row per hint"


def test_the_exercise_table_gives_mean_full_marks_and_unanswered(graded):
    root, _, _ = graded
    parser, _ = _page(root)
    table = next(t for t in parser.tables.values() if t and t[0][:2] == ["exercise", "points"])
    by_exercise = {row[0]: row for row in table[1:]}
    assert list(by_exercise) == list(POINTS)
    for exercise, stats in _expected().items():
        _, points, graded_n, mean, full, unanswered, hinted, no_hint, ungraded = by_exercise[exercise]
        earned = [_earned(s, exercise) for s in list(CLASS) + BLANK]
        assert (float(points), int(graded_n), int(ungraded)) == (POINTS[exercise], stats["graded"], len(UNGRADED))
        assert float(mean) == pytest.approx(sum(earned) / len(earned), abs=0.005)
        assert full.startswith(f"{stats['full']} ("), (exercise, full)
        assert unanswered.startswith(f"{stats['unanswered']} ("), (exercise, unanswered)
        assert int(hinted) == sum(stats["mistakes"].values()) and int(no_hint) == 0


def test_the_report_lists_problem_submissions_and_embeds_its_figures(graded):
    root, _, _ = graded
    parser, text = _page(root)
    problems = parser.tables["problem-table"]
    assert {row[0]: row[3] for row in problems[1:]}.keys() == UNGRADED.keys()
    for row in problems[1:]:
        assert UNGRADED[row[0]] in row[3], row
    pngs = sorted(p.name for p in (root / report.REPORT).glob("*.png"))
    assert pngs == [f"{A}-exercises.png", f"{A}-scores.png"]
    embedded = [base64.b64decode(src.split(",", 1)[1]) for src in parser.images]
    assert len(embedded) == 2 and all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert sorted(embedded) == sorted((root / report.REPORT / p).read_bytes() for p in pngs)
    assert not re.search(r"(src|href)=['\"](https?:)?//", text), "the page must read offline"


def test_the_report_says_what_is_missing(tmp_path):
    root = copy_course(tmp_path / "course")
    lines = []
    assert report.main(root, out=lines.append) == 1
    assert "no grades.csv" in lines[0] and "make autograde" in lines[0]
    (root / "grades.csv").write_text("student_id,assignment,score,max_score,problems\nx,01-gradient-descent,ten,10,\n")
    (root / report.LONG).write_text(",".join(report.LONG_COLUMNS) + "\n")
    lines = []
    assert report.main(root, out=lines.append) == 1
    assert "grades.csv, line 2: score is 'ten', not a number" in lines[0]
    assert not (root / report.REPORT).exists()


@pytest.mark.browser
def test_the_report_in_chromium(graded):
    """The page as an instructor sees it, offline: screenshots in .artifacts/screenshots/."""
    from browser_support import SCREENSHOTS, launch_browser, missing

    why = missing()
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    root, mutants, _ = graded
    page_url = (root / report.REPORT / "index.html").as_uri()
    requests = []
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_url)
            page.wait_for_load_state("load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            assert len(widths) == 2 and all(w > 100 for w in widths), widths
            assert page.locator("#misconception-table tr").count() == 1 + len(
                {(e, mutants[(e, n)].hint) for e, st in _expected().items() for n in st["mistakes"]})
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "report-page.png"), full_page=True)
            page.locator("#misconception-table").screenshot(path=str(SCREENSHOTS / "report-misconceptions.png"))
        finally:
            browser.close()
    assert all(u.startswith(("file:", "data:")) for u in requests), f"the page fetched {requests}"


def test_make_return_writes_a_zip_per_student_and_a_canvas_grade_file(graded, tmp_path):
    root, _, _ = graded
    roster = tmp_path / "roster.csv"
    students = list(CLASS) + BLANK + list(UNGRADED)
    with roster.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(lms.ROSTER_COLUMNS)
        for i, s in enumerate(sorted(students)):
            writer.writerow([s, f"Learner {s.upper()}", str(2000 + i), f"SIS-{s}", f"{s}@example.edu", "A1"])
    lines = []
    assert lms.main_return(roster=roster, root=root, out=lines.append) == 0
    out = "\n".join(lines)
    for s in students:
        archive = root / lms.RETURN / f"{s}.zip"
        if s in UNGRADED:
            assert not archive.exists()
            assert f"{s}/{A}: no feedback page" in out and f"{s}/{A}: no graded notebook" in out
            continue
        with zipfile.ZipFile(archive) as z:
            assert sorted(z.namelist()) == [f"{A}/{A}.html", f"{A}/{A}.ipynb"]
            assert z.read(f"{A}/{A}.ipynb") == (root / layout.AUTOGRADED / s / A / f"{A}.ipynb").read_bytes()
            assert z.read(f"{A}/{A}.html") == (root / layout.FEEDBACK / s / A / f"{A}.html").read_bytes()
    header, rows = _csv(root / lms.RETURN / "canvas-grades.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert rows[0]["Student"] == "Points Possible" and float(rows[0][A]) == FULL
    _, grades = _csv(root / "grades.csv")
    score = {r["student_id"]: r["score"] for r in grades}
    by_sis = {r["SIS User ID"]: r for r in rows[1:]}
    assert len(by_sis) == len(students)
    for i, s in enumerate(sorted(students)):
        row = by_sis[f"SIS-{s}"]
        assert (row["Student"], row["ID"], row["SIS Login ID"], row["Section"]) == (
            f"{s.upper()}, Learner", str(2000 + i), f"{s}@example.edu", "A1")
        assert row[A] == score[s]
    assert "have no ID" not in out
    lines = []  # without a roster, Canvas could not tell whose row is whose: it says so
    assert lms.main_return(root=root, out=lines.append) == 0
    assert any(f"{len(students)} student(s) have no ID, SIS User ID or SIS Login ID" in ln for ln in lines), lines
