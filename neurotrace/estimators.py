"""scikit-learn estimators: a neurotrace network inside ``Pipeline``, ``cross_val_score``, ``GridSearchCV``.

:class:`NeuronClassifier` and :class:`NeuronRegressor` follow scikit-learn's
estimator contract (``fit`` / ``predict`` / ``score``, parameters stored as given
by ``__init__``, fitted attributes ending in ``_``). Inside, ``fit`` builds a
:class:`~neurotrace.NeuralNetwork` (``backend="neurons"``) or a
:class:`~neurotrace.VectorizedNetwork` (``backend="vectorized"``) and trains it
with :func:`neurotrace.fit`, so the fitted network (``network_``) is an ordinary
neurotrace network: draw it, explain its gradients, or carry it to PyTorch.
With ``trace=True`` every number of training is kept in ``trace_``.

This module imports scikit-learn, so ``import neurotrace`` does not load it until
``nt.estimators`` is first used.
"""
import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from . import activations, losses
from .activations import did_you_mean
from .network import NeuralNetwork
from .optimizers import SGD, Adam
from .tracer import trace as _trace
from .training import fit as _fit
from .vectorized import VectorizedNetwork

__all__ = ["NeuronClassifier", "NeuronRegressor"]

BACKENDS = ["neurons", "vectorized"]
OPTIMIZERS = ["sgd", "adam"]
DEFAULT_LEARNING_RATE = {"sgd": 0.1, "adam": 0.01}
CLASSIFIER_LOSSES = ["cross_entropy", "bce", "mse", "sse"]
REGRESSOR_LOSSES = ["mse", "sse"]
HIDDEN_ACTIVATIONS = [name for name in activations.NAMES if name != "softmax"]


def _one_of(owner, name, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"The {name!r} parameter of {owner} must be one of {allowed}. "
                         f"Got {value!r} instead.{did_you_mean(value, allowed)}")
    return value


