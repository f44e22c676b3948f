# ruff: noqa: E501  (the seed's recommendations and the plan, one to a line, as they read)
"""The demo council's last full inspection, shaped like seed 004: a re-inspection under the
single inspection framework in spring 2018 that judged its services inadequate and made 18
recommendations (their words are the seed's, the council's name left out: the demo council
is synthetic). Each recommendation is answered by actions (the 2018 improvement plan, and
for some a current 'Getting to Good' action, as in seed 002), linked to evidence from the
demo's own audits, thematic audits and indicators, and has a RAG history: proposed from its
chain and confirmed by the QA lead in 2018, and again last month.

Everything goes through the actions the QA lead and action owners would use, back-dated with
``clock.set_to``, so the history reads as if it had happened."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from caseaudit.accounts.models import User
from caseaudit.cases.cohorts import Condition
from caseaudit.core import clock
from caseaudit.core.months import add_months, month_start
from caseaudit.inspection import actions
from caseaudit.inspection.choices import EvidenceKind, InspectionKind
from caseaudit.inspection.models import Inspection, JudgementArea, Recommendation
from caseaudit.thematic import actions as thematic
from caseaudit.thematic.choices import (
    ActionStatus,
    ConsulteeRole,
    FindingKind,
    FindingStatus,
    SampleMethod,
)
from caseaudit.thematic.demo import do_audits, saved_cohort
from caseaudit.thematic.models import Finding, ThematicAudit
from caseaudit.tools.models import AuditTool

D = datetime.date
STARTED, ENDED, PUBLISHED = D(2018, 2, 26), D(2018, 3, 22), D(2018, 5, 16)
PLAN_AGREED = D(2018, 6, 15)
FIRST_REVIEW = D(2018, 9, 14)

HELP = "Children who need help and protection"
LAC = "Children looked after and achieving permanence"
ADOPTION = "Adoption performance"
LEAVERS = "Experiences and progress of care leavers"
LEADERS = "Leadership, management and governance"
OVERALL = "Overall effectiveness"

JUDGEMENTS = [
    (OVERALL, "inadequate"),
    (HELP, "inadequate"),
    (LAC, "requires_improvement"),
    (ADOPTION, "good"),
    (LEAVERS, "requires_improvement"),
    (LEADERS, "inadequate"),
]

# Seed 004's recommendations, in its words and order, with the area each answers to.
RECOMMENDATIONS = [
    (LEADERS, "Leaders should urgently review the alignment of strategic and operational plans with improvement board objectives to ensure that these are streamlined and complementary. These efforts should aim to quicken the pace of providing consistently safe and effective services for the most vulnerable children."),
    (LEADERS, "The local authority should put children's voices at the centre of its improvement work and further embed the recently developed systemic quality assurance framework to prioritise improvements in frontline practice. The feedback provided by children, such as their dislike of the frequent changes of social workers and living in foster placements too far from their family homes, should attract concrete responses, as well as acknowledgements."),
    (HELP, "Leaders should urgently renew efforts to engage universal partner services, such as schools and health, to undertake lead professional roles and to form teams around children and families when difficulties emerge. These measures should aim to reduce the number of children requiring local authority targeted early help and the high volume of inappropriate low-level referrals to the MASH."),
    (HELP, "Improve the quality of management oversight across all services, and specifically assure that the family history, the impact of previous interventions and any delays are always considered and addressed. Frontline managers should only step down or close cases when there is substantial evidence that children's circumstances and outcomes have improved and that these improvements are likely to last."),
    (HELP, "Improved management decision-making should include more visible responses to alerts and escalations by child protection conference chairs, independent reviewing officers (IROs) and actions arising from multi-agency risk assessment conferences (MARAC) and multi-agency public protection meetings (MAPPA)."),
    (LEADERS, "Senior managers and leaders should scrutinise and measure performance more effectively and ensure that compliance with important statutory requirements is met. These requirements include ensuring that information from all agencies involved with children is considered at strategy meetings, that initial child protection conferences are held promptly and that children who come into care have their health assessed within the first month."),
    (HELP, "Senior leaders and managers must improve the understanding and application of internal thresholds and transfers of cases across the service. These measures should include stopping inappropriate transfers for assessments from the MASH which are subsequently cancelled or discontinued. When safeguarding issues are identified for children with disabilities, they should receive skilled and well-informed risk assessments from social workers who know them."),
    (HELP, "The timeliness and oversight of work for children in the PLO pre-care proceedings phase should be quickly strengthened to reduce a long-established pattern of delay for many of the most vulnerable children."),
    (LAC, "The local authority should ensure rigorous adherence with the police to the joint protocol for the provision of local authority accommodation when children are charged and denied bail in custody, in accordance with the provisions of the Police and Criminal Evidence Act 1984."),
    (HELP, "The quality of assessments and plans for children should be improved. Assessments should analyse the already helpful collation of risks and needs with greater coherence and clarity to inform well-defined and measurable child protection and child in need plans."),
    (HELP, "All staff should receive training on the assessment of neglect, and use specific tools in their direct work with children experiencing neglect. Child in need, child protection reviews and core group meetings should evaluate children's progress more concisely, in addition to sharing and updating information."),
    (LAC, "The local authority should strengthen early planning for children who may need permanent care, with a sharper focus on all options, including foster to adopt."),
    (LAC, "The local authority should urgently improve the quality of personal education planning for children in care and closely analyse the impact of the pupil premium in improving children's educational progress."),
    (LAC, "Managers should improve the knowledge and confidence of social workers regarding the suitability and application of statutory guidance concerning connected person's assessments. Decisions concerning the prompt temporary approval of family and friends carers should be strengthened."),
    (LAC, "Children and young people who are on child protection plans or in care should understand the role of independent advocates and have easy access to them if they choose to seek their help."),
    (LEAVERS, "Young people in care who are aged 16 and 17 should be offered better support by personal advisers to prepare pathway plans for their arrangements when they turn 18 years of age."),
    (LEAVERS, "The care leavers' service should provide all young people with clearer information on their entitlements and their health histories. Personal advisers should routinely check that young people are aware of their detailed entitlements when important changes are in process, such as moving into independent accommodation and starting a further or higher education course."),
    (LEADERS, "The workload of personal advisers in the leaving care service, and social workers in some parts of the children's service, should be reduced. Caseloads should be manageable and allow time for frontline workers to regularly meet with children and young people and complete all the necessary work."),
]  # fmt: skip

# The 2018 improvement plan's action for each recommendation: what, who (a demo login), due,
# and when it was done (None: done on its due date; a later date: done late).
PLAN = {
    1: ("Bring the improvement plan, service plans and board objectives into one plan, reviewed monthly by the improvement board.", "director", D(2018, 10, 31), None),
    2: ("Launch the quality assurance framework's monthly case audit programme, with feedback from children and families in every audit.", "qa.lead", D(2018, 11, 30), None),
    3: ("Agree a lead professional protocol with schools and health, and train designated leads in every secondary school.", "director", D(2019, 3, 31), D(2019, 7, 12)),
    4: ("Introduce a step-down and closure checklist signed off by the team manager, tested in the audit programme's oversight domain.", "team.manager", D(2018, 12, 31), None),
    5: ("Create an escalation log for child protection chairs and IROs, reviewed fortnightly by service managers.", "inspection.lead", D(2018, 11, 30), None),
    6: ("Publish a monthly performance compendium with statutory timescales by team, scrutinised at the performance board.", "qa.lead", D(2018, 10, 31), None),
    7: ("Rewrite the threshold and transfer protocol between the MASH and assessment teams; a threshold panel reviews cancelled assessments.", "director", D(2019, 1, 31), None),
    8: ("Appoint a PLO tracking coordinator and hold a fortnightly legal gateway panel.", "inspection.lead", D(2018, 12, 31), D(2019, 2, 28)),
    9: ("Agree the joint PACE accommodation protocol with the police and audit every overnight detention.", "director", D(2018, 12, 31), None),
    10: ("Train every practitioner in analytical assessment and SMART planning; audit assessments and plans monthly.", "qa.lead", D(2019, 3, 31), None),
    11: ("Roll out neglect training and the graded care profile; core groups use a progress scaling tool.", "team.manager", D(2019, 6, 30), D(2019, 9, 30)),
    12: ("Hold a permanence planning meeting by the second review for every child in care, and recruit foster to adopt carers.", "inspection.lead", D(2019, 3, 31), None),
    13: ("The virtual school quality assures every personal education plan termly and reports the pupil premium's impact.", "director", D(2019, 7, 31), None),
    14: ("Deliver connected person's assessment workshops and a same-day temporary approval route.", "team.manager", D(2019, 1, 31), None),
    15: ("Commission an advocacy service and tell every child on a plan or in care about it at their first review.", "director", D(2019, 4, 30), D(2019, 6, 28)),
    16: ("Allocate a personal adviser to every young person in care at 16, working jointly on the pathway plan.", "inspection.lead", D(2019, 3, 31), None),
    17: ("Publish the local offer for care leavers and give every young person their health history at 17.", "qa.lead", D(2019, 2, 28), None),
    18: ("Recruit to the second peripatetic team and two more personal adviser posts; report caseloads by team monthly.", "director", D(2019, 6, 30), D(2019, 10, 31)),
}  # fmt: skip

# Current 'Getting to Good' actions, due relative to today: (number, what, who, months from
# today it is due, how far it has got). Some are overdue, so the demo shows what that looks like.
CURRENT = [
    (4, "Re-audit step-down decisions in the audit programme each quarter.", "team.manager", 2, ActionStatus.IN_PROGRESS),
    (6, "Bring initial health assessments within 20 working days to the target, with health partners.", "director", -2, ActionStatus.IN_PROGRESS),
    (10, "Moderate ten assessments a month against the audit tool's assessment domain.", "qa.lead", 3, ActionStatus.NOT_STARTED),
    (11, "Embed core group progress scaling in the family safeguarding teams.", "team.manager", -1, ActionStatus.NOT_STARTED),
    (18, "Hold caseloads at or below the local standard in every assessment team.", "director", 4, ActionStatus.IN_PROGRESS),
]  # fmt: skip

# Evidence for each recommendation: ("domain", audit domain title), ("indicator", code,
# target or None), ("thematic", title of a demo thematic audit), ("finding", its title).
EVIDENCE = {
    1: [("domain", "Impact and progress"), ("indicator", "assessments_45wd_pct", Decimal("85"))],
    2: [("domain", "Voice and lived experience of the child")],
    3: [("indicator", "re_referrals_12m_pct", Decimal("22")), ("thematic", "Family group conferences (FGC/FNM)")],
    4: [("domain", "Supervision and management oversight"), ("indicator", "cp_second_or_subsequent_pct", Decimal("20"))],
    5: [("thematic", "Independent chairs' oversight"), ("domain", "Management oversight")],
    6: [("indicator", "icpc_15wd_pct", Decimal("85")), ("indicator", "cla_health_assessment_pct", Decimal("90"))],
    7: [("indicator", "assessments_45wd_pct", Decimal("85")), ("domain", "Risk and safety planning")],
    8: [("domain", "Planning and review"), ("indicator", "cp_plans_open_2_years_plus", None)],
    9: [("finding", "Youth offending service"), ("domain", "Risk and safety planning")],
    10: [("domain", "Assessment and analysis"), ("domain", "Planning and review")],
    11: [("finding", "Family group conferences (FGC/FNM)"), ("indicator", "cp_visits_10wd_pct", Decimal("90"))],
    12: [("finding", "Placement stability"), ("indicator", "cla_3plus_placements_12m_pct", Decimal("10"))],
    13: [("indicator", "cla_visits_pct", Decimal("90")), ("domain", "Impact and progress")],
    14: [("domain", "Identity and culture")],
    15: [("domain", "Voice and lived experience of the child"), ("thematic", "Independent chairs' oversight")],
    16: [("indicator", "care_leavers_suitable_accommodation_pct", Decimal("90"))],
    17: [("indicator", "care_leavers_in_touch_pct", Decimal("95")), ("indicator", "care_leavers_eet_pct", Decimal("55"))],
    18: [("indicator", "cp_visits_10wd_pct", Decimal("90")), ("domain", "Visits")],
}  # fmt: skip

FIRST_RATIONALE = {
    "red": "The improvement plan is agreed but the work has not started; nothing yet shows "
    "a change for children.",
    "amber": "Work has started under the improvement plan; too early to see its impact.",
}


@dataclass
class Built:
    inspection: Inspection | None = None
    recommendations: int = 0
    actions: int = 0
    evidence: int = 0


def _area(name: str) -> JudgementArea:
    return JudgementArea.objects.get(council=None, name=name)


def _thematic(council, title: str) -> ThematicAudit | None:
    return ThematicAudit.objects.filter(council=council, title=title).first()


def _finding(council, title: str) -> Finding | None:
    """The thematic audit's first finding not dismissed, confirmed ones first."""
    findings = Finding.objects.filter(
        thematic_audit__council=council, thematic_audit__title=title
    ).exclude(status=FindingStatus.DISMISSED)
    return (
        findings.filter(status__in=FindingStatus.confirmed()).order_by("pk").first()
        or findings.order_by("pk").first()
    )


