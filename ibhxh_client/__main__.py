"""`python -m ibhxh_client`: the command line for now (the window comes with the GUI)."""

import sys

from .cli import main

sys.exit(main())
