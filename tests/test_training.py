"""fit: the same training on both backends, real learning, reproducibility, divergence, history.

Numbers reached (and asserted with a margin) are in the docstring of each test.
"""
import re

import numpy as np
import pytest

import neurotrace as nt

OPTIMIZERS = {
    "sgd": lambda: nt.SGD(lr=0.2),
    "momentum": lambda: nt.SGD(lr=0.1, momentum=0.9),
    "adam": lambda: nt.Adam(lr=0.02),
}
NETWORKS = {                                        # hidden, output activation and loss
    "softmax": ("tanh", "softmax", "cross_entropy"),
    "sigmoid": ("sigmoid", "sigmoid", "sse"),
}


def toy_data(n=10, n_inputs=4, n_outputs=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_inputs)), nt.datasets.one_hot(rng.integers(0, n_outputs, n),
                                                               n_outputs)


# --- both backends train alike --------------------------------------------------------------
@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize("batch_size", [1, 5, None], ids=["per-sample", "batch-5", "full-batch"])
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_both_backends_give_the_same_parameters_after_10_steps(optimizer, batch_size, network):
    hidden, output, loss = NETWORKS[network]
    X, Y = toy_data()
    steps_per_epoch = {1: 10, 5: 2, None: 1}[batch_size]
    neurons = nt.NeuralNetwork([4, 5, 3], hidden, output, seed=0)
    vectorized = neurons.to_vectorized()
    start = neurons.flat_parameters.copy()
    results = []
    for net in (neurons, vectorized):
        opt = OPTIMIZERS[optimizer]()
        hist = nt.fit(net, X, Y, loss=loss, optimizer=opt, epochs=10 // steps_per_epoch,
                      batch_size=batch_size, shuffle=True, seed=3, progress=False)
        assert opt.steps == 10
        results.append((net.flat_parameters.copy(), hist.loss))
    (p_neurons, loss_neurons), (p_vectorized, loss_vectorized) = results
    assert np.max(np.abs(p_neurons - start)) > 1e-3        # training did move the weights
    np.testing.assert_allclose(p_neurons, p_vectorized, rtol=0, atol=1e-12)
    np.testing.assert_allclose(loss_neurons, loss_vectorized, rtol=1e-12)


def test_per_sample_steps_see_one_sample_at_a_time_in_order():
    """batch_size=1, shuffle=False is the hands-on's loop: w -= lr * dL/dw for x0, x1, ... in turn."""
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], "sigmoid", init="uniform", seed=1)
    by_hand = nt.NeuralNetwork([2, 2, 1], "sigmoid", init="uniform", seed=1)
    nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=2, batch_size=1,
           shuffle=False, progress=False)
    for _ in range(2):
        for x, y in zip(X, Y):
            by_hand.backprop(x, y, "sse")
            by_hand.flat_parameters[...] -= 0.5 * by_hand.flat_gradients
    np.testing.assert_array_equal(net.flat_parameters, by_hand.flat_parameters)


# --- learning for real ----------------------------------------------------------------------
def test_xor_is_learned_per_sample():
    """XOR 2-2-1 sigmoid, U(-1, 1) weights from seed=1, per sample in the hands-on's order, sse,
    SGD lr 0.5, 3000 epochs: total squared error 0.0061 (the hands-on: 0.0029 after 9000).

    Seed 1 is one that works: with seeds 0, 3 and 4 this small network sticks in the
    plateau at about 0.5-0.7 that the hands-on sits on for its first 2000 epochs.
    """
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], "sigmoid", init="uniform", seed=1)
    hist = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=3000, batch_size=1,
                  shuffle=False, progress=False)
    out = net.predict(X)
    total_squared_error = float(np.sum((Y - out) ** 2))       # what the hands-on prints
    assert total_squared_error == pytest.approx(2 * hist.loss[-1], rel=1e-12)  # sse = ½ Σ
    assert total_squared_error < 0.05
    np.testing.assert_array_equal(out.round(), Y)
    assert hist.loss[-1] < hist.loss[0] / 50


def test_iris_is_learned():
    """Iris 4-8-3 tanh/softmax, SGD momentum 0.9, 50 epochs of batches of 16: test accuracy
    0.967 (29 of 30)."""
    Xtr, Xte, Ytr, Yte = nt.datasets.iris(one_hot=True, test_size=0.2, seed=42)
    net = nt.NeuralNetwork([4, 8, 3], "tanh", "softmax", seed=0)
    hist = nt.fit(net, Xtr, Ytr, loss="cross_entropy", optimizer=nt.SGD(lr=0.1, momentum=0.9),
                  epochs=50, batch_size=16, seed=0, progress=False,
                  validation_data=(Xte, Yte), metrics=["accuracy"])
    assert nt.accuracy(net.predict(Xte), Yte) >= 0.93
    assert hist.val_accuracy[-1] == nt.accuracy(net.predict(Xte), Yte)


@pytest.mark.parametrize("backend", [nt.VectorizedNetwork, nt.NeuralNetwork],
                         ids=["vectorized", "neurons-mini-batch"])
