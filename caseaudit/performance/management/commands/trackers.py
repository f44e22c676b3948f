"""`caseaudit trackers --as-at YYYY-MM-DD [--council CODE] [--json] [--children]`: each
practice-standard tracker's counts for the whole council. Counts only, unless ``--children``
asks for each tracker's children too (the command line is for administrators of the server,
who can read the database anyway)."""

import json

from django.core.management import BaseCommand, CommandError

from caseaudit.cases.models import Child
from caseaudit.organisation.selection import council_for
from caseaudit.performance.indicators import NoSnapshot, snapshot_for
from caseaudit.performance.management.commands.indicators import _date
from caseaudit.performance.trackers import TRACKERS, every_tracker, team_counts


class Command(BaseCommand):
    help = "Print each practice-standard tracker's counts for a council's case data as at a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-at", required=True, help="the case data's date, YYYY-MM-DD")
        parser.add_argument("--council", help="the council's code, if there is more than one")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--children", action="store_true", help="list each tracker's children too"
        )

    def handle(self, *args, as_at: str, council, json: bool, children: bool, **options):
        day = _date(as_at)
        chosen = council_for(council)
        try:
            snapshot = snapshot_for(chosen, day)
        except NoSnapshot as error:
            raise CommandError(str(error)) from error
        rows = every_tracker(snapshot, Child.objects.filter(council=chosen))
        teams = team_counts(rows)
        if json:
            self.stdout.write(_dumps(_as_json(day, rows, teams, children=children)))
            return
        self.stdout.write(f"Practice-standard trackers as at {day:%-d %B %Y}")
        for code, tracker in TRACKERS.items():
            overdue = sum(row.overdue for row in rows[code])
            self.stdout.write(
                f"  {tracker.name}: {len(rows[code]):,} children, {overdue:,} overdue  [{code}]"
            )
            for team in teams:
                tracked, late = team.counts[code]
                if tracked:
                    self.stdout.write(f"    {team.team}: {tracked:,}, {late:,} overdue")
            if children:
                for row in rows[code]:
                    late = f"{row.overdue_days} {tracker.unit} overdue" if row.overdue else "due"
                    self.stdout.write(
                        f"    - {row.la_child_id}  {row.team}  {row.worker}  "
                        f"{row.due.isoformat()}  {late}"
                    )


def _as_json(day, rows, teams, *, children: bool) -> dict:
    printed = {}
    for code, tracker in TRACKERS.items():
        entry = {
            "name": tracker.name,
            "children": len(rows[code]),
            "overdue": sum(row.overdue for row in rows[code]),
            "unit": tracker.unit,
            "by_team": [
                {
                    "team": team.team,
                    "children": team.counts[code][0],
                    "overdue": team.counts[code][1],
                }
                for team in teams
                if team.counts[code][0]
            ],
        }
        if children:
            entry["rows"] = [
                {
                    "la_child_id": row.la_child_id,
                    "team": row.team,
                    "worker": row.worker,
                    "due": row.due.isoformat(),
                    "overdue": row.overdue_days,
                }
                for row in rows[code]
            ]
        printed[code] = entry
    return {"as_at": day.isoformat(), "trackers": printed}


def _dumps(data) -> str:
    return json.dumps(data, indent=2)
