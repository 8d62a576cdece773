"""The measurements behind the benchmark (``make bench``): how one epoch is timed, the scaling sweeps,
and the vectorized backend's FLOP rate against numpy's own matrix product.

:mod:`benchmarks.bench` puts these numbers into a table, checks the targets and draws
the plots. Everything here only measures; nothing asserts a time.

How an epoch is timed
---------------------
Every row of every table is *one epoch of plain SGD over the same ``n_samples`` rows, in
their given order* (no shuffling), ``batch_size`` rows per step, with the the hands-on loss
gradient ``-(target - output)`` (neurotrace's ``"sse"``).

* neurotrace's own backends run ``nt.fit(..., epochs=3, shuffle=False, progress=False,
  epoch_loss="steps")``, what a user runs: one call for several epochs, so its one-off
  checks of the data count as they do in training. With ``epoch_loss="steps"`` the
  history's loss is the mean of the steps' own losses, so ``fit`` makes no extra pass
  over the data (the baselines make none); :class:`FitEpoch` checks that it made none.
* :class:`StepEpoch` runs the same steps through the public per-step API instead
  (``backprop`` then ``optimizer.step``): the engine without ``fit``.
* baselines (:mod:`benchmarks.baselines`) time their own ``run()``, one pass of steps.

:func:`measure` takes turns between rows (row 1, row 2, ..., row 1, row 2, ...) so that a
busy machine slows every row alike, keeps the garbage collector off while the clock runs
(like :mod:`timeit`), and keeps the median of the repeats.
"""
import gc
import statistics
import time

import numpy as np

from neurotrace import SGD, NeuralNetwork, VectorizedNetwork, fit, losses, trace

__all__ = ["LR", "SEED", "TRACE_MAX_BYTES", "digits_data", "our_network", "FitEpoch",
           "StepEpoch", "BaselineEpoch", "MatmulEpoch", "measure", "scaling_sweeps",
           "training_flops", "flop_rate"]

LR = 0.1                   # SGD learning rate, for everyone
SEED = 0                   # initial weights of every network
TRACE_MAX_BYTES = 2 ** 40  # so large that a full trace is never thinned
EPOCHS_PER_FIT = 3         # epochs per timed call of fit, as a training run calls it

#: (label, backend, batch size) of the four configurations each sweep point times.
SWEEP_CONFIGS = [("per-neuron, 1/step", "per-neuron", 1),
                 ("per-neuron, batch 32", "per-neuron", 32),
                 ("vectorized, 1/step", "vectorized", 1),
                 ("vectorized, batch 32", "vectorized", 32)]


def digits_data(n_samples=None):
    """The first ``n_samples`` rows of scikit-learn's digits, pixels / 16, one-hot targets.

    Returns ``X`` of shape ``(n_samples, 64)`` and ``Y`` of shape ``(n_samples, 10)``.
    """
    from sklearn.datasets import load_digits
    digits = load_digits()
    X = digits.data[:n_samples] / 16.0
    Y = np.eye(10)[digits.target[:n_samples]]
    return X, Y


def our_network(backend, sizes, dtype=np.float64):
    """A sigmoid network of neurotrace's ``backend`` ("per-neuron" or "vectorized")."""
    if backend == "per-neuron":
        return NeuralNetwork(list(sizes), activation="sigmoid", seed=SEED)
    return VectorizedNetwork(list(sizes), activation="sigmoid", seed=SEED, dtype=dtype)


