"""caseaudit's own template filters and tags, built into every template (settings.TEMPLATES'
``builtins``): dates in GOV.UK style and status tags."""

from django import template
from django.utils.html import format_html

from caseaudit.core import dates, status_tags

register = template.Library()


@register.filter
def govuk_date(value) -> str:
    """{{ day|govuk_date }}: "3 March 2019"."""
    return dates.govuk_date(value)


@register.filter
def govuk_datetime(value) -> str:
    """{{ moment|govuk_datetime }}: "3 March 2019, 14:05"."""
    return dates.govuk_datetime(value)


@register.simple_tag
def status_tag(status, label=None, overdue=False):
    """{% status_tag record.status record.get_status_display %}: the status as a GOV.UK tag in
    its colour (``core.status_tags``), with a red "Overdue" tag after it when ``overdue``."""
    tag = format_html(
        '<strong class="{}">{}</strong>', status_tags.tag_class(status), label or status
    )
    if overdue:
        tag += format_html(' <strong class="{}">Overdue</strong>', status_tags.tag_class("overdue"))
    return tag
