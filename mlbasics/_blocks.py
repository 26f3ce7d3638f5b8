"""Running an elementwise computation fast on large arrays, in plain NumPy.

NumPy makes one pass over memory per operation, and a formula such as an optimizer's step or a
stable sigmoid has several. :func:`blockwise` cuts large arrays into blocks small enough to stay in
the CPU's caches while the formula's operations run over them one after another, and shares the
blocks among threads (NumPy releases the GIL inside its loops). Small arrays go through in one
piece, so the result is the same either way.
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


def blockwise(step, *arrays):
    """Run ``step(*arrays, scratch)`` block by block, on all cores.

    ``step`` works element by element, so running it on matching slices of the arrays is the same
    as running it on the whole arrays; ``scratch`` is work space shaped like the slices.
    """
    first = arrays[0]
    block = max(1, BLOCK_BYTES // first.itemsize)
    if first.size <= block or not all(a.flags.c_contiguous for a in arrays):
        step(*arrays, np.empty_like(first))
        return
    flat = [a.reshape(-1) for a in arrays]  # views, since the arrays are contiguous
    starts = range(0, first.size, block)
    n_threads = min(THREADS, max(1, len(starts) // 4))  # starting a thread costs about a block
    errors = []

    def run(k):
        scratch = np.empty(block, first.dtype)
        try:
            for i in starts[k * len(starts) // n_threads:(k + 1) * len(starts) // n_threads]:
                step(*(a[i:i + block] for a in flat), scratch[:min(block, first.size - i)])
        except BaseException as error:  # re-raised in the calling thread below
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


def all_finite(a):
    """True when every entry of the float array ``a`` is finite.

    A finite sum proves every entry finite (inf and nan propagate through sums); the block sums
    are taken on all cores, and only a sum that overflows needs the entry-by-entry check.
    """
    sums = []
    with np.errstate(over="ignore", invalid="ignore"):  # the threads inherit this setting
        blockwise(lambda part, scratch: sums.append(np.add.reduce(part, axis=None)), a)
        return bool(np.isfinite(np.sum(sums))) or bool(np.isfinite(a).all())
