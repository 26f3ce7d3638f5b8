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
        dict(
            name="subtracts the wrong way round: (f(x - h) - f(x + h)) / (2h)",
            hint="the sign is flipped",
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
        gflat[i] = (f_minus - f_plus) / (2 * h)
    return grad
''',
        ),
        dict(
            name="copies x without making it float (integer inputs truncated)",
            hint="x holds integers",
            source='''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x)
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f(x)
        flat[i] = saved - h
        f_minus = f(x)
        flat[i] = saved
        gflat[i] = (f_plus - f_minus) / (2 * h)
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
        dict(
            name="np.asarray does not copy: the caller's x0 is updated in place",
            hint="changed x0 in place",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.asarray(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        rate = lr(t) if callable(lr) else lr
        x -= rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
        dict(
            name="one update too few",
            hint="one point too few",
            source='''
def gradient_descent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps - 1):
        rate = lr(t) if callable(lr) else lr
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
            hint="the learning rate is missing",
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
        dict(
            name="a schedule's first update uses lr(1)",
            hint="update t must use lr(t)",
            source='''
def gradient_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        rate = lr(t + 1) if callable(lr) else lr
        x = x + rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)
''',
        ),
        dict(
            name="takes lr for a number only",
            hint="raised TypeError",
            source='''
def gradient_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for t in range(steps):
        x = x + lr * grad_f(x)
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
        dict(
            name="the length check is off by one (rejects a valid call)",
            hint="that call is valid",
            source='''
def piecewise_schedule(boundaries, values):
    if len(values) != len(boundaries):
        raise ValueError("values and boundaries must have the same length")
    def lr(t):
        k = 0
        while k < len(boundaries) and t >= boundaries[k]:
            k += 1
        return values[k]
    return lr
''',
        ),
        dict(
            name="bisect_left: a boundary step stays in the old interval",
            hint="belongs to the next interval",
            source='''
import bisect

def piecewise_schedule(boundaries, values):
    if len(values) != len(boundaries) + 1:
        raise ValueError("values needs one more entry than boundaries")
    return lambda t: values[bisect.bisect_left(boundaries, t)]
''',
        ),
    ],
    "steps_to_shrink": [
        dict(
            name="rounds down",
            hint="round up",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    needed = 0
    for c in curvatures:
        shrink = abs(1 - lr * c)
        if shrink >= 1:
            return math.inf
        if shrink > 0:
            needed = max(needed, math.floor(math.log(factor) / -math.log(shrink)))
    return int(needed)
''',
        ),
        dict(
            name="per-step factor 1 - 2 lr c (section 4's bowl factor, doubled again)",
            hint="Do not double it again",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    needed = 0
    for c in curvatures:
        shrink = abs(1 - 2 * lr * c)
        if shrink >= 1:
            return math.inf
        if shrink > 0:
            needed = max(needed, math.ceil(math.log(factor) / -math.log(shrink)))
    return int(needed)
''',
        ),
        dict(
            name="an overshooting step (1 - lr c < 0) is taken for divergence",
            hint="the size |1 - lr*c|",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    needed = 0
    for c in curvatures:
        shrink = 1 - lr * c
        if shrink <= 0 or shrink >= 1:
            return math.inf
        needed = max(needed, math.ceil(math.log(factor) / -math.log(shrink)))
    return int(needed)
''',
        ),
        dict(
            name="takes the log of the signed factor",
            hint="is 1 or more never shrinks it (return math.inf)",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    needed = 0
    for c in curvatures:
        shrink = 1 - lr * c
        if shrink >= 1:
            return math.inf
        needed = max(needed, math.ceil(math.log(factor) / -math.log(shrink)))
    return int(needed)
''',
        ),
        dict(
            name="the fastest coordinate decides",
            hint="the slowest coordinate decides",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    counts = []
    for c in curvatures:
        shrink = abs(1 - lr * c)
        if shrink >= 1:
            return math.inf
        counts.append(1 if shrink == 0 else math.ceil(math.log(factor) / -math.log(shrink)))
    return int(min(counts))
''',
        ),
        dict(
            name="only the flattest coordinate is looked at",
            hint="the most curved one too",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    shrink = abs(1 - lr * min(curvatures))
    if shrink >= 1:
        return math.inf
    return 1 if shrink == 0 else math.ceil(math.log(factor) / -math.log(shrink))
''',
        ),
        dict(
            name="returns np.ceil's float",
            hint="must return an int",
            source='''
def steps_to_shrink(curvatures, lr, factor):
    shrink = np.abs(1 - lr * np.asarray(curvatures, dtype=float))
    if np.any(shrink >= 1):
        return math.inf
    shrink = np.maximum(shrink, 1e-300)
    return np.max(np.maximum(np.ceil(np.log(factor) / -np.log(shrink)), 1.0))
''',
        ),
    ],
}
