"""step_through and t.events: one step as events, checked against a plain-numpy replay and fit."""
import numpy as np
import pytest

import neurotrace as nt
from neurotrace.stepping import NodeState

BACKENDS = [nt.NeuralNetwork, nt.VectorizedNetwork]


# --- an independent replay of one step, in plain numpy ----------------------------------------

def _f(name, z):
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    return z


def _df(name, z):
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if name == "relu":
        return (z > 0).astype(float)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    return np.ones_like(z)


def replay(Ws, bs, acts, loss, X, Y, lr):
    """The events of one SGD step, written out with matrices: [(phase, node, values)]."""
    one = X.ndim == 1
    X2, Y2 = np.atleast_2d(X), np.atleast_2d(Y)
    n = X2.shape[0]
    pick = (lambda v: v[0]) if one else (lambda v: v)
    events, xs, Zs, As = [], [], [], []
    A = X2
    for l, (W, b) in enumerate(zip(Ws, bs)):
        xs.append(A)
        Z = A @ W + b
        if acts[l] == "softmax":
            e = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = e / e.sum(axis=1, keepdims=True)
        else:
            A = _f(acts[l], Z)
        Zs.append(Z)
        As.append(A)
        for j in range(W.shape[1]):
            v = {"x": pick(xs[l]), "w": W[:, j], "b": b[j], "z": pick(Z[:, j])}
            if acts[l] != "softmax":
                v["a"] = pick(A[:, j])
            events.append(("forward", f"L{l + 1}.N{j}", v))
    P = A
    if loss == "cross_entropy":
        value = -np.sum(Y2 * np.log(P)) / n
        dA, delta = None, (P - Y2) / n
    else:
        value = 0.5 * np.sum((P - Y2) ** 2) if loss == "sse" else np.mean((P - Y2) ** 2)
        dA = (P - Y2) if loss == "sse" else 2 * (P - Y2) / P.size
        delta = None
    lv = {"loss": value, "z": pick(Zs[-1]), "a": pick(P), "y": pick(Y2)}
    if dA is not None:
        lv["dL_da"] = pick(dA)
    if delta is not None:
        lv["delta"] = pick(delta)
    events.append(("loss", "loss", lv))
    grads = []
    for l in range(len(Ws) - 1, -1, -1):
        W = Ws[l]
        given = delta is not None
        if not given:
            da_dz = _df(acts[l], Zs[l])
            delta = dA * da_dz
        gW, gb = xs[l].T @ delta, delta.sum(axis=0)
        grads.insert(0, (gW, gb))
        preds = [f"x{i}" for i in range(W.shape[0])] if l == 0 else \
            [f"L{l}.N{i}" for i in range(W.shape[0])]
        for j in range(W.shape[1]):
            v = {}
            if dA is not None:
                v["dL_da"] = pick(dA[:, j])
            if not given:
                v["da_dz"] = pick(da_dz[:, j])
            v.update({"delta": pick(delta[:, j]), "grad_weights": gW[:, j], "grad_bias": gb[j]})
            for i, p in enumerate(preds):
                v[f"sent:{p}"] = pick(delta[:, j] * W[i, j])
            events.append(("backward", f"L{l + 1}.N{j}", v))
        dA = delta @ W.T                                  # the sum of what each neuron sent
        delta = None
    for l, (W, b) in enumerate(zip(Ws, bs)):
        for j in range(W.shape[1]):
            gW, gb = grads[l]
            events.append(("update", f"L{l + 1}.N{j}", {
                "weights_before": W[:, j], "bias_before": b[j], "grad_weights": gW[:, j],
                "grad_bias": gb[j], "weights_after": W[:, j] - lr * gW[:, j],
                "bias_after": b[j] - lr * gb[j]}))
    return events


