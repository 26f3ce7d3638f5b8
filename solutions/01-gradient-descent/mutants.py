"""Plausible wrong answers for 01-gradient-descent: `make mutants ASSIGNMENT=01-gradient-descent` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "numerical_gradient": [
        dict(
            name="forward difference with a huge step",
            hint="one-sided difference",
            source='''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    fx = f(x)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + 1e-3
        gflat[i] = (f(x) - fx) / 1e-3
        flat[i] = saved
    return grad
''',
        ),
        dict(
            name="divides by h instead of 2h",
            hint="twice too large",
            source='''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f(x)
        flat[i] = saved - h
        f_minus = f(x)
        flat[i] = saved
        gflat[i] = (f_plus - f_minus) / h
    return grad
''',
        ),
        dict(
            name="modifies the caller's x",
            hint="changed the x it was given",
            source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x)
        x[idx] = saved - h
        f_minus = f(x)
        x[idx] = saved + h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
''',
        ),
        dict(
            name="only loops over the first axis",
            hint="loop over every element",
            source='''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        saved = x[i].copy()
        x[i] = saved + h
        f_plus = f(x)
        x[i] = saved - h
        f_minus = f(x)
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''',
        ),
    ],
    "gradient_descent": [
        dict(
            name="path without the starting point",
            hint="must start with x0",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = []
    for t in range(steps):
        rate = lr(t) if callable(lr) else lr
        x = x - rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
        dict(
            name="appends the same array updated in place",
            hint="every row of your path is the same point",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x]
    for t in range(steps):
        rate = lr(t) if callable(lr) else lr
        x -= rate * grad_f(x)
        path.append(x)
    return np.array(path)
''',
        ),
        dict(
            name="steps uphill",
            hint="goes uphill",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        rate = lr(t) if callable(lr) else lr
        x = x + rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
        dict(
            name="ignores a schedule's step number",
            hint="update t must use lr(t)",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        rate = lr(t + 1) if callable(lr) else lr
        x = x - rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
    ],
    "gradient_ascent": [
        dict(
            name="descends instead",
            hint="goes downhill",
            source='''
def gradient_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        x = x - lr * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
        dict(
            name="ignores the learning rate",
            hint=None,
            source='''
def gradient_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        x = x + grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
    ],
    "piecewise_schedule": [
        dict(
            name="a boundary step stays in the old interval",
            hint="belongs to the next interval",
            source='''
def piecewise_schedule(boundaries, values):
    if len(values) != len(boundaries) + 1:
        raise ValueError("values needs one more entry than boundaries")
    def lr(t):
        k = 0
        while k < len(boundaries) and t > boundaries[k]:
            k += 1
        return values[k]
    return lr
''',
        ),
        dict(
            name="no check of the lengths",
            hint="should raise ValueError",
            source='''
def piecewise_schedule(boundaries, values):
    def lr(t):
        k = 0
        while k < len(boundaries) and t >= boundaries[k]:
            k += 1
        return values[min(k, len(values) - 1)]
    return lr
''',
        ),
    ],
}
