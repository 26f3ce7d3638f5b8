"""mlbasics._checks: the argument checks every reference module shares, and the one rule for rng."""

import math
import re

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from mlbasics import _checks, batching, data, descent, models, optim
from mlbasics._checks import count, fraction, generator, nonnegative, positive, samples


@pytest.mark.parametrize("check, good, bad", [
    (positive, [1e-300, 0.1, 5, np.float32(2.0), True], [0, -1, math.nan, math.inf, -math.inf, "0.1", None]),
    (nonnegative, [0, 0.0, 1e-8, 3], [-1e-8, math.nan, math.inf, "0", None]),
    (fraction, [0, 0.0, 0.5, 0.999], [-0.1, 1, 1.0, 1.5, math.nan, "0.5", None]),
    (count, [1, 7, np.int64(3)], [0, -1, 2.0, 2.5, True, "3", None]),
])
def test_each_check_returns_a_good_value_and_names_a_bad_one(check, good, bad):
    for value in good:
        got = check("x", value)
        assert got == value and type(got) is (int if check is count else float)
    for value in bad:
        with pytest.raises(ValueError, match=rf"^x must be .*, got {re.escape(repr(value))}$"):
            check("x", value)


def test_count_takes_a_minimum():
    assert count("steps", 0, minimum=0) == 0
    with pytest.raises(ValueError, match=r"^steps must be an integer >= 0, got -1$"):
        count("steps", -1, minimum=0)


def test_generator_none_is_fresh_every_call():
    a, b = generator(None), generator(None)
    assert isinstance(a, np.random.Generator) and a is not b
    assert a.random() != b.random()


def test_generator_integer_is_a_seed_and_a_generator_is_used_as_is():
    assert generator(7).random() == np.random.default_rng(7).random()
    assert generator(np.int64(7)).random() == np.random.default_rng(7).random()
    rng = np.random.default_rng(0)
    assert generator(rng) is rng


@pytest.mark.parametrize("bad", [1.0, "0", True, [1, 2], np.random.RandomState(0), object()])
def test_generator_refuses_anything_else_with_a_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match=r"^rng must be None, an integer seed >= 0 or a numpy.random.Generator"):
        generator(bad)
    with pytest.raises(TypeError, match=r"^shuffle_rng must be"):
        generator(bad, "shuffle_rng")


def test_generator_refuses_a_negative_seed():
    with pytest.raises(ValueError, match=r"^a seed must be an integer >= 0, got rng=-1$"):
        generator(-1)


def test_samples():
    X, y = samples([[1, 2], [3, 4]], [0, 1])
    assert X.shape == (2, 2) and y.shape == (2,)
    for args, message in [((np.zeros(3), np.zeros(2)), "X and y must have the same length, got 3 and 2"),
                          ((np.zeros(0), np.zeros(0)), r"X must hold at least one sample, got shape \(0,\)"),
                          ((np.float64(1), np.zeros(1)), "one row per sample")]:
        with pytest.raises(ValueError, match=message):
            samples(*args)
    with pytest.raises(ValueError, match="^X_val and y_val must have the same length"):
        samples(np.zeros(3), np.zeros(2), "X_val", "y_val")


def test_the_reference_modules_share_these_checks_instead_of_repeating_them():
    assert descent.positive is optim.positive is positive
    assert data.count is models.count is batching.count is descent.count is count
    assert data.generator is models.generator is batching.generator is generator
    assert data.samples is batching.samples is samples
    for module in (data, models, batching, descent, optim):
        own = [name for name, value in vars(module).items()
               if callable(value) and getattr(value, "__module__", None) == module.__name__
               and name.startswith(("_check_positive", "_check_count", "_check_rng", "_check_Xy",
                                    "_check_nonnegative", "_positive", "_fraction", "_nonnegative"))]
        assert not own, f"{module.__name__} defines its own {own}"


# every public function that takes rng=, called with a small problem: (name, call(rng) -> arrays)
_LINE = models.LinearRegression(1)
RNG_TAKERS = {
    "data.make_linear_regression": lambda rng: data.make_linear_regression(20, rng=rng),
    "data.make_regression": lambda rng: data.make_regression(20, 2, rng=rng),
    "data.make_blobs": lambda rng: data.make_blobs(20, 3, rng=rng),
    "data.make_binary_classification": lambda rng: data.make_binary_classification(20, rng=rng),
    "data.make_polynomial_data": lambda rng: data.make_polynomial_data(20, rng=rng),
    "data.train_val_test_split": lambda rng: data.train_val_test_split(
        np.arange(40), np.arange(40) % 2, val_size=0.2, test_size=0.2, rng=rng)[:3],
    "batching.iterate_minibatches": lambda rng: [xb for xb, _ in batching.iterate_minibatches(
        np.arange(40), np.arange(40), 8, rng=rng)],
    "batching.train": lambda rng: _trained(rng),
    "models.MLP.init_params": lambda rng: list(models.MLP([2, 3, 2]).init_params(rng).values()),
}


def _trained(rng):
    X, y = np.linspace(-1, 1, 30)[:, None], np.linspace(-1, 1, 30)
    params = _LINE.init_params()
    batching.train(_LINE, params, X, y, optimizer=optim.SGD(lr=0.1), epochs=2, batch_size=4, rng=rng)
    return list(params.values())


@pytest.mark.parametrize("name", RNG_TAKERS)
def test_every_rng_argument_follows_the_one_rule(name):
    call = RNG_TAKERS[name]
    for a, b in zip(call(3), call(np.random.default_rng(3))):
        assert_array_equal(a, b)
    firsts = [np.concatenate([np.ravel(a) for a in call(None)]) for _ in range(3)]
    assert not all(np.array_equal(firsts[0], f) for f in firsts[1:]), f"{name}: rng=None repeats itself"
    with pytest.raises(TypeError, match=r"^rng must be None, an integer seed"):
        call("3")
