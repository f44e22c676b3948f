"""One way to keep history: actions call ``record_change`` inside their own transaction."""

from decimal import Decimal

from django.db import models
from django.forms.models import model_to_dict

from caseaudit.core.models import ChangeRecord

# Never copied into history: a password hash is a secret even when hashed; the two-step
# sign-in secret is not editable (so not in snapshots) but is listed in case that changes.
SECRET_FIELDS = frozenset({"password", "totp_secret"})


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The fields of ``obj`` as JSON-safe values, for a before/after pair."""
    data = model_to_dict(obj, fields=fields)
    return {key: _json_safe(value) for key, value in data.items() if key not in SECRET_FIELDS}


def record_change(
    obj: models.Model,
    *,
    by,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> ChangeRecord:
    user = by if getattr(by, "is_authenticated", False) else None
    return ChangeRecord.append(
        user=user,
        username=user.get_username() if user else "system",
        record_type=obj._meta.label_lower,
        record_id=str(obj.pk),
        action=action,
        before=before or {},
        after=after if after is not None else snapshot(obj),
        reason=reason,
    )


def record_types(model: type[models.Model] | models.Model) -> tuple[str, ...]:
    """Every ``record_type`` the history holds ``model`` under: its label now, then any it had
    before it moved app (its ``former_labels``). History is append-only and each entry's digest
    covers its record type, so old entries keep the old label and readers ask for all of them.
    """
    return (model._meta.label_lower, *getattr(model, "former_labels", ()))


def history_of(obj: models.Model):
    return ChangeRecord.objects.filter(
        record_type__in=record_types(obj), record_id=str(obj.pk)
    ).order_by("-sequence")


def _json_safe(value):
    if isinstance(value, Decimal):
        # As typed (85.5, not a float's 85.49999…): history says what was entered.
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value
