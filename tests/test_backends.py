"""The two backends compute the same function: neuron objects and one matrix per layer.

On the same weights and data, ``NeuralNetwork`` and ``VectorizedNetwork`` give
the same outputs, gradients, errors sent to the inputs and updates, to 1e-12 in
float64; conversions copy the weights exactly, both ways; the same seed gives
the same parameters; float32 stays close to float64.
"""
import numpy as np
import pytest

import neurotrace as nt

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
INITS = ["uniform", "normal", "xavier", "he", "lecun"]
SHAPES = [[3, 1], [2, 4, 3], [4, 5, 5, 2]]
TIGHT = dict(rtol=1e-12, atol=1e-14)

# (hidden, output) pairs: every activation on every layer, and a softmax output.
PAIRS = ([pytest.param(a, a, id=a) for a in ACTIVATIONS]
         + [pytest.param(a, "softmax", id=f"{a}-softmax") for a in ACTIVATIONS])
BATCHES = [pytest.param(None, id="one"), pytest.param(7, id="batch")]


def natural_loss(output):
    return {"softmax": "cross_entropy", "sigmoid": "bce"}.get(output, "mse")


def problem(sizes, hidden, output, n_samples, seed=0):
    if output == "softmax" and sizes[-1] == 1:
        sizes = [sizes[0], 3]                      # a one-output softmax is constant 1
    net = nt.NeuralNetwork(sizes, activation=hidden, output_activation=output, seed=seed)
    rng = np.random.default_rng(seed + 100)
    X = rng.normal(size=(sizes[0],) if n_samples is None else (n_samples, sizes[0]))
    shape = (sizes[-1],) if n_samples is None else (n_samples, sizes[-1])
    Y = rng.uniform(0.1, 0.9, size=shape)
    if output == "softmax":
        Y /= Y.sum(axis=-1, keepdims=True)
    return net, X, Y


def assert_grads_equal(ours, theirs, **tol):
    assert len(ours) == len(theirs)
    for (dW, db), (dW2, db2) in zip(ours, theirs):
        assert dW.shape == dW2.shape and db.shape == db2.shape
        np.testing.assert_allclose(dW, dW2, **tol)
        np.testing.assert_allclose(db, db2, **tol)


@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("hidden, output", PAIRS)
@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_same_outputs_and_gradients(sizes, hidden, output, n_samples):
    net, X, Y = problem(sizes, hidden, output, n_samples)
    vec = net.to_vectorized()
    assert isinstance(vec, nt.VectorizedNetwork)
    assert vec.activation_names == net.activation_names
    out, out_vec = net.forward(X), vec.forward(X)
    assert out.shape == out_vec.shape
    np.testing.assert_allclose(out, out_vec, **TIGHT)
    for loss in {"mse", natural_loss(output)}:
        assert net.loss(X, Y, loss) == pytest.approx(vec.loss(X, Y, loss), rel=1e-12)
        assert_grads_equal(net.gradients(X, Y, loss), vec.gradients(X, Y, loss), **TIGHT)


@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_same_error_sent_to_the_inputs(hidden, output, n_samples):
    """``backward(dL/da)``: the same dL/dx and the same stored gradients."""
    net, X, Y = problem([4, 5, 3], hidden, output, n_samples, seed=1)
    vec = net.to_vectorized()
    dL_da = np.random.default_rng(5).normal(size=net.forward(X).shape)
    vec.forward(X)
    np.testing.assert_allclose(net.backward(dL_da), vec.backward(dL_da), **TIGHT)
    assert_grads_equal(net.parameter_gradients(), vec.parameter_gradients(), **TIGHT)
    np.testing.assert_allclose(net.flat_gradients, vec.flat_gradients, **TIGHT)


@pytest.mark.parametrize("hidden, output", PAIRS)
def test_same_updates_over_several_steps(hidden, output):
    """Ten steps of plain gradient descent on the flat parameter vector stay together."""
    net, X, Y = problem([3, 6, 4, 2], hidden, output, 8, seed=2)
    vec = net.to_vectorized()
    loss = natural_loss(output)
    for _ in range(10):
        for network in (net, vec):
            network.backprop(X, Y, loss)
            params = network.flat_parameters            # a live view: update in place
            params -= 0.1 * network.flat_gradients
    np.testing.assert_allclose(net.flat_parameters, vec.flat_parameters, **TIGHT)
    for (W, b), (W2, b2) in zip(net.parameters(), vec.parameters()):
        np.testing.assert_allclose(W, W2, **TIGHT)
        np.testing.assert_allclose(b, b2, **TIGHT)


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_same_seed_same_parameters(hidden, output, init):
    sizes = [4, 6, 3]
    net = nt.NeuralNetwork(sizes, activation=hidden, output_activation=output, init=init, seed=11)
    vec = nt.VectorizedNetwork(sizes, activation=hidden, output_activation=output, init=init,
                               seed=11)
    again = nt.NeuralNetwork(sizes, activation=hidden, output_activation=output, init=init,
                             seed=11)
    np.testing.assert_array_equal(net.flat_parameters, vec.flat_parameters)
    np.testing.assert_array_equal(net.flat_parameters, again.flat_parameters)
    other = nt.NeuralNetwork(sizes, activation=hidden, output_activation=output, init=init,
                             seed=12)
    assert not np.array_equal(net.flat_parameters, other.flat_parameters)


