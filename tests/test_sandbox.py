"""What a sandboxed kernel can see: its environment and the package, not the course."""

import subprocess

import pytest

from mlbasics.course import layout, sandbox

pytestmark = pytest.mark.skipif(not sandbox.available(), reason=sandbox.install_hint())


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
    seen = _inside(sandbox.kernel_argv(work), f"cat {env}/marker; cat {course}/gradebook.db 2>/dev/null; true")
    assert seen == ["environment"]
