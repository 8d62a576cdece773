"""Saving and loading networks (and optimizers) without pickle: ``.npz`` or ``.json``.

A file holds everything needed to rebuild the network exactly: the backend
(``NeuralNetwork`` or ``VectorizedNetwork``), the layer ``sizes``, one activation
name per layer, the ``dtype`` and every layer's ``weights`` ``(n_inputs,
n_neurons)`` and ``bias`` ``(n_neurons,)``. If asked, it also holds the
optimizer: its class, its hyperparameters, its step count and its state vectors
(``velocity``, or Adam's ``m`` and ``v``), laid out like ``flat_parameters``.

Two formats, chosen by the file's extension:

* ``.npz``: one numpy array per layer (``"L1.weights"``, ``"L1.bias"``, ...; the
  optimizer's as ``"optimizer.velocity"``, ...) plus ``"metadata"``, a JSON
  string with everything else. Written with ``numpy.savez`` and read with
  ``numpy.load(..., allow_pickle=False)``.
* ``.json``: the same in one JSON document. Numbers are written with Python's
  ``repr``, which reads back to the very same float.

Either way a round trip is exact, bit for bit. Neither format can hold NaN or
inf: saving refuses them and so does loading.

neurotrace never loads a pickle: unpickling data can run arbitrary code, so a
file that holds pickled objects is refused, like a truncated file, a file whose
arrays do not fit its architecture, or one that names an unknown activation.
All of these raise :class:`NeurotraceFileError` (a ``ValueError``) naming the file.

Traces (:class:`~neurotrace.Trace`) go through the same two functions: ``save``
hands them to :meth:`Trace.save`, and ``load`` recognises a trace file and returns
a :class:`~neurotrace.Trace`.

>>> import os, tempfile, numpy as np, neurotrace as nt
>>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> nt.save(net, path)
>>> same = nt.load(path)
>>> bool(np.all(same.flat_parameters == net.flat_parameters))
True
"""
import json
import os
import zipfile

import numpy as np

from . import activations
from ._base import parse_activations
from ._files import MAX_LOAD_BYTES, NeurotraceFileError, atomic_write, read_npz
from .network import NeuralNetwork
from .optimizers import SGD, Adam
from .trace_data import Trace
from .vectorized import VectorizedNetwork

__all__ = ["save", "load", "NeurotraceFileError", "NetworkFileError", "FORMAT", "VERSION"]

FORMAT = "neurotrace-network"
VERSION = 1
EXTENSIONS = (".npz", ".json")

BACKENDS = {"NeuralNetwork": NeuralNetwork, "VectorizedNetwork": VectorizedNetwork}
DTYPES = ("float64", "float32")
# Each optimizer: its class, the hyperparameters that rebuild it, the state vectors it keeps.
OPTIMIZERS = {
    "SGD": (SGD, ("lr", "momentum", "clip_value", "clip_norm"), ("velocity",)),
    "Adam": (Adam, ("lr", "beta1", "beta2", "eps", "clip_value", "clip_norm"), ("m", "v")),
}
METADATA_KEYS = ("format", "version", "backend", "sizes", "activations", "dtype")


#: The name this error had before traces shared it; the same class.
NetworkFileError = NeurotraceFileError


