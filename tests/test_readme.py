"""The README is a promise: its set-up commands are the ones CI and the Makefile use,
and every Python example in it runs."""
import contextlib
import io
import re
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


def test_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for code in blocks("python"):
            exec(compile(code, "README.md", "exec"), namespace)
    printed = out.getvalue()
    # The numbers the README shows in its comments are the ones printed.
    assert "6.0 12.0 [ 12. -24.  36.] 12.0 [-36. -12.  24.]" in printed
    assert "[(2, 3), (3, 1)]" in printed
    assert "(8,)" in printed
    accuracy = float(re.search(r"test accuracy (\S+)", printed).group(1))
    assert accuracy >= 0.93
    assert (tmp_path / "digits.npz").exists() and (tmp_path / "run.trace.npz").exists()
