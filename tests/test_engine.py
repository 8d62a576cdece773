"""The engine's public contract: the calls of issue 2, their shapes and types, and its promises.

(Every module's docstring examples run through pytest's --doctest-modules.)
"""
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import neurotrace as nt
from neurotrace import activations, losses

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
BACKENDS = [pytest.param(nt.NeuralNetwork, id="neurons"),
            pytest.param(nt.VectorizedNetwork, id="vectorized")]


# --- the calls of the issue, one by one -----------------------------------------------------
def test_issue_example_one_relu_neuron():
    n = nt.Neuron(3, "relu", weights=[-3.0, -1.0, 2.0], bias=1.0)
    a = n.forward(np.array([1.0, -2.0, 3.0]))
    assert type(a) is float and a == 6.0                 # z = -3 + 2 + 6 + 1
    dx = n.backward(2 * a)                               # dL/da of L = a**2
    assert isinstance(dx, np.ndarray) and dx.shape == (3,)
    assert dx.tolist() == [-36.0, -12.0, 24.0]           # dL/dx = delta * w
    assert n.delta == 12.0                               # delta = dL/da * f'(z) = 12 * 1
    assert n.grad_weights.shape == (3,)
    assert n.grad_weights.tolist() == [12.0, -24.0, 36.0]      # dL/dw = delta * x
    assert type(n.grad_bias) is float and n.grad_bias == 12.0  # dL/db = delta


def test_neuron_processes_a_batch_in_one_call():
    n = nt.Neuron(3, "tanh", weights=[0.5, -0.25, 0.1], bias=0.2)
    X = np.array([[1.0, -2.0, 3.0], [0.0, 1.0, 0.5], [2.0, 2.0, -1.0], [0.1, 0.2, 0.3]])
    A = n.forward(X)
    assert A.shape == (4,)
    # the same sums in another order (a matrix-vector product against dot products):
    # equal to rounding; sample 1's z is 0 up to it
    np.testing.assert_allclose(A, [n.forward(x) for x in X], rtol=1e-15, atol=1e-15)
    n.forward(X)
    dL_da = np.array([1.0, -1.0, 0.5, 2.0])
    dX = n.backward(dL_da)
    assert dX.shape == (4, 3) and n.grad_weights.shape == (3,) and type(n.grad_bias) is float
    # the batch gradient is the sum of the per-sample gradients
    gw, gb, dx = np.zeros(3), 0.0, []
    for x, g in zip(X, dL_da):
        n.forward(x)
        dx.append(n.backward(g))
        gw, gb = gw + n.grad_weights, gb + n.grad_bias
    n.forward(X)
    n.backward(dL_da)
    np.testing.assert_allclose(n.grad_weights, gw, rtol=1e-14)
    assert n.grad_bias == pytest.approx(gb, rel=1e-14)
    np.testing.assert_allclose(dX, dx, rtol=1e-14)


@pytest.mark.parametrize("n_samples", [2, 9], ids=["few-samples", "numpy-path"])
def test_a_neuron_sends_each_sample_its_delta_times_w_to_the_bit(n_samples):
    """Sent back: row s is delta_s * w, the very product; dL/d[w, b] sums delta_s * [x_s, 1]."""
    rng = np.random.default_rng(3)
    n = nt.Neuron(5, "sigmoid", rng=rng)
    X, dL_da = rng.normal(size=(n_samples, 5)), rng.normal(size=n_samples)
    n.forward(X)
    sent = n.backward(dL_da)
    assert n.delta.shape == (n_samples,)
    for s in range(n_samples):
        np.testing.assert_array_equal(sent[s], n.delta[s] * n.weights)
    np.testing.assert_allclose(n.grad_weights, (n.delta[:, None] * X).sum(axis=0), rtol=1e-13)
    assert n.grad_bias == pytest.approx(n.delta.sum(), rel=1e-13)


