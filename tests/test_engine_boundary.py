"""The engine's public boundary (issues 9 and 10): what a caller holds never changes under
them, bad input is refused once with a message that names the layer, and fit's divergence
check covers the update, restores the last good parameters and says what went wrong."""
import numpy as np
import pytest

import neurotrace as nt

BACKENDS = [pytest.param(nt.NeuralNetwork, id="neurons"),
            pytest.param(nt.VectorizedNetwork, id="vectorized")]


def data(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.random((n, 2))


# --- what the caller holds ------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("one", [True, False], ids=["one-sample", "batch"])
def test_changing_x_between_forward_and_backward_changes_nothing(backend, one):
    X, Y = data()
    if one:
        X, Y = X[0], Y[0]
    net = backend([3, 4, 2], "tanh", seed=1)
    expected = net.gradients(X, Y, "sse")
    A = net.forward(X)
    X *= 10                                            # the caller's array, after forward
    net.backward(A - Y)                                # sse: dL/da = a - y
    for (dW, db), (eW, eb) in zip(net.parameter_gradients(), expected):
        np.testing.assert_array_equal(dW, eW)
        np.testing.assert_array_equal(db, eb)


@pytest.mark.parametrize("backend", BACKENDS)
def test_saved_gradients_do_not_change_at_the_next_backward(backend):
    X, Y = data()
    net = backend([3, 4, 2], "sigmoid", seed=1)
    net.backprop(X, Y, "mse")
    saved = net.parameter_gradients()
    copies = [(dW.copy(), db.copy()) for dW, db in saved]
    net.backprop(X[:2] * 3, Y[:2], "mse")              # other gradients now
    assert not np.array_equal(net.parameter_gradients()[0][0], copies[0][0])
    for (dW, db), (cW, cb) in zip(saved, copies):
        np.testing.assert_array_equal(dW, cW)
        np.testing.assert_array_equal(db, cb)


@pytest.mark.parametrize("one", [True, False], ids=["one-sample", "batch"])
def test_a_neurons_saved_gradient_and_sent_error_do_not_change(one):
    X, Y = data()
    if one:
        X, Y = X[0], Y[0]
    net = nt.NeuralNetwork([3, 4, 2], "tanh", seed=1)
    net.backprop(X, Y, "sse")
    neuron = net["L2.N1"]
    gw, sent = neuron.grad_weights, neuron.to_predecessors
    gw0, sent0 = gw.copy(), sent.copy()
    net.backprop(X * 2 + 1, Y, "sse")
    assert not np.array_equal(neuron.grad_weights, gw0)
    np.testing.assert_array_equal(gw, gw0)
    np.testing.assert_array_equal(sent, sent0)


def test_the_network_runs_the_neurons_public_methods(monkeypatch):
    """The neuron a student reads is the neuron that runs: count the public calls."""
    calls = []
    forward, backward = nt.Neuron.forward, nt.Neuron.backward
    monkeypatch.setattr(nt.Neuron, "forward",
                        lambda self, *a, **k: calls.append(("f", self.name)) or forward(self, *a, **k))
    monkeypatch.setattr(nt.Neuron, "backward",
                        lambda self, *a, **k: calls.append(("b", self.name)) or backward(self, *a, **k))
    net = nt.NeuralNetwork([3, 2, 1], seed=0)
    for X, Y in [data(1)[0][0], data(1)[1][0, :1]], [data()[0], data()[1][:, :1]]:
        calls.clear()
        net.backprop(X, Y, "mse")
        assert calls == [("f", "L1.N0"), ("f", "L1.N1"), ("f", "L2.N0"),
                         ("b", "L2.N0"), ("b", "L1.N0"), ("b", "L1.N1")]


# --- bad input, refused once at the boundary -------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_complex_input_is_refused(backend):
    net = backend([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"L1\).*inputs must be real numbers, got complex"):
        net.forward(np.array([1.0 + 2j, 0.5]))
    with pytest.raises(ValueError, match=r"^neuron: inputs must be real numbers"):
        nt.Neuron(2).forward(np.array([1j, 0.0]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_batch_says_so(backend):
    with pytest.raises(ValueError, match=r"\(layer L1\) got an empty batch, shape \(0, 2\): "
                                         r"expected at least one sample"):
        backend([2, 3, 1], seed=0).forward(np.ones((0, 2)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_width_names_layer_1_and_the_shape_expected(backend):
    with pytest.raises(ValueError, match=r"\(layer L1\) expected 2 inputs: an array of shape "
                                         r"\(2,\) or \(n_samples, 2\), got array of shape \(3,\)"):
        backend([2, 3, 1], seed=0).forward(np.ones(3))


# --- fit: divergence --------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_an_update_that_overflows_is_caught_and_undone(backend):
    X, Y = data()
    net = backend([3, 4, 2], "identity", seed=0)
    before = net.flat_parameters.copy()
    with pytest.raises(nt.TrainingDiverged, match="the update made a parameter NaN or inf") \
            as caught:                                  # lr * gradient > 1.8e308: inf
        nt.fit(net, X, 100 * Y, loss="sse", optimizer=nt.SGD(lr=1e308), epochs=3, batch_size=6,
               shuffle=False, progress=False)
    error = caught.value
    assert (error.epoch, error.step, error.quantity) == (0, 0, "update")
    assert "smaller learning rate" in str(error)
    np.testing.assert_array_equal(net.flat_parameters, before)    # the last good parameters
    assert isinstance(error.history, nt.History) and error.history.loss == []


def test_the_history_of_the_epochs_before_travels_with_the_error():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    net = nt.VectorizedNetwork([3, 4, 1], "identity", seed=0)
    with pytest.raises(nt.TrainingDiverged) as caught:
        nt.fit(net, X, Y, optimizer=nt.SGD(lr=1.0), epochs=1000, batch_size=None, seed=0,
               progress=False)
    error = caught.value
    assert error.epoch > 0 and error.step == 0
    assert len(error.history.loss) == error.epoch and error.history.epochs[-1] == error.epoch - 1
    assert error.quantity in ("loss", "gradient")


def test_a_loss_that_is_nan_from_the_start_is_not_blamed_on_the_learning_rate():
    X, Y = data()
    nan_loss = nt.losses.Loss("broken", lambda a, y: float("nan"), lambda a, y: a - y)
    net = nt.NeuralNetwork([3, 4, 2], seed=0)
    # a user's loss is checked where it is called (its name in the message), before
    # fit's divergence check could blame the learning rate
    with pytest.raises((nt.TrainingDiverged, ValueError), match="broken|learning rate is not") \
            as caught:
        nt.fit(net, X, Y, loss=nan_loss, epochs=2, progress=False)
    assert "smaller learning rate" not in str(caught.value)


def test_numpy_told_to_raise_is_not_called_divergence():
    X = np.array([[800.0, -800.0], [-800.0, 800.0]])   # saturates the sigmoids: exp underflows
    Y = np.array([[1.0], [0.0]])
    net = nt.VectorizedNetwork([2, 3, 1], "sigmoid", seed=0)
    before = net.flat_parameters.copy()
    with np.errstate(all="raise"):
        with pytest.raises(nt.TrainingDiverged, match=r"numpy raised FloatingPointError") \
                as caught:
            nt.fit(net, X, Y, loss="sse", epochs=2, progress=False)
    assert "smaller learning rate" not in str(caught.value)
    assert caught.value.quantity == "numpy"
    np.testing.assert_array_equal(net.flat_parameters, before)


# --- fit: what History.loss means ----------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_epoch_loss_steps_is_the_mean_of_the_steps_losses(backend):
    X, Y = data(7)
    net = backend([3, 4, 2], "tanh", seed=3)
    twin = nt.NeuralNetwork.from_network(net)
    hist = nt.fit(net, X, Y, loss="mse", optimizer=nt.SGD(lr=0.2), epochs=2, batch_size=3,
                  shuffle=False, progress=False, epoch_loss="steps")
    opt, expected = nt.SGD(lr=0.2), []
    for _ in range(2):                                  # the same steps, by hand
        losses = []
        for start in range(0, 7, 3):
            losses.append(twin.backprop(X[start:start + 3], Y[start:start + 3], "mse"))
            opt.step(twin)
        expected.append(np.mean(losses))
    np.testing.assert_allclose(hist.loss, expected, rtol=1e-12)
    end = nt.fit(backend([3, 4, 2], "tanh", seed=3), X, Y, loss="mse",
                 optimizer=nt.SGD(lr=0.2), epochs=2, batch_size=3, shuffle=False,
                 progress=False)                        # the default: the loss at the epoch's end
    assert end.loss[-1] == twin.loss(X, Y, "mse") or \
        end.loss[-1] == pytest.approx(twin.loss(X, Y, "mse"), rel=1e-12)
    with pytest.raises(ValueError, match="The 'epoch_loss' parameter of fit must be"):
        nt.fit(net, X, Y, epoch_loss="mean", progress=False)
