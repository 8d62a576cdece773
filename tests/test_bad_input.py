"""One test per class of bad input found by the adversarial pass: the error type and its words.

A silent wrong answer is the worst thing a teaching tool can do, so each class
here either gives the right answer or fails early with a message naming what is
wrong (the neuron, the parameter, the file), what was given and what was expected.
(Classes that live in the engine's boundary and in fit are tested with the engine.)
"""
import os
import tracemalloc
import zipfile

import numpy as np
import pytest

import neurotrace as nt
from neurotrace import _files


@pytest.fixture
def xor():
    return nt.datasets.xor()


# --- accuracy ----------------------------------------------------------------------------
def test_accuracy_takes_integer_labels():
    P = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    assert nt.accuracy(P, [0, 1, 2]) == 1.0              # was 0.333: labels read as one-hot
    assert nt.accuracy(P, np.eye(3)) == 1.0
    assert nt.accuracy(P, [0, 2, 2]) == pytest.approx(2 / 3)


def test_accuracy_refuses_shapes_that_would_broadcast():
    with pytest.raises(ValueError, match=r"outputs of shape \(4, 1\) and targets of shape "
                                         r"\(1, 4\) do not match; expected targets of shape "
                                         r"\(4, 1\)"):
        nt.accuracy(np.ones((4, 1)), np.ones((1, 4)))        # was 0.5
    with pytest.raises(ValueError, match=r"integer class labels in 0\.\.2"):
        nt.accuracy(np.eye(3), [0, 1, 3])


# --- softmax over one output ----------------------------------------------------------------
@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_softmax_over_one_output_is_refused(backend):
    with pytest.raises(ValueError, match=r"softmax over a single output L2\.N0 is always 1\.0.*"
                                         r"every gradient would be 0.*one sigmoid output"):
        backend([2, 3, 1], output_activation="softmax")


def test_a_softmax_layer_of_one_neuron_is_refused():
    # Alone, a Layer is not checked by a network: it must refuse softmax over one output itself.
    with pytest.raises(ValueError, match=r"Layer: softmax over a single output "
                                         r"\(n_neurons=1\) is always 1\.0.*every gradient "
                                         r"would be 0.*one sigmoid output"):
        nt.Layer(3, 1, "softmax")
    with pytest.raises(ValueError, match=r"Layer L1: softmax over a single output L1\.N0"):
        nt.VectorizedNetwork.from_weights([np.ones((2, 1))], [np.zeros(1)], "softmax")
    layer = nt.Layer(3, 2, "softmax")                     # two outputs: a real softmax
    P = layer.forward(np.array([[1.0, 2.0, 3.0]]))
    assert P.sum() == pytest.approx(1.0) and P.min() < 1


# --- optimizers ---------------------------------------------------------------------------
@pytest.mark.parametrize("optimizer", [nt.SGD(lr=0.1, momentum=0.9), nt.Adam(lr=0.01)],
                         ids=["momentum", "adam"])
def test_optimizer_state_belongs_to_one_network(xor, optimizer):
    X, Y = xor
    first, second = nt.NeuralNetwork([2, 2, 1], seed=0), nt.NeuralNetwork([2, 2, 1], seed=1)
    nt.fit(first, X, Y, optimizer=optimizer, progress=False)
    with pytest.raises(ValueError, match=r"holds state .* for another network.*one optimizer "
                                         r"per network, or call optimizer.reset\(\)"):
        nt.fit(second, X, Y, optimizer=optimizer, progress=False)
    optimizer.reset()                                    # the documented way to reuse it
    nt.fit(second, X, Y, optimizer=optimizer, progress=False)
    assert optimizer.network is second


def test_a_stateless_optimizer_may_serve_two_networks(xor):
    X, Y = xor
    sgd = nt.SGD(lr=0.1)                                 # no state: nothing to carry over
    for seed in (0, 1):
        nt.fit(nt.NeuralNetwork([2, 2, 1], seed=seed), X, Y, optimizer=sgd, progress=False)


