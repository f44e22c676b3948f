from django.db import migrations

from caseaudit.core.chain import create_head, protect_table


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("core", "0001_initial")]

    operations = [
        migrations.RunPython(*create_head("access")),
        migrations.RunPython(*protect_table("accounts_accesslog")),
    ]
