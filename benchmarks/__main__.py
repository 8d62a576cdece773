"""``python -m benchmarks [--quick] [--out DIR] [--figures DIR]``."""
import sys

from .bench import main

sys.exit(main())
