"""The numbers the seeds print, reproduced through neurotrace's public API.

Each test draws the seed's random numbers the way the seed does (the legacy
``np.random.seed`` / ``rand`` / ``randn`` stream, used only here to get the same
numbers), builds the seed's network with ``nt.NeuralNetwork.from_weights`` or
``nt.Neuron``, and compares with the printed values to the printed precision.

The seeds write a layer's weights as ``(n_neurons, n_inputs)`` and compute
``W @ x``; neurotrace's layers are ``(n_inputs, n_neurons)`` and compute
``x @ W``, so those matrices are passed transposed.

Where a seed's own code has a mistake, the test says so in its docstring and
shows which number is right.
"""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from sklearn.datasets import load_iris

import neurotrace as nt


def assert_printed(actual, printed, decimals=8):
    """``actual`` rounds to what the seed printed with ``decimals`` decimals."""
    np.testing.assert_allclose(actual, printed, rtol=0, atol=0.5 * 10.0 ** -decimals + 1e-15)


def one_hot_iris():
    iris = load_iris()
    Y = np.zeros((len(iris.target), 3))
    Y[np.arange(len(iris.target)), iris.target] = 1.0
    return iris.data, Y


# ======================================================================================
# the week-42 exercises: "Exercises week 42" (gradients by hand and by autograd, np.random.seed(314))
# ======================================================================================
def seed000_stream():
    """The week-42 exercises' draws in order: exercise 2, exercise 4, exercise 5, exercise 6."""
    np.random.seed(314)
    ex2 = dict(x=np.random.rand(2), target=np.random.rand(3),
               W=np.random.randn(3, 2), b=np.random.randn(3))
    ex4 = dict(x=np.random.rand(2), target=np.random.rand(4),
               W1=np.random.rand(3, 2), b1=np.random.rand(3),
               W2=np.random.rand(4, 3), b2=np.random.rand(4))
    # exercise 5: create_layers(2, [3, 4]) draws randn(3, 2), randn(3), randn(4, 3), randn(4)
    layers = [(np.random.randn(3, 2), np.random.randn(3)), (np.random.randn(4, 3), np.random.randn(4))]
    ex5 = dict(layers=layers, x=np.random.rand(2), target=np.random.rand(4))
    # exercise 6: create_layers_batch(2, [3, 4]) draws randn(2, 3), randn(3), randn(3, 4), randn(4)
    layers = [(np.random.randn(2, 3), np.random.randn(3)), (np.random.randn(3, 4), np.random.randn(4))]
    ex6 = dict(layers=layers, inputs=np.random.rand(10, 2), targets=np.random.rand(10, 4))
    return ex2, ex4, ex5, ex6


def test_seed000_exercise2_one_sigmoid_layer_gradients():
    """Exercises 2-3: one sigmoid layer, mse; autograd's and the hand-written gradients."""
    ex2 = seed000_stream()[0]
    net = nt.NeuralNetwork.from_weights([ex2["W"].T], [ex2["b"]], activation="sigmoid")
    [(dW, db)] = net.gradients(ex2["x"], ex2["target"], loss="mse")
    assert_printed(dW.T, [[0.0487215, 0.03127437],
                          [-0.04837692, -0.03105318],
                          [-0.01064921, -0.00683573]])
    assert_printed(db, [0.05313874, -0.05276291, -0.01161469])


def test_seed000_exercise3_intermediate_values():
    """Exercise 3: dC/da = 2 (a - y) / n and sigmoid'(z), read from the neurons."""
    ex2 = seed000_stream()[0]
    net = nt.NeuralNetwork.from_weights([ex2["W"].T], [ex2["b"]], activation="sigmoid")
    net.gradients(ex2["x"], ex2["target"], loss="mse")
    assert_printed([n.dL_da for n in net.layers[0]], [0.22071046, -0.21208637, -0.07439771])
    assert_printed([n.da_dz for n in net.layers[0]], [0.24076221, 0.2487803, 0.15611628])


