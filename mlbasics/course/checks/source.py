"""Checks of a source notebook before it is released (`make release`): the structure every course
notebook follows, and solution or hidden-test lines that must not reach the release."""

import re

from mlbasics.course import layout

SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


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