def close(a, b, tol=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


CASES = [("sigmoid", "sigmoid", "sse"), ("relu", "identity", "mse"),
         ("sigmoid", "softmax", "cross_entropy"), ("relu", "softmax", "cross_entropy")]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hidden,output,loss", CASES)
@pytest.mark.parametrize("batch", [False, True])
def test_events_equal_a_plain_numpy_replay(backend, hidden, output, loss, batch):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(5, 3))
    Y = np.eye(2)[rng.integers(0, 2, 5)] if output == "softmax" else rng.uniform(size=(5, 2))
    net = backend([3, 4, 2], activation=hidden, output_activation=output, seed=11)
    Ws = [W.copy() for W, b in net.parameters()]
    bs = [b.copy() for W, b in net.parameters()]
    x, y = (X, Y) if batch else (X[2], Y[2])
    expected = replay(Ws, bs, [hidden, output], loss, x, y, lr=0.3)
    s = nt.step_through(net, x, y, loss=loss, optimizer=nt.SGD(lr=0.3))
    events = list(s)
    assert [e.key for e in events] == [(p, n) for p, n, _ in expected]
    for i, (event, (_, _, values)) in enumerate(zip(events, expected)):
        assert event.index == i and event.step == 0
        assert sorted(event.values) == sorted(values), (event.key, sorted(event.values))
        for q, v in values.items():
            assert close(event.values[q], v), (event.key, q, event.values[q], v)
    if output == "softmax":                               # the loss node computes softmax's a
        p = s.state("L2.N1")["a"]
        assert close(p, events[6].values["a"][..., 1])


def _pair(backend, sizes, hidden, output, seed=3):
    return (backend(sizes, activation=hidden, output_activation=output, seed=seed),
            backend(sizes, activation=hidden, output_activation=output, seed=seed))


OPTIMIZERS = [lambda: nt.SGD(lr=0.5), lambda: nt.SGD(lr=0.2, momentum=0.9),
              lambda: nt.Adam(lr=0.01, clip_norm=0.05), lambda: nt.SGD(lr=1.0, clip_value=0.01)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hidden,output,loss", CASES + [("tanh", "sigmoid", "bce"),
                                                         ("sigmoid", "softmax", "mse")])
@pytest.mark.parametrize("batch_size", [1, None])
@pytest.mark.parametrize("make_optimizer", OPTIMIZERS)
def test_stepper_ends_where_fit_ends_bit_for_bit_and_trace_replays_it(
        backend, hidden, output, loss, batch_size, make_optimizer):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 2))
    Y = np.eye(3)[[0, 2, 1]] if output == "softmax" else rng.uniform(0.1, 0.9, size=(3, 3))
    fitted, stepped = _pair(backend, [2, 4, 3], hidden, output)
    opt_fit, opt_step = make_optimizer(), make_optimizer()
    with nt.trace(fitted) as t:
        nt.fit(fitted, X, Y, loss=loss, optimizer=opt_fit, epochs=1, batch_size=batch_size,
               shuffle=False, progress=False)
    batches = [(X[i], Y[i]) for i in range(3)] if batch_size == 1 else [(X, Y)]
    live = []
    for k, (x, y) in enumerate(batches):
        s = nt.step_through(stepped, x, y, loss=loss, optimizer=opt_step)
        live.append(s.run())
        assert s.finished and s.next is None
        assert all(e.step == k for e in live[-1])
    assert fitted.flat_parameters.tobytes() == stepped.flat_parameters.tobytes()
    for name in opt_fit.state:
        assert opt_fit.state[name].tobytes() == opt_step.state[name].tobytes()
    assert t.steps == list(range(len(batches)))
    for k in t.steps:
        recorded = t.events(step=k)
        assert [e.key for e in recorded] == [e.key for e in live[k]]
        for a, b in zip(recorded, live[k]):
            assert sorted(a.values) == sorted(b.values), a.key
            for q in a.values:
                assert np.asarray(a.values[q]).tobytes() == np.asarray(b.values[q]).tobytes(), \
                    (k, a.key, q)
            assert a.equation == b.equation
            assert str(a) == str(b)


