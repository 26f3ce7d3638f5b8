"""Plausible wrong answers for 07-adam: `make mutants ASSIGNMENT=07-adam` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_ADAM_INIT = '''
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = None
        self.v = None
        self.t = 0
'''


def _adam(body):
    return _ADAM_INIT + '''
    def update(self, params, grads):
''' + body


_STEP = "def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"

MUTANTS = {
    "adam_step": [
        dict(name="no bias correction of m", hint="m_hat is missing its bias correction", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_new / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
        dict(name="no bias correction at all", hint="neither average is bias-corrected", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
'''),
        dict(name="no bias correction of v", hint="v_hat is missing its bias correction", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    return w - lr * m_hat / (np.sqrt(v_new) + eps), m_new, v_new
'''),
        dict(name="eps inside the square root", hint="after the square root", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new
'''),
        dict(name="(1 - beta) on the old average", hint="wrong way round", source=_STEP + '''
    m_new = (1 - beta1) * m + beta1 * g
    v_new = (1 - beta2) * v + beta2 * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
        dict(name="returns the bias-corrected averages as state", hint="not the bias-corrected m_hat", source=_STEP + '''
    m_hat = (beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t)
    v_hat = (beta2 * v + (1 - beta2) * g * g) / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat
'''),
        dict(name="updates m and v in place (state aliasing)", hint="changed an argument in place", source=_STEP + '''
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
'''),
        dict(name="bias-correction exponent t + 1 (counter off by one)", hint="as if it were t + 1", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
        dict(name="bias-correction exponent t - 1 (counter off by one)", hint="1 - beta**0 = 0", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** (t - 1))
    v_hat = v_new / (1 - beta2 ** (t - 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
        dict(name="v averages g instead of g * g", hint="squared gradient, not the gradient", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(np.abs(v_hat)) + eps), m_new, v_new
'''),
        dict(name="steps uphill", hint="goes uphill", source=_STEP + '''
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w + lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    ],
    "predicted_step": [
        dict(name="the step grows with the gradient", hint="grows with the gradient", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * g
    return -lr * (1 - beta1 ** t) / np.sqrt(1 - beta2 ** t) * g
'''),
        dict(name="no square root on v's correction", hint="a square root is taken", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * np.sign(g)
    return -lr * (1 - beta1 ** t) / (1 - beta2 ** t) * np.sign(g)
'''),
        dict(name="factor upside down", hint="upside down", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * np.sign(g)
    return -lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * np.sign(g)
'''),
        dict(name="only the first step's factor, whatever t", hint="does not change with t", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * np.sign(g)
    return -lr * (1 - beta1) / np.sqrt(1 - beta2) * np.sign(g)
'''),
        dict(name="exponent t + 1 (counter off by one)", hint="look like t + 1", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * np.sign(g)
    return -lr * (1 - beta1 ** (t + 1)) / np.sqrt(1 - beta2 ** (t + 1)) * np.sign(g)
'''),
        dict(name="betas swapped", hint="swapped", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if corrected:
        return -lr * np.sign(g)
    return -lr * (1 - beta2 ** t) / np.sqrt(1 - beta1 ** t) * np.sign(g)
'''),
        dict(name="the step's length, not its direction", hint="has the sign of -g", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    factor = 1.0 if corrected else (1 - beta1 ** t) / np.sqrt(1 - beta2 ** t)
    return lr * factor * np.ones_like(g)
'''),
        dict(name="corrected and uncorrected swapped", hint="this is the step without the bias correction", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    if not corrected:
        return -lr * np.sign(g)
    return -lr * (1 - beta1 ** t) / np.sqrt(1 - beta2 ** t) * np.sign(g)
'''),
        dict(name="runs adam_step instead of predicting", hint="called adam_step", source='''
def predicted_step(g, t, lr=0.001, beta1=0.9, beta2=0.999, corrected=True):
    w = m = v = np.zeros_like(g, dtype=float)
    for k in range(1, t + 1):
        w_new, m, v = adam_step(w, g, m, v, k, lr, beta1, beta2, 0.0)
        if k < t:
            w = w_new
    step = w_new - w
    return step if corrected else step * (1 - beta1 ** t) / np.sqrt(1 - beta2 ** t)
'''),
    ],
    "Adam": [
        dict(name="t incremented once per key", hint="once per call of update", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        for key, W in params.items():
            self.t += 1
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="one m and v shared by all keys", hint="own m and v", source=_adam('''
        if self.m is None:
            first = next(iter(params.values()))
            self.m, self.v = np.zeros_like(first), np.zeros_like(first)
        self.t += 1
        for key, W in params.items():
            W[...], self.m, self.v = adam_step(W, grads[key], self.m, self.v, self.t,
                                               self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="t never incremented (stays 0)", hint="the first update is t = 1", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="t incremented after the steps (counter off by one)", hint="the first update is t = 1", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
        self.t += 1
''')),
        dict(name="t stuck at 1", hint="go up by one at every update", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t = 1
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="replaces params[key] instead of changing it in place", hint="in place", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key in params:
            params[key], self.m[key], self.v[key] = adam_step(
                params[key], grads[key], self.m[key], self.v[key], self.t, self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="state reset at every update", hint="start again from zero", source=_adam('''
        self.m = {k: np.zeros_like(W) for k, W in params.items()}
        self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="m and v are one dict (aliasing)", hint="one and the same dict", source=_adam('''
        if self.m is None:
            self.m = self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="m and v swapped when unpacking", hint="in that order", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            W[...], self.v[key], self.m[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="keeps w_new but not the averages", hint="still holds zeros", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            W[...], _, _ = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                     self.lr, self.beta1, self.beta2, self.eps)
''')),
        dict(name="eps not passed on", hint="eps included", source=_adam('''
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2)
''')),
    ],
    "run_optimizer": [
        dict(name="records after each update only", hint="must start with the starting point", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
        path.append([params["x"][0], params["y"][0]])
    return np.array(path)
'''),
        dict(name="textbook history without the final point", hint="steps + 1 rows", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        path.append([params["x"][0], params["y"][0]])
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    return np.array(path).reshape(-1, 2)
'''),
        dict(name="one update too many (counter off by one)", hint="steps + 1 rows", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps + 1):
        path.append([params["x"][0], params["y"][0]])
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    path.append([params["x"][0], params["y"][0]])
    return np.array(path)
'''),
        dict(name="records the arrays, which the optimizer then changes in place (aliasing)",
             hint="every row of your path is the last point", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    rows = []
    for _ in range(steps):
        rows.append((params["x"], params["y"]))
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    rows.append((params["x"], params["y"]))
    return np.array([[x[0], y[0]] for x, y in rows])
'''),
        dict(name="one parameter array of shape (2,) instead of keys x and y",
             hint="params = {'x': array of shape (1,)", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"p": np.array(start, dtype=float)}
    path = [params["p"].copy()]
    for _ in range(steps):
        gx, gy = surface.grad(params["p"][0], params["p"][1])
        optimizer.update(params, {"p": np.array([gx, gy])})
        path.append(params["p"].copy())
    return np.array(path)
'''),
        dict(name="integer start kept as integers (integer input)", hint="integer start", source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([start[0]]), "y": np.array([start[1]])}
    path = np.zeros((steps + 1, 2), dtype=np.asarray(start).dtype)
    for k in range(steps):
        path[k] = [params["x"][0], params["y"][0]]
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    path[steps] = [params["x"][0], params["y"][0]]
    return path
'''),
        dict(name="gradients swapped between x and y", hint=None, source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        path.append([params["x"][0], params["y"][0]])
        gy, gx = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    path.append([params["x"][0], params["y"][0]])
    return np.array(path)
'''),
    ],
}
