"""Getting submissions in from an LMS (``make collect``) and feedback out (``make return``).

``make collect ZIP=<file>`` takes the zip that Canvas or Moodle hands out ("Download
submissions" / "Download all submissions") and places each notebook at
``submitted/<student>/<assignment>/<assignment>.ipynb``. It follows nbgrader's ``zip_collect``:
the archive is unpacked with nbgrader's ``unzip`` (zips inside it too), and each file's name goes
through a :class:`nbgrader.plugins.FileNameCollectorPlugin` whose ``named_regexp`` reads the
student and the file from it. The names each LMS gives:

- Canvas: ``<lastfirst>_[LATE_]<user id>_<submission id>_<file name>``, e.g.
  ``doejane_LATE_12345_678901_01-gradient-descent.ipynb`` (a resubmitted file's name may end in
  ``-1``, ``-2``, ...);
- Moodle: ``<Full Name>_<participant id>_assignsubmission_file_/<file name>`` (one folder per
  student) or the same without the ``/`` (a flat download);
- anything else: set ``c.FileNameCollectorPlugin.named_regexp`` in ``nbgrader_config.py`` (with the
  groups ``student_id`` and ``file_id``, optionally ``timestamp``), as for ``nbgrader zip_collect``,
  and run ``make collect LMS=nbgrader``.

A notebook goes to the assignment it is named after (``01-gradient-descent.ipynb``, also with
``-1`` or `` (1)`` after the name). Every file that is not placed is reported with the reason.
An existing submission is never overwritten silently: an identical one is left as it is, a
different one is kept unless ``REPLACE=1`` (``--replace``), which moves the old one to
``backups/<time>/submitted/<student>/<assignment>/`` and says so.

The roster (``ROSTER=roster.csv``), a CSV file with a header row, matches LMS names to student ids
(the columns are also what ``make return`` puts in the Canvas grade file):

==============  ==========================================================================
column          meaning
==============  ==========================================================================
student_id      required: the student's id in the course (``submitted/<student_id>/``)
name            the name as the LMS shows it: ``First Last`` or ``Last, First``
canvas_id       Canvas's user id (the ``ID`` column of a Canvas gradebook export)
sis_user_id     Canvas's ``SIS User ID`` column
sis_login_id    Canvas's ``SIS Login ID`` column
section         Canvas's ``Section`` column
==============  ==========================================================================

A Canvas file is matched by ``canvas_id``, then by name; a Moodle file by name (its participant
id changes from one assignment to the next). Without a roster the student id is the LMS's name:
Canvas's ``lastfirst``, or Moodle's full name in lower case with ``-`` between words.

``make return`` writes ``return/<student>.zip`` (for each assignment: the feedback page and the
graded notebook, ``<assignment>/<assignment>.html`` and ``<assignment>/<assignment>.ipynb``) and
``return/canvas-grades.csv``, in the layout a Canvas gradebook import reads: ``Student, ID,
SIS User ID, SIS Login ID, Section``, then one column per assignment (its score, after any late
penalty), and a ``Points Possible`` row.
"""

import csv
import hashlib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mlbasics.course import layout
from mlbasics.course.report import GRADES, atomic_write

CANVAS = (r"^(?P<name>[^_/]+)_(?:(?P<late>LATE)_)?(?P<lms_id>\d+)_(?P<submission_id>\d+)_"
          r"(?P<file_id>[^/].*)$")
MOODLE = (r"^(?P<name>[^_/]+)_(?P<lms_id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_/?"
          r"(?P<file_id>[^/].*)$")
