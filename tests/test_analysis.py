"""what_if, contributions, compare and diagnose: asking questions of a recorded run."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import neurotrace as nt


def traced(net, X, Y, loss="sse", optimizer=None, **fit):
    fit.setdefault("progress", False)
    fit.setdefault("warn", False)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss=loss, optimizer=optimizer or nt.SGD(lr=0.5), **fit)
    return t


# --- what if ----------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
@pytest.mark.parametrize("make_optimizer", [lambda: nt.SGD(lr=0.5, momentum=0.9),
                                            lambda: nt.Adam(lr=0.05)])
def test_what_if_replays_exactly_and_follows_the_first_order_prediction(backend, make_optimizer):
    X, Y = nt.datasets.xor()
    t = traced(backend([2, 3, 1], seed=1), X, Y, optimizer=make_optimizer(), epochs=4,
               batch_size=2, shuffle=False)
    same = t.what_if("L1.N1", "w0", by=0.0, step=2, steps=3)
    assert same.changes == [] and same.loss_after == t[2].loss       # the replay is exact
    assert np.array_equal(same.curves[0], same.curves[1])
    for name, p in (("L1.N1", "w0"), ("L2.N0", "b"), ("L1.N2", "b")):
        w = t.what_if(name, p, by=1e-4, step=2)
        grad = t[2].backward[name]["grad_bias" if p == "b" else "grad_weights"]
        assert w.predicted == pytest.approx(np.ravel(grad)[0 if p != "b" else 0] * 1e-4)
        assert abs(w.change - w.predicted) <= 0.01 * abs(w.predicted), (name, p)
        assert w.step.id == 2 and w.step.loss == w.loss_after
        assert ("forward", name, "w" if p != "b" else "b") in [c[:3] for c in w.changes]
    far = t.what_if("L2.N0", "w1", by=0.5, step=1, steps=4)
    before, after = far.curves
    assert len(before) == len(after) == 5 and before[0] == t[1].loss
    assert np.array_equal(before[1:], [t[k].loss for k in range(2, 6)])
    assert not np.array_equal(before, after)
    assert "what if L2.N0.w1 had been +0.5 different at step 1" in str(far)
    with pytest.raises(ValueError, match="continues on the recorded batches"):
        t.what_if("L2.N0", "w1", by=0.5, step=2, steps=10)


# --- per-sample shares ----------------------------------------------------------------------

def test_contributions_add_up_to_the_gradient():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(16, 4)), np.eye(3)[rng.integers(0, 3, 16)]
    net = nt.NeuralNetwork([4, 8, 3], activation="relu", output_activation="softmax", seed=0)
    t = traced(net, X, Y, loss="cross_entropy", batch_size=8, shuffle=False)
    for k in t.steps:
        for layer in t.node_names():
            for name in layer:
                b = t[k].backward[name]
                n_in = len(b["grad_weights"])
                for q in [f"w{i}" for i in range(n_in)] + ["b"]:
                    shares = t.contributions(name, q, step=k)
                    used = b["grad_bias"] if q == "b" else b["grad_weights"][int(q[1:])]
                    assert shares.shape == (8,)
                    assert abs(shares.sum() - used) <= 1e-15
    fig = nt.viz.contributions_plot(t, "L1.N3", "w2", step=1)
    assert "L1.N3" in fig.axes[0].get_title() and len(fig.axes[0].patches) == 8


# --- compare: the hand-out's neuron against the correct one ----------------------------------

class HandoutNeuron(nt.Neuron):
    """The hand-out's neuron: it updates its weights, then sends its error back with them.

    The update itself is left to the optimizer (the same lr), so the weights follow
    the hand-out's; only the error sent back uses the weights after the update.
    """

    lr = 0.5

    def backward(self, dL_da):
        super().backward(dL_da)
        updated = self.weights - self.lr * self.grad_weights    # w after this step's update
        return np.multiply.outer(self.delta, updated)            # delta * w, too late


def xor_net(neuron):
    start = nt.NeuralNetwork([2, 2, 1], seed=3)
    layers = [[neuron(W.shape[0], weights=W[:, j], bias=b[j]) for j in range(W.shape[1])]
              for W, b in start.parameters()]
    return nt.NeuralNetwork(layers)


def stepped_run(net, epochs=2):
    X, Y = nt.datasets.xor()
    opt, steps = nt.SGD(lr=0.5), []
    for _ in range(epochs):
        for x, y in zip(X, Y):
            steps.append(nt.step_through(net, x, y, loss="sse", optimizer=opt).run())
    return steps


def test_compare_finds_where_the_handout_neuron_first_goes_wrong():
    correct, handout = stepped_run(xor_net(nt.Neuron)), stepped_run(xor_net(HandoutNeuron))
    c = nt.compare(correct, handout)
    first = c.first
    # Forward and loss agree; the output neuron's delta and gradients agree; what it
    # sends back is the first number computed with a changed weight.
    assert (first.step, first.phase, first.node, first.quantity) == \
        (0, "backward", "L2.N0", "sent:L1.N0")
    assert first.index == 4
    w_used = correct[0][2].values["w"][0]
    delta = correct[0][4].values["delta"]
    assert first.value1 == delta * w_used
    assert first.value2 == delta * (w_used - 0.5 * correct[0][4].values["grad_weights"][0])
    assert c.max_difference("sent") > 0 and c.table["z"][0] == 0 and c.table["z"][1] > 0
    assert "first difference: step 0, event 4 (backward L2.N0), sent:L1.N0" in str(c)
    fig = nt.viz.compare_plot(c)
    assert "backward L2.N0" in fig.axes[0].get_title()
    # A trace and stepped events of the same run agree on every value.
    X, Y = nt.datasets.xor()
    t = traced(xor_net(nt.Neuron), X, Y, epochs=2, batch_size=1, shuffle=False)
    same = nt.compare(t, correct)
    assert same.first is None and same.steps == list(range(8))
    assert all(np.all(v == 0) for v in same.table.values())


# --- diagnose --------------------------------------------------------------------------------

def kinds(t):
    return sorted({f.kind for f in nt.diagnose(t)})


def test_diagnose_finds_a_dead_relu():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 1], activation="relu", output_activation="sigmoid", seed=0)
    net.parameters()[0][1][1] = -50.0                        # L1.N1: z < 0 for every input
    findings = nt.diagnose(traced(net, X, Y, epochs=10, batch_size=1))
    assert [f.kind for f in findings] == ["dead_relu"]
    assert findings[0].nodes == ["L1.N1"] and findings[0].steps[0] == 0
    assert str(findings[0]).startswith("L1.N1 output 0 for every sample since step 0: its ReLU "
                                       "is dead")


def test_diagnose_finds_saturated_sigmoids():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 1], seed=0)
    W, b = net.parameters()[0]
    W *= 40
    b[:] = 60.0                                              # z >= 20 for every input
    findings = {f.kind: f for f in nt.diagnose(traced(net, X, Y, epochs=5, batch_size=1))}
    assert "saturated" in findings
    assert findings["saturated"].nodes == ["L1.N0", "L1.N1", "L1.N2"]
    assert "sigmoid saturated for every sample" in str(findings["saturated"])


def saturated_neuron_by_neuron(t):
    """The saturation rule read neuron by neuron, one step at a time: the reference."""
    steps = t.steps
    late, names = steps[len(steps) // 2:], []
    for l, layer in enumerate(t.node_names()):
        act = t.activation_names[l]
        if act not in ("sigmoid", "tanh"):
            continue
        top = 0.25 if act == "sigmoid" else 1.0
        for name in layer:
            if name in t[steps[0]].forward:
                f = [t[k].forward[name] for k in late]
                slopes = [np.asarray(r["a"]) * (1 - np.asarray(r["a"])) if act == "sigmoid"
                          else 1 - np.asarray(r["a"]) ** 2 for r in f]
                if all(np.all(s < 1e-4 * top) for s in slopes):
                    names.append(name)
    return names


@pytest.mark.parametrize("batch_size", [1, 2])
@pytest.mark.parametrize("neurons", [None, ["L1.N1", "L1.N2", "L3"], ["L2"]])
def test_saturation_read_a_layer_at_a_time_finds_what_neuron_by_neuron_finds(batch_size,
                                                                            neurons):
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 2, 1], activation=["sigmoid", "tanh", "sigmoid"], seed=0)
    W, b = net.parameters()[0]
    W[:, 1:] *= 40
    b[1:] = 60.0                                   # L1.N1 and L1.N2 saturate, L1.N0 does not
    with nt.trace(net, neurons=neurons) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=4,
               batch_size=batch_size, shuffle=False, progress=False, warn=False)
    expected = saturated_neuron_by_neuron(t)
    found = [f.nodes for f in nt.diagnose(t) if f.kind == "saturated"]
    assert found == ([expected] if expected else [])
    assert neurons == ["L2"] or "L1.N1" in expected
    for k in t.steps:
        for l in t.recorded_rows:
            names = [n for n in t.node_names()[l] if n in t[k].forward]
            for q in ("z", "a"):
                block = t[k].layer_values(l, q)
                for j, name in enumerate(names):
                    np.testing.assert_array_equal(block[..., j], t[k].forward[name][q])
    with pytest.raises(KeyError, match="'z', 'a', 'dL_da', 'da_dz' or 'delta'"):
        t[0].layer_values(0, "weights")


def test_diagnose_finds_vanishing_gradients_in_a_deep_sigmoid_network():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2] + [6] * 10 + [1], activation="sigmoid", seed=0)
    findings = {f.kind: f for f in nt.diagnose(traced(net, X, Y, epochs=3, batch_size=None))}
    assert "vanishing" in findings and "saturated" not in findings
    assert findings["vanishing"].nodes == [f"L1.N{j}" for j in range(6)]
    assert "first layer's gradients (L1) are" in str(findings["vanishing"])


def test_diagnose_finds_exploding_gradients():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 6, 6, 6, 1], activation="identity", seed=0)
    params = net.parameters()
    params[0][0][...] *= 1e-4                                  # tiny activations forward ...
    for W, _ in params[1:]:
        W *= 20                                              # ... and a large error backward
    t = traced(net, X, Y, optimizer=nt.SGD(lr=1e-9), epochs=2, batch_size=None)
    assert "exploding" in kinds(t)


@pytest.fixture(scope="module")
def diverged():
    """A deep ReLU network with N(0, 1) weights, traced until training diverges."""
    X, Y = nt.datasets.moons(n_samples=200, test_size=None)
    net = nt.VectorizedNetwork([2] + [64] * 6 + [2], activation="relu", output_activation="softmax",
                               init="normal", seed=0)
    with nt.trace(net) as t, pytest.raises(nt.TrainingDiverged), np.errstate(over="ignore"):
        nt.fit(net, X, Y, loss="cross_entropy", optimizer=nt.SGD(lr=0.01), epochs=10,
               batch_size=50, shuffle=False, progress=False, warn=False)
    return t


def test_diagnose_of_a_diverged_run_raises_no_overflow_warning(diverged):
    """Gradients near 1e200 (a run that diverged) are measured without numpy overflowing."""
    t = diverged
    assert max(np.abs(t[k].backward[name]["grad_weights"]).max()
               for k in t.steps for name in t.node_names()[0]) > 1e150
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nt.diagnose(t)


def test_what_if_and_check_use_a_loss_of_ones_own_a_saved_trace_says_why_it_cannot(tmp_path):
    """A live trace keeps the loss function itself; a saved one its name only."""
    quartic = nt.Loss("quartic", lambda a, y: float(np.sum((a - y) ** 4)),
                      lambda a, y: 4 * (a - y) ** 3, "L = sum((a - y)^4)")
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss=quartic, epochs=1, batch_size=None, progress=False, warn=False)
    w = t.what_if("L1.N0", "w0", by=1e-5, step=0)
    assert w.loss_before == t[0].loss
    assert w.change == pytest.approx(w.predicted, rel=1e-3)
    assert t.explain("L1.N0", "w0", step=0).check().rel_error < 1e-6
    t.save(tmp_path / "q.npz")
    loaded = nt.load(tmp_path / "q.npz")
    assert loaded[0].loss_name == "quartic" and loaded[0].loss_function is None
    with pytest.raises(ValueError, match="'quartic', which is a loss of your own: a saved trace"):
        loaded.what_if("L1.N0", "w0", by=1e-5, step=0)


def test_diagnose_finds_gradients_that_grow_alike_in_every_layer(diverged):
    """A deep ReLU network with N(0, 1) weights: every layer's gradients grow together (their
    first/last ratio stays near 1) until training diverges; the growth is what is found."""
    t = diverged
    found = [f for f in nt.diagnose(t) if f.kind == "exploding"]
    message = str(found[0]) if found else ""
    assert len(found) == 1 and ("their size at step 0" in message
                                or "became NaN or inf" in message)
    assert found[0].nodes[0] == "L1.N0" and found[0].steps[-1] == t.steps[-1]


def test_rms_is_the_root_mean_square_and_survives_huge_and_zero_values():
    from neurotrace.trace_data import _rms
    assert _rms(np.array([[3.0, -4.0], [0.0, 0.0]])) == pytest.approx(2.5, rel=1e-15)
    assert _rms(np.array([3e200, -4e200])) == pytest.approx(np.sqrt(12.5) * 1e200, rel=1e-15)
    assert _rms(np.zeros(3)) == 0.0 and _rms(np.array([np.inf, 1.0])) == np.inf


def test_diagnose_reads_the_same_gradients_layer_by_layer_as_neuron_by_neuron():
    """Step.layer_grad_weights (what diagnose reads) equals the per-neuron records."""
    X, Y = nt.datasets.xor()
    for batch_size in (1, None):
        net = nt.NeuralNetwork([2, 3, 2, 1], seed=0)
        with nt.trace(net) as t:
            nt.fit(net, X, Y, epochs=2, batch_size=batch_size, progress=False, warn=False)
        for k in t.steps:
            for l, names in enumerate(t.node_names()):
                block = t[k].layer_grad_weights(l)
                for j, name in enumerate(names):
                    np.testing.assert_array_equal(block[j], t[k].backward[name]["grad_weights"])


def test_gradient_rms_is_the_rms_of_each_steps_layer_gradients_even_when_huge():
    """Trace.gradient_rms (what diagnose reads, for all steps at once) against the blocks.

    One sample per step takes rms(delta) * rms(x), never the outer product: checked against
    the multiplied-out block, also for a run whose numbers are near 1e200, and with a
    subset of the neurons recorded.
    """
    X, Y = nt.datasets.xor()
    for batch_size, scale, neurons in ((1, 1.0, None), (None, 1.0, None), (1, 1e100, None),
                                       (1, 1.0, ["L1.N1", "L3"])):
        net = nt.NeuralNetwork([2, 3, 2, 1], "identity", seed=0)
        with nt.trace(net, neurons=neurons) as t:         # 1e100 inputs: dL/dw near 1e200
            for x, y in zip(X * scale, Y * scale) if batch_size == 1 else [(X, Y)]:
                net.backprop(x, y, "sse")
        for l in (0, 2):
            expected = [np.sqrt(np.mean((t[k].layer_grad_weights(l) / scale) ** 2)) * scale
                        for k in t.steps]
            np.testing.assert_allclose(t.gradient_rms(l), expected, rtol=1e-14)
            assert np.all(np.isfinite(t.gradient_rms(l)))
    assert t.gradient_rms(1) is None                       # L2 was not recorded
    with nt.trace(net, quantities=["loss", "z", "a"]) as t:
        net.backprop(X, Y, "sse")
    assert t.gradient_rms(0) is None                       # no gradients recorded
    with nt.trace(net) as t:
        pass
    assert t.gradient_rms(0).shape == (0,)                 # no step recorded


def test_diagnose_median_is_numpys_to_the_bit_nan_and_inf_included():
    """diagnose's own median (np.median's first call imports numpy.ma: 30 ms)."""
    median = sys.modules["neurotrace.diagnose"]._median
    rng = np.random.default_rng(0)
    for n in range(1, 40):
        values = rng.normal(size=n) * 10.0 ** rng.integers(-300, 300, size=n)
        assert median(values) == float(np.median(values))
    for values in ([1.0, np.inf, 2.0, np.inf], [np.inf, -np.inf, 1.0], [3.0, np.nan, 1.0]):
        np.testing.assert_equal(median(np.array(values)), float(np.median(values)))
    assert np.isnan(median(np.empty(0)))
    assert median(np.array([1e308, 1e308])) == np.inf     # no overflow warning (errors here)


def test_per_step_is_what_each_step_holds():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, epochs=2, batch_size=1, progress=False, warn=False)
        net.forward(X)                                  # a step without a loss, not fit's
    for key in ("loss", "epoch", "batch"):
        assert t.per_step(key) == [getattr(t[k], key) for k in t.steps]
    assert t.per_step("loss")[-1] is None and t.per_step("epoch")[-1] is None
    with pytest.raises(KeyError, match="'loss', 'epoch' or 'batch'"):
        t.per_step("z")


def test_a_first_traced_fit_imports_nothing_more():
    """A student's first traced fit (diagnose at its end) imports no module: numpy.ma, which
    np.median imports on its first call, took 30 ms, more than the rest of diagnose."""
    code = ("import sys, neurotrace as nt\n"
            "X, Y = nt.datasets.xor()\n"
            "net = nt.NeuralNetwork([2, 3, 1], seed=0)\n"
            "before = set(sys.modules)\n"
            "with nt.trace(net):\n"
            "    nt.fit(net, X, Y, epochs=20, batch_size=1, progress=False)\n"
            "print(sorted(set(sys.modules) - before))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_lr_100_xor_is_saturated_and_stalled_and_fit_warns_even_without_a_trace():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with nt.trace(net) as t:
            nt.fit(net, X, Y, loss="mse", optimizer=nt.SGD(lr=100), epochs=30, batch_size=1,
                   progress=False)
    assert kinds(t) == ["saturated", "stalled"]
    ours = [w for w in caught if issubclass(w.category, nt.NeurotraceWarning)]
    assert len(ours) == 1 and "stalled" in str(ours[0].message) and "saturated" in \
        str(ours[0].message)
    untraced = nt.NeuralNetwork([2, 2, 1], seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nt.fit(untraced, X, Y, loss="mse", optimizer=nt.SGD(lr=100), epochs=30, batch_size=1,
               progress=False)
    ours = [w for w in caught if issubclass(w.category, nt.NeurotraceWarning)]
    assert len(ours) == 1
    assert "Training stalled" in str(ours[0].message) and "lr=100" in str(ours[0].message)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nt.fit(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, loss="mse",
               optimizer=nt.SGD(lr=100), epochs=30, batch_size=1, progress=False, warn=False)
    assert not [w for w in caught if issubclass(w.category, nt.NeurotraceWarning)]


def test_healthy_runs_have_no_findings_and_no_warning():
    X, Y = nt.datasets.xor()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = nt.NeuralNetwork([2, 4, 1], seed=0)
        with nt.trace(net, every=10) as t:
            nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=2.0), epochs=600, batch_size=None,
                   progress=False)
        assert t[-1].loss < 0.01 and nt.diagnose(t) == []
        Xd, Yd = nt.datasets.digits()
        net = nt.NeuralNetwork([64, 32, 10], output_activation="softmax", seed=0)
        with nt.trace(net, every=5) as t:
            nt.fit(net, Xd, Yd, loss="cross_entropy", optimizer=nt.SGD(lr=0.5), epochs=3,
                   seed=0, progress=False)
        assert t[-1].loss < 0.5 * t[0].loss and nt.diagnose(t) == []
    assert not [w for w in caught if issubclass(w.category, nt.NeurotraceWarning)]
