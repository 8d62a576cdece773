"""The course material's items taught in tutorials 07-12, reproduced through neurotrace's API.

Batches, softmax and cross-entropy, iris, fitting functions, initialization, digits and
speed. Where the material printed numbers, the test asserts them to the printed
precision; where the material has a mistake, the test reproduces the printed (wrong)
number *and* asserts the right one. Items whose printed numbers are already asserted in
``test_seeds.py`` are named there; these tests add what the tutorials show beyond them.

The material's own code appears here in plain numpy (the way it wrote it) only where it
is the independent reference: the hand-out's vectorized ``Layer``, its clipped momentum
neuron, the week-41 softmax. The material writes a layer's weights ``(n_neurons,
n_inputs)`` in its per-sample exercises and ``(n_inputs, n_neurons)`` in its batched
ones, as neurotrace does.
"""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris

import neurotrace as nt


def assert_printed(actual, printed, decimals=8):
    """``actual`` rounds to what the material printed with ``decimals`` decimals."""
    np.testing.assert_allclose(actual, printed, rtol=0, atol=0.5 * 10.0 ** -decimals + 1e-15)


def iris_one_hot():
    iris = load_iris()
    return iris.data, nt.datasets.one_hot(iris.target)


# ======================================================================================
# 07 Batches: the week-42 batched exercise, the batched layout, the hand-out's Layer
# ======================================================================================
def week42_batched_exercise():
    """The week-42 exercises' draws after ``np.random.seed(314)``, up to exercise 6's batch."""
    np.random.seed(314)
    np.random.rand(2), np.random.rand(3), np.random.randn(3, 2), np.random.randn(3)   # ex. 2
    np.random.rand(2), np.random.rand(4), np.random.rand(3, 2), np.random.rand(3)     # ex. 4
    np.random.rand(4, 3), np.random.rand(4)
    np.random.randn(3, 2), np.random.randn(3), np.random.randn(4, 3), np.random.randn(4)  # ex. 5
    np.random.rand(2), np.random.rand(4)
    layers = [(np.random.randn(2, 3), np.random.randn(3)), (np.random.randn(3, 4), np.random.randn(4))]
    X, Y = np.random.rand(10, 2), np.random.rand(10, 4)
    net = nt.NeuralNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                        activation=["sigmoid", "relu"])
    return net, X, Y


PRINTED_MANUAL_DW1 = [[0.00705068, 0.01351109, -0.00382829], [0.00723994, 0.01273161, -0.00414871]]
PRINTED_AUTOGRAD_DW1 = [[0.07050681, 0.13511092, -0.03828287], [0.07239938, 0.12731607, -0.0414871]]


