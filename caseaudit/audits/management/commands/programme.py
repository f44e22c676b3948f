"""`caseaudit programme`: the monthly programme from the command line.

caseaudit programme months
caseaudit programme sample --month 2024-03 [--per-team N] [--seed S] [--confirm]
caseaudit programme allocate --month 2024-03
caseaudit programme compliance [--from YYYY-MM] [--to YYYY-MM] [--json]
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from caseaudit.audits.actions import allocation, programme, sampling
from caseaudit.audits.choices import SampleStatus
from caseaudit.audits.compliance_text import add_compliance_arguments, write_compliance
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.core.months import parse_month
from caseaudit.organisation.selection import council_for


def month_arg(text: str) -> datetime.date:
    """The first day of the month YYYY-MM."""
    try:
        return parse_month(text)
    except ValueError:
        raise CommandError(
            f"Give the month as YYYY-MM, for example 2024-03 (not {text!r})."
        ) from None


class Command(BaseCommand):
    help = "List programme months, draw (and confirm) a month's sample, or allocate it."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(
            dest="job", required=True, metavar="{months,sample,allocate,compliance}"
        )
        months = jobs.add_parser("months", help="list the programme months")
        sample = jobs.add_parser("sample", help="draw a month's sample and print it")
        sample.add_argument("--per-team", type=int, default=1, help="cases per team (default 1)")
        sample.add_argument("--seed", type=int, help="repeat a draw exactly (default: random)")
        sample.add_argument("--confirm", action="store_true", help="confirm the sample drawn")
        allocate = jobs.add_parser("allocate", help="allocate a month's confirmed sample")
        compliance = jobs.add_parser("compliance", help="audit and re-audit compliance")
        add_compliance_arguments(compliance)
        for job in (months, sample, allocate, compliance):
            job.add_argument("--council", help="the council's code, if there is more than one")
        for job in (sample, allocate):
            job.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, job: str, council: str | None, **options):
        chosen = council_for(council)
        try:
            if job == "months":
                self._months(chosen)
            elif job == "sample":
                self._sample(chosen, **options)
            elif job == "compliance":
                write_compliance(
                    self.stdout,
                    chosen,
                    from_month=options["from_month"],
                    to_month=options["to_month"],
                    json=options["json"],
                )
            else:
                self._allocate(chosen, **options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _month(self, council, text: str) -> ProgrammeMonth:
        first = month_arg(text)
        month = ProgrammeMonth.objects.filter(council=council, month=first).first()
        if month is None:
            raise CommandError(
                f"{council} has no programme month for {first:%B %Y}. "
                "`caseaudit programme months` lists the months there are."
            )
        return month

    def _months(self, council) -> None:
        months = programme.months_with_counts(council)
        if not months:
            self.stdout.write(f"{council} has no programme months yet.")
            return
        header = f"{'Month':<7}  {'Status':<8}  {'Sample':>6}  {'Allocated':>9}  {'Completed':>9}"
        self.stdout.write(f"{header}  Audit tool")
        for month in months:
            self.stdout.write(
                f"{month.month:%Y-%m}  {month.get_status_display():<8}  {month.sample_size:>6}  "
                f"{month.allocated:>9}  {month.completed:>9}  {month.tool_version}"
                + (f" (cohort: {month.cohort_key})" if month.cohort_key else "")
            )

    def _sample(self, council, *, month, per_team, seed, confirm, **options) -> None:
        chosen = self._month(council, month)
        sample = sampling.draw_sample(chosen, per_team=per_team, seed=seed, by=None)
        if confirm:
            sample = sampling.confirm_sample(sample, by=None)
        cases = list(sample.cases.select_related("child", "team", "worker"))
        state = "confirmed" if sample.status == SampleStatus.CONFIRMED else "preview"
        self.stdout.write(
            f"Sample for {chosen} ({state}), seed {sample.seed}: {len(cases)} case"
            f"{'s' if len(cases) != 1 else ''}."
        )
        for case in cases:
            worker = case.worker.name if case.worker else "no worker"
            self.stdout.write(
                f"  {case.child.la_child_id:<12} {case.team} / {worker}: {case.reason}"
            )
        if not confirm:
            self.stdout.write(
                f"Repeat this draw with --seed {sample.seed}; add --confirm to confirm it."
            )

    def _allocate(self, council, *, month: str, **options) -> None:
        chosen = self._month(council, month)
        sample = chosen.samples.filter(status=SampleStatus.CONFIRMED).first()
        if sample is None:
            raise CommandError(
                f"{chosen} has no confirmed sample. Draw and confirm one first: "
                f"caseaudit programme sample --month {chosen.month:%Y-%m} --confirm"
            )
        audits = allocation.allocate_sample(sample, by=None)
        self.stdout.write(f"{len(audits)} audits allocated for {chosen}:")
        for audit in sorted(audits, key=lambda a: (a.auditor.username, a.child.la_child_id)):
            self.stdout.write(
                f"  {audit.child.la_child_id:<12} {audit.team} → {audit.auditor.display_name}, "
                f"due {audit.due_date:%-d %B %Y}"
            )
