"""`python -m ibhxh_client`: the command line (the window comes with the GUI issue);
`--self-test` checks an installed copy end to end."""

import sys

from .entry import main

sys.exit(main())
