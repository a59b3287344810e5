"""Signing takes the envelope `validate` kept while nothing it was built from has changed
(a large list took as long to rebuild as to check), and builds it again the moment
anything did: a worker's details, the unit's profile, the dossier's lines."""

from __future__ import annotations

import pytest

from ibhxh_client.dossier.reading import envelope_forms
from ibhxh_client.services import declarations, signing
from ibhxh_client.services.signing import DEMO_P12_PASSWORD, ensure_demo_certificate, file_signer
from ibhxh_client.services.workers import update


@pytest.fixture
def built(demo_app, monkeypatch):
    """Counts the dossiers built (build_dossier calls made by validate)."""
    calls = []
    real = declarations.build_dossier

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(declarations, "build_dossier", counting)
    return calls


def _texts(app) -> str:
    """Every value of every form in the signed dossier, as text."""
    forms = envelope_forms(app.catalog, signing.signed_bytes(app, app.demo_id))
    return " ".join(str(v) for data in forms
                    for record in [data.header, *data.rows] for v in record.values())


def _signer(app):
    return file_signer(ensure_demo_certificate(app), DEMO_P12_PASSWORD)


def test_a_validated_dossier_is_signed_as_it_was_checked(demo_app, built):
    declarations.validate(demo_app, demo_app.demo_id)
    assert len(built) == 1
    signing.sign(demo_app, demo_app.demo_id, _signer(demo_app))
    assert len(built) == 1  # not built again
    envelope = declarations.validated_envelope(demo_app, demo_app.demo_id)
    assert envelope is None  # signed now: nothing to take any more


def test_a_worker_changed_after_validation_is_built_again(demo_app, built):
    decl, workers = declarations.load(demo_app, demo_app.demo_id)
    worker = workers[decl.lines[0].worker_id]
    declarations.validate(demo_app, demo_app.demo_id)
    values = {k: str(v) for k, v in vars(worker).items() if v not in (None, "")}
    update(demo_app, worker.id, {**values, "full_name": "Lê Thị Đổi Tên"})
    assert declarations.validated_envelope(demo_app, demo_app.demo_id) is None
    signing.sign(demo_app, demo_app.demo_id, _signer(demo_app))
    assert len(built) == 2
    assert "Lê Thị Đổi Tên" in _texts(demo_app)


def test_the_unit_changed_after_validation_is_built_again(demo_app, built):
    from ibhxh_client.services import employer

    declarations.validate(demo_app, demo_app.demo_id)
    e = employer.get(demo_app)
    e.name = "Công ty Đổi Tên"
    employer.save(demo_app, e)
    assert declarations.validated_envelope(demo_app, demo_app.demo_id) is None
    signing.sign(demo_app, demo_app.demo_id, _signer(demo_app))
    assert "Công ty Đổi Tên" in _texts(demo_app)
