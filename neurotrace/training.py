"""Training: ``fit`` runs forward, loss, backward and the optimizer's update, batch after batch."""
import math
import warnings

import numpy as np
from tqdm import tqdm

from . import losses
from ._checks import as_float_array, check_finite, check_targets
from .optimizers import SGD, Optimizer

__all__ = ["fit", "History", "NeurotraceWarning", "TrainingDiverged", "accuracy"]

METRICS = ["accuracy"]


class NeurotraceWarning(UserWarning):
    """Training went wrong in a way a student should hear about (see ``nt.diagnose``).

    ``fit(..., warn=True)`` emits one at the end of training: with a trace
    active, what :func:`neurotrace.diagnose` found; without one, a run whose
    loss stalled while its sigmoid or tanh outputs are saturated.

    Examples
    --------
    >>> import warnings, neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = nt.fit(net, X, Y, optimizer=nt.SGD(lr=100), epochs=30, batch_size=1,
    ...                progress=False)
    >>> [w.category.__name__ for w in caught]
    ['NeurotraceWarning']
    """


class TrainingDiverged(FloatingPointError):
    """The loss, a gradient or an update became NaN or inf; the network is left at its last good state.

    Parameters
    ----------
    message : str
    history, epoch, step, quantity, value
        Kept as the attributes below.

    Attributes
    ----------
    history : History
        What the epochs before the failing one measured.
    epoch, step : int
        Where it happened (the step counts batches within the epoch, from 0).
    quantity : str
        ``"loss"``, ``"gradient"``, ``"update"`` or ``"numpy"`` (numpy raised, as
        ``np.seterr(all="raise")`` asks it to).
    value : float or str
        The offending value (the loss, or a description).

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([1, 1], "identity", seed=0)
    >>> try:
    ...     nt.fit(net, [[1.0], [2.0]], [[1.0], [2.0]], optimizer=nt.SGD(lr=100.0),
    ...            epochs=500, progress=False)
    ... except nt.TrainingDiverged as error:
    ...     print(str(error)[:82])
    ...     print(error.epoch, error.step, error.quantity, len(error.history.loss))
    Training diverged at epoch 54, step 0: the update made a parameter NaN or inf. The
    54 0 update 54
    >>> bool(np.isfinite(net.flat_parameters).all())
    True
    """

    def __init__(self, message, *, history=None, epoch=None, step=None, quantity=None,
                 value=None):
        super().__init__(message)
        self.history, self.epoch, self.step = history, epoch, step
        self.quantity, self.value = quantity, value


class History:
    """What ``fit`` measured, one value per epoch: ``loss`` (and ``val_loss``, ``accuracy``, ...).

    ``loss`` is, by default (``fit(..., epoch_loss="end")``), the loss on the whole
    training set at the end of each epoch, with the parameters the epoch ended with.
    With ``epoch_loss="steps"`` it is the mean of the losses the epoch's steps
    computed anyway, each on its own batch before that batch's update (no extra
    pass over the data).
    ``history["loss"]`` is ``history.loss``.

    Attributes
    ----------
    epochs : list of int
        The epochs run, from 0.
    loss, val_loss : list of float
        The loss on the training set (see above) and on ``validation_data`` after
        each epoch.
    accuracy, val_accuracy : list of float
        The same for :func:`accuracy`, with ``metrics=["accuracy"]``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> history = nt.fit(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, epochs=2,
    ...                  metrics=["accuracy"], progress=False)
    >>> history
    History(2 epochs, last: loss=0.2831, accuracy=0.5)
    >>> len(history["loss"]), history.val_loss
    (2, [])
    """

    def __init__(self):
        self.epochs = []
        self.loss = []
        self.val_loss = []
        self.accuracy = []
        self.val_accuracy = []

    def as_dict(self):
        """Only the series that were measured.

        Returns
        -------
        series : dict of str to list
            ``{"epochs": [...], "loss": [...], ...}`` without the empty series.
        """
        return {k: v for k, v in vars(self).items() if v}

    def __getitem__(self, name):
        return getattr(self, name)

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.as_dict().items() if k != "epochs")
        return f"History({len(self.epochs)} epochs, last: {last})"