def test_seed000_exercise4_two_sigmoid_layers():
    """Exercise 4: the next draws of the same stream, two sigmoid layers, mse."""
    ex4 = seed000_stream()[1]
    net = nt.NeuralNetwork.from_weights([ex4["W1"].T, ex4["W2"].T], [ex4["b1"], ex4["b2"]],
                                        activation="sigmoid")
    (dW1, db1), (dW2, db2) = net.gradients(ex4["x"], ex4["target"], loss="mse")
    assert_printed(dW1.T, [[0.00113143, 0.00028436],
                           [0.00150824, 0.00037906],
                           [0.00212856, 0.00053496]])
    assert_printed(db1, [0.00406726, 0.00542184, 0.00765174])
    assert_printed(dW2.T, [[0.01028658, 0.00774165, 0.00780708],
                           [0.00811599, 0.00610807, 0.00615969],
                           [0.01307522, 0.00984038, 0.00992354],
                           [0.00810123, 0.00609697, 0.00614849]])
    assert_printed(db2, [0.0138624, 0.01093727, 0.01762043, 0.01091738])


def test_seed000_exercise5_create_layers_sigmoid_relu():
    """Exercise 5: ``create_layers(2, [3, 4])`` with [sigmoid, ReLU], then x and target."""
    ex5 = seed000_stream()[2]
    W = [W.T for W, b in ex5["layers"]]
    b = [b for W, b in ex5["layers"]]
    net = nt.NeuralNetwork.from_weights(W, b, activation=["sigmoid", "relu"])
    (dW1, db1), (dW2, db2) = net.gradients(ex5["x"], ex5["target"], loss="mse")
    # The ReLU inputs are far from the kink, so the gradient is unambiguous.
    assert min(abs(n.z) for n in net.layers[1]) > 0.03
    assert_printed(dW1.T, [[-0.03411362, -0.10878774],
                           [0.0097726, 0.03116463],
                           [-0.00907399, -0.02893678]])
    assert_printed(db1, [-0.11125824, 0.03187236, -0.02959392])
    assert_printed(dW2.T, [[-0.04954165, -0.19894415, -0.26398387],
                           [0.0, 0.0, 0.0],
                           [0.00765355, 0.03073431, 0.04078211],
                           [0.03266426, 0.13116972, 0.17405231]])
    assert_printed(db2, [-0.42867566, 0.0, 0.06622488, 0.28263845])


