"""Children and everything the Annex A lists say about them, kept per snapshot.

Each import is a ``Snapshot`` "as at" a date: its rows are the council's lists on that date.
The latest snapshot is current; older ones stay, so trends can compare them. A ``Child`` is
the one lasting record of a child in a council, with the attributes and allocation from the
latest snapshot that mentions them.

The eleven list tables are declared from the Annex A schema (``annex_a/schema.py``), so the
reader and the database can never disagree about a column.
"""

from django.conf import settings
from django.db import models

from caseaudit.cases.annex_a import LISTS_BY_KEY, ColumnSpec
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.querysets import ChildQuerySet, RecordQuerySet


class Snapshot(models.Model):
    council = models.ForeignKey(
        "organisation.Council", on_delete=models.PROTECT, related_name="snapshots"
    )
    as_at = models.DateField()
    source_name = models.CharField(max_length=255)
    # Identifies the file's bytes: the same file again is recognised and changes nothing.
    source_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.JSONField(default=dict, help_text="Rows loaded per list.")

    class Meta:
        ordering = ["-as_at"]
        get_latest_by = "as_at"
        constraints = [
            models.UniqueConstraint(fields=["council", "as_at"], name="one_snapshot_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.council} as at {self.as_at:%-d %B %Y}"


class Child(models.Model):
    # No index of its own: the unique (council, LA child ID) constraint's index starts with it.
    # Only the importer writes children, for the council it was given, so the database is not
    # asked to check the reference for each child (at commit, 1.5 s a million rows); councils
    # are never deleted, and Django still applies on_delete.
    council = models.ForeignKey(
        "organisation.Council",
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,
        db_constraint=False,
    )
    la_child_id = models.CharField("LA child ID", max_length=50)
    gender = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=20, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    disability = models.CharField(max_length=1, blank=True)
    uasc = models.CharField("UASC", max_length=1, blank=True)
    # Current allocation, from the latest snapshot; the snapshots keep its history. Like the
    # list rows it is worked out from, only the importer writes it, in the transaction that
    # writes those rows, so the database does not check these references: at a million rows
    # the deferred checks cost seconds at commit (bench/import_bench.py), and
    # cases/tests/test_import.py checks every reference after an import. Teams and workers
    # are never deleted (they close), and Django still applies on_delete. Indexed once, by
    # Meta.indexes.
    allocated_team = models.ForeignKey(
        "organisation.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    allocated_worker = models.ForeignKey(
        "organisation.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Not indexed: nearly every child of a council is in its latest snapshot, so an index
    # would not narrow a query down, and it would be written for every child an import writes.
    last_snapshot = models.ForeignKey(
        Snapshot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children"
        ordering = ["la_child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "la_child_id"], name="child_id_unique_in_council"
            )
        ]
        indexes = [
            models.Index(fields=["allocated_team"]),
            models.Index(fields=["allocated_worker"]),
        ]

    def __str__(self) -> str:
        return f"Child {self.la_child_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:child", args=[self.pk])


class ImportRun(models.Model):
    """One attempt to import a file, whatever became of it: the upload page shows its
    progress, and the data-quality report lists its problems."""

    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default="queued")
    source_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    as_at = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    rows_read = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"


class ImportProblem(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    severity = models.CharField(max_length=10)
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    value = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    # A cell that could not be read and was loaded blank (the data-quality report lists them).
    left_blank = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message


class CohortDefinition(models.Model):
    """A named cohort a lead built on the cohort page: conditions over the case data, kept as
    data (``cases.cohorts.Condition.as_data``) and evaluated "as at" a date by
    ``cases.cohorts.evaluate``. Never raw SQL: every condition names a field and comparison
    that ``cases.cohorts`` offers."""

    council = models.ForeignKey(
        "organisation.Council", on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    conditions = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="cohort_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:cohort", args=[self.pk])


# --- the eleven lists ----------------------------------------------------------------------

# Said once, on Child, rather than on every row of every list.
CHILD_COLUMNS = frozenset(
    {"child_id", "gender", "ethnicity", "date_of_birth", "age", "disability", "uasc"}
)
# Names in the file, matched to (or added to) the organisation on import.
STAFF_COLUMNS = {"allocated_worker": "allocated_worker", "personal_adviser": "personal_adviser"}


def _field_for(column: ColumnSpec) -> models.Field:
    options = {"verbose_name": column.header, "blank": True}
    match column.kind:
        case "date":
            return models.DateField(null=True, **options)
        case "int":
            return models.IntegerField(null=True, **options)
        case "decimal":
            return models.DecimalField(max_digits=8, decimal_places=2, null=True, **options)
        case "code" | "yesno":
            return models.CharField(max_length=20, **options)
        case "id":
            return models.CharField(max_length=50, **options)
    return models.TextField(**options)


class CaseRecord(models.Model):
    """One row of one Annex A list in one snapshot."""

    list_key: str = ""

    # Queries reach these rows by snapshot and child together, through the (snapshot, child)
    # index each list declares; single-column indexes on the foreign keys would only slow the
    # loading of a million rows (measured: bench/import_bench.py). The reference is not
    # checked by the database either, for the reason given at _LOADED_REFERENCE: the importer
    # writes a snapshot's rows in the transaction that creates it, and deleting a snapshot
    # deletes its rows through Django's cascade (tested in cases/tests/test_import.py).
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    # Columns the file had beyond Annex A's, kept as they came.
    extras = models.JSONField(null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


# How list rows point at their snapshot, children, teams and workers. The importer is the only
# writer of list rows and creates what they point at in the same transaction, so the database
# is not asked to check each reference: on PostgreSQL those deferred checks ran once per row
# per reference at commit (about 70 s per million rows, measured with bench/import_bench.py).
# No index either: queries reach list rows through (snapshot, child).
# cases/tests/test_import.py checks every reference after an import.
_LOADED_REFERENCE = {"db_index": False, "db_constraint": False}


def _list_model(name: str, list_key: str, *, plural: str, about_a_child: bool = True):
    spec = LISTS_BY_KEY[list_key]
    attrs: dict = {
        "__module__": __name__,
        "list_key": list_key,
        "Meta": type(
            "Meta",
            (),
            {
                "verbose_name": spec.title[:-1] if spec.title.endswith("s") else spec.title,
                "verbose_name_plural": plural,
                "ordering": ["snapshot", "row_number"],
                "indexes": [
                    models.Index(fields=["snapshot", "child"])
                    if about_a_child
                    else models.Index(fields=["snapshot"])
                ],
            },
        ),
    }
    if about_a_child:
        attrs["child"] = models.ForeignKey(
            Child, on_delete=models.CASCADE, related_name="+", **_LOADED_REFERENCE
        )
    for column in spec.columns:
        if about_a_child and column.field in CHILD_COLUMNS:
            continue
        if column.field == "allocated_team":
            attrs["allocated_team"] = models.ForeignKey(
                "organisation.Team",
                null=True,
                blank=True,
                on_delete=models.PROTECT,
                related_name="+",
                **_LOADED_REFERENCE,
            )
            attrs["allocated_team_name"] = models.CharField(
                "Allocated Team", max_length=255, blank=True
            )
            continue
        if column.field in STAFF_COLUMNS:
            attrs[column.field] = models.ForeignKey(
                "organisation.Worker",
                null=True,
                blank=True,
                on_delete=models.PROTECT,
                related_name="+",
                **_LOADED_REFERENCE,
            )
            attrs[f"{column.field}_name"] = models.CharField(
                column.header, max_length=255, blank=True
            )
            continue
        attrs[column.field] = _field_for(column)
    return type(name, (CaseRecord,), attrs)


Contact = _list_model("Contact", "contacts", plural="contacts")
EarlyHelpAssessment = _list_model(
    "EarlyHelpAssessment", "early_help", plural="early help assessments"
)
Referral = _list_model("Referral", "referrals", plural="referrals")
Assessment = _list_model("Assessment", "assessments", plural="assessments")
Section47Enquiry = _list_model("Section47Enquiry", "section47", plural="section 47 enquiries")
CINEpisode = _list_model("CINEpisode", "cin", plural="children in need episodes")
CPPlan = _list_model("CPPlan", "cp", plural="child protection plans")
CLAEpisode = _list_model("CLAEpisode", "cla", plural="children looked after episodes")
CareLeaver = _list_model("CareLeaver", "care_leavers", plural="care leavers")
Adoption = _list_model("Adoption", "adoption", plural="adoptions")
Adopter = _list_model("Adopter", "adopters", plural="adopters", about_a_child=False)

# The table for each list, by the schema's key.
LIST_MODELS: dict[str, type[CaseRecord]] = {
    model.list_key: model
    for model in (
        Contact,
        EarlyHelpAssessment,
        Referral,
        Assessment,
        Section47Enquiry,
        CINEpisode,
        CPPlan,
        CLAEpisode,
        CareLeaver,
        Adoption,
        Adopter,
    )
}
