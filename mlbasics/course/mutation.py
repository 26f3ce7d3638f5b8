"""Mutation testing of graders: do wrong answers lose points?

For every exercise (a solution cell and the test cells that follow it) we substitute wrong
answers into the solution cell and grade the notebook: the exercise must lose points and every
other exercise must keep full marks (the exercises after it are tried with the kinds in
:data:`COLLATERAL_KINDS`). Wrong answers come from two places:

- hand-written mutants in ``solutions/<id>/mutants.py``: the mistakes learners really make, each with
  the hint its failure message must show;
- generic mutants built for every exercise: the released stub, a constant answer of the right
  shape, an answer hard-coded to the visible tests, and an answer that imports the reference.

Grading runs in one kernel per notebook: setup cell, solution cells, test cells (experiment
cells are skipped, as test cells may only depend on the setup and solution cells), with a fresh
namespace for every mutant. This module is also imported *inside* that kernel, for the helpers
that wrap an answer into a generic mutant.
"""

import copy
import functools
import inspect
import os
import queue
import re
import runpy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HIDDEN_MARK = "### BEGIN HIDDEN TESTS"
REFERENCE_IMPORT = re.compile(r"^\s*from (mlbasics[\w.]*) import (\w+) as _reference\s*$", re.M)


# ----------------------------------------------------------------------------------------------
# The notebook side: exercises and mutants.

@dataclass
class Exercise:
    grade_id: str
    solution: str  # source of the solution cell
    tests: list  # grade ids of the test cells that belong to this exercise
    stub: str = ""  # the released cell's source


@dataclass
class Mutant:
    exercise: str
    name: str
    source: str = None  # replaces the solution cell; None for generic wrappers
    hint: str = None
    kind: str = "written"  # written | stub | constant | hardcoded | reference
    affects: tuple = ()  # other exercises that legitimately fail with this one (they call it)
    extra: str = ""  # code run right after the solution cells

    @property
    def label(self):
        return f"{self.exercise}:{self.kind}:{self.name}"


@dataclass
class Suite:
    """The cells a grading run executes, in notebook order."""
    setup: str
    cells: list = field(default_factory=list)  # (kind, grade_id, source), kind: solution | test
    exercises: list = field(default_factory=list)


def build_suite(source_nb, released_nb=None):
    from mlbasics.course import layout

    code = [c for c in source_nb.cells if c.cell_type == "code"]
    suite = Suite(setup=code[0].source)
    stubs = {}
    if released_nb is not None:
        stubs = {layout.grade_id(c): c.source for c in released_nb.cells if layout.is_solution(c)}
    current = None
    for cell in code[1:]:
        if layout.is_solution(cell):
            gid = layout.grade_id(cell)
            current = Exercise(gid, cell.source, [], stubs.get(gid, ""))
            suite.exercises.append(current)
            suite.cells.append(("solution", gid, cell.source))
        elif layout.is_graded_test(cell):
            gid = layout.grade_id(cell)
            if current is None:
                raise ValueError(f"test cell {gid} comes before any solution cell")
            current.tests.append(gid)
            suite.cells.append(("test", gid, cell.source))
    return suite


MUTANTS_FORMAT = ("MUTANTS = {grade_id: [dict(name=..., source=..., hint=...), ...]} "
                  "(see solutions/01-gradient-descent/mutants.py)")


def load_written_mutants(path, exercises=None):
    """Mutants from an assignment's ``mutants.py`` (``MUTANTS = {grade_id: [dict, ...]}``).

    A file that does not have that shape stops with a message saying what it must contain;
    ``exercises`` (the assignment's solution grade ids), when given, must include every key."""
    path = Path(path)
    if not path.is_file():
        return []
    spec = runpy.run_path(str(path))
    mutants = spec.get("MUTANTS")
    if not isinstance(mutants, dict):
        raise SystemExit(f"{path} defines no MUTANTS dict: it must contain {MUTANTS_FORMAT}")
    out = []
    for exercise, entries in mutants.items():
        if exercises is not None and exercise not in exercises:
            raise SystemExit(f"{path}: MUTANTS names {exercise!r}, which is not an exercise of this notebook "
                             f"(its exercises: {', '.join(exercises)})")
        if not isinstance(entries, (list, tuple)):
            raise SystemExit(f"{path}: MUTANTS[{exercise!r}] must be a list of dicts: {MUTANTS_FORMAT}")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not {"name", "source"} <= entry.keys():
                raise SystemExit(f"{path}: MUTANTS[{exercise!r}][{i}] must be a dict with at least 'name' and "
                                 f"'source': {MUTANTS_FORMAT}")
            out.append(Mutant(exercise=exercise, name=entry["name"], source=entry["source"].strip("\n"),
                              hint=entry.get("hint"), affects=tuple(entry.get("affects", ()))))
    return out


