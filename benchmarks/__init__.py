"""neurotrace's benchmark: not part of the installed package.

Run it from a source checkout with ``make bench`` or ``python -m benchmarks``.
``bench`` builds the table, ``sweep`` times the rows, ``baselines`` holds the code the
engine is measured against (including a copy of the hand-out's code, kept as written).
"""