def test_digits_are_learned(backend):
    """Digits 64-32-10 relu/softmax, SGD momentum 0.9, 10 epochs of batches of 32: test
    accuracy 0.972 (350 of 360) on both backends."""
    Xtr, Xte, Ytr, Yte = nt.datasets.digits(one_hot=True, test_size=0.2, seed=42)
    net = backend([64, 32, 10], "relu", "softmax", init="he", seed=0)
    nt.fit(net, Xtr, Ytr, loss="cross_entropy", optimizer=nt.SGD(lr=0.1, momentum=0.9),
           epochs=10, batch_size=32, seed=0, progress=False)
    assert nt.accuracy(net.predict(Xte), Yte) >= 0.93


def test_quadratic_surface_is_learned():
    """y = (x1² + x2²) / 2 from 35 points, the hands-on's 2-4-4-1 sigmoid network, Adam lr 0.02,
    3000 full-batch epochs: MSE 0.0025 on the 40x40 grid (predicting the mean: 0.049)."""
    X, Y = nt.datasets.quadratic(35, seed=0)
    xx, yy, X_grid, Y_grid = nt.datasets.quadratic_grid(40)
    net = nt.NeuralNetwork([2, 4, 4, 1], "sigmoid", seed=0)
    nt.fit(net, X, Y, loss="mse", optimizer=nt.Adam(lr=0.02), epochs=3000, batch_size=None,
           seed=0, progress=False)
    grid_mse = float(np.mean((net.predict(X_grid) - Y_grid) ** 2))
    assert grid_mse < 0.005
    assert grid_mse < np.var(Y_grid) / 10


# --- reproducible ---------------------------------------------------------------------------
@pytest.mark.parametrize("backend", [nt.VectorizedNetwork, nt.NeuralNetwork],
                         ids=["vectorized", "neurons"])
def test_same_seed_same_result_bit_for_bit(backend):
    Xtr, Xte, Ytr, Yte = nt.datasets.iris(one_hot=True, test_size=0.2, seed=42)

    def run(seed):
        net = backend([4, 6, 3], "relu", "softmax", seed=7)
        hist = nt.fit(net, Xtr, Ytr, loss="cross_entropy", optimizer=nt.Adam(lr=0.01),
                      epochs=5, batch_size=8, shuffle=True, seed=seed, progress=False)
        return net.flat_parameters.tobytes(), hist.loss

    assert run(seed=11) == run(seed=11)
    assert run(seed=11)[0] != run(seed=12)[0]        # the seed does choose the order


# --- divergence -----------------------------------------------------------------------------
class RememberingSGD(nt.SGD):
    """SGD that keeps a copy of the parameters after each successful update."""

    def step(self, network):
        super().step(network)
        self.last_good = network.flat_parameters.copy()


@pytest.mark.parametrize("backend", [nt.VectorizedNetwork, nt.NeuralNetwork],
                         ids=["vectorized", "neurons"])
@pytest.mark.parametrize("batch_size", [1, 4, None], ids=["per-sample", "batch-4", "full-batch"])
def test_divergence_stops_at_the_last_good_parameters(backend, batch_size):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    net = backend([3, 4, 1], "identity", seed=0)        # nothing bounds an identity network
    opt = RememberingSGD(lr=1.0)
    opt.last_good = net.flat_parameters.copy()
    with pytest.raises(nt.TrainingDiverged, match="smaller learning rate") as caught:
        nt.fit(net, X, Y, loss="mse", optimizer=opt, epochs=1000, batch_size=batch_size,
               seed=0, progress=False)
    message = str(caught.value)
    epoch, step = map(int, re.search(r"at epoch (\d+), step (\d+)", message).groups())
    steps_per_epoch = {1: 20, 4: 5, None: 1}[batch_size]
    assert opt.steps == epoch * steps_per_epoch + step       # the step it names is the one
    assert "lr=1 now" in message and "lr=0.1" in message
    assert np.all(np.isfinite(net.flat_parameters))
    np.testing.assert_array_equal(net.flat_parameters, opt.last_good)


