"""Saving and loading: exact round trips for both backends, and untrustworthy files refused."""
import json
import zipfile

import numpy as np
import pytest

import neurotrace as nt
from neurotrace.io import NetworkFileError, load

KINDS = [("neurons", np.float64), ("vectorized", np.float64), ("vectorized", np.float32)]
KIND_IDS = ["neurons", "vectorized", "vectorized-float32"]
EXTENSIONS = [".npz", ".json"]


def make_network(backend="neurons", dtype=np.float64):
    """Three layers, three different activations, weights that training has moved."""
    net = nt.NeuralNetwork([3, 5, 4, 2], ["tanh", "relu"], "softmax", seed=1)
    X, Y = data()
    nt.fit(net, X, Y, loss="cross_entropy", optimizer=nt.SGD(lr=0.3), epochs=3, batch_size=4,
           seed=0, progress=False)
    return net if backend == "neurons" else net.to_vectorized(dtype=dtype)


def data(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), nt.datasets.one_hot(rng.integers(0, 2, n), 2)


def assert_same_network(a, b):
    assert type(a) is type(b)
    assert a.sizes == b.sizes and a.activation_names == b.activation_names
    assert a.flat_parameters.dtype == b.flat_parameters.dtype
    assert a.flat_parameters.tobytes() == b.flat_parameters.tobytes()      # bit for bit
    X, _ = data(seed=7)
    assert a.predict(X).tobytes() == b.predict(X).tobytes()


# --- exact round trips --------------------------------------------------------------------
@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("backend, dtype", KINDS, ids=KIND_IDS)
def test_round_trip_is_exact(tmp_path, backend, dtype, ext):
    net = make_network(backend, dtype)
    path = tmp_path / f"net{ext}"
    nt.save(net, path)
    loaded = load(path)
    assert_same_network(net, loaded)
    assert loaded.predict(data()[0]).dtype == dtype
    # The loaded network is a new one: training it does not touch the original.
    loaded.flat_parameters[0] += 1.0
    assert loaded.flat_parameters[0] != net.flat_parameters[0]


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_round_trip_of_awkward_numbers(tmp_path, ext):
    # Numbers whose shortest decimal needs all 17 digits, tiny ones and huge ones.
    W = [np.array([[0.1 + 0.2, -1 / 3], [5e-324, 1.7976931348623157e308]]),
         np.array([[np.pi], [-0.0]])]
    b = [np.array([2.2250738585072014e-308, -123456789.12345679]), np.array([np.nextafter(1, 2)])]
    net = nt.NeuralNetwork.from_weights(W, b, "identity")
    nt.save(net, tmp_path / f"odd{ext}")
    assert load(tmp_path / f"odd{ext}").flat_parameters.tobytes() == net.flat_parameters.tobytes()


def test_npz_holds_one_readable_array_per_layer(tmp_path):
    net = make_network()
    nt.save(net, tmp_path / "net.npz")
    with np.load(tmp_path / "net.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == ["L1.bias", "L1.weights", "L2.bias", "L2.weights",
                                     "L3.bias", "L3.weights", "metadata"]
        np.testing.assert_array_equal(npz["L2.weights"], net.parameters()[1][0])   # (5, 4)
        meta = json.loads(str(npz["metadata"]))
    assert meta["format"] == "neurotrace-network" and meta["version"] == 1
    assert meta["backend"] == "NeuralNetwork"
    assert meta["sizes"] == [3, 5, 4, 2]
    assert meta["activations"] == ["tanh", "relu", "softmax"]
    assert meta["dtype"] == "float64"


def test_json_is_plain_text_without_nan(tmp_path):
    net = make_network("vectorized")
    nt.save(net, tmp_path / "net.json")
    text = (tmp_path / "net.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    doc = json.loads(text)
    assert doc["backend"] == "VectorizedNetwork" and doc["sizes"] == [3, 5, 4, 2]
    assert np.array(doc["arrays"]["L1.weights"]).shape == (3, 5)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_saving_overwrites_and_returns_nothing(tmp_path, ext):
    path = tmp_path / f"net{ext}"
    nt.save(make_network(), path)
    other = nt.VectorizedNetwork([3, 2], "sigmoid", seed=3)
    assert nt.save(other, path) is None
    assert_same_network(other, load(path))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]     # no temporary file left