def test_batched_exercise_shares_mean_and_the_mean_taken_twice():
    """000-Ex6: the batch gradient is the mean of the per-sample gradients; the manual
    answer printed is that mean divided by n_samples = 10 once more."""
    net, X, Y = week42_batched_exercise()
    (dW1, db1), (dW2, db2) = net.gradients(X, Y, loss="mse")
    assert_printed(dW1, PRINTED_AUTOGRAD_DW1)
    assert_printed(dW1 / len(X), PRINTED_MANUAL_DW1)             # the mean taken twice
    # each sample's own gradient (its mse over its 4 outputs), then their mean and sum
    shares = np.array([net.gradients(x, y, loss="mse")[0][0] for x, y in zip(X, Y)])
    np.testing.assert_allclose(shares.mean(axis=0), dW1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(shares.sum(axis=0), 10 * dW1, rtol=1e-12, atol=1e-15)
    # the factor is the number of samples: with the first 5 samples it is 5
    (half, _), _ = net.gradients(X[:5], Y[:5], loss="mse")
    halves = np.array([net.gradients(x, y, loss="mse")[0][0] for x, y in zip(X[:5], Y[:5])])
    np.testing.assert_allclose(halves.mean(axis=0), half, rtol=1e-12, atol=1e-15)


def test_one_neuron_object_processes_a_whole_batch():
    """000-Ex6 / 001-Ex5: one Neuron given a batch computes every sample's z, a, delta at
    once; its gradient is the sum of what it gets from each sample alone."""
    rng = np.random.default_rng(0)
    X, dL_da = rng.normal(size=(6, 3)), rng.normal(size=6)
    n = nt.Neuron(3, "sigmoid", weights=[0.5, -1.0, 0.25], bias=0.1)
    a_batch = n.forward(X).copy()
    n.backward(dL_da)
    g_batch, gb_batch = n.grad_weights.copy(), float(n.grad_bias)
    g_each, gb_each, a_each = np.zeros(3), 0.0, []
    for x, g in zip(X, dL_da):
        a_each.append(n.forward(x))
        n.backward(g)
        g_each += n.grad_weights
        gb_each += n.grad_bias
    np.testing.assert_allclose(a_batch, a_each, rtol=1e-15)
    np.testing.assert_allclose(g_batch, g_each, rtol=1e-12)
    assert gb_batch == pytest.approx(gb_each, rel=1e-12)


def test_batched_layout_is_the_transpose_and_rows_are_samples():
    """001-Ex5 a/b: ``create_layers_batch`` stores ``W`` as (n_inputs, n_neurons), the
    transpose of the per-sample layout; ``X @ W + b`` then gives one row per sample,
    each equal to the per-sample ``W_T @ x + b``."""
    np.random.seed(2024)
    W = np.random.randn(12, 4).T               # the material's randn(out, in).T
    b = np.random.randn(12)
    X = np.random.rand(5, 4)
    net = nt.NeuralNetwork.from_weights([W], [b], activation="relu")
    batch = net.forward(X).copy()
    for x, row in zip(X, batch):
        np.testing.assert_allclose(net.forward(x), row, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(np.maximum(W.T @ x + b, 0), row, rtol=1e-14, atol=1e-15)


def handout_layer_step(layers, X, T, lr):
    """One ``SpeedyNeuralNetwork.backpropagate`` of the hand-out, as it writes it."""
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))
    inputs, outs = [], []
    a = X
    for W, b in layers:
        inputs.append(a)
        a = sigmoid(a @ W + b)
        outs.append(a)
    d_error = -(T - a)
    new = list(layers)
    for i in reversed(range(len(layers))):
        W, b = layers[i]
        d_z = d_error * outs[i] * (1 - outs[i])
        d_weights, d_biases = inputs[i].T @ d_z, np.sum(d_z, axis=0)
        d_error = d_z @ W.T                     # computed before the update, as it should be
        new[i] = (W - lr * d_weights, b - lr * d_biases)
    return new


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_handout_speedy_network_is_fit_with_sse(backend):
    """003-speedy: the hand-out's ``Layer`` + ``SpeedyNeuralNetwork`` (batch 16, error
    ``-(t - y)``) is ``fit(..., loss="sse", batch_size=16)``: three steps agree to 1e-12."""
    digits = load_digits()
    X, T = digits.data[:48] / 16, nt.datasets.one_hot(digits.target[:48])
    rng = np.random.default_rng(1)
    layers = [(rng.normal(0, 1 / 8, (64, 32)), rng.normal(0, 0.1, 32)),
              (rng.normal(0, 1 / np.sqrt(32), (32, 10)), rng.normal(0, 0.1, 10))]
    net = backend.from_weights([W for W, b in layers], [b for W, b in layers], activation="sigmoid")
    nt.fit(net, X, T, loss="sse", optimizer=nt.SGD(lr=0.01), epochs=1, batch_size=16,
           shuffle=False, progress=False)
    for start in range(0, 48, 16):
        layers = handout_layer_step(layers, X[start:start + 16], T[start:start + 16], 0.01)
    for (W, b), (Wn, bn) in zip(layers, net.parameters()):
        np.testing.assert_allclose(Wn, W, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(bn, b, rtol=1e-12, atol=1e-15)


# ======================================================================================
# 08 Softmax and cross-entropy
# ======================================================================================
def test_softmax_cross_entropy_delta_is_p_minus_y():
    """000-Ex7a: with softmax and cross-entropy the output delta is (p - y) / n_samples,
    per sample and per class, and it agrees with finite differences."""
    X, Y = iris_one_hot()
    X, Y = X[::15], Y[::15]                                   # 10 flowers, all 3 species
    net = nt.NeuralNetwork([4, 5, 3], activation="tanh", output_activation="softmax", seed=3)
    net.backprop(X, Y, "cross_entropy")
    P = net.output
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    deltas = np.stack([n.delta for n in net.layers[-1]], axis=-1)
    np.testing.assert_allclose(deltas, (P - Y) / len(X), rtol=1e-12, atol=1e-16)
    assert nt.gradcheck(net, X, Y, loss="cross_entropy") < 1e-6


def week41_softmax(z):
    """The week-41 exercises' batched softmax, as written: the max is taken over axis 0."""
    e_z = np.exp(z - np.max(z, axis=0))
    return e_z / np.sum(e_z, axis=1)[:, np.newaxis]


def test_week41_softmax_normalises_rows_but_depends_on_the_batch():
    """001-Ex5c/6d: the week-41 "softmax" subtracts each column's maximum over the batch.
    Its rows still sum to 1, but a flower's probabilities change with the other flowers
    in the batch; a true softmax (neurotrace's) never does."""
    z = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 1.0, 5.0]])
    p = week41_softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    alone = week41_softmax(z[:1])               # a batch of one flower: z - max(z) = 0
    np.testing.assert_array_equal(alone, [[1 / 3, 1 / 3, 1 / 3]])
    net = nt.NeuralNetwork.from_weights([np.eye(3)], [np.zeros(3)], activation="identity",
                                        output_activation="softmax")
    true_alone, true_batch = net.forward(z[:1])[0].copy(), net.forward(z)[0].copy()
    np.testing.assert_allclose(true_alone, true_batch, rtol=1e-15)   # a true softmax: same
    np.testing.assert_allclose(true_alone, np.exp(z[0]) / np.exp(z[0]).sum(), rtol=1e-15)
    assert not np.allclose(p[0], true_alone, atol=1e-3)
    m = np.max(z, axis=0)                       # = a softmax of the shifted logits z - m
    np.testing.assert_allclose(p, net.forward(z - m), rtol=1e-14)


