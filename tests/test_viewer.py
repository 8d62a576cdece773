"""The viewer page without a browser: its embedded numbers, its size bounds, Jupyter, the CLI.

What the page does with these numbers is tested in a real browser in
test_viewer_browser.py.
"""
import base64
import gzip
import html
import json
import re

import numpy as np
import pytest

import neurotrace as nt
from neurotrace.cli import main


@pytest.fixture(scope="module")
def xor_trace():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], activation="sigmoid", init="uniform", seed=2)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=5, batch_size=1,
               shuffle=False, progress=False)
    return t


def _embedded(page):
    """The JSON the page carries."""
    match = re.search(r'<script type="application/json" id="nt-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(match.group(1))


def _texts(data):
    """The gzip-compressed texts: events, their reveals and explanations, per shown step."""
    return json.loads(gzip.decompress(base64.b64decode(data["texts"])))


def _array(data, ref):
    raw = base64.b64decode(data["blobs"][ref["r"]])
    return np.frombuffer(raw, dtype="<f8").reshape(ref["shape"])


def test_embedded_numbers_are_the_trace_bit_for_bit(xor_trace):
    t = xor_trace
    data = _embedded(nt.viewer.page(t))
    assert [s["id"] for s in data["steps"]] == t.steps
    for entry in data["steps"]:
        s = t[entry["id"]]
        for l, names in enumerate(t.node_names()):
            layer = entry["layers"][l]
            for j, name in enumerate(names):
                f, b, u = s.forward[name], s.backward[name], s.update[name]
                for q in ("z", "a"):
                    assert _array(data, layer[q])[j].tobytes() == np.float64(f[q]).tobytes()
                for q in ("dL_da", "da_dz", "delta"):
                    assert _array(data, layer[q])[j].tobytes() == np.float64(b[q]).tobytes()
                assert _array(data, layer["w"])[j].tobytes() == u["weights_before"].tobytes()
                assert _array(data, layer["wa"])[j].tobytes() == u["weights_after"].tobytes()
                assert _array(data, layer["gw"])[j].tobytes() == b["grad_weights"].tobytes()
                assert _array(data, layer["b"])[j] == u["bias_before"]
        assert entry["loss"] == s.loss
    # The weights after one step are the weights before the next: stored once.
    first, second = data["steps"][0]["layers"][0], data["steps"][1]["layers"][0]
    assert first["wa"]["r"] == second["w"]["r"]


def test_page_is_self_contained(xor_trace):
    page = nt.viewer.page(xor_trace)
    assert page.startswith("<!DOCTYPE html>")
    for needle in ("src=", "href=", "@import", "url(", "fetch(", "XMLHttpRequest", "<link"):
        assert needle not in page, needle
    # The only address in the page is the SVG namespace, a name, never loaded.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", page)) == {"http://www.w3.org/2000/svg"}
    for hook in ("step", "prev-step", "next-step", "prev-event", "next-event", "play"):
        assert f'data-control="{hook}"' in page
    for panel in ("inspector", "event", "explain"):
        assert f'data-panel="{panel}"' in page


def test_json_cannot_end_the_script_element():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=4, progress=False)
    page = nt.viewer.page(t, title="</script><b>&")
    data = page[page.index('id="nt-data">'):]
    data = data[:data.index("</script>")]
    assert "<" not in data[len('id="nt-data">'):] and _embedded(page)["title"] == "</script><b>&"
    assert "<title>neurotrace viewer: &lt;/script&gt;&lt;b&gt;&amp;</title>" in page


def test_steps_are_thinned_and_the_page_says_so(xor_trace):
    t = xor_trace
    data = _embedded(nt.viewer.page(t, max_steps=5))
    ids = [s["id"] for s in data["steps"]]
    assert len(ids) == 5 and ids[0] == t.steps[0] and ids[-1] == t.steps[-1]
    assert any("shows 5 of the 20 recorded steps" in n for n in data["notes"])
    assert len(data["loss"]) == len(t.steps)            # the loss curve keeps every step
    small = _embedded(nt.viewer.page(t, max_bytes=2000))
    assert 2 <= len(small["steps"]) < len(t.steps)
    assert any(f"shows {len(small['steps'])} of the 20" in n for n in small["notes"])
    chosen = _embedded(nt.viewer.page(t, steps=[3, 7]))
    assert [s["id"] for s in chosen["steps"]] == [3, 7]
    with pytest.raises(KeyError, match="Steps \\[99\\] were not recorded"):
        nt.viewer.page(t, steps=[3, 99])