def generic_mutants(suite):
    """Stub, constant, hard-coded and reference-calling answers for every exercise."""
    out = []
    tests = dict((gid, src) for kind, gid, src in suite.cells if kind == "test")
    for ex in suite.exercises:
        if ex.stub:
            out.append(Mutant(ex.grade_id, "the released stub", source=ex.stub, kind="stub"))
        out.append(Mutant(ex.grade_id, "a constant answer of the right shape", kind="constant",
                          extra=f"{ex.grade_id} = __import__('mlbasics.course.mutation', fromlist=['x'])"
                                f".constant_version({ex.grade_id})"))
        out.append(Mutant(ex.grade_id, "answers hard-coded to the visible tests", kind="hardcoded"))
        refs = [m for gid in ex.tests for m in REFERENCE_IMPORT.findall(tests[gid])]
        if refs:
            module, name = refs[0]
            out.append(Mutant(ex.grade_id, f"calls {module}.{name}", kind="reference",
                              extra=f"from {module} import {name} as _mlb_reference\n"
                                    f"{ex.grade_id} = {MODULE}.calling_version({ex.grade_id}, _mlb_reference)"))
        for module in namesakes(ex.grade_id):
            if (module, ex.grade_id) not in refs:  # a reference the hidden tests do not name
                out.append(Mutant(ex.grade_id, f"is {module}.{ex.grade_id}, imported under the exercise's name",
                                  kind="reference", extra=f"from {module} import {ex.grade_id}"))
    return out


def namesakes(name):
    """The reference modules of mlbasics that define ``name``: an answer can simply import it."""
    import importlib
    import pkgutil

    import mlbasics

    found = []
    for info in pkgutil.iter_modules(mlbasics.__path__):
        if info.name.startswith("_") or info.name in {"course", "grading", "plotting", "fast"}:
            continue
        module = importlib.import_module(f"mlbasics.{info.name}")
        if callable(getattr(module, name, None)) and getattr(getattr(module, name), "__module__", "") == module.__name__:
            found.append(module.__name__)
    return found


# ----------------------------------------------------------------------------------------------
# The kernel side: wrappers that turn a right answer into a generic wrong one.

TABLES = {}  # hard-coded answers recorded from the visible tests, by exercise; survives %reset


def _constant_like(value):
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return 7
    if isinstance(value, (float, np.floating)):
        return 0.37
    if isinstance(value, np.ndarray):
        return np.full(value.shape, 7 if value.dtype.kind in "iu" else 0.37, dtype=value.dtype)
    if isinstance(value, tuple):
        return tuple(_constant_like(v) for v in value)
    if isinstance(value, list):
        return [_constant_like(v) for v in value]
    if isinstance(value, dict):
        return {k: _constant_like(v) for k, v in value.items()}
    if inspect.isgenerator(value) or hasattr(value, "__next__"):
        return iter([_constant_like(v) for v in value])
    if callable(value):
        return lambda *a, **k: 0.37
    return value


def _public_methods(cls):
    return [n for n, v in vars(cls).items() if callable(v) and not n.startswith("_")]


def constant_version(answer):
    """The same interface as ``answer``, returning constants (a class whose methods do nothing
    but return constants; in-place updates are skipped)."""
    if inspect.isclass(answer):
        namespace = {}
        for name in _public_methods(answer):
            original = getattr(answer, name)

            def method(self, *args, __original=original, **kwargs):
                return None if __original.__name__ == "update" else _constant_like(
                    __original(self, *[np.copy(a) if isinstance(a, np.ndarray) else a for a in args], **kwargs))

            namespace[name] = method
        return type(answer.__name__, (answer,), namespace)

    @functools.wraps(answer)
    def constant(*args, **kwargs):
        return _constant_like(answer(*args, **kwargs))

    return constant


