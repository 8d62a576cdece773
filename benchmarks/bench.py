"""the benchmark (``make bench``): how fast each backend trains, and how fast the tools a student would
otherwise pick are, measured in one run on one machine.

The network is the hands-on's digits network: 64 inputs, 32 sigmoid hidden neurons, 10 sigmoid
outputs, plain SGD (lr 0.1) on the squared error whose gradient is ``-(target - output)``,
on the first ``n_samples`` digits (pixels / 16), visited in order by everyone. Each row of
the table is one epoch of training steps; how that is timed is explained in
:mod:`benchmarks.sweep`.

Run it from a source checkout with ``make bench``, or
``python -m benchmarks [--quick] [--out DIR] [--figures DIR]``, or from Python::

    import benchmarks.bench
    benchmarks.bench.main(["--quick", "--out", "bench_output", "--figures", "figures"])

It writes ``OUT/bench.md`` (the tables, also printed), ``OUT/bench.json`` (every raw
number) and three plots in the figures folder: ``bench_width.png``, ``bench_speedup.png``
and ``bench_batch.png``.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys

import numpy as np

from . import baselines, floors, sweep
from .sweep import (
    EPOCHS_PER_FIT,
    LR,
    SEED,
    BaselineEpoch,
    FitEpoch,
    StepEpoch,
    digits_data,
    measure,
    our_network,
)

__all__ = ["main", "run", "settings", "compare", "check_speed_targets", "ROWS", "TARGETS"]

SIZES = (64, 32, 10)
FIGURES = ("bench_width.png", "bench_speedup.png", "bench_batch.png")

#: Every row of the comparison: (id, what it is, batch size). neurotrace's rows first; the
#: two "step API" rows run the same steps without fit, to show how much of a row is fit's.
ROWS = [
    ("per-neuron-1", "neurotrace per-neuron, 1 sample/step", 1),
    ("per-neuron-1-traced", "neurotrace per-neuron, 1 sample/step, fully traced", 1),
    ("per-neuron-2", "neurotrace per-neuron, batch 2", 2),
    ("per-neuron-32", "neurotrace per-neuron, batch 32", 32),
    ("vectorized-1", "neurotrace vectorized float64, 1 sample/step", 1),
    ("vectorized-32", "neurotrace vectorized float64, batch 32", 32),
    ("vectorized-f32-1", "neurotrace vectorized float32, 1 sample/step", 1),
    ("vectorized-f32-32", "neurotrace vectorized float32, batch 32", 32),
    ("per-neuron-1-steps", "neurotrace per-neuron, 1 sample/step, step API, no fit", 1),
    ("vectorized-32-steps", "neurotrace vectorized float64, batch 32, step API, no fit", 32),
    ("floor-per-neuron-1", "floor: neurotrace's per-neuron arithmetic and fit's checks alone, "
     "1 sample/step", 1),
    ("floor-per-neuron-traced-1", "floor: the same, every number kept as nt.trace keeps it, "
     "1 sample/step", 1),
    ("floor-vectorized-32", "floor: neurotrace's vectorized arithmetic and fit's checks alone, "
     "batch 32", 32),
    ("seed003-per-neuron-1", "the hands-on per-neuron (hand-out code)", 1),
    ("seed003-speedy-1", "the hands-on's SpeedyNeuralNetwork, 1 sample/step", 1),
    ("seed003-speedy-32", "the hands-on's SpeedyNeuralNetwork, batch 32", 32),
    ("sklearn-mlp-1", "scikit-learn MLPClassifier, 1 sample/step", 1),
    ("sklearn-mlp-32", "scikit-learn MLPClassifier, batch 32", 32),
    ("torch-cpu-1", "PyTorch CPU float64, 1 sample/step", 1),
    ("torch-cpu-32", "PyTorch CPU float64, batch 32", 32),
    ("micrograd-1", "micrograd (scalar autograd), 1 sample/step", 1),
]

#: The performance bar (DESIGN.md): (what, kind, row, reference, comparison, threshold).
#: kind "speedup" is time[reference] / time[row], "slowdown" is time[row] / time[reference],
#: "fraction" is the FLOP-rate fraction of numpy's matmul rate (row = the dtype).
TARGETS = [
    ("per-neuron 1/step at least 3x faster than the hands-on per-neuron",
     "speedup", "per-neuron-1", "seed003-per-neuron-1", ">=", 3.0),
    ("per-neuron batch 2 no slower per sample than per-neuron 1/step",
     "speedup", "per-neuron-2", "per-neuron-1", ">=", 1.0),
    ("per-neuron batch 32 at least 6x faster per sample than per-neuron 1/step",
     "speedup", "per-neuron-32", "per-neuron-1", ">=", 6.0),
    ("vectorized batch 32 at least 1.2x faster than the hands-on's SpeedyNeuralNetwork batch 32",
     "speedup", "vectorized-32", "seed003-speedy-32", ">=", 1.2),
    ("vectorized batch 32 at least 2x faster than scikit-learn MLPClassifier batch 32",
     "speedup", "vectorized-32", "sklearn-mlp-32", ">=", 2.0),
    ("vectorized batch 32 faster than PyTorch CPU batch 32",
     "speedup", "vectorized-32", "torch-cpu-32", ">", 1.0),
    ("fully traced at most 1.3x the untraced per-neuron 1/step",
     "slowdown", "per-neuron-1-traced", "per-neuron-1", "<=", 1.3),
    ("vectorized 784-256-128-10, batch 256: at least 75% of numpy's matmul rate",
     "fraction", "float64", None, ">=", 0.75),
]
_COMPARE = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b}


def settings(quick=False):
    """How much to measure: the full run (about a minute) or ``quick`` (about 10 s)."""
    if quick:
        return {
            "quick": True, "n_samples": 256, "micrograd_samples": 2, "repeats": 3,
            "micrograd_repeats": 1, "warmup": 1,
            "widths": [8, 32, 128], "depths": [1, 3], "batch_sizes": [1, 8, 32, 128],
            "sweep_samples": 128, "sweep_min_samples": 16, "neuron_samples_budget": 128 * 42,
            "sweep_repeats": 2, "batch_sweep_samples": 128,
            "flop_sizes": [784, 256, 128, 10], "flop_batch": 256, "flop_samples": 512,
            "flop_repeats": 2,
        }
    return {
        "quick": False, "n_samples": 1797, "micrograd_samples": 20, "repeats": 21,
        "micrograd_repeats": 3, "warmup": 1,
        "widths": [8, 16, 32, 64, 128, 256], "depths": [1, 2, 3, 4, 5, 6],
        "batch_sizes": [1, 2, 4, 8, 16, 32, 64, 128, 256],
        "sweep_samples": 512, "sweep_min_samples": 64, "neuron_samples_budget": 512 * 42,
        "sweep_repeats": 9, "batch_sweep_samples": 512,
        "flop_sizes": [784, 256, 128, 10], "flop_batch": 256, "flop_samples": 2048,
        "flop_repeats": 15,
    }


# --- the comparison table ----------------------------------------------------------------
def _build(row_id, batch_size, X, Y, config):
    """``(epoch, note)`` for one row, or ``(None, reason)`` when it cannot run here."""
    if row_id.startswith(("per-neuron", "vectorized")):
        backend = "per-neuron" if row_id.startswith("per-neuron") else "vectorized"
        dtype = np.float32 if "-f32-" in row_id else np.float64
        network = our_network(backend, SIZES, dtype)
        if row_id.endswith("-steps"):
            return StepEpoch(network, X, Y, batch_size), "net.backprop + optimizer.step"
        traced = row_id.endswith("-traced")
        epoch = FitEpoch(network, X, Y, batch_size, traced)
        note = (f"nt.trace records all {EPOCHS_PER_FIT * len(X)} steps of a call" if traced
                else f"nt.fit, {EPOCHS_PER_FIT} epochs a call, without its epoch-end loss")
        return epoch, note
    if row_id.startswith("floor-"):
        run = floors.build_floor(row_id, X, Y, SIZES, LR, SEED, len(X))
        return BaselineEpoch(run), "benchmarks/floors.py: the same numbers as our row"
    name = row_id.rsplit("-", 1)[0]
    n_samples = len(X)
    if name == "micrograd":
        n_samples = min(n_samples, config["micrograd_samples"])
    run, reason = baselines.build_baseline(name, X, Y, SIZES, batch_size, LR, SEED, n_samples)
    if run is None:
        return None, reason
    notes = {"seed003-per-neuron": "hand-out code, re-typed",
             "seed003-speedy": "hand-out code, re-typed",
             "sklearn-mlp": "partial_fit per epoch; softmax + log-loss outputs",
             "torch-cpu": f"float64, {_torch_threads()} threads",
             "micrograd": f"only the first {n_samples} samples (slow)"}
    return BaselineEpoch(run), notes[name]


def _torch_threads():
    try:
        import torch
        return torch.get_num_threads()
    except ImportError:
        return None


def compare(config, log=print):
    """Time every row of :data:`ROWS`; a list of result dicts (skipped rows say why)."""
    X, Y = digits_data(config["n_samples"])
    results, epochs, repeats = [], [], []
    for row_id, label, batch_size in ROWS:
        epoch, note = _build(row_id, batch_size, X, Y, config)
        row = {"id": row_id, "label": label, "batch_size": batch_size,
               "dtype": "float32" if "-f32-" in row_id else "float64"}
        if epoch is None:
            row.update(status="skipped", reason=note)
            log(f"  {row_id}: skipped ({note})")
        else:
            row.update(status="ok", note=note, n_samples=epoch.n_samples)
            epochs.append((row, epoch))
            repeats.append(config["micrograd_repeats"] if row_id.startswith("micrograd")
                           else config["repeats"])
        results.append(row)
    log(f"  timing {len(epochs)} rows, {max(repeats)} turns each")
    timings = measure([epoch for _, epoch in epochs], repeats, config["warmup"])
    for (row, epoch), timing in zip(epochs, timings):
        row.update(timing)
        if isinstance(epoch, FitEpoch):
            n = epoch.n_samples
            row["fit_seconds_per_sample"] = [s / n for s in epoch.fit_seconds]
            row["eval_seconds_per_sample"] = [s / n for s in epoch.eval_seconds]
            if epoch.traced:
                row["steps_recorded"] = epoch.steps_recorded
    times = {row["id"]: row["times"] for row in results if row["status"] == "ok"}
    for row in results:
        for key, reference in (("vs_per_neuron_1", "per-neuron-1"),
                               ("vs_vectorized_32", "vectorized-32")):
            if row["status"] == "ok" and reference in times:
                summary = ratio_summary(turn_ratios(row["times"], times[reference]))
                row[key] = summary["value"]
                row[key + "_range"] = [summary["low"], summary["high"]]
    return results


def turn_ratios(numerators, denominators):
    """``numerators[i] / denominators[i]`` for each turn ``i`` both rows ran.

    Rows take turns within each repeat (:func:`benchmarks.sweep.measure`), so turn
    ``i`` of two rows ran back to back, under the same load: their ratio is far
    steadier on a busy machine than a ratio of two medians.
    """
    return [a / b for a, b in zip(numerators, denominators)]


def ratio_summary(ratios):
    """``{"value": median, "low": min, "high": max, "turns": n}`` of per-turn ratios."""
    return {"value": statistics.median(ratios), "low": min(ratios), "high": max(ratios),
            "turns": len(ratios)}


def check_speed_targets(rows, flops):
    """Every target of :data:`TARGETS`: measured value (median and range of the per-turn
    ratios), required value, met or not (by the median)."""
    times = {row["id"]: row["times"] for row in rows if row["status"] == "ok"}
    reasons = {row["id"]: row["reason"] for row in rows if row["status"] == "skipped"}
    fractions = {f["dtype"]: f["fraction_turns"] for f in flops}
    checked = []
    for text, kind, key, reference, comparison, threshold in TARGETS:
        summary = None
        if kind == "fraction":
            missing = [] if key in fractions else [key]
            if not missing:
                summary = ratio_summary(fractions[key])
            required = f"{comparison} {threshold:.0%}"
        else:
            missing = [k for k in (key, reference) if k not in times]
            if not missing:
                summary = ratio_summary(
                    turn_ratios(times[reference], times[key]) if kind == "speedup"
                    else turn_ratios(times[key], times[reference]))
            required = f"{comparison} {threshold:g}x"
        target = {"target": text, "kind": kind, "row": key, "reference": reference,
                  "required": required, "value": None if summary is None else summary["value"]}
        if summary is None:
            why = "; ".join(f"{k}: {reasons.get(k, 'not measured')}" for k in missing)
            target.update(met=None, status=f"not checked ({why})")
        else:
            met = bool(_COMPARE[comparison](summary["value"], threshold))
            target.update(met=met, status="met" if met else "missed", low=summary["low"],
                          high=summary["high"], turns=summary["turns"])
        checked.append(target)
    return checked


def compare_floors(rows):
    """Each comparison of :data:`benchmarks.floors.COMPARISONS`: the median and range of its
    per-turn ratios (None where a row did not run)."""
    times = {row["id"]: row["times"] for row in rows if row["status"] == "ok"}
    compared = []
    for text, kind, key, reference in floors.COMPARISONS:
        entry = {"comparison": text, "kind": kind, "row": key, "reference": reference,
                 "value": None}
        if key in times and reference in times:
            ratios = (turn_ratios(times[reference], times[key]) if kind == "speedup"
                      else turn_ratios(times[key], times[reference]))
            summary = ratio_summary(ratios)
            entry.update(value=summary["value"], low=summary["low"], high=summary["high"])
        compared.append(entry)
    return compared


# --- the whole benchmark ------------------------------------------------------------------
def _versions():
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for module, name in (("sklearn", "scikit-learn"), ("torch", "torch"),
                         ("micrograd", "micrograd")):
        try:
            imported = __import__(module)
            versions[name] = getattr(imported, "__version__", None) or _dist_version(name)
        except ImportError:
            versions[name] = None
    from neurotrace import __version__
    versions["neurotrace"] = __version__
    return versions


def _dist_version(name):
    from importlib import metadata
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _load_average():
    """The 1-minute load average (how busy the machine was), where the system reports it."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _blas_threads():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: info.get(k) for k in ("internal_api", "num_threads", "version")}
            for info in threadpool_info()]


