"""Signing benchmark: a 50,000-worker dossier signed by our code and by xmlsec1.

    python benchmarks/signing.py [--workers 50000] [--repeat 3]

Builds a synthetic D02-TS form (one row per worker, 15 short child elements each) and the
envelope around it, then, in the same run:

  (a) signs with our code through a file key (PKCS#12 signer),
  (b) signs with our code through SoftHSM2 (a private temporary token),
  (c) signs the same documents with ``xmlsec1 --sign`` from a template with a PEM key
      (the same three references, the same certificate in KeyInfo, the same SigningTime).

Each step reads its input from disk and writes its output to disk, xmlsec1 included (it
is a process per call). "first" is the first run in this process; "median" the median of
``--repeat`` runs. Goal: signing the dossier at most 1.5 × xmlsec1 and under 2 s.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import sign_dossier, verify_dossier
from ibhxh_client.signing.pkcs12 import Pkcs12Signer
from ibhxh_client.signing.token import open_signer
from ibhxh_client.signing.xmldsig import (
    ALG_RSA_SHA256,
    C14N_10,
    DS_NS,
    ENVELOPED,
    SHA256,
    sign_xml,
)

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "1234"
TAX = "0312345678"
FIELDS = ("STT", "HoTen", "MaSoBHXH", "ChucVu", "MucLuong", "PhuCapCV", "PhuCapTNVK",
          "PhuCapTNN", "PhuCapKhac", "TuThang", "DenThang", "PhuongAn", "GhiChu", "CoSo",
          "TinhLai")


def build_form(workers: int) -> bytes:
    """A D02-TS form with ``workers`` rows of 15 short child elements, <Cky/> last."""
    parts = ["<?xml version='1.0' encoding='UTF-8'?>\n<D02-TS><ThongTinChung>"
             "<MaDonVi>TZH490L</MaDonVi><TenDonVi>CÔNG TY TNHH ABC</TenDonVi>"
             "<KyKeKhai>01/2026</KyKeKhai></ThongTinChung><DanhSach>"]
    for i in range(workers):
        values = (str(i + 1), f"NGUYỄN VĂN AN {i}", str(7900000000 + i), "Nhân viên",
                  str(5310000 + i % 1000), "0", "0", "0", "0", "01/2026", "", "TM",
                  "Tăng mới", "0", "0")
        parts.append("<NguoiLaoDong>" + "".join(
            f"<{f}>{v}</{f}>" for f, v in zip(FIELDS, values, strict=True)) + "</NguoiLaoDong>")
    parts.append("</DanhSach><Cky/></D02-TS>")
    return "".join(parts).encode("utf-8")


def build_envelope(form: bytes) -> bytes:
    """The I-VAN envelope (DOMAIN.md §5) around one form."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<Hoso><NoiDung><ThongTinIVAN><MaIVAN>IVAN01"
        "</MaIVAN><TenIVAN>ibhxh-client</TenIVAN></ThongTinIVAN><ThongTinDonVi><TenDoiTuong>"
        f"CÔNG TY TNHH ABC</TenDoiTuong><MaSoBHXH>TZH490L</MaSoBHXH><MaSoThue>{TAX}</MaSoThue>"
        "<LoaiDoiTuong>1</LoaiDoiTuong><NguoiKy>Nguyễn Văn A</NguoiKy><DienThoai>0281234567"
        "</DienThoai><CoQuanQuanLy>07906</CoQuanQuanLy></ThongTinDonVi><ThongTinHoSo>"
        "<TenThuTuc>Đăng ký, điều chỉnh đóng BHXH</TenThuTuc><MaThuTuc>600</MaThuTuc>"
        "<KyKeKhai>01/2026</KyKeKhai><NgayLap>15/01/2026</NgayLap><SoLuongFile>1</SoLuongFile>"
        "<ToKhais><FileToKhai><MaToKhai>D02-TS</MaToKhai><MoTaToKhai>Danh sách lao động"
        "</MoTaToKhai><TenFile>D02-TS.xml</TenFile><LoaiFile>xml</LoaiFile>"
        f"<DoDaiFile>{len(form)}</DoDaiFile><NoiDungFile>").encode() + base64.b64encode(form) + (
        b"</NoiDungFile></FileToKhai></ToKhais></ThongTinHoSo></NoiDung><CKy_Dvi/></Hoso>")


