"""Regenerate the README's pictures: ``python -m tools.make_figures figures`` (``make figures``).

Every figure is computed here from the package, never drawn by hand:

* ``xor_network_first``/``_last`` (.svg, .png): the hands-on's XOR network at the
  last step of its first epoch (input [1, 1]: at steps 0-2 an input is 0, and so is
  every dL/dw = delta * x of its weights) and at its last step, values and gradients;
* ``xor_neuron_L1.N0`` (.svg, .png): one hidden neuron's arithmetic;
* ``xor_loss_curve.png``, ``xor_decision_boundary.png``;
* ``quadratic_surface.png``: the hands-on's quadratic y = x1² + x2² (scaled to [0, 1]),
  true against learned by its 2-4-4-1 sigmoid network;
* ``quadratic_gradient_norms.png``: the gradient size per layer of that training
  (the first layer's gradients are the smallest: the vanishing-gradient lesson);
* ``digits_network`` (.svg, .png): the 64-32-10 digits network, readable
  thanks to top-k edges and the 8x8 input grid;
* ``viewer_xor.png``: the HTML viewer of the XOR trace, as the system's Chromium
  shows it (needs ``make chromium`` and Playwright).
"""
import argparse
import sys
import time
from pathlib import Path

import neurotrace as nt
from neurotrace import viz
from neurotrace.demo import DEFAULT_EPOCHS, train_xor
from neurotrace.viewer import browser

__all__ = ["main", "make_figures"]


def _save(fig, path):
    viz.save_figure(fig, path)
    return [path]


def make_figures(out="figures", quick=False, print=print):
    """Write every figure to ``out`` and return their paths; ``quick`` trains briefly (tests).

    Examples
    --------
    >>> import tempfile
    >>> paths = make_figures(tempfile.mkdtemp(), quick=True,
    ...                      print=lambda *a: None)  # doctest: +SKIP
    """

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def graph(g, stem):
        files = viz.render(g, out / stem, format=["svg", "png"])
        files[0].unlink()                       # the README shows SVG/PNG; the DOT is in tests
        written.extend(files[1:])

    start = time.perf_counter()
    # 1. The hands-on's XOR network, as in the demo.
    epochs = 200 if quick else DEFAULT_EPOCHS
    net, history, t, (X, Y) = train_xor(epochs)
    # The first picture: step 3, the last sample of the first epoch, input [1, 1] (as the
    # demo). At steps 0-2 an input is 0, and so is every dL/dw = delta * x of its weights.
    first, last = len(X) - 1, t.steps[-1]
    assert X[first].all(), "the first picture's step must have no zero input"
    graph(viz.network_graph(t, step=first, show="both"), "xor_network_first")
    graph(viz.network_graph(t, step=last, show="both"), "xor_network_last")
    graph(viz.neuron_graph(t, "L1.N0", step=last), "xor_neuron_L1.N0")
    written += _save(viz.loss_curve(history, ylabel="sse loss ½Σ(y - a)²"),
                     out / "xor_loss_curve.png")
    written += _save(viz.decision_boundary(net, X, Y), out / "xor_decision_boundary.png")
    print(f"  XOR: {epochs} epochs, total squared error "
          f"{float(((net.predict(X) - Y) ** 2).sum()):.4f}")

    # 2. The hands-on's quadratic surface with its 2-4-4-1 sigmoid network, one sample per step.
    Xq, Yq = nt.datasets.quadratic(35, seed=0)
    quad = nt.NeuralNetwork([2, 4, 4, 1], activation="sigmoid", init="uniform", seed=1)
    q_epochs = 100 if quick else 4500
    # Every 36th step: one record per epoch, and 36 = 35 + 1 walks through all 35 samples.
    with nt.trace(quad, every=36, quantities=["grad_weights", "grad_bias", "loss"]) as tq:
        nt.fit(quad, Xq, Yq, loss="sse", optimizer=nt.SGD(lr=0.1), epochs=q_epochs,
               batch_size=1, shuffle=False, progress=False)
    written += _save(viz.surface_comparison(quad, X_train=Xq, Y_train=Yq),
                     out / "quadratic_surface.png")
    fig = viz.gradient_norms(tq, window=35)
    fig.axes[0].set_title("Gradient size per layer, the hands-on's quadratic network 2-4-4-1\n"
                          "(thick: geometric mean over 35 recorded steps)", fontsize=10)
    fig.tight_layout()
    written += _save(fig, out / "quadratic_gradient_norms.png")
    print(f"  quadratic: {q_epochs} epochs, loss {quad.loss(Xq, Yq, 'sse'):.4f}")

    # 3. The digits network, 64-32-10: one epoch of mini-batches, then the graph of step 10.
    Xd, _, Yd, _ = nt.datasets.digits(test_size=0.2, scale="minmax")
    digits = nt.NeuralNetwork([64, 32, 10], activation="sigmoid", output_activation="softmax",
                              seed=0)
    with nt.trace(digits, steps=[10]) as td:
        nt.fit(digits, Xd, Yd, loss="cross_entropy", optimizer=nt.SGD(lr=0.5), epochs=1,
               batch_size=32, shuffle=True, seed=0, progress=False)
    graph(viz.network_graph(td, step=10, sample=0, show="both"), "digits_network")
    print("  digits: 64-32-10 network graph of step 10")

    # 4. The viewer on the XOR trace, photographed by the system's Chromium: the last
    # step, three events back (after the backward pass, before the updates), L1.N0 open.
    why = browser.missing()
    if why:
        print(f"  viewer: skipped viewer_xor.png because {why}")
    else:
        html = t.to_html(out / "viewer_xor.html")
        try:
            browser.screenshot(html, out / "viewer_xor.png", width=1280, height=820,
                               clicks=['[data-panel=network] [data-node="L1.N0"]',
                                       '[data-panel=inspector] [data-quantity="w0"]'],
                               keys=["End", "ArrowLeft", "ArrowLeft", "ArrowLeft"])
        finally:
            html.unlink()
        written.append(out / "viewer_xor.png")
        print("  viewer: the XOR trace, photographed in Chromium")
    print(f"wrote {len(written)} files to {out} in {time.perf_counter() - start:.1f} s:")
    for path in written:
        print(f"  {path.name:<32} {path.stat().st_size / 1024:7.1f} KiB")
    return written


def main(argv=None):
    """``python -m tools.make_figures [OUT] [--quick]``; OUT defaults to ``figures``."""
    parser = argparse.ArgumentParser(prog="python -m tools.make_figures",
                                     description="Regenerate the README's figures.")
    parser.add_argument("out", nargs="?", default="figures", help="folder (default: figures)")
    parser.add_argument("--quick", action="store_true", help="train briefly (for tests)")
    args = parser.parse_args(argv)
    try:
        make_figures(args.out, quick=args.quick)
    except viz.GraphvizNotFound as error:        # the README's figures need SVG and PNG
        print(f"make_figures: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
