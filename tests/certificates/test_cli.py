"""``flask certificates issue|render|verify|revoke``."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates import credential, documents, rendering
from app.certificates.models import Certificate, CertificateState
from app.extensions import db


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["certificates", *args])


def test_issue_refuses_an_unready_trainee_and_lists_why(app, world):
    result = _run(app, "issue", "trainee@x.test", "--programme", "leaders")
    assert result.exit_code == 1
    assert "Co-led sessions" in result.output
    assert db.session.scalar(select(Certificate.id)) is None


def test_issue_with_an_override_reason(app, world):
    result = _run(
        app,
        "issue",
        "trainee@x.test",
        "--programme",
        "leaders",
        "--override-reason",
        "Recognised prior training.",
    )
    assert result.exit_code == 0, result.output
    certificate = db.session.scalar(select(Certificate))
    assert f"issued {certificate.serial}" in result.output
    override = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.override"))
    assert override.actor_id == world.admin.id


def test_issue_render_verify_and_revoke(app, world, ready, tmp_path):
    assert _run(app, "issue", "TRAINEE@x.test", "--programme", "leaders").exit_code == 0
    certificate = db.session.scalar(select(Certificate))
    output = tmp_path / "out.pdf"
    rendered = _run(app, "render", certificate.serial, "-o", str(output))
    assert rendered.exit_code == 0, rendered.output
    assert "identical to the rendering issued" in rendered.output
    sealed = documents.pdf_of(certificate).content
    assert sealed.startswith(output.read_bytes())  # the seal is a revision appended to the rendering
    output.write_bytes(sealed)
    assert rendering.sha256_hex(output.read_bytes()) == certificate.pdf_sha256

    verified = _run(app, "verify", str(output))
    assert verified.exit_code == 0
    assert f"issued by us, unaltered: {certificate.serial}" in verified.output

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(output.read_bytes() + b"\n% appended")
    refused = _run(app, "verify", str(tampered))
    assert refused.exit_code == 1
    assert "NOT OURS OR ALTERED" in refused.output

    document = tmp_path / "credential.json"
    document.write_text(json.dumps(credential.signed_credential(certificate)))
    assert "signature good; certificate status: valid" in _run(app, "verify", str(document)).output

    revoked = _run(app, "revoke", certificate.serial, "--reason", "Issued to the wrong person.")
    assert revoked.exit_code == 0, revoked.output
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).state == CertificateState.REVOKED
    assert "certificate status: revoked" in _run(app, "verify", str(document)).output


def test_unknown_serials_and_people_are_reported(app, world):
    assert "no user" in _run(app, "issue", "nobody@x.test", "--programme", "leaders").output
    assert _run(app, "render", "BSX-2026-00001-X", "-o", "/dev/null").exit_code == 1
    assert _run(app, "revoke", "nonsense", "--reason", "Does not exist.").exit_code == 1
