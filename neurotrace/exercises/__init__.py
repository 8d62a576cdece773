"""The tutorials' "your turn" exercises, and a checker that gives hints.

Every exercise has an id ``"NN.k"`` (notebook ``NN``, exercise ``k``). A learner writes an
answer and asks::

    >>> import neurotrace as nt
    >>> nt.exercises.check("00.1", ...)            # not answered yet
    00.1: not answered yet: replace the ... with your answer.
    >>> nt.exercises.check("00.1", 3.0)            # doctest: +ELLIPSIS
    00.1: not yet. ...

The checker computes the right answer itself, with neurotrace, from the exercise's data
(no answer is stored in the package), and knows the usual ways to get it wrong: a wrong
sign, the right numbers transposed, a factor (2 forgotten, 1/n applied twice), or the
value a known mistake gives (an update made too early, a mean taken twice). When an
answer matches one of those, the hint names it.

Exercises live in ``part1.py`` (notebooks 00-06) and ``part2.py`` (07-12); every
module of this package named ``part*`` is imported here and registers its exercises.
"""
import importlib
import pkgutil

import numpy as np

__all__ = ["Exercise", "Feedback", "Mistake", "check", "exercises", "register"]

EXERCISES = {}


class Feedback:
    """What :func:`check` says about one answer: right, or what looks wrong and a hint.

    ``bool(feedback)`` is True when the answer is right. It prints as one line (or a few)
    and shows as Markdown in Jupyter.

    Parameters
    ----------
    exercise_id : str
        ``"NN.k"``, the exercise answered.
    correct : bool
        Whether the answer is right.
    message : str
        "right! ..." or what looks wrong, with a hint.
    answered : bool, default=True
        False when the answer was still ``...``.

    Examples
    --------
    >>> feedback = Feedback("00.1", False, "not yet. Check the sign.")
    >>> feedback
    00.1: not yet. Check the sign.
    >>> bool(feedback), feedback.answered
    (False, True)
    """

    def __init__(self, exercise_id, correct, message, answered=True):
        self.exercise_id = exercise_id
        self.correct = bool(correct)
        self.answered = bool(answered)
        self.message = message

    def __bool__(self):
        return self.correct

    def __repr__(self):
        return f"{self.exercise_id}: {self.message}"

    def _repr_markdown_(self):
        mark = "✅" if self.correct else ("✍️" if not self.answered else "❌")
        return f"{mark} **{self.exercise_id}**: {self.message}"


class Mistake:
    """A usual wrong answer: ``value()`` computes what the mistake gives; ``hint`` names it.

    Parameters
    ----------
    value : callable
        ``value()`` returns the wrong answer the mistake leads to, computed with
        neurotrace from the exercise's data, like :class:`Exercise`'s ``answer``.
    hint : str
        What the learner probably did, shown when an answer matches ``value()``.

    Examples
    --------
    >>> forgot_bias = Mistake(lambda: 2.0 * 3.0, "the bias is missing: z = w x + b.")
    >>> ex = Exercise("99.1", "z for w=2, x=3, b=1?", lambda: 2.0 * 3.0 + 1.0,
    ...               mistakes=[forgot_bias])
    >>> ex.check(6.0)
    99.1: not yet. the bias is missing: z = w x + b.
    """

    def __init__(self, value, hint):
        self.value = value
        self.hint = hint


