"""Where the program finds its shipped data (forms/, resources/) and the user's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _shipped(name: str, installed: str) -> Path:
    # A PyInstaller bundle, an installed wheel, then the checkout, in that order.
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / name] if bundle else []
    candidates += [_PKG / installed, _PKG.parent / name]
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"shipped data folder '{name}' not found in {candidates}")


def forms_dir() -> Path:
    """The folder of form definitions, code lists and rate tables."""
    return _shipped("forms", "_forms")


def resources_dir() -> Path:
    """The folder of fonts, icons, translations and demo data."""
    return _shipped("resources", "_resources")


def default_data_dir() -> Path:
    """The user's data folder: IBHXH_DATA_DIR, else the per-user platform folder."""
    env = os.environ.get("IBHXH_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("ibhxh-client", "ibhxh", roaming=False))
