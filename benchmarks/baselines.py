"""Baselines that the benchmark (``make bench``) measures our engine against.

Everything here is for comparison only; nothing in neurotrace uses it.

The hands-on (the UPM hand-out "Coding a neural network from scratch") is what
students actually write, so its code is re-typed here *as the hand-out codes
it*, with the same arithmetic and the same inefficiencies:

* ``Seed003Neuron`` / ``Seed003NeuralNetwork``: the plain per-neuron code of
  section 3.c/3.d (``np.random.uniform`` initialisation, ``np.dot``, no
  momentum, no clipping).  Its ``backpropagate`` updates the weights first and
  then returns ``d_2 * self.weights``, i.e. it sends back the error computed
  with the *already updated* weights.  That is a bug of the hand-out (the
  textbook rule uses the weights of the forward pass); it is kept on purpose,
  because this class exists to time the code students run, not to be right.
* ``Seed003Layer`` / ``Seed003SpeedyNeuralNetwork``: the vectorized code of
  section 5.c (weights ``(n_inputs, n_neurons)``, biases ``(1, n_neurons)``,
  each layer updating itself in place during ``backpropagate``).

The only deviation from the hand-out: random numbers come from a seeded
``numpy.random.Generator`` passed in (``rng``) instead of the global
``np.random`` state, so that runs are reproducible without touching global
state.

The benchmark uses the uniform *trainer factories*::

    run = factory(X, Y, sizes, batch_size, lr, seed, n_samples)
    run()        # one pass of plain SGD over X[:n_samples], Y[:n_samples]

Every pass visits the rows in their given order (no shuffling) in
consecutive mini-batches of ``batch_size`` rows (``batch_size=1``: one sample
per step).  The loss gradient is the seed's ``-(target - output)`` (squared
error), except for scikit-learn (see ``sklearn_mlp_trainer``).  A factory
whose package cannot be imported raises ``BaselineUnavailable``; its
``reason`` (e.g. ``"torch not installed"``) is meant to be reported by the
benchmark as ``skipped: <reason>``.  ``build_baseline`` wraps that into a
``(run, None)`` / ``(None, reason)`` pair.

``time_per_sample`` times such a ``run``.
"""

import math
import statistics
import time

import numpy as np

__all__ = [
    "BaselineUnavailable",
    "BaselineRun",
    "sigmoid",
    "sigmoid_derivative",
    "Seed003Neuron",
    "Seed003NeuralNetwork",
    "Seed003Layer",
    "Seed003SpeedyNeuralNetwork",
    "seed003_per_neuron_trainer",
    "seed003_speedy_trainer",
    "sklearn_mlp_trainer",
    "torch_trainer",
    "micrograd_trainer",
    "BASELINES",
    "PER_SAMPLE_ONLY",
    "build_baseline",
    "prepare_data",
    "time_per_sample",
]


class BaselineUnavailable(Exception):
    """A baseline cannot run here (typically: its package is not installed).

    ``reason`` is a short human-readable string such as
    ``"torch not installed"``; ``str(exc) == exc.reason``.
    """

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------
# The hands-on, section 3: one Python object per neuron (hand-out code, as-is)
# ---------------------------------------------------------------------------


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    # x is the *output* of the sigmoid, as in the hand-out
    return x * (1 - x)


class Seed003Neuron:
    """The hands-on's ``Neuron`` (section 3.c, final listing), re-typed as-is."""

    def __init__(self, num_inputs, activation_function, activation_derivative, rng=None):
        # Deviation from the hand-out: ``rng`` (a seeded np.random.Generator)
        # replaces the global ``np.random``; the draws are the same calls.
        if rng is None:
            rng = np.random.default_rng()
        self.weights = rng.uniform(-1, 1, num_inputs)
        self.bias = rng.uniform(-1, 1)
        self.output = 0
        self.inputs = 0
        self.activation_function = activation_function
        self.activation_derivative = activation_derivative

    def forward(self, inputs):
        self.inputs = inputs
        total = np.dot(inputs, self.weights) + self.bias
        self.output = self.activation_function(total)
        return self.output

    def backpropagate(self, d_error, learning_rate):
        # d_error is the gradient of the error w.r.t the output of the neuron
        d_2 = d_error * self.activation_derivative(self.output)
        d_3 = d_2
        d_4 = d_2 * self.inputs

        # Update the weights and bias
        self.weights -= learning_rate * d_4
        self.bias -= learning_rate * d_3

        # Hand-out bug kept on purpose: these are the *updated* weights.
        return d_2 * self.weights


