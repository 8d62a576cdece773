"""The tracer: every recorded number checked against an independent computation, the limits,
the queries, save/load, and that the engine pays nothing outside a trace."""
import time
import warnings

import numpy as np
import pytest

import neurotrace as nt
from neurotrace.trace_data import QUANTITIES
from neurotrace.tracer import DEFAULT_MAX_BYTES

autograd = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")

TOL = 1e-12          # hand-computed numbers and the other backend
AG_TOL = 1e-10       # autograd


# --- a random 3-4-2 network and data ------------------------------------------------------

def make_net(hidden="sigmoid", output="identity", seed=3, vectorized=False):
    net = nt.NeuralNetwork([3, 4, 2], activation=hidden, output_activation=output, seed=seed)
    return net.to_vectorized() if vectorized else net


def make_data(n=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    Y = np.eye(2)[rng.integers(0, 2, size=n)]        # one-hot: fine for mse and cross-entropy
    return X, Y


def run(net, X, Y, loss, optimizer, batch_size, epochs=1, **limits):
    with nt.trace(net, **limits) as t:
        nt.fit(net, X, Y, loss=loss, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
               shuffle=False, progress=False)
    return t


def layer_array(step, l, quantity, n):
    """Layer ``l`` (1-based) of a step as one array, neurons on the last axis."""
    return np.stack([np.asarray(step.record(f"L{l}.N{j}")[quantity]) for j in range(n)], axis=-1)


def sent_array(step, l, n, predecessors):
    """The errors layer ``l`` sent: ``[..., j, i]`` = what neuron j sent to predecessor i."""
    return np.stack([np.stack([np.asarray(step.backward[f"L{l}.N{j}"]["to_predecessors"][p])
                               for p in predecessors], axis=-1) for j in range(n)], axis=-2)


def close(actual, expected, tol=TOL):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), expected, rtol=0, atol=tol)


# --- independent computations ----------------------------------------------------------------

ACT = {"sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
       "tanh": (np.tanh, lambda z, a: 1 - a ** 2)}
AG_ACT = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh}


def ag_output(z2, output):
    if output == "identity":
        return z2
    e = anp.exp(z2 - anp.max(z2, axis=-1, keepdims=True))
    return e / anp.sum(e, axis=-1, keepdims=True)


def ag_loss_of_output(a2, y, loss):
    if loss == "mse":
        return anp.mean((a2 - y) ** 2)
    n = 1 if a2.ndim == 1 else a2.shape[0]
    return -anp.sum(y * anp.log(a2)) / n


def check_step_against_autograd(step, W1, b1, W2, b2, x, y, hidden, output, loss, n_samples):
    f = AG_ACT[hidden]

    def loss_of_params(params):
        W1_, b1_, W2_, b2_ = params
        return ag_loss_of_output(ag_output(f(x @ W1_ + b1_) @ W2_ + b2_, output), y, loss)

    gW1, gb1, gW2, gb2 = autograd.grad(loss_of_params)([W1, b1, W2, b2])
    close(layer_array(step, 1, "grad_weights", 4), gW1, AG_TOL)
    close(layer_array(step, 1, "grad_bias", 4), gb1, AG_TOL)
    close(layer_array(step, 2, "grad_weights", 2), gW2, AG_TOL)
    close(layer_array(step, 2, "grad_bias", 2), gb2, AG_TOL)
    close(step.loss, loss_of_params([W1, b1, W2, b2]), AG_TOL)

    a1 = f(x @ W1 + b1)
    dL_da1 = autograd.grad(lambda a: ag_loss_of_output(ag_output(a @ W2 + b2, output), y, loss))(a1)
    close(layer_array(step, 1, "dL_da", 4), dL_da1, AG_TOL)
    z2 = a1 @ W2 + b2
    if output == "identity":
        dL_da2 = autograd.grad(lambda a: ag_loss_of_output(a, y, loss))(z2)
        close(layer_array(step, 2, "dL_da", 2), dL_da2, AG_TOL)
    dL_dz2 = autograd.grad(lambda z: ag_loss_of_output(ag_output(z, output), y, loss))(z2)
    close(layer_array(step, 2, "delta", 2), dL_dz2, AG_TOL)


CASES = [(hidden, output, loss, bs, momentum)
         for hidden in ("sigmoid", "tanh")
         for output, loss in (("identity", "mse"), ("softmax", "cross_entropy"))
         for bs in (1, 4)
         for momentum in (0.0, 0.9)]


