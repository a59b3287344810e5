"""The program's entry point, also for the bundled program (PyInstaller runs it as a
script, so the imports are absolute): no arguments, the window; `--self-test`; else the
command line."""

import sys


def main() -> int:
    args = sys.argv[1:]
    if "--self-test" in args:
        from ibhxh_client.selftest import run

        return run()
    if not args:
        from ibhxh_client.ui.app import main as gui_main

        return gui_main([])
    from ibhxh_client.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
