"""Trace.explain: the chain rule with the recorded numbers, equal to the gradient that was used."""
import numpy as np
import pytest

import neurotrace as nt

TOL = 1e-12
FORMATS = ("text", "markdown", "latex")
# How each format writes dL/dw0 and dL/db.
RULE = {"text": ("dL/dw{i} =", "dL/db ="),
        "markdown": ("∂L/∂w<sub>{i}</sub> =", "∂L/∂b ="),
        "latex": (r"\frac{{\partial L}}{{\partial w_{{{i}}}}} =", r"\frac{\partial L}{\partial b} =")}


def small_trace(output, loss, batch_size, hidden="sigmoid", epochs=2, n=4, seed=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    Y = np.eye(2)[rng.integers(0, 2, size=n)]
    net = nt.NeuralNetwork([2, 3, 2], activation=hidden, output_activation=output, seed=seed)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss=loss, optimizer=nt.SGD(lr=0.5, momentum=0.5), epochs=epochs,
               batch_size=batch_size, shuffle=False, progress=False)
    return t


def parameters_of(t, name):
    l = int(name[1]) - 1
    return [f"w{i}" for i in range(t.sizes[l])] + ["b"]


def recorded_gradient(step, name, parameter):
    b = step.backward[name]
    return b["grad_bias"] if parameter == "b" else b["grad_weights"][int(parameter[1:])]


def all_neurons(t):
    return [name for layer in t.node_names() for name in layer]


CASES = [("identity", "mse", 1), ("identity", "mse", 4),
         ("softmax", "cross_entropy", 1), ("softmax", "cross_entropy", 4)]


@pytest.mark.parametrize("output,loss,batch_size", CASES)
def test_explain_gives_the_used_gradient_for_every_parameter(output, loss, batch_size):
    t = small_trace(output, loss, batch_size, n=8 if batch_size == 4 else 4)
    assert len(t.steps) >= 4
    checked = 0
    for k in t.steps:
        step = t[k]
        for name in all_neurons(t):
            for p in parameters_of(t, name):
                used = recorded_gradient(step, name, p)
                for fmt in FORMATS:
                    e = t.explain(name, p, step=k, format=fmt)
                    assert isinstance(e, str)
                    assert abs(e.value - used) <= TOL, (k, name, p, fmt)
                    rule = RULE[fmt][1] if p == "b" else RULE[fmt][0].format(i=p[1:])
                    assert rule in e, (fmt, e)
                    assert f"{e.value:.4g}" in e                 # the final number is shown
                    if fmt == "latex":
                        assert "$$" in e
                checked += 1
    assert checked == len(t.steps) * (3 * 3 + 2 * 4)             # every weight and bias


@pytest.mark.parametrize("output,loss", [("identity", "mse"), ("softmax", "cross_entropy")])
def test_batch_explanation_sums_per_sample_shares(output, loss):
    t = small_trace(output, loss, 4, n=8)
    for k in t.steps:
        step = t[k]
        for name in all_neurons(t):
            delta = step.backward[name]["delta"]
            x = step.forward[name]["x"]
            assert delta.shape == (4,)
            for p in parameters_of(t, name):
                used = recorded_gradient(step, name, p)
                shares = [t.explain(name, p, step=k, sample=i).value for i in range(4)]
                for i, share in enumerate(shares):
                    expected = delta[i] if p == "b" else delta[i] * x[i, int(p[1:])]
                    assert abs(share - expected) <= TOL
                assert abs(sum(shares) - used) <= TOL
                whole = t.explain(name, p, step=k)
                assert abs(whole.value - used) <= TOL
                assert "over the 4 samples" in whole and "sample 3:" in whole
                one = t.explain(name, p, step=k, sample=2)
                assert "sample 2" in one and f"{used:.4g}" in one


def test_hidden_dL_da_is_expanded_over_successors():
    for batch_size, sample in ((1, None), (4, 1)):
        t = small_trace("identity", "mse", batch_size, n=8 if batch_size == 4 else 4)
        for k in t.steps:
            step = t[k]
            for j in range(3):
                name = f"L1.N{j}"
                e = t.explain(name, "w1", step=k, sample=sample)
                pick = (lambda v: v) if sample is None else (lambda v, sample=sample: v[sample])
                assert "successors" in e
                total = 0.0
                for succ in ("L2.N0", "L2.N1"):
                    assert succ in e
                    delta = pick(step.backward[succ]["delta"])
                    w = step.update[succ]["weights_before"][j]
                    assert f"({delta:.4g})" in e and f"({w:.4g})" in e
                    total += delta * w
                dL_da = pick(step.backward[name]["dL_da"])
                assert abs(total - dL_da) <= TOL
                assert f"= {dL_da:.4g}" in e
                assert "dL/da" in e and "da/dz" in e


def test_fused_output_says_fused_and_others_do_not():
    t = small_trace("softmax", "cross_entropy", 4, n=8)
    for fmt in FORMATS:
        e = t.explain("L2.N1", "w2", step=1, format=fmt)
        assert "fused" in e and "softmax + cross-entropy" in e
        assert "dL/da · da/dz" not in e                       # the chain starts at dL/dz
    hidden = t.explain("L1.N0", "w0", step=1)
    assert "fused" not in hidden
    t_mse = small_trace("identity", "mse", 1)
    assert "fused" not in t_mse.explain("L2.N0", "b", step=0)
    assert "mse" in t_mse.explain("L2.N0", "b", step=0)


def test_fused_sigmoid_bce_and_softmax_mse():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 2)), np.eye(2)[[0, 1, 1, 0]]
    for output, loss, word in (("sigmoid", "bce", "fused sigmoid + bce"),
                               ("softmax", "mse", "Jacobian")):
        net = nt.NeuralNetwork([2, 3, 2], activation="tanh", output_activation=output, seed=1)
        with nt.trace(net) as t:
            net.backprop(X, Y, loss)
        assert t[0].fused == (loss == "bce")
        for name in all_neurons(t):
            for p in parameters_of(t, name):
                e = t.explain(name, p, step=0)
                assert abs(e.value - recorded_gradient(t[0], name, p)) <= TOL
        e = t.explain("L2.N0", "w1", step=0)
        assert word in e
        if loss == "mse":
            assert "fused" not in e


def test_single_sample_numbers_are_the_chain_factors():
    t = small_trace("identity", "mse", 1)
    step = t[2]
    f, b = step.forward["L1.N2"], step.backward["L1.N2"]
    e = t.explain("L1.N2", "w1", step=2)
    factors = (b["dL_da"], b["da_dz"], f["x"][1])
    assert "= " + " · ".join(f"({v:.4g})" for v in factors) in e
    assert abs(e.value - np.prod(factors)) <= TOL


def test_explain_rejects_bad_arguments():
    t = small_trace("identity", "mse", 1)
    with pytest.raises(KeyError, match="w0..w2"):
        t.explain("L2.N0", "w3", step=0)
    with pytest.raises(KeyError, match="w0..w1"):
        t.explain("L1.N0", "weight", step=0)
    with pytest.raises(ValueError, match="format"):
        t.explain("L1.N0", "w0", step=0, format="html")
    with pytest.raises(KeyError, match="not recorded"):
        t.explain("L1.N0", "w0", step=99)
    with pytest.raises(KeyError, match="No neuron"):
        t.explain("L3.N0", "w0", step=0)
    assert t.explain("L1.N0", "w0").value == t.explain("L1.N0", "w0", step=t.steps[0]).value
