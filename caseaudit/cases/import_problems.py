"""An import's problems, grouped by rule: the same check on the same list (a column's values,
a sheet's headings, the file itself), named as the Annex A guide names its lists.

Counted in the database; only the rows of the group being read are fetched, a page at a time.
"""

from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet

from caseaudit.cases.annex_a.schema import find_list_for_sheet
from caseaudit.cases.models import ImportProblem, ImportRun

PROBLEMS_PER_PAGE = 50


@dataclass(frozen=True)
class ProblemGroup:
    number: int  # 1-based, in the order shown: errors first, then as the file met them
    sheet: str
    column: str
    severity: str
    count: int

    @property
    def list_name(self) -> str:
        """ "List 8: Children in care", or the sheet's own name when it is not an Annex A list;
        "The whole file" for problems above any one sheet."""
        if not self.sheet:
            return "The whole file"
        spec = find_list_for_sheet(self.sheet)
        return spec.guide_name if spec is not None else f"Sheet '{self.sheet}'"

    @property
    def checked(self) -> str:
        """What the rule checks: a column's values, or the list's sheet as a whole."""
        if self.column:
            return self.column
        return "The file" if not self.sheet else "The list's sheet and headings"

    def problems(self, run: ImportRun) -> QuerySet[ImportProblem]:
        return run.problems.filter(sheet=self.sheet, column=self.column, severity=self.severity)


def problem_groups(run: ImportRun) -> list[ProblemGroup]:
    rows = (
        run.problems.values("sheet", "column", "severity")
        .annotate(count=Count("id"), first=Min("id"))
        # "error" sorts before "warning".
        .order_by("severity", "first")
    )
    return [
        ProblemGroup(number, row["sheet"], row["column"], row["severity"], row["count"])
        for number, row in enumerate(rows, start=1)
    ]
