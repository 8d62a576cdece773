"""Tests of benchmarks.baselines: the comparison code the benchmark times.

No test here looks at a clock; timing is the benchmark's job.
"""

import math
import sys

import numpy as np
import pytest

from benchmarks import baselines as B

SIZES = (64, 32, 10)


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    X = d.data / 16.0
    Y = np.eye(10)[d.target]
    return X, Y


def _has(module):
    try:
        __import__(module)
    except Exception:
        return False
    return True


# --------------------------------------------------------------------------
# The hands-on per-neuron code: the hand-out's arithmetic, bug included
# --------------------------------------------------------------------------


def _exercise5_network():
    """Hand-out exercise 5: 1 input, 2 hidden neurons, 1 output neuron,
    every weight 0.5, every bias 0."""
    rng = np.random.default_rng(0)

    def neuron(n):
        nr = B.Seed003Neuron(n, B.sigmoid, B.sigmoid_derivative, rng)
        nr.weights = np.full(n, 0.5)
        nr.bias = 0.0
        return nr

    hidden = [neuron(1), neuron(1)]
    output = [neuron(2)]
    return B.Seed003NeuralNetwork([hidden], output), hidden, output


def test_per_neuron_one_step_matches_hand_computation_with_updated_weights_sent_back():
    net, hidden, output = _exercise5_network()
    x, t, lr = np.array([1.0]), np.array([0.0]), 0.8

    # by hand
    h = _sig(0.5 * 1.0 + 0.0)
    o = _sig(0.5 * h + 0.5 * h + 0.0)
    d2_o = -(t[0] - o) * o * (1 - o)
    w_o_new = 0.5 - lr * d2_o * h
    b_o_new = 0.0 - lr * d2_o
    sent_back = d2_o * w_o_new  # the hand-out sends back the UPDATED weight
    textbook = d2_o * 0.5  # what correct backprop would send back
    assert not math.isclose(sent_back, textbook)
    d2_h = sent_back * h * (1 - h)
    w_h_new = 0.5 - lr * d2_h * 1.0
    b_h_new = 0.0 - lr * d2_h

    net.backpropagate(x, t, lr)

    np.testing.assert_allclose(output[0].weights, [w_o_new, w_o_new], rtol=0, atol=1e-15)
    assert output[0].bias == pytest.approx(b_o_new, abs=1e-15)
    for n in hidden:
        np.testing.assert_allclose(n.weights, [w_h_new], rtol=0, atol=1e-15)
        assert n.bias == pytest.approx(b_h_new, abs=1e-15)
        # and not what it would be with the forward-pass weights
        assert n.weights[0] != pytest.approx(0.5 - lr * textbook * h * (1 - h), abs=1e-9)


def test_per_neuron_backpropagate_returns_delta_times_updated_weights():
    rng = np.random.default_rng(1)
    n = B.Seed003Neuron(3, B.sigmoid, B.sigmoid_derivative, rng)
    w0, b0 = n.weights.copy(), n.bias
    x = np.array([0.2, -0.4, 0.9])
    a = n.forward(x)
    assert a == pytest.approx(_sig(float(x @ w0) + b0), abs=1e-15)

    sent = n.backpropagate(0.7, 0.5)
    d2 = 0.7 * a * (1 - a)
    np.testing.assert_allclose(n.weights, w0 - 0.5 * d2 * x, rtol=0, atol=1e-15)
    assert n.bias == pytest.approx(b0 - 0.5 * d2, abs=1e-15)
    np.testing.assert_allclose(sent, d2 * n.weights, rtol=0, atol=1e-15)
    assert not np.allclose(sent, d2 * w0)


def test_per_neuron_init_uses_the_seeded_generator_like_np_random_uniform():
    a = B.make_seed003_network(SIZES, np.random.default_rng(7))
    b = B.make_seed003_network(SIZES, np.random.default_rng(7))
    wa = [n.weights for layer in a.hidden_layers + [a.output_layer] for n in layer]
    wb = [n.weights for layer in b.hidden_layers + [b.output_layer] for n in layer]
    assert len(wa) == 32 + 10
    for p, q in zip(wa, wb):
        np.testing.assert_array_equal(p, q)
    assert all(np.all(np.abs(w) <= 1) for w in wa)
    assert [len(layer) for layer in a.hidden_layers] == [32] and len(a.output_layer) == 10


# --------------------------------------------------------------------------
# The hands-on speedy (vectorized) code
# --------------------------------------------------------------------------