def _link(recommendation, spec, *, qa, council, today) -> bool:
    kind, value, *rest = spec
    if kind == "domain":
        last = month_start(add_months(today, -1))
        actions.link_evidence(
            recommendation,
            kind=EvidenceKind.AUDIT_DOMAIN,
            domain_title=value,
            from_month=add_months(last, -11),
            to_month=last,
            note="The audit programme's grades for this domain over the last 12 months.",
            by=qa,
        )
    elif kind == "indicator":
        actions.link_evidence(
            recommendation, kind=EvidenceKind.INDICATOR, indicator_code=value, target=rest[0], by=qa
        )
    elif kind == "thematic":
        audit = _thematic(council, value)
        if audit is None:
            return False
        actions.link_evidence(
            recommendation, kind=EvidenceKind.THEMATIC_AUDIT, thematic_audit=audit, by=qa
        )
    else:
        finding = _finding(council, value)
        if finding is None:
            return False
        actions.link_evidence(
            recommendation, kind=EvidenceKind.THEMATIC_FINDING, finding=finding, by=qa
        )
    return True


def _first_review(recommendation, qa) -> None:
    proposal = actions.propose_rag(recommendation)
    actions.confirm_rag(
        recommendation,
        rag_value=proposal.rag,
        rationale=FIRST_RATIONALE.get(proposal.rag, proposal.rationale),
        lock_version=recommendation.lock_version,
        by=qa,
    )


