"""Argument checks shared by the reference modules.

Every check takes the argument's name, so that its error says which argument was wrong and what it
was: ``lr must be a finite number > 0, got -0.1``. A value of the wrong kind or out of range is a
``ValueError``; only :func:`generator` raises ``TypeError``, for what cannot be a source of random
numbers at all.

Random numbers
--------------
One rule for every ``rng=`` argument in :mod:`mlbasics` (see :func:`generator`):

- ``None``: a fresh ``numpy.random.default_rng()``, so the numbers differ from call to call;
- an integer >= 0: a new generator seeded with it, so the same seed gives the same numbers;
- a ``numpy.random.Generator``: used as it is (and advanced, so a second call continues where the
  first stopped);
- anything else: ``TypeError``.

Nothing reads or sets numpy's global seed.
"""

import numbers

import numpy as np


def positive(name, value):
    """``value`` as a float, if it is a finite number > 0."""
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or not value > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def nonnegative(name, value):
    """``value`` as a float, if it is a finite number >= 0."""
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or not value >= 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def fraction(name, value):
    """``value`` as a float, if it is in [0, 1) (a decay or momentum coefficient)."""
    if not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def count(name, value, minimum=1):
    """``value`` as an int, if it is an integer (not a bool, not a float) >= ``minimum``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def generator(rng, name="rng"):
    """The ``numpy.random.Generator`` that the argument ``rng`` stands for (the rule above).

    Raises
    ------
    TypeError
        If ``rng`` is not None, an integer or a Generator (e.g. a float, a string, or numpy's
        legacy ``RandomState``).
    ValueError
        If ``rng`` is a negative integer.
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"a seed must be an integer >= 0, got {name}={rng!r}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be None, an integer seed >= 0 or a numpy.random.Generator "
                    f"(e.g. numpy.random.default_rng(0)), got {rng!r}")


def samples(X, y, x_name="X", y_name="y"):
    """``X`` and ``y`` as arrays with one row per sample, the same number of rows, at least one."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"{x_name} and {y_name} must be arrays with one row per sample, "
                         f"got shapes {X.shape} and {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"{x_name} and {y_name} must have the same length, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{x_name} must hold at least one sample, got shape {X.shape}")
    return X, y
