"""A whole dossier signed by a remote signing service, in two confirmations.

The envelope (BHXHDienTu.xml) holds the *signed* forms, so its digest exists only once the
forms' signature values came back (docs/remote-signing.md §0.3). Hence two phases:

1. ``begin``: every XML form prepared (``xmldsig.prepare_xml``: its Signature with the
   remote certificate and SigningTime, no value yet); one digest per form, by its file
   name (the ``doc_id`` the director sees on the phone). Phase "forms".
2. ``advance`` with the forms' values: each checked and written, the envelope built from
   the signed forms and prepared in turn; one digest, ``doc_id`` "BHXHDienTu.xml". Phase
   "envelope".
3. ``advance`` with the envelope's value: the signed dossier, the same bytes
   ``dossier.sign_dossier`` makes when a token returns the same values.

Between the steps everything needed is in ``RemoteStep.state``: bytes (JSON, documents in
base64) that the caller stores with the pending transaction, so that a restart, hours
later, finishes what was approved. No network and no storage here.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.dossier import (
    ENVELOPE_SIGNATURE_ID,
    PlaceOf,
    _bad,
    _container,
    _decode,
    _files,
    _is_xml,
    _name,
    _set_content,
    _signature_id,
)
from ibhxh_client.signing.xmldsig import (
    ENVELOPE_CONTAINER,
    PreparedXml,
    finish_xml,
    parse_xml,
    prepare_tree,
    prepare_xml,
    serialize,
)

FORMS = "forms"
ENVELOPE = "envelope"
ENVELOPE_DOC_ID = "BHXHDienTu.xml"
_FORMAT = "ibhxh-remote-steps"
_VERSION = 1


@dataclass(frozen=True)
class RemoteStep:
    """One confirmation to ask for: ``phase`` ("forms" or "envelope"), the digests to have
    signed as (doc_id, 32-byte SHA-256) in the dossier's order, and ``state``, the bytes
    ``advance`` needs to go on."""

    phase: str
    digests: list[tuple[str, bytes]]
    state: bytes


# --------------------------------------------------------------------------- state

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    return base64.b64decode(value, validate=True)


def _prepared_json(doc_id: str, prepared: PreparedXml, **extra: Any) -> dict[str, Any]:
    sha = {"sha256": _b64(prepared.sha256)} if prepared.sha256 else {}
    return {"doc_id": doc_id, "container": prepared.container, "xml": _b64(prepared.xml),
            "digest": _b64(prepared.digest), "signature_at": prepared.signature_at,
            **sha, **extra}


def _prepared_of(item: Mapping[str, Any]) -> PreparedXml:
    at = item["signature_at"]
    if at is not None and (not isinstance(at, int) or isinstance(at, bool) or at < 0):
        raise ValueError("signature_at")
    if not isinstance(item["container"], str):
        raise ValueError("container")
    digest = _unb64(item["digest"])
    sha = _unb64(item["sha256"]) if "sha256" in item else None
    if len(digest) != 32 or (sha is not None and len(sha) != 32):
        raise ValueError("digest")
    return PreparedXml(_unb64(item["xml"]), item["container"], digest, at, sha)


def _dump(phase: str, **fields: Any) -> bytes:
    body = {"format": _FORMAT, "version": _VERSION, "phase": phase, **fields}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _load(state: bytes) -> dict[str, Any]:
    try:
        body = json.loads(state.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise E.RemoteSigningError(E.REMOTE_STATE, problem="JSON") from None
    if not isinstance(body, dict) or body.get("format") != _FORMAT:
        raise E.RemoteSigningError(E.REMOTE_STATE, problem="format")
    if body.get("version") != _VERSION:
        raise E.RemoteSigningError(E.REMOTE_STATE, problem=f"version {body.get('version')}")
    if body.get("phase") not in (FORMS, ENVELOPE):
        raise E.RemoteSigningError(E.REMOTE_STATE, problem="phase")
    return body


# --------------------------------------------------------------------------- steps

def begin(envelope: bytes, certificate: x509.Certificate,
          chain: Sequence[x509.Certificate] = (), *, signing_time: dt.datetime,
          place_of: PlaceOf | None = None,
          envelope_place: str = ENVELOPE_CONTAINER) -> RemoteStep:
    """Prepare every XML form of ``envelope`` for ``certificate`` (the remote one, checked
    by the caller) and return the forms' step; a dossier without XML forms goes straight
    to the envelope's step.

    ``place_of`` and ``envelope_place`` as for ``sign_dossier``. ``chain`` is not written
    into the signatures (a token's signature carries the signer's certificate only); it is
    taken so that callers hand over what the service gave. Raises bad_envelope, bad_xml,
    no_container, already_signed (a duplicate file name is a bad_envelope: the service
    answers by file name).
    """
    del chain  # see the docstring
    if signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    tree = parse_xml(envelope)
    entries = _files(tree)
    if not entries:
        raise _bad("NoiDung/ThongTinHoSo/ToKhais/FileToKhai")
    forms: list[dict[str, Any]] = []
    digests: list[tuple[str, bytes]] = []
    seen: set[str] = {ENVELOPE_DOC_ID}
    for index, entry in enumerate(entries):
        if not _is_xml(entry):
            continue
        doc_id = _name(entry, index)
        if doc_id in seen:
            raise _bad(f"{doc_id}: TenFile")
        seen.add(doc_id)
        prepared = prepare_xml(_decode(entry, doc_id), certificate,
                               container=_container(entry, index, place_of),
                               signing_time=signing_time,
                               signature_id=_signature_id(entry, index))
        forms.append(_prepared_json(doc_id, prepared, index=index))
        digests.append((doc_id, prepared.digest))
    cert_der = _b64(certificate.public_bytes(Encoding.DER))
    common = {"signing_time": signing_time.isoformat(), "envelope_place": envelope_place}
    if not forms:
        return _envelope_step(tree, certificate, signing_time, envelope_place)
    state = _dump(FORMS, envelope=_b64(envelope), certificate=cert_der, forms=forms,
                  **common)
    return RemoteStep(FORMS, digests, state)


def _envelope_step(tree: Any, certificate: x509.Certificate, signing_time: dt.datetime,
                   envelope_place: str) -> RemoteStep:
    prepared = prepare_tree(tree, certificate, container=envelope_place,
                            signing_time=signing_time, signature_id=ENVELOPE_SIGNATURE_ID)
    data = serialize(tree)
    # Where its Signature starts: the forms inside are base64, so the envelope's own
    # Signature is the only one in these bytes (finish_xml checks that before using it).
    at = data.rfind(b"<Signature ")
    xml = PreparedXml(data, envelope_place, prepared.digest, at if at >= 0 else None,
                      hashlib.sha256(data).digest())
    state = _dump(ENVELOPE, envelope=_prepared_json(ENVELOPE_DOC_ID, xml),
                  certificate=_b64(certificate.public_bytes(Encoding.DER)))
    return RemoteStep(ENVELOPE, [(ENVELOPE_DOC_ID, prepared.digest)], state)


def _check_doc_ids(expected: Sequence[str], values: Mapping[str, bytes]) -> None:
    missing = [d for d in expected if d not in values]
    known = set(expected)
    extra = sorted(d for d in values if d not in known)
    if missing or extra:
        raise E.RemoteSigningError(E.REMOTE_DOC_IDS, missing=", ".join(missing) or "-",
                                   extra=", ".join(extra) or "-")


def _finish(doc_id: str, prepared: PreparedXml, value: bytes,
            certificate: x509.Certificate | None = None) -> bytes:
    try:
        return finish_xml(prepared, value, certificate)
    except E.RemoteSigningError as exc:
        raise E.RemoteSigningError(exc.code, key=exc.key, detail=doc_id,
                                   **exc.params) from None


def advance(state: bytes, values: Mapping[str, bytes]) -> RemoteStep | bytes:
    """Go on with the signature values the service returned, by doc_id (raw bytes, the
    base64 already decoded): after the forms, the envelope's step; after the envelope,
    the signed dossier.

    Every value is checked against the certificate and the digest sent before it is
    written; a doc_id missing or extra (remote_doc_ids), a value that does not verify
    (bad_signature_value, the doc_id in the detail) or a damaged state (remote_state)
    is refused and nothing is returned half-signed.
    """
    body = _load(state)
    try:
        if body["phase"] == ENVELOPE:
            prepared = _prepared_of(body["envelope"])
            own = body.get("certificate")  # absent in a state of an older version
            signer = x509.load_der_x509_certificate(_unb64(own)) if own else None
            _check_doc_ids([ENVELOPE_DOC_ID], values)
            return _finish(ENVELOPE_DOC_ID, prepared, values[ENVELOPE_DOC_ID], signer)
        forms = [(item["doc_id"], item["index"], _prepared_of(item))
                 for item in body["forms"]]
        envelope = _unb64(body["envelope"])
        certificate = x509.load_der_x509_certificate(_unb64(body["certificate"]))
        signing_time = dt.datetime.fromisoformat(body["signing_time"])
        envelope_place = body["envelope_place"]
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise E.RemoteSigningError(E.REMOTE_STATE, problem=type(exc).__name__) from None
    _check_doc_ids([doc_id for doc_id, _, _ in forms], values)
    signed = {index: _finish(doc_id, prepared, values[doc_id], certificate)
              for doc_id, index, prepared in forms}
    tree = parse_xml(envelope)
    entries = _files(tree)
    for index, data in signed.items():
        if index >= len(entries):
            raise E.RemoteSigningError(E.REMOTE_STATE, problem="index")
        _set_content(entries[index], data)
    return _envelope_step(tree, certificate, signing_time, envelope_place)
