"""Tests of neurotrace.datasets: shapes, values, seeds, splits, scaling and offline behaviour."""
import gzip
import hashlib
import json
import os
import socket
import time

import numpy as np
import pytest
import sklearn.datasets
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from neurotrace import datasets as ds

# (loader, samples in the whole set, inputs, classes)
CLASSIFICATION = [
    (ds.iris, 150, 4, 3),
    (ds.digits, 1797, 64, 10),
    (ds.wine, 178, 13, 3),
    (ds.breast_cancer, 569, 30, 2),
    (ds.moons, 200, 2, 2),
    (ds.circles, 200, 2, 2),
]
SPLIT_LOADERS = [c[0] for c in CLASSIFICATION] + [ds.diabetes]


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open a network connection."""
    def refuse(*args, **kwargs):
        raise AssertionError("a data set loader tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def empty_data_home(tmp_path, monkeypatch, no_network):
    """An empty scikit-learn cache, whatever this machine has downloaded before."""
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    return tmp_path


# -- truth tables ---------------------------------------------------------------

INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]


@pytest.mark.parametrize("make, outputs", [
    (ds.xor, [0, 1, 1, 0]),
    (ds.and_, [0, 0, 0, 1]),
    (ds.or_, [0, 1, 1, 1]),
])
def test_truth_tables(make, outputs):
    X, Y = make()
    assert X.dtype == Y.dtype == np.float64
    assert X.shape == (4, 2) and Y.shape == (4, 1)
    np.testing.assert_array_equal(X, INPUTS)
    np.testing.assert_array_equal(Y[:, 0], outputs)
    # the outputs are the logic functions of the inputs
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    expected = {ds.xor: a ^ b, ds.and_: a & b, ds.or_: a | b}[make]
    np.testing.assert_array_equal(Y[:, 0], expected)


@pytest.mark.parametrize("make, outputs", [(ds.and_, [0, 0, 0, 1]), (ds.or_, [0, 1, 1, 1])])
def test_truth_tables_one_hot(make, outputs):
    X, Y = make(one_hot=True)
    assert Y.shape == (4, 2) and Y.dtype == np.float64
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), outputs)  # column 1 = "true"


def test_truth_tables_are_fresh_copies():
    X, Y = ds.xor()
    X[0, 0] = 99.0
    assert ds.xor()[0][0, 0] == 0.0


# -- one_hot --------------------------------------------------------------------

def test_one_hot_values():
    Y = ds.one_hot([2, 0, 1, 2])
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert Y.dtype == np.float64
    assert ds.one_hot([0, 1], n_classes=5).shape == (2, 5)
    np.testing.assert_array_equal(ds.one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    assert ds.one_hot([]).shape == (0, 0)


@pytest.mark.parametrize("labels, n_classes, match", [
    ([0, -1, 2], None, "integer class labels >= 0, got -1 at index 1"),
    ([0, 1.5], None, "got 1.5 at index 1"),
    ([0, np.nan], None, "got nan"),
    (["a", "b"], None, "dtype"),
    ([[0, 1]], None, "shape"),
    ([0, 3], 3, "n_classes=3"),
])
def test_one_hot_rejects_bad_labels(labels, n_classes, match):
    with pytest.raises(ValueError, match=match):
        ds.one_hot(labels, n_classes)


# -- quadratic surface ----------------------------------------------------------

def test_quadratic_targets_are_the_surface():
    X, Y = ds.quadratic(normalize=False)
    assert X.shape == (35, 2) and Y.shape == (35, 1)
    assert X.dtype == Y.dtype == np.float64
    assert np.all((X >= -1) & (X < 1))
    np.testing.assert_allclose(Y[:, 0], X[:, 0] ** 2 + X[:, 1] ** 2, rtol=0, atol=1e-15)
    Xn, Yn = ds.quadratic()
    np.testing.assert_array_equal(Xn, X)
    np.testing.assert_allclose(Yn, Y / 2, rtol=0, atol=1e-15)
    assert Yn.min() >= 0 and Yn.max() <= 1


def test_quadratic_uses_default_rng():
    X, _ = ds.quadratic(7, seed=3)
    np.testing.assert_array_equal(X, np.random.default_rng(3).uniform(-1, 1, (7, 2)))
    np.testing.assert_array_equal(ds.quadratic(seed=3)[0], ds.quadratic(seed=3)[0])
    assert not np.allclose(ds.quadratic(seed=3)[0], ds.quadratic(seed=4)[0])


def test_quadratic_grid():
    xx, yy, X_grid, Y_grid = ds.quadratic_grid(5)
    assert xx.shape == yy.shape == (5, 5)
    assert X_grid.shape == (25, 2) and Y_grid.shape == (25, 1)
    np.testing.assert_array_equal(xx[0], np.linspace(-1, 1, 5))
    np.testing.assert_array_equal(yy[:, 0], np.linspace(-1, 1, 5))
    np.testing.assert_array_equal(X_grid[:, 0].reshape(5, 5), xx)
    np.testing.assert_array_equal(X_grid[:, 1].reshape(5, 5), yy)
    np.testing.assert_allclose(Y_grid[:, 0], (xx ** 2 + yy ** 2).ravel() / 2)
    assert Y_grid.max() == 1.0 and Y_grid.min() == 0.0  # corners and centre
    assert ds.quadratic_grid(5, normalize=False)[3].max() == 2.0
    assert len(ds.quadratic_grid()[2]) == 40 * 40


# -- spiral and vertical (nnfs) -------------------------------------------------

@pytest.mark.parametrize("make", [ds.spiral, ds.vertical])
def test_toy_shapes_balance_and_seeds(make):
    X, y = make(samples=40, classes=4, seed=1, one_hot=False)
    assert X.shape == (160, 2) and X.dtype == np.float64
    assert y.shape == (160,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [40] * 4)
    np.testing.assert_array_equal(y, np.repeat(np.arange(4), 40))  # grouped by class
    X2, y2 = make(samples=40, classes=4, seed=1, one_hot=False)
    np.testing.assert_array_equal(X, X2)
    assert not np.allclose(X, make(samples=40, classes=4, seed=2)[0])
    Xh, Y = make(samples=40, classes=4, seed=1)              # one-hot by default
    np.testing.assert_array_equal(Xh, X)
    assert Y.shape == (160, 4)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), y)


def test_spiral_is_the_nnfs_construction():
    samples, classes = 1000, 3
    X, y = ds.spiral(samples, classes, one_hot=False)
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1 + 1e-12)
    for k in range(classes):
        Xk = X[y == k]
        # the radius runs evenly from 0 to 1 along each arm
        np.testing.assert_allclose(np.hypot(Xk[:, 0], Xk[:, 1]), np.linspace(0, 1, samples),
                                   atol=1e-12)
        # x = r sin(2.5 t), y = r cos(2.5 t), t = linspace(4k, 4k + 4) + N(0, 0.2)
        angle = np.arctan2(Xk[1:, 0], Xk[1:, 1])
        expected = 2.5 * np.linspace(4 * k, 4 * (k + 1), samples)[1:]
        noise = np.angle(np.exp(1j * (angle - expected)))  # wrapped to (-pi, pi]
        assert abs(noise.mean()) < 0.05
        assert 0.45 < noise.std() < 0.55  # 2.5 * 0.2


def test_vertical_blobs():
    X, y = ds.vertical(samples=2000, classes=3, one_hot=False)
    for k in range(3):
        Xk = X[y == k]
        np.testing.assert_allclose(Xk.mean(axis=0), [k / 3, 0.5], atol=0.01)
        np.testing.assert_allclose(Xk.std(axis=0), [0.1, 0.1], atol=0.01)


# -- data sets that ship with scikit-learn -------------------------------------

@pytest.mark.parametrize("load, n, n_inputs, n_classes", CLASSIFICATION)
def test_classification_split_shapes_and_one_hot(load, n, n_inputs, n_classes):
    Xtr, Xte, Ytr, Yte = load(test_size=0.2)
    n_test = int(np.ceil(0.2 * n))
    assert Xtr.shape == (n - n_test, n_inputs) and Xte.shape == (n_test, n_inputs)
    assert Ytr.shape == (n - n_test, n_classes) and Yte.shape == (n_test, n_classes)
    for a in (Xtr, Xte, Ytr, Yte):
        assert a.dtype == np.float64
    np.testing.assert_array_equal(Ytr.sum(axis=1), 1.0)
    np.testing.assert_array_equal(np.unique(Ytr), [0.0, 1.0])
    _, _, ytr, yte = load(one_hot=False, test_size=0.2)
    assert ytr.shape == (n - n_test,) and ytr.dtype == np.int64
    np.testing.assert_array_equal(Ytr.argmax(axis=1), ytr)
    np.testing.assert_array_equal(Yte.argmax(axis=1), yte)


@pytest.mark.parametrize("load, n, n_inputs, n_classes", CLASSIFICATION)
def test_classification_split_is_stratified(load, n, n_inputs, n_classes):
    _, _, ytr, yte = load(one_hot=False, test_size=0.3)
    counts = np.bincount(np.concatenate([ytr, yte]), minlength=n_classes)
    # every class keeps its share of the test part, up to rounding
    assert np.all(np.abs(np.bincount(yte, minlength=n_classes) - 0.3 * counts) <= 1)


@pytest.mark.parametrize("load", SPLIT_LOADERS)
def test_same_seed_same_split_other_seed_other_split(load):
    a, b, c = (load(seed=seed, test_size=0.2) for seed in (0, 0, 1))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert a[0].shape == c[0].shape and not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("load", SPLIT_LOADERS)
def test_standard_scaling_uses_training_statistics_only(load):
    Xtr, Xte, Ytr, Yte = load(scale="standard", seed=3, test_size=0.2)
    raw_tr, raw_te, _, _ = load(scale=None, seed=3, test_size=0.2)
    varying = raw_tr.std(axis=0) > 0  # digits has pixels that are always 0
    np.testing.assert_allclose(Xtr.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Xtr.std(axis=0)[varying], 1, atol=1e-12)
    # the test part is transformed with the training mean and std, not its own
    expected = (raw_te - raw_tr.mean(axis=0)) / np.where(varying, raw_tr.std(axis=0), 1)
    np.testing.assert_allclose(Xte, expected, atol=1e-12)
    assert not np.allclose(Xte.mean(axis=0)[varying], 0, atol=1e-3)


@pytest.mark.parametrize("load", SPLIT_LOADERS)
def test_minmax_scaling_uses_training_statistics_only(load):
    Xtr, Xte, _, _ = load(scale="minmax", seed=3, test_size=0.2)
    raw_tr, raw_te, _, _ = load(scale=None, seed=3, test_size=0.2)
    varying = np.ptp(raw_tr, axis=0) > 0
    np.testing.assert_allclose(Xtr.min(axis=0)[varying], 0, atol=1e-12)
    np.testing.assert_allclose(Xtr.max(axis=0)[varying], 1, atol=1e-12)
    np.testing.assert_allclose(Xte, MinMaxScaler().fit(raw_tr).transform(raw_te), atol=1e-12)


def test_raw_values_are_scikit_learns():
    X, y = ds.digits(scale=None, one_hot=False)
    X_sk, y_sk = sklearn.datasets.load_digits(return_X_y=True)
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)
    assert X.dtype == np.float64


def test_every_function_returns_X_and_Y_by_default():
    """One shape of result: X (n, n_inputs) and Y (n, n_outputs), both float64, 2-D."""
    calls = [ds.xor, ds.and_, ds.or_, ds.quadratic, ds.spiral, ds.vertical, ds.digits, ds.iris,
             ds.wine, ds.breast_cancer, ds.diabetes, ds.moons, ds.circles]
    for call in calls:
        result = call()
        assert len(result) == 2, call.__name__
        X, Y = result
        assert X.ndim == Y.ndim == 2 and len(X) == len(Y), call.__name__
        assert X.dtype == Y.dtype == np.float64, call.__name__


@pytest.mark.parametrize("test_size", [None, 0])
def test_no_split_returns_the_whole_set(test_size):
    """Every data-set function returns X, Y unless a test part is asked for."""
    result = ds.iris(test_size=test_size)
    assert len(result) == 2
    X, Y = result
    assert X.shape == (150, 4) and Y.shape == (150, 3)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    X, Y = ds.diabetes(test_size=test_size, scale=None)
    np.testing.assert_array_equal(Y[:, 0], sklearn.datasets.load_diabetes().target)


def test_diabetes_targets():
    Xtr, Xte, Ytr, Yte = ds.diabetes(test_size=0.2)
    assert Xtr.shape == (353, 10) and Ytr.shape == (353, 1) and Yte.shape == (89, 1)
    assert Ytr.dtype == np.float64
    np.testing.assert_allclose([Ytr.mean(), Ytr.std()], [0, 1], atol=1e-12)
    _, _, raw_tr, raw_te = ds.diabetes(scale=None, test_size=0.2)
    np.testing.assert_allclose(Yte, StandardScaler().fit(raw_tr).transform(raw_te), atol=1e-12)
    _, _, Ytr01, _ = ds.diabetes(scale="minmax", test_size=0.2)
    np.testing.assert_allclose([Ytr01.min(), Ytr01.max()], [0, 1], atol=1e-12)


def test_moons_and_circles_arguments():
    X, y = ds.moons(n_samples=50, noise=0.0, test_size=None, scale=None, one_hot=False)
    assert X.shape == (50, 2)
    X_sk, y_sk = sklearn.datasets.make_moons(50, noise=0.0, random_state=42)
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)
    X, y = ds.circles(n_samples=100, noise=0.0, factor=0.3, test_size=None, scale=None,
                      one_hot=False)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    assert not np.allclose(ds.moons(noise=0.2)[0], ds.moons(noise=0.1)[0])


# -- data sets that need the internet -------------------------------------------

@pytest.mark.parametrize("load, name, alternative", [
    (ds.california_housing, "California housing", "neurotrace.datasets.diabetes()"),
    (ds.mnist, "MNIST", "neurotrace.datasets.digits()"),
    (ds.fashion_mnist, "Fashion-MNIST", "neurotrace.datasets.digits()"),
])
def test_internet_only_data_fails_fast_offline(empty_data_home, load, name, alternative):
    sklearn.datasets.get_data_home()  # scikit-learn is imported: time only the loader
    start = time.perf_counter()
    with pytest.raises(ds.DatasetUnavailableError) as info:
        load()
    assert time.perf_counter() - start < 2.0
    assert isinstance(info.value, RuntimeError)
    message = str(info.value)
    assert name in message and "internet" in message and alternative in message
    assert str(empty_data_home) in message  # says where it looked


def test_internet_only_loaders_check_arguments_first(empty_data_home):
    with pytest.raises(ValueError, match="'scale' parameter of california_housing"):
        ds.california_housing(scale="std")


def _write_fake_openml_cache(data_home, data_id, X, y):
    """Write what fetch_openml caches for a data set: description, features, qualities, ARFF."""
    root = os.path.join(data_home, "openml", "openml.org")
    n_pixels = X.shape[1]
    arff = "@RELATION fake\n"
    arff += "".join(f"@ATTRIBUTE pixel{i + 1} NUMERIC\n" for i in range(n_pixels))
    arff += "@ATTRIBUTE class {0,1,2,3,4,5,6,7,8,9}\n@DATA\n"
    arff += "".join(",".join(map(str, row)) + f",{label}\n" for row, label in zip(X, y))
    flag = {"is_ignore": "false", "is_row_identifier": "false", "number_of_missing_values": "0"}
    features = [dict(index=str(i), name=f"pixel{i + 1}", data_type="numeric", is_target="false",
                     **flag) for i in range(n_pixels)]
    features.append(dict(index=str(n_pixels), name="class", data_type="nominal", is_target="true",
                         nominal_value=[str(d) for d in range(10)], **flag))
    files = {
        f"api/v1/json/data/{data_id}": json.dumps({"data_set_description": {
            "id": str(data_id), "name": "fake", "version": "1", "description": "fake",
            "format": "ARFF", "status": "active", "default_target_attribute": "class",
            "url": f"https://api.openml.org/data/v1/download/999/fake{data_id}.arff",
            "md5_checksum": hashlib.md5(arff.encode()).hexdigest()}}),
        f"api/v1/json/data/features/{data_id}": json.dumps(
            {"data_features": {"feature": features}}),
        f"api/v1/json/data/qualities/{data_id}": json.dumps({"data_qualities": {"quality": [
            {"name": "NumberOfInstances", "value": f"{len(X)}.0"}]}}),
        f"data/v1/download/999/fake{data_id}.arff": arff,
    }
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with gzip.open(os.path.join(root, path + ".gz"), "wt") as f:
            f.write(text)
    return root


@pytest.mark.parametrize("load, data_id", [(ds.mnist, 554), (ds.fashion_mnist, 40996)])
def test_openml_images_load_from_the_cache(empty_data_home, load, data_id):
    pixels = np.array([[0, 255, 51, 0], [255, 0, 0, 102], [1, 2, 3, 4]])
    root = _write_fake_openml_cache(empty_data_home, data_id, pixels, [7, 0, 3])
    X, Y = load()  # the network is refused: it comes from the cache
    np.testing.assert_allclose(X, pixels / 255.0)
    assert X.dtype == np.float64 and Y.shape == (3, 10)
    np.testing.assert_array_equal(Y.argmax(axis=1), [7, 0, 3])
    Xtr, Xte, Ytr, Yte = load(test_size="official")   # the first 60,000 / the rest
    np.testing.assert_array_equal(Xtr, X)
    assert Xte.shape == (0, 4) and Yte.shape == (0, 10)
    np.testing.assert_array_equal(load(one_hot=False)[1], [7, 0, 3])
    # without its data file, the cache is incomplete: the loader must not try to download
    os.remove(os.path.join(root, f"data/v1/download/999/fake{data_id}.arff.gz"))
    with pytest.raises(ds.DatasetUnavailableError):
        load()


# -- bad arguments ----------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: ds.digits(scale="std"),
     "The 'scale' parameter of digits must be one of ['standard', 'minmax', None]. "
     "Got 'std' instead."),
    (lambda: ds.iris(test_size=1.5),
     "The 'test_size' parameter of iris must be a float in (0, 1), or 0 or None for no split. "
     "Got 1.5 instead."),
    (lambda: ds.diabetes(test_size=-0.1), "'test_size' parameter of diabetes"),
    (lambda: ds.wine(test_size=1), "'test_size' parameter of wine"),
    (lambda: ds.moons(scale="robust"), "'scale' parameter of moons"),
    (lambda: ds.moons(noise=-1), "The 'noise' parameter of moons must be a float >= 0. Got -1"),
    (lambda: ds.circles(n_samples=1), "'n_samples' parameter of circles must be an int >= 2"),
    (lambda: ds.spiral(samples=0),
     "The 'samples' parameter of spiral must be an int >= 1. Got 0 instead."),
    (lambda: ds.spiral(classes=0), "'classes' parameter of spiral must be an int >= 1. Got 0"),
    (lambda: ds.vertical(samples=2.5), "'samples' parameter of vertical must be an int >= 1"),
    (lambda: ds.vertical(classes=-1), "'classes' parameter of vertical must be an int >= 1"),
    (lambda: ds.quadratic(0), "'n_samples' parameter of quadratic must be an int >= 1"),
    (lambda: ds.quadratic_grid(0), "'n' parameter of quadratic_grid must be an int >= 1"),
    (lambda: ds.mnist(test_size=0.2),
     "The 'test_size' parameter of mnist must be None or 'official'. Got 0.2 instead."),
])
def test_bad_arguments_raise(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
