"""The per-user fallback folder for secrets (a machine with no OS keyring): written by
several background jobs at once, it keeps the secret and never fails (the window's first
run keeps the sandbox's password from two jobs at the same moment)."""

from __future__ import annotations

import os
import stat
import threading

from ibhxh_client.storage import keys


def test_secrets_kept_at_the_same_moment_by_several_jobs_are_all_kept():
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def keep(n: int) -> None:
        start.wait()
        try:
            for _ in range(100):
                keys.fallback_put("gateway:https://127.0.0.1:1:TZH490L", "mật khẩu")
                keys.fallback_put(f"other:{n}", f"secret {n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=keep, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert keys.fallback_get("gateway:https://127.0.0.1:1:TZH490L") == "mật khẩu"
    assert [keys.fallback_get(f"other:{n}") for n in range(4)] == \
        [f"secret {n}" for n in range(4)]
    folder = keys._fallback_path("other:0").parent
    assert not list(folder.glob("*.part"))  # no temporary file left behind
    if os.name == "posix":
        mode = stat.S_IMODE(keys._fallback_path("other:0").stat().st_mode)
        assert mode == 0o600
