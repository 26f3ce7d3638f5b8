"""Tests for mlbasics.optim: one-step formulas, the step functions, convergence, the textbook's
optimizer race (C20), torch.optim as an oracle, dtypes, input checks and the schedule hook."""

import copy
import inspect
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics import optim
from mlbasics.optim import OPTIMIZERS, SGD, AdaGrad, Adam, LRScheduler, Momentum, Nesterov, RMSprop

# non-default hyperparameters, so that a swapped or ignored argument shows
HYPER = {
    "sgd": dict(lr=0.05),
    "momentum": dict(lr=0.05, momentum=0.8),
    "nesterov": dict(lr=0.05, momentum=0.8),
    "adagrad": dict(lr=0.05, eps=1e-6),
    "rmsprop": dict(lr=0.05, rho=0.9, eps=1e-6),
    "adam": dict(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-6),
}
SHAPES = [(), (7,), (3, 4), (2, 3, 5)]


def random_params(rng, shapes=SHAPES, dtype=np.float64):
    return {f"p{i}": rng.standard_normal(shape).astype(dtype) for i, shape in enumerate(shapes)}


def random_grads(rng, params):
    return {key: rng.standard_normal(W.shape).astype(W.dtype) for key, W in params.items()}


def snapshot(optimizer, params):
    return copy.deepcopy(params), copy.deepcopy(vars(optimizer))


def assert_same(a, b):
    """Exact equality of nested dicts of arrays and numbers."""
    if isinstance(a, (tuple, list)):
        assert type(b) is type(a) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, np.ndarray):
        assert_array_equal(a, b, strict=True)
    else:
        assert a == b


# --- one step, by hand ---------------------------------------------------------------------------
# scikit-learn style: set the state by hand, take one step, recompute the formula inline.

@pytest.fixture
def step_data():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 4))
    g = rng.standard_normal((3, 4))
    v = rng.standard_normal((3, 4))  # a velocity or first moment
    h = rng.random((3, 4)) + 0.5  # a positive squared-gradient state
    return W, g, v, h


def test_sgd_one_step(step_data):
    W, g, _, _ = step_data
    params = {"W": W.copy()}
    SGD(lr=0.1).update(params, {"W": g})
    assert_allclose(params["W"], W - 0.1 * g, rtol=1e-15, atol=0)


def test_momentum_one_step_from_given_velocity(step_data):
    W, g, v, _ = step_data
    opt = Momentum(lr=0.1, momentum=0.8)
    opt.v = {"W": v.copy()}
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    v_new = 0.8 * v - 0.1 * g
    assert_allclose(opt.v["W"], v_new, rtol=1e-15, atol=1e-16)
    assert_allclose(params["W"], W + v_new, rtol=1e-15, atol=1e-16)


def test_nesterov_one_step_from_given_velocity(step_data):
    W, g, v, _ = step_data
    opt = Nesterov(lr=0.1, momentum=0.8)
    opt.v = {"W": v.copy()}
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    v_new = 0.8 * v - 0.1 * g
    assert_allclose(opt.v["W"], v_new, rtol=1e-15, atol=1e-16)
    assert_allclose(params["W"], W + 0.8 * v_new - 0.1 * g, rtol=1e-14, atol=1e-15)
    # Bengio et al.'s form, with the velocity from before the step
    assert_allclose(params["W"], W + 0.8**2 * v - 1.8 * 0.1 * g, rtol=1e-14, atol=1e-15)


def test_adagrad_one_step_from_given_sum(step_data):
    W, g, _, h = step_data
    opt = AdaGrad(lr=0.1, eps=1e-3)
    opt.h = {"W": h.copy()}
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    h_new = h + g * g
    assert_allclose(opt.h["W"], h_new, rtol=1e-15)
    assert_allclose(params["W"], W - 0.1 * g / (np.sqrt(h_new) + 1e-3), rtol=1e-14)


def test_rmsprop_one_step_from_given_average(step_data):
    W, g, _, h = step_data
    opt = RMSprop(lr=0.1, rho=0.9, eps=1e-3)
    opt.h = {"W": h.copy()}
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    h_new = 0.9 * h + 0.1 * g * g
    assert_allclose(opt.h["W"], h_new, rtol=1e-15)
    assert_allclose(params["W"], W - 0.1 * g / (np.sqrt(h_new) + 1e-3), rtol=1e-14)


def test_adam_one_step_from_given_moments(step_data):
    W, g, m, v = step_data
    opt = Adam(lr=0.1, beta1=0.8, beta2=0.99, eps=1e-3)
    opt.m, opt.v, opt.t = {"W": m.copy()}, {"W": v.copy()}, 4
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    m_new = 0.8 * m + 0.2 * g
    v_new = 0.99 * v + 0.01 * g * g
    m_hat, v_hat = m_new / (1 - 0.8**5), v_new / (1 - 0.99**5)
    assert opt.t == 5
    assert_allclose(opt.m["W"], m_new, rtol=1e-14, atol=1e-16)
    assert_allclose(opt.v["W"], v_new, rtol=1e-14)
    assert_allclose(params["W"], W - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-3), rtol=1e-13)


# --- the step functions: one array, new arrays returned, the classes' formulas -------------------