def test_explanations_are_bounded_and_the_page_says_so(xor_trace):
    t = xor_trace
    from neurotrace.viewer import build
    k = t.steps[0]
    per_step = len(build._explain_plan(t, k, build._explains_everything(t, k)))
    data = _embedded(nt.viewer.page(t, max_explain=2 * per_step + 1))   # 2 steps fit
    explained = [s["id"] for s in data["steps"] if s["explained"]]
    assert explained == [t.steps[0], t.steps[-1]]
    assert any("embedded for 2 of the 20 steps" in n for n in data["notes"])
    texts = _texts(data)["explain"]
    assert texts[-1]["L1.N0"]["w1"] == str(t.explain("L1.N0", "w1", step=t.steps[-1]))
    assert texts[1] == {}


def test_embedded_events_are_t_events(xor_trace):
    t = xor_trace
    texts = _texts(_embedded(nt.viewer.page(t, steps=[2, 3])))
    for k, events in zip([2, 3], texts["events"]):
        assert [(e[0], e[1], e[2]) for e in events] == [(ev.phase, ev.node, str(ev))
                                                        for ev in t.events(k)]
        assert [texts["reveals"][e[3]] for e in events] == [
            {node: sorted(values) for node, values in ev.reveals.items()} for ev in t.events(k)]
    assert len(texts["reveals"]) == len(t.events(2))     # the same sets each step: stored once


def test_bad_arguments_and_empty_traces(xor_trace):
    with pytest.raises(ValueError, match="'max_steps' parameter of to_html"):
        nt.viewer.page(xor_trace, max_steps=0)
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as empty:
        pass
    with pytest.raises(ValueError, match="recorded no steps"):
        nt.viewer.page(empty)


def test_limited_traces_still_make_a_page():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 3, 1], seed=0)
    with nt.trace(net, neurons=["L1.N1"]) as t:
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=2, progress=False)
    data = _embedded(nt.viewer.page(t))
    assert data["steps"][0]["layers"][1] is None                  # L2 not recorded
    try:                                 # events as t.events gives them, or a note saying why not
        expected = [[ev.phase, ev.node, str(ev)] for ev in t.events(t.steps[0])]
    except AttributeError:
        pass                             # no t.events yet
    except (KeyError, TypeError, ValueError):
        assert any("could not be replayed" in note for note in data["notes"])
    else:
        assert [e[:3] for e in _texts(data)["events"][0]] == expected
    with nt.trace(net, quantities=["loss"]) as t2:
        nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=2, progress=False)
    assert _embedded(nt.viewer.page(t2))["steps"][0]["layers"][0] == {}


def test_to_html_and_jupyter(xor_trace, tmp_path):
    path = xor_trace.to_html(tmp_path / "sub" / "run.html", max_steps=4)
    assert path.read_text(encoding="utf-8") == nt.viewer.page(xor_trace, max_steps=4)
    assert [p.name for p in path.parent.iterdir()] == ["run.html"]   # no temporary left
    frame = xor_trace._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts"' in frame
    srcdoc = html.unescape(frame[len('<iframe srcdoc="'):frame.index('" style=')])
    assert srcdoc == nt.viewer.page(xor_trace, max_bytes=nt.viewer.NOTEBOOK_MAX_BYTES)


def test_cli_view(xor_trace, tmp_path, capsys):
    saved = tmp_path / "run.trace.npz"
    xor_trace.save(saved)
    assert main(["view", str(saved), "-o", str(tmp_path / "run.html"), "--max-steps", "3"]) == 0
    data = _embedded((tmp_path / "run.html").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["steps"]] == [0, 10, 19]
    assert "wrote" in capsys.readouterr().out
    assert main(["view", str(saved)]) == 0                        # default name: run.html
    assert (tmp_path / "run.html").exists()
    (tmp_path / "bad.npz").write_bytes(b"not a trace")
    assert main(["view", str(tmp_path / "bad.npz")]) == 2
    assert "not a readable neurotrace trace" in capsys.readouterr().err
