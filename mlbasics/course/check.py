"""``make check NB=<id>``: run a learner's notebook and report each exercise, with nbgrader's
validator as the engine."""

import re
import shutil
import tempfile
import textwrap
from pathlib import Path

from mlbasics import grading
from mlbasics.i18n import _
from mlbasics.course import layout
from mlbasics.course.execute import local_kernel

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[A-Za-z_.]+(Error|Failed|Exception|Used|Exit|Interrupt)\b")
# The notebook's line for an exercise not answered yet (mlbasics.grading's NOT_ANSWERED, and more after it)
def _not_answered_pattern():
    """The line, in any edition's words (:data:`mlbasics.grading.NOT_ANSWERED` and its translations)."""
    from mlbasics import i18n

    messages = [grading.NOT_ANSWERED] + [i18n.catalog(e).get(grading.NOT_ANSWERED) for e in i18n.FONTS]
    return "|".join(re.escape(m).replace(re.escape("{name}"), r"(?P<name%d>[\w.]+)" % i)
                    for i, m in enumerate(messages) if m)


NOT_ANSWERED_LINE = re.compile("^NotImplementedError: (?:" + _not_answered_pattern() + ")")


def _answered_name(match):
    return next((v for k, v in match.groupdict().items() if k.startswith("name") and v), None)


def _exception(error_text):
    """``(exception line, the lines after it)`` of an error's text: the exception line ("CheckFailed:
    ...") follows any traceback, so it is the last line that names an error (the message lines of a
    failed check are indented, so they never look like one)."""
    lines = ANSI.sub("", error_text or "").strip().splitlines()
    start = next((i for i in range(len(lines) - 1, -1, -1) if EXCEPTION_LINE.match(lines[i])), 0)
    return (lines[start] if lines else ""), [line.rstrip() for line in lines[start + 1:] if line.strip()]


def failure_lines(error_text, exercise=None):
    """What a failed test cell tells the learner, line by line, as the notebook shows it: the whole
    message of the course's own checks (what was checked, for which input, expected, got, the hint),
    :data:`mlbasics.grading.NOT_ANSWERED` for an exercise not answered yet, and for any other error
    its exception line (not the traceback) and its Hint line if any."""
    head, rest = _exception(error_text)
    if head.startswith("NotImplementedError"):
        named = NOT_ANSWERED_LINE.match(head)
        return [grading.not_answered(_answered_name(named) if named else exercise or _("this exercise"))]
    if head.startswith(("CheckFailed: ", "ReferenceUsed: ")):
        return [head.split(": ", 1)[1]] + rest  # the course's own checks: the message says what failed
    if head.startswith("NameError"):
        head += " (define it, under that exact name, in the exercise cell above the test)"
    return [head] + [line.strip() for line in rest if line.strip().startswith("Hint:")]


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
    # Run a copy, next to the original, so the learner's file is never modified.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".check-") as tmp, local_kernel() as kernel:
        config.merge(kernel)
        validator = Validator(config=config)
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
        name = exercise_name(layout.grade_id(cell))
        lines = failure_lines(error, name) if error else []
        unanswered = _exception(error)[0].startswith("NotImplementedError")
        answer = answers.get(name)
        broken = _cell_error(answer) if answer is not None else None
        if lines and not unanswered and broken and not broken.startswith("NotImplementedError"):
            # The exercise cell itself does not run (a syntax error, say): that is what to fix first.
            lines = [_("the exercise cell fails: {error}").format(error=broken)]
        rows.append((layout.grade_id(cell), score, max_score, lines))
    return rows, changed


def _wrap(line, width):
    """``line`` wrapped to ``width``, keeping its indent (a message's "expected:", "got:" and "Hint:"
    lines are indented); the continuation of an indented line is indented two more."""
    indent = line[:len(line) - len(line.lstrip())]
    return textwrap.wrap(line, width, subsequent_indent=indent + "  " if indent else "",
                         break_on_hyphens=False) or [""]


