"""Tests of neurotrace.viz: the Graphviz graphs, rendering with and without `dot`, and the plots.

Numbers in the pictures are checked against a forward and backward pass computed
here with numpy from the weights we chose, not against the trace alone.
"""
import os
import re

import graphviz
import numpy as np
import pytest

import neurotrace as nt
from neurotrace import viz

DATA = os.path.join(os.path.dirname(__file__), "data")
UPDATE = os.environ.get("NEUROTRACE_UPDATE_REFERENCE") == "1"   # rewrite tests/data/*.dot

# A tiny 2-2-1 sigmoid network with weights chosen by hand.
W1 = np.array([[0.15, -0.25], [0.20, 0.30]])      # (n_inputs, n_neurons): column j is L1.Nj
B1 = np.array([0.35, -0.10])
W2 = np.array([[0.40], [-0.45]])
B2 = np.array([0.60])
X = np.array([[0.05, 0.10], [1.0, 0.0], [0.0, 1.0]])
Y = np.array([[0.01], [1.0], [1.0]])

needs_dot = pytest.mark.skipif(not viz.have_dot(), reason="Graphviz's 'dot' program is not "
                               "installed (apt-get install graphviz)")


def fmt(value, digits=4):
    return f"{float(value):.{digits}g}"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def by_hand(x, y):
    """Forward and backward of the tiny network with the sse loss, in plain numpy."""
    z1 = x @ W1 + B1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + B2
    a2 = sigmoid(z2)
    dL_da2 = a2 - y                                  # sse: L = 1/2 sum (a - y)^2
    delta2 = dL_da2 * a2 * (1 - a2)
    dL_da1 = delta2 @ W2.T
    delta1 = dL_da1 * a1 * (1 - a1)
    return dict(z1=z1, a1=a1, z2=z2, a2=a2, dL_da2=dL_da2, delta2=delta2, dL_da1=dL_da1,
                delta1=delta1, gW1=np.outer(x, delta1) if x.ndim == 1 else x.T @ delta1,
                gW2=np.outer(a1, delta2) if a1.ndim == 1 else a1.T @ delta2,
                loss=0.5 * np.sum((a2 - y) ** 2))


def tiny(backend=nt.NeuralNetwork):
    net = nt.NeuralNetwork.from_weights([W1, W2], [B1, B2], "sigmoid")
    return net if backend is nt.NeuralNetwork else net.to_vectorized()


def traced(batch_size=1, backend=nt.NeuralNetwork, epochs=1):
    net = tiny(backend)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=epochs,
               batch_size=batch_size, shuffle=False, progress=False)
    return t


def labels(source):
    """``{node id: label}`` of every node statement in DOT text."""
    found = {}
    for line in source.splitlines():
        m = re.match(r'\t+(?:"([^"]+)"|([\w.]+)) \[(.*)\]$', line)
        if m and "->" not in line:
            node = m.group(1) or m.group(2)
            if node in ("graph", "node", "edge"):
                continue
            label = re.search(r'label=(?:"((?:[^"\\]|\\.)*)"|(<.*>)|(\S+))', m.group(3))
            found[node] = "" if label is None else next(g for g in label.groups() if g)
    return found


def edges(source):
    """``{(tail, head): attributes}`` of every edge statement in DOT text."""
    found = {}
    for line in source.splitlines():
        m = re.match(r'\t+(?:"([^"]+)"|([\w.:]+)) -> (?:"([^"]+)"|([\w.]+))(?: \[(.*)\])?$', line)
        if m:
            found[(m.group(1) or m.group(2), m.group(3) or m.group(4))] = m.group(5) or ""
    return found


# --- neuron_graph ----------------------------------------------------------------------------

