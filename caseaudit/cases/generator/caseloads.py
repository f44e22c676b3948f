"""Which team and worker hold each child, so that caseloads come out as the seeds describe them.

Surrey's select committee report (seed 002): caseloads average 16 children per worker, with
assessment workers at 25-30 (some 35 or more), care leavers' personal advisers at about 18
(the highest 24), and CP and looked-after social workers mostly at 15 or fewer.

Each service's practitioners form a pool in which every worker has a share of the service's
cases, spread between the service's lightest and heaviest caseload. A child is placed in the
pool by a low-discrepancy sequence over its position in its cohort, so each worker ends up with
their share almost exactly, whatever the seed, with nothing remembered between children.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Sequence

from caseaudit.organisation.choices import ServiceKind
from caseaudit.organisation.generator import CouncilSpec

__all__ = ["SECOND_STEP", "Allocation", "Caseloads", "spread", "split"]

Allocation = dict[str, str]

_GOLDEN = 0.6180339887498949
# A second, independent step (sqrt(2) - 1), for a second even spread over the same children.
SECOND_STEP = 0.41421356237309515

# A worker's share of their service's cases, from the lightest (x=0) to the heaviest (x=1).
# Assessment: the heaviest carry 1.3 times the lightest (27-36 at Surrey's volumes).
_SHARE: dict[str, Callable[[float], float]] = {
    ServiceKind.ASSESSMENT: lambda x: 1.0 + 0.3 * x * x,
    ServiceKind.FAMILY_SAFEGUARDING: lambda x: 0.72 + 0.45 * x,
    ServiceKind.LOOKED_AFTER: lambda x: 0.72 + 0.45 * x,
    ServiceKind.CARE_LEAVERS: lambda x: 0.78 + 0.5 * x,
    ServiceKind.DISABILITIES: lambda x: 0.8 + 0.4 * x,
    ServiceKind.YOUTH_OFFENDING: lambda x: 0.8 + 0.4 * x,
}


def spread(phase: float, index: int, step: float = _GOLDEN) -> float:
    """Where the ``index``-th child of a cohort sits in [0, 1): evenly, in no visible order."""
    return (phase + (index + 1) * step) % 1.0


def split(position: float, shares: Sequence[tuple[str, float]]) -> tuple[str, float]:
    """Send a position to one of several services by their shares; return the service and the
    position within it, so each service's own pool is still filled evenly."""
    low = 0.0
    for service, share in shares:
        if position < low + share:
            return service, (position - low) / share
        low += share
    service, share = shares[-1]
    return service, min(0.999999, (position - (low - share)) / share)


class _Pool:
    def __init__(self, members: list[Allocation], shares: list[float]) -> None:
        self.members = members
        total = sum(shares)
        self._cumulative = [value / total for value in itertools.accumulate(shares)]

    def at(self, position: float) -> Allocation:
        index = bisect.bisect_right(self._cumulative, position)
        return self.members[min(index, len(self.members) - 1)]


class Caseloads:
    """The council's case-holding practitioners, grouped by service."""

    def __init__(self, council: CouncilSpec, seed: int) -> None:
        self._pools: dict[str, _Pool] = {}
        self._teams: dict[str, list[Allocation]] = {}
        for service, share in _SHARE.items():
            members: list[Allocation] = []
            for team in council.teams:
                if team.service != service:
                    continue
                self._teams.setdefault(service, []).append({"allocated_team": team.name})
                for worker in team.practitioners:
                    member = {"allocated_team": team.name, "allocated_worker": worker.name}
                    if service == ServiceKind.CARE_LEAVERS:
                        member["personal_adviser"] = worker.name
                    members.append(member)
            if not members:
                continue
            # Evenly spaced shares, dealt out at random: the spread is the same for any seed.
            ranks = list(range(len(members)))
            random.Random(f"{seed}:{service}:caseloads").shuffle(ranks)
            shares = [share((rank + 0.5) / len(members)) for rank in ranks]
            self._pools[service] = _Pool(members, shares)

    def services(self) -> list[str]:
        return list(self._pools)

    def worker(self, service: str, position: float) -> Allocation:
        return self._pools[service].at(position)

    def team(self, service: str, position: float) -> Allocation:
        """A team with no worker named: a referral that went no further than the front door."""
        teams = self._teams[service]
        return teams[min(int(position * len(teams)), len(teams) - 1)]