class Seed003NeuralNetwork:
    """The hands-on's ``NeuralNetwork`` (section 3.d), re-typed as-is."""

    def __init__(self, hidden_layers, output_layer):
        self.hidden_layers = hidden_layers
        self.output_layer = output_layer

    def forward(self, inputs):
        for layer in self.hidden_layers:
            inputs = np.array([neuron.forward(inputs) for neuron in layer])
        final_outputs = np.array([neuron.forward(inputs) for neuron in self.output_layer])
        return final_outputs

    def backpropagate(self, inputs, targets, learning_rate):
        # Compute the output of the neural network
        final_outputs = self.forward(inputs)
        # Calculate the error as the gradient (target - output)
        d_error_d_output = -(targets - final_outputs)
        # Backpropagate through the output layer
        hidden_errors = [
            neuron.backpropagate(d_error_d_output[i], learning_rate)
            for i, neuron in enumerate(self.output_layer)
        ]

        # Add the errors of the output layer
        hidden_errors = np.sum(hidden_errors, axis=0)

        # Backpropagate through the hidden layer
        for layer in reversed(self.hidden_layers):
            hidden_errors = np.sum(
                [neuron.backpropagate(hidden_errors[i], learning_rate) for i, neuron in enumerate(layer)],
                axis=0,
            )


def make_seed003_network(sizes, rng):
    """Build a ``Seed003NeuralNetwork`` for ``sizes = (n_in, h1, ..., n_out)``
    the way the hand-out builds one (lists of sigmoid neurons)."""
    sizes = list(sizes)
    hidden_layers = [
        [Seed003Neuron(sizes[i], sigmoid, sigmoid_derivative, rng) for _ in range(sizes[i + 1])]
        for i in range(len(sizes) - 2)
    ]
    output_layer = [Seed003Neuron(sizes[-2], sigmoid, sigmoid_derivative, rng) for _ in range(sizes[-1])]
    return Seed003NeuralNetwork(hidden_layers, output_layer)


# ---------------------------------------------------------------------------
# The hands-on, section 5.c: vectorized layers (hand-out code, as-is)
# ---------------------------------------------------------------------------


class Seed003Layer:
    """The hands-on's vectorized ``Layer`` (section 5.c), re-typed as-is."""

    def __init__(self, num_inputs, num_neurons, activation_function, activation_derivative,
                 init_method="xavier", rng=None):
        # Deviation from the hand-out: ``rng`` (a seeded np.random.Generator)
        # replaces the global ``np.random``; ``rng.standard_normal(shape)`` is
        # ``np.random.randn(*shape)``.
        if rng is None:
            rng = np.random.default_rng()
        if init_method == "xavier":
            self.weights = rng.standard_normal((num_inputs, num_neurons)) * np.sqrt(1 / num_inputs)
        elif init_method == "he":
            self.weights = rng.standard_normal((num_inputs, num_neurons)) * np.sqrt(2 / num_inputs)
        else:
            self.weights = rng.standard_normal((num_inputs, num_neurons)) * 0.1

        self.biases = rng.standard_normal((1, num_neurons)) * 0.1
        self.activation_function = activation_function
        self.activation_derivative = activation_derivative
        self.output = None
        self.inputs = None

    def forward(self, inputs):
        self.inputs = inputs
        z = np.dot(inputs, self.weights) + self.biases  # Linear combination
        self.output = self.activation_function(z)  # Apply activation
        return self.output

    def backpropagate(self, d_error, learning_rate):
        # Compute the error gradient w.r.t. the linear combination output z
        d_z = d_error * self.activation_derivative(self.output)

        # Calculate the gradient w.r.t. weights, biases, and inputs
        d_weights = np.dot(self.inputs.T, d_z)
        d_biases = np.sum(d_z, axis=0, keepdims=True)
        d_inputs = np.dot(d_z, self.weights.T)

        # Update weights and biases
        self.weights -= learning_rate * d_weights
        self.biases -= learning_rate * d_biases

        return d_inputs  # Return the error gradient for the inputs to this layer


