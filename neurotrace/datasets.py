"""Data sets for the exercises: truth tables, toy problems and scikit-learn's data.

Every function returns the same shape of result:

* ``X, Y`` by default: inputs ``X`` float64 of shape (n_samples, n_inputs) and
  targets ``Y`` float64 of shape (n_samples, n_outputs), ready for a network:
  a regression target or a truth table's output as one column, classes as
  one-hot rows (n_samples, n_classes).
* ``Xtr, Xte, Ytr, Yte`` when you ask for a held-out test part with
  ``test_size=`` (the order of scikit-learn's ``train_test_split``), for the
  functions that take it.
* ``one_hot=False`` (classification sets) gives integer labels ``y`` of shape
  (n_samples,) instead of one-hot rows.

Random data comes from ``numpy.random.default_rng(seed)``. A split is stratified
by class, and scaling uses statistics of the training part only, so the test
part stays unseen.
"""
import gzip
import json
import os
from urllib.parse import urlparse

import numpy as np

# scikit-learn is imported inside the functions that need it, so that
# `import neurotrace` stays fast (importing scikit-learn takes about a second).

_SCALES = ["standard", "minmax", None]


class DatasetUnavailableError(RuntimeError):
    """A data set that must be downloaded, asked for on a machine that does not have it.

    Raised by :func:`california_housing`, :func:`mnist` and :func:`fashion_mnist`, which
    read scikit-learn's cache and never download; the message names a set that ships.

    Examples
    --------
    >>> try:
    ...     X, Y = fashion_mnist()
    ... except DatasetUnavailableError:  # not cached on this machine: use a set that ships
    ...     X, Y = digits()
    >>> Y.shape[1]
    10
    """


def _bad(name, func, allowed, value):
    return ValueError(f"The {name!r} parameter of {func} must be {allowed}. Got {value!r} instead.")


