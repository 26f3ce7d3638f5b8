"""``make autograde``: grade every submission under ``submitted/<student>/<id>/``.

Writes ``autograded/``, feedback pages under ``feedback/<student>/<id>/`` and ``grades.csv``.
A bad submission (unreadable notebook, missing notebook, a crash, a timeout) is reported by
name with a plain reason and never stops the others.

Before any grade is written, the instructor's own solution of every assignment that has submissions
is graded the same way (the pre-flight check; it runs first, the submissions beside it): a set-up
that does not give it full marks would give every learner wrong grades, so grading stops there.
"""

import csv
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


from mlbasics.course import layout
from mlbasics.course.checks import submission as submission_checks


@dataclass
class Outcome:
    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    problems: list = field(default_factory=list)
    graded: bool = False  # every cell ran and the score is in the gradebook (problems may still be noted)


PREFLIGHT = "_preflight"
"""The student id the instructor's solution runs under in the pre-flight check. It never reaches
the gradebook, ``grades.csv``, ``autograded/`` or ``feedback/``."""


def find_submissions(root):
    """``(student, assignment)`` pairs for every folder ``submitted/<student>/<assignment>/``."""
    base = Path(root) / layout.SUBMITTED
    if not base.is_dir():
        return []
    return sorted(
        (s.name, a.name) for s in base.iterdir() if s.is_dir() for a in s.iterdir() if a.is_dir()
    )


def _api(root):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = layout.nbgrader_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config), config


def register_assignment(root, assignment):
    """Make sure the gradebook knows the assignment's grade cells (generated into a scratch folder,
    so the committed release is never touched). Graders starting at once on one PostgreSQL
    gradebook take turns here: one registers, the others then find the assignment."""
    from nbgrader.api import Gradebook

    from mlbasics.course import gradebook

    _, config = _api(root)
    url = config.CourseDirectory.db_url
    with gradebook.lock(url, "register"):
        gradebook.create(url)  # the course nbgrader's preprocessors use, created here rather than in a race
        Gradebook(url).close()
        _register(root, assignment)


def _register(root, assignment):
    from nbgrader.api import Gradebook, MissingEntry

    _, config = _api(root)
    with Gradebook(config.CourseDirectory.db_url, "mlbasics") as gb:
        try:
            # An assignment given a due date before its first grading (nbgrader db assignment add)
            # has no notebooks yet: it is registered here all the same.
            if gb.find_assignment(assignment).notebooks:
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


def write_grades(root, outcomes, max_scores):
    from mlbasics.course import report

    path = Path(root) / "grades.csv"
    tmp = path.with_suffix(".csv.tmp")
    # student_id, assignment, score (less any late penalty), max_score, problems, then late_penalty and
    # the points of each exercise; grades-long.csv beside it (mlbasics.course.report)
    header, rows = report.grade_rows(root, outcomes, max_scores)
    with tmp.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)  # never a half-written grades.csv
    return path


def assignment_points(root, assignment):
    nb = layout.read_notebook(layout.solution_path(assignment, root))
    return sum(layout.points(c) for c in nb.cells if layout.grading_meta(c).get("grade"))


def solution_problem(root, job, executed, config):
    """Why the instructor's solution, graded as a submission (``job``, run as ``executed``), does
    not get full marks; None when it does. Scores are nbgrader's own, as its SaveAutoGrades takes
    them, from the notebook as grading would save it."""
    from nbgrader.utils import determine_grade, is_grade

    from mlbasics.course import engine

    where = layout.solution_path(job.assignment, root).relative_to(root)
    if job.tampering:
        return (f"{job.assignment}: {where} would be scored zero as changing the grading checks "
                f"({'; '.join(job.tampering[:3])})")
    if executed.failure:
        return f"{job.assignment}: {where} could not be run: {executed.failure}"
    nb = engine.as_scored(executed, config)
    got = total = 0.0
    first = None
    for cell in nb.cells:
        if not is_grade(cell):
            continue
        score, max_score = determine_grade(cell)
        if score is None:  # graded by hand
            continue
        got, total = got + score, total + max_score
        if score < max_score and first is None:
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                why = f"{errors[0].get('ename')}: {str(errors[0].get('evalue', ''))[:300]}"
            else:
                printed = "".join(o.get("text", "") for o in cell.get("outputs", [])
                                  if o.get("output_type") == "stream" and o.get("name") == "stderr")
                why = f"printed to stderr: {printed.strip()[:300]}" if printed else f"{score:g} of {max_score:g} points"
            first = f"{layout.grade_id(cell)}: {why}"
    if got < total:
        return f"{job.assignment}: {where} scores {got:g} of {total:g}; the first failing cell is {first}"
    return None


