"""The demo, the `neurotrace` command and the figure script write every file they promise."""
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neurotrace import cli, viz
from neurotrace.demo import train_xor
from neurotrace.viewer import browser
from tools import make_figures as figures

GRAPHS = ["network_first", "network_last", "neuron_L1.N0"]
OTHERS = ["loss_curve.png", "decision_boundary.png", "explain_L1.N0_w0.txt",
          "explain_L1.N0_w0.md"]


def promised(with_dot):
    formats = ["dot", "svg", "png"] if with_dot else ["dot"]
    return sorted([f"{g}.{fmt}" for g in GRAPHS for fmt in formats] + OTHERS)


def check_output_folder(out, with_dot):
    out = Path(out)
    assert sorted(p.name for p in out.iterdir()) == promised(with_dot)
    for name in promised(with_dot):
        assert (out / name).stat().st_size > 100, name
    if with_dot:
        assert "<svg" in (out / "network_last.svg").read_text(encoding="utf-8")
        assert (out / "neuron_L1.N0.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "loss_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert '"L1.N0.w0"' in (out / "neuron_L1.N0.dot").read_text(encoding="utf-8")


def test_demo_writes_every_file_it_promises(tmp_path, capsys):
    out = tmp_path / "demo"
    assert cli.main(["demo", "--out", str(out), "--epochs", "300"]) == 0
    check_output_folder(out, viz.have_dot())
    printed = capsys.readouterr().out
    assert f"wrote {len(promised(viz.have_dot()))} files to {out}" in printed
    for stem in GRAPHS + ["loss_curve", "decision_boundary", "explain_L1.N0_w0"]:
        assert stem in printed
    assert len(printed.splitlines()) <= 15
    # The explanation carries the gradient the last update used, recomputed here.
    net, history, t, (X, Y) = train_xor(300)
    last = t.steps[-1]
    used = t[last].backward["L1.N0"]["grad_weights"][0]
    text = (out / "explain_L1.N0_w0.txt").read_text(encoding="utf-8")
    assert f"gradient used by the update: {used:.6g}" in text
    assert "dL/dw0 = dL/da · da/dz · dz/dw0" in text
    assert "∂L/∂w<sub>0</sub>" in (out / "explain_L1.N0_w0.md").read_text(encoding="utf-8")
    # The printed predictions are the trained network's.
    for x, p in zip(X, net.predict(X)[:, 0]):
        assert f"{x.astype(int).tolist()} -> {p:.3f}" in printed


def test_demo_without_dot_still_writes_the_dot_and_says_how_to_install(tmp_path, monkeypatch,
                                                                        capsys):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "demo"
    assert cli.main(["demo", "--out", str(out), "--epochs", "20"]) == 0
    check_output_folder(out, with_dot=False)
    printed = capsys.readouterr().out
    assert "apt-get install graphviz" in printed and "brew install graphviz" in printed


def test_demo_converges_in_ci_through_the_installed_command(tmp_path):
    """The README's command, run as a user would: the console script (or python -m neurotrace)."""
    script = Path(sys.executable).with_name("neurotrace")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "neurotrace"]
    out = tmp_path / "demo output"
    env = dict(os.environ, CI="1")
    done = subprocess.run(command + ["demo", "--out", str(out)], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    check_output_folder(out, viz.have_dot())
    assert "trained 2000 epochs = 8000 steps" in done.stdout
    predictions = [float(p) for p in re.findall(r"\] -> ([\d.]+)", done.stdout)]
    assert len(predictions) == 4
    np.testing.assert_array_less(np.abs(np.array(predictions) - [0, 1, 1, 0]), 0.2)   # XOR


def test_python_dash_m_neurotrace_shows_help():
    done = subprocess.run([sys.executable, "-m", "neurotrace", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "demo" in done.stdout and "bench" not in done.stdout


def test_cli_without_a_command_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert "demo" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["demo", "--epochs", "0"])


@pytest.mark.skipif(not viz.have_dot(), reason="Graphviz's 'dot' program is not installed")
def test_figure_script_writes_the_readme_figures(tmp_path, capsys):
    assert figures.main([str(tmp_path), "--quick"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([
        "xor_network_first.svg", "xor_network_first.png", "xor_network_last.svg",
        "xor_network_last.png", "xor_neuron_L1.N0.svg", "xor_neuron_L1.N0.png",
        "xor_loss_curve.png", "xor_decision_boundary.png", "quadratic_surface.png",
        "quadratic_gradient_norms.png", "digits_network.svg", "digits_network.png"]
        + ([] if browser.missing() else ["viewer_xor.png"]))
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) < 3 * 2 ** 20
    assert "showing 168 of 2368 edges" in (tmp_path / "digits_network.svg").read_text("utf-8")
