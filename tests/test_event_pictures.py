"""Pictures of a step up to one of its events: done values have numbers, the next is highlighted."""

import pytest

import neurotrace as nt
from neurotrace.viz.graphs import HIGHLIGHT


@pytest.fixture(scope="module")
def xor():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), batch_size=1, shuffle=False,
               progress=False, warn=False)
    return t


def node_line(source, name):
    """Every attribute line of node ``name`` in DOT source, joined (a node may be declared twice)."""
    lines = [line for line in source.splitlines()
             if line.strip().startswith((f'"{name}" [', f"{name} ["))]
    assert lines, name
    return " ".join(lines)


def test_network_graph_up_to_each_event(xor, tmp_path):
    t = xor
    events = t.events(1)
    s = t[1]
    for ev in events:
        src = nt.viz.network_graph(t, event=ev).source
        done = {e.key for e in events[:ev.index + 1]}
        for layer in t.node_names():
            for name in layer:
                line = node_line(src, name)
                z = f"{s.forward[name]['z']:.3g}"
                assert (f"z = {z}" in line) == (("forward", name) in done), (ev, name)
                delta = f"{s.backward[name]['delta']:.3g}"
                assert (f"δ = {delta}" in line) == (("backward", name) in done), (ev, name)
                nxt = events[ev.index + 1] if ev.index + 1 < len(events) else None
                assert (HIGHLIGHT in line) == (nxt is not None and nxt.node == name)
        assert (f"{s.loss:.3g}" in node_line(src, "loss")) == (ev.index >= 3)
        assert f"after event {ev.index}: {ev.phase} {ev.node}" in src
    # by index, and rendered by the real Graphviz
    g = nt.viz.network_graph(t, step=1, event=4)
    assert g.source == nt.viz.network_graph(t, event=events[4]).source
    if nt.viz.have_dot():
        written = nt.viz.render(g, tmp_path / "net", format="png")
        assert written[-1].suffix == ".png" and written[-1].stat().st_size > 1000


def test_neuron_graph_up_to_an_event(xor):
    t = xor
    events = t.events(2)
    s = t[2]
    before = nt.viz.neuron_graph(t, "L1.N1", event=events[5]).source   # next: backward L1.N1
    delta = f"{s.backward['L1.N1']['delta']:.4g}"
    z = f"{s.forward['L1.N1']['z']:.4g}"
    assert z in before and delta not in before
    assert HIGHLIGHT in node_line(before, "L1.N1.z") and HIGHLIGHT in node_line(before, "L1.N1.f")
    assert "backward L1.N1" in before
    after = nt.viz.neuron_graph(t, "L1.N1", event=events[6]).source
    assert delta in after and HIGHLIGHT not in after
    whole = nt.viz.neuron_graph(t, "L1.N1", step=2).source
    assert "?" not in whole and delta in whole
    assert "dL/dw0 = δ·x0 = " in before
    with pytest.raises(ValueError, match="has 10 events"):
        nt.viz.neuron_graph(t, "L1.N1", step=2, event=10)
    with pytest.raises(TypeError, match="must be an Event"):
        nt.viz.network_graph(t, step=2, event="forward")
