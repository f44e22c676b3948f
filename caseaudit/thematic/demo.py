"""The demo council's thematic audits, shaped like the seeds' (000, 001): placement stability
(complete, due for re-review), the youth offending service (reporting), family group
conferences (in progress) and independent chairs (planned). Everything goes through the
actions a lead and the auditors would use, back-dated with ``clock.set_to``, so the history
reads as if it had happened. Synthetic throughout."""

import datetime
import random
from dataclasses import dataclass

from caseaudit.accounts.models import User
from caseaudit.audits.actions import workflow
from caseaudit.audits.demo import ANSWER_FOR_GRADE, FINDINGS, RATIONALE
from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import EXAMPLES, Condition
from caseaudit.cases.models import CohortDefinition
from caseaudit.core import clock
from caseaudit.core.grades import ORDER
from caseaudit.core.months import add_months
from caseaudit.core.working_days import add_working_days
from caseaudit.thematic import actions
from caseaudit.thematic.choices import (
    ActionStatus,
    ConsulteeRole,
    FindingKind,
    FindingStatus,
    SampleMethod,
)
from caseaudit.thematic.models import ThematicAudit
from caseaudit.tools import actions as tools
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import Question


@dataclass
class Built:
    audits: int = 0
    thematic: int = 0


def saved_cohort(council, name: str, conditions: list[Condition], by) -> CohortDefinition:
    existing = CohortDefinition.objects.filter(council=council, name=name).first()
    return existing or save_cohort(council, name=name, conditions=conditions, by=by)


def _tool(council, name: str, domains: list[tuple[str, str]], by):
    """A bespoke tool built like any other: domains, a question each, descriptors, published."""
    version = tools.create_tool(council, name=name, kind=ToolKind.THEMATIC, by=by)
    for title, question in domains:
        domain = tools.add_domain(version, title=title, by=by)
        tools.add_question(domain, text=question, kind=QuestionKind.YES_NO_PARTLY, by=by)
        tools.add_question(domain, text="What did you find?", kind=QuestionKind.TEXT, by=by)
        tools.set_descriptors(
            domain,
            texts={
                grade: f"{grade.label}: {title.lower()} is {word}."
                for grade, word in zip(
                    ORDER,
                    ("exemplary", "consistently sound", "inconsistent", "not evident"),
                    strict=True,
                )
            },
            by=by,
        )
    return tools.publish(version, by=by)


def do_audits(audits, *, weights, rng, on: datetime.date, share: float = 1.0) -> int:
    """Fill in and submit ``share`` of the audits, as their auditors would."""
    grades = [g.value for g in ORDER]
    done = 0
    for audit in audits:
        if rng.random() > share:
            continue
        overall = rng.choices(grades, weights=weights)[0]
        questions = Question.objects.filter(domain__version_id=audit.tool_version_id)
        answers = {}
        for question in questions:
            if question.kind == QuestionKind.GRADE:
                answers[question.pk] = overall
            elif question.kind == QuestionKind.TEXT:
                answers[question.pk] = rng.choice(FINDINGS[overall])
            else:
                answers[question.pk] = ANSWER_FOR_GRADE[question.kind][overall]
        with clock.set_to(on):
            workflow.save_answers(
                audit,
                answers=answers,
                overall_grade=overall,
                overall_rationale=RATIONALE[overall],
                lock_version=audit.lock_version,
                by=audit.auditor,
            )
            workflow.submit_audit(audit, by=audit.auditor)
        done += 1
    return done


def _start(council, *, title, lead, purpose, start, end, cohort, tool, by, sample, on):
    """Plan the thematic audit, draw and confirm its sample and allocate its audits."""
    method, size = sample
    with clock.set_to(on):
        thematic = actions.create_thematic_audit(
            council,
            title=title,
            lead=lead,
            purpose=purpose,
            period_start=start,
            period_end=end,
            cohort=cohort,
            tool_version=tool,
            audits_due=on + datetime.timedelta(days=28),
            by=by,
        )
        drawn = actions.draw_sample(thematic, method=method, size=size, seed=2024, by=lead)
        actions.confirm_sample(drawn, by=lead)
        audits = actions.allocate_audits(thematic, by=lead)
    return thematic, audits


