"""The demo council's audit programme history, November 2018 to this month.

Everything is done through the programme's own actions (create and open the month, draw,
confirm and allocate the sample, save and submit audits, ask for exemptions and extensions,
re-audit, reflect, record feedback, moderate), each with the clock set to the day it would
have happened, so the history, compliance and reports are what running the programme for
real would give. Like the seeds' programme it pauses from March to May 2020 and resumes on
the light-touch tool for June 2020.

Judgements follow seed 003's shares: a few Outstanding, about 20% Good, 65% Requires
Improvement and 15% Inadequate, improving slowly over the years; about 80% of audits and of
re-audits are completed. The demo's case data is one snapshot (the latest return), so every
month samples from today's open cases: the history is synthetic, not a reconstruction.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.accounts.choices import Role
from caseaudit.accounts.models import User
from caseaudit.audits.actions import (
    allocation,
    feedback,
    moderation,
    practice,
    programme,
    reflection,
    safeguarding,
    sampling,
    workflow,
)
from caseaudit.audits.choices import AuditStatus, MonthStatus
from caseaudit.audits.models import Audit, ProgrammeMonth, SafeguardingAlert
from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import EXAMPLES
from caseaudit.cases.models import CohortDefinition
from caseaudit.core import clock
from caseaudit.core.grades import ORDER, Grade
from caseaudit.core.months import add_months, month_end, next_month
from caseaudit.tools.choices import QuestionKind, ToolKind
from caseaudit.tools.models import AuditTool, Question

FIRST_MONTH = datetime.date(2018, 11, 1)
PAUSED = {datetime.date(2020, 3, 1), datetime.date(2020, 4, 1), datetime.date(2020, 5, 1)}
LIGHT_TOUCH = {datetime.date(2020, 6, 1)}
PAUSE_REASON = "COVID-19: audits paused so that managers can support frontline practice."
# Last month's focus is a cohort the QA lead saved on the cohort builder (one of its examples),
# as a thematic audit's cohort is: the published highlight report shows it as a practice theme
# of its own.
SAVED_COHORT_FOCUS = "missing"

# Shares of each overall judgement at the start of the programme and now (seed 003's range).
SHARES_THEN = {"outstanding": 2, "good": 17, "requires_improvement": 63, "inadequate": 18}
SHARES_NOW = {"outstanding": 4, "good": 24, "requires_improvement": 60, "inadequate": 12}
COMPLETED, EXEMPTED = 0.80, 0.06
REAUDITS_COMPLETED = 0.79
MODERATED_SHARE = "0.1"

ANSWER_FOR_GRADE = {
    QuestionKind.YES_NO_PARTLY: {
        "outstanding": "yes",
        "good": "yes",
        "requires_improvement": "partly",
        "inadequate": "no",
    },
    QuestionKind.RAG: {
        "outstanding": "green",
        "good": "green",
        "requires_improvement": "amber",
        "inadequate": "red",
    },
}
# Synthetic findings, by grade: never about a real child.
FINDINGS = {
    "outstanding": [
        "The child's wishes are recorded in their own words and have shaped every decision.",
        "Management oversight is timely, reflective and moves the plan on.",
        "Direct work is creative and the child's experience is vivid in the record.",
    ],
    "good": [
        "The child is seen regularly and alone, and visits are purposeful.",
        "The plan is specific and reviewed on time; the family know what must change.",
        "Partner agencies contribute to the assessment and the plan.",
    ],
    "requires_improvement": [
        "Visits are on time but the record says little about the child's experience.",
        "The plan is generic; actions lack owners and timescales.",
        "Supervision is recorded but does not show reflection or challenge.",
        "Chronology is out of date, so patterns of concern are hard to see.",
    ],
    "inadequate": [
        "The child has not been seen for several weeks and there is no management follow-up.",
        "Risks identified at the strategy discussion are not addressed in the plan.",
        "There is drift: the plan has not changed despite repeated incidents.",
    ],
}
RATIONALE = {
    "outstanding": "Practice is consistently strong and is making a real difference.",
    "good": "Practice is good; the child's needs are understood and are being met.",
    "requires_improvement": "Some practice is sound, but the child's experience is not yet "
    "central and the plan needs tightening.",
    "inadequate": "The child may be left at risk: there is drift and too little oversight.",
}
REFLECTIONS = {
    "went_well": [
        "Building a relationship with the child through direct work.",
        "Working with school to get a clear picture.",
        "Getting the family to engage with the plan.",
    ],
    "challenges": [
        "High caseload left little time for recording.",
        "A change of worker meant the chronology fell behind.",
        "Partner agencies were slow to share information.",
    ],
    "tools_needed": [
        "Yes, though more time in supervision would help.",
        "Mostly; training on direct-work tools would help.",
        "Not always: the recording system makes the plan hard to update.",
    ],
    "do_differently": [
        "Record the child's words, not just that they were seen.",
        "Make the plan's actions specific, with dates.",
        "Ask for a review sooner when things do not change.",
    ],
}
FEEDBACK = [
    ("parent", "phone", "She listened and explained what would happen.", "", "She listened."),
    ("parent", "visit", "", "We had three workers in a year.", "Too many changes of worker."),
    ("child", "visit", "My worker comes to see me at school.", "", "She is kind."),
    ("carer", "phone", "Visits are regular and planned.", "Reviews are rearranged late.", ""),
    ("partner", "written", "Quick to call back.", "Minutes of meetings come late.", ""),
]


@dataclass
class History:
    months: int = 0
    paused: int = 0
    audits: int = 0
    reaudits: int = 0
    statuses: Counter = field(default_factory=Counter)
    grades: Counter = field(default_factory=Counter)
    reflections: int = 0
    feedback: int = 0
    actions: int = 0
    alerts: int = 0
    moderated: int = 0


def _shares(month: datetime.date, today: datetime.date) -> dict[str, float]:
    """Slowly improving from the first month to today."""
    span = max((today - FIRST_MONTH).days, 1)  # the trend runs from the seeds' first month
    progress = min(max((month - FIRST_MONTH).days / span, 0), 1)
    return {g: SHARES_THEN[g] + (SHARES_NOW[g] - SHARES_THEN[g]) * progress for g in SHARES_THEN}


class _Replay:
    """One pass through the programme's history; ``rng`` decides what each person does."""

    def __init__(self, council, *, qa_lead, today: datetime.date, seed: int):
        self.council, self.qa, self.today = council, qa_lead, today
        # A seeded simulation, not security: the demo is the same every time.
        self.rng = random.Random(seed)  # noqa: S311
        self.seed = seed
        self.history = History()
        tools = AuditTool.objects.filter(council__isnull=True)
        self.practice_tool = tools.get(kind=ToolKind.PRACTICE).published()
        self.light_tool = tools.get(kind=ToolKind.LIGHT_TOUCH).published()
        self.questions: dict[int, list[Question]] = {}
        name, conditions = EXAMPLES[SAVED_COHORT_FOCUS]
        self.saved_cohort = CohortDefinition.objects.filter(
            council=council, name=name
        ).first() or save_cohort(council, name=name, conditions=conditions, by=qa_lead)
        self.saved_cohort_month = add_months(today.replace(day=1), -1)

    # Helpers ----------------------------------------------------------------------------------

    def day_in(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def happened(self, day: datetime.date) -> bool:
        return day <= self.today

    def questions_of(self, version_id: int) -> list[Question]:
        if version_id not in self.questions:
            self.questions[version_id] = list(
                Question.objects.filter(domain__version_id=version_id).order_by(
                    "domain__position", "position"
                )
            )
        return self.questions[version_id]

    def overall_grade(self, month: datetime.date, bias: float) -> str:
        shares = _shares(month, self.today)
        # A positive bias moves weight from Inadequate towards Outstanding.
        weights = [
            max(shares[g.value] * (1 - bias * (i - 1.5) / 1.5), 0.1) for i, g in enumerate(ORDER)
        ]
        return self.rng.choices([g.value for g in ORDER], weights=weights)[0]

    def domain_grade(self, overall: str) -> str:
        order = [g.value for g in ORDER]
        index = order.index(overall) + self.rng.choice((-1, 0, 0, 0, 1))
        return order[min(max(index, 0), len(order) - 1)]

    def answers(self, audit: Audit, overall: str) -> dict[int, str]:
        answers, domain_grade = {}, {}
        for question in self.questions_of(audit.tool_version_id):
            grade = domain_grade.setdefault(question.domain_id, self.domain_grade(overall))
            if question.kind == QuestionKind.GRADE:
                answers[question.pk] = grade
            elif question.kind == QuestionKind.TEXT:
                answers[question.pk] = self.rng.choice(FINDINGS[grade])
            else:
                answers[question.pk] = ANSWER_FOR_GRADE[question.kind][grade]
        return answers

    # One audit --------------------------------------------------------------------------------

    def do_audit(self, audit: Audit, *, start: datetime.date, due: datetime.date, bias: float):
        """Start, and perhaps finish, one audit; then what follows it."""
        auditor = audit.auditor
        overall = self.overall_grade(start, bias)
        light = not audit.tool_version.tool.has_overall_grade
        started = self.day_in(start, due - datetime.timedelta(days=7))
        if not self.happened(started):
            return
        with clock.set_to(started):
            workflow.save_answers(
                audit,
                answers=self.answers(audit, overall),
                overall_grade="" if light else overall,
                overall_rationale="" if light else RATIONALE[overall],
                lock_version=audit.lock_version,
                by=auditor,
            )
        if self.rng.random() < 0.05:
            with clock.set_to(started + datetime.timedelta(days=2)):
                ask = workflow.request_extension(
                    audit,
                    new_due_date=due + datetime.timedelta(days=14),
                    reason="The child's worker is on leave until later in the month.",
                    by=auditor,
                )
            with clock.set_to(started + datetime.timedelta(days=3)):
                workflow.decide_extension(ask, approve=True, by=self.qa)
            due = due + datetime.timedelta(days=14)
        submitted_on = self.day_in(started, due)
        if not self.happened(submitted_on):
            return
        with clock.set_to(submitted_on):
            done = workflow.submit_audit(audit, by=auditor).audit
        self.history.grades[done.overall_grade or "light touch"] += 1
        self.follow_up(done, submitted_on)

    def follow_up(self, audit: Audit, submitted_on: datetime.date) -> None:
        auditor, rng = audit.auditor, self.rng
        if audit.worker_id and rng.random() < 0.65:
            met_on = submitted_on + datetime.timedelta(days=rng.randint(3, 20))
            if self.happened(met_on):
                with clock.set_to(met_on):
                    sheet = reflection.record_reflection(
                        audit,
                        met_on=met_on,
                        by=auditor,
                        **{k: rng.choice(v) for k, v in REFLECTIONS.items()},
                    )
                self.history.reflections += 1
                worker_user = User.objects.filter(worker_id=audit.worker_id, is_active=True)
                worker_user = worker_user.first()
                responded = met_on + datetime.timedelta(days=3)
                if worker_user and rng.random() < 0.3 and self.happened(responded):
                    with clock.set_to(responded):
                        reflection.respond(
                            sheet,
                            response="Thank you: I have updated the plan and the chronology.",
                            by=worker_user,
                        )
        if rng.random() < 0.25:
            given_by, method, good, better, quote = rng.choice(FEEDBACK)
            given_on = submitted_on + datetime.timedelta(days=rng.randint(0, 10))
            if self.happened(given_on):
                with clock.set_to(given_on):
                    feedback.record_feedback(
                        audit,
                        given_by=given_by,
                        method=method,
                        given_on=given_on,
                        agency="Primary school" if given_by == "partner" else "",
                        what_was_good=good,
                        could_be_better=better,
                        quote=quote,
                        consent_to_share=rng.random() < 0.6,
                        by=auditor,
                    )
                self.history.feedback += 1
        if audit.overall_grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE) and (
            audit.worker_id and rng.random() < 0.5
        ):
            due = submitted_on + datetime.timedelta(days=28)
            with clock.set_to(submitted_on):
                action = practice.add_action(
                    audit,
                    action=rng.choice(
                        [
                            "Update the chronology and share it with the team manager.",
                            "Record the child's wishes and feelings in their own words.",
                            "Review the plan so every action has an owner and a date.",
                        ]
                    ),
                    owner=audit.worker,
                    due_date=due,
                    by=auditor,
                )
            self.history.actions += 1
            finished = due - datetime.timedelta(days=rng.randint(0, 10))
            if rng.random() < 0.85 and self.happened(finished):
                with clock.set_to(finished):
                    practice.close_action(action, done=True, by=self.qa)
        if audit.overall_grade == Grade.INADEQUATE and rng.random() < 0.08:
            with clock.set_to(submitted_on):
                alert = safeguarding.raise_alert(
                    audit,
                    concern="The child has not been seen for six weeks and a referral from "
                    "school about bruising has had no response.",
                    by=auditor,
                )
            self.history.alerts += 1
            acted = submitted_on + datetime.timedelta(days=1)
            if self.happened(acted) and (self.today - submitted_on).days > 14:
                told = alert.recipients.order_by("pk").first()
                with clock.set_to(acted):
                    safeguarding.record_action_taken(
                        alert,
                        action_taken="Visited the same day; strategy discussion held; the "
                        "child is safe and the plan has been updated.",
                        by=told or self.qa,
                    )

    # One month --------------------------------------------------------------------------------

    def run_month(self, month: datetime.date, bias_by_team: dict[int, float]) -> None:
        first_day = month
        with clock.set_to(first_day):
            tool = self.light_tool if month in LIGHT_TOUCH else self.practice_tool
            created = programme.create_month(
                self.council,
                month=month,
                tool_version=tool,
                due_date=programme.default_due_date(month),
                saved_cohort=self.saved_cohort if month == self.saved_cohort_month else None,
                by=self.qa,
            )
            self.history.months += 1
            if month in PAUSED:
                # Paused before it began: a month opens only once its sample is confirmed.
                programme.pause_month(created, by=self.qa, reason=PAUSE_REASON)
                self.history.paused += 1
        if month in PAUSED:
            # Re-audits of children judged Inadequate carried on through the pause.
            self.do_reaudits_due(month, bias_by_team)
            return
        with clock.set_to(first_day):
            # The month page's tasks, in their order: draw, confirm, allocate, open.
            try:
                drawn = sampling.draw_sample(
                    created, per_team=1, seed=self.seed + month.toordinal(), by=self.qa
                )
            except ValidationError:
                return  # no case is eligible this month: every one was audited recently
            sampling.confirm_sample(drawn, by=self.qa)
            audits = allocation.allocate_sample(drawn, by=self.qa)
            programme.open_month(created, by=self.qa)
        self.history.audits += len(audits)
        self.do_reaudits_due(month, bias_by_team)
        for audit in audits:
            fate = self.rng.random()
            if fate < EXEMPTED:
                asked_on = self.day_in(month + datetime.timedelta(days=2), month_end(month))
                if self.happened(asked_on):
                    with clock.set_to(asked_on):
                        ask = workflow.request_exemption(
                            audit,
                            reason="The case closed before the audit could start.",
                            by=audit.auditor,
                        )
                    with clock.set_to(min(asked_on + datetime.timedelta(days=2), self.today)):
                        workflow.decide_exemption(ask, approve=True, by=self.qa)
            elif fate < EXEMPTED + COMPLETED:
                self.do_audit(
                    audit,
                    start=month + datetime.timedelta(days=2),
                    due=audit.due_date,
                    bias=bias_by_team.get(audit.team_id, 0),
                )
            elif self.rng.random() < 0.4:
                # Started, then left: still in progress when it fell due.
                started = self.day_in(month + datetime.timedelta(days=5), month_end(month))
                if self.happened(started):
                    with clock.set_to(started):
                        workflow.start_audit(audit, by=audit.auditor)
        self.moderate(month)

    def do_reaudits_due(self, month: datetime.date, bias_by_team: dict[int, float]) -> None:
        due = Audit.objects.filter(
            council=self.council,
            kind="reaudit",
            status=AuditStatus.ALLOCATED,
            due_date__gte=month,
            due_date__lte=month_end(month),
        ).select_related("auditor", "tool_version__tool")
        for reaudit in due:
            self.history.reaudits += 1
            if self.rng.random() < REAUDITS_COMPLETED:
                # Practice usually improves after an Inadequate judgement.
                self.do_audit(
                    reaudit,
                    start=reaudit.due_date - datetime.timedelta(days=25),
                    due=reaudit.due_date,
                    bias=bias_by_team.get(reaudit.team_id, 0) + 0.8,
                )

    def moderate(self, month: datetime.date) -> None:
        """QA moderates a tenth of the month's submitted audits after the month ends."""
        on = month_end(month) + datetime.timedelta(days=10)
        if not self.happened(on):
            return
        with clock.set_to(on):
            try:
                chosen = moderation.select_for_moderation(
                    self.council, month=month, share=MODERATED_SHARE, seed=self.seed, by=self.qa
                )
            except ValidationError:
                return  # nothing submitted that month
            for selected in chosen.moderations:
                audit = selected.audit
                grades = moderation.auditor_domain_grades(audit)
                overall, reason = audit.overall_grade, ""
                if overall and self.rng.random() < 0.15:
                    order = [g.value for g in ORDER]
                    index = order.index(overall)
                    overall = order[index + 1 if index < len(order) - 1 else index - 1]
                    reason = "The evidence in the record supports a different judgement."
                moderation.record_moderation(
                    selected,
                    overall_grade=overall,
                    domain_grades=grades,
                    reasons={},
                    overall_reason=reason,
                    by=self.qa,
                )
                self.history.moderated += 1