def template(cert_b64: str, sig_id: str, stamp: str) -> bytes:
    """The xmlsec1 template: our signature's shape with empty digests and value."""
    ref = ('<Reference URI="{uri}"><Transforms>{tr}</Transforms><DigestMethod Algorithm="'
           f'{SHA256}"/><DigestValue/></Reference>')
    c14n = f'<Transform Algorithm="{C14N_10}"/>'
    return (
        f'<Signature xmlns="{DS_NS}" Id="{sig_id}"><SignedInfo><CanonicalizationMethod '
        f'Algorithm="{C14N_10}"/><SignatureMethod Algorithm="{ALG_RSA_SHA256}"/>'
        + ref.format(uri="", tr=f'<Transform Algorithm="{ENVELOPED}"/>' + c14n)
        + ref.format(uri=f"#{sig_id}-time", tr=c14n)
        + ref.format(uri=f"#{sig_id}-keyinfo", tr=c14n)
        + f'</SignedInfo><SignatureValue/><KeyInfo Id="{sig_id}-keyinfo"><X509Data>'
        f"<X509Certificate>{cert_b64}</X509Certificate></X509Data></KeyInfo><Object>"
        f'<SignatureProperties><SignatureProperty Id="{sig_id}-time" Target="#{sig_id}">'
        f"<SigningTime>{stamp}</SigningTime></SignatureProperty></SignatureProperties>"
        "</Object></Signature>").encode()