@pytest.mark.parametrize("hidden,output,loss,batch_size,momentum", CASES)
def test_every_recorded_value_matches_hand_and_autograd(hidden, output, loss, batch_size,
                                                        momentum):
    X, Y = make_data(12)
    net = make_net(hidden, output)
    # The starting parameters, then training simulated by hand from them.
    (W1, b1), (W2, b2) = [(w.copy(), b.copy()) for w, b in net.parameters()]
    lr = 0.3
    t = run(net, X, Y, loss, nt.SGD(lr=lr, momentum=momentum), batch_size)
    n_steps = 12 // batch_size
    assert t.steps == list(range(n_steps)) and n_steps >= 3
    f, fprime = ACT[hidden]
    velocity = [np.zeros_like(p) for p in (W1, b1, W2, b2)]

    for k in t.steps:
        s = t[k]
        index = np.arange(k * batch_size, (k + 1) * batch_size)
        x, y = (X[index[0]], Y[index[0]]) if batch_size == 1 else (X[index], Y[index])
        n_samples = 1 if batch_size == 1 else batch_size
        assert np.array_equal(np.ravel(s.batch), index) and s.epoch == 0
        assert (s.n_samples is None) == (batch_size == 1)

        # Forward, by hand.
        z1 = x @ W1 + b1
        a1 = f(z1)
        z2 = a1 @ W2 + b2
        if output == "identity":
            a2 = z2
            L = np.mean((a2 - y) ** 2)
        else:
            e = np.exp(z2 - z2.max(axis=-1, keepdims=True))
            a2 = e / e.sum(axis=-1, keepdims=True)
            L = -np.sum(y * np.log(a2)) / n_samples
        for j in range(4):
            close(s.forward[f"L1.N{j}"]["x"], x)
        for j in range(2):
            close(s.forward[f"L2.N{j}"]["x"], a1)
        close(layer_array(s, 1, "z", 4), z1)
        close(layer_array(s, 1, "a", 4), a1)
        close(layer_array(s, 2, "z", 2), z2)
        close(layer_array(s, 2, "a", 2), a2)
        close(s.loss, L)
        close(s.targets, y)
        assert s.loss_name == loss

        # Backward, by hand.
        if output == "identity":
            dL_da2 = 2 * (a2 - y) / a2.size
            delta2 = dL_da2 * 1.0
            close(layer_array(s, 2, "dL_da", 2), dL_da2)
            close(layer_array(s, 2, "da_dz", 2), np.ones_like(z2))
            assert not s.fused
        else:
            delta2 = (a2 - y) / n_samples                 # fused softmax + cross-entropy
            assert s.fused
            close(s.probabilities, a2)
            for j in range(2):
                assert "dL_da" not in s.backward[f"L2.N{j}"]
                assert "da_dz" not in s.backward[f"L2.N{j}"]
        dL_da1 = delta2 @ W2.T
        fp1 = fprime(z1, a1)
        delta1 = dL_da1 * fp1
        close(layer_array(s, 2, "delta", 2), delta2)
        close(layer_array(s, 1, "dL_da", 4), dL_da1)
        close(layer_array(s, 1, "da_dz", 4), fp1)
        close(layer_array(s, 1, "delta", 4), delta1)

        gW1 = np.outer(x, delta1) if x.ndim == 1 else x.T @ delta1
        gW2 = np.outer(a1, delta2) if a1.ndim == 1 else a1.T @ delta2
        gb1, gb2 = delta1.sum(axis=0) if x.ndim == 2 else delta1, \
            delta2.sum(axis=0) if x.ndim == 2 else delta2
        close(layer_array(s, 1, "grad_weights", 4), gW1)
        close(layer_array(s, 1, "grad_bias", 4), gb1)
        close(layer_array(s, 2, "grad_weights", 2), gW2)
        close(layer_array(s, 2, "grad_bias", 2), gb2)

        # The errors sent back: neuron j to predecessor i gets delta_j * w_ji (per sample).
        close(sent_array(s, 2, 2, [f"L1.N{i}" for i in range(4)]),
              delta2[..., :, None] * W2.T)
        close(sent_array(s, 1, 4, ["x0", "x1", "x2"]), delta1[..., :, None] * W1.T)

        check_step_against_autograd(s, W1, b1, W2, b2, x, y, hidden, output, loss, n_samples)

        # The update, by hand.
        close(layer_array(s, 1, "weights_before", 4), W1)
        close(layer_array(s, 1, "bias_before", 4), b1)
        close(layer_array(s, 2, "weights_before", 2), W2)
        close(layer_array(s, 2, "bias_before", 2), b2)
        params = [W1, b1, W2, b2]
        for p, g, v in zip(params, [gW1, gb1, gW2, gb2], velocity):
            if momentum:
                v *= momentum
                v -= lr * g
                p += v
            else:
                p -= lr * g
        close(layer_array(s, 1, "weights_after", 4), W1)
        close(layer_array(s, 1, "bias_after", 4), b1)
        close(layer_array(s, 2, "weights_after", 2), W2)
        close(layer_array(s, 2, "bias_after", 2), b2)
        if momentum:
            vW1, vb1, vW2, vb2 = velocity
            close(layer_array(s, 1, "velocity_weights", 4), vW1)
            close(layer_array(s, 1, "velocity_bias", 4), vb1)
            close(layer_array(s, 2, "velocity_weights", 2), vW2)
            close(layer_array(s, 2, "velocity_bias", 2), vb2)
        else:
            assert "velocity_weights" not in s.update["L1.N0"]
        assert s.optimizer["name"] == "SGD" and s.optimizer["lr"] == lr
        assert s.optimizer["steps"] == k + 1

    # The network ends where the hand simulation ends.
    close(net.parameters()[0][0], W1)
    close(net.parameters()[1][1], b2)


