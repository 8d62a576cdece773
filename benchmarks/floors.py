"""The floors: neurotrace's own arithmetic with nothing around it, timed as the benchmark's lower bound.

A benchmark target is only worth chasing if the design can reach it. Each trainer here
computes exactly what one of neurotrace's ``nt.fit`` rows computes (the same numbers:
``tests/test_baselines.py`` checks them against ``nt.fit`` and ``nt.trace``, to the bit), and
keeps what ``fit`` must keep (the loss value, a copy of the parameters of the last good
step, the checks that the loss, the gradients and the updated parameters are finite).
What they leave out is what makes neurotrace a teaching tool:

* no input checks (the data are known to be fine), and one ``np.errstate`` per pass, as
  ``fit`` enters one per epoch;
* no tracer hooks, no :class:`~neurotrace.Loss` or :class:`~neurotrace.Optimizer`
  objects, no network object: one function runs the whole step;
* the per-neuron floor keeps one small object per neuron that computes its own z, a,
  f'(z), delta, gradients and the error it sends back (the design of issue 9), but
  remembers only what its backward pass needs, and, as fit does, sends nothing back from
  the first layer.

So the time of a floor row is the least that design costs in CPython and numpy on the
machine at hand, and ``our row / floor row`` is what neurotrace's guarantees, checks and
readable structure cost on top of it. The factories have the signature of
:mod:`benchmarks.baselines`' (``factory(X, Y, sizes, batch_size, lr, seed,
n_samples)``) and return a :class:`~benchmarks.baselines.BaselineRun`; the network
starts from neurotrace's initial weights for ``seed``, as the benchmark's own rows do.
"""
import math

import numpy as np

from neurotrace import NeuralNetwork, VectorizedNetwork
from neurotrace.activations import get as get_activation

from .baselines import BaselineRun, prepare_data

__all__ = ["lean_per_neuron_trainer", "lean_traced_per_neuron_trainer",
           "lean_vectorized_trainer", "FLOORS", "COMPARISONS", "build_floor"]

_SIGMOID = get_activation("sigmoid")


class _LeanNeuron:
    """One neuron, the one-sample arithmetic of :class:`neurotrace.Neuron`, and nothing else."""

    __slots__ = ("p", "g", "w", "x1", "z", "a", "da_dz", "d")

    def __init__(self, p, g):
        self.p, self.g, self.w = p, g, p[:-1]     # [w, b], dL/d[w, b], w: views of the flat vectors
        self.d = np.empty(())                      # delta as a 0-d array (as Neuron does)

    def forward(self, x1):
        self.x1 = x1
        self.z = z = float(x1.dot(self.p))         # z = x . w + b * 1   (x1 is [x, 1])
        self.a = a = _SIGMOID.scalar(z)            # a = f(z)
        return a

    def backward(self, dL_da, out):
        self.da_dz = da_dz = _SIGMOID.scalar_derivative(self.z, self.a)   # f'(z)
        delta = dL_da * da_dz                      # delta = dL/da * f'(z)
        d = self.d
        d[()] = delta
        np.multiply(self.x1, d, self.g)            # dL/d[w, b] = delta * [x, 1]
        if out is not None:
            np.multiply(self.w, d, out)            # sent back: delta * w


