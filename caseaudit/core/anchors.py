"""Chain heads anchored outside the database.

The key stops someone with only the database from rewriting a log, but not from cutting off
its newest entries and winding the head back, nor someone who also has the key from
rewriting it all. So the heads also leave the database: each anchor (chain, length, digest,
time, signed with a key derived from the log key) is appended to a file, and sent to syslog
when a server is named, where the database's users cannot reach back and change it.
``verify_chain`` then requires the log to still hold every anchored head.
"""

import datetime
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from caseaudit.core.chain import AnchoredHead
from caseaudit.core.log_key import anchor_key

SYSLOG_TAG = "caseaudit-log-anchor: "


@dataclass(frozen=True)
class Anchor:
    chain: str
    length: int
    digest: str
    at: datetime.datetime
    # True when written after `caseaudit verify-log` checked the whole chain; False for the
    # cheaper interval anchors of `caseaudit anchor-log`.
    verified: bool

    def fields(self) -> dict:
        return {
            "chain": self.chain,
            "length": self.length,
            "digest": self.digest,
            "at": self.at.isoformat(),
            "verified": self.verified,
        }

    def line(self) -> str:
        return json.dumps({**self.fields(), "mac": _sign(self.fields())}, sort_keys=True)

    def head(self) -> AnchoredHead:
        return AnchoredHead(self.length, self.digest, self.at.isoformat(timespec="seconds"))


@dataclass
class AnchorFile:
    path: Path
    anchors: list[Anchor] = field(default_factory=list)
    # Lines that are not anchors signed with this key: the file has been edited, or the key
    # is not the one the anchors were written with.
    problems: list[str] = field(default_factory=list)

    def of(self, chain: str) -> list[Anchor]:
        return [a for a in self.anchors if a.chain == chain]

    def newest(self, chain: str, *, verified: bool = False) -> Anchor | None:
        found = [a for a in self.of(chain) if a.verified or not verified]
        return found[-1] if found else None


def read(path: Path | None = None) -> AnchorFile:
    path = Path(path or settings.LOG_ANCHOR_FILE)
    anchor_file = AnchorFile(path)
    if not path.exists():
        return anchor_file
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            anchor = _parse(text)
            if anchor is None:
                anchor_file.problems.append(
                    f"line {number} of {path} is not an anchor signed with the log key"
                )
            else:
                anchor_file.anchors.append(anchor)
    return anchor_file


def write(anchors: list[Anchor]) -> None:
    """Append the anchors to the anchor file (readable by its owner only), then to syslog."""
    path = Path(settings.LOG_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [anchor.line() for anchor in anchors]
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())
    if settings.LOG_ANCHOR_SYSLOG:
        _send_to_syslog(settings.LOG_ANCHOR_SYSLOG, lines)


def _sign(fields: dict) -> str:
    message = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.digest(anchor_key(), message, "sha256").hex()


def _parse(text: str) -> Anchor | None:
    try:
        record = json.loads(text)
        fields = {name: record[name] for name in ("chain", "length", "digest", "at", "verified")}
        if not hmac.compare_digest(str(record["mac"]), _sign(fields)):
            return None
        return Anchor(
            chain=str(fields["chain"]),
            length=int(fields["length"]),
            digest=str(fields["digest"]),
            at=datetime.datetime.fromisoformat(fields["at"]),
            verified=bool(fields["verified"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _send_to_syslog(address: str, lines: list[str]) -> None:
    handler = logging.handlers.SysLogHandler(
        address=_syslog_address(address), facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        for line in lines:
            handler.emit(
                logging.makeLogRecord(
                    {"msg": SYSLOG_TAG + line, "levelno": logging.INFO, "levelname": "INFO"}
                )
            )
    finally:
        handler.close()


def _syslog_address(address: str) -> str | tuple[str, int]:
    if address.startswith("/"):
        return address
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "514")
    return host, int(port)
