"""mlbasics.fast: the blocked, multi-threaded optimizers and activations give the reference's results.

Every test runs the fast path twice where it matters: as it runs by default (small arrays go through
in one piece) and forced into tiny blocks shared by several threads (the `blocks` fixture of conftest.py)."""

import copy
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics import activations, optim
from mlbasics.fast import _blocks
from mlbasics.fast import activations as fast_activations
from mlbasics.fast import optim as fast_optim
from test_optim import HYPER, assert_same, bad_updates, random_grads, random_params, snapshot

OPTIMIZERS = list(optim.OPTIMIZERS)
FORCED = {"whole": None, "blocks": (64, 3)}  # block_bytes, threads


def forced(blocks, mode):
    return blocks(*FORCED[mode]) if FORCED[mode] else _nothing()


class _nothing:
    """A context that changes nothing: the fast path as it runs by default."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# --- the block machinery -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 37, -1])
def test_all_finite_finds_one_bad_entry_in_any_block(dtype, bad, where, blocks):
    a = np.ones(400, dtype)
    assert _blocks.all_finite(a)
    a[where] = bad
    with blocks(block_bytes=64, threads=3):
        assert not _blocks.all_finite(a)
    assert not _blocks.all_finite(a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_finite_is_not_fooled_by_sums_that_overflow(dtype, blocks):
    big = np.full(400, np.finfo(dtype).max / 2, dtype)
    with blocks(block_bytes=64, threads=2), np.errstate(all="raise"):
        assert _blocks.all_finite(big)  # finite entries whose sum overflows
        big[200] = np.nan
        assert not _blocks.all_finite(big)


def test_all_finite_on_scalars_and_non_contiguous_arrays(blocks):
    assert _blocks.all_finite(np.float64(3.0))
    assert not _blocks.all_finite(np.array(np.inf))
    a = np.ones((40, 40))
    a[3, 1] = np.nan
    with blocks(block_bytes=64, threads=2):
        assert not _blocks.all_finite(a.T)
        assert _blocks.all_finite(a[:, 2:])


def test_threads_is_a_core_count():
    assert isinstance(_blocks.THREADS, int) and 1 <= _blocks.THREADS <= (os.cpu_count() or 1)


# --- optimizers: the reference's numbers ---------------------------------------------------------

def run_steps(module, name, params, grad_list, hyper=None):
    opt = module.OPTIMIZERS[name](**(HYPER[name] if hyper is None else hyper))
    for grads in grad_list:
        opt.update(params, grads)
    return params, opt


def assert_state_close(fast, ref, rtol, atol):
    for n in ("v", "h", "m"):
        if getattr(ref, n, None) is not None:
            for key, value in getattr(ref, n).items():
                got = getattr(fast, n)[key]
                assert got.dtype == value.dtype
                assert_allclose(got, value, rtol=rtol, atol=atol)
    assert getattr(fast, "t", None) == getattr(ref, "t", None)


def test_fast_optimizers_are_the_reference_classes_with_another_update():
    assert fast_optim.OPTIMIZERS.keys() == optim.OPTIMIZERS.keys()
    for name, cls in fast_optim.OPTIMIZERS.items():
        assert issubclass(cls, optim.OPTIMIZERS[name]) and cls.__name__ == optim.OPTIMIZERS[name].__name__
        assert "update" in vars(cls) and "__init__" not in vars(cls)


@pytest.mark.parametrize("mode", FORCED)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fast_optimizer_gives_the_references_results(name, dtype, mode, blocks):
    rng = np.random.default_rng(14)
    params = random_params(rng, shapes=[(5, 37), (3,), (2, 64), ()], dtype=dtype)
    grad_list = [random_grads(rng, params) for _ in range(5)]
    ref, ref_opt = run_steps(optim, name, copy.deepcopy(params), grad_list)
    with forced(blocks, mode):
        fast, fast_opt = run_steps(fast_optim, name, copy.deepcopy(params), grad_list)
    rtol, atol = (1e-12, 1e-14) if dtype == np.float64 else (1e-5, 1e-6)
    for key, W in ref.items():
        assert fast[key].dtype == W.dtype
        assert_allclose(fast[key], W, rtol=rtol, atol=atol)
    assert_state_close(fast_opt, ref_opt, rtol, atol)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fast_optimizer_with_float64_gradients_for_float32_params(name, blocks):
    rng = np.random.default_rng(17)
    params = random_params(rng, shapes=[(4, 9), (3,)], dtype=np.float32)
    grad_list = [{k: g.astype(np.float64) for k, g in random_grads(rng, params).items()} for _ in range(3)]
    ref, ref_opt = run_steps(optim, name, copy.deepcopy(params), grad_list)
    with blocks(block_bytes=64, threads=2):
        fast, fast_opt = run_steps(fast_optim, name, copy.deepcopy(params), grad_list)
    for key, W in ref.items():
        assert_allclose(fast[key], W, rtol=1e-5, atol=1e-6)
    assert_state_close(fast_opt, ref_opt, 1e-5, 1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(OPTIMIZERS),
    W=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=9),
                 elements=st.floats(-1e3, 1e3)),
    block_bytes=st.sampled_from([8, 24, 64, 1 << 20]),
    threads=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_fast_equals_reference(name, W, block_bytes, threads, seed, blocks):
    rng = np.random.default_rng(seed)
    grad_list = [{"W": rng.standard_normal(W.shape) * 10.0 ** rng.integers(-3, 3)} for _ in range(2)]
    ref, _ = run_steps(optim, name, {"W": W.copy()}, grad_list)
    with blocks(block_bytes, threads):
        fast, _ = run_steps(fast_optim, name, {"W": W.copy()}, grad_list)
    assert_allclose(fast["W"], ref["W"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("layout", ["transposed", "strided", "fortran"])
def test_fast_non_contiguous_params_are_updated_in_place(layout, blocks):
    rng = np.random.default_rng(15)
    base = rng.standard_normal((6, 8))
    W = {"transposed": base.T, "strided": base[:, ::2], "fortran": np.asfortranarray(base)}[layout]
    g = rng.standard_normal(W.shape)
    expected = W - 0.1 * g
    with blocks(block_bytes=64, threads=2):
        fast_optim.SGD(lr=0.1).update({"W": W}, {"W": g})
    assert_allclose(W, expected, rtol=1e-15)
    if layout != "fortran":
        assert np.shares_memory(W, base)


# --- optimizers: a refused update changes nothing, as in the reference ---------------------------

@pytest.mark.parametrize("mode", FORCED)
@pytest.mark.parametrize("case, grads, message", bad_updates(), ids=[c[0] for c in bad_updates()])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fast_bad_grads_are_refused_as_by_the_reference_and_nothing_changes(name, case, grads, message, mode, blocks):
    rng = np.random.default_rng(12)
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    first = random_grads(rng, params)
    errors = []
    for module in (optim, fast_optim):
        opt, mine = module.OPTIMIZERS[name](), copy.deepcopy(params)
        with forced(blocks, mode):
            opt.update(mine, first)  # so that there is state to protect
            before = snapshot(opt, mine)
            with pytest.raises(ValueError, match=message) as info:
                opt.update(mine, grads)
        assert_same(snapshot(opt, mine), before)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("where", ["first block of the first key", "last block of the last key",
                                   "a small key between large ones"])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_bad_gradient_in_any_block_stops_every_thread_before_it_writes(name, where, blocks):
    rng = np.random.default_rng(16)
    params = random_params(rng, shapes=[(8, 40), (3,), (6, 50)], dtype=np.float64)
    opt = fast_optim.OPTIMIZERS[name](**HYPER[name])
    with blocks(block_bytes=64, threads=3):
        opt.update(params, random_grads(rng, params))  # so that there is state to protect
        grads = random_grads(rng, params)
        key, index = {"first block of the first key": (list(params)[0], 0),
                      "last block of the last key": (list(params)[-1], -1),
                      "a small key between large ones": (list(params)[1], 1)}[where]
        grads[key].flat[index] = np.nan
        before = snapshot(opt, params)
        with pytest.raises(ValueError, match=rf"grads\[{key!r}\] contains inf or nan"):
            opt.update(params, grads)
    assert_same(snapshot(opt, params), before)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fast_optimizers_check_their_hyperparameters_like_the_reference(name):
    with pytest.raises(ValueError, match=r"^lr must be"):
        fast_optim.OPTIMIZERS[name](lr=0)
    opt = fast_optim.OPTIMIZERS[name]()
    opt.lr = -0.1
    params = {"W": np.ones(3)}
    with pytest.raises(ValueError, match=r"lr must be .*, got -0\.1"):
        opt.update(params, {"W": np.ones(3)})
    assert_array_equal(params["W"], np.ones(3))


@pytest.mark.parametrize("grad, message", [
    (np.ones(3, complex), "got an array of complex128"),
    (np.array(["a", "b", "c"]), "got an array of <U1"),
])
def test_fast_gradients_that_are_not_real_numbers_are_refused(grad, message):
    params = {"W": np.ones(3)}
    with pytest.raises(TypeError, match=rf"grads\['W'\] must hold real numbers, {message}"):
        fast_optim.Adam().update(params, {"W": grad})
    assert_array_equal(params["W"], np.ones(3))


def test_floating_point_errors_raised_in_worker_threads_reach_the_caller(blocks):
    W = np.ones(64)
    W[-1] = 1e308  # only the last block, handled by a worker thread, overflows
    with blocks(block_bytes=64, threads=2), np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            fast_optim.SGD(lr=10.0).update({"W": W}, {"W": -W})


# --- activations: the reference's numbers, bit for bit ---------------------------------------------

@pytest.mark.parametrize("mode", FORCED)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (1,), (50, 7), (3, 4, 5)])
def test_fast_sigmoid_is_the_reference(dtype, shape, mode, blocks):
    x = (np.random.default_rng(3).standard_normal(shape) * 30).astype(dtype)
    if x.ndim:
        x.flat[:3] = [-1e4, 0.0, 1e4][:x.size]
    with forced(blocks, mode), np.errstate(over="raise", invalid="raise", divide="raise"):
        got = fast_activations.sigmoid(x)
    want = activations.sigmoid(x)
    assert type(got) is type(want)
    assert_array_equal(got, want, strict=True)


@pytest.mark.parametrize("mode", FORCED)
def test_fast_sigmoid_of_integers_lists_and_nan(mode, blocks):
    with forced(blocks, mode):
        assert_array_equal(fast_activations.sigmoid([[-3, 0, 2]] * 9), activations.sigmoid([[-3, 0, 2]] * 9),
                           strict=True)
        x = np.array([np.nan, -np.inf, np.inf, -0.0] * 10)
        assert_array_equal(fast_activations.sigmoid(x), activations.sigmoid(x), strict=True)


@pytest.mark.parametrize("mode", FORCED)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(50, 7), (3, 4, 5), (9, 50), (1, 13), (40,)])
def test_fast_softmax_is_the_reference(dtype, shape, mode, blocks):
    z = (np.random.default_rng(4).standard_normal(shape) * 30).astype(dtype)
    z.flat[0] = 1e4
    with forced(blocks, mode), np.errstate(over="raise", invalid="raise", divide="raise"):
        for axis in range(-z.ndim, z.ndim):
            assert_array_equal(fast_activations.softmax(z, axis=axis), activations.softmax(z, axis=axis),
                               strict=True)
        assert_array_equal(fast_activations.softmax(z), activations.softmax(z), strict=True)


@pytest.mark.parametrize("mode", FORCED)
def test_fast_softmax_of_non_contiguous_and_integer_input(mode, blocks):
    z = np.random.default_rng(5).standard_normal((8, 30))
    with forced(blocks, mode):
        for a in (z.T, z[:, ::3], np.asfortranarray(z), np.arange(12).reshape(3, 4)):
            assert_array_equal(fast_activations.softmax(a), activations.softmax(a), strict=True)


def test_fast_activations_leave_their_input_alone(blocks):
    x = np.random.default_rng(6).standard_normal((40, 7))
    before = x.copy()
    with blocks(block_bytes=64, threads=3):
        fast_activations.sigmoid(x)
        fast_activations.softmax(x)
    assert_array_equal(x, before)
