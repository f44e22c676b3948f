"""Load: caseaudit under gunicorn, as production serves it, with many people signed in at once.

On a fresh PostgreSQL database (production settings, as ``bench/served.py`` serves them):
the demo council with its last few months of programme. Its auditors (team managers) with an
audit still to do are the first ``--clients``; past them (the demo has about forty), clients
are the QA lead's and the director's logins, reading. Gunicorn serves it on a loopback port
with the workers the README recommends. Each client signs in through the form, then for
``--seconds`` works, with a pause between requests (``--think`` seconds on average): an
auditor opens the home page, their audits list, their audit, and autosaves something typed
into it (a new text and the version it last saw, as autosave.js sends it); a reader opens the
home page, the children's list, an audit and the compliance page.

Afterwards every client's audit is opened again: the text it saved last must be there (an
autosave answered "saved" and then lost is counted). Printed: requests per second, the 50th,
95th and 99th percentile response times (all requests, and per kind), errors (anything but
the expected status, or no answer), lost autosaves, and the targets: on these two cores,
p95 under 200 ms, no errors, no lost autosaves.

Bounded: at most 200 clients for at most 600 seconds, on 127.0.0.1 only.

    python -m bench load [--clients 50] [--seconds 60] [--think 5] [--workers 4]
"""

import argparse
import html
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import import_bench, programme_bench, served