def test_speedy_one_step_matches_hand_computation():
    rng = np.random.default_rng(2)
    l1 = B.Seed003Layer(3, 2, B.sigmoid, B.sigmoid_derivative, rng=rng)
    l2 = B.Seed003Layer(2, 2, B.sigmoid, B.sigmoid_derivative, rng=rng)
    assert l1.weights.shape == (3, 2) and l1.biases.shape == (1, 2)
    W1, b1 = l1.weights.copy(), l1.biases[0].copy()
    W2, b2 = l2.weights.copy(), l2.biases[0].copy()
    net = B.Seed003SpeedyNeuralNetwork([l1, l2])
    X = np.array([[0.1, 0.5, -0.3], [0.9, -0.2, 0.4]])
    T = np.array([[1.0, 0.0], [0.0, 1.0]])
    lr = 0.3

    # by hand, one scalar at a time; gradients summed over the batch
    gW1, gb1 = np.zeros((3, 2)), np.zeros(2)
    gW2, gb2 = np.zeros((2, 2)), np.zeros(2)
    for s in range(2):
        h = [_sig(sum(X[s, i] * W1[i, j] for i in range(3)) + b1[j]) for j in range(2)]
        o = [_sig(sum(h[i] * W2[i, k] for i in range(2)) + b2[k]) for k in range(2)]
        d_o = [-(T[s, k] - o[k]) * o[k] * (1 - o[k]) for k in range(2)]
        for k in range(2):
            gb2[k] += d_o[k]
            for i in range(2):
                gW2[i, k] += h[i] * d_o[k]
        # error sent back with the forward-pass weights (the speedy code is right here)
        e_h = [sum(d_o[k] * W2[j, k] for k in range(2)) for j in range(2)]
        d_h = [e_h[j] * h[j] * (1 - h[j]) for j in range(2)]
        for j in range(2):
            gb1[j] += d_h[j]
            for i in range(3):
                gW1[i, j] += X[s, i] * d_h[j]

    net.backpropagate(X, T, lr)

    np.testing.assert_allclose(l2.weights, W2 - lr * gW2, rtol=0, atol=1e-14)
    np.testing.assert_allclose(l2.biases, [b2 - lr * gb2], rtol=0, atol=1e-14)
    np.testing.assert_allclose(l1.weights, W1 - lr * gW1, rtol=0, atol=1e-14)
    np.testing.assert_allclose(l1.biases, [b1 - lr * gb1], rtol=0, atol=1e-14)


def test_speedy_accepts_a_single_1d_sample():
    net = B.make_seed003_speedy_network((3, 2, 2), np.random.default_rng(3))
    net.backpropagate(np.array([0.1, 0.2, 0.3]), np.array([1.0, 0.0]), 0.1)
    assert net.forward(np.array([[0.1, 0.2, 0.3]])).shape == (1, 2)


# --------------------------------------------------------------------------
# Trainers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory, batch_size, lr",
    [
        (B.seed003_per_neuron_trainer, 1, 0.5),
        (B.seed003_speedy_trainer, 1, 0.5),
        (B.seed003_speedy_trainer, 8, 0.1),
    ],
)
def test_seed003_baselines_learn(digits, factory, batch_size, lr):
    X, Y = digits
    run = factory(X, Y, SIZES, batch_size, lr, 0, 100)
    assert run.n_samples == 100 and run.batch_size == batch_size
    losses = [run.loss()]
    for _ in range(4):
        run()
        losses.append(run.loss())
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.8 * losses[0]
    params = run.parameters()
    assert [(W.shape, b.shape) for W, b in params] == [((64, 32), (32,)), ((32, 10), (10,))]


def test_trainers_use_rows_in_order_and_leave_inputs_alone(digits):
    X, Y = digits
    X0, Y0 = X.copy(), Y.copy()
    run = B.seed003_per_neuron_trainer(X, Y, SIZES, 1, 0.2, 5, 3)
    run()
    ref = B.make_seed003_network(SIZES, np.random.default_rng(5))
    for x, t in zip(X[:3], Y[:3]):
        ref.backpropagate(x, t, 0.2)
    for got, want in zip(run.model.output_layer, ref.output_layer):
        np.testing.assert_array_equal(got.weights, want.weights)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_per_sample_only_baselines_reject_batches(digits):
    X, Y = digits
    assert B.PER_SAMPLE_ONLY == {"seed003-per-neuron", "micrograd"}
    with pytest.raises(ValueError):
        B.seed003_per_neuron_trainer(X, Y, SIZES, 32, 0.1, 0, 64)
    if _has("micrograd"):
        with pytest.raises(ValueError):
            B.micrograd_trainer(X, Y, SIZES, 32, 0.1, 0, 64)


