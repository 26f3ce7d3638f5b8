"""The grading engine: sandboxed, parallel autograding with nbgrader's own grading rules.

nbgrader grades one notebook after another and runs student code with the grader's rights. Here a
coordinator process does everything that touches the gradebook, and a pool of worker processes
executes submissions, each in its own sandboxed kernel (:mod:`mlbasics.course.sandbox`):

1. *prepare* (coordinator): read the submission, restore the locked cells and the grading metadata
   from the gradebook (nbgrader's sanitizing preprocessors: deleted or edited tests come back);
   scan the learner's cells for code that tampers with the checks;
2. *run* (worker): run the notebook in a fresh working copy inside the sandbox, with a
   per-cell timeout that interrupts the cell and goes on with the next; a test cell that could not
   run (the kernel died before it) is marked failed, never left blank (nbgrader would count a blank
   test cell as passed);
3. *save* (coordinator): nbgrader's autograde preprocessors score the executed notebook into the
   gradebook (one writer, so SQLite is safe), then the autograded notebook is written;
4. *feedback* (worker): nbgrader's feedback page, with hidden tests stripped.

Scores are nbgrader's, computed by its preprocessors from the same executed cells; only who runs
which step, and where, differs.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync

from mlbasics.course import layout
from mlbasics.course.checks import executed as executed_checks
from mlbasics.course.checks import submission as submission_checks
from mlbasics.course.sandbox import DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB

# ----------------------------------------------------------------------------------------------

@dataclass
class Job:
    student: str
    assignment: str
    notebook: str = ""  # the sanitized notebook, as JSON text
    folder: str = ""  # the submission folder, on the coordinator
    files: dict = field(default_factory=dict)  # the submission's other files, name -> bytes: jobs
    # carry everything they need, so a worker on another machine needs no shared filesystem
    problems: list = field(default_factory=list)
    tampering: list = field(default_factory=list)
    edition: str = None  # the submission's edition (None: English), from its notebook


@dataclass
class Executed:
    student: str
    assignment: str
    notebook: str  # executed notebook, JSON text
    problems: list
    seconds: float
    failure: str = ""  # why not every cell could run (the kernel died or did not start); empty if all ran


def _resources(config, student, assignment):
    return {"unique_key": assignment, "output_files_dir": f"{assignment}_files",
            "nbgrader": {"student": student, "assignment": assignment, "notebook": assignment,
                         "db_url": config.CourseDirectory.db_url}}


def _run_preprocessors(classes, nb, resources, config):
    # Called, not .preprocess()d: calling honours `enabled`, as nbconvert's exporter does
    # (ClearMetadataPreprocessor, for one, is disabled unless configured).
    for cls in classes:
        nb, resources = cls(config=config)(nb, resources)
    return nb, resources


GRADING_KEYS = ("grade", "solution", "locked", "task", "points", "grade_id")
"""The metadata that decides grading (the release adds checksums and the like, which do not)."""


def prepare(root, student, assignment, config, folder=None):
    """Sanitize one submission as nbgrader's autograde does; scan it for tampering. The notebook is
    ``submitted/<student>/<assignment>/<assignment>.ipynb``, or ``<assignment>.ipynb`` in ``folder``
    (the instructor's solution, for the pre-flight check)."""
    folder = Path(folder) if folder is not None else Path(root) / layout.SUBMITTED / student / assignment
    job = Job(student, assignment, folder=str(folder))
    job.files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix != ".ipynb"}
    nb = layout.read_notebook(folder / f"{assignment}.ipynb")
    from mlbasics.course import edition

    job.edition = edition.edition_of(nb)
    for cell in nb.cells:
        meta = layout.grading_meta(cell)
        if cell.cell_type == "code" and not meta.get("locked"):
            label = layout.grade_id(cell) or f"cell {nb.cells.index(cell) + 1}"
            job.tampering += [f"{label}, {r}" for r in submission_checks.tamper_reasons(cell.source)]
    job.problems += submission_checks.structure_changes(nb, root, assignment, job.edition)
    # Grading metadata the learner changed (points, grade flags) comes back from the source first;
    # nbgrader would otherwise refuse the notebook ("Inconsistent checksums").
    source = {layout.grade_id(c): c for c in layout.read_notebook(layout.solution_path(assignment, root)).cells
              if layout.grade_id(c)}
    for index, cell in enumerate(nb.cells):
        original = source.get(layout.grade_id(cell))
        if original is None:
            continue
        mine, theirs = cell.metadata.get("nbgrader") or {}, original.metadata["nbgrader"]
        if any(mine.get(k) != theirs.get(k) for k in GRADING_KEYS) or cell.cell_type != original.cell_type:
            job.problems.append(f"grading metadata of {layout.grade_id(cell)} was changed (restored)")
        if cell.cell_type != original.cell_type:
            make = nbformat.v4.new_code_cell if original.cell_type == "code" else nbformat.v4.new_markdown_cell
            cell = nb.cells[index] = make(cell.source, metadata=dict(cell.metadata), id=cell.get("id"))
        cell.metadata["nbgrader"] = dict(original.metadata["nbgrader"])
    nb, _ = _run_preprocessors(pipelines(config).sanitize, nb, _resources(config, student, assignment), config)
    for cell in nb.cells:  # a deleted cell that nbgrader put back comes without an id
        cell.setdefault("id", nbformat.v4.nbbase.random_cell_id())
    if job.edition:  # the gradebook holds the English cells: those restored go back into the edition's words
        nb = edition.restore_for_grading(nb, assignment, job.edition, root)
    job.notebook = nbformat.writes(nb)
    return job


