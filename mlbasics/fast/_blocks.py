"""Running an elementwise computation fast on large arrays, in plain NumPy.

NumPy makes one pass over memory per operation, and a formula such as an optimizer's step or a
stable sigmoid has several. :func:`blockwise` cuts large arrays into blocks small enough to stay in
the CPU's caches while the formula's operations run over them one after another, and shares the
blocks among threads (NumPy releases the GIL inside its loops). Small arrays go through in one
piece, so the result is the same either way.

:func:`checked_blockwise` does the same for several groups of arrays at once (an optimizer's
parameters, gradients and state, key by key), after making sure that one array of every group is
finite: the threads first check their blocks, wait for each other, and only then write anything.

``THREADS`` is the number of CPUs this process may run on: the threads used here, and the cores
that ``make autograde`` shares among its grading kernels.
"""

import contextvars
import os
import threading

import numpy as np

BLOCK_BYTES = 1 << 20
if hasattr(os, "sched_getaffinity"):
    THREADS = len(os.sched_getaffinity(0))  # the CPUs this process may run on
else:
    THREADS = os.cpu_count() or 1


def blockwise(step, *arrays, unit=1):
    """Run ``step(*arrays, scratch)`` block by block, on all cores.

    ``step`` works element by element, so running it on matching slices of the arrays is the same
    as running it on the whole arrays; ``scratch`` is work space shaped like the slices. With
    ``unit=n``, ``step`` works on runs of ``n`` consecutive elements (rows of a C-ordered array
    with ``n`` columns, say), and every block is a whole number of them.
    """
    checked_blockwise(step, [arrays], check=None, unit=unit)


def all_finite(a):
    """True when every entry of the array ``a`` is finite (checked on all cores)."""
    return checked_blockwise(None, [(np.asarray(a),)], check=0) is None


def checked_blockwise(step, groups, check, unit=1):
    """Run ``step(*group, scratch)`` on every group of arrays if all ``group[check]`` are finite.

    Each group is a tuple of same-shaped arrays, and is cut into blocks as in :func:`blockwise`.
    Returns None once every step has run, or, without running any step, the index of the first
    group whose array at position ``check`` holds inf or nan. ``check=None`` checks nothing;
    ``step=None`` only checks. ``unit`` is as in :func:`blockwise`.
    """
    items = []  # (group index, matching slices or the whole arrays)
    for n, arrays in enumerate(groups):
        first = arrays[0]
        block = max(1, BLOCK_BYTES // first.itemsize // unit) * unit
        if first.size <= block or not all(a.flags.c_contiguous for a in arrays):
            items.append((n, arrays))
            continue
        flat = [a.reshape(-1) for a in arrays]  # views, since the arrays are contiguous
        items.extend((n, [a[i:i + block] for a in flat]) for i in range(0, first.size, block))
    n_threads = min(THREADS, max(1, len(items) // 4))  # starting a thread costs about a block
    bad, errors = [], []
    checked = threading.Barrier(n_threads)

    def run(k):
        mine = items[k * len(items) // n_threads:(k + 1) * len(items) // n_threads]
        if check is not None:
            try:
                bad.extend(n for n, arrays in mine if not _finite(arrays[check]))
            except BaseException as error:  # re-raised in the calling thread below
                errors.append(error)
            checked.wait()  # no thread writes before every block is checked
            if bad or errors or step is None:
                return
        try:
            scratch = {}  # one work array per dtype, reused from block to block
            # the blocks checked last are the likeliest to be still in cache: start with them
            for _, arrays in reversed(mine):
                first = arrays[0]
                s = scratch.get(first.dtype)
                if first.ndim != 1 or s is None or s.size < first.size:
                    s = np.empty_like(first)
                    if first.ndim == 1:
                        scratch[first.dtype] = s
                step(*arrays, s[:first.size] if first.ndim == 1 else s)
        except BaseException as error:
            errors.append(error)

    # each thread runs in a copy of the caller's context, so np.errstate settings hold there too
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(run, k))
               for k in range(1, n_threads)]
    for thread in threads:
        thread.start()
    run(0)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return min(bad) if bad else None


def _finite(a):
    """True when every entry of ``a`` is finite.

    A finite sum proves every entry finite (inf and nan propagate through sums); only a sum that
    overflows needs the entry-by-entry check.
    """
    if not np.issubdtype(a.dtype, np.inexact):
        return True  # integers and booleans
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(a, axis=None)):
            return True
    return bool(np.isfinite(a).all())