# --- the optimizer ------------------------------------------------------------------------
OPTIMIZERS = {
    "momentum": lambda: nt.SGD(lr=0.05, momentum=0.9),
    "adam": lambda: nt.Adam(lr=0.01, beta1=0.85),
    "clipped": lambda: nt.SGD(lr=0.1, momentum=0.5, clip_value=0.5, clip_norm=2.0),
}


@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("backend, dtype", KINDS, ids=KIND_IDS)
@pytest.mark.parametrize("opt_name", sorted(OPTIMIZERS))
def test_training_continues_exactly_after_loading(tmp_path, backend, dtype, ext, opt_name):
    X, Y = data()
    train = dict(loss="cross_entropy", epochs=3, batch_size=4, progress=False)
    net, opt = make_network(backend, dtype), OPTIMIZERS[opt_name]()
    nt.fit(net, X, Y, optimizer=opt, seed=1, **train)
    path = tmp_path / f"run{ext}"
    nt.save(net, path, optimizer=opt)
    loaded, loaded_opt = load(path, with_optimizer=True)

    assert type(loaded_opt) is type(opt) and repr(loaded_opt) == repr(opt)
    assert vars(loaded_opt).keys() == vars(opt).keys()
    for name in ("lr", "momentum", "beta1", "beta2", "eps", "clip_value", "clip_norm"):
        assert getattr(loaded_opt, name, None) == getattr(opt, name, None)
    assert loaded_opt.steps == opt.steps == 9
    assert sorted(loaded_opt.state) == sorted(opt.state) != []
    for key, vector in opt.state.items():
        assert loaded_opt.state[key].dtype == dtype
        assert loaded_opt.state[key].tobytes() == vector.tobytes()

    # Never saved vs saved and loaded: the same next steps, bit for bit.
    nt.fit(net, X, Y, optimizer=opt, seed=2, **train)
    nt.fit(loaded, X, Y, optimizer=loaded_opt, seed=2, **train)
    assert_same_network(net, loaded)
    # ... and the state mattered: a fresh optimizer would have gone elsewhere.
    fresh = load(path)
    nt.fit(fresh, X, Y, optimizer=OPTIMIZERS[opt_name](), seed=2, **train)
    assert np.max(np.abs(fresh.flat_parameters - net.flat_parameters)) > 1e-6


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_optimizer_is_optional_both_ways(tmp_path, ext):
    net, opt = make_network(), nt.SGD(lr=0.1, momentum=0.9)
    nt.save(net, tmp_path / f"with{ext}", optimizer=opt)            # not stepped yet: no state
    nt.save(net, tmp_path / f"without{ext}")
    assert_same_network(net, load(tmp_path / f"with{ext}"))     # the network alone
    loaded, loaded_opt = load(tmp_path / f"with{ext}", with_optimizer=True)
    assert loaded_opt.state == {} and loaded_opt.steps == 0 and loaded_opt.momentum == 0.9
    assert load(tmp_path / f"without{ext}", with_optimizer=True)[1] is None


def test_optimizer_of_another_network_is_refused(tmp_path):
    opt = nt.SGD(lr=0.1, momentum=0.9)
    nt.fit(nt.NeuralNetwork([3, 2], seed=0), *data(), optimizer=opt, progress=False)
    with pytest.raises(NetworkFileError, match="does not belong to this network"):
        nt.save(make_network(), tmp_path / "net.npz", optimizer=opt)


# --- files that are refused ---------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    """Save a trained network with its Adam state; return the path for an extension."""
    def save(ext):
        net, opt = make_network(), nt.Adam(lr=0.01)
        nt.fit(net, *data(), loss="cross_entropy", optimizer=opt, epochs=1, progress=False)
        path = tmp_path / f"net{ext}"
        nt.save(net, path, optimizer=opt)
        return path
    return save


def test_the_error_is_a_value_error():
    assert issubclass(NetworkFileError, ValueError)


@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("keep", [0, 10, 0.5, -2])
def test_truncated_file_is_refused(saved, ext, keep):
    path = saved(ext)
    raw = path.read_bytes()
    path.write_bytes(raw[:int(len(raw) * keep) if isinstance(keep, float) else keep])
    with pytest.raises(NetworkFileError, match=rf"net\{ext}' is truncated or corrupt"):
        load(path)