def accuracy(outputs, Y):
    """The fraction of samples classified right.

    One output: ``a > 0.5`` against ``y > 0.5``. Several outputs: ``argmax(a)``
    against ``argmax(y)``, or against the label itself. Shapes that do not match
    are refused rather than broadcast.

    Parameters
    ----------
    outputs : array-like of shape (n_samples, n_outputs) or (n_outputs,)
        The network's outputs (probabilities or scores); 1-D is one sample.
    Y : array-like
        The right answers, either shaped like ``outputs`` (one-hot rows or
        probabilities; 0/1 for one output) or one integer class label per sample,
        shape ``(n_samples,)``.

    Returns
    -------
    accuracy : float
        In [0, 1].

    Raises
    ------
    ValueError
        Shapes that do not match (they are never broadcast), labels out of range,
        NaN or inf.

    Examples
    --------
    >>> accuracy(np.array([[0.7], [0.2]]), np.array([[1], [1]]))
    0.5
    >>> P = np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> accuracy(P, np.array([[1, 0], [1, 0]]))
    0.5
    >>> accuracy(P, np.array([0, 1]))       # integer class labels
    1.0
    """
    outputs = as_float_array(outputs, "outputs", "accuracy")
    Y = as_float_array(Y, "targets", "accuracy")
    if outputs.ndim == 1:                        # one sample, as everywhere in neurotrace
        outputs = outputs[None, :]
        Y = Y[None, :] if Y.ndim == 1 else (Y.reshape(1) if Y.size == 1 else Y)
    if outputs.ndim != 2 or outputs.shape[0] == 0:
        raise ValueError(f"accuracy: outputs must have shape (n_samples, n_outputs), got "
                         f"{outputs.shape}.")
    check_finite(outputs, "outputs", "accuracy")
    check_finite(Y, "targets", "accuracy")
    n, k = outputs.shape
    if Y.shape == (n, k) and k > 1:
        return float(np.mean(np.argmax(outputs, axis=1) == np.argmax(Y, axis=1)))
    if Y.shape in ((n,), (n, 1)):
        labels = Y.reshape(n)
        if k == 1:
            return float(np.mean((outputs[:, 0] > 0.5) == (labels > 0.5)))
        if np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < k:
            return float(np.mean(np.argmax(outputs, axis=1) == labels))
        raise ValueError(f"accuracy: with {k} outputs, targets of shape {Y.shape} must be "
                         f"integer class labels in 0..{k - 1}; got values from {labels.min():g} "
                         f"to {labels.max():g}. Or pass one-hot targets of shape {(n, k)}.")
    raise ValueError(f"accuracy: outputs of shape {outputs.shape} and targets of shape "
                     f"{Y.shape} do not match; expected targets of shape {(n, k)} (one-hot or "
                     f"0/1) or {(n,)} (one class label per sample).")


def _check_data(network, X, Y, what):
    """Copies of ``X`` and ``Y``, checked once for the whole of fit."""
    X = network.check_inputs(X, copy=True)
    if X.ndim != 2:
        raise ValueError(f"fit: {what} inputs must be a batch of shape (n_samples, "
                         f"{network.n_inputs}), got shape {X.shape}.")
    Y = check_targets(Y, (X.shape[0], network.n_outputs),
                      f"fit: {what} targets (output layer L{network.n_layers})",
                      network.flat_parameters.dtype)
    return X, np.array(Y, copy=True)


def _check_arguments(network, optimizer, validation_data):
    """Refuse a wrong kind of network, optimizer or validation data, saying what fit expects."""
    if not (hasattr(network, "flat_parameters") and hasattr(network, "layers")):
        hint = (" A Layer trains inside a network: nt.VectorizedNetwork.from_layers([layer])."
                if hasattr(network, "n_neurons") else "")
        raise TypeError(f"fit trains a NeuralNetwork or a VectorizedNetwork; got "
                        f"{type(network).__name__}.{hint}")
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
            hint = f" Make one first: optimizer=nt.{optimizer.__name__}(lr=0.1)."
        else:
            hint = " For example optimizer=nt.SGD(lr=0.1) or optimizer=nt.Adam(lr=0.01)."
        raise TypeError(f"The 'optimizer' parameter of fit must be an optimizer object (SGD, "
                        f"Adam, ...); got {optimizer!r} ({type(optimizer).__name__}).{hint}")
    if validation_data is not None and not (isinstance(validation_data, (tuple, list))
                                            and len(validation_data) == 2):
        length = (f" of length {len(validation_data)}" if hasattr(validation_data, "__len__")
                  else "")
        raise TypeError(f"The 'validation_data' parameter of fit must be a pair (X_val, Y_val); "
                        f"got {type(validation_data).__name__}{length}.")