def test_seed000_exercise6_batched_gradients_autograd_is_right():
    """Exercise 6, batched: the seed prints two answers that differ by a factor of 10.

    The seed's manual ``backpropagation_batch`` divides by ``n_samples`` twice:
    ``mse_der`` already returns ``2 (a - y) / a.size`` with ``a.size = n_samples *
    n_outputs``, and then ``dC_dW = layer_input.T @ dC_dz / n_samples`` and
    ``dC_db = np.mean(dC_dz, axis=0)`` divide by the 10 samples again. Its
    autograd answer is the gradient of the loss it defines (``mse`` over the
    batch): that one is right. neurotrace reproduces the autograd numbers, and
    an autograd gradient computed here agrees to 1e-12; the manual numbers are
    exactly a tenth of ours.
    """
    ex6 = seed000_stream()[3]
    W = [W for W, b in ex6["layers"]]            # create_layers_batch: already (n_in, n_out)
    b = [b for W, b in ex6["layers"]]
    X, Y = ex6["inputs"], ex6["targets"]
    net = nt.NeuralNetwork.from_weights(W, b, activation=["sigmoid", "relu"])
    (dW1, db1), (dW2, db2) = net.gradients(X, Y, loss="mse")
    assert min(np.min(np.abs(n.z)) for n in net.layers[1]) > 1e-3     # no ReLU kink hit

    printed_autograd = [
        ([[0.07050681, 0.13511092, -0.03828287],
          [0.07239938, 0.12731607, -0.0414871]], [0.09988302, 0.20285044, -0.05329297]),
        ([[0.0, 0.14205205, 0.0, 0.03801415],
          [0.0, 0.24564794, 0.0, 0.07735377],
          [0.0, 0.14127524, 0.0, 0.04436078]], [0.0, 0.45898975, 0.0, 0.1482161])]
    printed_manual = [
        ([[0.00705068, 0.01351109, -0.00382829],
          [0.00723994, 0.01273161, -0.00414871]], [0.0099883, 0.02028504, -0.0053293]),
        ([[0.0, 0.0142052, 0.0, 0.00380141],
          [0.0, 0.02456479, 0.0, 0.00773538],
          [0.0, 0.01412752, 0.0, 0.00443608]], [0.0, 0.04589897, 0.0, 0.01482161])]
    for (dW, db), (pW, pb) in zip([(dW1, db1), (dW2, db2)], printed_autograd):
        assert_printed(dW, pW)
        assert_printed(db, pb)
    for (dW, db), (pW, pb) in zip([(dW1, db1), (dW2, db2)], printed_manual):
        assert_printed(dW / 10, pW)
        assert_printed(db / 10, pb)

    def cost_batch(layers):                       # the seed's own cost, for autograd
        a = X
        for (Wl, bl), f in zip(layers, [lambda z: 1 / (1 + anp.exp(-z)),
                                        lambda z: anp.where(z > 0, z, 0)]):
            a = f(anp.dot(a, Wl) + bl)
        return anp.mean((a - Y) ** 2)
    reference = autograd.grad(cost_batch)(ex6["layers"])
    for (dW, db), (rW, rb) in zip([(dW1, db1), (dW2, db2)], reference):
        np.testing.assert_allclose(dW, rW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(db, rb, rtol=1e-12, atol=1e-15)


def seed000_iris_layers():
    """``np.random.seed(0)`` then ``create_layers_batch(4, [12, 10, 3])`` twice."""
    def create_layers_batch():
        layers, n_in = [], 4
        for n_out in [12, 10, 3]:
            layers.append((np.random.randn(n_in, n_out), np.random.randn(n_out)))
            n_in = n_out
        return layers
    np.random.seed(0)
    first = create_layers_batch()                # used by train_network_batch
    second = create_layers_batch()               # used by train_network_sgd_momentum
    return first, second


# The seed's printed loss: cross-entropy of the softmax output with 1e-9 inside the log.
SEED000_CE = nt.Loss("the week-42 exercises cross-entropy",
                     lambda p, y: -np.sum(y * np.log(p + 1e-9)) / len(y),
                     lambda p, y: -(y / (p + 1e-9)) / len(y))


def seed000_report(net, X, Y):
    P = net.predict(X)
    return round(SEED000_CE.value(P, Y), 4), round(float(np.mean(P.argmax(1) == Y.argmax(1))), 3)


def test_seed000_exercise7_iris_full_batch_training():
    """Exercise 7: iris, ReLU-ReLU-softmax, full-batch gradient descent, lr 0.01, 500 epochs.

    neurotrace's gradients of softmax + cross-entropy are used as they are. The
    seed's ``backpropagation_batch`` gets the weights right (``dC_dz = (p - y) /
    n`` then ``a.T @ dC_dz``) but takes ``db = np.mean(dC_dz, axis=0)``, dividing
    by ``n`` a second time: its bias gradient is 1/150 of the true one. To
    reproduce its printed losses the update below applies that same mistake to
    the biases (``b -= lr * db / n``); with the true bias gradient the numbers
    differ. The printed loss puts 1e-9 inside the log (a user-defined loss).
    """
    X, Y = one_hot_iris()
    layers = seed000_iris_layers()[0]
    net = nt.NeuralNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                        activation="relu", output_activation="softmax")
    printed = {0: (13.8155, 0.333), 100: (0.1942, 0.967), 200: (0.1331, 0.967),
               300: (0.1084, 0.967), 400: (0.0954, 0.967), 499: (0.0875, 0.973)}
    seen = {}
    for epoch in range(500):
        grads = net.gradients(X, Y, loss="cross_entropy")
        for (W, b), (dW, db) in zip(net.parameters(), grads):
            W -= 0.01 * dW
            b -= 0.01 * db / len(X)              # the seed's np.mean over an already-/n dC_dz
        if epoch in printed:
            seen[epoch] = seed000_report(net, X, Y)
    assert seen == printed


def test_seed000_exercise7_iris_sgd_with_momentum():
    """Exercise 7 b: mini-batch SGD with momentum 0.9 on iris, 1000 epochs.

    The call's last arguments are cut off in the seed; ``learning_rate=0.001,
    batch_size=8`` reproduces all eleven printed lines (the defaults, 0.01 and
    16, do not). The shuffles are ``np.random.permutation`` from the same
    stream. As in the full-batch test, the seed's bias gradient is divided by
    the batch size once too often, and that mistake is applied here to match.
    The vectorized backend runs it (same gradients as the neurons, see
    test_backends.py), to keep the test fast.
    """
    X, Y = one_hot_iris()
    layers = seed000_iris_layers()[1]
    net = nt.VectorizedNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                            activation="relu", output_activation="softmax")
    velocities = [(np.zeros_like(W), np.zeros_like(b)) for W, b in net.parameters()]
    printed = {0: (2.8019, 0.553), 100: (0.2493, 0.96), 200: (0.1984, 0.96),
               300: (0.1664, 0.96), 400: (0.1482, 0.96), 500: (0.1333, 0.96),
               600: (0.1246, 0.96), 700: (0.1178, 0.967), 800: (0.1105, 0.967),
               900: (0.107, 0.967), 999: (0.1004, 0.973)}
    seen = {}
    lr, momentum, batch_size = 0.001, 0.9, 8
    for epoch in range(1000):
        order = np.random.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            grads = net.gradients(X[batch], Y[batch], loss="cross_entropy")
            for j, ((W, b), (dW, db)) in enumerate(zip(net.parameters(), grads)):
                vW, vb = velocities[j]
                vW = momentum * vW - lr * dW
                vb = momentum * vb - lr * db / len(batch)     # the seed's extra 1/n
                W += vW
                b += vb
                velocities[j] = (vW, vb)
        if epoch in printed:
            seen[epoch] = seed000_report(net, X, Y)
    assert seen == printed