def _integer(owner, name, value, minimum, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        extra = " or None" if allow_none else ""
        raise ValueError(f"The {name!r} parameter of {owner} must be an int >= {minimum}"
                         f"{extra}. Got {value!r} instead.")
    return int(value)


class _NetworkEstimator(BaseEstimator):
    """What the classifier and the regressor share: the parameters, the network, training."""

    def __init__(self, hidden_layer_sizes=(16,), activation="relu", loss=None, *,
                 optimizer="adam", learning_rate=None, momentum=0.0, batch_size=32,
                 epochs=200, backend="vectorized", init="xavier", shuffle=True,
                 random_state=None, trace=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.batch_size = batch_size
        self.epochs = epochs
        self.backend = backend
        self.init = init
        self.shuffle = shuffle
        self.random_state = random_state
        self.trace = trace

    # -- checks of the parameters, done in fit (scikit-learn: no work in __init__) --
    def _hidden_sizes(self):
        owner, sizes = type(self).__name__, self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise ValueError(f"The 'hidden_layer_sizes' parameter of {owner} must be a tuple of "
                             f"positive ints, e.g. (16,) or (8, 8). Got {sizes!r} instead.")
        return [_integer(owner, "hidden_layer_sizes", s, 1) for s in sizes]

    def _make_optimizer(self):
        owner = type(self).__name__
        name = _one_of(owner, "optimizer", self.optimizer, OPTIMIZERS)
        lr = DEFAULT_LEARNING_RATE[name] if self.learning_rate is None else self.learning_rate
        if name == "sgd":
            return SGD(lr=lr, momentum=self.momentum)
        return Adam(lr=lr)

    def _build_network(self, n_inputs, n_outputs, output_activation, seed):
        owner = type(self).__name__
        backend = _one_of(owner, "backend", self.backend, BACKENDS)
        _one_of(owner, "activation", self.activation, HIDDEN_ACTIVATIONS)
        sizes = [n_inputs, *self._hidden_sizes(), n_outputs]
        names = [self.activation] * (len(sizes) - 2) + [output_activation]
        Network = NeuralNetwork if backend == "neurons" else VectorizedNetwork
        return Network(sizes, activation=names, init=self.init, seed=seed)

    def _train(self, X, Y, output_activation, loss):
        """Build the network, train it (traced if asked) and set the fitted attributes."""
        owner = type(self).__name__
        epochs = _integer(owner, "epochs", self.epochs, 0)
        batch_size = _integer(owner, "batch_size", self.batch_size, 1, allow_none=True)
        if not isinstance(self.trace, (bool, dict)):
            raise ValueError(f"The 'trace' parameter of {owner} must be a bool or a dict of "
                             f"keyword arguments for neurotrace.trace. Got {self.trace!r} "
                             f"instead.")
        rng = check_random_state(self.random_state)
        init_seed, shuffle_seed = (int(s) for s in rng.randint(0, 2 ** 31 - 1, size=2))
        network = self._build_network(X.shape[1], Y.shape[1], output_activation, init_seed)
        optimizer = self._make_optimizer()
        train = dict(loss=loss, optimizer=optimizer, epochs=epochs,
                     batch_size=min(batch_size or len(X), len(X)), shuffle=bool(self.shuffle),
                     seed=shuffle_seed, progress=False)
        if self.trace:
            options = self.trace if isinstance(self.trace, dict) else {}
            with _trace(network, **options) as recorded:
                history = _fit(network, X, Y, **train)
            self.trace_ = recorded
        else:
            history = _fit(network, X, Y, **train)
            self.trace_ = None
        self.network_, self.optimizer_, self.history_ = network, optimizer, history
        self.loss_ = history.loss[-1] if history.loss else network.loss(X, Y, loss)
        self.n_iter_ = epochs
        return self

    def _outputs(self, X):
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.network_.predict(X)


class NeuronClassifier(ClassifierMixin, _NetworkEstimator):
    """A neurotrace network as a scikit-learn classifier.

    The network is ``[n_features, *hidden_layer_sizes, n_classes]``: one output per
    class, also for two classes. With ``loss="cross_entropy"`` (the default) the
    output layer is a softmax and ``predict_proba`` returns its outputs; with
    ``"bce"``, ``"mse"`` or ``"sse"`` it is a sigmoid per class (trained on one-hot
    targets) and ``predict_proba`` divides each row of outputs by its sum.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(16,)
        Neurons per hidden layer; ``()`` for none (logistic regression).
    activation : str, default="relu"
        The hidden layers' activation: ``identity``, ``sigmoid``, ``tanh``, ``relu``
        or ``leaky_relu``.
    loss : {"cross_entropy", "bce", "mse", "sse"}, default=None
        ``None`` means ``"cross_entropy"``.
    optimizer : {"adam", "sgd"}, default="adam"
    learning_rate : float, default=None
        ``None`` means 0.01 for Adam and 0.1 for SGD.
    momentum : float in [0, 1), default=0.0
        SGD's momentum (``v = m v - lr g; w += v``); ignored by Adam.
    batch_size : int or None, default=32
        Samples per step (at most ``n_samples``); ``None`` is full batch and ``1``
        one sample per step.
    epochs : int, default=200
        Passes over the training data.
    backend : {"vectorized", "neurons"}, default="vectorized"
        One matrix per layer, or one object per neuron; both compute the same
        numbers (to 1e-12).
    init : str, default="xavier"
        ``uniform``, ``normal``, ``xavier``, ``he`` or ``lecun``.
    shuffle : bool, default=True
        Shuffle the samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the shuffling.
    trace : bool or dict, default=False
        Record training with :func:`neurotrace.trace` into ``trace_``; a dict is
        passed to it as keyword arguments (e.g. ``{"steps": range(4)}``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted; output ``k`` of the network is ``classes_[k]``.
    n_features_in_ : int
    network_ : NeuralNetwork or VectorizedNetwork
        The trained network.
    history_ : History
        The training loss per epoch.
    loss_ : float
        The training loss after the last epoch.
    trace_ : Trace or None
        Everything training computed, when ``trace`` is set.
    n_iter_ : int
        The number of epochs run.

    Examples
    --------
    >>> import numpy as np
    >>> from neurotrace.estimators import NeuronClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array(["no", "yes", "yes", "no"])
    >>> clf = NeuronClassifier((8,), activation="tanh", epochs=300, random_state=0)
    >>> clf.fit(X, y).predict(X).tolist()
    ['no', 'yes', 'yes', 'no']
    >>> clf.predict_proba(X).shape
    (4, 2)
    """

    def fit(self, X, y):
        """Train a new network on ``(X, y)``; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels of any type (ints, strings, ...); at least two classes.

        Returns
        -------
        self : NeuronClassifier
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, labels = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs samples of at least 2 classes; got "
                             f"1 class: {self.classes_[0]!r}.")
        loss = _one_of(type(self).__name__, "loss",
                       "cross_entropy" if self.loss is None else self.loss, CLASSIFIER_LOSSES)
        Y = np.zeros((len(labels), len(self.classes_)))
        Y[np.arange(len(labels)), labels] = 1.0       # one-hot: column k is classes_[k]
        output = "softmax" if loss == "cross_entropy" else "sigmoid"
        return self._train(X, Y, output, losses.get(loss))

    def predict_proba(self, X):
        """The probability of each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; column ``k`` belongs to ``classes_[k]``.
        """
        A = self._outputs(X)
        if self.network_.activation_names[-1] == "softmax":
            return A
        total = np.sum(A, axis=1, keepdims=True)      # sigmoid outputs: share of the row
        return np.divide(A, total, out=np.full_like(A, 1.0 / A.shape[1]), where=total > 0)

    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        outputs = self._outputs(X)
        return self.classes_[np.argmax(outputs, axis=1)]


class NeuronRegressor(RegressorMixin, _NetworkEstimator):
    """A neurotrace network as a scikit-learn regressor.

    The network is ``[n_features, *hidden_layer_sizes, n_targets]`` with an
    ``identity`` output layer.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(16,)
        Neurons per hidden layer; ``()`` for none (linear regression).
    activation : str, default="relu"
        The hidden layers' activation: ``identity``, ``sigmoid``, ``tanh``, ``relu``
        or ``leaky_relu``.
    loss : {"mse", "sse"}, default=None
        ``None`` means ``"mse"``.
    optimizer : {"adam", "sgd"}, default="adam"
    learning_rate : float, default=None
        ``None`` means 0.01 for Adam and 0.1 for SGD.
    momentum : float in [0, 1), default=0.0
        SGD's momentum (``v = m v - lr g; w += v``); ignored by Adam.
    batch_size : int or None, default=32
        Samples per step (at most ``n_samples``); ``None`` is full batch and ``1``
        one sample per step.
    epochs : int, default=200
        Passes over the training data.
    backend : {"vectorized", "neurons"}, default="vectorized"
        One matrix per layer, or one object per neuron; both compute the same
        numbers (to 1e-12).
    init : str, default="xavier"
        ``uniform``, ``normal``, ``xavier``, ``he`` or ``lecun``.
    shuffle : bool, default=True
        Shuffle the samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the shuffling.
    trace : bool or dict, default=False
        Record training with :func:`neurotrace.trace` into ``trace_``; a dict is
        passed to it as keyword arguments (e.g. ``{"steps": range(4)}``).

    Attributes
    ----------
    n_features_in_ : int
    n_outputs_ : int
        The number of targets (1 for ``y`` of shape ``(n_samples,)``).
    network_, history_, loss_, trace_, n_iter_
        As in :class:`NeuronClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from neurotrace.estimators import NeuronRegressor
    >>> X = np.linspace(-1, 1, 20).reshape(-1, 1)
    >>> reg = NeuronRegressor((), optimizer="sgd", batch_size=5, epochs=100, random_state=0)
    >>> reg.fit(X, 3 * X[:, 0] + 1).predict([[0.0], [1.0]]).round(3)   # y = 3x + 1
    array([1., 4.])
    >>> reg.network_.parameters()                     # no hidden layer: w = 3, b = 1
    [(array([[3.]]), array([1.]))]
    """

    def __init__(self, hidden_layer_sizes=(16,), activation="relu", loss=None, *,
                 optimizer="adam", learning_rate=None, momentum=0.0, batch_size=32,
                 epochs=200, backend="vectorized", init="xavier", shuffle=True,
                 random_state=None, trace=False):
        super().__init__(hidden_layer_sizes, activation, loss, optimizer=optimizer,
                         learning_rate=learning_rate, momentum=momentum,
                         batch_size=batch_size, epochs=epochs, backend=backend, init=init,
                         shuffle=shuffle, random_state=random_state, trace=trace)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, y):
        """Train a new network on ``(X, y)``; return ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)

        Returns
        -------
        self : NeuronRegressor
        """
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True)
        loss = _one_of(type(self).__name__, "loss", "mse" if self.loss is None else self.loss,
                       REGRESSOR_LOSSES)
        self._y_1d = y.ndim == 1
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        self.n_outputs_ = Y.shape[1]
        return self._train(X, np.asarray(Y, dtype=np.float64), "identity", losses.get(loss))

    def predict(self, X):
        """The network's outputs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            1-D when ``fit`` was given a 1-D ``y``.
        """
        A = self._outputs(X)
        return A[:, 0] if self._y_1d else A