def test_activation_one_name_or_one_per_layer():
    net = nt.NeuralNetwork([2, 3, 4], activation=["sigmoid", "relu"], seed=0)
    assert net.activation_names == ["sigmoid", "relu"]
    assert [n.activation.name for n in net.layers[0]] == ["sigmoid"] * 3
    assert [n.activation.name for n in net.layers[1]] == ["relu"] * 4
    net = nt.NeuralNetwork([2, 3, 3, 1], activation="tanh", seed=0)
    assert net.activation_names == ["tanh", "tanh", "tanh"]
    assert net.sizes == [2, 3, 3, 1] and net.n_layers == 3
    assert net.n_inputs == 2 and net.n_outputs == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_from_weights_takes_n_inputs_by_n_neurons(backend):
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=4)
    net = backend.from_weights([W1, W2], [b1, b2], activation=["sigmoid", "relu"])
    assert net.sizes == [2, 3, 4]
    x = np.array([0.3, -0.6])
    a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
    np.testing.assert_allclose(net.forward(x), np.maximum(a1 @ W2 + b2, 0), rtol=1e-14)
    (P1, q1), (P2, q2) = net.parameters()
    np.testing.assert_array_equal(P1, W1)
    np.testing.assert_array_equal(q2, b2)


def test_softmax_network_of_the_issue():
    net = nt.NeuralNetwork([4, 12, 10, 3], activation="relu", output_activation="softmax",
                           init="he", seed=0)
    assert net.activation_names == ["relu", "relu", "softmax"]
    P = net.forward(np.random.default_rng(0).normal(size=(6, 4)))
    assert P.shape == (6, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    assert np.all(P > 0)
    # he: zero biases, weights with standard deviation sqrt(2 / n_inputs)
    for _W, b in net.parameters():
        assert np.all(b == 0)


def test_node_names():
    net = nt.NeuralNetwork([2, 3, 2], seed=0)
    assert net["L1.N1"] is net.layers[0][1]
    assert net["L2.N0"] is net.layers[1][0]
    assert net.node_names() == [["L1.N0", "L1.N1", "L1.N2"], ["L2.N0", "L2.N1"]]
    assert net.input_names() == ["x0", "x1"]
    assert [[n.name for n in layer] for layer in net.layers] == net.node_names()
    assert [n.name for n in net.neurons()] == ["L1.N0", "L1.N1", "L1.N2", "L2.N0", "L2.N1"]
    vec = net.to_vectorized()
    assert vec["L2"] is vec.layers[1] and vec.layers[1].name == "L2"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("output", ACTIVATIONS + ["softmax"])
def test_output_shapes(backend, output):
    net = backend([3, 4, 2], activation="tanh", output_activation=output, seed=0)
    assert net.forward(np.ones(3)).shape == (2,)
    assert net.forward(np.ones((5, 3))).shape == (5, 2)
    assert net.forward(np.ones((1, 3))).shape == (1, 2)          # a batch of one stays a batch
    assert net.forward([0.1, 0.2, 0.3]).shape == (2,)              # lists are fine
    assert net.predict(np.ones((5, 3))).shape == (5, 2)
    assert net.forward(np.ones(3)).dtype == np.float64


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_output_network_accepts_a_1d_target_for_a_batch(backend):
    net = backend([3, 4, 1], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    y = np.arange(5.0)
    assert net.forward(X).shape == (5, 1)
    g1, g2 = net.gradients(X, y), net.gradients(X, y[:, None])
    for (a, b), (c, d) in zip(g1, g2):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_gradients_are_shaped_like_the_parameters(backend, batch):
    net = backend([4, 5, 3, 2], activation=["relu", "tanh", "sigmoid"], seed=0)
    X = np.ones((6, 4)) if batch else np.ones(4)
    Y = np.zeros((6, 2)) if batch else np.zeros(2)
    grads = net.gradients(X, Y, loss="mse")
    assert isinstance(grads, list) and len(grads) == 3
    for (dW, db), (W, b) in zip(grads, net.parameters()):
        assert dW.shape == W.shape and db.shape == b.shape
    assert [dW.shape for dW, _ in grads] == [(4, 5), (5, 3), (3, 2)]
    # gradients() returns copies: a later backward pass does not change them
    before = [dW.copy() for dW, _ in grads]
    net.gradients(X + 1.0, Y, loss="mse")
    for dW, old in zip([dW for dW, _ in grads], before):
        np.testing.assert_array_equal(dW, old)


def test_gradients_of_a_layer_are_its_neurons_gradients():
    net = nt.NeuralNetwork([3, 4, 2], activation="tanh", seed=0)
    grads = net.gradients(np.ones((3, 3)), np.zeros((3, 2)))
    for (dW, db), layer in zip(grads, net.layers):
        for j, neuron in enumerate(layer):
            np.testing.assert_array_equal(dW[:, j], neuron.grad_weights)
            assert db[j] == neuron.grad_bias


# --- building from neurons ------------------------------------------------------------------
def test_network_from_lists_of_neurons():
    rng = np.random.default_rng(1)
    W1, b1, W2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)), rng.normal(size=1)
    hidden = [nt.Neuron(2, "tanh", weights=W1[:, j], bias=b1[j]) for j in range(3)]
    output = [nt.Neuron(3, "sigmoid", weights=W2[:, 0], bias=b2[0])]
    net = nt.NeuralNetwork([hidden, output])
    assert net.layers[0][2] is hidden[2] and net["L2.N0"] is output[0]
    assert [n.name for n in hidden] == ["L1.N0", "L1.N1", "L1.N2"]
    assert net.sizes == [2, 3, 1] and net.activation_names == ["tanh", "sigmoid"]
    same = nt.NeuralNetwork.from_weights([W1, W2], [b1, b2], activation=["tanh", "sigmoid"])
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    np.testing.assert_array_equal(net.forward(X), same.forward(X))
    for (a, b), (c, d) in zip(net.gradients(X, Y), same.gradients(X, Y)):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    # the neurons now live in the network: one set of numbers, seen from both sides
    hidden[0].weights[0] = 7.0
    assert net.parameters()[0][0][0, 0] == 7.0