def test_neuron_graph_names_every_node_and_carries_the_numbers():
    t = traced()
    g = viz.neuron_graph(t, "L1.N0", step=0)
    assert isinstance(g, graphviz.Digraph)
    nodes = labels(g.source)
    expected = ["x0", "L1.N0.w0", "L1.N0.xw0", "x1", "L1.N0.w1", "L1.N0.xw1", "L1.N0.sum",
                "L1.N0.b", "L1.N0.plus", "L1.N0.z", "L1.N0.f", "L1.N0.a", "L2.N0"]
    assert list(nodes) == expected
    h = by_hand(X[0], Y[0])
    x, j = X[0], 0
    assert fmt(x[1]) in nodes["x1"]
    for i in range(2):
        assert fmt(W1[i, j]) in nodes[f"L1.N0.w{i}"]
        assert f"dL/dw{i} = δ·x{i} = {fmt(h['gW1'][i, j])}" in nodes[f"L1.N0.w{i}"]
        assert fmt(x[i] * W1[i, j]) in nodes[f"L1.N0.xw{i}"]
        assert f"δ·w{i} = {fmt(h['delta1'][j] * W1[i, j])}" in nodes[f"x{i}"]
    assert fmt(x @ W1[:, j]) in nodes["L1.N0.sum"]
    assert fmt(B1[j]) in nodes["L1.N0.b"]
    assert nodes["L1.N0.z"] == "z | " + fmt(h["z1"][j]) + " | dL/dz = δ = " + fmt(h["delta1"][j])
    assert f"f'(z) = {fmt(h['a1'][j] * (1 - h['a1'][j]))}" in nodes["L1.N0.f"]
    assert nodes["L1.N0.a"] == "a | " + fmt(h["a1"][j]) + " | dL/da = " + fmt(h["dL_da1"][j])
    # The successor shows its weight on a and the error it sends back; these add up to dL/da.
    assert f"w0 = {fmt(W2[0, 0])}" in nodes["L2.N0"]
    assert f"δ·w0 = {fmt(h['delta2'][0] * W2[0, 0])}" in nodes["L2.N0"]
    assert ("L1.N0.a", "L2.N0") in edges(g.source)


def test_neuron_graph_of_an_output_neuron_goes_on_to_the_loss():
    t = traced()
    g = viz.neuron_graph(t, "L2.N0", step=0)
    nodes, h = labels(g.source), by_hand(X[0], Y[0])
    assert ["L1.N0", "L1.N1"] == [n for n in nodes if n.startswith("L1.")]   # its inputs
    assert "x0 = a of L1.N0" in nodes["L1.N0"] and fmt(h["a1"][0]) in nodes["L1.N0"]
    assert f"dL/da = {fmt(h['dL_da2'][0])}" in nodes["L2.N0.a"]
    assert fmt(h["loss"]) in nodes["loss"] and "sse" in nodes["loss"]
    assert ("L2.N0.a", "loss") in edges(g.source)


def test_neuron_graph_of_a_batch_shows_one_sample_and_the_batch_total():
    t = traced(batch_size=3)
    g = viz.neuron_graph(t, "L1.N1", step=0, sample=2)
    nodes, h = labels(g.source), by_hand(X, Y)
    j, k = 1, 2
    assert "sample 2 of a batch of 3" in g.source
    assert fmt(h["z1"][k, j]) in nodes["L1.N1.z"]
    share = h["delta1"][k, j] * X[k, 1]
    assert f"{fmt(share)} (sample 2)" in nodes["L1.N1.w1"]
    assert f"batch total {fmt(h['gW1'][1, j])}" in nodes["L1.N1.w1"]
    assert f"batch total {fmt(h['delta1'][:, j].sum())}" in nodes["L1.N1.b"]
    with pytest.raises(ValueError, match="batch of 3"):
        viz.neuron_graph(t, "L1.N1", step=0, sample=3)


def test_neuron_graph_errors_name_the_culprit():
    t = traced()
    with pytest.raises(KeyError, match="L3.N0"):
        viz.neuron_graph(t, "L3.N0", step=0)
    with pytest.raises(KeyError, match="not recorded"):
        viz.neuron_graph(t, "L1.N0", step=99)
    with pytest.raises(ValueError, match="one sample"):
        viz.neuron_graph(t, "L1.N0", step=0, sample=1)


# --- network_graph ----------------------------------------------------------------------------

