"""Checking the log chains end to end, and anchoring their heads: what `caseaudit
verify-log`, `caseaudit anchor-log` and the deployment check share."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from caseaudit.core import anchors
from caseaudit.core.chain import ChainBreak, ChainHead, chained_models, verify_chain


@dataclass
class ChainReport:
    chain: str
    entries: int
    digest: str
    first_break: ChainBreak | None
    breaks: int
    # The newest anchor the chain was held against, if there was one.
    anchor: anchors.Anchor | None

    @property
    def sound(self) -> bool:
        return self.first_break is None

    def as_json(self) -> dict:
        first = self.first_break
        return {
            "chain": self.chain,
            "sound": self.sound,
            "entries": self.entries,
            "head": self.digest,
            "first_break": first and {"sequence": first.sequence, "reason": first.reason},
            "breaks": self.breaks,
            "anchored": self.anchor and self.anchor.fields(),
        }


@dataclass
class LogReport:
    chains: list[ChainReport]
    anchor_file: str
    anchor_problems: list[str]

    @property
    def sound(self) -> bool:
        return not self.anchor_problems and all(report.sound for report in self.chains)

    def as_json(self) -> dict:
        return {
            "sound": self.sound,
            "chains": [report.as_json() for report in self.chains],
            "anchor_file": self.anchor_file,
            "anchor_problems": self.anchor_problems,
        }


def verify_logs(chains: list[str] | None = None) -> LogReport:
    """Check every entry of each chain against its key and the anchored heads; when all is
    sound, anchor the heads just checked (marked verified, for the deployment check)."""
    anchor_file = anchors.read()
    reports = []
    for name, model in _selected(chains):
        head = ChainHead.objects.get(chain=name)
        anchored = anchor_file.of(name)
        first, count = None, 0
        for found in verify_chain(model, head=head, anchored=[a.head() for a in anchored]):
            first = first or found
            count += 1
        newest = anchored[-1] if anchored else None
        reports.append(ChainReport(name, head.length, head.digest, first, count, newest))
    report = LogReport(reports, str(anchor_file.path), anchor_file.problems)
    if report.sound:
        now = timezone.now()
        anchors.write(
            [anchors.Anchor(r.chain, r.entries, r.digest, now, verified=True) for r in reports]
        )
    return report


def anchor_heads(chains: list[str] | None = None) -> list[str]:
    """Anchor each chain's head, between full checks. Cheap: it checks only that the head is
    the newest entry, sealed with the key, and that the log still holds the newest anchor.
    Returns what it found wrong; a chain with a problem is not anchored."""
    anchor_file = anchors.read()
    problems = list(anchor_file.problems)
    now = timezone.now()
    fresh = []
    for name, model in _selected(chains):
        head = ChainHead.objects.get(chain=name)
        newest = anchor_file.newest(name)
        found = _head_problem(model, head) or (newest and _anchor_problem(model, head, newest))
        if found:
            problems.append(f"{name}: {found}")
        else:
            fresh.append(anchors.Anchor(name, head.length, head.digest, now, verified=False))
    if fresh:
        anchors.write(fresh)
    return problems


def unverified_chains(now: datetime.datetime | None = None) -> list[str]:
    """Chains not verified within ``LOG_VERIFY_MAX_AGE_HOURS``, by their newest anchor."""
    now = now or timezone.now()
    oldest_allowed = now - datetime.timedelta(hours=settings.LOG_VERIFY_MAX_AGE_HOURS)
    anchor_file = anchors.read()
    stale = []
    for name in sorted(chained_models()):
        newest = anchor_file.newest(name, verified=True)
        if newest is None or newest.at < oldest_allowed:
            stale.append(name)
    return stale


def _selected(chains: list[str] | None):
    models = chained_models()
    unknown = set(chains or ()) - set(models)
    if unknown:
        raise ValueError(f"No log chain is called {', '.join(sorted(unknown))}.")
    return [(name, models[name]) for name in sorted(chains or models)]


def _head_problem(model, head) -> str | None:
    if head.length == 0:
        return None
    entry = model._base_manager.filter(sequence=head.length).first()
    if entry is None or entry.digest != head.digest:
        return f"entry {head.length:,}, the recorded head, is missing or not the head"
    if entry.compute_digest() != entry.digest:
        return f"entry {head.length:,} does not match its digest"
    return None


def _anchor_problem(model, head, anchor: anchors.Anchor) -> str | None:
    if head.length < anchor.length:
        return f"the log has {head.length:,} entries but had {anchor.length:,} at {anchor.at}"
    if anchor.length == 0:
        return None
    entry = model._base_manager.filter(sequence=anchor.length).first()
    if entry is None or entry.digest != anchor.digest:
        return f"entry {anchor.length:,} is not the entry anchored at {anchor.at}"
    return None
