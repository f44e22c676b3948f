"""What a thematic audit is carried out for, when an app above owns it: a mock inspection is
carried out through a thematic audit (``inspection``), which this app cannot import. The owning
app registers, from its ``AppConfig.ready``, how to name the owner and link to it for a person;
the thematic audit's page shows what every registered owner says."""

from collections.abc import Callable

# (thematic audit, person) -> (what owns it, its page's address or "" if not theirs to open)
Owner = Callable[[object, object], tuple[str, str] | None]

_owners: dict[str, Owner] = {}


def register_owner(name: str, owner: Owner) -> Owner:
    """Register under ``name`` (registering again replaces it)."""
    _owners[name] = owner
    return owner


def owners_of(thematic_audit, user) -> list[tuple[str, str]]:
    return [found for owner in _owners.values() if (found := owner(thematic_audit, user))]