# ======================================================================================
# the week-41 exercises: "Exercises week 41" (feed-forward, np.random.seed(2024))
# ======================================================================================
def seed001_create_layers(n_inputs, sizes, transpose=False):
    layers = []
    for n_out in sizes:
        W = np.random.randn(n_out, n_inputs)
        layers.append((W.T if transpose else W, np.random.randn(n_out)))
        n_inputs = n_out
    return layers


def from_seed_layers(layers, activation, output_activation=None, batch_layout=False):
    W = [W if batch_layout else W.T for W, b in layers]
    return nt.NeuralNetwork.from_weights(W, [b for W, b in layers], activation=activation,
                                         output_activation=output_activation)


def seed001_stream():
    """The week-41 exercises' draws, cell by cell, and what each cell needs."""
    np.random.seed(2024)
    cells = {}
    x, W1 = np.random.randn(2), np.random.randn(4, 2)
    b1 = np.random.randn(4)
    cells["ex1"] = (x, W1, b1)
    np.random.randn(8, 4)                                     # exercise 2: W2 ...
    np.random.randn(8)                                        # ... and b2
    x = np.random.rand(8)
    cells["ex3"] = (x, seed001_create_layers(8, [10, 16, 6, 2]))
    layers = seed001_create_layers(8, [5, 8, 2])
    cells["ex4b"] = (np.random.randn(8), layers)
    layers = seed001_create_layers(8, [5, 8, 2])
    cells["ex4c"] = (np.random.randn(8), layers)
    inputs = np.random.rand(1000, 4)
    layers = seed001_create_layers(4, [12, 10, 3], transpose=True)
    np.random.randn(4)                                        # an unused x
    cells["ex5"] = (inputs, layers)
    cells["ex6"] = seed001_create_layers(4, [8, 3], transpose=True)
    return cells


def test_seed001_first_relu_layer():
    """Exercise 1: ``x = randn(2)``, ``W1 = randn(4, 2)``, ``b1 = randn(4)``, ReLU."""
    x, W1, b1 = seed001_stream()["ex1"]
    net = nt.NeuralNetwork.from_weights([W1.T], [b1], activation="relu")
    a1 = net.forward(x)
    assert a1.shape == (4,)
    assert_printed(a1, [0.60610368, 4.0076268, 0.0, 0.56469864])


def test_seed001_all_relu_network():
    """Exercise 3 c: an all-ReLU 8-10-16-6-2 network prints ``[5.36337158 0.]``."""
    x, layers = seed001_stream()["ex3"]
    assert_printed(from_seed_layers(layers, "relu").forward(x), [5.36337158, 0.0])


def test_seed001_one_activation_per_layer():
    """Exercise 4 b and c: [ReLU, ReLU, sigmoid] and [sigmoid, sigmoid, ReLU]."""
    cells = seed001_stream()
    x, layers = cells["ex4b"]
    assert_printed(from_seed_layers(layers, ["relu", "relu", "sigmoid"]).forward(x),
                   [0.99536949, 0.99825477])
    x, layers = cells["ex4c"]
    assert_printed(from_seed_layers(layers, ["sigmoid", "sigmoid", "relu"]).forward(x),
                   [0.0, 0.2621146])


def seed001_softmax_as_printed(layers, hidden, X):
    """The seed's batched ``softmax`` subtracts ``np.max(z, axis=0)``: the maximum of
    each *column* over the batch, not of each row. Softmax is unchanged by a shift
    of a row, not of a column, so the seed computes ``softmax(z - m)`` with ``m``
    the per-output maximum over the batch. That is a true softmax layer whose
    biases are lowered by ``m``, which is how it is reproduced here.
    """
    true = from_seed_layers(layers, hidden, "softmax", batch_layout=True)
    true.forward(X)
    m = np.max(np.stack([n.z for n in true.layers[-1]], axis=-1), axis=0)
    shifted = [b for W, b in layers[:-1]] + [layers[-1][1] - m]
    return nt.NeuralNetwork.from_weights([W for W, b in layers], shifted, activation=hidden,
                                         output_activation="softmax")


