"""``python -m lf_export.cli``: the same as the `lf-export` console script."""

import sys

from . import main

sys.exit(main())