class Seed003SpeedyNeuralNetwork:
    """The hands-on's ``SpeedyNeuralNetwork`` (section 5.c), re-typed as-is."""

    def __init__(self, layers):
        self.layers = layers

    def forward(self, inputs):
        for layer in self.layers:
            inputs = layer.forward(inputs)
        return inputs

    def backpropagate(self, inputs, targets, learning_rate):
        if targets.ndim == 1:
            targets = targets.reshape(1, -1)
        if inputs.ndim == 1:
            inputs = inputs.reshape(1, -1)

        # Perform a forward pass to compute the network's output
        final_outputs = self.forward(inputs)

        # Calculate the error gradient for the output layer
        d_error_d_output = -(targets - final_outputs)

        # Backpropagate through each layer (in reverse order)
        d_error = d_error_d_output
        for layer in reversed(self.layers):
            d_error = layer.backpropagate(d_error, learning_rate)


def make_seed003_speedy_network(sizes, rng):
    """Build a ``Seed003SpeedyNeuralNetwork`` for ``sizes`` as the hand-out
    does for the digits (sigmoid layers, default ``"xavier"`` init)."""
    sizes = list(sizes)
    layers = [
        Seed003Layer(sizes[i], sizes[i + 1], sigmoid, sigmoid_derivative, rng=rng)
        for i in range(len(sizes) - 1)
    ]
    return Seed003SpeedyNeuralNetwork(layers)


# ---------------------------------------------------------------------------
# Uniform trainer factories
# ---------------------------------------------------------------------------


class BaselineRun:
    """What a trainer factory returns.

    Calling it (``run()``) performs one pass of SGD over the first
    ``n_samples`` rows, in order, ``batch_size`` rows per step; this is the
    only thing the benchmark times.  The rest is for tests and reports:

    * ``name``, ``batch_size``, ``n_samples``, ``model`` (the underlying
      network object);
    * ``predict(X)`` -> outputs, shape ``(len(X), n_outputs)``;
    * ``loss()`` -> mean over the ``n_samples`` rows of
      ``sum((target - output) ** 2)`` (the hand-out's "Total Error" divided
      by the number of samples);
    * ``parameters()`` -> list of ``(W, b)`` numpy copies per layer,
      ``W`` shape ``(n_inputs, n_neurons)``, ``b`` shape ``(n_neurons,)``.
    """

    def __init__(self, name, step, predict, parameters, model, X, Y, batch_size, n_samples):
        self.name = name
        self._step = step
        self._predict = predict
        self._parameters = parameters
        self.model = model
        self.X = X
        self.Y = Y
        self.batch_size = batch_size
        self.n_samples = n_samples

    def __call__(self):
        self._step()

    def predict(self, X):
        return np.asarray(self._predict(np.asarray(X, dtype=np.float64)), dtype=np.float64)

    def loss(self):
        out = self.predict(self.X)
        return float(np.sum((self.Y - out) ** 2) / len(self.X))

    def parameters(self):
        return [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64).reshape(-1))
                for W, b in self._parameters()]

    def __repr__(self):
        return (f"BaselineRun({self.name!r}, batch_size={self.batch_size}, "
                f"n_samples={self.n_samples})")