def test_spiral_and_vertical_data_train_with_softmax():
    """004-data: ``vertical`` is separable by straight lines (no hidden layer needed);
    ``spiral`` is not: softmax regression stays near chance, a hidden layer learns it."""
    X, y = nt.datasets.vertical(samples=50, seed=0, one_hot=False)
    Y = nt.datasets.one_hot(y)
    linear = nt.VectorizedNetwork([2, 3], activation="softmax", seed=0)
    nt.fit(linear, X, Y, loss="cross_entropy", optimizer=nt.Adam(lr=0.05), epochs=300,
           batch_size=None, shuffle=False, progress=False)
    assert nt.accuracy(linear.predict(X), Y) > 0.9
    X, y = nt.datasets.spiral(samples=50, seed=0, one_hot=False)
    Y = nt.datasets.one_hot(y)
    linear = nt.VectorizedNetwork([2, 3], activation="softmax", seed=0)
    nt.fit(linear, X, Y, loss="cross_entropy", optimizer=nt.Adam(lr=0.05), epochs=300,
           batch_size=None, shuffle=False, progress=False)
    hidden = nt.VectorizedNetwork([2, 32, 3], activation="tanh", output_activation="softmax",
                                  init="xavier", seed=0)
    nt.fit(hidden, X, Y, loss="cross_entropy", optimizer=nt.Adam(lr=0.02), epochs=600,
           batch_size=None, shuffle=False, progress=False)
    assert nt.accuracy(linear.predict(X), Y) < 0.6 < 0.75 < nt.accuracy(hidden.predict(X), Y)


# ======================================================================================
# 09 Training on iris
# ======================================================================================
def week42_iris_layers():
    """``np.random.seed(0)`` then ``create_layers_batch(4, [12, 10, 3])`` twice."""
    np.random.seed(0)
    made = []
    for _ in range(2):
        layers, n_in = [], 4
        for n_out in [12, 10, 3]:
            layers.append((np.random.randn(n_in, n_out), np.random.randn(n_out)))
            n_in = n_out
        made.append(nt.VectorizedNetwork.from_weights(
            [W for W, b in layers], [b for W, b in layers], activation="relu",
            output_activation="softmax"))
    return made


