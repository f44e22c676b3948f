"""`caseaudit demo`: build the demo council (once) and, with --serve, serve it."""

import subprocess
import sys
import time

from django.core.management import BaseCommand, call_command

from caseaudit.accounts.demo import DEMO_PASSWORD, ensure_demo_logins
from caseaudit.organisation.demo import load_council, move_some_staff
from caseaudit.organisation.generator import build_council
from caseaudit.organisation.models import Council


class Command(BaseCommand):
    help = "Build the synthetic demo council and print its logins; --serve also serves it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--serve", action="store_true", help="start the web server after")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, seed: int, serve: bool, addrport: str, **options):
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
        logins = ensure_demo_logins(council)
        self.stdout.write(f"Ready in {time.monotonic() - started:.1f} s.\n")
        self.stdout.write(f"Open http://{addrport}/ and sign in with any of these logins.")
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}\n")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.description}")
        if serve:
            self.stdout.write("")
            # Background work (uploaded imports) runs in a worker beside the web server.
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "caseaudit", "db_worker", "--interval", "1"]
            )
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)