def _latest_review(recommendation, qa) -> None:
    """The QA lead mostly agrees with what the chain proposes; where they do not, they say
    why (a person's judgement, not the rule's, is what is confirmed)."""
    recommendation.refresh_from_db()
    proposal = actions.propose_rag(recommendation)
    rag, rationale = proposal.rag, "Agree with the proposal: " + proposal.rationale
    if recommendation.number == 2:
        rag = "amber"
        rationale = (
            "The audits show children's voices more often, but children still tell us they "
            "have too many changes of social worker: not yet green."
        )
    actions.confirm_rag(
        recommendation,
        rag_value=rag,
        rationale=rationale,
        lock_version=recommendation.lock_version,
        by=qa,
    )


def build_inspection(council, *, today: datetime.date) -> Built:
    """Once per council: seed 004's inspection, judgements and 18 recommendations, each with
    actions, evidence and a RAG history."""
    built = Built()
    if Inspection.objects.real().filter(council=council).exists():
        return built
    users = {u.username: u for u in User.objects.filter(council=council)}
    qa = users["qa.lead"]
    with clock.set_to(PUBLISHED):
        inspection = actions.record_inspection(
            council,
            kind=InspectionKind.STANDARD,
            started_on=STARTED,
            ended_on=ENDED,
            published_on=PUBLISHED,
            reference="SIF re-inspection 2018",
            summary="Re-inspection of services for children in need of help and protection, "
            "children looked after and care leavers. Children's services are inadequate. Leaders have recently grasped the "
            "scale of improvement needed; the improvements are yet to be embedded.",
            by=qa,
        )
        for name, grade in JUDGEMENTS:
            actions.record_judgement(inspection, area=_area(name), grade=grade, by=qa)
        recommendations = [
            actions.add_recommendation(
                inspection, number=number, text=text, area=_area(area), by=qa
            )
            for number, (area, text) in enumerate(RECOMMENDATIONS, start=1)
        ]
    built.inspection, built.recommendations = inspection, len(recommendations)
    planned = {}
    with clock.set_to(PLAN_AGREED):
        for recommendation in recommendations:
            what, who, due, _ = PLAN[recommendation.number]
            planned[recommendation.number] = actions.add_action(
                recommendation, action=what, owner=users[who], due_date=due, by=qa
            )
            built.actions += 1
    with clock.set_to(FIRST_REVIEW):
        for recommendation in recommendations:
            _first_review(recommendation, qa)
    for number, plan_action in planned.items():
        _, who, due, done_on = PLAN[number]
        with clock.set_to(done_on or due):
            actions.update_action(
                plan_action,
                status=ActionStatus.DONE,
                evidence="Signed off at the improvement board.",
                by=users[who],
            )
    by_number = {r.number: r for r in recommendations}
    started = add_months(today, -6)
    with clock.set_to(started):
        for number, what, who, months, status in CURRENT:
            added = actions.add_action(
                by_number[number],
                action=what,
                owner=users[who],
                due_date=add_months(today, months),
                by=qa,
            )
            built.actions += 1
            if status == ActionStatus.IN_PROGRESS:
                actions.update_action(added, status=status, by=users[who])
        for number, specs in EVIDENCE.items():
            linked = sum(
                _link(by_number[number], spec, qa=qa, council=council, today=today)
                for spec in specs
            )
            if not linked:
                # A council without the thematic audits named: the audit grades instead.
                linked = _link(
                    by_number[number],
                    ("domain", "Planning and review"),
                    qa=qa,
                    council=council,
                    today=today,
                )
            built.evidence += linked
    with clock.set_to(add_months(today, -1)):
        for recommendation in recommendations:
            _latest_review(recommendation, qa)
    return built