def _columns(text):
    """The terminal columns ``text`` takes: Hangul and other wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _left(text, width):
    return text + " " * max(0, width - _columns(text))


def _right(text, width):
    return " " * max(0, width - _columns(text)) + text


def format_table(assignment, rows, changed=(), width=None):
    """The table `make check` prints: one row per exercise with its points, and for a failure what the
    notebook's test cell says (what was checked, expected, got, the hint), wrapped to the terminal."""
    passed = sum(1 for r in rows if r[1] >= r[2])
    got = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    width = width or max(80, min(shutil.get_terminal_size((100, 24)).columns, 140))
    names = [exercise_name(r[0]) for r in rows]
    name_w = max([_columns(_("exercise"))] + [len(n) for n in names])
    result_w = max(6, *(_columns(_(w)) for w in ("result", "passed", "FAILED")))
    lead = 2 + name_w + 2 + 6 + 2 + result_w + 2
    out = [_("{assignment}: {passed} of {count} exercises pass ({got} of {total} points)").format(
        assignment=assignment, passed=passed, count=len(rows), got=f"{got:g}", total=f"{total:g}"), ""]
    out.append(f"  {_left(_('exercise'), name_w)}  {_right(_('points'), 6)}  {_left(_('result'), result_w)}  "
               f"{_('what went wrong')}")
    out.append(f"  {'-' * name_w}  ------  {'-' * result_w}  {'-' * max(15, min(40, width - lead))}")
    for name, (gid, score, max_score, error) in zip(names, rows):
        ok = score >= max_score
        points = f"{score:g}/{max_score:g}"
        row = f"  {name:<{name_w}}  {points:>6}  {_left(_('passed') if ok else _('FAILED'), result_w)}"
        wrapped = [part for line in error for part in _wrap(line, max(30, width - lead))]
        if not wrapped:
            out.append(row.rstrip())
            continue
        out.append(f"{row}  {wrapped[0]}")
        out.extend(" " * lead + part for part in wrapped[1:])
    if changed:
        out.append("")
        out.append("  " + _("Note: {count} test cell(s) were edited; grading uses the original tests.").format(
            count=len(changed)))
    out.append("")
    if rows and passed == len(rows):
        out.append("  " + _("All visible tests pass. Hidden tests will check more cases when your work is graded."))
    elif rows:
        out.append("  " + _("Fix the FAILED exercises one at a time: rerun each exercise cell and its test cell in"))
        out.append("  " + _("JupyterLab, then `make check NB={assignment}` again.").format(assignment=assignment))
    return "\n".join(out)


def main(assignment, path=None, root=None, edition=None):
    """Print the table for ``assignment`` (its release, or the notebook at ``path``); return the exit
    status: 0 when every exercise passes, 1 when one fails, so that a script can stop on it.
    ``edition`` checks that edition's release (``notebooks-ko/``) and prints the table in its words;
    a notebook at ``path`` is read in the edition it belongs to."""
    from mlbasics import i18n
    from mlbasics.course import edition as editions

    edition = editions.check_edition(edition)
    root = Path(root or layout.ROOT)
    if path:
        path = Path(path).expanduser()
        if not path.is_file():
            raise SystemExit(f"no notebook at {path}: FILE must be the path of your .ipynb file, "
                             f"e.g. make check NB={assignment} FILE=~/work/{assignment}.ipynb")
    else:
        path = layout.release_path(assignment, root, edition)
        if not path.is_file() and edition and assignment in layout.assignments(root):
            raise SystemExit(f"no notebook at {path}: run `make release EDITION={edition}` first")
        if not path.is_file():
            raise SystemExit(f"no notebook at {path}: is {assignment!r} an assignment id? "
                             f"Known: {', '.join(layout.assignments(root))}")
    if edition is None and path.is_file():
        try:
            edition = editions.edition_of(layout.read_notebook(path))
        except Exception:
            pass
    i18n.use_edition(edition)
    rows, changed = check_notebook(path, root)
    print(format_table(assignment, rows, changed))
    return 0 if rows and all(score >= max_score for _, score, max_score, _ in rows) else 1
