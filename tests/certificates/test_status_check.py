"""Verification fails closed: when the status lists cannot speak for a certificate, every
verifier of ours says "could not check", never "valid"."""

from __future__ import annotations

import copy

import pytest

from app.certificates import corrections, credential, status_list, suspension
from app.certificates.verification import status_url
from app.extensions import db


def _signed(certificate, change) -> dict:
    """A credential as we would have signed it, with ``change`` made before signing: the
    signature is genuine, so only its status entries decide."""
    document = copy.deepcopy(credential.unsigned_credential(certificate))
    change(document)
    association = certificate.association
    return credential.sign(
        document, credential.signing_key(association), credential.key_url(association), "2026-03-05T00:00:00Z"
    )


def test_a_certificate_missing_from_the_lists_could_not_be_checked(client, certificate):
    document = client.get(f"/credentials/{certificate.serial}.json").get_json()
    db.session.delete(status_list.entry_of(certificate))  # its place in the lists is lost
    db.session.commit()

    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Could not check" in html and ">Valid<" not in html
    assert client.get(f"/verify/{certificate.serial}.json").get_json()["status"] == "could_not_check"
    assert client.get(f"/api/v1/verify/{certificate.serial}").get_json()["status"] == "could_not_check"
    answer = client.post("/credentials/verify", json=document).get_json()
    assert (answer["verified"], answer["status"]) == (True, "could_not_check")
    assert "could not be checked" in answer["problem"]


def _elsewhere(document: dict) -> None:
    for entry in document["credentialStatus"]:
        entry["statusListCredential"] = "https://status.elsewhere.example/lists/1"


def _another_index(document: dict) -> None:
    for entry in document["credentialStatus"]:
        entry["statusListIndex"] = str(int(entry["statusListIndex"]) + 1)


def _no_suspension_list(document: dict) -> None:
    document["credentialStatus"] = document["credentialStatus"][:1]


def _another_purpose(document: dict) -> None:
    document["credentialStatus"][1]["statusPurpose"] = "refresh"


@pytest.mark.parametrize("change", [_elsewhere, _another_index, _no_suspension_list, _another_purpose])
def test_a_credential_whose_status_cannot_be_read_could_not_be_checked(certificate, change):
    check = credential.verify_credential(_signed(certificate, change))
    assert (check.is_authentic, check.status) == (True, "could_not_check")
    assert check.problem


def test_a_revoked_certificate_stays_revoked_whatever_its_entries(world, certificate):
    """Could-not-check never hides what is known for good."""
    corrections.revoke(world.admin, certificate.id, reason="Issued in error.")
    db.session.commit()
    assert credential.verify_credential(_signed(certificate, _elsewhere)).status == "revoked"


def test_a_credential_signed_before_the_lists_reads_its_live_status_document(world, certificate):
    def legacy(document: dict) -> None:
        document["credentialStatus"] = {"id": status_url(certificate.serial), "type": "1EdTechRevocationList"}

    old = _signed(certificate, legacy)
    assert credential.verify_credential(old).status == "valid"
    suspension.suspend(world.admin, certificate.id, reason="A complaint is being looked into.")
    db.session.commit()
    assert credential.verify_credential(old).status == "suspended"

    def foreign(document: dict) -> None:
        document["credentialStatus"] = {
            "id": "https://elsewhere.example/s.json",
            "type": "1EdTechRevocationList",
        }

    assert credential.verify_credential(_signed(certificate, foreign)).status == "could_not_check"