def test_unknown_optimizer_parameters_say_what_was_meant():
    with pytest.raises(TypeError, match=r"SGD has no parameter 'learning_rate'\. Did you mean "
                                        r"'lr'\? Its parameters are \['lr', 'momentum'"):
        nt.SGD(learning_rate=0.1)
    with pytest.raises(TypeError, match=r"Adam has no parameter 'beta'\. Did you mean 'beta"):
        nt.Adam(beta=0.9)
    with pytest.raises(ValueError, match=r"The 'lr' parameter of SGD must be a number.*Got "
                                         r"'0\.1' instead"):
        nt.SGD(lr="0.1")


# --- losses ---------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_bce_refuses_targets_outside_0_1(backend):
    net = backend([2, 2, 1], seed=0)                     # sigmoid + bce: the fused path
    with pytest.raises(ValueError, match=r"The bce loss needs targets in \[0, 1\].*got values "
                                         r"in \[2, 2\].*can be negative"):
        net.gradients([[1.0, 2.0]], [[2.0]], "bce")
    with pytest.raises(ValueError, match=r"The bce loss needs targets in \[0, 1\]"):
        nt.losses.bce.value(np.array([0.5]), np.array([-1.0]))
    with pytest.raises(ValueError, match=r"The cross_entropy loss needs targets in \[0, 1\]"):
        nt.losses.cross_entropy.value(np.array([0.5, 0.5]), np.array([2.0, -1.0]))


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
@pytest.mark.parametrize("broken", ["value", "gradient"])
def test_a_users_loss_returning_nan_is_named(backend, broken):
    value = (lambda a, y: float("nan")) if broken == "value" else (lambda a, y: 0.5)
    gradient = (lambda a, y: np.full_like(a, np.nan)) if broken == "gradient" \
        else (lambda a, y: a - y)
    mine = nt.Loss("mine", value, gradient)
    net = backend([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match=rf"Loss 'mine': {broken}\(a, y\) (returned|contains) "
                                         rf"nan"):
        net.gradients([[1.0, 2.0]], [[1.0]], mine)


def test_built_in_losses_refuse_shapes_that_would_broadcast():
    a, y = np.ones((4, 1)), np.ones(4)
    for name in ("mse", "sse", "bce", "cross_entropy"):
        loss = nt.losses.get(name)
        with pytest.raises(ValueError, match=rf"The {name} loss needs outputs a and targets y of "
                                             rf"the same shape; got a of shape \(4, 1\) and y "
                                             rf"of shape \(4,\)"):
            loss.value(a * 0.5, y)


# --- NaN written into live weights --------------------------------------------------------
@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
def test_nan_in_live_weights_is_caught_at_forward(backend):
    net = backend([2, 3, 2], seed=0)
    net.parameters()[1][0][2, 1] = np.nan                # L2.N1's weight from L1.N2
    with pytest.raises(ValueError, match=r"parameter L2\.N1\.w2 is nan; a network's weights "
                                         r"and biases must be finite"):
        net.forward([1.0, 2.0])
    net.parameters()[1][0][2, 1] = 0.0
    net.parameters()[0][1][0] = np.inf                   # L1.N0's bias
    with pytest.raises(ValueError, match=r"parameter L1\.N0\.b is inf"):
        net.predict([[1.0, 2.0]])


# --- names and seeds ------------------------------------------------------------------------
@pytest.mark.parametrize("make, words", [
    (lambda: nt.NeuralNetwork([2, 1], "ReLU"), r"Got 'ReLU' instead\. Did you mean 'relu'\?"),
    (lambda: nt.VectorizedNetwork([2, 1], output_activation="Softmax"),
     r"Did you mean 'softmax'\?"),
    (lambda: nt.NeuralNetwork([2, 1], init="Xavier"), r"'init'.*Did you mean 'xavier'\?"),
    (lambda: nt.NeuralNetwork([2, 1]).loss([[1, 2]], [[1]], "MSE"),
     r"'loss'.*Did you mean 'mse'\?"),
    (lambda: nt.Neuron(2, "sigmod"), r"The 'activation' parameter of Neuron must be one of .*"
                                     r"Did you mean 'sigmoid'\?"),
])
def test_unknown_names_suggest_the_closest(make, words):
    with pytest.raises(ValueError, match=words) as error:
        make()
    assert "Neuron neuron" not in str(error.value)


@pytest.mark.parametrize("seed", ["42", 1.5, -1])
def test_seeds_must_be_integers(seed):
    with pytest.raises(ValueError, match=rf"The 'seed' parameter must be a non-negative integer "
                                         rf"or None\. Got {seed!r}"):
        nt.NeuralNetwork([2, 1], seed=seed)


def test_unknown_node_names_list_the_network():
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as t:
        net.backprop([[1.0, 2.0]], [[1.0]])
    with pytest.raises(KeyError, match=r"No neuron 'L3\.N0' in the traced network \(layers "
                                       r"L1\.\.L2, sizes \[2, 2, 1\]\)"):
        t[0].forward["L3.N0"]


# --- traces -------------------------------------------------------------------------------------
@pytest.fixture
def traces(xor):
    X, Y = xor
    net = nt.NeuralNetwork([2, 2, 1], seed=0)
    with nt.trace(net) as empty:
        pass
    with nt.trace(net) as no_loss:
        net.forward([1.0, 2.0])                             # a step without a loss
        net.backprop(X[:2], Y[:2])
    with nt.trace(net, quantities=["z", "a"]) as no_gradients:
        net.backprop(X, Y)
    with nt.trace(net) as uneven:                           # batches of 2, 2 and 1
        nt.fit(net, np.vstack([X, X[:1]]), np.vstack([Y, Y[:1]]), batch_size=2, shuffle=False,
               progress=False)
    return {"net": net, "empty": empty, "no_loss": no_loss, "no_gradients": no_gradients,
            "uneven": uneven}


def test_series_of_the_loss_refuses_steps_without_one(traces):
    with pytest.raises(KeyError, match=r"No loss was computed at step\(s\) \[0\]"):
        traces["no_loss"].series("loss")                    # was [nan, ...]


def test_series_over_uneven_batches_says_why(traces):
    with pytest.raises(ValueError, match=r"different shapes \(\(2,\) at step 0, \(1,\) at step 2"
                                         r"\).*batch_size does not divide"):
        traces["uneven"].series("L1.N0", "z")


@pytest.mark.parametrize("max_bytes", [0, -5, 1.5, "64MiB"])
def test_trace_max_bytes_must_be_positive(traces, max_bytes):
    with pytest.raises(ValueError, match=r"The 'max_bytes' parameter of trace must be a positive "
                                         r"integer"):
        with nt.trace(traces["net"], max_bytes=max_bytes):
            pass


def test_explain_checks_its_arguments_first(traces):
    t = traces["no_loss"]
    with pytest.raises(TypeError, match=r"the quantity must be a name.*'w0'\.\.'w1' are the "
                                        r"weights of L1\.N0.*For weight 0 pass 'w0'"):
        t.explain("L1.N0", 0, step=1)
    with pytest.raises(ValueError, match=r"step 1 is a batch of 2 samples; 'sample' must be an "
                                         r"integer in 0\.\.1"):
        t.explain("L1.N0", "w0", step=1, sample=5)
    with pytest.raises(ValueError, match=r"the trace recorded no steps"):
        traces["empty"].explain("L1.N0", "w0")


@pytest.mark.parametrize("plot", ["loss_curve", "gradient_norms", "weight_trajectories",
                                  "network_graph"])
def test_viz_on_an_empty_trace(traces, plot):
    with pytest.raises(ValueError, match=rf"viz\.{plot}: the trace recorded no steps"):
        getattr(nt.viz, plot)(traces["empty"])


@pytest.mark.parametrize("plot", ["gradient_norms", "weight_trajectories", "neuron_graph"])
def test_viz_given_a_network_instead_of_a_trace(traces, plot):
    args = ("L1.N0",) if plot == "neuron_graph" else ()
    with pytest.raises(TypeError, match=rf"viz\.{plot} expects a Trace.*got NeuralNetwork\. To "
                                        rf"picture a network's training, record it"):
        getattr(nt.viz, plot)(traces["net"], *args)
    with pytest.raises(TypeError, match=r"viz\.loss_curve expects fit's History, a Trace or a "
                                        r"dict"):
        nt.viz.loss_curve(traces["net"])


def test_viz_gradient_norms_without_gradients(traces):
    with pytest.raises(ValueError, match=r"holds no gradients to plot \(recorded quantities: "
                                         r"\['a', 'z'\]\)"):
        nt.viz.gradient_norms(traces["no_gradients"])


# --- files --------------------------------------------------------------------------------------
def test_a_failing_trace_save_keeps_the_old_file(traces, tmp_path, monkeypatch):
    path = tmp_path / "t.npz"
    nt.save(traces["no_loss"], path)
    before = path.read_bytes()

    def disk_full(f, **arrays):
        f.write(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", disk_full)
    with pytest.raises(OSError, match="No space left"):
        nt.save(traces["uneven"], path)
    assert path.read_bytes() == before                      # the old trace, whole
    assert os.listdir(tmp_path) == ["t.npz"]                # no partial file left behind
    assert nt.load(path).steps == traces["no_loss"].steps


@pytest.mark.parametrize("name", ["t.json", "t", "t.trace", "t.npy", "t.npz.bak"])
@pytest.mark.parametrize("save", [nt.save, nt.Trace.save], ids=["nt.save", "Trace.save"])
def test_a_trace_is_saved_only_under_an_npz_name(traces, tmp_path, save, name):
    # nt.load tells the format by the extension: an npz written as "t.json" could not be loaded.
    with pytest.raises(nt.NeurotraceFileError, match=rf"Cannot save the trace to '.*{name}': a "
                                                      rf"trace is saved as an \.npz archive.*"
                                                      rf"must end in '\.npz'; got the extension"):
        save(traces["no_loss"], tmp_path / name)
    assert os.listdir(tmp_path) == []                        # nothing written


def test_an_npz_named_json_is_named_as_such(traces, tmp_path):
    path = tmp_path / "t.npz"
    nt.save(traces["no_loss"], path)
    renamed = path.rename(tmp_path / "t.json")               # e.g. saved by an older version
    with pytest.raises(nt.NeurotraceFileError, match=r"t\.json' holds a trace in \.npz format "
                                                      r"under a \.json name: rename it"):
        nt.load(renamed)
    net = tmp_path / "net.npz"
    nt.save(traces["net"], net)
    with pytest.raises(nt.NeurotraceFileError, match=r"holds an archive in \.npz format"):
        nt.load(net.rename(tmp_path / "net.json"))


def _writers(traces):
    """``{name: write(path, version)}``: every public way neurotrace writes a file.

    ``version`` 0 and 1 give different contents, so a test can tell which one is on disk.
    """
    def render(path, version):
        graph = nt.viz.network_graph(traces["uneven"], step=version)
        formats = ["svg"] if nt.viz.have_dot() else []
        nt.viz.render(graph, path.with_suffix(""), format=formats)

    def figure(path, version):
        history = {"loss": [1.0, 0.5, 0.25][: version + 2]}
        nt.viz.save_figure(nt.viz.loss_curve(history), path)

    return {
        "trace": ("t.npz", lambda path, version: nt.save(
            traces["no_loss" if version else "uneven"], path)),
        "network": ("net.json", lambda path, version: nt.save(
            nt.NeuralNetwork([2, 2, 1], seed=version), path)),
        "render": ("graph.dot", render),
        "save_figure": ("loss.png", figure),
        "to_html": ("run.html", lambda path, version: traces[
            "no_loss" if version else "uneven"].to_html(path)),
        "Viewer.save": ("run.html", lambda path, version: nt.viewer.Viewer(traces[
            "no_loss" if version else "uneven"]).save(path)),
    }


@pytest.mark.parametrize("writer", ["trace", "network", "render", "save_figure", "to_html",
                                    "Viewer.save"])
def test_a_failing_write_keeps_every_old_file(traces, tmp_path, monkeypatch, writer):
    # The disk fills up after the new content was written, before it is safely on disk.
    name, write = _writers(traces)[writer]
    path = tmp_path / name
    write(path, 0)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert before and all(before.values())

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write(path, 1)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before                    # every old file whole, no partial file left
    monkeypatch.undo()
    write(path, 1)                            # and the same write succeeds when it can
    assert {p.name for p in tmp_path.iterdir()} == set(before)
    assert any(p.read_bytes() != before[p.name] for p in tmp_path.iterdir())


def test_atomic_writes_give_the_permissions_open_would(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    new, plain = tmp_path / "new.txt", tmp_path / "plain.txt"
    _files.atomic_write(new, lambda f: f.write("a"), binary=False)
    plain.write_text("a")
    assert new.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o666 & ~umask
    new.chmod(0o640)                                          # a replaced file keeps its mode
    _files.atomic_write(new, lambda f: f.write(b"b"))
    assert new.stat().st_mode & 0o777 == 0o640 and new.read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "plain.txt"]


def test_the_package_writes_files_only_through_atomic_write():
    # Every call that writes a file must write into the open temporary file of atomic_write
    # (by convention its argument is called f); a path there would bypass it.
    import ast
    from pathlib import Path
    writes = {"write_text", "write_bytes", "savefig", "savez", "savez_compressed", "render"}
    offenders = []
    for source in sorted(Path(nt.__file__).parent.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            into_f = bool(node.args) and isinstance(node.args[0], ast.Name) \
                and node.args[0].id == "f"
            if name == "open" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                bad = any(c in str(node.args[1].value) for c in "wax")
            elif name in writes and isinstance(func, ast.Attribute):
                bad = not into_f and not (name == "render" and isinstance(func.value, ast.Name)
                                          and func.value.id == "viz")
                bad = bad or any(k.arg == "path" for k in node.keywords)
            elif name == "save" and isinstance(func, ast.Attribute) \
                    and getattr(func.value, "id", "") == "np":
                bad = not into_f
            elif name == "dump":                             # json.dump(obj, f)
                bad = not (len(node.args) > 1 and getattr(node.args[1], "id", "") == "f")
            elif name == "screenshot":                       # the browser's: bytes, or a path
                bad = any(k.arg == "path" for k in node.keywords)
            else:
                continue
            if bad:
                offenders.append(f"{source.name}:{node.lineno} {ast.unparse(node)[:70]}")
    assert not offenders, "writes that bypass atomic_write:\n" + "\n".join(offenders)


def _npz_with_header(path, shape, data=b""):
    """An .npz whose one array declares ``shape`` but holds only ``data``."""
    with zipfile.ZipFile(path, "w") as archive, archive.open("w.npy", "w") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                                 "shape": shape})
        f.write(data)


@pytest.mark.parametrize("load", [nt.load, nt.Trace.load], ids=["load", "Trace.load"])
def test_a_file_declaring_a_huge_array_is_refused_before_allocating(tmp_path, load):
    path = tmp_path / "huge.npz"
    _npz_with_header(path, (10**13,), bytes(64))           # 72.8 TiB declared, 64 bytes held
    tracemalloc.start()
    try:
        with pytest.raises(nt.NeurotraceFileError, match=r"huge\.npz.*declares shape "
                                                          r"\(10000000000000,\).*damaged"):
            load(path)
        assert tracemalloc.get_traced_memory()[1] < 2**20
    finally:
        tracemalloc.stop()


def test_decompressed_size_is_bounded(tmp_path):
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, w=np.zeros(2**21))             # 16 MiB of zeros in ~16 KiB
    assert os.path.getsize(path) < 2**16
    tracemalloc.start()
    try:
        with pytest.raises(nt.NeurotraceFileError, match=r"bomb\.npz.*'w' needs 16777216 bytes.*"
                                                          r"more than max_bytes=4194304"):
            nt.load(path, max_bytes=4 * 2**20)
        assert tracemalloc.get_traced_memory()[1] < 2**20    # refused before allocating
    finally:
        tracemalloc.stop()
    assert _files.MAX_LOAD_BYTES <= 128 * 2**20             # the default bound