FORMATS = {"canvas": CANVAS, "moodle": MOODLE}
JUNK = re.compile(r"(^|/)(__MACOSX|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
SUFFIX = re.compile(r"(-\d+| \(\d+\))$")
"""What Canvas (``-1``) and browsers (`` (1)``) add to a file name given twice."""
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ROSTER_COLUMNS = ["student_id", "name", "canvas_id", "sis_user_id", "sis_login_id", "section"]
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
RETURN = "return"
BACKUPS = "backups"


class LMSError(SystemExit):
    """A zip, a roster or a setting that cannot work, in words; nothing was changed."""


# ----------------------------------------------------------------------------------------------
# The roster


@dataclass
class Student:
    student_id: str
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""


def _first_last(name):
    """``(first, last)`` from ``First Last`` or ``Last, First``."""
    name = " ".join(name.split())
    if "," in name:
        last, first = (p.strip() for p in name.split(",", 1))
        return first, last
    parts = name.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def canvas_key(name):
    """Canvas's ``lastfirst`` for a roster name: last then first name, lower case, letters and digits."""
    first, last = _first_last(name)
    return "".join(ch for ch in (last + first).lower() if ch.isalnum())


def moodle_key(name):
    """A Moodle full name (``First Last``) compared without case or extra spaces."""
    first, last = _first_last(name)
    return " ".join(f"{first} {last}".split()).casefold()


def slug(name):
    """A student id made from a name: lower case, ``-`` between words."""
    return "-".join(re.findall(r"[^\W_]+", name.lower()))


def read_roster(path):
    """The students of a roster CSV file (columns: :data:`ROSTER_COLUMNS`; ``student_id`` required)."""
    path = Path(path)
    if not path.is_file():
        raise LMSError(f"no roster at {path} (ROSTER= names a CSV file with the columns {', '.join(ROSTER_COLUMNS)})")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
            if "student_id" not in header:
                raise LMSError(f"{path} has no student_id column (its header: {', '.join(reader.fieldnames or [])}); "
                               f"a roster has the columns {', '.join(ROSTER_COLUMNS)}, student_id required")
            students, seen, canvas = [], {}, {}
            for line, row in enumerate(reader, start=2):
                values = {c: (row.get(header[c]) or "").strip() for c in ROSTER_COLUMNS if c in header}
                if not any(values.values()):
                    continue
                sid = values.get("student_id", "")
                if not STUDENT_ID.match(sid):
                    raise LMSError(f"{path}, line {line}: student_id {sid!r} is not a usable id (letters, digits, "
                                   "'.', '_' and '-', starting with a letter or digit)")
                if sid in seen:
                    raise LMSError(f"{path}, line {line}: student_id {sid!r} is already on line {seen[sid]}")
                seen[sid] = line
                student = Student(**values)
                if student.canvas_id:
                    if student.canvas_id in canvas:
                        raise LMSError(f"{path}, line {line}: canvas_id {student.canvas_id!r} is already on line "
                                       f"{canvas[student.canvas_id]}")
                    canvas[student.canvas_id] = line
                students.append(student)
    except UnicodeDecodeError as err:
        raise LMSError(f"{path} is not a UTF-8 text file ({err})") from None
    except csv.Error as err:
        raise LMSError(f"{path} is not a readable CSV file ({err})") from None
    return students


class Roster:
    def __init__(self, students):
        self.students = {s.student_id: s for s in students}
        self.by_canvas_id = {s.canvas_id: s for s in students if s.canvas_id}
        self.by_key = {}
        for s in students:
            if s.name:
                for key in {("canvas", canvas_key(s.name)), ("moodle", moodle_key(s.name))}:
                    self.by_key.setdefault(key, []).append(s)

    def match(self, lms, name, lms_id):
        """``(student id, None)`` or ``(None, why not)`` for a file's LMS name and id."""
        if lms == "canvas" and lms_id in self.by_canvas_id:
            return self.by_canvas_id[lms_id].student_id, None
        key = canvas_key_of_file(name) if lms == "canvas" else moodle_key(name)
        found = self.by_key.get((lms, key), [])
        if len(found) == 1:
            return found[0].student_id, None
        if len(found) > 1:
            return None, (f"the roster has {len(found)} students named {name!r} "
                          f"({', '.join(s.student_id for s in found)}): give them a canvas_id")
        if name in self.students:
            return name, None
        what = f"canvas_id {lms_id} or name {name!r}" if lms == "canvas" else f"name {name!r}"
        return None, f"no student in the roster with {what}"


def canvas_key_of_file(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


# ----------------------------------------------------------------------------------------------
# make collect


def _collector(regexp, config=None):
    """nbgrader's file name collector with ``regexp`` as its ``named_regexp``."""
    from nbgrader.plugins import FileNameCollectorPlugin
    from traitlets.config import Config

    config = Config(config or {})
    config.FileNameCollectorPlugin.named_regexp = regexp
    config.FileNameCollectorPlugin.valid_ext = [".ipynb"]
    return FileNameCollectorPlugin(config=config)


def _match(collector, relative):
    """The collector's groups for a file's path inside the archive, or None. nbgrader matches
    ``named_regexp`` at the start of the path it is given; here that is the path in the archive."""
    import logging

    collector.log.setLevel(logging.ERROR)  # a name that does not match is reported here, not logged
    return collector._match(relative)


@dataclass
class Found:
    """One file of the archive and what became of it."""
    path: str  # inside the archive
    student: str = ""
    assignment: str = ""
    timestamp: object = None
    late: bool = False
    source: Path = None
    reason: str = ""  # why it was not placed; empty if it was


@dataclass
class Collected:
    placed: list = field(default_factory=list)  # (Found, what was done)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (Found, why the existing one was kept)
    unmatched: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # system files (__MACOSX, .DS_Store)

    @property
    def ok(self):
        return not (self.kept or self.unmatched)


def _assignment_of(file_name, known):
    stem = Path(file_name).stem
    for candidate in (stem, SUFFIX.sub("", stem)):
        if candidate in known:
            return candidate
    return None


def _identify(found, relative, lms, collectors, roster, known):
    """Fill ``found`` (student, assignment) from its path, or set its ``reason``."""
    if not relative.endswith(".ipynb"):
        found.reason = "not a notebook (.ipynb)"
        return
    for name in (lms,) if lms != "auto" else ("moodle", "canvas"):
        groups = _match(collectors[name], relative)
        if groups:
            break
    else:
        expected = {"canvas": "Canvas's <lastfirst>_<user id>_<submission id>_<file>",
                    "moodle": "Moodle's <Full Name>_<participant id>_assignsubmission_file_<file>",
                    "nbgrader": "FileNameCollectorPlugin.named_regexp"}
        want = " or ".join(expected[n] for n in ((lms,) if lms != "auto" else ("moodle", "canvas")))
        found.reason = f"its name is not {want}"
        return
    if name == "moodle" and groups.get("plugin") != "file":
        found.reason = f"a Moodle {groups.get('plugin')} entry, not a submitted file"
        return
    file_name = Path(groups["file_id"]).name
    assignment = _assignment_of(file_name, known)
    if assignment is None:
        found.reason = f"{file_name} is not named after an assignment of this course (expected <assignment>.ipynb)"
        return
    if name == "nbgrader":
        student, why = groups.get("student_id") or "", None if groups.get("student_id") else "no student_id"
        if roster is not None and student and student not in roster.students:
            student, why = None, f"student {groups['student_id']!r} is not in the roster"
    elif roster is not None:
        student, why = roster.match(name, groups["name"], groups["lms_id"])
    else:
        student, why = (canvas_key_of_file(groups["name"]) if name == "canvas" else slug(groups["name"])), None
    if why:
        found.reason = why
        return
    if not STUDENT_ID.match(student or ""):
        found.reason = f"{student!r} cannot be a student id (letters, digits, '.', '_' and '-'): use a roster"
        return
    found.student, found.assignment, found.late = student, assignment, bool(groups.get("late"))
    if groups.get("timestamp"):
        from nbgrader.utils import parse_utc

        try:
            found.timestamp = parse_utc(groups["timestamp"])
        except (ValueError, OverflowError):
            found.student = found.assignment = ""
            found.reason = f"its timestamp {groups['timestamp']!r} is not a date"


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def plan(root, zip_path, scratch, lms="auto", roster=None):
    """What :func:`collect` would do: a :class:`Collected` whose ``placed`` are not placed yet."""
    from nbgrader.utils import unzip

    root, zip_path = Path(root), Path(zip_path)
    if lms not in ("auto", "canvas", "moodle", "nbgrader"):
        raise LMSError(f"LMS={lms!r}: expected canvas, moodle, auto (either) or nbgrader "
                       "(FileNameCollectorPlugin.named_regexp in nbgrader_config.py)")
    if not zip_path.is_file():
        raise LMSError(f"no file at {zip_path} (ZIP= names the zip the LMS gave you)")
    if not zipfile.is_zipfile(zip_path):
        raise LMSError(f"{zip_path} is not a zip file")
    known = layout.assignments(root)
    collectors = {name: _collector(regexp) for name, regexp in FORMATS.items()}
    if lms == "nbgrader":
        config = layout.nbgrader_config(root)
        regexp = config.FileNameCollectorPlugin.get("named_regexp", "")
        if not regexp or "(?P<student_id>" not in regexp or "(?P<file_id>" not in regexp:
            raise LMSError("LMS=nbgrader needs c.FileNameCollectorPlugin.named_regexp in nbgrader_config.py, with the "
                           "groups (?P<student_id>...) and (?P<file_id>...)")
        collectors["nbgrader"] = _collector(regexp)
    copy = Path(scratch) / "archive" / zip_path.name
    copy.parent.mkdir(parents=True)
    shutil.copy(zip_path, copy)
    extracted = Path(scratch) / "extracted"
    extracted.mkdir()
    try:
        unzip(str(copy), str(extracted), zip_ext=[".zip"], create_own_folder=False, tree=True)
    except Exception as err:
        raise LMSError(f"{zip_path} could not be unpacked ({type(err).__name__}: {err}); nothing was changed") from None
    result = Collected()
    chosen = {}
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        relative = path.relative_to(extracted).as_posix()
        found = Found(relative, source=path)
        if JUNK.search(relative):
            result.ignored.append(found)
            continue
        if path.suffix == ".zip" and path.with_suffix("").is_dir():
            continue  # a zip inside the zip: its files were unpacked beside it, and are listed themselves
        _identify(found, relative, lms, collectors, roster, known)
        if found.reason:
            result.unmatched.append(found)
            continue
        key = (found.student, found.assignment)
        other = chosen.get(key)
        if key not in chosen:
            chosen[key] = found
        elif other is None:  # already two without timestamps: this one joins them
            found.reason = f"several notebooks for {key[0]}/{key[1]} in the zip: place the right one by hand"
            result.unmatched.append(found)
        elif found.timestamp is not None and other.timestamp is not None:
            # nbgrader's rule for a file given twice: the newer timestamp wins
            newer, older = (found, other) if found.timestamp >= other.timestamp else (other, found)
            chosen[key] = newer
            older.reason = f"an older submission of {key[0]}/{key[1]} than {newer.path}"
            result.unmatched.append(older)
        else:
            other.reason = found.reason = (f"two notebooks for {key[0]}/{key[1]} in the zip ({other.path}, {found.path})"
                                           " and no timestamps to tell which is newer: place the right one by hand")
            chosen[key] = None
            result.unmatched += [other, found] if other not in result.unmatched else [found]
    for key, found in chosen.items():
        if found is not None:
            result.placed.append((found, ""))
    return result


def collect(root=None, zip_path=None, *, lms="auto", roster=None, replace=False, out=print):
    """``make collect``: place the notebooks of an LMS zip under ``submitted/``; return a :class:`Collected`."""
    root = Path(root or layout.ROOT)
    students = Roster(read_roster(roster)) if roster else None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    with tempfile.TemporaryDirectory(prefix="collect-") as scratch:
        result = plan(root, zip_path, scratch, lms=lms, roster=students)
        placed = []
        for found, _ in result.placed:
            folder = root / layout.SUBMITTED / found.student / found.assignment
            dest = folder / f"{found.assignment}.ipynb"
            stamp_file = folder / "timestamp.txt"
            new_stamp = found.timestamp.isoformat(" ") if found.timestamp is not None else None
            if dest.exists():
                old_stamp = stamp_file.read_text().strip() if stamp_file.is_file() else None
                if _digest(dest) == _digest(found.source) and (new_stamp is None or new_stamp == old_stamp):
                    result.unchanged.append(found)
                    continue
                if not replace:
                    result.kept.append((found, f"{dest.relative_to(root)} exists and differs from {found.path}; "
                                               "kept (REPLACE=1 replaces it, keeping the old one as a backup)"))
                    continue
                backup = root / BACKUPS / stamp / layout.SUBMITTED / found.student / found.assignment
                backup.mkdir(parents=True, exist_ok=True)
                shutil.copy2(dest, backup / dest.name)
                if stamp_file.is_file():
                    shutil.copy2(stamp_file, backup / stamp_file.name)
                what = f"replaced the earlier one (kept in {backup.relative_to(root)}/)"
            else:
                what = "new"
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, lambda fh, src=found.source: fh.write(src.read_bytes()), mode="wb")
            if new_stamp is not None:
                atomic_write(stamp_file, lambda fh, text=new_stamp: fh.write(text + "\n"))
            elif stamp_file.is_file() and what != "new":
                stamp_file.unlink()  # the earlier submission's time (kept in the backup), not this one's
            placed.append((found, what))
        result.placed = placed
    _say(result, root, zip_path, out)
    return result


def _say(result, root, zip_path, out):
    out(f"{Path(zip_path).name}: {len(result.placed)} notebook(s) placed under {layout.SUBMITTED}/, "
        f"{len(result.unchanged)} already there unchanged, {len(result.kept)} kept as they were, "
        f"{len(result.unmatched)} file(s) not matched.")
    for found, what in result.placed:
        late = " (Canvas marked it LATE)" if found.late else ""
        out(f"  {found.student}/{found.assignment}: {what}{late}  <- {found.path}")
    if result.kept:
        out("Kept the existing submission (not replaced):")
        for found, why in result.kept:
            out(f"  {found.student}/{found.assignment}: {why}")
    if result.unmatched:
        out("Not matched (not placed):")
        for found in result.unmatched:
            out(f"  {found.path}: {found.reason}")
    if result.placed:
        out("Grade them with `make autograde` (a replaced submission's earlier grade stands until then).")
    if result.ignored:
        out(f"Ignored {len(result.ignored)} system file(s) (__MACOSX, .DS_Store and the like): "
            + ", ".join(f.path for f in result.ignored))


def main_collect(zip_path, roster=None, lms="auto", replace=False, root=None, out=print):
    try:
        result = collect(root, zip_path, lms=lms, roster=roster, replace=replace, out=out)
    except LMSError as err:
        out(f"collect: {err}")
        return 2
    return 0 if result.ok else 1


# ----------------------------------------------------------------------------------------------
# make return


def _grades(root):
    path = Path(root) / GRADES
    if not path.is_file():
        raise LMSError(f"no {GRADES} at {root}: run `make autograde` first")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("student_id", "assignment", "score", "max_score") if c not in (reader.fieldnames or [])]
        if missing:
            raise LMSError(f"{path} has no column {', '.join(missing)}: run `make autograde` again")
        return list(reader)


