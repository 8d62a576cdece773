"""Instructions per sample, counted by valgrind: the benchmark's ratios without the machine's noise.

On a busy 2-core machine the timed ratios of :mod:`benchmarks.bench` move by tens of
percent from run to run even with the rows taking turns. valgrind's callgrind counts the
instructions a process executes instead of the seconds it takes: the same count every
run, whatever else the machine is doing. An instruction is not a fixed time (one ``exp``
or one cache miss costs more than one addition), so the targets are still judged on time;
these counts say whether a change made the work itself smaller, and by how much.

Each row of :data:`ROWS` is one of the benchmark's rows. It is counted twice, in a fresh
process each: a short untimed pass (imports, first calls, caches), then either nothing or
one pass over ``n_samples`` samples; the difference divided by ``n_samples`` is the count
per sample. Both processes run with one OpenBLAS thread (a waiting thread spins, and its
instructions would count) and a fixed hash seed.

``python -m benchmarks.instructions [--samples N]`` prints the table; the benchmark adds it
with ``python -m benchmarks --instructions``. ``python -m benchmarks.instructions --row
ROW --samples N`` is the measured process itself (what valgrind runs).
"""
import argparse
import concurrent.futures
import gzip
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

__all__ = ["ROWS", "TARGETS", "available", "count", "run_row", "measure", "to_markdown"]

SIZES = (64, 32, 10)
LR, SEED = 0.1, 0

#: The rows counted: (id as in benchmarks.bench.ROWS, batch size).
ROWS = [
    ("per-neuron-1", 1),
    ("per-neuron-1-traced", 1),
    ("per-neuron-2", 2),
    ("per-neuron-32", 32),
    ("vectorized-32", 32),
    ("seed003-per-neuron-1", 1),
    ("seed003-speedy-32", 32),
    ("floor-per-neuron-1", 1),
    ("floor-per-neuron-traced-1", 1),
    ("floor-vectorized-32", 32),
]

#: The targets of benchmarks.bench.TARGETS that compare two of these rows:
#: (what, kind, row, reference), kind as there.
TARGETS = [
    ("per-neuron 1/step vs the hands-on per-neuron", "speedup", "per-neuron-1",
     "seed003-per-neuron-1"),
    ("per-neuron batch 2 vs per-neuron 1/step", "speedup", "per-neuron-2", "per-neuron-1"),
    ("per-neuron batch 32 vs per-neuron 1/step", "speedup", "per-neuron-32", "per-neuron-1"),
    ("vectorized batch 32 vs SpeedyNeuralNetwork batch 32", "speedup", "vectorized-32",
     "seed003-speedy-32"),
    ("fully traced vs untraced per-neuron 1/step", "slowdown", "per-neuron-1-traced",
     "per-neuron-1"),
]

COLLECTED = re.compile(r"Collected : (\d+)")
WARMUP_SAMPLES = 64


def available():
    """The path of ``valgrind``, or None when it is not installed."""
    return shutil.which("valgrind")