# the week-42 printout's loss: cross-entropy with 1e-9 inside the log
CE_1E9 = nt.Loss("cross-entropy, 1e-9 in the log",
                 lambda p, y: -np.sum(y * np.log(p + 1e-9)) / len(y),
                 lambda p, y: -(y / (p + 1e-9)) / len(y))


def report(net, X, Y):
    P = net.predict(X)
    return round(CE_1E9.value(P, Y), 4), round(float(np.mean(P.argmax(1) == Y.argmax(1))), 3)


def test_iris_full_batch_with_the_true_bias_gradient():
    """000-Ex7a-iris, corrected: with neurotrace's bias gradient (not divided by n twice)
    and ``nt.SGD(lr=0.01)``: epoch 0 is the printed 13.8155 / 0.333 (one step of the
    bias cannot change it), epoch 499 is 0.0855 / 0.973 (printed, with the bug: 0.0875)."""
    X, Y = iris_one_hot()
    net = week42_iris_layers()[0]
    opt, seen = nt.SGD(lr=0.01), {}
    for epoch in range(500):
        net.backprop(X, Y, "cross_entropy")
        opt.step(net)
        if epoch in (0, 100, 499):
            seen[epoch] = report(net, X, Y)
    assert seen == {0: (13.8155, 0.333), 100: (0.1926, 0.967), 499: (0.0855, 0.973)}


def test_iris_momentum_with_the_true_bias_gradient():
    """000-Ex7b, corrected: ``nt.SGD(lr=0.001, momentum=0.9)``, batches of 8 in the order
    of the material's ``np.random.permutation``: epoch 999 is 0.0551 / 0.98 (printed,
    with the bias bug: 0.1004 / 0.973)."""
    X, Y = iris_one_hot()
    net = week42_iris_layers()[1]
    opt = nt.SGD(lr=0.001, momentum=0.9)
    for epoch in range(1000):
        order = np.random.permutation(len(X))
        for start in range(0, len(X), 8):
            batch = order[start:start + 8]
            net.backprop(X[batch], Y[batch], "cross_entropy")
            opt.step(net)
        if epoch == 0:
            assert report(net, X, Y) == (2.7757, 0.62)     # printed, with the bug: 2.8019, 0.553
    assert report(net, X, Y) == (0.0551, 0.98)


def test_neural_network_skeleton_maps_to_neurotrace():
    """000-Ex8: the skeleton's methods are neurotrace's: ``predict``, ``cost`` = ``loss``,
    ``compute_gradient`` = ``gradients``, ``update_weights`` = an optimizer's ``step``
    (kept outside the network, as the skeleton asks); ``autograd_gradient`` agrees."""
    X, Y = iris_one_hot()
    net = week42_iris_layers()[0]
    params = [(W.copy(), b.copy()) for W, b in net.parameters()]

    def cost(layers):
        a = X
        for i, (W, b) in enumerate(layers):
            z = anp.dot(a, W) + b
            a = anp.maximum(z, 0) if i < 2 else anp.exp(z - anp.max(z, axis=1, keepdims=True))
        p = a / anp.sum(a, axis=1, keepdims=True)
        return -anp.sum(Y * anp.log(p)) / len(Y)
    assert net.loss(X, Y, "cross_entropy") == pytest.approx(cost(params), rel=1e-12)
    for (dW, db), (rW, rb) in zip(net.gradients(X, Y, "cross_entropy"), autograd.grad(cost)(params)):
        np.testing.assert_allclose(dW, rW, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(db, rb, rtol=1e-9, atol=1e-12)
    nt.SGD(lr=0.01).step(net)                      # update_weights(layer_grads)
    (W1, _), _, _ = net.parameters()
    assert not np.array_equal(W1, params[0][0])


def week41_iris():
    """The week-41 draws up to exercise 6's 4-8-3 network (``np.random.seed(2024)``)."""
    np.random.seed(2024)

    def create(n_in, sizes):
        out = []
        for n_out in sizes:
            out.append((np.random.randn(n_out, n_in).T, np.random.randn(n_out)))
            n_in = n_out
        return out
    np.random.randn(2), np.random.randn(4, 2), np.random.randn(4)           # exercise 1
    np.random.randn(8, 4), np.random.randn(8)                               # exercise 2
    np.random.rand(8), create(8, [10, 16, 6, 2])                            # exercise 3
    create(8, [5, 8, 2]), np.random.randn(8), create(8, [5, 8, 2]), np.random.randn(8)
    np.random.rand(1000, 4), create(4, [12, 10, 3]), np.random.randn(4)     # exercise 5
    return create(4, [8, 3])


def week41_cost(Z, T):
    """The week-41 cost of the logits: summed cross-entropy of its batch "softmax"."""
    e = anp.exp(Z - anp.max(Z, axis=0))
    return anp.sum(-T * anp.log(e / anp.sum(e, axis=1)[:, None]))


def test_week41_train_network_final_accuracy_068():
    """001-Ex7e: "Final accuracy: 0.68". The call is cut off in the material; with its
    default ``learning_rate=0.001`` plain gradient descent on its (summed, batch-"softmax")
    cost reaches exactly 0.68 after 91 to 95 epochs, and at no other epoch count up to 120.

    neurotrace backpropagates the material's cost through the sigmoid layer (the cost is a
    loss of the logits, given to an identity output layer, its own gradient by autograd).
    """
    iris = load_iris()
    X, Y = iris.data, nt.datasets.one_hot(iris.target)
    layers = week41_iris()
    net = nt.VectorizedNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                            activation=["sigmoid", "identity"])
    cost = nt.Loss("week-41 cross-entropy", week41_cost, autograd.grad(week41_cost))
    opt, hits = nt.SGD(lr=0.001), []
    for epoch in range(1, 121):
        net.backprop(X, Y, cost)
        opt.step(net)
        P = week41_softmax(net.predict(X))
        if abs(np.mean(P.argmax(1) == iris.target) - 0.68) < 1e-12:
            hits.append(epoch)
    assert hits == [91, 92, 93, 94, 95]


