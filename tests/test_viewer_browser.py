"""The viewer in a real browser: the system's Chromium driven by Playwright.

Without Chromium or Playwright these tests skip, saying why; under CI (the
``CI`` environment variable set) they fail instead, so CI always runs them.
One browser serves the whole module.
"""
import io
import os
from types import SimpleNamespace

import numpy as np
import pytest

import neurotrace as nt
from neurotrace.viewer import browser

WHY = browser.missing()


@pytest.fixture(scope="module")
def context():
    if WHY:
        if "CI" in os.environ:
            pytest.fail(f"Browser tests must run in CI, but {WHY}.")
        pytest.skip(WHY)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = browser.launch(p)
        yield ctx
        ctx.close()


def _xor_trace():
    X, Y = nt.datasets.xor()
    net = nt.NeuralNetwork([2, 2, 1], activation="sigmoid", init="uniform", seed=2)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=3, batch_size=1,
               shuffle=False, progress=False)
    return t


def _softmax_trace():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 4))
    Y = np.eye(3)[rng.integers(0, 3, size=24)]
    net = nt.NeuralNetwork([4, 8, 3], activation="sigmoid", output_activation="softmax", seed=0)
    with nt.trace(net) as t:
        nt.fit(net, X, Y, loss="cross_entropy", optimizer=nt.SGD(lr=0.1, momentum=0.9),
               epochs=2, batch_size=6, shuffle=True, seed=0, progress=False)
    return t


TRACES = {"xor": _xor_trace, "softmax": _softmax_trace}


@pytest.fixture(scope="module", params=sorted(TRACES))
def opened(request, context, tmp_path_factory):
    """The trace, and its page opened from file:// (with its console errors and requests)."""
    t = TRACES[request.param]()
    path = t.to_html(tmp_path_factory.mktemp("viewer") / f"{request.param}.html")
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    yield SimpleNamespace(t=t, page=page, errors=errors, requests=requests, path=path)
    page.close()


def node(name):
    """The SVG element of a node (panels carry data-node too: the event panel, ...)."""
    return f'[data-panel=network] [data-node="{name}"]'


def _bits(value):
    return np.float64(value).view(np.uint64)


def _same(shown, recorded, what):
    """``shown`` (a repr string from the page) is exactly the recorded float."""
    assert shown is not None, f"{what}: no data-value shown"
    assert _bits(float(shown)) == _bits(recorded), f"{what}: page {shown} != trace {recorded!r}"


INSPECTOR = """() => Array.from(document.querySelectorAll('[data-panel=inspector] [data-quantity]'))
  .map(r => [r.dataset.quantity, r.dataset.value ?? null, r.dataset.state ?? null,
             ...['grad', 'after'].map(p => r.querySelector(`[data-part=${p}]`)?.dataset.value ?? null)])"""
# Click a node (a real click event, sent from inside the page: one round trip) and read
# the inspector's rows.
INSPECT = """(name) => {
  document.querySelector(`[data-panel=network] [data-node="${name}"]`)
    .dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return (INSPECTOR)();
}""".replace("INSPECTOR", INSPECTOR)


def _go(page, step_id):
    page.locator("[data-control=step]").fill(str(step_id))
    assert page.locator("[data-control=step]").input_value() == str(step_id)


def _check_step(t, page, k, sample=0):
    s = t[k]
    pick = (lambda v: v) if s.n_samples is None else (lambda v: v[sample])
    for name in [n for layer in t.node_names() for n in layer]:
        rows = {r[0]: r[1:] for r in page.evaluate(INSPECT, name)}
        f, b, u = s.forward[name], s.backward[name], s.update[name]
        expected = {q: pick(f[q]) for q in ("z", "a") if q in f}
        expected.update({q: pick(b[q]) for q in ("dL_da", "da_dz", "delta") if q in b})
        expected.update({f"sent:{p}": pick(v) for p, v in b["to_predecessors"].items()})
        for q, value in expected.items():
            _same(rows[q][0], value, f"step {k} {name} {q}")
        params = {"b": (u["bias_before"], b["grad_bias"], u["bias_after"])}
        params.update({f"w{i}": (u["weights_before"][i], b["grad_weights"][i],
                                 u["weights_after"][i]) for i in range(len(b["grad_weights"]))})
        for q, (before, grad, after) in params.items():
            _same(rows[q][0], before, f"step {k} {name} {q} before")
            _same(rows[q][2], grad, f"step {k} {name} {q} gradient")
            _same(rows[q][3], after, f"step {k} {name} {q} after")
        assert not [q for q, r in rows.items() if r[1] == "not-yet"], "values missing at step end"
    x = pick(s.forward["L1.N0"]["x"])
    for i, value in enumerate(x):
        rows = {r[0]: r[1:] for r in page.evaluate(INSPECT, f"x{i}")}
        _same(rows["x"][0], value, f"step {k} x{i}")
    rows = {r[0]: r[1:] for r in page.evaluate(INSPECT, "loss")}
    _same(rows["loss"][0], s.loss, f"step {k} loss")


