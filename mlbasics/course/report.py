"""Per-exercise grades and the class report (``make report``).

After ``make autograde``, two files hold the grades:

- ``grades.csv``: one row per submission (``student_id, assignment, score, max_score, problems``,
  then ``late_penalty`` and one column ``<assignment>/<exercise>`` per graded exercise, in the
  assignment's order, holding the points earned; blank for another assignment's exercises);
- ``grades-long.csv``: one row per submission and exercise (:data:`LONG_COLUMNS`), for analysis.
  ``hint`` is what the exercise's failed check told the learner about the mistake it recognised
  (:func:`hint_of`: the ``Hint:`` line, or the message of a check that states what is wrong),
  ``unanswered`` is 1 when the exercise still raised ``NotImplementedError``; a blank
  ``points`` means the submission could not be graded at all.

Both come from the gradebook (points, after any manual change, and late penalties) and the
autograded notebooks (the messages the learners saw). ``make report`` reads only these two files
and writes ``report/index.html`` (one self-contained page: figures embedded as base64 PNG, no
script, no network) and the same figures as PNG files beside it:

- per assignment, the distribution of scores;
- per exercise, the mean (as a share of its points), the share at full marks and the share unanswered;
- the misconception table: for each exercise, each hint its checks gave and how many submissions
  got it, with the hint's text (named after the known mistake of ``solutions/<id>/mutants.py``
  whose hint phrase it contains, when there is one);
- the problem submissions, each with its reasons.
"""

import base64
import csv
import html
import io
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from mlbasics.course import layout

GRADES = "grades.csv"
LONG = "grades-long.csv"
REPORT = "report"
LONG_COLUMNS = ["student_id", "assignment", "exercise", "points", "max_points", "unanswered", "hint"]
HINT = "\n  Hint: "
"""How :mod:`mlbasics.grading` writes the hint of a failed check: the message's last part."""


@dataclass
class ExerciseResult:
    exercise: str
    points: float | None  # None: the submission was not graded
    max_points: float
    unanswered: bool = False
    hint: str = ""


@dataclass
class SubmissionResult:
    exercises: list = field(default_factory=list)
    late_penalty: float = 0.0


def exercises(root, assignment):
    """``[(grade_id, exercise, points)]``: the graded test cells of an assignment, in its order."""
    from mlbasics.course.check import exercise_name

    nb = layout.read_notebook(layout.solution_path(assignment, root))
    return [(layout.grade_id(c), exercise_name(layout.grade_id(c)), layout.points(c))
            for c in nb.cells if layout.is_graded_test(c) and layout.points(c) > 0]


CHECKS = ("CheckFailed", "ReferenceUsed")
"""The errors of :mod:`mlbasics.grading`'s checks, whose messages are written for the learner."""


def _labels(edition):
    """How a check's message marks its hint and its expected / got lines, in ``edition``'s words."""
    from mlbasics import i18n

    table = i18n.catalog(edition) if edition else {}
    hint = table.get("Hint: {hint}", "Hint: {hint}").split("{hint}")[0]
    return "\n  " + hint, ["\n  " + table.get(label, label) for label in ("expected:", "got:")]


def hint_of(message, ename="CheckFailed", edition=None):
    """The hint of a failed check: the text after ``Hint:`` of a comparison's message (expected /
    got), or the whole message of a check that states what is wrong (``assert_true``, an answer
    that uses the reference); '' when the check gave none, or the error is not a check's.
    ``edition``: the message is in that edition's words (``힌트:`` ...)."""
    message = re.sub(r"\x1b\[[0-9;]*m", "", str(message or ""))
    if ename not in CHECKS:
        return ""
    marker, comparison = _labels(edition)
    if marker in message:
        return " ".join(message.rsplit(marker, 1)[1].split())
    if any(label in message for label in comparison):
        return ""  # a comparison that recognised no mistake
    return " ".join(message.split())