def test_iris_can_be_learned_to_100_percent():
    """001-Ex7f: no two flowers with the same four measurements are of different species,
    so a network can classify all 150 right; a 4-16-3 network does (Adam, 1500 epochs)."""
    iris = load_iris()
    rows, inverse = np.unique(iris.data, axis=0, return_inverse=True)
    assert len(rows) == 149                            # one flower is measured twice ...
    assert all(len(set(iris.target[inverse.ravel() == k])) == 1 for k in range(len(rows)))
    X, Y = nt.datasets.iris(test_size=None)            # standardized, one-hot
    net = nt.VectorizedNetwork([4, 16, 3], activation="tanh", output_activation="softmax",
                               init="xavier", seed=0)
    hist = nt.fit(net, X, Y, loss="cross_entropy", optimizer=nt.Adam(lr=0.01), epochs=1500,
                  batch_size=None, shuffle=False, metrics=["accuracy"], progress=False)
    assert hist.accuracy[-1] == 1.0


def test_handout_iris_4_4_3_sigmoid():
    """003-iris: 4-4-3 sigmoid, one flower per step, sse, lr 0.1 (no number printed). The
    hand-out's accuracy counts a flower right only when all three outputs are on the
    right side of 0.5; 60 epochs already reach 90 % of the test flowers."""
    Xtr, Xte, Ytr, Yte = nt.datasets.iris(test_size=0.2)
    net = nt.VectorizedNetwork([4, 4, 3], activation="sigmoid", init="uniform", seed=0)
    nt.fit(net, Xtr, Ytr, loss="sse", optimizer=nt.SGD(lr=0.1), epochs=60, batch_size=1,
           shuffle=False, progress=False)
    handout_accuracy = np.mean(np.all((net.predict(Xte) > 0.5) == Yte, axis=1))
    assert handout_accuracy >= 0.9
    assert nt.accuracy(net.predict(Xte), Yte) >= handout_accuracy


# ======================================================================================
# 10 Fitting functions
# ======================================================================================
D1 = np.array([8, 6, 4, 2, 0, 2, 4, 2, 0, 2, 4, 6, 8.0])          # x = 0 .. 12
D2 = np.array([0, 1, 2, 3, 2, 1, 2, 3, 4, 5, 6.0])                # x = 0 .. 10


