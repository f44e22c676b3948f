"""Issue 16, item 9: the words on the main pages of each role are people's words. No internal
key (a model label such as "cases.child", a raw choice value such as "in_progress", "cin",
"seed") shows in the visible text, dates read "3 March 2019", and an allocated audit reads
"Not started"."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from caseaudit.core.dates import govuk_date, govuk_datetime
from caseaudit.site.tests.test_home_queues import audits  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

APP_LABELS = (
    "accounts|audits|cases|core|inspection|organisation|performance|reports|site|thematic|tools"
)
INTERNAL_KEYS = [
    # A model's label ("cases.child", "audits.audit").
    re.compile(rf"\b(?:{APP_LABELS})\.[a-z]+\b"),
    # A stored choice value or field name ("in_progress", "qa_lead", "requires_improvement").
    re.compile(r"\b[a-z]+_[a-z_]+\b"),
    # Annex A's and the generator's own words, in lower case as the code spells them.
    re.compile(r"\bcin\b"),
    re.compile(r"\bseed\b"),
]
# Where a word is the person's own: the QA lead chooses the seed that repeats a random
# selection (the form's "Seed (optional)"), so the moderation page may name it.
ALLOWED = {"/audits/compliance/moderation/": {"seed"}}
# Dates as some pages wrote them before: "3 Mar 2019", "03/03/2019", "2019-03-03".
OTHER_DATE_STYLES = [
    re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
]


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def main_pages(people, audits) -> dict[str, list[str]]:  # noqa: F811
    audit = reverse("audits:audit", args=[audits["N1"].pk])
    child = reverse("cases:child", args=[audits["N1"].child_id])
    return {
        "qa_lead": [
            reverse("home"),
            reverse("audits:programme"),
            reverse("audits:requests"),
            reverse("audits:moderation"),
            reverse("audits:compliance"),
            reverse("audits:alerts"),
            reverse("audits:practice_actions"),
            reverse("reports:index"),
            reverse("cases:children"),
            reverse("cases:imports"),
            reverse("organisation:index"),
            audit,
            child,
        ],
        "south_manager": [
            reverse("home"),
            reverse("audits:your_audits"),
            reverse("audits:practice_actions"),
            audit,
        ],
        "social_worker": [reverse("home"), audit, reverse("cases:children"), child],
        "director": [reverse("home"), reverse("audits:compliance"), reverse("reports:index")],
        "councillor": [reverse("home"), reverse("reports:index")],
        "administrator": [reverse("home"), reverse("cases:imports"), reverse("accounts:account")],
    }


@pytest.mark.parametrize(
    "persona",
    ["qa_lead", "south_manager", "social_worker", "director", "councillor", "administrator"],
)
def test_no_internal_keys_or_other_date_styles_on_a_roles_main_pages(
    client_for,
    people,
    audits,  # noqa: F811
    persona,
):
    client = client_for(getattr(people, persona))
    found = []
    for url in main_pages(people, audits)[persona]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        for pattern in INTERNAL_KEYS + OTHER_DATE_STYLES:
            found += [
                f"{url}: {match!r}"
                for match in pattern.findall(text)
                if match not in ALLOWED.get(url, ())
            ]
    assert not found, "\n".join(found)


def test_an_allocated_audit_reads_not_started(client_for, people, audits):  # noqa: F811
    page = client_for(people.south_manager).get(reverse("audits:your_audits")).content.decode()
    assert "Not started" in visible_text(page)
    assert ">Allocated<" not in page


def test_dates_read_the_govuk_way_from_one_place(settings):
    import datetime

    from django.template import Context, Template

    day = datetime.date(2019, 3, 3)
    moment = datetime.datetime(2019, 3, 3, 14, 5, tzinfo=datetime.UTC)
    assert govuk_date(day) == "3 March 2019"
    assert govuk_datetime(moment) == "3 March 2019, 14:05"
    rendered = Template("{{ day|date }}|{{ day|govuk_date }}|{{ moment|date:'DATETIME_FORMAT' }}")
    assert rendered.render(Context({"day": day, "moment": moment})) == (
        "3 March 2019|3 March 2019|3 March 2019, 14:05"
    )