def build_thematic_audits(council, *, today: datetime.date, seed: int = 1) -> Built:
    """Once per council: the four thematic audits, at four stages."""
    built = Built()
    if ThematicAudit.objects.filter(council=council).exists():
        return built
    rng = random.Random(seed)  # noqa: S311 (a repeatable demo, not security)
    qa = User.objects.get(council=council, username="qa.lead")
    inspection = User.objects.get(council=council, username="inspection.lead")
    manager = User.objects.get(council=council, username="team.manager")
    director = User.objects.get(council=council, username="director")

    # 1. Placement stability: complete four months ago, so its re-review is two months off.
    began = add_months(today, -7)
    cohort = saved_cohort(council, *EXAMPLES["placement_stability"], by=qa)
    tool = _tool(
        council,
        "Placement stability deep dive",
        [
            ("Matching and planning", "Was the placement matched to the child's needs?"),
            ("Stability meetings", "Was a stability meeting held when the placement wobbled?"),
        ],
        by=qa,
    )
    stability, audits = _start(
        council,
        title="Placement stability",
        lead=qa,
        purpose="Why do some children looked after move three or more times in a year, and "
        "what helps placements hold?",
        start=began,
        end=add_months(began, 2),
        cohort=cohort,
        tool=tool,
        by=qa,
        sample=(SampleMethod.RANDOM_N, 20),
        on=began,
    )
    built.audits += do_audits(
        audits, weights=[5, 40, 40, 15], rng=rng, on=began + datetime.timedelta(days=21)
    )
    with clock.set_to(began + datetime.timedelta(days=30)):
        actions.add_consultation(
            stability,
            who="Fostering team managers (focus group)",
            role=ConsulteeRole.MANAGER,
            held_on=began + datetime.timedelta(days=30),
            notes="Matching is rushed when placements end in a crisis.",
            by=qa,
        )
        actions.add_consultation(
            stability,
            who="Children in care council",
            role=ConsulteeRole.YOUNG_PERSON,
            held_on=began + datetime.timedelta(days=32),
            notes="Young people want to meet carers before they move.",
            by=qa,
        )
        strength = actions.add_finding(
            stability,
            kind=FindingKind.STRENGTH,
            summary="Children's views are sought before a move",
            theme="voice",
            evidence=audits[:3],
            by=qa,
        )
        weakness = actions.add_finding(
            stability,
            kind=FindingKind.IMPROVEMENT,
            summary="Stability meetings are rarely held before a placement ends",
            theme="stability",
            severity="high",
            evidence=audits[3:7],
            by=qa,
        )
        for finding in (strength, weakness):
            actions.move_finding(finding, FindingStatus.CONFIRMED, by=qa)
        recommendation = actions.add_recommendation(
            stability, text="Hold a stability meeting whenever a carer gives notice.", by=qa
        )
    with clock.set_to(add_months(today, -5)):
        actions.move_on(stability, by=qa)  # to reporting
        actions.assign_finding(
            weakness, owner=manager, due_date=add_months(today, -1), severity="high", by=qa
        )
        first = actions.add_action(
            stability,
            action="Add a stability meeting step to the placement notice workflow",
            intended_outcome="Every notice triggers a meeting within 5 working days",
            owner=manager,
            due_date=add_months(today, -3),
            finding=weakness,
            recommendation=recommendation,
            by=qa,
        )
        second = actions.add_action(
            stability,
            action="Train supervising social workers in stability meetings",
            intended_outcome="Carers are supported before a placement breaks down",
            owner=director,
            due_date=add_months(today, -1),
            finding=weakness,
            by=qa,
        )
        actions.add_action(
            stability,
            action="Report placement moves by age band to the corporate parenting "
            "board each quarter",
            intended_outcome="Leaders see whether stability improves",
            owner=qa,
            due_date=today - datetime.timedelta(days=10),
            by=qa,
        )  # overdue: still not started
    with clock.set_to(add_months(today, -4)):
        actions.move_on(stability, by=qa)  # complete: re-review in six months
        actions.update_action(
            first,
            status=ActionStatus.DONE,
            evidence="Workflow changed; 12 meetings held since.",
            by=manager,
        )
    with clock.set_to(add_months(today, -2)):
        actions.update_action(
            second,
            status=ActionStatus.DONE,
            evidence="Two sessions held; 31 staff attended.",
            by=director,
        )
        # Its actions done, the area for improvement is closed; so is the strength.
        actions.move_finding(weakness, FindingStatus.CLOSED, by=qa)
        actions.move_finding(strength, FindingStatus.CLOSED, by=qa)

    # 2. Youth offending service: reporting, with 18% Good, 39% RI and 43% Inadequate.
    began = add_months(today, -3)
    cohort = saved_cohort(
        council,
        "Children in need open to a youth offending team",
        [
            Condition("cin.cin_closure_date", "blank"),
            Condition("cin.allocated_team_name", "contains", "Youth Offending"),
        ],
        by=inspection,
    )
    tool = _tool(
        council,
        "Youth offending practice",
        [
            ("Joint planning", "Do the child's plans and the YOT plan agree?"),
            ("Risk and safety", "Is exploitation risk assessed and reviewed?"),
        ],
        by=qa,
    )
    yos, audits = _start(
        council,
        title="Youth offending service",
        lead=inspection,
        purpose="How well do social care and the youth offending service plan together for "
        "children open to both?",
        start=began,
        end=add_months(began, 2),
        cohort=cohort,
        tool=tool,
        by=inspection,
        sample=(SampleMethod.RANDOM_N, 27),
        on=began,
    )
    built.audits += do_audits(
        audits, weights=[0, 18, 39, 43], rng=rng, on=began + datetime.timedelta(days=20)
    )
    with clock.set_to(add_months(today, -1)):
        actions.add_consultation(
            yos,
            who="YOT case managers",
            role=ConsulteeRole.PRACTITIONER,
            held_on=add_months(today, -1),
            by=inspection,
        )
        finding = actions.add_finding(
            yos,
            kind=FindingKind.IMPROVEMENT,
            summary="Plans are made separately and rarely shared",
            theme="planning",
            severity="high",
            evidence=audits[:5],
            by=inspection,
        )
        actions.add_finding(
            yos,
            kind=FindingKind.STRENGTH,
            summary="Relationships with YOT workers are strong",
            theme="multi_agency",
            evidence=audits[5:7],
            by=inspection,
        )
        dismissed = actions.add_finding(
            yos,
            kind=FindingKind.IMPROVEMENT,
            summary="Court reports are late",
            theme="multi_agency",
            severity="low",
            evidence=audits[7:8],
            by=inspection,
        )
        actions.move_finding(
            dismissed,
            FindingStatus.DISMISSED,
            reason="Seen in one case only; the court's own delay, not the service's.",
            by=inspection,
        )
        actions.move_finding(finding, FindingStatus.CONFIRMED, by=inspection)
        actions.assign_finding(
            finding,
            owner=manager,
            due_date=add_months(today, 2),
            severity="high",
            by=inspection,
        )  # assigned, its actions under way; the strength is still only identified
        actions.move_on(yos, by=inspection)  # to reporting
        actions.add_action(
            yos,
            action="Agree a single plan template with the youth offending service",
            intended_outcome="One plan per child, shared by both services",
            owner=manager,
            due_date=today - datetime.timedelta(days=5),
            finding=finding,
            by=inspection,
        )  # overdue
        actions.add_action(
            yos,
            action="Share the YOT plan at every child in need review",
            intended_outcome="Both plans are read together",
            owner=manager,
            due_date=add_working_days(today, 3),
            finding=finding,
            by=inspection,
        )  # due within the week: the home page and `caseaudit remind` say so
        actions.add_action(
            yos,
            action="Joint supervision for workers sharing a child",
            intended_outcome="Risks are understood the same way",
            owner=director,
            due_date=add_months(today, 2),
            finding=finding,
            by=inspection,
        )

    # 3. Family group conferences: in progress. Annex A has no FGC field, so the cohort is
    # the children referred in the period and the tool asks whether an FGC was offered.
    began = today - datetime.timedelta(days=14)
    cohort = saved_cohort(
        council,
        "Children referred in the last 6 months",
        [
            Condition("referrals.referral_date", "in_last_months", 6),
        ],
        by=qa,
    )
    tool = _tool(
        council,
        "Family group conferences and family network meetings",
        [
            ("Offer of an FGC", "Was a family group conference offered?"),
            ("Family network", "Did the family network meeting shape the plan?"),
        ],
        by=qa,
    )
    fgc, audits = _start(
        council,
        title="Family group conferences (FGC/FNM)",
        lead=qa,
        purpose="Are families offered a family group conference early enough to make a difference?",
        start=began,
        end=add_months(began, 2),
        cohort=cohort,
        tool=tool,
        by=qa,
        sample=(SampleMethod.RANDOM_N, 28),
        on=began,
    )
    built.audits += do_audits(
        audits, weights=[10, 40, 35, 15], rng=rng, share=0.4, on=today - datetime.timedelta(days=3)
    )
    with clock.set_to(today - datetime.timedelta(days=2)):
        actions.add_consultation(
            fgc,
            who="FGC coordinators",
            role=ConsulteeRole.PRACTITIONER,
            held_on=today - datetime.timedelta(days=2),
            by=qa,
        )
        actions.add_finding(
            fgc,
            kind=FindingKind.IMPROVEMENT,
            summary="FGCs are offered only once a child is on a plan",
            theme="family",
            severity="medium",
            evidence=audits[:2],
            by=qa,
        )  # identified: not yet confirmed
        actions.add_finding(
            fgc,
            kind=FindingKind.IMPROVEMENT,
            summary="Plans do not say who in the family network does what",
            theme="planning",  # as the youth offending audit found: shown as recurring
            severity="medium",
            evidence=audits[2:3],
            by=qa,
        )

    # 4. Independent chairs: planned for next month, its sample a preview (two per team; the
    # chair of a case is not in Annex A).
    began = add_months(today, 1)
    cohort = saved_cohort(
        council,
        "Children on an open child protection plan",
        [
            Condition("cp.cp_plan_end_date", "blank"),
        ],
        by=inspection,
    )
    chairs = actions.create_thematic_audit(
        council,
        title="Independent chairs' oversight",
        lead=inspection,
        purpose="Do independent chairs challenge drift between conferences?",
        period_start=began,
        period_end=add_months(began, 2),
        cohort=cohort,
        by=inspection,
    )
    actions.draw_sample(chairs, method=SampleMethod.PER_TEAM, size=2, seed=58, by=inspection)
    built.thematic = 4
    return built