def relu_141(hidden_b, out_w, out_b, hidden_w=(1, 1, 1, 1), backend=nt.NeuralNetwork):
    return backend.from_weights(
        [np.array([hidden_w], float), np.array(out_w, float).reshape(4, 1)],
        [np.array(hidden_b, float), np.array([out_b], float)], activation=["relu", "identity"])


def test_homework_datasets_have_exact_relu_fits():
    """002-P3A: exact 1-4-1 fits exist. D1 = 8 - 2relu(x) + 4relu(x-4) - 4relu(x-6)
    + 4relu(x-8); D2 = relu(x) - 2relu(x-3) + 2relu(x-5) (the fourth neuron unused)."""
    x1, x2 = np.arange(13.0)[:, None], np.arange(11.0)[:, None]
    np.testing.assert_array_equal(relu_141([0, -4, -6, -8], [-2, 4, -4, 4], 8).forward(x1)[:, 0], D1)
    np.testing.assert_array_equal(relu_141([0, -3, -5, -20], [1, -2, 2, 0], 0).forward(x2)[:, 0], D2)


def kinks_then_gradient_descent(D, epochs):
    """Kinks spread over the data, the output layer solved by least squares, then Adam."""
    x = np.arange(len(D), dtype=float)
    b = -np.array([-1.0, len(D) / 4, len(D) / 2, 3 * len(D) / 4])
    H = np.c_[np.maximum(x[:, None] + b, 0), np.ones(len(x))]
    w_out = np.linalg.lstsq(H, D, rcond=None)[0]
    net = relu_141(b, w_out[:4], w_out[4], backend=nt.VectorizedNetwork)
    hist = nt.fit(net, x[:, None], D[:, None], loss="mse", optimizer=nt.Adam(lr=0.01),
                  epochs=epochs, batch_size=None, shuffle=False, progress=False)
    return net, hist


@pytest.mark.parametrize("D", [D1, D2], ids=["D1", "D2"])
def test_gradient_descent_fits_the_homework_data_exactly(D):
    """002-P3A-fit: where trial and error found 2/13 and 7/11, gradient descent on the
    same 1-4-1 ReLU network fits every point (rounded predictions equal the data)."""
    net, hist = kinks_then_gradient_descent(D, 3000)
    pred = net.predict(np.arange(len(D), dtype=float)[:, None])[:, 0]
    np.testing.assert_array_equal(np.round(pred), D)
    assert hist.loss[-1] < 0.01 < hist.loss[0]


def test_quadratic_surface_needs_its_targets_scaled_for_a_sigmoid():
    """003-quad: y = x1^2 + x2^2 reaches 2 on [-1, 1]^2, a sigmoid output never exceeds
    1: unscaled, the corners cannot be fitted; scaled into [0, 1] they can."""
    X, Y = nt.datasets.quadratic(35, seed=0, normalize=False)
    Xs, Ys = nt.datasets.quadratic(35, seed=0)
    assert Y.max() > 1.2 and Ys.max() <= 1.0
    raw = nt.VectorizedNetwork([2, 4, 4, 1], activation="sigmoid", init="uniform", seed=0)
    scaled = nt.VectorizedNetwork([2, 4, 4, 1], activation="sigmoid", init="uniform", seed=0)
    for net, T in [(raw, Y), (scaled, Ys)]:
        nt.fit(net, X, T, loss="sse", optimizer=nt.Adam(lr=0.05), epochs=500, batch_size=None,
               shuffle=False, progress=False)
    floor = np.sum(np.maximum(Y - 1, 0) ** 2)           # the least any output <= 1 can miss
    assert np.sum((raw.predict(X) - Y) ** 2) >= floor > 0.1
    assert np.sum((scaled.predict(X) - Ys) ** 2) < 0.1


