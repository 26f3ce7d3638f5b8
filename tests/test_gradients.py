"""Tests for mlbasics.gradients: central differences and gradient checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics.gradients import check_gradient, numerical_gradient, relative_error

A2 = np.array([[1.0, -2.0], [0.5, 3.0]])
A3 = np.arange(24.0).reshape(2, 3, 4) / 10 - 1

# (name, f, grad_f, x): functions of 0-d, 1-d, 2-d and 3-d arrays with known gradients.
CASES = [
    ("cube, 0-d", lambda x: x**3, lambda x: 3 * x**2, np.array(2.0)),
    ("sum of squares, 1-d", lambda x: np.sum(x**2), lambda x: 2 * x, np.array([1.0, -2.0, 3.0])),
    ("sin times x0, 1-d", lambda x: np.sin(x[0]) * x[1], lambda x: np.array([np.cos(x[0]) * x[1], np.sin(x[0])]),
     np.array([0.7, -1.3])),
    ("linear, 2-d", lambda x: np.sum(A2 * x), lambda x: A2, np.array([[0.3, -0.1], [2.0, 1.0]])),
    ("quadratic form, 2-d", lambda x: x[0] @ A2 @ x[1],
     lambda x: np.stack([A2 @ x[1], A2.T @ x[0]]), np.array([[0.3, -0.1], [2.0, 1.0]])),
    ("sum of exp, 3-d", lambda x: np.sum(np.exp(x)), np.exp, A3),
    ("log-sum-exp, 3-d", lambda x: np.log(np.sum(np.exp(x))),
     lambda x: np.exp(x) / np.sum(np.exp(x)), A3),
]
IDS = [c[0] for c in CASES]


# --- numerical_gradient -----------------------------------------------------------------------

@pytest.mark.parametrize("name, f, grad_f, x", CASES, ids=IDS)
def test_numerical_gradient_matches_analytic(name, f, grad_f, x):
    grad = numerical_gradient(f, x)
    assert grad.shape == x.shape
    assert grad.dtype == np.float64
    # central difference with h=1e-5: truncation ~h^2 = 1e-10, round-off ~1e-16 / 1e-5 = 1e-11
    assert_allclose(grad, grad_f(x), rtol=1e-7, atol=1e-9)


def test_hand_computed_single_component():
    # f(x) = x^2 at 3 with h = 0.5: ((3.5)^2 - (2.5)^2) / (2 * 0.5) = 6, exact for a quadratic
    assert_allclose(numerical_gradient(lambda x: x**2, 3.0, h=0.5), 6.0, rtol=1e-15)
    # f(x) = x^3 at 1 with h = 0.1: (1.331 - 0.729) / 0.2 = 3.01 (error h^2 = 0.01)
    assert_allclose(numerical_gradient(lambda x: x**3, 1.0, h=0.1), 3.01, rtol=1e-12)


def test_each_component_is_perturbed_separately():
    # f depends on a single entry: every other component of the gradient is exactly 0
    x = np.zeros((2, 3))
    grad = numerical_gradient(lambda v: 5.0 * v[1, 2], x)
    expected = np.zeros((2, 3))
    expected[1, 2] = 5.0
    assert_allclose(grad, expected, rtol=1e-9, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 2, 2)])
def test_does_not_modify_x(dtype, shape):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype(dtype)
    before = x.copy()
    numerical_gradient(lambda v: np.sum(v**3), x)
    assert x.dtype == dtype
    assert_array_equal(x, before)


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 2)])
def test_float32_input_gives_float64_result_evaluated_in_float64(shape):
    rng = np.random.default_rng(1)
    x32 = rng.normal(size=shape).astype(np.float32)
    seen = []

    def f(v):
        seen.append(v.dtype)
        return np.sum(np.sin(v))

    grad = numerical_gradient(f, x32)
    assert grad.dtype == np.float64
    assert set(seen) == {np.dtype(np.float64)}
    # float32 cannot even represent x + 1e-5 accurately; in float64 the answer is good to ~1e-9
    assert_allclose(grad, np.cos(x32.astype(np.float64)), rtol=1e-8, atol=1e-9)


def test_accepts_lists_and_scalars():
    assert_allclose(numerical_gradient(lambda v: np.sum(v**2), [1.0, 2.0]), [2.0, 4.0], rtol=1e-9)
    assert_allclose(numerical_gradient(lambda v: v**2, 3), 6.0, rtol=1e-9)


def test_empty_input_gives_empty_gradient():
    grad = numerical_gradient(lambda v: 0.0, np.zeros((0, 3)))
    assert grad.shape == (0, 3)


def _forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


@pytest.mark.parametrize("x", [-1.0, 0.5, 2.0])
def test_central_difference_error_is_order_h_squared(x):
    exact = np.exp(x)  # d/dx exp = exp, and every higher derivative is exp too
    hs = [1e-1, 1e-2, 1e-3]
    central = [abs(numerical_gradient(np.exp, x, h=h) - exact) for h in hs]
    forward = [abs(_forward_difference(np.exp, x, h) - exact) for h in hs]
    for h, err_c, err_f in zip(hs, central, forward):
        # leading terms: central h^2 f'''/6, forward h f''/2
        assert_allclose(err_c, h**2 / 6 * exact, rtol=0.02)
        assert_allclose(err_f, h / 2 * exact, rtol=0.2)
        assert err_c < err_f * h  # far smaller than the forward difference's error
    # dividing h by 10 divides the central error by ~100, the forward error only by ~10
    assert 80 < central[0] / central[1] < 120
    assert 80 < central[1] / central[2] < 120
    assert 8 < forward[1] / forward[2] < 12


@pytest.mark.parametrize("h", [0.0, -1e-5, np.nan, np.inf, -np.inf])
def test_bad_h_raises(h):
    with pytest.raises(ValueError, match="h must be") as excinfo:
        numerical_gradient(np.sum, np.ones(3), h=h)
    assert str(h) in str(excinfo.value)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                  elements=st.floats(-10, 10)))
def test_property_matches_analytic_gradient_of_sin_plus_cube(x):
    def f(v):
        return np.sum(np.sin(v)) + 0.1 * np.sum(v**3)

    grad = numerical_gradient(f, x)
    assert grad.shape == x.shape
    # |f| <= 64 * 101, round-off ~ 1e-16 * |f| / h ~ 1e-7 at worst; typically far less
    assert_allclose(grad, np.cos(x) + 0.3 * x**2, rtol=1e-6, atol=1e-6)


# --- relative_error and check_gradient --------------------------------------------------------

def test_relative_error_hand_computed():
    assert_allclose(relative_error([1.0, 2.0, 0.0], [1.1, 2.0, 1e-10]),
                    [0.1 / 1.1, 0.0, 1e-10 / 1e-8], rtol=1e-12)
    assert_allclose(relative_error(0.0, 0.0), 0.0, atol=0)
    assert_allclose(relative_error(-3.0, 3.0), 2.0, rtol=1e-15)


@pytest.mark.parametrize("name, f, grad_f, x", CASES, ids=IDS)
def test_check_gradient_small_for_right_gradient(name, f, grad_f, x):
    assert check_gradient(f, grad_f, x) < 1e-6


WRONG = [
    ("twice too large", lambda x: np.sum(x**3), lambda x: 6 * x**2),
    ("sign flipped", lambda x: np.sum(x**3), lambda x: -3 * x**2),
    ("missing a term", lambda x: np.sum(x**3 + 2 * x), lambda x: 3 * x**2),
    ("transposed", lambda x: np.sum(A2 * x), lambda x: A2.T),
    ("derivative of the wrong function", lambda x: np.sum(np.sin(x)), lambda x: -np.sin(x)),
]


@pytest.mark.parametrize("name, f, grad_f", WRONG, ids=[w[0] for w in WRONG])
def test_check_gradient_large_for_wrong_gradient(name, f, grad_f):
    x = np.array([[0.3, -0.8], [1.2, 0.6]])
    assert check_gradient(f, grad_f, x) > 1e-3


def test_check_gradient_reports_the_worst_component():
    # one component of fifty off by 1%: relative error 0.01 g / (1.01 g), not diluted by the rest
    x = np.random.default_rng(5).uniform(0.5, 2.0, size=(5, 10))

    def grad_f(v):
        g = 3 * v**2
        g[2, 7] *= 1.01
        return g

    assert_allclose(check_gradient(lambda v: np.sum(v**3), grad_f, x), 0.01 / 1.01, rtol=1e-5)


def test_check_gradient_passes_a_copy_and_leaves_x_alone():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()

    def grad_f(v):
        out = 2 * v
        v[:] = 100.0  # a careless grad_f that overwrites its argument
        return out

    assert check_gradient(lambda v: np.sum(v**2), grad_f, x) < 1e-6
    assert_array_equal(x, before)


def test_check_gradient_shape_mismatch_raises():
    with pytest.raises(ValueError, match="grad_f returned shape"):
        check_gradient(lambda v: np.sum(v**2), lambda v: np.ravel(2 * v), np.ones((2, 2)))


def test_check_gradient_bad_h_raises():
    with pytest.raises(ValueError, match="h must be"):
        check_gradient(np.sum, np.ones_like, np.ones(2), h=-1.0)