def _check_count(name, value, func, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise _bad(name, func, f"an int >= {minimum}", value)


def one_hot(labels, n_classes=None):
    """Turn integer class labels into one-hot rows.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Class labels 0, 1, ..., n_classes - 1.
    n_classes : int, default=None
        Number of columns; by default ``max(labels) + 1``.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_classes), float64
        ``Y[i, k] = 1`` when sample ``i`` is of class ``k``, else 0.

    Raises
    ------
    ValueError
        If ``labels`` is not 1-D, holds a value that is not an integer >= 0, or a
        label is ``>= n_classes``.

    Examples
    --------
    >>> one_hot([0, 2])
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"one_hot expected labels of shape (n_samples,), got shape {labels.shape}.")
    if labels.dtype.kind not in "iuf":
        raise ValueError(f"one_hot expected integer class labels, got dtype {labels.dtype}.")
    bad = (labels < 0) | ~np.isfinite(labels) | (np.floor(labels) != labels)
    if np.any(bad):
        i = np.flatnonzero(bad)[0]
        raise ValueError(f"one_hot expected integer class labels >= 0, got {labels[i]} at index {i}.")
    labels = labels.astype(np.int64)
    if n_classes is None:
        n_classes = labels.max() + 1 if labels.size else 0
    elif labels.size and labels.max() >= n_classes:
        raise ValueError(f"one_hot got label {labels.max()}, but n_classes={n_classes}.")
    Y = np.zeros((labels.size, n_classes))
    Y[np.arange(labels.size), labels] = 1.0
    return Y


_encode = one_hot  # for the functions below, whose parameter `one_hot` hides it


# -- truth tables (the hands-on) -- rows [0, 0], [0, 1], [1, 0], [1, 1] ------------

def _truth_table(outputs, one_hot):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, _encode(outputs, 2) if one_hot else np.array(outputs, dtype=np.float64).reshape(4, 1)


def xor():
    """XOR: the four rows of its truth table and their outputs.

    Returns
    -------
    X : ndarray of shape (4, 2)
        The rows ``[0, 0], [0, 1], [1, 0], [1, 1]``.
    Y : ndarray of shape (4, 1)
        ``[0, 1, 1, 0]``.

    Examples
    --------
    >>> X, Y = xor()
    >>> np.hstack([X, Y])
    array([[0., 0., 0.],
           [0., 1., 1.],
           [1., 0., 1.],
           [1., 1., 0.]])
    """
    return _truth_table([0, 1, 1, 0], one_hot=False)


def and_(one_hot=False):
    """AND: the four rows of its truth table and their outputs ``[0, 0, 0, 1]``.

    Parameters
    ----------
    one_hot : bool, default=False
        Give Y as one-hot rows: column 0 is "false", column 1 "true" (the
        hands-on, exercise 6).

    Returns
    -------
    X : ndarray of shape (4, 2)
        The rows ``[0, 0], [0, 1], [1, 0], [1, 1]``.
    Y : ndarray of shape (4, 1), or (4, 2) with ``one_hot=True``

    Examples
    --------
    >>> X, Y = and_(one_hot=True)
    >>> Y[3]
    array([0., 1.])
    """
    return _truth_table([0, 0, 0, 1], one_hot)


def or_(one_hot=False):
    """OR: the four rows of its truth table and their outputs ``[0, 1, 1, 1]``.

    Parameters
    ----------
    one_hot : bool, default=False
        Give Y as one-hot rows (column 0 "false", column 1 "true").

    Returns
    -------
    X : ndarray of shape (4, 2)
        The rows ``[0, 0], [0, 1], [1, 0], [1, 1]``.
    Y : ndarray of shape (4, 1), or (4, 2) with ``one_hot=True``

    Examples
    --------
    >>> or_()[1].ravel()
    array([0., 1., 1., 1.])
    """
    return _truth_table([0, 1, 1, 1], one_hot)


# -- the quadratic surface y = x1^2 + x2^2 (the hands-on) -------------------------

def _paraboloid(X, normalize):
    Y = np.sum(X ** 2, axis=1, keepdims=True)  # y = x1^2 + x2^2
    # On [-1, 1]^2 the largest y is 2 (at the corners), so y / 2 lies in [0, 1], the
    # range of a sigmoid, with ONE scale for the training points and the grid.
    # (The hands-on min-max scales each array by its own min and max, so its training
    # targets and its grid end up on slightly different scales.)
    return Y / 2.0 if normalize else Y


def quadratic(n_samples=35, *, seed=0, normalize=True):
    """Random points of the surface y = x1^2 + x2^2, with x drawn from U(-1, 1).

    Parameters
    ----------
    n_samples : int, default=35
        Number of points.
    seed : int, default=0
        Seed of ``numpy.random.default_rng``, which draws the points.
    normalize : bool, default=True
        Divide y by 2, its largest value on the square, so it lies in [0, 1] on the
        same scale as :func:`quadratic_grid` (the hands-on min-max scales the sample).

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    Y : ndarray of shape (n_samples, 1)

    Raises
    ------
    ValueError
        If ``n_samples`` is not an int >= 1.

    Examples
    --------
    >>> X, Y = quadratic(5)
    >>> bool(np.allclose(Y[:, 0], (X[:, 0] ** 2 + X[:, 1] ** 2) / 2))
    True
    """
    _check_count("n_samples", n_samples, "quadratic")
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n_samples, 2))
    return X, _paraboloid(X, normalize)


def quadratic_grid(n=40, normalize=True):
    """An n x n grid over [-1, 1]^2 and the surface y = x1^2 + x2^2 on it, for contour plots.

    Parameters
    ----------
    n : int, default=40
        Grid points per axis.
    normalize : bool, default=True
        Divide y by 2, as :func:`quadratic` does, so both are on one scale.

    Returns
    -------
    xx, yy : ndarray of shape (n, n)
        ``meshgrid`` of ``linspace(-1, 1, n)``.
    X_grid : ndarray of shape (n * n, 2)
        The grid points as rows, for ``network.predict``.
    Y_grid : ndarray of shape (n * n, 1)
        The surface at each point.

    Raises
    ------
    ValueError
        If ``n`` is not an int >= 1.

    Examples
    --------
    >>> xx, yy, X_grid, Y_grid = quadratic_grid(3)
    >>> Y_grid.reshape(xx.shape)  # what plt.contourf(xx, yy, ...) wants
    array([[1. , 0.5, 1. ],
           [0.5, 0. , 0.5],
           [1. , 0.5, 1. ]])
    """
    _check_count("n", n, "quadratic_grid")
    xx, yy = np.meshgrid(np.linspace(-1.0, 1.0, n), np.linspace(-1.0, 1.0, n))
    X_grid = np.column_stack([xx.ravel(), yy.ravel()])
    return xx, yy, X_grid, _paraboloid(X_grid, normalize)


# -- toy data of the notes on *Neural Networks from Scratch* -----------------------------------

def spiral(samples=100, classes=3, *, seed=0, one_hot=True):
    """One spiral arm per class, inside the unit disc (nnfs's ``spiral_data``).

    Parameters
    ----------
    samples : int, default=100
        Points per class.
    classes : int, default=3
        Number of classes (arms).
    seed : int, default=0
        Seed of ``numpy.random.default_rng``, which adds noise to the angles.
    one_hot : bool, default=True
        Give the classes as one-hot rows; ``False`` gives integer labels.

    Returns
    -------
    X : ndarray of shape (samples * classes, 2)
    Y : ndarray of shape (samples * classes, classes), float64
        One-hot rows, class 0's rows first; with ``one_hot=False``, labels ``y`` of
        shape (samples * classes,), int64.

    Raises
    ------
    ValueError
        If ``samples`` or ``classes`` is not an int >= 1.

    Examples
    --------
    >>> X, Y = spiral(samples=50, classes=2)
    >>> X.shape, Y.shape
    ((100, 2), (100, 2))
    >>> X, y = spiral(samples=50, classes=2, one_hot=False)
    >>> X.shape, np.bincount(y).tolist()
    ((100, 2), [50, 50])
    """
    _check_count("samples", samples, "spiral")
    _check_count("classes", classes, "spiral")
    rng = np.random.default_rng(seed)
    X, y = np.zeros((samples * classes, 2)), np.repeat(np.arange(classes, dtype=np.int64), samples)
    for k in range(classes):
        r = np.linspace(0.0, 1.0, samples)  # radius grows along the arm
        t = np.linspace(4 * k, 4 * (k + 1), samples) + 0.2 * rng.standard_normal(samples)  # angle
        X[y == k] = np.column_stack([r * np.sin(2.5 * t), r * np.cos(2.5 * t)])
    return X, _encode(y, classes) if one_hot else y


def vertical(samples=100, classes=3, *, seed=0, one_hot=True):
    """Class k is a Gaussian blob at (k / 3, 0.5), std 0.1 (nnfs's ``vertical_data``).

    Parameters
    ----------
    samples : int, default=100
        Points per class.
    classes : int, default=3
        Number of classes (blobs).
    seed : int, default=0
        Seed of ``numpy.random.default_rng``, which draws the points.
    one_hot : bool, default=True
        Give the classes as one-hot rows; ``False`` gives integer labels.

    Returns
    -------
    X : ndarray of shape (samples * classes, 2)
    Y : ndarray of shape (samples * classes, classes), float64
        One-hot rows, class 0's rows first; with ``one_hot=False``, labels ``y`` of
        shape (samples * classes,), int64.

    Raises
    ------
    ValueError
        If ``samples`` or ``classes`` is not an int >= 1.

    Examples
    --------
    >>> X, Y = vertical(samples=10)
    >>> X.shape, Y.shape
    ((30, 2), (30, 3))
    """
    _check_count("samples", samples, "vertical")
    _check_count("classes", classes, "vertical")
    rng = np.random.default_rng(seed)
    X, y = np.zeros((samples * classes, 2)), np.repeat(np.arange(classes, dtype=np.int64), samples)
    for k in range(classes):
        X[y == k] = np.column_stack([0.1 * rng.standard_normal(samples) + k / 3,
                                     0.1 * rng.standard_normal(samples) + 0.5])
    return X, _encode(y, classes) if one_hot else y


# -- real data: split, then scale with the training part's statistics --------

def _check_split(func, test_size, scale):
    if scale not in _SCALES:
        raise _bad("scale", func, f"one of {_SCALES}", scale)
    if not (test_size is None or (isinstance(test_size, (int, float)) and 0 <= test_size < 1)):
        raise _bad("test_size", func, "a float in (0, 1), or 0 or None for no split", test_size)


def _scale(scale, train, *others):
    """Fit the scaler on ``train`` only, then apply it to ``train`` and ``others``."""
    if scale is None:
        return (train, *others)
    from sklearn.preprocessing import MinMaxScaler, StandardScaler
    scaler = (StandardScaler() if scale == "standard" else MinMaxScaler()).fit(train)
    return (scaler.transform(train), *(scaler.transform(a) for a in others))


def _prepare(func, X, y, *, classify, one_hot=False, test_size, seed, scale):
    _check_split(func, test_size, scale)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64 if classify else np.float64)
    Y = (_encode(y) if one_hot else y) if classify else y.reshape(-1, 1)
    if not test_size:  # None or 0: no split, the whole set is the training set
        X, = _scale(scale, X)
        if not classify:
            Y, = _scale(scale, Y)
        return X, Y
    from sklearn.model_selection import train_test_split
    Xtr, Xte, Ytr, Yte = train_test_split(X, Y, test_size=test_size, random_state=seed,
                                          stratify=y if classify else None)
    if not classify:  # a regression target is scaled like the inputs
        Ytr, Yte = _scale(scale, Ytr, Yte)
    return (*_scale(scale, Xtr, Xte), Ytr, Yte)


def digits(*, one_hot=True, test_size=None, seed=42, scale="standard"):
    """8x8 images of hand-written digits: 1797 samples, 64 inputs, 10 classes.

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 10) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 64)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 10), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``test_size`` or ``scale`` is not one of the values above.

    Examples
    --------
    >>> X, Y = digits()
    >>> X.shape, Y.shape
    ((1797, 64), (1797, 10))
    >>> Xtr, Xte, Ytr, Yte = digits(test_size=0.2)
    >>> Xtr.shape, Ytr.shape, Xte.shape
    ((1437, 64), (1437, 10), (360, 64))
    """
    from sklearn.datasets import load_digits
    return _prepare("digits", *load_digits(return_X_y=True), classify=True, one_hot=one_hot,
                    test_size=test_size, seed=seed, scale=scale)


def iris(*, one_hot=True, test_size=None, seed=42, scale="standard"):
    """Iris flowers: 150 samples, 4 inputs, 3 classes.

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 3) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 4)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 3), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``test_size`` or ``scale`` is not one of the values above.

    Examples
    --------
    >>> X, Y = iris()
    >>> X.shape, Y.shape
    ((150, 4), (150, 3))
    """
    from sklearn.datasets import load_iris
    return _prepare("iris", *load_iris(return_X_y=True), classify=True, one_hot=one_hot,
                    test_size=test_size, seed=seed, scale=scale)


def wine(*, one_hot=True, test_size=None, seed=42, scale="standard"):
    """Wines: 178 samples, 13 inputs, 3 classes.

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 3) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 13)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 3), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``test_size`` or ``scale`` is not one of the values above.

    Examples
    --------
    >>> X, y = wine(one_hot=False)
    >>> X.shape, np.bincount(y).tolist()
    ((178, 13), [59, 71, 48])
    """
    from sklearn.datasets import load_wine
    return _prepare("wine", *load_wine(return_X_y=True), classify=True, one_hot=one_hot,
                    test_size=test_size, seed=seed, scale=scale)


def breast_cancer(*, one_hot=True, test_size=None, seed=42, scale="standard"):
    """Tumours: 569 samples, 30 inputs, 2 classes (0 malignant).

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 2) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 30)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 2), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``test_size`` or ``scale`` is not one of the values above.

    Examples
    --------
    >>> Xtr, Xte, Ytr, Yte = breast_cancer(test_size=0.2, scale="minmax")
    >>> Xtr.shape, Ytr.shape, round(float(Xtr.min()), 9), round(float(Xtr.max()), 9)
    ((455, 30), (455, 2), 0.0, 1.0)
    """
    from sklearn.datasets import load_breast_cancer
    return _prepare("breast_cancer", *load_breast_cancer(return_X_y=True), classify=True,
                    one_hot=one_hot, test_size=test_size, seed=seed, scale=scale)


def diabetes(*, test_size=None, seed=42, scale="standard"):
    """Diabetes progression, a regression: 442 samples, 10 inputs, Y of shape (n, 1).

    The offline stand-in for the hands-on's California housing. Y is scaled like
    X with the training part's statistics: ``scale="minmax"`` puts the training
    targets in [0, 1], a sigmoid's range.

    Parameters
    ----------
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.
        The same scaling is applied to Y.

    Returns
    -------
    X : ndarray of shape (n_samples, 10)
        The inputs, the whole set.
    Y : ndarray
        The targets: shape (n, 1), scaled like X.
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``test_size`` or ``scale`` is not one of the values above.

    Examples
    --------
    >>> X, Y = diabetes()
    >>> X.shape, Y.shape
    ((442, 10), (442, 1))
    >>> Xtr, Xte, Ytr, Yte = diabetes(test_size=0.2)
    >>> Xtr.shape, Ytr.shape
    ((353, 10), (353, 1))
    """
    from sklearn.datasets import load_diabetes
    return _prepare("diabetes", *load_diabetes(return_X_y=True), classify=False,
                    test_size=test_size, seed=seed, scale=scale)


def _make(func, make, n_samples, noise, seed, **kwargs):
    _check_count("n_samples", n_samples, func, minimum=2)
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not noise >= 0:
        raise _bad("noise", func, "a float >= 0", noise)
    return make(n_samples=n_samples, noise=noise, random_state=seed, **kwargs)


def moons(*, n_samples=200, noise=0.1, one_hot=True, test_size=None, seed=42,
          scale="standard"):
    """Two interleaving half circles: 2 inputs, 2 classes, made by scikit-learn.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points, half of each class.
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to the points.
    one_hot : bool, default=True
        Targets as one-hot rows (n, 2) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split, and of the points.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 2), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``n_samples`` is not an int >= 2, ``noise`` not a number >= 0, or
        ``test_size`` or ``scale`` not one of the values above.

    Examples
    --------
    >>> X, y = moons(one_hot=False, scale=None)
    >>> X.shape, np.bincount(y).tolist()
    ((200, 2), [100, 100])
    """
    from sklearn.datasets import make_moons
    X, y = _make("moons", make_moons, n_samples, noise, seed)
    return _prepare("moons", X, y, classify=True, one_hot=one_hot,
                    test_size=test_size, seed=seed, scale=scale)


def circles(*, n_samples=200, noise=0.1, factor=0.5, one_hot=True, test_size=None, seed=42,
            scale="standard"):
    """A circle of radius ``factor`` (class 1) inside one of radius 1 (class 0), made by scikit-learn.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points, half on each circle.
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to the points.
    factor : float, default=0.5
        Radius of the inner circle, in [0, 1) (scikit-learn checks it).
    one_hot : bool, default=True
        Targets as one-hot rows (n, 2) float64; else int64 labels (n,).
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing, stratified by class. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split, and of the points.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The inputs, the whole set.
    Y : ndarray
        The targets: one-hot rows of shape (n, 2), or labels of shape (n,).
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    ValueError
        If ``n_samples`` is not an int >= 2, ``noise`` not a number >= 0, or
        ``test_size`` or ``scale`` not one of the values above.

    Examples
    --------
    >>> X, y = circles(noise=0.0, one_hot=False, scale=None)
    >>> np.round(np.hypot(X[:, 0], X[:, 1])[np.argsort(y)][[0, -1]], 6)
    array([1. , 0.5])
    """
    from sklearn.datasets import make_circles
    X, y = _make("circles", make_circles, n_samples, noise, seed, factor=factor)
    return _prepare("circles", X, y, classify=True, one_hot=one_hot,
                    test_size=test_size, seed=seed, scale=scale)


# -- data that must be downloaded: loaded from scikit-learn's cache, or a clear error --

def _unavailable(name, alternative):
    from sklearn.datasets import get_data_home
    return DatasetUnavailableError(
        f"{name} must be downloaded from the internet, and it is not in scikit-learn's "
        f"cache ({get_data_home()}). Use neurotrace.datasets.{alternative} instead.")


def california_housing(*, n_samples=None, test_size=None, seed=42, scale="standard"):
    """California districts' median house value: a regression with 8 inputs (the hands-on).

    Read from scikit-learn's cache only, never downloaded. Y is scaled like X,
    as in :func:`diabetes`.

    Parameters
    ----------
    n_samples : int, default=None
        Keep only the first ``n_samples`` districts (the hands-on keeps 250); None keeps
        all 20640.
    test_size : float in (0, 1), 0 or None, default=None
        Fraction held out for testing. 0 or None: no split.
    seed : int, default=42
        ``random_state`` of the split.
    scale : {"standard", "minmax", None}, default="standard"
        Per input column, zero mean and unit variance or the range [0, 1], with
        statistics of the training part only; None keeps the raw values.
        The same scaling is applied to Y.

    Returns
    -------
    X : ndarray of shape (n_samples, 8)
        The inputs, the whole set.
    Y : ndarray
        The targets: shape (n, 1), scaled like X.
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size``: the training part and the test part of ``X`` and ``Y``.

    Raises
    ------
    DatasetUnavailableError
        If the data set is not in scikit-learn's cache (use :func:`diabetes`).
    ValueError
        If ``n_samples`` is not an int >= 2, or ``test_size`` or ``scale`` not one
        of the values above.

    Examples
    --------
    >>> try:
    ...     Xtr, Xte, Ytr, Yte = california_housing(n_samples=250, test_size=0.2)
    ... except DatasetUnavailableError:  # no internet: use a set that ships
    ...     Xtr, Xte, Ytr, Yte = diabetes(test_size=0.2)
    """
    _check_split("california_housing", test_size, scale)
    if n_samples is not None:
        _check_count("n_samples", n_samples, "california_housing", minimum=2)
    from sklearn.datasets import fetch_california_housing
    try:
        X, y = fetch_california_housing(download_if_missing=False, return_X_y=True)
    except OSError:
        raise _unavailable("California housing", "diabetes(), a regression set that "
                           "ships with scikit-learn,") from None
    return _prepare("california_housing", X[:n_samples], y[:n_samples], classify=False,
                    test_size=test_size, seed=seed, scale=scale)


def _in_openml_cache(data_id):
    """True when all that ``fetch_openml(data_id=...)`` reads is on disk: scikit-learn
    keeps https://openml.org/PATH as DATA_HOME/openml/openml.org/PATH.gz."""
    from sklearn.datasets import get_data_home
    root = os.path.join(get_data_home(), "openml", "openml.org")
    paths = [f"api/v1/json/data/{data_id}", f"api/v1/json/data/features/{data_id}",
             f"api/v1/json/data/qualities/{data_id}"]
    try:  # the description names the data file
        with gzip.open(os.path.join(root, paths[0] + ".gz"), "rt") as f:
            paths.append(urlparse(json.load(f)["data_set_description"]["url"]).path.lstrip("/"))
    except (OSError, ValueError, KeyError):
        return False
    return all(os.path.isfile(os.path.join(root, p + ".gz")) for p in paths)


