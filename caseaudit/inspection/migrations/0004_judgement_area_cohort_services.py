"""Whose audits speak for a judgement area becomes data: each area's ``cohort_services``,
the kinds of service its children are with (empty: every service's). Until now the
self-evaluation found them from words in the area's name; this writes exactly what that rule
gave, so no figure changes: the national areas from ``NATIONAL_AREA_SERVICES`` (the one place
for them: the test suite puts them back from here after a flush too), and any area a council
had already added by the old rule itself (``FORMER_RULE``), frozen here as it was.

The kinds are ``organisation.choices.ServiceKind`` values, written out: a migration does not
import code that may change (a test checks they are still kinds of service). Unapplying drops
the field, and with it the data: nothing else to undo."""

from django.db import migrations, models

HELP_AND_PROTECTION = [
    "front_door",
    "assessment",
    "family_safeguarding",
    "early_help",
    "disabilities",
]
IN_CARE = ["looked_after", "fostering", "adoption"]
CARE_LEAVERS = ["care_leavers"]

# Each national area (migration 0002's names) and the kinds of service whose audits count
# for it. Leaders, governance and overall effectiveness read every service's audits.
NATIONAL_AREA_SERVICES = {
    "Overall effectiveness": [],
    "The impact of leaders on social work practice with children and families": [],
    "The experiences and progress of children who need help and protection": HELP_AND_PROTECTION,
    "The experiences and progress of children in care and care leavers": IN_CARE + CARE_LEAVERS,
    "The experiences and progress of children in care": IN_CARE,
    "The experiences and progress of care leavers": CARE_LEAVERS,
    "Children who need help and protection": HELP_AND_PROTECTION,
    "Children looked after and achieving permanence": IN_CARE,
    "Adoption performance": ["adoption"],
    "Experiences and progress of care leavers": CARE_LEAVERS,
    "Leadership, management and governance": [],
}

# The rule this replaces (``self_evaluation.AREA_COHORTS`` until now): words in an area's
# name, and the kinds each brings, in this order.
FORMER_RULE = (
    ("help and protection", HELP_AND_PROTECTION),
    ("in care", IN_CARE),
    ("looked after", IN_CARE),
    ("adoption", ["adoption"]),
    ("care leavers", CARE_LEAVERS),
)


def by_former_rule(name: str) -> list[str]:
    name = name.lower()
    kinds: list[str] = []
    for words, found in FORMER_RULE:
        if words in name:
            kinds += [kind for kind in found if kind not in kinds]
    return kinds


def give_national_areas_their_services(apps, schema_editor):
    JudgementArea = apps.get_model("inspection", "JudgementArea")
    for name, kinds in NATIONAL_AREA_SERVICES.items():
        JudgementArea.objects.filter(council=None, name=name).update(cohort_services=kinds)


def give_areas_their_services(apps, schema_editor):
    give_national_areas_their_services(apps, schema_editor)
    JudgementArea = apps.get_model("inspection", "JudgementArea")
    for area in JudgementArea.objects.filter(council__isnull=False).only("pk", "name"):
        kinds = by_former_rule(area.name)
        if kinds:
            JudgementArea.objects.filter(pk=area.pk).update(cohort_services=kinds)


class Migration(migrations.Migration):
    dependencies = [("inspection", "0003_mock_inspections")]

    operations = [
        migrations.AddField(
            model_name="judgementarea",
            name="cohort_services",
            field=models.JSONField(
                blank=True, default=list, verbose_name="Services whose audits count"
            ),
        ),
        migrations.RunPython(give_areas_their_services, migrations.RunPython.noop),
    ]
