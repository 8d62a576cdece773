"""The tutorials' exercises: right answers pass, and each usual wrong answer gets its hint.

The wrong answers are written here by hand (from the exercise's data, with plain numpy),
independently of the package's checker, which recomputes right answers and mistakes with
neurotrace. (The right answers are checked by running each notebook with its solutions,
in test_tutorials.py.)
"""
import numpy as np
import pytest

import neurotrace as nt
from neurotrace.exercises import Exercise, Feedback, check, exercises

# The neuron of the notes on Neural Networks from Scratch: relu, L = a^2.
X_NNFS, W_NNFS = np.array([1.0, -2.0, 3.0]), np.array([-3.0, -1.0, 2.0])
POINTS = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5], [4.0, 1.5]])


def _sigmoid_case():
    w, b, x, y = np.array([0.5, -0.5]), 0.1, np.array([1.0, 2.0]), 1.0
    z = x @ w + b
    a = 1 / (1 + np.exp(-z))
    return z, a, x, y


Z, A, XS, YS = _sigmoid_case()
RIGHT_01_1 = (A - YS) * A * (1 - A) * XS


def _week42_layer():
    """The week-42 exercise 2's layer, drawn as the course draws it (legacy stream, 314)."""
    stream = np.random.RandomState(314)
    x, y = stream.rand(2), stream.rand(3)
    W, b = stream.randn(3, 2), stream.randn(3)
    a = 1 / (1 + np.exp(-(W @ x + b)))
    dC_da = 2 * (a - y) / 3
    return x, W, dC_da, dC_da * a * (1 - a)


X42, W42, DC_DA42, DELTA42 = _week42_layer()


def _week42_two_layers():
    """The week-42 exercise 4's network, by hand: what L1.N2 receives, right and wrong."""
    stream = np.random.RandomState(314)
    stream.rand(2), stream.rand(3), stream.randn(3, 2), stream.randn(3)
    x, y = stream.rand(2), stream.rand(4)
    W1, b1, W2, b2 = stream.rand(3, 2), stream.rand(3), stream.rand(4, 3), stream.rand(4)
    a1 = 1 / (1 + np.exp(-(W1 @ x + b1)))
    a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
    dC_da2 = 2 * (a2 - y) / 4
    delta2 = dC_da2 * a2 * (1 - a2)
    received = W2[:, 2] @ delta2
    db1_2 = received * a1[2] * (1 - a1[2])                 # dC/db of L1.N2, by hand

    def loss(bias1):
        out = 1 / (1 + np.exp(-(W2 @ (1 / (1 + np.exp(-(W1 @ x + bias1)))) + b2)))
        return np.mean((out - y) ** 2)

    nudged = loss(b1 + [0.0, 0.0, 0.01]) - loss(b1)       # the actual change of the loss
    return received, delta2[0] * W2[0, 2], W2[:, 2] @ dC_da2, db1_2, nudged


RECEIVED, ONE_SHARE, NO_DERIVATIVE, DB_L1N2, NUDGED_L1N2 = _week42_two_layers()
HW_OUTPUT = -14.0 * np.array([0.0, 3.0, 1.0, 0.0])


def _exercise5():
    """The hand-out's exercise 5 (1-2-1, w 0.5, b 0, x 1, target 0, lr 0.8), by hand."""
    h = 1 / (1 + np.exp(-0.5))                       # both hidden outputs
    out = 1 / (1 + np.exp(-(0.5 * h + 0.5 * h)))
    delta = (out - 0.0) * out * (1 - out)            # sse: dE/da = a - y
    w_after = 0.5 - 0.8 * delta * h
    return delta, w_after, 0.5 - 0.8 * (delta * 0.5) * h * (1 - h)


EX5_DELTA, EX5_W_AFTER, EX5_HIDDEN = _exercise5()

HW_HIDDEN = np.array([0.0, 28.0, 28.0, 0.0])


def _plateau():
    """dL/db of L2.N0 on the XOR plateau (notebook 06), by finite differences: the batch and [0, 1]."""
    X, Y = nt.datasets.xor()
    draw = np.random.RandomState(42)                 # np.random.seed(42)'s numbers
    (w0, b0), (w1, b1), (w2, b2) = [(draw.uniform(-1, 1, 2), draw.uniform(-1, 1)) for _ in range(3)]
    net = nt.NeuralNetwork.from_weights([np.column_stack([w0, w1]), w2.reshape(2, 1)],
                                        [np.array([b0, b1]), np.array([b2])], activation="sigmoid")
    nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=1500, batch_size=1,
           shuffle=False, progress=False, warn=False)
    whole = nt.numerical_gradients(net, X, Y, loss="sse")[-1]           # the last parameter: L2.N0.b
    one = nt.numerical_gradients(net, X[1:2], Y[1:2], loss="sse")[-1]
    return whole, one


PLATEAU_DB, PLATEAU_SHARE_01 = _plateau()