def lean_per_neuron_trainer(X, Y, sizes, batch_size, lr, seed, n_samples, *, record=False):
    """The floor of the per-neuron row: one sample per step, one small object per neuron.

    The same numbers as ``nt.fit(NeuralNetwork(sizes, seed=seed), X, Y, loss="sse",
    optimizer=SGD(lr), batch_size=1, shuffle=False)``. ``record=True`` is the floor of the
    traced row: every step also keeps, in one plain dict (``run.steps``), what
    ``nt.trace`` keeps of it (per layer x, z, a, dL/da, f'(z), delta and the weights of
    the pass; the loss, the targets and the parameters after the update), the same numbers.
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    if batch_size != 1:
        raise ValueError("the per-neuron floor takes one sample per step: batch_size must be 1")
    # The network only lends its storage: one flat vector of parameters and one of
    # gradients, and their blocks per layer (row j of a block is neuron j's [w, b]).
    net = NeuralNetwork(sizes, activation="sigmoid", seed=seed)
    params, grads = net.flat_parameters, net.flat_gradients
    layers = [[_LeanNeuron(p, g) for p, g in zip(block, grad_block)]
              for block, grad_block in zip(net.parameter_blocks, net.gradient_blocks)]
    last_good = params.copy()
    X1 = np.ones((n_samples, sizes[0] + 1))
    X1[:, :-1] = Xn                                 # [x, 1] per sample, made once
    steps = []                                      # what record=True keeps, step by step
    weights = [params.copy()]                       # the parameters of the coming pass

    def step():
        steps.clear()
        with np.errstate(over="ignore", invalid="ignore"):    # once per pass, as fit does
            for x1, y in zip(X1, Yn):
                last_good[...] = params             # restored if this step fails
                if record:
                    kept = [{} for _ in layers]
                    kept[0]["x"] = x1[:-1].copy()
                for l, layer in enumerate(layers):
                    values = [neuron.forward(x1) for neuron in layer]
                    values.append(1.0)
                    x1 = np.array(values)           # [a, 1]: the next layer's input
                    if record:
                        kept[l]["z"] = np.fromiter([n.z for n in layer], float, len(layer))
                        kept[l]["a"] = x1[:-1]
                        if l + 1 < len(layers):
                            kept[l + 1]["x"] = kept[l]["a"]
                dL_dA = x1[:-1] - y                 # sse: dL/da = a - y
                value = 0.5 * float(dL_dA.dot(dL_dA))
                for l in range(len(layers) - 1, -1, -1):
                    layer = layers[l]
                    sent = np.empty((len(layer), sizes[l])) if l else [None] * len(layer)
                    for neuron, g, out in zip(layer, dL_dA.tolist(), sent):
                        neuron.backward(g, out)
                    if record:
                        da_dz = np.fromiter([n.da_dz for n in layer], float, len(layer))
                        kept[l].update(dL_da=dL_dA, da_dz=da_dz, delta=dL_dA * da_dz,
                                       w=weights[-1])
                    if l:
                        dL_dA = sent.sum(axis=0)    # each input's errors, added up
                if not (math.isfinite(value) and math.isfinite(grads.dot(grads))):
                    raise FloatingPointError("the per-neuron floor diverged")
                np.subtract(params, lr * grads, out=params)     # w = w - lr * g
                if not math.isfinite(params.dot(params)):
                    params[...] = last_good
                    raise FloatingPointError("the per-neuron floor diverged")
                if record:
                    weights.append(params.copy())
                    steps.append({"loss": value, "targets": y.copy(), "layers": kept,
                                  "after": weights[-1]})
        del weights[:-1]                            # the next pass starts from the last

    def predict(X):
        out = []
        for x in np.asarray(X, dtype=np.float64):
            x1 = np.append(x, 1.0)
            for layer in layers:
                x1 = np.array([neuron.forward(x1) for neuron in layer] + [1.0])
            out.append(x1[:-1])
        return np.array(out)

    run = BaselineRun("floor-per-neuron", step, predict, net.parameters,
                      layers, Xn, Yn, batch_size, n_samples)
    run.steps = steps
    return run


def lean_traced_per_neuron_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """The floor of the traced row: :func:`lean_per_neuron_trainer` with ``record=True``."""
    return lean_per_neuron_trainer(X, Y, sizes, batch_size, lr, seed, n_samples, record=True)


def lean_vectorized_trainer(X, Y, sizes, batch_size, lr, seed, n_samples):
    """The floor of the vectorized row: one matrix product per layer, one function per step.

    The same numbers as ``nt.fit(VectorizedNetwork(sizes, seed=seed), X, Y, loss="sse",
    optimizer=SGD(lr), batch_size=batch_size, shuffle=False)``.
    """
    Xn, Yn, sizes, batch_size, n_samples = prepare_data(X, Y, sizes, batch_size, n_samples)
    # The network only lends its storage (see lean_per_neuron_trainer); per layer W
    # (n_in, n_out), b, dL/dW, dL/db, views of the flat vectors as a Layer keeps them.
    net = VectorizedNetwork(sizes, activation="sigmoid", seed=seed)
    params, grads = net.flat_parameters, net.flat_gradients
    layers = [(block[:, :-1].T, block[:, -1], grad_block[:, :-1].T, grad_block[:, -1])
              for block, grad_block in zip(net.parameter_blocks, net.gradient_blocks)]
    last_good = params.copy()
    sigmoid = _SIGMOID.value_unguarded
    batches = [(Xn[s:s + batch_size], Yn[s:s + batch_size]) for s in range(0, n_samples, batch_size)]

    def step():
        with np.errstate(over="ignore", invalid="ignore"):    # once per pass, as fit does
            for xb, yb in batches:
                last_good[...] = params             # restored if this step fails
                inputs, A = [], xb
                for W, b, _, _ in layers:
                    inputs.append(A)
                    Z = A @ W                       # Z = X W + b
                    Z += b
                    A = sigmoid(Z)                  # A = f(Z)
                dL_dA = A - yb                      # sse: dL/dA = A - Y
                value = 0.5 * float(dL_dA.reshape(-1) @ dL_dA.reshape(-1))
                for l in range(len(layers) - 1, -1, -1):
                    W, b, gW, gb = layers[l]
                    A_l = A if l == len(layers) - 1 else inputs[l + 1]
                    da_dz = 1.0 - A_l               # f'(Z) = A (1 - A)
                    da_dz *= A_l
                    delta = dL_dA * da_dz           # delta = dL/dA * f'(Z)
                    np.matmul(inputs[l].T, delta, out=gW)     # dL/dW = X^T delta
                    np.add.reduce(delta, axis=0, out=gb)      # dL/db = delta summed
                    if l:
                        dL_dA = delta @ W.T         # dL/dX = delta W^T
                if not (math.isfinite(value) and math.isfinite(grads.dot(grads))):
                    raise FloatingPointError("the vectorized floor diverged")
                np.subtract(params, lr * grads, out=params)     # w = w - lr * g
                if not math.isfinite(params.dot(params)):
                    params[...] = last_good
                    raise FloatingPointError("the vectorized floor diverged")

    def predict(X):
        A = np.asarray(X, dtype=np.float64)
        with np.errstate(over="ignore"):
            for W, b, _, _ in layers:
                A = sigmoid(A @ W + b)
        return A

    return BaselineRun("floor-vectorized", step, predict, net.parameters,
                       layers, Xn, Yn, batch_size, n_samples)


#: name -> trainer factory, like :data:`benchmarks.baselines.BASELINES`.
FLOORS = {
    "floor-per-neuron": lean_per_neuron_trainer,
    "floor-per-neuron-traced": lean_traced_per_neuron_trainer,
    "floor-vectorized": lean_vectorized_trainer,
}

#: What the floors are compared with: (what, kind, row, reference), kind as in
#: :data:`benchmarks.bench.TARGETS` ("speedup": reference time / row time, "slowdown":
#: row time / reference time).
COMPARISONS = [
    ("per-neuron floor vs the hands-on per-neuron (the target asks 3x of our row)",
     "speedup", "floor-per-neuron-1", "seed003-per-neuron-1"),
    ("neurotrace per-neuron 1/step vs its floor", "slowdown", "per-neuron-1",
     "floor-per-neuron-1"),
    ("traced floor vs the floor (recording every number, at its leanest)",
     "slowdown", "floor-per-neuron-traced-1", "floor-per-neuron-1"),
    ("neurotrace traced vs the traced floor", "slowdown", "per-neuron-1-traced",
     "floor-per-neuron-traced-1"),
    ("vectorized floor vs SpeedyNeuralNetwork, batch 32 (the target asks 1.2x of our row)",
     "speedup", "floor-vectorized-32", "seed003-speedy-32"),
    ("neurotrace vectorized batch 32 vs its floor", "slowdown", "vectorized-32",
     "floor-vectorized-32"),
]


def build_floor(row_id, X, Y, sizes, lr, seed, n_samples):
    """The trainer of benchmark row ``row_id`` (``"floor-per-neuron-1"``, ...), its batch
    size taken from the id."""
    name, batch_size = row_id.rsplit("-", 1)
    return FLOORS[name](X, Y, sizes, int(batch_size), lr, seed, n_samples)
