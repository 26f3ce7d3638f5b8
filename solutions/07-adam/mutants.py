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

MUTANTS = {
    "adam_step": [
        dict(
            name="no bias correction of m",
            hint="~10x too small",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_new / (np.sqrt(v_hat) + eps), m_new, v_new
''',
        ),
        dict(
            name="no bias correction at all",
            hint="about 3.16 * lr",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
''',
        ),
        dict(
            name="no bias correction of v",
            hint="31.6 * lr",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    return w - lr * m_hat / (np.sqrt(v_new) + eps), m_new, v_new
''',
        ),
        dict(
            name="eps inside the square root",
            hint="after the square root",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new
''',
        ),
        dict(
            name="(1 - beta) on the old average",
            hint="wrong way round",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = (1 - beta1) * m + beta1 * g
    v_new = (1 - beta2) * v + beta2 * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
''',
        ),
        dict(
            name="returns the bias-corrected averages as state",
            hint="not the bias-corrected m_hat",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_hat = (beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t)
    v_hat = (beta2 * v + (1 - beta2) * g * g) / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat
''',
        ),
        dict(
            name="updates m and v in place",
            hint="changed an argument in place",
            source='''
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
''',
        ),
    ],
    "Adam": [
        dict(
            name="t incremented once per key",
            hint="once per call of update",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        for key, W in params.items():
            self.t += 1
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="one m and v shared by all keys",
            hint="own m and v",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            first = next(iter(params.values()))
            self.m, self.v = np.zeros_like(first), np.zeros_like(first)
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m = self.beta1 * self.m + (1 - self.beta1) * g
            self.v = self.beta2 * self.v + (1 - self.beta2) * g * g
            m_hat = self.m / (1 - self.beta1 ** self.t)
            v_hat = self.v / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="t never incremented (stays 0)",
            hint="became nan",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="t stuck at 1",
            hint="go up by one at every update",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t = 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="no bias correction of m",
            hint="~10x too small",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * self.m[key] / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="no bias correction of v",
            hint="31.6 * lr",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(self.v[key]) + self.eps)
''',
        ),
        dict(
            name="no bias correction at all",
            hint="about 3.16 * lr",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            W -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + self.eps)
''',
        ),
        dict(
            name="eps inside the square root",
            hint="after the square root",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / np.sqrt(v_hat + self.eps)
''',
        ),
        dict(
            name="the textbook's folded form",
            hint="folded form",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        for key, W in params.items():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            W -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + self.eps)
''',
        ),
        dict(
            name="replaces params[key] instead of changing it in place",
            hint="in place",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key in params:
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            params[key] = params[key] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="(1 - beta) on the old average",
            hint="wrong way round",
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(W) for k, W in params.items()}
            self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = (1 - self.beta1) * self.m[key] + self.beta1 * g
            self.v[key] = (1 - self.beta2) * self.v[key] + self.beta2 * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="state reset at every update",
            hint=None,
            source=_ADAM_INIT + '''
    def update(self, params, grads):
        self.m = {k: np.zeros_like(W) for k, W in params.items()}
        self.v = {k: np.zeros_like(W) for k, W in params.items()}
        self.t += 1
        for key, W in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            W -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
    ],
    "folded_lr": [
        dict(
            name="no square root",
            hint="takes the square root",
            source='''
def folded_lr(lr, beta1, beta2, t):
    return lr * (1 - beta2 ** t) / (1 - beta1 ** t)
''',
        ),
        dict(
            name="upside down",
            hint="upside down",
            source='''
def folded_lr(lr, beta1, beta2, t):
    return lr * (1 - beta1 ** t) / np.sqrt(1 - beta2 ** t)
''',
        ),
        dict(
            name="betas swapped",
            hint="swapped",
            source='''
def folded_lr(lr, beta1, beta2, t):
    return lr * np.sqrt(1 - beta1 ** t) / (1 - beta2 ** t)
''',
        ),
        dict(
            name="off by one in t",
            hint=None,
            source='''
def folded_lr(lr, beta1, beta2, t):
    return lr * np.sqrt(1 - beta2 ** (t + 1)) / (1 - beta1 ** (t + 1))
''',
        ),
    ],
    "run_optimizer": [
        dict(
            name="records after each update only",
            hint="must start with the starting point",
            source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
        path.append([params["x"][0], params["y"][0]])
    return np.array(path)
''',
        ),
        dict(
            name="textbook history without the final point",
            hint="steps + 1 rows",
            source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        path.append([params["x"][0], params["y"][0]])
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    return np.array(path).reshape(-1, 2)
''',
        ),
        dict(
            name="records the arrays, which the optimizer then changes in place",
            hint="every row of your path is the last point",
            source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    rows = []
    for _ in range(steps):
        rows.append((params["x"], params["y"]))
        gx, gy = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    rows.append((params["x"], params["y"]))
    return np.array([[x[0], y[0]] for x, y in rows])
''',
        ),
        dict(
            name="one parameter array of shape (2,) instead of keys x and y",
            hint="params = {'x': array of shape (1,)",
            source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"p": np.array(start, dtype=float)}
    path = [params["p"].copy()]
    for _ in range(steps):
        gx, gy = surface.grad(params["p"][0], params["p"][1])
        optimizer.update(params, {"p": np.array([gx, gy])})
        path.append(params["p"].copy())
    return np.array(path)
''',
        ),
        dict(
            name="gradients swapped between x and y",
            hint=None,
            source='''
def run_optimizer(optimizer, surface, start, steps):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = []
    for _ in range(steps):
        path.append([params["x"][0], params["y"][0]])
        gy, gx = surface.grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    path.append([params["x"][0], params["y"][0]])
    return np.array(path)
''',
        ),
    ],
}
