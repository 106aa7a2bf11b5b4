"""The trainee home's small numbers, fetched in one statement, equal each block's own query."""

from __future__ import annotations

from sqlalchemy import select

from app import summaries
from app.accounts.models import User
from app.demo.bench_seed import seed
from app.extensions import db
from app.home.views import trainee_numbers
from app.learning.models import ExtraAttempts
from app.programmes.models import Enrolment, Programme
from tests.perf.statements import counting_statements


def _trainees(slug: str) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.email.like(f"{slug}-t%@bench.test")).order_by(User.id))
    )


def test_prefetched_numbers_equal_each_query_run_alone(app):
    association = seed(12, 6)  # random logbook statuses, accepted reflections, final scores
    admin = db.session.scalar(select(User).where(User.email == f"{association.slug}-admin@bench.test"))
    trainees = _trainees(association.slug)
    db.session.add_all(
        ExtraAttempts(
            association_id=association.id,
            trainee_id=trainees[1].id,
            attempts=n,
            reason="x" * 5,
            granted_by_id=admin.id,
        )
        for n in (1, 3)
    )
    programme = db.session.get(
        Programme,
        db.session.scalar(select(Enrolment.programme_id).where(Enrolment.trainee_id == trainees[2].id)),
    )
    programme.module_pass_mark = 85
    db.session.commit()
    seen = set()
    for trainee in trainees:
        wanted = trainee_numbers(trainee, association.id)
        with app.test_request_context():
            alone = {numbers.name: summaries.read(numbers) for numbers in wanted}
        with app.test_request_context():
            with counting_statements(db.engine) as log:
                summaries.prefetch(wanted)
                together = {numbers.name: summaries.read(numbers) for numbers in wanted}
            assert log.count == 1
        assert _same(together) == _same(alone), trainee.email
        seen.update((name.split(":")[0], bool(answer)) for name, answer in alone.items())
    # The comparison met counts by status, granted attempts, pass marks and best scores.
    assert {"reflections_by_status", "logbook_by_status", "extra_final_attempts", "best_final_score"} <= {
        name for name, has_answer in seen if has_answer
    }


def _same(answers: dict) -> dict:
    """Keys as text and numbers as floats: the union's one type per column."""
    return {
        name: {str(key): None if number is None else float(number) for key, number in answer.items()}
        for name, answer in answers.items()
    }