def calling_version(answer, reference):
    """``answer`` leaning on ``reference``: a function returns the reference's result (falling back
    to ``answer`` when the interfaces differ); a class's methods call the reference first. Under
    :func:`mlbasics.grading.forbid_reference` every such call is caught."""
    def touch(*args, **kwargs):
        try:
            reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))  # copies: the answer's inputs stay as given
        except (TypeError, ValueError, AttributeError, IndexError, KeyError):
            pass

    if inspect.isclass(answer):
        namespace = {}
        for name in _public_methods(answer):
            def method(self, *args, __name=name, **kwargs):
                touch(*args, **kwargs)
                return getattr(super(cls, self), __name)(*args, **kwargs)
            namespace[name] = method
        cls = type(answer.__name__, (answer,), namespace)
        return cls

    if inspect.isclass(reference):  # a function exercise checked against a class: it uses it on the side
        @functools.wraps(answer)
        def using(*args, **kwargs):
            touch(*args, **kwargs)
            return answer(*args, **kwargs)

        return using

    @functools.wraps(answer)
    def calling(*args, **kwargs):
        try:  # the reference's answer when its interface fits, as a learner who imports it would get
            return reference(*args, **kwargs)
        except TypeError:
            return answer(*args, **kwargs)

    return calling


def _fingerprint(value):
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_fingerprint(v) for v in value)
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _fingerprint(v)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    if callable(value) and hasattr(value, "__code__"):
        return ("fn", value.__code__.co_code, repr(value.__code__.co_consts))
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if inspect.isgenerator(value):
        return [_snapshot(v) for v in value]
    return value


def recording_version(answer, exercise):
    """``answer``, recording every call's result so that a hard-coded version can replay it."""
    table = TABLES.setdefault(exercise, {})
    if inspect.isclass(answer):
        def update(self, params, grads, __update=answer.update):
            key = ("update", _fingerprint(params), _fingerprint(grads))
            __update(self, params, grads)
            table[key] = _snapshot(params)
        return type(answer.__name__, (answer,), {"update": update}) if hasattr(answer, "update") else answer

    @functools.wraps(answer)
    def recording(*args, **kwargs):
        key = (_fingerprint(args), _fingerprint(kwargs))
        result = answer(*args, **kwargs)
        if inspect.isgenerator(result):
            result = iter(_snapshot(result))
            table[key] = ("iter", _snapshot(list(result)))
            return iter(table[key][1])
        table[key] = ("value", _snapshot(result))
        return result

    return recording


def hardcoded_version(answer, exercise):
    """Answers only what the visible tests asked (replayed from the recording), a constant otherwise:
    what a learner who hard-codes the expected values would submit."""
    table = TABLES.get(exercise, {})
    if inspect.isclass(answer):
        def update(self, params, grads):
            key = ("update", _fingerprint(params), _fingerprint(grads))
            if key in table:
                for k, v in table[key].items():
                    params[k][...] = v
        return type(answer.__name__, (answer,), {"update": update}) if hasattr(answer, "update") else constant_version(answer)

    fallback = constant_version(answer)

    @functools.wraps(answer)
    def hardcoded(*args, **kwargs):
        key = (_fingerprint(args), _fingerprint(kwargs))
        if key in table:
            kind, value = table[key]
            return iter(_snapshot(value)) if kind == "iter" else _snapshot(value)
        return fallback(*args, **kwargs)

    return hardcoded


# ----------------------------------------------------------------------------------------------
# The kernel side: a mutant's run in a forked copy of the kernel.
#
# Every mutant of an exercise changes nothing before its solution cell, so the kernel runs that
# part once; each mutant then runs in a fork of the kernel (its state copied by the operating
# system), from its solution cell on, and several forks run at once. The forks never touch the
# kernel's sockets: their output goes nowhere, their results to a file.

_CHILDREN = []


