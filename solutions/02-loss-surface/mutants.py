"""Plausible wrong answers for 02-loss-surface: `make mutants ASSIGNMENT=02-loss-surface` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "mse": [
        dict(
            name="sum instead of mean",
            hint="you summed the squared errors",
            source='''
def mse(y_pred, y):
    return float(np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
''',
        ),
        dict(
            name="half the sum of squares (the textbook's sum of squared errors)",
            hint="half the sum of squares",
            source='''
def mse(y_pred, y):
    return float(0.5 * np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
''',
        ),
        dict(
            name="root mean squared error",
            hint="square root of the MSE",
            source='''
def mse(y_pred, y):
    return float(np.sqrt(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2)))
''',
        ),
        dict(
            name="mean of the absolute errors",
            hint="must be squared",
            source='''
def mse(y_pred, y):
    return float(np.mean(np.abs(np.asarray(y_pred) - np.asarray(y))))
''',
        ),
        dict(
            name="calls the reference implementation",
            hint="reference implementation",
            source='''
from mlbasics import losses

def mse(y_pred, y):
    return losses.mse(y_pred, y)
''',
        ),
        dict(
            name="mean along the first axis only",
            hint="average over every element",
            source='''
def mse(y_pred, y):
    return np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2, axis=0)
''',
        ),
    ],
    "mse_grad": [
        dict(
            name="forgets the factor 2",
            hint="factor 2",
            source='''
def mse_grad(y_pred, y):
    y_pred = np.asarray(y_pred, dtype=float)
    return (y_pred - y) / y_pred.size
''',
        ),
        dict(
            name="forgets to divide by n",
            hint="divide by n",
            source='''
def mse_grad(y_pred, y):
    return 2.0 * (np.asarray(y_pred, dtype=float) - y)
''',
        ),
        dict(
            name="wrong sign",
            hint="wrong sign",
            source='''
def mse_grad(y_pred, y):
    y_pred = np.asarray(y_pred, dtype=float)
    return 2.0 * (y - y_pred) / y_pred.size
''',
        ),
        dict(
            name="n is the number of rows, not of elements",
            hint="number of elements",
            source='''
def mse_grad(y_pred, y):
    y_pred = np.asarray(y_pred, dtype=float)
    return 2.0 * (y_pred - y) / len(y_pred)
''',
        ),
        dict(
            name="fills an array made with np.zeros_like (integer inputs truncated)",
            hint="the inputs are integers here",
            source='''
def mse_grad(y_pred, y):
    grad = np.zeros_like(y_pred)
    grad[...] = 2.0 * (np.asarray(y_pred) - np.asarray(y)) / np.size(y_pred)
    return grad
''',
        ),
    ],
    "line_mse_grad": [
        dict(
            name="dL/dw without the factor x",
            hint="derivative of its prediction with respect to w",
            source='''
def line_mse_grad(w, b, x, y):
    r = w * x + b - y
    return 2 * np.mean(r), 2 * np.mean(r)
''',
        ),
        dict(
            name="forgets the factor 2",
            hint="factor 2",
            source='''
def line_mse_grad(w, b, x, y):
    r = w * x + b - y
    return np.mean(r * x), np.mean(r)
''',
        ),
        dict(
            name="residual target minus prediction",
            hint="wrong sign",
            source='''
def line_mse_grad(w, b, x, y):
    r = y - (w * x + b)
    return 2 * np.mean(r * x), 2 * np.mean(r)
''',
        ),
        dict(
            name="sum instead of mean",
            hint="you summed instead of averaging",
            source='''
def line_mse_grad(w, b, x, y):
    r = w * x + b - y
    return 2 * np.sum(r * x), 2 * np.sum(r)
''',
        ),
        dict(
            name="returns (dL/db, dL/dw)",
            hint="swapped",
            source='''
def line_mse_grad(w, b, x, y):
    r = w * x + b - y
    return 2 * np.mean(r), 2 * np.mean(r * x)
''',
        ),
    ],
    "binary_cross_entropy": [
        dict(
            name="no clipping: log(0)",
            hint="clip p into [eps, 1 - eps]",
            source='''
def binary_cross_entropy(p, y, eps=1e-12):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        ),
        dict(
            name="only the y * log(p) term",
            hint="term is missing",
            source='''
def binary_cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p)))
''',
        ),
        dict(
            name="sum over the samples",
            hint="you summed over the samples",
            source='''
def binary_cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        ),
        dict(
            name="ignores the eps argument",
            hint="use the eps argument",
            source='''
def binary_cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        ),
        dict(
            name="clips the caller's array in place",
            hint="changed the caller's p",
            source='''
def binary_cross_entropy(p, y, eps=1e-12):
    np.clip(p, eps, 1 - eps, out=p)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        ),
    ],
    "binary_cross_entropy_grad": [
        dict(
            name="forgets to divide by n",
            hint="divide by n",
            source='''
def binary_cross_entropy_grad(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return (p - y) / (p * (1 - p))
''',
        ),
        dict(
            name="wrong sign",
            hint="wrong sign",
            source='''
def binary_cross_entropy_grad(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return (y - p) / (p * (1 - p)) / p.size
''',
        ),
        dict(
            name="only the derivative of -y log p",
            hint="is missing",
            source='''
def binary_cross_entropy_grad(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return -y / p / p.size
''',
        ),
        dict(
            name="no clipping: division by zero",
            hint="clip p into [eps, 1 - eps] first",
            source='''
def binary_cross_entropy_grad(p, y, eps=1e-12):
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (p - y) / (p * (1 - p)) / p.size
''',
        ),
    ],
    "cross_entropy": [
        dict(
            name="mean over samples and classes",
            hint="you averaged over the classes too",
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1.0)
    t = y if np.shape(y) == p.shape else np.eye(p.shape[1])[y]
    return float(-np.mean(t * np.log(p)))
''',
        ),
        dict(
            name="sum over the samples",
            hint="you summed over the samples",
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1.0)
    t = y if np.shape(y) == p.shape else np.eye(p.shape[1])[y]
    return float(-np.sum(t * np.log(p)))
''',
        ),
        dict(
            name="p[labels] picks rows",
            hint="P[np.arange(n), labels]",
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1.0)
    if np.shape(y) == p.shape:
        return float(-np.sum(y * np.log(p)) / len(p))
    return float(-np.mean(np.log(p[y])))
''',
        ),
        dict(
            name="no clipping",
            hint="clip p to at least eps",
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.asarray(p, dtype=float)
    t = y if np.shape(y) == p.shape else np.eye(p.shape[1])[y]
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(t * np.log(p)) / len(p))
''',
        ),
        dict(
            name="imports the reference under the exercise's name",
            hint="reference implementation",
            source='''
from mlbasics.losses import cross_entropy
''',
        ),
        dict(
            name="handles integer labels only",
            hint=None,
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1.0)
    return float(-np.mean(np.log(p[np.arange(len(p)), y])))
''',
        ),
        dict(
            name="clips the caller's p in place",
            hint="changed the caller's p",
            source='''
def cross_entropy(p, y, eps=1e-12):
    p = np.asarray(p, dtype=float)
    np.clip(p, eps, 1.0, out=p)
    t = y if np.shape(y) == p.shape else np.eye(p.shape[1])[y]
    return float(-np.sum(t * np.log(p)) / len(p))
''',
        ),
    ],
    "best_line": [
        dict(
            name="no centring: the slope of the best line through the origin",
            hint="you did not centre x and y",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = float(np.sum(x * y) / np.sum(x * x))
    return w, float(y.mean() - w * x.mean())
''',
        ),
        dict(
            name="b_star = mean of y",
            hint="passes through the",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    return float(np.sum(dx * dy) / np.sum(dx * dx)), float(y.mean())
''',
        ),
        dict(
            name="np.cov (n - 1) over np.var (n)",
            hint="np.cov divides by n - 1",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = float(np.cov(x, y)[0, 1] / np.var(x))
    return w, float(y.mean() - w * x.mean())
''',
        ),
        dict(
            name="divides by the spread of y",
            hint="spread of y",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    w = float(np.sum(dx * dy) / np.sum(dy * dy))
    return w, float(y.mean() - w * x.mean())
''',
        ),
        dict(
            name="returns (b, w)",
            hint="return (w_star, b_star)",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    w = float(np.sum(dx * dy) / np.sum(dx * dx))
    return float(y.mean() - w * x.mean()), w
''',
        ),
        dict(
            name="centres the caller's arrays in place",
            hint="changed the caller's x or y",
            source='''
def best_line(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    x_mean, y_mean = x.mean(), y.mean()
    x -= x_mean
    y -= y_mean
    w = float(np.sum(x * y) / np.sum(x * x))
    return w, float(y_mean - w * x_mean)
''',
        ),
        dict(
            name="centred values stored in an integer array (integer inputs truncated)",
            hint="integer array",
            source='''
def best_line(x, y):
    x, y = np.asarray(x), np.asarray(y)
    dx, dy = np.empty_like(x), np.empty_like(y)
    dx[:], dy[:] = x - x.mean(), y - y.mean()
    w = float(np.sum(dx * dy) / np.sum(dx * dx))
    return w, float(y.mean() - w * x.mean())
''',
        ),
        dict(
            name="fits with np.polyfit instead of deriving",
            hint="fitting routine",
            source='''
def best_line(x, y):
    w, b = np.polyfit(np.asarray(x, dtype=float), np.asarray(y, dtype=float), 1)
    return float(w), float(b)
''',
        ),
    ],
}
