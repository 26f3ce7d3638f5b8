"""Checks used by the notebooks' test cells.

Every check raises :class:`CheckFailed` (an ``AssertionError``, so nbgrader counts it as a failed
test) with a message written for the learner: what was checked, on which input, what was expected,
what came back, and, when the answer matches a known mistake, what that mistake is.

Two guards keep grades honest:

- :func:`forbid_reference` makes the reference implementations in :mod:`mlbasics` raise while a
  learner's answer runs, so an answer that only calls the reference scores zero;
- :func:`assert_own_work` rejects an answer that *is* the reference (imported under the
  exercise's name, subclassed, or its source copied).
"""

import ast
import contextlib
import inspect
import textwrap
import types
import unicodedata

import numpy as np

from mlbasics.i18n import _

__all__ = [
    "CheckFailed",
    "ReferenceUsed",
    "assert_close",
    "assert_equal",
    "assert_shape",
    "assert_true",
    "assert_own_work",
    "forbid_reference",
    "own_work",
    "replaced",
    "describe",
]


class CheckFailed(AssertionError):
    """A test-cell check failed; the message is meant for the learner."""


class ReferenceUsed(CheckFailed):
    """The answer called or copied the reference implementation instead of doing the work."""


def describe(value, limit=6):
    """A short, readable rendering of a value for failure messages."""
    if isinstance(value, dict):
        inner = ", ".join(f"{k!r}: {describe(v, limit)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)) and not _is_numeric_sequence(value):
        inner = ", ".join(describe(v, limit) for v in value[:limit])
        more = ", ..." if len(value) > limit else ""
        return ("[" if isinstance(value, list) else "(") + inner + more + ("]" if isinstance(value, list) else ")")
    if callable(value) and not isinstance(value, np.ndarray):
        return getattr(value, "__name__", repr(value))
    arr = np.asarray(value) if _is_numeric_sequence(value) or isinstance(value, (np.ndarray, np.generic, float, int)) else None
    if arr is None or arr.dtype == object:
        return repr(value)
    if arr.ndim == 0:
        return np.format_float_positional(float(arr), precision=6, trim="-") if arr.dtype.kind == "f" else str(arr)
    with np.printoptions(precision=5, threshold=limit * 2, edgeitems=limit // 2, suppress=False):
        text = np.array2string(arr, separator=", ")
    return _("array of shape {shape}: {text}").format(shape=arr.shape, text=text) if arr.size > limit * 2 else text


def _is_numeric_sequence(value):
    if not isinstance(value, (list, tuple)):
        return False
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


def _fail(what, inputs, expected, got, detail=None, hint=None, cls=CheckFailed):
    def field(label, value):
        text = value if isinstance(value, str) else describe(value)
        # padded by the columns it takes (a Hangul letter takes two), so the values line up
        pad = " " * max(1, 11 - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label))
        return f"  {label}{pad}{text}".replace("\n", "\n" + " " * 13)  # a multi-line array stays aligned

    lines = [f"{what}"]
    if inputs is not None:
        lines.append(field(_("for input:"), inputs))
    lines.append(field(_("expected:"), expected))
    lines.append(field(_("got:"), got))
    if detail:
        lines.append(f"  {detail}")
    if hint:
        lines.append("  " + _("Hint: {hint}").format(hint=hint))
    raise cls("\n".join(lines))


def _is_close(actual, expected, rtol, atol):
    try:
        a = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    e = np.asarray(expected, dtype=np.float64)
    return a.shape == e.shape and bool(np.all(np.isfinite(a) == np.isfinite(e))) and bool(
        np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    )


SIGN_FLIPPED = ("your result is the negative of the expected one: the sign is flipped. Look for a subtraction "
                "done the wrong way round (b - a instead of a - b) or a minus sign too many or too few.")
"""The hint of :func:`assert_close` for an answer that is exactly the expected one negated, when no
named mistake matched."""


def _family(actual, a, e, inputs, rtol, atol):
    """A mistake recognised by a property of the answer, whatever the exercise: the families every
    exercise can fall into (integer arithmetic, a reduction over the wrong axis or the whole array,
    a constant factor off, a sequence shifted or one element off). None when none fits."""
    if a.shape == e.shape and a.size and np.all(np.isfinite(a)) and np.all(np.isfinite(e)):
        raw = np.asarray(actual)
        if raw.dtype.kind in "iub" and not np.allclose(e, np.round(e)):
            return _("your result holds whole numbers only, where the answer has fractions: the arithmetic ran on "
                     "integers (an integer input? convert it first, e.g. np.asarray(x, dtype=float)).")
        if (not np.allclose(e, np.round(e)) and np.allclose(a, np.round(a)) and _integer_input(inputs)
                and (np.allclose(a, np.trunc(e)) or np.allclose(a, np.floor(e)))):
            return _("your result is the answer with its fractions cut off: an integer input kept the arithmetic in "
                     "integers (convert it first, e.g. np.asarray(x, dtype=float)).")
        nonzero = np.abs(e) > atol
        if nonzero.all() and e.size > 1:
            ratio = a / e
            k = float(np.median(ratio))
            if abs(k) > 1e-12 and not np.isclose(abs(k), 1.0, rtol=1e-3) and np.allclose(ratio, k, rtol=max(rtol, 1e-6)):
                return _("every value is {k} times the expected one: a constant factor is off (a 2 or 1/2, the "
                         "batch size, a mean where a sum belongs or the other way round?).").format(k=f"{k:.6g}")
        if e.ndim == 1 and e.size > 2 and (np.allclose(a[1:], e[:-1], rtol=rtol, atol=atol)
                                           or np.allclose(a[:-1], e[1:], rtol=rtol, atol=atol)):
            return _("your sequence is the expected one shifted by one position: a counter or a range is off by one "
                     "(starting at 1 instead of 0, or updating before recording).")
    if a.shape != e.shape:
        if a.ndim == 0 and e.size > 1:
            return _("you returned one number where an array is expected: a reduction (sum, mean, max) over the whole "
                     "array instead of along one axis (pass axis=...).")
        if a.ndim == e.ndim == 1 and abs(a.size - e.size) == 1:
            if a.size > e.size:
                return _("one element too many: a loop or a range is off by one (check where it starts and where it stops).")
            return _("one element too few: a loop or a range is off by one (check where it starts and where it stops).")
        shapes = [np.shape(x) for x in (inputs if isinstance(inputs, (list, tuple)) else [inputs])
                  if isinstance(x, np.ndarray)]
        if a.ndim == e.ndim == 1 and any(len(sh) == 2 and set(sh) == {a.size, e.size} for sh in shapes):
            return _("one value per the other axis: {got} values instead of {want}, so the reduction ran over "
                     "the wrong axis (axis=0 is down the rows, axis=1 across the columns).").format(got=a.size, want=e.size)
    return None


def _integer_input(inputs):
    items = inputs.values() if isinstance(inputs, dict) else inputs if isinstance(inputs, (list, tuple)) else [inputs]
    return any(np.asarray(x).dtype.kind in "iu" for x in items if isinstance(x, (np.ndarray, int, list, tuple))
               and not isinstance(x, bool) and np.asarray(x).dtype != object)


def assert_close(actual, expected, *, what, inputs=None, rtol=1e-6, atol=1e-9, mistakes=None, hint=None,
                 diagnose=None):
    """Check that ``actual`` is numerically close to ``expected``.

    Parameters
    ----------
    actual, expected : array_like
        What the learner's code returned, and the right answer.
    what : str
        What is being checked, in words ("numerical_gradient of f(x) = x**2 at x = 3").
    inputs : optional
        The input that produced ``actual``, shown in the message.
    rtol, atol : float
        Tolerances, as in ``numpy.testing.assert_allclose``.
    mistakes : dict, optional
        ``{hint: value}``: values that known mistakes would produce. When ``actual`` is close to
        one of them, that hint is added to the message.
    hint : str, optional
        A hint shown whenever this check fails and no specific mistake matched.
    diagnose : callable, optional
        ``diagnose(actual_array) -> str or None``: for mistakes recognised by a property of the
        answer rather than by one value (e.g. "every component is off by the same positive amount").

    Notes
    -----
    When neither ``mistakes`` nor ``diagnose`` explains the failure and ``actual`` is ``-expected``,
    the message says that the sign is flipped (:data:`SIGN_FLIPPED`), followed by ``hint`` if any;
    otherwise a mistake every exercise can make is named when a property of the answer shows it
    (whole numbers where fractions belong, a constant factor off, a sequence shifted or one element
    off, a reduction over the whole array or the wrong axis).
    """
    if actual is None:
        _fail(what, inputs, expected, "None", hint=_("your function returned nothing: is a `return` missing?"))
    try:
        a = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(what, inputs, expected, repr(actual), detail=_("The result is not a number or an array of numbers."))
    e = np.asarray(expected, dtype=np.float64)
    matched = None
    for mistake_hint, value in (mistakes or {}).items():
        if _is_close(actual, value, rtol, atol) and not _is_close(value, expected, rtol, atol):
            matched = mistake_hint
            break
    if matched is None and diagnose is not None and a.shape == e.shape and not _is_close(a, e, rtol, atol):
        try:
            matched = diagnose(a)
        except Exception:  # a diagnosis must never hide the real failure
            matched = None
    if matched is None and a.shape == e.shape and _is_close(a, -e, rtol, atol) and not _is_close(e, -e, rtol, atol):
        # No named mistake, but one every exercise can make: the answer is the expected one negated.
        matched = _(SIGN_FLIPPED) + (f" {hint}" if hint else "")
    if matched is None:
        family = _family(actual, a, e, inputs, rtol, atol)
        if family:
            matched = family + (f" {hint}" if hint else "")
    if a.shape != e.shape:
        if a.size == e.size and matched is None:
            matched = _("the values may be right but the shape is {got}, not {want}: check reshape/axis/keepdims."
                        ).format(got=a.shape, want=e.shape)
        _fail(what, inputs, _("shape {shape}").format(shape=e.shape), _("shape {shape}").format(shape=a.shape),
              hint=matched or hint)
    if not np.all(np.isfinite(a) == np.isfinite(e)):
        _fail(what, inputs, expected, actual, detail=_("Your result has inf or nan where the answer is finite."),
              hint=matched or hint)
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
        diff = np.abs(a - e)
        worst = np.unravel_index(np.nanargmax(diff), diff.shape) if diff.ndim else ()
        detail = None
        if diff.ndim:
            detail = _("Largest difference at index {index}: expected {want}, got {got}.").format(
                index=tuple(int(i) for i in worst), want=describe(e[worst]), got=describe(a[worst]))
        _fail(what, inputs, expected, actual, detail=detail, hint=matched or hint)


def assert_equal(actual, expected, *, what, inputs=None, hint=None):
    """Check exact equality (integers, shapes, labels, booleans)."""
    ok = np.array_equal(np.asarray(actual), np.asarray(expected)) if not isinstance(expected, (str, type(None))) else actual == expected
    if not ok:
        _fail(what, inputs, expected, actual, hint=hint)


def assert_shape(actual, shape, *, what, inputs=None, hint=None):
    """Check that ``actual`` is an array (or array-like) of the given shape."""
    got = np.shape(actual) if actual is not None else "None"
    if got != tuple(shape):
        _fail(what, inputs, _("shape {shape}").format(shape=tuple(shape)),
              _("shape {shape}").format(shape=got) if actual is not None else "None", hint=hint)


def assert_true(condition, message):
    """Check a condition; ``message`` explains to the learner what was wrong."""
    if not condition:
        raise CheckFailed(message)


# ---------------------------------------------------------------------------------------------
# Own work: the answer must not be the reference.

_REFERENCE_MSG = (
    "{name}: your answer uses mlbasics' reference implementation ({ref}) instead of your own code. "
    "This exercise scores zero until you write it yourself."
)


def _code_shape(obj):
    """An identifier-free dump of an object's source, or None when it has none."""
    try:
        source = textwrap.dedent(inspect.getsource(obj))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    return _tree_shape(tree)


def _tree_shape(tree):
    """``(dump, size)`` of a parsed function or class (``tree``, changed in place): its names
    numbered in order of appearance, its own names, docstrings, annotations and decorators left out."""
    names = {}

    class Anonymise(ast.NodeTransformer):
        def _name(self, ident):
            return names.setdefault(ident, f"v{len(names)}")

        def visit_Name(self, node):
            return ast.copy_location(ast.Name(id=self._name(node.id), ctx=node.ctx), node)

        def visit_arg(self, node):
            node.arg = self._name(node.arg)
            node.annotation = None
            return node

        def visit_FunctionDef(self, node):
            node.name = "f"
            node.returns = None
            node.decorator_list = []
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
            self.generic_visit(node)
            return node

        def visit_ClassDef(self, node):
            node.name = "C"
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                node.body = body[1:] or [ast.Pass()]
            self.generic_visit(node)
            return node

    tree = Anonymise().visit(tree)
    return ast.dump(tree, annotate_fields=False), sum(1 for _ in ast.walk(tree))


MIN_COPY_SIZE = 40
"""Functions smaller than this many syntax nodes are not judged as copies: a two-line textbook
answer (``s = sigmoid(x); return s * (1 - s)``) is written the same way by everyone."""


def _reachable(answer, depth=2):
    """``answer`` and the functions and classes it calls by name from its own module, a few levels deep."""
    seen, frontier = [], [answer]
    for _ in range(depth + 1):
        nxt = []
        for obj in frontier:
            if any(obj is s for s in seen):
                continue
            seen.append(obj)
            functions = [v for v in vars(obj).values() if isinstance(v, types.FunctionType)] if inspect.isclass(obj) \
                else [obj] if isinstance(obj, types.FunctionType) else []
            for fn in functions:
                for name in fn.__code__.co_names:
                    target = fn.__globals__.get(name)
                    if (isinstance(target, types.FunctionType) or inspect.isclass(target)) \
                            and getattr(target, "__module__", None) == getattr(answer, "__module__", None):
                        nxt.append(target)
        frontier = nxt
    return seen


def _reference_shapes(references):
    """Shapes of every function and class defined in the references' modules, large enough to judge."""
    shapes = {}
    for ref in references:
        module = inspect.getmodule(ref)
        shapes.update(_module_shapes(module) if module else _shapes_of([ref], None))
    return shapes


_MODULE_SHAPES = {}  # module name -> shapes: a module's source does not change while a notebook runs


def _module_shapes(module):
    if module.__name__ not in _MODULE_SHAPES:
        _MODULE_SHAPES[module.__name__] = _shapes_of(vars(module).values(), module.__name__, _definitions(module))
    return _MODULE_SHAPES[module.__name__]


def _definitions(module):
    """The module's top-level ``def`` and ``class`` statements by name, from one reading of its
    source (reading each function's source on its own reads the file again each time)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return {}
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _shapes_of(objects, module_name, definitions=None):
    shapes = {}
    for obj in objects:
        if (isinstance(obj, types.FunctionType) or inspect.isclass(obj)) \
                and (module_name is None or obj.__module__ == module_name):
            node = (definitions or {}).get(obj.__qualname__)
            if node is not None and _defined_by(obj, node):
                found = _tree_shape(ast.Module(body=[node], type_ignores=[]))
            else:  # made by other code, or defined under another name: its own source
                found = _code_shape(obj)
            if found and found[1] >= MIN_COPY_SIZE:
                shapes[found[0]] = f"{obj.__module__}.{obj.__qualname__}"
    return shapes


def _defined_by(obj, node):
    """Whether the top-level statement ``node`` is the one that made ``obj`` (the same first line,
    decorators included, for a function)."""
    if inspect.isclass(obj):
        return True  # the module's attribute of that name is the last class statement of that name
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return obj.__code__.co_firstlineno == first


def assert_own_work(answer, *references, name=None):
    """Fail when ``answer`` is, wraps by inheritance, or copies one of ``references``.

    A copy is a function or class, the answer or one it calls, whose code has the shape of one in
    the references' modules (names, strings and docstrings aside), if it is large enough to tell.
    """
    name = name or getattr(answer, "__name__", "your answer")
    for ref in references:
        ref_name = f"{ref.__module__}.{ref.__qualname__}"
        module = getattr(answer, "__module__", "") or ""
        if answer is ref or module.startswith("mlbasics"):
            raise ReferenceUsed(_(_REFERENCE_MSG).format(name=name, ref=ref_name))
        if inspect.isclass(answer) and inspect.isclass(ref) and issubclass(answer, ref):
            raise ReferenceUsed(_(_REFERENCE_MSG).format(name=name, ref=ref_name))
    shapes = _reference_shapes(references)
    for obj in _reachable(answer):
        found = _code_shape(obj)
        if found and found[1] >= MIN_COPY_SIZE and found[0] in shapes:
            raise ReferenceUsed(_(_REFERENCE_MSG).format(name=name, ref=shapes[found[0]]) + _(" (its code is a copy.)"))


def _tripwire_code(qualname):
    def tripwire(*args, **kwargs):
        raise RuntimeError("")  # a builtin name: the swapped code runs with the reference's globals

    message = _(_REFERENCE_MSG).format(name=_("this exercise"), ref=qualname)
    code = tripwire.__code__
    consts = tuple(message if c == "" else c for c in code.co_consts)
    return code.replace(co_consts=consts, co_name=qualname.rsplit(".", 1)[-1]), message


@contextlib.contextmanager
def forbid_reference(*references):
    """Make ``references`` (functions, or classes whose methods are then all blocked) fail with
    :class:`ReferenceUsed` while the block runs, however the learner imported them.

    Functions are blocked by swapping their code object, so a name bound with
    ``from mlbasics.x import f`` is blocked too. Everything is restored on exit.
    """
    swapped, messages = [], set()
    try:
        for ref in references:
            targets = []
            if inspect.isclass(ref):
                for attr, value in vars(ref).items():
                    if isinstance(value, types.FunctionType):
                        targets.append((value, f"{ref.__module__}.{ref.__qualname__}.{attr}"))
            elif isinstance(ref, types.FunctionType):
                targets.append((ref, f"{ref.__module__}.{ref.__qualname__}"))
            else:
                raise TypeError(f"forbid_reference takes functions and classes, got {ref!r}")
            for fn, qualname in targets:
                original = fn.__code__
                trip, message = _tripwire_code(qualname)
                if original.co_freevars:
                    trip = trip.replace(co_freevars=original.co_freevars)
                fn.__code__ = trip
                swapped.append((fn, original))
                messages.add(message)
        yield
    except RuntimeError as err:
        if err.args and err.args[0] in messages:
            raise ReferenceUsed(err.args[0]) from None
        raise
    finally:
        for fn, original in reversed(swapped):
            fn.__code__ = original


@contextlib.contextmanager
def own_work(answer, *references, name=None):
    """Check that ``answer`` is the learner's own code, then run the block with ``references``
    blocked (see :func:`assert_own_work` and :func:`forbid_reference`).

    Hidden tests wrap every call of the learner's answer in it::

        with grading.own_work(sigmoid, reference.sigmoid):
            got = sigmoid(x)
    """
    assert_own_work(answer, *references, name=name)
    with forbid_reference(*references):
        yield


@contextlib.contextmanager
def replaced(namespace, **names):
    """Run the block with some names of ``namespace`` bound to stand-ins, restored on exit.

    A test cell grades one exercise on its own: the functions it calls from *other* exercises
    get known-good stand-ins while the test runs, so that a mistake costs points in one exercise
    only, and the learner's own versions are back afterwards::

        with grading.replaced(globals(), split_sizes=data.split_sizes):
            ...  # tests of train_val_test_split, which calls split_sizes

    Parameters
    ----------
    namespace : dict
        The notebook's ``globals()``.
    **names
        Name -> stand-in.
    """
    missing = object()
    saved = {name: namespace.get(name, missing) for name in names}
    namespace.update(names)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


# --- How a failure reads in a notebook ----------------------------------------------------------------
# A failed check shows its message alone (what was checked, expected, got, a hint), not a traceback
# through this module; an exercise not answered yet says so. Every other error keeps its traceback.

_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


def _render_check_failed(self):
    """IPython's rendering of a failed check (``_render_traceback_``): the message in plain words."""
    return [f"{_RED}{type(self).__name__}{_RESET}: {self}"]


CheckFailed._render_traceback_ = _render_check_failed


NOT_ANSWERED = "{name} is not answered yet: replace `raise NotImplementedError()` in its exercise cell with your code"
"""What an exercise that still holds its stub says: in the notebook (then "run that cell, then run this
one again"), in ``make check``'s table and on its feedback page."""


def not_answered(name):
    """:data:`NOT_ANSWERED` for the exercise ``name``."""
    return _(NOT_ANSWERED).format(name=name)


def _not_answered(shell, etype, value, tb, tb_offset=None):
    """IPython handler for NotImplementedError: the bare ``raise NotImplementedError()`` of an exercise
    stub, raised from a notebook cell, reads as "<name> is not answered yet"; any other is shown as usual."""
    last = tb
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    code = last.tb_frame.f_code if last is not None else None
    in_cell = code is not None and (code.co_filename in getattr(shell.compile, "_filename_map", {})
                                    or code.co_filename.startswith("<ipython-input"))
    if not value.args and in_cell and code.co_name != "<module>":
        name = getattr(code, "co_qualname", code.co_name)
        stb = [f"{_RED}{etype.__name__}{_RESET}: {not_answered(name)}" + _(", run that cell, then run this one again.")]
    else:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, value, stb)


def _show_unanswered_plainly():
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc") and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((NotImplementedError,), _not_answered)


_show_unanswered_plainly()
