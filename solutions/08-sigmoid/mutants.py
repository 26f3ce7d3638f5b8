"""Plausible wrong answers for 08-sigmoid: `make mutants ASSIGNMENT=08-sigmoid` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "collapse_linear": [
        dict(
            name="multiplies the matrices in the wrong order",
            hint="order of the product is reversed",
            source='''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, b1 @ W2 + b2
''',
        ),
        dict(
            name="adds the biases",
            hint="b1 also passes through the second layer",
            source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2
''',
        ),
        dict(
            name="drops the first bias",
            hint="first layer's bias is missing",
            source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b2
''',
        ),
        dict(
            name="multiplies b1 from the wrong side",
            hint="b1 is a row like x",
            source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, W2 @ b1 + b2
''',
        ),
    ],
    "sigmoid": [
        dict(
            name="naive formula, overflows for large negative x",
            hint="overflows for large negative x",
            source='''
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
''',
        ),
        dict(
            name="np.where with both branches evaluated",
            hint="evaluates both a and b",
            source='''
def sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
''',
        ),
        dict(
            name="clips to +-500, still overflows in float32",
            hint="overflows for large negative x",
            source='''
def sigmoid(x):
    x = np.clip(x, -500, 500)
    return 1 / (1 + np.exp(-x))
''',
        ),
        dict(
            name="stable but 1 - sigmoid(-x) in the left tail",
            hint="agree to 16 digits",
            source='''
def sigmoid(x):
    e = np.exp(-np.abs(x))
    right = 1 / (1 + e)
    return np.where(x >= 0, right, 1 - right)
''',
        ),
        dict(
            name="tanh form, loses the left tail",
            hint="agree to 16 digits",
            source='''
def sigmoid(x):
    return 0.5 * (1 + np.tanh(x / 2))
''',
        ),
        dict(
            name="converts float32 input to float64",
            hint="keep the input's dtype",
            source='''
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
''',
        ),
        dict(
            name="branches swapped: computes sigmoid(-x)",
            hint="minus sign in the exponent",
            source='''
def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))
''',
        ),
    ],
    "sigmoid_grad": [
        dict(
            name="s * (1 - x)",
            hint="not 1 - x",
            source='''
def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - x)
''',
        ),
        dict(
            name="x * (1 - x), the output form applied to the input",
            hint="takes the sigmoid's OUTPUT",
            source='''
def sigmoid_grad(x):
    return x * (1 - x)
''',
        ),
        dict(
            name="naive exp(-x) / (1 + exp(-x))**2, nan for large negative x",
            hint="inf / inf = nan",
            source='''
def sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2
''',
        ),
        dict(
            name="the derivative of tanh",
            hint="derivative of tanh",
            source='''
def sigmoid_grad(x):
    s = sigmoid(x)
    return 1 - s ** 2
''',
        ),
    ],
}
