"""`make collect`: the zips Canvas and Moodle hand out ("download all submissions") land under
submitted/<student>/<assignment>/<assignment>.ipynb, matched through a roster; every file that is
not placed is reported with its reason; an existing submission is replaced only when asked, and
kept as a backup."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest

from helpers import REPO, copy_course
from mlbasics.course import layout, lms

A = "01-gradient-descent"
B = "02-loss-surface"

# student_id, name, canvas_id, sis_user_id, sis_login_id, section: a class of 20
ROSTER = [(f"s{i:02d}", name, str(1000 + i), f"SIS{i:03d}", f"login{i:02d}", "Section A" if i % 2 else "Section B")
          for i, name in enumerate(["Jane Doe", "John Smith", "Ada Lovelace", "Alan Turing", "Grace Hopper",
                                    "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen",
                                    "Ken Thompson", "Margaret Hamilton", "Dennis Ritchie", "Radia Perlman",
                                    "Tim Berners-Lee", "Katherine Johnson", "Claude Shannon", "Hedy Lamarr",
                                    "John von Neumann", "Sophie Wilson", "Linus Torvalds"], start=1)]


def _notebook(root, who, assignment=A):
    """The solution notebook, marked with who handed it in (so a test can tell which file landed where)."""
    nb = layout.read_notebook(layout.solution_path(assignment, root))
    nb.metadata["handed_in_by"] = who
    return nbformat.writes(nb).encode()


def _who(path):
    return json.loads(path.read_text())["metadata"]["handed_in_by"]


def _lastfirst(name):
    first, last = name.rsplit(" ", 1)
    return "".join(ch for ch in (last + first).lower() if ch.isalnum())


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def _inner_zip(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def course(tmp_path):
    root = copy_course(tmp_path / "course")
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(lms.ROSTER_COLUMNS)
        writer.writerows(ROSTER)
    return root, roster


def canvas_zip(root, path):
    """Canvas's "Download Submissions": <lastfirst>_[LATE_]<user id>_<submission id>_<file>, flat.
    Returns the zip and {entry: (student it must reach, or None) , reason phrase if not placed}."""
    entries, expect = {}, {}
    for i, (sid, name, canvas_id, *_rest) in enumerate(ROSTER):
        late = "LATE_" if sid == "s03" else ""
        file_name = f"{A}-1.ipynb" if sid == "s04" else f"{A}.ipynb"  # s04 resubmitted: Canvas adds -1
        if sid == "s05":  # s05 handed in a zip of their folder
            entry = f"{_lastfirst(name)}_{canvas_id}_{5000 + i}_homework.zip"
            entries[entry] = _inner_zip({f"homework/{A}.ipynb": _notebook(root, sid)})
            expect[f"{_lastfirst(name)}_{canvas_id}_{5000 + i}_homework/homework/{A}.ipynb"] = (sid, None)
            continue
        shown = "smithjohnny" if sid == "s02" else _lastfirst(name)  # Canvas knows s02 by another name: the id tells
        entry = f"{shown}_{late}{canvas_id}_{5000 + i}_{file_name}"
        entries[entry] = _notebook(root, sid)
        expect[entry] = (sid, None)
    # s06 also attached a PDF; s07 a notebook named otherwise; a student the roster does not have
    entries[f"{_lastfirst('Edsger Dijkstra')}_1006_5100_report.pdf"] = b"%PDF-1.4"
    expect[f"{_lastfirst('Edsger Dijkstra')}_1006_5100_report.pdf"] = (None, "not a notebook")
    entries["liskovbarbara_1007_5101_my homework.ipynb"] = _notebook(root, "s07-other")
    expect["liskovbarbara_1007_5101_my homework.ipynb"] = (None, "is not named after an assignment")
    entries[f"strangerzoe_9999_5102_{A}.ipynb"] = _notebook(root, "stranger")
    expect[f"strangerzoe_9999_5102_{A}.ipynb"] = (None, "no student in the roster with canvas_id 9999")
    entries["__MACOSX/._x"] = b"junk"
    return _zip(path, entries), expect


def moodle_zip(root, path):
    """Moodle's "Download all submissions": one folder per student, <Full Name>_<participant id>_
    assignsubmission_file_/<file>; an online-text folder; one flat entry (the download without folders)."""
    entries, expect = {}, {}
    for i, (sid, name, *_rest) in enumerate(ROSTER):
        if sid == "s20":  # the flat form
            entry = f"{name}_{700 + i}_assignsubmission_file_{A}.ipynb"
        else:
            entry = f"{name}_{700 + i}_assignsubmission_file_/{A}.ipynb"
        entries[entry] = _notebook(root, sid)
        expect[entry] = (sid, None)
    entries["Jane Doe_700_assignsubmission_onlinetext_/onlinetext.html"] = b"<p>see attached</p>"
    expect["Jane Doe_700_assignsubmission_onlinetext_/onlinetext.html"] = (None, "not a notebook")
    entries[f"Nobody Known_799_assignsubmission_file_/{A}.ipynb"] = _notebook(root, "nobody")
    expect[f"Nobody Known_799_assignsubmission_file_/{A}.ipynb"] = (None, "no student in the roster with name")
    return _zip(path, entries), expect


@pytest.mark.parametrize("make_zip", [canvas_zip, moodle_zip], ids=["canvas", "moodle"])
def test_every_notebook_is_placed_for_its_student_and_every_other_file_is_reported(course, tmp_path, make_zip):
    root, roster = course
    archive, expect = make_zip(root, tmp_path / "submissions.zip")
    lines = []
    result = lms.collect(root, archive, roster=roster, out=lines.append)
    report = "\n".join(lines)
    placed = {f.path: f.student for f, _ in result.placed}
    unmatched = {f.path: f.reason for f in result.unmatched}
    for entry, (student, phrase) in expect.items():
        if student:
            assert placed.get(entry) == student, f"{entry} should reach {student}: {report}"
            target = root / layout.SUBMITTED / student / A / f"{A}.ipynb"
            assert _who(target) == student
            assert f"{student}/{A}: new" in report
        else:
            assert phrase in unmatched.get(entry, ""), f"{entry} should be reported ({phrase!r}): {report}"
            assert f"{entry}: " in report
    assert len(placed) == len(ROSTER) == len(list((root / layout.SUBMITTED).iterdir()))
    assert len(unmatched) == sum(1 for s, _ in expect.values() if s is None)
    if make_zip is canvas_zip:
        assert "Ignored 1 system file(s) (__MACOSX, .DS_Store and the like): __MACOSX/._x" in report
    assert not result.ok and lms.main_collect(archive, roster, root=root, out=lambda _: None) == 1


def test_canvas_late_flag_is_reported(course, tmp_path):
    root, roster = course
    archive, _ = canvas_zip(root, tmp_path / "submissions.zip")
    lines = []
    lms.collect(root, archive, roster=roster, out=lines.append)
    assert any(line.strip().startswith(f"s03/{A}: new (Canvas marked it LATE)") for line in lines), lines


def test_without_a_roster_the_lms_name_is_the_student_id(course, tmp_path):
    root, _ = course
    lms.collect(root, _zip(tmp_path / "c.zip", {f"doejane_1001_5001_{A}.ipynb": _notebook(root, "c")}),
                out=lambda _: None)
    lms.collect(root, _zip(tmp_path / "m.zip", {f"John Smith_7_assignsubmission_file_/{A}.ipynb":
                                                 _notebook(root, "m")}), out=lambda _: None)
    assert _who(root / layout.SUBMITTED / "doejane" / A / f"{A}.ipynb") == "c"
    assert _who(root / layout.SUBMITTED / "john-smith" / A / f"{A}.ipynb") == "m"


def test_an_existing_submission_is_replaced_only_when_asked_and_kept_as_a_backup(course, tmp_path):
    root, roster = course
    first = _zip(tmp_path / "first.zip", {f"doejane_1001_5001_{A}.ipynb": _notebook(root, "first")})
    second = _zip(tmp_path / "second.zip", {f"doejane_1001_5002_{A}.ipynb": _notebook(root, "second")})
    target = root / layout.SUBMITTED / "s01" / A / f"{A}.ipynb"
    assert lms.main_collect(first, roster, root=root, out=lambda _: None) == 0
    lines = []
    assert lms.main_collect(first, roster, root=root, out=lines.append) == 0  # the same again: unchanged
    assert "1 already there unchanged" in lines[0]

    lines = []
    assert lms.main_collect(second, roster, root=root, out=lines.append) == 1
    assert _who(target) == "first", "a different submission was overwritten without REPLACE"
    assert any("s01/01-gradient-descent:" in ln and "kept (REPLACE=1 replaces it" in ln for ln in lines), lines
    assert not (root / lms.BACKUPS).exists()

    lines = []
    assert lms.main_collect(second, roster, replace=True, root=root, out=lines.append) == 0
    assert _who(target) == "second"
    backups = list((root / lms.BACKUPS).glob(f"*/{layout.SUBMITTED}/s01/{A}/{A}.ipynb"))
    assert len(backups) == 1 and _who(backups[0]) == "first"
    assert any("replaced the earlier one (kept in backups/" in ln for ln in lines), lines
    assert not list(target.parent.glob(".*.tmp")), "a temporary file was left behind"


def test_two_notebooks_for_one_student_are_both_reported_and_neither_placed(course, tmp_path):
    root, roster = course
    archive = _zip(tmp_path / "z.zip", {f"doejane_1001_5001_{A}.ipynb": _notebook(root, "a"),
                                        f"doejane_1001_5001_{A}-1.ipynb": _notebook(root, "b"),
                                        f"smithjohn_1002_5003_{B}.ipynb": _notebook(root, "s02", B)})
    result = lms.collect(root, archive, roster=roster, out=lambda _: None)
    assert not (root / layout.SUBMITTED / "s01").exists()
    assert sorted(f.path for f in result.unmatched) == [f"doejane_1001_5001_{A}-1.ipynb", f"doejane_1001_5001_{A}.ipynb"]
    assert all("two notebooks for s01/01-gradient-descent" in f.reason for f in result.unmatched)
    assert _who(root / layout.SUBMITTED / "s02" / B / f"{B}.ipynb") == "s02"  # the other assignment, placed


def test_nbgraders_own_named_regexp_with_timestamps_writes_timestamp_txt(course, tmp_path):
    root, _ = course
    with (root / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.FileNameCollectorPlugin.named_regexp = "
                 "r'(?P<student_id>\\w+)_attempt_(?P<timestamp>[0-9 :-]+ UTC)_(?P<file_id>.+)'\n")
    archive = _zip(tmp_path / "z.zip", {f"hacker_attempt_2026-11-30 18:00:00 UTC_{A}.ipynb": _notebook(root, "h"),
                                        f"hacker_attempt_2026-11-30 19:30:00 UTC_{A}.ipynb": _notebook(root, "h2")})
    result = lms.collect(root, archive, lms="nbgrader", out=lambda _: None)
    folder = root / layout.SUBMITTED / "hacker" / A
    assert _who(folder / f"{A}.ipynb") == "h2", "the newer of two timestamps wins, as in nbgrader zip_collect"
    assert (folder / "timestamp.txt").read_text().strip() == "2026-11-30 19:30:00"
    assert [f.reason for f in result.unmatched] == [f"an older submission of hacker/{A} than "
                                                   f"hacker_attempt_2026-11-30 19:30:00 UTC_{A}.ipynb"]


@pytest.mark.parametrize("bad, phrase", [
    ("missing", "no file at"),
    ("not a zip", "is not a zip file"),
    ("roster without student_id", "has no student_id column"),
    ("roster with a duplicate", "is already on line"),
    ("unknown LMS", "expected canvas, moodle"),
])
def test_bad_input_stops_with_a_reason_and_changes_nothing(course, tmp_path, bad, phrase):
    root, roster = course
    archive = _zip(tmp_path / "ok.zip", {f"doejane_1001_5001_{A}.ipynb": _notebook(root, "x")})
    kind = "auto"
    if bad == "missing":
        archive = tmp_path / "nope.zip"
    elif bad == "not a zip":
        archive = tmp_path / "x.zip"
        archive.write_text("hello")
    elif bad == "roster without student_id":
        roster.write_text("name,canvas_id\nJane Doe,1001\n")
    elif bad == "roster with a duplicate":
        roster.write_text("student_id,name\ns01,Jane Doe\ns01,John Smith\n")
    else:
        kind = "blackboard"
    lines = []
    assert lms.main_collect(archive, roster, lms=kind, root=root, out=lines.append) == 2
    assert phrase in lines[0], lines
    assert not (root / layout.SUBMITTED).exists()


def test_make_collect_runs_the_command(course, tmp_path):
    """The command `make collect ZIP=... ROSTER=...` runs (python -m mlbasics.course collect)."""
    root, roster = course
    archive, _ = canvas_zip(root, tmp_path / "submissions.zip")
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL",)}
    env["MLBASICS_ROOT"] = str(root)
    run = subprocess.run([sys.executable, "-m", "mlbasics.course", "collect", str(archive), "--roster", str(roster)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr  # 1: some files were not matched
    assert "20 notebook(s) placed" in run.stdout and "Not matched (not placed):" in run.stdout, run.stdout
    makefile = (REPO / "Makefile").read_text()
    assert "collect '$(ZIP)'" in makefile and "--roster '$(ROSTER)'" in makefile and "--replace" in makefile


def test_make_return_without_grades_says_to_grade_first(course):
    root, roster = course
    lines = []
    assert lms.main_return(roster=roster, root=root, out=lines.append) == 2
    assert "no grades.csv" in lines[0] and "make autograde" in lines[0]
    assert not (root / lms.RETURN).exists()