def fork_run(job_file):
    """(in the kernel) Fork; the copy runs the code cells listed in ``job_file`` (JSON: ``cells``,
    ``[kind, grade_id, source]`` each, ``timeout`` seconds per cell, ``out`` the results' file) and
    ends."""
    import json
    import signal
    import sys

    with open(job_file) as fh:
        job = json.load(fh)
    pid = os.fork()
    if pid:
        _CHILDREN.append(pid)
        with open(job["out"] + ".pid", "w") as fh:
            fh.write(str(pid))
        return pid
    code = 1
    results = []
    try:
        sys.stdout = sys.stderr = open(os.devnull, "w")
        from IPython import get_ipython

        shell = get_ipython()
        shell.display_pub.publish = lambda *args, **kwargs: None  # the kernel's sockets are the parent's
        import matplotlib.pyplot as plt

        plt.switch_backend("agg")
        plt.show = lambda *args, **kwargs: plt.close("all")

        def stop(signum, frame):
            raise TimeoutError(f"cell did not finish in {job['timeout']} s")

        signal.signal(signal.SIGALRM, stop)
        for number, (kind, gid, source) in enumerate(job["cells"]):
            signal.alarm(int(job["timeout"]))
            try:
                code_text = shell.transform_cell(source)
                # registered as IPython registers a cell, so that inspect.getsource finds its functions
                filename = shell.compile.cache(code_text, 10 ** 6 + number, raw_code=source)
                exec(compile(code_text, filename, "exec"), shell.user_ns)
                passed, ename, evalue = True, "", ""
            except BaseException as err:  # SystemExit and KeyboardInterrupt too: the cell failed
                passed, ename, evalue = False, type(err).__name__, str(err)
            finally:
                signal.alarm(0)
            if kind == "test":
                results.append([gid, passed, ename, evalue])
        code = 0
    except BaseException as err:  # the fork itself failed: said so, not waited for
        results = {"error": f"{type(err).__name__}: {err}"}
    finally:
        try:
            with open(job["out"] + ".tmp", "w") as fh:
                json.dump(results, fh)
            os.replace(job["out"] + ".tmp", job["out"])
        finally:
            os._exit(code)


def reap():
    """(in the kernel) Collect the forks that ended."""
    for pid in list(_CHILDREN):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _CHILDREN.remove(pid)


# ----------------------------------------------------------------------------------------------
# Running: one kernel per notebook.

@dataclass
class CellResult:
    passed: bool
    ename: str = ""
    evalue: str = ""


class Kernel:
    """A kernel that runs code strings and reports the first error of each."""

    def __init__(self, cwd, timeout=120):
        from jupyter_client.manager import KernelManager

        self.timeout = timeout
        # Unix sockets in a private folder, as every kernel of the course tooling: no TCP port, and
        # no "running over TCP without encryption" warning on the terminal.
        self._sockets = tempfile.TemporaryDirectory(prefix="mlbasics-kernel-")
        self.km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(self._sockets.name, "kernel"))
        self.km.start_kernel(cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code):
        errors = []

        def hook(msg):
            if msg["msg_type"] == "error":
                errors.append(msg["content"])

        try:
            reply = self.kc.execute_interactive(code, output_hook=hook, timeout=self.timeout, allow_stdin=False)
        except (TimeoutError, queue.Empty):
            self.km.interrupt_kernel()
            return CellResult(False, "TimeoutError", f"cell did not finish in {self.timeout} s")
        if reply["content"]["status"] == "ok" and not errors:
            return CellResult(True)
        err = errors[0] if errors else reply["content"]
        return CellResult(False, err.get("ename", ""), err.get("evalue", ""))

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self._sockets.cleanup()


MODULE = "__import__('mlbasics.course.mutation', fromlist=['x'])"


def grade(kernel, suite, mutant=None, record_visible=None):
    """Run ``suite`` with ``mutant`` applied; return {test grade id: CellResult}.

    With ``record_visible`` (an exercise id), run only the visible part of the tests and record
    that exercise's answers for :func:`hardcoded_version`.
    """
    kernel.run("%reset -f")
    setup = kernel.run(suite.setup)
    if not setup.passed:
        raise RuntimeError(f"the setup cell fails: {setup.ename}: {setup.evalue}")
    results = {}
    solutions_done = False
    for kind, gid, source in suite.cells:
        if kind == "solution":
            if mutant is not None and gid == mutant.exercise and mutant.source is not None:
                source = mutant.source
            kernel.run(source)
            if record_visible == gid:
                kernel.run(f"{gid} = {MODULE}.recording_version({gid}, {gid!r})")
            if mutant is not None and gid == mutant.exercise and mutant.kind == "hardcoded":
                kernel.run(f"{gid} = {MODULE}.hardcoded_version({gid}, {gid!r})")
            if mutant is not None and gid == mutant.exercise and mutant.extra:
                kernel.run(mutant.extra)
            continue
        if record_visible is not None:
            source = source.split(HIDDEN_MARK)[0]
        solutions_done = True
        results[gid] = kernel.run(source)
    assert solutions_done or not suite.cells
    return results