def test_network_from_neurons_with_a_softmax_output():
    rng = np.random.default_rng(2)
    hidden = [nt.Neuron(2, "relu", rng=rng) for _ in range(3)]
    output = [nt.Neuron(3, "identity", rng=rng) for _ in range(2)]
    net = nt.NeuralNetwork([hidden, output], output_activation="softmax")
    assert net.activation_names == ["relu", "softmax"]
    np.testing.assert_allclose(net.forward(np.ones((3, 2))).sum(axis=1), 1.0, rtol=1e-15)


# --- parameters are live, backward never updates --------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_parameters_are_live_views(backend):
    net = backend([3, 4, 2], activation="tanh", seed=0)
    x = np.array([0.5, -0.5, 1.0])
    before = net.forward(x).copy()
    W, b = net.parameters()[1]
    W[...] = 0.0
    b[...] = [0.25, -0.5]
    np.testing.assert_allclose(net.forward(x), np.tanh([0.25, -0.5]), rtol=1e-15)
    assert not np.allclose(before, net.forward(x))
    flat = net.flat_parameters
    flat[...] = 0.0
    np.testing.assert_array_equal(net.forward(x), [0.0, 0.0])


def test_neuron_weights_are_views_into_the_network():
    net = nt.NeuralNetwork([3, 4, 2], activation="tanh", seed=0)
    net["L1.N2"].weights[1] = 5.0
    net["L1.N2"].bias = -1.5
    W, b = net.parameters()[0]
    assert W[1, 2] == 5.0 and b[2] == -1.5
    net.parameters()[1][0][3, 1] = 9.0
    assert net["L2.N1"].weights[3] == 9.0


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("output", ["tanh", "softmax", "sigmoid"])
def test_backward_never_changes_weights(backend, output):
    net = backend([3, 4, 2], activation="relu", output_activation=output, seed=0)
    before = net.flat_parameters.copy()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    Y = np.full((5, 2), 0.5)
    net.gradients(X, Y, "mse")
    if output != "tanh":
        net.gradients(X, Y, "bce")
    net.forward(X)
    net.backward(rng.normal(size=(5, 2)))
    np.testing.assert_array_equal(net.flat_parameters, before)
    assert np.any(net.flat_gradients != 0)


def test_neuron_backward_never_changes_its_weights():
    n = nt.Neuron(3, "sigmoid", weights=[0.1, 0.2, 0.3], bias=0.4)
    n.forward(np.ones(3))
    n.backward(1.0)
    assert n.weights.tolist() == [0.1, 0.2, 0.3] and n.bias == 0.4


