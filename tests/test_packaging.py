"""The program works from an installed wheel, not only from the checkout: forms/ and
resources/ travel inside the package."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_data_and_runs(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, capture_output=True,
                   timeout=300)
    (wheel,) = dist.glob("ibhxh_client-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (ROOT / "forms").rglob("*"):
        if shipped.is_file():
            rel = shipped.relative_to(ROOT / "forms").as_posix()
            assert f"ibhxh_client/_forms/{rel}" in names, rel
    assert "ibhxh_client/storage/migrations/versions/0001_initial.py" in names

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    env = {"PYTHONPATH": str(target), "IBHXH_DATA_DIR": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin", "IBHXH_KEY_DIR": str(tmp_path / "keys"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    probe = subprocess.run(
        [sys.executable, "-c", "import ibhxh_client, ibhxh_client.paths as p;"
         "print(ibhxh_client.__file__); print(p.forms_dir())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    module_file, forms = probe.stdout.split()
    assert module_file.startswith(str(target)) and forms.startswith(str(target))
    run = subprocess.run([sys.executable, "-m", "ibhxh_client", "--json", "demo", "--workers",
                          "4"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["dossier_id"] == 1
    check = subprocess.run([sys.executable, "-m", "ibhxh_client", "validate", "1"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