COLLATERAL_KINDS = ("written", "stub")
"""The mutants that are also tried on the exercises after their own. A later exercise sees an
earlier answer through its name only, and the stub (which raises) finds every such use; a constant,
hard-coded or reference answer would find the same uses again. A written mistake can do more
(change an array or a generator the later tests share), so it is tried on all of them."""


def _mutated_cells(suite, exercise, mutant=None, collateral=True):
    """The cells a fork runs for ``mutant`` of ``exercise``: from its solution cell on, the answer
    replaced or wrapped as :func:`grade` does; only up to the next exercise (its own tests) without
    ``collateral`` or for a mutant whose kind is not in :data:`COLLATERAL_KINDS`."""
    start = next(i for i, (kind, gid, _) in enumerate(suite.cells) if kind == "solution" and gid == exercise)
    later = collateral and (mutant is None or mutant.kind in COLLATERAL_KINDS)
    cells = []
    for kind, gid, source in suite.cells[start:]:
        if kind == "solution" and gid != exercise and not later:
            break
        if kind == "solution":
            if mutant is not None and gid == mutant.exercise and mutant.source is not None:
                source = mutant.source
            cells.append(("solution", gid, source))
            if mutant is not None and gid == mutant.exercise and mutant.kind == "hardcoded":
                cells.append(("wrap", gid, f"{gid} = {MODULE}.hardcoded_version({gid}, {gid!r})"))
            if mutant is not None and gid == mutant.exercise and mutant.extra:
                cells.append(("wrap", gid, mutant.extra))
            continue
        cells.append(("test", gid, source))
    return cells


def grade_forked(kernel, suite, mutants, jobs=None, timeout=120, collateral=True):
    """What :func:`grade` gives for the solution (the baseline) and for each of ``mutants``, in
    one kernel: the cells before an exercise's solution run once, each mutant in a fork from
    there, ``jobs`` forks at a time. Returns ``(baseline, [results of each mutant])``. Without
    ``collateral``, a mutant's fork runs its own exercise's tests only: the exercises after it
    are not tried again, and keep their baseline results."""
    import json
    import time

    if not jobs:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    def fresh():
        kernel.run("%reset -f")
        setup = kernel.run(suite.setup)
        if not setup.passed:
            raise RuntimeError(f"the setup cell fails: {setup.ename}: {setup.evalue}")

    # The answers a hard-coded mutant replays: one run of the visible tests, recording every
    # exercise that has one (as :func:`grade` records one exercise per run; the recordings survive
    # the namespace's reset).
    recorded = {m.exercise for m in mutants if m.kind == "hardcoded"}
    if recorded:
        fresh()
        for kind, gid, source in suite.cells:
            if kind == "solution":
                kernel.run(source)
                if gid in recorded:
                    kernel.run(f"{gid} = {MODULE}.recording_version({gid}, {gid!r})")
            else:
                kernel.run(source.split(HIDDEN_MARK)[0])
    fresh()
    baseline, found = {}, [None] * len(mutants)
    work = tempfile.TemporaryDirectory(prefix="mlbasics-mutants-")
    counter = iter(range(10 ** 9))

    def start(cells):
        tag = os.path.join(work.name, str(next(counter)))
        with open(tag + ".job", "w") as fh:
            json.dump({"cells": cells, "timeout": kernel.timeout, "out": tag + ".json"}, fh)
        reply = kernel.run(f"{MODULE}.fork_run({tag + '.job'!r})")
        if not reply.passed:
            raise RuntimeError(f"could not fork the kernel: {reply.ename}: {reply.evalue}")
        return tag

    def ended(tag):
        """Whether the fork of ``tag`` is gone (or a zombie) without having written its results."""
        try:
            with open(tag + ".json.pid") as fh:
                pid = int(fh.read())
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        except (OSError, ValueError):
            return not os.path.exists("/proc")  # no /proc: rely on the deadline

    def wait(tags):
        """{tag: [[gid, passed, ename, evalue], ...]} once each fork wrote its results. A fork that
        died (a mutant that crashes its process) fails the tests it did not report."""
        done, deadline = {}, time.monotonic() + kernel.timeout * len(suite.cells) + 60
        while len(done) < len(tags):
            for tag in tags:
                if tag in done:
                    continue
                if os.path.exists(tag + ".json"):
                    with open(tag + ".json") as fh:
                        rows = json.load(fh)
                    if isinstance(rows, dict):
                        raise RuntimeError(f"a mutant's fork of the kernel failed: {rows['error']}")
                    done[tag] = rows
                elif ended(tag) and not os.path.exists(tag + ".json"):
                    done[tag] = None  # the mutant ended its process
            if len(done) < len(tags):
                if time.monotonic() > deadline:
                    raise RuntimeError("a mutant's fork of the kernel did not finish")
                time.sleep(0.01)
        kernel.run(f"{MODULE}.reap()")
        return done

    try:
        for index, (kind, gid, source) in enumerate(suite.cells):
            if kind == "solution":
                mine = [i for i, m in enumerate(mutants) if m.exercise == gid]
                for batch in range(0, len(mine), jobs):
                    tags = {start(_mutated_cells(suite, gid, mutants[i], collateral)): i
                            for i in mine[batch:batch + jobs]}
                    for tag, rows in wait(list(tags)).items():
                        if rows is None:
                            later = [g for k, g, _ in _mutated_cells(suite, gid, mutants[tags[tag]], collateral)
                                     if k == "test"]
                            rows = [[g, False, "DeadKernelError", "the kernel died"] for g in later]
                        found[tags[tag]] = {g: CellResult(p, e, v) for g, p, e, v in rows}
                kernel.run(source)
            else:
                baseline[gid] = kernel.run(source)
    finally:
        work.cleanup()
    # a test before a mutant's exercise ran before its answer: its result is the baseline's
    return baseline, [{**baseline, **rows} for rows in found]


