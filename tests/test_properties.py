"""Property-based tests (hypothesis): random architectures, every activation, every loss that fits.

Each property draws a network of 1-4 layers of 1-6 neurons, hidden and output
activations from every built-in one, a loss compatible with the output layer, and
either one sample (1-D) or a batch of 1-9 (a neuron computes f(z) of up to
activations.FEW_SAMPLES samples with Python's math, of more with numpy), then
checks something that must hold for every such network:

* both backends agree to 1e-12 (outputs, loss, every gradient, one SGD update);
* a batch's gradient is the mean (mse, bce, cross_entropy) or the sum (sse) of the
  samples' gradients, as each loss is defined;
* backprop agrees with finite differences (gradcheck), away from ReLU's kink at 0;
* save and load round trip exactly, bit for bit, in both formats;
* a trace of the same step is the same on both backends.

Draws are derandomized (the same examples every run) and few, so the whole file
runs in a few seconds; `pytest tests/test_properties.py --durations=0` shows the time.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import neurotrace as nt

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUT = HIDDEN + ["softmax"]
# The losses each output activation can be trained with.
LOSSES = {"identity": ["mse", "sse"], "tanh": ["mse", "sse"], "relu": ["mse", "sse"],
          "leaky_relu": ["mse", "sse"], "sigmoid": ["mse", "sse", "bce"],
          "softmax": ["cross_entropy", "mse", "sse"]}
# How a batch's loss combines the samples' losses: the mean or the sum.
COMBINE = {"mse": "mean", "bce": "mean", "cross_entropy": "mean", "sse": "sum"}

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, batch=None):
    """``(sizes, hidden, output, loss, seed, X, Y)``: a network and data it fits."""
    n_layers = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_layers + 1, max_size=n_layers + 1))
    hidden = draw(st.sampled_from(HIDDEN))
    output = draw(st.sampled_from(OUTPUT if sizes[-1] > 1 else HIDDEN))
    loss = draw(st.sampled_from(LOSSES[output]))
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.sampled_from([None, 1, 2, 5, 9])) if batch is None else batch
    rng = np.random.default_rng(seed)
    shape = (sizes[0],) if n is None else (n, sizes[0])
    X = rng.normal(size=shape)
    out_shape = (sizes[-1],) if n is None else (n, sizes[-1])
    if loss == "cross_entropy":
        labels = rng.integers(sizes[-1], size=1 if n is None else n)
        Y = np.eye(sizes[-1])[labels].reshape(out_shape)
    elif loss == "bce":
        Y = rng.uniform(size=out_shape)
    else:
        Y = rng.normal(size=out_shape)
    return sizes, hidden, output, loss, seed, X, Y


def both(sizes, hidden, output, seed):
    net = nt.NeuralNetwork(sizes, hidden, output, seed=seed)
    return net, nt.VectorizedNetwork.from_network(net)


def close(a, b, tol=1e-12):
    """Equal to ``tol``, relative to the values' size (at least 1)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(1.0, float(np.max(np.abs(a), initial=0.0)))
    return a.shape == b.shape and float(np.max(np.abs(a - b), initial=0.0)) <= tol * scale


@FEW
@given(problems())
def test_both_backends_agree(problem):
    sizes, hidden, output, loss, seed, X, Y = problem
    net, vec = both(sizes, hidden, output, seed)
    assert close(net.forward(X), vec.forward(X))
    assert close(net.backprop(X, Y, loss), vec.backprop(X, Y, loss))
    assert close(net.flat_gradients, vec.flat_gradients)
    nt.SGD(lr=0.1, momentum=0.5).step(net)
    nt.SGD(lr=0.1, momentum=0.5).step(vec)
    assert close(net.flat_parameters, vec.flat_parameters)


@FEW
@given(problems(batch=4), st.sampled_from(["neurons", "vectorized"]))
def test_batch_gradient_combines_the_samples_gradients(problem, backend):
    sizes, hidden, output, loss, seed, X, Y = problem
    net = nt.NeuralNetwork(sizes, hidden, output, seed=seed)
    if backend == "vectorized":
        net = nt.VectorizedNetwork.from_network(net)
    net.backprop(X, Y, loss)
    batch = net.flat_gradients.copy()
    per_sample = []
    for x, y in zip(X, Y):                       # each sample alone, 1-D
        net.backprop(x, y, loss)
        per_sample.append(net.flat_gradients.copy())
    combined = np.sum(per_sample, axis=0)
    if COMBINE[loss] == "mean":
        combined /= len(X)
    assert close(batch, combined)


