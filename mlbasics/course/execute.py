"""Running notebooks: a thin layer over nbclient shared by release checks, checks and tests."""

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

DEFAULT_TIMEOUT = 60


def execute(nb, cwd, *, timeout=DEFAULT_TIMEOUT, allow_errors=True, env=None):
    """Execute ``nb`` (a NotebookNode, changed in place) with ``cwd`` as working directory.

    Cells run top to bottom in one kernel; with ``allow_errors`` a failing cell does not stop the
    run, as when a learner presses "Run all" and reads every failure.
    """
    kernel_env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    kernel_env.update(env or {})
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(cwd)}},
        env=kernel_env,
    )
    client.execute(cwd=str(cwd))
    return nb


def error_of(cell):
    """``(ename, evalue)`` of the first error output of a code cell, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


def execute_file(path, *, save=False, **kwargs):
    """Execute the notebook at ``path``; with ``save``, write the outputs back to it."""
    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    execute(nb, path.parent, **kwargs)
    if save:
        nbformat.write(nb, str(path))
    return nb
