"""The judgement areas Ofsted has used, as reference data (every council has them; a council
may add its own). Dates say when each was in force, so an inspection offers the areas of its
day: the single inspection framework's (seed 004's re-inspection of 2018 used them), then the
ILACS framework's, where care leavers became a judgement of their own in January 2023 and
overall effectiveness is no longer given from April 2026."""

import datetime

from django.db import migrations

SIF, ILACS = "Single inspection framework", "ILACS"
D = datetime.date
SIF_FROM, SIF_UNTIL = D(2013, 11, 1), D(2018, 12, 31)
ILACS_FROM = D(2018, 1, 1)
SPLIT = D(2023, 1, 1)

AREAS = [
    # name, framework, order, active from, active until
    ("Overall effectiveness", "", 10, SIF_FROM, D(2026, 3, 31)),
    (
        "The impact of leaders on social work practice with children and families",
        ILACS,
        20,
        ILACS_FROM,
        None,
    ),
    (
        "The experiences and progress of children who need help and protection",
        ILACS,
        30,
        ILACS_FROM,
        None,
    ),
    (
        "The experiences and progress of children in care and care leavers",
        ILACS,
        40,
        ILACS_FROM,
        SPLIT - datetime.timedelta(days=1),
    ),
    ("The experiences and progress of children in care", ILACS, 41, SPLIT, None),
    ("The experiences and progress of care leavers", ILACS, 42, SPLIT, None),
    ("Children who need help and protection", SIF, 110, SIF_FROM, SIF_UNTIL),
    ("Children looked after and achieving permanence", SIF, 120, SIF_FROM, SIF_UNTIL),
    ("Adoption performance", SIF, 121, SIF_FROM, SIF_UNTIL),
    ("Experiences and progress of care leavers", SIF, 122, SIF_FROM, SIF_UNTIL),
    ("Leadership, management and governance", SIF, 130, SIF_FROM, SIF_UNTIL),
]


def create_areas(apps, schema_editor):
    JudgementArea = apps.get_model("inspection", "JudgementArea")
    for name, framework, order, active_from, active_until in AREAS:
        JudgementArea.objects.update_or_create(
            council=None,
            name=name,
            defaults={
                "framework": framework,
                "order": order,
                "active_from": active_from,
                "active_until": active_until,
            },
        )


def remove_areas(apps, schema_editor):
    # A plain DELETE, not the ORM's collector: unapplying, the collector walks the relations
    # of the historical models and fails on them ("Must be JudgementArea instance"). An area
    # a judgement or recommendation still names is kept by the database's foreign key.
    JudgementArea = apps.get_model("inspection", "JudgementArea")
    national = JudgementArea.objects.filter(council=None, name__in=[a[0] for a in AREAS])
    national._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_inspections")]

    operations = [migrations.RunPython(create_areas, remove_areas)]
