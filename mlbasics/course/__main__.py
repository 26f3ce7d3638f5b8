"""The course's commands: python -m mlbasics.course COMMAND (each make target runs one of them).

Every command works on one course, the folder of ``nbgrader_config.py`` (``MLBASICS_ROOT``, or the
checkout this package lives in), and returns the same codes:

- 0: done;
- 1: done, and something failed: an exercise, a release check, a submission, a known wrong answer;
- 2: could not start: a wrong argument or a set-up to fix (the message says what to do).
"""

import argparse
import sys
from dataclasses import dataclass, field


def _jobs(text):
    """``--jobs``, which ``make autograde`` fills from JOBS: a whole number of at least 1."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"JOBS (--jobs) must be a whole number of at least 1, got {text!r}: "
                                         "the number of notebooks graded at once, e.g. JOBS=4")
    return jobs


def _release(args, root):
    from mlbasics.course.release import release

    summaries = release(args.assignment, root, run_stubs=not args.no_run, edition=args.edition)
    return 1 if any(s.problems for s in summaries) else 0


def _check(args, root):
    from mlbasics.course.check import main

    return main(args.assignment, args.path, root, edition=args.edition)


def _autograde(args, root):
    from mlbasics.course.autograde import main

    outcomes = main(root, jobs=args.jobs, sandbox=args.sandbox == "on", timeout=args.timeout,
                    progress=not args.no_progress, scheduler=args.scheduler or None)
    # Non-zero when there was nothing to grade or a submission could not be graded.
    return 0 if outcomes and all(o.graded for o in outcomes) else 1


def _lab(args, root):
    from mlbasics.course.lab import main

    return main(args.role, args.port, root=root, edition=args.edition)


def _mutants(args, root):
    from mlbasics.course.mutation import main

    return main(args.assignment, root, edition=args.edition)


def _migrate(args, root):
    from mlbasics.course.gradebook import main

    return main(args.url, args.source, force=args.force, root=root)


def _report(args, root):
    from mlbasics.course.report import main

    return main(root)


def _collect(args, root):
    from mlbasics.course.lms import main_collect

    return main_collect(args.zip, roster=args.roster, lms=args.lms, replace=args.replace, root=root)


def _return(args, root):
    from mlbasics.course.lms import main_return

    return main_return(roster=args.roster, root=root)


def _translations(args, root):
    from mlbasics.course.edition import main

    return main(args.edition, args.assignment, root, update_files=not args.check_only, run=args.run_solutions)


def _execute(args, root):
    from mlbasics.course import layout
    from mlbasics.course.execute import execute_file

    for name in [args.assignment] if args.assignment else layout.assignments(root):
        path = layout.solution_path(name, root)
        execute_file(path, save=True, allow_errors=False)
        print(f"executed and saved {path.relative_to(root)}")
    return 0


@dataclass
class Command:
    name: str
    help: str
    run: object  # (args, root) -> exit code
    arguments: list = field(default_factory=list)  # (flags, add_argument keywords)


def arg(*flags, **options):
    return flags, options


ASSIGNMENT = arg("--assignment", help="only this assignment id")
EDITION = arg("--edition", help="an edition's code (ko: Korean); English by default")
COMMANDS = [
    Command("release", "regenerate notebooks/ from solutions/ and check the release", _release,
            [ASSIGNMENT, EDITION, arg("--no-run", action="store_true", help="skip running the released stubs")]),
    Command("check", "run a notebook's visible tests and print a table", _check,
            [arg("assignment"), arg("--path", help="a notebook other than notebooks/<id>/<id>.ipynb"), EDITION]),
    Command("autograde", "grade submitted/<student>/<id>/", _autograde, [
        arg("--jobs", type=_jobs, help="notebooks graded at once (default: number of cores)"),
        arg("--sandbox", choices=["on", "off"], default="on",
            help="run student code in bubblewrap (default on; off trusts every submission)"),
        arg("--timeout", type=int, help="seconds per cell (default: Execute.timeout in nbgrader_config.py)"),
        arg("--no-progress", action="store_true"),
        arg("--scheduler", help="a Dask scheduler's address (tcp://host:8786): run the notebooks on its workers")]),
    Command("lab", "JupyterLab on notebooks/ (or solutions/ with --role instructor)", _lab,
            [arg("--role", default="learner", help="learner (default) or instructor"), arg("--port", type=int),
             EDITION]),
    Command("mutants", "grade known wrong answers (solutions/<id>/mutants.py): each must lose points", _mutants,
            [ASSIGNMENT, EDITION]),
    Command("db-migrate-to", "copy the SQLite gradebook into PostgreSQL and verify the copy", _migrate, [
        arg("url", help="the target, postgresql+psycopg2://USER@HOST:PORT/DBNAME"),
        arg("--from", dest="source", help="the SQLite gradebook to copy (default: gradebook.db at the root)"),
        arg("--force", action="store_true", help="replace a target that already holds a gradebook with data")]),
    Command("report", "report/index.html: scores, exercises, misconceptions, problem submissions", _report),
    Command("collect", "place the notebooks of a Canvas or Moodle zip under submitted/", _collect, [
        arg("zip", help="the zip the LMS gave (download all submissions)"),
        arg("--roster", help="a CSV file: student_id, name, canvas_id, sis_user_id, sis_login_id, section"),
        arg("--lms", default="auto", help="canvas, moodle, auto (default) or nbgrader (its named_regexp)"),
        arg("--replace", action="store_true", help="replace a different existing submission (kept as a backup)")]),
    Command("return", "return/<student>.zip (feedback, graded notebooks) and a Canvas grade file", _return,
            [arg("--roster", help="the roster CSV file (gives the Canvas ID and SIS columns)")]),
    Command("translations", "update solutions/<id>/<edition>.po from the English notebooks and list what "
            "is missing, stale or off the glossary", _translations,
            [arg("edition", help="the edition's code, e.g. ko"), ASSIGNMENT,
             arg("--check-only", action="store_true", help="list the problems, change no file"),
             arg("--run", dest="run_solutions", action="store_true",
                 help="then run each complete translation's solution notebook")]),
    Command("execute", "run solution notebooks and store their outputs (for authors)", _execute, [ASSIGNMENT]),
]


def parser():
    top = argparse.ArgumentParser(prog="python -m mlbasics.course", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        for flags, options in command.arguments:
            p.add_argument(*flags, **options)
        p.set_defaults(run=command.run)
    return top


def main(argv=None):
    from mlbasics.course import layout

    args = parser().parse_args(argv)  # a wrong argument: argparse says so and exits with 2
    try:
        code = args.run(args, layout.ROOT)
    except SystemExit as stop:  # a set-up to fix: the message says what
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            return 2
        raise
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
