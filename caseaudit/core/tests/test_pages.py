import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from caseaudit.core import anchors
from caseaudit.core.chain import GENESIS, chained_models

ROOT = Path(__file__).resolve().parents[3]


def test_unknown_pages_get_the_govuk_not_found_page(client, people):
    client.force_login(people.qa_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="govuk-header"' in response.content.decode()


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "CASEAUDIT_ENV"} and not k.startswith("CASEAUDIT_LOG_")
    }
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


def test_production_refuses_to_start_without_the_log_key():
    result = _run(
        {
            "CASEAUDIT_ENV": "production",
            "SECRET_KEY": "x7!" + "k9#q2$w" * 8,
            "ALLOWED_HOSTS": "qa.example.org",
            "CASEAUDIT_LOG_KEY_FILE": "/nonexistent/log-chain.key",
        },
        "check",
    )
    assert result.returncode != 0
    assert "CASEAUDIT_LOG_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    log_key = "log-" + "p3;v8&z" * 8
    anchor_file = tmp_path / "log-anchors.jsonl"
    # As `caseaudit verify-log` leaves it after this morning's run.
    with override_settings(LOG_CHAIN_KEY=log_key, LOG_ANCHOR_FILE=anchor_file):
        anchors.write(
            [
                anchors.Anchor(chain, 0, GENESIS, timezone.now(), verified=True)
                for chain in chained_models()
            ]
        )
    result = _run(
        {
            "CASEAUDIT_ENV": "production",
            "SECRET_KEY": "x7!" + "k9#q2$w" * 8,
            "ALLOWED_HOSTS": "qa.example.org",
            "CASEAUDIT_LOG_KEY": log_key,
            "CASEAUDIT_LOG_ANCHOR_FILE": str(anchor_file),
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
