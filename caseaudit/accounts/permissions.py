"""Every "may this person…" question, answered in one place. Templates and views ask these;
nothing else compares role names.

Views say which of these guards them with ``core.guards.requires``. What a person may do to a
record *now* (cancel this open audit, publish this draft) joins one of these to the record's
state, which this app cannot import: those rules are ``audits.permissions`` and
``reports.permissions``, asked by the pages and the actions alike."""

# The rules over role and scope alone are core.roles's, so that every layer can ask them; they
# are answered here too, so that views and templates have one module to ask.
from caseaudit.core.roles import (  # noqa: F401
    STAFF_ROLES,
    Role,
    Scope,
    can_administer,
    can_browse_organisation,
    can_see_child_records,
)
from caseaudit.core.roles import is_active_member as _active


def can_read_access_log(user) -> bool:
    return can_administer(user)


def can_start_council(user) -> bool:
    """On a fresh installation, create the council and import its first Annex A return from
    the web: an administrator (or the superuser the installer made) who belongs to no council
    yet. Whether the database has no council yet is the action's question."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not user.council_id
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


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


def can_follow_up_audit(user, audit) -> bool:
    """Practice actions, the reflection sheet and feedback: the auditor, or the QA lead."""
    return can_do_audit(user, audit) or (
        can_run_programme(user) and audit.council_id == user.council_id
    )


def can_raise_safeguarding_alert(user, audit) -> bool:
    return can_follow_up_audit(user, audit)


def can_close_safeguarding_alert(user, alert) -> bool:
    """The managers told of it record the action taken; QA may too, if no one else can."""
    if not _active(user):
        return False
    if can_run_programme(user) and alert.audit.council_id == user.council_id:
        return True
    return alert.recipients.filter(pk=user.pk).exists()


def can_respond_to_reflection(user, audit) -> bool:
    """Only the social worker whose case was audited."""
    return _active(user) and bool(user.worker_id) and audit.worker_id == user.worker_id


def can_update_practice_action(user, practice_action) -> bool:
    """Mark done or cancel: the owner, the owner's manager, the auditor who set it, or QA."""
    if not _active(user):
        return False
    if can_run_programme(user) and practice_action.audit.council_id == user.council_id:
        return True
    if user.pk == practice_action.created_by_id:
        return True
    return (
        type(practice_action)
        .objects.owned_or_managed_by(user)
        .filter(pk=practice_action.pk)
        .exists()
    )


def can_publish_reports(user) -> bool:
    """Choose a highlight report's period, write its narrative, choose its exemplars, preview
    and publish it: the QA lead, who runs the programme."""
    return can_run_programme(user)


def can_read_internal_reports(user) -> bool:
    """The internal edition of a highlight report, every figure as counted (small numbers
    unsuppressed): the QA service and the managers who oversee practice across the council,
    not elected members, partners or IT."""
    return (
        _active(user)
        and user.role in {Role.QA_LEAD, Role.INSPECTION_LEAD, Role.SENIOR_MANAGER}
        and user.scope == Scope.COUNCIL
    )


def can_prepare_thematic_reports(user) -> bool:
    """Choose thematic audits for an overview report, preview and publish it: the leads of
    thematic audits (an inspection lead from the audits they lead, the QA lead from all)."""
    return can_lead_thematic_audits(user)


def can_prepare_performance_packs(user) -> bool:
    """Prepare and publish the select-committee performance pack: the QA lead, who publishes
    the council's other reports."""
    return can_publish_reports(user)


def can_prepare_a_report(user) -> bool:
    """Any of the report kinds besides the highlight report (the page then asks the kind's
    own rule)."""
    return can_prepare_thematic_reports(user) or can_prepare_performance_packs(user)


def can_read_reports(user) -> bool:
    """Published highlight reports. They are aggregate, small numbers are suppressed and no
    child is identifiable, so they go to everyone who oversees or does the auditing, and to
    elected members (DESIGN.md: read-only report packs, aggregate figures only). Social workers
    see the audits of their own cases instead."""
    return _active(user) and user.role in {
        Role.QA_LEAD,
        Role.AUDITOR,
        Role.INSPECTION_LEAD,
        Role.SENIOR_MANAGER,
        Role.ADMINISTRATOR,
        Role.ELECTED_MEMBER,
    }


