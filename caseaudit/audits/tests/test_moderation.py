"""Moderation: a reproducible sample of submitted audits, moderated grades beside the auditor's
with reasons wherever they differ, and the agreement rate counted in the database."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseaudit.audits.actions.moderation import (
    agreement_rates,
    auditor_domain_grades,
    graded_domains,
    how_many,
    reason_field,
    record_moderation,
    select_for_moderation,
)
from caseaudit.audits.choices import AuditKind, AuditStatus
from caseaudit.audits.models import Answer, Audit, ModeratedDomain, Moderation
from caseaudit.audits.tests.test_compliance import (
    make_children,
    new_audit,
    practice_tool,
    programme_months,
)
from caseaudit.core.history import history_of
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import AuditTool, Question

pytestmark = pytest.mark.django_db

JAN, FEB = datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)


def submitted_audits(council, people, count: int, *, status=AuditStatus.SUBMITTED, **fields):
    """``count`` audits of the north team's children, done by the south team's manager, each
    with every domain graded Good, its comments, and an overall Good."""
    c = council.council
    months = {pm.month: pm for pm in c.programme_months.all()} or programme_months(c, JAN, FEB)
    version = practice_tool()
    prefix = f"M{Audit.objects.count()}-"
    children = make_children(c, count, prefix=prefix)
    made = Audit.objects.bulk_create(
        new_audit(
            c,
            child=child,
            team=people.north_team,
            auditor=fields.get("auditor", people.south_manager),
            month=months[fields.get("month", JAN)],
            due_date=fields.get("month", JAN) + datetime.timedelta(days=27),
            status=status,
            overall_grade=fields.get("overall_grade", "good"),
            overall_rationale="Steady progress for the child.",
            tool_version=version,
        )
        for child in children
    )
    audits = list(Audit.objects.filter(child__la_child_id__startswith=prefix).order_by("pk"))
    assert len(audits) == len(made)
    questions = list(
        Question.objects.filter(domain__version=version).exclude(kind=QuestionKind.YES_NO_PARTLY)
    )
    Answer.objects.bulk_create(
        Answer(
            audit=audit,
            question=question,
            value="good" if question.kind == QuestionKind.GRADE else "",
            text="" if question.kind == QuestionKind.GRADE else f"Comment on {question.domain_id}",
        )
        for audit in audits
        for question in questions
        if question.kind in (QuestionKind.GRADE, QuestionKind.TEXT)
    )
    return audits


def all_good(audit) -> dict[int, str]:
    return {domain.pk: "good" for domain in graded_domains(audit)}


# Selecting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "share", "expected"),
    [(30, 0.1, 3), (28, 0.1, 3), (10, 0.1, 1), (1, 0.1, 1), (7, Fraction(1, 2), 4), (5, 1, 5)],
)
def test_a_share_is_rounded_up_so_any_pool_gives_at_least_one(pool, share, expected):
    assert how_many(pool, share) == expected


def test_a_random_share_of_submitted_audits_not_yet_moderated(council, people):
    waiting = submitted_audits(council, people, 28)
    already = submitted_audits(council, people, 2)
    select_for_moderation(council.council, audits=already, by=people.qa_lead)
    done = submitted_audits(council, people, 3, status=AuditStatus.MODERATED)
    busy = submitted_audits(council, people, 5, status=AuditStatus.IN_PROGRESS)

    selection = select_for_moderation(council.council, seed=42, by=people.qa_lead)
    chosen = {m.audit_id for m in selection.moderations}
    assert len(chosen) == 3  # 10% of the 28 waiting, rounded up
    assert chosen <= {a.pk for a in waiting}
    assert not chosen & {a.pk for a in already + done + busy}
    assert selection.seed == 42
    assert all(m.moderator == people.qa_lead for m in selection.moderations)
    assert "seed 42" in history_of(selection.moderations[0]).first().reason
    # Selecting does not change the audit: it stays submitted until moderation is recorded.
    assert set(Audit.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {
        AuditStatus.SUBMITTED
    }

    # The same seed over the same waiting audits chooses the same ones again.
    Moderation.objects.filter(audit_id__in=chosen).delete()
    again = select_for_moderation(council.council, seed=42, by=people.qa_lead)
    assert {m.audit_id for m in again.moderations} == chosen
    Moderation.objects.filter(audit_id__in=chosen).delete()
    other = select_for_moderation(council.council, seed=7, by=people.qa_lead)
    assert {m.audit_id for m in other.moderations} != chosen


def test_a_random_share_of_one_month(council, people):
    submitted_audits(council, people, 4, month=JAN)
    february = submitted_audits(council, people, 6, month=FEB)
    selection = select_for_moderation(council.council, month=FEB, share=0.5, by=people.qa_lead)
    assert len(selection.moderations) == 3
    assert {m.audit_id for m in selection.moderations} <= {a.pk for a in february}
    assert selection.seed is not None  # made up when none is given, and reported


def test_nothing_to_select_and_a_bad_share_are_refused(council, people):
    with pytest.raises(ValidationError, match="no submitted audits waiting"):
        select_for_moderation(council.council, by=people.qa_lead)
    submitted_audits(council, people, 2)
    for share in (0, 1.5, -0.1):
        with pytest.raises(ValidationError, match="share"):
            select_for_moderation(council.council, share=share, by=people.qa_lead)


def test_named_audits_must_be_submitted_not_yet_selected_and_this_councils(council, people):
    [busy] = submitted_audits(council, people, 1, status=AuditStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="Only a submitted audit can be moderated"):
        select_for_moderation(council.council, audits=[busy], by=people.qa_lead)
    [ready] = submitted_audits(council, people, 1)
    select_for_moderation(council.council, audits=[ready], by=people.qa_lead)
    with pytest.raises(ValidationError, match="already selected"):
        select_for_moderation(council.council, audits=[ready], by=people.qa_lead)
    with pytest.raises(ValidationError, match="not one of this council's"):
        select_for_moderation(people.other.council, audits=[ready], by=people.outsider)


# Recording -------------------------------------------------------------------------------------


@pytest.fixture
def selected(council, people):
    [audit] = submitted_audits(council, people, 1)
    [moderation] = select_for_moderation(
        council.council, audits=[audit], by=people.qa_lead
    ).moderations
    return moderation


def test_the_auditors_grade_for_a_domain_is_their_answer_to_its_grade_question(selected):
    audit = selected.audit
    grades = auditor_domain_grades(audit)
    assert len(grades) == 10 and set(grades.values()) == {"good"}
    assert [d.title for d in graded_domains(audit)][0] == "Voice and lived experience of the child"


def test_a_reason_is_required_wherever_the_moderated_grade_differs(selected, people):
    audit = selected.audit
    grades = all_good(audit)
    first, second = list(grades)[:2]
    grades[first] = "requires_improvement"
    grades[second] = "outstanding"
    with pytest.raises(ValidationError) as refused:
        record_moderation(
            selected,
            overall_grade="inadequate",
            domain_grades=grades,
            reasons={second: "Exceptional direct work with the child."},
            overall_reason="   ",
            by=people.qa_lead,
        )
    errors = refused.value.message_dict
    assert set(errors) == {reason_field(first), "overall_reason"}
    assert errors["overall_reason"] == [
        "Enter why the moderated overall grade differs from the auditor's"
    ]
    assert "differs from the auditor's" in errors[reason_field(first)][0]
    # Refused means nothing written.
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert not ModeratedDomain.objects.exists()
    assert Moderation.objects.get(pk=selected.pk).completed_at is None

    record_moderation(
        selected,
        overall_grade="inadequate",
        domain_grades=grades,
        reasons={first: "No plan for the missing episodes.", second: "Exceptional direct work."},
        overall_reason="Risk from exploitation was not addressed.",
        by=people.qa_lead,
    )
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED
    assert audit.moderated_at is not None
    moderation = Moderation.objects.get(pk=selected.pk)
    assert (moderation.overall_grade, moderation.agrees) == ("inadequate", False)
    assert moderation.reason == "Risk from exploitation was not addressed."
    assert moderation.domains.count() == 10
    assert moderation.domains.get(domain_id=first).reason == "No plan for the missing episodes."
    # The auditor's grades are kept beside the moderated ones, untouched.
    assert audit.overall_grade == "good"
    change = history_of(audit).first()
    assert (change.before["status"], change.after["status"]) == ("submitted", "moderated")
    assert change.username == "qa.lead"


def test_agreeing_needs_no_reason(selected, people):
    record_moderation(
        selected,
        overall_grade="good",
        domain_grades=all_good(selected.audit),
        reasons={},
        by=people.qa_lead,
    )
    assert Moderation.objects.get(pk=selected.pk).agrees is True


def test_every_graded_domain_needs_a_moderated_grade(selected, people):
    grades = all_good(selected.audit)
    missing = list(grades)[3]
    del grades[missing]
    with pytest.raises(ValidationError) as refused:
        record_moderation(
            selected, overall_grade="", domain_grades=grades, reasons={}, by=people.qa_lead
        )
    assert set(refused.value.message_dict) == {f"grade_{missing}", "overall_grade"}


def test_only_a_submitted_audit_is_moderated_and_only_once(selected, people):
    Audit.objects.filter(pk=selected.audit_id).update(status=AuditStatus.EXEMPTED)
    arguments = {
        "overall_grade": "good",
        "domain_grades": all_good(selected.audit),
        "reasons": {},
        "by": people.qa_lead,
    }
    with pytest.raises(ValidationError, match="Only a submitted audit can be moderated"):
        record_moderation(selected, **arguments)
    Audit.objects.filter(pk=selected.audit_id).update(status=AuditStatus.SUBMITTED)
    record_moderation(selected, **arguments)
    with pytest.raises(ValidationError, match="already been moderated"):
        record_moderation(selected, **arguments)


def test_nobody_moderates_their_own_audit(selected, people):
    with pytest.raises(ValidationError, match="yourself"):
        record_moderation(
            selected,
            overall_grade="good",
            domain_grades=all_good(selected.audit),
            reasons={},
            by=people.south_manager,
        )


def test_a_light_touch_audit_has_no_overall_grade_to_moderate(council, people):
    light = AuditTool.objects.get(council__isnull=True, kind=ToolKind.LIGHT_TOUCH).published()
    [audit] = submitted_audits(council, people, 1, overall_grade="")
    Audit.objects.filter(pk=audit.pk).update(tool_version=light)
    audit.refresh_from_db()
    [moderation] = select_for_moderation(
        council.council, audits=[audit], by=people.qa_lead
    ).moderations
    assert list(graded_domains(audit)) == []
    record_moderation(moderation, overall_grade="", domain_grades={}, reasons={}, by=people.qa_lead)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED


# Agreement -------------------------------------------------------------------------------------


def moderated(audits, grades, by):
    """Completed moderations with these overall grades, made directly."""
    now = timezone.now()
    Moderation.objects.bulk_create(
        Moderation(audit=audit, moderator=by, overall_grade=grade, completed_at=now)
        for audit, grade in zip(audits, grades, strict=True)
    )
    Audit.objects.filter(pk__in=[a.pk for a in audits]).update(status=AuditStatus.MODERATED)


def test_agreement_rates_by_auditor_team_and_month(council, people):
    south = submitted_audits(council, people, 3, auditor=people.south_manager, month=JAN)
    north = submitted_audits(council, people, 2, auditor=people.north_manager, month=FEB)
    Audit.objects.filter(pk__in=[a.pk for a in north]).update(team=people.south_team)
    moderated(south, ["good", "good", "inadequate"], people.qa_lead)
    moderated(north, ["good", "good"], people.qa_lead)
    # Neither an unfinished moderation nor one with no overall grade counts.
    [unfinished] = submitted_audits(council, people, 1)
    select_for_moderation(council.council, audits=[unfinished], by=people.qa_lead)
    [ungraded] = submitted_audits(council, people, 1, overall_grade="")
    moderated([ungraded], [""], people.qa_lead)

    def rows(table):
        return [(row.label, row.moderated, row.agreed, row.rate) for row in table.rows]

    by_auditor = agreement_rates(council.council, group_by="auditor")
    assert rows(by_auditor) == [("North", 2, 2, 100), ("South", 3, 2, 67)]
    assert (by_auditor.total.moderated, by_auditor.total.agreed, by_auditor.total.rate) == (
        5,
        4,
        80,
    )
    assert rows(agreement_rates(council.council, group_by="team")) == [
        (people.north_team.name, 3, 2, 67),
        (people.south_team.name, 2, 2, 100),
    ]
    assert rows(agreement_rates(council.council, group_by="month")) == [
        ("January 2024", 3, 2, 67),
        ("February 2024", 2, 2, 100),
    ]
    only_feb = agreement_rates(council.council, group_by="month", from_month=FEB)
    assert rows(only_feb) == [("February 2024", 2, 2, 100)]
    none = agreement_rates(people.other.council, group_by="team")
    assert (none.rows, none.total.rate, none.total.rate_text) == ([], None, "–")
    with pytest.raises(ValueError, match="auditor, team or month"):
        agreement_rates(council.council, group_by="area")


def test_a_reaudit_is_moderated_like_an_audit(council, people):
    [audit] = submitted_audits(council, people, 1)
    Audit.objects.filter(pk=audit.pk).update(kind=AuditKind.REAUDIT, month=None)
    selection = select_for_moderation(council.council, seed=1, by=people.qa_lead)
    assert [m.audit_id for m in selection.moderations] == [audit.pk]