def test_seed001_batched_softmax_network():
    """Exercise 5 c: 1000 random inputs through ReLU-ReLU-softmax (rows printed: 3 + 3).

    The seed's softmax shifts by the batch maximum of each column (see
    ``seed001_softmax_as_printed``); its printed rows are softmax of the
    shifted logits, which a true softmax does not give.
    """
    inputs, layers = seed001_stream()["ex5"]
    P = seed001_softmax_as_printed(layers, "relu", inputs).forward(inputs)
    assert P.shape == (1000, 3)
    assert_printed(P[:3], [[0.41938167, 0.16304261, 0.41757572],
                           [0.54359295, 0.27391737, 0.18248969],
                           [0.04282971, 0.05088938, 0.90628091]])
    assert_printed(P[-3:], [[0.17210491, 0.78782673, 0.04006837],
                            [0.42757407, 0.53580191, 0.03662402],
                            [0.25239892, 0.21009272, 0.53750836]])
    true = from_seed_layers(layers, "relu", "softmax", batch_layout=True).forward(inputs)
    assert not np.allclose(true[:3], P[:3], atol=1e-3)        # the seed's mistake matters


def test_seed001_iris_predictions_and_accuracy():
    """Exercise 6: iris through sigmoid-softmax (8 hidden), accuracy 0.5666666666666667.

    The same column-maximum softmax as exercise 5; with a true softmax every
    flower gets class 2 and the accuracy is 1/3.
    """
    iris = load_iris()
    layers = seed001_stream()["ex6"]
    P = seed001_softmax_as_printed(layers, "sigmoid", iris.data).forward(iris.data)
    assert P.shape == (150, 3)
    assert_printed(P[:3], [[0.35533043, 0.33833531, 0.30633426],
                           [0.34719964, 0.30488091, 0.34791945],
                           [0.35230466, 0.33179949, 0.31589585]])
    assert_printed(P[50], [0.3990314, 0.15302865, 0.44793994])
    assert_printed(P[100], [0.41291747, 0.09042853, 0.496654])
    assert_printed(P[-2:], [[0.40939418, 0.10382788, 0.48677793],
                            [0.40711769, 0.1133591, 0.4795232]])
    assert np.mean(P.argmax(axis=1) == iris.target) == pytest.approx(0.5666666666666667, abs=1e-15)
    true = from_seed_layers(layers, "sigmoid", "softmax", batch_layout=True).forward(iris.data)
    assert np.mean(true.argmax(axis=1) == iris.target) == pytest.approx(1 / 3)


def test_seed001_cross_entropy_gradient_of_first_layer():
    """Exercise 7 b: ``layers_grad[0][0]``, autograd's gradient of the seed's cost.

    The seed's cost is ``sum(-y log softmax_seed(z))`` with its column-maximum
    softmax, summed (not averaged) over the 150 flowers. That is a loss of the
    output logits, so it is given to neurotrace as a user-defined loss on an
    identity output layer; the loss's own gradient with respect to the logits
    comes from autograd (as in the seed), and neurotrace backpropagates it
    through both layers.
    """
    X, Y = one_hot_iris()
    layers = seed001_stream()["ex6"]

    def seed_cost(Z, T):
        e = anp.exp(Z - anp.max(Z, axis=0))
        P = e / anp.sum(e, axis=1)[:, None]
        return anp.sum(-T * anp.log(P))
    cost = nt.Loss("the week-41 exercises cross-entropy", seed_cost, autograd.grad(seed_cost))
    net = from_seed_layers(layers, ["sigmoid", "identity"], batch_layout=True)
    dW1 = net.gradients(X, Y, loss=cost)[0][0]
    printed = np.array([
        [6.15771988e+00, 1.32178600e+01, -3.37513790e-01, 7.34124061e-01,
         1.74363807e+01, -2.51379562e+01, -1.56517758e+01, 6.07447280e-01],
        [4.79006830e+00, 9.08693599e+00, 4.32470811e-01, -6.87716375e-02,
         1.07744696e+01, -1.03477489e+01, -5.72754648e+00, 4.06014016e-01],
        [1.19391605e+00, 3.43629089e+00, -1.52177524e+00, 8.51621472e-01,
         6.21986863e+00, -1.43820516e+01, -6.31433860e+00, 1.65571350e-01],
        [9.20708882e-02, 4.71615263e-01, -6.20718974e-01, 2.71579813e-01,
         1.35949964e+00, -2.71905548e+00, 6.48539782e-01, 2.28152640e-02]])
    # printed with 9 significant digits
    np.testing.assert_allclose(dW1, printed, rtol=5e-9, atol=0)