def test_divergence_leaves_what_the_epochs_before_it_made():
    """Independently of any bookkeeping: re-run the epochs before the failing one."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    net = nt.NeuralNetwork([3, 4, 1], "identity", seed=0)
    with pytest.raises(nt.TrainingDiverged) as caught:
        nt.fit(net, X, Y, optimizer=nt.SGD(lr=1.0), epochs=1000, batch_size=None, seed=0,
               progress=False)
    where = re.search(r"at epoch (\d+), step (\d+)", str(caught.value))
    epoch, step = int(where[1]), int(where[2])
    assert epoch > 0 and step == 0                   # full batch: one step per epoch
    again = nt.NeuralNetwork([3, 4, 1], "identity", seed=0)
    nt.fit(again, X, Y, optimizer=nt.SGD(lr=1.0), epochs=epoch, batch_size=None, seed=0,
           progress=False)
    np.testing.assert_array_equal(net.flat_parameters, again.flat_parameters)


def test_training_diverged_is_a_floating_point_error():
    assert issubclass(nt.TrainingDiverged, FloatingPointError)


# --- history and progress -------------------------------------------------------------------
def test_history_has_one_value_per_epoch():
    Xtr, Xte, Ytr, Yte = nt.datasets.iris(one_hot=True, test_size=0.2, seed=42)
    net = nt.VectorizedNetwork([4, 6, 3], "tanh", "softmax", seed=0)
    hist = nt.fit(net, Xtr, Ytr, loss="cross_entropy", optimizer=nt.SGD(lr=0.1), epochs=4,
                  batch_size=16, seed=0, progress=False, validation_data=(Xte, Yte),
                  metrics=["accuracy"])
    assert hist.epochs == [0, 1, 2, 3]
    for name in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert len(hist[name]) == 4 and all(isinstance(v, float) for v in hist[name])
    # The values are those of the network at the end of each epoch: check the last one.
    assert hist.loss[-1] == net.loss(Xtr, Ytr, "cross_entropy")
    assert hist.val_loss[-1] == net.loss(Xte, Yte, "cross_entropy")
    assert hist.accuracy[-1] == nt.accuracy(net.predict(Xtr), Ytr)
    assert hist.val_accuracy[-1] == nt.accuracy(net.predict(Xte), Yte)
    assert hist.loss[-1] < hist.loss[0]
    assert "4 epochs" in repr(hist)

    bare = nt.fit(net, Xtr, Ytr, loss="cross_entropy", epochs=2, progress=False)
    assert len(bare.loss) == 2 and bare.val_loss == [] and bare.accuracy == []
    assert sorted(bare.as_dict()) == ["epochs", "loss"]


def xor_run(progress, epochs):
    X, Y = nt.datasets.xor()
    net = nt.VectorizedNetwork([2, 2, 1], "sigmoid", seed=0)
    nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=epochs, batch_size=1,
           progress=progress)


def test_progress_false_prints_nothing(capsys):
    xor_run(progress=False, epochs=600)                 # 2400 steps: long enough for a bar
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_progress_bar_shows_on_a_long_run(capsys):
    xor_run(progress=True, epochs=600)
    captured = capsys.readouterr()
    assert "fit" in captured.err and "epoch" in captured.err
    assert captured.out == ""


def test_no_progress_bar_on_a_short_run(capsys):
    xor_run(progress=True, epochs=10)
    assert capsys.readouterr().err == ""


# --- bad arguments --------------------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (dict(batch_size=0), r"The 'batch_size' parameter of fit must be a positive integer"),
    (dict(batch_size=-3), r"'batch_size' parameter"),
    (dict(batch_size=2.5), r"'batch_size' parameter"),
    (dict(batch_size=True), r"'batch_size' parameter"),
    (dict(epochs=-1), r"The 'epochs' parameter of fit must be a non-negative integer"),
    (dict(epochs=1.5), r"'epochs' parameter"),
    (dict(metrics=["f1"]), r"The 'metrics' parameter of fit must list names from \['accuracy'\]"),
    (dict(loss="hinge"), r"The 'loss' parameter must be one of"),
    (dict(X=np.zeros(4)), r"fit: training inputs must be a batch of shape \(n_samples, 4\)"),
    (dict(X=np.zeros((2, 10, 4))), r"expected 4 inputs"),
    (dict(X=np.zeros((10, 5))), r"expected 4 inputs"),
    (dict(Y=np.zeros((10, 2))), r"targets must have the shape of the outputs, \(10, 3\)"),
    (dict(Y=np.zeros((9, 3))), r"targets must have the shape of the outputs, \(10, 3\)"),
    (dict(validation_data=(np.zeros((3, 4)), np.zeros((3, 1)))),
     r"fit: validation targets .*\(3, 3\)"),
], ids=["batch-0", "batch-neg", "batch-float", "batch-bool", "epochs-neg", "epochs-float",
        "metric", "loss", "X-1d", "X-3d", "X-width", "Y-width", "Y-rows", "validation"])
def test_bad_arguments_raise(change, message):
    X, Y = toy_data()
    net = nt.NeuralNetwork([4, 5, 3], "tanh", "softmax", seed=0)
    before = net.flat_parameters.copy()
    kwargs = dict(X=X, Y=Y, loss="cross_entropy", epochs=1, progress=False)
    kwargs.update(change)
    with pytest.raises(ValueError, match=message):
        nt.fit(net, **kwargs)
    np.testing.assert_array_equal(net.flat_parameters, before)   # nothing trained


def test_zero_epochs_train_nothing():
    X, Y = toy_data()
    net = nt.NeuralNetwork([4, 5, 3], "tanh", "softmax", seed=0)
    before = net.flat_parameters.copy()
    hist = nt.fit(net, X, Y, epochs=0, progress=False)
    assert hist.loss == [] and np.array_equal(net.flat_parameters, before)
