"""``make release``: regenerate ``notebooks/`` from ``solutions/`` and check what learners get."""

import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from mlbasics.course import layout
from mlbasics.course.execute import error_of, execute

SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


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


def generate(assignment, root=None):
    """Write ``notebooks/<id>/`` from ``solutions/<id>/`` with nbgrader, without touching the gradebook."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root = root or layout.ROOT
    config = layout.nbgrader_config(root)
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False
    config.GenerateAssignment.create_assignment = False
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.generate_assignment(assignment, force=True, create=False)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")


def private_lines(source_nb):
    """Lines that occur only inside solution or hidden-test blocks of the source notebook."""
    private, public = set(), set()
    for cell in source_nb.cells:
        text = cell.source
        blocks = SOLUTION_BLOCK.findall(text) + HIDDEN_BLOCK.findall(text)
        for block in blocks:
            private.update(line.strip() for line in block.splitlines())
        rest = HIDDEN_BLOCK.sub("", SOLUTION_BLOCK.sub("", text))
        public.update(line.strip() for line in rest.splitlines())
    return {line for line in private - public if len(line) > 3 and not line.startswith("#")}


def leaks(source_nb, released_text):
    """Private lines of ``source_nb`` that appear in ``released_text``."""
    present = {line.strip() for line in released_text.splitlines()}
    return sorted(private_lines(source_nb) & present)


REQUIRED_SECTIONS = [
    ("learning objectives", r"^#+ .*learning objectives"),
    ("prerequisites and time", r"^#+ .*prerequisites"),
    ("a 'What just happened' discussion", r"^#+ .*what just happened"),
    ("a summary", r"^#+ .*summary"),
    ("further reading", r"^#+ .*further reading"),
]


def structure_problems(source_nb, min_exercises=3):
    """What the source notebook lacks of the structure every course notebook follows."""
    problems = []
    cells = source_nb.cells
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.lstrip().startswith("# "):
        problems.append("the first cell must be a markdown title ('# ...')")
    for name, pattern in REQUIRED_SECTIONS:
        if not any(re.search(pattern, text, re.I | re.M) for text in markdown):
            problems.append(f"missing section: {name}")
    summary = next((t for t in markdown if re.search(r"^#+ .*summary", t, re.I | re.M)), "")
    if summary and not re.search(r"\bC\d+\b", summary):
        problems.append("the summary must list the outline claims it covers (C1, C2, ...)")
    code = [c for c in cells if c.cell_type == "code"]
    if not code or "import" not in code[0].source:
        problems.append("the first code cell must be the setup cell (imports)")
    tests = [c for c in cells if layout.is_graded_test(c)]
    solutions = [c for c in cells if layout.is_solution(c) and c.cell_type == "code"]
    if len(tests) < min_exercises:
        problems.append(f"needs at least {min_exercises} graded test cells, has {len(tests)}")
    if len(solutions) < min_exercises:
        problems.append(f"needs at least {min_exercises} solution cells, has {len(solutions)}")
    for cell in tests:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if not re.match(r"^[rubf]*(\"\"\"|'''|\"|')", first):
            problems.append(f"test cell {layout.grade_id(cell)} must open with a one-line string saying what it checks")
        if "### BEGIN HIDDEN TESTS" not in cell.source:
            problems.append(f"test cell {layout.grade_id(cell)} has no hidden tests")
        if layout.points(cell) <= 0:
            problems.append(f"test cell {layout.grade_id(cell)} has no points")
    for cell in solutions:
        if "### BEGIN SOLUTION" not in cell.source:
            problems.append(f"solution cell {layout.grade_id(cell)} has no '### BEGIN SOLUTION' block")
    ids = [layout.grade_id(c) for c in cells if layout.grading_meta(c)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate grade ids: {', '.join(duplicates)}")
    return problems


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


def check_assignment(assignment, root=None, run_stubs=True):
    root = root or layout.ROOT
    source = layout.read_notebook(layout.solution_path(assignment, root))
    released_path = layout.release_path(assignment, root)
    released = layout.read_notebook(released_path)
    summary = Summary(assignment)
    tests = [c for c in source.cells if layout.is_graded_test(c)]
    summary.exercises = len(tests)
    summary.points = sum(layout.points(c) for c in tests)
    summary.hidden_tests = sum(1 for c in tests if "### BEGIN HIDDEN TESTS" in c.source)
    summary.problems += structure_problems(source)
    leaked = leaks(source, released_path.read_text())
    summary.problems += [f"solution or hidden-test line leaked into the release: {line!r}" for line in leaked]
    if run_stubs:
        summary.problems += stub_problems(released, released_path.parent)
    return summary


def _check_worker(args):
    assignment, root, run_stubs = args
    return check_assignment(assignment, root, run_stubs)


def release(assignment=None, root=None, run_stubs=True, jobs=2, out=print):
    root = root or layout.ROOT
    names = layout.assignments(root)
    if assignment:
        if assignment not in names:
            raise SystemExit(f"no assignment {assignment!r}: expected one of {', '.join(names) or '(none)'}")
        names = [assignment]
    if not names:
        out("No assignments yet: add solutions/<id>/<id>.ipynb (see solutions/README.md).")
        return []
    release_root = root / layout.RELEASE
    if not assignment and release_root.is_dir():
        for stale in release_root.iterdir():
            if stale.is_dir() and stale.name not in names:
                shutil.rmtree(stale)
                out(f"removed {stale.relative_to(root)} (no longer in solutions/)")
    for name in names:
        generate(name, root)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(names)))) as pool:
        summaries = list(pool.map(_check_worker, [(n, root, run_stubs) for n in names]))
    out(f"Released {len(names)} assignment(s) to {layout.RELEASE}/:")
    for s in summaries:
        out("  " + s.line())
        for problem in s.problems:
            out(f"      - {problem}")
    return summaries