def _preflight_editions(root, submissions, assignments):
    """``(assignment, edition)`` for each assignment being graded, English first, then each other
    edition that one of its submissions is in (None is English)."""
    from mlbasics.course import edition

    found = {(a, None) for a in assignments}
    for student, assignment in submissions:
        if assignment not in assignments:
            continue
        path = Path(root) / layout.SUBMITTED / student / assignment / f"{assignment}.ipynb"
        try:
            code = edition.edition_of(layout.read_notebook(path))
        except Exception:  # unreadable: its own problem, reported when it is prepared
            continue
        if code:
            found.add((assignment, code))
    return sorted(found, key=lambda pair: (pair[0], pair[1] or ""))


def _feedback_worker(args):
    from mlbasics.course import engine

    root, student, assignment = args
    return student, assignment, engine.feedback(root, student, assignment)


def _preload():
    """Import what the workers run (a kernel client, nbgrader's feedback exporter) once, here, and find
    matplotlib's font list the kernels start from: the workers are forked from this process and
    start with it, instead of each doing it again."""
    import nbclient  # noqa: F401
    from nbgrader.apps import NbGraderAPI  # noqa: F401
    from nbgrader.converters import GenerateFeedback  # noqa: F401

    from mlbasics.course import feedback, sandbox  # noqa: F401

    sandbox.font_list()