def test_housing_stand_in_and_the_total_error():
    """003-housing: California housing cannot be downloaded here; diabetes (10 inputs)
    stands in, with the hand-out's 8-hidden sigmoid network and lr 0.03. The hand-out's
    "Total Error" is sum (t - y)^2, twice the sse loss that -(t - y) is the gradient of."""
    with pytest.raises(nt.datasets.DatasetUnavailableError, match="diabetes"):
        nt.datasets.california_housing(n_samples=250)
    Xtr, Xte, Ytr, Yte = nt.datasets.diabetes(test_size=0.2, scale="minmax")
    net = nt.VectorizedNetwork([10, 8, 1], activation="sigmoid", init="uniform", seed=0)
    hist = nt.fit(net, Xtr, Ytr, loss="sse", optimizer=nt.SGD(lr=0.03), epochs=10,
                  batch_size=1, shuffle=False, progress=False)
    total_error = float(np.sum((Ytr - net.predict(Xtr)) ** 2))
    assert total_error == pytest.approx(2 * hist.loss[-1], rel=1e-12)
    assert hist.loss[-1] < hist.loss[0]


# ======================================================================================
# 11 Initialization and gradients
# ======================================================================================
def test_initializers_have_the_variances_of_their_papers():
    """003-init / 002-P5-Q1: Glorot's uniform limit is sqrt(6 / (n_in + n_out)) (the
    hand-out's ``xavier_init`` uses sqrt(6 / n_in)); He is N(0, 2 / n_in); LeCun, the
    homework's N(0, 1 / n) and the hand-out's ``Layer`` "xavier", is N(0, 1 / n_in)."""
    n_in, n_out = 400, 200
    expected = {"xavier": np.sqrt(2 / (n_in + n_out)), "he": np.sqrt(2 / n_in),
                "lecun": np.sqrt(1 / n_in)}
    for init, std in expected.items():
        (W, b), = nt.VectorizedNetwork([n_in, n_out], init=init, seed=0).parameters()
        assert W.std() == pytest.approx(std, rel=0.02), init
        np.testing.assert_array_equal(b, 0)
    (W, _), = nt.VectorizedNetwork([n_in, n_out], init="xavier", seed=0).parameters()
    assert np.abs(W).max() <= np.sqrt(6 / (n_in + n_out)) < np.sqrt(6 / n_in)
    # the homework's network: 1 / max(n_in, n_out) is 1 / n_in for each of its layers
    net = nt.VectorizedNetwork([784, 32, 32, 10], init="lecun", seed=0)
    for (W, _), n in zip(net.parameters(), [784, 32, 32]):
        assert W.std() == pytest.approx(1 / np.sqrt(n), rel=0.1)


def z_stds(init, activation, depth=8, width=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(256, width))
    net = nt.VectorizedNetwork([width] * (depth + 1), activation=activation, init=init, seed=seed)
    net.forward(X)
    return [float(np.std(net[f"L{l}"].Z)) for l in range(1, depth + 1)]


def test_z_spread_per_layer_depends_on_the_initializer():
    """003-init: through 8 ReLU layers He keeps z's spread, N(0, 1) blows it up and LeCun
    lets it shrink by about 1/sqrt(2) a layer."""
    he, normal, lecun = z_stds("he", "relu"), z_stds("normal", "relu"), z_stds("lecun", "relu")
    assert 0.5 < he[-1] / he[0] < 2
    assert normal[-1] / normal[0] > 1e4
    assert lecun[-1] / lecun[0] < 0.2


def handout_clipped_momentum_neuron(w, b, x, t, lr, steps, momentum=0.5, clip_value=1.0):
    """The hand-out's Neuron with momentum and clipping (one sigmoid neuron, sse)."""
    dw, db = 0.0, 0.0
    for _ in range(steps):
        out = 1 / (1 + np.exp(-(x @ w + b)))
        d_2 = -(t - out) * out * (1 - out)
        d_4 = np.clip(d_2 * x, -clip_value, clip_value)
        d_3 = np.clip(d_2, -clip_value, clip_value)
        dw = momentum * dw - lr * d_4
        w = w + dw
        db = momentum * db - lr * d_3
        b = b + db
    return w, b