# --- saving --------------------------------------------------------------------------------
def save(network, path, optimizer=None):
    """Save ``network`` (and ``optimizer``'s state, if given) to ``path`` (``.npz`` or ``.json``).

    A :class:`~neurotrace.Trace` can be saved the same way (``.npz`` only).

    Parameters
    ----------
    network : NeuralNetwork, VectorizedNetwork or Trace
        What to save.
    path : str or path-like
        Ends in ``.npz`` (numpy arrays) or ``.json`` (plain text).
    optimizer : SGD or Adam, optional
        The optimizer training ``network``; saved so that training can continue
        exactly where it stopped (``load(path, with_optimizer=True)``).

    Raises
    ------
    NeurotraceFileError
        For a network: if ``path`` does not end in ``.npz`` or ``.json``, a layer's
        activation could not be loaded again, a parameter is NaN or inf, or the
        optimizer cannot be saved with it; if ``network`` is not a NeuralNetwork,
        VectorizedNetwork or Trace; if an optimizer is given with a trace. The file
        is not written then.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> net = nt.VectorizedNetwork([4, 8, 3], "relu", "softmax", seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> save(net, path, optimizer=nt.Adam(lr=0.01))
    >>> load(path)
    VectorizedNetwork([4, 8, 3], activation='relu', output_activation='softmax')
    """
    path = os.fspath(path)
    if isinstance(network, Trace):
        if optimizer is not None:
            raise NeurotraceFileError(f"Cannot save to {path!r}: a trace is saved without an "
                                      f"optimizer (its updates already hold the optimizer's "
                                      f"state); drop optimizer=.")
        network.save(path)
        return
    kind = _kind(path)
    backend = type(network).__name__
    if backend not in BACKENDS or type(network) is not BACKENDS[backend]:
        raise NetworkFileError(f"Cannot save {network!r} to {path!r}: only NeuralNetwork and "
                               f"VectorizedNetwork can be saved.")
    for l, name in enumerate(network.activation_names, start=1):
        if name not in activations.NAMES:
            raise NetworkFileError(f"Cannot save to {path!r}: layer L{l} uses the activation "
                                   f"{name!r}, which is not one of {activations.NAMES}, so "
                                   f"it could not be loaded again.")
    if not np.all(np.isfinite(network.flat_parameters)):
        raise NetworkFileError(f"Cannot save to {path!r}: the network's parameters contain NaN "
                               f"or inf.")
    meta = {"format": FORMAT, "version": VERSION, "backend": backend,
            "sizes": [int(s) for s in network.sizes],
            "activations": list(network.activation_names),
            "dtype": network.flat_parameters.dtype.name}
    arrays = {}
    for l, (W, b) in enumerate(network.parameters(), start=1):
        arrays[f"L{l}.weights"], arrays[f"L{l}.bias"] = W, b
    if optimizer is not None:
        meta["optimizer"], state = _optimizer_metadata(optimizer, network, path)
        arrays.update({f"optimizer.{name}": vector for name, vector in state.items()})

    # Written to a temporary file, then renamed: never a half-written file.
    if kind == ".npz":
        atomic_write(path, lambda f: np.savez(
            f, metadata=np.array(json.dumps(meta)),
            **{k: np.ascontiguousarray(a) for k, a in arrays.items()}))
    else:
        atomic_write(path, lambda f: f.write(_to_json(meta, arrays)), binary=False)


def _optimizer_metadata(optimizer, network, path):
    """``({"class", "hyperparameters", "steps", "state"}, {name: vector})`` for ``optimizer``."""
    name = type(optimizer).__name__
    if name not in OPTIMIZERS or type(optimizer) is not OPTIMIZERS[name][0]:
        raise NetworkFileError(f"Cannot save the optimizer {optimizer!r} to {path!r}: only "
                               f"{sorted(OPTIMIZERS)} can be saved.")
    cls, hyper, state_names = OPTIMIZERS[name]
    if optimizer.state and optimizer.network is not None and optimizer.network is not network:
        raise NetworkFileError(f"Cannot save {name} to {path!r}: its state does not belong to "
                               f"this network (it was used with another). Save each network "
                               f"with the optimizer that trains it.")
    state = {}
    for key, vector in optimizer.state.items():
        if key not in state_names or np.shape(vector) != network.flat_parameters.shape:
            raise NetworkFileError(
                f"Cannot save {name} to {path!r}: its state {key!r} does not belong to this "
                f"network ({network.flat_parameters.size} parameters; state of shape "
                f"{np.shape(vector)}). Save the network with the optimizer that trains it.")
        if not np.all(np.isfinite(vector)):
            raise NetworkFileError(f"Cannot save {name} to {path!r}: its state {key!r} "
                                   f"contains NaN or inf.")
        state[key] = np.asarray(vector, dtype=network.flat_parameters.dtype)
    meta = {"class": name,
            "hyperparameters": {h: getattr(optimizer, h) for h in hyper},
            "steps": int(optimizer.steps),
            "state": sorted(state)}
    return meta, state


def _to_json(meta, arrays):
    """One JSON document, short lists on one line and one matrix row per line, for reading."""
    doc = dict(meta, arrays={key: np.asarray(a, dtype=np.float64).tolist()
                             for key, a in arrays.items()})
    lists = []

    def mark(value):                                  # every list -> a placeholder string
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            lists.append(value)
            return f"@@{len(lists) - 1}@@"
        return value

    text = json.dumps(mark(doc), indent=1, allow_nan=False)
    for i, value in enumerate(lists):
        # Floats are written with repr: the shortest text that reads back to the same float.
        if value and isinstance(value[0], list):
            rows = ",\n   ".join(json.dumps(row, allow_nan=False) for row in value)
            numbers = f"[\n   {rows}\n  ]"
        else:
            numbers = json.dumps(value, allow_nan=False)
        text = text.replace(f'"@@{i}@@"', numbers, 1)
    return text + "\n"


