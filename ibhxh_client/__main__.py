"""`python -m ibhxh_client`: with no arguments the window; with arguments the command
line (`ibhxh`); `--self-test` checks an installed copy end to end."""

import sys

from .entry import main

sys.exit(main())
