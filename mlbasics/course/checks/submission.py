"""Checks of a submission before it runs (`make autograde`): a readable notebook where it belongs,
the locked cells as released, and no code that reaches into the grading checks."""

import ast
import json
from pathlib import Path

import nbformat

from mlbasics.course import layout

def inspect_submission(root, student, assignment, known):
    """Problems that make a submission ungradable, before any code runs."""
    folder = Path(root) / layout.SUBMITTED / student / assignment
    if assignment not in known:
        return [f"'{assignment}' is not an assignment of this course (expected one of: {', '.join(known)})"]
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        return [f"no {expected.name} in the submission" + (f" (found: {', '.join(found)})" if found else "")]
    try:
        text = expected.read_text(encoding="utf-8")
        if not text.strip():
            return [f"{expected.name} is empty"]
        nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as err:
        return [f"{expected.name} is not a readable notebook ({type(err).__name__}: {str(err)[:100]})"]
    except Exception as err:  # nbformat validation errors come in several types
        return [f"{expected.name} is not a valid notebook ({type(err).__name__}: {str(err)[:100]})"]
    return []


GUARDED_ROOTS = {"grading", "mlbasics", "np", "numpy", "builtins", "__builtins__", "sys", "importlib",
                 "nbgrader", "testing", "unittest", "pytest", "gc", "ctypes", "inspect"}


FORBIDDEN_CALLS = {"exec", "eval", "compile", "__import__", "setattr", "delattr", "globals", "vars"}


FORBIDDEN_IMPORTS = {"builtins", "ctypes", "gc", "importlib"}


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def tamper_reasons(source):
    """Why the code in ``source`` looks like it tampers with grading (empty when it does not)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # IPython magics or broken code: the cell fails on its own
    reasons = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Attribute, ast.Subscript)) and _root_name(target) in GUARDED_ROOTS:
                    reasons.append(f"line {node.lineno}: assigns to {ast.unparse(target)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            reasons.append(f"line {node.lineno}: calls {node.func.id}()")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_IMPORTS:
                    reasons.append(f"line {node.lineno}: imports {name}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mlbasics.grading"):
                reasons.append(f"line {node.lineno}: imports from mlbasics.grading")
    return reasons


def structure_changes(nb, root, assignment, edition=None):
    """What the learner did to the cells they may not change: locked cells (the tests among them)
    deleted, edited or moved, and answer cells deleted. Grading restores or reports each of them;
    this says so, in words. A cell is unchanged if it is as released (in the notebook's edition)
    or as in the solutions."""
    released_path = layout.release_path(assignment, root, edition)
    if not released_path.is_file():
        return []
    released = [c for c in layout.read_notebook(released_path).cells if layout.grade_id(c)]
    solution = {layout.grade_id(c): c.source for c in layout.read_notebook(layout.solution_path(assignment, root)).cells
                if layout.grade_id(c)}
    mine = {}
    for cell in nb.cells:
        mine.setdefault(layout.grade_id(cell), cell)
    problems = []
    for cell in released:
        gid, kind = layout.grade_id(cell), "test cell" if layout.is_graded_test(cell) else "cell"
        if layout.is_solution(cell):
            if gid not in mine:
                problems.append(f"answer cell {gid} was deleted (graded as unanswered)")
        elif layout.grading_meta(cell).get("locked"):
            if gid not in mine:
                problems.append(f"{kind} {gid} was deleted (restored)")
            elif mine[gid].source not in (cell.source, solution.get(gid)):
                problems.append(f"{kind} {gid} was edited (the original was restored)")
    order = [layout.grade_id(c) for c in released if layout.grade_id(c) in mine]
    submitted = [gid for gid in mine if gid in set(order)]
    if submitted != order:
        now, was = next((a, b) for a, b in zip(submitted, order) if a != b)
        problems.append(f"cells were moved: {now} now comes where {was} was (graded in the notebook's order)")
    return problems
