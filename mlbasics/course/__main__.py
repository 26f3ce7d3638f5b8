"""The course's commands: python -m mlbasics.course COMMAND (each make target runs one of them)."""

import argparse
import sys


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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mlbasics.course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="regenerate notebooks/ from solutions/ and check the release")
    p.add_argument("--assignment", help="only this assignment id")
    p.add_argument("--no-run", action="store_true", help="skip running the released stubs")

    p = sub.add_parser("check", help="run a notebook's visible tests and print a table")
    p.add_argument("assignment")
    p.add_argument("--path", help="a notebook other than notebooks/<id>/<id>.ipynb")

    p = sub.add_parser("autograde", help="grade submitted/<student>/<id>/")
    p.add_argument("--jobs", type=_jobs, help="notebooks graded at once (default: number of cores)")
    p.add_argument("--sandbox", choices=["on", "off"], default="on",
                   help="run student code in bubblewrap (default on; off trusts every submission)")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: Execute.timeout in nbgrader_config.py)")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--scheduler", help="a Dask scheduler's address (tcp://host:8786): run the notebooks on its workers")

    p = sub.add_parser("lab", help="JupyterLab on notebooks/ (or solutions/ with --role instructor)")
    p.add_argument("--role", default="learner", help="learner (default) or instructor")
    p.add_argument("--port", type=int)

    p = sub.add_parser("mutants", help="grade known wrong answers (solutions/<id>/mutants.py): each must lose points")
    p.add_argument("--assignment")

    p = sub.add_parser("db-migrate-to", help="copy the SQLite gradebook into PostgreSQL and verify the copy")
    p.add_argument("url", help="the target, postgresql+psycopg2://USER@HOST:PORT/DBNAME")
    p.add_argument("--from", dest="source", help="the SQLite gradebook to copy (default: gradebook.db at the root)")
    p.add_argument("--force", action="store_true", help="replace a target that already holds a gradebook with data")

    p = sub.add_parser("report", help="report/index.html: scores, exercises, misconceptions, problem submissions")

    p = sub.add_parser("collect", help="place the notebooks of a Canvas or Moodle zip under submitted/")
    p.add_argument("zip", help="the zip the LMS gave (download all submissions)")
    p.add_argument("--roster", help="a CSV file: student_id, name, canvas_id, sis_user_id, sis_login_id, section")
    p.add_argument("--lms", default="auto", help="canvas, moodle, auto (default) or nbgrader (its named_regexp)")
    p.add_argument("--replace", action="store_true", help="replace a different existing submission (kept as a backup)")

    p = sub.add_parser("return", help="return/<student>.zip (feedback, graded notebooks) and a Canvas grade file")
    p.add_argument("--roster", help="the roster CSV file (gives the Canvas ID and SIS columns)")

    p = sub.add_parser("execute", help="run solution notebooks and store their outputs (for authors)")
    p.add_argument("--assignment")

    args = parser.parse_args(argv)
    if args.command == "release":
        from mlbasics.course.release import release

        summaries = release(args.assignment, run_stubs=not args.no_run)
        return 1 if any(s.problems for s in summaries) else 0
    if args.command == "check":
        from mlbasics.course.check import main as check

        return check(args.assignment, args.path)
    if args.command == "autograde":
        from mlbasics.course.autograde import main as autograde

        outcomes = autograde(jobs=args.jobs, sandbox=args.sandbox == "on", timeout=args.timeout,
                             progress=not args.no_progress, scheduler=args.scheduler or None)
        # Non-zero when there was nothing to grade or a submission could not be graded.
        return 0 if outcomes and all(o.graded for o in outcomes) else 1
    if args.command == "lab":
        from mlbasics.course.lab import main as lab

        return lab(args.role, args.port)
    if args.command == "mutants":
        from mlbasics.course.mutation import main as mutants

        return mutants(args.assignment)
    if args.command == "db-migrate-to":
        from mlbasics.course.gradebook import main as migrate

        from mlbasics.course import layout

        return migrate(args.url, args.source, force=args.force, root=layout.ROOT)
    if args.command == "report":
        from mlbasics.course.report import main as report

        return report()
    if args.command == "collect":
        from mlbasics.course.lms import main_collect

        return main_collect(args.zip, roster=args.roster, lms=args.lms, replace=args.replace)
    if args.command == "return":
        from mlbasics.course.lms import main_return

        return main_return(roster=args.roster)
    if args.command == "execute":
        from mlbasics.course import layout
        from mlbasics.course.execute import execute_file

        for name in [args.assignment] if args.assignment else layout.assignments():
            execute_file(layout.solution_path(name), save=True, allow_errors=False)
            print(f"executed and saved {layout.solution_path(name).relative_to(layout.ROOT)}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
