"""pyproject.toml and environment.yml describe the same environment."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement):
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    project = data["project"]
    deps = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        deps += extra
    return {_name(d) for d in deps}


def _environment():
    names, in_deps, in_pip = set(), False, False
    for raw in (REPO / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not raw.startswith(" "):
            in_deps = line.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        item = line.strip()
        if item.startswith("- pip:"):
            in_pip = True
            continue
        if in_pip and raw.startswith("      "):
            continue  # the package itself, installed by pip
        in_pip = False
        names.add(_name(item.lstrip("- ")))
    return names - {"python", "pip"}


def test_environment_yml_matches_pyproject():
    py, env = _pyproject(), _environment()
    assert py, "no dependencies read from pyproject.toml"
    assert py == env, f"only in pyproject.toml: {sorted(py - env)}; only in environment.yml: {sorted(env - py)}"


def test_environment_yml_installs_the_package_editable():
    assert "- -e ." in (REPO / "environment.yml").read_text()


def test_the_package_metadata_has_an_spdx_license():
    """A license table (``{ text = ... }``) makes every install print setuptools' deprecation warning."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert isinstance(project["project"]["license"], str), project["project"]["license"]
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])


def test_reading_a_notebook_compiles_no_grammar():
    """`make install` leaves out rfc3987-syntax, which jsonschema (and so nbformat) imports when it is
    there, compiling a grammar: 1.6 s more for every command that reads a notebook."""
    import subprocess
    import sys

    code = "import sys, nbformat; print(sorted(m for m in ('jsonschema', 'rfc3987_syntax') if m in sys.modules))"
    seen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert seen == "['jsonschema']", f"modules imported with nbformat: {seen}"
