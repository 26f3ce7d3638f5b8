"""Plausible wrong answers for 08-sigmoid: `make mutants ASSIGNMENT=08-sigmoid` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_BACKWARD = "def backward(params, inputs, pre, delta, phi_grad):\n"

MUTANTS = {
    "collapse_linear": [
        dict(name="multiplies the matrices in the wrong order", hint="order of the product is reversed", source='''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, b1 @ W2 + b2
'''),
        dict(name="adds the biases", hint="b1 also passes through the second layer", source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2
'''),
        dict(name="drops the first bias", hint="first layer's bias is missing", source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b2
'''),
        dict(name="multiplies b1 from the wrong side", hint="b1 is a row like x", source='''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, W2 @ b1 + b2
'''),
        dict(name="adds into the caller's b2 (aliasing)", hint="changed one of its arguments in place", source='''
def collapse_linear(W1, b1, W2, b2):
    b2 += b1 @ W2
    return W1 @ W2, b2
'''),
    ],
    "sigmoid": [
        dict(name="naive formula, overflows for large negative x", hint="one of your exponentials overflows", source='''
def sigmoid(x):
    return 1 / (1 + np.exp(-x))
'''),
        dict(name="np.where with both branches evaluated", hint="evaluates both a and b", source='''
def sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
'''),
        dict(name="clips to +-500, still overflows in float32", hint="one of your exponentials overflows", source='''
def sigmoid(x):
    x = np.clip(x, -500, 500)
    return 1 / (1 + np.exp(-x))
'''),
        dict(name="stable but 1 - sigmoid(-x) in the left tail", hint="agree to 16 digits", source='''
def sigmoid(x):
    e = np.exp(-np.abs(x))
    right = 1 / (1 + e)
    return np.where(x >= 0, right, 1 - right)
'''),
        dict(name="tanh form, loses the left tail", hint="agree to 16 digits", source='''
def sigmoid(x):
    return 0.5 * (1 + np.tanh(x / 2))
'''),
        dict(name="converts float32 input to float64", hint="keep the input's dtype", source='''
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
'''),
        dict(name="branches swapped: computes sigmoid(-x)", hint="minus sign in the exponent", source='''
def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))
'''),
        dict(name="masks into np.empty_like(x): integer input truncated", hint="has the integer dtype of x", source='''
def sigmoid(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out
'''),
        dict(name="out = x: writes the result into the input (aliasing)", hint="changed its input array in place", source='''
def sigmoid(x):
    e = np.exp(-np.abs(x))
    out = x
    pos = x >= 0
    out[pos] = 1 / (1 + e[pos])
    out[~pos] = e[~pos] / (1 + e[~pos])
    return out
'''),
    ],
    "sigmoid_grad": [
        dict(name="s * (1 - x)", hint="mixes the input x with the sigmoid's value", source='''
def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - x)
'''),
        dict(name="x * (1 - x), the output form applied to the input", hint="compute s = sigmoid(x) first", source='''
def sigmoid_grad(x):
    return x * (1 - x)
'''),
        dict(name="naive exp(-x) / (1 + exp(-x))**2, nan for large negative x", hint="inf / inf = nan", source='''
def sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2
'''),
        dict(name="the derivative of tanh", hint="derivative of tanh", source='''
def sigmoid_grad(x):
    s = sigmoid(x)
    return 1 - s ** 2
'''),
        dict(name="a sign too many", hint="the sign is flipped", source='''
def sigmoid_grad(x):
    s = sigmoid(x)
    return -s * (1 - s)
'''),
    ],
    "largest_chain_gradient": [
        dict(name="forgets the weights: (1/4)**L", hint="the weights are factors of the chain rule too", source='''
def largest_chain_gradient(w):
    return 0.25 ** len(w)
'''),
        dict(name="L - 1 factors (counter off by one)", hint="yours has L - 1", source='''
def largest_chain_gradient(w):
    return float(np.prod(np.abs(w)) * 0.25 ** (len(w) - 1))
'''),
        dict(name="1/2 per unit: sigma(0) instead of the maximum of sigma'", hint="1/2 is sigma(0)", source='''
def largest_chain_gradient(w):
    return float(np.prod(np.abs(w)) * 0.5 ** len(w))
'''),
        dict(name="no absolute value", hint="a product of weights can be negative", source='''
def largest_chain_gradient(w):
    return float(np.prod(w) * 0.25 ** len(w))
'''),
        dict(name="the largest weight instead of the product", hint=None, source='''
def largest_chain_gradient(w):
    return float(np.max(np.abs(w)) ** len(w) * 0.25 ** len(w))
'''),
    ],
    "backward": [
        dict(name="phi' at the layer's own Z instead of the layer below", hint="needs phi' at the pre-activation of layer l - 1",
             source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 1])
    return grads
'''),
        dict(name="forgets phi'", hint="never called phi_grad", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            delta = delta @ params[f"W{l}"].T
    return grads
'''),
        dict(name="bias gradient averaged over the samples", hint="not their mean", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.mean(axis=0)
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
        dict(name="bias gradient summed over the wrong axis", hint="sums delta over the samples", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum(axis=1)
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
        dict(name="bias gradient summed over the whole array", hint="sums delta over the samples", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum()
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
        dict(name="weight gradient transposed", hint="is it transposed", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = delta.T @ inputs[l - 1]
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
        dict(name="delta passed back through the next layer's weights (counter off by one)", hint="weights W_l of its own layer",
             source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ params[f"W{l - 1}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
        dict(name="loop stops before the first layer (counter off by one)", hint="from layer", source=_BACKWARD + '''
    L = len(inputs)
    grads = {}
    for l in range(L, 1, -1):
        grads[f"W{l}"] = inputs[l - 1].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        delta = (delta @ params[f"W{l}"].T) * phi_grad(pre[l - 2])
    return grads
'''),
    ],
}