def softhsm_signer(root: Path, ca: DemoCA) -> Callable[[], object]:
    """A private SoftHSM2 token with an RSA-2048 key and a certificate from ``ca``."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, Mechanism, ObjectClass
    from pkcs11.util.rsa import encode_rsa_public_key

    tokens = root / "tokens"
    tokens.mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nlog.level = ERROR\n")
    module = root / "libsofthsm2.so"
    shutil.copy2(os.path.realpath(SOFTHSM), module)
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "BENCH",
                    "--so-pin", "12345678", "--pin", PIN], env=env, check=True,
                   capture_output=True)
    os.environ["SOFTHSM2_CONF"] = str(conf)
    token = pkcs11.lib(str(module)).get_token(token_label="BENCH")
    with token.open(rw=True, user_pin=PIN) as session:
        public, _ = session.generate_keypair(
            KeyType.RSA, 2048, id=b"\x01", store=True, mechanism=Mechanism.RSA_PKCS_KEY_PAIR_GEN,
            private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        cert = ca.issue(serialization.load_der_public_key(encode_rsa_public_key(public)),
                        company_name="Công ty TNHH ABC", tax_code=TAX)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE:
            CertificateType.X_509, Attribute.TOKEN: True, Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
    return lambda: open_signer(str(module), pin=PIN, tax_code=TAX)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first run, median of ``repeat`` runs) in seconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return runs[0], statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    xmlsec1 = shutil.which("xmlsec1")
    if xmlsec1 is None:
        print("xmlsec1 is not installed (run .ci/setup)", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="ibhxh-bench-"))
    try:
        t0 = time.perf_counter()
        form = build_form(args.workers)
        envelope = build_envelope(form)
        (work / "form.xml").write_bytes(form)
        (work / "envelope.xml").write_bytes(envelope)
        build_s = time.perf_counter() - t0
        print(f"{args.workers:,} workers: form {len(form) / 1e6:.1f} MB, envelope "
              f"{len(envelope) / 1e6:.1f} MB (built in {build_s:.2f} s)")

        ca = DemoCA.create("BENCH CA")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = ca.issue(key.public_key(), company_name="Công ty TNHH ABC", tax_code=TAX)
        file_signer = Pkcs12Signer(key, cert, (ca.certificate,))
        (work / "key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        when = dt.datetime.now(dt.UTC).replace(microsecond=0)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        cert_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()

        def ours_form(signer: object, out: str) -> Callable[[], None]:
            def run() -> None:
                data = (work / "form.xml").read_bytes()
                (work / out).write_bytes(sign_xml(data, signer, container="Cky",  # type: ignore[arg-type]
                                                  signing_time=when, signature_id="sig-D02-TS"))
            return run

        def ours_dossier(signer: object, out: str) -> Callable[[], None]:
            def run() -> None:
                data = (work / "envelope.xml").read_bytes()
                (work / out).write_bytes(sign_dossier(data, signer,  # type: ignore[arg-type]
                                                      signing_time=when))
            return run

        # xmlsec1 templates: the form, then the envelope around xmlsec1's signed form.
        (work / "form.tmpl.xml").write_bytes(
            form.replace(b"<Cky/>", b"<Cky>" + template(cert_b64, "sig-D02-TS", stamp)
                         + b"</Cky>"))

        def xmlsec1_sign(src: str, out: str) -> Callable[[], None]:
            cmd = [xmlsec1, "--sign", "--privkey-pem", str(work / "key.pem"),
                   "--output", str(work / out), str(work / src)]
            return lambda: subprocess.run(cmd, check=True, capture_output=True)

        xmlsec1_sign("form.tmpl.xml", "form.xmlsec1.xml")()
        signed_form = (work / "form.xmlsec1.xml").read_bytes()
        (work / "envelope.tmpl.xml").write_bytes(
            build_envelope(signed_form).replace(
                b"<CKy_Dvi/>", b"<CKy_Dvi>" + template(cert_b64, "sig-Hoso", stamp)
                + b"</CKy_Dvi>"))

        rows: list[tuple[str, float, float]] = []

        def measure(name: str, fn: Callable[[], object]) -> tuple[float, float]:
            first, median = timed(fn, args.repeat)
            rows.append((name, first, median))
            return first, median

        x_form = measure("xmlsec1 --sign form (PEM key)", xmlsec1_sign("form.tmpl.xml",
                                                                        "f.x.xml"))
        x_env = measure("xmlsec1 --sign envelope (PEM key)",
                        xmlsec1_sign("envelope.tmpl.xml", "e.x.xml"))
        x_dossier = (x_form[0] + x_env[0], x_form[1] + x_env[1])
        rows.append(("xmlsec1 dossier = form + envelope", *x_dossier))

        o_form = measure("ours: sign form (file key)", ours_form(file_signer, "f.o.xml"))
        o_dossier = measure("ours: sign dossier (file key)",
                            ours_dossier(file_signer, "e.o.xml"))
        hsm_root = work / "softhsm"
        hsm_root.mkdir()
        open_token = softhsm_signer(hsm_root, ca)
        login = measure("ours: SoftHSM2 open_signer (login)", lambda: open_token().close())
        token = open_token()
        try:
            h_form = measure("ours: sign form (SoftHSM2)", ours_form(token, "f.h.xml"))
            h_dossier = measure("ours: sign dossier (SoftHSM2)", ours_dossier(token, "e.h.xml"))
        finally:
            token.close()
        signed = (work / "e.h.xml").read_bytes()
        measure("ours: verify dossier (both levels)",
                         lambda: verify_dossier(signed, trusted_cas=[ca.certificate]))
        (work / "ca.pem").write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
        (work / "f.h.xml").write_bytes(sign_xml(form, file_signer, container="Cky",
                                                signing_time=when, signature_id="s"))

        def xmlsec1_verify(name: str) -> Callable[[], object]:
            cmd = [xmlsec1, "--verify", "--trusted-pem", str(work / "ca.pem"), str(work / name)]
            return lambda: subprocess.run(cmd, check=True, capture_output=True)

        xv_env = measure("xmlsec1 --verify envelope", xmlsec1_verify("e.h.xml"))
        xv_form = measure("xmlsec1 --verify form", xmlsec1_verify("f.h.xml"))
        x_verify = (xv_env[0] + xv_form[0], xv_env[1] + xv_form[1])
        rows.append(("xmlsec1 verify = envelope + form", *x_verify))
        assert verify_dossier(signed, trusted_cas=[ca.certificate]).valid

        reference = {
            "ours: sign form (file key)": x_form, "ours: sign form (SoftHSM2)": x_form,
            "ours: sign dossier (file key)": x_dossier,
            "ours: sign dossier (SoftHSM2)": x_dossier,
            "ours: verify dossier (both levels)": x_verify,
        }
        print()
        print(f"{'step':44} {'first s':>8} {'median s':>9} {'× xmlsec1':>10}")
        for name, first, median in rows:
            ref = reference.get(name)
            ratio = f"{median / ref[1]:.2f}" if ref else ""
            print(f"{name:44} {first:8.3f} {median:9.3f} {ratio:>10}")
        print()
        ok = True
        for label, ours in (("file key", o_dossier), ("SoftHSM2", h_dossier)):
            ratio_first = ours[0] / x_dossier[0]
            ratio = ours[1] / x_dossier[1]
            good = ratio <= 1.5 and ours[1] < 2.0 and ours[0] < 2.0
            ok &= good
            print(f"dossier via {label}: {ours[1]:.2f} s median ({ours[0]:.2f} s first), "
                  f"{ratio:.2f} × xmlsec1 (first run {ratio_first:.2f} ×) — goal ≤ 1.5 × "
                  f"and < 2 s: {'met' if good else 'NOT met'}")
        print(f"form only: {o_form[1] / x_form[1]:.2f} × (file key), "
              f"{h_form[1] / x_form[1]:.2f} × (SoftHSM2); login {login[1] * 1000:.0f} ms")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
