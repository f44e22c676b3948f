from django.db import migrations

from caseaudit.core.chain import create_head, protect_table


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(*create_head("changes")),
        migrations.RunPython(*protect_table("core_changerecord")),
    ]