def can_see_performance(user) -> bool:
    """The performance compendium's figures. They are aggregates, so they go to everyone who
    oversees or does the auditing and to elected members; the children behind a figure are
    ``can_see_child_records`` and the person's scope, asked when they drill down."""
    return _active(user) and user.role in {
        Role.QA_LEAD,
        Role.AUDITOR,
        Role.INSPECTION_LEAD,
        Role.SENIOR_MANAGER,
        Role.ADMINISTRATOR,
        Role.ELECTED_MEMBER,
    }


def can_see_team_performance(user) -> bool:
    """A team's indicators beside its audit grades (issue 14 item 4): the staff who see the
    compendium, for the teams their scope reaches. Not elected members: a team's figures and
    grades are small numbers, and they see aggregates only."""
    return can_see_performance(user) and can_see_child_records(user)


def sees_aggregates_only(user) -> bool:
    """Elected members: aggregate figures only, with small numbers suppressed."""
    return _active(user) and (user.role == Role.ELECTED_MEMBER or user.scope == Scope.AGGREGATE)


# Thematic audits (issue 13) ------------------------------------------------------------------

# Those who lead thematic audits ("deep dives"): the audit and practice standards lead, who
# runs the programme, and the inspection lead, who runs thematic audits before an inspection.
THEMATIC_LEADS = frozenset({Role.QA_LEAD, Role.INSPECTION_LEAD})


def can_build_cohorts(user) -> bool:
    """Build and save named cohorts over the case data, and see their profile: the leads of
    thematic audits. The children listed are still only those their scope lets them see."""
    return _active(user) and user.role in THEMATIC_LEADS


def can_lead_thematic_audits(user) -> bool:
    """The thematic audit pages and the forward plan: the same leads."""
    return can_build_cohorts(user)


def sees_all_thematic_audits(user) -> bool:
    """The QA lead oversees every thematic audit of the council; an inspection lead sees the
    ones they lead."""
    return can_run_programme(user)


def can_own_thematic_actions(user) -> bool:
    """Anyone on the staff may own an action of a thematic audit's plan (a team manager, a
    service manager): they see the actions they own, and nothing else of the audit."""
    return _active(user) and user.role in STAFF_ROLES


def can_see_trackers(user) -> bool:
    """The practice-standard trackers: lists of children, so those who may see children's
    records (each sees only the children their scope gives them). Never elected members, who
    see aggregates only."""
    return can_see_child_records(user)


def can_import_tracker_events(user) -> bool:
    """Import the tracker events CSV (events for any child of the council): those who import
    the council's Annex A case data."""
    return can_import_case_data(user)


# Inspection readiness (issue 15) -------------------------------------------------------------


def can_see_inspections(user) -> bool:
    """Inspections, their recommendations in full (actions, evidence, RAG history): the QA
    lead, inspection leads and service managers or directors, whatever their scope (nothing
    in it is about one child)."""
    return _active(user) and user.role in {
        Role.QA_LEAD,
        Role.INSPECTION_LEAD,
        Role.SENIOR_MANAGER,
    }


def can_see_inspection_rags(user) -> bool:
    """The inspections' judgements and each recommendation's confirmed RAG: those above, and
    elected members, who scrutinise the improvement (a summary, never the working)."""
    return can_see_inspections(user) or (_active(user) and user.role == Role.ELECTED_MEMBER)


def can_see_mock_inspections(user) -> bool:
    """A mock inspection (the council's rehearsal: its grades, findings and action plan) is the
    working, not Ofsted's published word: those who read inspections in full, never elected
    members. Its thematic audit's own pages stay its leads' (``can_lead_thematic_audits``)."""
    return can_see_inspections(user)


def can_manage_inspections(user) -> bool:
    """Record inspections, link actions and evidence, confirm each recommendation's RAG: the
    QA lead, who answers for the council's knowledge of its own practice."""
    return can_run_programme(user)


def can_own_inspection_actions(user) -> bool:
    """Anyone on the staff may own an action answering a recommendation, as for a thematic
    audit's action plan: they see the actions they own."""
    return can_own_thematic_actions(user)