def prepare_data(X, Y, sizes, batch_size, n_samples):
    """Checked copies of the first ``n_samples`` rows (float64, C order) and the checked
    sizes: ``(X, Y, sizes, batch_size, n_samples)``, what every trainer factory starts from."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or len(X) != len(Y):
        raise ValueError(f"X and Y must be 2-D with the same number of rows, got {X.shape} and {Y.shape}")
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least (n_inputs, n_outputs), got {sizes}")
    if sizes[0] != X.shape[1] or sizes[-1] != Y.shape[1]:
        raise ValueError(f"sizes {sizes} do not match X {X.shape} and Y {Y.shape}")
    if n_samples is None:
        n_samples = len(X)
    n_samples = int(n_samples)
    if not 1 <= n_samples <= len(X):
        raise ValueError(f"n_samples must be in 1..{len(X)}, got {n_samples}")
    batch_size = int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    # Copies: contiguous rows, and the caller's arrays stay untouched.
    Xn = np.array(X[:n_samples], dtype=np.float64, order="C")
    Yn = np.array(Y[:n_samples], dtype=np.float64, order="C")
    return Xn, Yn, sizes, batch_size, n_samples


def _init_params(sizes, seed):
    """Initial (W, b) per layer, drawn as ``make_seed003_speedy_network`` draws
    them (same seed -> same numbers); torch and micrograd start from these so
    that they compute the same SGD as the seed's speedy network."""
    net = make_seed003_speedy_network(sizes, np.random.default_rng(seed))
    return [(layer.weights.copy(), layer.biases.reshape(-1).copy()) for layer in net.layers]


def seed003_per_neuron_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """The hands-on's per-neuron network, one sample per step (``batch_size`` must be 1).

    One pass is the inner loop of the hand-out's ``train`` (section 3.e)::

        for input_data, target in zip(inputs, targets):
            network.backpropagate(input_data, target, learning_rate)
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    if batch_size != 1:
        raise ValueError("the hands-on's per-neuron network takes one sample at a time: batch_size must be 1")
    network = make_seed003_network(sizes, np.random.default_rng(seed))

    def step():
        for input_data, target in zip(Xn, Yn):
            network.backpropagate(input_data, target, lr)

    def predict(X):
        return np.array([network.forward(x) for x in X])

    def parameters():
        layers = network.hidden_layers + [network.output_layer]
        return [(np.column_stack([n.weights for n in layer]), np.array([n.bias for n in layer]))
                for layer in layers]

    return BaselineRun("seed003-per-neuron", step, predict, parameters, network,
                       Xn, Yn, batch_size, n_samples)


def seed003_speedy_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """The hands-on's vectorized ``SpeedyNeuralNetwork``, ``batch_size`` rows per step.

    One pass is the mini-batch loop of the hand-out's ``train`` (section 5.c)
    without its shuffling and without its extra forward pass that only
    records the loss::

        for start in range(0, num_samples, batch_size):
            network.backpropagate(inputs[start:end], targets[start:end], learning_rate)

    Note that the hand-out's gradient is *summed* over the batch (not averaged).
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    network = make_seed003_speedy_network(sizes, np.random.default_rng(seed))
    starts = range(0, n_samples, batch_size)

    def step():
        for start in starts:
            end = start + batch_size
            network.backpropagate(Xn[start:end], Yn[start:end], lr)

    def parameters():
        return [(layer.weights, layer.biases) for layer in network.layers]

    return BaselineRun("seed003-speedy", step, network.forward, parameters, network,
                       Xn, Yn, batch_size, n_samples)