def english_hints(root, assignment, edition):
    """An edition's hint -> its English, for the texts of ``assignment`` and of the package: a
    class that mixes editions gets one row per misconception in the report."""
    from mlbasics.course import edition as editions

    try:
        tables = editions.tables(assignment, edition, root)
    except editions.EditionError:
        return {}
    def norm(text):
        return " ".join(editions.shown_text(text).split())

    return {norm(k): norm(e) for table in tables for e, k in table.items()}


def _messages(root, student, assignment):
    """``{grade_id: (error name, message)}`` for the failed test cells of the autograded notebook."""
    path = Path(root) / layout.AUTOGRADED / student / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        return None
    try:
        nb = layout.read_notebook(path)
    except Exception:
        return None
    from mlbasics.course.edition import edition_of

    found = {"": edition_of(nb)}  # the notebook's edition, under no grade id
    for cell in nb.cells:
        if layout.is_graded_test(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    found[layout.grade_id(cell)] = (out.get("ename", ""), str(out.get("evalue", "")))
                    break
    return found


def exercise_results(root, pairs):
    """``{(student, assignment): SubmissionResult}`` for the submissions ``pairs``, from the gradebook
    and ``autograded/``. A submission the gradebook does not hold gets blank points."""
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    known = set(layout.assignments(root))
    cells = {a: exercises(root, a) for a in sorted({a for _, a in pairs if a in known})}
    config = layout.nbgrader_config(root)
    results = {}
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for student, assignment in pairs:
            result = results[(student, assignment)] = SubmissionResult()
            if assignment not in cells:
                continue
            try:
                sub = gb.find_submission(assignment, student)
                grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
                result.late_penalty = float(sub.late_submission_penalty or 0)
            except MissingEntry:
                grades = {}
            except Exception:  # never lose grades.csv over one submission's entry: blank points
                gb.db.rollback()
                grades = {}
            messages = (_messages(root, student, assignment) if grades else None) or {}
            edition = messages.pop("", None)
            english = english_hints(root, assignment, edition) if edition else {}
            for grade_id, exercise, points in cells[assignment]:
                grade = grades.get(grade_id)
                if grade is None:
                    result.exercises.append(ExerciseResult(exercise, None, points))
                    continue
                ename, message = messages.get(grade_id, ("", ""))
                hint = hint_of(message, ename, edition) if float(grade.score) < float(grade.max_score) else ""
                result.exercises.append(ExerciseResult(
                    exercise, float(grade.score), float(grade.max_score), unanswered=ename == "NotImplementedError",
                    hint=english.get(hint, hint)))
    return results


def exercise_columns(root, assignments):
    """The per-exercise columns of ``grades.csv`` for ``assignments`` (course order)."""
    return [(a, e) for a in assignments for _, e, _ in exercises(root, a)]


def _number(value):
    return "" if value is None else f"{value:g}"


def atomic_write(path, write, mode="w"):
    """Write ``path`` through ``write(fh)`` into a temporary file beside it, then rename: never a
    half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({"newline": ""} if "b" not in mode else {})) as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_long(root, results):
    """``grades-long.csv``: one row per submission and exercise (:data:`LONG_COLUMNS`)."""
    def write(fh):
        writer = csv.writer(fh)
        writer.writerow(LONG_COLUMNS)
        for (student, assignment), result in results.items():
            for ex in result.exercises:
                writer.writerow([student, assignment, ex.exercise, _number(ex.points), _number(ex.max_points),
                                 int(ex.unanswered), ex.hint])

    return atomic_write(Path(root) / LONG, write)


def grade_rows(root, outcomes, max_scores):
    """Header and rows of ``grades.csv`` (the outcomes of :func:`mlbasics.course.autograde.main`);
    also writes ``grades-long.csv``. The score is nbgrader's, less its late penalty."""
    pairs = [(o.student, o.assignment) for o in outcomes]
    results = exercise_results(root, pairs)
    known = layout.assignments(root)
    columns = exercise_columns(root, [a for a in known if a in {p[1] for p in pairs}])
    header = ["student_id", "assignment", "score", "max_score", "problems", "late_penalty"] + \
        [f"{a}/{e}" for a, e in columns]
    rows = []
    for o in outcomes:
        result = results[(o.student, o.assignment)]
        earned = {(o.assignment, ex.exercise): ex.points for ex in result.exercises}
        rows.append([o.student, o.assignment, f"{max(0.0, o.score - result.late_penalty):g}",
                     f"{max_scores.get(o.assignment, o.max_score):g}", "; ".join(o.problems),
                     f"{result.late_penalty:g}"] + [_number(earned.get(c)) for c in columns])
    write_long(root, results)
    return header, rows


# ----------------------------------------------------------------------------------------------
# The report


class ReportError(SystemExit):
    """What is missing or wrong in the files the report reads, in words."""


def _read_csv(path, required):
    if not path.is_file():
        raise ReportError(f"no {path.name} at {path.parent}: run `make autograde` first")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReportError(f"{path} has no column {', '.join(missing)}: it was not written by `make autograde` "
                              f"(expected columns {', '.join(required)}); run `make autograde` again")
        rows = list(reader)
    return rows


def _float(text, path, line, column):
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ReportError(f"{path}, line {line}: {column} is {text!r}, not a number") from None


def known_mistakes(root, assignment):
    """``{exercise: [(name, hint phrase)]}`` from the assignment's ``mutants.py`` (empty without one)."""
    from mlbasics.course.check import exercise_name
    from mlbasics.course.mutation import load_written_mutants, mutants_file

    try:
        mutants = load_written_mutants(mutants_file(assignment, root))
    except (Exception, SystemExit):
        return {}
    named = defaultdict(list)
    for m in mutants:
        if m.hint:
            named[exercise_name(m.exercise)].append((m.name, m.hint))
    return named


@dataclass
class Data:
    submissions: list  # rows of grades.csv
    exercises: list  # rows of grades-long.csv


def load(root):
    root = Path(root)
    grades = _read_csv(root / GRADES, ["student_id", "assignment", "score", "max_score", "problems"])
    long_rows = _read_csv(root / LONG, LONG_COLUMNS)
    for i, row in enumerate(grades, start=2):
        row["score"] = _float(row["score"], root / GRADES, i, "score")
        row["max_score"] = _float(row["max_score"], root / GRADES, i, "max_score")
    for i, row in enumerate(long_rows, start=2):
        row["points"] = None if row["points"] == "" else _float(row["points"], root / LONG, i, "points")
        row["max_points"] = _float(row["max_points"], root / LONG, i, "max_points")
        row["unanswered"] = row["unanswered"].strip() == "1"
    return Data(grades, long_rows)


def _order(root, names):
    known = layout.assignments(root)
    return sorted(names, key=lambda a: (known.index(a) if a in known else len(known), a))


@dataclass
class ExerciseStats:
    exercise: str
    max_points: float
    graded: int = 0
    ungraded: int = 0
    total_points: float = 0.0
    full: int = 0
    unanswered: int = 0
    no_hint: int = 0  # lost points with no hint
    hints: Counter = field(default_factory=Counter)

    @property
    def mean(self):
        return self.total_points / self.graded if self.graded else 0.0


def summarise(data):
    """``{assignment: {exercise: ExerciseStats}}``, exercises in the file's (the assignment's) order."""
    stats = defaultdict(dict)
    for row in data.exercises:
        per = stats[row["assignment"]]
        ex = per.get(row["exercise"]) or per.setdefault(row["exercise"], ExerciseStats(row["exercise"],
                                                                                      row["max_points"]))
        if row["points"] is None:
            ex.ungraded += 1
            continue
        ex.graded += 1
        ex.total_points += row["points"]
        if row["points"] >= row["max_points"]:
            ex.full += 1
        elif row["unanswered"]:
            ex.unanswered += 1
        elif row["hint"]:
            ex.hints[row["hint"]] += 1
        else:
            ex.no_hint += 1
    return stats


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, metadata={"Software": None})
    return buf.getvalue()


