"""Telling people about work by email: the one way every audit action sends mail.

Emails name no child: they ask the reader to sign in, where what they may see is checked and
logged. They go only once the change is committed, and a mail server that is down never
undoes the change: the work is on the person's home page either way.
"""

import logging

from django.core.mail import send_mail
from django.db import transaction

from caseaudit.accounts.choices import Role, Scope
from caseaudit.accounts.models import User

logger = logging.getLogger(__name__)


def address_of(person) -> str:
    return person.email or getattr(person.worker, "email", "") or ""


def tell(
    people, subject: str, body: str, *, footer: str = "Sign in to caseaudit to see it."
) -> None:
    addresses = {address_of(p) for p in people} - {""}

    def send() -> None:
        for address in sorted(addresses):
            try:
                send_mail(subject, f"{body}\n\n{footer}\n", None, [address])
            except Exception:
                logger.exception("Could not email %s: %s", address, subject)

    if addresses:
        transaction.on_commit(send)


def qa_leads(council_id):
    return User.objects.filter(
        council_id=council_id, role=Role.QA_LEAD, scope=Scope.COUNCIL, is_active=True
    ).select_related("worker")