# --- both backends give the same trace --------------------------------------------------------

def assert_values_equal(a, b, tol=TOL, where=""):
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), where
        for key in a:
            assert_values_equal(a[key], b[key], tol, f"{where}/{key}")
    elif a is None or isinstance(a, (str, bool)):
        assert a == b, where
    else:
        assert np.shape(a) == np.shape(b), where
        close(a, np.asarray(b, dtype=float), tol)


@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("output,loss", [("identity", "mse"), ("softmax", "cross_entropy")])
def test_neuron_and_vectorized_traces_are_equal(batch_size, output, loss):
    X, Y = make_data(12)
    traces = []
    for vectorized in (False, True):
        net = make_net("tanh", output, seed=5, vectorized=vectorized)
        traces.append(run(net, X, Y, loss, nt.SGD(lr=0.2, momentum=0.5), batch_size))
    t_neurons, t_vec = traces
    assert t_neurons.backend == "NeuralNetwork" and t_vec.backend == "VectorizedNetwork"
    assert t_neurons.steps == t_vec.steps == list(range(12 // batch_size))
    n_values = 0
    for k in t_neurons.steps:
        a, b = t_neurons[k], t_vec[k]
        for attr in ("loss", "loss_name", "fused", "epoch", "targets", "probabilities", "batch",
                     "n_samples"):
            assert_values_equal(getattr(a, attr), getattr(b, attr), where=f"step {k} {attr}")
        assert a.optimizer == b.optimizer
        for layer in [[f"L1.N{j}" for j in range(4)], ["L2.N0", "L2.N1"]]:
            for name in layer:
                ra, rb = a.record(name), b.record(name)
                assert sorted(ra) == sorted(rb)
                assert_values_equal(ra, rb, where=f"step {k} {name}")
                n_values += len(ra)
    assert n_values > 0
    assert len(t_neurons.records()) == len(t_vec.records())


# --- limits -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_trace():
    X, Y = make_data(12)
    return run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1), X, Y


def limited(X, Y, **limits):
    return run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1, **limits)


def test_limit_steps_range_slice_every(full_trace):
    t_all, X, Y = full_trace
    assert t_all.steps == list(range(12)) and t_all.skipped == 0
    for limits, expected in [({"steps": range(2, 5)}, [2, 3, 4]),
                             ({"steps": slice(1, 9, 3)}, [1, 4, 7]),
                             ({"steps": slice(9, None)}, [9, 10, 11]),
                             ({"steps": [0, 5, 11]}, [0, 5, 11]),
                             ({"every": 3}, [0, 3, 6, 9])]:
        t = limited(X, Y, **limits)
        assert t.steps == expected, limits
        assert t.skipped == 12 - len(expected)
        assert not t.thinned
        # Kept steps are the same numbers as in a full trace.
        for k in expected:
            assert_values_equal(t[k].record("L1.N0"), t_all[k].record("L1.N0"))
        missing = next(k for k in range(12) if k not in expected)
        with pytest.raises(KeyError, match="not recorded"):
            t[missing]


def test_limit_neurons_may_skip_a_whole_layer():
    """neurons=["L1.N1", "L3"] on a 3-layer network records no L2 (the recorder once looked
    L2 up to find L3's inputs and failed with KeyError: 1)."""
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 2, 1], seed=0)
    with nt.trace(net) as t_all:
        nt.fit(net, X, Y, epochs=1, shuffle=False, progress=False, warn=False)
    net = nt.NeuralNetwork([2, 3, 2, 1], seed=0)
    with nt.trace(net, neurons=["L1.N1", "L3"]) as t:
        nt.fit(net, X, Y, epochs=1, shuffle=False, progress=False, warn=False)
    assert list(t[0].forward) == ["L1.N1", "L3.N0"]
    for name in ("L1.N1", "L3.N0"):
        assert_values_equal(t[0].record(name), t_all[0].record(name))