def write_return(root=None, roster=None, out=print):
    """``make return``: ``return/<student>.zip`` for each student and ``return/canvas-grades.csv``."""
    root = Path(root or layout.ROOT)
    students = read_roster(roster) if roster else []
    rows = _grades(root)
    known = layout.assignments(root)
    by_student = {}
    for row in rows:
        by_student.setdefault(row["student_id"], {})[row["assignment"]] = row
    target = root / RETURN
    target.mkdir(exist_ok=True)
    missing, written = [], []
    for student, graded in sorted(by_student.items()):
        files = []
        for assignment in sorted(graded, key=lambda a: (known.index(a) if a in known else len(known), a)):
            page = root / layout.FEEDBACK / student / assignment / f"{assignment}.html"
            notebook = root / layout.AUTOGRADED / student / assignment / f"{assignment}.ipynb"
            for path, what in ((page, "feedback page"), (notebook, "graded notebook")):
                if path.is_file():
                    files.append((path, f"{assignment}/{path.name}"))
                else:
                    missing.append(f"{student}/{assignment}: no {what} ({path.relative_to(root)})")
        if not files:
            continue

        def write(fh, files=files):
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as z:
                for path, name in files:
                    z.write(path, name)

        written.append(atomic_write(target / f"{student}.zip", write, mode="wb"))
    grades_file = write_canvas(root, rows, students, target / "canvas-grades.csv")
    out(f"Wrote {len(written)} zip(s) in {RETURN}/ (one per student: feedback pages and graded notebooks) and "
        f"{grades_file.relative_to(root)} for the Canvas gradebook.")
    if missing:
        out("Missing from the zips:")
        for line in missing:
            out(f"  {line}")
    no_id = [s for s in _canvas_students(rows, students) if not (s.canvas_id or s.sis_user_id or s.sis_login_id)]
    if no_id:
        out(f"{len(no_id)} student(s) have no ID, SIS User ID or SIS Login ID, which Canvas matches rows by: "
            f"{', '.join(s.student_id for s in no_id[:10])}{' ...' if len(no_id) > 10 else ''}. "
            "Give them canvas_id (or the SIS columns) in a roster: make return ROSTER=roster.csv")
    return written, grades_file, missing