def main(root=None, jobs=None, out=print, *, sandbox=True, timeout=None, memory_mb=None, cpu_seconds=None,
         progress=True, scheduler=None):
    """Grade every submission under ``submitted/``: ``jobs`` at a time, each in a sandboxed kernel.

    With ``scheduler`` (a Dask scheduler's address, e.g. ``tcp://host:8786``) the notebooks run on
    that cluster's workers instead (:mod:`mlbasics.course.cluster`); this process still writes the
    gradebook, ``autograded/`` and the feedback (``jobs`` at a time).

    Returns the list of :class:`Outcome`, one per submission folder found, in a stable order
    (empty when there is nothing to grade). Raises SystemExit, before any grade is written, when
    the instructor's solution of an assignment does not get full marks (the pre-flight check).
    """
    from concurrent.futures import ProcessPoolExecutor

    from mlbasics.fast import _blocks
    from mlbasics.course import sandbox as sb

    root = Path(root or layout.ROOT)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise SystemExit(f"JOBS must be a whole number of at least 1, got {jobs!r}")
    if sandbox and not scheduler and not sb.available():
        raise SystemExit(sb.install_hint())
    known = layout.assignments(root)
    submissions = find_submissions(root)
    if not submissions:
        base = root / layout.SUBMITTED
        out(f"Nothing to grade: no submissions under {base}. Put each one at "
            f"{base}/<student>/<assignment>/<assignment>.ipynb, then run `make autograde` again.")
        return []
    config = layout.nbgrader_config(root)
    # Kernels share this machine's cores: each one's matrix products get its share. (On a cluster
    # a worker's cores are its own business: one thread per notebook.)
    cores = _blocks.THREADS  # the CPUs this process may run on
    from mlbasics.course import engine

    options = engine.Options(root=str(root), timeout=timeout or config.Execute.timeout, sandbox=sandbox,
                             memory_mb=memory_mb or sb.DEFAULT_MEMORY_MB,
                             cpu_seconds=cpu_seconds or sb.DEFAULT_CPU_SECONDS,
                             threads=1 if scheduler else max(1, cores // jobs))
    _preload()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        client = None
        if scheduler:
            from mlbasics.course import cluster

            # Every pool process is forked now, before the Dask client starts its threads (a fork
            # beside running threads can deadlock); then the cluster is checked, before any work.
            list(pool.map(abs, range(jobs)))
            client = cluster.connect(scheduler, sandbox=sandbox)
        try:
            return _grade(root, jobs, out, options, config, known, submissions, progress, pool, client, scheduler)
        finally:
            if client is not None:
                client.close()


def _prepared(root, outcome, known, config):
    """The submission's job, ready to run; None (its problems in ``outcome``) if it cannot be graded."""
    from mlbasics.course import engine

    outcome.problems = submission_checks.inspect_submission(root, outcome.student, outcome.assignment, known)
    if outcome.problems:
        return None
    try:
        job = engine.prepare(root, outcome.student, outcome.assignment, config)
    except Exception as err:
        outcome.problems.append(f"could not be prepared for grading: {type(err).__name__}: {err}")
        return None
    outcome.problems += job.problems
    if job.tampering:
        outcome.problems.append("changes the grading checks, scored zero (" + "; ".join(job.tampering[:3]) + ")")
    return job


def _cancel(futures, client):
    """Drop the submissions' runs: those not started never start; a running one's result is never read."""
    if client is not None:
        client.cancel(list(futures))
    else:
        for future in futures:
            future.cancel()


def _grade(root, jobs, out, options, config, known, submissions, progress, pool, client, scheduler):
    from concurrent.futures import as_completed

    from tqdm.auto import tqdm

    from mlbasics.course import engine

    assignments = sorted({a for _, a in submissions if a in known})
    for assignment in assignments:
        register_assignment(root, assignment)

    if client is not None:
        from mlbasics.course import cluster

        def send(job):
            return cluster.submit(client, job, options)
    else:
        def send(job):
            return pool.submit(engine.run, job, options)

    def completing(futures):
        return cluster.as_completed(client, futures) if client is not None else as_completed(futures)

    # The pre-flight check: each assignment's solution goes to the workers first, through the same
    # sandbox and options. The submissions follow as they are prepared, so that no worker waits for
    # its verdict: running a notebook writes nothing, and results are saved only once every solution
    # got full marks (otherwise the runs still queued are cancelled).
    # An edition's submissions (a class may mix them) are checked against that edition's solution too.
    checks, unfit = {}, []
    scratch = tempfile.TemporaryDirectory(prefix="mlbasics-preflight-")
    for assignment, edition in _preflight_editions(root, submissions, assignments):
        label = assignment if edition is None else f"{assignment} ({edition} edition)"
        try:
            if edition is None:
                folder = layout.solution_path(assignment, root).parent
            else:
                from mlbasics.course import edition as editions

                folder = editions.write_source(assignment, edition, root, Path(scratch.name) / edition).parent
            job = engine.prepare(root, PREFLIGHT, assignment, config, folder=folder)
        except Exception as err:
            unfit.append(f"{label}: the solution could not be prepared for grading: {type(err).__name__}: {err}")
            continue
        checks[send(job)] = job
    bar = tqdm(total=len(submissions), desc="grading", unit="nb", disable=not progress, dynamic_ncols=True)
    failures = 0
    outcomes = {}
    running = {}
    for student, assignment in submissions:
        outcome = outcomes[(student, assignment)] = Outcome(student, assignment)
        job = _prepared(root, outcome, known, config)
        if job is not None:
            running[send(job)] = job
        else:  # not gradable: counted as done, with its problem
            failures += 1
            bar.update(1)
    for future in completing(checks):
        job = checks[future]
        try:
            problem = solution_problem(root, job, future.result(), config)
        except Exception as err:
            problem = f"{job.assignment}: the solution could not be run: {type(err).__name__}: {str(err)[:300]}"
        if problem:
            unfit.append(problem if job.edition is None else problem.replace(
                f"{job.assignment}: ", f"{job.assignment} ({job.edition} edition): ", 1))
    scratch.cleanup()
    if unfit:
        bar.close()
        _cancel(running, client)
        unfit.sort()
        raise SystemExit(
            "Nothing was graded. The pre-flight check grades the instructor's solution of each assignment the way "
            "submissions are graded, and it did not get full marks, so no learner's grade could be trusted:\n  "
            + "\n  ".join(unfit)
            + f"\nFix the solution (`make execute ASSIGNMENT={unfit[0].split(':')[0]}` runs it) or the grading "
            "set-up, then run `make autograde` again.")
    completed = completing(running)
    feedback = []
    for future in completed:  # each submission's result once, whichever worker ran it
        job = running.pop(future)
        outcome = outcomes[(job.student, job.assignment)]
        try:
            executed = future.result()
            outcome.problems += executed.problems
            outcome.score, outcome.max_score = engine.save(root, job, executed, config)
            outcome.graded = not executed.failure  # saved either way: the cells that ran count
            feedback.append(pool.submit(_feedback_worker, (str(root), job.student, job.assignment)))
        except Exception as err:  # one broken submission must not stop the class
            outcome.problems.append(f"grading failed: {type(err).__name__}: {str(err)[:200]}")
        failures += bool(outcome.problems)
        bar.update(1)
        bar.set_postfix_str(f"{job.student}/{job.assignment}, {failures} with problems")
    for future in as_completed(feedback):
        student, assignment, problem = future.result()
        if problem:
            outcomes[(student, assignment)].problems.append(problem)
    bar.close()

    ordered = [outcomes[key] for key in submissions]
    max_scores = {a: assignment_points(root, a) for a in known}
    path = write_grades(root, ordered, max_scores)
    if client is not None:
        from mlbasics.course import cluster

        where = f"through the Dask cluster at {scheduler} ({cluster.workers(client)} worker(s))"
    else:
        where = f"with {jobs} worker(s)"
    ungraded = [o for o in ordered if not o.graded]
    if assignments:
        out(f"Pre-flight check passed: the instructor's solution gets full marks in {len(assignments)} "
            "assignment(s).")
    out(f"Graded {len(ordered) - len(ungraded)} of {len(ordered)} submission(s) {where}"
        f"{'' if options.sandbox else ' WITHOUT a sandbox'}; grades in {path.name}, feedback in {layout.FEEDBACK}/"
        f"{f'; {len(ungraded)} could not be graded:' if ungraded else '.'}")
    for o in ungraded:
        kept = (f"; {path.name} keeps the {o.score:g} of {o.max_score:g} points of the cells that ran"
                if o.max_score else "")
        out(f"  {o.student}/{o.assignment}: {'; '.join(o.problems)}{kept}")
    noted = [o for o in ordered if o.graded and o.problems]
    if noted:
        out(f"{len(noted)} graded submission(s) need a look:")
        for o in noted:
            out(f"  {o.student}/{o.assignment}: {'; '.join(o.problems)}")
    return ordered
