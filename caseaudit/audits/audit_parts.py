"""How far an audit has got, part by part: the task list's statuses (the same vocabulary
as the month's task list, ``progress.TaskStatus``).

An audit is done in parts: one for each domain of its tool version, in the tool's order, then
the overall judgement where the tool asks for one. A part is completed when nothing in it that
must be answered before submitting is missing (the rule is ``workflow.missing_answers``, the
same one ``submit_audit`` applies), in progress when something in it is answered, and not
started otherwise. Checking the answers and submitting cannot start until every part is done.

Everything here works on what the page has already loaded (the domains with their questions,
the audit's answers), so the task list costs the same whatever the tool's size.
"""

from dataclasses import dataclass, field

from caseaudit.audits.actions import workflow
from caseaudit.audits.models import Audit
from caseaudit.audits.progress import TaskStatus
from caseaudit.core.history import history_of

NOT_STARTED = TaskStatus.NOT_STARTED
IN_PROGRESS = TaskStatus.IN_PROGRESS
COMPLETED = TaskStatus.COMPLETED
CANNOT_START_YET = TaskStatus.CANNOT_START
OVERALL_TITLE = "Overall judgement"


@dataclass
class Part:
    """One task of the task list: a domain of the tool, or the overall judgement."""

    number: int
    title: str
    status: str
    # What must be answered before submitting and is not: question id (or the overall
    # judgement's field name) → the message ``submit_audit`` would give.
    missing: dict = field(default_factory=dict)
    domain: object = None  # the tool's ``Domain``; None for the overall judgement

    @property
    def is_overall(self) -> bool:
        return self.domain is None

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


def parts(audit: Audit, domains, answers) -> list[Part]:
    """The audit's parts with their statuses. ``domains`` as ``tools.querysets.load_domains``
    gives them (questions prefetched); ``answers`` the audit's ``Answer`` rows."""
    answers = list(answers)
    by_question = {answer.question_id: answer for answer in answers}
    result = []
    for number, domain in enumerate(domains, 1):
        questions = list(domain.questions.all())
        missing = workflow.missing_answers(questions, answers)
        answered = any(workflow.answer_given(q, by_question.get(q.pk)) for q in questions)
        result.append(
            Part(number, domain.title, _status(missing, answered, bool(questions)), missing, domain)
        )
    if audit.tool_version.tool.has_overall_grade:
        missing = workflow.missing_overall(audit)
        answered = bool(audit.overall_grade or audit.overall_rationale.strip())
        result.append(
            Part(len(result) + 1, OVERALL_TITLE, _status(missing, answered, True), missing)
        )
    return result


def _status(missing: dict, answered: bool, asks_anything: bool) -> str:
    if not missing and (answered or not asks_anything):
        return COMPLETED
    if answered:
        return IN_PROGRESS
    return NOT_STARTED


def unfinished(all_parts: list[Part]) -> list[Part]:
    """The parts that stop the audit being submitted."""
    return [part for part in all_parts if part.missing]


def check_status(all_parts: list[Part]) -> str:
    """The last task, 'Check your answers and submit'."""
    return CANNOT_START_YET if unfinished(all_parts) else NOT_STARTED


def last_saved_at(audit: Audit):
    """When the audit's answers were last saved (None if never): one indexed query."""
    return (
        history_of(audit).filter(reason=workflow.DRAFT_SAVED).values_list("at", flat=True).first()
    )
