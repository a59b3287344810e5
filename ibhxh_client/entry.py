"""The bundled program's entry point (PyInstaller runs it as a script, so the imports are
absolute): `--self-test`, else the command line."""

import sys


def main() -> int:
    if "--self-test" in sys.argv[1:]:
        from ibhxh_client.selftest import run

        return run()
    from ibhxh_client.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