def test_limit_neurons_keeps_exactly_those(full_trace):
    t_all, X, Y = full_trace
    t = limited(X, Y, neurons=["L1.N0", "L2"])
    kept = ["L1.N0", "L2.N0", "L2.N1"]
    for k in t.steps:
        assert list(t[k].forward) == kept
        for name in kept:
            assert_values_equal(t[k].record(name), t_all[k].record(name))
        for name in ["L1.N1", "L1.N2", "L1.N3"]:
            assert name not in t[k].forward
            with pytest.raises(KeyError, match="not recorded"):
                t[k].forward[name]
            with pytest.raises(KeyError, match="not recorded"):
                t[k].backward[name]
            with pytest.raises(KeyError, match="not recorded"):
                t[k].update[name]
    with pytest.raises(KeyError, match="not recorded"):
        t.series("L1.N3", "z")
    assert {r["node"] for r in t.records()} == {"loss", *kept}
    assert t.limits["neurons"] == ["L1.N0", "L2"]


def test_limit_quantities_keeps_exactly_those(full_trace):
    t_all, X, Y = full_trace
    t = limited(X, Y, quantities=["z", "delta"])
    for k in t.steps:
        for layer in t.node_names():
            for name in layer:
                record = t[k].record(name)
                assert sorted(record) == ["delta", "z"]
                assert_values_equal(record, {q: t_all[k].record(name)[q] for q in record})
                assert sorted(t[k].forward[name]) == ["z"]
                assert sorted(t[k].backward[name]) == ["delta"]
                assert dict(t[k].update[name]) == {}
        assert t[k].loss is None and t[k].targets is None
        str(t[k])                                           # the table still prints
    with pytest.raises(KeyError, match="not recorded"):
        t[0].forward["L1.N0"]["a"]
    with pytest.raises(KeyError, match="not recorded"):
        t[0].backward["L2.N1"]["grad_weights"]
    with pytest.raises(KeyError, match="not recorded"):
        t[0].update["L2.N1"]["weights_after"]
    with pytest.raises(KeyError, match="not recorded"):
        t.series("L1.N0", "a")
    with pytest.raises(KeyError, match="not recorded"):
        t.series("loss")
    assert t.series("L1.N0", "z").shape == (12,)
    with pytest.raises(ValueError, match="quantities"):
        limited(X, Y, quantities=["zz"])


# What each quantity name shows in a neuron's record (the optimizer state as its own names).
SHOWN = {"optimizer_state": {"velocity_weights", "velocity_bias", "velocity_weights_before",
                             "velocity_bias_before"},
         "loss": set(), "targets": set(), "probabilities": set()}


@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("quantity", QUANTITIES)
def test_each_quantity_alone_keeps_only_itself(quantity, batch_size):
    X, Y = make_data(8)
    t = run(make_net(output="softmax"), X, Y, "cross_entropy", nt.SGD(lr=0.1, momentum=0.9),
            batch_size, quantities=[quantity])
    full = run(make_net(output="softmax"), X, Y, "cross_entropy",
               nt.SGD(lr=0.1, momentum=0.9), batch_size)
    assert t.steps == full.steps
    shown = SHOWN.get(quantity, {quantity})
    for k in t.steps:
        for layer in t.node_names():
            for name in layer:
                record = t[k].record(name)
                expected = {q for q in shown if q in full[k].record(name)}
                assert set(record) == expected, (quantity, name, sorted(record))
                assert_values_equal(record, {q: full[k].record(name)[q] for q in expected})
        for attr in ("loss", "targets", "probabilities"):
            value = getattr(t[k], attr)
            assert (value is not None) == (attr == quantity)
            if value is not None:
                assert_values_equal(value, getattr(full[k], attr))


def digits_epoch(**limits):
    """One epoch of digits (64-32-10), one sample per step, traced; returns (trace, seconds)."""
    Xtr, _, Ytr, _ = nt.datasets.digits(test_size=0.2)
    assert Xtr.shape == (1437, 64)
    net = nt.NeuralNetwork([64, 32, 10], activation="sigmoid", output_activation="softmax",
                           seed=0)
    start = time.perf_counter()
    t = run(net, Xtr, Ytr, "cross_entropy", nt.SGD(lr=0.05), 1, **limits)
    return t, time.perf_counter() - start