def run(quick=False, out="bench_output", figures=None, log=None, instructions=False):
    """Run the benchmark, write ``out/bench.md``, ``out/bench.json`` and the plots.

    ``instructions=True`` also counts instructions per sample with valgrind
    (:mod:`benchmarks.instructions`; its section says so when valgrind is missing).
    Returns the results (what ``bench.json`` holds) with the Markdown as ``"markdown"``.
    """
    if log is None:
        def log(message):
            print(message, file=sys.stderr, flush=True)
    config = settings(quick)
    started = datetime.datetime.now().astimezone()
    load_at_start = _load_average()
    log(f"neurotrace bench{' --quick' if quick else ''}: comparison on digits "
        f"({config['n_samples']} samples)")
    rows = compare(config, log)
    log("neurotrace bench: scaling sweeps")
    sweeps = sweep.scaling_sweeps(config, log)
    log("neurotrace bench: FLOP rate at large shapes")
    flops = sweep.flop_rate(config)
    results = {
        "date": started.isoformat(timespec="seconds"),
        "quick": bool(quick),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": load_at_start,
                    "processor": platform.processor() or platform.machine(),
                    "blas": _blas_threads(), "torch_threads": _torch_threads()},
        "versions": _versions(),
        "network": {"sizes": list(SIZES), "activation": "sigmoid", "loss": "sse",
                    "optimizer": f"SGD(lr={LR})", "seed": SEED, "data": "digits / 16"},
        "settings": config,
        "rows": rows,
        "targets": check_speed_targets(rows, flops),
        "floors": compare_floors(rows),
        "sweeps": sweeps,
        "flops": flops,
        "seconds": None,
    }
    if instructions:
        from . import instructions as counted
        log("neurotrace bench: instructions per sample (valgrind)")
        results["instructions"] = (counted.measure(64 if quick else 256) if counted.available()
                                   else {"skipped": "valgrind is not installed "
                                                    "(make valgrind installs it)"})
    results["machine"]["load_average_at_end"] = _load_average()
    results["figures"] = draw(results, out if figures is None else figures)
    results["seconds"] = (datetime.datetime.now().astimezone() - started).total_seconds()
    markdown = to_markdown(results)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.md"), "w", encoding="utf-8") as f:
        f.write(markdown)
    with open(os.path.join(out, "bench.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    results["markdown"] = markdown
    return results


# --- the report: Markdown and plots --------------------------------------------------------
def _us(seconds):
    """Microseconds, three significant digits (thousands separated)."""
    value = seconds * 1e6
    return f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"


def _x(ratio):
    if ratio is None:
        return ""
    return f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.3g}x"


def _ratio(value, bounds):
    if value is None:
        return ""
    return f"{_x(value)} ({_x(bounds[0])}-{_x(bounds[1])})"


def _target_value(target):
    if target["value"] is None:
        return ""
    if target["kind"] == "fraction":
        return f"{target['value']:.0%} ({target['low']:.0%}-{target['high']:.0%})"
    return _ratio(target["value"], (target["low"], target["high"]))


def _load(value):
    return "unknown" if value is None else f"{value:.2f}"


def _table(header, lines):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(cell) for cell in line) + " |" for line in lines]
    return out


