"""The Windows build's spec, proven on Linux: PyInstaller builds the one-folder bundle
from build_installer.spec and the bundled program passes its own --self-test."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bundle_builds_and_passes_its_self_test(tmp_path):
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--workpath",
         str(tmp_path / "work"), "--distpath", str(tmp_path / "dist"),
         str(ROOT / "build_installer.spec")],
        capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-3000:]
    exe = tmp_path / "dist" / "ibhxh-client" / "ibhxh"
    bundled = exe.parent / "_internal"
    for shipped in ("forms/D02-LT/form.toml", "forms/D02-LT/schema.xsd", "forms/rates.toml",
                    "resources/fonts/DejaVuSans.ttf", "resources/pkcs11_modules.toml",
                    "ibhxh_client/storage/migrations/versions/0001_initial.py"):
        assert (bundled / shipped).is_file(), shipped
    assert list(bundled.rglob("libqoffscreen*")), "the Qt platform plugins are bundled"
    assert list(bundled.rglob("*printersupport*")) or list(bundled.rglob("*QtPrintSupport*"))
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "HOME": str(tmp_path)}
    run = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "self-test: passed" in run.stdout
    assert run.stdout.count("OK ") == 7
    assert "OK  PostgreSQL driver" in run.stdout  # a shared office's driver is bundled
    assert os.access(exe, os.X_OK)
    window = exe.parent / "ibhxh-client"
    assert os.access(window, os.X_OK)
    assert (bundled / "resources" / "translations" / "ibhxh_vi.qm").is_file()
