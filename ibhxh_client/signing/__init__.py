"""Signing: tokens over PKCS#11, PKCS#12 files, certificate checks, enveloped XML-DSig.

The library never asks for a PIN and never stores or logs one: the caller passes it in
(the CLI prompts, the GUI asks through a signal). See ``token`` for the PIN flow.
No Qt here.
"""

from ibhxh_client.signing.certs import CertInfo, CertWarning, check_for_signing, describe
from ibhxh_client.signing.dossier import (
    DossierVerification,
    FormVerification,
    sign_dossier,
    strip_dossier_signatures,
    verify_dossier,
)
from ibhxh_client.signing.errors import SigningError
from ibhxh_client.signing.pin import PinStatus, pin_message, pin_state
from ibhxh_client.signing.pkcs12 import Pkcs12Signer, make_demo_pkcs12
from ibhxh_client.signing.signer import Signer
from ibhxh_client.signing.token import (
    Preflight,
    TokenInfo,
    TokenSigner,
    find_modules,
    list_tokens,
    load_module,
    open_signer,
    preflight,
)
from ibhxh_client.signing.xmldsig import (
    ENVELOPE_CONTAINER,
    FORM_CONTAINER,
    Verification,
    sign_xml,
    strip_signatures,
    verify_xml,
)

__all__ = [
    "ENVELOPE_CONTAINER",
    "FORM_CONTAINER",
    "CertInfo",
    "CertWarning",
    "DossierVerification",
    "FormVerification",
    "PinStatus",
    "Pkcs12Signer",
    "Preflight",
    "Signer",
    "SigningError",
    "TokenInfo",
    "TokenSigner",
    "Verification",
    "check_for_signing",
    "describe",
    "find_modules",
    "list_tokens",
    "load_module",
    "make_demo_pkcs12",
    "open_signer",
    "pin_message",
    "pin_state",
    "preflight",
    "sign_dossier",
    "sign_xml",
    "strip_dossier_signatures",
    "strip_signatures",
    "verify_dossier",
    "verify_xml",
]