def assert_thinned_evenly(t, n_steps, cap):
    assert 0 < t.nbytes <= cap
    steps = np.array(t.steps)
    assert steps[0] == 0 and len(steps) + t.skipped == n_steps
    assert len(set(np.diff(steps))) == 1                    # evenly spaced
    assert t.thinned and all("memory cap" in message and "t.thinned" in message
                             for message in t.thinned)


def test_default_cap_holds_for_a_per_sample_epoch_of_digits():
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        t, seconds = digits_epoch()
    cap_warnings = [w for w in warned if "memory cap" in str(w.message)]
    assert 0 < t.nbytes <= DEFAULT_MAX_BYTES
    # Whatever it had to drop, it says so: in the trace, and once as a warning.
    assert len(cap_warnings) == (1 if t.thinned else 0) and len(warned) == len(cap_warnings)
    if t.thinned:
        assert_thinned_evenly(t, 1437, DEFAULT_MAX_BYTES)
    else:
        assert t.steps == list(range(1437)) and t.skipped == 0
    assert t[t.steps[-1]].backward["L1.N31"]["grad_weights"].shape == (64,)
    print(f"\ndigits 64-32-10, one epoch per sample, default limits: {len(t.steps)} of 1437 "
          f"steps kept, {t.nbytes / 2**20:.1f} MiB (cap {DEFAULT_MAX_BYTES / 2**20:.0f} MiB), "
          f"thinned {len(t.thinned)}x, {seconds:.2f} s")


def test_a_digits_epoch_over_its_cap_is_thinned_and_says_so():
    cap = 8 * 2 ** 20
    with pytest.warns(RuntimeWarning, match="memory cap") as warned:
        t, seconds = digits_epoch(max_bytes=cap)
    assert len(warned) == 1
    assert_thinned_evenly(t, 1437, cap)
    assert len(t.steps) >= 50                               # thinned, not emptied
    assert "one in 2" in str(warned[0].message) and "max_bytes" in str(warned[0].message)
    print(f"\ndigits with an 8 MiB cap: {len(t.steps)} steps kept, {t.nbytes / 2**20:.1f} MiB, "
          f"thinned {len(t.thinned)}x, {seconds:.2f} s")


def test_tiny_cap_thins_to_evenly_spaced_steps():
    X, Y = nt.datasets.xor()
    X, Y = np.tile(X, (10, 1)), np.tile(Y, (10, 1))         # 40 steps
    full = run(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, "sse", nt.SGD(lr=0.5), 1)
    assert full.steps == list(range(40)) and not full.thinned
    cap = full.nbytes // 5
    with pytest.warns(RuntimeWarning, match="memory cap") as warned:
        t = run(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, "sse", nt.SGD(lr=0.5), 1,
                max_bytes=cap)
    assert len(warned) == 1
    assert t.nbytes <= cap
    assert len(t.thinned) >= 2                              # thinned more than once
    steps = np.array(t.steps)
    assert steps[0] == 0 and 3 <= len(steps) <= 20
    assert len(set(np.diff(steps))) == 1
    assert len(steps) + t.skipped == 40
    with pytest.raises(KeyError, match="thinned"):
        t[1]


# --- query ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def traces():
    X, Y = make_data(8)
    per_sample = run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1)
    batches = run(make_net(output="softmax"), X, Y, "cross_entropy",
                  nt.SGD(lr=0.1, momentum=0.9), 4, epochs=2)
    return per_sample, batches


def test_steps_and_step_access(traces):
    t, tb = traces
    assert t.steps == list(range(8)) and len(t) == 8
    assert tb.steps == list(range(4)) and [s.epoch for s in tb] == [0, 0, 1, 1]
    s = t[3]
    assert isinstance(s.forward["L1.N0"]["z"], float)
    assert isinstance(s.backward["L2.N0"]["delta"], float)
    assert s.update["L1.N0"]["weights_after"].shape == (3,)
    assert isinstance(s.loss, float)
    assert tb[1].forward["L1.N0"]["z"].shape == (4,)
    assert tb[1].backward["L1.N0"]["to_predecessors"]["x2"].shape == (4,)
    assert tb[1].forward["L2.N1"]["x"].shape == (4, 4)


def test_series_shapes(traces):
    t, tb = traces
    delta = t.series("L1.N0", "delta")
    assert delta.shape == (8,)
    assert np.array_equal(delta, [t[k].backward["L1.N0"]["delta"] for k in t.steps])
    assert tb.series("L1.N0", "delta").shape == (4, 4)       # (n_steps, batch)
    assert t.series("L2.N1", "grad_weights").shape == (8, 4)
    loss = t.series("loss")
    assert loss.shape == (8,) and np.array_equal(loss, [s.loss for s in t])
    assert np.array_equal(tb.series("loss", "loss"), [s.loss for s in tb])
    with pytest.raises(KeyError, match="not recorded"):
        t.series("L1.N0", "no_such_quantity")
    with pytest.raises(KeyError, match="No neuron"):
        t.series("L5.N0", "z")