def test_gradients_use_the_weights_of_the_forward_pass():
    """Updating each neuron right after its backward (as the hands-on's hand-out does) is safe.

    The hand-out's neurons update and then send ``delta * w`` with the *new*
    weights. neurotrace's ``Neuron.backward`` returns the error with the
    forward-pass weights, so a student who updates every neuron as soon as its
    backward returns still gets the true gradient everywhere: the same as the
    network's backward, and as autograd's.
    """
    rng = np.random.default_rng(3)
    net = nt.NeuralNetwork([3, 4, 2], activation="tanh", seed=4)
    x, y = rng.normal(size=3), rng.normal(size=2)
    params = [(W.copy(), b.copy()) for W, b in net.parameters()]
    expected = net.gradients(x, y, loss="sse")

    def sse(params):
        a = x
        for W, b in params:
            a = anp.tanh(anp.dot(a, W) + b)
        return 0.5 * anp.sum((a - y) ** 2)
    reference = autograd.grad(sse)(params)

    a = net.forward(x)
    dL_da, lr, seen = a - y, 0.5, []
    for layer in reversed(net.layers):
        sent = 0.0
        for j, neuron in enumerate(layer):
            sent = sent + neuron.backward(dL_da[j])         # error with the forward-pass weights
            seen.append((neuron.name, neuron.grad_weights.copy(), neuron.grad_bias))
            neuron.weights -= lr * neuron.grad_weights      # then update at once
            neuron.bias -= lr * neuron.grad_bias
        dL_da = sent
    grads = {name: (gw, gb) for name, gw, gb in seen}
    for l, ((dW, _db), (rW, rb)) in enumerate(zip(expected, reference), start=1):
        for j in range(dW.shape[1]):
            gw, gb = grads[f"L{l}.N{j}"]
            np.testing.assert_allclose(gw, dW[:, j], rtol=1e-14)
            np.testing.assert_allclose(gw, rW[:, j], rtol=1e-12)
            assert gb == pytest.approx(rb[j], rel=1e-12)


# --- numerical safety ------------------------------------------------------------------------
BIG = np.array([-1e4, -1e3, -50.0, -1.0, 0.0, 1.0, 50.0, 1e3, 1e4])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_stay_finite_up_to_1e4(name):
    f = activations.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            a = f.value(BIG)
            d = f.derivative(BIG, a)
            scalar = [f.scalar(float(z)) for z in BIG]
            scalar_d = [f.scalar_derivative(float(z), s) for z, s in zip(BIG, scalar)]
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))
    np.testing.assert_allclose(scalar, a, rtol=1e-15, atol=0)
    np.testing.assert_allclose(scalar_d, d, rtol=1e-15, atol=0)


def test_sigmoid_and_tanh_saturate_to_the_right_limits():
    assert activations.get("sigmoid").value(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]
    assert activations.get("tanh").value(np.array([-1e4, 1e4])).tolist() == [-1.0, 1.0]
    assert activations.get("sigmoid").scalar(-1e4) == 0.0


def test_softmax_stays_finite_up_to_1e4():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            P = activations.softmax(np.array([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, -1e4, 0.0]]))
    np.testing.assert_allclose(P, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0, 0, 1]], atol=1e-15)


def huge_logits_network(output, z):
    """One layer whose logits are exactly ``z`` for the input ``[1]``."""
    z = np.asarray(z, float)
    return nt.NeuralNetwork.from_weights([z[None, :]], [np.zeros(z.size)], activation=output)


@pytest.mark.parametrize("backend", ["neurons", "vectorized"])
@pytest.mark.parametrize("output, loss, z, y", [
    ("sigmoid", "bce", [1e4, -1e4], [0.0, 1.0]),          # confidently wrong: L = 1e4
    ("sigmoid", "bce", [1e4, -1e4], [1.0, 0.0]),          # confidently right: L = 0
    ("softmax", "cross_entropy", [1e4, -1e4, 0.0], [0.0, 1.0, 0.0]),
    ("softmax", "cross_entropy", [1e4, -1e4, 0.0], [1.0, 0.0, 0.0]),
    ("sigmoid", "mse", [1e4, -1e4], [0.0, 1.0]),
    ("tanh", "sse", [1e4, -1e4], [0.0, 1.0]),
    ("softmax", "mse", [1e4, -1e4, 0.0], [0.0, 1.0, 0.0]),
], ids=["sigmoid-bce-wrong", "sigmoid-bce-right", "softmax-ce-wrong", "softmax-ce-right",
        "sigmoid-mse", "tanh-sse", "softmax-mse"])
