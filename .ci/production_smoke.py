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
import http.cookies
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/smoke")
SEED = 1
# About 500 children: enough for every list to have rows, quick to import.
SCALE = 0.01
STEP_TIMEOUT = 600
REQUEST_TIMEOUT = 30
STARTUP_TIMEOUT = 60


class SmokeFailed(Exception):
    pass


def step(message: str) -> None:
    print(f"== smoke: {message}", flush=True)


def fresh_database(url: str) -> None:
    """Drop and recreate the smoke database, through the server's maintenance database."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SmokeFailed(f"refusing to drop a database named {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def production_env(data_dir: Path) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        # Nothing from a developer's or the test suite's environment leaks in.
        if key not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}
        and not key.startswith(("CASEAUDIT_", "DATABASE_", "SECRET_", "ALLOWED_", "STATIC_"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
        "CASEAUDIT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "CASEAUDIT_LOG_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CASEAUDIT_DATA_DIR": str(data_dir),
        "STATIC_ROOT": str(data_dir / "static"),
    }


def run(env: dict, *args: str) -> None:
    subprocess.run([*args], cwd=ROOT, env=env, check=True, timeout=STEP_TIMEOUT)  # noqa: S603


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of one: cookies (secure ones too, as behind TLS), and the proxy's header."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, path: str, status: int = 200):
        response, content = self.request("GET", path)
        if response.status != status:
            raise SmokeFailed(f"GET {path} answered {response.status}, not {status}")
        return response, content.decode("utf-8", "replace")


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


def wait_until_serving(browser: Browser, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailed(f"gunicorn exited with status {server.returncode}")
        try:
            browser.request("GET", "/account/sign-in/")
            return
        except OSError:
            time.sleep(0.5)
    raise SmokeFailed(f"gunicorn did not answer within {STARTUP_TIMEOUT} s")


def check_site(browser: Browser, username: str, password: str) -> None:
    # An unencrypted request goes to HTTPS first, as the proxy's plain-HTTP port would.
    connection = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=REQUEST_TIMEOUT)
    connection.request("GET", "/account/sign-in/", headers={"Host": f"127.0.0.1:{browser.port}"})
    redirect = connection.getresponse()
    connection.close()
    if redirect.status != 301 or not redirect.headers["Location"].startswith("https://"):
        raise SmokeFailed(f"plain HTTP answered {redirect.status}, not a redirect to HTTPS")

    step("sign in through the form")
    _, page = browser.get("/account/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in browser.cookies:
        raise SmokeFailed("the sign-in page has no CSRF token")
    response, _ = browser.request(
        "POST",
        "/account/sign-in/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
    )
    if response.status != 302 or "sessionid" not in browser.cookies:
        raise SmokeFailed(f"signing in answered {response.status}, not a redirect with a session")

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


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


def smoke() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="caseaudit-smoke-") as folder:
        env = production_env(Path(folder))
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
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "caseaudit.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--timeout=60",
                "--graceful-timeout=5",
                # No control socket: nothing here uses it, and it would go in $HOME.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            # Its own process group, so stopping it stops its workers too.
            start_new_session=True,
        )
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
