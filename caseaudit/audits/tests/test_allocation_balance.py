"""The balancing rule on its own, against every possible allocation of small cases.

No database: auditors and cases are stand-ins with the attributes ``balance`` reads.
"""

import itertools
import random
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from caseaudit.audits.actions.allocation import balance
from caseaudit.audits.eligibility import Ties


def auditor(name: str, team: int, open_audits: int = 0) -> SimpleNamespace:
    return SimpleNamespace(
        username=name,
        pk=name,
        scope_team_id=team,
        managed_team_ids=frozenset({team}),
        worker_id=hash(name),
        open_audits=open_audits,
    )


def case(pk: int, team: int, worker_id=None) -> SimpleNamespace:
    return SimpleNamespace(
        pk=pk,
        team_id=team,
        worker_id=worker_id,
        team=SimpleNamespace(name=f"Team {team}"),
        child=SimpleNamespace(la_child_id=f"C{pk}"),
    )


def ties(cases) -> dict[int, Ties]:
    """Each case is close to its own team and worker only."""
    return {
        c.pk: Ties(
            team_ids=frozenset({c.team_id}),
            worker_ids=frozenset({c.worker_id} - {None}),
        )
        for c in cases
    }


def loads(auditors, cases, chosen) -> dict[str, int]:
    counts = {a.username: a.open_audits for a in auditors}
    for c in cases:
        counts[chosen[c.pk].username] += 1
    return counts


def spread(counts: dict[str, int]) -> int:
    return max(counts.values()) - min(counts.values())


def test_a_chain_of_moves_evens_out_what_one_move_cannot():
    # Least loaded first gives a both team-3 cases and b the team-2 one; c (team 3) may take
    # only the team-2 case. Evening out takes a chain: a's case to b, b's case to c.
    auditors = [auditor("a", 2), auditor("b", 1), auditor("c", 3)]
    cases = [case(1, 3), case(2, 3), case(3, 2)]
    assert loads(auditors, cases, balance(cases, auditors, ties(cases))) == {"a": 1, "b": 1, "c": 1}


def test_the_childs_worker_is_never_chosen():
    auditors = [auditor("a", 1), auditor("b", 2)]
    cases = [case(1, 3, worker_id=auditors[0].worker_id)]
    assert balance(cases, auditors, ties(cases))[1].username == "b"
    with pytest.raises(ValidationError, match="child C2 of Team 2"):
        only = [case(2, 2, worker_id=auditors[0].worker_id)]
        balance(only, auditors, ties(only))


@pytest.mark.parametrize("seed", range(6))
def test_the_work_is_as_even_as_the_rules_allow(seed):
    draw = random.Random(seed)
    checked = 0
    for _ in range(150):
        teams = draw.randint(2, 5)
        auditors = [
            auditor(f"u{i}", draw.randint(1, teams), draw.randint(0, 2))
            for i in range(draw.randint(1, 4))
        ]
        cases = [case(k, draw.randint(1, teams)) for k in range(draw.randint(1, 6))]
        allowed = [[a for a in auditors if a.scope_team_id != c.team_id] for c in cases]
        if not all(allowed):
            with pytest.raises(ValidationError, match="No team manager may audit child"):
                balance(cases, auditors, ties(cases))
            continue
        chosen = balance(cases, auditors, ties(cases))
        for c in cases:
            assert chosen[c.pk].scope_team_id != c.team_id
        best = min(
            spread(loads(auditors, cases, dict(zip([c.pk for c in cases], combo, strict=True))))
            for combo in itertools.product(*allowed)
        )
        assert spread(loads(auditors, cases, chosen)) == best
        checked += 1
    assert checked > 50
