"""``python -m reportgen``: the command line (see :mod:`reportgen.cli`)."""
import sys

from reportgen.cli import main

sys.exit(main())