TARGET_P95_MS = 200
# Seconds between one request and the next, on average: reading a page, choosing a grade,
# typing a sentence (autosave.js saves a few seconds after typing stops). Fifty people at this
# pace ask for about ten pages a second.
THINK = 5.0
MAX_CLIENTS = 200
MAX_SECONDS = 600
# The demo's programme from this many months back: enough open audits for the clients, and
# full lists, without replaying eight years.
PROGRAMME_MONTHS = 4
BENCH_DB = "caseaudit_bench_load"
KINDS = ("home", "your audits", "audit page", "autosave", "children", "compliance")
# The demo council has about 40 auditors. Past them, clients are the QA service and directors
# reading: the same audit pages (read-only) and the council-wide lists.
READERS = ("qa.lead", "director")


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=THINK, help="mean pause between requests")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README: 4)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--clients is 1 to {MAX_CLIENTS} and --seconds at most {MAX_SECONDS}")
    database_url = f"{_postgres_server()}/{BENCH_DB}"
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-load-") as folder:
        env = served.production_env(Path(folder), database_url)
        _say("fresh database, migrate, the demo council")
        served.fresh_database(database_url)
        python = str(served.BIN / "python")
        served.run(env, python, "manage.py", "migrate", "--noinput", "-v", "0")
        served.run(env, python, "-m", "bench.load_bench", "--build", str(args.clients))
        served.run(env, python, "manage.py", "collectstatic", "--noinput", "-v", "0")
        logins = json.loads((Path(folder) / "logins.json").read_text())
        port = served.free_port()
        _say(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers; {len(logins)} clients")
        server = served.start_gunicorn(env, port, workers=args.workers)
        try:
            served.wait_until_serving(served.Browser(port), server)
            result = _load(port, logins, args)
        finally:
            served.stop(server)
    return {
        "method": (
            f"{len(logins)} signed-in clients ({sum(1 for x in logins if x['auditing'])} "
            f"auditors: home, their audits, their audit page, an autosave; the rest readers: "
            f"home, children, an audit, compliance) on loopback for {args.seconds:g} s, "
            "each with a pause of "
            f"{args.think:g} s on average between requests; gunicorn with {args.workers} sync "
            "workers, production settings, PostgreSQL, the demo council"
        ),
        "targets": {"p95_ms": TARGET_P95_MS, "errors": 0, "lost_autosaves": 0},
        **result,
        # Too short a run for a 95th percentile meets nothing.
        "targets_met": result["p95_ms"] is not None
        and result["p95_ms"] < TARGET_P95_MS
        and result["errors"] == 0
        and result["lost_autosaves"] == 0,
    }


class Client:
    """One auditor in a browser: signs in, then works through the pages in turn."""

    def __init__(self, port: int, login: dict, rng):
        self.browser = served.Browser(port)
        self.username, self.password = login["username"], login["password"]
        self.audit_id, self.auditing = login["audit"], login["auditing"]
        self.rng = rng
        self.csrf = ""
        self.form: dict[str, str] = {}
        self.text_field = ""
        # An auditor works on one part of the audit at a time (the task list's last part, the
        # overall judgement, has the text to type); readers see the whole audit's page.
        self.part = 0
        self.saved_text: str | None = None
        self.timings: list[tuple[str, float, bool]] = []
        self.problems: list[str] = []

    def sign_in(self) -> None:
        self.browser.sign_in(self.username, self.password)

    def work(self, until: float, think: float) -> None:
        if self.auditing:
            steps = (self.home, self.your_audits, self.audit_page, self.autosave)
        else:
            steps = (self.home, self.children, self.audit_page, self.compliance)
        index = 0
        # People do not all press a key in the same second.
        time.sleep(self.rng.uniform(0, think))
        while time.monotonic() < until:
            step = steps[index % len(steps)]
            if step == self.autosave and not self.form:
                step = self.audit_page
            started = time.perf_counter()
            try:
                ok = step()
            except OSError as error:
                ok = False
                self.problems.append(f"{step.__name__}: {error}")
            kind = step.__name__.replace("_", " ")
            self.timings.append((kind, time.perf_counter() - started, ok))
            index += 1
            time.sleep(self.rng.uniform(0.5 * think, 1.5 * think))

    def _get(self, path: str) -> tuple[bool, str]:
        response, content = self.browser.request("GET", path)
        if response.status != 200:
            self.problems.append(f"GET {path}: {response.status}")
        return response.status == 200, content.decode("utf-8", "replace")

    def home(self) -> bool:
        return self._get("/")[0]

    def your_audits(self) -> bool:
        return self._get("/audits/yours/")[0]

    def children(self) -> bool:
        return self._get("/case-data/children/")[0]

    def compliance(self) -> bool:
        return self._get("/audits/compliance/")[0]

    def _page_path(self) -> str:
        if self.auditing and not self.part:
            ok, task_list = self._get(f"/audits/{self.audit_id}/")
            parts = re.findall(rf"/audits/{self.audit_id}/part/(\d+)/", task_list) if ok else []
            self.part = max(map(int, parts), default=0)
        if self.auditing and self.part:
            return f"/audits/{self.audit_id}/part/{self.part}/"
        return f"/audits/{self.audit_id}/"

    def audit_page(self) -> bool:
        ok, page = self._get(self._page_path())
        if ok and self.auditing:
            self._read_form(page)
        return ok

    def autosave(self) -> bool:
        text = f"Load test note {self.username} {time.time_ns()}"
        form = {**self.form, self.text_field: text, "csrfmiddlewaretoken": self.csrf}
        response, content = self.browser.request(
            "POST",
            f"/audits/{self.audit_id}/autosave/?part={self.part}",
            form,
            headers={"HX-Request": "true"},
        )
        saved = response.status == 200 and response.headers.get("X-Autosave-Status") == "saved"
        if not saved:
            self.problems.append(f"autosave: {response.status}")
            return False
        self.saved_text = text
        version = re.search(r'name="lock_version"[^>]*value="(\d+)"', content.decode())
        if version:
            self.form["lock_version"] = version[1]
        return True

    def _read_form(self, page: str) -> None:
        """The audit form's fields as the page has them, as autosave.js would post them."""
        form = re.search(r"<form[^>]*data-autosave-key[^>]*>(.*?)</form>", page, re.S)
        if form is None:
            self.problems.append("the audit page has no autosave form")
            return
        body = form[1]
        fields: dict[str, str] = {}
        for tag in re.finditer(r"<input\b[^>]*>", body):
            name = re.search(r'name="([^"]+)"', tag[0])
            kind = re.search(r'type="([^"]+)"', tag[0])
            value = re.search(r'value="([^"]*)"', tag[0])
            if not name or (kind and kind[1] in ("radio", "checkbox") and "checked" not in tag[0]):
                continue
            fields[name[1]] = html.unescape(value[1]) if value else ""
        textareas = re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S)
        for name, value in textareas:
            fields[name] = html.unescape(value).strip("\n")
        self.csrf = fields.pop("csrfmiddlewaretoken", self.csrf)
        if textareas:
            self.text_field = textareas[0][0]
            self.form = fields

    def text_now(self) -> str | None:
        """What the audit's first written answer holds now, read from the page."""
        ok, page = self._get(self._page_path())
        field = re.escape(self.text_field)
        found = re.search(rf'<textarea[^>]*name="{field}"[^>]*>(.*?)</textarea>', page, re.S)
        return html.unescape(found[1]).strip("\n") if ok and found else None