@pytest.mark.parametrize("hidden, output", PAIRS)
def test_round_trips_are_exact(hidden, output):
    net, X, _ = problem([3, 5, 4], hidden, output, 6, seed=3)
    vec = net.to_vectorized()
    back = vec.to_neurons()
    assert isinstance(back, nt.NeuralNetwork)
    assert back.activation_names == net.activation_names
    np.testing.assert_array_equal(back.flat_parameters, net.flat_parameters)
    for (W, b), (W2, b2), (W3, b3) in zip(net.parameters(), vec.parameters(), back.parameters()):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
        np.testing.assert_array_equal(W, W3)
        np.testing.assert_array_equal(b, b3)
    np.testing.assert_array_equal(back.forward(X), net.forward(X))
    # column j of a layer's weights is neuron j's weights
    for l, layer in enumerate(net.layers):
        for j, neuron in enumerate(layer):
            np.testing.assert_array_equal(vec.layers[l].weights[:, j], neuron.weights)
            assert vec.layers[l].bias[j] == neuron.bias
    # and the other way round, from a network built vectorized
    vec2 = nt.VectorizedNetwork([3, 5, 4], activation=hidden, output_activation=output, seed=4)
    np.testing.assert_array_equal(vec2.to_neurons().to_vectorized().flat_parameters,
                                  vec2.flat_parameters)


def test_conversions_copy_rather_than_share():
    net, X, _ = problem([3, 4, 2], "tanh", "tanh", 5)
    vec = net.to_vectorized()
    before = net.forward(X).copy()
    vec.flat_parameters[...] += 1.0
    np.testing.assert_array_equal(net.forward(X), before)
    back = net.to_vectorized().to_neurons()
    back.layers[0][0].weights[0] += 1.0
    np.testing.assert_array_equal(net.forward(X), before)


@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_float32_is_close_to_float64(hidden, output, n_samples):
    net, X, Y = problem([4, 8, 3], hidden, output, n_samples, seed=5)
    vec64 = net.to_vectorized()
    vec32 = net.to_vectorized(dtype=np.float32)
    assert vec32.dtype == np.float32 and vec32.flat_parameters.dtype == np.float32
    out32 = vec32.forward(X)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, vec64.forward(X), rtol=1e-4, atol=1e-6)
    loss = natural_loss(output)
    g32, g64 = vec32.gradients(X, Y, loss), vec64.gradients(X, Y, loss)
    scale = max(np.max(np.abs(dW)) for dW, db in g64)
    for layer in vec32.layers:      # every number of the backward pass in float32, too
        for value in (layer.Z, layer.A, layer.dL_da, layer.da_dz, layer.delta):
            assert value is None or value.dtype == np.float32, (layer, value.dtype)
    for (dW32, db32), (dW, db) in zip(g32, g64):
        assert dW32.dtype == np.float32
        np.testing.assert_allclose(dW32, dW, rtol=1e-4, atol=1e-5 * scale)
        np.testing.assert_allclose(db32, db, rtol=1e-4, atol=1e-5 * scale)


def test_vectorized_layer_is_the_neurons_of_that_layer():
    """One ``Layer`` computes what its neurons compute, one at a time."""
    rng = np.random.default_rng(9)
    W, b, X = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(6, 3))
    layer = nt.Layer(3, 4, "tanh", weights=W, bias=b)
    neurons = [nt.Neuron(3, "tanh", weights=W[:, j], bias=b[j]) for j in range(4)]
    A = layer.forward(X)
    np.testing.assert_allclose(A, np.stack([n.forward(X) for n in neurons], axis=1), **TIGHT)
    dL_dA = rng.normal(size=A.shape)
    dX = layer.backward(dL_dA)
    sent = sum(n.backward(dL_dA[:, j]) for j, n in enumerate(neurons))
    np.testing.assert_allclose(dX, sent, **TIGHT)
    for j, n in enumerate(neurons):
        np.testing.assert_allclose(layer.grad_weights[:, j], n.grad_weights, **TIGHT)
        assert layer.grad_bias[j] == pytest.approx(n.grad_bias, rel=1e-12)


def test_from_layers_adopts_ready_made_layers():
    first = nt.Layer(2, 3, "tanh", rng=np.random.default_rng(0))
    second = nt.Layer(3, 1, "sigmoid", rng=np.random.default_rng(1))
    W1, b1, W2, b2 = first.weights.copy(), first.bias.copy(), second.weights.copy(), second.bias.copy()
    vec = nt.VectorizedNetwork.from_layers([first, second])
    assert vec["L1"] is first and first.name == "L1"
    x = np.array([0.3, -0.7])
    expected = 1 / (1 + np.exp(-(np.tanh(x @ W1 + b1) @ W2 + b2)))
    np.testing.assert_allclose(vec.forward(x), expected, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="already belongs"):
        nt.VectorizedNetwork.from_layers([first])
