"""The scikit-learn estimators: scikit-learn's own estimator checks, and real use.

``parametrize_with_checks`` runs every check of scikit-learn's estimator contract
over both estimators and both backends. None is expected to fail. One is skipped
by scikit-learn itself, for every estimator:

* ``check_array_api_input``: runs only when the ``SCIPY_ARRAY_API`` environment
  variable is set; neurotrace computes with numpy arrays only (its tags say
  ``array_api_support=False``), so it has nothing to check here.

The estimators are built small (8 hidden neurons, 30 epochs) to keep the checks fast;
that is still enough for the checks that demand a good fit (training accuracy > 0.83
on three blobs, R^2 > 0.5 on a noisy linear target).
"""
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import neurotrace as nt
from neurotrace.estimators import NeuronClassifier, NeuronRegressor

SMALL = dict(hidden_layer_sizes=(8,), epochs=30)
ESTIMATORS = [Estimator(backend=backend, **SMALL)
              for Estimator in (NeuronClassifier, NeuronRegressor)
              for backend in ("vectorized", "neurons")]

# Checks expected to fail, with the reason: none. (Kept as a mapping so that a check
# that has to be excused one day is listed here with its reason, as the suite asks.)
EXPECTED_FAILED_CHECKS = {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def iris_labels():
    X, y = nt.datasets.iris(one_hot=False, test_size=None)
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


def test_classifier_inside_pipeline_cross_val_and_grid_search():
    X, y = iris_labels()
    pipe = make_pipeline(StandardScaler(), NeuronClassifier(epochs=40, random_state=0))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.85
    grid = GridSearchCV(NeuronClassifier(epochs=20, random_state=0),
                        {"hidden_layer_sizes": [(2,), (8,)], "learning_rate": [0.001, 0.05]},
                        cv=3).fit(X, y)
    assert grid.best_params_["learning_rate"] == 0.05           # 20 epochs of lr 0.001 is too slow
    assert set(grid.best_estimator_.predict(X)) <= set(y)
    assert grid.best_estimator_.classes_.tolist() == ["setosa", "versicolor", "virginica"]


def test_regressor_inside_pipeline_and_cross_val():
    Xtr, Xte, ytr, yte = nt.datasets.diabetes(test_size=0.2)
    pipe = make_pipeline(StandardScaler(), NeuronRegressor((8,), epochs=50, random_state=0))
    assert cross_val_score(pipe, Xtr, ytr[:, 0], cv=3).mean() > 0.3
    assert pipe.fit(Xtr, ytr[:, 0]).predict(Xte).shape == (len(Xte),)
    assert pipe.fit(Xtr, ytr).predict(Xte).shape == (len(Xte), 1)


def test_both_backends_learn_the_same_numbers():
    X, y = iris_labels()
    a = NeuronClassifier((5,), "sigmoid", epochs=5, backend="neurons", random_state=3).fit(X, y)
    b = NeuronClassifier((5,), "sigmoid", epochs=5, backend="vectorized",
                         random_state=3).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.history_.loss, b.history_.loss, rtol=0, atol=1e-12)


def test_the_fitted_network_is_what_nt_fit_trains():
    """The estimator is a thin layer: the same network trained by hand gives the same outputs."""
    X, y = iris_labels()
    clf = NeuronClassifier((4,), "tanh", optimizer="sgd", learning_rate=0.1, momentum=0.9,
                           batch_size=16, epochs=3, shuffle=False, random_state=0).fit(X, y)
    start = np.random.RandomState(0).randint(0, 2 ** 31 - 1, size=2)[0]
    net = nt.VectorizedNetwork([4, 4, 3], ["tanh", "softmax"], seed=int(start))
    nt.fit(net, X, nt.datasets.one_hot(np.unique(y, return_inverse=True)[1]),
           loss="cross_entropy", optimizer=nt.SGD(lr=0.1, momentum=0.9), epochs=3,
           batch_size=16, shuffle=False, progress=False)
    np.testing.assert_array_equal(clf.predict_proba(X), net.predict(X))


def test_sigmoid_outputs_give_probabilities_that_sum_to_one():
    X, y = iris_labels()
    clf = NeuronClassifier((6,), loss="bce", epochs=20, random_state=0).fit(X, y)
    assert clf.network_.activation_names[-1] == "sigmoid"
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert np.array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))


def test_trace_keeps_every_number_of_training():
    X, Y = nt.datasets.xor()
    reg = NeuronRegressor((2,), "sigmoid", optimizer="sgd", batch_size=1, epochs=2,
                          shuffle=False, random_state=0, trace=True).fit(X, Y[:, 0])
    t = reg.trace_
    assert isinstance(t, nt.Trace) and t.steps == list(range(8))
    assert t[7].backward["L1.N0"]["grad_weights"].shape == (2,)
    limited = NeuronRegressor((2,), epochs=3, batch_size=1, random_state=0,
                              trace={"steps": [0, 1]}).fit(X, Y[:, 0])
    assert limited.trace_.steps == [0, 1]
    assert NeuronRegressor(epochs=1).fit(X, Y).trace_ is None


@pytest.mark.parametrize("params, message", [
    ({"activation": "rleu"}, "The 'activation' parameter of NeuronClassifier must be one of"),
    ({"backend": "gpu"}, "The 'backend' parameter of NeuronClassifier must be one of"),
    ({"optimizer": "rmsprop"}, "The 'optimizer' parameter"),
    ({"loss": "hinge"}, "The 'loss' parameter of NeuronClassifier must be one of"),
    ({"hidden_layer_sizes": (4, 0)}, "'hidden_layer_sizes' parameter of NeuronClassifier"),
    ({"epochs": -1}, "'epochs' parameter"),
    ({"batch_size": 0}, "'batch_size' parameter"),
    ({"trace": "yes"}, "'trace' parameter"),
])
def test_bad_parameters_fail_in_fit_with_a_clear_message(params, message):
    X, y = iris_labels()
    clf = NeuronClassifier(**params)                   # no work (and no error) in __init__
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)


def test_estimators_load_lazily():
    """``nt.estimators`` works without an import, but ``import neurotrace`` does not load it."""
    import subprocess
    import sys
    code = ("import sys, neurotrace as nt; assert 'sklearn.base' not in sys.modules; "
            "print(nt.estimators.NeuronClassifier.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "NeuronClassifier"
