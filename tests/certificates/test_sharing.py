"""One step to a profile or a wallet: the LinkedIn link's parameters, the credential a wallet
imports, and that what we issue passes the Open Badges 3.0 schema shipped with the tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema

from app.certificates import documents, issuing, sharing
from app.certificates.models import Certificate
from app.extensions import db

SCHEMA = Path(__file__).parent.parent / "fixtures" / "ob_v3p0_achievementcredential_schema.json"


def _linkedin_params(certificate: Certificate) -> dict[str, str]:
    url = sharing.linkedin_url(certificate)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    params = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in params.values()), url  # no value was split by a stray &
    return {key: values[0] for key, values in params.items()}


def _unsaved(world, **values) -> Certificate:
    """The fields the link reads; never flushed (issued certificates are final in the database)."""
    fields = {
        "association_id": world.association.id,
        "serial": "BSX-2026-00042-7QK2M9XD-P",
        "programme_title": "Leader training",
        "association_name": world.association.name,
        "issued_on": dt.date(2026, 3, 5),
        "expires_on": None,
    }
    return Certificate(**{**fields, **values})


def test_the_linkedin_link_carries_the_certification_encoded(app, world):
    certificate = _unsaved(
        world,
        programme_title="Balint & Leitung: Gruppen für Ärztinnen",
        association_name="Société Balint & Co",
        expires_on=dt.date(2029, 11, 30),
    )
    params = _linkedin_params(certificate)
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Balint & Leitung: Gruppen für Ärztinnen",
        "organizationName": "Société Balint & Co",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2029",
        "expirationMonth": "11",
        "certUrl": app.config["BASE_URL"].rstrip("/") + "/verify/BSX-2026-00042-7QK2M9XD-P",
        "certId": "BSX-2026-00042-7QK2M9XD-P",
    }
    assert " " not in sharing.linkedin_url(certificate) and "ü" not in sharing.linkedin_url(certificate)


def test_without_expiry_the_link_names_none_and_a_configured_page_replaces_the_name(world):
    params = _linkedin_params(_unsaved(world))
    assert "expirationYear" not in params and "expirationMonth" not in params
    assert params["organizationName"] == world.association.name
    world.association.linkedin_organization_id = "1234567"
    params = _linkedin_params(_unsaved(world))
    assert params["organizationId"] == "1234567" and "organizationName" not in params


def test_the_holder_adds_it_to_linkedin_and_a_wallet_imports_the_stored_credential(client, certificate):
    client.login("trainee@x.test")
    page = client.get("/certificates/mine").get_data(as_text=True)
    linkedin = sharing.linkedin_url(certificate).replace("&", "&amp;")
    assert f'href="{linkedin}" target="_blank" rel="noopener"' in page
    wallet = sharing.wallet_url(certificate)
    assert f'href="{wallet}"' in page and 'src="data:image/svg+xml' in page
    client.logout()
    response = client.get(urlsplit(wallet).path)  # public: a wallet has no session
    assert response.status_code == 200
    assert response.mimetype == "application/vc+ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.data == documents.credential_of(certificate).content


def test_issued_credentials_pass_the_open_badges_schema(world, ready):
    """Run on whatever the issuing code signs today, with and without an expiry date."""
    validator = jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text("utf-8")))
    world.programme.validity_months = 36
    db.session.commit()
    expiring = issuing.issue(world.admin, ready.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    credential = json.loads(documents.credential_of(expiring).content)
    assert "validUntil" in credential
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(credential)
    ]
    assert errors == []
    del credential["credentialSubject"]["achievement"]["criteria"]  # the schema does check
    assert not validator.is_valid(credential)
