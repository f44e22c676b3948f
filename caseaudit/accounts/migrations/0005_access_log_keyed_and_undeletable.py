"""Seal the access log under the log key, and make the database refuse DELETE as well as
UPDATE on it (core/resealing.py says why the entries are sealed again rather than marked)."""

from django.db import migrations

from caseaudit.core.resealing import key_the_chain


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_two_step_sign_in"),
        ("core", "0002_change_history_is_append_only"),
    ]

    operations = [
        migrations.RunPython(
            *key_the_chain(
                "accounts",
                "AccessLog",
                "access",
                fields=(
                    "username",
                    "action",
                    "record_type",
                    "record_id",
                    "record_ids",
                    "route",
                    "ip_address",
                ),
                optional=("record_ids",),
            )
        ),
    ]
