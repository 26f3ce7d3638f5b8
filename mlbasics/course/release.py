"""``make release``: regenerate ``notebooks/`` from ``solutions/`` and check what learners get."""

import hashlib
import json
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlbasics.course import layout
from mlbasics.course.checks import source as checks
from mlbasics.course.execute import error_of, execute


@dataclass
class Summary:
    assignment: str
    exercises: int = 0
    points: float = 0.0
    hidden_tests: int = 0
    problems: list = field(default_factory=list)

    def line(self):
        status = "ok" if not self.problems else f"{len(self.problems)} problem(s)"
        return (f"{self.assignment:<26} {self.exercises:>2} exercises  {self.points:>4g} points  "
                f"{self.hidden_tests:>2} hidden tests  {status}")


def generate(assignment, root=None, dest=None, source=None):
    """Write the learner's version of ``solutions/<id>/`` with nbgrader, without touching the gradebook.

    It goes to ``dest/<id>/`` (``notebooks/<id>/`` by default); ``source`` is another folder of
    source notebooks (an edition's, made from ``solutions/``). Every released notebook carries
    a stamp of its cells (:func:`stamp`), by which a later release tells a learner's edits apart.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root = Path(root or layout.ROOT)
    overrides = {"CourseDirectory.release_directory": str(dest)} if dest else {}
    if source:
        overrides["CourseDirectory.source_directory"] = str(source)
    config = layout.nbgrader_config(root, **overrides)
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False
    config.GenerateAssignment.create_assignment = False
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.generate_assignment(assignment, force=True, create=False)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
    folder = Path(dest or root / layout.RELEASE) / assignment
    for path in sorted(folder.rglob("*.ipynb")):
        nb = layout.read_notebook(path)
        for cell in nb.cells:  # when the author last ran each cell: nothing for a learner
            cell.metadata.pop("execution", None)
        nb.metadata.setdefault("mlbasics", {})["release"] = stamp(nb)
        nbformat.write(nb, str(path))
    return folder


def stamp(nb):
    """A fingerprint of what a learner writes in a notebook: each cell's type and source, in order."""
    text = json.dumps([[c.cell_type, c.source] for c in nb.cells], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def edited(path, new_nb):
    """Whether the notebook at ``path`` holds work that the release in ``new_nb`` would overwrite:
    its cells differ from the stamp it was released with (a learner's edits), or, for a notebook
    with no stamp, from ``new_nb``. An unreadable file counts as edited: it is moved aside, never lost."""
    try:
        old = layout.read_notebook(path)
    except Exception:
        return True
    released = old.metadata.get("mlbasics", {}).get("release")
    return stamp(old) != (released or stamp(new_nb))


def backup_name(path, when):
    """``<name>.edited-<when>.ipynb`` beside ``path``, numbered if that name is taken."""
    candidate = path.with_name(f"{path.stem}.edited-{when}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.edited-{when}-{n}{path.suffix}")
        n += 1
    return candidate


def install(assignment, staged, root, out=print, edition=None):
    """Copy the staged release of ``assignment`` into ``notebooks/<id>/``.

    Only the files the release writes are replaced; anything else in the folder (the learner's own
    files, JupyterLab's checkpoints) stays. A notebook the learner edited is first moved aside to a
    named backup, printed. Returns the backups made.
    """
    target = Path(root) / layout.release_dir(edition) / assignment
    when = time.strftime("%Y%m%d-%H%M%S")
    backups = []
    for new in sorted(p for p in Path(staged).rglob("*") if p.is_file()):
        rel = new.relative_to(staged)
        old = target / rel
        if old.is_file() and old.suffix == ".ipynb" and edited(old, layout.read_notebook(new)):
            keep = backup_name(old, when)
            old.rename(keep)
            backups.append(keep)
            out(f"  kept your edited {old.relative_to(root)} as {keep.relative_to(root)}")
        old.parent.mkdir(parents=True, exist_ok=True)
        tmp = old.with_name(f".{old.name}.new")
        shutil.copy2(new, tmp)
        tmp.replace(old)
    return backups


def stub_problems(released_nb, cwd):
    """Run the released notebook as a learner who has written nothing: every graded test must fail."""
    execute(released_nb, cwd)
    problems = []
    for cell in released_nb.cells:
        if layout.is_graded_test(cell) and error_of(cell) is None:
            problems.append(f"test cell {layout.grade_id(cell)} passes on the released stub")
        if cell.cell_type == "code" and not layout.grading_meta(cell):
            err = error_of(cell)
            if err and err[0] != "NotImplementedError":
                problems.append(
                    f"a non-graded cell fails with {err[0]}: {err[1][:120]!r} (only NotImplementedError is expected)"
                )
    return problems


MIN_EXERCISES = 3


def min_exercises(root=None):
    """The fewest graded exercises a notebook may have: ``c.CourseRelease.min_exercises`` in
    ``nbgrader_config.py`` (3 unless set there)."""
    value = layout.nbgrader_config(root).get("CourseRelease", {}).get("min_exercises", MIN_EXERCISES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SystemExit(f"c.CourseRelease.min_exercises in nbgrader_config.py must be a whole number "
                         f"of at least 0, got {value!r}")
    return value


def check_assignment(assignment, root=None, run_stubs=True, released_path=None, minimum=MIN_EXERCISES,
                     edition=None):
    """Check the release of ``assignment`` (at ``released_path``, ``notebooks/<id>/<id>.ipynb`` by default).

    For an edition, its source is made from the English one and its translation, and its solution
    notebook runs top to bottom without an error (a translation can break code)."""
    root = root or layout.ROOT
    english = source = layout.read_notebook(layout.solution_path(assignment, root))
    if edition:  # its structure is the English notebook's, its words (and what may leak) its own
        from mlbasics.course import edition as editions

        source = editions.source_notebook(assignment, edition, root, nb=english)
    released_path = Path(released_path or layout.release_path(assignment, root))
    released = layout.read_notebook(released_path)
    summary = Summary(assignment)
    tests = [c for c in source.cells if layout.is_graded_test(c)]
    summary.exercises = len(tests)
    summary.points = sum(layout.points(c) for c in tests)
    summary.hidden_tests = sum(1 for c in tests if "### BEGIN HIDDEN TESTS" in c.source)
    problems = checks.structure_problems(english, min_exercises=minimum)
    summary.problems += [p + (" (c.CourseRelease.min_exercises in nbgrader_config.py sets the rule)"
                              if p.startswith("needs at least") else "") for p in problems]
    leaked = checks.leaks(source, released_path.read_text())
    summary.problems += [f"solution or hidden-test line leaked into the release: {line!r}" for line in leaked]
    if run_stubs:
        summary.problems += stub_problems(released, released_path.parent)
        if edition:
            summary.problems += editions.run_problems(assignment, edition, root, nb=source)[0]
    return summary


def _check_worker(args):
    return check_assignment(*args)


def _stale_release(folder):
    """Whether ``folder`` (under notebooks/, with no source any more) holds only unedited released
    notebooks, so that removing it loses nothing."""
    files = [p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts]
    for path in files:
        if path.suffix != ".ipynb":
            return False
        try:
            nb = layout.read_notebook(path)
        except Exception:
            return False
        if nb.metadata.get("mlbasics", {}).get("release") != stamp(nb):
            return False
    return True


def release(assignment=None, root=None, run_stubs=True, jobs=2, out=print, edition=None):
    """Regenerate ``notebooks/`` from ``solutions/`` and check it (``edition``: an edition's
    release, ``notebooks-<edition>/``, from ``solutions/`` and its translations).

    Each assignment is generated and checked in a scratch folder first; only one whose checks all
    pass replaces its folder under ``notebooks/``, so a failed release leaves nothing behind.
    Notebooks a learner edited are moved aside to a named backup first (:func:`install`).
    """
    from mlbasics.course import edition as editions

    edition = editions.check_edition(edition)
    root = Path(root or layout.ROOT)
    names = layout.selected(assignment, root)
    if not names:
        out("No assignments yet: add solutions/<id>/<id>.ipynb (see solutions/README.md).")
        return []
    minimum = min_exercises(root)
    release_name = layout.release_dir(edition)
    release_root = root / release_name
    with tempfile.TemporaryDirectory(prefix="mlbasics-release-") as scratch:
        untranslated = {}
        if edition:
            source, dest = Path(scratch) / "source", Path(scratch) / "release"
            for name in names:
                try:
                    editions.write_source(name, edition, root, source)
                except editions.EditionError as err:
                    untranslated[name] = str(err)
            staged = {name: generate(name, root, dest=dest, source=source) for name in names
                      if name not in untranslated}
        else:
            staged = {name: generate(name, root, dest=scratch) for name in names}
        work = [(n, root, run_stubs, staged[n] / f"{n}.ipynb", minimum, edition) for n in names if n in staged]
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(names)))) as pool:
            summaries = list(pool.map(_check_worker, work))
        summaries += [Summary(n, problems=[why]) for n, why in untranslated.items()]
        summaries.sort(key=lambda s: names.index(s.assignment))
        good = [s.assignment for s in summaries if not s.problems]
        for name in good:
            install(name, staged[name], root, out=out, edition=edition)
    if not assignment and release_root.is_dir():
        for stale in sorted(release_root.iterdir()):
            if not stale.is_dir() or stale.name in names or stale.name.startswith("."):
                continue
            if _stale_release(stale):
                shutil.rmtree(stale)
                out(f"removed {stale.relative_to(root)} (no longer in solutions/)")
            else:
                out(f"left {stale.relative_to(root)} in place: it is not in solutions/ but holds files "
                    "that are not an unedited release (yours?)")
    failed = [s for s in summaries if s.problems]
    out(f"Released {len(good)} of {len(names)} assignment(s) to {release_name}/:")
    for s in summaries:
        out("  " + s.line())
        for problem in s.problems:
            out(f"      - {problem}")
    if failed:
        out(f"Not released, {release_name}/ unchanged for: {', '.join(s.assignment for s in failed)} "
            "(fix the problems listed above, then run the release again).")
    return summaries
