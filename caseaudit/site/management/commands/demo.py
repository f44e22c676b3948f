"""`caseaudit demo`: build the demo council (once) and, with --serve, serve it."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.utils import timezone

from caseaudit.accounts.demo import DEMO_PASSWORD, ensure_auditor_accounts, ensure_demo_logins
from caseaudit.accounts.models import User
from caseaudit.audits.demo import alert_for_demo_manager, build_history
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.cases.generator import generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Snapshot
from caseaudit.core.months import parse_month
from caseaudit.inspection.demo import build_inspection, build_mock_inspection
from caseaudit.organisation.demo import load_council, move_some_staff
from caseaudit.organisation.generator import build_council
from caseaudit.organisation.models import Council
from caseaudit.performance.demo import ensure_population, ensure_tracker_events
from caseaudit.reports.demo import (
    publish_help_and_protection_self_evaluation,
    publish_last_month,
    publish_select_committee_pack,
    publish_thematic_overview,
)
from caseaudit.thematic.demo import build_thematic_audits


def demo_as_at(today: datetime.date) -> datetime.date:
    """The demo's case data is as at the end of last month, as a council's latest return is."""
    return today.replace(day=1) - datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Build the synthetic demo council and print its logins; --serve also serves it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--serve", action="store_true", help="start the web server after")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--programme-from",
            default="2018-11",
            help="first month of the audit programme's history, YYYY-MM (default 2018-11)",
        )

    def _import_case_data(self, council, seed: int) -> None:
        """Generate the council's Annex A return and load it through the real importer."""
        if Snapshot.objects.filter(council=council).exists():
            return
        as_at = demo_as_at(timezone.localdate())
        folder = Path(settings.DATA_DIR) / "demo"
        self.stdout.write(f"Generating its case data as at {as_at:%-d %B %Y} (synthetic)…")
        generated = generate_council(folder, seed=seed, scale=1.0, as_at=as_at, fmt="csv")
        self.stdout.write(f"Importing {generated.total_rows:,} rows through the importer…")
        summary = import_annex_a(generated.path, council=council, as_at=as_at)
        if summary.refused:
            raise CommandError(f"The demo's own case data was refused: {summary.problems[:3]}")
        ensure_population(council, as_at.year)
        self.stdout.write(
            f"  {summary.children_created:,} children, {summary.warnings:,} warnings, "
            f"{summary.seconds:.0f} s."
        )

    def _build_programme(self, council, seed: int, programme_from: str) -> None:
        """Years of audit programme, replayed through the programme's own actions."""
        try:
            first_month = parse_month(programme_from)
        except ValueError as error:
            raise CommandError(str(error)) from error

        created = ensure_auditor_accounts(council)
        if ProgrammeMonth.objects.filter(council=council).exists():
            return
        self.stdout.write(
            f"Running the audit programme from {first_month:%B %Y} to this month "
            f"({created} team managers audit)…"
        )
        started = time.monotonic()
        history = build_history(council, seed=seed, first_month=first_month)
        alert_for_demo_manager(council)
        grades = ", ".join(f"{n:,} {g.replace('_', ' ')}" for g, n in history.grades.most_common())
        self.stdout.write(
            f"  {history.months} months ({history.paused} paused), {history.audits:,} audits and "
            f"{history.reaudits:,} re-audits due; judgements: {grades}; "
            f"{history.reflections:,} reflections, {history.feedback:,} feedback, "
            f"{history.moderated:,} moderated; {time.monotonic() - started:.0f} s."
        )

    def _publish_report(self, council) -> None:
        """Last month closed and its highlight report published, as a QA lead does at month
        end (once)."""
        qa_lead = User.objects.get(council=council, username="qa.lead")
        report = publish_last_month(council, qa_lead=qa_lead, today=timezone.localdate())
        if report is not None:
            self.stdout.write(f"Published the audit highlight report for {report.period_label}.")

    def _build_thematic_audits(self, council) -> None:
        """Four thematic audits shaped like the seeds', at four stages (once)."""
        built = build_thematic_audits(council, today=timezone.localdate())
        if built.thematic:
            self.stdout.write(
                f"Ran {built.thematic} thematic audits ({built.audits} of their audits done)."
            )
        qa_lead = User.objects.get(council=council, username="qa.lead")
        overview = publish_thematic_overview(council, qa_lead=qa_lead, today=timezone.localdate())
        if overview is not None:
            self.stdout.write(f"Published the {overview.title}.")
        pack = publish_select_committee_pack(council, qa_lead=qa_lead, today=timezone.localdate())
        if pack is not None:
            self.stdout.write(f"Published the select-committee pack: {pack.title}.")

    def _build_inspection(self, council) -> None:
        """The last inspection (seed 004), its 18 recommendations tracked to actions, evidence
        and RAG (once)."""
        built = build_inspection(council, today=timezone.localdate())
        if built.inspection is not None:
            self.stdout.write(
                f"Recorded the {built.inspection}: {built.recommendations} recommendations, "
                f"{built.actions} actions, {built.evidence} pieces of evidence."
            )
        mock = build_mock_inspection(council, today=timezone.localdate())
        if mock is not None:
            self.stdout.write(f"Carried out a {mock.get_kind_display().lower()}: {mock}.")
        qa_lead = User.objects.get(council=council, username="qa.lead")
        evaluation = publish_help_and_protection_self_evaluation(
            council, qa_lead=qa_lead, today=timezone.localdate()
        )
        if evaluation is not None:
            self.stdout.write(f"Published the {evaluation.title}.")

    def handle(self, *args, seed: int, serve: bool, addrport: str, programme_from: str, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        spec = build_council(seed=seed)
        council = Council.objects.filter(code=spec.code).first()
        if council is None:
            self.stdout.write(f"Building the demo council, {spec.name}…")
            council = load_council(spec)
            moved = move_some_staff(council, spec)
            self.stdout.write(
                f"  {council.teams.count()} teams, {council.workers.count()} staff "
                f"({moved} moved team in 2024)."
            )
        else:
            self.stdout.write(f"The demo council, {council.name}, is already built.")
        self._import_case_data(council, seed)
        added = ensure_tracker_events(council)
        if added:
            self.stdout.write(f"Imported {added:,} tracker events (meetings, missing episodes).")
        logins = ensure_demo_logins(council)
        self._build_programme(council, seed, programme_from)
        self._publish_report(council)
        self._build_thematic_audits(council)
        self._build_inspection(council)
        self.stdout.write(f"Ready in {time.monotonic() - started:.1f} s.\n")
        self.stdout.write(f"Open http://{addrport}/ and sign in with any of these logins.")
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}\n")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.description}")
        if serve:
            self.stdout.write("")
            self._serve(addrport)

    def _serve(self, addrport: str) -> None:
        """Serve as production does: gunicorn, DEBUG off (GOV.UK error pages, never Django's
        technical ones), static files from WhiteNoise; the background worker beside it."""
        env = {**os.environ, "DEBUG": "off"}
        # Background work (uploaded imports, publishing) runs in a worker beside the server.
        worker = subprocess.Popen(  # noqa: S603 # nosec B603
            [sys.executable, "-m", "caseaudit", "db_worker", "--interval", "1"], env=env
        )
        server = subprocess.Popen(  # noqa: S603 # nosec B603
            [*gunicorn_command(addrport)], env=env
        )
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=15)


def gunicorn_command(addrport: str) -> list[str]:
    """The demo's web server: gunicorn, as the README says production runs it, with fewer
    workers (SQLite takes one writer at a time)."""
    return [
        sys.executable,
        *("-m", "gunicorn", "caseaudit.wsgi"),
        f"--bind={addrport}",
        "--workers=2",
        "--access-logfile=-",
        # No control socket: nothing uses it, and it would go in $HOME.
        "--no-control-socket",
    ]