def test_losses_stay_finite_for_logits_up_to_1e4(backend, output, loss, z, y):
    net = huge_logits_network(output, z)
    if backend == "vectorized":
        net = net.to_vectorized()
    x, y = np.array([1.0]), np.array(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            value = net.loss(x, y, loss)
            grads = net.gradients(x, y, loss)
            xb, yb = np.ones((3, 1)), np.tile(y, (3, 1))
            value_b = net.loss(xb, yb, loss)
            grads_b = net.gradients(xb, yb, loss)
    assert np.isfinite(value) and np.isfinite(value_b)
    for dW, db in grads + grads_b:
        assert np.all(np.isfinite(dW)) and np.all(np.isfinite(db))
    if loss == "bce":
        assert value == pytest.approx(1e4 if y[0] == 0 else 0.0, abs=1e-12)
    if loss == "cross_entropy":
        assert value == pytest.approx(2e4 if y[1] == 1 else 0.0, abs=1e-12)


def test_fused_losses_from_logits():
    Z = np.array([[1e4, -1e4], [0.0, 0.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.softmax_cross_entropy(Z, Y) == pytest.approx((2e4 + np.log(2)) / 2)
        assert losses.sigmoid_bce(Z, Y) == pytest.approx((1e4 + 1e4 + 2 * np.log(2)) / 4)


def test_relu_derivative_at_exactly_zero_is_zero():
    relu = activations.get("relu")
    assert relu.derivative(np.array([0.0]), np.array([0.0])).tolist() == [0.0]
    assert relu.scalar_derivative(0.0, 0.0) == 0.0
    n = nt.Neuron(2, "relu", weights=[1.0, -1.0], bias=0.0)
    assert n.forward(np.array([3.0, 3.0])) == 0.0                 # z = 0 exactly
    assert n.backward(5.0).tolist() == [0.0, 0.0]
    assert n.grad_weights.tolist() == [0.0, 0.0] and n.grad_bias == 0.0
    n.forward(np.array([[3.0, 3.0], [1.0, 0.0]]))                 # batch: z = [0, 1]
    n.backward(np.array([5.0, 5.0]))
    assert n.grad_weights.tolist() == [5.0, 0.0] and n.grad_bias == 5.0


def test_leaky_relu_slope_at_zero_and_below():
    leaky = activations.get("leaky_relu")
    assert leaky.derivative(np.array([-2.0, 0.0, 2.0]), None).tolist() == [0.01, 0.01, 1.0]
    assert leaky.value(np.array([-2.0, 3.0])).tolist() == [-0.02, 3.0]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_formulas_are_printable(name):
    f = activations.get(name)
    assert f.name == name and repr(f) == f"Activation({name!r})"
    for text in (f.formula, f.derivative_formula, f.latex, f.derivative_latex):
        assert isinstance(text, str) and text.strip()
    assert f.formula.startswith("f(z) =") and f.derivative_formula.startswith("f'(z) =")
    print(f.formula, f.derivative_formula)


def test_softmax_formulas_are_printable():
    assert isinstance(activations.SOFTMAX_FORMULA, str) and "exp" in activations.SOFTMAX_FORMULA
    assert isinstance(activations.SOFTMAX_DERIVATIVE_FORMULA, str)
    assert activations.NAMES == ["identity", "leaky_relu", "relu", "sigmoid", "tanh", "softmax"]


@pytest.mark.parametrize("name", ["mse", "sse", "bce", "cross_entropy"])
def test_losses_have_names_and_formulas(name):
    loss = losses.get(name)
    assert loss.name == name and isinstance(loss.formula, str) and loss.formula.startswith("L =")
    assert repr(loss) == f"Loss({name!r})"


def test_loss_definitions_of_the_design():
    """The values and dL/da of DESIGN.md's table, on one small batch."""
    a = np.array([[0.2, 0.7], [0.6, 0.1], [0.5, 0.5]])
    y = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    assert losses.mse.value(a, y) == pytest.approx(np.mean((a - y) ** 2))
    np.testing.assert_allclose(losses.mse.gradient(a, y), 2 * (a - y) / 6)
    assert losses.sse.value(a, y) == pytest.approx(0.5 * np.sum((a - y) ** 2))
    np.testing.assert_allclose(losses.sse.gradient(a, y), a - y)
    assert losses.bce.value(a, y) == pytest.approx(
        np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a))))
    np.testing.assert_allclose(losses.bce.gradient(a, y), (a - y) / (a * (1 - a)) / 6)
    assert losses.cross_entropy.value(a, y) == pytest.approx(-np.sum(y * np.log(a)) / 3)
    np.testing.assert_allclose(losses.cross_entropy.gradient(a, y), -(y / a) / 3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fused_softmax_cross_entropy_gradient_is_p_minus_y_over_n(backend):
    net = backend([3, 3], activation="identity", output_activation="softmax", seed=0)
    X = np.random.default_rng(0).normal(size=(4, 3))
    Y = np.eye(3)[[0, 2, 1, 1]]
    P = net.forward(X)
    dW, db = net.gradients(X, Y, "cross_entropy")[0]
    np.testing.assert_allclose(db, np.sum(P - Y, axis=0) / 4, rtol=1e-14)     # delta = (p - y)/n
    np.testing.assert_allclose(dW, X.T @ (P - Y) / 4, rtol=1e-14)


def test_user_defined_loss_is_accepted_anywhere_a_name_is():
    class SquaredSum:            # any object with value and gradient
        name = "(sum a)^2"

        def value(self, a, y):
            return float(np.sum(a) ** 2)

        def gradient(self, a, y):
            return 2 * np.sum(a) * np.ones_like(a)
    net = nt.NeuralNetwork([2, 2], activation="identity", seed=0)
    x = np.array([1.0, 2.0])
    assert net.loss(x, np.zeros(2), SquaredSum()) == pytest.approx(np.sum(net.forward(x)) ** 2)
    grads = net.gradients(x, np.zeros(2), SquaredSum())
    assert grads[0][0].shape == (2, 2)
    assert nt.gradcheck(net, x, np.zeros(2), loss=SquaredSum()) < 1e-7


def test_gradcheck_per_parameter_names():
    net = nt.NeuralNetwork([2, 2, 1], activation="tanh", seed=0)
    errors = nt.gradcheck(net, np.array([0.3, -0.2]), np.array([0.5]), per_parameter=True)
    assert list(errors) == ["L1.N0.w0", "L1.N0.w1", "L1.N0.b", "L1.N1.w0", "L1.N1.w1", "L1.N1.b",
                            "L2.N0.w0", "L2.N0.w1", "L2.N0.b"]
    assert max(errors.values()) < 1e-6


def test_gradcheck_restores_the_parameters():
    net = nt.NeuralNetwork([3, 4, 2], activation="sigmoid", seed=0)
    before = net.flat_parameters.copy()
    nt.gradcheck(net, np.ones((2, 3)), np.zeros((2, 2)))
    np.testing.assert_array_equal(net.flat_parameters, before)


def test_predict_returns_a_copy():
    net = nt.NeuralNetwork([2, 3, 2], seed=0)
    out = net.predict(np.ones(2))
    out[...] = 99.0
    assert not np.any(net.predict(np.ones(2)) == 99.0)


def test_reprs_are_short():
    assert repr(nt.Neuron(2, "relu")) == "Neuron(2, 'relu', name='neuron')"
    assert repr(nt.NeuralNetwork([2, 3, 1], activation="tanh", seed=0)) == \
        "NeuralNetwork([2, 3, 1], activation='tanh', output_activation='tanh')"
    assert repr(nt.Layer(2, 3, "relu")) == "Layer(2, 3, 'relu', name='layer')"


def test_initializers_draw_what_they_promise():
    sizes = [400, 300, 10]
    for init, std in [("he", np.sqrt(2 / 400)), ("lecun", np.sqrt(1 / 400)), ("normal", 1.0)]:
        W, b = nt.NeuralNetwork(sizes, init=init, seed=0).parameters()[0]
        assert np.std(W) == pytest.approx(std, rel=0.02)
    W, b = nt.NeuralNetwork(sizes, init="uniform", seed=0).parameters()[0]
    assert -1 <= W.min() < -0.99 and 0.99 < W.max() <= 1 and b.min() < 0
    W, b = nt.NeuralNetwork(sizes, init="xavier", seed=0).parameters()[0]
    limit = np.sqrt(6 / 700)
    assert -limit <= W.min() < -0.99 * limit and np.all(b == 0)