class Exercise:
    """One exercise: its id, a one-line question, and how to compute the right answer.

    Parameters
    ----------
    id : str
        ``"NN.k"``.
    question : str
        What is asked, in one line (shown with the feedback).
    answer : callable
        ``answer()`` returns the right answer, computed with neurotrace: a number, an
        array, a string or a bool.
    mistakes : list of Mistake, optional
        Known wrong answers, each computed like ``answer`` and named by its hint.
    factors : dict, optional
        ``{factor: hint}``: an answer equal to ``factor`` times the right one gets that hint.
    hint : str, optional
        What to try when the answer matches no known mistake.
    rtol : float, default=1e-6
        Relative tolerance: how close a number must be to count as right
        (``numpy.allclose``).
    atol : float, default=1e-9
        Absolute tolerance, as in ``numpy.allclose``.

    Examples
    --------
    >>> ex = Exercise("99.1", "What is 2 + 2?", lambda: 4.0,
    ...               factors={2: "you doubled it."}, hint="add them.")
    >>> ex.check(4.0)
    99.1: right! What is 2 + 2?
    >>> ex.check(8.0)
    99.1: not yet. you doubled it.
    >>> ex.check(-4.0)
    99.1: not yet. right size, wrong sign. add them.
    """

    def __init__(self, id, question, answer, *, mistakes=(), factors=None, hint="",
                 rtol=1e-6, atol=1e-9):
        self.id = id
        self.question = question
        self.answer = answer
        self.mistakes = list(mistakes)
        self.factors = dict(factors or {})
        self.hint = hint
        self.rtol = rtol
        self.atol = atol

    def __repr__(self):
        return f"Exercise({self.id!r}: {self.question})"

    def check(self, given):
        """The :class:`Feedback` for the answer ``given``.

        Parameters
        ----------
        given : object
            The learner's answer: a number, an array, a string or a bool; ``...`` when
            not answered yet.

        Returns
        -------
        Feedback
            Right; or the first that fits of: a known mistake, the right numbers
            transposed, a factor of ``factors``, the wrong sign, every number off by
            one common factor; else the exercise's ``hint`` (after the expected shape
            or type when the answer's is wrong).
        """
        if given is Ellipsis:
            return Feedback(self.id, False, "not answered yet: replace the ... with your answer.",
                            answered=False)
        expected = self.answer()
        if isinstance(expected, (str, bool, np.bool_)):
            return self._check_exact(given, expected)
        return self._check_numbers(given, expected)

    # --- answers that are a word or a yes/no ---------------------------------------------
    def _check_exact(self, given, expected):
        if isinstance(expected, str):
            right = isinstance(given, str) and given.strip().lower() == expected.lower()
        else:
            right = isinstance(given, (bool, np.bool_)) and bool(given) == bool(expected)
        if right:
            return Feedback(self.id, True, f"right! {self.question}")
        for mistake in self.mistakes:
            if _same_word(given, mistake.value()):
                return self._wrong(mistake.hint)
        kind = "a string" if isinstance(expected, str) else "True or False"
        if isinstance(expected, str) != isinstance(given, str):
            return self._wrong(f"the answer should be {kind}, got {type(given).__name__}.")
        return self._wrong(self.hint)

    # --- numbers and arrays ---------------------------------------------------------------
    def _check_numbers(self, given, expected):
        expected = np.asarray(expected, dtype=float)
        try:
            given = np.asarray(given, dtype=float)
        except (TypeError, ValueError):
            return self._wrong(f"the answer should be a number or an array of shape "
                               f"{expected.shape}, got {type(given).__name__}.")
        if given.shape != expected.shape and given.size == expected.size == 1:
            given = given.reshape(expected.shape)
        if given.shape != expected.shape:
            for mistake in self.mistakes:
                wrong = np.asarray(mistake.value(), dtype=float)
                if wrong.shape == given.shape and self._close(given, wrong):
                    return self._wrong(mistake.hint)
            if given.T.shape == expected.shape and self._close(given.T, expected):
                return self._wrong(f"right numbers, but transposed: expected shape "
                                   f"{expected.shape}, got {given.shape}.")
            return self._wrong(f"expected shape {expected.shape}, got {given.shape}. {self.hint}")
        if self._close(given, expected):
            return Feedback(self.id, True, f"right! {self.question}")
        for mistake in self.mistakes:
            wrong = np.asarray(mistake.value(), dtype=float)
            if wrong.shape == given.shape and self._close(given, wrong):
                return self._wrong(mistake.hint)
        for factor, hint in self.factors.items():
            if self._close(given, factor * expected):
                return self._wrong(hint)
        if self._close(given, -expected) and np.any(expected != 0):
            return self._wrong("right size, wrong sign. " + self.hint)
        ratio = _common_ratio(given, expected)
        if ratio is not None:
            size = f"{1 / abs(ratio):.3g}x too small" if abs(ratio) < 1 else f"{abs(ratio):.3g}x too large"
            sign = " and of the wrong sign" if ratio < 0 else ""
            return self._wrong(f"right shape, but {size}{sign} (every number off by the same "
                               f"factor). " + self.hint)
        return self._wrong(self.hint)

    def _close(self, a, b):
        return bool(np.allclose(a, b, rtol=self.rtol, atol=self.atol))

    def _wrong(self, hint):
        return Feedback(self.id, False, ("not yet. " + hint).strip())


