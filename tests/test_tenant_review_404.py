"""Another association's review pages answer 404: not even their existence is revealed."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.vignettes import services
from tests.vignettes.helpers import SLUG, complete_answers


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.TRAINEE, Role.ADMIN])
def test_another_associations_member_gets_404_on_a_review_page(world, make_user, client, role):
    reflection = services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    make_user("outsider@other.test", world.other, role, name="Otto Outsider")
    client.login("outsider@other.test")
    for url in (f"/vignettes/review/{reflection.id}", f"/vignettes/reflections/{reflection.id}"):
        assert client.get(url).status_code == 404, url