# ======================================================================================
# a student's homework: a student's homework, the hand-built 1-4-1 ReLU network
# ======================================================================================
def seed002_network(hidden_w, hidden_b, out_w, out_b):
    return nt.NeuralNetwork.from_weights(
        [np.array([hidden_w], float), np.array(out_w, float).reshape(4, 1)],
        [np.array(hidden_b, float), np.array([out_b], float)], activation=["relu", "identity"])


def test_seed002_hand_built_relu_network():
    """Problem 3 c: the 1-4-1 ReLU network gives 0, -1, -3, -5 at x = 0, 1, 2, 3.

    Hidden weights (-1, 1, 1, -1) and biases (1, 1, -1, 1) are the seed's table
    (its Z columns at x = 0, 1, 2, 3); the output bias is 1 ("-4 after the
    summation, -3 after adding the final bias") and the output weights are
    (0, -1, -1, 0), the third number of each line of the worked example at
    x = 2 ("z2 = 3 -> 3 -> -1"). The four printed predictions only fix the first
    and last output weight up to their sum being 0.
    """
    net = seed002_network([-1, 1, 1, -1], [1, 1, -1, 1], [0, -1, -1, 0], 1)
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    np.testing.assert_array_equal(net.forward(X), [[0.0], [-1.0], [-3.0], [-5.0]])
    for x, y in zip([0.0, 1.0, 2.0, 3.0], [0.0, -1.0, -3.0, -5.0]):
        assert net.forward(np.array([x])).tolist() == [y]          # one sample at a time
    net.forward(X)                                                  # the seed's Z and ReLU tables
    Z = np.stack([n.z for n in net.layers[0]], axis=-1)
    A = np.stack([n.a for n in net.layers[0]], axis=-1)
    np.testing.assert_array_equal(Z, [[1, 1, -1, 1], [0, 2, 0, 0], [-1, 3, 1, -1], [-2, 4, 2, -2]])
    np.testing.assert_array_equal(A, [[1, 1, 0, 1], [0, 2, 0, 0], [0, 3, 1, 0], [0, 4, 2, 0]])
    net.forward(np.array([2.0]))                                    # x = 2, the worked example
    assert [n.z for n in net.layers[0]] == [-1.0, 3.0, 1.0, -1.0]


SEED002_D1 = [8, 6, 4, 2, 0, 2, 4, 2, 0, 2, 4, 6, 8]               # x = 0 .. 12
SEED002_D2 = [0, 1, 2, 3, 2, 1, 2, 3, 4, 5, 6]                     # x = 0 .. 10


def test_seed002_trial_weights_7_of_11_on_dataset_2():
    """Problem 3 a: w = 1, b = (-10, -10, -10, -4), output w = 1, b0 = 0: "7/11 for dataset 2"."""
    net = seed002_network([1, 1, 1, 1], [-10, -10, -10, -4], [1, 1, 1, 1], 0)
    pred = net.forward(np.arange(13.0)[:, None])[:, 0]
    np.testing.assert_array_equal(pred, [0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 10, 14])
    assert np.sum(pred[:11] == SEED002_D2) == 7


def test_seed002_trial_weights_2_of_13_on_dataset_1():
    """Problem 3 a: w = -1, b = 0, output w = 1, b0 = 8: "2/13" on dataset 1, 0 on dataset 2."""
    net = seed002_network([-1, -1, -1, -1], [0, 0, 0, 0], [1, 1, 1, 1], 8)
    pred = net.forward(np.arange(13.0)[:, None])[:, 0]
    np.testing.assert_array_equal(pred, [8] * 13)
    assert np.sum(pred == SEED002_D1) == 2
    assert np.sum(pred[:11] == SEED002_D2) == 0