STDERR_CHARS = 600
"""What the kernel process printed to its stderr that a failure report quotes (the end of it)."""


def _printed(stream):
    stream.seek(0)
    text = stream.read().decode(errors="replace").strip()
    return text if len(text) <= STDERR_CHARS else "..." + text[-STDERR_CHARS:]


@dataclass(frozen=True)
class Options:
    """How a submission's kernel runs: the one set of options every route to a kernel carries
    (a worker process of this machine, or a Dask worker)."""
    root: str  # the course being graded, hidden from the kernel by the sandbox
    timeout: int  # seconds per cell
    sandbox: bool = True
    memory_mb: int = DEFAULT_MEMORY_MB
    cpu_seconds: int = DEFAULT_CPU_SECONDS
    threads: int = 1  # BLAS threads for the kernel's matrix products


def run(job, options):
    """Run a prepared submission (``job``) in its own kernel as ``options`` say; return its
    :class:`Executed` notebook. Called in a worker process, or as a Dask task."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    from mlbasics.course import sandbox as sb

    start = time.perf_counter()
    nb = nbformat.reads(job.notebook, as_version=4)
    problems = []
    failure = ""
    # What the kernel process itself prints to stderr (a launcher's error, a crash) is kept for the
    # report, outside the sandbox's view.
    stderr = tempfile.TemporaryFile()
    # A kernel that is slow to stop may still be writing (IPython's history) while the folder is
    # removed: that must not fail a graded notebook.
    with tempfile.TemporaryDirectory(prefix=f"grade-{job.student}-", ignore_cleanup_errors=True) as work:
        for name, data in job.files.items():  # data files the notebook may read
            (Path(work) / name).write_bytes(data)
        km = sb.kernel_manager(work, root=options.root, sandbox=options.sandbox, memory_mb=options.memory_mb,
                               cpu_seconds=options.cpu_seconds, threads=options.threads)
        client = NotebookClient(nb, km=km, timeout=options.timeout, allow_errors=True, interrupt_on_timeout=True,
                                record_timing=False, resources={"metadata": {"path": work}},
                                shutdown_kernel="immediate")
        try:
            # The kernel's own environment, not os.environ: a Dask worker runs several of these at once.
            # What the kernel process itself prints (not the cells' output, which comes as
            # messages) is its connection banner: the grader's terminal is for the progress bar.
            # cleanup_kc: stop the kernel when the notebook is done (nbclient leaves a kernel it did
            # not start running, and a worker grades hundreds of notebooks).
            client.execute(env=dict(os.environ, NBGRADER_EXECUTION="autograde"), stdout=subprocess.DEVNULL,
                           stderr=stderr, cleanup_kc=True)
        except DeadKernelError:
            failure = "the kernel died (the notebook ended its own process, or ran out of memory)"
        except Exception as err:  # anything else the kernel does must not stop the class
            failure = f"execution stopped: {type(err).__name__}: {str(err)[:120]}"
        finally:
            atexit.unregister(client._cleanup_kernel)  # registered by nbclient; it holds the notebook
            if km.has_kernel:  # not stopped by nbclient: the kernel died, or never got going
                run_sync(km.provisioner.kill)()  # its process group, sandbox included
                run_sync(km.provisioner.wait)()
            sb.cleanup(km)
            if failure:
                printed = _printed(stderr)
                failure += f"; the kernel printed: {printed}" if printed else ""
                problems.append(failure)
            stderr.close()
    answer_failed = False  # did the last answer cell fail? (then its tests' NameErrors say nothing new)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for out in outputs:
            if out.get("output_type") == "error" and out.get("ename") == "KeyboardInterrupt":
                label = layout.grade_id(cell) or f"cell {index + 1}"
                problems.append(f"{label} ran longer than {options.timeout} s and was stopped")
                out["evalue"] = f"stopped after {options.timeout} s: the cell took too long (an endless loop?)"
        if layout.is_solution(cell):
            answer_failed = any(o.get("output_type") == "error" for o in outputs)
        problems += executed_checks.cell_problems(cell, index, outputs, answer_failed)
        if layout.is_graded_test(cell) and cell.get("execution_count") is None and not any(
                o.get("output_type") == "error" for o in outputs):
            cell["outputs"] = [nbformat.v4.new_output(
                "error", ename="NotRun", evalue="this test did not run: the kernel died in an earlier cell",
                traceback=["NotRun: this test did not run: the kernel died in an earlier cell"])]
    problems = list(dict.fromkeys(problems))  # each reason once, in notebook order
    return Executed(job.student, job.assignment, nbformat.writes(nb), problems, time.perf_counter() - start,
                    failure)


@dataclass
class Pipelines:
    """nbgrader's autograde pipelines, as the course's configuration sets them, cut where this
    engine does a step itself: ``sanitize`` runs in :func:`prepare`; nbgrader's ``Execute`` is
    replaced by the sandboxed :func:`run`; ``before_scoring`` and ``scoring`` run in :func:`save`
    (the pre-flight check scores after ``before_scoring``)."""
    sanitize: list
    before_scoring: list
    scoring: list


def pipelines(config):
    """``Autograde.sanitize_preprocessors`` and ``Autograde.autograde_preprocessors`` from
    ``config`` (nbgrader's defaults where it sets none), as :class:`Pipelines`."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, SaveAutoGrades
    from traitlets.utils.importstring import import_item

    def configured(name):
        value = config.Autograde.get(name) if "Autograde" in config else None
        classes = list(value) if value is not None else list(Autograde.class_traits()[name].default())
        return [import_item(c) if isinstance(c, str) else c for c in classes]

    sanitize, autograde = configured("sanitize_preprocessors"), configured("autograde_preprocessors")
    if Execute not in autograde or SaveAutoGrades not in autograde:
        raise SystemExit("c.Autograde.autograde_preprocessors in nbgrader_config.py must include nbgrader's "
                         "Execute and SaveAutoGrades: the course runs each notebook in its sandbox where Execute "
                         f"stands, and scores it with SaveAutoGrades (got {[c.__name__ for c in autograde]})")
    after = autograde[autograde.index(Execute) + 1:]
    if SaveAutoGrades not in after:
        raise SystemExit("c.Autograde.autograde_preprocessors: SaveAutoGrades must come after Execute")
    cut = after.index(SaveAutoGrades)
    return Pipelines(sanitize, after[:cut], after[cut:])


def as_scored(executed, config):
    """The executed notebook as grading scores it: after the same preprocessors as :func:`save`,
    without writing anything (the pre-flight check scores the instructor's solution with it)."""
    nb = nbformat.reads(executed.notebook, as_version=4)
    nb, _ = _run_preprocessors(pipelines(config).before_scoring, nb,
                               _resources(config, executed.student, executed.assignment), config)
    return nb


def save(root, job, executed, config):
    """Score the executed notebook into the gradebook and write ``autograded/`` (coordinator only)."""
    from nbgrader.api import Gradebook, InvalidEntry

    folder = Path(job.folder)
    timestamp = None
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        timestamp = stamp.read_text().strip() or None
        if timestamp:  # nbgrader's reading of it; a time it cannot read must not pass for "on time"
            from nbgrader.utils import parse_utc

            try:
                parse_utc(timestamp)
            except (ValueError, OverflowError):
                raise ValueError(f"timestamp.txt holds {timestamp[:60]!r}, not a date and time "
                                 "(e.g. 2026-11-30 17:00:00 UTC)") from None
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for attempt in range(3):  # another grader on the same database may create the same rows at once
            try:
                gb.update_or_create_student(job.student)
                with warnings.catch_warnings():
                    # nbgrader builds a submission's rows before adding it to the session, which
                    # SQLAlchemy 2 reports as a warning; the rows are added with the submission.
                    warnings.filterwarnings("ignore", message=".* not in session, add operation along")
                    if timestamp:
                        gb.update_or_create_submission(job.assignment, job.student, timestamp=timestamp)
                    else:
                        gb.update_or_create_submission(job.assignment, job.student)
                break
            except InvalidEntry:
                gb.db.rollback()
                if attempt == 2:
                    raise
    nb = nbformat.reads(executed.notebook, as_version=4)
    steps = pipelines(config)
    nb, _ = _run_preprocessors(steps.before_scoring + steps.scoring, nb, _resources(config, job.student, job.assignment),
                               config)
    if job.tampering:
        with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
            sub = gb.find_submission(job.assignment, job.student)
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    grade.manual_score = 0
                for comment in notebook.comments:
                    comment.manual_comment = "Scored zero: the notebook changes the grading checks."
            gb.db.commit()
    dest = Path(root) / layout.AUTOGRADED / job.student / job.assignment
    dest.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        if item.is_file() and item.suffix != ".ipynb":
            shutil.copy(item, dest / item.name)
    tmp = dest / f".{job.assignment}.ipynb.tmp"
    nbformat.write(nb, str(tmp))
    tmp.replace(dest / f"{job.assignment}.ipynb")  # never a half-written autograded notebook
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        sub = gb.find_submission(job.assignment, job.student)
        return float(sub.score), float(sub.max_score)


def feedback(root, student, assignment):
    """nbgrader's feedback page for one graded submission (hidden tests stripped by the config)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = layout.nbgrader_config(root)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_feedback(assignment, student, force=True)
    return None if result["success"] else "feedback could not be generated"
