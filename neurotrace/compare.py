"""Compare two runs event by event: where do they first differ, and by how much after that?

``nt.compare(t1, t2)`` walks the steps both runs have, and in each step the
events in order (forward, loss, backward, update): the first value that differs
is reported with both numbers, and a table gives the largest difference of
every quantity at every step. A run is a trace, or stepped events (a list of
steps, each a list of events or a finished stepper).
"""
import numpy as np

__all__ = ["compare", "Comparison", "Difference"]


class Difference(tuple):
    """Where two runs first differ: ``(step, index, phase, node, quantity, value1, value2)``.

    Parameters
    ----------
    step, index : int
        The step and the event's position in it.
    phase, node, quantity : str
    value1, value2 : float or ndarray
        The two runs' values.

    Examples
    --------
    >>> d = Difference(0, 4, "backward", "L2.N0", "sent:L1.N0", -0.1, -0.09)
    >>> d.node, d.quantity
    ('L2.N0', 'sent:L1.N0')
    """

    def __new__(cls, step, index, phase, node, quantity, value1, value2):
        return super().__new__(cls, (step, index, phase, node, quantity, value1, value2))

    step = property(lambda self: self[0], doc="The step.")
    index = property(lambda self: self[1], doc="The event's position in the step.")
    phase = property(lambda self: self[2], doc="The event's phase.")
    node = property(lambda self: self[3], doc="The event's node.")
    quantity = property(lambda self: self[4], doc="The quantity that differs.")
    value1 = property(lambda self: self[5], doc="The first run's value.")
    value2 = property(lambda self: self[6], doc="The second run's value.")

    def __str__(self):
        return (f"step {self.step}, event {self.index} ({self.phase} {self.node}), "
                f"{self.quantity}: {_show(self.value1)} vs {_show(self.value2)}")


class Comparison:
    """What :func:`compare` found.

    Parameters
    ----------
    first : Difference or None
        The first differing value (None: the runs agree).
    steps : list of int
        The steps compared.
    table : dict
        Quantity -> array of the largest absolute difference at each step
        (``nt.viz.compare_plot`` draws it).

    Examples
    --------
    >>> c = Comparison(None, [0], {"z": np.zeros(1)})
    >>> c.first is None and c.max_difference("z") == 0
    True
    """

    def __init__(self, first, steps, table):
        self.first, self.steps, self.table = first, steps, table

    def max_difference(self, quantity):
        """The largest difference of ``quantity`` over all compared steps.

        Parameters
        ----------
        quantity : str

        Returns
        -------
        float
        """
        return float(np.max(self.table[quantity]))

    def __str__(self):
        head = "the runs agree on every value" if self.first is None else \
            f"first difference: {self.first}"
        lines = [f"compared {len(self.steps)} steps; {head}"]
        differing = [q for q in self.table if np.max(self.table[q]) > 0]
        if differing:
            lines.append(f"{'quantity':<20} largest difference per step")
            for q in differing:
                values = " ".join(f"{v:.2g}" for v in self.table[q][:8])
                more = " …" if len(self.steps) > 8 else ""
                lines.append(f"{q:<20} {values}{more}")
        return "\n".join(lines)

    def __repr__(self):
        return f"<Comparison of {len(self.steps)} steps: {self.first or 'no difference'}>"


def _show(value):
    value = np.asarray(value, float)
    if value.ndim == 0:
        return repr(float(value))
    return np.array2string(value, precision=6, threshold=6)


def _steps_of(run):
    """``{step: [events]}`` of a trace or of stepped events."""
    if hasattr(run, "events") and hasattr(run, "steps") and callable(run.events):
        return {k: run.events(k) for k in run.steps}
    steps = {}
    for item in run:
        events = list(item.events) if hasattr(item, "plan") else list(item)
        if events:
            steps[events[0].step] = events
    return steps


def _quantity(q):
    """The table's row for a quantity (every ``sent:...`` in one row)."""
    return "sent" if q.startswith("sent:") else q


def compare(run1, run2, atol=0.0):
    """Compare two runs event by event.

    Parameters
    ----------
    run1, run2 : Trace, or list of steps (each a list of Event or a finished Stepper)
    atol : float, default=0.0
        Differences up to ``atol`` count as equal (0: any bit).

    Returns
    -------
    Comparison
        ``.first`` (a :class:`Difference` or None), ``.table`` and ``.plot()``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> runs = []
    >>> for lr in (0.5, 0.6):
    ...     net = nt.NeuralNetwork([2, 2, 1], seed=0)
    ...     with nt.trace(net) as t:
    ...         _ = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=lr), batch_size=1,
    ...                    shuffle=False, progress=False)
    ...     runs.append(t)
    >>> c = nt.compare(*runs)
    >>> c.first.phase, c.first.node, c.first.quantity
    ('update', 'L1.N0', 'bias_after')
    """
    a, b = _steps_of(run1), _steps_of(run2)
    steps = sorted(set(a) & set(b))
    if not steps:
        raise ValueError(f"compare: the runs have no step in common (steps {sorted(a)} and "
                         f"{sorted(b)}).")
    table, first = {}, None
    for n, k in enumerate(steps):
        if [e.key for e in a[k]] != [e.key for e in b[k]]:
            raise ValueError(f"compare: step {k} has different events in the two runs (are "
                             f"they the same network?).")
        for e1, e2 in zip(a[k], b[k]):
            for q, v1 in e1.values.items():
                if q not in e2.values:
                    continue
                v1, v2 = np.asarray(v1, float), np.asarray(e2.values[q], float)
                diff = float(np.max(np.abs(v1 - v2))) if v1.size else 0.0
                row = table.setdefault(_quantity(q), np.zeros(len(steps)))
                row[n] = max(row[n], diff)
                if first is None and diff > atol:
                    first = Difference(k, e1.index, e1.phase, e1.node, q,
                                       e1.values[q], e2.values[q])
    return Comparison(first, steps, table)