def _load(port: int, logins: list[dict], args) -> dict:
    clients = [
        Client(port, login, random.Random(n))  # noqa: S311 # nosec B311
        for n, login in enumerate(logins)
    ]
    _say("signing in")
    for client in clients:
        client.sign_in()
    _say(f"working for {args.seconds:g} s")
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=client.work, args=(until, args.think), daemon=True)
        for client in clients
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - started
    lost = sum(1 for c in clients if c.saved_text is not None and c.text_now() != c.saved_text)
    timings = [t for client in clients for t in client.timings]
    errors = sum(1 for _, _, ok in timings if not ok)
    result = {
        "clients": len(clients),
        "seconds": round(elapsed, 1),
        "requests": len(timings),
        "requests_per_second": round(len(timings) / elapsed, 1),
        **_percentiles([seconds for _, seconds, _ in timings]),
        "errors": errors,
        "autosaves": sum(1 for kind, _, ok in timings if kind == "autosave" and ok),
        "lost_autosaves": lost,
        "by_kind": {
            kind: {
                "requests": sum(1 for k, _, _ in timings if k == kind),
                **_percentiles([s for k, s, _ in timings if k == kind]),
            }
            for kind in KINDS
            if any(k == kind for k, _, _ in timings)
        },
    }
    problems = [p for client in clients for p in client.problems]
    if problems:
        result["first_problems"] = problems[:5]
    return result


def _percentiles(seconds: list[float]) -> dict:
    if len(seconds) < 2:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def _postgres_server() -> str:
    """The server the import bench uses (BENCH_PG_ADMIN_URL), without its database."""
    return import_bench.PG_ADMIN_URL.split("?")[0].rsplit("/", 1)[0]


def _say(message: str) -> None:
    programme_bench._say(f"[bench load] {message}")


# In the served process (``--build N``) -------------------------------------------------------


def build(clients: int) -> None:
    """The demo council (its last few months of programme), and ``clients`` logins: auditors
    who can sign in, each with an audit still to do, then readers (the QA lead and director
    logins). The logins go to the data folder as JSON."""
    import django

    django.setup()
    import secrets

    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from caseaudit.accounts.choices import Role
    from caseaudit.accounts.demo import DEMO_PASSWORD
    from caseaudit.accounts.models import User
    from caseaudit.audits.choices import AuditStatus
    from caseaudit.audits.models import Audit
    from caseaudit.core import clock
    from caseaudit.core.months import add_months

    first = add_months(clock.today().replace(day=1), -PROGRAMME_MONTHS)
    call_command("demo", "--programme-from", f"{first:%Y-%m}", verbosity=0)
    to_do = (
        Audit.objects.filter(
            status__in=(AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS),
            auditor__role=Role.AUDITOR,
        )
        .order_by("auditor_id", "due_date", "pk")
        .values_list("auditor_id", "pk")
    )
    first_audit: dict[int, int] = {}
    for auditor, audit in to_do:
        first_audit.setdefault(auditor, audit)
    password = secrets.token_urlsafe(16)
    logins = []
    with transaction.atomic():
        for auditor_id, audit_id in list(first_audit.items())[:clients]:
            user = User.objects.get(pk=auditor_id)
            user.set_password(password)
            user.save(update_fields=["password"])
            logins.append(
                {
                    "username": user.username,
                    "password": password,
                    "audit": audit_id,
                    "auditing": True,
                }
            )
    audits = [audit for _, audit in to_do] or [None]
    for n in range(clients - len(logins)):
        logins.append(
            {
                "username": READERS[n % len(READERS)],
                "password": DEMO_PASSWORD,
                "audit": audits[n % len(audits)],
                "auditing": False,
            }
        )
    (Path(settings.DATA_DIR) / "logins.json").write_text(json.dumps(logins))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build(int(sys.argv[2]))
    else:
        print(json.dumps(run(sys.argv[1:]), indent=2))