def test_tidy_records_and_dataframe(traces):
    t, tb = traces
    for trace in (t, tb):
        rows = trace.records()
        expected = sum(1 + sum(len(s.record(n)) for layer in trace.node_names() for n in layer)
                       for s in trace)
        assert len(rows) == expected
        keys = [(r["step"], r["node"], r["quantity"]) for r in rows]
        assert len(set(keys)) == len(keys)                   # one row per step x node x quantity
        assert all(set(r) == {"step", "node", "quantity", "value"} for r in rows)
        for r in rows[:40]:
            if r["node"] == "loss":
                assert r["value"] == trace[r["step"]].loss
            else:
                assert_values_equal(r["value"], trace[r["step"]].record(r["node"])[r["quantity"]])
        nodes = {r["node"] for r in rows}
        assert nodes == {"loss", "L1.N0", "L1.N1", "L1.N2", "L1.N3", "L2.N0", "L2.N1"}
    pd = pytest.importorskip("pandas")
    df = t.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(t.records())
    assert list(df.columns) == ["step", "node", "quantity", "value"]
    z = df[(df.node == "L1.N2") & (df.quantity == "z")].sort_values("step")["value"]
    assert np.array_equal(z.to_numpy(dtype=float), t.series("L1.N2", "z"))


def test_printed_table_and_html(traces):
    t, tb = traces
    for s, sample in ((t[2], 0), (tb[1], 2)):
        text = str(s) if sample == 0 else s.table(sample=sample)
        for name in ["L1.N0", "L1.N3", "L2.N0", "L2.N1"]:
            assert name in text
        z = s.forward["L1.N1"]["z"]
        z = z if np.ndim(z) == 0 else z[sample]
        assert f"{z:.4g}" in text
        assert f"{s.loss:.4g}" in text
        html = s._repr_html_()
        assert html.startswith("<pre>") and "L2.N1" in html
    assert "fused" in str(tb[0])
    assert "sample 2 of a batch of 4" in tb[1].table(sample=2)
    assert "Trace(8 steps" in repr(t)


def test_unknown_names_and_steps_raise_helpful_key_errors(traces):
    t, _ = traces
    for bad in ["L3.N0", "L1.N4", "x0", "loss", "L1", "nonsense"]:
        with pytest.raises(KeyError, match="No neuron"):
            t[0].forward[bad]
    with pytest.raises(KeyError, match=r"Step 99 was not recorded.*recorded steps"):
        t[99]
    with pytest.raises(KeyError, match="was not recorded for L1.N0 at step 0"):
        t[0].update["L1.N0"]["velocity_weights"]


# --- save and load ----------------------------------------------------------------------------

def assert_bit_equal(a, b, where):
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), where
        for key in a:
            assert_bit_equal(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), where
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), where
    else:
        assert type(a) is type(b) and a == b, (where, a, b)


def assert_traces_identical(t, t2):
    for attr in ("steps", "sizes", "activation_names", "recorded_rows", "quantities", "backend",
                 "limits", "thinned", "skipped"):
        assert getattr(t2, attr) == getattr(t, attr), attr
    for k in t.steps:
        a, b = t[k], t2[k]
        for attr in ("id", "loss", "loss_name", "fused", "epoch", "targets", "probabilities",
                     "batch", "optimizer", "n_samples"):
            assert_bit_equal(getattr(a, attr), getattr(b, attr), f"step {k} {attr}")
        for layer in t.node_names():
            for name in layer:
                if name in a.forward:
                    for part in ("forward", "backward", "update"):
                        assert_bit_equal(dict(getattr(a, part)[name]),
                                         dict(getattr(b, part)[name]), f"step {k} {name} {part}")
    assert len(t2.records()) == len(t.records())


def test_save_load_is_exact(traces, tmp_path):
    X, Y = make_data(8)
    limited_trace = run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1, neurons=["L1.N2", "L2"],
                        steps=range(1, 7), quantities=["x", "z", "delta", "weights_after"])
    for i, t in enumerate([*traces, limited_trace]):
        path = tmp_path / f"run{i}.trace.npz"
        t.save(path)
        with np.load(path, allow_pickle=False) as data:      # no pickles inside
            for key in data.files:
                data[key]
        t2 = nt.Trace.load(path)
        assert isinstance(t2, nt.Trace)
        assert_traces_identical(t, t2)
    assert limited_trace.limits["steps"] == "range(1, 7)"


@pytest.mark.parametrize("limits", [{"steps": range(1, 40, 2)}, {"every": 3},
                                    {"steps": slice(5, None)}])
