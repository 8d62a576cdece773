"""t.explain for every recorded quantity: .value is the recorded number, .check() recomputes it."""
import re

import numpy as np
import pytest

import neurotrace as nt


def xor_trace():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], activation="sigmoid", seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5, momentum=0.9), epochs=1,
               batch_size=1, shuffle=False, progress=False)
    return t


def softmax_trace(optimizer):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5, 4))
    Y = np.eye(3)[rng.integers(0, 3, 5)]
    net = nt.NeuralNetwork([4, 8, 3], activation="tanh", output_activation="softmax", seed=2)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="cross_entropy", optimizer=optimizer, epochs=2, batch_size=None,
               shuffle=False, progress=False)
    return t


@pytest.fixture(scope="module")
def traces():
    return {"xor": xor_trace(), "softmax_adam": softmax_trace(nt.Adam(lr=0.01, clip_norm=0.05)),
            "softmax_sgd": softmax_trace(nt.SGD(lr=0.5))}


def quantities(t, name):
    """Every quantity of ``name`` that the trace recorded, and its recorded value."""
    l = int(name[1]) - 1
    n_in = t.sizes[l]
    preds = [f"x{i}" for i in range(n_in)] if l == 0 else [f"L{l}.N{i}" for i in range(n_in)]
    for k in t.steps:
        s = t[k]
        f, b, u = s.forward[name], s.backward[name], s.update[name]
        out = {"z": f["z"], "a": f["a"], "delta": b["delta"]}
        for q in ("dL_da", "da_dz"):
            if q in b:
                out[q] = b[q]
        for i in range(n_in):
            out[f"w{i}"] = b["grad_weights"][i]
            out[f"update:w{i}"] = u["weights_after"][i]
        out["b"], out["update:b"] = b["grad_bias"], u["bias_after"]
        for p in preds:
            out[f"sent:{p}"] = b["to_predecessors"][p]
        yield k, out


def names(t):
    return [n for layer in t.node_names() for n in layer]


CHECKED = {"xor": None, "softmax_adam": ("L1.N3", "L2.N1"), "softmax_sgd": ("L1.N0", "L2.N2")}


@pytest.mark.parametrize("which", list(CHECKED))
def test_value_is_the_recorded_number_and_check_agrees(traces, which):
    t = traces[which]
    n_checked = 0
    for name in names(t):
        for k, recorded in quantities(t, name):
            for q, value in recorded.items():
                e = t.explain(name, q, step=k)
                assert np.array_equal(e.value, value), (name, q, k)
                assert np.shape(e.value) == np.shape(value)
                if CHECKED[which] is None or (name in CHECKED[which] and k == t.steps[-1]):
                    c = e.check()
                    assert c.rel_error < 1e-6, (which, name, q, k, c)
                    n_checked += 1
    for k in t.steps:
        e = t.explain("loss", step=k)
        assert e.value == t[k].loss and e.check().rel_error < 1e-12
    assert n_checked > 20


def test_one_sample_of_a_batch(traces):
    t = traces["softmax_adam"]
    s = t[1]
    for q in ("z", "a", "delta", "dL_da"):
        if q not in s.backward["L1.N3"] and q not in s.forward["L1.N3"]:
            continue
        e = t.explain("L1.N3", q, step=1, sample=3)
        record = {**s.forward["L1.N3"], **s.backward["L1.N3"]}
        assert e.value == record[q][3]
        assert e.check().rel_error < 1e-6
        assert "sample 3:" in e and "sample 0:" not in e
    share = t.explain("L1.N3", "w2", step=1, sample=3)
    assert share.value == s.backward["L1.N3"]["delta"][3] * s.forward["L1.N3"]["x"][3, 2]
    assert share.check().rel_error < 1e-6                  # that sample's share, by nudging it


def test_formats_render_line_by_line_without_minus_zero(traces):
    t = traces["xor"]
    minus_zero = re.compile(r"(?<![\w.])-0(?![.\de])")
    for name in names(t):
        for q in ("z", "dL_da", "delta", "w0", "b", "update:w1"):
            text = t.explain(name, q, step=2, format="text")
            md = t.explain(name, q, step=2, format="markdown")
            tex = t.explain(name, q, step=2, format="latex")
            assert text.value == md.value == tex.value
            assert len(md.split("\n\n")) >= 2                            # one paragraph per line
            assert "\n" not in md.replace("\n\n", "")
            assert all(line.startswith("$$") and line.endswith("$$") for line in
                       tex.splitlines() if not line.startswith("…"))
            assert not re.search(r"\\sum_\{?\w*\}?\s*=", tex), tex        # a sum has a summand
            assert "_" not in md.replace("<sub>", "")                     # no stray emphasis
            for e in (text, md, tex):
                assert not minus_zero.search(e), e
    assert t.explain("L1.N0", "w0", step=2, format="latex")._repr_markdown_().startswith("$$")
    assert t.explain("L1.N0", "w0", step=2)._repr_markdown_().startswith("```text")


def test_explain_says_what_it_cannot_explain(traces):
    t = traces["softmax_adam"]
    with pytest.raises(KeyError, match="loss node gave its delta"):
        t.explain("L2.N0", "da_dz", step=0)
    with pytest.raises(KeyError, match=r"sends its error to \['L1.N0'"):
        t.explain("L2.N0", "sent:x0", step=0)
    with pytest.raises(KeyError, match="w0..w7"):
        t.explain("L2.N0", "update:w8", step=0)
    with pytest.raises(ValueError, match="is one sample"):
        traces["xor"].explain("L1.N0", "z", step=0, sample=1)
    with pytest.raises(ValueError, match=r"integer in 0\.\.4"):
        t.explain("L1.N0", "z", step=0, sample=5)
    limited_net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(limited_net, neurons=["L1.N0"]) as limited:
        nt.fit(limited_net, *nt.datasets.xor(), loss="sse", epochs=1, progress=False)
    with pytest.raises(ValueError, match="every neuron"):
        limited.explain("L1.N0", "z", step=0).check()
