"""The published status lists (W3C Bitstring Status List): encoding, indexes, bits, HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from pathlib import Path

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, select

from app.accounts.models import Role
from app.certificates import corrections, credential, issuing, status_list, suspension
from app.certificates.models import CertificateStatusEntry
from app.extensions import db
from app.programmes import services as programmes


def _unrendered_certificates(world, make_user, count: int) -> list:
    """Certificates of ``count`` new trainees, inserted as issuing inserts them (no PDF:
    the lists need only the rows)."""
    made = []
    for number in range(count):
        trainee = make_user(f"list{number}@x.test", world.association, Role.TRAINEE, name=f"List {number}")
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2025, 1, 15),
        )
        made.append(
            issuing.new_certificate(
                world.admin,
                world.association,
                enrolment,
                today=dt.date(2026, 3, 5),
                holder_name=trainee.name,
                achievement="",
                expires_on=None,
            )
        )
    db.session.commit()
    return made


def _set_bits(client, purpose: str) -> set[int]:
    document = client.get(f"/issuers/bsx/status/{purpose}").get_json()
    bits = status_list.decode(document["credentialSubject"]["encodedList"])
    return {index for index in range(len(bits) * 8) if status_list.is_set(bits, index)}


def test_the_encoded_list_round_trips_and_has_the_minimum_size():
    bits = status_list.bitstring(status_list.MIN_BITS, [0, 9, 131_071])
    assert len(bits) == 16 * 1024
    encoded = status_list.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert status_list.decode(encoded) == bits
    assert bits[0] == 0b1000_0000  # index 0 is the first byte's most significant bit
    assert [i for i in (0, 1, 8, 9, 10, 131_070, 131_071) if status_list.is_set(bits, i)] == [0, 9, 131_071]
    for broken in ("", "zAAAA", "u!!!!", "u" + "A" * 40, 42):
        with pytest.raises(ValueError, match="encodedList"):
            status_list.decode(broken)


def test_indexes_are_unique_and_not_in_issue_order(world, make_user):
    certificates = _unrendered_certificates(world, make_user, 6)
    indexes = [status_list.entry_of(certificate).list_index for certificate in certificates]
    assert len(set(indexes)) == len(indexes)
    assert all(0 <= index < status_list.MIN_BITS for index in indexes)
    steps = [later - earlier for earlier, later in zip(indexes, indexes[1:], strict=False)]
    assert steps != [1] * len(steps)  # drawn at random, not counted up
    assert len(set(db.session.scalars(select(CertificateStatusEntry.association_id)))) == 1


def test_the_published_list_is_a_signed_bitstring_status_list(client, world, certificate):
    response = client.get("/issuers/bsx/status/revocation")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == "http://localhost/issuers/bsx/status/revocation"
    subject = document["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    assert len(status_list.decode(subject["encodedList"])) * 8 == status_list.MIN_BITS
    # Verified with the published key, as an outsider would.
    proof = dict(document.pop("proof"))
    signature = credential.from_base58btc(proof.pop("proofValue")[1:])
    assert proof["verificationMethod"] == "http://localhost/issuers/bsx/key.json"
    credential.public_key(certificate.association).verify(
        signature, credential._signed_message(document, proof)
    )
    # An unchanged list is the same document: a verifier polling with its ETag gets 304.
    etag = response.headers["ETag"]
    assert etag == f'"{hashlib.sha256(response.get_data()).hexdigest()}"'
    assert client.get("/issuers/bsx/status/revocation", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/issuers/bsx/status/suspension").get_json()["credentialSubject"]["statusPurpose"] == (
        "suspension"
    )


def test_no_list_for_unknown_issuers_purposes_or_before_anything_was_signed(client, world):
    assert client.get("/issuers/bsx/status/revocation").status_code == 404  # no key yet
    assert client.get("/issuers/nobody/status/revocation").status_code == 404
    assert client.get("/issuers/bsx/status/refresh").status_code == 404


def test_each_change_sets_or_clears_exactly_that_bit_in_exactly_that_list(
    client, world, make_user, certificate
):
    other = _unrendered_certificates(world, make_user, 1)[0]
    mine, theirs = (status_list.entry_of(c).list_index for c in (certificate, other))
    assert _set_bits(client, "revocation") == _set_bits(client, "suspension") == set()
    before = client.get("/issuers/bsx/status/suspension").headers["ETag"]

    suspension.suspend(world.admin, certificate.id, reason="A complaint is being looked into.")
    db.session.commit()
    assert (_set_bits(client, "revocation"), _set_bits(client, "suspension")) == (set(), {mine})
    assert client.get("/issuers/bsx/status/suspension").headers["ETag"] != before

    corrections.revoke(world.admin, other.id, reason="Issued to the wrong trainee.")
    db.session.commit()
    assert (_set_bits(client, "revocation"), _set_bits(client, "suspension")) == ({theirs}, {mine})

    suspension.lift(world.admin, certificate.id, note="The complaint was withdrawn.")
    db.session.commit()
    assert (_set_bits(client, "revocation"), _set_bits(client, "suspension")) == ({theirs}, set())


def test_the_migration_gives_every_earlier_certificate_a_distinct_random_index(world, make_user):
    certificates = _unrendered_certificates(world, make_user, 4)
    db.session.execute(delete(CertificateStatusEntry))  # as before migration 0020
    db.session.commit()
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0020_certificate_status.py"
    spec = importlib.util.spec_from_file_location("migration_0020", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration._assign_indexes()
    indexes = [status_list.entry_of(certificate).list_index for certificate in certificates]
    assert len(set(indexes)) == 4 and all(0 <= index < status_list.MIN_BITS for index in indexes)