class FitEpoch:
    """``EPOCHS_PER_FIT`` epochs of one ``nt.fit`` call; calling it returns its seconds.

    ``fit(..., epoch_loss="steps")`` makes no evaluation pass; a wrapper on this
    network's ``loss`` (for the length of the call) checks that and clocks any.
    ``traced=True`` runs the epoch inside ``with nt.trace(network)`` with a memory cap
    too large to ever thin, so every number of every step is recorded.
    """

    def __init__(self, network, X, Y, batch_size, traced=False):
        self.network, self.batch_size, self.traced = network, batch_size, traced
        dtype = network.flat_parameters.dtype
        self.X, self.Y = np.asarray(X, dtype), np.asarray(Y, dtype)
        self.n_samples = len(X) * EPOCHS_PER_FIT       # samples stepped through per call
        self.optimizer = SGD(lr=LR)
        self.fit_seconds, self.eval_seconds, self.steps_recorded = [], [], []

    def _fit(self):
        fit(self.network, self.X, self.Y, loss="sse", optimizer=self.optimizer,
            epochs=EPOCHS_PER_FIT, batch_size=self.batch_size, shuffle=False, progress=False,
            epoch_loss="steps")

    def __call__(self):
        network, evaluations = self.network, []

        def clocked_loss(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return type(network).loss(network, *args, **kwargs)
            finally:
                evaluations.append(time.perf_counter() - begin)

        network.loss = clocked_loss                 # shadows the method on this object only
        try:
            start = time.perf_counter()
            if self.traced:
                with trace(network, max_bytes=TRACE_MAX_BYTES) as recorded:
                    self._fit()
            else:
                self._fit()
            fit_seconds = time.perf_counter() - start
        finally:
            del network.loss
        if evaluations:
            raise RuntimeError(f"neurotrace bench: fit(epoch_loss='steps') should make no "
                               f"pass of network.loss, saw {len(evaluations)}.")
        if self.traced:
            if recorded.thinned:
                raise RuntimeError("neurotrace bench: the trace was thinned; raise max_bytes.")
            self.steps_recorded.append(len(recorded.steps))
        self.fit_seconds.append(fit_seconds)
        self.eval_seconds.append(sum(evaluations))
        return fit_seconds - sum(evaluations)


class StepEpoch:
    """One epoch of the public per-step API, without ``fit``: per batch (a slice, in order)
    ``network.backprop(xb, yb, "sse", to_inputs=False)`` then ``optimizer.step(network)``.

    The engine's own work and its input checks, nothing of ``fit``: what the FLOP rate
    times, and the "step API" rows that show how much of a row is ``fit``'s.
    """

    def __init__(self, network, X, Y, batch_size):
        self.network, self.batch_size = network, batch_size
        dtype = network.flat_parameters.dtype
        self.X, self.Y = np.asarray(X, dtype), np.asarray(Y, dtype)
        self.n_samples = len(X)
        self.optimizer = SGD(lr=LR)

    def __call__(self):
        network, optimizer, b = self.network, self.optimizer, self.batch_size
        X, Y = self.X, self.Y
        start = time.perf_counter()
        if b == 1:                                       # one sample, 1-D, as fit does
            for x, y in zip(X, Y):
                network.backprop(x, y, "sse", to_inputs=False)
                optimizer.step(network)
        else:
            for i in range(0, self.n_samples, b):
                network.backprop(X[i:i + b], Y[i:i + b], "sse", to_inputs=False)
                optimizer.step(network)
        return time.perf_counter() - start


class TrainingStepEpoch(StepEpoch):
    """One epoch of exactly the per-batch work ``fit`` does: forward, loss and backward, then
    the optimizer's update. Without ``backprop``'s check of each batch (``fit`` checks the
    whole data set once per call instead): what the FLOP rate times.

    Every call starts again from the same initial weights: trained on and on with the
    summed loss of 256 samples, the sigmoids saturate, and float32's subnormal numbers
    then slow every operation tenfold, which would measure the data, not the backend.
    """

    def __init__(self, network, X, Y, batch_size):
        super().__init__(network, X, Y, batch_size)
        self.initial = network.flat_parameters.copy()

    def __call__(self):
        self.network.flat_parameters[...] = self.initial
        network, optimizer, b = self.network, self.optimizer, self.batch_size
        X, Y, loss = self.X, self.Y, losses.sse
        start = time.perf_counter()
        with np.errstate(over="ignore"):        # as fit: backprop(check=False) leaves that to us
            for i in range(0, self.n_samples, b):
                network.backprop(X[i:i + b], Y[i:i + b], loss, to_inputs=False, check=False)
                optimizer.step(network)
        return time.perf_counter() - start


class BaselineEpoch:
    """A :class:`~benchmarks.baselines.BaselineRun`; calling it returns the seconds of one pass."""

    def __init__(self, run):
        self.run, self.n_samples = run, run.n_samples

    def __call__(self):
        start = time.perf_counter()
        self.run()
        return time.perf_counter() - start


def measure(epochs, repeats, warmup=1):
    """Time each of ``epochs`` (callables returning seconds) ``repeats[i]`` times, taking turns,
    each timed run right after an untimed one of the same epoch.

    ``repeats`` is one int for all or one per epoch. Returns, per epoch, a dict with the
    ``median`` and ``min`` seconds per sample and every repeat's ``times``.
    """
    repeats = [repeats] * len(epochs) if isinstance(repeats, int) else list(repeats)
    for epoch in epochs:
        for _ in range(warmup):
            epoch()
    times = [[] for _ in epochs]
    for turn in range(max(repeats, default=0)):
        for i, epoch in enumerate(epochs):
            if turn < repeats[i]:
                # Taking turns evens out a machine whose load changes, but leaves the caches
                # to the row before; one untimed epoch first times each row warm, as a
                # training run of many epochs is.
                epoch()
                times[i].append(_timed(epoch) / epoch.n_samples)
    return [{"median": statistics.median(t), "min": min(t), "times": t,
             "repeats": len(t), "warmup": warmup, "n_samples": e.n_samples}
            for t, e in zip(times, epochs)]


def _timed(epoch):
    enabled = gc.isenabled()
    gc.disable()
    try:
        return epoch()
    finally:
        if enabled:
            gc.enable()


# --- scaling sweeps ----------------------------------------------------------------------
def _sweep_point(sizes, settings, configs=SWEEP_CONFIGS, X=None, Y=None):
    """Time ``configs`` on one network shape; a list of result rows."""
    n_neurons = sum(sizes[1:])
    epochs = []
    for _label, backend, batch_size in configs:
        n = settings["sweep_samples"]
        if backend == "per-neuron" and batch_size == 1:
            # One Python call per neuron per sample: keep the slowest case short.
            n = min(n, max(settings["sweep_min_samples"],
                           settings["neuron_samples_budget"] // n_neurons))
        if X is None:
            Xn, Yn = digits_data(n)
        else:
            Xn, Yn = X[:n], Y[:n]
        epochs.append(FitEpoch(our_network(backend, sizes), Xn, Yn, batch_size))
    results = measure(epochs, settings["sweep_repeats"], settings["warmup"])
    return [{"label": label, "backend": backend, "batch_size": batch_size,
             "sizes": list(sizes), **result}
            for (label, backend, batch_size), result in zip(configs, results)]


def scaling_sweeps(settings, log=print):
    """Time per sample as hidden width, depth and batch size grow, for both backends."""
    sweeps = {"width": [], "depth": [], "batch": []}
    for width in settings["widths"]:
        log(f"  width {width}")
        for row in _sweep_point((64, width, 10), settings):
            sweeps["width"].append({"width": width, **row})
    for depth in settings["depths"]:
        log(f"  depth {depth}")
        for row in _sweep_point((64,) + (32,) * depth + (10,), settings):
            sweeps["depth"].append({"depth": depth, **row})
    X, Y = digits_data(settings["batch_sweep_samples"])
    for batch_size in settings["batch_sizes"]:
        log(f"  batch {batch_size}")
        configs = [(f"{backend}, batch {batch_size}", backend, batch_size)
                   for backend in ("per-neuron", "vectorized")]
        for row in _sweep_point((64, 32, 10), dict(settings, sweep_samples=len(X)),
                                configs, X, Y):
            sweeps["batch"].append(row)
    return sweeps


# --- FLOP rate at large shapes -----------------------------------------------------------
def training_flops(sizes, n_samples=1):
    """Floating-point operations of the matrix products of one training step.

    ``2 m n k`` per ``(m, n) @ (n, k)`` product, per layer: the forward product
    ``Z = X W``, the weight gradient ``dL/dW = X^T delta`` and, except for the first layer
    (whose ``dL/dX`` training never needs), the error sent back ``dL/dX = delta W^T``.
    """
    flops = 0
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        products = 2 if l == 0 else 3
        flops += products * 2 * n_samples * n_in * n_out
    return flops


def _step_products(sizes, m):
    """The ``(m, n), (n, k)`` operand shapes of the matrix products of one training step."""
    shapes = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        shapes.append(((m, n_in), (n_in, n_out)))           # Z = X W
        shapes.append(((n_in, m), (m, n_out)))              # dL/dW = X^T delta
        if l > 0:
            shapes.append(((m, n_out), (n_out, n_in)))      # dL/dX = delta W^T
    return shapes


class MatmulEpoch:
    """numpy alone doing ``products`` (``[(a_shape, b_shape), ...]``) once per step of an epoch.

    The operands are contiguous random matrices made once; this is the best the training
    steps' matrix products could do, the reference of :func:`flop_rate`.
    """

    def __init__(self, products, dtype, n_steps, n_samples, rng):
        self.operands = [(rng.random(a).astype(dtype), rng.random(b).astype(dtype))
                         for a, b in products]
        self.n_steps, self.n_samples = n_steps, n_samples
        self.flops_per_step = sum(2 * a[0] * a[1] * b[1] for a, b in products)

    def __call__(self):
        start = time.perf_counter()
        for _ in range(self.n_steps):
            for A, B in self.operands:
                A @ B
        return time.perf_counter() - start


def flop_rate(settings, dtypes=(np.float64, np.float32)):
    """The vectorized backend's rate at a large shape against numpy's own matmul rate.

    Trains ``settings["flop_sizes"]`` (784-256-128-10) in batches of ``flop_batch`` on
    random data with :class:`TrainingStepEpoch` and counts :func:`training_flops`. The references,
    timed taking turns with the training: numpy doing the same products alone
    (``reference_rate``), and the largest of them alone, ``(m, 784) @ (784, 256)``
    (``peak_rate``).
    """
    sizes, m = tuple(settings["flop_sizes"]), settings["flop_batch"]
    rng = np.random.default_rng(SEED)
    n = settings["flop_samples"]
    X = rng.random((n, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    n_steps = -(-n // m)
    results = []
    for dtype in dtypes:
        dtype = np.dtype(dtype)
        training = TrainingStepEpoch(our_network("vectorized", sizes, dtype), X, Y, m)
        products = _step_products(sizes, m)
        reference = MatmulEpoch(products, dtype, n_steps, n, rng)
        peak = MatmulEpoch(products[:1], dtype, n_steps, n, rng)
        timings = measure([training, reference, peak], settings["flop_repeats"],
                          settings["warmup"])
        step_seconds, reference_seconds, peak_seconds = [t["median"] * n / n_steps
                                                         for t in timings]
        # numpy's time over the training's, turn by turn (the two ran back to back)
        fraction_turns = [r / t for r, t in zip(timings[1]["times"], timings[0]["times"])]
        per_step = training_flops(sizes, m)
        assert per_step == reference.flops_per_step
        rate = per_step / step_seconds
        results.append({
            "dtype": dtype.name, "sizes": list(sizes), "batch_size": m, "n_samples": n,
            "flops_per_step": per_step, "step_seconds": step_seconds, "rate": rate,
            "timing": timings[0],
            "products": [[list(a), list(b)] for a, b in products],
            "reference_step_seconds": reference_seconds,
            "reference_rate": per_step / reference_seconds,
            "peak_shape": [list(s) for s in products[0]],
            "peak_rate": peak.flops_per_step / peak_seconds,
            "fraction_of_reference": statistics.median(fraction_turns),
            "fraction_turns": fraction_turns,
            "fraction_of_peak": rate / (peak.flops_per_step / peak_seconds),
        })
    return results