# name -> (step function, its arguments after the arrays, the class's state names in the order the
# step function takes and returns them); the states are given as arrays before the gradient, except
# in adam_step, whose signature is the notebooks' (w, g, m, v, t, ...)
STEPS = {
    "sgd": (optim.sgd_step, ()),
    "momentum": (optim.momentum_step, ("v",)),
    "nesterov": (optim.nesterov_step, ("v",)),
    "adagrad": (optim.adagrad_step, ("h",)),
    "rmsprop": (optim.rmsprop_step, ("h",)),
    "adam": (optim.adam_step, ("m", "v")),
}


def call_step(name, w, g, states, t=1, **hyper):
    """The step function of ``name`` on one array, with the class's hyperparameters."""
    fn, _ = STEPS[name]
    hyper = hyper or HYPER[name]
    if name == "adam":
        return fn(w, g, *states, t, **hyper)
    result = fn(w, *states, g, **hyper)
    return result if isinstance(result, tuple) else (result,)


def random_states(rng, name, shape, dtype=np.float64):
    # positive, so that AdaGrad's and RMSprop's sums stay what they can be
    return [rng.random(shape).astype(dtype) + 0.1 for _ in STEPS[name][1]]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_has_a_step_function(name):
    fn, _ = STEPS[name]
    assert fn.__name__ == f"{name}_step" and fn.__name__ in optim.__all__


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_function_is_the_class_update_of_one_key(name):
    """The class takes its step function's numbers, exactly: the formula is written once."""
    rng = np.random.default_rng(20)
    W, g = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    states = random_states(rng, name, (3, 4))
    opt = OPTIMIZERS[name](**HYPER[name])
    for state_name, state in zip(STEPS[name][1], states):
        setattr(opt, state_name, {"W": state.copy()})
    if name == "adam":
        opt.t = 4
    params = {"W": W.copy()}
    opt.update(params, {"W": g})
    expected = call_step(name, W, g, states, t=5)
    assert_same(params["W"], expected[0])
    for state_name, new_state in zip(STEPS[name][1], expected[1:]):
        assert_same(getattr(opt, state_name)["W"], new_state)


def test_step_functions_by_hand(step_data):
    W, g, v, h = step_data
    assert_allclose(optim.sgd_step(W, g, 0.1), W - 0.1 * g, rtol=1e-15)
    w_new, v_new = optim.momentum_step(W, v, g, 0.1, 0.8)
    assert_allclose(v_new, 0.8 * v - 0.1 * g, rtol=1e-15, atol=1e-16)
    assert_allclose(w_new, W + 0.8 * v - 0.1 * g, rtol=1e-14, atol=1e-15)
    w_new, v_new = optim.nesterov_step(W, v, g, 0.1, 0.8)
    assert_allclose(w_new, W + 0.8**2 * v - 1.8 * 0.1 * g, rtol=1e-14, atol=1e-15)
    w_new, h_new = optim.adagrad_step(W, h, g, 0.1, eps=1e-3)
    assert_allclose(h_new, h + g * g, rtol=1e-15)
    assert_allclose(w_new, W - 0.1 * g / (np.sqrt(h + g * g) + 1e-3), rtol=1e-14)
    w_new, h_new = optim.rmsprop_step(W, h, g, 0.1, 0.9, eps=1e-3)
    assert_allclose(h_new, 0.9 * h + 0.1 * g * g, rtol=1e-15)
    assert_allclose(w_new, W - 0.1 * g / (np.sqrt(0.9 * h + 0.1 * g * g) + 1e-3), rtol=1e-14)
    w_new, m_new, v_new = optim.adam_step(W, g, v, h, 5, lr=0.1, beta1=0.8, beta2=0.99, eps=1e-3)
    m_ref, v_ref = 0.8 * v + 0.2 * g, 0.99 * h + 0.01 * g * g
    assert_allclose(m_new, m_ref, rtol=1e-14, atol=1e-16)
    assert_allclose(v_new, v_ref, rtol=1e-14)
    assert_allclose(w_new, W - 0.1 * (m_ref / (1 - 0.8**5)) / (np.sqrt(v_ref / (1 - 0.99**5)) + 1e-3),
                    rtol=1e-13)