def sklearn_mlp_trainer(X, Y, sizes, batch_size, lr, seed, n_samples, *, sigmoid_outputs=False):
    """scikit-learn's ``MLPClassifier`` with plain SGD, driven by ``partial_fit``.

    ``MLPClassifier(hidden_layer_sizes=sizes[1:-1], activation="logistic",
    solver="sgd", batch_size=batch_size, learning_rate_init=lr, momentum=0,
    nesterovs_momentum=False, alpha=0, shuffle=False, random_state=seed)``;
    one ``run()`` is one ``partial_fit`` call over the ``n_samples`` rows,
    which is one epoch of mini-batches in order.

    Not the same loss as the other baselines: with class labels (the default,
    ``y = argmax(Y)``) MLPClassifier has a **softmax output layer trained
    with log-loss** (cross-entropy), and its gradient is *averaged* over the
    batch.  The hidden layers and the amount of work per sample are the
    same.  ``sigmoid_outputs=True`` passes the one-hot ``Y`` as a
    multi-label indicator matrix instead, which gives sigmoid outputs
    (binary log-loss) - the same network shape as the seed's.
    sklearn initialises its own weights (Glorot uniform, ``random_state=seed``).
    ``predict`` returns ``predict_proba`` and works after the first ``run()``.
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        raise BaselineUnavailable("scikit-learn not installed") from None

    clf = MLPClassifier(
        hidden_layer_sizes=tuple(sizes[1:-1]),
        activation="logistic",
        solver="sgd",
        batch_size=batch_size,
        learning_rate="constant",
        learning_rate_init=lr,
        momentum=0,
        nesterovs_momentum=False,
        alpha=0,
        shuffle=False,
        random_state=seed,
    )
    if sigmoid_outputs:
        y = (Yn > 0.5).astype(int)
    else:
        y = np.argmax(Yn, axis=1)
    classes = np.arange(sizes[-1])

    def step():
        if hasattr(clf, "coefs_"):
            clf.partial_fit(Xn, y)
        else:
            clf.partial_fit(Xn, y, classes=classes)

    def parameters():
        return list(zip(clf.coefs_, clf.intercepts_))

    return BaselineRun("sklearn-mlp", step, clf.predict_proba, parameters, clf,
                       Xn, Yn, batch_size, n_samples)


def torch_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """PyTorch on the CPU: ``nn.Sequential(Linear, Sigmoid, Linear, Sigmoid, ...)``
    in float64, ``torch.optim.SGD(lr)`` (no momentum, no weight decay).

    The loss is ``0.5 * ((output - target) ** 2).sum()`` so that its gradient
    is the seed's ``-(target - output)``, summed over the batch like the
    seed's speedy network.  The weights start from the same numbers as
    ``seed003_speedy_trainer`` with the same seed, so both compute the same
    SGD (up to rounding).  ``torch.set_num_threads`` is left at its default.
    Raises ``BaselineUnavailable("torch not installed")`` without torch.
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    try:
        import torch
    except ImportError:
        raise BaselineUnavailable("torch not installed") from None
    except Exception as exc:  # a broken install (missing shared library, ...)
        raise BaselineUnavailable(f"torch failed to import: {exc}") from None

    modules = []
    for W, b in _init_params(sizes, seed):
        linear = torch.nn.utils.skip_init(torch.nn.Linear, W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        modules += [linear, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*modules)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    Xt = torch.from_numpy(Xn)
    Yt = torch.from_numpy(Yn)
    starts = range(0, n_samples, batch_size)

    def step():
        for start in starts:
            end = start + batch_size
            output = model(Xt[start:end])
            loss = 0.5 * ((output - Yt[start:end]) ** 2).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def predict(X):
        with torch.no_grad():
            return model(torch.from_numpy(np.ascontiguousarray(X))).numpy()

    def parameters():
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        return [(m.weight.detach().numpy().T, m.bias.detach().numpy()) for m in linears]

    return BaselineRun("torch-cpu", step, predict, parameters, model, Xn, Yn, batch_size, n_samples)


def _micrograd_sigmoid(v, Value):
    """A sigmoid node for micrograd's ``Value``, written the way micrograd
    writes ``relu`` (the PyPI package has no ``exp``/``sigmoid``)."""
    x = v.data
    if x >= 0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    out = Value(s, (v,), "sigmoid")

    def _backward():
        v.grad += s * (1.0 - s) * out.grad

    out._backward = _backward
    return out


def micrograd_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """Karpathy's ``micrograd`` (the PyPI package): scalar autograd, one sample
    per step (``batch_size`` must be 1).

    The network is built from ``micrograd.nn.Layer(nonlin=False)`` followed by
    a sigmoid node per neuron; weights start from the same numbers as
    ``seed003_speedy_trainer`` with the same seed.  Per sample: forward,
    ``loss = sum(0.5 * (out - target) ** 2)``, ``zero_grad``, ``backward``,
    ``p.data -= lr * p.grad``.
    Raises ``BaselineUnavailable("micrograd not installed")`` without it.
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    if batch_size != 1:
        raise ValueError("the micrograd baseline takes one sample at a time: batch_size must be 1")
    try:
        from micrograd import nn as mg_nn
        from micrograd.engine import Value
    except ImportError:
        raise BaselineUnavailable("micrograd not installed") from None

    layers = []
    for W, b in _init_params(sizes, seed):
        layer = mg_nn.Layer(W.shape[0], W.shape[1], nonlin=False)
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i, j])
            neuron.b.data = float(b[j])
        layers.append(layer)
    params = [p for layer in layers for p in layer.parameters()]
    rows = Xn.tolist()
    targets = Yn.tolist()

    def forward(x):
        for layer in layers:
            x = [_micrograd_sigmoid(n(x), Value) for n in layer.neurons]
        return x

    def step():
        for x, t in zip(rows, targets):
            out = forward(x)
            loss = sum((0.5 * (o - ti) ** 2 for o, ti in zip(out, t)), Value(0.0))
            for p in params:
                p.grad = 0
            loss.backward()
            for p in params:
                p.data -= lr * p.grad

    def predict(X):
        return np.array([[o.data for o in forward(list(map(float, x)))] for x in X])

    def parameters():
        out = []
        for layer in layers:
            W = np.array([[w.data for w in n.w] for n in layer.neurons]).T
            b = np.array([n.b.data for n in layer.neurons])
            out.append((W, b))
        return out

    return BaselineRun("micrograd", step, predict, parameters, layers, Xn, Yn, batch_size, n_samples)


#: name -> trainer factory, in the order a report should list them.
BASELINES = {
    "seed003-per-neuron": seed003_per_neuron_trainer,
    "seed003-speedy": seed003_speedy_trainer,
    "sklearn-mlp": sklearn_mlp_trainer,
    "torch-cpu": torch_trainer,
    "micrograd": micrograd_trainer,
}

#: baselines that only take ``batch_size=1`` (others raise ValueError otherwise).
PER_SAMPLE_ONLY = frozenset({"seed003-per-neuron", "micrograd"})


def build_baseline(name, X, Y, sizes, batch_size, lr, seed, n_samples, **kwargs):
    """``(run, None)`` if baseline ``name`` can run here, else ``(None, reason)``.

    ``reason`` is ``BaselineUnavailable.reason`` (e.g. ``"torch not
    installed"``).  Bad arguments (e.g. ``batch_size=32`` for a
    ``PER_SAMPLE_ONLY`` baseline) still raise ``ValueError``.
    """
    try:
        return BASELINES[name](X, Y, sizes, batch_size, lr, seed, n_samples, **kwargs), None
    except BaselineUnavailable as exc:
        return None, exc.reason


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def time_per_sample(run, n_samples, repeats=5, warmup=1):
    """Time ``run()`` (one pass over ``n_samples`` samples) with ``time.perf_counter``.

    ``warmup`` untimed calls first, then ``repeats`` timed calls.  Note that
    each call trains further (the model changes between calls).  Returns
    ``{"median": s, "min": s, "times": [s, ...], "repeats": r, "warmup": w,
    "n_samples": n}`` with all times in seconds per sample.
    """
    n_samples = int(n_samples)
    if n_samples < 1 or int(repeats) < 1:
        raise ValueError("n_samples and repeats must be >= 1")
    for _ in range(int(warmup)):
        run()
    times = []
    for _ in range(int(repeats)):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) / n_samples)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "times": times,
        "repeats": int(repeats),
        "warmup": int(warmup),
        "n_samples": n_samples,
    }