@dataclass
class Verdict:
    mutant: Mutant
    killed: bool  # its own exercise lost points
    collateral: list  # other exercises that lost points (not listed in `affects`)
    hint_shown: bool  # None when no hint was expected
    message: str


def translated_hints(phrase, tables):
    """What an edition's failure message shows for the English ``phrase`` (a mutant's hint): the
    longest fixed part of each translation whose English contains it (``tables``: the notebook's
    and the package's msgid -> msgstr)."""
    import re

    def norm(text):
        return " ".join(text.split())

    from mlbasics.course.edition import shown_text

    def literal(text):  # an f-string's doubled braces are single ones when shown
        return text.replace("{{", "{").replace("}}", "}")

    field = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}(?!\})")
    found = []
    for table in tables:
        for english, translated in table.items():
            if norm(phrase) in norm(literal(shown_text(english))):
                parts = [norm(literal(p)) for p in field.split(shown_text(translated))]
                found.append(max(parts, key=len))
    return found


def judge(suite, mutant, results, tables=None):
    """The :class:`Verdict` of ``mutant``. With ``tables`` (an edition's translations), its hint is
    looked for in the edition's words."""
    own = next(ex for ex in suite.exercises if ex.grade_id == mutant.exercise)
    failed = [gid for gid in own.tests if not results[gid].passed]
    others = [ex for ex in suite.exercises if ex.grade_id != mutant.exercise and ex.grade_id not in mutant.affects]
    collateral = [gid for ex in others for gid in ex.tests if not results[gid].passed]
    message = "\n".join(f"{gid}: {results[gid].ename}: {results[gid].evalue}" for gid in failed)
    hint = None
    expected = mutant.hint or ("reference implementation" if mutant.kind == "reference" else None)
    if expected:
        phrases = [" ".join(p.split()) for p in ([expected] if tables is None else translated_hints(expected, tables))]
        shown = [" ".join(results[gid].evalue.split()) for gid in failed]
        hint = any(p in text for p in phrases for text in shown)
    return Verdict(mutant, bool(failed), collateral, hint, message)