# The mock inspection (seed 002: "mock inspections" before the next inspection): the grades
# it gave each area in force, by judgement area name.
MOCK_GRADES = [
    ("The impact of leaders on social work practice with children and families", "requires_improvement"),
    ("The experiences and progress of children who need help and protection", "requires_improvement"),
    ("The experiences and progress of children in care", "good"),
    ("The experiences and progress of care leavers", "good"),
]  # fmt: skip


def build_mock_inspection(council, *, today: datetime.date, seed: int = 2) -> Inspection | None:
    """Once per council: a mock inspection of help and protection three months ago, carried
    out through its own thematic audit (children on a child protection plan, a few from each
    area, audited with the programme's practice tool), now reporting: its audits done, two
    findings, an action plan with one action done and one overdue, its mock grades, and its
    area for improvement linked as evidence to recommendation 4 of the last inspection."""
    if Inspection.objects.mock().filter(council=council).exists():
        return None
    rng = random.Random(seed)  # noqa: S311 (a repeatable demo, not security)
    users = {u.username: u for u in User.objects.filter(council=council)}
    qa, manager, director = users["qa.lead"], users["team.manager"], users["director"]
    began = add_months(today, -3)
    cohort = saved_cohort(
        council,
        "Children on an open child protection plan",
        [Condition("cp.cp_plan_end_date", "blank")],
        by=qa,
    )
    tool = AuditTool.objects.for_council(council.pk).order_by("pk").first().published()
    with clock.set_to(began):
        mock = actions.record_mock_inspection(
            council,
            title="Mock inspection: help and protection",
            lead=qa,
            purpose="Rehearse the inspection of help and protection with our partner in "
            "practice: are children on a plan safer, and do managers see drift?",
            period_start=began,
            period_end=began + datetime.timedelta(days=30),
            cohort=cohort,
            tool_version=tool,
            audits_due=began + datetime.timedelta(days=14),
            by=qa,
        )
        carried_out = mock.thematic_audit
        drawn = thematic.draw_sample(
            carried_out, method=SampleMethod.PER_AREA, size=3, seed=2020, by=qa
        )
        thematic.confirm_sample(drawn, by=qa)
        audits = thematic.allocate_audits(carried_out, by=qa)
    do_audits(audits, weights=[5, 35, 45, 15], rng=rng, on=began + datetime.timedelta(days=10))
    with clock.set_to(began + datetime.timedelta(days=20)):
        thematic.add_consultation(
            carried_out,
            who="Child protection team managers (focus group)",
            role=ConsulteeRole.MANAGER,
            held_on=began + datetime.timedelta(days=18),
            notes="Supervision records decisions but rarely why.",
            by=qa,
        )
        strength = thematic.add_finding(
            carried_out,
            kind=FindingKind.STRENGTH,
            summary="Children are seen alone and their words shape their plans",
            theme="voice",
            evidence=audits[:2],
            by=qa,
        )
        weakness = thematic.add_finding(
            carried_out,
            kind=FindingKind.IMPROVEMENT,
            summary="Management oversight does not challenge drift between reviews",
            theme="oversight",
            severity="high",
            evidence=audits[2:5],
            by=qa,
        )
        for finding in (strength, weakness):
            thematic.move_finding(finding, FindingStatus.CONFIRMED, by=qa)
        thematic.assign_finding(
            weakness, owner=manager, due_date=add_months(today, 1), severity="high", by=qa
        )
        done = thematic.add_action(
            carried_out,
            action="Add a 'drift since the last review' question to supervision records",
            intended_outcome="Every supervision of a child on a plan asks about drift",
            owner=manager,
            due_date=began + datetime.timedelta(days=45),
            finding=weakness,
            by=qa,
        )
        thematic.add_action(
            carried_out,
            action="Dip-sample supervision of children on a plan each month",
            intended_outcome="Service managers see whether the question is answered",
            owner=director,
            due_date=today - datetime.timedelta(days=7),
            finding=weakness,
            by=qa,
        )  # overdue: not started
        thematic.move_on(carried_out, by=qa)  # to reporting
        actions.record_judgements(
            mock, [(_area(name), grade) for name, grade in MOCK_GRADES], by=qa
        )
    with clock.set_to(began + datetime.timedelta(days=40)):
        thematic.update_action(
            done, status=ActionStatus.DONE, evidence="In the supervision template.", by=manager
        )
    oversight = (
        Recommendation.objects.of_real_inspections()
        .filter(inspection__council=council, number=4)
        .first()
    )
    if oversight is not None:
        actions.link_evidence(
            oversight,
            kind=EvidenceKind.THEMATIC_FINDING,
            finding=weakness,
            note="The mock inspection found management oversight still misses drift.",
            by=qa,
        )
    return mock
