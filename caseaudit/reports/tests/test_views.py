"""The highlight report pages, by persona: the QA lead drafts, writes, chooses and publishes;
directors, managers, teams, administrators and elected members read published reports; a
social worker may not; another council's reports do not exist."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.models import Answer, Feedback
from caseaudit.core.history import history_of
from caseaudit.reports import actions, formats, tasks
from caseaudit.reports.choices import Edition, ExemplarKind, Format, ReportStatus, Section
from caseaudit.reports.models import Exemplar, HighlightReport, Narrative
from caseaudit.reports.tests.conftest import JAN, MAR
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
# The narrative form as loaded before any section had text.
UNTOUCHED = {f"{section.value}_version": 0 for section in Section}

READERS = ("qa_lead", "north_manager", "area_lead", "director", "councillor", "administrator")
NOT_PUBLISHERS = (
    "north_manager",
    "social_worker",
    "area_lead",
    "director",
    "councillor",
    "administrator",
)


@pytest.fixture
def published(council, people, programme):
    draft = actions.start_report(council.council, from_month=JAN, to_month=MAR, by=people.qa_lead)
    return actions.publish_report(draft, by=people.qa_lead)


@pytest.fixture
def draft(council, people, programme):
    return actions.start_report(council.council, from_month=MAR, to_month=MAR, by=people.qa_lead)


@pytest.mark.parametrize("persona", READERS)
def test_the_internal_edition_is_for_the_qa_service_and_council_wide_managers(
    client_for, people, published, persona
):
    client = client_for(getattr(people, persona))
    page = client.get(reverse("reports:report", args=[published.pk])).content.decode()
    allowed = persona in ("qa_lead", "director")
    assert ("Internal edition" in page) is allowed
    for fmt in Format.values:
        response = client.get(reverse("reports:download_internal", args=[published.pk, fmt]))
        assert response.status_code == (200 if allowed else 403)
        if allowed:
            internal = published.files.get(edition=Edition.INTERNAL, format=fmt)
            assert response.content == bytes(internal.content)
            assert internal.filename.endswith(f"-internal.{internal.filename.rsplit('.')[-1]}")


def test_a_draft_previews_in_either_edition(client_for, people, draft):
    client = client_for(people.qa_lead)
    url = reverse("reports:draft_download", args=[draft.pk, "html"])
    internal = client.get(url, {"edition": "internal"}).content.decode()
    assert "Internal edition: not for publication." in internal
    assert "(internal edition)" in internal
    assert "not for publication" not in client.get(url).content.decode()
    assert client.get(url, {"edition": "leaked"}).status_code == 404


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_published_reports_and_download_them(client_for, people, published, persona):
    client = client_for(getattr(people, persona))
    index = client.get(reverse("reports:index"))
    assert index.status_code == 200
    assert "January 2024 to March 2024" in index.content.decode()
    page = client.get(reverse("reports:report", args=[published.pk]))
    assert page.status_code == 200
    assert "Overall judgements by month" in page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    for fmt in Format.values:
        response = client.get(reverse("reports:download", args=[published.pk, fmt]))
        assert response.status_code == 200
        public = published.files.get(edition=Edition.PUBLIC, format=fmt)
        assert response.content == bytes(public.content)
        # A download holds children's data like the pages do: never kept in a cache.
        assert "no-store" in response["Cache-Control"]
        if fmt == "html":
            # The report's own HTML file is shown, never able to run script.
            assert "default-src 'none'" in response["Content-Security-Policy"]
        else:
            assert response["Content-Disposition"].startswith("attachment;")


def test_a_social_worker_may_not_read_reports(client_for, people, published):
    client = client_for(people.social_worker)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(reverse("reports:report", args=[published.pk])).status_code == 403
    assert client.get(reverse("reports:download", args=[published.pk, "pdf"])).status_code == 403


def test_another_councils_report_does_not_exist(client_for, people, published, draft):
    client = client_for(people.outsider)
    assert "January 2024" not in client.get(reverse("reports:index")).content.decode()
    assert client.get(reverse("reports:report", args=[published.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[published.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:draft", args=[draft.pk])).status_code == 404
    assert client.post(reverse("reports:publish", args=[draft.pk])).status_code == 404
    assert HighlightReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("persona", NOT_PUBLISHERS)
def test_only_the_qa_lead_drafts_and_publishes(client_for, people, draft, persona):
    client = client_for(getattr(people, persona))
    for name in ("start",):
        assert client.get(reverse(f"reports:{name}")).status_code == 403
    for name in ("draft", "narrative", "exemplars", "publish"):
        assert client.get(reverse(f"reports:{name}", args=[draft.pk])).status_code == 403
    assert client.post(reverse("reports:publish", args=[draft.pk])).status_code == 403
    assert client.get(reverse("reports:draft_download", args=[draft.pk, "xlsx"])).status_code == 403
    assert HighlightReport.objects.get(pk=draft.pk).status == ReportStatus.DRAFT


def test_a_draft_is_not_readable_as_a_report(client_for, people, draft):
    client = client_for(people.director)
    assert client.get(reverse("reports:report", args=[draft.pk])).status_code == 404
    assert "March 2024" not in client.get(reverse("reports:index")).content.decode()


def test_the_qa_lead_drafts_writes_chooses_previews_and_publishes(
    django_capture_on_commit_callbacks, client_for, council, people, programme
):
    client = client_for(people.qa_lead)
    assert client.get(reverse("reports:start")).status_code == 200
    wrong = client.post(reverse("reports:start"), {"month": "2024-01", "from": "2024-03"})
    assert "The first month must be the same as or before the month" in wrong.content.decode()
    started = client.post(reverse("reports:start"), {"month": "2024-03", "from": "2024-01"})
    report = HighlightReport.objects.get(council=council.council, status=ReportStatus.DRAFT)
    assert started.url == reverse("reports:draft", args=[report.pk])
    page = client.get(started.url)
    assert page.status_code == 200
    assert "No introduction written yet." in page.content.decode()

    narrative = reverse("reports:narrative", args=[report.pk])
    assert client.get(narrative).status_code == 200
    saved = client.post(
        narrative,
        {"introduction": "The programme continues.", "standards": "- Supervise", **UNTOUCHED},
    )
    assert saved.status_code == 302
    assert Narrative.objects.get(month=MAR, section="introduction").text == (
        "The programme continues."
    )

    exemplars = reverse("reports:exemplars", args=[report.pk])
    for tab in ("descriptors", "feedback", "reflection"):
        response = client.get(exemplars, {"show": tab})
        assert response.status_code == 200
        if tab == "feedback":
            # Only feedback with consent to share is offered.
            offered = response.content.decode().count('name="feedback"')
            assert offered == 2 * Feedback.objects.filter(consent_to_share=True).count()
    assert AccessLog.objects.filter(user=people.qa_lead, action="listed").exists()
    audit = programme.completed[0]
    answer = Answer.objects.get(audit=audit, question=programme.comment)
    chosen = client.post(
        reverse("reports:exemplar_choose", args=[report.pk]),
        {
            "audit": audit.pk,
            "kind": ExemplarKind.DESCRIPTOR,
            "answer": answer.pk,
            "grade": "good",
            "text": "Seen alone; views recorded.",
            "back": "descriptors",
        },
    )
    assert chosen.status_code == 302
    exemplar = Exemplar.objects.get()
    refused = Feedback.objects.filter(consent_to_share=False).first()
    response = client.post(
        reverse("reports:exemplar_choose", args=[report.pk]),
        {"audit": refused.audit_id, "kind": ExemplarKind.STRENGTH, "feedback": refused.pk},
        follow=True,
    )
    assert "did not consent" in response.content.decode()
    page = client.get(reverse("reports:draft", args=[report.pk])).content.decode()
    assert "The programme continues." in page
    assert "Seen alone; views recorded." in page

    pdf = client.get(reverse("reports:draft_download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("reports:publish", args=[report.pk])).status_code == 200
    # Publishing is queued for the background worker (here it runs as the request commits),
    # and its page shows the published report once the work is done.
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("reports:publish", args=[report.pk]))
    assert queued.url == reverse("reports:publishing", args=[report.pk])
    done = client.get(queued.url)
    assert done.url == reverse("reports:report", args=[report.pk])
    report.refresh_from_db()
    assert report.publish_progress == actions.PUBLISH_STEPS
    assert report.status == ReportStatus.PUBLISHED
    assert "Seen alone; views recorded." in report.html

    # Once published, the draft pages are gone and the text cannot be changed through them.
    assert client.get(reverse("reports:draft", args=[report.pk])).status_code == 404
    removed = client.post(reverse("reports:exemplar_remove", args=[report.pk, exemplar.pk]))
    assert removed.status_code == 404
    assert Exemplar.objects.filter(pk=exemplar.pk).exists()


def test_removing_an_exemplar(client_for, people, draft, programme):
    audit = programme.completed[-1]
    exemplar = actions.choose_exemplar(
        audit, kind=ExemplarKind.DESCRIPTOR, grade="good", text="Good work.", by=people.qa_lead
    )
    client = client_for(people.qa_lead)
    response = client.post(reverse("reports:exemplar_remove", args=[draft.pk, exemplar.pk]))
    assert response.status_code == 302
    assert not Exemplar.objects.exists()
    assert [record.action for record in history_of(exemplar)] == ["deleted", "created"]


def test_published_pages_cost_the_same_whatever_the_report_holds(
    client_for, people, council, published
):
    client = client_for(people.director)
    one_month = actions.publish_report(
        actions.start_report(council.council, from_month=MAR, to_month=MAR, by=people.qa_lead),
        by=people.qa_lead,
    )
    # A frozen report is read whole: one month or three cost the same.
    assert page_queries(client, reverse("reports:report", args=[one_month.pk])) == page_queries(
        client, reverse("reports:report", args=[published.pk])
    )
    # The list costs the same for two reports as for five.
    index = reverse("reports:index")
    two = page_queries(client, index)
    for _ in range(3):
        actions.publish_report(
            actions.start_report(council.council, from_month=JAN, to_month=JAN, by=people.qa_lead),
            by=people.qa_lead,
        )
    assert page_queries(client, index) == two


def _loaded_versions(page) -> dict[str, str]:
    found = re.findall(r'name="(\w+_version)" value="(\d+)"', page.content.decode())
    assert len(found) == len(Section)
    return dict(found)


@pytest.mark.parametrize("already_written", [False, True])
def test_a_stale_narrative_save_is_refused_and_the_first_is_kept(
    council, people, draft, already_written
):
    if already_written:
        actions.save_narrative(
            council.council,
            month=MAR,
            section=Section.THEMES,
            text="Old themes.",
            by=people.qa_lead,
        )
    url = reverse("reports:narrative", args=[draft.pk])
    first, second = Client(), Client()
    first.force_login(people.qa_lead)
    second.force_login(people.qa_lead)
    first_versions, second_versions = (
        _loaded_versions(first.get(url)),
        _loaded_versions(second.get(url)),
    )

    saved = first.post(url, {"themes": "The first words.", **first_versions})
    assert saved.status_code == 302
    # The second changes another section, but their page still has the old themes text,
    # which saving would put back.
    stale_themes = "Old themes." if already_written else ""
    posted = {"themes": stale_themes, "introduction": "The second words.", **second_versions}
    refused = second.post(url, posted)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "There is a problem" in page
    assert "The narrative was changed by someone else since you opened this page" in page
    assert "The second words." in page  # what they typed, to keep
    assert "What is saved now" in page and "The first words." in page
    saved_now = dict(Narrative.objects.filter(month=MAR).values_list("section", "text"))
    assert saved_now == {"themes": "The first words."}  # nothing of the second was written

    again = second.post(
        url,
        {
            "themes": "The first words.",
            "introduction": "The second words.",
            **_loaded_versions(refused),
        },
    )
    assert again.status_code == 302
    saved_now = dict(Narrative.objects.filter(month=MAR).values_list("section", "text"))
    assert saved_now == {"themes": "The first words.", "introduction": "The second words."}


def test_the_publish_page_says_when_the_narrative_is_empty(client_for, people, draft):
    client = client_for(people.qa_lead)
    page = client.get(reverse("reports:publish", args=[draft.pk])).content.decode()
    assert "Nothing has been written in the narrative for March 2024" in page
    actions.save_narrative(
        draft.council, month=MAR, section="introduction", text="Two cases.", by=people.qa_lead
    )
    page = client.get(reverse("reports:publish", args=[draft.pk])).content.decode()
    assert "Nothing has been written in the narrative" not in page
    assert "Before you publish" not in page


def test_the_publish_page_says_when_the_period_is_already_published(
    client_for, people, council, published
):
    again = actions.start_report(council.council, from_month=JAN, to_month=MAR, by=people.qa_lead)
    assert again.pk != published.pk
    page = client_for(people.qa_lead).get(reverse("reports:publish", args=[again.pk]))
    text = page.content.decode()
    assert "A report for January 2024 to March 2024 was already published on" in text
    assert f"by {people.qa_lead.display_name}" in text
    assert "the first stays as it was" in text


def test_publishing_shows_its_progress_and_says_when_it_failed(
    django_capture_on_commit_callbacks, client_for, people, draft, monkeypatch
):
    client = client_for(people.qa_lead)
    # The worker has not picked it up yet: the page counts the steps and asks again.
    queued = actions.queue_publication(draft, by=people.qa_lead)
    page = client.get(reverse("reports:publishing", args=[draft.pk])).content.decode()
    assert f"Step 0 of {actions.PUBLISH_STEPS}" in page
    assert 'hx-trigger="every 2s"' in page
    assert (
        "This report is being published."
        in client.get(reverse("reports:draft", args=[draft.pk])).content.decode()
    )
    # A second request while the first runs is refused.
    with pytest.raises(ValidationError, match="already being published"):
        actions.queue_publication(queued, by=people.qa_lead)

    # The worker fails while writing a file: nothing is published and the page says so.
    def broken(data, fmt):
        raise OSError("disk full")

    monkeypatch.setattr(formats, "render", broken)
    assert tasks.publish_in_background.call(draft.pk) == "failed"
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and not draft.files.exists()
    fragment = client.get(
        reverse("reports:publishing", args=[draft.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "The report was not published" in fragment and "hx-trigger" not in fragment
    # It may be asked for again, and then goes through.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_publication(draft, by=people.qa_lead)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED
    assert draft.files.count() == len(Edition) * len(Format)
    htmx = client.get(
        reverse("reports:publishing", args=[draft.pk]), headers={"HX-Request": "true"}
    )
    assert htmx["HX-Redirect"] == reverse("reports:report", args=[draft.pk])


def test_only_closed_months_are_offered_and_an_open_one_is_refused(client_for, council, people):
    from caseaudit.audits.models import ProgrammeMonth
    from caseaudit.reports.tests.conftest import make_programme

    make_programme(council, people)
    ProgrammeMonth.objects.filter(month=MAR).update(status="open")
    page = client_for(people.qa_lead).get(reverse("reports:start")).content.decode()
    # January is closed; March is still being audited.
    assert 'value="2024-01"' in page
    assert 'value="2024-03"' not in page
    assert "close it on the programme page" in page
    with pytest.raises(ValidationError, match="March 2024 is still open"):
        actions.start_report(council.council, from_month=JAN, to_month=MAR, by=people.qa_lead)
    refused = client_for(people.qa_lead).post(reverse("reports:start"), {"month": "2024-03"})
    assert refused.status_code == 200
    assert "Select the month the report is for" in refused.content.decode()