def test_adam_step_defaults_are_torch_optims():
    w, g = np.array([1.0, -2.0]), np.array([0.5, -0.5])
    zeros = np.zeros(2)
    assert_same(optim.adam_step(w, g, zeros, zeros, 1),
                optim.adam_step(w, g, zeros, zeros, 1, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_functions_leave_their_inputs_alone(name):
    rng = np.random.default_rng(21)
    w, g = rng.standard_normal(5), rng.standard_normal(5)
    states = random_states(rng, name, 5)
    before = copy.deepcopy((w, g, states))
    result = call_step(name, w, g, states)
    assert_same((w, g, states), before)
    assert all(not np.shares_memory(out, a) for out in result for a in (w, g, *states))


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("dtype, expected", [(np.float32, np.float32), (np.float64, np.float64),
                                             (np.int64, np.float64)])
def test_step_functions_compute_in_the_parameters_float_dtype(name, dtype, expected):
    rng = np.random.default_rng(22)
    w = (rng.standard_normal(4) * 10).astype(dtype)
    g = rng.standard_normal(4)  # float64, cast to w's dtype
    for out in call_step(name, w, g, random_states(rng, name, 4)):
        assert out.dtype == expected


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_functions_accept_lists_and_scalars(name):
    lists = call_step(name, [1.0, 2.0], [0.5, -0.5], [[0.1, 0.2]] * len(STEPS[name][1]))
    arrays = call_step(name, np.array([1.0, 2.0]), np.array([0.5, -0.5]),
                       [np.array([0.1, 0.2])] * len(STEPS[name][1]))
    assert_same(lists, arrays)
    scalars = call_step(name, 1.0, 0.5, [0.1] * len(STEPS[name][1]))
    assert all(np.shape(out) == () for out in scalars)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_functions_refuse_a_gradient_that_is_not_finite(name, bad):
    g = np.array([1.0, bad, 0.0])
    with pytest.raises(ValueError, match=r"^g contains inf or nan$"):
        call_step(name, np.ones(3), g, [np.ones(3)] * len(STEPS[name][1]))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_step_functions_refuse_mismatched_shapes(name):
    with pytest.raises(ValueError, match=r"^g has shape \(4,\) but w has shape \(3,\)$"):
        call_step(name, np.ones(3), np.ones(4), [np.ones(3)] * len(STEPS[name][1]))
    if STEPS[name][1]:
        state = STEPS[name][1][0]
        with pytest.raises(ValueError, match=rf"^{state} has shape \(2,\) but w has shape \(3,\)$"):
            call_step(name, np.ones(3), np.ones(3), [np.ones(2)] * len(STEPS[name][1]))


@pytest.mark.parametrize("name, arg, value", BAD_HYPER_STEP := (
    [(name, "lr", value) for name in OPTIMIZERS for value in (0, -1, math.nan, "0.1")]
    + [(name, "momentum", value) for name in ("momentum", "nesterov") for value in (-0.1, 1, math.nan)]
    + [("rmsprop", "rho", 1.0), ("adam", "beta1", 1.0), ("adam", "beta2", -0.1)]
    + [(name, "eps", -1e-8) for name in ("adagrad", "rmsprop", "adam")]
))
def test_step_functions_refuse_bad_hyperparameters_by_name(name, arg, value):
    hyper = dict(HYPER[name], **{arg: value})
    with pytest.raises(ValueError, match=rf"^{arg} must be .*, got {re.escape(repr(value))}$"):
        call_step(name, np.ones(2), np.ones(2), [np.ones(2)] * len(STEPS[name][1]), **hyper)


@pytest.mark.parametrize("t", [0, -1, 1.0, True])
def test_adam_step_needs_a_step_number_from_1(t):
    with pytest.raises(ValueError, match=rf"^t must be an integer >= 1, got {re.escape(repr(t))}$"):
        optim.adam_step(np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), t)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(OPTIMIZERS)),
    W=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
                 elements=st.floats(-1e3, 1e3)),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_update_is_the_step_function_key_by_key(name, W, seed):
    rng = np.random.default_rng(seed)
    opt = OPTIMIZERS[name](**HYPER[name])
    params = {"W": W.copy(), "b": rng.standard_normal(3)}
    by_hand = {key: (value.copy(), [np.zeros_like(value) for _ in STEPS[name][1]])
               for key, value in params.items()}
    for t in (1, 2):
        grads = {key: rng.standard_normal(np.shape(value)) * 10.0 ** rng.integers(-3, 3)
                 for key, value in params.items()}
        opt.update(params, grads)
        for key, (w, states) in by_hand.items():
            w, *states = call_step(name, w, grads[key], states, t=t)
            by_hand[key] = (w, states)
    for key, (w, states) in by_hand.items():
        assert_array_equal(params[key], w)
        for state_name, state in zip(STEPS[name][1], states):
            assert_array_equal(getattr(opt, state_name)[key], state)


# --- two steps from a fresh optimizer: the state is created, then carried over -----------------