def test_an_edited_trace_header_fails_at_load(traces, tmp_path):
    path = tmp_path / "t.npz"
    nt.save(traces["no_loss"], path)
    arrays = _files.read_npz(path)
    header = str(arrays["__header__"]).replace('"sizes": [2, 2, 1]', '"sizes": [2, 5, 1]')
    arrays["__header__"] = np.array(header)
    edited = tmp_path / "edited.npz"
    np.savez_compressed(edited, **arrays)
    with pytest.raises(nt.NeurotraceFileError, match=r"edited\.npz: a damaged neurotrace trace: "
                                                      r"step 0, layer L1: '[az]' has shape \(2,\), "
                                                      r"expected \(\.\.\., 5\)"):
        nt.load(edited)


# --- gradcheck -----------------------------------------------------------------------------------
@pytest.mark.parametrize("eps", [0, -1e-6, float("nan"), "1e-6", 1.0])
def test_gradcheck_eps_must_be_a_small_positive_number(eps):
    net = nt.NeuralNetwork([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"The 'eps' parameter of gradcheck must be a number in "
                                         r"\(0, 0\.1\]"):
        nt.gradcheck(net, [[1.0, 2.0]], [[1.0]], eps=eps)


def test_gradcheck_does_not_flag_rounding_on_correct_code():
    """Tiny gradients (small inputs, saturated units) used to fail ~4% of correct networks."""
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(40):
        sizes = [int(s) for s in rng.integers(1, 5, size=rng.integers(2, 4))]
        net = nt.NeuralNetwork(sizes, str(rng.choice(["sigmoid", "tanh", "identity"])),
                               seed=int(rng.integers(2**31)), init="normal")
        X = rng.normal(size=(3, sizes[0])) * rng.choice([1e-3, 1.0, 5.0])
        Y = rng.normal(size=(3, sizes[-1]))
        worst = max(worst, nt.gradcheck(net, X, Y, "mse"))
    assert worst < 1e-6


def test_gradcheck_still_catches_a_wrong_derivative():
    wrong = nt.Activation("tanh", np.tanh, lambda z, a: 1.0 - a, np.tanh, lambda z, a: 1.0 - a,
                          "f(z) = tanh(z)", "f'(z) = 1 - f(z)  (wrong)", "", "")
    net = nt.NeuralNetwork([2, 3, 1], [wrong, "identity"], seed=0)
    assert nt.gradcheck(net, [[0.5, -1.0]], [[0.2]]) > 1e-3


@pytest.mark.parametrize("kwargs, error, words", [
    ({"optimizer": "sgd"}, TypeError, r"'optimizer' parameter of fit must be an optimizer object"
                                      r".*optimizer=nt\.SGD\(lr=0\.1\)"),
    ({"optimizer": nt.SGD}, TypeError, r"Make one first: optimizer=nt\.SGD\(lr=0\.1\)"),
    ({"validation_data": np.zeros((4, 2))}, TypeError,
     r"'validation_data' parameter of fit must be a pair \(X_val, Y_val\); got ndarray of "
     r"length 4"),
])
def test_fit_names_a_wrong_optimizer_or_validation_data(kwargs, error, words):
    X, Y = nt.datasets.xor()
    with pytest.raises(error, match=words):
        nt.fit(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, epochs=1, progress=False, **kwargs)


def test_fit_on_a_layer_says_to_put_it_in_a_network():
    X, Y = nt.datasets.xor()
    with pytest.raises(TypeError, match=r"fit trains a NeuralNetwork or a VectorizedNetwork; got "
                                        r"Layer\. A Layer trains inside a network: "
                                        r"nt\.VectorizedNetwork\.from_layers"):
        nt.fit(nt.Layer(2, 1), X, Y, epochs=1, progress=False)