# ======================================================================================
# the hands-on: the hand-out's Neuron and XOR (np.random.seed(42))
# ======================================================================================
def test_seed003_xor_training_as_the_handout_does_it():
    """XOR, 2-2-1 sigmoid, per-sample SGD with lr 0.5, 10000 epochs: the printed errors.

    The hand-out's ``Neuron.backpropagate`` updates its weights first and then
    returns ``d_2 * self.weights``: the error it sends uses the *updated*
    weights, which is not the gradient. neurotrace's ``Neuron.backward`` never
    updates and sends ``delta * w`` with the forward-pass weights. To reproduce
    the printed numbers this test drives ``nt.Neuron`` objects in the
    hand-out's order and sends ``neuron.delta * neuron.weights`` after the
    update, i.e. it makes the hand-out's mistake on purpose. Done correctly
    (sending ``neuron.backward``'s return value) the errors are 1.0046,
    0.7262, ..., not the printed 1.0047, 0.7280, ....

    Weights are drawn as the hand-out draws them: ``np.random.seed(42)``, then
    per neuron ``uniform(-1, 1, n_inputs)`` and ``uniform(-1, 1)``.
    """
    np.random.seed(42)

    def handout_neuron():
        w = np.random.uniform(-1, 1, 2)
        return nt.Neuron(2, "sigmoid", weights=w, bias=np.random.uniform(-1, 1))
    hidden = [handout_neuron(), handout_neuron()]
    output = handout_neuron()
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    T = np.array([0.0, 1.0, 1.0, 0.0])
    lr = 0.5

    def forward(x):
        return output.forward(np.array([n.forward(x) for n in hidden]))

    def step(neuron, dL_da):
        neuron.backward(dL_da)
        neuron.weights -= lr * neuron.grad_weights
        neuron.bias -= lr * neuron.grad_bias
        return neuron.delta * neuron.weights        # the hand-out: sent with updated weights

    printed = ["1.0047", "0.7280", "0.6700", "0.0292", "0.0122",
               "0.0075", "0.0054", "0.0042", "0.0035", "0.0029"]
    seen = []
    for epoch in range(10000):
        for x, t in zip(X, T):
            a = forward(x)
            sent = step(output, -(t - a))           # the hand-out's d_error
            for j, neuron in enumerate(hidden):
                step(neuron, sent[j])
        if epoch % 1000 == 0:
            seen.append(f"{sum((t - forward(x)) ** 2 for x, t in zip(X, T)):.4f}")
    assert seen == printed
    assert_printed([forward(x) for x in X], [0.02384224, 0.97261673, 0.97321771, 0.02207986])


def test_seed003_xor_done_correctly():
    """The same start and settings, with the error sent back from the forward-pass weights.

    ``nt.fit`` with per-sample SGD (lr 0.5, no shuffling, loss "sse") from the hand-out's
    initial weights: the totals differ from the printed ones from the first epoch on
    (1.0046 instead of 1.0047) and end lower (0.0017 instead of 0.0029 at epoch 9000).
    Tutorial 05 shows both runs; in CI it runs 3000 epochs, so the full run is here.
    """
    np.random.seed(42)
    start = [(np.random.uniform(-1, 1, 2), np.random.uniform(-1, 1)) for _ in range(3)]
    (w0, b0), (w1, b1), (w2, b2) = start
    net = nt.NeuralNetwork.from_weights([np.column_stack([w0, w1]), w2.reshape(2, 1)],
                                        [np.array([b0, b1]), np.array([b2])], activation="sigmoid")
    X, Y = nt.datasets.xor()
    totals = []
    for chunk in [1] + [1000] * 9:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=chunk, batch_size=1,
               shuffle=False, progress=False)
        totals.append(f"{np.sum((Y - net.predict(X)) ** 2):.4f}")
    assert totals == ["1.0046", "0.7262", "0.6798", "0.0386", "0.0085", "0.0047", "0.0032",
                      "0.0025", "0.0020", "0.0017"]
    nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=999, batch_size=1,
           shuffle=False, progress=False)
    assert_printed(net.predict(X)[:, 0], [0.02052829, 0.98156027, 0.9827203, 0.01888614])