def _canvas_students(rows, students):
    listed = {s.student_id: s for s in students}
    for row in rows:
        listed.setdefault(row["student_id"], Student(row["student_id"]))
    return sorted(listed.values(), key=lambda s: s.student_id)


def write_canvas(root, rows, students, path):
    """A CSV for Canvas's gradebook import (Grades > Import): ``Student, ID, SIS User ID, SIS Login ID,
    Section``, one column per assignment, a ``Points Possible`` row. Canvas finds each row's student
    by ``ID`` (or the SIS ids) and each column's assignment by its name: map the columns to Canvas's
    assignments in the import's preview (or rename them to Canvas's ``<name> (<id>)`` first)."""
    known = layout.assignments(root)
    assignments = sorted({r["assignment"] for r in rows if r["assignment"] in known}, key=known.index)
    score = {(r["student_id"], r["assignment"]): r["score"] for r in rows}
    possible = {}
    for r in rows:
        possible.setdefault(r["assignment"], r["max_score"])

    def write(fh):
        writer = csv.writer(fh)
        writer.writerow(CANVAS_HEADER + assignments)
        writer.writerow(["Points Possible", "", "", "", ""] + [possible[a] for a in assignments])
        for s in _canvas_students(rows, students):
            writer.writerow([_canvas_name(s), s.canvas_id, s.sis_user_id, s.sis_login_id, s.section]
                            + [score.get((s.student_id, a), "") for a in assignments])

    return atomic_write(path, write)


def _canvas_name(student):
    if not student.name:
        return student.student_id
    first, last = _first_last(student.name)
    return f"{last}, {first}" if first else last


def main_return(roster=None, root=None, out=print):
    try:
        write_return(root, roster, out=out)
    except LMSError as err:
        out(f"return: {err}")
        return 2
    return 0