def digits(n_samples=None):
    """The first ``n_samples`` digits (all 1797 by default; pixels / 16) and one-hot targets,
    read from the file scikit-learn ships, without importing scikit-learn (a second under
    valgrind is a minute)."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",", max_rows=n_samples)
    return data[:, :-1] / 16.0, np.eye(10)[data[:, -1].astype(int)]


def run_row(row_id, n_samples):
    """The measured process: a warm-up pass, then one pass of ``row_id`` over ``n_samples``."""
    import neurotrace as nt
    from . import baselines

    batch = dict(ROWS)[row_id]
    # Every process reads all the digits: reading is not the work counted (``np.loadtxt``
    # costs about 30,000 instructions a row), so both processes of a count do the same.
    X, Y = digits()
    if row_id.startswith("floor-"):
        from . import floors
        for n in (WARMUP_SAMPLES, n_samples):
            if n:
                floors.build_floor(row_id, X, Y, SIZES, LR, SEED, n)()
        return
    if row_id.startswith("seed003"):
        name = row_id.rsplit("-", 1)[0]
        for n in (WARMUP_SAMPLES, n_samples):
            if n:
                run, _ = baselines.build_baseline(name, X, Y, SIZES, batch, LR, SEED, n)
                run()
        return
    cls = nt.VectorizedNetwork if row_id.startswith("vectorized") else nt.NeuralNetwork
    net = cls(list(SIZES), activation="sigmoid", seed=SEED)
    optimizer = nt.SGD(lr=LR)

    def one_pass(n):
        nt.fit(net, X[:n], Y[:n], loss="sse", optimizer=optimizer, epochs=1, batch_size=batch,
               shuffle=False, progress=False, epoch_loss="steps")

    one_pass(WARMUP_SAMPLES)
    if n_samples and row_id.endswith("-traced"):
        with nt.trace(net, max_bytes=2 ** 40):
            one_pass(n_samples)
    elif n_samples:
        one_pass(n_samples)


def count(row_id, n_samples):
    """Instructions executed by a fresh process running :func:`run_row` (under callgrind)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    command = [available(), "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, "-m", "benchmarks.instructions", "--row", row_id,
               "--samples", str(n_samples)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind on {row_id} failed (exit {done.returncode}):\n"
                           f"{done.stderr[-2000:]}")
    return int(found.group(1))


def measure(n_samples=256, rows=None, workers=None):
    """``{row_id: instructions per sample}`` and the targets' ratios in instructions.

    Returns ``{"n_samples": ..., "rows": {...}, "targets": [...]}``; a target's ``value``
    is the reference's count over the row's (speedup) or the row's over the reference's
    (slowdown), as the timed targets are.
    """
    rows = [r for r, _ in ROWS] if rows is None else list(rows)
    workers = workers or max(1, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:   # valgrind runs, in parallel
        futures = {r: (pool.submit(count, r, 0), pool.submit(count, r, n_samples))
                   for r in rows}
        # the pass over n_samples, less the process that made none
        counts = {r: (full.result() - empty.result()) / n_samples
                  for r, (empty, full) in futures.items()}
    from .floors import COMPARISONS
    targets = []
    for what, kind, row, reference in TARGETS + COMPARISONS:
        if row in counts and reference in counts:
            value = counts[reference] / counts[row] if kind == "speedup" \
                else counts[row] / counts[reference]
            targets.append({"target": what, "kind": kind, "row": row,
                            "reference": reference, "value": value})
    return {"n_samples": n_samples, "rows": counts, "targets": targets}


def to_markdown(result):
    """The counts and the ratios as Markdown."""
    lines = [f"## Instructions per sample (valgrind callgrind, {result['n_samples']} samples, "
             f"one OpenBLAS thread)", "",
             "The same count every run, whatever the machine's load: whether the work itself "
             "changed. Not a time (an exp or a cache miss costs more than an addition); the "
             "targets above are judged on time.", "",
             "| row | instructions / sample |", "|---|---|"]
    from .bench import ROWS as TIMED                  # the rows' labels, as the tables show them
    labels = {row_id: label for row_id, label, _ in TIMED}
    lines += [f"| {labels[row]} | {value:,.0f} |" for row, value in result["rows"].items()]
    lines += ["", "| ratio | in instructions |", "|---|---|"]
    lines += [f"| {t['target']} ({t['kind']}) | {t['value']:.3g}x |" for t in result["targets"]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--row", choices=[r for r, _ in ROWS],
                        help="run this row once (the process valgrind measures)")
    parser.add_argument("--samples", type=int, default=256)
    args = parser.parse_args(argv)
    if args.row:
        run_row(args.row, args.samples)
        return 0
    if not available():
        print("valgrind is not installed (make valgrind installs it)", file=sys.stderr)
        return 1
    print(to_markdown(measure(args.samples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
