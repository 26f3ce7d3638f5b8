"""The block-by-block, multi-threaded machinery behind mlbasics.optim and mlbasics.activations."""


import numpy as np
import pytest
from numpy.testing import assert_array_equal

from conftest import blocks
from mlbasics import _blocks, activations


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, 37, -1])
def test_all_finite_finds_one_bad_entry_in_any_block(dtype, bad, where):
    a = np.ones(400, dtype)
    assert _blocks.all_finite(a)
    a[where] = bad
    with blocks(block_bytes=64, threads=3):
        assert not _blocks.all_finite(a)
    assert not _blocks.all_finite(a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_finite_is_not_fooled_by_sums_that_overflow(dtype):
    big = np.full(400, np.finfo(dtype).max / 2, dtype)
    with blocks(block_bytes=64, threads=2), np.errstate(all="raise"):
        assert _blocks.all_finite(big)  # finite entries whose sum overflows
        big[200] = np.nan
        assert not _blocks.all_finite(big)


def test_all_finite_on_scalars_and_non_contiguous_arrays():
    assert _blocks.all_finite(np.float64(3.0))
    assert not _blocks.all_finite(np.array(np.inf))
    a = np.ones((40, 40))
    a[3, 1] = np.nan
    with blocks(block_bytes=64, threads=2):
        assert not _blocks.all_finite(a.T)
        assert _blocks.all_finite(a[:, 2:])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blocked_sigmoid_equals_whole(dtype):
    x = np.random.default_rng(3).standard_normal((50, 7)).astype(dtype) * 30
    x[0, :3] = [-1e4, 0.0, 1e4]
    whole = activations.sigmoid(x)
    with blocks(block_bytes=64, threads=3):
        blocked = activations.sigmoid(x)
    assert_array_equal(blocked, whole, strict=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(50, 7), (3, 4, 5), (9, 50), (1, 13), (40,)])
def test_blocked_softmax_equals_whole(dtype, shape):
    z = (np.random.default_rng(4).standard_normal(shape) * 30).astype(dtype)
    z.flat[0] = 1e4
    whole = activations.softmax(z)
    with blocks(block_bytes=64, threads=3):
        blocked = activations.softmax(z)
        assert_array_equal(activations.softmax(z, axis=z.ndim - 1), whole, strict=True)
    assert_array_equal(blocked, whole, strict=True)
