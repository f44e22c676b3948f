"""Audit tools (``tools``) and the monthly programme (``programme``)."""

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
)
from caseaudit.audits.models.tools import (
    AuditTool,
    AuditToolQuerySet,
    Domain,
    GradeDescriptor,
    Question,
    ToolVersion,
)

__all__ = [
    "Answer",
    "Audit",
    "AuditTool",
    "AuditToolQuerySet",
    "Domain",
    "Exemption",
    "Extension",
    "Feedback",
    "GradeDescriptor",
    "ModeratedDomain",
    "Moderation",
    "PracticeAction",
    "ProgrammeMonth",
    "Question",
    "ReflectionSheet",
    "SafeguardingAlert",
    "Sample",
    "SampleCase",
    "ToolVersion",
]