def _openml_images(name, func, data_id, one_hot, test_size):
    if test_size not in (None, "official"):
        raise _bad("test_size", func, "None or 'official'", test_size)
    if not _in_openml_cache(data_id):
        raise _unavailable(name, "digits() (8x8 hand-written digits, 10 classes)")
    from sklearn.datasets import fetch_openml
    X, y = fetch_openml(data_id=data_id, as_frame=False, parser="liac-arff", return_X_y=True)
    X = np.asarray(X, dtype=np.float64) / 255.0  # pixels 0..255 -> 0..1
    Y = _encode(y.astype(np.int64), 10) if one_hot else y.astype(np.int64)
    if test_size == "official":
        return X[:60000], X[60000:], Y[:60000], Y[60000:]  # the usual 60,000 / 10,000 split
    return X, Y


def mnist(*, one_hot=True, test_size=None):
    """MNIST digits from scikit-learn's cache: 28x28 pixels as 784 inputs in [0, 1].

    Never downloads.

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 10) float64; else int64 labels (n,).
    test_size : {None, "official"}, default=None
        ``"official"`` splits off the usual test set, the last 10,000 images.

    Returns
    -------
    X, Y : ndarray of shape (70000, 784) and (70000, 10)
        Or Y of shape (70000,) with ``one_hot=False``.
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size="official"``: the first 60,000 images and the last 10,000.

    Raises
    ------
    DatasetUnavailableError
        If the data set is not in scikit-learn's cache (use :func:`digits`).

    Examples
    --------
    >>> try:
    ...     Xtr, Xte, Ytr, Yte = mnist(test_size="official")
    ... except DatasetUnavailableError:  # no internet: use a set that ships
    ...     Xtr, Xte, Ytr, Yte = digits(test_size=0.2)
    """
    return _openml_images("MNIST", "mnist", 554, one_hot, test_size)


def fashion_mnist(*, one_hot=True, test_size=None):
    """Fashion-MNIST from scikit-learn's cache: 10 kinds of clothing, 28x28 pixels in [0, 1].

    Never downloads.

    Parameters
    ----------
    one_hot : bool, default=True
        Targets as one-hot rows (n, 10) float64; else int64 labels (n,).
    test_size : {None, "official"}, default=None
        ``"official"`` splits off the usual test set, the last 10,000 images.

    Returns
    -------
    X, Y : ndarray of shape (70000, 784) and (70000, 10)
        Or Y of shape (70000,) with ``one_hot=False``.
    Xtr, Xte, Ytr, Yte : ndarray
        With ``test_size="official"``: the first 60,000 images and the last 10,000.

    Raises
    ------
    DatasetUnavailableError
        If the data set is not in scikit-learn's cache (use :func:`digits`).

    Examples
    --------
    >>> try:
    ...     Xtr, Xte, Ytr, Yte = fashion_mnist(test_size="official")
    ... except DatasetUnavailableError:
    ...     Xtr, Xte, Ytr, Yte = digits(test_size=0.2)
    """
    return _openml_images("Fashion-MNIST", "fashion_mnist", 40996, one_hot, test_size)