def test_handout_momentum_and_clipping_is_sgd_with_clip_value():
    """003-mom+clip: the hand-out's neuron (momentum 0.5, clip 1.0) is
    ``nt.SGD(momentum=0.5, clip_value=1.0)``; inputs large enough that clipping acts."""
    x, t = np.array([8.0, -6.0, 0.5]), 1.0
    w0, b0 = np.array([0.05, 0.05, 0.1]), -0.2
    net = nt.NeuralNetwork.from_weights([w0[:, None]], [[b0]], activation="sigmoid")
    opt = nt.SGD(lr=0.8, momentum=0.5, clip_value=1.0)
    clipped = 0
    for _ in range(20):
        net.backprop(x, [t], "sse")
        opt.step(net)
        clipped += opt.last_clip["n_clipped"]
    w, b = handout_clipped_momentum_neuron(w0, b0, x, t, lr=0.8, steps=20)
    (W, bias), = net.parameters()
    np.testing.assert_allclose(W[:, 0], w, rtol=1e-12)
    assert bias[0] == pytest.approx(b, rel=1e-12)
    assert clipped > 0


def test_clipping_caps_large_gradients_and_leaves_small_ones_alone():
    """003's claim that clipping mends *vanishing* gradients: clipping only makes large
    gradients smaller; a vanishing gradient passes through unchanged."""
    opt = nt.SGD(lr=1.0, clip_value=1.0)
    tiny, huge = np.array([1e-9, -3e-8]), np.array([50.0, -0.5])
    np.testing.assert_array_equal(opt.clip(tiny), tiny)
    np.testing.assert_array_equal(opt.clip(huge), [1.0, -0.5])
    norm = nt.SGD(lr=1.0, clip_norm=1.0)
    np.testing.assert_array_equal(norm.clip(tiny), tiny)
    assert np.linalg.norm(norm.clip(huge)) == pytest.approx(1.0)


# ======================================================================================
# 12 Digits, MNIST and speed
# ======================================================================================
def test_unscaled_pixels_saturate_the_sigmoids():
    """003-digits / 002-P5: pixels 0..16 (or 0..255) go unscaled into sigmoids: most hidden
    neurons start saturated (|z| > 4, f'(z) < 0.02); standardized pixels do not."""
    digits = load_digits()
    raw = digits.data
    scaled = (raw - raw.mean(axis=0)) / np.where(raw.std(axis=0) > 0, raw.std(axis=0), 1)
    fractions = []
    for X in (raw, scaled):
        net = nt.VectorizedNetwork([64, 32, 10], activation="sigmoid", init="lecun", seed=0)
        net.forward(X)
        fractions.append(float(np.mean(np.abs(net["L1"].Z) > 4)))
    assert fractions[0] > 0.3 > 0.02 > fractions[1]


def test_untrained_mnist_network_stand_in_is_a_random_guess():
    """002-P5-Q2: the untrained 784-32-32-10 network printed loss 2.37 and 8.80 % on MNIST
    (not downloadable here). On digits with the same recipe (N(0, 1/n) weights, zero
    biases, sigmoid, softmax) the loss is near ln 10 = 2.30 and the accuracy near 10 %."""
    X, y = load_digits(return_X_y=True)
    Y = nt.datasets.one_hot(y)
    net = nt.VectorizedNetwork([64, 32, 32, 10], activation="sigmoid", output_activation="softmax",
                               init="lecun", seed=80085)
    loss = net.loss(X / 16, Y, "cross_entropy")
    assert abs(loss - np.log(10)) < 0.15
    assert 0.02 < nt.accuracy(net.predict(X / 16), Y) < 0.2


def test_shuffling_changes_the_path_not_what_can_be_learned():
    """003-shuffle+plot: with samples sorted by class and one sample per step, shuffling
    every epoch ends lower on the training loss; it is about the order of the steps (the
    hand-out's claim that it cures overfitting is not something shuffling does)."""
    Xtr, Xte, Ytr, Yte = nt.datasets.moons(n_samples=120, test_size=20 / 120)
    order = np.argsort(Ytr[:, 1], kind="stable")
    Xtr, Ytr = Xtr[order], Ytr[order]
    final = {}
    for shuffle in (False, True):
        net = nt.VectorizedNetwork([2, 8, 2], activation="tanh", output_activation="softmax",
                                   init="xavier", seed=0)
        hist = nt.fit(net, Xtr, Ytr, loss="cross_entropy", optimizer=nt.SGD(lr=0.05), epochs=15,
                      batch_size=1, shuffle=shuffle, seed=0, progress=False)
        final[shuffle] = hist.loss[-1]
    assert final[True] < final[False]
