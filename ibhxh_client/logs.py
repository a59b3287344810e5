"""Log files for support staff: rotating, in the user's log folder, and redacted so no PIN,
password, ID number, salary, phone or e-mail ever reaches a file or a support bundle."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import traceback
from pathlib import Path

LOG_FILE = "ibhxh.log"
_TAG = "_ibhxh_handler"

# Order matters: secrets given as key=value first, then the shapes of personal values.
_SECRET = re.compile(
    r"(?i)\b(pin|password|passphrase|passwd|pwd|secret|token|mật\s*khẩu|mat\s*khau)"
    r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|\S+)")
_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\w.,])\d{1,3}(?:[.,]\d{3}){2,}(?![\w.,]*\d)"), "[số tiền]"),
    (re.compile(r"(?<!\w)\+84\d{9}(?!\w)"), "[số]"),
    (re.compile(r"(?<![\w-])\d{9,15}(?![\w-])"), "[số]"),
    (re.compile(r"(?<![\w-])\d{7,8}(?![\w-])"), "[số]"),
]


def redact(text: str) -> str:
    """The text with secrets and personal values replaced by placeholders."""
    text = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and its traceback) before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
            record.exc_text = None
        if record.stack_info:
            message += "\n" + record.stack_info
            record.stack_info = None
        record.msg, record.args = redact(message), None
        return True


def log_dir() -> Path:
    """IBHXH_LOG_DIR, else the per-user log folder (%LOCALAPPDATA%\\ibhxh\\ibhxh-client\\Logs
    on Windows)."""
    env = os.environ.get("IBHXH_LOG_DIR")
    if env:
        return Path(env)
    from platformdirs import user_log_dir

    return Path(user_log_dir("ibhxh-client", "ibhxh"))


def setup(directory: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Send the program's log to a rotating file (1 MB × 5); returns its path, or None when
    the folder cannot be written (the program still runs)."""
    directory = directory or log_dir()
    root = logging.getLogger("ibhxh")
    for handler in [h for h in root.handlers if getattr(h, _TAG, False)]:
        root.removeHandler(handler)
        handler.close()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            directory / LOG_FILE, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    setattr(handler, _TAG, True)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return directory / LOG_FILE


def recent_logs(directory: Path | None = None) -> list[Path]:
    """The log files, newest first (for a support bundle)."""
    directory = directory or log_dir()
    files = sorted(directory.glob(LOG_FILE + "*"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    return [p for p in files if p.is_file()]
