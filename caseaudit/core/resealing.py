"""Sealing a log chain again under a different scheme, for the migration that keyed them.

Entries written before the chains were keyed carry plain SHA-256 digests, which anyone with
the database can recompute. A per-entry marker saying "this one is unkeyed" would not do:
whoever rewrites the log would mark their rewrite unkeyed too. So the migration checks the
old chain and seals it again under the key, once, while it is still known to be sound.

It re-seals only the sound part. From the first place the old chain was already broken it
leaves the rows as they are, so ``caseaudit verify-log`` still reports that place rather
than the migration laundering it.
"""

import logging
from collections.abc import Callable

from caseaudit.core.chain import GENESIS, PAGE_SIZE, protection_lifted, seal, stored_entries
from caseaudit.core.chain import unkeyed_seal as unkeyed

logger = logging.getLogger(__name__)

Sealer = Callable[[int, str, dict], str]


def key_the_chain(
    app_label: str,
    model_name: str,
    chain: str,
    fields: tuple[str, ...],
    optional: tuple[str, ...] = (),
):
    """A RunPython pair: seal the chain under the key, or back under plain SHA-256.

    ``fields`` and ``optional`` are the model's ``chained_fields`` and ``optional_fields`` as
    they were when the migration was written.
    """
    sealing = {"fields": fields, "optional": optional}

    def forwards(apps, schema_editor):
        _reseal(apps, schema_editor, app_label, model_name, chain, old=unkeyed, new=seal, **sealing)

    def backwards(apps, schema_editor):
        _reseal(apps, schema_editor, app_label, model_name, chain, old=seal, new=unkeyed, **sealing)

    return forwards, backwards


def _reseal(
    apps, schema_editor, app_label, model_name, chain, *, fields, optional, old, new
) -> None:
    model = apps.get_model(app_label, model_name)
    head = apps.get_model("core", "ChainHead").objects.filter(chain=chain).first()
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    update = f"UPDATE {table} SET previous_digest = %s, digest = %s WHERE sequence = %s"  # noqa: S608 # nosec B608
    # Lifting the triggers also puts them back as they are now: UPDATE and DELETE refused.
    with protection_lifted(connection, [model._meta.db_table]):
        if head is None or head.length == 0:
            return
        old_previous = new_previous = GENESIS
        expected = 1
        pending: list[tuple[str, str, int]] = []
        for entry in stored_entries(
            model, up_to=head.length, fields=("at", *fields), optional=optional
        ):
            if (
                entry.sequence != expected
                or entry.previous_digest != old_previous
                or old(entry.sequence, entry.previous_digest, entry.content) != entry.digest
            ):
                logger.warning(
                    "The %s log was already broken at entry %s: it is sealed again up to the "
                    "entry before, and `caseaudit verify-log` will report the break.",
                    chain,
                    expected,
                )
                break
            digest = new(entry.sequence, new_previous, entry.content)
            pending.append((new_previous, digest, entry.sequence))
            old_previous, new_previous = entry.digest, digest
            expected += 1
            if len(pending) >= PAGE_SIZE:
                _write(connection, update, pending)
        _write(connection, update, pending)
        if expected - 1 == head.length and head.digest == old_previous:
            head.digest = new_previous
            head.save(update_fields=["digest"])


def _write(connection, update: str, pending: list) -> None:
    if pending:
        with connection.cursor() as cursor:
            cursor.executemany(update, pending)
        pending.clear()
