"""Every "may this person…" question, answered in one place. Templates and views ask these;
nothing else compares role names."""

from caseaudit.accounts.choices import Role, Scope

STAFF_ROLES = {
    Role.QA_LEAD,
    Role.AUDITOR,
    Role.INSPECTION_LEAD,
    Role.SENIOR_MANAGER,
    Role.ADMINISTRATOR,
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.council_id)


def can_browse_organisation(user) -> bool:
    """Areas, services, teams and the workers in them, within the person's scope."""
    return (
        _active(user)
        and user.role in STAFF_ROLES
        and user.scope
        not in {
            Scope.OWN,
            Scope.AGGREGATE,
        }
    )


def can_see_child_records(user) -> bool:
    """Child-level pages at all (which children, is then the scope's question)."""
    return _active(user) and user.role != Role.ELECTED_MEMBER and user.scope != Scope.AGGREGATE


def can_administer(user) -> bool:
    """Users, roles, organisation structure and imports (the configuration screens)."""
    return _active(user) and user.role == Role.ADMINISTRATOR


def can_read_access_log(user) -> bool:
    return can_administer(user)


def can_import_case_data(user) -> bool:
    """Upload Annex A returns and read the data-quality report (child-level rows)."""
    return (
        _active(user)
        and user.role in {Role.ADMINISTRATOR, Role.QA_LEAD}
        and (user.scope == Scope.COUNCIL)
    )


def can_run_programme(user) -> bool:
    """Configure programme months and tools, draw and confirm samples, allocate, decide
    exemptions and extensions, moderate: the audit and practice standards (QA) lead."""
    return _active(user) and user.role == Role.QA_LEAD and user.scope == Scope.COUNCIL


def can_do_audit(user, audit) -> bool:
    """Fill in and submit an audit: only the auditor it is allocated to."""
    return _active(user) and audit.auditor_id == user.pk


def can_moderate(user) -> bool:
    return can_run_programme(user)


def can_see_compliance(user) -> bool:
    """Compliance by month, area, service, team and auditor: staff who oversee practice."""
    return _active(user) and user.role in {
        Role.QA_LEAD,
        Role.INSPECTION_LEAD,
        Role.SENIOR_MANAGER,
        Role.ADMINISTRATOR,
    }


def can_be_allocated_audits(user) -> bool:
    """Team managers, who audit cases from other teams: they have a "Your audits" list."""
    return _active(user) and user.role == Role.AUDITOR