def test_corrupt_bytes_inside_the_npz_are_refused(saved):
    path = saved(".npz")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:                  # overwrite the middle of L1's numbers
        info = z.getinfo("L1.weights.npy")
    middle = info.header_offset + 30 + len(info.filename) + 100
    raw[middle:middle + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    with pytest.raises(NetworkFileError, match="truncated or corrupt.*CRC"):
        load(path)


def test_pickled_objects_in_an_npz_are_refused(saved, tmp_path):
    path = saved(".npz")
    with np.load(path) as npz:
        arrays = dict(npz)
    arrays["L1.weights"] = np.array([{"not": "numbers"}], dtype=object)   # np.savez pickles it
    evil = tmp_path / "evil.npz"
    np.savez(evil, **arrays)
    with pytest.raises(NetworkFileError, match="evil.npz' holds pickled Python objects. "
                                               "neurotrace never loads pickles, because "
                                               "loading a pickle can run arbitrary code"):
        load(evil)


def test_a_pickle_named_npz_is_refused(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"\x80\x04N.")                    # the pickle of None, protocol 4
    with pytest.raises(NetworkFileError, match="holds pickled Python objects"):
        load(path)


def test_a_single_npy_array_is_refused(tmp_path):
    path = tmp_path / "net.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(NetworkFileError, match="single .npy array"):
        load(path)


def rewrite_npz(path, change):
    """Load the arrays and the metadata, let ``change(meta, arrays)`` edit them, save again."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = dict(npz)
    meta = json.loads(str(arrays.pop("metadata")))
    change(meta, arrays)
    np.savez(path, metadata=np.array(json.dumps(meta)), **arrays)


def rewrite_json(path, change):
    doc = json.loads(path.read_text())
    arrays = {k: np.array(v) for k, v in doc.pop("arrays").items()}
    change(doc, arrays)
    doc["arrays"] = {k: a.tolist() for k, a in arrays.items()}
    path.write_text(json.dumps(doc))


REWRITE = {".npz": rewrite_npz, ".json": rewrite_json}


def drop_row(meta, arrays):
    arrays["L2.weights"] = arrays["L2.weights"][:-1]


def transpose(meta, arrays):
    arrays["L3.weights"] = arrays["L3.weights"].T


def short_bias(meta, arrays):
    arrays["L1.bias"] = arrays["L1.bias"][:3]


def short_state(meta, arrays):
    arrays["optimizer.m"] = arrays["optimizer.m"][:-2]


def other_sizes(meta, arrays):
    meta["sizes"] = [3, 6, 4, 2]


@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("change, message", [
    (drop_row, r"layer L2: 'L2.weights' has shape \(4, 4\), expected \(5, 4\) = "
               r"\(n_inputs, n_neurons\) for sizes \[3, 5, 4, 2\]"),
    (transpose, r"layer L3: 'L3.weights' has shape \(2, 4\), expected \(4, 2\)"),
    (short_bias, r"layer L1: 'L1.bias' has shape \(3,\), expected \(5,\) = \(n_neurons,\)"),
    (short_state, r"the optimizer: 'optimizer.m' has shape \(52,\), expected \(54,\) = "
                  r"\(n_parameters,\)"),
    (other_sizes, r"layer L1: 'L1.weights' has shape \(3, 5\), expected \(3, 6\)"),
], ids=["row", "transposed", "bias", "optimizer", "sizes"])
def test_wrong_shapes_are_refused_naming_the_layer(saved, ext, change, message):
    path = saved(ext)
    REWRITE[ext](path, change)
    with pytest.raises(NetworkFileError, match=message):
        load(path)


def delete(key):
    def change(meta, arrays):
        (meta if key in meta else arrays).pop(key)
    return change


def set_meta(key, value):
    def change(meta, arrays):
        meta[key] = value
    return change


def nan_weight(meta, arrays):
    arrays["L2.weights"][1, 2] = np.nan


def inf_bias(meta, arrays):
    arrays["L3.bias"][0] = np.inf


@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("change, message", [
    (delete("sizes"), r"is not a complete neurotrace network file: missing \['sizes'\]"),
    (delete("backend"), r"missing \['backend'\]"),
    (delete("L2.bias"), r"is missing the arrays \['L2.bias'\]"),
    (set_meta("activations", ["tanh", "swish", "softmax"]),
     r"layer L2 has the unknown activation 'swish'; expected one of \["),
    (set_meta("activations", ["softmax", "relu", "softmax"]), r"softmax is only allowed on"),
    (set_meta("activations", ["tanh", "relu"]), r"'activations' must list one name per layer"),
    (set_meta("backend", "TorchNetwork"), r"unknown backend 'TorchNetwork'; expected one of"),
    (set_meta("format", "keras"), r"is not a neurotrace network file: its format is 'keras'"),
    (set_meta("version", 2), r"has format version 2; this neurotrace reads version 1"),
    (set_meta("dtype", "float32"), r"dtype 'float32' is not possible for a NeuralNetwork"),
    (set_meta("sizes", [3, 0, 4, 2]), r"'sizes' must be a list of at least two positive"),
    (set_meta("optimizer", {"class": "RMSprop", "hyperparameters": {}, "steps": 1,
                            "state": []}), r"unknown optimizer 'RMSprop'"),
    (nan_weight, r"(contains NaN: network files hold finite numbers only|"
                r"'L2.weights' contains NaN or inf)"),
    (inf_bias, r"(contains Infinity|'L3.bias' contains NaN or inf)"),
], ids=["sizes", "backend", "array", "activation", "softmax", "activations", "backend-name",
        "format", "version", "dtype", "zero-size", "optimizer", "nan", "inf"])
def test_bad_contents_are_refused(saved, ext, change, message):
    path = saved(ext)
    REWRITE[ext](path, change)
    with pytest.raises(NetworkFileError, match=rf"net\{ext}'.*{message}"):
        load(path)


def test_bad_optimizer_hyperparameters_are_refused_when_asked_for(saved):
    path = saved(".json")

    def negative_lr(meta, arrays):
        meta["optimizer"]["hyperparameters"]["lr"] = -1.0
    rewrite_json(path, negative_lr)
    load(path)                                       # the network alone is fine
    with pytest.raises(NetworkFileError, match=r"The 'lr' parameter of Adam must be"):
        load(path, with_optimizer=True)


def test_json_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "net.json"
    path.write_text('{"format": "neurotrace-network", ')
    with pytest.raises(NetworkFileError, match=r"net.json' is truncated or corrupt: it is not "
                                               r"valid JSON"):
        load(path)
    path.write_text("[1, 2, 3]")
    with pytest.raises(NetworkFileError, match="expected a JSON object, got list"):
        load(path)


@pytest.mark.parametrize("name", ["net.pkl", "net.h5", "net", "net.npy", "net.npz.bak"])
def test_unknown_extension_is_refused(tmp_path, name):
    net = make_network()
    with pytest.raises(NetworkFileError, match=r"saves and loads networks as '.npz' or '.json'"):
        nt.save(net, tmp_path / name)
    (tmp_path / name).write_bytes(b"anything")
    with pytest.raises(NetworkFileError, match=rf"{name}'.*got the extension"):
        load(tmp_path / name)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_missing_file_is_refused(tmp_path, ext):
    with pytest.raises(FileNotFoundError, match=rf"No network file '.*nowhere\{ext}'"):
        load(tmp_path / f"nowhere{ext}")


def test_a_network_with_nan_is_not_saved(tmp_path):
    net = make_network()
    net.flat_parameters[4] = np.nan
    with pytest.raises(NetworkFileError, match="parameters contain NaN or inf"):
        nt.save(net, tmp_path / "net.json")
    assert not (tmp_path / "net.json").exists()


def test_a_custom_activation_cannot_be_saved(tmp_path):
    from neurotrace import activations
    square = nt.Activation("square", lambda z: z * z, lambda z, a: 2 * z, lambda z: z * z,
                           lambda z, a: 2 * z, "z^2", "2z", "z^2", "2z")
    assert square.name not in activations.NAMES
    net = nt.NeuralNetwork([[nt.Neuron(2, square)]])
    with pytest.raises(NetworkFileError, match="activation 'square', which is not one of"):
        nt.save(net, tmp_path / "net.npz")
