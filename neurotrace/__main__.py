"""``python -m neurotrace demo``: the same as the ``neurotrace`` command."""
import sys

from .cli import main

sys.exit(main())