def fit(network, X, Y, loss="mse", optimizer=None, epochs=1, batch_size=32, shuffle=True,
        seed=None, validation_data=None, metrics=None, progress=True, epoch_loss="end",
        warn=True):
    """Train ``network`` on ``(X, Y)``; return a :class:`History`.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        Trained in place.
    X : ndarray of shape (n_samples, n_inputs)
        The training inputs.
    Y : ndarray of shape (n_samples, n_outputs)
        The training targets.
    loss : str or Loss, default="mse"
        A name from :data:`neurotrace.losses.NAMES` or a loss of your own.
    optimizer : Optimizer, default=SGD(lr=0.1)
        Updates the parameters after every batch; its state carries over between calls.
    epochs : int, default=1
        Passes over the training data (0 trains nothing).
    batch_size : int or None, default=32
        ``1`` is per-sample SGD as in the hands-on (each step sees one sample, 1-D);
        ``None`` is full batch.
    shuffle : bool, default=True
        Shuffle the samples every epoch, with ``numpy.random.default_rng(seed)``.
    seed : int, optional
        Seed of the shuffling.
    validation_data : (X_val, Y_val), optional
        Also measure the loss (``val_loss``) on this data after each epoch.
    metrics : list of str, optional
        ``["accuracy"]`` adds ``accuracy`` (and ``val_accuracy``) per epoch.
    progress : bool, default=True
        A tqdm progress bar, shown on runs of 2000 steps or more.
    epoch_loss : {"end", "steps"}, default="end"
        What ``History.loss`` holds per epoch: the loss on the whole training set at
        the epoch's end (one more forward pass over the data), or the mean of the
        losses its steps computed (free). See :class:`History`.
    warn : bool, default=True
        At the end, one :class:`NeurotraceWarning` if training went wrong: what
        ``nt.diagnose`` finds when a trace is active, and in any case a loss
        that stalled with saturated sigmoid or tanh outputs.

    Returns
    -------
    History
        The loss (and metrics) on the whole training set after each epoch.

    Raises
    ------
    TrainingDiverged
        When the loss, a gradient or the parameters after an update become NaN or
        inf. The network is left as it was before the failing step; the exception
        carries ``history``, ``epoch``, ``step`` and the offending ``quantity``.
    ValueError
        If the data's shapes do not fit the network, or ``batch_size``, ``epochs``
        or ``metrics`` is not valid.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=1)
    >>> hist = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=5,
    ...               batch_size=1, progress=False)
    >>> len(hist.loss)
    5
    """
    if epoch_loss not in ("end", "steps"):
        raise ValueError(f"The 'epoch_loss' parameter of fit must be 'end' or 'steps'. "
                         f"Got {epoch_loss!r} instead.")
    _check_arguments(network, optimizer, validation_data)
    X, Y = _check_data(network, X, Y, "training")
    if validation_data is not None:
        Xv, Yv = _check_data(network, *validation_data, "validation")
    loss = losses.get(loss)
    optimizer = SGD(lr=0.1) if optimizer is None else optimizer
    metrics = list(metrics or [])
    for name in metrics:
        if name not in METRICS:
            raise ValueError(f"The 'metrics' parameter of fit must list names from {METRICS}. "
                             f"Got {name!r} instead.")
    n = X.shape[0]
    if batch_size is None:
        batch_size = n
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"The 'batch_size' parameter of fit must be a positive integer or "
                         f"None. Got {batch_size!r} instead.")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"The 'epochs' parameter of fit must be a non-negative integer. "
                         f"Got {epochs!r} instead.")
    rng = np.random.default_rng(seed) if shuffle else None
    steps_per_epoch = -(-n // batch_size)
    epoch_range = range(epochs)
    bar = None
    if progress and epochs * steps_per_epoch >= 2000:     # no bar at all when none shows
        bar = epoch_range = tqdm(epoch_range, desc="fit", unit="epoch", leave=False)
    history = History()
    recorder = network.recorder
    params = network.flat_parameters
    last_good = params.copy()             # the parameters before the current step
    starts = range(0, n, batch_size)
    for epoch in epoch_range:
        order = rng.permutation(n) if shuffle else np.arange(n)
        Xe, Ye = (X, Y) if not shuffle else (X[order], Y[order])   # this epoch's order
        total = 0.0
        step = 0
        try:
            # Overflow inside an epoch (a diverging network) is caught below, by the
            # checks of the loss, the gradients and the parameters; numpy need not warn.
            with np.errstate(over="ignore", invalid="ignore"):
                for step, start in enumerate(starts):
                    if batch_size == 1:
                        xb, yb = Xe[start], Ye[start]     # one sample, 1-D, as the hands-on
                    else:
                        xb, yb = Xe[start:start + batch_size], Ye[start:start + batch_size]
                    if recorder is not None:
                        batch = order[start] if batch_size == 1 else \
                            order[start:start + batch_size]
                        recorder.record(network, "step", epoch=epoch, step=step, batch=batch)
                    np.copyto(last_good, params)      # restored if this step fails
                    # forward, loss, backward (no one needs dL/dx at the inputs); the data
                    # were checked once above
                    value = network.backprop(xb, yb, loss, to_inputs=False, check=False)
                    gradients = network.flat_gradients
                    # g @ g is finite only when every gradient is (one inf or NaN makes it
                    # inf or NaN): one product, much cheaper than a check of each
                    if not (math.isfinite(value) and math.isfinite(gradients @ gradients)):
                        raise _Failed("loss" if not math.isfinite(value) else "gradient", value)
                    optimizer.step(network)
                    # p @ p: finite only when every parameter is (and none above 1e154,
                    # where a network has diverged anyway); cheaper than a check of each
                    if not math.isfinite(params @ params):
                        raise _Failed("update", "NaN or inf")
                    total += value
        except _Failed as failed:
            np.copyto(params, last_good)
            raise _diverged(history, epoch, step, failed.quantity, failed.value,
                            optimizer) from None
        except FloatingPointError as error:   # numpy told to raise (np.seterr(all="raise"))
            np.copyto(params, last_good)
            raise _diverged(history, epoch, step, "numpy", str(error), optimizer) from error
        history.epochs.append(epoch)
        if epoch_loss == "steps":
            history.loss.append(total / steps_per_epoch)
        with np.errstate(over="ignore", invalid="ignore"):   # inf here: the next step says so
            _measure(network, history, "", X, Y, loss, metrics, epoch_loss == "end")
            if validation_data is not None:
                _measure(network, history, "val_", Xv, Yv, loss, metrics)
        if bar is not None:
            bar.set_postfix(loss=f"{history.loss[-1]:.4g}")
    if warn and epochs:
        _warn(network, X, history, optimizer)
    return history


class _Failed(Exception):
    """Inside fit: the loss, a gradient or an update is not finite."""

    def __init__(self, quantity, value):
        super().__init__(quantity)
        self.quantity, self.value = quantity, value


def _diverged(history, epoch, step, quantity, value, optimizer):
    where = f"at epoch {epoch}, step {step}"
    left = "The network is left as it was before this step."
    first = epoch == 0 and step == 0
    if quantity == "numpy":
        message = (f"Training stopped {where}: numpy raised FloatingPointError ({value}) "
                   f"because np.seterr (or np.errstate) asks it to raise on such events. "
                   f"That is not necessarily divergence: a saturated sigmoid underflows, "
                   f"for instance. {left} Use np.errstate(all='raise') only around the code "
                   f"you want to watch, or set np.seterr(under='ignore').")
    elif first and quantity in ("loss", "gradient"):
        message = (f"Training stopped {where}, before any update: the {quantity} is "
                   f"{value if quantity == 'loss' else 'NaN or inf'} with the initial "
                   f"parameters, so the learning rate is not the cause. Check the loss "
                   f"function (a loss of your own returning NaN?) and the data. {left}")
    else:
        what = {"loss": f"the loss became {value}", "gradient": "a gradient became NaN or inf",
                "update": "the update made a parameter NaN or inf"}[quantity]
        message = (f"Training diverged {where}: {what}. {left} Try a smaller learning rate "
                   f"(lr={optimizer.lr:g} now; e.g. lr={optimizer.lr / 10:g}) or gradient "
                   f"clipping.")
    return TrainingDiverged(message, history=history, epoch=epoch, step=step,
                            quantity=quantity, value=value)


def _warn(network, X, history, optimizer):
    """One NeurotraceWarning with what went wrong (the trace's findings, or a stall)."""
    recorder = network.recorder
    findings = getattr(recorder, "findings", None)
    messages = [str(f) for f in findings()] if findings is not None else []
    if not any("stalled" in m for m in messages):
        stall = _stalled_and_saturated(network, X, history, optimizer)
        if stall:
            messages.append(stall)
    if messages:
        warnings.warn(NeurotraceWarning("\n".join(messages)), stacklevel=3)


def _stalled_and_saturated(network, X, history, optimizer):
    """A loss flat over the last half of the epochs, with saturated sigmoid/tanh outputs."""
    curve = history.loss
    if len(curve) < 3:
        return None
    first, middle, last = curve[0], curve[len(curve) // 2], curve[-1]
    if not (math.isfinite(last) and middle != 0 and abs(last - middle) / abs(middle) < 1e-4
            and last > 0.5 * first):
        return None
    name = network.activation_names[-1]
    if name not in ("sigmoid", "tanh"):
        return None
    a = network.predict(X)
    slope = a * (1 - a) / 0.25 if name == "sigmoid" else 1 - a * a   # f'(z) / its largest value
    if not np.all(slope < 1e-4):
        return None
    return (f"Training stalled: the loss stayed at {last:.6g} over the last "
            f"{len(curve) - len(curve) // 2} epochs, and every {name} output is saturated "
            f"(f'(z) nearly 0 for every sample): no gradient gets through. Try a smaller "
            f"learning rate (lr={optimizer.lr:g} now).")


def _measure(network, history, prefix, X, Y, loss, metrics, with_loss=True):
    """Loss (and metrics) on a whole data set, never recorded by a trace."""
    if with_loss:
        getattr(history, prefix + "loss").append(network.loss(X, Y, loss))
    if "accuracy" in metrics:
        if not with_loss:
            network.predict(X)
        getattr(history, prefix + "accuracy").append(accuracy(network.output, Y))