def _sweep_table(points, key, header, label="label"):
    """One line per ``key`` value; one column per configuration, then the speedups."""
    values = sorted({p[key] for p in points})
    labels = list(dict.fromkeys(p[label] for p in points))
    time = {(p[key], p[label]): p["median"] for p in points}
    lines = []
    for v in values:
        cells = [v] + [_us(time[v, label]) for label in labels]
        for label in labels:
            if label.startswith("per-neuron"):
                twin = label.replace("per-neuron", "vectorized")
                cells.append(_x(time[v, label] / time[v, twin]))
        lines.append(cells)
    speedups = [f"speedup{label[len('per-neuron'):]}" for label in labels
                if label.startswith("per-neuron")]
    return _table([header] + labels + speedups, lines)


def to_markdown(results):
    """The report: the comparison, the targets, the sweeps, the FLOP rate, what is timed."""
    config, versions, machine = results["settings"], results["versions"], results["machine"]
    found = ", ".join(f"{name} {versions[name] or 'not installed'}"
                      for name in ("numpy", "scikit-learn", "torch", "micrograd"))
    ours = next(r for r in results["rows"] if r["id"] == "per-neuron-1")
    lines = [
        "# neurotrace bench", "",
        f"{results['date']}; {machine['cpu_count']} cores (os.cpu_count()), load average "
        f"{_load(machine.get('load_average_at_start'))} at the start and "
        f"{_load(machine.get('load_average_at_end'))} at the end; {machine['platform']}; "
        f"Python {versions['python']}, {found}; "
        f"{'quick run' if results['quick'] else 'full run'}"
        + (f", {results['seconds']:.0f} s." if results.get("seconds") else "."), "",
        f"Network {'-'.join(map(str, SIZES))}, sigmoid, SGD lr {LR}, loss sse (gradient "
        f"-(target - output)); the first {config['n_samples']} digits (pixels / 16), in the "
        f"same order for everyone.", "",
        f"## Time per sample (one epoch; median and range of {ours.get('repeats', '?')} "
        f"turns, each run right after an untimed one, rows taking turns)", "",
    ]
    table = []
    for row in results["rows"]:
        if row["status"] != "ok":
            table.append([row["label"], row["batch_size"], "", "", "", "", "",
                          f"skipped: {row['reason']}"])
            continue
        table.append([row["label"], row["batch_size"], row["n_samples"], _us(row["median"]),
                      f"{_us(min(row['times']))}-{_us(max(row['times']))}",
                      _ratio(row.get("vs_per_neuron_1"), row.get("vs_per_neuron_1_range")),
                      _ratio(row.get("vs_vectorized_32"), row.get("vs_vectorized_32_range")),
                      row["note"]])
    lines += _table(["", "batch", "samples", "us/sample", "range", "/ per-neuron 1/step",
                     "/ vectorized b32", "note"], table)
    lines += ["", "The two ratio columns are this row's time divided by neurotrace's "
              "per-neuron 1/step and vectorized batch-32 times, turn by turn (the rows take "
              "turns, so each turn's two times were measured back to back): the median of "
              "those per-turn ratios and, in brackets, their range. Above 1, the row is "
              "slower.",
              "", "## Targets", ""]
    lines += _table(["target", "measured (median of turns, range)", "required", "status"],
                    [[t["target"], _target_value(t), t["required"], t["status"]]
                     for t in results["targets"]])
    compared = [c for c in results.get("floors", []) if c["value"] is not None]
    if compared:
        lines += ["", "## Floors: what the design allows", "",
                  "A floor row computes the same numbers as our row (benchmarks/floors.py) with "
                  "fit's guarantees (the loss value, the last good parameters, the finite "
                  "checks) and nothing else: no input checks, no tracer hooks, no loss, "
                  "optimizer or network objects. A target above the floor's own ratio is out "
                  "of reach of this design on this machine.", ""]
        lines += _table(["comparison", "measured (median of turns, range)"],
                        [[c["comparison"], _ratio(c["value"], (c["low"], c["high"]))]
                         for c in compared])
    sweeps = results["sweeps"]
    lines += ["", "## Scaling (us per sample; speedup = per-neuron / vectorized)", "",
              "Hidden width, 64-w-10:", ""]
    lines += _sweep_table(sweeps["width"], "width", "width")
    lines += ["", "Depth, 64-(32 x d)-10:", ""]
    lines += _sweep_table(sweeps["depth"], "depth", "hidden layers")
    lines += ["", "Batch size, 64-32-10:", ""]
    lines += _sweep_table(sweeps["batch"], "batch_size", "batch", label="backend")
    flop = results["flops"]
    if flop:
        f0 = flop[0]
        lines += ["", f"## FLOP rate, vectorized, {'-'.join(map(str, f0['sizes']))}, batch "
                  f"{f0['batch_size']}, random data", ""]
        lines += _table(
            ["dtype", "GFLOP/s training", "numpy, the same products", "fraction",
             f"numpy {f0['batch_size']}x{f0['sizes'][0]} @ {f0['sizes'][0]}x{f0['sizes'][1]}",
             "fraction"],
            [[f["dtype"], f"{f['rate'] / 1e9:.1f}", f"{f['reference_rate'] / 1e9:.1f}",
              f"{f['fraction_of_reference']:.0%} ({min(f['fraction_turns']):.0%}-"
              f"{max(f['fraction_turns']):.0%})", f"{f['peak_rate'] / 1e9:.1f}",
              f"{f['fraction_of_peak']:.0%}"] for f in flop])
    counted = results.get("instructions")
    if counted and "skipped" in counted:
        lines += ["", f"## Instructions per sample: skipped ({counted['skipped']})"]
    elif counted:
        from .instructions import to_markdown as instructions_markdown
        lines += [""] + instructions_markdown(counted).splitlines()
    lines += ["", "## What is timed", ""] + [f"- {note}" for note in NOTES] + [""]
    return "\n".join(lines)