def two_steps_inline(name, W, g1, g2, lr=0.1, mu=0.8, rho=0.9, b1=0.8, b2=0.99, eps=1e-3):
    s = np.zeros_like(W)
    r = np.zeros_like(W)
    for t, g in enumerate((g1, g2), start=1):
        if name == "sgd":
            W = W - lr * g
        elif name == "momentum":
            s = mu * s - lr * g
            W = W + s
        elif name == "nesterov":
            s = mu * s - lr * g
            W = W + mu * s - lr * g
        elif name == "adagrad":
            r = r + g * g
            W = W - lr * g / (np.sqrt(r) + eps)
        elif name == "rmsprop":
            r = rho * r + (1 - rho) * g * g
            W = W - lr * g / (np.sqrt(r) + eps)
        elif name == "adam":
            s = b1 * s + (1 - b1) * g
            r = b2 * r + (1 - b2) * g * g
            W = W - lr * (s / (1 - b1**t)) / (np.sqrt(r / (1 - b2**t)) + eps)
    return W


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_two_steps_carry_state(name):
    rng = np.random.default_rng(1)
    W, g1, g2 = (rng.standard_normal((4, 3)) for _ in range(3))
    kwargs = {"sgd": dict(lr=0.1), "momentum": dict(lr=0.1, momentum=0.8),
              "nesterov": dict(lr=0.1, momentum=0.8), "adagrad": dict(lr=0.1, eps=1e-3),
              "rmsprop": dict(lr=0.1, rho=0.9, eps=1e-3),
              "adam": dict(lr=0.1, beta1=0.8, beta2=0.99, eps=1e-3)}[name]
    opt = OPTIMIZERS[name](**kwargs)
    params = {"W": W.copy()}
    opt.update(params, {"W": g1})
    opt.update(params, {"W": g2})
    assert_allclose(params["W"], two_steps_inline(name, W, g1, g2), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_is_created_on_first_update_one_entry_per_key(name):
    opt = OPTIMIZERS[name]()
    state_names = [n for n in ("v", "h", "m") if hasattr(opt, n)]
    assert all(getattr(opt, n) is None for n in state_names)
    params = random_params(np.random.default_rng(2))
    opt.update(params, random_grads(np.random.default_rng(3), params))
    for n in state_names:
        state = getattr(opt, n)
        assert state.keys() == params.keys()
        for key, W in params.items():
            assert state[key].shape == W.shape and state[key].dtype == W.dtype


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_update_is_in_place(name):
    params = random_params(np.random.default_rng(4))
    arrays = dict(params)
    before = copy.deepcopy(params)
    OPTIMIZERS[name]().update(params, random_grads(np.random.default_rng(5), params))
    for key in params:
        assert params[key] is arrays[key]
        assert not np.array_equal(params[key], before[key])


@pytest.mark.parametrize("cls", [Momentum, Nesterov])
def test_zero_momentum_is_sgd(cls):
    rng = np.random.default_rng(6)
    params = random_params(rng)
    same = copy.deepcopy(params)
    opt, sgd = cls(lr=0.1, momentum=0.0), SGD(lr=0.1)
    for _ in range(3):
        grads = random_grads(rng, params)
        opt.update(params, grads)
        sgd.update(same, grads)
    for key in params:
        assert_allclose(params[key], same[key], rtol=1e-15, atol=1e-16)


def test_adam_without_eps_equals_the_textbooks_folded_form():
    rng = np.random.default_rng(7)
    W = rng.standard_normal(10)
    params = {"W": W.copy()}
    opt = Adam(lr=0.01, eps=0.0)
    m, v = np.zeros(10), np.zeros(10)
    for t in range(1, 21):
        g = rng.standard_normal(10)
        opt.update(params, {"W": g})
        lr_t = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        m += (1 - 0.9) * (g - m)
        v += (1 - 0.999) * (g**2 - v)
        W -= lr_t * m / np.sqrt(v)
    assert_allclose(params["W"], W, rtol=1e-13)


def test_nesterov_differs_from_the_textbook_listing():
    # The textbook applies momentum**2 to the velocity after the update; the docstring says so.
    params, book = {"W": np.array([1.0])}, np.array([1.0])
    opt, v = Nesterov(lr=0.1, momentum=0.9), np.zeros(1)
    for g in (np.array([1.0]), np.array([1.0])):
        opt.update(params, {"W": g})
        v = 0.9 * v - 0.1 * g
        book = book + 0.9 * 0.9 * v - 1.9 * 0.1 * g
    assert abs(params["W"][0] - book[0]) > 1e-3


# --- convergence -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, lr", [("sgd", 0.1), ("momentum", 0.02), ("nesterov", 0.02),
                                      ("adagrad", 0.5), ("rmsprop", 0.01), ("adam", 0.05)])
def test_converges_on_a_quadratic_bowl(name, lr):
    # f(W, b) = sum(a * w**2) / 2 with curvatures a from 1 to 10; the minimum is 0 at the origin
    curvature = {"W": np.linspace(1, 10, 12).reshape(3, 4), "b": np.array([2.0, 5.0])}
    rng = np.random.default_rng(8)
    params = {key: rng.standard_normal(a.shape) for key, a in curvature.items()}
    opt = OPTIMIZERS[name](lr=lr)
    for _ in range(500):
        opt.update(params, {key: curvature[key] * W for key, W in params.items()})
    # RMSprop's steps stay about lr long near the minimum (g / sqrt(h) stays of order 1), so with
    # a constant lr it only settles to within lr; the others settle to round-off
    tol = lr if name == "rmsprop" else 1e-5
    for key, W in params.items():
        assert np.abs(W).max() < tol, f"{name} did not reach the minimum: {key} = {W}"


# --- the textbook's optimizer race (claim C20) ---------------------------------------------------
# f(x, y) = x**2/20 + y**2 from (-7, 2), 30 updates, the point recorded before each update.

def race(update):
    """The textbook's loop; update(params, grads, t) with t = 1, 2, ..."""
    params = {"x": np.array(-7.0), "y": np.array(2.0)}
    path = []
    for t in range(1, 31):
        path.append((float(params["x"]), float(params["y"])))
        grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
        update(params, grads, t)
    return np.array(path)


def book_race(name, lr):
    """The textbook's formulas (its common/optimizer.py), written out with its eps of 1e-7."""
    v, h, m = {"x": 0.0, "y": 0.0}, {"x": 0.0, "y": 0.0}, {"x": 0.0, "y": 0.0}

    def update(params, grads, t):
        lr_t = lr * np.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
        for key in params:
            g = grads[key]
            if name == "sgd":
                params[key] = params[key] - lr * g
            elif name == "momentum":
                v[key] = 0.9 * v[key] - lr * g
                params[key] = params[key] + v[key]
            elif name == "adagrad":
                h[key] += g * g
                params[key] = params[key] - lr * g / (np.sqrt(h[key]) + 1e-7)
            elif name == "adam":
                m[key] += (1 - 0.9) * (g - m[key])
                v[key] += (1 - 0.999) * (g**2 - v[key])
                params[key] = params[key] - lr_t * m[key] / (np.sqrt(v[key]) + 1e-7)

    return race(update)


RACE = {"sgd": (SGD, dict(lr=0.95)), "momentum": (Momentum, dict(lr=0.1)),
        "adagrad": (AdaGrad, dict(lr=1.5, eps=1e-7)), "adam": (Adam, dict(lr=0.3, eps=1e-7))}


