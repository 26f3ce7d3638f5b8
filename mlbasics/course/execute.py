"""Running notebooks: a thin layer over nbclient shared by release checks, checks and tests."""

import contextlib
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

DEFAULT_TIMEOUT = 60


@contextlib.contextmanager
def local_kernel():
    """Configuration (a traitlets Config) for kernels that talk to this process over Unix sockets in a
    private folder, removed afterwards, instead of over TCP on localhost.

    Nothing then listens on a network port, and ipykernel has no reason to warn, on every run, that
    the kernel "is running over TCP without encryption". The grading sandbox does the same.
    """
    with tempfile.TemporaryDirectory(prefix="mlbasics-kernel-") as folder:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(folder, "kernel")  # the sockets: kernel-1, kernel-2, ...
        yield config



def execute(nb, cwd, *, timeout=DEFAULT_TIMEOUT, allow_errors=True, env=None):
    """Execute ``nb`` (a NotebookNode, changed in place) with ``cwd`` as working directory.

    Cells run top to bottom in one kernel; with ``allow_errors`` a failing cell does not stop the
    run, as when a learner presses "Run all" and reads every failure.
    """
    kernel_env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    kernel_env.update(env or {})
    with local_kernel() as config:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(cwd)}},
            env=kernel_env,
            config=config,
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