# --- loading -------------------------------------------------------------------------------
def load(path, with_optimizer=False, max_bytes=MAX_LOAD_BYTES):
    """The network saved in ``path``; with ``with_optimizer=True``, ``(network, optimizer)``.

    A trace file (written by :func:`save` or :meth:`Trace.save`) gives the :class:`Trace`.

    Parameters
    ----------
    path : str or path-like
        A ``.npz`` or ``.json`` file written by :func:`save`.
    with_optimizer : bool, default=False
        Also rebuild the optimizer saved with the network (its class,
        hyperparameters, step count and state vectors), or ``None`` if the file
        holds none.
    max_bytes : int, default=128 MiB
        The most the file's arrays may take in memory. Sizes are checked before
        anything is allocated, so a damaged file cannot ask for terabytes.

    Returns
    -------
    network : NeuralNetwork, VectorizedNetwork or Trace
        The backend that was saved, with exactly the saved parameters (or the trace).
    optimizer : SGD, Adam or None
        Only with ``with_optimizer=True``.

    Raises
    ------
    FileNotFoundError
        There is no file at ``path``.
    NetworkFileError
        The file is not a network file neurotrace can trust: truncated or
        corrupt, keys missing, an unknown activation or backend, arrays whose
        shapes do not fit the architecture, NaN or inf, or pickled objects.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> net, opt = nt.NeuralNetwork([2, 2, 1], seed=0), nt.SGD(lr=0.5, momentum=0.9)
    >>> path = os.path.join(tempfile.mkdtemp(), "xor.npz")
    >>> save(net, path, optimizer=opt)
    >>> net2, opt2 = load(path, with_optimizer=True)
    >>> net2
    NeuralNetwork([2, 2, 1], activation='sigmoid', output_activation='sigmoid')
    >>> opt2
    SGD(momentum=0.9, lr=0.5)
    """
    path = os.fspath(path)
    kind = _kind(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No network file {path!r}: there is no such file.")
    if kind == ".json" and zipfile.is_zipfile(path):
        what = "a trace" if _is_trace(path) else "an archive"
        raise NeurotraceFileError(f"{path!r} holds {what} in .npz format under a .json name: "
                                  f"rename it to end in '.npz' and load that.")
    if kind == ".npz" and _is_trace(path):
        if with_optimizer:
            raise NeurotraceFileError(f"{path!r} holds a trace, not a network: it has no "
                                      f"optimizer to load (drop with_optimizer=True).")
        return Trace.load(path, max_bytes=max_bytes)
    meta, arrays = _read_npz(path, max_bytes) if kind == ".npz" else _read_json(path, max_bytes)
    saved_optimizer = _check_optimizer_metadata(path, meta)
    network = _build_network(path, meta, arrays, kind)
    if not with_optimizer:
        return network
    return network, _build_optimizer(path, saved_optimizer, arrays, network)


def _is_trace(path):
    """Whether ``path`` is an npz archive written by :meth:`Trace.save` (it has a header)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "__header__.npy" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False        # not a readable archive: the network reader says what is wrong


def _kind(path):
    extension = os.path.splitext(path)[1].lower()
    if extension not in EXTENSIONS:
        raise NetworkFileError(f"{path!r}: neurotrace saves and loads networks as '.npz' or "
                               f"'.json' files; got the extension {extension or 'none'!r}.")
    return extension


def _read_npz(path, max_bytes):
    """``(metadata dict, {name: array})`` from an npz file, never unpickling anything."""
    with open(path, "rb") as f:
        start = f.read(8)
    # What the first bytes say the file is: a zip archive (npz), one .npy array, or a pickle.
    if start.startswith(b"\x93NUMPY"):
        raise NetworkFileError(f"{path!r} is a single .npy array, not a neurotrace .npz "
                               f"archive written by neurotrace.save.")
    if start.startswith(b"\x80"):
        raise _pickled(path)
    if not start.startswith(b"PK"):
        raise _corrupt(path, "it does not start like a zip archive")
    arrays = read_npz(path, max_bytes, "neurotrace network file")            # sizes checked before allocating
    if "metadata" not in arrays:
        raise NetworkFileError(f"{path!r} is not a neurotrace network file: it has no "
                               f"'metadata' entry (it holds {sorted(arrays)}).")
    text = arrays.pop("metadata")
    if text.shape != () or text.dtype.kind != "U":
        raise NetworkFileError(f"{path!r}: 'metadata' must be one JSON string, got an array "
                               f"of dtype {text.dtype} and shape {text.shape}.")
    meta = _parse_json(path, str(text))
    for key, array in arrays.items():
        if array.dtype.kind != "f":
            raise NetworkFileError(f"{path!r}: array {key!r} must hold floating-point numbers, "
                                   f"got dtype {array.dtype}.")
    return meta, arrays


def _pickled(path):
    return NetworkFileError(
        f"{path!r} holds pickled Python objects. neurotrace never loads pickles, because "
        f"loading a pickle can run arbitrary code. Save the network again with neurotrace.save "
        f"(it writes only numbers and text).")


def _corrupt(path, why):
    return NetworkFileError(f"{path!r} is truncated or corrupt: it cannot be read as an .npz "
                            f"archive ({why}).")


def _read_json(path, max_bytes):
    if os.path.getsize(path) > max_bytes:
        raise NetworkFileError(f"{path!r} is {os.path.getsize(path)} bytes, more than "
                               f"max_bytes={max_bytes} allows. If you trust this file, load it "
                               f"with a larger max_bytes=.")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError as error:
        raise NetworkFileError(f"{path!r} is not a text file: {error}.") from None
    meta = _parse_json(path, text)
    arrays = meta.pop("arrays", None)
    if not isinstance(arrays, dict):
        raise NetworkFileError(f"{path!r}: the key 'arrays' (every layer's weights and bias) "
                               f"is missing.")
    out = {}
    for key, numbers in arrays.items():
        try:
            out[key] = np.array(numbers, dtype=np.float64)
        except (TypeError, ValueError):
            raise NetworkFileError(f"{path!r}: array {key!r} must be a list of numbers (one "
                                   f"list per row), got {str(numbers)[:60]}.") from None
    return meta, out


def _parse_json(path, text):
    def refuse_constant(name):                        # NaN, Infinity, -Infinity
        raise NetworkFileError(f"{path!r} contains {name}: network files hold finite numbers "
                               f"only.")
    try:
        meta = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise NetworkFileError(f"{path!r} is truncated or corrupt: it is not valid JSON "
                               f"({error}).") from None
    if not isinstance(meta, dict):
        raise NetworkFileError(f"{path!r} is not a neurotrace network file: expected a JSON "
                               f"object, got {type(meta).__name__}.")
    return meta


def _build_network(path, meta, arrays, kind):
    """Check everything the file says against itself, then build the network."""
    missing = [key for key in METADATA_KEYS if key not in meta]
    if missing:
        raise NetworkFileError(f"{path!r} is not a complete neurotrace network file: missing "
                               f"{missing} (it has {sorted(meta)}).")
    if meta["format"] != FORMAT:
        raise NetworkFileError(f"{path!r} is not a neurotrace network file: its format is "
                               f"{meta['format']!r}, expected {FORMAT!r}.")
    if meta["version"] != VERSION:
        raise NetworkFileError(f"{path!r} has format version {meta['version']!r}; this "
                               f"neurotrace reads version {VERSION}. Update neurotrace.")
    backend, sizes, names, dtype = meta["backend"], meta["sizes"], meta["activations"], \
        meta["dtype"]
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise NetworkFileError(f"{path!r}: unknown backend {backend!r}; expected one of "
                               f"{sorted(BACKENDS)}.")
    if not (isinstance(sizes, list) and len(sizes) >= 2
            and all(type(s) is int and s >= 1 for s in sizes)):
        raise NetworkFileError(f"{path!r}: 'sizes' must be a list of at least two positive "
                               f"integers, e.g. [2, 4, 1]; got {sizes!r}.")
    n_layers = len(sizes) - 1
    if not (isinstance(names, list) and len(names) == n_layers):
        raise NetworkFileError(f"{path!r}: 'activations' must list one name per layer "
                               f"({n_layers} layers), got {names!r}.")
    for l, name in enumerate(names, start=1):
        if name not in activations.NAMES:
            raise NetworkFileError(f"{path!r}: layer L{l} has the unknown activation "
                                   f"{name!r}; expected one of {activations.NAMES}.")
    try:
        parse_activations(n_layers, names, None, "load")
    except ValueError as error:
        raise NetworkFileError(f"{path!r}: {error}") from None
    if not isinstance(dtype, str) or dtype not in DTYPES \
            or (backend == "NeuralNetwork" and dtype != "float64"):
        allowed = ["float64"] if backend == "NeuralNetwork" else list(DTYPES)
        raise NetworkFileError(f"{path!r}: dtype {dtype!r} is not possible for a {backend}; "
                               f"expected one of {allowed}.")

    expected = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        expected[f"L{l}.weights"] = (n_in, n_out)
        expected[f"L{l}.bias"] = (n_out,)
    for key in (meta.get("optimizer") or {}).get("state", []):
        expected[f"optimizer.{key}"] = (sum((i + 1) * o for i, o in zip(sizes[:-1], sizes[1:])),)
    missing = [key for key in expected if key not in arrays]
    if missing:
        raise NetworkFileError(f"{path!r} is missing the arrays {missing}.")
    extra = [key for key in arrays if key not in expected]
    if extra:
        raise NetworkFileError(f"{path!r} holds arrays that do not belong to a network of "
                               f"sizes {sizes}: {extra}.")
    for key, shape in expected.items():
        array = arrays[key]
        if array.shape != shape:
            what = "(n_inputs, n_neurons)" if key.endswith("weights") else \
                "(n_neurons,)" if key.endswith("bias") else "(n_parameters,)"
            layer = key.split(".")[0]
            where = f"layer {layer}" if layer != "optimizer" else "the optimizer"
            raise NetworkFileError(f"{path!r}: {where}: {key!r} has shape {array.shape}, "
                                   f"expected {shape} = {what} for sizes {sizes}.")
        if array.dtype.name != dtype and kind == ".npz":
            raise NetworkFileError(f"{path!r}: {key!r} has dtype {array.dtype}, but the "
                                   f"network is {dtype}.")
        if not np.all(np.isfinite(array)):
            raise NetworkFileError(f"{path!r}: {key!r} contains NaN or inf; a saved network "
                                   f"holds finite numbers only.")

    W = [arrays[f"L{l}.weights"] for l in range(1, n_layers + 1)]
    b = [arrays[f"L{l}.bias"] for l in range(1, n_layers + 1)]
    try:
        if backend == "NeuralNetwork":
            return NeuralNetwork.from_weights(W, b, names[:-1], names[-1])
        return VectorizedNetwork.from_weights(W, b, names[:-1], names[-1], dtype=np.dtype(dtype))
    except ValueError as error:          # e.g. softmax over a single output
        raise NetworkFileError(f"{path!r}: {error}") from None


def _check_optimizer_metadata(path, meta):
    """The file's ``optimizer`` entry, checked (``None`` if the file holds no optimizer)."""
    saved = meta.get("optimizer")
    if saved is None:
        return None
    keys = ("class", "hyperparameters", "steps", "state")
    if not isinstance(saved, dict) or any(k not in saved for k in keys):
        raise NetworkFileError(f"{path!r}: 'optimizer' must hold {list(keys)}; got {saved!r}.")
    name = saved["class"]
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise NetworkFileError(f"{path!r}: unknown optimizer {name!r}; expected one of "
                               f"{sorted(OPTIMIZERS)}.")
    cls, hyper, state_names = OPTIMIZERS[name]
    given = saved["hyperparameters"]
    if not isinstance(given, dict) or sorted(given) != sorted(hyper):
        raise NetworkFileError(f"{path!r}: {name} needs the hyperparameters {list(hyper)}, "
                               f"got {given!r}.")
    steps = saved["steps"]
    if type(steps) is not int or steps < 0:
        raise NetworkFileError(f"{path!r}: the optimizer's 'steps' must be an integer >= 0, "
                               f"got {steps!r}.")
    state = saved["state"]
    if not isinstance(state, list) or any(key not in state_names for key in state):
        raise NetworkFileError(f"{path!r}: {name} keeps the state {list(state_names)}, but "
                               f"the file lists {state!r}.")
    return saved


def _build_optimizer(path, saved, arrays, network):
    """The optimizer saved with the network (``None`` if there is none)."""
    if saved is None:
        return None
    cls = OPTIMIZERS[saved["class"]][0]
    try:
        optimizer = cls(**saved["hyperparameters"])
    except ValueError as error:
        raise NetworkFileError(f"{path!r}: {error}") from None
    optimizer.steps = saved["steps"]
    dtype = network.flat_parameters.dtype
    optimizer.state = {key: arrays[f"optimizer.{key}"].astype(dtype, copy=True)
                       for key in saved["state"]}
    optimizer.bind(network)
    return optimizer