@transaction.atomic
def build_history(
    council,
    *,
    today: datetime.date | None = None,
    seed: int = 1,
    first_month: datetime.date = FIRST_MONTH,
) -> History:
    """The programme from November 2018 to ``today``'s month, all or nothing. Run once: refused
    if the council already has programme months."""
    today = today or clock.today()
    if ProgrammeMonth.objects.filter(council=council).exists():
        raise ValueError(f"{council} already has an audit programme.")
    qa_lead = User.objects.get(council=council, role=Role.QA_LEAD, username="qa.lead")
    replay = _Replay(council, qa_lead=qa_lead, today=today, seed=seed)
    teams = list(council.teams.order_by("pk").values_list("pk", flat=True))
    # Some teams do better than others, and it shows in their grades.
    bias_by_team = {team: replay.rng.uniform(-0.6, 0.6) for team in teams}
    month = first_month
    while month <= today:
        replay.run_month(month, bias_by_team)
        month = next_month(month)
    # Months more than two months old are closed: they take no new samples.
    with clock.set_to(today):
        for old in ProgrammeMonth.objects.filter(
            council=council, status=MonthStatus.OPEN, month__lt=next_month(next_month(today))
        ).order_by("month"):
            if old.month < today.replace(day=1) - datetime.timedelta(days=45):
                programme.close_month(old, by=qa_lead)
    statuses = Audit.objects.filter(council=council).values_list("status", flat=True)
    replay.history.statuses = Counter(statuses)
    return replay.history


def alert_for_demo_manager(council, *, username: str = "team.manager", today=None):
    """An open safeguarding alert about the most recently audited child in the demo team
    manager's team, raised by its auditor, so that login shows one on its home page. Nothing
    if there is already an open one for them, or no such audit."""
    manager = User.objects.get(council=council, username=username)
    if SafeguardingAlert.objects.open().filter(recipients=manager).exists():
        return None
    today = today or clock.today()
    audit = (
        Audit.objects.filter(
            council=council,
            child__allocated_team_id=manager.scope_team_id,
            status__in=AuditStatus.completed(),
        )
        .select_related("auditor")
        .order_by("-submitted_at")
        .first()
    )
    if audit is None:
        return None
    with clock.set_to(today):
        return safeguarding.raise_alert(
            audit,
            concern="The record shows two police call-outs for domestic abuse at the home in "
            "the last fortnight, and no strategy discussion or visit since.",
            by=audit.auditor,
        )