NOTES = [
    "Every row is one epoch of SGD steps over the same samples in the same order: forward, "
    "loss gradient, backward, update, one step per batch.",
    "neurotrace rows run `nt.fit(net, X, Y, loss='sse', epochs=3, batch_size=b, "
    "shuffle=False, progress=False, epoch_loss='steps')`, one call for several epochs as "
    "training calls it, and report per sample. With epoch_loss='steps' fit's History.loss "
    "is the mean of the losses its steps computed, so fit makes no extra pass over the "
    "data (no baseline does one). Everything fit does is timed: its checks of the data, "
    "batching, the per-step checks of the loss, the gradients and the update (with the "
    "copy of the parameters it restores on divergence). The two "
    "'step API, no fit' rows run the same steps through the public per-step API instead, "
    "`net.backprop(xb, yb, 'sse', to_inputs=False); optimizer.step(net)` on views of the "
    "data (with backprop's own input checks): the difference to the fit row is fit's.",
    "The two floor rows (benchmarks/floors.py) compute the same numbers as our per-neuron "
    "1/step and vectorized batch-32 rows, to the bit, with what fit must keep (the loss "
    "value, a copy of the last good parameters, the checks that the loss, the gradients and "
    "the parameters are finite) and nothing else, one function per step (the per-neuron floor "
    "keeps one small object per neuron computing its own z, a, f'(z), delta, gradients and "
    "sent error). The traced floor also keeps, per step, what nt.trace keeps (per layer x, "
    "z, a, dL/da, f'(z), delta and the weights of the pass; the loss, the targets, the "
    "parameters after the update) in one plain dict, the same numbers. They time one pass "
    "of the data a call, as the baselines do.",
    "The traced row runs the same fit inside `nt.trace(net, max_bytes=2**40)`: every "
    "quantity of every step is recorded and nothing is thinned; opening and closing the "
    "trace are included.",
    "Baselines (benchmarks/baselines.py) time their own pass over the same rows: the hands-on's "
    "code as the hand-out writes it (without its shuffling and loss printing); "
    "MLPClassifier.partial_fit, one call per epoch (it also checks its input and computes "
    "each batch's loss; its outputs are softmax with log-loss, so the same work per sample "
    "but not the same numbers); PyTorch forward, 0.5*sum((a - y)^2), zero_grad, backward, "
    "step; micrograd forward, backward and update per sample, on the first few samples only.",
    "Rows take turns (each row once, then again) so that other processes slow every row "
    "alike; each timed run comes right after an untimed run of the same row, so every row "
    "is timed with warm caches, as it runs in training; the garbage collector is off while "
    "the clock runs (as in timeit). Times are medians and ranges of the turns; every ratio "
    "(the table's columns, the targets, the FLOP-rate fraction) is the median and range of "
    "the per-turn ratios, each of two runs made back to back.",
    "FLOP rate: 2mnk per (m, n) @ (n, k) product, per layer Z = XW, dL/dW = X^T delta and "
    "(except layer 1) dL/dX = delta W^T, over the median time per step. The training "
    "there is exactly fit's work per batch (forward, loss, backward, update; fit checks the "
    "data once per call, not per batch), each run from the same initial weights (trained on "
    "and on, saturated float32 sigmoids give subnormal numbers that slow everything "
    "tenfold). The reference is numpy "
    "doing exactly those products alone on contiguous random matrices, timed taking turns "
    "with the training; 'peak' is the largest product alone.",
]


