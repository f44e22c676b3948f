"""Which council a command-line job works on, and what it says when it cannot tell."""

import pytest
from django.core.management import CommandError, call_command

from caseaudit.organisation.models import Council
from caseaudit.organisation.selection import council_for

pytestmark = pytest.mark.django_db


def test_a_fresh_installation_is_told_how_to_make_its_council():
    with pytest.raises(CommandError) as refusal:
        council_for(None)
    message = str(refusal.value)
    assert message.startswith("There is no council yet.")
    assert "caseaudit import FILE --council CODE --council-name NAME" in message
    assert "Set up your council" in message
    assert "none yet" not in message
    # Every command that needs a council says the same.
    with pytest.raises(CommandError, match="There is no council yet"):
        call_command("quality")


def test_the_only_council_is_the_one_or_a_code_says_which():
    first = Council.objects.create(code="977", name="Northshire")
    assert council_for(None) == first
    second = Council.objects.create(code="978", name="Southshire")
    assert council_for("978") == second
    with pytest.raises(CommandError, match=r"Say which council with --council CODE \(councils: "):
        council_for(None)
    with pytest.raises(CommandError, match="No council has the code '999'"):
        council_for("999")
