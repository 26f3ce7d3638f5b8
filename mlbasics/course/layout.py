"""Where things are: the course root, its assignments, and nbgrader's configuration."""

import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(os.environ.get("MLBASICS_ROOT", Path(__file__).resolve().parents[2])).resolve()
SOLUTIONS = "solutions"
RELEASE = "notebooks"
SUBMITTED = "submitted"
AUTOGRADED = "autograded"
FEEDBACK = "feedback"


def assignments(root=None):
    """Assignment ids: folders under ``solutions/`` holding ``<id>/<id>.ipynb``, sorted."""
    src = Path(root or ROOT) / SOLUTIONS
    if not src.is_dir():
        return []
    return sorted(p.name for p in src.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def selected(assignment=None, root=None):
    """The assignment ids a command works on: ``assignment`` alone (which must exist), or all."""
    names = assignments(root)
    if assignment:
        if assignment not in names:
            raise SystemExit(f"no assignment {assignment!r}: expected one of {', '.join(names) or '(none)'}")
        return [assignment]
    return names


def solution_path(assignment, root=None):
    return Path(root or ROOT) / SOLUTIONS / assignment / f"{assignment}.ipynb"


def release_dir(edition=None):
    """The release's folder: ``notebooks`` for English, ``notebooks-<edition>`` for an edition's
    (``notebooks-ko``: :mod:`mlbasics.course.edition`)."""
    return RELEASE if edition in (None, "", "en") else f"{RELEASE}-{edition}"


def release_path(assignment, root=None, edition=None):
    return Path(root or ROOT) / release_dir(edition) / assignment / f"{assignment}.ipynb"


def nbgrader_config(root=None, **overrides):
    """The course's ``nbgrader_config.py`` as a traitlets Config, with ``overrides`` applied.

    ``overrides`` are ``"Section.option": value`` pairs, e.g. ``{"CourseDirectory.root": "/x"}``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root or ROOT)
    # Plugins named in the config (a late-penalty plugin in late.py, say) are found at the course
    # root, as nbgrader finds them in the folder it runs in.
    if str(root) not in sys.path:
        sys.path.append(str(root))
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    extra = Config()
    for key, value in overrides.items():
        section, option = key.split(".")
        extra[section][option] = value
    config.merge(extra)
    from mlbasics.course import gradebook

    gradebook.tools_on_path()  # whatever runs nbgrader with this configuration may need them
    url = config.CourseDirectory.get("db_url")
    if url:  # set in nbgrader_config.py rather than through DB_URL: the same check
        gradebook.check_url(url, source="CourseDirectory.db_url")
    return config


def read_notebook(path):
    return nbformat.read(str(path), as_version=4)


def grading_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution(cell):
    return bool(grading_meta(cell).get("solution"))


def is_graded_test(cell):
    meta = grading_meta(cell)
    return bool(meta.get("grade")) and cell.cell_type == "code" and not meta.get("solution")


def grade_id(cell):
    return grading_meta(cell).get("grade_id")


def points(cell):
    return float(grading_meta(cell).get("points", 0) or 0)
