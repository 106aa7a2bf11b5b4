"""The six lessons issue 17 adds for leaders, and the bank rules their questions follow."""

from __future__ import annotations

from app.content.curriculum import load_curriculum
from tests.content.conftest import REAL_CURRICULUM

LEADER_LESSONS = (
    "transference-for-leaders",
    "the-group-as-a-group",
    "beginnings-and-endings",
    "co-leading",
    "online-groups",
    "delivering-the-briefing",
)


def leader_lessons():
    curriculum, problems = load_curriculum(REAL_CURRICULUM)
    assert problems == []
    return curriculum, [curriculum.lesson(slug) for slug in LEADER_LESSONS]


def test_the_leader_lessons_follow_the_first_nine_in_the_module():
    curriculum, lessons = leader_lessons()
    assert [lesson.position for lesson in lessons] == list(range(10, 16))
    assert len(curriculum.lessons) == 15
    for lesson in lessons:
        assert lesson.body.rstrip().splitlines()[-1].startswith("- "), lesson.slug  # ends on key points
        assert "## Key points" in lesson.body
        assert len(lesson.objectives) >= 4


def test_each_leader_lesson_has_every_kind_of_question_all_tagged():
    _, lessons = leader_lessons()
    for lesson in lessons:
        assert {q.kind for q in lesson.questions} == {"single", "multiple", "classify"}, lesson.slug
        for question in lesson.questions:
            assert question.topic and question.difficulty in {"easy", "medium", "hard"}, question.id


def test_leader_questions_have_enough_distractors_and_no_length_give_away():
    _, lessons = leader_lessons()
    chosen = [q for lesson in lessons for q in lesson.questions if q.kind != "classify"]
    longest_is_right = 0
    for question in chosen:
        wrong = [o for o in question.options if not o.is_correct]
        right = [o for o in question.options if o.is_correct]
        assert len(wrong) >= (3 if question.kind == "single" else 2), question.id
        if max(len(o.text) for o in right) > max(len(o.text) for o in wrong):
            longest_is_right += 1
    assert longest_is_right <= 0.25 * len(chosen)


def test_the_transference_lesson_is_for_leaders_not_for_members_to_analyse_each_other():
    curriculum, _ = leader_lessons()
    body = curriculum.lesson("transference-for-leaders").body
    assert "countertransference" in body and "parallel process" in body.lower()
    assert "push-back interrupts the parallel process" in body
    assert "members are not asked to analyse each other" in body