def test_network_graph_names_every_node_and_carries_the_numbers():
    t = traced()
    g = viz.network_graph(t, step=0, show="both")
    nodes, links, h = labels(g.source), edges(g.source), by_hand(X[0], Y[0])
    assert list(nodes) == ["x0", "x1", "L1.N0", "L1.N1", "L2.N0", "loss"]
    for j in range(2):
        label = nodes[f"L1.N{j}"]
        for value in (h["z1"][j], h["a1"][j], h["delta1"][j]):
            assert fmt(value, 3) in label
        for i in range(2):
            attrs = links[(f"x{i}", f"L1.N{j}")]
            assert f"w {fmt(W1[i, j], 3)}" in attrs
            assert f"dL/dw {fmt(h['gW1'][i, j], 3)}" in attrs
            assert ('#b2182b' if W1[i, j] < 0 else '#2166ac') in attrs    # red < 0 < blue
    assert f"w {fmt(W2[1, 0], 3)}" in links[("L1.N1", "L2.N0")]
    assert fmt(h["loss"], 3) in nodes["loss"]
    assert ("L2.N0", "loss") in links
    # The widest edge is the largest |w| of its layer.
    widths = {k: float(re.search(r"penwidth=([\d.]+)", v).group(1)) for k, v in links.items()
              if k[1].startswith("L1.")}
    assert max(widths, key=widths.get) == ("x1", "L1.N1")        # |w| = 0.30


def test_network_graph_show_values_or_gradients():
    t = traced()
    values = viz.network_graph(t, step=1, show="values").source
    grads = viz.network_graph(t, step=1, show="gradients").source
    assert "dL/dw" not in values.replace("dL/dw=", "") and "δ =" not in values
    assert "w 0.15" not in grads and "δ =" in grads and "z =" not in grads
    with pytest.raises(ValueError, match="'show' parameter"):
        viz.network_graph(t, show="weights")


def test_tiny_network_dot_matches_the_stored_reference():
    """The same trace gives the same DOT text, byte for byte (ids from names, fixed order)."""
    for stem, make in [("tiny_network", lambda t: viz.network_graph(t, step=1, show="both")),
                       ("tiny_neuron_L1.N0", lambda t: viz.neuron_graph(t, "L1.N0", step=1))]:
        source = make(traced()).source
        assert source == make(traced()).source                     # two separate runs
        path = os.path.join(DATA, f"{stem}.dot")
        if UPDATE:
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
        with open(path, encoding="utf-8") as f:
            assert source == f.read(), f"{path} differs; NEUROTRACE_UPDATE_REFERENCE=1 rewrites it"


def test_both_backends_draw_the_same_graph():
    a = viz.network_graph(traced(), step=2).source
    b = viz.network_graph(traced(backend=nt.VectorizedNetwork), step=2).source
    assert a == b.replace("VectorizedNetwork", "NeuralNetwork")
    assert viz.neuron_graph(traced(), "L1.N1", step=2).source == \
        viz.neuron_graph(traced(backend=nt.VectorizedNetwork), "L1.N1", step=2).source


def test_network_graph_of_a_bare_network():
    net = tiny()
    g = viz.network_graph(net)                       # weights only
    links = edges(g.source)
    assert f"w {fmt(W1[0, 1], 3)}" in links[("x0", "L1.N1")]
    assert "no forward pass yet" in g.source and "loss" not in labels(g.source)
    net.forward(X[1])
    nodes = labels(viz.network_graph(net, show="values").source)
    assert fmt(by_hand(X[1], Y[1])["a2"][0], 3) in nodes["L2.N0"]
    vec = tiny(nt.VectorizedNetwork)
    vec.forward(X)
    nodes = labels(viz.network_graph(vec, sample=2, show="values").source)
    assert fmt(by_hand(X, Y)["a1"][2, 1], 3) in nodes["L1.N1"]
    with pytest.raises(TypeError, match="Trace, NeuralNetwork"):
        viz.network_graph("net")


