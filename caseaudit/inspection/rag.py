"""The RAG a recommendation's chain of evidence proposes: the one rule, which a person then
confirms or changes with their rationale (``actions.confirm_rag``).

The chain is what the council has done and what has changed:

- its **actions**: how many are done, done on time, and overdue;
- its linked **indicators** against the targets set for them (or, with no target, which way
  they are going);
- its linked **audit grades**: whether the share good or better is improving.

Red when nothing answers the recommendation yet, or most of its actions are overdue, or
(with any overdue) most of the measures have gone the wrong way. Green when every action is
done, every one on time, and no measure has gone the wrong way. Amber otherwise: work is under
way, or done but the measures do not yet show the change.
"""

from dataclasses import dataclass, field

from caseaudit.audits.choices import Rag
from caseaudit.audits.judgements import DECLINING
from caseaudit.audits.judgements import IMPROVING as GRADES_IMPROVING
from caseaudit.inspection.evidence import IMPROVING, WORSENING, Reading


@dataclass
class Proposal:
    rag: str
    reasons: list[str] = field(default_factory=list)

    @property
    def rationale(self) -> str:
        return " ".join(self.reasons)

    def get_rag_display(self) -> str:
        return Rag(self.rag).label


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _measures(readings: list[Reading]) -> tuple[int, int, list[str]]:
    """How many linked measures have gone the right way and the wrong way, and why."""
    good = bad = 0
    reasons = []
    for reading in readings:
        if reading.indicator is not None:
            ind = reading.indicator
            latest, target = ind.shown(ind.latest), ind.shown(ind.target)
            if ind.target_met is not None:
                met = "met" if ind.target_met else "not met"
                reasons.append(
                    f"{ind.indicator.name}: {latest} against a target of {target} ({met}); "
                    f"trend {ind.trend}."
                )
                good, bad = (good + 1, bad) if ind.target_met else (good, bad + 1)
            elif ind.trend in (IMPROVING, WORSENING):
                reasons.append(f"{ind.indicator.name}: {latest}, {ind.trend}, no target set.")
                good, bad = (good + 1, bad) if ind.trend == IMPROVING else (good, bad + 1)
        elif reading.domain is not None and reading.domain.total:
            grades = reading.domain
            if grades.direction in (GRADES_IMPROVING, DECLINING):
                reasons.append(
                    f"Audit grades for {grades.title}: {grades.good_or_better}% good or "
                    f"better, {grades.direction}."
                )
                good, bad = (
                    (good + 1, bad) if grades.direction == GRADES_IMPROVING else (good, bad + 1)
                )
    return good, bad, reasons


def propose(actions, readings: list[Reading]) -> Proposal:
    """``actions``: the recommendation's actions; ``readings``: its evidence as read now
    (``evidence.read``)."""
    actions = list(actions)
    total = len(actions)
    done = sum(1 for action in actions if action.status == "done")
    on_time = sum(1 for action in actions if action.done_on_time)
    overdue = sum(1 for action in actions if action.is_overdue)
    good, bad, measures = _measures(readings)
    if not total:
        return Proposal(Rag.RED, ["No action answers this recommendation yet.", *measures])
    counted = (
        f"{done} of {_plural(total, 'action')} done, {on_time} on time"
        f"{f'; {overdue} overdue' if overdue else ''}."
    )
    reasons = [counted, *measures]
    if 2 * overdue > total or (overdue and bad > good):
        return Proposal(Rag.RED, reasons)
    if done == total and on_time == total and not bad:
        return Proposal(Rag.GREEN, reasons)
    return Proposal(Rag.AMBER, reasons)
