"""The audit tools' models, moved here from the ``audits`` app with their data in place.

Their tables were made by ``audits`` 0001 and keep their names (each model's ``db_table``), so
this only tells Django's state that the models now belong here: nothing in the database is
created, renamed or copied. ``audits`` 0007 then drops them from that app's state. The one
change in the database is the content types: they follow the models to ``tools``, so admin
permissions and log entries still point at them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["audittool", "toolversion", "domain", "gradedescriptor", "question"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # A fresh database has no content types yet (post_migrate makes them, with the new
        # label); and never make a second row for one model.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_tools(apps, schema_editor):
    _relabel(apps, "audits", "tools")


def content_types_to_audits(apps, schema_editor):
    _relabel(apps, "tools", "audits")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables and the tools that ship with caseaudit come from these two.
        ("audits", "0002_default_audit_tools"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditTool",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=150)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("practice", "Practice audit"),
                                    ("light_touch", "Light-touch audit"),
                                    ("thematic", "Thematic audit"),
                                ],
                                default="practice",
                                max_length=20,
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        ("has_overall_grade", models.BooleanField(default=True)),
                        (
                            "council",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty for the tools that ship with caseaudit.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="audit_tools",
                                to="organisation.council",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_audittool",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="ToolVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveIntegerField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("published", "Published"),
                                    ("retired", "Retired"),
                                ],
                                default="draft",
                                max_length=10,
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(blank=True, help_text="What changed in this version."),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "tool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="versions",
                                to="tools.audittool",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_toolversion",
                        "ordering": ["tool", "-number"],
                    },
                ),
                migrations.CreateModel(
                    name="Domain",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        ("title", models.CharField(max_length=200)),
                        ("guidance", models.TextField(blank=True)),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="domains",
                                to="tools.toolversion",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_domain",
                        "ordering": ["version", "position"],
                    },
                ),
                migrations.CreateModel(
                    name="GradeDescriptor",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "grade",
                            models.CharField(
                                choices=[
                                    ("outstanding", "Outstanding"),
                                    ("good", "Good"),
                                    ("requires_improvement", "Requires Improvement"),
                                    ("inadequate", "Inadequate"),
                                ],
                                max_length=25,
                            ),
                        ),
                        ("text", models.TextField()),
                        (
                            "domain",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="descriptors",
                                to="tools.domain",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_gradedescriptor",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("domain", "grade"), name="one_descriptor_per_grade"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        ("text", models.CharField(max_length=500)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("grade", "Grade (Outstanding to Inadequate)"),
                                    ("yes_no_partly", "Yes, no or partly"),
                                    ("rag", "Red, amber or green"),
                                    ("text", "Free text"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("required", models.BooleanField(default=True)),
                        ("guidance", models.TextField(blank=True)),
                        (
                            "domain",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="tools.domain",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_question",
                        "ordering": ["domain", "position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("domain", "position"), name="question_position_unique"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="toolversion",
                    constraint=models.UniqueConstraint(
                        fields=("tool", "number"), name="tool_version_number_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="toolversion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status", "draft")),
                        fields=("tool",),
                        name="one_draft_per_tool",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="domain",
                    constraint=models.UniqueConstraint(
                        fields=("version", "position"), name="domain_position_unique"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_tools, content_types_to_audits),
    ]