def test_bad_arguments_raise(digits):
    X, Y = digits
    with pytest.raises(ValueError):
        B.seed003_speedy_trainer(X, Y, (64, 32, 9), 1, 0.1, 0, 10)
    with pytest.raises(ValueError):
        B.seed003_speedy_trainer(X, Y, SIZES, 0, 0.1, 0, 10)
    with pytest.raises(ValueError):
        B.seed003_speedy_trainer(X, Y, SIZES, 1, 0.1, 0, len(X) + 1)


@pytest.mark.parametrize("sigmoid_outputs", [False, True])
def test_sklearn_trainer_runs(digits, sigmoid_outputs):
    from sklearn.neural_network import MLPClassifier

    X, Y = digits
    run = B.sklearn_mlp_trainer(X, Y, SIZES, 32, 0.1, 0, 256, sigmoid_outputs=sigmoid_outputs)
    assert isinstance(run.model, MLPClassifier)
    run()
    first = run.loss()
    for _ in range(3):
        run()
    assert np.isfinite(first) and np.isfinite(run.loss())
    assert run.predict(X[:5]).shape == (5, 10)
    assert run.model.out_activation_ == ("logistic" if sigmoid_outputs else "softmax")
    assert run.model.batch_size == 32 and run.model.momentum == 0 and run.model.alpha == 0
    assert not run.model.shuffle
    assert [(W.shape, b.shape) for W, b in run.parameters()] == [((64, 32), (32,)), ((32, 10), (10,))]


@pytest.mark.skipif(not _has("torch"), reason="torch not installed")
def test_torch_trainer_computes_the_seed_speedy_sgd(digits):
    X, Y = digits
    t = B.torch_trainer(X, Y, SIZES, 4, 0.3, 11, 32)
    s = B.seed003_speedy_trainer(X, Y, SIZES, 4, 0.3, 11, 32)
    for (Wt, bt), (Ws, bs) in zip(t.parameters(), s.parameters()):
        np.testing.assert_array_equal(Wt, Ws)
        np.testing.assert_array_equal(bt, bs)
    t()
    s()
    for (Wt, bt), (Ws, bs) in zip(t.parameters(), s.parameters()):
        np.testing.assert_allclose(Wt, Ws, rtol=0, atol=1e-12)
        np.testing.assert_allclose(bt, bs, rtol=0, atol=1e-12)
    assert t.predict(X[:3]).dtype == np.float64


@pytest.mark.skipif(not _has("micrograd"), reason="micrograd not installed")
def test_micrograd_trainer_computes_the_seed_speedy_sgd(digits):
    X, Y = digits
    m = B.micrograd_trainer(X, Y, SIZES, 1, 0.3, 12, 3)
    s = B.seed003_speedy_trainer(X, Y, SIZES, 1, 0.3, 12, 3)
    m()
    s()
    for (Wm, bm), (Ws, bs) in zip(m.parameters(), s.parameters()):
        np.testing.assert_allclose(Wm, Ws, rtol=0, atol=1e-12)
        np.testing.assert_allclose(bm, bs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(m.predict(X[:2]), s.predict(X[:2]), rtol=0, atol=1e-12)


# --------------------------------------------------------------------------
# "Skipped: <reason>" when a package is missing
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, modules, reason",
    [
        ("torch-cpu", ["torch"], "torch not installed"),
        ("micrograd", ["micrograd", "micrograd.nn", "micrograd.engine"], "micrograd not installed"),
        ("sklearn-mlp", ["sklearn.neural_network"], "scikit-learn not installed"),
    ],
)
def test_missing_package_raises_baseline_unavailable(monkeypatch, digits, name, modules, reason):
    X, Y = digits
    for mod in modules:
        monkeypatch.setitem(sys.modules, mod, None)  # makes `import mod` fail
    with pytest.raises(B.BaselineUnavailable) as info:
        B.BASELINES[name](X, Y, SIZES, 1, 0.1, 0, 8)
    assert info.value.reason == reason == str(info.value)
    assert B.build_baseline(name, X, Y, SIZES, 1, 0.1, 0, 8) == (None, reason)


def test_build_baseline_returns_the_run_when_available(digits):
    X, Y = digits
    run, reason = B.build_baseline("seed003-speedy", X, Y, SIZES, 32, 0.1, 0, 64)
    assert reason is None and callable(run) and run.name == "seed003-speedy"


# --------------------------------------------------------------------------
# Timing helper (structure only; no clock assertions)
# --------------------------------------------------------------------------


def test_time_per_sample_structure():
    calls = []
    result = B.time_per_sample(lambda: calls.append(1), 10, repeats=3, warmup=2)
    assert len(calls) == 5
    assert set(result) >= {"median", "min", "times"}
    assert len(result["times"]) == 3
    assert result["n_samples"] == 10 and result["repeats"] == 3 and result["warmup"] == 2
    assert result["median"] in result["times"] or len(result["times"]) % 2 == 0


