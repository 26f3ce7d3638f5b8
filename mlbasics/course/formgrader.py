"""Formgrader as this course uses it (``make lab ROLE=instructor`` loads this server extension).

The course releases with ``make release`` and collects with ``make autograde`` from
``submitted/``; nbgrader's exchange (JupyterHub's release and collect) is not used. Formgrader's
*Manage Assignments* page therefore hides its Generate, Release, Collect and Release Feedback
buttons and says which commands do those jobs: ``templates/manage_assignments.tpl`` extends
nbgrader's own page.
"""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


def course_templates(env):
    """A copy of formgrader's Jinja environment that finds the course's templates first; nbgrader's
    own stay reachable as ``nbgrader/<name>`` so that the course's can extend them."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    return env.overlay(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)),
                                            PrefixLoader({"nbgrader": env.loader}), env.loader]))


def _jupyter_server_extension_points():
    return [{"module": "mlbasics.course.formgrader"}]


def _load_jupyter_server_extension(serverapp):
    pass  # formgrader is not loaded yet (extensions load in alphabetical order): see the start hook


async def _start_jupyter_server_extension(serverapp):
    settings = serverapp.web_app.settings
    env = settings.get("nbgrader_jinja2_env")
    if env is None:
        serverapp.log.warning("mlbasics: nbgrader's formgrader is not loaded; its page keeps every button")
        return
    settings["nbgrader_jinja2_env"] = course_templates(env)