# (exercise, wrong answer, a phrase its hint must contain)
WRONG = [
    ("00.1", -12.0, "dL/da = 2a, not a"),
    ("00.1", -2.0, "multiply by dL/da = 2a = 12"),
    ("00.1", 24.0, "wrong sign"),
    ("00.1", -2.4, "10x too small"),
    ("00.2", -2 * POINTS.mean(axis=0), "do not divide by the number of points"),
    ("00.2", 2 * POINTS.sum(axis=0), "wrong sign"),
    ("00.2", -POINTS.sum(axis=0), "-2 (x - mu)"),
    ("00.2", np.zeros(3), "expected shape (2,), got (3,)"),
    ("00.3", "mean", "the mean is where the squared error is smallest"),
    ("00.3", 4.0, "should be a string"),
    ("01.1", (A - YS) * XS, "you left out the local derivative"),
    ("01.1", (A - YS) * Z * (1 - Z) * XS, "not z (1 - z)"),
    ("01.1", 2 * RIGHT_01_1, "the sse loss has a 1/2"),
    ("01.1", RIGHT_01_1[::-1].reshape(2, 1), "expected shape (2,), got (2, 1)"),
    ("01.2", True, "Below 0 the ReLU's slope is 0"),
    ("02.1", (5, 3), "the course's layout"),
    ("02.1", (5,), "the bias gradient"),
    ("02.2", np.outer(DELTA42, X42).T, "transposed"),
    ("02.2", np.outer(DC_DA42, X42), "delta = dC/da * sigma'(z) comes first"),
    ("02.2", 3 * np.outer(DELTA42, X42), "averages over the 3 outputs"),
    ("02.3", W42.T @ DC_DA42, "not dC/da"),
    ("02.3", -W42.T @ DELTA42, "wrong sign"),
    ("03.1", -10.0, "output neuron's bias"),
    ("03.2", True, "the third hidden neuron has z = -1"),
    ("03.3", 2.5, "b = b1 @ W2 + b2, not sum(b1) + b2"),
    ("03.3", [0.5], "b1 does not vanish"),
    ("04.1", ONE_SHARE, "add the four"),
    ("04.1", NO_DERIVATIVE, "not dC/da_k"),
    ("04.2", np.full(4, 56.0), "not the sum of all z_i"),
    ("04.2", -HW_OUTPUT, "check the sign"),
    ("04.3", np.full(4, -56.0), "not max(0, x)"),
    ("04.3", -HW_HIDDEN, "check the sign"),
    ("04.4", DB_L1N2, "the gradient dC/db itself"),
    ("04.4", NUDGED_L1N2, "that is the actual change"),
    ("04.4", -DB_L1N2 * 0.01, "wrong sign"),
    ("01.3", (0.6346325032155706 - 0.31907088859242594) / 4, "undo the sigmoid first"),
    ("05.1", [EX5_DELTA * EX5_W_AFTER] * 2, "what the hand-out sends"),
    ("05.2", 0.48814507, "the hand-out's value"),
    ("05.3", True, "d_4 = d_2 * self.inputs is computed before the update"),
    ("06.1", 4, "one per row of the truth table"),
    ("06.1", 1, "one output per class"),
    ("06.2", 0.5, "a squared error is smallest at the mean"),
    ("06.3", PLATEAU_DB / 4, "the mean of the shares"),
    ("06.3", PLATEAU_SHARE_01, "the share of the sample [0, 1] alone"),
    ("06.3", -PLATEAU_DB, "wrong sign"),
]


@pytest.mark.parametrize("exercise_id, wrong, phrase", WRONG,
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(WRONG)])
def test_a_usual_wrong_answer_gets_its_hint(exercise_id, wrong, phrase):
    feedback = check(exercise_id, wrong)
    assert not feedback and feedback.answered
    assert phrase in repr(feedback), repr(feedback)


def test_every_exercise_has_a_wrong_answer_tested_here():
    part1 = {e for e in exercises() if int(e.split(".")[0]) <= 6}   # 07-12: test_exercises_part2.py
    assert {e for e, _, _ in WRONG} == part1


def test_right_answers_computed_here_pass():
    assert check("00.1", -24.0) and check("00.2", -2 * POINTS.sum(axis=0))
    assert check("00.3", "Median") and check("01.1", RIGHT_01_1) and check("01.2", False)
    assert check("06.1", 2) and check("06.2", 2 / 3) and check("06.3", PLATEAU_DB)
    assert check("06.3", round(PLATEAU_DB, 5))                # as the notebook's table prints it
    assert check("02.1", (3, 5)) and check("02.2", np.outer(DELTA42, X42))
    assert check("02.3", W42.T @ DELTA42)
    assert check("03.1", -9.0) and check("03.2", False) and check("03.3", [5.0])
    assert check("04.1", RECEIVED) and check("04.2", HW_OUTPUT) and check("04.3", HW_HIDDEN)
    assert check("04.4", DB_L1N2 * 0.01)
    assert check("05.1", [EX5_DELTA * 0.5] * 2) and check("05.2", EX5_HIDDEN) and check("05.3", False)
    assert round(EX5_HIDDEN, 8) == 0.48609721
    assert check("01.3", 0.32754682879878394)


def test_an_unanswered_exercise_says_so_and_an_unknown_one_is_named():
    feedback = check("00.1", ...)
    assert not feedback and not feedback.answered
    assert "not answered yet" in repr(feedback)
    assert feedback._repr_markdown_().startswith("✍️ **00.1**")
    with pytest.raises(KeyError, match=r"no exercise '99.9'.*'00.1'"):
        check("99.9", 1.0)


def test_generic_diagnoses_transposed_and_scaled():
    exercise = Exercise("99.1", "a matrix", answer=lambda: np.arange(1.0, 7.0).reshape(2, 3))
    assert "transposed" in repr(exercise.check(np.arange(1.0, 7.0).reshape(2, 3).T))
    assert "10x too small" in repr(exercise.check(np.arange(1.0, 7.0).reshape(2, 3) / 10))
    wrong = -3 * np.arange(1.0, 7.0).reshape(2, 3)
    assert "3x too large and of the wrong sign" in repr(exercise.check(wrong))
    assert "should be a number" in repr(exercise.check("six"))
    assert isinstance(exercise.check(1.0), Feedback)


def test_a_feedback_shows_in_jupyter():
    assert check("01.2", False)._repr_markdown_().startswith("✅ **01.2**")
    assert check("01.2", True)._repr_markdown_().startswith("❌ **01.2**")
    assert nt.exercises.check is check