def kink_distance(net, X):
    """How close any ReLU or leaky ReLU pre-activation comes to 0 (inf if none)."""
    A, nearest = np.atleast_2d(X), np.inf
    for (W, b), name in zip(net.parameters(), net.activation_names):
        Z = A @ W + b
        if name in ("relu", "leaky_relu"):
            nearest = min(nearest, float(np.min(np.abs(Z))))
        A = nt.activations.softmax(Z) if name == "softmax" else nt.activations.get(name)(Z)
    return nearest


@FEW
@given(problems())
def test_backprop_agrees_with_finite_differences(problem):
    sizes, hidden, output, loss, seed, X, Y = problem
    net = nt.NeuralNetwork(sizes, hidden, output, seed=seed)
    assume(kink_distance(net, X) > 1e-4)         # a kink within eps: no derivative to check
    assert nt.gradcheck(net, X, Y, loss) < 1e-6


@FEW
@given(problems(), st.sampled_from([".npz", ".json"]), st.sampled_from(["neurons", "vectorized"]))
def test_save_and_load_round_trip_exactly(tmp_path_factory, problem, extension, backend):
    sizes, hidden, output, loss, seed, X, Y = problem
    net = nt.NeuralNetwork(sizes, hidden, output, seed=seed)
    if backend == "vectorized":
        net = nt.VectorizedNetwork.from_network(net)
    optimizer = nt.Adam(lr=0.01)
    net.backprop(X, Y, loss)
    optimizer.step(net)
    path = tmp_path_factory.mktemp("roundtrip") / f"net{extension}"
    nt.save(net, path, optimizer=optimizer)
    same, same_optimizer = nt.load(path, with_optimizer=True)
    assert type(same) is type(net) and same.activation_names == net.activation_names
    assert np.array_equal(same.flat_parameters, net.flat_parameters)
    for key in ("m", "v"):
        assert np.array_equal(same_optimizer.state[key], optimizer.state[key])
    assert np.array_equal(same.forward(X), net.forward(X))


@FEW
@given(problems())
def test_traces_are_the_same_on_both_backends(tmp_path_factory, problem):
    sizes, hidden, output, loss, seed, X, Y = problem
    traces = []
    for net in both(sizes, hidden, output, seed):
        with nt.trace(net) as t:
            net.backprop(X, Y, loss)
            nt.SGD(lr=0.1).step(net)
        traces.append(t)
    a, b = traces
    assert a.steps == b.steps == [0]
    assert close(a[0].loss, b[0].loss)
    for layer in a.node_names():
        for name in layer:
            ra, rb = a[0].record(name), b[0].record(name)
            assert sorted(ra) == sorted(rb), name
            for quantity, value in ra.items():
                if quantity == "to_predecessors":
                    assert all(close(value[p], rb[quantity][p]) for p in value), (name, quantity)
                else:
                    assert close(value, rb[quantity]), (name, quantity)
    path = tmp_path_factory.mktemp("trace") / "t.npz"      # and the trace survives a round trip
    nt.save(a, path)
    again = nt.load(path)
    assert again.steps == a.steps and again[0].loss == a[0].loss


def test_the_strategy_reaches_every_activation_and_loss():
    """The draws above are not stuck in a corner: every activation and loss comes up."""
    seen = set()

    @settings(max_examples=80, deadline=None, derandomize=True, database=None)
    @given(problems())
    def collect(problem):
        sizes, hidden, output, loss, seed, X, Y = problem
        seen.update({("hidden", hidden), ("output", output), ("loss", loss),
                     ("single" if X.ndim == 1 else "batch", None)})

    collect()
    expected = {("hidden", a) for a in HIDDEN} | {("output", a) for a in OUTPUT} \
        | {("loss", name) for name in COMBINE} | {("single", None), ("batch", None)}
    assert expected <= seen, sorted(expected - seen)


if __name__ == "__main__":
    pytest.main([__file__, "--durations=0"])