def test_thinning_keeps_evenly_spaced_steps_of_those_asked_for(limits):
    X, Y = nt.datasets.xor()
    X, Y = np.tile(X, (10, 1)), np.tile(Y, (10, 1))         # 40 steps
    wanted = run(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, "sse", nt.SGD(lr=0.5), 1, **limits)
    cap = wanted.nbytes // 4
    with pytest.warns(RuntimeWarning, match="memory cap"):
        t = run(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, "sse", nt.SGD(lr=0.5), 1,
                max_bytes=cap, **limits)
    assert 0 < t.nbytes <= cap
    assert set(t.steps) <= set(wanted.steps) and t.steps[0] == wanted.steps[0]
    positions = [wanted.steps.index(k) for k in t.steps]   # evenly spaced among those wanted
    assert len(t.steps) >= 2 and len(set(np.diff(positions))) == 1
    assert len(t.steps) + t.skipped == 40


def test_save_load_keeps_thinning(tmp_path):
    X, Y = make_data(12)
    cap = run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1).nbytes // 3
    with pytest.warns(RuntimeWarning, match="memory cap"):
        t = run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1, max_bytes=cap)
    assert t.thinned
    t.save(tmp_path / "thin.npz")
    t2 = nt.Trace.load(tmp_path / "thin.npz")
    assert_traces_identical(t, t2)
    assert t2.thinned == t.thinned and t2.skipped == t.skipped > 0


def test_load_rejects_corrupt_and_foreign_files(traces, tmp_path):
    t, _ = traces
    good = tmp_path / "good.npz"
    t.save(good)
    data = good.read_bytes()
    bad = tmp_path / "bad.npz"
    for cut in (0, 10, len(data) // 2, len(data) - 1):
        bad.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="not a readable neurotrace trace"):
            nt.Trace.load(bad)
    middle = len(data) // 2
    bad.write_bytes(data[:middle] + bytes(64) + data[middle + 64:])
    with pytest.raises(ValueError, match="neurotrace trace"):
        nt.Trace.load(bad)
    bad.write_bytes(b"this is not a trace at all" * 20)
    with pytest.raises(ValueError, match="not a readable neurotrace trace"):
        nt.Trace.load(bad)

    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.arange(3.0))
    with pytest.raises(ValueError, match="not a readable neurotrace trace"):
        nt.Trace.load(foreign)
    np.savez(foreign, __header__=np.array('{"format": "something-else"}'))
    with pytest.raises(ValueError, match="not a neurotrace trace"):
        nt.Trace.load(foreign)
    npy = tmp_path / "array.npy"
    np.save(npy, np.arange(3.0))
    with pytest.raises(ValueError, match="not a readable neurotrace trace"):
        nt.Trace.load(npy)
    with pytest.raises(FileNotFoundError):
        nt.Trace.load(tmp_path / "missing.npz")


# --- the engine outside a trace ---------------------------------------------------------------

@pytest.mark.parametrize("vectorized", [False, True])
def test_recorder_is_removed_after_the_block(vectorized):
    X, Y = make_data(8)
    net = make_net(vectorized=vectorized)
    assert net.recorder is None
    with nt.trace(net) as t:
        assert net.recorder is not None
        net.backprop(X, Y, "mse")
    assert net.recorder is None and t.steps == [0]
    with pytest.raises(ZeroDivisionError):
        with nt.trace(net):
            net.backprop(X, Y, "mse")
            raise ZeroDivisionError
    assert net.recorder is None
    net.backprop(X, Y, "mse")                                # nothing records now
    assert t.steps == [0]


def test_traces_do_not_nest():
    net, other = make_net(), make_net(seed=4)
    with nt.trace(net) as t:
        with pytest.raises(RuntimeError, match="nest"):
            with nt.trace(net):
                pass
        assert net.recorder is not None                      # the outer trace still records
        with nt.trace(other) as t_other:                     # another network: fine
            other.backprop(np.zeros(3), np.zeros(2), "mse")
        net.backprop(np.zeros(3), np.zeros(2), "mse")
    assert net.recorder is None and other.recorder is None
    assert t.steps == [0] and t_other.steps == [0]


