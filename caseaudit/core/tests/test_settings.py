"""The settings as a fresh process reads them from the environment, production above all."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from caseaudit.core import anchors
from caseaudit.core.chain import GENESIS, chained_models

ROOT = Path(__file__).resolve().parents[3]
# What the tests' own environment may set that would change what a fresh process sees.
INHERITED = {
    "SECRET_KEY",
    "CASEAUDIT_ENV",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CASEAUDIT_LOG_KEY",
    "CASEAUDIT_LOG_KEY_FILE",
    "CASEAUDIT_LOG_ANCHOR_FILE",
    "CASEAUDIT_LOG_ANCHOR_SYSLOG",
    "CASEAUDIT_LOCAL_PASSWORDS",
    "CASEAUDIT_OIDC_ISSUER",
    "CASEAUDIT_OIDC_CLIENT_ID",
    "CASEAUDIT_OIDC_CLIENT_SECRET",
    "CASEAUDIT_OIDC_TENANTS",
    "CASEAUDIT_OIDC_DISCOVERY_URL",
}
STRONG_KEY = "x7!" + "k9#q2$w" * 8
PRODUCTION = {
    "CASEAUDIT_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "qa.example.org",
    # Never connected to: reading the settings does not open the database.
    "DATABASE_URL": "postgresql://caseaudit@db.example.org:5432/caseaudit",
    "CASEAUDIT_LOG_KEY": "log-" + "p3;v8&z" * 8,
    "CASEAUDIT_LOCAL_PASSWORDS": "on",
}
SSO = {
    "CASEAUDIT_OIDC_ISSUER": "https://login.microsoftonline.com/{tenantid}/v2.0",
    "CASEAUDIT_OIDC_CLIENT_ID": "5d1f0c6e-caseaudit",
    "CASEAUDIT_OIDC_CLIENT_SECRET": "client-secret",
    "CASEAUDIT_OIDC_TENANTS": "0f3a9c1e-tenant",
}


def _run(env: dict, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "caseaudit.settings", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _start(env: dict) -> subprocess.CompletedProcess:
    return _run(env, "-c", "import django; django.setup()")


def test_production_starts_with_settings_it_can_trust():
    result = _start(PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "k9#q2$w" * 7}, "SECRET_KEY is too weak"),  # 49 characters
        ({"SECRET_KEY": "abcd" * 20}, "SECRET_KEY is too weak"),  # 4 different characters
        (
            {"SECRET_KEY": "development-only-key-never-used-in-production-0123456789abcdef"},
            "SECRET_KEY is too weak",
        ),
        ({"SECRET_KEY": "django-insecure-" + STRONG_KEY}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set"),
        ({"ALLOWED_HOSTS": "qa.example.org,*"}, "ALLOWED_HOSTS contains '*'"),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
        ({"DATABASE_URL": "sqlite:////srv/caseaudit.sqlite3"}, "does not name PostgreSQL"),
        (
            {"CASEAUDIT_LOG_KEY": None, "CASEAUDIT_LOG_KEY_FILE": "/nonexistent/log-chain.key"},
            "CASEAUDIT_LOG_KEY is not set",
        ),
        ({"CASEAUDIT_LOCAL_PASSWORDS": None}, "Nobody could sign in"),
        ({"CASEAUDIT_LOCAL_PASSWORDS": "off"}, "Nobody could sign in"),
        ({**SSO, "CASEAUDIT_OIDC_CLIENT_SECRET": None}, "Single sign-on is half configured"),
        ({**SSO, "CASEAUDIT_OIDC_ISSUER": "http://idp.example.org"}, "must be https://"),
        (
            {**SSO, "CASEAUDIT_OIDC_DISCOVERY_URL": "http://idp.example.org/.well-known/x"},
            "must be https://",
        ),
    ],
)
def test_production_refuses_settings_that_would_expose_or_lose_data(change, refusal):
    env = {k: v for k, v in {**PRODUCTION, **change}.items() if v is not None}
    result = _start(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: caseaudit refuses to start in production" in result.stderr
    assert refusal in result.stderr


def test_production_signs_in_through_single_sign_on_alone():
    """Local passwords are off by default in production: single sign-on is then the way in."""
    env = {k: v for k, v in PRODUCTION.items() if k != "CASEAUDIT_LOCAL_PASSWORDS"}
    result = _run(
        {**env, **SSO},
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOCAL_PASSWORDS, settings.SSO_ENABLED)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_production_lists_every_refusal_at_once():
    result = _start(
        {"CASEAUDIT_ENV": "production", "DEBUG": "1", "CASEAUDIT_LOG_KEY_FILE": "/nonexistent"}
    )
    for refusal in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CASEAUDIT_LOG_KEY"):
        assert f"- {refusal}" in result.stderr


def test_development_needs_nothing_set():
    result = _start({})
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    anchor_file = tmp_path / "log-anchors.jsonl"
    # As `caseaudit verify-log` leaves it after this morning's run.
    with override_settings(
        LOG_CHAIN_KEY=PRODUCTION["CASEAUDIT_LOG_KEY"], LOG_ANCHOR_FILE=anchor_file
    ):
        anchors.write(
            [
                anchors.Anchor(chain, 0, GENESIS, timezone.now(), verified=True)
                for chain in chained_models()
            ]
        )
    result = _run(
        {**PRODUCTION, "CASEAUDIT_LOG_ANCHOR_FILE": str(anchor_file)},
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "INFO",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_malformed_settings_fail_loudly(value):
    result = _start({"DEBUG": value})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_collectstatic_with_production_storage(tmp_path):
    """Production's storage hashes every file and rewrites what refers to them; a reference
    to a file that is not there (a source map, say) fails the whole collection."""
    result = _run(
        {**PRODUCTION, "STATIC_ROOT": str(tmp_path)},
        "manage.py",
        "collectstatic",
        "--noinput",
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "govuk-frontend/govuk/govuk-frontend.min.css",
        "govuk-frontend/govuk/govuk-frontend.min.js",
        "caseaudit/caseaudit.css",
        "caseaudit/init.js",
        "caseaudit/js-enabled.js",
        "htmx/htmx.min.js",
        "admin/css/base.css",
    ):
        assert (tmp_path / manifest[name]).is_file(), name
    # The page's module imports the same hashed GOV.UK Frontend the page loads, not a second,
    # unhashed copy.
    init = (tmp_path / manifest["caseaudit/init.js"]).read_text()
    imported = re.search(r"from \"([^\"]+)\"", init).group(1)
    assert imported.endswith(Path(manifest["govuk-frontend/govuk/govuk-frontend.min.js"]).name)
