"""The audit tools' models now belong to the ``tools`` app (``tools`` 0001), on the same tables.

Only Django's state changes here: the programme's foreign keys point at the models in their
new app (the same tables, so the database's constraints are already right) and the models
leave this app's state. Nothing in the database is altered, and no row moves.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0006_reflection_sheet_lock_version"),
        ("tools", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="audit",
                    name="tool_version",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audits",
                        to="tools.toolversion",
                    ),
                ),
                migrations.AlterField(
                    model_name="programmemonth",
                    name="tool_version",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="months",
                        to="tools.toolversion",
                    ),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="question",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tools.question",
                    ),
                ),
                migrations.AlterField(
                    model_name="moderateddomain",
                    name="domain",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tools.domain",
                    ),
                ),
                # Each after whatever still pointed at it, so the state is whole at every step.
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="GradeDescriptor"),
                migrations.DeleteModel(name="Domain"),
                migrations.DeleteModel(name="ToolVersion"),
                migrations.DeleteModel(name="AuditTool"),
            ],
            database_operations=[],
        ),
    ]
