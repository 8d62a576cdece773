"""The README is a promise: its set-up commands are the ones CI and the Makefile use,
and every Python example in it runs."""
import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_two_setup_commands_demo_and_tests():
    commands = [line.split("#")[0].strip() for line in blocks("sh")[0].splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)


def run_alone(code, cwd):
    """Start one README block in a fresh interpreter, as a reader pasting it would."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_every_python_example_runs_alone_in_a_fresh_interpreter(tmp_path):
    codes = blocks("python")
    assert len(codes) >= 4
    runs = [run_alone(code, tmp_path) for code in codes]       # side by side: faster
    printed = []
    for i, (code, run) in enumerate(zip(codes, runs), start=1):
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, f"README block {i} failed alone:\n{code}\n{err}"
        printed.append(out)
    printed = "\n".join(printed)
    # The numbers the README shows in its comments are the ones printed.
    assert "6.0 12.0 [ 12. -24.  36.] 12.0 [-36. -12.  24.]" in printed
    assert "[(2, 3), (3, 1)]" in printed
    assert "(8,)" in printed
    accuracy = float(re.search(r"test accuracy (\S+)", printed).group(1))
    assert accuracy >= 0.93
    assert (tmp_path / "digits.npz").exists() and (tmp_path / "run.trace.npz").exists()


def test_the_explained_weight_has_a_gradient(tmp_path, monkeypatch):
    """The README explains a weight at a step whose input is not 0, so dL/dw is not 0."""
    import neurotrace as nt
    monkeypatch.chdir(tmp_path)                      # the example writes run.html
    code = next(c for c in blocks("python") if "t.explain(" in c)
    step = int(re.search(r'explain\("L1.N0", "w0", step=(\d+)\)', code).group(1))
    X, Y = nt.datasets.xor()
    assert X[step, 0] != 0                           # no shuffling: step k is sample k
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code.replace('t.save("run.trace.npz")', "").replace(
            't2 = nt.Trace.load("run.trace.npz")', ""), "README.md", "exec"), namespace)
    explanation = namespace["t"].explain("L1.N0", "w0", step=step)
    assert abs(explanation.value) > 1e-3
