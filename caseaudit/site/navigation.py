"""The service navigation: which sections each person sees, asked of the permissions module."""

from dataclasses import dataclass

from django.urls import reverse

from caseaudit.accounts import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    # The URL namespace or name that makes this item the current one.
    section: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [NavItem("Home", reverse("home"), "home")]
    if permissions.can_browse_organisation(user):
        items.append(NavItem("Organisation", reverse("organisation:index"), "organisation"))
    if permissions.can_see_child_records(user):
        items.append(NavItem("Children", reverse("cases:children"), "cases:children"))
    if permissions.can_import_case_data(user):
        items.append(NavItem("Case data", reverse("cases:imports"), "cases"))
    if permissions.can_be_allocated_audits(user):
        items.append(NavItem("Your audits", reverse("audits:your_audits"), "audits:your_audits"))
    if permissions.can_run_programme(user):
        items.append(NavItem("Audit programme", reverse("audits:programme"), "audits:programme"))
        items.append(NavItem("Audit tools", reverse("tools:tools"), "tools:tools"))
        items.append(NavItem("Requests", reverse("audits:requests"), "audits:requests"))
    if permissions.can_lead_thematic_audits(user):
        items.append(NavItem("Thematic audits", reverse("thematic:index"), "thematic"))
        items.append(NavItem("Cohorts", reverse("cases:cohorts"), "cases:cohorts"))
    if permissions.can_see_compliance(user):
        items.append(NavItem("Compliance", reverse("audits:compliance"), "audits:compliance"))
    if permissions.can_moderate(user):
        items.append(NavItem("Moderation", reverse("audits:moderation"), "audits:moderation"))
    if permissions.can_see_inspection_rags(user):
        items.append(NavItem("Inspection", reverse("inspection:index"), "inspection"))
    if permissions.can_read_reports(user):
        items.append(NavItem("Reports", reverse("reports:index"), "reports"))
    if permissions.can_see_performance(user):
        items.append(NavItem("Performance", reverse("performance:index"), "performance"))
    if permissions.can_see_trackers(user):
        items.append(NavItem("Trackers", reverse("performance:trackers"), "performance:trackers"))
    if permissions.can_read_access_log(user):
        items.append(NavItem("Access log", reverse("accounts:access_log"), "accounts:access_log"))
    if permissions.can_administer(user):
        items.append(NavItem("Administration", reverse("admin:index"), "admin"))
    return items


def current_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "audits":
        name = match.url_name
        if name in {"your_audits", "audit", "save", "request_exemption", "request_extension"}:
            return "audits:your_audits"
        if name in {"requests", "decide_exemption", "decide_extension"}:
            return "audits:requests"
        for section in ("audits:moderation", "audits:compliance", "audits:programme"):
            if match.view_name.startswith(section):
                return section
    if match.view_name.startswith(("performance:tracker", "performance:trackers")):
        return "performance:trackers"
    if match.view_name.startswith("cases:cohort"):
        return "cases:cohorts"
    if match.namespace == "tools":
        return "tools:tools"
    if match.namespace in ("", "accounts") or match.view_name.startswith("cases:child"):
        return "cases:children" if match.view_name.startswith("cases:child") else match.view_name
    return match.namespace
