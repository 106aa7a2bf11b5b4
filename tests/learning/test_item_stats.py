"""Item statistics computed from a designed set of real attempts, taken through the services.

Six attempts at the lesson 'mentalization' (three by each trainee) answer each question
right (1) or wrong (0) as the table below says. The expected facility and discrimination
are worked out here from the same table, independently of the SQL that computes them.
"""

from __future__ import annotations

import statistics

import pytest

from app.accounts.models import Role
from app.content.curriculum import clear_cache, get_curriculum
from app.errors import Forbidden
from app.extensions import db
from app.learning import item_stats, quizzes
from app.learning.models import QuizKind
from tests.learning.helpers import answer, count_queries

LESSON = "mentalization"
#            q1 q2 q3 q4 q5 q6 q7 q8   (questions in file order)
DESIGN = [
    (1, 1, 1, 1, 1, 1, 1, 0),  # strong
    (1, 1, 1, 1, 1, 0, 1, 0),
    (1, 1, 0, 1, 0, 1, 0, 0),
    (1, 0, 1, 0, 0, 0, 1, 0),
    (1, 0, 0, 0, 1, 0, 0, 0),
    (1, 0, 0, 0, 0, 0, 0, 1),  # weak, yet the only one right on q8
]


def take_designed_attempts(world, design=DESIGN) -> None:
    questions = get_curriculum().lesson(LESSON).questions
    assert len(questions) == len(design[0])
    for number, row in enumerate(design):
        trainee = world.trainee if number < 3 else world.trainee2
        attempt = quizzes.start_attempt(trainee, world.association.id, QuizKind.LESSON, LESSON)
        given = {q.id: answer(q, is_right=bool(right)) for q, right in zip(questions, row, strict=True)}
        quizzes.submit_attempt(trainee, world.association.id, attempt.id, given)
        db.session.commit()


def expected(column: int) -> tuple[float, float | None]:
    """Facility and item-rest correlation of one question, from the design table."""
    x = [row[column] for row in DESIGN]
    rest = [(sum(row) - row[column]) / (len(row) - 1) for row in DESIGN]
    try:
        r = statistics.correlation(x, rest)
    except statistics.StatisticsError:  # the item never varies
        r = None
    return sum(x) / len(x), r


@pytest.fixture
def report(app, world):
    app.config["ITEM_STATS_MIN_ANSWERS"] = 6
    take_designed_attempts(world)
    return item_stats.item_statistics(world.admin, world.association.id)


def by_id(report) -> dict:
    return {item.question.id: item for item in report.items}


def test_facility_and_discrimination_match_the_designed_attempts(report):
    items = by_id(report)
    for column, question in enumerate(get_curriculum().lesson(LESSON).questions):
        item = items[question.id]
        facility, discrimination = expected(column)
        assert item.answered == 6
        assert item.facility == pytest.approx(facility)
        if discrimination is None:
            assert item.discrimination is None
        else:
            assert item.discrimination == pytest.approx(discrimination)


def test_flags_name_the_easy_the_hard_and_the_reversed_items(report):
    questions = get_curriculum().lesson(LESSON).questions
    items = by_id(report)
    first, second, last = items[questions[0].id], items[questions[1].id], items[questions[-1].id]
    assert first.facility == 1.0 and first.flags == ("too_easy",)  # everyone right: no spread either
    assert second.discrimination > 0.5 and second.flags == ()  # the strong get it, the weak do not
    assert last.is_too_hard and last.is_negative and last.flags == ("too_hard", "negative")
    assert report.flagged_count == sum(bool(item.flags) for item in report.items) >= 2


def test_figures_wait_for_enough_answers(app, world):
    app.config["ITEM_STATS_MIN_ANSWERS"] = 7
    take_designed_attempts(world)
    report = item_stats.item_statistics(world.admin, world.association.id)
    item = by_id(report)[get_curriculum().lesson(LESSON).questions[0].id]
    assert item.answered == 6
    assert (item.facility, item.discrimination, item.flags) == (None, None, ())
    assert report.shown_count == 0


def test_open_attempts_and_other_associations_do_not_count(app, world, make_user):
    app.config["ITEM_STATS_MIN_ANSWERS"] = 1
    take_designed_attempts(world, DESIGN[:2])
    outsider = make_user("trainee@other.test", world.other, Role.TRAINEE)
    attempt = quizzes.start_attempt(outsider, world.other.id, QuizKind.LESSON, LESSON)
    questions = get_curriculum().lesson(LESSON).questions
    quizzes.submit_attempt(
        outsider, world.other.id, attempt.id, {q.id: answer(q, is_right=False) for q in questions}
    )
    quizzes.start_attempt(world.trainee2, world.association.id, QuizKind.LESSON, LESSON)  # left open
    db.session.commit()
    item = by_id(item_stats.item_statistics(world.admin, world.association.id))[questions[0].id]
    assert item.answered == 2 and item.facility == 1.0


def test_answers_to_an_earlier_version_are_counted_apart(app, world, editable_curriculum):
    app.config["ITEM_STATS_MIN_ANSWERS"] = 1
    take_designed_attempts(world)
    path = editable_curriculum / "questions/04-mentalization.yaml"
    path.write_text(path.read_text().replace("Which is the best definition", "Which is the best account"))
    clear_cache()
    item = by_id(item_stats.item_statistics(world.admin, world.association.id))["mz-definition"]
    assert (item.answered, item.earlier_versions, item.facility) == (0, 6, None)


def test_one_grouped_query_whatever_the_number_of_attempts(report, world):
    with count_queries() as statements:
        item_stats.item_statistics(world.admin, world.association.id)
    assert sum("json_each" in statement for statement in statements) == 1
    assert len(statements) <= 3  # the admin's roles, and the grouped query


def test_only_admins_see_item_statistics(app, world):
    for person in (world.trainee, world.supervisor, world.other_admin):
        with pytest.raises(Forbidden):
            item_stats.item_statistics(person, world.association.id)


def test_the_admin_page_shows_the_figures_and_flags(report, client):
    client.login("admin@x.test")
    page = client.get("/learning/item-statistics").get_data(as_text=True)
    first = get_curriculum().lesson(LESSON).questions[0].id
    row = page[page.index(f'id="item-{first}"') :]
    row = row[: row.index("</tr>")]
    assert "1.00" in row and "too easy" in row
    assert "not enough answers" in page  # questions of other lessons have no answers yet
    dashboard = client.get("/learning/progress").get_data(as_text=True)
    assert 'href="/learning/item-statistics"' in dashboard