def our_race(name, eps_schedule=None):
    cls, kwargs = RACE[name]
    opt = cls(**kwargs)

    def update(params, grads, t):
        if eps_schedule is not None:
            opt.eps = eps_schedule(t)
        opt.update(params, grads)

    return race(update)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad"])
def test_race_reproduces_the_textbook(name):
    ours, book = our_race(name), book_race(name, RACE[name][1]["lr"])
    assert ours.shape == (30, 2)
    assert_allclose(ours, book, rtol=0, atol=1e-6)


def test_race_adam_differs_from_the_textbook_only_through_eps():
    book = book_race("adam", 0.3)
    # the textbook's folded form is ours with eps / sqrt(1 - beta2**t) in place of eps
    matched = our_race("adam", eps_schedule=lambda t: 1e-7 / math.sqrt(1 - 0.999**t))
    assert_allclose(matched, book, rtol=0, atol=1e-6)
    # with the same eps = 1e-7 throughout, the paths part by about 1e-5 at most
    same_eps = our_race("adam")
    assert_allclose(same_eps, book, rtol=0, atol=2e-5)
    assert np.abs(same_eps - book).max() > 1e-6


def test_race_shows_what_the_textbook_figure_shows():
    path = {name: our_race(name) for name in RACE}
    f = {name: p[-1, 0] ** 2 / 20 + p[-1, 1] ** 2 for name, p in path.items()}
    y_flips = {name: int(np.sum(np.diff(np.sign(p[:, 1])) != 0)) for name, p in path.items()}
    # SGD zig-zags: y changes sign at every update, while x creeps up without crossing 0
    assert y_flips["sgd"] == 29
    assert np.all(np.diff(path["sgd"][:, 0]) > 0) and np.all(path["sgd"][:, 0] < 0)
    # AdaGrad's y shrinks without oscillating, and it ends nearest the minimum
    assert y_flips["adagrad"] == 0 and np.all(np.diff(np.abs(path["adagrad"][:, 1])) < 0)
    assert f["adagrad"] == min(f.values())
    # Momentum and Adam roll like a ball: they overshoot x = 0, and swing in y far less than SGD
    for name in ("momentum", "adam"):
        assert path[name][:, 0].max() > 0
        assert y_flips[name] <= 4
    # every optimizer gets from f = 6.45 to below 0.11
    assert max(f.values()) < 0.11


# --- torch.optim as an oracle --------------------------------------------------------------------

def torch_twin(torch, name, tensors, foreach):
    h = HYPER[name]
    if name == "sgd":
        return torch.optim.SGD(tensors, lr=h["lr"], foreach=foreach)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(tensors, lr=h["lr"], momentum=h["momentum"],
                               nesterov=name == "nesterov", foreach=foreach)
    if name == "adagrad":
        return torch.optim.Adagrad(tensors, lr=h["lr"], eps=h["eps"], lr_decay=0,
                                   initial_accumulator_value=0, foreach=foreach)
    if name == "rmsprop":
        return torch.optim.RMSprop(tensors, lr=h["lr"], alpha=h["rho"], eps=h["eps"],
                                   foreach=foreach)
    return torch.optim.Adam(tensors, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                            foreach=foreach)


@pytest.mark.parametrize("foreach", [False, True], ids=["for-loop", "foreach"])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_matches_torch_optim_for_100_steps(name, foreach):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    params = random_params(rng)
    tensors = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in params.values()]
    opt, twin = OPTIMIZERS[name](**HYPER[name]), torch_twin(torch, name, tensors, foreach)
    for _ in range(100):
        grads = random_grads(rng, params)
        opt.update(params, grads)
        for tensor, g in zip(tensors, grads.values()):
            tensor.grad = torch.tensor(g)
        twin.step()
    # rtol is float64 round-off grown over 100 steps; atol covers entries that pass near 0
    for W, tensor in zip(params.values(), tensors):
        assert_allclose(W, tensor.detach().numpy(), rtol=1e-10, atol=1e-12)
    for key, tensor in zip(params, tensors):
        state = twin.state[tensor]
        if name in ("momentum", "nesterov"):  # torch keeps buf = -v / lr
            assert_allclose(opt.v[key], -HYPER[name]["lr"] * state["momentum_buffer"].numpy(),
                            rtol=1e-10, atol=1e-12)
        elif name == "adagrad":
            assert_allclose(opt.h[key], state["sum"].numpy(), rtol=1e-10)
        elif name == "rmsprop":
            assert_allclose(opt.h[key], state["square_avg"].numpy(), rtol=1e-10)
        elif name == "adam":
            assert_allclose(opt.m[key], state["exp_avg"].numpy(), rtol=1e-10, atol=1e-12)
            assert_allclose(opt.v[key], state["exp_avg_sq"].numpy(), rtol=1e-10)


def test_defaults_are_torch_optims():
    torch = pytest.importorskip("torch")

    def defaults(f):
        return {k: p.default for k, p in inspect.signature(f).parameters.items()
                if p.default is not inspect.Parameter.empty}

    sgd, adagrad = defaults(torch.optim.SGD), defaults(torch.optim.Adagrad)
    rmsprop, adam = defaults(torch.optim.RMSprop), defaults(torch.optim.Adam)
    assert defaults(SGD) == {"lr": sgd["lr"]}
    assert defaults(Momentum)["lr"] == defaults(Nesterov)["lr"] == sgd["lr"]
    assert defaults(AdaGrad) == {"lr": adagrad["lr"], "eps": adagrad["eps"]}
    assert defaults(RMSprop) == {"lr": rmsprop["lr"], "rho": rmsprop["alpha"],
                                 "eps": rmsprop["eps"]}
    assert defaults(Adam) == {"lr": adam["lr"], "beta1": adam["betas"][0],
                              "beta2": adam["betas"][1], "eps": adam["eps"]}