def test_opens_from_disk_without_errors_or_network(opened):
    t, page = opened.t, opened.page
    assert opened.errors == []
    assert opened.requests == [opened.path.as_uri()]                  # the page itself, nothing else
    for name in ["x0", "L1.N0", "loss"] + [f"L{len(t.sizes) - 1}.N0"]:
        assert page.locator(node(name)).count() == 1
    assert page.locator('[data-panel=network] [data-edge="x0->L1.N0"]').count() == 1
    n_edges = sum(a * b for a, b in zip(t.sizes[:-1], t.sizes[1:])) + t.sizes[-1]
    assert page.locator("[data-panel=network] [data-edge]").count() == n_edges


def test_every_value_equals_the_trace_bit_for_bit(opened):
    t, page = opened.t, opened.page
    for k in (t.steps[0], t.steps[len(t.steps) // 2], t.steps[-1]):
        _go(page, k)
        _check_step(t, page, k)
    if t[t.steps[-1]].n_samples:                         # another sample of the batch
        page.select_option("[data-control=sample]", "3")
        _check_step(t, page, t.steps[-1], sample=3)
        page.select_option("[data-control=sample]", "0")
    assert opened.errors == []


def _event(page):
    panel = page.locator("[data-panel=event]")
    return panel.get_attribute("data-phase"), panel.get_attribute("data-node")


def _events(t, k):
    """Step k's events as (phase, node, text): t.events(k), or until the step-through issue
    puts t.events in the package, the order of DESIGN.md (forward layer by layer, the
    loss, backward from the output layer down, the updates) without text."""
    if hasattr(t, "events"):
        return [(ev.phase, ev.node, str(ev)) for ev in t.events(k)]
    names = [n for layer in t.node_names() for n in layer]
    return ([("forward", n, "") for n in names] + [("loss", "loss", "")]
            + [("backward", n, "") for layer in t.node_names()[::-1] for n in layer]
            + [("update", n, "") for n in names])


RECORD_EVENTS = """() => {
  window.seen = [];
  const panel = document.querySelector('[data-panel=event]');
  new MutationObserver(() => window.seen.push([panel.dataset.phase, panel.dataset.node,
                                               panel.querySelector('[data-text]')?.textContent]))
    .observe(panel, {attributes: true, attributeFilter: ['data-index']});
}"""


def test_event_stepping_in_order_with_keys(opened):
    t, page = opened.t, opened.page
    k = t.steps[1]
    events = _events(t, k)
    order = [(phase, node) for phase, node, text in events]
    _go(page, t.steps[0])
    assert _event(page) == order[-1]                    # a step opens complete
    page.evaluate(RECORD_EVENTS)
    for _ in order:                                     # from the end of step 0 ...
        page.keyboard.press("ArrowRight")               # ... through every event of step 1
    seen = page.evaluate("window.seen")
    assert [(phase, node) for phase, node, text in seen] == order
    assert [text for phase, node, text in seen] == [text for phase, node, text in events]
    assert page.locator("[data-control=step]").input_value() == str(k)
    page.keyboard.press("ArrowRight")                   # on into the next step's first event
    assert _event(page) == order[0]
    assert page.locator("[data-control=step]").input_value() == str(t.steps[2])
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")                    # back before it, to step 1's end
    assert _event(page) == order[-1]
    page.keyboard.press("Shift+ArrowLeft")
    assert page.locator("[data-control=step]").input_value() == str(t.steps[0])
    page.keyboard.press("Shift+ArrowRight")
    assert page.locator("[data-control=step]").input_value() == str(k)
    page.keyboard.press("End")
    assert page.locator("[data-control=step]").input_value() == str(t.steps[-1])
    page.keyboard.press("Home")
    assert page.locator("[data-control=step]").input_value() == str(t.steps[0])
    page.click("[data-control=next-step]")
    assert page.locator("[data-control=step]").input_value() == str(k)
    page.click("[data-control=prev-step]")
    assert page.locator("[data-control=step]").input_value() == str(t.steps[0])
    page.click("[data-control=next-event]")
    page.click("[data-control=prev-event]")
    assert _event(page) == ("start", "")
    assert page.locator(node("L1.N0") + ".pending").count() == 1


def test_not_yet_computed_is_shown_as_such(opened):
    t, page = opened.t, opened.page
    _go(page, t.steps[0])
    page.click("[data-control=next-event]")             # step 1: only L1.N0's forward done
    assert _event(page) == ("forward", "L1.N0")
    rows = {r[0]: r for r in page.evaluate(INSPECT, "L1.N1")}
    assert rows["z"][2] == "not-yet" and rows["delta"][2] == "not-yet"
    assert rows["w0"][1] is not None and rows["w0"][3] is None   # weight known, gradient not
    rows = {r[0]: r for r in page.evaluate(INSPECT, "L1.N0")}
    assert rows["z"][1] is not None and rows["delta"][2] == "not-yet"
    assert page.locator(node("L1.N1") + ".pending").count() == 1
    assert page.locator(node("L1.N0") + ".now").count() == 1
    # On to the loss event: a softmax output's a is known only from there (it needs the
    # whole layer's z), any other output's a from its own forward event.
    events, out = _events(t, t.steps[1]), f"L{len(t.sizes) - 1}.N0"
    before_loss = [phase for phase, node, text in events].index("loss") - 1
    for _ in range(before_loss):
        page.click("[data-control=next-event]")
    assert _event(page) == ("forward", events[before_loss][1])
    rows = {r[0]: r for r in page.evaluate(INSPECT, out)}
    softmax = t.activation_names[-1] == "softmax" and hasattr(t, "events")
    assert (rows["a"][2] == "not-yet") == softmax and rows["z"][2] is None
    page.click("[data-control=next-event]")
    rows = {r[0]: r for r in page.evaluate(INSPECT, out)}
    assert rows["a"][1] is not None and rows["delta"][2] == "not-yet"


def test_explain_panel_is_t_explain(opened):
    t, page = opened.t, opened.page
    k = t.steps[-1]
    _go(page, k)
    out = f"L{len(t.sizes) - 1}.N0"
    # (node, quantity, what to click in the inspector): a row explains its quantity (a
    # weight's row, its gradient), the "after" cell of a parameter its update.
    asked = [("L1.N0", "w1", '[data-quantity="w1"]'), (out, "b", '[data-quantity="b"]')]
    try:
        t.explain("L1.N0", "z", step=k)
        rich = True                      # a t.explain of every quantity
    except (KeyError, ValueError):
        rich = False
    if rich:
        asked += [("L1.N0", "z", '[data-quantity="z"]'), (out, "delta", '[data-quantity="delta"]'),
                  ("L1.N0", "update:w0", '[data-quantity="w0"] [data-part=after]')]
    for name, q, cell in asked:
        page.click(node(name))
        page.click(f"[data-panel=inspector] {cell}")
        panel = page.locator("[data-panel=explain]")
        assert panel.get_attribute("data-node") == name
        assert panel.get_attribute("data-quantity") == q
        assert panel.locator("pre").text_content() == str(t.explain(name, q, step=k))


def test_edge_panel_and_loss_curve(opened):
    t, page = opened.t, opened.page
    k = t.steps[0]
    _go(page, k)
    page.locator('[data-hit="x1->L1.N0"]').dispatch_event("click")   # lines cross: no mouse
    panel = page.locator("[data-panel=edge]")
    assert panel.get_attribute("data-edge") == "x1->L1.N0"
    u, b = t[k].update["L1.N0"], t[k].backward["L1.N0"]
    _same(panel.locator("[data-quantity=w]").get_attribute("data-value"),
          u["weights_before"][1], "edge w")
    _same(panel.locator("[data-quantity=dL_dw]").get_attribute("data-value"),
          b["grad_weights"][1], "edge dL/dw")
    _same(panel.locator("[data-quantity=w_after]").get_attribute("data-value"),
          u["weights_after"][1], "edge w after")
    assert panel.locator("[data-panel=sparkline] polyline").count() == 1
    curve = page.locator("[data-panel=loss]")
    box = curve.bounding_box()                          # click the curve's right end
    curve.click(position={"x": box["width"] - 3, "y": box["height"] / 2})
    assert page.locator("[data-control=step]").input_value() == str(t.steps[-1])


def test_screenshot_is_not_blank(opened):
    import matplotlib.image
    png = opened.page.screenshot()
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    assert pixels.std() > 0.05                           # not one flat colour
    assert (pixels.reshape(-1, 3) < 0.5).any(axis=1).mean() > 0.005   # some dark ink
    assert opened.errors == []


def test_jupyter_iframe_runs_the_page(context, tmp_path):
    """What Jupyter shows for ``t`` (an iframe with srcdoc, sandboxed) runs the viewer."""
    t = _xor_trace()
    notebook_output = tmp_path / "output.html"
    notebook_output.write_text(f"<!DOCTYPE html><html><body>{t._repr_html_()}</body></html>",
                               encoding="utf-8")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(notebook_output.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator("body[data-ready=true]").wait_for()
    assert frame.locator("[data-panel=network] [data-node]").count() == 2 + 3 + 1
    frame.locator("[data-control=next-step]").click()
    assert frame.locator("[data-control=step]").input_value() == str(t.steps[1])
    assert errors == []
    page.close()
