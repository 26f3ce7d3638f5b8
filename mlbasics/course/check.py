"""``make check NB=<id>``: run a learner's notebook and report each exercise, with nbgrader's
validator as the engine."""

import re
import shutil
import tempfile
from pathlib import Path

from mlbasics.course import layout

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def first_lines(error_text, hint=True):
    """The learner-facing part of an error: its last line's first line, and a Hint line if any."""
    text = ANSI.sub("", error_text or "").strip()
    lines = text.splitlines()
    # The exception line ("CheckFailed: ...") follows the traceback; find the last one that names an error.
    start = next((i for i in range(len(lines) - 1, -1, -1) if re.match(r"^[A-Za-z_.]+(Error|Failed|Exception|Used|Exit)\b", lines[i])), 0)
    head = lines[start] if lines else ""
    if head.startswith("NotImplementedError"):
        head = "not answered yet: replace `raise NotImplementedError()` in the exercise cell with your code"
    elif head.startswith("NameError"):
        head += " (run the exercise cell above this test first)"
    extra = [ln.strip() for ln in lines[start + 1:] if ln.strip().startswith("Hint:")] if hint else []
    return [head] + extra


def check_notebook(path, root=None):
    """Execute ``path`` like nbgrader validate does; return (rows, changed) where rows are
    ``(grade_id, score, max_score, error_lines)`` for every graded test cell."""
    from nbgrader import utils
    from nbgrader.validator import Validator

    path = Path(path).resolve()
    config = layout.nbgrader_config(root)
    validator = Validator(config=config)
    # Run a copy, next to the original, so the learner's file is never modified.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".check-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        nb = layout.read_notebook(copy)
        with utils.chdir(str(path.parent)):
            nb = validator._preprocess(nb)
        changed = validator._get_changed_cells(nb)
    rows = []
    for cell in nb.cells:
        if not layout.is_graded_test(cell):
            continue
        score, max_score = utils.determine_grade(cell, validator.log)
        error = validator._extract_error(cell) if score < max_score else ""
        rows.append((layout.grade_id(cell), score, max_score, first_lines(error) if error else []))
    return rows, changed


def format_table(assignment, rows, changed=()):
    passed = sum(1 for r in rows if r[1] >= r[2])
    got = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    width = max([len("exercise")] + [len(r[0]) for r in rows])
    out = [f"{assignment}: {passed} of {len(rows)} exercises pass ({got:g} of {total:g} points)", ""]
    out.append(f"  {'exercise':<{width}}  points  result")
    out.append(f"  {'-' * width}  ------  ------")
    for gid, score, max_score, error in rows:
        result = "passed" if score >= max_score else "FAILED"
        out.append(f"  {gid:<{width}}  {score:>2g}/{max_score:<3g}  {result}")
        for line in error:
            out.append(f"  {'':<{width}}          {line[:160]}")
    if changed:
        out.append("")
        out.append(f"  Note: {len(changed)} test cell(s) were edited; grading uses the original tests.")
    if rows and passed == len(rows):
        out.append("")
        out.append("  All visible tests pass. Hidden tests will check more cases when your work is graded.")
    return "\n".join(out)


def main(assignment, path=None, root=None):
    root = Path(root or layout.ROOT)
    path = Path(path) if path else layout.release_path(assignment, root)
    if not path.is_file():
        raise SystemExit(f"no notebook at {path}: is {assignment!r} an assignment id? "
                         f"Known: {', '.join(layout.assignments(root))}")
    rows, changed = check_notebook(path, root)
    print(format_table(assignment, rows, changed))
    return 0