# --- float32 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("grad_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_float32_stays_float32(name, grad_dtype):
    rng = np.random.default_rng(10)
    params64 = random_params(rng)
    params32 = {key: W.astype(np.float32) for key, W in params64.items()}
    opt64, opt32 = OPTIMIZERS[name](**HYPER[name]), OPTIMIZERS[name](**HYPER[name])
    for _ in range(5):
        grads = {key: g.astype(np.float32).astype(np.float64)
                 for key, g in random_grads(rng, params64).items()}
        opt64.update(params64, grads)
        opt32.update(params32, {key: g.astype(grad_dtype) for key, g in grads.items()})
    for key, W in params32.items():
        assert W.dtype == np.float32
        assert_allclose(W, params64[key], rtol=1e-5, atol=1e-5)
    for n in ("v", "h", "m"):
        if getattr(opt32, n, None) is not None:
            assert all(s.dtype == np.float32 for s in getattr(opt32, n).values())


# --- bad input -------------------------------------------------------------------------------

BAD_HYPER = (
    [(name, "lr", value) for name in OPTIMIZERS for value in (0, -1, math.nan, math.inf, "0.1")]
    + [(name, "momentum", value) for name in ("momentum", "nesterov")
       for value in (-0.1, 1, 1.5, math.nan)]
    + [("rmsprop", "rho", value) for value in (-0.1, 1.0, math.nan)]
    + [("adam", beta, value) for beta in ("beta1", "beta2") for value in (-0.1, 1.0, math.nan)]
    + [(name, "eps", value) for name in ("adagrad", "rmsprop", "adam")
       for value in (-1e-8, math.nan, math.inf)]
)


@pytest.mark.parametrize("name, arg, value", BAD_HYPER)
def test_bad_hyperparameter_is_refused_with_its_name_and_value(name, arg, value):
    with pytest.raises(ValueError, match=rf"^{arg} must be .*, got {re.escape(repr(value))}$"):
        OPTIMIZERS[name](**{arg: value})


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_lr_changed_to_a_bad_value_is_refused_at_update(name):
    opt = OPTIMIZERS[name]()
    params = {"W": np.ones(3)}
    opt.lr = -0.1
    with pytest.raises(ValueError, match=r"lr must be .*, got -0\.1"):
        opt.update(params, {"W": np.ones(3)})
    assert_array_equal(params["W"], np.ones(3))


def bad_updates():
    rng = np.random.default_rng(11)
    ok = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    nan_b = {"W": ok["W"], "b": np.array([0.0, np.nan, 0.0, 0.0])}
    inf_b = {"W": ok["W"], "b": np.array([0.0, 0.0, np.inf, 0.0])}
    big_inf_b = {"W": ok["W"], "b": np.array([3e38, 3e38, -np.inf, 0.0], dtype=np.float32)}
    return [
        ("missing key", {"W": ok["W"]}, r"missing from grads \['b'\], not in params \[\]"),
        ("extra key", {**ok, "c": np.ones(2)}, r"missing from grads \[\], not in params \['c'\]"),
        ("shape", {"W": ok["W"], "b": np.ones(5)},
         r"grads\['b'\] has shape \(5,\) but params\['b'\] has shape \(4,\)"),
        ("transposed", {"W": ok["W"].T, "b": ok["b"]},
         r"grads\['W'\] has shape \(4, 3\) but params\['W'\] has shape \(3, 4\)"),
        ("nan", nan_b, r"grads\['b'\] contains inf or nan"),
        ("inf", inf_b, r"grads\['b'\] contains inf or nan"),
        ("-inf among huge values", big_inf_b, r"grads\['b'\] contains inf or nan"),
    ]


@pytest.mark.parametrize("case, grads, message", bad_updates(), ids=[c[0] for c in bad_updates()])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_bad_grads_are_refused_and_nothing_changes(name, case, grads, message):
    rng = np.random.default_rng(12)
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    opt = OPTIMIZERS[name]()
    opt.update(params, random_grads(rng, params))  # so that there is state to protect
    before = snapshot(opt, params)
    with pytest.raises(ValueError, match=message):
        opt.update(params, grads)
    assert_same(snapshot(opt, params), before)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_failed_first_update_creates_no_state(name):
    opt = OPTIMIZERS[name]()
    before = copy.deepcopy(vars(opt))
    params = {"W": np.ones(3), "b": np.ones(2)}
    with pytest.raises(ValueError):
        opt.update(params, {"W": np.ones(3), "b": np.array([1.0, np.nan])})
    assert_same(vars(opt), before)
    assert_array_equal(params["W"], np.ones(3))


@pytest.mark.parametrize("value, message", [
    ([1.0, 2.0], r"params\['W'\] must be a NumPy float array .*, got list"),
    (np.arange(3), r"params\['W'\] must be a NumPy float array .*, got an array of int64"),
    (1.5, r"params\['W'\] must be a NumPy float array .*, got float"),
])
def test_params_that_cannot_change_in_place_are_refused(value, message):
    with pytest.raises(TypeError, match=message):
        SGD().update({"W": value}, {"W": np.ones(np.shape(value))})


