"""Schemathesis fuzzes every operation from the OpenAPI document against the app.

Each generated request is sent as the trainee, the supervisor and the admin; the
checks are: no 5xx, responses that match the documented schemas, and only documented
status codes. Random ids almost never name an object that exists, so each request is
sent a second time with its path pointing at real objects of a scene (a draft, a
submitted and a signed record, a reflection, a report, a certificate...). The example
count is small in the normal run (raise it with STILLPOINT_FUZZ_EXAMPLES). The run is not
derandomized: every run, CI's included, explores new inputs, and a failure prints the
``@reproduce_failure`` blob (and Hypothesis's seed) to replay it.
"""

from __future__ import annotations

import contextvars
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.api.matrix import Scene, build_scene
from tests.vignettes.helpers import SLUG

EXAMPLES = int(os.environ.get("STILLPOINT_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def _real_path(case, scene: Scene) -> dict | None:
    """The case's path parameters pointing at the scene's objects, or None without any."""
    ids = {
        "programme_id": scene.programme,
        "enrolment_id": scene.enrolment,
        "record_id": [scene.draft, scene.submitted, scene.signed][len(case.path) % 3],
        "report_id": scene.report,
        "reflection_id": scene.reflection,
        "attempt_id": scene.attempt,
        "certificate_id": scene.certificate,
        "accreditation_id": scene.accreditation,
        "user_id": scene.trainee2,
        "trainee_id": scene.trainee,
        "serial": scene.serial,
        "role": "trainee",
        "slug": scene.lesson if "/lessons/" in case.path else SLUG,
    }
    if not case.path_parameters:
        return None
    return {name: ids.get(name, value) for name, value in case.path_parameters.items()}


def _fuzz(operation, secrets: dict[str, str], scene: Scene) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=False,
        print_blob=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for role in ("trainee", "supervisor", "admin"):
            case.call_and_validate(headers={"Authorization": f"Bearer {secrets[role]}"}, checks=CHECKS)
        real = _real_path(case, scene)
        if real is not None:
            case.path_parameters = real
            for role in ("trainee", "supervisor", "admin"):
                case.call_and_validate(headers={"Authorization": f"Bearer {secrets[role]}"}, checks=CHECKS)

    run()


@pytest.mark.production_database  # the longest test of the suite: once, on PostgreSQL
def test_api_conforms_to_its_openapi_document(app, world, secrets):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    scene = build_scene(world)

    def isolated(environ, start_response):
        # A fresh context per request, as in production (see tests/helpers.FormClient).
        return contextvars.Context().run(lambda: list(app(environ, start_response)))

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        try:
            _fuzz(operation, secrets, scene)
        except Exception as error:  # noqa: BLE001 - collect every operation's failure, then fail once
            # Hypothesis attaches the reproduction (print_blob) as notes on the error.
            notes = "\n".join(getattr(error, "__notes__", []))
            failures.append(f"{operation.label}: {str(error)[:1500]}\n{notes}")
    assert not failures, "\n\n".join(failures)