def test_digits_sized_graph_stays_under_the_edge_budget_and_says_what_it_hid():
    Xd, _, Yd, _ = nt.datasets.digits(test_size=0.2)
    net = nt.NeuralNetwork([64, 32, 10], activation="sigmoid", output_activation="softmax",
                           seed=0)
    W_before = [w.copy() for w, _ in net.parameters()]
    with nt.trace(net, steps=[0]) as t:
        nt.fit(net, Xd[:16], Yd[:16], loss="cross_entropy", epochs=1, batch_size=16,
               progress=False)
    g = viz.network_graph(t, step=0, sample=3)
    links = edges(g.source)
    weight_edges = {k: v for k, v in links.items() if k[1] != "loss" and "invis" not in v}
    assert len(weight_edges) == 42 * 4 <= 200                  # 200 // 42 neurons = 4 each
    assert "showing 168 of 2368 edges, top-4 by |w| into each neuron" in g.source
    assert "edge labels hidden" in g.source and "8x8 grid" in g.source
    assert not any("label=" in v for v in weight_edges.values())
    # The kept edges are the 4 largest |w| into each neuron.
    for j in (0, 17):
        kept = sorted(int(tail.split(":")[1][1:]) for tail, head in weight_edges
                      if head == f"L1.N{j}")
        assert kept == sorted(np.argsort(-np.abs(W_before[0][:, j]))[:4].tolist())
    kept = sorted(int(tail.split(".N")[1]) for tail, head in weight_edges if head == "L2.N5")
    assert kept == sorted(np.argsort(-np.abs(W_before[1][:, 5]))[:4].tolist())
    # Every neuron and the loss are still there.
    nodes = labels(g.source)
    assert [n for n in nodes if n.startswith("L")] == \
        [f"L1.N{j}" for j in range(32)] + [f"L2.N{j}" for j in range(10)]
    assert "inputs" in nodes and "loss" in nodes
    # Other budgets and thresholds.
    small = viz.network_graph(t, step=0, show="gradients", top_k=2, min_weight=0.05)
    assert "top-2 by |dL/dw| into each neuron" in small.source
    assert "|w| < 0.05 hidden" in small.source
    assert len([k for k, v in edges(small.source).items()
                if k[1] != "loss" and "invis" not in v]) <= 84


@needs_dot
def test_graphs_render_to_svg(tmp_path):
    t = traced()
    for stem, g in [("net", viz.network_graph(t, step=0)),
                    ("neuron", viz.neuron_graph(t, "L1.N1", step=0))]:
        files = viz.render(g, tmp_path / stem, format="svg")
        assert [f.name for f in files] == [f"{stem}.dot", f"{stem}.svg"]
        svg = files[1].read_text(encoding="utf-8")
        assert "<svg" in svg and "L1.N1" in svg
        assert files[0].read_text(encoding="utf-8") == g.source
    bundle = viz.network_graph(t, step=0)._repr_mimebundle_()     # what Jupyter displays
    assert "<svg" in bundle["image/svg+xml"]
    png = viz.render(viz.network_graph(t, step=0), tmp_path / "net.png", format="png")[1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_dot_the_dot_is_saved_and_the_error_says_how_to_install(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert not viz.have_dot()
    g = viz.network_graph(traced(), step=0)
    with pytest.raises(viz.GraphvizNotFound) as error:
        viz.render(g, tmp_path / "out" / "net")
    message = str(error.value)
    for how in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz"):
        assert how in message
    assert str(tmp_path / "out" / "net.dot") in message
    assert (tmp_path / "out" / "net.dot").read_text(encoding="utf-8") == g.source
    assert isinstance(error.value, graphviz.ExecutableNotFound)    # graphviz's own error class
    with pytest.warns(viz.GraphvizWarning, match="apt-get install graphviz"):
        files = viz.render(g, tmp_path / "again", missing="warn")
    assert [f.name for f in files] == ["again.dot"]
    shown = g._repr_mimebundle_()                                  # Jupyter: source + the hint
    assert shown["text/plain"].startswith(g.source[:30]) and "brew install" in shown["text/plain"]


# --- plots -------------------------------------------------------------------------------------

@pytest.fixture
def xor_run():
    Xx, Yx = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], init="uniform", seed=2)
    before = [(w.copy(), b.copy()) for w, b in net.parameters()]
    with nt.trace(net) as t:
        history = nt.fit(net, Xx, Yx, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=30,
                         batch_size=1, shuffle=False, progress=False,
                         validation_data=(Xx, Yx))
    return net, history, t, (Xx, Yx), before


