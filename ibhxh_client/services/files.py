"""Reading and writing the officer's files: clear messages, and never a half-written file
under the real name (write to NAME.part, then rename)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .app import UserError


def read_bytes(path: Path, exit_code: int = 1) -> bytes:
    """The file's bytes, or a message naming the file and why it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError("file_unreadable", exit_code=exit_code, path=str(path),
                        detail=exc.strerror or type(exc).__name__) from None


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary name beside ``out`` to write to: renamed to ``out`` when the block ends
    well, removed whatever happens, so a crash or a full disk never leaves a truncated
    file that looks complete; a message naming the file when it cannot be written."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        yield tmp
        tmp.replace(out)
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out),
                        detail=exc.strerror or type(exc).__name__) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` through a temporary name (``atomic_path``)."""
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