# --------------------------------------------------------------------------
# The floors: neurotrace's arithmetic alone, the same numbers as nt.fit
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name, backend, batch_size", [
    ("floor-per-neuron", "NeuralNetwork", 1),
    ("floor-vectorized", "VectorizedNetwork", 32),
    ("floor-vectorized", "VectorizedNetwork", 7),
])
def test_a_floor_computes_what_fit_computes_to_the_bit(digits, name, backend, batch_size):
    import neurotrace as nt
    from benchmarks import floors
    X, Y = digits
    run = floors.FLOORS[name](X, Y, SIZES, batch_size, 0.1, 3, 100)
    run()
    run()                                   # two passes: the second starts where fit's does
    net = getattr(nt, backend)(list(SIZES), activation="sigmoid", seed=3)
    nt.fit(net, X[:100], Y[:100], loss="sse", optimizer=nt.SGD(lr=0.1), epochs=2,
           batch_size=batch_size, shuffle=False, progress=False, warn=False)
    for (W, b), (W_ref, b_ref) in zip(run.parameters(), net.parameters()):
        assert np.array_equal(W, W_ref) and np.array_equal(b, b_ref)
    assert np.allclose(run.predict(X[:20]), net.predict(X[:20]), rtol=0, atol=1e-12)
    assert not np.array_equal(run.parameters()[0][0], nt.NeuralNetwork(
        list(SIZES), seed=3).parameters()[0][0])              # it did train


@pytest.mark.parametrize("name", ["floor-per-neuron", "floor-vectorized"])
def test_a_floor_keeps_fits_guarantee_on_divergence(digits, name):
    """Like fit: the step whose update is not finite raises, and the parameters are those
    of the last good step (here the first step fails: the initial ones)."""
    import neurotrace as nt
    from benchmarks import floors
    X, Y = digits
    run = floors.FLOORS[name](X, Y, SIZES, 1, 1e308, 0, 3)
    before = [(W.copy(), b.copy()) for W, b in run.parameters()]
    with pytest.raises(FloatingPointError, match="diverged"):
        run()
    for (W, b), (W0, b0) in zip(run.parameters(), before):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)
    net = nt.NeuralNetwork(list(SIZES), activation="sigmoid", seed=0)   # fit does the same
    with pytest.raises(nt.TrainingDiverged) as caught:
        nt.fit(net, X[:3], Y[:3], loss="sse", optimizer=nt.SGD(lr=1e308), batch_size=1,
               shuffle=False, progress=False)
    assert (caught.value.step, caught.value.quantity) == (0, "update")


def test_the_per_neuron_floor_takes_one_sample_per_step(digits):
    from benchmarks import floors
    X, Y = digits
    with pytest.raises(ValueError, match="batch_size must be 1"):
        floors.lean_per_neuron_trainer(X, Y, SIZES, 2, 0.1, 0, 10)


def test_the_traced_floor_keeps_what_a_trace_keeps_the_same_numbers(digits):
    """What its time stands for: every value nt.trace keeps of a step, equal to the bit."""
    import neurotrace as nt
    from benchmarks import floors
    X, Y = digits
    run = floors.lean_traced_per_neuron_trainer(X, Y, SIZES, 1, 0.1, 5, 12)
    run()
    run()
    net = nt.NeuralNetwork(list(SIZES), activation="sigmoid", seed=5)
    with nt.trace(net) as t:
        nt.fit(net, X[:12], Y[:12], loss="sse", optimizer=nt.SGD(lr=0.1), epochs=2,
               batch_size=1, shuffle=False, progress=False, warn=False)
    assert len(run.steps) == 12 and t.steps == list(range(24))
    for kept, step in zip(run.steps, (t[k] for k in range(12, 24))):   # the second pass
        assert kept["loss"] == step.loss and np.array_equal(kept["targets"], step.targets)
        for l, layer in enumerate(kept["layers"]):
            for q in ("z", "a", "dL_da", "da_dz", "delta"):
                assert np.array_equal(layer[q], step.layer_values(l, q)), (step.id, l, q)
            for j in range(SIZES[l + 1]):
                name = f"L{l + 1}.N{j}"
                assert np.array_equal(layer["x"], step.forward[name]["x"])
                n_in = SIZES[l]
                start = sum((a + 1) * b for a, b in zip(SIZES[:l], SIZES[1:l + 1]))
                row = slice(start + j * (n_in + 1), start + (j + 1) * (n_in + 1))
                assert np.array_equal(layer["w"][row][:-1], step.update[name]["weights_before"])
                assert np.array_equal(kept["after"][row][:-1], step.update[name]["weights_after"])
                assert kept["after"][row][-1] == step.update[name]["bias_after"]
