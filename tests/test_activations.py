"""Tests for mlbasics.activations: values, derivatives, stability, dtypes and properties."""

from functools import partial

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics.activations import (
    hardmax,
    log_softmax,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    tanh,
    tanh_grad,
)
from mlbasics.gradients import numerical_gradient

ALL = [sigmoid, sigmoid_grad, tanh, tanh_grad, relu, relu_grad, softmax, log_softmax, hardmax]
ALL_IDS = [f.__name__ for f in ALL]
WIDE = [-1e4, -1e3, -745.0, -50.0, -1.0, 0.0, 1.0, 50.0, 745.0, 1e3, 1e4]


def wide_arrays(max_dims=3, bound=1e4):
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=max_dims, max_side=5),
                      elements=st.floats(-bound, bound))


# --- hand-computed values ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "f, x, expected",
    [
        (sigmoid, [0.0, np.log(3), -np.log(3)], [0.5, 0.75, 0.25]),
        (sigmoid_grad, [0.0, np.log(3), -np.log(3)], [0.25, 0.1875, 0.1875]),
        (tanh, [0.0, np.log(2)], [0.0, 0.6]),  # tanh(log 2) = (2 - 1/2) / (2 + 1/2)
        (tanh_grad, [0.0, np.log(2)], [1.0, 0.64]),
        (relu, [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
        (relu_grad, [-2.0, 0.0, 3.0], [0.0, 0.0, 1.0]),
        (softmax, np.log([1.0, 2.0, 3.0]), [1 / 6, 2 / 6, 3 / 6]),
        (softmax, [[0.0, 0.0], [0.0, np.log(3)]], [[0.5, 0.5], [0.25, 0.75]]),
        (log_softmax, [0.0, 0.0, 0.0], [-np.log(3)] * 3),
        (log_softmax, np.log([1.0, 3.0]), np.log([0.25, 0.75])),
        (hardmax, [1.0, 3.0, 2.0], [0.0, 1.0, 0.0]),
        (hardmax, [[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
    ],
)
def test_hand_computed_values(f, x, expected):
    assert_allclose(f(np.array(x)), expected, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("f, x, expected", [
    (sigmoid, -50.0, 1.9287498479639178e-22),
    (sigmoid, 50.0, 1.0),
    (sigmoid, -700.0, 9.859676543759770e-305),
    (sigmoid_grad, -50.0, 1.9287498479639178e-22),  # sigma (1 - sigma) ~ sigma in the left tail
])
def test_relative_accuracy_in_the_tail(f, x, expected):
    assert_allclose(f(x), expected, rtol=1e-12)


def test_sigmoid_tail_in_float32():
    value = sigmoid(np.float32(-50.0))
    assert value.dtype == np.float32
    assert_allclose(value, 1.9287498479639178e-22, rtol=1e-6)


def test_hardmax_along_other_axes_takes_first_of_ties():
    z = np.array([[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]])
    assert_array_equal(hardmax(z, axis=0), [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    assert_array_equal(hardmax(np.array([5.0, 5.0, 5.0])), [1.0, 0.0, 0.0])
    assert_array_equal(hardmax(np.float64(2.0)), 1.0)


# --- derivatives against finite differences ---------------------------------------------------

@pytest.mark.parametrize(
    "f, df, low, high",
    [(sigmoid, sigmoid_grad, -8, 8), (tanh, tanh_grad, -4, 4), (relu, relu_grad, 0.05, 3)],
    ids=["sigmoid", "tanh", "relu"],
)
@pytest.mark.parametrize("shape", [(), (7,), (3, 4)])
def test_derivative_matches_numerical_gradient(f, df, low, high, shape):
    rng = np.random.default_rng(0)
    # for relu, stay at least 0.05 away from the kink at 0, on both sides
    x = rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    w = rng.normal(size=shape)  # random weights: checks every component, not only their sum
    numeric = numerical_gradient(lambda v: np.sum(w * f(v)), x)
    assert_allclose(w * df(x), numeric, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax_jacobians_match_numerical(axis):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 4))
    w = rng.normal(size=(3, 4))
    p = softmax(z, axis=axis)
    s = np.sum(w * p, axis=axis, keepdims=True)
    # J^T w for softmax is p (w - <w, p>); for log_softmax it is w - p sum(w)
    assert_allclose(numerical_gradient(lambda v: np.sum(w * softmax(v, axis=axis)), z), p * (w - s),
                    rtol=1e-7, atol=1e-10)
    assert_allclose(numerical_gradient(lambda v: np.sum(w * log_softmax(v, axis=axis)), z),
                    w - p * np.sum(w, axis=axis, keepdims=True), rtol=1e-7, atol=1e-10)


def test_derivative_maxima():
    x = np.linspace(-10, 10, 2001)
    assert_allclose(sigmoid_grad(x).max(), 0.25, rtol=1e-15)
    assert_allclose(tanh_grad(x).max(), 1.0, rtol=1e-15)
    assert np.argmax(sigmoid_grad(x)) == np.argmax(tanh_grad(x)) == 1000  # both at x = 0


# --- agreement with scipy.special -------------------------------------------------------------

@pytest.mark.parametrize("scale", [1.0, 30.0, 700.0, 1e4])
@pytest.mark.parametrize("shape", [(50,), (6, 7), (3, 4, 5)])
def test_sigmoid_agrees_with_expit(scale, shape):
    x = np.random.default_rng(2).normal(size=shape) * scale
    # below about -708, expit's 1 / (1 + e^700+) and our e / (1 + e) both enter subnormals
    assert_allclose(sigmoid(x), scipy.special.expit(x), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("ours, theirs", [(softmax, scipy.special.softmax),
                                          (log_softmax, scipy.special.log_softmax)],
                         ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3])
@pytest.mark.parametrize("shape, axis", [((8,), -1), ((6, 7), -1), ((6, 7), 0), ((3, 4, 5), 1),
                                         ((3, 4, 5), -3)])
def test_softmax_family_agrees_with_scipy(ours, theirs, scale, shape, axis):
    z = np.random.default_rng(3).normal(size=shape) * scale
    assert_allclose(ours(z, axis=axis), theirs(z, axis=axis), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("ours, theirs, atol", [(sigmoid, scipy.special.expit, 1e-37),
                                                (softmax, partial(scipy.special.softmax, axis=-1), 1e-37),
                                                (log_softmax, partial(scipy.special.log_softmax, axis=-1), 1e-5)],
                         ids=["sigmoid", "softmax", "log_softmax"])
def test_float32_agrees_with_scipy_in_float64(ours, theirs, atol):
    z = (np.random.default_rng(4).normal(size=(5, 6)) * 10).astype(np.float32)
    out = ours(z)
    assert out.dtype == np.float32
    assert_allclose(out, theirs(z.astype(np.float64)), rtol=1e-5, atol=atol)


# --- stability and dtypes ---------------------------------------------------------------------

@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("f", ALL, ids=ALL_IDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(11,), (11, 1), (1, 11)])
def test_no_overflow_or_warning_for_huge_inputs(f, dtype, shape):
    x = np.array(WIDE, dtype=dtype).reshape(shape)
    for axis_kwargs in ([{}, {"axis": 0}] if f in (softmax, log_softmax, hardmax) else [{}]):
        out = f(x, **axis_kwargs)
        assert out.dtype == dtype, "a float input's dtype must be kept"
        assert out.shape == x.shape
        assert np.all(np.isfinite(out))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_values_hand_computed(dtype):
    big = np.array([1e4, -1e4], dtype)
    assert_array_equal(sigmoid(big), [1.0, 0.0])
    assert_array_equal(softmax(big), [1.0, 0.0])
    assert_array_equal(log_softmax(big), [0.0, -2e4])
    assert_array_equal(softmax(np.array([1e4, 1e4], dtype)), [0.5, 0.5])
    # sigmoid at the ends of the float range
    top = np.finfo(dtype).max
    assert_array_equal(sigmoid(np.array([top, -top], dtype)), [1.0, 0.0])


@pytest.mark.parametrize("f", ALL, ids=ALL_IDS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_is_kept(f, dtype):
    x = np.array([[-1.0, 0.5, 2.0], [0.0, 3.0, -4.0]], dtype)
    assert f(x).dtype == dtype


@pytest.mark.parametrize("f", ALL, ids=ALL_IDS)
def test_integer_and_list_input_become_float64(f):
    ints = np.array([[-1, 0, 2], [3, 3, -4]])
    out = f(ints)
    assert out.dtype == np.float64
    assert_allclose(out, f(ints.astype(np.float64)), rtol=1e-15)
    assert_allclose(f([[-1, 0, 2], [3, 3, -4]]), out, rtol=1e-15)


@pytest.mark.parametrize("f", [sigmoid, sigmoid_grad, tanh, tanh_grad, relu, relu_grad],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elementwise_on_scalars(f, dtype):
    out = f(dtype(0.5))
    assert np.ndim(out) == 0
    assert out.dtype == dtype
    assert_allclose(out, f(np.array([0.5], dtype))[0], rtol=1e-15)


def test_sigmoid_does_not_modify_its_input():
    x = np.array([-3.0, 0.0, 2.0])
    before = x.copy()
    sigmoid(x)
    softmax(x)
    log_softmax(x)
    assert_array_equal(x, before)


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(x=wide_arrays())
def test_property_sigmoid_symmetry_and_range(x):
    s = sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    # 1 - sigmoid(x) rounds to a multiple of 2^-53 near 1: absolute agreement to a few ulps of 1
    assert_allclose(sigmoid(-x), 1 - s, rtol=1e-12, atol=4e-16)
    order = np.argsort(x.ravel())
    assert np.all(np.diff(s.ravel()[order]) >= 0)  # non-decreasing


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_property_softmax_sums_to_one_and_is_shift_invariant(data):
    z = data.draw(wide_arrays())
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    shift = data.draw(st.floats(-1e3, 1e3))
    p = softmax(z, axis=axis)
    assert np.all((p >= 0) & (p <= 1))
    assert_allclose(np.sum(p, axis=axis), 1.0, rtol=1e-14)
    # z + shift is rounded to the spacing of numbers near 2e4 (~4e-12): that much relative change
    assert_allclose(softmax(z + shift, axis=axis), p, rtol=1e-10, atol=1e-300)
    # the largest score gets the largest probability
    at_argmax = np.take_along_axis(p, np.expand_dims(np.argmax(z, axis=axis), axis), axis=axis)
    assert_array_equal(at_argmax, np.max(p, axis=axis, keepdims=True))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_property_log_softmax_is_log_of_softmax(data):
    z = data.draw(wide_arrays(bound=1e3))
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    ls = log_softmax(z, axis=axis)
    p = softmax(z, axis=axis)
    assert np.all(np.isfinite(ls)) and np.all(ls <= 0)
    assert_allclose(np.exp(ls), p, rtol=1e-12, atol=1e-300)
    not_tiny = p > 1e-250
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    assert_allclose(ls[not_tiny], log_p[not_tiny], rtol=1e-12, atol=1e-13)
    # and the max of each slice has log_softmax >= -log(n)
    assert np.all(np.max(ls, axis=axis) >= -np.log(z.shape[axis]) - 1e-12)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_property_hardmax_is_one_hot_at_first_argmax(data):
    # few distinct values, so that ties are frequent
    z = data.draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                             elements=st.sampled_from([-1.0, 0.0, 2.0, 1e4])))
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1))
    h = hardmax(z, axis=axis)
    assert h.shape == z.shape
    assert set(np.unique(h)) <= {0.0, 1.0}
    assert_array_equal(np.sum(h, axis=axis), 1.0)
    expected = np.moveaxis(np.eye(z.shape[axis])[np.argmax(z, axis=axis)], -1, axis)
    assert_array_equal(h, expected)


# --- the graders' copy detection: a textbook answer is not the reference -------------------------

TEXTBOOK = {  # the solutions of notebooks 08 and 09, word for word
    "sigmoid": '''
def sigmoid(x):
    e = np.exp(-np.abs(x))              # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
''',
    "softmax": '''
def softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)   # softmax(z - c) = softmax(z); exponents <= 0 cannot overflow
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
''',
}


def _load(tmp_path, name, source):
    import importlib.util

    path = tmp_path / f"answer_{name}.py"
    path.write_text("import numpy as np\nfrom mlbasics.activations import _float_array, _result\n" + source)
    spec = importlib.util.spec_from_file_location(f"answer_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


@pytest.mark.parametrize("name", TEXTBOOK)
def test_a_textbook_answer_is_not_taken_for_a_copy_and_gives_the_references_numbers(tmp_path, name):
    from mlbasics import activations, grading

    answer, reference = _load(tmp_path, name, TEXTBOOK[name]), getattr(activations, name)
    x = np.random.default_rng(7).normal(size=(4, 5)) * 50
    with grading.own_work(answer, reference):
        got = answer(x)
    assert_array_equal(got, reference(x))


@pytest.mark.parametrize("name", TEXTBOOK)
def test_the_reference_copied_whole_is_taken_for_a_copy(tmp_path, name):
    import inspect

    from mlbasics import activations, grading

    answer = _load(tmp_path, name, inspect.getsource(getattr(activations, name)))
    with pytest.raises(grading.ReferenceUsed, match="copy"):
        grading.assert_own_work(answer, getattr(activations, name))
