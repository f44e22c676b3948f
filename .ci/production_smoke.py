"""Production smoke test: caseaudit as production runs it, under gunicorn, answering a browser.

With CASEAUDIT_ENV=production, a fresh random secret key and a fresh PostgreSQL database:
migrate, build a small council (the demo's organisation and logins, and a small generated
Annex A return through the real importer), collect the static files, start gunicorn on a free
loopback port, sign in through the real form (CSRF and all), open pages including a child's
record, fetch a stylesheet, check the security headers, and stop gunicorn whatever happens.

There is no TLS proxy in front, so every request says X-Forwarded-Proto: https, as the proxy
would: production's redirect to HTTPS and its secure cookies stay exactly as deployed.

    .ci/production-smoke            (SMOKE_DATABASE_URL, default .../smoke, is dropped first)
"""

import datetime
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.served import (  # noqa: E402 (after the path it is found on)
    BIN,
    REQUEST_TIMEOUT,
    Browser,
    ServeFailed,
    free_port,
    fresh_database,
    production_env,
    run,
    start_gunicorn,
    stop,
    wait_until_serving,
)

DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/smoke")
SEED = 1
# About 500 children: enough for every list to have rows, quick to import.
SCALE = 0.01
SmokeFailed = ServeFailed


def step(message: str) -> None:
    print(f"== smoke: {message}", flush=True)


def build_council() -> None:
    """Runs in a child process under the production settings (``--build-council``)."""
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from caseaudit.accounts.demo import DEMO_PASSWORD, ensure_demo_logins
    from caseaudit.cases.generator import generate_council
    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.demo import load_council
    from caseaudit.organisation.generator import build_council as council_spec

    council = load_council(council_spec(seed=SEED))
    ensure_demo_logins(council)
    as_at = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    generated = generate_council(
        Path(settings.DATA_DIR) / "annex-a", seed=SEED, scale=SCALE, as_at=as_at, fmt="csv"
    )
    summary = import_annex_a(generated.path, council=council, as_at=as_at)
    if summary.refused:
        raise SmokeFailed(f"the generated return was refused: {summary.problems[:3]}")
    print(f"   {council.name}: {summary.children_created} children", flush=True)
    # The QA lead's login, for the parent process, which does not load Django.
    (Path(settings.DATA_DIR) / "login").write_text(f"qa.lead\n{DEMO_PASSWORD}\n")


def expect_header(response, name: str, pattern: str, path: str) -> None:
    value = response.headers.get(name) or ""
    if not re.search(pattern, value):
        raise SmokeFailed(f"{path}: {name} is {value!r}, expected {pattern!r}")


SECURITY_HEADERS = {
    "Content-Security-Policy": r"script-src 'self';",
    "Strict-Transport-Security": r"max-age=\d+",
    "X-Content-Type-Options": r"^nosniff$",
    "X-Frame-Options": r"^DENY$",
    "Referrer-Policy": r"same-origin",
    "Permissions-Policy": r"camera=\(\)",
}


def check_site(browser: Browser, username: str, password: str) -> None:
    # An unencrypted request goes to HTTPS first, as the proxy's plain-HTTP port would.
    connection = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=REQUEST_TIMEOUT)
    connection.request("GET", "/account/sign-in/", headers={"Host": f"127.0.0.1:{browser.port}"})
    redirect = connection.getresponse()
    connection.close()
    if redirect.status != 301 or not redirect.headers["Location"].startswith("https://"):
        raise SmokeFailed(f"plain HTTP answered {redirect.status}, not a redirect to HTTPS")

    step("sign in through the form")
    browser.sign_in(username, password)

    step("open pages")
    home, page = browser.get("/")
    children, listing = browser.get("/case-data/children/")
    child = re.search(r'href="(/case-data/children/\d+/)"', listing)
    if child is None:
        raise SmokeFailed("the children's list has no child in it")
    record, _ = browser.get(child[1])
    organisation, _ = browser.get("/organisation/")
    for path, response in (
        ("/", home),
        ("/case-data/children/", children),
        (child[1], record),
        ("/organisation/", organisation),
    ):
        for name, pattern in SECURITY_HEADERS.items():
            expect_header(response, name, pattern, path)
        expect_header(response, "Cache-Control", r"no-store", path)
        print(f"   200 {path}", flush=True)

    step("static files")
    stylesheet = re.search(r'href="(/static/govuk-frontend/govuk/[^"]+\.css)"', page)
    if stylesheet is None or re.search(r"\.[0-9a-f]{12}\.css$", stylesheet[1]) is None:
        raise SmokeFailed("the page does not link GOV.UK Frontend's hashed stylesheet")
    css, content = browser.get(stylesheet[1])
    expect_header(css, "Content-Type", r"^text/css", stylesheet[1])
    expect_header(css, "Cache-Control", r"immutable", stylesheet[1])
    if ".govuk-header" not in content:
        raise SmokeFailed(f"{stylesheet[1]} is not GOV.UK Frontend's stylesheet")
    print(f"   200 {stylesheet[1]} ({len(content):,} characters)", flush=True)


def smoke() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="caseaudit-smoke-") as folder:
        env = production_env(Path(folder), DATABASE_URL)
        step(f"fresh database {urllib.parse.urlsplit(DATABASE_URL).path.lstrip('/')}")
        fresh_database(DATABASE_URL)
        step("migrate")
        run(env, str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0")
        step("build a small council")
        run(env, str(BIN / "python"), __file__, "--build-council")
        step("collectstatic")
        run(env, str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0")

        port = free_port()
        step(f"start gunicorn on 127.0.0.1:{port}")
        server = start_gunicorn(env, port, workers=2)
        try:
            browser = Browser(port)
            wait_until_serving(browser, server)
            check_site(browser, *(Path(folder) / "login").read_text().split())
        finally:
            step("stop gunicorn")
            stop(server)
        # Every page above wrote the access log under the production key: the chain holds.
        step("verify the access log and change history")
        run(env, str(BIN / "python"), "manage.py", "verify-log")
    step(f"passed in {time.monotonic() - started:.0f} s")


def main() -> int:
    if sys.argv[1:] == ["--build-council"]:
        build_council()
        return 0
    # SIGTERM (a CI timeout, say) unwinds like Ctrl-C, through the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        smoke()
    except (SmokeFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        print(f"== smoke: FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