def draw(results, folder):
    """Write the plots into ``folder``; return their paths.

    ``bench_width.png``: time per sample against hidden width (log-log), per backend;
    ``bench_speedup.png``: vectorized over per-neuron against width, depth and batch size;
    ``bench_batch.png``: time per sample against batch size (log-log).
    """
    from matplotlib.figure import Figure  # no pyplot: nothing global, no window
    os.makedirs(folder, exist_ok=True)
    sweeps = results["sweeps"]
    paths = [os.path.join(folder, name) for name in FIGURES]

    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    for label, points in _by_label(sweeps["width"], "label").items():
        ax.loglog([p["width"] for p in points], [p["median"] * 1e6 for p in points],
                  "o-", label=label)
    _ticks(ax, results["settings"]["widths"])
    ax.set(xlabel="hidden width w (network 64-w-10)", ylabel="time per sample (us)",
           title="Training time per sample against hidden width")
    _save(fig, ax, paths[0])

    fig = Figure(figsize=(11, 3.8))
    panels = [("width", "width", "hidden width (64-w-10)"),
              ("depth", "depth", "hidden layers of 32 (64-32-...-10)"),
              ("batch", "batch_size", "batch size (64-32-10)")]
    for i, (sweep_name, key, xlabel) in enumerate(panels):
        ax = fig.add_subplot(1, 3, i + 1)
        for label, points in _speedups(sweeps[sweep_name], key):
            ax.plot([x for x, _ in points], [s for _, s in points], "o-", label=label)
        if key != "depth":
            ax.set_xscale("log", base=2)
        _ticks(ax, sorted({p[key] for p in sweeps[sweep_name]}))
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.set(xlabel=xlabel, ylim=(0, None))
        if i == 0:
            ax.set_ylabel("per-neuron time / vectorized time")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle("How many times faster the vectorized backend trains than the neuron objects")
    fig.tight_layout()
    fig.savefig(paths[1], dpi=120)

    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    for backend, points in _by_label(sweeps["batch"], "backend").items():
        ax.loglog([p["batch_size"] for p in points], [p["median"] * 1e6 for p in points],
                  "o-", label=backend)
    _ticks(ax, results["settings"]["batch_sizes"])
    ax.set(xlabel="batch size (network 64-32-10)", ylabel="time per sample (us)",
           title="Training time per sample against batch size")
    _save(fig, ax, paths[2])
    return paths


