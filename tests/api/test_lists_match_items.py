"""A list shows a person only what the single-item endpoint would show them.

The outside test found `/confirmations/pending` handing a co-leader the trainee's whole
record (reflection included) that `GET /records/{id}` refuses them. Here every list
operation is paired with its item operation, and every item any person is listed is
fetched again, as that person, one by one."""

from __future__ import annotations

import pytest

from app.api.core import OPERATIONS
from tests.api.matrix import build_scene

ROLES = ("trainee", "trainee2", "supervisor", "supervisor2", "admin", "other_admin")

#: list rule -> (item path template, field of a listed item that names it)
ITEM_OF = {
    "/programmes": ("/programmes/{}", "id"),
    "/enrolments": ("/enrolments/{}", "id"),
    "/enrolments/<int:enrolment_id>/reports": ("/reports/{}", "id"),
    "/enrolments/<int:enrolment_id>/records": ("/records/{}", "id"),
    "/confirmations/pending": ("/confirmations/{}", "record_id"),
    "/sign-off-queue": ("/records/{}", "id"),
    "/members": ("/members/{}", "id"),
    "/lessons": ("/lessons/{}", "slug"),
    "/vignettes": ("/vignettes/{}", "slug"),
    "/reviews/pending": ("/reflections/{}", "id"),
    "/certificates": ("/certificates/{}", "id"),
    "/groups": ("/groups/{}", "id"),
    "/groups/<int:group_id>/sessions": ("/group-sessions/{}", "id"),
    "/applications": ("/applications/{}", "id"),
    "/co-leader-feedback": ("/co-leader-feedback/{}", "id"),
    "/observation-reports": ("/observation-reports/{}", "id"),
}

#: Lists with no item endpoint of their own, and why that is safe.
NO_ITEM_ENDPOINT = {
    "/programmes/<int:programme_id>/rule-sets": "versions of a programme the caller may already read",
    "/audit-events": "admins only, and the trail has no per-event page",
    "/enrolments/<int:enrolment_id>/decisions": "read with the enrolment's own permission",
    "/accreditations": "admins' and supervisors' register, no per-entry page",
    "/invitations": "admins only",
    "/participant-rule-sets": "names and titles of presets, the same for everyone",
    "/group-sessions/<int:session_id>/attendance-answers": "read with the session's own permission",
}


def _list_rules() -> set[str]:
    return {
        op.rule
        for op in OPERATIONS
        if op.method == "GET" and op.response is not None and "items" in op.response.model_fields
    }


def test_every_list_operation_is_paired_with_its_item_operation_or_says_why_not(app):
    assert _list_rules() == set(ITEM_OF) | set(NO_ITEM_ENDPOINT)


@pytest.mark.parametrize("role", ROLES)
def test_every_listed_item_is_one_the_person_may_open(api, world, role):
    scene = build_scene(world, with_certificate=True)
    wrong, seen = [], 0
    for rule, (template, key) in ITEM_OF.items():
        path = rule.replace("<int:enrolment_id>", str(scene.enrolment)).replace(
            "<int:group_id>", str(scene.group)
        )
        listed = api.get(path, as_=role)
        if listed.status_code != 200:
            continue  # refused as a whole: nothing is shown
        for item in listed.get_json()["items"]:
            seen += 1
            answer = api.get(template.format(item[key]), as_=role)
            if answer.status_code != 200:
                wrong.append(f"{path} lists {item[key]} to {role}, but its item answers {answer.status_code}")
    assert seen, f"{role} was listed nothing at all: the test would prove nothing"
    assert not wrong, "\n".join(wrong)
