"""mlbasics: reference implementations for the mlbasics course.

Pure NumPy, float64 by default (float32 accepted). Every notebook, test cell and grader compares
against these modules:

- :mod:`mlbasics.gradients`   numerical gradients and gradient checks
- :mod:`mlbasics.descent`     gradient descent / ascent and learning-rate schedules
- :mod:`mlbasics.losses`      MSE and cross-entropies with their gradients
- :mod:`mlbasics.activations` sigmoid, tanh, relu, softmax, log_softmax, hardmax
- :mod:`mlbasics.optim`       SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam
- :mod:`mlbasics.batching`    mini-batch iteration and the training loop
- :mod:`mlbasics.models`      linear, logistic and softmax regression, a small MLP
- :mod:`mlbasics.surfaces`    test functions with gradients, loss surfaces on a grid
- :mod:`mlbasics.data`        synthetic data sets, digits, train/validation/test split
- :mod:`mlbasics.plotting`    figures used across the course
- :mod:`mlbasics.grading`     checks used by the notebooks' test cells
- :mod:`mlbasics.i18n`        the language of messages and figures (``use_edition("ko")``)

Each reference function is its formula, written to be read next to the notebooks.
:mod:`mlbasics.fast` has blocked, multi-threaded versions of the optimizers, sigmoid and softmax
with the same results, for arrays of millions of entries; the course does not use them.
"""

__version__ = "0.1.0"

from mlbasics.i18n import use_edition  # noqa: E402  (the edition's notebooks call it in their setup cell)
