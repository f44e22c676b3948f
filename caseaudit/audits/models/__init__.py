"""The monthly programme (``programme``); the audit tools it uses are in ``caseaudit.tools``."""

from caseaudit.audits.models.programme import (
    Answer,
    Audit,
    Exemption,
    Extension,
    Feedback,
    ModeratedDomain,
    Moderation,
    PracticeAction,
    ProgrammeMonth,
    ReflectionSheet,
    SafeguardingAlert,
    Sample,
    SampleCase,
    SwappedCase,
)

__all__ = [
    "Answer",
    "Audit",
    "Exemption",
    "Extension",
    "Feedback",
    "ModeratedDomain",
    "Moderation",
    "PracticeAction",
    "ProgrammeMonth",
    "ReflectionSheet",
    "SafeguardingAlert",
    "Sample",
    "SampleCase",
    "SwappedCase",
]