def test_read_only_params_are_refused():
    W = np.ones(3)
    W.flags.writeable = False
    with pytest.raises(TypeError, match=r"params\['W'\] is read-only"):
        SGD().update({"W": W}, {"W": np.ones(3)})


def test_params_whose_shape_changed_since_the_last_update_are_refused():
    opt = Adam()
    opt.update({"W": np.ones(3)}, {"W": np.ones(3)})
    with pytest.raises(ValueError, match=r"params\['W'\] has shape \(4,\) but the optimizer's"):
        opt.update({"W": np.ones(4)}, {"W": np.ones(4)})


def test_new_keys_get_state_later():
    opt = Momentum(lr=0.1)
    params = {"W": np.ones(2)}
    opt.update(params, {"W": np.ones(2)})
    params["b"] = np.ones(3)
    opt.update(params, {"W": np.ones(2), "b": np.ones(3)})
    assert_allclose(opt.v["b"], -0.1 * np.ones(3))
    assert_allclose(opt.v["W"], (0.9 * -0.1 - 0.1) * np.ones(2))


# --- learning-rate schedules -----------------------------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS)
def test_scheduler_sets_lr_before_each_update(name):
    def schedule(step):
        return 0.1 * 0.5 ** (step // 2)

    rng = np.random.default_rng(13)
    params = random_params(rng)
    by_hand = copy.deepcopy(params)
    opt, reference = OPTIMIZERS[name](), OPTIMIZERS[name]()
    scheduler = LRScheduler(opt, schedule)
    for t in range(6):
        assert scheduler.t == t
        assert scheduler.step() == schedule(t)
        assert opt.lr == schedule(t)
        grads = random_grads(rng, params)
        opt.update(params, grads)
        reference.lr = schedule(t)
        reference.update(by_hand, grads)
    assert_same(params, by_hand)


def test_scheduled_sgd_by_hand():
    params = {"W": np.array([1.0, -1.0])}
    scheduler = LRScheduler(opt := SGD(), lambda step: 1.0 / (step + 1))
    for _ in range(3):
        scheduler.step()
        opt.update(params, {"W": np.array([1.0, 2.0])})
    assert_allclose(params["W"], [1.0 - (1 + 1 / 2 + 1 / 3), -1.0 - 2 * (1 + 1 / 2 + 1 / 3)],
                    rtol=1e-15)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, None])
def test_scheduler_refuses_a_bad_lr_and_names_the_step(bad):
    opt = SGD(lr=0.1)
    scheduler = LRScheduler(opt, lambda step: 0.1 if step < 3 else bad)
    for _ in range(3):
        scheduler.step()
    message = rf"schedule\(3\) must return a finite lr > 0, got {bad!r}"
    with pytest.raises(ValueError, match=message):
        scheduler.step()
    assert opt.lr == 0.1 and scheduler.t == 3


def test_scheduler_refuses_what_is_not_a_schedule_or_optimizer():
    with pytest.raises(TypeError, match="schedule must be a callable"):
        LRScheduler(SGD(), 0.1)
    with pytest.raises(TypeError, match="optimizer must have an lr attribute"):
        LRScheduler(object(), lambda step: 0.1)


