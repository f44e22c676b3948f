"""caseaudit served as production serves it, for the production smoke test (.ci/production_smoke.py)
and the load benchmark (bench/load_bench.py): production settings, a fresh PostgreSQL database,
gunicorn on a free loopback port, and just enough of a browser to sign in and use it.

There is no TLS proxy in front, so every request says X-Forwarded-Proto: https, as the proxy
would: production's redirect to HTTPS and its secure cookies stay exactly as deployed.
"""

import http.client
import http.cookies
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REQUEST_TIMEOUT = 30
STARTUP_TIMEOUT = 60
STEP_TIMEOUT = 600


class ServeFailed(Exception):
    pass


def fresh_database(url: str) -> None:
    """Drop and recreate the database ``url`` names, through the server's maintenance one."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ServeFailed(f"refusing to drop a database named {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def production_env(data_dir: Path, database_url: str) -> dict[str, str]:
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
        "DATABASE_URL": database_url,
        "CASEAUDIT_DATA_DIR": str(data_dir),
        "STATIC_ROOT": str(data_dir / "static"),
        # The smoke test and the load benchmark sign in with passwords (production's default
        # is single sign-on only).
        "CASEAUDIT_LOCAL_PASSWORDS": "on",
    }


def run(env: dict, *args: str) -> None:
    """A step in a child process. What it prints goes to standard error: a benchmark's
    standard output is its JSON alone."""
    subprocess.run(  # noqa: S603 # nosec B603
        [*args], cwd=ROOT, env=env, check=True, timeout=STEP_TIMEOUT, stdout=sys.stderr
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, *, workers: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 # nosec B603
        [
            str(BIN / "gunicorn"),
            "caseaudit.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
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


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


class Browser:
    """Just enough of one: cookies (secure ones too, as behind TLS), and the proxy's header."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        }
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
            raise ServeFailed(f"GET {path} answered {response.status}, not {status}")
        return response, content.decode("utf-8", "replace")

    def sign_in(self, username: str, password: str) -> None:
        """Through the real form, CSRF and all."""
        _, page = self.get("/account/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None or "csrftoken" not in self.cookies:
            raise ServeFailed("the sign-in page has no CSRF token")
        response, _ = self.request(
            "POST",
            "/account/sign-in/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise ServeFailed(
                f"signing in as {username} answered {response.status}, not a redirect with a "
                "session"
            )


def wait_until_serving(browser: Browser, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServeFailed(f"gunicorn exited with status {server.returncode}")
        try:
            browser.request("GET", "/account/sign-in/")
            return
        except OSError:
            time.sleep(0.5)
    raise ServeFailed(f"gunicorn did not answer within {STARTUP_TIMEOUT} s")