@pytest.mark.parametrize("vectorized", [False, True])
def test_predict_and_loss_evaluation_are_not_steps(vectorized):
    X, Y = make_data(12)
    net = make_net(output="softmax", vectorized=vectorized)
    with nt.trace(net) as t:
        net.predict(X)
        net.loss(X, Y, "cross_entropy")
        assert t.steps == []
        nt.fit(net, X, Y, loss="cross_entropy", optimizer=nt.SGD(lr=0.1), epochs=3,
               batch_size=5, shuffle=True, seed=0, validation_data=(X[:4], Y[:4]),
               metrics=["accuracy"], progress=False)
        net.predict(X[:2])
    assert len(t.steps) == 3 * 3                             # batches (5, 5, 2) x epochs
    assert [s.epoch for s in t] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert [len(s.batch) for s in t] == [5, 5, 2] * 3
    for s in t:                                              # each step saw its own batch
        close(s.forward["L1.N0"]["x"], X[s.batch])


def test_no_warning_without_thinning(recwarn):
    X, Y = make_data(12)
    run(make_net(), X, Y, "mse", nt.SGD(lr=0.1), 1)
    assert len(recwarn) == 0


def _parameters_before_each_step(net, X, Y, steps):
    """Replays fit's per-sample steps by hand: the flat parameters before each one."""
    before, opt = [], nt.SGD(lr=0.5)
    for k in range(steps):
        before.append(net.flat_parameters.copy())
        net.backprop(X[k % len(X)], Y[k % len(Y)], "sse")
        opt.step(net)
    return before


def _recorded_before(t, step, net):
    return np.concatenate([np.append(t[step].update[name]["weights_before"],
                                     t[step].update[name]["bias_before"])
                           for layer in net.node_names() for name in layer])


@pytest.mark.parametrize("every", [1, 2, 3])
def test_weights_before_are_the_weights_each_step_started_from(every):
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 1], seed=4)
    expected = _parameters_before_each_step(nt.NeuralNetwork([2, 3, 1], seed=4), X, Y, 12)
    with nt.trace(net, every=every) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=3, batch_size=1,
               shuffle=False, progress=False)
    assert t.steps == list(range(0, 12, every))
    for k in t.steps:
        np.testing.assert_array_equal(_recorded_before(t, k, net), expected[k])
        for name in ("L1.N0", "L2.N0"):   # the sent errors use the same weights
            sent = t[k].backward[name]["to_predecessors"]
            w = t[k].update[name]["weights_before"]
            assert list(sent.values()) == list(t[k].backward[name]["delta"] * w)


def test_weights_changed_between_two_fits_are_seen():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, shuffle=False, progress=False)
        net["L1.N0"].weights[0] = 5.0                  # a student edits a weight in place
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, shuffle=False, progress=False)
    assert t[4].update["L1.N0"]["weights_before"][0] == 5.0
    assert t[3].update["L1.N0"]["weights_after"][0] != 5.0


def test_negative_index_is_counted_from_the_last_recorded_step():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net, every=3) as t:
        nt.fit(net, X, Y, loss="sse", epochs=2, batch_size=1, shuffle=False, progress=False)
    assert t.steps == [0, 3, 6]
    assert t[-1].id == 6 and t[-3].id == 0
    with pytest.raises(KeyError, match="not recorded"):
        t[-4]


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_the_trace_keeps_the_inputs_and_targets_it_was_given_not_the_callers_arrays(backend):
    """The trace keeps the network's own copies: changing the caller's arrays afterwards
    changes nothing recorded, by hand (backprop copies what it checks) or inside fit."""
    X, Y = nt.datasets.xor()
    X, Y = X.copy(), Y.copy()
    net = backend([2, 3, 1], seed=0)
    with nt.trace(net) as t:
        net.backprop(X[0], Y[0], "sse")
        net.backprop(X, Y, "sse")
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=2, shuffle=False, progress=False)
    X[...], Y[...] = 7.0, 7.0
    first, batch = t[0], t[1]
    assert first.forward["L1.N0"]["x"].tolist() == [0.0, 0.0] and first.targets.tolist() == [0.0]
    assert batch.forward["L1.N0"]["x"].tolist() == nt.datasets.xor()[0].tolist()
    assert batch.targets.tolist() == nt.datasets.xor()[1].tolist()
    assert t[3].targets.tolist() == nt.datasets.xor()[1][2:].tolist()


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_a_thinned_trace_keeps_no_whole_data_set_alive(backend):
    """A batch of fit is a view into fit's copy of the data: kept as a copy of its own, so
    keeping one step in a hundred holds a hundredth of the data, not all of it."""
    rng = np.random.default_rng(0)
    X, Y = rng.random((400, 8)), rng.random((400, 2))
    net = backend([8, 3, 2], seed=0)
    with nt.trace(net, every=100) as t:
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, progress=False, warn=False)
    stores = [t[k].data for k in t.steps]
    kept = [s["targets"] for s in stores] + [s["layers"][0]["x"] for s in stores]
    for value in kept:
        assert value.base is None or value.base.nbytes <= 2 * value.nbytes
