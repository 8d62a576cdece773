"""What a new user meets in the first hour: names that suggest, objects that show
themselves, a demo that tells one story. (README blocks: tests/test_readme.py.)"""
import pydoc
import re

import numpy as np
import pytest

import neurotrace as nt
from neurotrace import demo


@pytest.mark.parametrize("call, suggestion", [
    (lambda: nt.Neuron(2, "sigmod"), "Did you mean 'sigmoid'?"),
    (lambda: nt.NeuralNetwork([2, 1], "ReLU"), "Did you mean 'relu'?"),
    (lambda: nt.VectorizedNetwork([2, 1], "tanh", output_activation="softmx"),
     "Did you mean 'softmax'?"),
    (lambda: nt.losses.get("crossentropy"), "Did you mean 'cross_entropy'?"),
    (lambda: nt.NeuralNetwork([2, 1], seed=0).loss([[0, 0]], [[0]], "MSE"),
     "Did you mean 'mse'?"),
])
def test_unknown_names_suggest_the_closest_valid_one(call, suggestion):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).endswith(suggestion)


def test_a_name_close_to_nothing_gets_no_guess():
    with pytest.raises(ValueError) as info:
        nt.losses.get("hinge")
    assert "Did you mean" not in str(info.value)


def test_print_neuron_shows_its_weights_and_last_values():
    n = nt.Neuron(3, "sigmoid", weights=[0.1, -0.2, 0.3], bias=0.5, name="L1.N2")
    assert str(n).splitlines()[:3] == ["Neuron L1.N2 (3 inputs, sigmoid)",
                                       "  weights w: [ 0.1 -0.2  0.3]", "  bias b:    0.5"]
    a = n.forward(np.array([1.0, 2.0, 3.0]))
    n.backward(1.0)
    text = str(n)
    assert f"a = {a:.4g}" in text and f"delta = {n.delta:.4g}" in text
    assert repr(n) == "Neuron(3, 'sigmoid', name='L1.N2')"     # repr stays short


def test_help_neuron_documents_what_a_student_looks_for():
    text = pydoc.render_doc(nt.Neuron, renderer=pydoc.plaintext)
    for attribute in ["z :", "a :", "delta :", "dL_da :", "da_dz :", "grad_weights :",
                      "to_predecessors :"]:
        assert attribute in text, attribute


def test_demo_prints_the_loss_its_plot_shows_and_draws_a_step_with_gradients(tmp_path):
    printed = []
    result = demo.run(tmp_path, epochs=40, print=lambda *a: printed.append(" ".join(a)))
    net, history, t, (X, Y) = demo.train_xor(40)
    report = "\n".join(printed)
    first, last = re.search(r"sse loss ½Σ\(y - a\)²: (\S+) after epoch 1 -> (\S+) after",
                            report).groups()
    assert float(first) == pytest.approx(history.loss[0], abs=5e-5)      # the plotted values
    assert float(last) == pytest.approx(history.loss[-1], abs=5e-5)
    assert result["loss"] == history.loss[-1]
    step = int(re.search(r"network at step (\d+)", report).group(1))
    assert np.all(t[step].backward["L1.N0"]["grad_weights"] != 0)       # no input is 0
    assert np.all(t[step].backward["L1.N1"]["grad_weights"] != 0)


def test_the_readme_figure_of_the_first_step_shows_gradients():
    """figures/xor_network_first.svg (make figures) is drawn at a step where no input is 0,
    so every edge's dL/dw = delta * x is non-zero; checked against a fresh trace."""
    import html
    from pathlib import Path
    figure = Path(__file__).resolve().parents[1] / "figures" / "xor_network_first.svg"
    svg = html.unescape(figure.read_text("utf-8"))
    step = int(re.search(r"NeuralNetwork \[2, 2, 1\] at step (\d+)", svg).group(1))
    _, _, t, (X, _) = demo.train_xor(40)
    assert np.all(X[step % len(X)] != 0)
    shown = dict(re.findall(r'xlink:title="(\S+ -> \S+): w=\S+ dL/dw=(\S+)"', svg))
    assert len(shown) == 2 * 2 + 2 * 1
    for edge, value in shown.items():
        source, target = edge.split(" -> ")
        i = int(source[1:]) if source.startswith("x") else int(source.split(".N")[1])
        recorded = t[step].backward[target]["grad_weights"][i]
        assert float(value) != 0 and float(value) == pytest.approx(recorded, rel=5e-3), edge