def _same_word(given, wrong):
    if isinstance(wrong, str):
        return isinstance(given, str) and given.strip().lower() == wrong.lower()
    return isinstance(given, (bool, np.bool_)) and bool(given) == bool(wrong)


def _common_ratio(given, expected):
    """``r`` if ``given == r * expected`` for one number ``r`` (not 0, 1 or -1), else None."""
    nonzero = expected != 0
    if not nonzero.any() or np.any(given[~nonzero] != 0):
        return None
    ratios = given[nonzero] / expected[nonzero]
    r = ratios.flat[0]
    if r == 0 or not np.allclose(ratios, r, rtol=1e-6) or np.isclose(abs(r), 1.0, rtol=1e-6):
        return None
    return float(r)


def register(exercise):
    """Add ``exercise`` to the exercises :func:`check` knows; return it.

    The modules ``part*.py`` of this package call it for each of their exercises.

    Parameters
    ----------
    exercise : Exercise
        The exercise; its id must be new.

    Returns
    -------
    exercise : Exercise
        The same exercise, so ``register`` can wrap a constructor call.

    Raises
    ------
    ValueError
        If an exercise with this id is registered already.

    Examples
    --------
    >>> register(Exercise("00.1", "the same id again", lambda: 0.0))
    Traceback (most recent call last):
    ...
    ValueError: Exercise '00.1' is registered twice.
    """
    if exercise.id in EXERCISES:
        raise ValueError(f"Exercise {exercise.id!r} is registered twice.")
    EXERCISES[exercise.id] = exercise
    return exercise


def exercises():
    """The ids of every registered exercise, in order.

    Returns
    -------
    ids : list of str
        ``"NN.k"`` ids, sorted by notebook, then by exercise number.

    Examples
    --------
    >>> exercises()[:2]
    ['00.1', '00.2']
    """
    return sorted(EXERCISES, key=lambda i: tuple(int(p) for p in i.split(".")))


def check(exercise_id, answer):
    """Check ``answer`` to the exercise ``exercise_id``; return a :class:`Feedback`.

    Parameters
    ----------
    exercise_id : str
        ``"NN.k"``: notebook ``NN``'s exercise ``k``.
    answer : object
        A number, an array, a string or a bool, as the exercise asks; ``...`` (not
        answered yet) is allowed.

    Returns
    -------
    Feedback
        Prints as "right!" or as a hint; ``bool(feedback)`` says whether it is right.

    Raises
    ------
    KeyError
        If there is no exercise ``exercise_id``; the message lists them.

    Examples
    --------
    >>> import neurotrace as nt
    >>> bool(nt.exercises.check("00.1", ...))
    False
    """
    if exercise_id not in EXERCISES:
        raise KeyError(f"There is no exercise {exercise_id!r}; the exercises are {exercises()}.")
    return EXERCISES[exercise_id].check(answer)


# Every module named part* registers its exercises when imported.
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("part")):
    importlib.import_module(f"{__name__}.{_module}")
