"""Checks of a submission after it ran: the plain reason for what went wrong in each cell (an answer
that is the reference, a crash, a SystemExit, output too large to keep)."""

from mlbasics.course import layout

MAX_OUTPUT_CHARS = 100_000
"""Text a cell may print into the graded copy and its feedback; the rest is cut (nbgrader's
LimitOutput counts lines, and one line can be gigabytes)."""


# Errors that are part of ordinary unfinished or wrong work, not worth a line in the report.
_ORDINARY = {"NotImplementedError", "CheckFailed", "AssertionError", "KeyboardInterrupt", "NotRun"}


def cell_problems(cell, index, outputs, answer_failed=False):
    """Plain reasons for what went wrong in one executed cell; cut its oversized output."""
    label = layout.grade_id(cell) or f"cell {index + 1}"
    problems = []
    printed = sum(len(o.get("text", "")) for o in outputs if o.get("output_type") == "stream")
    if printed > MAX_OUTPUT_CHARS:
        budget = MAX_OUTPUT_CHARS
        for out in outputs:
            if out.get("output_type") == "stream":
                text = out.get("text", "")
                out["text"] = text[:budget] + ("" if len(text) <= budget else
                                               f"\n... output cut: {len(text) - budget:,} more characters ...\n")
                budget = max(0, budget - len(text))
        problems.append(f"{label} printed {printed:,} characters (the graded copy keeps {MAX_OUTPUT_CHARS:,})")
    for out in outputs:
        if out.get("output_type") != "error":
            continue
        name, value = out.get("ename", ""), str(out.get("evalue", ""))
        if name == "ReferenceUsed":
            problems.append(f"{label}: the answer is, calls or copies the reference implementation "
                            "(zero for that exercise)")
        elif name == "MemoryError":
            problems.append(f"{label} ran out of memory (MemoryError)")
        elif name == "SystemExit":
            problems.append(f"{label} tried to end the notebook (SystemExit); the rest was still graded")
        elif name == "NameError" and layout.is_graded_test(cell) and not answer_failed:
            problems.append(f"{label}: {value} (was a function renamed or deleted?)")
        elif layout.is_solution(cell) and name not in _ORDINARY:
            problems.append(f"{label} raised {name}: {value[:100]}")
    return problems