def _by_label(points, key):
    groups = {}
    for p in points:
        groups.setdefault(p[key], []).append(p)
    return groups


def _speedups(points, key):
    """``[(label, [(x, per-neuron time / vectorized time), ...]), ...]``, one per batch size
    (one line in all for the batch sweep, where x is the batch size itself)."""
    time = {(p["backend"], p["batch_size"], p[key]): p["median"] for p in points}
    xs = sorted({p[key] for p in points})
    if key == "batch_size":
        return [("same batch size for both",
                 [(b, time["per-neuron", b, b] / time["vectorized", b, b]) for b in xs])]
    batches = sorted({p["batch_size"] for p in points})
    return [("1 sample/step" if b == 1 else f"batch {b}",
             [(x, time["per-neuron", b, x] / time["vectorized", b, x]) for x in xs])
            for b in batches]


def _ticks(ax, values):
    """Ticks at the measured values, written as plain numbers."""
    ax.set_xticks(values, [str(v) for v in values])
    ax.minorticks_off()


def _save(fig, ax, path):
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


# --- the command line ----------------------------------------------------------------------
def main(argv=None):
    """``python -m benchmarks [--quick] [--out DIR] [--figures DIR]``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time neurotrace's per-neuron and vectorized backends against the hands-on's "
                    "code, scikit-learn, PyTorch and micrograd on the digits, sweep width, "
                    "depth and batch size, and check the performance targets.")
    parser.add_argument("--quick", action="store_true",
                        help="fewer samples, repeats and sweep points (under 30 s)")
    parser.add_argument("--out", default="bench_output",
                        help="folder for bench.md and bench.json (default: bench_output)")
    parser.add_argument("--figures", default=None,
                        help="folder for the plots (default: the --out folder; the README's "
                             "committed plots are in figures/)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions per sample with valgrind (a few minutes): "
                             "the ratios without the machine's noise")
    args = parser.parse_args(argv)
    results = run(quick=args.quick, out=args.out, figures=args.figures,
                  instructions=args.instructions)
    print(results["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