def test_state_never_shows_a_stale_or_zero_value():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    opt = nt.SGD(lr=0.5)
    nt.step_through(net, X[0], Y[0], loss="sse", optimizer=opt).run()   # a step before
    s = nt.step_through(net, X[1], Y[1], loss="sse", optimizer=opt)
    assert s.step == 1
    state = s.state("L1.N1")
    assert isinstance(state, NodeState)
    for q in ("z", "a", "delta", "grad_weights", "sent:x0", "weights_after"):
        with pytest.raises(nt.NotYetComputed, match=f"{q} of L1.N1 is not yet computed"):
            state[q]
        assert q not in state and q in state.pending
    assert np.array_equal(state["w"], net["L1.N1"].weights)   # the parameters are known
    ev = next(s)
    assert ev.key == ("forward", "L1.N0") and "z = x0·w0 + x1·w1 + b" in str(ev)
    assert s.state("L1.N0")["z"] == ev.values["z"]
    s.run_to("backward", "L2.N0")
    state = s.state("L1.N1")
    assert state["a"] == net["L1.N1"].a
    with pytest.raises(nt.NotYetComputed, match="backward L1.N1 computes it"):
        state["delta"]
    assert "not yet computed (backward L1.N1)" in str(state)
    loss = s.state("loss")
    assert loss["loss"] == 0.5 * (loss["a"][0] - 1.0) ** 2
    s.run_to("update", "L1.N0")
    assert s.state("L1.N0")["weights_after"].tolist() == net["L1.N0"].weights.tolist()
    with pytest.raises(nt.NotYetComputed):
        s.state("L2.N0")["weights_after"]
    with pytest.raises(KeyError, match="no quantity 'q'"):
        s.state("L1.N0")["q"]
    with pytest.raises(KeyError, match="No node 'L3.N0'"):
        s.state("L3.N0")


def test_run_to_iteration_and_printing():
    X, Y = nt.datasets.xor()
    net = nt.VectorizedNetwork([2, 2, 1], seed=0)
    s = nt.step_through(net, X, Y, loss="mse", optimizer=nt.SGD(lr=0.5))
    assert s.next == ("forward", "L1.N0")
    ev = s.run_to("backward", "L1.N1")
    assert ev.key == ("backward", "L1.N1") and len(s.events) == 7
    assert s.run_to("forward", "L2.N0").key == ("forward", "L2.N0")   # already done: no move
    assert len(s.events) == 7
    text = str(s)
    assert "done     backward  L2.N0 L1.N0 L1.N1" in text
    assert "next ->  update    L1.N0" in text
    assert "not yet  update    L1.N1 L2.N0" in text and "7 of 10 events done" in text
    assert [e.key for e in s] == [("update", "L1.N0"), ("update", "L1.N1"), ("update", "L2.N0")]
    with pytest.raises(StopIteration):
        next(s)
    with pytest.raises(KeyError, match="No event backward 'L9.N0'"):
        s.run_to("backward", "L9.N0")
    with pytest.raises(ValueError, match="'phase' parameter of run_to"):
        s.run_to("sideways", "L1.N0")
    batch = s.events[0]
    assert "sample 0:" in str(batch) and "z for every sample:" in str(batch)


def test_bad_input_is_refused_with_names():
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        nt.step_through(net, [1.0, 2.0, 3.0], [1.0])
    with pytest.raises(ValueError, match=r"y must have shape \(1,\).*L2 has 1 neurons"):
        nt.step_through(net, [1.0, 2.0], [1.0, 0.0])
    with nt.trace(net):
        with pytest.raises(RuntimeError, match="being traced"):
            nt.step_through(net, [1.0, 2.0], [1.0])


def test_printed_numbers_never_show_minus_zero():
    net = nt.NeuralNetwork.from_weights([np.array([[1.0], [-1.0]])], [np.array([0.0])], "relu")
    s = nt.step_through(net, [-1.0, 1.0], [1.0], loss="sse")      # z < 0: every gradient is 0
    text = "\n".join(str(e) for e in s)
    assert "-0 " not in text and "(-0)" not in text and "-0]" not in text and "-0," not in text
    assert "f'(z) = 1 if z > 0 else 0, z = -2 = 0" in text
