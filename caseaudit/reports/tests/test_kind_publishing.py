"""A thematic overview report or a select-committee pack publishes in the background, as a
highlight report does: the same task, the same progress page, the same refusals; the request
returns at once, the worker freezes it all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caseaudit.reports import actions, formats, tasks
from caseaudit.reports.choices import Edition, Format, ReportKind, ReportStatus
from caseaudit.reports.models import KindReport, ReportFile
from caseaudit.reports.tests.test_thematic_overview import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(thematic, people):
    run(thematic, people)
    return actions.start_kind_report(
        thematic.audit.council,
        kind=ReportKind.THEMATIC,
        parameters={"audits": [thematic.audit.pk]},
        by=thematic.lead,
    )


def _page(client, name: str, report, **extra) -> str:
    return client.get(reverse(f"reports:{name}", args=[report.pk]), **extra).content.decode()


def test_publishing_returns_at_once_and_the_worker_finishes_it(client_for, thematic, draft):
    client = client_for(thematic.lead)
    # The request only queues it (the worker's task runs once the request has committed,
    # which this test's transaction holds back): nothing is built in the request.
    queued = client.post(reverse("reports:kind_publish", args=[draft.pk]))
    assert queued.url == reverse("reports:kind_publishing", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.publish_queued_by == thematic.lead
    assert not ReportFile.objects.exists()
    page = _page(client, "kind_publishing", draft)
    assert f"Step 0 of {actions.PUBLISH_STEPS}" in page and 'hx-trigger="every 2s"' in page
    assert draft.title in page
    # The draft says so, and offers no second publication; a second request is refused.
    shown = _page(client, "kind_draft", draft)
    assert "This report is being published." in shown and "Publish this report" not in shown
    with pytest.raises(ValidationError, match="already being published"):
        actions.queue_publication(draft, by=thematic.lead)
    # The worker publishes it, counting its steps, and freezes both editions' files.
    assert tasks.publish_in_background.call(draft.pk, actions.KIND) == "published"
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED
    assert draft.publish_progress == actions.PUBLISH_STEPS
    assert draft.files.count() == len(Edition) * len(Format)
    assert "Placement stability" in draft.html
    # The progress page sends the lead to the published report (htmx too), once.
    done = client.get(reverse("reports:kind_publishing", args=[draft.pk]))
    assert done.url == reverse("reports:kind_report", args=[draft.pk])
    htmx = client.get(
        reverse("reports:kind_publishing", args=[draft.pk]), headers={"HX-Request": "true"}
    )
    assert htmx["HX-Redirect"] == reverse("reports:kind_report", args=[draft.pk])
    assert tasks.publish_in_background.call(draft.pk, actions.KIND) == "nothing to publish"


def test_a_failure_publishes_nothing_and_says_so(client_for, thematic, draft, monkeypatch):
    client = client_for(thematic.lead)
    actions.queue_publication(draft, by=thematic.lead)

    def broken(data, fmt):
        raise OSError("disk full")

    # The worker fails while writing the files: nothing is published, nothing half-written.
    monkeypatch.setattr(formats, "render", broken)
    assert tasks.publish_in_background.call(draft.pk, actions.KIND) == "failed"
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and not draft.files.exists()
    assert not draft.data and not draft.html and draft.published_at is None
    fragment = _page(client, "kind_publishing", draft, headers={"HX-Request": "true"})
    assert "govuk-error-summary" in fragment and "The report was not published" in fragment
    assert actions.PUBLISH_FAILED in fragment and "hx-trigger" not in fragment
    assert "disk full" not in fragment
    # The draft offers it again, and it then goes through.
    shown = _page(client, "kind_draft", draft)
    assert "Publish this report" in shown and actions.PUBLISH_FAILED in shown
    monkeypatch.undo()
    actions.queue_publication(draft, by=thematic.lead)
    assert tasks.publish_in_background.call(draft.pk, actions.KIND) == "published"
    assert KindReport.objects.get(pk=draft.pk).files.count() == len(Edition) * len(Format)


def test_a_queue_that_does_not_take_it_is_a_failure_too(
    thematic, draft, monkeypatch, django_capture_on_commit_callbacks
):
    class Refusing:
        def enqueue(self, *args):
            raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "publish_in_background", Refusing())
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_publication(draft, by=thematic.lead)
    draft.refresh_from_db()
    assert draft.publish_failure == actions.NOT_QUEUED
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["north_manager", "social_worker", "councillor", "director"])
def test_other_roles_may_not_publish_or_watch(client_for, people, draft, who):
    client = client_for(getattr(people, who))
    assert client.post(reverse("reports:kind_publish", args=[draft.pk])).status_code == 403
    assert client.get(reverse("reports:kind_publishing", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.publish_queued_at is None


def test_another_lead_may_not_publish_anothers_draft(client_for, thematic, people, draft):
    from caseaudit.accounts.choices import Role, Scope
    from caseaudit.conftest import make_user

    other = make_user(thematic.audit.council, "other.lead", Role.INSPECTION_LEAD, Scope.COUNCIL)
    client = client_for(other)
    assert client.post(reverse("reports:kind_publish", args=[draft.pk])).status_code == 403
    assert client.get(reverse("reports:kind_publishing", args=[draft.pk])).status_code == 403
    # The QA lead may publish any of the council's drafts, and watch it.
    qa = client_for(people.qa_lead)
    assert qa.post(reverse("reports:kind_publish", args=[draft.pk])).status_code == 302
    assert qa.get(reverse("reports:kind_publishing", args=[draft.pk])).status_code == 200


def test_another_councils_draft_is_not_found(client_for, people, draft):
    client = client_for(people.outsider)
    assert client.get(reverse("reports:kind_publishing", args=[draft.pk])).status_code in (
        403,
        404,
    )


def test_the_command_still_writes_a_report_at_once(thematic, draft, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "overview.html"
    call_command(
        "report",
        "thematic",
        "--audits",
        str(thematic.audit.pk),
        "--format",
        "html",
        "--out",
        str(out),
        "--council",
        thematic.audit.council.code,
    )
    assert "Placement stability" in out.read_text()
