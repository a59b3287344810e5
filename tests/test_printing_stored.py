"""A dossier past draft is printed from the envelope stored when it was validated: the
paper says exactly what the XML (and the QR code's digest) says."""

from __future__ import annotations

import hashlib
import subprocess

from ibhxh_client.services import declarations
from ibhxh_client.services.printing import print_dossier
from ibhxh_client.storage import repo


def test_paper_matches_the_stored_xml_not_later_edits(demo_app, tmp_path):
    result = declarations.validate(demo_app, demo_app.demo_id)
    with demo_app.db.transaction() as conn:
        w = repo.find_worker(conn, "#1")
        old_name = w.full_name
        w.full_name = "Tên Sửa Sau Khi Kiểm Tra"
        repo.update_worker(conn, w)
    out = tmp_path / "giay.pdf"
    printed = print_dossier(demo_app, demo_app.demo_id, reason="Thử", out=out)
    assert printed.sha256 == hashlib.sha256(result.envelope).hexdigest()
    assert printed.workers == 25
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert old_name in text and "Tên Sửa Sau Khi Kiểm Tra" not in text
