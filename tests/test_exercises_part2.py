"""The exercises of tutorials 07-12: right answers pass, each usual wrong answer gets its hint.

Right and wrong answers are written here by hand from each exercise's data, with plain
numpy, independently of the package's checker (which recomputes them with neurotrace).
The notebooks' own solutions are run in test_tutorials.py.
"""
import numpy as np
import pytest

from neurotrace.exercises import check, exercises

G = np.array([0.3, -0.1, 0.4, 0.2])
A8 = 1 / (1 + np.exp(-8.0))
P4 = 1787.3244709968567

RIGHT = [
    ("07.1", G.mean()),
    ("07.2", 0.01 * 16 * 10 / 2),
    ("07.3", (2, 3)),
    ("08.1", np.array([-0.3, 0.2, 0.1])),
    ("08.2", 1 / 3),
    ("08.3", np.log(3)),
    ("09.1", 8),
    ("09.2", 1.0),
    ("10.1", 3.0),
    ("10.2", 1.077),
    ("11.1", np.sqrt(2 / 50)),
    ("11.2", np.array([1.0, -0.5, 0.2])),
    ("12.1", A8 * (1 - A8)),
    ("12.2", P4 / 938),
]

# (exercise, wrong answer, a phrase its hint must contain)
WRONG = [
    ("07.1", G.sum(), "the sum of the per-sample gradients"),
    ("07.1", G.mean() / 4, "divided by the number of samples twice"),
    ("07.1", G.mean() / 2, "half the right value"),
    ("07.2", 0.08, "16 samples times 10 outputs"),
    ("07.2", 0.16, "mse averages over all 16 x 10 numbers"),
    ("07.2", 1.6, "Account for the 2"),
    ("07.2", 0.01 / 160, "the other way round"),
    ("07.3", (3, 2), "per-sample layout"),
    ("07.3", (10, 3), "the shape of z"),
    ("08.1", np.array([0.7, 0.2, 0.1]), "subtract the one-hot target"),
    ("08.1", np.array([0.3, -0.2, -0.1]), "wrong sign"),
    ("08.1", np.array([-0.3, 0.2, 0.1]) * np.array([0.21, 0.16, 0.09]), "no f'(z) to multiply by"),
    ("08.1", np.array([-0.1, 0.2 / 3, 0.1 / 3]), "number of classes"),
    ("08.2", 0.5666666666666667, "printed accuracy"),
    ("08.3", np.log10(3), "log10"),
    ("08.3", 150 * np.log(3), "the sum over the 150 flowers"),
    ("08.3", 1 / 3, "p itself"),
    ("09.1", 1 / 8, "the other way round"),
    ("09.1", 150, "full-batch run"),
    ("09.1", 64, "only the second one is extra"),
    ("09.2", 0.973, "not the limit"),
    ("09.2", 0.98, "corrected momentum run"),
    ("09.2", 0.68, "week-41 loop"),
    ("10.1", -3.0, "wrong sign"),
    ("10.1", 6.0, "divide by w too"),
    ("10.1", -6.0, "that is the bias"),
    ("10.2", 0.5385, "carries a 1/2"),
    ("10.2", 0.5385 / 2, "the other way round"),
    ("11.1", 0.04, "that is the variance"),
    ("11.1", np.sqrt(1 / 50), "LeCun's"),
    ("11.1", np.sqrt(2 / 70), "Glorot's"),
    ("11.1", np.sqrt(2 / 20), "number of inputs of the layer"),
    ("11.2", np.array([1.0, -1.0, 1.0]), "-0.5 and 0.2 stay"),
    ("11.2", np.array([3.0, -0.5, 0.2]) / np.sqrt(9.29), "clipping by norm"),
    ("11.2", np.array([3.0, -0.5, 0.2]), "clipping caps it"),
    ("12.1", 0.25, "the largest slope"),
    ("12.1", A8, "sigma(8) itself"),
    ("12.1", 8.0 * (1 - 8.0), "z (1 - z)"),
    ("12.2", P4 / 60000, "divides by the images"),
    ("12.2", P4 / 937.5, "the last, smaller batch"),
    ("12.2", P4 / 64, "the batch size"),
]


@pytest.mark.parametrize("exercise_id, answer", RIGHT, ids=[e for e, _ in RIGHT])
def test_the_right_answer_passes(exercise_id, answer):
    feedback = check(exercise_id, answer)
    assert feedback, repr(feedback)
    assert "right!" in repr(feedback)


@pytest.mark.parametrize("exercise_id, wrong, phrase", WRONG,
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(WRONG)])
def test_a_usual_wrong_answer_gets_its_hint(exercise_id, wrong, phrase):
    feedback = check(exercise_id, wrong)
    assert not feedback and feedback.answered
    assert phrase in repr(feedback), repr(feedback)


def test_every_part2_exercise_is_tested_here():
    part2 = {e for e in exercises() if int(e.split(".")[0]) >= 7}
    assert {e for e, _ in RIGHT} == part2
    assert {e for e, _, _ in WRONG} == part2


def test_checking_does_not_touch_numpys_global_random_state():
    """08.2 rebuilds the week-41 network from the material's legacy random stream."""
    np.random.seed(5)                               # noqa: NPY002  (the global state is the point)
    expected = np.random.rand()                     # noqa: NPY002
    np.random.seed(5)                               # noqa: NPY002
    check("08.2", 1 / 3)
    assert np.random.rand() == expected             # noqa: NPY002