# ======================================================================================
# the *Neural Networks from Scratch* notes: "Neural Networks from Scratch" notes
# ======================================================================================
def test_seed004_single_relu_neuron_200_steps():
    """One ReLU neuron, loss a**2, 200 steps of lr 0.001 from w = [-3, -1, 2], b = 1.

    The printed losses after the first differ from exact arithmetic in the 8th
    significant digit (iteration 2 prints 33.872397424621624, but one step from
    z = 6 gives z = 5.82 exactly, so L = 33.8724): the seed's run was not plain
    float64 (its notebook starts with ``nnfs.init()``, which changes numpy's
    defaults). The final weights agree to all printed digits anyway, the
    losses to 1e-6 relative.
    """
    n = nt.Neuron(3, "relu", weights=[-3.0, -1.0, 2.0], bias=1.0)
    x = np.array([1.0, -2.0, 3.0])
    losses = []
    for _ in range(200):
        a = n.forward(x)
        losses.append(a ** 2)                       # L = a**2 (target 0)
        n.backward(2 * a)                           # dL/da = 2 a
        n.weights -= 0.001 * n.grad_weights
        n.bias -= 0.001 * n.grad_bias
    assert losses[0] == 36.0
    np.testing.assert_allclose(
        [losses[1], losses[2], losses[99], losses[199]],
        [33.872397424621624, 31.87054345809546, 0.0865178816583512, 0.00019563773612380077],
        rtol=1e-6)
    assert_printed(n.weights, [-3.3990955, -0.20180899, 0.80271349])
    assert n.bias == pytest.approx(0.6009044964517248, abs=1e-9)     # printed: 0.6009045


SQUARED_SUM = nt.Loss("(sum a)^2",
                      lambda a, y: np.sum(a) ** 2,                     # L = (a_1 + a_2 + a_3)^2
                      lambda a, y: 2.0 * np.sum(a) * np.ones_like(a),  # dL/da_i = 2 sum(a)
                      "L = (sum a)^2")


def test_seed004_layer_of_three_relu_neurons_with_a_loss_of_ones_own():
    """A layer of 3 ReLU neurons, 4 inputs, loss (sum a)^2, 200 steps of lr 0.001.

    The seed runs the same code twice (cells [5] and [13]); the two printouts
    differ in the 7th significant digit (e.g. weight -0.0139779 vs -0.01397789;
    the first run was, like the single neuron above, not plain float64).
    neurotrace agrees with the second run to all printed digits, and with its
    printed losses to 1e-10 relative.
    """
    W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
    net = nt.NeuralNetwork.from_weights([W.T], [[0.1, 0.2, 0.3]], activation="relu")
    x, unused = np.array([1.0, 2.0, 3.0, 4.0]), np.zeros(3)
    losses = {}
    for iteration in range(200):
        grads = net.gradients(x, unused, loss=SQUARED_SUM)
        if iteration % 20 == 0:
            losses[iteration] = net.loss(x, unused, SQUARED_SUM)
        for (w, b), (dw, db) in zip(net.parameters(), grads):
            w -= 0.001 * dw
            b -= 0.001 * db
    printed_losses = {0: 466.56000000000006, 20: 5.32959636083938, 40: 0.41191523404899866,
                      60: 0.031836212079467595, 80: 0.002460565465389601,
                      100: 0.000190172825660145, 120: 1.4698126966451542e-05,
                      140: 1.1359926717815175e-06, 160: 8.779889800154524e-08,
                      180: 6.7858241357822796e-09}
    # 1e-10: the last losses (1e-8 and below) are differences of nearly equal numbers, and
    # their last digits depend on the order numpy sums a dot product in (its version, the CPU).
    np.testing.assert_allclose([losses[i] for i in printed_losses], list(printed_losses.values()),
                               rtol=1e-10)
    [(weights, biases)] = net.parameters()
    assert_printed(weights.T, [[-0.00698895, -0.01397789, -0.02096684, -0.02795579],
                               [0.25975286, 0.11950572, -0.02074143, -0.16098857],
                               [0.53548461, 0.27096922, 0.00645383, -0.25806156]])
    assert_printed(biases, [-0.00698895, -0.04024714, -0.06451539])


def test_seed004_gradient_with_respect_to_the_inputs():
    """Section 4: dL/dx_n = sum_i dL/dz_i w_in, what a layer sends to the layer before.

    No number is printed there; this checks the formula the section derives, on
    the layer of the previous test at its starting weights, against autograd.
    """
    W = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
    b = np.array([0.1, 0.2, 0.3])
    net = nt.NeuralNetwork.from_weights([W.T], [b], activation="relu")
    x = np.array([1.0, 2.0, 3.0, 4.0])
    a = net.forward(x)
    dx = net.backward(SQUARED_SUM.gradient(a, None))
    reference = autograd.grad(lambda x: anp.sum(anp.maximum(anp.dot(W, x) + b, 0.0)) ** 2)(x)
    np.testing.assert_allclose(dx, reference, rtol=1e-14)
    np.testing.assert_allclose(dx, 2 * 21.6 * W.sum(axis=0), rtol=1e-14)     # all z > 0
