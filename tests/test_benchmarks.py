"""Tests of the benchmark (``make bench``): it runs, reports every row, writes its files.

No test here looks at how long anything took; timing is the benchmark's job.
"""
import contextlib
import importlib
import io
import json
import os
import sys

import pytest

from benchmarks.sweep import EPOCHS_PER_FIT

EXPECTED_KEYS = {"date", "quick", "machine", "versions", "network", "settings", "rows",
                 "targets", "floors", "sweeps", "flops", "figures", "seconds"}


@pytest.fixture(scope="module")
def bench():
    """The benchmark module (not part of the installed package)."""
    return importlib.import_module("benchmarks.bench")


@pytest.fixture(scope="module")
def quick_run(bench, tmp_path_factory):
    """``bench.main(["--quick", ...])`` once; its folder, printed output and JSON."""
    folder = tmp_path_factory.mktemp("bench")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = bench.main(["--quick", "--out", str(folder), "--figures", str(folder)])
    with open(folder / "bench.json", encoding="utf-8") as f:
        results = json.load(f)
    return {"folder": folder, "status": status, "stdout": out.getvalue(), "json": results}


def test_quick_run_prints_and_writes_the_markdown_table(quick_run):
    assert quick_run["status"] == 0
    markdown = (quick_run["folder"] / "bench.md").read_text(encoding="utf-8")
    assert markdown.strip() == quick_run["stdout"].strip()
    for heading in ("## Time per sample", "## Targets", "## Scaling", "## FLOP rate",
                    "## What is timed"):
        assert heading in markdown


def test_every_row_is_present_or_skipped_with_a_reason(bench, quick_run):
    rows = quick_run["json"]["rows"]
    assert [row["id"] for row in rows] == [row_id for row_id, _, _ in bench.ROWS]
    markdown = quick_run["stdout"]
    for row in rows:
        assert row["label"] in markdown
        assert row["status"] in ("ok", "skipped")
        if row["status"] == "ok":
            assert row["median"] > 0 and row["min"] > 0
            assert len(row["times"]) == row["repeats"] >= 1
            assert row["n_samples"] >= 1
        else:
            assert row["reason"]
            assert f"skipped: {row['reason']}" in markdown
    ours = [row for row in rows if row["id"].startswith(("per-neuron", "vectorized"))]
    assert all(row["status"] == "ok" for row in ours)
    assert all("vs_per_neuron_1" in row and "vs_vectorized_32" in row for row in ours)


def test_the_traced_row_records_every_step(quick_run):
    traced = next(r for r in quick_run["json"]["rows"] if r["id"] == "per-neuron-1-traced")
    # one warm-up, then every timed run right after an untimed one; n_samples is what one
    # call steps through (EPOCHS_PER_FIT epochs)
    calls = traced["warmup"] + 2 * traced["repeats"]
    assert traced["steps_recorded"] == [traced["n_samples"]] * calls
    assert traced["n_samples"] % EPOCHS_PER_FIT == 0


def test_the_json_has_the_expected_keys(bench, quick_run):
    results = quick_run["json"]
    assert EXPECTED_KEYS <= set(results)
    assert results["quick"] is True
    assert results["machine"]["cpu_count"] == os.cpu_count()
    for name in ("numpy", "scikit-learn", "torch", "micrograd", "neurotrace"):
        assert name in results["versions"]
    assert [t["target"] for t in results["targets"]] == [t[0] for t in bench.TARGETS]
    for target in results["targets"]:
        assert target["status"] in ("met", "missed") or target["status"].startswith(
            "not checked (")
        if target["met"] is not None:
            assert target["value"] > 0
    sweeps = results["sweeps"]
    config = results["settings"]
    assert sorted({p["width"] for p in sweeps["width"]}) == config["widths"]
    assert sorted({p["depth"] for p in sweeps["depth"]}) == config["depths"]
    assert sorted({p["batch_size"] for p in sweeps["batch"]}) == config["batch_sizes"]
    assert all(p["median"] > 0 for points in sweeps.values() for p in points)
    assert [f["dtype"] for f in results["flops"]] == ["float64", "float32"]
    for flop in results["flops"]:
        assert flop["rate"] > 0 and flop["reference_rate"] > 0 and flop["peak_rate"] > 0


def test_the_floors_are_compared_with_the_rows_they_bound(quick_run):
    from benchmarks import floors
    results = quick_run["json"]
    compared = results["floors"]
    assert [c["comparison"] for c in compared] == [c[0] for c in floors.COMPARISONS]
    times = {row["id"]: row["times"] for row in results["rows"] if row["status"] == "ok"}
    for c in compared:
        row, reference = times[c["row"]], times[c["reference"]]
        ratios = [r / t if c["kind"] == "speedup" else t / r for t, r in zip(row, reference)]
        assert c["low"] == min(ratios) and c["high"] == max(ratios)
        assert min(ratios) <= c["value"] <= max(ratios)
        assert c["comparison"] in quick_run["stdout"]
    assert "## Floors: what the design allows" in quick_run["stdout"]


