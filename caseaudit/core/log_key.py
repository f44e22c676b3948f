"""The key that seals the log chains, kept outside the database.

A plain hash chain proves nothing to someone who can write to the database: they can delete a
row and recompute every digest after it. Sealing each digest with HMAC under a key the
database never holds means only someone who also has the key can do that, and the anchors
(``core/anchors.py``) catch even them once a head has left the machine.

The key is ``settings.LOG_CHAIN_KEY`` or the contents of ``settings.LOG_CHAIN_KEY_FILE``.
Development makes the key file the first time it is needed (readable by its owner only);
production refuses to start without one (settings.py).
"""

import functools
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MINIMUM_LENGTH = 32


def entry_key() -> bytes:
    """The key that seals log entries."""
    return _derived_keys(*_configured())[0]


def anchor_key() -> bytes:
    """The key that signs anchored heads: a different key, so an entry's seal can never be
    passed off as an anchor's, or the other way round."""
    return _derived_keys(*_configured())[1]


def _configured() -> tuple[str | None, str, bool]:
    return settings.LOG_CHAIN_KEY, str(settings.LOG_CHAIN_KEY_FILE), not settings.PRODUCTION


# Cached on the settings themselves, so a test that overrides the key gets the new one.
@functools.lru_cache(maxsize=8)
def _derived_keys(key: str | None, key_file: str, may_create: bool) -> tuple[bytes, bytes]:
    secret = key.encode() if key else _read_key_file(Path(key_file), may_create)
    if len(secret) < MINIMUM_LENGTH:
        raise ImproperlyConfigured(
            f"The log chain key must be at least {MINIMUM_LENGTH} characters long."
        )
    return (
        hmac.digest(secret, b"caseaudit log chain: entries", "sha256"),
        hmac.digest(secret, b"caseaudit log chain: anchors", "sha256"),
    )


def _read_key_file(path: Path, may_create: bool) -> bytes:
    if not path.exists():
        if not may_create:
            raise ImproperlyConfigured(f"The log chain key file {path} does not exist.")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once must not each write a key of their own.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_bytes().strip()