def saved(fig, path):
    import matplotlib.figure
    assert isinstance(fig, matplotlib.figure.Figure)
    fig.savefig(path)
    import matplotlib.pyplot as plt
    plt.close(fig)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    return path


def test_plots_return_figures_and_write_png(tmp_path, xor_run):
    net, history, t, (Xx, Yx), _ = xor_run
    figs = {
        "loss": viz.loss_curve(history),
        "loss_trace": viz.loss_curve(t),
        "grad": viz.gradient_norms(t, window=4),
        "weights": viz.weight_trajectories(t, ["L1"]),
        "boundary": viz.decision_boundary(net, Xx, Yx),
        "surface": viz.surface_comparison(nt.NeuralNetwork([2, 3, 1], seed=0)),
        "activations": viz.activations_plot(t, "L1"),
    }
    for name, fig in figs.items():
        saved(fig, tmp_path / f"{name}.png")


def test_plots_show_the_recorded_numbers(xor_run):
    import matplotlib.pyplot as plt
    net, history, t, (Xx, Yx), before = xor_run
    fig = viz.loss_curve(history)
    train, val = fig.axes[0].lines
    assert train.get_label() == "train" and val.get_label() == "validation"
    np.testing.assert_allclose(train.get_ydata(), history.loss)
    # Gradient norm of L2 at step 0, from a gradient computed here outside the trace.
    fresh = nt.NeuralNetwork.from_weights([w for w, b in before], [b for w, b in before])
    dW, db = fresh.gradients(Xx[0], Yx[0], "sse")[1]
    fig = viz.gradient_norms(t)
    assert fig.axes[0].get_yscale() == "log"
    l2 = fig.axes[0].lines[1]
    assert l2.get_label().startswith("L2 (output)")
    np.testing.assert_allclose(l2.get_ydata()[0], np.sqrt(np.sum(dW ** 2) + np.sum(db ** 2)))
    fig = viz.weight_trajectories(t, ["L2.N0"])
    assert [line.get_label() for line in fig.axes[0].lines] == ["L2.N0.w0", "L2.N0.w1", "L2.N0.b"]
    np.testing.assert_allclose(fig.axes[0].lines[-1].get_ydata()[-1], net.parameters()[1][1][0])
    fig = viz.activations_plot(t, 1)
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), t.series("L1.N1", "a"))
    fig = viz.surface_comparison(net)
    assert len(fig.axes) == 3 and "x_1^2 + x_2^2" in fig.axes[0].get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="2-D inputs"):
        viz.decision_boundary(net, np.zeros((4, 3)), Yx)
    with pytest.raises(KeyError, match="L1..L2"):
        viz.activations_plot(t, "L5")


def test_decision_boundary_with_classes(tmp_path):
    Xm, _, Ym, _ = nt.datasets.moons(test_size=0.2)
    net = nt.NeuralNetwork([2, 5, 2], activation="tanh", output_activation="softmax", seed=0)
    saved(viz.decision_boundary(net, Xm, Ym, resolution=50), tmp_path / "moons.png")


def test_plots_are_deterministic(tmp_path, xor_run):
    net, history, t, (Xx, Yx), _ = xor_run
    a = saved(viz.decision_boundary(net, Xx, Yx), tmp_path / "a.png").read_bytes()
    b = saved(viz.decision_boundary(net, Xx, Yx), tmp_path / "b.png").read_bytes()
    assert a == b


def test_the_engine_never_imports_the_picture_libraries():
    """Training, tracing, explaining: no matplotlib; graphviz only through neurotrace.viz."""
    import subprocess
    import sys
    code = ("import sys, neurotrace as nt\n"
            "X, Y = nt.datasets.xor(); net = nt.NeuralNetwork([2, 2, 1], seed=0)\n"
            "with nt.trace(net) as t: nt.fit(net, X, Y, epochs=1, progress=False)\n"
            "t.explain('L1.N0', 'w0', step=0); print(t[0])\n"
            "print('matplotlib' in sys.modules, 'graphviz' in sys.modules, "
            "'neurotrace.viz' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()[-3:]
    matplotlib, graphviz_, via_viz = (word == "True" for word in out)
    assert not matplotlib
    assert via_viz or not graphviz_
