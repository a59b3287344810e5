"""``python -m ibhxh_client.gateway.sandbox``: the sandbox gateway without the main CLI."""

import sys

from .cli import main

sys.exit(main())
