"""The bundled window's entry point (`ibhxh-client.exe`, no console)."""

import sys

from ibhxh_client.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