def _figures(assignment, scores, max_score, per_exercise):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    figures = {}
    fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
    top = max(max_score, max(scores, default=0), 1)
    # one bar per whole point (up to 40 points), centred on it; wider bins beyond
    bins = np.arange(-0.5, top + 1, 1) if top <= 40 else np.linspace(0, top, 21)
    ax.hist(scores, bins=bins, color="#3a6ea5", edgecolor="white")
    ax.set_xlabel(f"score (of {max_score:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"{assignment}: scores of {len(scores)} submission(s)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    figures["scores"] = _png(fig)
    plt.close(fig)

    names = list(per_exercise)
    if not names:
        return figures
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(max(7.5, 1.4 * len(names) + 2.5), 3.4), layout="constrained")
    width = 0.27
    mean = [per_exercise[n].mean / per_exercise[n].max_points if per_exercise[n].max_points else 0 for n in names]
    full = [per_exercise[n].full / per_exercise[n].graded if per_exercise[n].graded else 0 for n in names]
    blank = [per_exercise[n].unanswered / per_exercise[n].graded if per_exercise[n].graded else 0 for n in names]
    ax.bar(x - width, mean, width, label="mean (share of points)", color="#3a6ea5")
    ax.bar(x, full, width, label="share at full marks", color="#4c9a52")
    ax.bar(x + width, blank, width, label="share unanswered", color="#c0504d")
    ax.set_xticks(x, names, rotation=15, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of submissions")
    ax.set_title(f"{assignment}: exercises")
    fig.legend(fontsize=8, loc="outside right upper")
    figures["exercises"] = _png(fig)
    plt.close(fig)
    return figures


CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #3a6ea5; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0 1.4em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #eef3f8; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.exercise td { background: #f6f6f6; font-weight: 600; }
.hint { max-width: 46em; } .muted { color: #666; } img { max-width: 100%; }
.figs { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
"""


def _share(n, d):
    return f"{100 * n / d:.0f}%" if d else "–"


def build(root=None, out=print):
    """Write ``report/index.html`` and its PNG figures from ``grades.csv`` and ``grades-long.csv``."""
    root = Path(root or layout.ROOT)
    data = load(root)
    if not data.submissions:
        raise ReportError(f"{root / GRADES} lists no submission: nothing to report")
    stats = summarise(data)
    by_assignment = defaultdict(list)
    for row in data.submissions:
        by_assignment[row["assignment"]].append(row)
    assignments = _order(root, by_assignment)
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Class report</title>"
             f"<style>{CSS}</style></head><body>",
             "<h1>Class report</h1>",
             f"<p class='muted'>{len(data.submissions)} submission(s) of {len({r['student_id'] for r in data.submissions})}"
             f" student(s), {len(assignments)} assignment(s), from {GRADES} and {LONG}.</p>"]
    pngs = {}
    summary = ["<h2>Assignments</h2><table><tr><th>assignment</th><th>submissions</th><th>mean</th>"
               "<th>median</th><th>lowest</th><th>highest</th><th>of</th><th>with problems</th></tr>"]
    sections = []
    misconceptions = ["<h2 id='misconceptions'>Misconceptions</h2><p>Each hint the checks gave, with the number of "
                      "submissions that got it. A hint names the mistake the answer matched; a known mistake "
                      "(<code>solutions/&lt;id&gt;/mutants.py</code>) gives its name.</p>"
                      "<table id='misconception-table'><tr><th>assignment</th><th>exercise</th><th>known mistake</th>"
                      "<th>submissions</th><th>hint</th></tr>"]
    for a in assignments:
        rows = by_assignment[a]
        scores = sorted(r["score"] for r in rows)
        max_score = max(r["max_score"] for r in rows)
        mean = sum(scores) / len(scores)
        median = (scores[(len(scores) - 1) // 2] + scores[len(scores) // 2]) / 2
        troubled = sum(1 for r in rows if r["problems"].strip())
        summary.append(f"<tr><td><a href='#{e(a)}'>{e(a)}</a></td><td class='n'>{len(rows)}</td>"
                       f"<td class='n'>{mean:.2f}</td><td class='n'>{median:g}</td><td class='n'>{scores[0]:g}</td>"
                       f"<td class='n'>{scores[-1]:g}</td><td class='n'>{max_score:g}</td>"
                       f"<td class='n'>{troubled}</td></tr>")
        per = stats.get(a, {})
        figures = _figures(a, scores, max_score, per)
        for kind, png in figures.items():
            pngs[f"{a}-{kind}.png"] = png
        imgs = "".join(f"<img alt='{e(a)}: {kind}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
                       for kind, png in figures.items())
        table = ["<table><tr><th>exercise</th><th>points</th><th>graded</th><th>mean</th><th>at full marks</th>"
                 "<th>unanswered</th><th>lost points with a hint</th><th>lost points, no hint</th>"
                 "<th>not graded</th></tr>"]
        for ex in per.values():
            table.append(f"<tr><td>{e(ex.exercise)}</td><td class='n'>{ex.max_points:g}</td>"
                         f"<td class='n'>{ex.graded}</td><td class='n'>{ex.mean:.2f}</td>"
                         f"<td class='n'>{ex.full} ({_share(ex.full, ex.graded)})</td>"
                         f"<td class='n'>{ex.unanswered} ({_share(ex.unanswered, ex.graded)})</td>"
                         f"<td class='n'>{sum(ex.hints.values())}</td><td class='n'>{ex.no_hint}</td>"
                         f"<td class='n'>{ex.ungraded}</td></tr>")
        table.append("</table>")
        sections.append(f"<h2 id='{e(a)}'>{e(a)}</h2><div class='figs'>{imgs}</div>" + "".join(table))
        named = known_mistakes(root, a)
        for ex in per.values():
            if not ex.hints:
                continue
            for hint, count in sorted(ex.hints.items(), key=lambda kv: (-kv[1], kv[0])):
                names = [n for n, phrase in named.get(ex.exercise, []) if phrase in hint]
                misconceptions.append(
                    f"<tr><td>{e(a)}</td><td>{e(ex.exercise)}</td><td>{e('; '.join(names)) or '–'}</td>"
                    f"<td class='n'>{count}</td><td class='hint'>{e(hint)}</td></tr>")
    summary.append("</table>")
    if len(misconceptions) == 1:
        misconceptions.append("<tr><td colspan='5'>No check gave a hint.</td></tr>")
    misconceptions.append("</table>")
    problems = [r for r in data.submissions if r["problems"].strip()]
    listing = ["<h2 id='problems'>Problem submissions</h2>"]
    if problems:
        listing.append("<table id='problem-table'><tr><th>student</th><th>assignment</th><th>score</th>"
                       "<th>reasons</th></tr>")
        for r in sorted(problems, key=lambda r: (_order(root, [r["assignment"]]), r["assignment"], r["student_id"])):
            reasons = "".join(f"<li>{e(p.strip())}</li>" for p in r["problems"].split("; ") if p.strip())
            listing.append(f"<tr><td>{e(r['student_id'])}</td><td>{e(r['assignment'])}</td>"
                           f"<td class='n'>{r['score']:g} of {r['max_score']:g}</td><td><ul>{reasons}</ul></td></tr>")
        listing.append("</table>")
    else:
        listing.append("<p>None: every submission was graded without a problem.</p>")
    parts += summary + misconceptions + listing + sections + ["</body></html>"]
    page = "\n".join(parts)

    target = root / REPORT
    target.mkdir(exist_ok=True)
    for name, png in pngs.items():
        atomic_write(target / name, lambda fh, png=png: fh.write(png), mode="wb")
    index = atomic_write(target / "index.html", lambda fh: fh.write(page))
    out(f"Report of {len(data.submissions)} submission(s) in {index.relative_to(root) if index.is_relative_to(root) else index}"
        f" ({len(pngs)} figure(s) beside it).")
    return index


def main(root=None, out=print):
    try:
        build(root, out=out)
    except ReportError as err:
        out(f"report: {err}")
        return 1
    return 0
