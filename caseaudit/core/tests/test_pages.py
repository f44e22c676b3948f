import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_unknown_pages_get_the_govuk_not_found_page(client, people):
    client.force_login(people.qa_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="govuk-header"' in response.content.decode()


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "CASEAUDIT_ENV"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({"CASEAUDIT_ENV": "production", "ALLOWED_HOSTS": "qa.example.org"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _run(
        {
            "CASEAUDIT_ENV": "production",
            "SECRET_KEY": "x7!" + "k9#q2$w" * 8,
            "ALLOWED_HOSTS": "qa.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "INFO",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_malformed_settings_fail_loudly(value):
    result = _run({"DEBUG": value}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