def run_notebook(source_path, released_path=None, mutants_path=None, generic=True, edition=None, forked=True,
                 jobs=None, collateral=True):
    """Grade every mutant of one notebook; return (suite, baseline results, verdicts). With
    ``edition``, the notebook is that edition's (made from ``source_path`` and its translation) and
    each hint must show in the edition's words. ``forked`` (where the system can fork) runs each
    mutant in a fork of one kernel, ``jobs`` at a time (:func:`grade_forked`; without
    ``collateral``, only up to its own exercise's tests); otherwise each mutant reruns the notebook
    from the top (:func:`grade`)."""
    forked = forked and hasattr(os, "fork")
    from mlbasics.course import layout

    source_nb = layout.read_notebook(source_path)
    tables = None
    if edition:
        from mlbasics.course import edition as editions

        assignment = Path(source_path).stem
        tables = editions.tables(assignment, edition, Path(source_path).parents[2])
        source_nb = editions.translate(source_nb, tables[0], edition, assignment)
    released_nb = layout.read_notebook(released_path) if released_path and Path(released_path).is_file() else None
    suite = build_suite(source_nb, released_nb)
    mutants = load_written_mutants(mutants_path, [ex.grade_id for ex in suite.exercises]) if mutants_path else []
    if generic:
        mutants += generic_mutants(suite)
    kernel = Kernel(Path(source_path).parent)
    try:
        if forked:
            baseline, results = grade_forked(kernel, suite, mutants, jobs=jobs, collateral=collateral)
            verdicts = [judge(suite, m, r, tables) for m, r in zip(mutants, results)]
        else:
            baseline = grade(kernel, suite)
            verdicts = []
            recorded = set()
            for mutant in mutants:
                if mutant.kind == "hardcoded" and mutant.exercise not in recorded:
                    grade(kernel, suite, record_visible=mutant.exercise)
                    recorded.add(mutant.exercise)
                verdicts.append(judge(suite, mutant, grade(kernel, suite, mutant), tables))
    finally:
        kernel.close()
    return suite, baseline, verdicts


def mutants_file(assignment, root):
    """An assignment's known wrong answers live beside its source: ``solutions/<id>/mutants.py``."""
    return Path(root) / "solutions" / assignment / "mutants.py"


def problems(suite, baseline, verdicts, min_written=2):
    """Everything that makes a notebook's graders untrustworthy, in plain words."""
    out = [f"{gid} fails on the solution: {r.ename}: {r.evalue[:200]}" for gid, r in baseline.items() if not r.passed]
    for ex in suite.exercises:
        if not ex.tests:
            out.append(f"{ex.grade_id}: no test cell follows this solution cell")
        written = [v for v in verdicts if v.mutant.exercise == ex.grade_id and v.mutant.kind == "written"]
        if len(written) < min_written:
            out.append(f"{ex.grade_id}: {len(written)} written mutant(s), at least {min_written} needed")
    for v in verdicts:
        label = f"{v.mutant.exercise} / {v.mutant.name} ({v.mutant.kind})"
        if not v.killed:
            out.append(f"{label}: not caught, the exercise keeps full marks")
        if v.collateral:
            out.append(f"{label}: other exercises lose points too: {', '.join(v.collateral)}")
        if v.hint_shown is False:
            expected = v.mutant.hint or "reference implementation"
            out.append(f"{label}: the failure message does not say {expected!r}; it says: {v.message[:300]!r}")
    return out


def table(assignment, suite, verdicts):
    """One line per exercise: mutants, mutants killed, hints checked."""
    lines = [f"{assignment}", f"  {'exercise':<28} mutants  killed  hints checked"]
    for ex in suite.exercises:
        mine = [v for v in verdicts if v.mutant.exercise == ex.grade_id]
        hinted = [v for v in mine if v.hint_shown is not None]
        lines.append(f"  {ex.grade_id:<28} {len(mine):>7}  {sum(v.killed and not v.collateral for v in mine):>6}  "
                     f"{sum(bool(v.hint_shown) for v in hinted):>5} of {len(hinted)}")
    return "\n".join(lines)


def main(assignment=None, root=None, out=print, edition=None):
    from mlbasics.course import layout
    from mlbasics.course.edition import check_edition

    edition = check_edition(edition)
    root = Path(root or layout.ROOT)
    names = layout.selected(assignment, root)
    bad = 0
    for name in names:
        suite, baseline, verdicts = run_notebook(layout.solution_path(name, root),
                                                 layout.release_path(name, root, edition),
                                                 mutants_file(name, root), edition=edition)
        out(table(name + (f" ({edition} edition)" if edition else ""), suite, verdicts))
        for problem in problems(suite, baseline, verdicts):
            bad += 1
            out(f"    - {problem}")
    return 1 if bad else 0
