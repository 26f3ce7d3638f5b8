"""``make check NB=<id>``: run a learner's notebook and report each exercise, with nbgrader's
validator as the engine."""

import re
import shutil
import tempfile
import textwrap
from pathlib import Path

from mlbasics.course import layout

ANSI = re.compile(r"\x1b\[[0-9;]*m")


NOT_ANSWERED = "not answered yet: replace `raise NotImplementedError()` with your code"


def first_lines(error_text, hint=True):
    """The learner-facing part of an error: the first line of its message, and its Hint line if any."""
    text = ANSI.sub("", error_text or "").strip()
    lines = text.splitlines()
    # The exception line ("CheckFailed: ...") follows any traceback; find the last one that names an error.
    start = next((i for i in range(len(lines) - 1, -1, -1)
                  if re.match(r"^[A-Za-z_.]+(Error|Failed|Exception|Used|Exit|Interrupt)\b", lines[i])), 0)
    head = lines[start] if lines else ""
    if head.startswith("NotImplementedError"):
        head = NOT_ANSWERED
    elif head.startswith("CheckFailed: "):
        head = head[len("CheckFailed: "):]  # the course's own checks: the message says what failed
    elif head.startswith("NameError"):
        head += " (define it, under that exact name, in the exercise cell above the test)"
    extra = [ln.strip() for ln in lines[start + 1:] if ln.strip().startswith("Hint:")] if hint else []
    return [head] + extra


def _cell_error(cell):
    """``"Name: message"`` of a code cell's first error output, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            message = ANSI.sub("", str(output.get("evalue", ""))).strip().splitlines()
            # "(2308141169.py, line 5)": the kernel's name for the cell means nothing to the learner
            message = [re.sub(r"\((?:[^()]*\.py|<[^>]*>), (line \d+)\)", r"(\1)", m) for m in message]
            return f"{output.get('ename', 'Error')}: {message[0] if message else ''}".rstrip(": ")
    return None


def exercise_name(grade_id):
    """The exercise a test cell checks: its grade id without the ``test_`` prefix."""
    return grade_id[len("test_"):] if grade_id and grade_id.startswith("test_") else grade_id


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
    answers = {layout.grade_id(c): c for c in nb.cells if layout.is_solution(c) and c.cell_type == "code"}
    rows = []
    for cell in nb.cells:
        if not layout.is_graded_test(cell):
            continue
        score, max_score = utils.determine_grade(cell, validator.log)
        error = validator._extract_error(cell) if score < max_score else ""
        lines = first_lines(error) if error else []
        answer = answers.get(exercise_name(layout.grade_id(cell)))
        broken = _cell_error(answer) if answer is not None else None
        if lines and lines[0] != NOT_ANSWERED and broken and not broken.startswith("NotImplementedError"):
            # The exercise cell itself does not run (a syntax error, say): that is what to fix first.
            lines = [f"the exercise cell fails: {broken}"]
        rows.append((layout.grade_id(cell), score, max_score, lines))
    return rows, changed


def format_table(assignment, rows, changed=(), width=None):
    """The table `make check` prints: one row per exercise with its points, and for a failure the first
    line of what went wrong (and its hint), wrapped to the terminal."""
    passed = sum(1 for r in rows if r[1] >= r[2])
    got = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    width = width or max(80, min(shutil.get_terminal_size((100, 24)).columns, 140))
    names = [exercise_name(r[0]) for r in rows]
    name_w = max([len("exercise")] + [len(n) for n in names])
    lead = 2 + name_w + 2 + 6 + 2 + 6 + 2
    out = [f"{assignment}: {passed} of {len(rows)} exercises pass ({got:g} of {total:g} points)", ""]
    out.append(f"  {'exercise':<{name_w}}  {'points':>6}  result  what went wrong")
    out.append(f"  {'-' * name_w}  ------  ------  {'-' * max(15, min(40, width - lead))}")
    for name, (gid, score, max_score, error) in zip(names, rows):
        ok = score >= max_score
        points = f"{score:g}/{max_score:g}"
        row = f"  {name:<{name_w}}  {points:>6}  {'passed' if ok else 'FAILED'}"
        wrapped = [part for line in error for part in
                   (textwrap.wrap(line, max(30, width - lead), break_on_hyphens=False) or [""])]
        if not wrapped:
            out.append(row)
            continue
        out.append(f"{row}  {wrapped[0]}")
        out.extend(" " * lead + part for part in wrapped[1:])
    if changed:
        out.append("")
        out.append(f"  Note: {len(changed)} test cell(s) were edited; grading uses the original tests.")
    out.append("")
    if rows and passed == len(rows):
        out.append("  All visible tests pass. Hidden tests will check more cases when your work is graded.")
    elif rows:
        out.append("  Fix the FAILED exercises one at a time: rerun each exercise cell and its test cell in")
        out.append(f"  JupyterLab, then `make check NB={assignment}` again.")
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