def test_the_plots_are_written(bench, quick_run):
    paths = quick_run["json"]["figures"]
    assert [os.path.basename(p) for p in paths] == list(bench.FIGURES)
    for path in paths:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_missing_torch_is_skipped_with_its_reason(bench, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)      # `import torch` now fails
    config = dict(bench.settings(quick=True), n_samples=32, repeats=1, micrograd_samples=1)
    rows = bench.compare(config, log=lambda message: None)
    by_id = {row["id"]: row for row in rows}
    assert list(by_id) == [row_id for row_id, _, _ in bench.ROWS]
    for row_id in ("torch-cpu-1", "torch-cpu-32"):
        assert by_id[row_id]["status"] == "skipped"
        assert by_id[row_id]["reason"] == "torch not installed"
    assert by_id["vectorized-32"]["status"] == "ok"
    targets = {t["target"]: t for t in bench.check_speed_targets(rows, flops=[])}
    torch_target = targets["vectorized batch 32 faster than PyTorch CPU batch 32"]
    assert torch_target["met"] is None
    assert torch_target["status"] == "not checked (torch-cpu-32: torch not installed)"
    assert bench._versions()["torch"] is None


def test_help_names_the_options(bench, capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--quick", "--out", "--figures"):
        assert option in text


# --- instruction counts (benchmarks/instructions.py) -----------------------------------------
def test_every_counted_row_runs_in_process_and_is_a_row_of_the_benchmark(bench, monkeypatch):
    """The process valgrind measures, run here without valgrind, for every row."""
    from benchmarks import instructions
    rows = {row_id for row_id, _, _ in bench.ROWS}
    for row_id, batch in instructions.ROWS:
        assert row_id in rows and dict((r, b) for r, _, b in bench.ROWS)[row_id] == batch
        instructions.run_row(row_id, 8)
    read, real = [], instructions.digits           # both processes of a count read the same
    monkeypatch.setattr(instructions, "digits", lambda *args: read.append(args) or real(*args))
    for n_samples in (0, 8):
        instructions.run_row("vectorized-32", n_samples)
    monkeypatch.undo()
    assert len(read) == 2 and read[0] == read[1]
    X, Y = instructions.digits(5)                  # the digits, read without scikit-learn
    from benchmarks.sweep import digits_data
    X_ref, Y_ref = digits_data(5)
    assert (X == X_ref).all() and (Y == Y_ref).all()
    assert {t[2] for t in instructions.TARGETS} | {t[3] for t in instructions.TARGETS} <= \
        {r for r, _ in instructions.ROWS}


@pytest.fixture(scope="module")
def valgrind():
    from benchmarks import instructions
    if not instructions.available():
        if "CI" in os.environ:
            pytest.fail("The instruction counts must run in CI, but valgrind is not installed "
                        "(make valgrind).")
        pytest.skip("valgrind is not installed (make valgrind installs it)")
    return instructions


def test_instruction_counts_are_the_same_every_run(valgrind):
    """To a few parts per million (seen: 4,000 of 1.1e9; the process's environment and
    addresses differ), where timings on this machine move by tens of percent."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        first, second = pool.map(valgrind.count, ["vectorized-32"] * 2, [32, 32])
    assert first > 0 and abs(first - second) <= 1e-5 * first


def test_counted_ratios_and_their_markdown(valgrind, bench):
    result = valgrind.measure(32, rows=["vectorized-32", "seed003-speedy-32"])
    counts = result["rows"]
    assert set(counts) == {"vectorized-32", "seed003-speedy-32"}
    assert all(1e3 < v < 1e6 for v in counts.values()), counts     # per sample, batch 32
    (target,) = result["targets"]
    assert target["value"] == counts["seed003-speedy-32"] / counts["vectorized-32"]
    text = valgrind.to_markdown(result)
    assert "| neurotrace vectorized float64, batch 32 |" in text
    assert f"{target['value']:.3g}x" in text and "seed" not in text.lower()
    page = bench.to_markdown({**_minimal_results(bench), "instructions": result})
    assert "## Instructions per sample (valgrind callgrind, 32 samples" in page


def _minimal_results(bench):
    return {"settings": bench.settings(quick=True), "versions": dict.fromkeys(
                ["python", "numpy", "scikit-learn", "torch", "micrograd"], "x"),
            "machine": {"cpu_count": 2, "platform": "p"}, "date": "d", "quick": True,
            "rows": [{"id": "per-neuron-1", "label": "l", "batch_size": 1, "status": "skipped",
                      "reason": "r"}],
            "targets": [], "sweeps": {"width": [], "depth": [], "batch": []}, "flops": []}