def test_optimizers_maps_names_to_classes():
    assert OPTIMIZERS == {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov,
                          "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam}


@pytest.mark.parametrize("layout", ["transposed", "strided", "fortran"])
def test_non_contiguous_params_are_updated_in_place(layout):
    rng = np.random.default_rng(15)
    base = rng.standard_normal((6, 8))
    W = {"transposed": base.T, "strided": base[:, ::2], "fortran": np.asfortranarray(base)}[layout]
    g = rng.standard_normal(W.shape)
    expected = W - 0.1 * g
    SGD(lr=0.1).update({"W": W}, {"W": g})
    assert_allclose(W, expected, rtol=1e-15)
    if layout != "fortran":
        assert np.shares_memory(W, base)


@pytest.mark.parametrize("grad, message", [
    (np.ones(3, complex), "got an array of complex128"),
    (np.array(["a", "b", "c"]), "got an array of <U1"),
    (np.array([1.0, None, 2.0], dtype=object), "got an array of object"),
])
def test_gradients_that_are_not_real_numbers_are_refused(grad, message):
    params = {"W": np.ones(3)}
    with pytest.raises(TypeError, match=rf"grads\['W'\] must hold real numbers, {message}"):
        Adam().update(params, {"W": grad})
    assert_array_equal(params["W"], np.ones(3))


def test_integer_gradients_are_accepted():
    params = {"W": np.ones(3)}
    SGD(lr=0.5).update(params, {"W": np.arange(3)})
    assert_array_equal(params["W"], [1.0, 0.5, 0.0])


@pytest.mark.parametrize("name", ["momentum", "adagrad", "adam"])
def test_failed_update_adds_no_state_for_a_new_key(name):
    opt = OPTIMIZERS[name]()
    params = {"W": np.ones(2)}
    opt.update(params, {"W": np.ones(2)})
    params["b"] = np.ones(3)
    before = snapshot(opt, params)
    with pytest.raises(ValueError, match=r"grads\['b'\] contains inf or nan"):
        opt.update(params, {"W": np.ones(2), "b": np.array([1.0, np.inf, 1.0])})
    assert_same(snapshot(opt, params), before)


# --- the graders' copy detection: a textbook answer is not the reference -------------------------
# The step functions are written as the notebooks' solutions are, after one check. The graders
# (grading.own_work) refuse an answer whose code has the shape of a reference function, so the
# check line is what tells the reference from a learner's answer: a textbook answer must pass,
# the reference's code copied whole must not.

TEXTBOOK_STEPS = {  # the solutions of notebooks 04 to 07, word for word
    "momentum_step": '''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w + v_new
    return w_new, v_new
''',
    "adagrad_step": '''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    w_new = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
    "rmsprop_step": '''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + (1 - rho) * g * g
    w_new = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
    "adam_step": '''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new
''',
}
TEXTBOOK_STEPS["nesterov_step"] = TEXTBOOK_STEPS["momentum_step"].replace("momentum_step", "nesterov_step").replace(
    "w_new = w + v_new", "w_new = w + momentum * v_new - lr * g")
TEXTBOOK_STEPS["sgd_step"] = "\ndef sgd_step(w, g, lr):\n    w_new = w - lr * g\n    return w_new\n"


def load_answer(tmp_path, name, source):
    import importlib.util

    path = tmp_path / f"answer_{name}.py"
    path.write_text("import numpy as np\nfrom mlbasics.optim import _checked_step\n" + source)
    spec = importlib.util.spec_from_file_location(f"answer_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


TEXTBOOK_HYPER = {"sgd_step": dict(lr=0.1), "momentum_step": dict(lr=0.1, momentum=0.9),
                  "nesterov_step": dict(lr=0.1, momentum=0.9), "adagrad_step": dict(lr=0.1, eps=1e-10),
                  "rmsprop_step": dict(lr=0.1, rho=0.9, eps=1e-8),
                  "adam_step": dict(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)}


@pytest.mark.parametrize("name", TEXTBOOK_STEPS)
def test_a_textbook_step_function_is_not_taken_for_a_copy_of_the_reference(tmp_path, name):
    from mlbasics import grading

    answer = load_answer(tmp_path, name, TEXTBOOK_STEPS[name])
    rng = np.random.default_rng(23)
    w, g = rng.standard_normal(4), rng.standard_normal(4)
    states = [rng.random(4) for _ in STEPS[name.removesuffix("_step")][1]]
    hyper = TEXTBOOK_HYPER[name]
    with grading.own_work(answer, getattr(optim, name), OPTIMIZERS[name.removesuffix("_step")]):
        got = answer(w, g, *states, 3, **hyper) if name == "adam_step" else answer(w, *states, g, **hyper)
    want = call_step(name.removesuffix("_step"), w, g, states, t=3, **hyper)
    assert_same(got if isinstance(got, tuple) else (got,), want)  # the same numbers, operation by operation


@pytest.mark.parametrize("name", sorted(set(TEXTBOOK_STEPS) - {"sgd_step"}))  # sgd_step: too short to judge
def test_the_reference_step_function_copied_whole_is_taken_for_a_copy(tmp_path, name):
    from mlbasics import grading

    source = inspect.getsource(getattr(optim, name)).replace(name, "mine")
    answer = load_answer(tmp_path, "mine", source)
    with pytest.raises(grading.ReferenceUsed, match="copy"):
        grading.assert_own_work(answer, getattr(optim, name))


# --- AdaGrad's rates and RMSprop's average over a sequence --------------------------------------

def test_effective_learning_rates_by_hand():
    grads = np.array([[3.0, 1.0], [4.0, 1.0], [0.0, 1.0]])
    expected = [[1 / 3, 1.0], [1 / 5, 1 / np.sqrt(2)], [1 / 5, 1 / np.sqrt(3)]]
    assert_allclose(optim.effective_learning_rates(grads, lr=1.0, eps=0.0), expected, rtol=1e-15)
    assert_allclose(optim.effective_learning_rates([[0.1], [0.0]], lr=1.0, eps=0.1), [[5.0], [5.0]], rtol=1e-15)
    with pytest.raises(ValueError, match=r"^eps must be"):
        optim.effective_learning_rates(grads, lr=1.0, eps=-1.0)


def test_ema_is_rmsprops_average():
    rng = np.random.default_rng(24)
    values = rng.random((9, 2, 3))
    weights = np.tril(0.4 * 0.6 ** np.subtract.outer(np.arange(9), np.arange(9)).clip(0))
    assert_allclose(optim.ema(values, 0.6), np.tensordot(weights, values, axes=1), rtol=1e-13)
    # RMSprop's h, fed the squared gradients, is this average
    opt, params = RMSprop(lr=0.1, rho=0.6), {"W": np.zeros((2, 3))}
    for g in np.sqrt(values):
        opt.update(params, {"W": g})
    assert_allclose(opt.h["W"], optim.ema(values, 0.6)[-1], rtol=1e-14)
    with pytest.raises(ValueError, match=r"^rho must be in \[0, 1\), got 1$"):
        optim.ema(values, 1)


@pytest.mark.parametrize("name", ["adam", "nesterov", "sgd"])
def test_an_answer_that_wraps_the_reference_step_function_is_refused(tmp_path, name):
    """A hidden test names the step function as its reference (make mutants checks that it does)."""
    from mlbasics import grading

    wrapper = load_answer(tmp_path, "wrapper", f'''
from mlbasics import optim

def wrapper(*args, **kwargs):
    return optim.{name}_step(*args, **kwargs)
''')
    args = {"adam": (np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1), "sgd": (np.ones(2), np.ones(2), 0.1),
            "nesterov": (np.ones(2), np.zeros(2), np.ones(2), 0.1, 0.9)}[name]
    with pytest.raises(grading.ReferenceUsed):
        with grading.own_work(wrapper, getattr(optim, f"{name}_step")):
            wrapper(*args)
