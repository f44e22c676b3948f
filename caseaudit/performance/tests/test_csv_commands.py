"""The commands that import one small CSV file share their checks (`csv_command`): each
refuses a missing file, one over its limit and one not saved as UTF-8, in words, writing
nothing."""

import re

import pytest
from django.core.management import CommandError, call_command

from caseaudit.performance.models import Benchmark, EthnicPopulation

COMMANDS = [
    ("benchmarks", Benchmark, "benchmarks file (over 2 MB)"),
    ("ethnic_population", EthnicPopulation, "population file (over 1 MB)"),
]


@pytest.mark.parametrize(("command", "model", "too_big"), COMMANDS)
def test_a_file_it_cannot_read_is_refused_in_words(council, tmp_path, command, model, too_big):
    code = council.council.code
    with pytest.raises(CommandError, match="There is no file"):
        call_command(command, str(tmp_path / "missing.csv"), council=code)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(CommandError, match=re.escape(f"too big for a {too_big}")):
        call_command(command, str(big), council=code)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(CommandError, match="Save the file as CSV UTF-8"):
        call_command(command, str(latin), council=code)
    assert not model.objects.exists()
