"""What a sandboxed kernel can see: its environment and the package, not the course."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import needs_sandbox
from mlbasics.course import layout, sandbox

pytestmark = needs_sandbox


def _inside(argv, command):
    """Run ``command`` in the sandbox that ``argv`` (a kernel's command line) sets up."""
    argv = argv[:argv.index("--") + 1] + ["sh", "-c", command]
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout.split()


@pytest.mark.parametrize("where", ["under /tmp", "inside the course"])
def test_the_environment_stays_visible_and_the_course_hidden(tmp_path, monkeypatch, where):
    course = tmp_path / "course"
    course.mkdir()
    env = tmp_path / "env" if where == "under /tmp" else course / ".venv"
    env.mkdir(parents=True)
    (env / "marker").write_text("environment")
    (course / "gradebook.db").write_text("grades")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(layout, "ROOT", course)
    monkeypatch.setattr(sandbox, "_package_roots", lambda: [env])
    seen = _inside(sandbox.kernel_argv(work, root=course),
                   f"cat {env}/marker; cat {course}/gradebook.db 2>/dev/null; true")
    assert seen == ["environment"]


def _interpreter(argv, code):
    """Run ``code`` with the interpreter that ``argv`` (a kernel's command line) starts, in its
    sandbox and under its limits."""
    kernel = argv.index("ipykernel_launcher") - 1  # [..., python, "-m", "ipykernel_launcher", ...]
    return subprocess.run(argv[:kernel] + ["-c", code], capture_output=True, text=True, timeout=60)


def test_a_venv_symlinked_into_the_course_still_runs_the_kernel(tmp_path, monkeypatch):
    """`<course>/.venv` links to an environment elsewhere and the grader runs as
    `<course>/.venv/bin/python`: that path lies in the hidden course, its target does not."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "gradebook.db").write_text("grades")
    (course / ".venv").symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    monkeypatch.setattr(sys, "executable", str(course / ".venv" / "bin" / Path(sys.executable).name))
    monkeypatch.setattr(sys, "prefix", str(course / ".venv"))
    monkeypatch.setattr(sys, "exec_prefix", str(course / ".venv"))
    work = tmp_path / "work"
    work.mkdir()
    argv = sandbox.kernel_argv(work, root=course)
    code = f"import os, mlbasics, ipykernel; print(os.path.exists({str(course)!r} + '/gradebook.db'))"
    result = _interpreter(argv, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_the_graded_course_is_hidden_wherever_the_package_lives(tmp_path):
    """The course graded is not the package's checkout (and not under /tmp, which the sandbox
    hides anyway): its gradebook is hidden; the package and the environment stay visible."""
    if not os.access("/var/tmp", os.W_OK):
        pytest.skip("needs a writable /var/tmp, outside the sandbox's own /tmp")
    course = Path(tempfile.mkdtemp(prefix="mlbasics-course-", dir="/var/tmp"))
    try:
        (course / "gradebook.db").write_text("grades")
        assert not layout.ROOT.is_relative_to(course) and not course.is_relative_to(layout.ROOT)
        work = tmp_path / "work"
        work.mkdir()
        argv = sandbox.kernel_argv(work, root=course)
        result = _interpreter(argv, f"import os, mlbasics; print(os.path.exists({str(course)!r} + '/gradebook.db'))")
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["False"], "the graded course's gradebook is visible to the kernel"
    finally:
        shutil.rmtree(course, ignore_errors=True)


def test_a_kernel_starts_from_the_fonts_the_grader_found(tmp_path):
    """A sandboxed kernel's matplotlib settings folder is new: it gets the grader's list of the
    installed fonts, instead of searching the system's fonts again (a third of a second a kernel)."""
    pytest.importorskip("matplotlib")
    course, work = tmp_path / "course", tmp_path / "work"
    course.mkdir()
    work.mkdir()
    km = sandbox.kernel_manager(work, root=course)
    try:
        argv = sandbox.kernel_argv(work, root=course)
    finally:
        sandbox.cleanup(km)
    code = "import logging; logging.basicConfig(level=logging.INFO); import matplotlib.font_manager"
    result = _interpreter(argv, code)
    assert result.returncode == 0, result.stderr
    assert "generated new fontManager" not in result.stderr, "the kernel searched the system's fonts again"
